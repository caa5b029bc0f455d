package cli

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/pkg/cors"
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

// TestInitiatorHelpFromTable: check --initiator's help names every kind
// of cors.Initiators with its words, one added to the table too: the
// help is built from the table, so no kind is left out of it.
func TestInitiatorHelpFromTable(t *testing.T) {
	saved := cors.Initiators
	t.Cleanup(func() { cors.Initiators = saved })
	cors.Initiators = append(slices.Clip(saved), cors.Initiator{Name: "beacon", Flag: "beacon", Dest: "empty", Short: "navigator.sendBeacon()"})
	io, _, _ := fakeIO(nil)
	usage := newCheckCmd(io).Flags().Lookup("initiator").Usage
	for _, in := range cors.Initiators {
		if in.Short == "" {
			t.Errorf("%s: no Short words for the help", in.Flag)
		}
		if !strings.Contains(usage, in.Flag+" ("+in.Short+")") {
			t.Errorf("--initiator help lacks %q:\n%s", in.Flag+" ("+in.Short+")", usage)
		}
	}
}

// TestDocsNameEveryInitiator: the pages that list --initiator's values
// (check's flag table, ci's config keys, the JSON schema) name every kind
// of cors.Initiators, as the help does.
func TestDocsNameEveryInitiator(t *testing.T) {
	for _, doc := range []struct{ file, row string }{
		{"check.md", "| `--initiator "},
		{"ci-config.md", "| `initiator` |"},
		{"json-schema.md", "| `initiator` |"},
	} {
		b, err := os.ReadFile("../../docs/" + doc.file)
		if err != nil {
			t.Fatal(err)
		}
		var row string
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, doc.row) {
				row = line
				break
			}
		}
		if row == "" {
			t.Errorf("docs/%s: no row %q", doc.file, doc.row)
			continue
		}
		for _, in := range cors.Initiators {
			if !regexp.MustCompile("[ `|]" + regexp.QuoteMeta(in.Flag) + "[`\\\\]").MatchString(row) {
				t.Errorf("docs/%s: the %s row lacks %s", doc.file, strings.Trim(doc.row, "| "), in.Flag)
			}
		}
	}
}

// TestExplainHelpNamesEveryLoad: explain reads Chrome's line about every
// load an element or EventSource makes (Access to video at …); its help
// names each of them, from cors.Initiators, as check --initiator's does.
func TestExplainHelpNamesEveryLoad(t *testing.T) {
	io, _, _ := fakeIO(nil)
	long := strings.Join(strings.Fields(newExplainCmd(io).Long), " ")
	for _, in := range cors.Initiators {
		if !in.Scripted && !strings.Contains(long, in.Short) {
			t.Errorf("explain's help lacks %s (%q):\n%s", in.Flag, in.Short, long)
		}
	}
}
