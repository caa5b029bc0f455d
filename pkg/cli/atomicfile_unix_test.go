//go:build unix

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A report to a FIFO (as to /dev/stdout or /dev/null, which are no
// regular files either) is written into it. The atomic write renamed a
// temporary file over it: run as root, as CI containers are, that
// replaced /dev/null itself with a regular file.
func TestReportIntoSpecialFile(t *testing.T) {
	srv := corsServer(t)
	for _, format := range []struct{ name, want string }{
		{"json", `"schema_version"`},
		{"junit", "<testsuites"},
		{"markdown", "## ✅ corsdiag"},
	} {
		t.Run(format.name, func(t *testing.T) {
			dir := t.TempDir()
			fifo := filepath.Join(dir, "out.fifo")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			// A reader is there first (non-blocking open), so corsdiag's
			// open for writing does not block; once corsdiag closes it,
			// the reader gets the report, then EOF. The report fits the
			// pipe's buffer.
			r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			path := writeConfig(t, "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - url: "+srv.URL+"/items\n")
			io, _, errb := fakeIO(nil)
			code := Main([]string{"ci", "-f", path, "--report", format.name + "=" + fifo}, io)
			fi, lerr := os.Lstat(fifo)
			var got bytes.Buffer
			got.ReadFrom(r)
			if code != ExitAllowed {
				t.Errorf("exit %d: %s", code, errb)
			}
			if lerr != nil || fi.Mode()&os.ModeNamedPipe == 0 {
				t.Errorf("the FIFO was replaced: %v, mode %v", lerr, fi.Mode())
			}
			if !strings.Contains(got.String(), format.want) {
				t.Errorf("the FIFO got %q, want the %s report", got.String(), format.name)
			}
		})
	}
}
