package suite

import (
	"bytes"
	"strings"
	"testing"
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
