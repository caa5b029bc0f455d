package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

// harInputs are the ways har gets its file: a path, standard input
// redirected from the file, standard input a pipe.
var harInputs = []struct {
	name string
	// open returns the file argument and standard input.
	open func(t *testing.T, path string) (string, io.Reader)
}{
	{"path", func(t *testing.T, path string) (string, io.Reader) { return path, nil }},
	{"stdin file", func(t *testing.T, path string) (string, io.Reader) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return "-", f
	}},
	{"stdin pipe", func(t *testing.T, path string) (string, io.Reader) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			io.Copy(w, f)
			w.Close()
		}()
		t.Cleanup(func() {
			r.Close() // unblocks the writer if har stopped early
			<-done
			f.Close()
		})
		return "-", r
	}},
}

// runHarInput runs corsdiag with in as standard input (nil: empty).
func runHarInput(t testing.TB, in io.Reader, args ...string) (string, string, int) {
	t.Helper()
	sysIO, out, errOut := fakeIO(nil)
	if in != nil {
		sysIO.In = in
	}
	root := NewRoot(sysIO)
	root.SetArgs(args)
	code := exitCode(sysIO, root.Execute())
	return out.String(), errOut.String(), code
}

// har --browser all (and a list) reads the file once per browser and once
// for the report, whichever way the file comes.
func TestHarBrowsersInputs(t *testing.T) {
	const file = "testdata/har_browsers.har"
	for _, tc := range []struct {
		name string
		args []string
		// golden for a path; stdinGolden for standard input (the
		// report names its source), golden when empty.
		golden, stdinGolden string
	}{
		{"all text", []string{"--browser", "all"}, "har_browsers_all.txt", "har_browsers_all_stdin.txt"},
		{"all json", []string{"--browser", "all", "-o", "json"}, "har_browsers_all.json", ""},
		{"list json", []string{"--browser", "safari,firefox", "-o", "json"}, "har_browsers_list.json", ""},
	} {
		for _, input := range harInputs {
			t.Run(tc.name+"/"+input.name, func(t *testing.T) {
				arg, in := input.open(t, file)
				golden := tc.golden
				if arg == "-" && tc.stdinGolden != "" {
					golden = tc.stdinGolden
				}
				out, errOut, code := runHarInput(t, in, append([]string{"har", arg}, tc.args...)...)
				if code != ExitBlocked {
					t.Fatalf("exit %d, want %d\n%s", code, ExitBlocked, errOut)
				}
				assertGolden(t, golden, []byte(out))
			})
		}
	}
}

// writeBigHAR writes a HAR of at least size bytes, most of it response
// bodies (read past, never kept), and returns its path.
func writeBigHAR(t *testing.T, size int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big.har")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	body := strings.Repeat("x", 1<<20)
	fmt.Fprint(w, `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[{"id":"page_1","title":"https://app.example.com/"}],"entries":[`)
	for i := 0; i*len(body) < size; i++ {
		if i > 0 {
			w.WriteString(",")
		}
		fmt.Fprintf(w, `{"pageref":"page_1","startedDateTime":"2026-01-01T10:00:00.000Z","time":5,"request":{"method":"GET","url":"https://api.example.com/items/%d","httpVersion":"HTTP/1.1","headers":[{"name":"Origin","value":"https://app.example.com"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[{"name":"Access-Control-Allow-Origin","value":"https://app.example.com"}],"content":{"size":%d,"mimeType":"text/plain","text":"%s"}},"timings":{"send":1,"wait":1,"receive":1}}`, i, len(body), body)
	}
	fmt.Fprint(w, `]}}`)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return path
}

// The passes read the file where it is (mapped, or through the reader's
// buffer), never into memory: what the run allocates stays far below the
// file's size, which it would pass if any pass held the file.
func TestHarBrowsersMemoryFlat(t *testing.T) {
	const size = 32 << 20
	path := writeBigHAR(t, size)
	for _, input := range harInputs {
		t.Run(input.name, func(t *testing.T) {
			arg, in := input.open(t, path)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			out, errOut, code := runHarInput(t, in, "har", arg, "--browser", "all")
			runtime.ReadMemStats(&after)
			if code != ExitAllowed || !strings.Contains(out, "32 requests, 32 cross-origin") || !strings.Contains(out, "Browsers agree on every request") {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("allocated %d KiB", alloc>>10)
			if alloc > size/8 {
				t.Errorf("allocated %d MiB reading a %d MiB file", alloc>>20, size>>20)
			}
		})
	}
}

// Standard input that cannot be copied for the passes is a usage error.
func TestHarBrowsersInputErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tmpDir string
		in     io.Reader
		want   string
	}{
		{"no temporary directory", filepath.Join(t.TempDir(), "missing"), strings.NewReader(firefoxExport), "cannot copy standard input to a temporary file"},
		{"read error", "", iotest.ErrReader(errors.New("device gone")), "cannot read the HAR file: device gone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.tmpDir != "" {
				t.Setenv("TMPDIR", tc.tmpDir)
			}
			out, errOut, code := runHarInput(t, tc.in, "har", "-", "--browser", "all")
			if code != ExitUsage || !strings.Contains(errOut, tc.want) || out != "" {
				t.Errorf("exit %d, want %d with %q\nstdout %q\nstderr %q", code, ExitUsage, tc.want, out, errOut)
			}
		})
	}
}

// Standard input redirected from a regular file is mapped as a path is:
// reading it leaves its offset where it was, which reading through a
// buffer would move to the end.
func TestHarStdinFileMapped(t *testing.T) {
	path := writeBigHAR(t, 4<<20)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, errOut, code := runHarInput(t, f, "har", "-", "-o", "json")
	if code != ExitAllowed || !strings.Contains(out, `"entries": 4,`) {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if off, err := f.Seek(0, io.SeekCurrent); err != nil || off != 0 {
		t.Errorf("standard input was read through to offset %d (%v), not mapped", off, err)
	}
}
