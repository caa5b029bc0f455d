package harfile

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const smallHAR = `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[]}}`

func gzipped(tb testing.TB, data ...[]byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	for _, d := range data { // several members: gzip -c a b > ab.gz
		w := gzip.NewWriter(&b)
		w.Write(d)
		if err := w.Close(); err != nil {
			tb.Fatal(err)
		}
	}
	return b.Bytes()
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

type zipEntry struct {
	name   string
	data   string
	method uint16
	flags  uint16
}

func zipped(tb testing.TB, entries ...zipEntry) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	// A method archive/zip does not read (93 is zstd), written as stored.
	w.RegisterCompressor(93, func(out io.Writer) (io.WriteCloser, error) { return nopCloser{out}, nil })
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: e.method, Flags: e.flags}
		if strings.HasSuffix(e.name, "/") {
			h.SetMode(fs.ModeDir | 0o755)
		}
		fw, err := w.CreateHeader(h)
		if err != nil {
			tb.Fatal(err)
		}
		io.WriteString(fw, e.data)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// TestUnpack reads each packing from a regular file and from a stream (a
// pipe's case): the HAR text comes out whole, or the error says why.
func TestUnpack(t *testing.T) {
	big := strings.Repeat("x", 300<<10) // past every buffer
	macOS := zipped(t,
		zipEntry{name: "__MACOSX/", method: zip.Store},
		zipEntry{name: "__MACOSX/._capture.har", data: "\x00\x05\x16\x07junk", method: zip.Deflate},
		zipEntry{name: "capture.har", data: smallHAR, method: zip.Deflate})
	gz := gzipped(t, []byte(smallHAR))
	for _, tc := range []struct {
		name   string
		data   []byte
		format string
		member string
		want   string // the HAR text; "" when unpacking fails
		err    string // in the error of Unpack, or of reading
		stream string // what a stream gives instead, when it differs
	}{
		{name: "plain", data: []byte(smallHAR), want: smallHAR},
		{name: "plain with a BOM", data: []byte("\ufeff" + smallHAR), want: "\ufeff" + smallHAR},
		{name: "empty", data: nil, want: ""},
		{name: "one byte", data: []byte{0x1f}, want: "\x1f"},
		{name: "gzip", data: gz, format: "gzip", want: smallHAR},
		{name: "gzip, large", data: gzipped(t, []byte(big)), format: "gzip", want: big},
		{name: "gzip, two members", data: gzipped(t, []byte(smallHAR[:10]), []byte(smallHAR[10:])), format: "gzip", want: smallHAR},
		{name: "gzip cut off", data: gz[:len(gz)-6], format: "gzip", err: "the gzip data is cut off"},
		{name: "gzip header only", data: gz[:3], format: "gzip", err: "the gzip data is cut off"},
		{name: "gzip, wrong checksum", data: append(append([]byte{}, gz[:len(gz)-8]...), 0, 0, 0, 0, 0, 0, 0, 0), format: "gzip", err: "its checksum does not match"},
		{name: "gzip, damaged stream", data: append(append([]byte{}, gz[:10]...), 0xff, 0xff, 0xff, 0xff, 0xff), format: "gzip", err: "the gzip data is damaged at byte"},
		{name: "zip", data: zipped(t, zipEntry{name: "capture.har", data: smallHAR, method: zip.Deflate}), format: "zip", member: "capture.har", want: smallHAR, stream: "a zip archive, which is read from a file only"},
		{name: "zip, stored", data: zipped(t, zipEntry{name: "dir/Capture.HAR", data: smallHAR, method: zip.Store}), format: "zip", member: "dir/Capture.HAR", want: smallHAR, stream: "from a file only"},
		{name: "zip from macOS Finder", data: macOS, format: "zip", member: "capture.har", want: smallHAR, stream: "from a file only"},
		{name: "zip, one file of another name", data: zipped(t, zipEntry{name: "export.json", data: smallHAR, method: zip.Deflate}), format: "zip", member: "export.json", want: smallHAR, stream: "from a file only"},
		{name: "zip, a .har and notes", data: zipped(t, zipEntry{name: "notes.txt", data: "hi"}, zipEntry{name: "a.har", data: smallHAR, method: zip.Deflate}), format: "zip", member: "a.har", want: smallHAR, stream: "from a file only"},
		{name: "zip, two .har files", data: zipped(t, zipEntry{name: "a.har", data: smallHAR}, zipEntry{name: "b.har", data: smallHAR}), format: "zip", err: "holds 2 .har files (a.har, b.har)", stream: "from a file only"},
		{name: "zip, no .har file", data: zipped(t, zipEntry{name: "a.txt"}, zipEntry{name: "b.txt"}), format: "zip", err: "holds no .har file (a.txt, b.txt)", stream: "from a file only"},
		{name: "zip, empty", data: zipped(t), format: "zip", err: "holds no .har file (it is empty)", stream: "from a file only"},
		{name: "zip, encrypted", data: zipped(t, zipEntry{name: "a.har", data: smallHAR, flags: 1}), format: "zip", err: "is encrypted", stream: "from a file only"},
		{name: "zip, unknown method", data: zipped(t, zipEntry{name: "a.har", data: smallHAR, method: 93}), format: "zip", err: "a compression method other than deflate", stream: "from a file only"},
		{name: "zip, cut off", data: zipped(t, zipEntry{name: "a.har", data: smallHAR})[:40], format: "zip", err: "the zip archive is damaged", stream: "from a file only"},
		{name: "zip, damaged entry", data: bytes.Replace(zipped(t, zipEntry{name: "a.har", data: smallHAR, method: zip.Store}), []byte(`"log"`), []byte(`"LOG"`), 1), format: "zip", member: "a.har", err: "its checksum does not match", stream: "from a file only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := writeOpen(t, filepath.Join(t.TempDir(), "in"), tc.data)
			for _, src := range []struct {
				name string
				r    io.Reader
			}{{"file", f}, {"stream", bytes.NewReader(tc.data)}} {
				want, wantErr := tc.want, tc.err
				if src.name == "stream" && tc.stream != "" {
					want, wantErr = "", tc.stream
				}
				r, p, err := Unpack(src.r)
				if p.Format != tc.format || (err == nil && p.Member != tc.member) {
					t.Errorf("%s: packing %+v, want format %q, member %q", src.name, p, tc.format, tc.member)
				}
				var got []byte
				if err == nil {
					got, err = io.ReadAll(r)
				}
				switch {
				case wantErr == "" && err != nil:
					t.Errorf("%s: %v", src.name, err)
				case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
					t.Errorf("%s: error %v, want one saying %q", src.name, err, wantErr)
				case wantErr == "" && string(got) != want:
					t.Errorf("%s: read %.40q (%d bytes), want %.40q (%d bytes)", src.name, got, len(got), want, len(want))
				}
			}
		})
	}
}

// TestUnpackPlainFileStaysMappable: a plain regular file comes back as it
// is, so the reader maps it; from where standard input stands, too.
func TestUnpackPlainFileStaysMappable(t *testing.T) {
	f := writeOpen(t, filepath.Join(t.TempDir(), "in.har"), []byte("  "+smallHAR))
	if _, err := f.Seek(2, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	r, p, err := Unpack(f)
	if err != nil || p.Format != "" || r != io.Reader(f) {
		t.Fatalf("Unpack = %T, %+v, %v; want the file itself", r, p, err)
	}
	if off, _ := f.Seek(0, io.SeekCurrent); off != 2 {
		t.Fatalf("offset %d after Unpack, want 2 (peeking must not move it)", off)
	}
	gz := writeOpen(t, filepath.Join(t.TempDir(), "in.har.gz"), append([]byte("xx"), gzipped(t, []byte(smallHAR))...))
	gz.Seek(2, io.SeekStart)
	r, p, err = Unpack(gz)
	if err != nil || p.Format != "gzip" {
		t.Fatalf("gzip after 2 bytes: %+v, %v", p, err)
	}
	if got, err := io.ReadAll(r); err != nil || string(got) != smallHAR {
		t.Fatalf("gzip after 2 bytes read %q, %v", got, err)
	}
}

// TestUnpackZipDirectoryBounded: an archive whose directory is past the
// bound is refused before archive/zip reads it into memory, zip64 or not.
func TestUnpackZipDirectoryBounded(t *testing.T) {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	name := strings.Repeat("n", 200)
	for i := 0; i < 5000; i++ {
		if _, err := w.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("%s%d.txt", name, i)}); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	f := writeOpen(t, filepath.Join(t.TempDir(), "many.zip"), b.Bytes())
	if _, _, err := Unpack(f); err == nil || !strings.Contains(err.Error(), "directory is") {
		t.Fatalf("Unpack = %v, want the directory refused", err)
	}
	// The sizes as zip64 writes them: the end record says 0xffffffff and
	// the zip64 record, which the locator points at, holds the size.
	zip64 := zip64Tail(1<<30, 0)
	f = writeOpen(t, filepath.Join(t.TempDir(), "zip64.zip"), zip64)
	if _, _, err := Unpack(f); err == nil || !strings.Contains(err.Error(), "directory is 1073741824 bytes") {
		t.Fatalf("zip64 Unpack = %v, want the directory refused", err)
	}
	if size, err := zipDirectorySize(bytes.NewReader(zip64Tail(512, 0)), int64(len(zip64))); err != nil || size != 512 {
		t.Fatalf("zip64 directory size %d, %v; want 512", size, err)
	}
}

// zip64Tail is a zip64 end record, its locator and the classic end record
// with the markers that send a reader to the zip64 one, after pad bytes.
func zip64Tail(dirSize uint64, pad int) []byte {
	b := append([]byte("PK\x03\x04"), make([]byte, pad)...)
	rec := len(b)
	le64 := func(v uint64) []byte {
		return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24), byte(v >> 32), byte(v >> 40), byte(v >> 48), byte(v >> 56)}
	}
	b = append(b, "PK\x06\x06"...)
	b = append(b, le64(44)...)                          // size of the rest
	b = append(b, 45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0) // versions, disks
	b = append(b, le64(1)...)                           // entries on this disk
	b = append(b, le64(1)...)                           // entries
	b = append(b, le64(dirSize)...)                     // directory size
	b = append(b, le64(0)...)                           // directory offset
	b = append(b, "PK\x06\x07"...)
	b = append(b, 0, 0, 0, 0)
	b = append(b, le64(uint64(rec))...)
	b = append(b, 1, 0, 0, 0)
	b = append(b, "PK\x05\x06"...)
	b = append(b, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0)
	return b
}

// TestUnpackCorpus: every HAR of the corpus, gzip-compressed or zipped,
// reads as the same entries as the file itself.
func TestUnpackCorpus(t *testing.T) {
	dir := corpusDir(t)
	var paths []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".har") {
			paths = append(paths, p)
		}
		return nil
	})
	if len(paths) < 20 {
		t.Fatalf("%d HAR files in the corpus, want 20 or more", len(paths))
	}
	tmp := t.TempDir()
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want, _, wantErr := readAll(t, bytes.NewReader(data))
		for _, packed := range [][]byte{gzipped(t, data), zipped(t, zipEntry{name: filepath.Base(p), data: string(data), method: zip.Deflate})} {
			f := writeOpen(t, filepath.Join(tmp, "packed"), packed)
			r, _, err := Unpack(f)
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			got, _, gotErr := readAll(t, r)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || len(got) != len(want) {
				t.Errorf("%s: %d entries, %v; the file itself gives %d, %v", p, len(got), gotErr, len(want), wantErr)
				continue
			}
			for i := range got {
				if got[i].Request.URL != want[i].Request.URL || got[i].Response.Status != want[i].Response.Status {
					t.Errorf("%s: entry %d differs", p, i)
				}
			}
		}
	}
}

// FuzzUnpack: whatever the bytes, from a file or a stream, Unpack and
// reading what it returns end in text or an error, never a panic.
func FuzzUnpack(f *testing.F) {
	f.Add([]byte(smallHAR))
	f.Add(gzipped(f, []byte(smallHAR)))
	f.Add(zipped(f, zipEntry{name: "a.har", data: smallHAR, method: zip.Deflate}))
	f.Add(zipped(f, zipEntry{name: "a.har", data: smallHAR}, zipEntry{name: "__MACOSX/._a.har"}))
	f.Add(zip64Tail(1<<20, 3))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, file := range []bool{true, false} {
			var src io.Reader = bytes.NewReader(data)
			if file {
				fh := writeOpen(t, filepath.Join(dir, "in"), data)
				src = fh
			}
			r, _, err := Unpack(src)
			if err != nil {
				continue
			}
			// Bounded: a small archive may inflate a thousandfold.
			io.Copy(io.Discard, io.LimitReader(r, 8<<20))
		}
	})
}
