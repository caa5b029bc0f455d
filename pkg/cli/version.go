package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func init() {
	register(newVersionCmd)
	if bi, ok := debug.ReadBuildInfo(); ok {
		Version = buildVersion(Version, bi)
	}
}

// buildVersion is the version to print when none was stamped with
// -ldflags: the one the go command recorded (`go install …@v1.2.3`, or, from
// a clone, the commit as v0.0.0-DATE-COMMIT with +dirty for local
// changes), else "dev".
func buildVersion(stamped string, bi *debug.BuildInfo) string {
	if v := bi.Main.Version; stamped == "dev" && v != "" && v != "(devel)" {
		return v
	}
	return stamped
}

func newVersionCmd(io *IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print corsdiag's version",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(io.Out, "corsdiag "+Version)
			return err
		},
	}
}
