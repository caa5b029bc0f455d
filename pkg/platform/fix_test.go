package platform

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
	"go.yaml.in/yaml/v3"
	"mvdan.cc/sh/v3/syntax"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/nginxtest"
)

// fixContexts cover the shapes snippets must survive: one header or many,
// credentials or not, names from the URL or placeholders.
func fixContexts() map[string]FixContext {
	plain := ExampleContext()
	rich := ExampleContext()
	rich.Origin = "https://shop.example.co.uk:8443"
	rich.Method = "PATCH"
	rich.Methods = []string{"PATCH", "OPTIONS"}
	rich.Headers = []string{"authorization", "content-type", "x-request-id"}
	rich.Credentials = true
	rich.APIID, rich.Region, rich.Stage, rich.Resource = "abc123defg", "eu-west-1", "prod", "/orders/{id}"
	rich.Bucket, rich.Host = "my-bucket", "api.example.com"
	rich.GatewayResponses = []string{"UNAUTHORIZED", "INTEGRATION_TIMEOUT"}
	// Where a configuration exists, snippets add slots and notes for it.
	return map[string]FixContext{"placeholders": plain, "credentials+headers": rich, "existing": existingContext(true)}
}

func everyFix(t *testing.T, visit func(t *testing.T, code cors.Code, f Fix, ctx FixContext)) {
	t.Helper()
	if len(fixBuilders) == 0 {
		t.Fatal("no fixes registered")
	}
	for code := range fixBuilders {
		for name, ctx := range fixContexts() {
			for _, f := range Fixes(code, ctx) {
				t.Run(string(code)+"/"+string(f.Format)+"/"+name, func(t *testing.T) { visit(t, code, f, ctx) })
			}
		}
	}
}

// everyFixOf visits the fixes in formats only, and fails for a format of
// which no fix was visited: a renamed or dropped format must not turn its
// parse check into a pass over nothing.
func everyFixOf(t *testing.T, formats []Format, visit func(t *testing.T, code cors.Code, f Fix, ctx FixContext)) {
	t.Helper()
	seen := map[Format]int{}
	for _, f := range formats {
		seen[f] = 0
	}
	everyFix(t, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		if _, ok := seen[f.Format]; !ok {
			return
		}
		seen[f.Format]++
		visit(t, code, f, ctx)
	})
	for _, f := range formats {
		if seen[f] == 0 {
			t.Errorf("no %s fix was checked", f)
		}
	}
}

func TestEveryCodeHasFixesAndRegisteredFormats(t *testing.T) {
	known := map[Format]bool{}
	for _, f := range allFormats {
		known[f] = true
	}
	for code := range fixBuilders {
		if _, ok := cors.Lookup(code); !ok {
			t.Errorf("%s has fixes but is not registered", code)
		}
		for _, f := range FormatsFor(code) {
			if !known[f] {
				t.Errorf("%s: unknown format %s", code, f)
			}
		}
	}
	for _, code := range platformCodes() {
		if len(fixBuilders[code]) == 0 {
			t.Errorf("%s has no fix", code)
		}
	}
}

// platformCodes lists the codes this package registers.
func platformCodes() []cors.Code {
	var out []cors.Code
	for _, in := range cors.Codes() {
		if _, ok := fixBuilders[in.Code]; ok {
			out = append(out, in.Code)
		}
	}
	return out
}

func TestFixSnippetsCarryTheRequest(t *testing.T) {
	everyFix(t, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		if strings.TrimSpace(f.Snippet) == "" || f.Title == "" {
			t.Fatal("empty fix")
		}
		if strings.Contains(f.Snippet, "https://app.example.com") && !strings.Contains(f.Snippet, ctx.Origin) {
			t.Errorf("snippet uses the example origin, not the context's:\n%s", f.Snippet)
		}
	})
	// The forms that set headers name the real origin and headers.
	ctx := fixContexts()["credentials+headers"]
	for _, code := range []cors.Code{CodeAPIGWNoOptionsMethod, CodeHTTPAPINotConfigured, CodeS3CORSNotEnabled, CodeStaticOptions405, CodeMiddlewareOrder} {
		for _, f := range Fixes(code, ctx) {
			if f.Format == FormatConsole {
				continue
			}
			// Apache's SetEnvIf holds the origin as a regular expression.
			if !strings.Contains(strings.ReplaceAll(f.Snippet, `\.`, "."), ctx.Origin) {
				t.Errorf("%s/%s lacks the origin %s:\n%s", code, f.Format, ctx.Origin, f.Snippet)
			}
			if !strings.Contains(f.Snippet, "x-request-id") {
				t.Errorf("%s/%s lacks the header x-request-id:\n%s", code, f.Format, f.Snippet)
			}
		}
	}
}

var yamlFormats = map[Format]bool{FormatCloudFormation: true, FormatSAM: true, FormatServerless: true, FormatKong: true, FormatEnvoy: true, FormatIstio: true, FormatOpenAPI: true}
var jsonFormats = map[Format]bool{FormatVercel: true, FormatFirebase: true}
var shellFormats = map[Format]bool{FormatAWSCLI: true, FormatGcloud: true, FormatAzureCLI: true}

func formatsIn(sets ...map[Format]bool) []Format {
	var out []Format
	for _, set := range sets {
		for f := range set {
			out = append(out, f)
		}
	}
	return out
}

func TestYAMLAndJSONSnippetsParse(t *testing.T) {
	everyFixOf(t, append(formatsIn(yamlFormats, jsonFormats), FormatAzurePolicy), func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		switch {
		case yamlFormats[f.Format]:
			var n yaml.Node // CloudFormation tags (!Ref, !Sub) are kept as node tags
			if err := yaml.Unmarshal([]byte(f.Snippet), &n); err != nil {
				t.Fatalf("YAML: %v\n%s", err, f.Snippet)
			}
			if n.Kind != yaml.DocumentNode || len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
				t.Fatalf("YAML is not a mapping:\n%s", f.Snippet)
			}
		case jsonFormats[f.Format]:
			var v any
			if err := json.Unmarshal([]byte(f.Snippet), &v); err != nil {
				t.Fatalf("JSON: %v\n%s", err, f.Snippet)
			}
		case f.Format == FormatAzurePolicy:
			d := xml.NewDecoder(strings.NewReader(f.Snippet))
			for {
				_, err := d.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("XML: %v\n%s", err, f.Snippet)
				}
			}
		}
	})
}

func TestTerraformSnippetsParse(t *testing.T) {
	everyFixOf(t, []Format{FormatTerraform}, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		_, diags := hclparse.NewParser().ParseHCL([]byte(f.Snippet), string(code)+".tf")
		if diags.HasErrors() {
			t.Fatalf("HCL: %s\n%s", diags.Error(), f.Snippet)
		}
	})
}

// TestShellSnippetsParse parses CLI snippets as shell and checks every JSON
// they carry: heredocs written to *.json and quoted {…} or […] arguments.
func TestShellSnippetsParse(t *testing.T) {
	everyFixOf(t, formatsIn(shellFormats), func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		file, err := syntax.NewParser().Parse(strings.NewReader(f.Snippet), "")
		if err != nil {
			t.Fatalf("shell: %v\n%s", err, f.Snippet)
		}
		syntax.Walk(file, func(n syntax.Node) bool {
			switch n := n.(type) {
			case *syntax.Redirect:
				if n.Hdoc != nil && n.Word != nil && strings.HasSuffix(n.Word.Lit(), ".json") {
					checkJSON(t, hdocText(f.Snippet, n))
				}
			case *syntax.SglQuoted:
				if v := strings.TrimSpace(n.Value); strings.HasPrefix(v, "{") && !strings.HasPrefix(v, "{[") || strings.HasPrefix(v, "[") {
					if !strings.Contains(v, "items[?") && !strings.HasPrefix(v, "{deployment") && !strings.HasPrefix(v, ".Distribution") {
						checkJSON(t, v)
					}
				}
			}
			return true
		})
	})
}

func hdocText(src string, r *syntax.Redirect) string {
	return src[r.Hdoc.Pos().Offset():r.Hdoc.End().Offset()]
}

func checkJSON(t *testing.T, s string) {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Errorf("JSON in shell snippet: %v\n%s", err, s)
	}
}

// TestShellSnippetsQuoteTheOrigin: a page on a bracketed IPv6 origin
// (http://[::1]:8080, a local dev server) puts brackets in the origin; left
// unquoted in a shell word, [::1] is a glob pattern, which the shell may
// expand to a file name or, with failglob, refuse. Every origin a shell
// snippet passes as a word is quoted.
func TestShellSnippetsQuoteTheOrigin(t *testing.T) {
	const origin = "http://[::1]:8080"
	ctx := existingContext(true)
	ctx.Origin, ctx.Host = origin, "myapp.azurewebsites.net"
	n := 0
	for code := range fixBuilders {
		for _, f := range Fixes(code, ctx) {
			if !shellFormats[f.Format] || !strings.Contains(f.Snippet, origin) {
				continue
			}
			n++
			file, err := syntax.NewParser().Parse(strings.NewReader(f.Snippet), "")
			if err != nil {
				t.Fatalf("%s/%s: %v\n%s", code, f.Format, err, f.Snippet)
			}
			syntax.Walk(file, func(node syntax.Node) bool {
				if r, ok := node.(*syntax.Redirect); ok && r.Hdoc != nil {
					return false // a quoted here-document's text is no shell word
				}
				if w, ok := node.(*syntax.Word); ok {
					for _, p := range w.Parts {
						if l, ok := p.(*syntax.Lit); ok && strings.Contains(l.Value, "[::1]") {
							t.Errorf("%s/%s: the origin is an unquoted shell word (a glob): %s\n%s", code, f.Format, l.Value, f.Snippet)
						}
					}
				}
				return true
			})
		}
	}
	if n == 0 {
		t.Fatal("no shell snippet carries the origin")
	}
}

func TestGoSnippetsParse(t *testing.T) {
	everyFixOf(t, []Format{FormatGo}, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		src := "package p\n\nimport \"net/http\"\n\nvar _ = http.StatusOK\n\n" + f.Snippet + "\n"
		if _, err := parser.ParseFile(token.NewFileSet(), "fix.go", src, parser.AllErrors); err != nil {
			t.Fatalf("Go: %v\n%s", err, src)
		}
	})
}

// TestBracketsBalance is the check for forms without a parser here (JS,
// Java, C#, Apache): brackets and quotes balance.
func TestBracketsBalance(t *testing.T) {
	everyFixOf(t, []Format{FormatCDK, FormatLambda, FormatExpress, FormatSpring, FormatASPNet, FormatCloudflare}, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		var stack []rune
		pairs := map[rune]rune{')': '(', ']': '[', '}': '{'}
		for _, r := range f.Snippet {
			switch r {
			case '(', '[', '{':
				stack = append(stack, r)
			case ')', ']', '}':
				if len(stack) == 0 || stack[len(stack)-1] != pairs[r] {
					t.Fatalf("unbalanced %q:\n%s", r, f.Snippet)
				}
				stack = stack[:len(stack)-1]
			}
		}
		if len(stack) != 0 {
			t.Fatalf("unclosed %q:\n%s", string(stack), f.Snippet)
		}
	})
}

// TestCSharpParamsCalls: C# binds a params string[] argument either to one
// array or to separate strings, never both (CS1503), so a CorsPolicyBuilder
// call holding the user's origin array takes no literal beside it: a
// second WithOrigins call adds them (WithOrigins appends to the policy).
func TestCSharpParamsCalls(t *testing.T) {
	call := regexp.MustCompile(`\.?With(?:Origins|Methods|Headers|ExposedHeaders)\(([^()]*)\)`)
	literal := regexp.MustCompile(`^"[^"]*"$`)
	ident := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*$`)
	comment := regexp.MustCompile(`/\*.*?\*/`)
	n := 0
	for _, ctx := range []FixContext{ExampleContext(), existingContext(true), existingContext(false), fixContexts()["credentials+headers"]} {
		for code := range fixBuilders {
			for _, f := range Fixes(code, ctx) {
				if f.Format != FormatASPNet {
					continue
				}
				for _, m := range call.FindAllStringSubmatch(f.Snippet, -1) {
					n++
					args := strings.Split(comment.ReplaceAllString(m[1], ""), ",")
					lits, idents := 0, 0
					for _, a := range args {
						switch a = strings.TrimSpace(a); {
						case literal.MatchString(a):
							lits++
						case ident.MatchString(a):
							idents++
						default:
							t.Errorf("%s: argument %q of %s is neither a string nor an array", code, a, m[0])
						}
					}
					if idents > 1 || idents == 1 && lits > 0 {
						t.Errorf("%s %q: %s mixes an array with strings in one params call, which does not compile (CS1503):\n%s", code, f.Title, m[0], f.Snippet)
					}
				}
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d CorsPolicyBuilder calls checked", n)
	}
}

// TestNginxSnippetsPassNginxT runs `nginx -t` on every nginx snippet inside
// a minimal server block. It skips (saying so) without nginx, and fails
// then when CORSDIAG_NGINX_TESTS=require.
func TestNginxSnippetsPassNginxT(t *testing.T) {
	nginx := nginxtest.Binary(t, "nginx snippets not checked")
	everyFixOf(t, []Format{FormatNginx}, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		// The location comes from the request's path: every shape of it
		// must still parse.
		for _, path := range []string{"/", "/items", "/api/items", "/api/", "/a b/c", "/{x}/y", "/../x"} {
			ctx.Path = path
			checked := 0
			for _, pf := range Fixes(code, ctx) {
				if pf.Format == FormatNginx && pf.Title == f.Title {
					if editsInPlace(pf.Snippet) {
						// A command that edits the user's file: run on
						// fixtures by TestAlwaysEditsKeepValues.
						checked++
						continue
					}
					nginxT(t, nginx, pf.Snippet)
					checked++
				}
			}
			if checked == 0 {
				t.Fatalf("path %q: no nginx snippet titled %q", path, f.Title)
			}
		}
	})
}

// nginxT runs `nginx -t` on snippet inside a minimal server block; what
// comes before its first location (a map) goes in the http block, as the
// snippet says.
func nginxT(t *testing.T, nginx, snippet string) {
	t.Helper()
	dir := t.TempDir()
	httpLevel := ""
	if i := strings.Index(snippet, "\nlocation "); i >= 0 && strings.Contains(snippet[:i], "map ") {
		httpLevel, snippet = snippet[:i], snippet[i:]
	}
	conf := `pid nginx.pid;
error_log stderr;
events {}
http {
    access_log off;
    client_body_temp_path tmp; proxy_temp_path tmp; fastcgi_temp_path tmp; uwsgi_temp_path tmp; scgi_temp_path tmp;
` + httpLevel + `
    server {
        listen 127.0.0.1:8080;
` + snippet + `
    }
}
`
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(nginx, "-t", "-q", "-c", path, "-p", dir, "-e", "stderr").CombinedOutput()
	if err != nil {
		t.Fatalf("nginx -t: %v\n%s\n%s", err, out, conf)
	}
}

func TestNginxLocation(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"", "/"},
		{"/", "/"},
		{"/items", "= /items"},
		{"/api/items", "/api/"},
		{"/api/", "/api/"},
		{"/api/v1/items/42", "/api/"},
		{"/data.json", "= /data.json"},
		{"//x", "/"},
		{"/../etc", "/"},
		{"/a b/c", "/"},
		{"/{x};/y", "/"},
		{"/~user/x", "/"},
	} {
		if got := nginxLocation(tc.path); got != tc.want {
			t.Errorf("nginxLocation(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Format
		ok   bool
	}{{"", "", true}, {"all", FormatAll, true}, {"AWS-CLI", FormatAWSCLI, true}, {" terraform ", FormatTerraform, true}, {"yaml", "", false}} {
		got, err := ParseFormat(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseFormat(%q) = %q, %v", tc.in, got, err)
		}
	}
}

func TestPickFixes(t *testing.T) {
	ctx := ExampleContext()
	all, _ := pickFixes(CodeAPIGWNoOptionsMethod, nil, "all", ctx)
	if len(all) != len(FormatsFor(CodeAPIGWNoOptionsMethod)) || len(all) < 7 {
		t.Errorf("all: %d forms", len(all))
	}
	one, note := pickFixes(CodeAPIGWNoOptionsMethod, []Format{FormatAWSCLI}, "", ctx)
	if len(one) != 1 || one[0].Format != FormatAWSCLI || note != "" {
		t.Errorf("default: %+v %q", one, note)
	}
	fallback, note := pickFixes(CodeAPIGWNoOptionsMethod, []Format{FormatAWSCLI}, "nginx", ctx)
	if len(fallback) != 1 || fallback[0].Format != FormatAWSCLI || !strings.Contains(note, "no nginx form") {
		t.Errorf("fallback: %+v %q", fallback, note)
	}
}

// The page's origin comes from the request: from a HAR file someone sent,
// anything url.Parse takes as a host ($ ( ) ' " ; & all pass). Snippets
// paste it into shell commands (Azure's --query "…'ORIGIN'…"), JSON and
// code: one that is no plain origin must not reach them, or pasting the fix
// runs the file's $(…). A plain one, IPv6 and port included, stays.
func TestFixContextOriginIsPasteable(t *testing.T) {
	tests := []struct{ origin, want string }{
		{"https://a$(id).example.com", "https://app.example.com"},
		{"https://x';id;'.example.com", "https://app.example.com"},
		{`https://x"&id&".example.com`, "https://app.example.com"},
		{"https://admin.example.com:8443", "https://admin.example.com:8443"},
		{"http://[::1]:3000", "http://[::1]:3000"},
		{"http://localhost:5173", "http://localhost:5173"},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			ex := &cors.Exchange{Request: cors.Request{Method: "GET", URL: "https://contoso.azurewebsites.net/items", Origin: tt.origin}}
			c := ContextFor(ex, nil)
			if c.Origin != tt.want {
				t.Errorf("fix context origin %q, want %q", c.Origin, tt.want)
			}
			if tt.want == tt.origin {
				return
			}
			for code := range fixBuilders {
				for _, f := range Fixes(code, c) {
					if strings.Contains(f.Snippet, tt.origin[len("https://"):]) {
						t.Errorf("%s %s pastes the request's origin:\n%s", code, f.Format, f.Snippet)
					}
				}
			}
		})
	}
}

// An authorizer on $default or an ANY route takes an HTTP API's preflight
// (401/403) whatever its CORS configuration: every form of the fix adds the
// OPTIONS /{proxy+} route without authorization; without that refusal, none.
func TestHTTPAPIFixesAddTheOptionsRoute(t *testing.T) {
	for _, tt := range []struct {
		status int
		want   bool
	}{{401, true}, {403, true}, {404, false}, {0, false}} {
		ctx := fixContexts()["credentials+headers"]
		ctx.Preflight.Status = tt.status
		for _, f := range Fixes(CodeHTTPAPINotConfigured, ctx) {
			if got := strings.Contains(f.Snippet, "/{proxy+}"); got != tt.want {
				t.Errorf("preflight %d, %s: OPTIONS /{proxy+} route %v, want %v:\n%s", tt.status, f.Format, got, tt.want, f.Snippet)
			}
			if yamlFormats[f.Format] {
				var n yaml.Node
				if err := yaml.Unmarshal([]byte(f.Snippet), &n); err != nil {
					t.Errorf("preflight %d, %s: not YAML: %v\n%s", tt.status, f.Format, err, f.Snippet)
				}
			}
		}
	}
}

// TestOpenAPIMappingsAreDeclared: API Gateway imports an OpenAPI document
// only when every method.response.header.NAME an integration response maps
// is a header of the operation's response for that status; the fragments
// declare each header they map.
func TestOpenAPIMappingsAreDeclared(t *testing.T) {
	type operation struct {
		Responses map[string]struct {
			Headers map[string]any `yaml:"headers"`
		} `yaml:"responses"`
		Integration *struct {
			Responses map[string]struct {
				StatusCode         string            `yaml:"statusCode"`
				ResponseParameters map[string]string `yaml:"responseParameters"`
			} `yaml:"responses"`
		} `yaml:"x-amazon-apigateway-integration"`
	}
	n := 0
	everyFixOf(t, []Format{FormatOpenAPI}, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		var doc struct {
			Paths map[string]map[string]operation `yaml:"paths"`
		}
		if err := yaml.Unmarshal([]byte(f.Snippet), &doc); err != nil {
			t.Fatalf("YAML: %v", err)
		}
		for path, ops := range doc.Paths {
			for method, op := range ops {
				if op.Integration == nil {
					continue
				}
				for key, r := range op.Integration.Responses {
					for param := range r.ResponseParameters {
						name, ok := strings.CutPrefix(param, "method.response.header.")
						if !ok {
							continue
						}
						n++
						if _, declared := op.Responses[r.StatusCode].Headers[name]; !declared {
							t.Errorf("%s %s: integration response %s maps %s, which the %s response does not declare:\n%s",
								method, path, key, name, r.StatusCode, f.Snippet)
						}
					}
				}
			}
		}
	})
	if n == 0 {
		t.Fatal("no mapping checked")
	}
}

// TestHostileRequestValuesNeverReachSnippets: the API id a request's
// x-apigw-api-id header names and the request's method are tokens, and a
// token may hold ` & | ' $ (RFC 9110 tchar): from a HAR file or a pasted
// command they would run in the shell snippets (API_ID=a`id`, --http-method
// G|sh), and a header name breaks a snippet's quotes. They reach a snippet
// only as plain names; else the placeholder, or nothing.
func TestHostileRequestValuesNeverReachSnippets(t *testing.T) {
	tests := []struct {
		name, apiID, method string
	}{
		{"backquotes in the API id", "a1b2`id`c3", "PUT"},
		{"background in the API id", "a1b2c3d4e5&reboot", "PUT"},
		{"a variable in the API id", "$HOME", "PUT"},
		{"backquotes in the method", "a1b2c3d4e5", "PU`id`T"},
		{"a pipe in the method", "a1b2c3d4e5", "PUT|sh"},
		{"a quote in the method", "a1b2c3d4e5", "PU'T"},
		{"backquotes in a request header's name", "a1b2c3d4e5", "PUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := "https://api.example.com/prod/items"
			h := http.Header{"X-Apigw-Api-Id": {tt.apiID}, "Content-Type": {"application/json"}, "X-A`id`": {"1"}}
			ex := &cors.Exchange{
				Request: cors.Request{Method: tt.method, URL: url, Origin: "https://app.example.com", Header: h},
				Actual: []cors.Hop{{Request: cors.Message{Method: tt.method, URL: url, Header: h},
					Response: &cors.Message{Status: 403, Header: http.Header{"x-amzn-ErrorType": {"ForbiddenException"}}}}},
			}
			ctx := ContextFor(ex, cors.Evaluate(ex))
			for _, in := range cors.Codes() {
				for _, f := range Fixes(in.Code, ctx) {
					for _, bad := range []string{tt.apiID, tt.method, "`id`"} {
						if bad != "a1b2c3d4e5" && bad != "PUT" && strings.Contains(f.Snippet, bad) {
							t.Errorf("%s/%s holds %q from the request:\n%s", in.Code, f.Format, bad, f.Snippet)
						}
					}
				}
			}
		})
	}
}

// TestNginxIfBlocksOnlyReturn: an `if` in a location that matches makes
// the request run in the if block's own configuration, which drops the
// location's try_files (nginx's "If is Evil": only return and rewrite ...
// last are safe there). A static site's try_files $uri /index.html then
// answers 404 to exactly the pages whose origin matched. So an nginx fix
// uses `if` only to return (the preflight's 204), and a map for origins.
func TestNginxIfBlocksOnlyReturn(t *testing.T) {
	ifBlock := regexp.MustCompile(`(?s)\bif \([^)]*\) \{(.*?)\}`)
	n := 0
	everyFixOf(t, []Format{FormatNginx}, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		for _, m := range ifBlock.FindAllStringSubmatch(f.Snippet, -1) {
			n++
			if !strings.Contains(m[1], "return ") {
				t.Errorf("%s: an if block that does not return (it drops the location's try_files when it matches): %s\n%s", code, m[0], f.Snippet)
			}
		}
	})
	if n == 0 {
		t.Fatal("no if block checked")
	}
}

// TestForbiddenBeforeRoutingDomainStep: the custom-domain step names the
// URL's host, a placeholder when the host is unknown (never an empty
// ” argument), and is dropped for the API's own execute-api host.
func TestForbiddenBeforeRoutingDomainStep(t *testing.T) {
	tests := []struct {
		host      string
		want      []string
		wantNever []string
	}{
		{"", []string{"--domain-name YOUR_DOMAIN", "Custom domain names → YOUR_DOMAIN →"}, []string{"''", "→  →"}},
		{"api.example.com", []string{"--domain-name api.example.com", "Custom domain names → api.example.com →"}, nil},
		{"abcde12345.execute-api.eu-west-1.amazonaws.com", []string{"none, the URL is the API's own execute-api host"},
			[]string{"get-base-path-mappings"}},
	}
	for _, tt := range tests {
		c := ExampleContext()
		c.Host = tt.host
		var all strings.Builder
		for _, f := range Fixes(CodeAPIGWForbiddenAll, c) {
			all.WriteString(f.Snippet + "\n")
		}
		for _, w := range tt.want {
			if !strings.Contains(all.String(), w) {
				t.Errorf("host %q: fixes lack %q:\n%s", tt.host, w, &all)
			}
		}
		for _, w := range tt.wantNever {
			if strings.Contains(all.String(), w) {
				t.Errorf("host %q: fixes hold %q:\n%s", tt.host, w, &all)
			}
		}
	}
}
