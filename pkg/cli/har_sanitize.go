package cli

import (
	"bufio"
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/corsdiag/corsdiag/pkg/harfile"
)

func newHarSanitizeCmd(io *IO) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "sanitize IN.har -o OUT.har",
		Short: "Write a copy of a HAR file that is safe to share",
		Long: `sanitize copies a HAR file with cookies, Authorization, API keys, and bearer
and JWT-looking tokens in headers, URLs, query strings, post data and bodies
replaced by [REDACTED]. Structure, timings and CORS headers are kept, so
'corsdiag har' diagnoses the copy the same way. It streams: files of any size.
IN may be - for standard input, and gzip-compressed or a zip archive holding
one .har file; the copy is plain HAR. -o - writes to standard output.`,
		Args:              needArgs(1, "the HAR file to sanitize (or - for standard input)"),
		ValidArgsFunction: completeFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageErrorf("sanitize needs -o OUT.har (or -o - for standard output)")
			}
			in, err := openInput(io, args[0])
			if err != nil {
				return err
			}
			defer in.Close()
			har, _, err := harfile.Unpack(source(in))
			if err != nil {
				return usageErrorf("%s is not a readable HAR file: %v", displayName(args[0]), err)
			}
			if out == "-" {
				w := bufio.NewWriter(io.Out)
				if err := harfile.Sanitize(w, har); err != nil {
					return sanitizeError(args[0], err)
				}
				return w.Flush()
			}
			// In full or not at all, so a failure leaves no half-written
			// file that looks shareable.
			serr, err := sanitizeTo(out, har)
			if serr != nil {
				return sanitizeError(args[0], serr)
			}
			if err != nil {
				return usageErrorf("cannot write %s: %v", out, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the sanitized copy to write (- for standard output)")
	return cmd
}

// sanitizeTo writes the sanitized copy of har to path as reports are
// written; serr is the file's damage, err the write's failure.
func sanitizeTo(path string, har io.Reader) (serr, err error) {
	err = writeFileAtomic(path, func(w io.Writer) error {
		serr = harfile.Sanitize(w, har)
		return serr
	})
	return serr, err
}

func sanitizeError(name string, err error) error {
	var se *harfile.SyntaxError
	if errors.As(err, &se) {
		return usageErrorf("%s is not a readable HAR file: %s%s", displayName(name), syntaxErrorText(se), otherPasteHint(name, se))
	}
	return &ExitError{Code: ExitUsage, Message: err.Error()}
}
