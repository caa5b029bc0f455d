package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
)

// Long output goes through the pager on a terminal only, and never with
// --no-pager or an empty PAGER.
func TestPager(t *testing.T) {
	const mark = "sed 's/^/paged: /'"
	tests := []struct {
		name     string
		terminal bool
		env      map[string]string
		args     []string
		paged    bool
	}{
		{"har on a terminal", true, map[string]string{"PAGER": mark}, []string{"har", "testdata/har_session.har"}, true},
		{"explain on a terminal", true, map[string]string{"PAGER": mark}, []string{"explain", "missing-allow-origin"}, true},
		{"CORSDIAG_PAGER first", true, map[string]string{"PAGER": "false", "CORSDIAG_PAGER": mark}, []string{"explain", "missing-allow-origin"}, true},
		{"piped", false, map[string]string{"PAGER": mark}, []string{"har", "testdata/har_session.har"}, false},
		{"--no-pager", true, map[string]string{"PAGER": mark}, []string{"har", "--no-pager", "testdata/har_session.har"}, false},
		{"PAGER=cat", true, map[string]string{"PAGER": "cat"}, []string{"har", "testdata/har_session.har"}, false},
		{"JSON is not paged", true, map[string]string{"PAGER": mark}, []string{"har", "-o", "json", "testdata/har_session.har"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, out, _ := fakeIO(tt.env)
			io.OutIsTerminal = tt.terminal
			io.LookupEnv = func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
			Main(tt.args, io)
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) < 3 {
				t.Fatalf("too little output:\n%s", out)
			}
			for _, l := range lines {
				if strings.HasPrefix(l, "paged: ") != tt.paged {
					t.Fatalf("paged %v, want %v:\n%s", !tt.paged, tt.paged, out)
				}
			}
		})
	}
}

// Quitting the pager before the end (here after one line) loses nothing
// that matters: no "broken pipe" error, the exit code is the diagnosis's.
func TestPagerQuitEarly(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.har")
	if err := os.WriteFile(p, hartest.Generate(3000, 10), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PAGER": "head -n1"}
	io, out, errOut := fakeIO(env)
	io.OutIsTerminal = true
	io.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	if code := Main([]string{"har", "--all", p}, io); code != ExitBlocked {
		t.Errorf("exit %d, want 1; stderr %q", code, errOut)
	}
	if errOut.Len() > 0 {
		t.Errorf("stderr %q", errOut)
	}
	if strings.Count(out.String(), "\n") != 1 {
		t.Errorf("the pager did not quit after one line: %d bytes", out.Len())
	}
}
