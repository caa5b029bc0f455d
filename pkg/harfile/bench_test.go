package harfile

import (
	"bytes"
	"os"
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
	path := writeChromeFile(b, 1000, 40<<10)
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

// judgeJobs pairs the entries of genhar's file as Analyze does and returns
// the jobs its workers would judge, with the analyzer that judges them.
func judgeJobs(b *testing.B, opts AnalyzeOptions) (*analyzer, []job) {
	opts.Reader.BodyLimit, opts.Window = DefaultBodyLimit, 512
	a := &analyzer{opts: opts, unpaired: map[string][]*pending{}, redirectTo: map[string][]*pending{}}
	// A pipeline without workers: the batches wait in its channel.
	a.pl = &pipeline{a: a, work: make(chan *batch, 1<<10), order: make(chan *batch, 1<<10)}
	rd := NewReader(bytes.NewReader(hartest.Chrome(1000, 4<<10)), opts.Reader)
	err := rd.ReadEntries(func(e *Entry) error {
		a.pages = rd.Log.Pages
		a.recorder(rd.Log.Creator, rd.Log.Browser, e)
		a.add(e)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	a.flush(0)
	a.pl.send()
	close(a.pl.work)
	var jobs []job
	for bt := range a.pl.work {
		jobs = append(jobs, bt.jobs...)
	}
	return a, jobs
}

// benchmarkJudge judges every cross-origin request of genhar's file on one
// goroutine: the engine and platform work a worker does, without reading.
func benchmarkJudge(b *testing.B, opts AnalyzeOptions) {
	a, jobs := judgeJobs(b, opts)
	b.ReportAllocs()
	for b.Loop() {
		for i := range jobs {
			j := jobs[i]
			if res := a.run(&j); res == nil {
				b.Fatal("no result")
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(jobs)), "ns/request")
}

func BenchmarkJudge(b *testing.B) { benchmarkJudge(b, AnalyzeOptions{}) }

// BenchmarkJudgeJSON is BenchmarkJudge as the JSON report asks for it.
func BenchmarkJudgeJSON(b *testing.B) { benchmarkJudge(b, AnalyzeOptions{NoRequestHeaders: true}) }

// BenchmarkJudgeBrief is BenchmarkJudge as the text report asks for it.
func BenchmarkJudgeBrief(b *testing.B) {
	benchmarkJudge(b, AnalyzeOptions{BriefAllowed: true, NoRequestHeaders: true})
}
