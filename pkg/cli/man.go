package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

func init() { register(newManCmd) }

func newManCmd(io *IO) *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  "Write corsdiag's man pages into DIR (for packagers)",
		Hidden: true,
		Args:   needArgs(1, "the folder to write the man pages to"),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return &ExitError{Code: ExitUsage, Message: err.Error()}
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true
			header := &doc.GenManHeader{Title: "CORSDIAG", Section: "1", Source: "corsdiag " + Version, Manual: "corsdiag manual"}
			if err := doc.GenManTree(root, header, dir); err != nil {
				return &ExitError{Code: ExitUsage, Message: fmt.Sprintf("man %s: %v", dir, err)}
			}
			return nil
		},
	}
}
