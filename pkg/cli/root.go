// Package cli holds corsdiag's cobra commands. Commands are thin: they parse
// flags, call the front doors (probe, harfile, suite), pick a renderer and
// set the exit code.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/corsdiag/corsdiag/pkg/report"
)

// Exit codes, a stable contract.
const (
	ExitAllowed     = 0 // the browser would allow it
	ExitBlocked     = 1 // the browser would block it (or --strict and a warning)
	ExitUsage       = 2 // bad usage or bad input
	ExitUnreachable = 3 // the endpoint could not be reached
)

// Version is stamped at build time with
// -ldflags "-X github.com/corsdiag/corsdiag/pkg/cli.Version=v1.2.3".
var Version = "dev"

// IO is the one place that knows about the terminal: where output goes,
// whether it is a terminal, whether colour is wanted.
type IO struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	Getenv func(string) string
	// OutIsTerminal is true when Out is an interactive terminal.
	OutIsTerminal bool
	// Width is the width in columns to fit output to: COLUMNS when set,
	// else the terminal's when Out is one, else 0 (unknown).
	Width int
	// WidthSet says COLUMNS named the width: output is fitted to it even
	// when piped.
	WidthSet bool
	// NoColor is forced by --no-color.
	NoColor bool
	// ColorMode is --color: auto (default), always or never.
	ColorMode string
	// NoPager is --no-pager: never page long output.
	NoPager bool
	// LookupEnv tells an unset variable from an empty one (nil: Getenv,
	// where empty means unset).
	LookupEnv func(string) (string, bool)
}

// Color reports whether output may use colour, as the ecosystem decides
// it: --color always|never first, then NO_COLOR (any value), then
// FORCE_COLOR or CLICOLOR_FORCE (any value but 0), then a terminal that is
// not TERM=dumb.
func (o *IO) Color() bool {
	switch o.ColorMode {
	case "always":
		return true
	case "never":
		return false
	}
	switch {
	case o.NoColor, o.Getenv("NO_COLOR") != "":
		return false
	case forced(o.Getenv("FORCE_COLOR")), forced(o.Getenv("CLICOLOR_FORCE")):
		return true
	}
	return o.OutIsTerminal && o.Getenv("TERM") != "dumb"
}

// forced: an environment switch that is set and not off.
func forced(v string) bool { return v != "" && v != "0" && v != "false" }

// SystemIO returns the process's IO.
func SystemIO() *IO {
	o := &IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv, LookupEnv: os.LookupEnv,
		OutIsTerminal: term.IsTerminal(int(os.Stdout.Fd())),
	}
	if o.OutIsTerminal {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
			o.Width = w
		}
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		o.Width, o.WidthSet = n, true
	}
	return o
}

// TextWidth is the width to wrap prose to: the fitted width, else 80.
func (o *IO) TextWidth() int {
	if o.Width > 0 && (o.OutIsTerminal || o.WidthSet) {
		return o.Width
	}
	return 80
}

// ExitError carries an exit code out of a command; Message, when set, is
// printed to stderr.
type ExitError struct {
	Code    int
	Message string
	// Unredacted leaves secrets in Message (--no-redact); every other
	// message is redacted and made terminal-safe when printed, whatever
	// produced it (a usage error quoting a URL with a password).
	Unredacted bool
}

func (e *ExitError) Error() string { return e.Message }

// usageErrorf is an input error: exit 2 with a message.
func usageErrorf(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Message: fmt.Sprintf(format, args...)}
}

// commands registered by the files of this package, in init.
var commands []func(*IO) *cobra.Command

func register(f func(*IO) *cobra.Command) { commands = append(commands, f) }

// NewRoot builds the command tree.
func NewRoot(io *IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "corsdiag",
		Short: "Tell why the browser blocked a cross-origin request, and what to change on the server",
		Long: `corsdiag applies the CORS rules of the Fetch standard, as Chromium, Firefox or
Safari applies them (--browser), to what a server really answers, and prints the
cause, the console message the browser shows, and the fix for the server's
platform. It reads a live endpoint (check), a browser's HAR export (har), a list
of checks in CI (ci) or an infrastructure template (lint); audit finds the
origins an endpoint wrongly lets read it, and explain reads a pasted console
error or a finding code.

Each command's --help gives its flags and exit codes. Docs:
` + report.ProjectURL + `.`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetIn(io.In)
	root.PersistentFlags().BoolVar(&io.NoColor, "no-color", false, "never colour the output (as --color never, or NO_COLOR)")
	root.PersistentFlags().StringVar(&io.ColorMode, "color", "auto", "colour the output: auto (on a terminal, unless NO_COLOR; FORCE_COLOR or CLICOLOR_FORCE force it), always or never")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		switch io.ColorMode {
		case "auto", "always", "never":
			return nil
		}
		return usageErrorf("--color %q: want auto, always or never", io.ColorMode)
	}
	root.PersistentFlags().BoolVar(&io.NoPager, "no-pager", false, "never send long output through $PAGER (less -FRX); output is paged only on a terminal")
	root.SetFlagErrorFunc(flagError)
	root.SetVersionTemplate("corsdiag {{.Version}}\n")
	for _, f := range commands {
		root.AddCommand(f(io))
	}
	registerCompletions(root)
	// cobra prints help as written, each flag's explanation on one line
	// however long: fit it to the terminal (80 columns when unknown) as
	// the rest of the output.
	fitHelpTemplates(root, io.TextWidth())
	return root
}

// Main runs corsdiag with args and returns the exit code.
func Main(args []string, io *IO) int {
	root := NewRoot(io)
	root.SetArgs(args)
	err := root.Execute()
	code := exitCode(io, err)
	var ee *ExitError
	if err != nil && !errors.As(err, &ee) {
		// cobra's own errors: unknown flag, wrong argument count.
		fmt.Fprintln(io.Err, "Run 'corsdiag --help' for usage.")
	}
	return code
}

// exitCode is the exit code of a command's error; it prints the error's
// message, if any, to io.Err.
func exitCode(io *IO, err error) int {
	if err == nil {
		return ExitAllowed
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Message != "" {
			fmt.Fprintln(io.Err, "corsdiag: "+sanitize(ee.Message, !ee.Unredacted))
		}
		return ee.Code
	}
	fmt.Fprintln(io.Err, "corsdiag: "+sanitize(err.Error(), true))
	return ExitUsage
}
