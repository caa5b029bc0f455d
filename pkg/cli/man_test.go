package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestManPages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "man1")
	t.Setenv("SOURCE_DATE_EPOCH", "0")
	code, _, stderr := runMain(nil, false, "man", dir)
	if code != ExitAllowed {
		t.Fatalf("exit %d; stderr %s", code, stderr)
	}
	for _, page := range []string{"corsdiag.1", "corsdiag-check.1", "corsdiag-explain.1"} {
		b, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Error(err)
			continue
		}
		if !strings.Contains(string(b), `.TH "CORSDIAG"`) {
			t.Errorf("%s has no man header:\n%.200s", page, b)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "corsdiag-check.1"))
	if !strings.Contains(string(b), "send-actual") {
		t.Error("check's man page does not document --send-actual")
	}
}

func TestCompletionScripts(t *testing.T) {
	tests := []struct{ shell, marker string }{
		{"bash", "__start_corsdiag"},
		{"zsh", "#compdef corsdiag"},
		{"fish", "complete -c corsdiag"},
		{"powershell", "Register-ArgumentCompleter"},
	}
	for _, tt := range tests {
		t.Run(tt.shell, func(t *testing.T) {
			code, out, stderr := runMain(nil, false, "completion", tt.shell)
			if code != ExitAllowed {
				t.Fatalf("exit %d; stderr %s", code, stderr)
			}
			if !strings.Contains(out, tt.marker) {
				t.Errorf("%s completion lacks %q", tt.shell, tt.marker)
			}
		})
	}
}
