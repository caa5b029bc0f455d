package report

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSendFileBrokenPipe: a pipe whose reader is gone gives EPIPE (this
// process lives on: the pipe is not its standard output).
func TestSendFileBrokenPipe(t *testing.T) {
	src, err := os.Create(filepath.Join(t.TempDir(), "spill.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := src.Write(make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	src.Seek(0, 0)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	defer w.Close()
	handled, err := sendFile(w, src)
	if !handled || !errors.Is(err, syscall.EPIPE) {
		t.Errorf("sendFile to a broken pipe = %v, %v; want true, EPIPE", handled, err)
	}
}
