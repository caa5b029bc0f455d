package cli

import (
	"bytes"
	"cmp"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// lintArgs reads a fixture's first line, "# lint: ARGS", into arguments
// (single quotes group words).
func lintArgs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	rest, ok := strings.CutPrefix(first, "# lint: ")
	if !ok {
		rest = "--origin https://app.example.com"
	}
	var args []string
	var cur strings.Builder
	quoted, any := false, false
	for _, r := range rest {
		switch {
		case r == '\'':
			quoted, any = !quoted, true
		case r == ' ' && !quoted:
			if any {
				args = append(args, cur.String())
				cur.Reset()
				any = false
			}
		default:
			cur.WriteRune(r)
			any = true
		}
	}
	if any {
		args = append(args, cur.String())
	}
	return args
}

var reWant = regexp.MustCompile(`# want: ([a-z0-9-]+)`)

// wants are the "# want: CODE" markers: the code must be reported on that line.
func wants(t *testing.T, path string) map[int]string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]string{}
	for i, line := range strings.Split(string(data), "\n") {
		if m := reWant.FindStringSubmatch(line); m != nil {
			out[i+1] = m[1]
		}
	}
	return out
}

type lintJSON struct {
	Verdict  string `json:"verdict"`
	Findings []struct {
		Code     string `json:"code"`
		Severity string `json:"severity"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		Route    string `json:"route"`
		Fix      string `json:"fix"`
	} `json:"findings"`
	Routes []struct {
		Route     string          `json:"route"`
		Predicted json.RawMessage `json:"predicted"`
	} `json:"routes"`
}

func runLintJSON(t *testing.T, args ...string) (lintJSON, int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(append([]string{"lint", "-o", "json"}, args...), &IO{Out: &out, Err: &errb, Getenv: func(string) string { return "" }})
	var got lintJSON
	if code < 2 {
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out.String())
		}
	}
	return got, code, errb.String()
}

// Each mistake of the AWS guide, written into a template, gets the code
// check gives for the deployed API, on the line marked "# want:".
func TestLintMistakes(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/lint/mistakes/*")
	if len(files) < 8 {
		t.Fatalf("only %d mistake fixtures", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want := wants(t, f)
			if len(want) == 0 {
				t.Fatal("fixture has no # want: marker")
			}
			got, code, stderr := runLintJSON(t, append([]string{f}, lintArgs(t, f)...)...)
			for line, c := range want {
				found := false
				for _, x := range got.Findings {
					if x.Code == c && x.Line == line {
						found = true
					}
				}
				if !found {
					t.Errorf("no %s at line %d; findings: %+v", c, line, got.Findings)
				}
			}
			blocking := false
			for _, x := range got.Findings {
				blocking = blocking || x.Severity == "error"
			}
			if blocking && code != ExitBlocked || !blocking && code != ExitAllowed {
				t.Errorf("exit %d with blocking=%v (%s)", code, blocking, stderr)
			}
		})
	}
}

// Templates that are right get no error.
func TestLintRight(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/lint/right/*")
	if len(files) < 4 {
		t.Fatalf("only %d right fixtures", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			got, code, stderr := runLintJSON(t, append([]string{f}, lintArgs(t, f)...)...)
			if code != ExitAllowed || got.Verdict != "allowed" {
				t.Errorf("exit %d, verdict %s (%s)", code, got.Verdict, stderr)
			}
			if len(got.Routes) == 0 {
				t.Error("no route predicted")
			}
			for _, x := range got.Findings {
				if x.Severity == "error" {
					t.Errorf("error %s at %d:%d (%s)", x.Code, x.Line, x.Column, x.Route)
				}
			}
		})
	}
}

func TestLintBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("Resources:\n  A: [\n"), 0o644)
	notTemplate := filepath.Join(dir, "x.yaml")
	os.WriteFile(notTemplate, []byte("hello: world\n"), 0o644)
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no origin", []string{"../../testdata/lint/right/s3-uploads.yaml"}, "--origin is required"},
		{"no file", []string{"--origin", "https://app.example.com"}, "at least one template"},
		{"missing file", []string{filepath.Join(dir, "nope.yaml"), "--origin", "https://a.example"}, "nope.yaml"},
		{"syntax", []string{bad, "--origin", "https://a.example"}, "bad.yaml:2"},
		{"not a template", []string{notTemplate, "--origin", "https://a.example"}, "not a CloudFormation"},
		{"bad route", []string{"../../testdata/lint/right/s3-uploads.yaml", "--origin", "https://a.example", "--route", "items"}, "METHOD /path"},
		{"bad output", []string{"../../testdata/lint/right/s3-uploads.yaml", "--origin", "https://a.example", "-o", "xml"}, "text, json or sarif"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, code, stderr := runLintJSON(t, tt.args...)
			if code != ExitUsage || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.msg)
			}
		})
	}
}

// --route picks routes; a route the template lacks is still predicted.
func TestLintRoute(t *testing.T) {
	f := "../../testdata/lint/right/sam-right.yaml"
	got, _, _ := runLintJSON(t, f, "--origin", "https://app.example.com", "--route", "PUT /items/{id}")
	if len(got.Routes) != 1 || got.Routes[0].Route != "PUT /items/{id}" {
		t.Fatalf("routes = %+v", got.Routes)
	}
	got, code, _ := runLintJSON(t, f, "--origin", "https://app.example.com", "--route", "DELETE /orders", "-H", "Content-Type: application/json")
	if code != ExitBlocked {
		t.Fatalf("a route the API lacks: exit %d", code)
	}
	has := false
	for _, x := range got.Findings {
		has = has || x.Code == "apigw-no-options-method"
	}
	if !has {
		t.Errorf("DELETE /orders: findings %+v", got.Findings)
	}
}

// The outputs of lint for broken SAM templates: the three for one, the
// text for an HTTP API whose AllowOrigins holds the page's origin with
// its default port (the entry named, the list fixed), and the text for an
// HTTP API whose whole CorsConfiguration is known only at deploy time (a
// warning, no verdict, no fix).
func TestLintGolden(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		args    []string
		formats []string
		dir     string // "" for testdata/lint/mistakes
		allowed bool   // exit ExitAllowed, not ExitBlocked
	}{
		{"sam-auth-on-options", []string{"--origin", "https://app.example.com"}, []string{"text", "json", "sarif"}, "", false},
		{"sam-http-api-origin-default-port", nil, []string{"text"}, "", false},
		{"sam-http-api-cors-deploy-time", nil, []string{"text"}, "../iac/testdata/", true},
	} {
		f := cmp.Or(tc.dir, "../../testdata/lint/mistakes/") + tc.fixture + ".yaml"
		args := tc.args
		if args == nil {
			args = lintArgs(t, f)
		}
		for _, format := range tc.formats {
			t.Run(tc.fixture+"/"+format, func(t *testing.T) {
				io, out, _ := fakeIO(nil)
				code := Main(append([]string{"lint", f, "-o", format}, args...), io)
				want := ExitBlocked
				if tc.allowed {
					want = ExitAllowed
				}
				if code != want {
					t.Errorf("exit %d, want %d", code, want)
				}
				assertGolden(t, "lint-"+tc.fixture+"."+format, out.Bytes())
			})
		}
	}
}

// What a template could not show is said in every output, with its line.
func TestLintTemplateWarnings(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "main.tf")
	os.WriteFile(f, []byte("resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = var.spec\n}\n"), 0o644)
	want := f + ":2: body: not known before deploy"
	tests := []struct {
		format string
		want   string
	}{
		{"text", f + ":2: warning: body: not known before deploy"},
		{"text", "0 error(s), 0 warning(s); 1 part(s) of the templates not read (warnings above)\n"},
		{"json", `"warnings": [` + "\n        " + `"` + want},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			io, out, _ := fakeIO(nil)
			if code := Main([]string{"lint", f, "--origin", "https://app.example.com", "-o", tt.format}, io); code != ExitAllowed {
				t.Errorf("exit %d", code)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, out.String())
			}
		})
	}
}

// A Terraform REST API defined by its body is fixed in the body first (in
// HCL when the body is written inline, in YAML for the file it reads); an
// HTTP API's CORS is fixed in its cors_configuration block, which the
// provider applies over the body's. --fix-format keeps its meaning.
func TestLintTerraformBodyFixForm(t *testing.T) {
	const (
		hclFirst = "[terraform] an options operation with a MOCK integration, inside the body's jsonencode({...}) (API Gateway OpenAPI)\n# Merge into the document: options goes under the path's entry, beside its other\n# operations (a second paths key would replace the first, with every route in it).\npaths = {\n  \"/items\" = {\n    options = {\n      security = []\n"
		// terraform-body-no-options.tf's API, its body in a file.
		openapiFile = "openapi: 3.0.1\npaths:\n  /items:\n    put:\n      x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: arn}\n"
		yamlFirst   = "[openapi] an options operation with a MOCK integration (API Gateway OpenAPI)\n# Merge into the document: options goes under the path's entry, beside its other\n# operations (a second paths key would replace the first, with every route in it).\npaths:\n  /items:\n    options:\n      security: []\n"
	)
	api := func(body string) string {
		return "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = " + body + "\n}\n"
	}
	dir := t.TempDir()
	for name, text := range map[string]string{
		"file.tf":         api(`file("openapi.yaml")`),
		"templatefile.tf": api(`templatefile("openapi.yaml", {})`),
		"yamldecode.tf":   api(`jsonencode(yamldecode(file("openapi.yaml")))`),
		"openapi.yaml":    openapiFile,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mistakes := "../../testdata/lint/mistakes/"
	tests := []struct {
		name, file, code, first string
		args                    []string
	}{
		{"inline body: HCL", mistakes + "terraform-body-no-options.tf", "apigw-no-options-method", hclFirst, nil},
		{"inline body, --fix-format openapi: YAML", mistakes + "terraform-body-no-options.tf", "apigw-no-options-method", yamlFirst, []string{"--fix-format", "openapi"}},
		{"inline body, --fix-format terraform: resources", mistakes + "terraform-body-no-options.tf", "apigw-no-options-method", "[terraform] ", []string{"--fix-format", "terraform"}},
		{"file() body: YAML", filepath.Join(dir, "file.tf"), "apigw-no-options-method", yamlFirst, nil},
		{"templatefile() body: YAML", filepath.Join(dir, "templatefile.tf"), "apigw-no-options-method", yamlFirst, nil},
		{"jsonencode(yamldecode(file())) body: YAML", filepath.Join(dir, "yamldecode.tf"), "apigw-no-options-method", yamlFirst, nil},
		{"HTTP API body: cors_configuration", mistakes + "terraform-http-api-body-cors.tf", "apigw-http-api-cors-not-configured", "[terraform] ", nil},
		{"no body: resources", mistakes + "terraform-no-options.tf", "apigw-no-options-method", "[terraform] ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{tt.file, "--origin", "https://app.example.com", "-X", "PUT", "-H", "Content-Type: application/json"}, tt.args...)
			got, _, stderr := runLintJSON(t, args...)
			found := false
			for _, x := range got.Findings {
				if x.Code != tt.code || x.Severity != "error" {
					continue
				}
				found = true
				i := strings.Index(x.Fix, "\n[")
				if i < 0 || !strings.HasPrefix(x.Fix[i+1:], tt.first) {
					t.Errorf("fix of %s does not start with %q:\n%s", tt.code, tt.first, x.Fix)
				}
				if tt.first == "[terraform] " && strings.Contains(x.Fix, "inside the body's jsonencode") {
					t.Errorf("a Terraform resource fix was converted:\n%s", x.Fix)
				}
			}
			if !found {
				t.Errorf("no %s error (%s): %+v", tt.code, stderr, got.Findings)
			}
		})
	}
}

// The text of lint for a Terraform API whose body is written inline: the
// OpenAPI fix in HCL, ready for its jsonencode({...}).
func TestLintTerraformInlineBodyGolden(t *testing.T) {
	f := "../../testdata/lint/mistakes/terraform-body-no-options.tf"
	io, out, _ := fakeIO(nil)
	if code := Main(append([]string{"lint", f}, lintArgs(t, f)...), io); code != ExitBlocked {
		t.Errorf("exit %d", code)
	}
	assertGolden(t, "lint-terraform-body-no-options.text", out.Bytes())
}

// A template may come with a pull request: a path part holding terminal
// and bidi controls reaches no output raw.
func TestLintCleansTemplateText(t *testing.T) {
	src, err := os.ReadFile("../../testdata/lint/mistakes/cfn-mock-wildcard-credentials.yaml")
	if err != nil {
		t.Fatal(err)
	}
	evil := strings.Replace(string(src), "PathPart: items", `PathPart: "items\e]0;pwned\a\e[31m\u202e"`, 1)
	if evil == string(src) {
		t.Fatal("the fixture no longer has PathPart: items")
	}
	path := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(path, []byte(evil), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json", "sarif"} {
		code, out, stderr := runMain(nil, false, "lint", path, "--origin", "https://app.example.com", "--credentials",
			"-X", "PUT", "-H", "Content-Type: application/json", "-o", format)
		if code != ExitBlocked || !strings.Contains(out, "items") {
			t.Fatalf("%s: exit %d, want 1 and the route: %s%s", format, code, out, stderr)
		}
		for _, bad := range []string{"\x1b", "\a", "\u202e"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s output holds %q", format, bad)
			}
		}
	}
}

// A template's values and -H reach lint's and ci's outputs redacted, as
// every command's do, unless --no-redact.
func TestLintRedactsUnlessAsked(t *testing.T) {
	src, err := os.ReadFile("../../testdata/lint/mistakes/cfn-mock-wildcard-credentials.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := strings.Replace(string(src), `"'*'"`, `"'https://app.example.com/?token=TplTok61'"`, 1)
	if tmpl == string(src) {
		t.Fatal("the fixture no longer answers '*'")
	}
	dir := t.TempDir()
	cfg := "defaults: {origin: 'https://app.example.com'}\nlint:\n  - openapi.yaml\n"
	for name, body := range map[string]string{"openapi.yaml": tmpl, "corsdiag.yaml": cfg} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// run is the text output and the JSON document of a command.
	report := filepath.Join(dir, "out.json")
	run := func(args []string, asJSON func(file string) []string, more ...string) (text, doc string) {
		t.Helper()
		os.Remove(report)
		var outs []string
		for _, extra := range [][]string{nil, asJSON(report)} {
			code, out, stderr := runMain(nil, false, append(append(slices.Clone(args), extra...), more...)...)
			if code >= ExitUsage {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
			outs = append(outs, out)
		}
		if b, err := os.ReadFile(report); err == nil {
			outs[1] = string(b)
		}
		return outs[0], outs[1]
	}
	toStdout := func(string) []string { return []string{"-o", "json"} }
	toFile := func(f string) []string { return []string{"--report", "json=" + f} }
	tests := []struct {
		name    string
		args    []string
		asJSON  func(string) []string
		secrets []string
	}{
		{"lint", []string{"lint", filepath.Join(dir, "openapi.yaml"), "--origin", "https://app.example.com",
			"-X", "PUT", "-H", "Authorization: Bearer FlagBearer63abc"}, toStdout, []string{"TplTok61", "FlagBearer63abc"}},
		{"ci lint:", []string{"ci", "-f", filepath.Join(dir, "corsdiag.yaml")}, toFile, []string{"TplTok61"}},
	}
	for _, tt := range tests {
		text, doc := run(tt.args, tt.asJSON)
		_, shown := run(tt.args, tt.asJSON, "--no-redact")
		for _, s := range tt.secrets {
			if strings.Contains(text, s) || strings.Contains(doc, s) {
				t.Errorf("%s: output holds %s", tt.name, s)
			}
			if !strings.Contains(shown, s) {
				t.Errorf("%s --no-redact: JSON lacks %s:\n%s", tt.name, s, shown)
			}
		}
	}
}
