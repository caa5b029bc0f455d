package suite

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/lint"
)

// lintFixture lints a broken template through a config's lint: list.
func lintFixture(t *testing.T) *lint.Report {
	t.Helper()
	cfg, err := Parse("../../testdata/lint/corsdiag.yaml", []byte(`
defaults:
  origin: https://app.example.com
lint:
  - mistakes/sam-auth-on-options.yaml
  - file: right/s3-uploads.yaml
    origins: [https://app.example.com, https://admin.example.com]
    routes: [PUT /object]
    headers:
      Content-Type: image/png
`), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	rep, err := RunLint(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestLintInCI(t *testing.T) {
	rep := lintFixture(t)
	if len(rep.Templates) != 2 {
		t.Fatalf("templates = %d", len(rep.Templates))
	}
	r := &Report{Tool: "corsdiag", Config: &Config{Path: "corsdiag.yaml"}, Lint: rep}
	s := r.Summary()
	if s.LintBlocked == 0 || s.ExitCode() != 1 || r.Verdict() != "failed" {
		t.Fatalf("summary %+v, exit %d, verdict %s", s, s.ExitCode(), r.Verdict())
	}
	// The bucket allows one origin and not the other: both were linted.
	origins := map[string]bool{}
	for _, x := range rep.Results {
		if strings.HasSuffix(x.File, "s3-uploads.yaml") {
			origins[x.Origin] = true
		}
	}
	if len(origins) != 2 {
		t.Errorf("s3 origins linted: %v", origins)
	}
	var text, js, sarif, gh bytes.Buffer
	if err := r.WriteText(&text); err != nil || !strings.Contains(text.String(), "sam-auth-on-options.yaml:14:9: error apigw-auth-on-options") {
		t.Errorf("text (%v):\n%s", err, text.String())
	}
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		Lint []struct {
			Code string `json:"code"`
			Line int    `json:"line"`
		} `json:"lint"`
	}
	if err := json.Unmarshal(js.Bytes(), &decoded); err != nil || len(decoded.Lint) == 0 {
		t.Errorf("json lint findings: %v %+v", err, decoded)
	}
	if err := r.WriteSARIF(&sarif); err != nil || !strings.Contains(sarif.String(), `"startLine": 14`) || !strings.Contains(sarif.String(), "sam-auth-on-options.yaml") {
		t.Errorf("sarif (%v) has no result at the template line:\n%s", err, sarif.String())
	}
	if err := r.WriteGitHubAnnotations(&gh); err != nil || !strings.Contains(gh.String(), "::error file=") || !strings.Contains(gh.String(), ",line=14,col=9,") {
		t.Errorf("annotations (%v):\n%s", err, gh.String())
	}
}

func TestLintConfigErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("Resources: [\n"), 0o644)
	tests := []struct{ name, yaml, want string }{
		{"no origin", "lint: [a.yaml]\n", "no origin"},
		{"unknown key", "defaults: {origin: https://a.example}\nlint:\n  - file: a.yaml\n    expect: deny\n", `unknown key "expect"`},
		{"no file", "defaults: {origin: https://a.example}\nlint:\n  - origins: [https://a.example]\n", "without a file"},
		{"bad origin", "lint:\n  - file: a.yaml\n    origins: [nope]\n", "lint.origins"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(filepath.Join(dir, "c.yaml"), []byte(tt.yaml), func(string) string { return "" })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	cfg, err := Parse(filepath.Join(dir, "c.yaml"), []byte("defaults: {origin: https://a.example}\nlint:\n  - broken.yaml\n"), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RunLint(cfg); err == nil || !strings.Contains(err.Error(), "c.yaml:3: lint: ") || !strings.Contains(err.Error(), "broken.yaml:1") {
		t.Errorf("unreadable template: %v", err)
	}
}
