package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

// flagValues are the values shell completion offers for enumerated flags,
// by flag name; a command whose flag takes other values says so in
// commandFlagValues.
func flagValues() map[string][]string {
	browsers := append(cors.ProfileNames(), "all")
	return map[string][]string{
		"color":              {"auto", "always", "never"},
		"browser":            browsers,
		"preflight":          {"auto", "always"},
		"fix-format":         append(platform.Formats(), "all"),
		"page-address-space": {"public", "local", "loopback"},
		"report":             {"junit=", "sarif=", "json=", "markdown=", "html="},
	}
}

// commandFlagValues are per command where one flag name means different
// values: -o of check and har is not -o of lint.
var commandFlagValues = map[string]map[string][]string{
	"check":   {"output": {"text", "json", "html"}, "initiator": cors.InitiatorFlags()},
	"har":     {"output": {"text", "json", "html"}},
	"lint":    {"output": {"text", "json", "sarif"}},
	"audit":   {"output": {"text", "json", "sarif"}, "fix-format": platform.AllowListFormats()},
	"explain": {"output": {"text", "json"}},
}

// registerCompletions walks the tree and completes every enumerated flag.
func registerCompletions(root *cobra.Command) {
	common := flagValues()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		visit := func(f *pflag.Flag) {
			values, ok := common[f.Name]
			if own, has := commandFlagValues[c.Name()][f.Name]; has {
				values, ok = own, own != nil
			}
			if !ok {
				return
			}
			dir := cobra.ShellCompDirectiveNoFileComp
			if f.Name == "report" {
				// FORMAT= then a file name.
				dir |= cobra.ShellCompDirectiveNoSpace
			}
			vs := values
			_ = c.RegisterFlagCompletionFunc(f.Name, func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				if f.Name == "report" && strings.Contains(toComplete, "=") {
					return nil, cobra.ShellCompDirectiveDefault
				}
				return vs, dir
			})
		}
		c.Flags().VisitAll(visit)
		c.PersistentFlags().VisitAll(visit)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// completeFiles completes a command's arguments with file names.
func completeFiles(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveDefault
}
