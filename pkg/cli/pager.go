package cli

import (
	"os"
	"os/exec"
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
	sysIO.Out = in
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
