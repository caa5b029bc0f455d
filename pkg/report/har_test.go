package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
)

// harJSON is the full `har -o json` report of data; with prepare, the
// requests are encoded on the workers, as the command does.
func harJSON(t *testing.T, data []byte, opts harfile.AnalyzeOptions, prepare bool) string {
	t.Helper()
	var out bytes.Buffer
	r := NewHARRenderer(&out, HAROptions{JSON: true})
	if prepare {
		opts.Prepare = r.Prepare
	}
	sum, log, err := harfile.Analyze(bytes.NewReader(data), opts, r.Add)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Finish(sum, log, nil); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestHARPreparedOnWorkers: however many workers judge, and whether the
// renderer's work is done on them or not, the report is the one a single
// worker writes, in file order.
func TestHARPreparedOnWorkers(t *testing.T) {
	for name, data := range map[string][]byte{
		"conformance": hartest.Conformance(t),
		"bench":       hartest.Generate(300, 64),
	} {
		t.Run(name, func(t *testing.T) {
			want := harJSON(t, data, harfile.AnalyzeOptions{Workers: 1}, false)
			if !strings.Contains(want, `"verdict"`) || !strings.Contains(want, `"count"`) {
				t.Fatalf("no requests or problems in the report:\n%s", want)
			}
			// A window of 3 entries flushes while redirect chains and
			// preflight pairs are still forming.
			for _, opts := range []harfile.AnalyzeOptions{{Workers: 1}, {Workers: 2}, {Workers: 7}, {Workers: 3, Window: 3}} {
				wantHere := want
				if opts.Window != 0 {
					wantHere = harJSON(t, data, harfile.AnalyzeOptions{Workers: 1, Window: opts.Window}, false)
				}
				if got := harJSON(t, data, opts, true); got != wantHere {
					t.Errorf("workers %d window %d: report differs from the sequential one", opts.Workers, opts.Window)
				}
			}
		})
	}
}

// TestAppendHARRequestMatchesMarshal: the hand-written encoder writes what
// encoding/json writes, for every result of a real recording and for
// results holding the characters JSON escapes.
func TestAppendHARRequestMatchesMarshal(t *testing.T) {
	var results []*harfile.Result
	if _, _, err := harfile.Analyze(bytes.NewReader(hartest.Conformance(t)), harfile.AnalyzeOptions{}, func(r *harfile.Result) error {
		results = append(results, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	odd := "<a href=\"x\">&</a>\\\x00\x1b\x7f\b\f\n\r\t\u2028\u2029é\xff\xfe😀"
	results = append(results, &harfile.Result{
		Index: 7, Method: odd, URL: "https://api.test/" + odd, Origin: odd, OriginSource: odd, Verdict: cors.Blocked,
		Status: -1, NetError: odd, PreflightIndex: 3, OnlyPreflight: true, CauseSource: odd,
		Findings: []cors.Finding{{Code: cors.Code(odd), Severity: "error", Step: odd, Message: odd, BrowserMessage: odd,
			CorsError: odd, FailedParameter: odd, Fix: odd, Reported: true}},
		Reproduce: &cors.Request{Method: "PUT", URL: "https://api.test/" + odd, Origin: odd, Header: map[string][]string{"X-A": {odd}}},
	})
	for _, noRedact := range []bool{false, true} {
		r := NewHARRenderer(nil, HAROptions{JSON: true, NoRedact: noRedact})
		for _, res := range results {
			want, err := r.marshalHARRequest(res)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.appendHARRequest(nil, res, nil); !bytes.Equal(got, want) {
				t.Fatalf("result %d:\n got %s\nwant %s", res.Index, got, want)
			}
			// Prepared: the reported finding's text comes from its problem.
			prepared := *res
			r.Prepare(&prepared)
			if got := prepared.Rendered.(*harPrepared).json; !bytes.Equal(got, want) {
				t.Fatalf("prepared result %d:\n got %s\nwant %s", res.Index, got, want)
			}
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "<>&", "\"\\", "\x00\x1f\x7f", "\u2028\u2029", "\xff", "é😀", "a\xe2\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

// TestSpillBuffer: a JSON report larger than the in-memory limit is the
// same once spilled to a file.
func TestSpillBuffer(t *testing.T) {
	data := hartest.Generate(300, 64)
	want := harJSON(t, data, harfile.AnalyzeOptions{}, true)
	var out bytes.Buffer
	r := NewHARRenderer(&out, HAROptions{JSON: true})
	r.json.limit = 1000
	sum, log, err := harfile.Analyze(bytes.NewReader(data), harfile.AnalyzeOptions{Prepare: r.Prepare}, r.Add)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Finish(sum, log, nil); err != nil {
		t.Fatal(err)
	}
	if r.json.file == nil {
		t.Fatal("the report did not spill")
	}
	if out.String() != want {
		t.Fatal("the spilled report differs")
	}
}

// BenchmarkHARJSON is harfile's BenchmarkAnalyze plus the JSON report, as
// `corsdiag har -o json` runs it: encoded on the workers.
func BenchmarkHARJSON(b *testing.B) {
	data := hartest.Generate(500, 40<<10)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewHARRenderer(discard{}, HAROptions{JSON: true})
		sum, log, err := harfile.Analyze(bytes.NewReader(data), harfile.AnalyzeOptions{Prepare: r.Prepare}, r.Add)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Finish(sum, log, nil); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
