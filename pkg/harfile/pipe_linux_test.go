package harfile

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
)

// A HAR piped in is read through a pipe grown to pipeBufSize (or the
// system's limit, when lower), with the same results as from memory.
func TestPipeGrown(t *testing.T) {
	want := pipeBufSize
	if b, err := os.ReadFile("/proc/sys/fs/pipe-max-size"); err == nil {
		if max, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && max < want {
			want = max
		}
	}
	data := hartest.Generate(200, 8<<10)
	wantSum, _, err := Analyze(bytes.NewReader(data), AnalyzeOptions{}, func(*Result) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		w.Write(data)
		w.Close()
	}()
	sum, _, err := Analyze(r, AnalyzeOptions{}, func(*Result) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if sum != wantSum {
		t.Errorf("through a pipe: %+v\nfrom memory: %+v", sum, wantSum)
	}
	size, _, errno := syscall.Syscall(syscall.SYS_FCNTL, r.Fd(), fGetPipeSize, 0)
	if errno != 0 || int(size) != want {
		t.Errorf("pipe buffer %d bytes (%v), want %d", size, errno, want)
	}
	// Not a pipe: left alone.
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	growPipe(f)
	growPipe(io.Reader(bytes.NewReader(nil)))
}
