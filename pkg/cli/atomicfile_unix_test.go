//go:build unix

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
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

// A report to a symlink goes to the file it leads to, and the link stays.
// /dev/stdout is one (to /proc/self/fd/1): with standard output redirected
// to a file, the atomic write renamed a temporary file over the link, so
// that, as root, /dev/stdout itself became a regular file holding the
// report, and the redirect's file never got it.
func TestReportThroughSymlink(t *testing.T) {
	srv := corsServer(t)
	config := writeConfig(t, "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - url: "+srv.URL+"/items\n")
	tests := []struct {
		name string
		// links are made in order, each name → its target, in a fresh
		// folder; the report is asked of the first.
		links  [][2]string
		target string // the file that must get the report
		old    bool   // target holds a previous report
	}{
		{"to a file", [][2]string{{"out.json", "real.json"}}, "real.json", true},
		{"a chain of links", [][2]string{{"out.json", "mid.json"}, {"mid.json", "sub/real.json"}}, "sub/real.json", true},
		{"to a file not there yet", [][2]string{{"out.json", "new.json"}}, "new.json", false},
		// As /dev/stdout with the shell's > redirect: the report follows
		// what the process wrote there, as printing it would.
		{"to a file descriptor", [][2]string{{"out.json", "/proc/self/fd/{fd}"}}, "real.json", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.old {
				if err := os.WriteFile(filepath.Join(dir, tt.target), []byte("previous"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, l := range tt.links {
				if strings.Contains(l[1], "{fd}") {
					f, err := os.OpenFile(filepath.Join(dir, tt.target), os.O_WRONLY|os.O_APPEND, 0)
					if err != nil {
						t.Fatal(err)
					}
					defer f.Close()
					l[1] = strings.Replace(l[1], "{fd}", strconv.Itoa(int(f.Fd())), 1)
					if _, err := os.Stat(l[1]); err != nil {
						t.Skipf("no /proc: %v", err)
					}
				}
				if err := os.Symlink(l[1], filepath.Join(dir, l[0])); err != nil {
					t.Fatal(err)
				}
			}
			io, _, errb := fakeIO(nil)
			if code := Main([]string{"ci", "-f", config, "--report", "json=" + filepath.Join(dir, tt.links[0][0])}, io); code != ExitAllowed {
				t.Fatalf("exit %d: %s", code, errb)
			}
			for _, l := range tt.links {
				if fi, err := os.Lstat(filepath.Join(dir, l[0])); err != nil || fi.Mode()&os.ModeSymlink == 0 {
					t.Errorf("%s is no longer a link: %v", l[0], err)
				}
			}
			got, err := os.ReadFile(filepath.Join(dir, tt.target))
			if err != nil || !strings.Contains(string(got), `"schema_version"`) {
				t.Errorf("%s holds %q (%v), want the report", tt.target, got, err)
			}
			if fd := strings.Contains(tt.links[0][1], "/fd/"); fd != strings.HasPrefix(string(got), "previous") {
				t.Errorf("%s starts %.20q: through a file descriptor the report follows what is there, else replaces it", tt.target, got)
			}
			for _, d := range []string{dir, filepath.Join(dir, "sub")} {
				if left, _ := filepath.Glob(filepath.Join(d, ".*.tmp-*")); len(left) > 0 {
					t.Errorf("temporary files left: %v", left)
				}
			}
		})
	}
}

// A rewritten report keeps its file's permissions, and a new one gets
// the umask's, as os.Create would give: the atomic write made every report
// 0644, so a --har-out file written with --no-redact (cookies, tokens),
// kept 0600 or written under umask 077, became readable by every user.
func TestReportPermissions(t *testing.T) {
	srv := corsServer(t)
	config := writeConfig(t, "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - url: "+srv.URL+"/items\n")
	tests := []struct {
		name  string
		old   os.FileMode // 0: no file yet
		umask int
		want  os.FileMode
	}{
		{"kept 0600", 0o600, 0o022, 0o600},
		{"kept 0640", 0o640, 0o022, 0o640},
		{"new, umask 077", 0, 0o077, 0o600},
		{"new, umask 022", 0, 0o022, 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report.json")
			if tt.old != 0 {
				if err := os.WriteFile(path, []byte("previous"), tt.old); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.old); err != nil {
					t.Fatal(err)
				}
			}
			// The umask is the process's: this test runs alone.
			defer syscall.Umask(syscall.Umask(tt.umask))
			io, _, errb := fakeIO(nil)
			if code := Main([]string{"ci", "-f", config, "--report", "json=" + path}, io); code != ExitAllowed {
				t.Fatalf("exit %d: %s", code, errb)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tt.want {
				t.Errorf("report is %v, want %v", got, tt.want)
			}
		})
	}
}

// har sanitize -o writes as reports do: through a symlink, into a FIFO
// or a device. It renamed a temporary file over the path, so that, as
// root, `-o /dev/null` or `-o /dev/stdout` replaced the device or link.
func TestHarSanitizeOutput(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in.har")
	if err := os.WriteFile(in, []byte(`{"log":{"entries":[{"request":{"method":"GET","url":"https://api.example.com/x","headers":[{"name":"Cookie","value":"sid=SanitizeMe42"}]},"response":{"status":200}}]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		make func(t *testing.T, dir string) (out string, read func() string)
		kind os.FileMode // what out must still be
	}{
		{"a symlink", func(t *testing.T, dir string) (string, func() string) {
			if err := os.Symlink("real.har", filepath.Join(dir, "out.har")); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, "out.har"), func() string {
				b, _ := os.ReadFile(filepath.Join(dir, "real.har"))
				return string(b)
			}
		}, os.ModeSymlink},
		{"a FIFO", func(t *testing.T, dir string) (string, func() string) {
			fifo := filepath.Join(dir, "out.fifo")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close() })
			return fifo, func() string {
				var b bytes.Buffer
				b.ReadFrom(r)
				return b.String()
			}
		}, os.ModeNamedPipe},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, read := tt.make(t, t.TempDir())
			_, errOut, code := runHarArgs(t, "", "har", "sanitize", in, "-o", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if fi, err := os.Lstat(out); err != nil || fi.Mode()&tt.kind == 0 {
				t.Errorf("%s was replaced: %v", out, err)
			}
			got := read()
			if !strings.Contains(got, `"entries"`) || strings.Contains(got, "SanitizeMe42") {
				t.Errorf("the output got %q, want the sanitized copy", got)
			}
		})
	}
}
