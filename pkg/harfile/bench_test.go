package harfile

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
)

func BenchmarkReader(b *testing.B) {
	data := hartest.Generate(500, 40<<10)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := NewReader(bytes.NewReader(data), Options{}).ReadEntries(func(*Entry) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyze is the reader plus pairing and the engine on every
// cross-origin request.
func BenchmarkAnalyze(b *testing.B) {
	data := hartest.Generate(500, 40<<10)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Analyze(bytes.NewReader(data), AnalyzeOptions{}, func(*Result) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyzeBrief is BenchmarkAnalyze as the text report runs it:
// allowed requests keep their verdict alone (BriefAllowed).
func BenchmarkAnalyzeBrief(b *testing.B) {
	data := hartest.Generate(500, 40<<10)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Analyze(bytes.NewReader(data), AnalyzeOptions{BriefAllowed: true}, func(*Result) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReaderFile reads genhar's Chrome-style shape from a file, the
// way `corsdiag har FILE` does: memory-mapped, pages handed back behind
// the scan, the first 4 KiB of each body kept.
func BenchmarkReaderFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "chrome.har")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := hartest.WriteChrome(w, 1000, 40<<10); err != nil {
		b.Fatal(err)
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		err = NewReader(f, Options{BodyLimit: DefaultBodyLimit}).ReadEntries(func(*Entry) error { return nil })
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
}
