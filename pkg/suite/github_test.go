package suite

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/lint"
)

// NoAzureCommands defuses "##vso[" however the text is cut into writes.
func TestNoAzureCommands(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"none", []string{"a line\n", "no newline"}, "a line\nno newline"},
		{"one", []string{"x ##vso[task.setvariable variable=A]1\n"}, "x ##vso\\[task.setvariable variable=A]1\n"},
		{"split over writes", []string{"x ##v", "so", "[task.complete]\n"}, "x ##vso\\[task.complete]\n"},
		{"any case, two in a line", []string{"##VSO[a]##Vso[b]\n"}, "##VSO\\[a]##Vso\\[b]\n"},
		{"in the last line, unterminated", []string{"ok\n##vso[x]"}, "ok\n##vso\\[x]"},
		{"already defused stays", []string{"##vso\\[x]\n"}, "##vso\\[x]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			w, flush := NoAzureCommands(&b)
			for _, s := range tt.writes {
				if n, err := w.Write([]byte(s)); err != nil || n != len(s) {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if err := flush(); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
			if strings.Contains(strings.ToLower(b.String()), "##vso[") {
				t.Errorf("a logging command is left: %q", b.String())
			}
		})
	}
}

// The runner resumes workflow commands only on a line that starts with
// ::TOKEN::, so the resume line stands alone even when what was written
// ends without a newline (a write cut short by an error); otherwise every
// annotation printed after it would be ignored.
func TestWithoutCommandsResumesOnItsOwnLine(t *testing.T) {
	for _, tt := range []struct {
		name  string
		write string
		err   error
	}{
		{"a report ending in a newline", "report\n", nil},
		{"no final newline", "report", nil},
		{"a write cut short", "half a li", errors.New("disk full")},
		{"nothing written", "", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := WithoutCommands(&b, func(w io.Writer) error {
				io.WriteString(w, tt.write)
				return tt.err
			})
			if !errors.Is(err, tt.err) {
				t.Errorf("err = %v, want %v", err, tt.err)
			}
			lines := strings.Split(b.String(), "\n")
			stop, _ := strings.CutPrefix(lines[0], "::stop-commands::")
			if stop == "" || lines[len(lines)-1] != "" || lines[len(lines)-2] != "::"+stop+"::" {
				t.Fatalf("want ::stop-commands::TOKEN first and ::TOKEN:: alone on the last line:\n%q", b.String())
			}
			if !strings.Contains(b.String(), tt.write) {
				t.Errorf("the text is changed: %q", b.String())
			}
		})
	}
}

// A template comes with the pull request: its words reach the job log in
// lint's annotations with no terminal or bidi control of their own.
func TestLintAnnotationsAreClean(t *testing.T) {
	r := &Report{Config: &Config{Path: "corsdiag.yaml"}, Lint: &lint.Report{Findings: []lint.Finding{{
		Finding: cors.Finding{Code: "apigw-no-options-method", Severity: cors.SeverityError,
			Message: "no OPTIONS\x1b[2J", Fix: "add it\u202e; then\x1b]0;title\x07 redeploy"},
		File: "template.yaml", Line: 3, Column: 5, Route: "/items\x9b1m", Origin: "https://app.example.com",
	}}}}
	var gh bytes.Buffer
	if err := r.WriteGitHubAnnotations(&gh); err != nil {
		t.Fatal(err)
	}
	out := gh.String()
	if !strings.Contains(out, "::error file=template.yaml,line=3,col=5,") {
		t.Fatalf("no lint annotation:\n%q", out)
	}
	for _, bad := range []string{"\x1b", "\u202e", "\x07", "\u009b"} {
		if strings.Contains(out, bad) {
			t.Errorf("annotation holds %q:\n%q", bad, out)
		}
	}
}
