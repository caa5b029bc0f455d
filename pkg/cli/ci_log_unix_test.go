//go:build unix

package cli

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// A report to corsdiag's own stdout (--report json=/dev/stdout) lands in
// the job log as the text report does, quoting the server's headers: in
// GitHub Actions it must be printed with workflow commands stopped too,
// and it goes through the stdout corsdiag holds, after the text report,
// not over it.
func TestCIReportIntoTheLog(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "https://app.example.com, ##[add-mask]x")
	}))
	defer srv.Close()
	path := writeConfig(t, "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - name: items\n    url: "+srv.URL+"/items\n")
	for _, format := range []string{"json", "markdown", "junit", "sarif", "html"} {
		for _, kind := range []string{"fifo", "file"} {
			t.Run(format+" "+kind, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "stdout")
				var r *os.File
				if kind == "fifo" {
					if err := syscall.Mkfifo(out, 0o644); err != nil {
						t.Skipf("mkfifo: %v", err)
					}
					var err error
					if r, err = os.OpenFile(out, os.O_RDONLY|syscall.O_NONBLOCK, 0); err != nil {
						t.Fatal(err)
					}
					defer r.Close()
				}
				w, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
				if err != nil {
					t.Fatal(err)
				}
				io, _, errb := fakeIO(map[string]string{"GITHUB_ACTIONS": "true"})
				io.Out = w
				code := Main([]string{"ci", "-f", path, "--retries", "0", "--report", format + "=" + out}, io)
				w.Close()
				var got bytes.Buffer
				if r != nil {
					got.ReadFrom(r)
				} else {
					b, _ := os.ReadFile(out)
					got.Write(b)
				}
				if code != ExitBlocked {
					t.Fatalf("exit %d, want 1: %s", code, errb)
				}
				if fi, err := os.Lstat(out); err != nil || (kind == "fifo") != (fi.Mode()&os.ModeNamedPipe != 0) {
					t.Errorf("%s was replaced: %v", out, err)
				}
				if !strings.Contains(got.String(), "CORS failures:") {
					t.Errorf("the text report is gone:\n%s", got.String())
				}
				if strings.Count(got.String(), "::stop-commands::") != 2 {
					t.Errorf("want the text report and the %s report each with commands stopped:\n%s", format, got.String())
				}
				// Outside the stopped blocks no line may hold the server's
				// command, but corsdiag's ::error annotations: the runner
				// parses a line that starts with :: as that command alone.
				stopped := regexp.MustCompile(`(?s)::stop-commands::(\S+)\n.*?\n::(\S+)::\n`)
				for _, l := range strings.Split(stopped.ReplaceAllString(got.String(), ""), "\n") {
					if strings.Contains(l, "##[add-mask]") && !strings.HasPrefix(l, "::error ") {
						t.Errorf("the server's ##[add-mask] runs as a command in the log:\n%s", l)
					}
				}
			})
		}
	}
}
