package platform_test

import (
	"bytes"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

// BenchmarkAnalyzeChromeHAR is the platform step of `corsdiag har -o json`
// on genhar's Chrome-style requests (the shape of the 607 MB file):
// Analyze and Apply on each exchange as harfile's workers call them, the
// engine's diagnosis made beforehand. One op is every request of the file.
func BenchmarkAnalyzeChromeHAR(b *testing.B) {
	var exs []*cors.Exchange
	if _, _, err := harfile.Analyze(bytes.NewReader(hartest.Chrome(500, 64)), harfile.AnalyzeOptions{}, func(res *harfile.Result) error {
		if res.Exchange != nil {
			exs = append(exs, res.Exchange)
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	diags := make([]cors.Diagnosis, len(exs))
	for i, ex := range exs {
		diags[i] = *cors.Evaluate(ex)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, ex := range exs {
			d := diags[i]
			d.Findings = append([]cors.Finding(nil), d.Findings...)
			rep := platform.Analyze(platform.Input{Exchange: ex, Diagnosis: &d})
			rep.Apply(&d)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(exs)), "ns/request")
}
