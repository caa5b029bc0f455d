package cli

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
)

// TestClosedOutputPipe: when the reader of standard output goes away
// (`corsdiag har big.har -o json | head`), corsdiag ends as other tools
// do, by SIGPIPE and without a word on standard error, whichever way the
// report reaches the pipe (the JSON report larger than 1 MiB is copied by
// sendfile from its spill file, which bypasses Go's own SIGPIPE rule).
func TestClosedOutputPipe(t *testing.T) {
	if testing.Short() {
		t.Skip("starts corsdiag in a process of its own")
	}
	har := filepath.Join(t.TempDir(), "big.har")
	if err := os.WriteFile(har, hartest.Chrome(3000, 64), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"har", har, "-o", "json"},
		{"har", har, "--all"},
		{"har", har, "-o", "html"},
	} {
		t.Run(args[len(args)-1], func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], args...)
			cmd.Env = append(os.Environ(), "CORSDIAG_TEST_MAIN=1")
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = w, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			w.Close()
			// As head does: read the start, then go away while corsdiag
			// is still writing (the pipe holds 64 KiB; the report more).
			if _, err := io.ReadFull(r, make([]byte, 10)); err != nil {
				t.Fatal(err)
			}
			r.Close()
			err = cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("corsdiag %v: %v, want death by SIGPIPE", args, err)
			}
			ws := exit.Sys().(syscall.WaitStatus)
			if !ws.Signaled() || ws.Signal() != syscall.SIGPIPE {
				t.Errorf("corsdiag %v ended with %v, want SIGPIPE", args, exit)
			}
			if stderr.Len() > 0 {
				t.Errorf("corsdiag %v wrote to stderr: %q", args, stderr.String())
			}
		})
	}
}
