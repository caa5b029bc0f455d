package harfile

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// stingyReader hands out at most step bytes a call, then err.
type stingyReader struct {
	data []byte
	step int
	err  error
}

func (s *stingyReader) Read(p []byte) (int, error) {
	if len(s.data) == 0 {
		return 0, s.err
	}
	n := copy(p[:min(len(p), s.step)], s.data)
	s.data = s.data[n:]
	if len(s.data) == 0 && s.err == io.EOF {
		return n, io.EOF // data and EOF together, as some readers do
	}
	return n, nil
}

type noProgress struct{}

func (noProgress) Read([]byte) (int, error) { return 0, nil }

func TestAheadReader(t *testing.T) {
	damage := errors.New("the gzip data is damaged at byte 7 of the compressed stream")
	sizes := []int{0, 1, readAheadChunk - 1, readAheadChunk, readAheadChunk + 1, 3*readAheadChunk + 17, (readAheadChunks+3)*readAheadChunk + 5}
	for _, size := range sizes {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i*7 + i/251)
		}
		for _, tc := range []struct {
			name string
			step int
			err  error
		}{
			{"whole, EOF", 1 << 30, io.EOF},
			{"4 KiB a call, EOF", 4 << 10, io.EOF},
			{"33 bytes a call, damage", 33, damage},
			{"whole, damage", 1 << 30, damage},
		} {
			a := newAheadReader(&stingyReader{data: data, step: tc.step, err: tc.err})
			var got bytes.Buffer
			buf := make([]byte, 1000) // reads that cut chunks anywhere
			var err error
			for err == nil {
				var n int
				n, err = a.Read(buf)
				got.Write(buf[:n])
			}
			if !bytes.Equal(got.Bytes(), data) {
				t.Errorf("%d bytes, %s: read %d bytes, not the same", size, tc.name, got.Len())
			}
			if err != tc.err {
				t.Errorf("%d bytes, %s: error %v, want %v", size, tc.name, err, tc.err)
			}
			if _, again := a.Read(buf); again != tc.err {
				t.Errorf("%d bytes, %s: read after the end gave %v, want %v again", size, tc.name, again, tc.err)
			}
			a.close()
			waitDone(t, a)
		}
	}
}

func TestAheadReaderNoProgress(t *testing.T) {
	a := newAheadReader(noProgress{})
	defer a.close()
	if n, err := a.Read(make([]byte, 10)); n != 0 || err != io.ErrNoProgress {
		t.Fatalf("a reader that never returns bytes: got %d, %v; want io.ErrNoProgress", n, err)
	}
}

// TestAheadReaderStopsEarly: a reader that stops before the end (a
// callback's ErrStop, damage) leaves no goroutine behind, whether it is
// waiting for a free buffer or handing one on.
func TestAheadReaderStopsEarly(t *testing.T) {
	for _, read := range []int{0, 1, readAheadChunk + 1} {
		a := newAheadReader(bytes.NewReader(make([]byte, 20*readAheadChunk)))
		if _, err := io.ReadFull(a, make([]byte, read)); err != nil {
			t.Fatal(err)
		}
		a.close()
		waitDone(t, a)
	}
}

func waitDone(t *testing.T, a *aheadReader) {
	t.Helper()
	select {
	case <-a.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the read-ahead goroutine did not stop")
	}
}

// TestPackedReadsAhead: a gzipped or zipped HAR is decompressed on the
// read-ahead goroutine (the scanner reads the aheadReader), and its entries
// are the plain file's; a plain stream is read directly.
func TestPackedReadsAhead(t *testing.T) {
	entry := `{"request":{"method":"GET","url":"https://api.example.com/a","headers":[{"name":"Origin","value":"https://app.example.com"}]},"response":{"status":200,"headers":[],"content":{"size":0}}}`
	plain := []byte(`{"log":{"version":"1.2","entries":[` + strings.Repeat(entry+",", 4000) + entry + `]}}`)
	for _, tc := range []struct {
		name  string
		data  []byte
		ahead bool
	}{
		{"gzip", gzipped(t, plain), true},
		{"zip", zipped(t, zipEntry{name: "s.har", data: string(plain), method: zip.Deflate}), true},
		{"plain", plain, false},
	} {
		path := filepath.Join(t.TempDir(), "s")
		if err := os.WriteFile(path, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var src io.Reader = f
		if !tc.ahead {
			src = bufio.NewReader(f) // a stream, as a pipe is: not mapped
		}
		r, _, err := Unpack(src)
		if err != nil {
			t.Fatal(err)
		}
		rd := NewReader(r, Options{})
		n, ahead := 0, false
		err = rd.ReadEntries(func(e *Entry) error {
			_, ahead = rd.s.r.(*aheadReader)
			n++
			return nil
		})
		if err != nil || n != 4001 {
			t.Errorf("%s: %d entries, %v; want 4001", tc.name, n, err)
		}
		if ahead != tc.ahead {
			t.Errorf("%s: read ahead %v, want %v", tc.name, ahead, tc.ahead)
		}
	}
}
