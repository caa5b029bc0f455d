package cli

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/spf13/cobra"
)

// helpOverWidth lists the lines of a command's --help wider than width, but
// for an example's command line, kept whole so that it pastes, and a word
// longer than a line.
func helpOverWidth(help string, width int) []string {
	var bad []string
	for _, line := range strings.Split(help, "\n") {
		if utf8.RuneCountInString(line) <= width {
			continue
		}
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "corsdiag ") || strings.Contains(t, "| corsdiag ") ||
			len(strings.Fields(t)) <= 1 {
			continue // a command, or one word longer than a line (a docs URL)
		}
		bad = append(bad, line)
	}
	return bad
}

// TestHelpFitsTheTerminal: every command's --help (the root's included)
// fits the terminal, 40 columns or wider, flags and their explanations too.
// Below 80 the long text is rewrapped (it is written at 80) and each flag's
// explanation goes under it.
func TestHelpFitsTheTerminal(t *testing.T) {
	io, _, _ := fakeIO(nil)
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		if c.Hidden {
			return
		}
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string(nil), path...), sub.Name()))
		}
	}
	walk(NewRoot(io), nil)
	if len(paths) < 10 {
		t.Fatalf("the walk found %d commands", len(paths))
	}
	for _, path := range paths {
		for _, width := range []int{40, 50, 80, 120} {
			t.Run(fmt.Sprintf("%s/%d", strings.Join(append([]string{"corsdiag"}, path...), " "), width), func(t *testing.T) {
				io, out, errOut := fakeIO(nil)
				io.Width, io.WidthSet = width, true
				if code := Main(append(path, "--help"), io); code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				for _, l := range helpOverWidth(out.String(), width) {
					t.Errorf("wider than %d: %q", width, l)
				}
			})
		}
	}
}

// A user who ran go install has no checkout: every --help points at pages
// they can open (issue 11), not at docs/… or README.md paths. ci, har and
// the root's said "Docs: docs/ci.md" and "Docs: README.md, docs/".
func TestHelpDocsAreLinks(t *testing.T) {
	io, _, _ := fakeIO(nil)
	root := NewRoot(io)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if _, after, ok := strings.Cut(c.Long, "Docs:"); ok {
			for _, w := range strings.Fields(after) {
				w = strings.Trim(w, ".,;()")
				if w == "" || w == "and" {
					continue
				}
				if !strings.HasPrefix(w, "https://github.com/corsdiag/corsdiag") {
					t.Errorf("%s --help: Docs: %q is not a link", c.CommandPath(), w)
				}
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
