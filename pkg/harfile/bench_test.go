package harfile

import (
	"bytes"
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
