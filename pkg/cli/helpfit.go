package cli

import (
	"fmt"
	"strings"
	"text/template"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/corsdiag/corsdiag/pkg/report"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// The help templates' functions take the width as an argument, written
// into each root's templates: cobra keeps template functions in one
// package-wide map, shared by every root (tests build many, at many
// widths).
func init() {
	cobra.AddTemplateFuncs(template.FuncMap{
		"fitText":  fitHelpText,
		"fitShort": fitShort,
		"fitFlags": fitFlags,
	})
}

// fitHelpTemplates makes root's help and usage fit width columns: a
// command's long text, the list of subcommands and the flags.
func fitHelpTemplates(root *cobra.Command, width int) {
	w := fmt.Sprint(width)
	root.SetHelpTemplate(strings.Replace(root.HelpTemplate(),
		"{{. | trimTrailingWhitespaces}}", "{{fitText . "+w+" | trimTrailingWhitespaces}}", 1))
	usage := root.UsageTemplate()
	for _, set := range []string{"LocalFlags", "InheritedFlags"} {
		usage = strings.ReplaceAll(usage, "{{."+set+".FlagUsages |", "{{fitFlags ."+set+" "+w+" |")
	}
	usage = strings.ReplaceAll(usage, "  {{rpad .Name .NamePadding }} {{.Short}}",
		"{{fitShort (rpad .Name .NamePadding) .Short "+w+"}}")
	usage = strings.Replace(usage, `Use "{{.CommandPath}} [command] --help" for more information about a command.`,
		`{{fitText (printf "Use \"%s [command] --help\" for more information about a command." .CommandPath) `+w+`}}`, 1)
	root.SetUsageTemplate(usage)
}

// fitHelpText rewraps each paragraph of a command's long text that has a
// line wider than width; the others stay as written (at 80 columns).
func fitHelpText(s string, width int) string {
	paras := strings.Split(s, "\n\n")
	for i, p := range paras {
		if fits(p, width) {
			continue
		}
		paras[i] = strings.TrimSuffix(report.Wrap(strings.Join(strings.Fields(p), " "), "", "", width), "\n")
	}
	return strings.Join(paras, "\n\n")
}

// fitShort is a subcommand's line in a list: its padded name, then its
// short text, wrapped under itself.
func fitShort(name, short string, width int) string {
	line := "  " + name + " "
	if termsafe.Width(line+short) <= width {
		return line + short
	}
	return strings.TrimSuffix(report.Wrap(short, line, strings.Repeat(" ", termsafe.Width(line)), width), "\n")
}

// fitFlags is pflag's list of flags wrapped to width; on a terminal too
// narrow for the names and their explanations side by side, each
// explanation goes under its flag.
func fitFlags(fs *pflag.FlagSet, width int) string {
	s := fs.FlagUsagesWrapped(width)
	// pflag's own narrow form (a name padded with spaces, its explanation
	// squeezed into the right-hand side below it) is replaced too.
	if fits(s, width) && !strings.Contains(s, " \n") {
		return s
	}
	var b strings.Builder
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		one := pflag.NewFlagSet("", pflag.ContinueOnError)
		one.AddFlag(f)
		// pflag's own line for the flag: its name and argument, two
		// spaces, its explanation and default.
		line := strings.TrimRight(one.FlagUsagesWrapped(0), "\n")
		lead := len(line) - len(strings.TrimLeft(line, " "))
		name, usage, _ := strings.Cut(line[lead:], "  ")
		if termsafe.Width(line[:lead]+name) > width {
			lead = min(lead, 2) // the shorthands' column, given up
		}
		b.WriteString(line[:lead] + name + "\n")
		b.WriteString(report.Wrap(strings.TrimSpace(usage), "        ", "        ", width))
	})
	return b.String()
}

// fits reports whether every line of s is at most width columns.
func fits(s string, width int) bool {
	for _, l := range strings.Split(s, "\n") {
		if termsafe.Width(l) > width {
			return false
		}
	}
	return true
}
