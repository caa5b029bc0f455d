package platform

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Format is a fix form: the tool or file the snippet is written for.
type Format string

// Fix forms. --fix-format takes these names, or "all".
const (
	FormatConsole        Format = "console"
	FormatAWSCLI         Format = "aws-cli"
	FormatCloudFormation Format = "cloudformation"
	FormatSAM            Format = "sam"
	FormatCDK            Format = "cdk"
	FormatTerraform      Format = "terraform"
	FormatServerless     Format = "serverless"
	FormatLambda         Format = "lambda" // a Node.js Lambda handler
	FormatNginx          Format = "nginx"
	FormatApache         Format = "apache"
	FormatExpress        Format = "express"
	FormatSpring         Format = "spring"
	FormatASPNet         Format = "aspnet"
	FormatGo             Format = "go"
	FormatAzureCLI       Format = "azure-cli"
	FormatAzurePolicy    Format = "azure-policy" // APIM policy XML
	FormatGcloud         Format = "gcloud"
	FormatOpenAPI        Format = "openapi" // Google API Gateway / ESPv2 spec
	FormatKong           Format = "kong"
	FormatEnvoy          Format = "envoy"
	FormatIstio          Format = "istio"
	FormatVercel         Format = "vercel"
	FormatNetlify        Format = "netlify"
	FormatFirebase       Format = "firebase"
	FormatCloudflare     Format = "cloudflare" // a Worker
	FormatAll            Format = "all"
)

var allFormats = []Format{FormatConsole, FormatAWSCLI, FormatCloudFormation, FormatSAM, FormatCDK, FormatTerraform,
	FormatServerless, FormatLambda, FormatNginx, FormatApache, FormatExpress, FormatSpring, FormatASPNet, FormatGo,
	FormatAzureCLI, FormatAzurePolicy, FormatGcloud, FormatOpenAPI, FormatKong, FormatEnvoy, FormatIstio,
	FormatVercel, FormatNetlify, FormatFirebase, FormatCloudflare}

// Formats lists the names --fix-format accepts (besides "all").
func Formats() []string {
	out := make([]string, len(allFormats))
	for i, f := range allFormats {
		out[i] = string(f)
	}
	return out
}

// ParseFormat checks a --fix-format value.
func ParseFormat(s string) (Format, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == string(FormatAll) {
		return Format(s), nil
	}
	for _, f := range allFormats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("platform: unknown fix format %q; use one of %s, or all", s, strings.Join(Formats(), ", "))
}

// Fix is one pasteable form of a fix.
type Fix struct {
	Format  Format `json:"format"`
	Title   string `json:"title"`
	Snippet string `json:"snippet"`
}

// FixContext is what snippets are filled with: the page's real origin,
// method and headers, and the names found in the URL.
type FixContext struct {
	Origin string
	// Origins is the exact allow-list (the audit's declared origins).
	Origins     []string
	Method      string   // the method the page sends, normalized
	Methods     []string // methods to allow: Method, plus OPTIONS where the form needs it listed
	Headers     []string // request headers to allow, lower case; Content-Type when none
	Credentials bool

	Host     string
	Path     string // URL path
	APIID    string // API Gateway API id, or a placeholder
	Region   string // AWS region, or a placeholder
	Stage    string // REST API stage, or a placeholder
	Resource string // REST API resource path (path without the stage)
	VPCE     string // interface VPC endpoint id, or a placeholder
	Bucket   string // S3 or Cloud Storage bucket, or a placeholder
	// AllowedOrigins are origins the server was seen to allow (a
	// comparison request), shown in allow-lists beside Origin.
	AllowedOrigins []string
	// Existing: an answer showed a CORS configuration (Access-Control-*
	// headers, or a CORS layer refusing the origin), so there may be
	// origins beyond AllowedOrigins that a snippet must keep.
	Existing bool
	// GatewayResponses are the API Gateway response types seen.
	GatewayResponses []string
	// Preflight is what the preflight's answer allowed: a fix that
	// rewrites that answer keeps it.
	Preflight PreflightAnswer
	// Route is the HTTP API route's path as the template writes it; ""
	// when unknown.
	Route string
	// Twice are the CORS headers an answer carried on two lines, one from
	// each of two layers (nginx and the application behind it); nil: only
	// Access-Control-Allow-Origin is known.
	Twice []string
	// Status is the 2xx status of the actual answer (0: none seen): a fix
	// that maps headers on a method's response maps them on that one.
	Status int
}

// okStatus is the status of the method response a fix maps headers on:
// the one the method answers (a 202 stays a 202), else 200.
func (c FixContext) okStatus() string {
	if c.Status == 0 {
		return "200"
	}
	return strconv.Itoa(c.Status)
}

// PreflightAnswer is a preflight answer's status and the methods and
// request headers it allowed. Methods and Headers are nil when the answer
// had none, or a value that is not a plain list of names (server-sent
// text goes into snippets only when it cannot break their quoting).
type PreflightAnswer struct {
	Status           int // 0: no answer
	Methods, Headers []string
}

// reListName is a method or header name safe inside any snippet's quotes.
var reListName = regexp.MustCompile(`^[A-Za-z0-9*_.-]+$`)

// readPreflight reads m's status and its Allow-Methods and Allow-Headers.
func readPreflight(m *cors.Message) PreflightAnswer {
	if m == nil {
		return PreflightAnswer{}
	}
	return PreflightAnswer{Status: m.Status, Methods: nameList(header(m, cors.HeaderAllowMethods)),
		Headers: nameList(header(m, cors.HeaderAllowHeaders))}
}

// nameList splits a comma-separated list of names; nil when it is empty
// or an item is not a plain name.
func nameList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !reListName.MatchString(item) {
			return nil
		}
		out = append(out, item)
	}
	return out
}

// withPage is list with the items of page it lacks (case-insensitive)
// added: the values allowed today stay, the page's join them.
func withPage(list, page []string) []string {
	out := slices.Clip(list)
	for _, p := range page {
		if !slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, p) }) {
			out = append(out, p)
		}
	}
	return out
}

var (
	reExecuteAPI = regexp.MustCompile(`^([a-z0-9]{10})(?:-(vpce-[0-9a-f]+))?\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$`)
	reVPCEHost   = regexp.MustCompile(`^(vpce-[0-9a-f]+)-[a-z0-9]+(?:-[a-z0-9-]+)?\.execute-api\.([a-z0-9-]+)\.vpce\.amazonaws\.com$`)
)

func newFixContext(ex *cors.Exchange, d *cors.Diagnosis) FixContext {
	var o observation
	o.init(Input{Exchange: ex}, readURL(ex))
	return fixContextOf(ex, d, &o)
}

// pageOrigin is the origin of the page that sent ex's request, or the
// example one when it has none, "null", or one not safe to paste
// (reSafeOrigin): a HAR file's Origin may hold $( ) ' " ; & in its host,
// and snippets put the origin in shell commands.
func pageOrigin(ex *cors.Exchange) string {
	if ex != nil {
		if o, err := cors.ParseOrigin(ex.Request.Origin); err == nil && o != "null" && reSafeOrigin.MatchString(o) {
			return o
		}
	}
	return "https://app.example.com"
}

// BucketPlaceholder stands in fixes for a bucket whose name is not known.
const BucketPlaceholder = "YOUR_BUCKET"

// fixContextOf is newFixContext with ex observed already (o).
func fixContextOf(ex *cors.Exchange, d *cors.Diagnosis, o *observation) FixContext {
	c := FixContext{APIID: "YOUR_API_ID", Region: "YOUR_REGION", Stage: "YOUR_STAGE", Resource: "/YOUR/RESOURCE",
		VPCE: "YOUR_VPCE_ID", Bucket: BucketPlaceholder, Origin: "https://app.example.com", Method: "GET", Path: "/"}
	if ex != nil {
		c.Origin = pageOrigin(ex)
		c.Credentials = ex.Request.Credentials
		if u := o.url; u.ok {
			c.Host = u.host
			if u.path != "" {
				c.Path = u.path
				// A custom domain hides the stage (base path mapping): the
				// URL path is the best guess at the resource.
				c.Resource = u.path
			}
		}
		// A token may hold ` & | ' $: only a plain name is pasted into shell.
		if id := o.requestHeader("x-apigw-api-id"); id != "" && safeName(id) == id {
			c.APIID = id
		}
	}
	if pf := o.preflight(); pf != nil {
		c.Preflight = readPreflight(pf.resp)
	}
	if f := o.final(); f != nil && f.resp != nil && f.resp.Status >= 200 && f.resp.Status < 300 {
		c.Status = f.resp.Status
	}
	if m := planMethod(d); m != "" {
		c.Method = m
	}
	if d != nil {
		c.Headers = tokens(d.Plan.UnsafeHeaders)
	}
	if len(c.Headers) == 0 {
		c.Headers = defaultHeaders
	}
	c.Methods = methodsToAllow(c.Method)
	if ex != nil && c.Method == "GET" && !cors.InitiatorOf(&ex.Request).Scripted {
		// A font, image or stylesheet: allow HEAD beside GET, as the
		// rules for static assets in the S3 user guide do.
		c.Methods = slices.Insert(slices.Clone(c.Methods), 1, "HEAD")
	}
	// Every AWS pattern below ends in .amazonaws.com: other hosts skip them.
	aws := strings.HasSuffix(c.Host, ".amazonaws.com")
	if m := awsMatch(aws, reExecuteAPI, c.Host); m != nil {
		c.APIID, c.Region = m[1], m[3]
		if m[2] != "" {
			c.VPCE = m[2]
		}
		c.Stage, c.Resource = splitStage(c.Path)
	} else if m := awsMatch(aws, reVPCEHost, c.Host); m != nil {
		c.VPCE, c.Region = m[1], m[2]
		c.Stage, c.Resource = splitStage(c.Path)
	}
	if m := awsMatch(aws, reS3Host, c.Host); m != nil && m[1] != "" {
		c.Bucket = strings.TrimSuffix(m[1], ".")
	} else if strings.HasPrefix(c.Host, "s3.") || c.Host == "storage.googleapis.com" {
		// Path-style: the bucket is the first path segment.
		if seg := strings.SplitN(strings.TrimPrefix(c.Path, "/"), "/", 2)[0]; seg != "" {
			c.Bucket = seg
		}
	}
	if strings.HasSuffix(c.Host, ".storage.googleapis.com") {
		c.Bucket = strings.TrimSuffix(c.Host, ".storage.googleapis.com")
	}
	if m := awsMatch(aws, reS3Region, c.Host); m != nil && c.Region == "YOUR_REGION" {
		c.Region = m[1]
	}
	if safeName(c.Bucket) != c.Bucket {
		c.Bucket = BucketPlaceholder
	}
	return c
}

// planMethod is the method the page sends, when it is a plain name: a
// token may hold ` & | ' $, which would run in a shell snippet ("" then,
// and the example method stands in).
func planMethod(d *cors.Diagnosis) string {
	if d == nil || !cors.IsToken(d.Plan.Method) || safeName(d.Plan.Method) != d.Plan.Method {
		return ""
	}
	return d.Plan.Method
}

// The context's lists are read, never written in place, so that they can
// share arrays (the plan's, or these): `har` builds a context per request.
var (
	defaultHeaders = []string{"content-type"}
	usualMethods   = map[string][]string{}
)

func init() {
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"} {
		usualMethods[m] = []string{m, "OPTIONS"}
	}
	usualMethods["OPTIONS"] = []string{"OPTIONS"}
}

// methodsToAllow is method, then OPTIONS unless method is OPTIONS.
func methodsToAllow(method string) []string {
	if ms, ok := usualMethods[method]; ok {
		return ms
	}
	return []string{method, "OPTIONS"}
}

// tokens is the names of hs that are plain names (a token may hold
// ` & | ' $, which break a snippet's quotes or run in its shell): hs
// itself (capacity cut, so that an append copies) when all are.
func tokens(hs []string) []string {
	plain := func(h string) bool { return cors.IsToken(h) && safeName(h) == h }
	for i, h := range hs {
		if !plain(h) {
			out := hs[:i:i]
			for _, h := range hs[i+1:] {
				if plain(h) {
					out = append(out, h)
				}
			}
			return out
		}
	}
	return slices.Clip(hs)
}

// awsMatch is re's submatches in an AWS host name, nil for other hosts.
func awsMatch(aws bool, re *regexp.Regexp, host string) []string {
	if !aws {
		return nil
	}
	return re.FindStringSubmatch(host)
}

// splitStage splits a REST API URL path: it starts with the stage.
func splitStage(path string) (stage, resource string) {
	stage, resource = "YOUR_STAGE", "/"
	parts := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 2)
	if parts[0] != "" && safeName(parts[0]) == parts[0] {
		stage = parts[0]
	}
	if len(parts) == 2 && parts[1] != "" {
		resource = "/" + parts[1]
	}
	return stage, resource
}

// safeName keeps a name that can be pasted into any snippet unquoted.
func safeName(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_') {
			return ""
		}
	}
	return s
}

// Joined forms of the context lists.
func (c FixContext) methodList(sep string) string { return strings.Join(c.Methods, sep) }
func (c FixContext) headerList(sep string) string { return strings.Join(c.Headers, sep) }

// safeResource is the resource path with characters a shell or a
// template would mangle removed.
func (c FixContext) safeResource() string { return safePath(c.Resource) }

// safePath keeps the characters of a path that paste anywhere.
func safePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/-_.{}+", r) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// quoteList renders items as "a", "b".
func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = `"` + s + `"`
	}
	return strings.Join(q, ", ")
}

// fixBuilder renders one form of one cause's fix.
type fixBuilder struct {
	Format Format
	Title  string
	Build  func(c FixContext) string
}

var fixBuilders = map[cors.Code][]fixBuilder{}

func addFixes(code cors.Code, fbs ...fixBuilder) {
	fixBuilders[code] = append(fixBuilders[code], fbs...)
}

// Fixes returns every form of the fix for code, filled from ctx. A code
// with no platform fix returns nil.
func Fixes(code cors.Code, ctx FixContext) []Fix {
	var out []Fix
	for _, b := range fixBuilders[code] {
		out = append(out, Fix{Format: b.Format, Title: b.Title, Snippet: strings.TrimLeft(b.Build(ctx), "\n")})
	}
	return out
}

// FormatsFor lists the forms available for code.
func FormatsFor(code cors.Code) []Format {
	var out []Format
	for _, b := range fixBuilders[code] {
		out = append(out, b.Format)
	}
	return out
}

// ExampleContext is the context `corsdiag explain` fills snippets with
// when there is no exchange.
func ExampleContext() FixContext { return newFixContext(nil, nil) }

// pickFixes chooses the forms shown for code: the requested one, every
// one for "all", or the platform's default (else the first registered).
func pickFixes(code cors.Code, prefer []Format, want string, ctx FixContext) (chosen []Fix, note string) {
	fixes := Fixes(code, ctx)
	if len(fixes) == 0 {
		return nil, ""
	}
	// A list ("sam,cloudformation") is an order of preference: lint asks
	// for the template's own form, then the forms that also fit it.
	if first, rest, ok := strings.Cut(want, ","); ok {
		for _, w := range append([]string{first}, strings.Split(rest, ",")...) {
			for _, x := range fixes {
				if string(x.Format) == strings.TrimSpace(w) {
					return []Fix{x}, ""
				}
			}
		}
		want = first
	}
	f, err := ParseFormat(want)
	if err != nil {
		f = ""
	}
	if f == FormatAll {
		return fixes, ""
	}
	if f != "" {
		for _, x := range fixes {
			if x.Format == f {
				return []Fix{x}, ""
			}
		}
		note = "no " + string(f) + " form for this cause; showing " // completed below
	}
	pick := fixes[0]
preferred:
	for _, def := range prefer {
		for _, x := range fixes {
			if x.Format == def {
				pick = x
				break preferred
			}
		}
	}
	if note != "" {
		note += string(pick.Format)
	}
	return []Fix{pick}, note
}

// preferredFormats lists default forms in order: the finding's platform,
// then the other platforms recognised, innermost first (a proxy
// integration's fix belongs to the Express app behind API Gateway).
func (a *analysis) preferredFormats(platformID string) []Format {
	out := []Format{platforms[platformID].DefaultFix}
	var ids []string
	for id := range a.detected {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if platforms[ids[i]].Tier != platforms[ids[j]].Tier {
			return platforms[ids[i]].Tier > platforms[ids[j]].Tier
		}
		return ids[i] < ids[j]
	})
	for _, id := range ids {
		out = append(out, platforms[id].DefaultFix)
	}
	return out
}

// fixText is the Fix field of a platform finding: the cause's one-line
// fix, then the chosen snippet(s), then the other forms available.
func (a *analysis) fixText(code cors.Code, platformID, summary string) string {
	chosen, note := pickFixes(code, a.preferredFormats(platformID), a.in.FixFormat, *a.fixContext())
	var b strings.Builder
	b.WriteString(summary)
	if note != "" {
		b.WriteString("\n(" + note + ")")
	}
	if a.obs.req.Origin == "null" {
		// The fixes never write null into an allow-list: every file: page
		// and sandboxed iframe of any site sends it.
		b.WriteString("\n(The page's origin is null: it was opened as a file: or runs in a sandboxed iframe. Serve it from a real origin, such as a local dev server at http://localhost:PORT; " +
			pageOrigin(nil) + " below stands for that origin. Never allow null.)")
	}
	shown := map[Format]bool{}
	for _, f := range chosen {
		converted := false
		if a.in.OpenAPIInHCL && f.Format == FormatOpenAPI {
			// --fix-format openapi (the YAML) and terraform (separate
			// resources) both stay other forms.
			f, converted = inJSONEncode(f)
		}
		if !converted {
			shown[f.Format] = true
		}
		b.WriteString("\n\n[" + string(f.Format) + "] " + f.Title + "\n")
		b.WriteString(strings.TrimRight(f.Snippet, "\n"))
	}
	var others []string
	for _, f := range FormatsFor(code) {
		if !shown[f] {
			others = append(others, string(f))
		}
	}
	if len(others) > 0 {
		sort.Strings(others)
		b.WriteString("\n\nOther forms: --fix-format " + strings.Join(others, "|") + " (or all); corsdiag explain " + string(code))
	}
	return b.String()
}
