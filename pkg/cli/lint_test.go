package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
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

// The three outputs of lint, for a broken SAM template.
func TestLintGolden(t *testing.T) {
	f := "../../testdata/lint/mistakes/sam-auth-on-options.yaml"
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			io, out, _ := fakeIO(nil)
			code := Main([]string{"lint", f, "--origin", "https://app.example.com", "-o", format}, io)
			if code != ExitBlocked {
				t.Errorf("exit %d", code)
			}
			assertGolden(t, "lint-sam-auth-on-options."+format, out.Bytes())
		})
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

// A Terraform REST API defined by its body is fixed in the body first; an
// HTTP API's CORS is fixed in its cors_configuration block, which the
// provider applies over the body's.
func TestLintTerraformBodyFixForm(t *testing.T) {
	tests := []struct{ fixture, code, first string }{
		{"terraform-body-no-options.tf", "apigw-no-options-method", "[openapi]"},
		{"terraform-http-api-body-cors.tf", "apigw-http-api-cors-not-configured", "[terraform]"},
		{"terraform-no-options.tf", "apigw-no-options-method", "[terraform]"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			f := "../../testdata/lint/mistakes/" + tt.fixture
			got, _, _ := runLintJSON(t, append([]string{f}, lintArgs(t, f)...)...)
			found := false
			for _, x := range got.Findings {
				if x.Code != tt.code || x.Severity != "error" {
					continue
				}
				found = true
				if i := strings.Index(x.Fix, "["); i < 0 || !strings.HasPrefix(x.Fix[i:], tt.first) {
					t.Errorf("fix of %s does not start with a %s snippet:\n%s", tt.code, tt.first, x.Fix)
				}
			}
			if !found {
				t.Errorf("no %s error", tt.code)
			}
		})
	}
}
