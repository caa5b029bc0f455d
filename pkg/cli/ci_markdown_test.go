package cli

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
)

// A server's text reaches the Markdown report and the job summary in the
// fix too ("Call the final URL directly (LOCATION…)"). There it must stay
// text: no link, image or HTML of the server's in a pull request comment
// or the job summary, while corsdiag's own `code` stays code.
func TestCIMarkdownFixIsText(t *testing.T) {
	// not: what the rendered HTML (CommonMark and GFM, as GitHub renders
	// the summary and comments, raw HTML kept) must not hold.
	tests := []struct {
		name, location string
		not            []string
	}{
		{"link", "https://evil.example/[Re-run with your token](https://evil.example/phish)", []string{">Re-run with your token</a>"}},
		{"image", "https://evil.example/![x](https://evil.example/p.png)", []string{"<img"}},
		{"html", "https://evil.example/<img src=https://evil.example/p.png>", []string{"<img"}},
		{"emphasis", "https://evil.example/**urgent**", []string{"<strong>urgent"}},
		{"a backtick opens no code span", "https://evil.example/`x`<b>y</b>", []string{"<b>y"}},
		// Even backticks, but a run of three matches no other run and is
		// text, so the last single one opens no span either.
		{"an unmatched run of backticks", "https://evil.example/`x`+```+<b>y</b>+`", []string{"<b>y"}},
		{"a double run", "https://evil.example/``x``<b>y</b>``z``", []string{"<b>y"}},
		// A pull request comment notifies whoever it @mentions.
		{"mention", "https://evil.example/@octocat/@github/security", []string{"@octocat", "@github"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Location", tt.location)
				w.WriteHeader(http.StatusMovedPermanently)
			}))
			defer srv.Close()
			path := writeConfig(t, "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - name: items\n    url: "+srv.URL+"/items\n")
			dir := t.TempDir()
			md, summary := filepath.Join(dir, "r.md"), filepath.Join(dir, "summary.md")
			io, _, errb := fakeIO(map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary})
			if code := Main([]string{"ci", "-f", path, "--retries", "0", "--report", "markdown=" + md}, io); code != ExitBlocked {
				t.Fatalf("exit %d, want 1: %s", code, errb)
			}
			for _, f := range []string{md, summary} {
				b, _ := os.ReadFile(f)
				if !strings.Contains(string(b), "- **Fix:** Call the final URL directly") {
					t.Fatalf("%s: no redirect fix:\n%s", filepath.Base(f), b)
				}
				var html bytes.Buffer
				md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
				if err := md.Convert(b, &html); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(html.String(), "<code>") {
					t.Errorf("%s: corsdiag's own code spans are gone:\n%s", filepath.Base(f), html.String())
				}
				for _, n := range tt.not {
					if strings.Contains(html.String(), n) {
						t.Errorf("%s shows the server's Markdown as Markdown (%q):\n%s", filepath.Base(f), n, html.String())
					}
				}
			}
		})
	}
}

// GitHub drops a step's job summary whole over 1 MiB: what corsdiag
// appends keeps the file under it, whatever is there already.
func TestCISummaryUnderOneMiB(t *testing.T) {
	srv := corsServer(t)
	var checks strings.Builder
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&checks, "  - name: public %d\n    url: %s/star\n    expect: deny\n", i, srv.URL)
	}
	path := writeConfig(t, "defaults: {origin: 'https://app.example.com'}\nchecks:\n"+checks.String())
	tests := []struct {
		name    string
		already int // bytes an earlier command of the step wrote
		full    bool
	}{
		{"empty", 0, true},
		{"nearly full", 1<<20 - 3000, false},
		{"full but for a line", 1<<20 - 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			summary := filepath.Join(t.TempDir(), "summary.md")
			os.WriteFile(summary, []byte(strings.Repeat("x", tt.already)), 0o644)
			io, _, errb := fakeIO(map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary})
			if code := Main([]string{"ci", "-f", path}, io); code != ExitBlocked {
				t.Fatalf("exit %d, want 1: %s", code, errb)
			}
			b, _ := os.ReadFile(summary)
			if len(b) > 1<<20 {
				t.Errorf("the summary is %d bytes, over GitHub's 1 MiB", len(b))
			}
			if !strings.Contains(string(b), "corsdiag: 30 checks: 0 passed, 30 failed") {
				t.Errorf("no verdict in the summary")
			}
			if got := strings.Count(string(b), "### ❌"); tt.full != (got == 30) {
				t.Errorf("%d failures shown, want all 30: %v", got, tt.full)
			}
		})
	}
}
