package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// docCommandRE is a corsdiag command line of the docs: a code span, or a
// line of a fenced block (a shell prompt's too).
var docCommandRE = regexp.MustCompile("`corsdiag [^`]+`|(?m)^\\s*(?:\\$ )?corsdiag [^\\n]*(?:\\\\\\n[^\\n]*)*")

// lookupFlag finds --name or -x among cmd's flags, the inherited included.
func lookupFlag(cmd *cobra.Command, name string) *pflag.Flag {
	for _, set := range []*pflag.FlagSet{cmd.Flags(), cmd.InheritedFlags()} {
		if long, ok := strings.CutPrefix(name, "--"); ok {
			if f := set.Lookup(long); f != nil {
				return f
			}
		} else if len(name) == 2 {
			if f := set.ShorthandLookup(name[1:]); f != nil {
				return f
			}
		}
	}
	return nil
}

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
				if !strings.HasPrefix(name, "--") && len(name) != 2 {
					continue
				}
				checked++
				if lookupFlag(cmd, name) == nil {
					t.Errorf("%s: `%s` passes %s, which %s does not have", filepath.Base(file), line, name, cmd.CommandPath())
				}
			}
		}
	}
	t.Logf("%d flags checked", checked)
}

// flagCellRE picks the flags out of a flag table's first cell.
var flagCellRE = regexp.MustCompile("(?:^|[ `,])(--?[a-zA-Z][a-z0-9-]*)")

// TestDocFlagTablesMatchCommands: the flag table of docs/CMD.md names
// every flag of CMD (but --help) and no flag CMD does not have.
func TestDocFlagTablesMatchCommands(t *testing.T) {
	io, _, _ := fakeIO(nil)
	root := NewRoot(io)
	for _, name := range []string{"check", "har", "audit", "ci"} {
		cmd, _, err := root.Find([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile("../../docs/" + name + ".md")
		if err != nil {
			t.Fatal(err)
		}
		documented := map[string]bool{}
		for _, line := range strings.Split(string(b), "\n") {
			cells := strings.Split(line, "|")
			if len(cells) < 3 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`-") {
				continue
			}
			for _, m := range flagCellRE.FindAllStringSubmatch(cells[1], -1) {
				f := lookupFlag(cmd, m[1])
				if f == nil {
					t.Errorf("docs/%s.md's flag table has %s, which %s does not have", name, m[1], cmd.CommandPath())
					continue
				}
				documented[f.Name] = true
			}
		}
		cmd.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden && f.Name != "help" && !documented[f.Name] {
				t.Errorf("docs/%s.md's flag table lacks --%s", name, f.Name)
			}
		})
	}
}
