package cli

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"syscall"
)

// Output longer than the screen goes through a pager on a terminal, as git
// and gh do: $PAGER, else "less -FRX" (-F quits when it fits one screen,
// -R keeps colours, -X leaves the text on the screen). Never when piped,
// with --no-pager, or with PAGER=cat or an empty PAGER.

// startPager sends io.Out through the pager and returns the function that
// closes it and waits for the user to quit it. When there is no pager to
// run, io.Out is unchanged and the function does nothing.
func startPager(sysIO *IO) (done func()) {
	nothing := func() {}
	if !sysIO.OutIsTerminal || sysIO.NoPager {
		return nothing
	}
	pager, set := lookupEnv(sysIO, "CORSDIAG_PAGER")
	if !set {
		pager, set = lookupEnv(sysIO, "PAGER")
	}
	if !set {
		if _, err := exec.LookPath("less"); err != nil {
			return nothing
		}
		pager = "less -FRX"
	}
	if pager == "" || pager == "cat" {
		return nothing
	}
	cmd := exec.Command("sh", "-c", pager)
	cmd.Stdout, cmd.Stderr = sysIO.Out, sysIO.Err
	cmd.Env = append(os.Environ(), "LESSCHARSET=utf-8")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nothing
	}
	if err := cmd.Start(); err != nil {
		return nothing
	}
	out := sysIO.Out
	sysIO.Out = quitTolerant{in}
	return func() {
		in.Close()
		cmd.Wait()
		sysIO.Out = out
	}
}

// lookupEnv reads an environment variable through IO, telling unset from
// empty (PAGER= turns paging off).
func lookupEnv(sysIO *IO, key string) (string, bool) {
	if sysIO.LookupEnv != nil {
		return sysIO.LookupEnv(key)
	}
	v := sysIO.Getenv(key)
	return v, v != ""
}

// quitTolerant drops what is written after the user quit the pager (the
// pipe is closed): the rest of the report is not wanted, and a "broken
// pipe" must not turn a diagnosis into an error exit.
type quitTolerant struct{ w io.Writer }

func (q quitTolerant) Write(p []byte) (int, error) {
	n, err := q.w.Write(p)
	if errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed) {
		return len(p), nil
	}
	return n, err
}
