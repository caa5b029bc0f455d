package cli

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Errors that say how to fix themselves: a misspelt flag gets the flag it
// was probably meant to be, a duration without a unit gets the unit, a
// missing argument is said in words with the usage line.

var (
	unknownFlagRE   = regexp.MustCompile(`^unknown (?:shorthand )?flag: '?(-{1,2}[^' ]+)'?`)
	missingUnitRE   = regexp.MustCompile(`^invalid argument "([^"]*)" for "([^"]+)" flag: time: missing unit in duration`)
	invalidDurRE    = regexp.MustCompile(`^invalid argument "([^"]*)" for "([^"]+)" flag: time: invalid duration`)
	invalidNumberRE = regexp.MustCompile(`^invalid argument "([^"]*)" for "([^"]+)" flag: strconv\.Parse`)
)

// flagError rewrites pflag's errors for people: cobra calls it for every
// flag that does not parse.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if m := unknownFlagRE.FindStringSubmatch(msg); m != nil {
		return usageErrorf("%s", unknownFlagText(cmd, m[1]))
	}
	if m := missingUnitRE.FindStringSubmatch(msg); m != nil {
		return usageErrorf("%s %s: add a unit: %ss (or ms, m)", m[2], m[1], m[1])
	}
	if m := invalidDurRE.FindStringSubmatch(msg); m != nil {
		return usageErrorf("%s %q is not a duration: write it like 10s, 500ms or 1m", m[2], m[1])
	}
	if m := invalidNumberRE.FindStringSubmatch(msg); m != nil {
		return usageErrorf("%s %q is not a number", m[2], m[1])
	}
	return usageErrorf("%s\nUsage: %s", msg, cmd.UseLine())
}

// unknownFlagText names the flag the user probably meant.
func unknownFlagText(cmd *cobra.Command, flag string) string {
	name := strings.TrimLeft(flag, "-")
	if i := strings.IndexByte(name, '='); i >= 0 {
		name = name[:i]
	}
	text := "unknown flag " + flag
	if near := closestFlag(cmd, name); near != "" {
		return text + ": did you mean --" + near + "?"
	}
	return text + "\nRun '" + cmd.CommandPath() + " --help' for its flags."
}

// closestFlag is the flag of cmd nearest to name (edit distance at most 2,
// or name a prefix of it), or "".
func closestFlag(cmd *cobra.Command, name string) string {
	best, bestD := "", 3
	visit := func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		d := editDistance(name, f.Name)
		if strings.HasPrefix(f.Name, name) && len(name) >= 3 {
			d = 1
		}
		if d < bestD {
			best, bestD = f.Name, d
		}
	}
	cmd.Flags().VisitAll(visit)
	cmd.InheritedFlags().VisitAll(visit)
	return best
}

// needArgs accepts exactly n arguments and, otherwise, says what is
// missing in words ("har needs a HAR file") with the usage line.
func needArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < n:
			return usageErrorf("%s needs %s\nUsage: %s", cmd.Name(), what, cmd.UseLine())
		case len(args) > n:
			return usageErrorf("%s takes %s, got %d arguments (%s)\nUsage: %s", cmd.Name(), what, len(args), strings.Join(quoteAll(args), " "), cmd.UseLine())
		}
		return nil
	}
}

// noArgs refuses arguments in words.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %s\nUsage: %s", cmd.Name(), strings.Join(quoteAll(args), " "), cmd.UseLine())
	}
	return nil
}

func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = strconv.Quote(sanitize(a, true))
	}
	return out
}

// corsdiagFlagAfterPaste says which corsdiag flag was placed after `--`,
// where everything belongs to the pasted command (curl, fetch(…),
// Invoke-WebRequest), whose first word is first.
func corsdiagFlagAfterPaste(first string, words []string) error {
	if i := strings.IndexByte(first, '('); i > 0 {
		first = first[:i+1] + "…)" // fetch(…)
	}
	for _, w := range words {
		if !strings.HasPrefix(w, "--") {
			continue
		}
		name := strings.TrimPrefix(w, "--")
		if i := strings.IndexByte(name, '='); i >= 0 {
			name = name[:i]
		}
		if corsdiagOnly[name] {
			return usageErrorf("--%s is a corsdiag flag, but it comes after --, where everything belongs to the pasted command: put it before --, as in\n  corsdiag check --%s … -- %s …", name, name, first)
		}
	}
	return nil
}

// corsdiagOnly are check's flags that curl does not have, so their place
// after `--` is a mistake rather than a curl option.
var corsdiagOnly = map[string]bool{
	"origin": true, "browser": true, "send-actual": true, "preflight": true, "fix-format": true,
	"output": true, "har-out": true, "strict": true, "no-redact": true, "page-address-space": true,
	"compare-origin": true, "color": true, "no-color": true, "no-pager": true,
}
