package harfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// conformanceHAR is a real Chromium recording with redirects, preflights,
// credentialed requests and failures.
func conformanceHAR(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "har", "chromium-conformance.har"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// reportJSON is the full `har -o json` report of data.
func reportJSON(t *testing.T, data []byte, opts AnalyzeOptions, prepare bool) string {
	t.Helper()
	var out bytes.Buffer
	r := NewRenderer(&out, RenderOptions{JSON: true})
	if prepare {
		opts.Prepare = r.Prepare
	}
	sum, log, err := Analyze(bytes.NewReader(data), opts, r.Add)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Finish(sum, log, nil); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestParallelAnalyzeIsSequential: however many workers judge, and
// whether the renderer's work is done on them or not, the report is the
// one a single worker writes, in file order.
func TestParallelAnalyzeIsSequential(t *testing.T) {
	for name, data := range map[string][]byte{
		"conformance": conformanceHAR(t),
		"bench":       benchHAR(300, 64),
		// A window of 3 entries flushes while redirect chains and
		// preflight pairs are still forming.
		"seeded": []byte(seededHAR()),
	} {
		t.Run(name, func(t *testing.T) {
			want := reportJSON(t, data, AnalyzeOptions{Workers: 1}, false)
			if !strings.Contains(want, `"verdict"`) {
				t.Fatalf("no requests in the report:\n%s", want)
			}
			for _, opts := range []AnalyzeOptions{{Workers: 1}, {Workers: 2}, {Workers: 7}, {Workers: 3, Window: 3}} {
				wantHere := want
				if opts.Window != 0 {
					wantHere = reportJSON(t, data, AnalyzeOptions{Workers: 1, Window: opts.Window}, false)
				}
				if got := reportJSON(t, data, opts, true); got != wantHere {
					t.Errorf("workers %d window %d: report differs from the sequential one", opts.Workers, opts.Window)
				}
			}
		})
	}
}

// TestEmitErrorStops: an error from emit ends Analyze with that error, and
// nothing is emitted after it.
func TestEmitErrorStops(t *testing.T) {
	boom := errors.New("boom")
	calls := 0
	_, _, err := Analyze(bytes.NewReader(benchHAR(2000, 16)), AnalyzeOptions{Workers: 2}, func(*Result) error {
		calls++
		if calls == 5 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want boom", err)
	}
	if calls != 5 {
		t.Fatalf("emit called %d times, want 5", calls)
	}
}

// TestAppendJSONRequestMatchesMarshal: the hand-written encoder writes what
// encoding/json writes, for every result of a real recording and for
// results holding the characters JSON escapes.
func TestAppendJSONRequestMatchesMarshal(t *testing.T) {
	var results []*Result
	if _, _, err := Analyze(bytes.NewReader(conformanceHAR(t)), AnalyzeOptions{}, func(r *Result) error {
		results = append(results, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	odd := "<a href=\"x\">&</a>\\\x00\x1b\x7f\b\f\n\r\t\u2028\u2029é\xff\xfe😀"
	results = append(results, &Result{
		Index: 7, Method: odd, URL: "https://api.test/" + odd, Origin: odd, OriginSource: odd, Verdict: cors.Blocked,
		Status: -1, NetError: odd, PreflightIndex: 3, OnlyPreflight: true, CauseSource: odd,
		Findings: []cors.Finding{{Code: cors.Code(odd), Severity: "error", Step: odd, Message: odd, BrowserMessage: odd,
			CorsError: odd, FailedParameter: odd, Fix: odd, Reported: true}},
		Reproduce: &cors.Request{Method: "PUT", URL: "https://api.test/" + odd, Origin: odd, Header: map[string][]string{"X-A": {odd}}},
	})
	for _, noRedact := range []bool{false, true} {
		r := NewRenderer(nil, RenderOptions{JSON: true, NoRedact: noRedact})
		for _, res := range results {
			want, err := r.marshalJSONRequest(res)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.appendJSONRequest(nil, res); !bytes.Equal(got, want) {
				t.Fatalf("result %d:\n got %s\nwant %s", res.Index, got, want)
			}
			// Prepared: the reported finding's text comes from its problem.
			prepared := *res
			r.Prepare(&prepared)
			if got := *prepared.encoded; !bytes.Equal(got, want) {
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

// FuzzSkipString: skipping a string (one pass, no decoding) ends where
// reading it does, with the same error.
func FuzzSkipString(f *testing.F) {
	for _, s := range []string{`"abc"`, `"a\"b"`, `"a\\"`, `"a\\\"b"`, `"\`, `"\u12"`, `"\ud800\"x"`, `"abc`, `"` + strings.Repeat(`\`, 9) + `"x"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || data[0] != '"' {
			data = append([]byte{'"'}, data...)
		}
		// A reader that returns one byte at a time makes runs of
		// backslashes cross fills.
		for _, r := range []func() *scanner{
			func() *scanner { return newScanner(bytes.NewReader(data)) },
			func() *scanner { return newScanner(&oneByteReader{data: data}) },
		} {
			keep, skip := r(), r()
			_, kerr := keep.readString(nil, true, 1<<20)
			serr := skip.skipString()
			if keep.offset() != skip.offset() || (kerr == nil) != (serr == nil) || (kerr != nil && kerr.Error() != serr.Error()) {
				t.Fatalf("%q: read ends at %d (%v), skip at %d (%v)", data, keep.offset(), kerr, skip.offset(), serr)
			}
		}
	})
}

type oneByteReader struct{ data []byte }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, errors.New("EOF")
	}
	p[0] = r.data[0]
	r.data = r.data[1:]
	return 1, nil
}

// TestMappedFile: a regular file large enough to be memory-mapped reads
// as the same bytes from a reader do, with the same results and the same
// error offset and line when it is cut off.
func TestMappedFile(t *testing.T) {
	data := benchHAR(300, 40<<10)
	if len(data)*2/3 < minMapSize {
		t.Fatalf("test file of %d bytes is too small to be mapped", len(data))
	}
	// Lines, so the error's line number is checked too.
	data = bytes.ReplaceAll(data, []byte(`},{"pageref"`), []byte("},\n{\"pageref\""))
	dir := t.TempDir()
	for name, content := range map[string][]byte{"whole": data, "cut": data[:len(data)-len(data)/3]} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".har")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			m := newScanner(f)
			if !m.mapped && runtime.GOOS != "windows" && runtime.GOOS != "js" && runtime.GOOS != "wasip1" {
				t.Fatal("the file was not mapped")
			}
			m.close()
			var fromFile, fromReader []string
			collect := func(out *[]string) func(*Result) error {
				return func(r *Result) error {
					*out = append(*out, string(r.Verdict)+" "+r.Method+" "+r.URL)
					return nil
				}
			}
			sumF, _, errF := Analyze(f, AnalyzeOptions{}, collect(&fromFile))
			sumR, _, errR := Analyze(bytes.NewReader(content), AnalyzeOptions{}, collect(&fromReader))
			if sumF != sumR || strings.Join(fromFile, "\n") != strings.Join(fromReader, "\n") {
				t.Fatalf("mapped: %+v (%d results), read: %+v (%d results)", sumF, len(fromFile), sumR, len(fromReader))
			}
			if (errF == nil) != (errR == nil) || (errF != nil && errF.Error() != errR.Error()) {
				t.Fatalf("mapped error %v, read error %v", errF, errR)
			}
			if name == "cut" && errF == nil {
				t.Fatal("a cut-off file read without error")
			}
		})
	}
}

// TestSpillBuffer: a JSON report larger than the in-memory limit is the
// same once spilled to a file.
func TestSpillBuffer(t *testing.T) {
	data := benchHAR(300, 64)
	want := reportJSON(t, data, AnalyzeOptions{}, true)
	var out bytes.Buffer
	r := NewRenderer(&out, RenderOptions{JSON: true})
	r.json.limit = 1000
	sum, log, err := Analyze(bytes.NewReader(data), AnalyzeOptions{Prepare: r.Prepare}, r.Add)
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
