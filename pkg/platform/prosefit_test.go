package platform

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// fixWidth is the width a fix's line may take: check prints a fix after
// its 9-column "  Fix:   " indent and leaves the lines whole, so a longer
// one wraps mid-word in an 80-column terminal.
const fixWidth = 80 - len("  Fix:   ")

// proseTooLong lists a fix's prose lines (its title, the snippet's comments
// in its language, echo and printf text, every line of a console fix) longer than
// fixWidth. Code lines stay whole: a line break there can change meaning.
func proseTooLong(f Fix) []string {
	var out []string
	// check prints the title as a line of its own: "[format] title".
	if title := "[" + string(f.Format) + "] " + f.Title; utf8.RuneCountInString(title) > fixWidth {
		out = append(out, title)
	}
	inEcho, inBlock := false, false
	for _, l := range strings.Split(f.Snippet, "\n") {
		s := strings.TrimSpace(l)
		prose := f.Format == FormatConsole || inEcho || inBlock || isComment(f.Format, s) ||
			strings.HasPrefix(s, "echo ") || strings.HasPrefix(s, "printf ")
		inEcho = (inEcho || strings.HasPrefix(s, "echo ")) && strings.HasSuffix(s, `\`)
		if strings.HasPrefix(s, "/*") || strings.HasPrefix(s, "<!--") {
			inBlock = true
		}
		if strings.Contains(s, "*/") || strings.Contains(s, "-->") {
			inBlock = false
		}
		if !prose {
			// A code line's trailing comment counts when it is what
			// makes the line long.
			i := trailingComment(f.Format, l)
			prose = i > 0 && i < fixWidth
		}
		allowed := slices.ContainsFunc(proseAllowed, func(a struct{ prefix, why string }) bool {
			return strings.HasPrefix(s, a.prefix)
		})
		if prose && !allowed && utf8.RuneCountInString(l) > fixWidth {
			out = append(out, l)
		}
	}
	return out
}

// isComment: s (trimmed) is a whole-line comment in f's language.
func isComment(f Format, s string) bool {
	for _, p := range []string{"#", "//", "/*", "* ", "<!--"} {
		if strings.HasPrefix(s, p) {
			// #if( and #set( are VTL directives, ## its comments.
			return p != "#" || hashComments[f] && (s == "#" || strings.ContainsAny(s[1:2], " #"))
		}
	}
	return s == "*"
}

// hashComments are the forms where # starts a comment.
var hashComments = map[Format]bool{FormatAWSCLI: true, FormatCloudFormation: true, FormatSAM: true,
	FormatTerraform: true, FormatServerless: true, FormatNginx: true, FormatApache: true, FormatAzureCLI: true,
	FormatGcloud: true, FormatOpenAPI: true, FormatKong: true, FormatEnvoy: true, FormatIstio: true,
	FormatNetlify: true}

// trailingComment is where a comment after code starts on l, or -1.
func trailingComment(f Format, l string) int {
	marks := []string{" // "}
	if hashComments[f] {
		marks = []string{" # "}
	}
	for _, m := range marks {
		if i := strings.Index(l, m); i > 0 && strings.TrimSpace(l[:i]) != "" &&
			strings.Count(l[:i], `"`)%2 == 0 && strings.Count(l[:i], `'`)%2 == 0 {
			return i
		}
	}
	return -1
}

// proseAllowed are the lines, by how they start, that read as comments or
// steps but are code a line break would change, with why.
var proseAllowed = []struct{ prefix, why string }{
	{"#if($origin", "a VTL directive of a mapping template the console step pastes"},
	{"#set($context.responseOverride", "a VTL directive of a mapping template the console step pastes"},
	{"#set($origin", "a VTL directive of a mapping template the console step pastes"},
	{"#  gcloud ", "a commented-out alternative command, run as one line"},
	{"// az webapp cors remove ", "a command in a comment, run as one line"},
}

// proseNotYet are the forms (per code) whose prose is not reflowed yet:
// comments filled from the context (%s), console steps, trailing comments,
// echo text and titles (a title is one line: it fits only reworded). The
// test fails once a form fits, so the entry goes; none may be added.
var proseNotYet = map[string]string{
	"alb-error-page-no-cors":                       "console",
	"allow-list":                                   "console lambda spring",
	"apigw-auth-on-options":                        "aws-cli serverless",
	"apigw-cors-only-on-options":                   "aws-cli console lambda openapi",
	"apigw-forbidden-before-routing":               "aws-cli console",
	"apigw-gateway-responses-no-cors":              "aws-cli cloudformation",
	"apigw-gateway-responses-wildcard-credentials": "aws-cli cloudformation",
	"apigw-http-api-cors-not-configured":           "cdk cloudformation openapi sam serverless terraform",
	"apigw-http-api-duplicate-cors":                "aws-cli",
	"apigw-integration-no-cors":                    "aws-cli console lambda openapi",
	"apigw-lambda-proxy-wildcard-credentials":      "lambda",
	"apigw-mock-origin-mismatch":                   "cloudformation openapi sam terraform",
	"apigw-mock-wildcard-credentials":              "aws-cli cloudformation console lambda openapi sam terraform",
	"apigw-no-options-method":                      "cdk cloudformation console openapi serverless",
	"apigw-private-api-header-preflight":           "aws-cli cdk cloudformation console terraform",
	"apigw-private-api-wrong-endpoint":             "aws-cli cdk cloudformation console terraform",
	"apigw-proxy-integration-no-cors":              "express lambda serverless",
	"azure-apim-cors-policy-missing":               "azure-policy console",
	"azure-app-service-cors-not-configured":        "aspnet azure-cli console",
	"cdn-cache-without-vary-origin":                "express firebase nginx vercel",
	"cloudfront-cache-without-origin":              "aws-cli cdk cloudformation console terraform",
	"express-cors-middleware-missing":              "express",
	"gcp-api-gateway-options-not-defined":          "gcloud openapi",
	"gcp-options-not-handled":                      "express",
	"gcs-cors-not-configured":                      "terraform",
	"lambda-url-cors-not-configured":               "aws-cli terraform",
	"lambda-url-wildcard-credentials":              "aws-cli terraform",
	"middleware-order-auth-before-cors":            "aspnet",
	"nginx-cors-headers-missing":                   "nginx",
	"s3-cors-not-enabled":                          "sam",
	"s3-cors-rule-mismatch":                        "sam",
	"s3-wildcard-rule-with-credentials":            "aws-cli cloudformation",
	"static-server-options-405":                    "express firebase netlify nginx",
}

// reCommentBreak is a line break inside a comment: the next line goes on
// with the same marker.
var reCommentBreak = regexp.MustCompile(`((?://|#)[^\n]*)\n[ \t]*(?://|#) +`)

// joinComments reads a snippet's comments as sentences: a comment
// reflowed over lines is one line again, so a test finds its words
// wherever the break falls.
func joinComments(s string) string {
	for {
		j := reCommentBreak.ReplaceAllString(s, "$1 ")
		if j == s {
			return s
		}
		s = j
	}
}

// proseContexts fill the snippets in the shapes whose comments differ.
func proseContexts() []FixContext {
	creds := ExampleContext()
	creds.Credentials = true
	twice := existingContext(true)
	twice.Twice = []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials"}
	twice.Credentials = true
	return []FixContext{ExampleContext(), creds, existingContext(false), twice}
}

// TestFixProseFits: every fix's prose fits an 80-column terminal as check
// prints it (fixWidth), in every form of every code and the audit's
// allow-list.
func TestFixProseFits(t *testing.T) {
	codes := make([]cors.Code, 0, len(fixBuilders))
	for c := range fixBuilders {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i] < codes[j] })
	seen := map[string]bool{}
	long := map[string]bool{} // "code format" with a line too long
	checked := 0
	for _, ctx := range proseContexts() {
		check := func(name string, fixes []Fix) {
			for _, f := range fixes {
				checked++
				for _, l := range proseTooLong(f) {
					long[name+" "+string(f.Format)] = true
					if slices.Contains(strings.Fields(proseNotYet[name]), string(f.Format)) {
						continue
					}
					key := fmt.Sprintf("%s %s: %s", name, f.Format, l)
					if seen[key] {
						continue
					}
					seen[key] = true
					t.Errorf("%s %s: %d columns, %d with check's indent:\n%s", name, f.Format,
						utf8.RuneCountInString(l), utf8.RuneCountInString(l)+80-fixWidth, l)
				}
			}
		}
		for _, code := range codes {
			check(string(code), Fixes(code, ctx))
		}
		check("allow-list", AllowListFixes(ctx))
	}
	for name, forms := range proseNotYet {
		for _, f := range strings.Fields(forms) {
			if !long[name+" "+f] {
				t.Errorf("%s %s fits now: drop it from proseNotYet", name, f)
			}
		}
	}
	t.Logf("%d fixes checked", checked)
}
