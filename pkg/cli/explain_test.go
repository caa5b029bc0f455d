package cli

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/corsdiag/corsdiag/docs"
	"github.com/corsdiag/corsdiag/pkg/cors"
)

func TestExplainListsEveryCode(t *testing.T) {
	code, out, stderr := runMain(nil, false, "explain")
	if code != ExitAllowed {
		t.Fatalf("exit %d; stderr %s", code, stderr)
	}
	codes := cors.Codes()
	if len(codes) == 0 {
		t.Fatal("the catalogue is empty")
	}
	for _, in := range codes {
		line := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), string(in.Code)+" ") {
				line = l
				break
			}
		}
		if line == "" {
			t.Errorf("code %s not listed", in.Code)
			continue
		}
		if !strings.Contains(line, string(in.Severity)) || !strings.Contains(line, in.Title) {
			t.Errorf("line for %s lacks severity or title: %q", in.Code, line)
		}
	}
}

func TestExplainCode(t *testing.T) {
	// Codes whose page exists print the page byte for byte.
	entries, err := docs.Findings.ReadDir("findings")
	if err != nil || len(entries) == 0 {
		t.Fatalf("no embedded finding pages: %v", err)
	}
	for _, e := range entries {
		code := strings.TrimSuffix(e.Name(), ".md")
		if _, ok := cors.Lookup(cors.Code(code)); !ok {
			continue
		}
		t.Run(code, func(t *testing.T) {
			want, _ := docs.Findings.ReadFile("findings/" + e.Name())
			exit, out, stderr := runMain(nil, false, "explain", code)
			if exit != ExitAllowed {
				t.Fatalf("exit %d; stderr %s", exit, stderr)
			}
			if out != string(want) {
				t.Errorf("explain %s printed something other than its page", code)
			}
		})
	}
}

func TestExplainCodeWithoutPage(t *testing.T) {
	in := cors.Codes()[0]
	io, out, _ := fakeIO(nil)
	err := runExplain(&explainOptions{IO: io, Code: string(in.Code), pages: fstest.MapFS{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{string(in.Code), in.Title, in.Fix} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("fallback page lacks %q:\n%s", want, out)
		}
	}
}

func TestExplainUnknownCode(t *testing.T) {
	tests := []struct {
		arg  string
		want string
	}{
		{"missing-allow-orign", "missing-allow-origin"},
		{"wildcard-origin", "wildcard-origin-with-credentials"},
		{"preflight-redirected", "preflight-redirect"},
		{"zzzzzzzz", "Run 'corsdiag explain' for the list"},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			code, _, stderr := runMain(nil, false, "explain", tt.arg)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", stderr, tt.want)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"same", "same", 0},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
