package cli

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/corsdiag/corsdiag/docs"
)

// otherTools are flags finding pages quote from other programs, with whose.
var otherTools = map[string]string{
	"ip-address-space-overrides": "Chromium's command-line switch",
	"disable-web-security":       "Chromium's command-line switch",
	"cors":                       "aws lambda update-function-url-config",
	"proxy-headers":              "uvicorn",
	"forwarded-allow-ips":        "uvicorn",
}

// flagSpanRE is a code span that starts with a long flag (`--fix-format
// lambda`), commandSpanRE one that is a corsdiag command line, whose flags
// longFlagRE picks out.
var (
	flagSpanRE    = regexp.MustCompile("`--([a-z][a-z0-9-]*)")
	commandSpanRE = regexp.MustCompile("`corsdiag [^`]*`")
	longFlagRE    = regexp.MustCompile(`(?:^|\s)--([a-z][a-z0-9-]*)`)
)

// TestFindingPagesNameRealFlags: every `--flag` a finding page tells the
// reader to use is a flag of a corsdiag command (or a named other tool's).
func TestFindingPagesNameRealFlags(t *testing.T) {
	io, _, _ := fakeIO(nil)
	known := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, set := range []*pflag.FlagSet{c.Flags(), c.PersistentFlags()} {
			set.VisitAll(func(f *pflag.Flag) { known[f.Name] = true })
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRoot(io))
	if !known["fix-format"] || !known["no-error-probe"] {
		t.Fatalf("the flag walk missed check's flags: %d flags", len(known))
	}
	entries, err := fs.ReadDir(docs.Findings, "findings")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(docs.Findings, "findings/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range flagSpanRE.FindAllStringSubmatch(string(b), -1) {
			names = append(names, m[1])
		}
		for _, span := range commandSpanRE.FindAllString(string(b), -1) {
			for _, m := range longFlagRE.FindAllStringSubmatch(span, -1) {
				names = append(names, m[1])
			}
		}
		for _, name := range names {
			if known[name] || otherTools[name] != "" {
				continue
			}
			t.Errorf("findings/%s names `--%s`, which no corsdiag command has", e.Name(), name)
		}
	}
	for name := range otherTools {
		if known[name] {
			t.Errorf("otherTools lists --%s, which corsdiag has: drop it from the list", name)
		}
	}
}
