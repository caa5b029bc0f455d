package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// docCommandRE is a corsdiag command line of the docs: a code span, or a
// line of a fenced block (a shell prompt's too).
var docCommandRE = regexp.MustCompile("`corsdiag [^`]+`|(?m)^\\s*(?:\\$ )?corsdiag [^\\n]*(?:\\\\\\n[^\\n]*)*")

// TestDocCommandsUseTheirCommandsFlags: every flag a corsdiag command line
// of README.md and docs/*.md passes is a flag of that command.
func TestDocCommandsUseTheirCommandsFlags(t *testing.T) {
	files, _ := filepath.Glob("../../docs/*.md")
	files = append(files, "../../README.md")
	io, _, _ := fakeIO(nil)
	root := NewRoot(io)
	checked := 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range docCommandRE.FindAllString(string(b), -1) {
			line := strings.Trim(strings.TrimSpace(m), "`")
			line = strings.TrimPrefix(line, "$ ")
			line = strings.ReplaceAll(line, "\\\n", " ")
			words := strings.Fields(line)[1:]
			cmd, rest, err := root.Find(words)
			if err != nil || cmd == root {
				continue
			}
			for _, w := range rest {
				if w == "--" || w == "|" || strings.HasPrefix(w, "#") {
					break
				}
				w = strings.TrimLeft(w, "[")
				if !strings.HasPrefix(w, "-") || w == "-" || strings.HasPrefix(w, "-…") {
					continue
				}
				name, _, _ := strings.Cut(strings.TrimRight(w, "]"), "=")
				var f *pflag.Flag
				if long, ok := strings.CutPrefix(name, "--"); ok {
					f = cmd.Flags().Lookup(long)
				} else if len(name) == 2 {
					f = cmd.Flags().ShorthandLookup(name[1:])
				} else {
					continue
				}
				checked++
				if f == nil {
					t.Errorf("%s: `%s` passes %s, which %s does not have", filepath.Base(file), line, name, cmd.CommandPath())
				}
			}
		}
	}
	t.Logf("%d flags checked", checked)
}
