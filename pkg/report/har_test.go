package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
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

// TestHARPreparedOnWorkers: the report whose requests were encoded and
// grouped by Prepare on many workers is the one Add renders alone on one.
// (harfile tests that the results themselves do not depend on workers.)
func TestHARPreparedOnWorkers(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		window int // a window of 3 flushes while redirects and preflight pairs form
	}{
		{"conformance", hartest.Conformance(t), 0},
		{"conformance, small window", hartest.Conformance(t), 3},
		{"generated", hartest.Generate(300, 64), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := harJSON(t, tt.data, harfile.AnalyzeOptions{Workers: 1, Window: tt.window}, false)
			if !strings.Contains(want, `"verdict"`) || !strings.Contains(want, `"count"`) {
				t.Fatalf("no requests or problems in the report:\n%s", want)
			}
			if got := harJSON(t, tt.data, harfile.AnalyzeOptions{Workers: 7, Window: tt.window}, true); got != want {
				t.Errorf("prepared on the workers, the report differs from the one Add rendered")
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
	odd := "<a href=\"x\">&</a>\\\x00\x1b\x7f\b\f\n\r\t\u2028\u2029é\xff\xfe😀\u0085\u202e\U000e0041"
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
			// Prepared: the reported finding's text comes from its problem;
			// the second and third time, texts come from the renderer's
			// memory of those seen before.
			for range 3 {
				prepared := *res
				r.Prepare(&prepared)
				if got := prepared.Rendered.(*harPrepared).json; !bytes.Equal(got, want) {
					t.Fatalf("prepared result %d:\n got %s\nwant %s", res.Index, got, want)
				}
			}
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "<>&", "\"\\", "\x00\x1f\x7f", "\u2028\u2029", "\xff", "é😀", "a\xe2\x80", "\u0085\u202e\U000e0041"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		want = termsafe.EscapeJSON(want)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

// FuzzAppendCleanJSON: the one-pass clean and escape writes what
// termsafe.Clean then appendJSONString do.
func FuzzAppendCleanJSON(f *testing.F) {
	for _, s := range []string{"", "plain text, eight+", "<>&\"\\ and more than 8", "\x00\x1f\x7f", "tab\there", "0123456\x7f", "é😀 after ascii", "\xff", "\u0085\u202e\U000e0041"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := appendJSONString([]byte("x"), termsafe.Clean(s))
		if got := appendCleanJSON([]byte("x"), s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

// FuzzAppendMessage: a message split around the request's URL is
// encoded as the whole message redacted, cleaned and escaped, asked once
// or again (its parts remembered).
func FuzzAppendMessage(f *testing.F) {
	f.Add("the browser sends a preflight: OPTIONS ", "https://api.test/v1/items/2?page=2", " with Origin: https://app.test; none <recorded>")
	f.Add("OPTIONS ", "https://u:p@api.test/x?sig=abc&b=\"2\"", " with")
	f.Add("a token: ", "https://api.test/x", " \x1b[31m")
	f.Add("é ", "https://api.test/é", " ")
	f.Fuzz(func(t *testing.T, pre, url, post string) {
		tx := newJSONTexts()
		tx.split, tx.url = true, url
		s := pre + url + post
		want := appendJSONString(nil, termsafe.Clean(redact.Text(s)))
		for range 2 {
			if got := tx.appendMessage(nil, s, redact.Text); !bytes.Equal(got, want) {
				t.Fatalf("%q around %q: got %s, want %s", s, url, got, want)
			}
		}
	})
}

// TestSpillBuffer: a JSON report larger than the in-memory limit is the
// same once spilled to a file, copied back through memory or, to a file
// or a pipe, by the kernel (HAROptions.Direct).
func TestSpillBuffer(t *testing.T) {
	data := hartest.Generate(300, 64)
	want := harJSON(t, data, harfile.AnalyzeOptions{}, true)
	// Each case gives the writer the report goes to, its file (Direct)
	// and how to read back what it holds once closed.
	type sink struct {
		out    io.Writer
		direct *os.File
		read   func() string
	}
	file := func(t *testing.T, flag int, before string) sink {
		path := filepath.Join(t.TempDir(), "report.json")
		if err := os.WriteFile(path, []byte(before), 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|flag, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		bw := bufio.NewWriter(f)
		return sink{bw, f, func() string {
			bw.Flush()
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}}
	}
	for _, tc := range []struct {
		name   string
		before string
		sink   func(t *testing.T) sink
	}{
		{"memory", "", func(t *testing.T) sink {
			var b bytes.Buffer
			return sink{&b, nil, b.String}
		}},
		{"file", "", func(t *testing.T) sink { return file(t, os.O_TRUNC, "") }},
		{"file appended to", "earlier\n", func(t *testing.T) sink { return file(t, os.O_APPEND, "earlier\n") }},
		{"pipe", "", func(t *testing.T) sink {
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			got := make(chan string)
			go func() {
				b, _ := io.ReadAll(pr)
				pr.Close()
				got <- string(b)
			}()
			return sink{pw, pw, func() string { pw.Close(); return <-got }}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sk := tc.sink(t)
			r := NewHARRenderer(sk.out, HAROptions{JSON: true, Direct: sk.direct})
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
			if got := sk.read(); got != tc.before+want {
				t.Fatalf("the spilled report differs: %d bytes, want %d", len(got), len(tc.before+want))
			}
		})
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

// TestHARFollowsUnderCause: a problem's other errors that follow from its
// cause are grouped under it ("N more follow from this"), in text and in
// the problem's JSON; errors that do not follow from it are not.
func TestHARFollowsUnderCause(t *testing.T) {
	const cause, reported = "apigw-no-options-method", cors.CodePreflightMissingAllowOrigin
	blocked := func(i int, follows ...cors.Code) *harfile.Result {
		fs := []cors.Finding{{Code: reported, Severity: cors.SeverityError, Step: "preflight", Message: "no header", Reported: true, FollowsFrom: cause}}
		for _, c := range follows {
			fs = append(fs, cors.Finding{Code: c, Severity: cors.SeverityError, Step: "preflight", Message: string(c) + " message", FollowsFrom: cause})
		}
		fs = append(fs,
			cors.Finding{Code: cors.CodePreflightReasons, Severity: cors.SeverityInfo, Step: "request", Message: "a preflight is sent"},
			cors.Finding{Code: cause, Severity: cors.SeverityError, Step: "preflight", Message: "no OPTIONS method", Cause: true})
		return &harfile.Result{Index: i, Method: "PUT", URL: "https://api.test/items/1", Origin: "https://app.test",
			Verdict: cors.Blocked, Status: 403, CORSMode: true, PreflightIndex: -1, Findings: fs}
	}
	tests := []struct {
		name     string
		follows  []cors.Code
		wantText []string
		noText   []string
	}{
		{"three follow", []cors.Code{cors.CodePreflightStatus, cors.CodeMethodNotAllowed, cors.CodeHeaderNotAllowed},
			[]string{"  Follows:   3 more follow from this:\n", "             - preflight-invalid-status (preflight): preflight-invalid-status message\n", "- header-not-allowed (preflight)"},
			[]string{"preflight-required (", "- " + string(reported)}},
		{"one follows", []cors.Code{cors.CodePreflightStatus},
			[]string{"  Follows:   1 more follows from this:\n"}, []string{"follow from this"}},
		{"none", nil, nil, []string{"Follows:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, asJSON := range []bool{false, true} {
				var out bytes.Buffer
				r := NewHARRenderer(&out, HAROptions{JSON: asJSON, Source: "x.har"})
				for i := range 2 {
					res := blocked(i, tt.follows...)
					r.Prepare(res)
					if err := r.Add(res); err != nil {
						t.Fatal(err)
					}
				}
				if err := r.Finish(harfile.Summary{Requests: 2, Blocked: 2}, &harfile.Log{}, nil); err != nil {
					t.Fatal(err)
				}
				if !asJSON {
					for _, w := range tt.wantText {
						if !strings.Contains(out.String(), w) {
							t.Errorf("text lacks %q:\n%s", w, out.String())
						}
					}
					for _, w := range tt.noText {
						if strings.Contains(out.String(), w) {
							t.Errorf("text has %q:\n%s", w, out.String())
						}
					}
					continue
				}
				var doc struct {
					Problems []struct {
						Count   int
						Follows []harFollow
					}
				}
				if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
					t.Fatal(err)
				}
				if len(doc.Problems) != 1 || doc.Problems[0].Count != 2 {
					t.Fatalf("problems %+v, want one of 2 requests", doc.Problems)
				}
				var got []cors.Code
				for _, f := range doc.Problems[0].Follows {
					got = append(got, cors.Code(f.Code))
				}
				if !slices.Equal(got, tt.follows) {
					t.Errorf("JSON follows %v, want %v", got, tt.follows)
				}
			}
		})
	}
}

// TestHARStatusesOfTheReportedAnswer: a problem's statuses are those of
// the answers its error is about: the preflight's when the preflight
// failed, else what the file recorded for the request.
func TestHARStatusesOfTheReportedAnswer(t *testing.T) {
	tests := []struct {
		name                string
		step                string
		recorded, preflight int
		want                string
	}{
		{"failed preflight, actual sent anyway", "preflight", 200, 401, "401"},
		{"failed preflight, request never sent", "preflight", 0, 403, "403"},
		{"failed preflight, no status recorded for it", "preflight", 0, 0, "0"},
		{"actual", "actual", 500, 204, "500"},
		{"actual, no status recorded", "actual", 0, 204, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			r := NewHARRenderer(&out, HAROptions{JSON: true})
			res := &harfile.Result{Index: 0, Method: "GET", URL: "https://api.test/x", Origin: "https://app.test", Verdict: cors.Blocked,
				Status: tt.recorded, PreflightIndex: 1, PreflightStatus: tt.preflight,
				Findings: []cors.Finding{{Code: cors.CodeMissingAllowOrigin, Severity: cors.SeverityError, Step: tt.step, Reported: true}}}
			if err := r.Add(res); err != nil {
				t.Fatal(err)
			}
			if err := r.Finish(harfile.Summary{}, &harfile.Log{}, nil); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Problems []struct{ Statuses map[string]int }
			}
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Problems) != 1 || len(doc.Problems[0].Statuses) != 1 || doc.Problems[0].Statuses[tt.want] != 1 {
				t.Fatalf("statuses %+v, want {%s: 1}", doc.Problems, tt.want)
			}
		})
	}
}

// TestHARGroupsCauseNotInFile: blocked requests whose cause the file does
// not hold are one problem per page origin, server and method, whatever
// their paths and queries (2000 failed polls are one problem, not 2000),
// each with its example's check command.
func TestHARGroupsCauseNotInFile(t *testing.T) {
	var out bytes.Buffer
	r := NewHARRenderer(&out, HAROptions{JSON: true})
	for i, req := range []struct{ method, url string }{
		{"GET", "https://api.test/a?x=1"},
		{"GET", "https://api.test/b/2?x=2"},
		{"PUT", "https://api.test/a?x=1"},
		{"GET", "https://other.test/a?x=1"},
		{"GET", "https://api.test/c"},
	} {
		res := &harfile.Result{Index: i, Method: req.method, URL: req.url, Origin: "https://app.test", Verdict: cors.Blocked,
			CauseSource: harfile.CauseUnknown, Reproduce: &cors.Request{Method: req.method, URL: req.url, Origin: "https://app.test"},
			Findings: []cors.Finding{{Code: harfile.CodeCauseNotInFile, Severity: cors.SeverityError, Step: "actual", Reported: true}}}
		if err := r.Add(res); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Finish(harfile.Summary{}, &harfile.Log{}, nil); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Problems []struct {
			Count     int    `json:"count"`
			Target    string `json:"target"`
			Reproduce string `json:"reproduce"`
			Example   int    `json:"example_index"`
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	type problem struct {
		count   int
		target  string
		example int
	}
	var got []problem
	for _, p := range doc.Problems {
		got = append(got, problem{p.Count, p.Target, p.Example})
		if !strings.HasPrefix(p.Reproduce, "corsdiag check ") {
			t.Errorf("problem of example #%d: reproduce %q, want its check command", p.Example, p.Reproduce)
		}
	}
	want := []problem{{3, "https://api.test", 0}, {1, "https://api.test", 2}, {1, "https://other.test", 3}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems %+v, want %+v", got, want)
	}
}

// BenchmarkHARPrepareChrome is Prepare for `corsdiag har -o json` on
// genhar's Chrome-style requests (the shape of the 607 MB file),
// the requests judged and explained beforehand: the encoding and
// redaction each worker does per request. One op is every request, their
// problem groups made (as they are for all but the first few requests of
// a file).
func BenchmarkHARPrepareChrome(b *testing.B) {
	var results []*harfile.Result
	if _, _, err := harfile.Analyze(bytes.NewReader(hartest.Chrome(500, 64)), harfile.AnalyzeOptions{}, func(res *harfile.Result) error {
		results = append(results, res)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	r := NewHARRenderer(discard{}, HAROptions{JSON: true})
	for _, res := range results {
		r.Prepare(res)
		if err := r.Add(res); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, res := range results {
			r.Prepare(res)
			p := res.Rendered.(*harPrepared)
			res.Rendered, p.problem, p.key = nil, nil, ""
			preparedPool.Put(p)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(results)), "ns/request")
}

// TestJSONTextsBounded: the memory of texts seen before answers what
// encoding them again would, whether new, seen once, remembered or
// forgotten, and never holds more than maxJSONTexts of each kind.
func TestJSONTextsBounded(t *testing.T) {
	redact := func(s string) string { return strings.ToUpper(s) }
	tx := newJSONTexts()
	for round := range 3 {
		for i := range 3 * maxJSONTexts {
			k := i % (maxJSONTexts + 7) // more than fit: forgotten
			if i%2 == 1 {
				k = i % 5 // remembered
			}
			s := fmt.Sprintf("text <%d> \x1b", k)
			if got, want := string(tx.appendText(nil, s, redact)), string(appendJSONString(nil, termsafe.Clean(redact(s)))); got != want {
				t.Fatalf("round %d, %q cleaned: got %s, want %s", round, s, got, want)
			}
			if got, want := string(tx.appendText(nil, s, nil)), string(appendJSONString(nil, s)); got != want {
				t.Fatalf("round %d, %q: got %s, want %s", round, s, got, want)
			}
			if len(tx.cleaned) > maxJSONTexts || len(tx.plain) > maxJSONTexts {
				t.Fatalf("%d and %d texts remembered", len(tx.cleaned), len(tx.plain))
			}
		}
	}
	long := strings.Repeat("x", maxJSONTextLen+1)
	tx.appendText(nil, long, nil)
	if _, ok := tx.plain[long]; ok {
		t.Fatal("a text longer than maxJSONTextLen was remembered")
	}
}

// TestAppendHARProblemsMatchesMarshal: the hand-written encoder of the
// problems writes what json.MarshalIndent and termsafe.EscapeJSON write,
// for the problems of a real recording and for odd ones.
func TestAppendHARProblemsMatchesMarshal(t *testing.T) {
	r := NewHARRenderer(discard{}, HAROptions{JSON: true})
	if _, _, err := harfile.Analyze(bytes.NewReader(hartest.Conformance(t)), harfile.AnalyzeOptions{Prepare: r.Prepare}, r.Add); err != nil {
		t.Fatal(err)
	}
	if len(r.order) == 0 {
		t.Fatal("the recording has no problems")
	}
	odd := "<a href=\"x\">&</a>\\\x00\x1b\x7f\u2028é\xff😀\u0085\u202e"
	tests := []struct {
		name     string
		problems []*harProblem
	}{
		{"none", nil},
		{"empty", []*harProblem{}},
		{"recording", r.order},
		{"odd", []*harProblem{
			{Code: odd, Severity: odd, Count: 3, Cause: odd, Platform: odd, Statuses: map[string]int{"0": 1, "404": 2, "200": 7, odd: 1},
				Origin: odd, Target: odd, Message: odd, BrowserMessage: odd, CorsError: odd, FailedParameter: odd, Fix: odd + "\n" + odd,
				Reproduce: odd, Docs: odd, Follows: []harFollow{{odd, odd, odd}, {"a", "b", ""}}, Example: -1},
			{Statuses: map[string]int{"200": 1}, Follows: []harFollow{}},
			{Statuses: map[string]int{}},
			{},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := tt.problems
			if problems == nil {
				problems = []*harProblem{}
			}
			want, err := json.MarshalIndent(problems, "  ", "  ")
			if err != nil {
				t.Fatal(err)
			}
			want = termsafe.EscapeJSON(want)
			if got := appendHARProblems(nil, tt.problems); !bytes.Equal(got, want) {
				t.Fatalf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// BenchmarkHARProblemsChrome encodes the problems of genhar's file (each
// failed request a problem of its own): the end of `har -o json`, on one
// core. One op is every problem.
func BenchmarkHARProblemsChrome(b *testing.B) {
	r := NewHARRenderer(discard{}, HAROptions{JSON: true})
	if _, _, err := harfile.Analyze(bytes.NewReader(hartest.Chrome(2000, 64)), harfile.AnalyzeOptions{Prepare: r.Prepare}, r.Add); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		appendHARProblems(nil, r.order)
	}
	b.ReportMetric(float64(len(r.order)), "problems")
}

// TestHARFixRedacted: a finding's fix quotes a redirect's Location ("call
// the final URL directly"); `har` hides its token in text and JSON, in
// every request's findings and in the problems, also when the Location
// holds a raw line break before the token (a hostile file's may): the
// problem's fix is redacted whole, then split into lines.
func TestHARFixRedacted(t *testing.T) {
	const secret = "loc-secret-9f8e7d"
	for _, loc := range []string{
		`https://login.example/next?token=` + secret,
		`https://login.example/next?x=1\ncode=` + secret,
		`https://login.example/next?x=1\r\nsig=` + secret,
		`https://login.example/next\n?X-Amz-Credential=` + secret,
	} {
		har := `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[{
"startedDateTime":"2026-01-01T00:00:00.000Z","time":1,
"request":{"method":"GET","url":"https://api.example/items","httpVersion":"HTTP/1.1",
 "headers":[{"name":"Origin","value":"https://app.example"},{"name":"Cookie","value":"sid=1"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},
"response":{"status":302,"statusText":"Found","httpVersion":"HTTP/1.1",
 "headers":[{"name":"Location","value":"` + loc + `"}],
 "cookies":[],"content":{"size":0,"mimeType":""},"redirectURL":"` + loc + `","headersSize":-1,"bodySize":0,"_error":"net::ERR_FAILED"},
"cache":{},"timings":{"send":0,"wait":1,"receive":0}}]}}`
		for _, prepare := range []bool{false, true} {
			out := harJSON(t, []byte(har), harfile.AnalyzeOptions{Workers: 1}, prepare)
			if !strings.Contains(out, `"fix"`) {
				t.Fatalf("no finding in the report:\n%s", out)
			}
			if strings.Contains(out, secret) {
				t.Errorf("Location %q, prepare=%v: the report shows the Location's token:\n%s", loc, prepare, out)
			}
		}
		var text bytes.Buffer
		r := NewHARRenderer(&text, HAROptions{})
		sum, log, err := harfile.Analyze(strings.NewReader(har), harfile.AnalyzeOptions{Workers: 1}, r.Add)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Finish(sum, log, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text.String(), "Fix:") || strings.Contains(text.String(), secret) {
			t.Errorf("Location %q: the text report shows the token, or no fix:\n%s", loc, text.String())
		}
	}
}

// TestHARSummaryLineCounts: "with the cause not in the file" counts blocked
// requests, so it qualifies the blocked count, not the failed one after it.
func TestHARSummaryLineCounts(t *testing.T) {
	tests := []struct {
		sum  harfile.Summary
		want string
	}{
		{harfile.Summary{Requests: 5, CrossOrigin: 4, CORS: 3, Blocked: 2, CauseUnknown: 1},
			"5 requests, 4 cross-origin (3 CORS-checked), 2 blocked by the browser (1 with the cause not in the file).\n"},
		{harfile.Summary{Requests: 5, CrossOrigin: 4, CORS: 3, Blocked: 2, CauseUnknown: 1, Failed: 1},
			"5 requests, 4 cross-origin (3 CORS-checked), 2 blocked by the browser (1 with the cause not in the file), 1 failed for reasons that are not CORS.\n"},
		{harfile.Summary{Requests: 5, CrossOrigin: 4, CORS: 3, Failed: 1},
			"5 requests, 4 cross-origin (3 CORS-checked), 0 blocked, 1 failed for reasons that are not CORS.\n"},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		r := NewHARRenderer(&out, HAROptions{Source: "x.har", Width: 200})
		if err := r.Finish(tt.sum, &harfile.Log{}, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), tt.want) {
			t.Errorf("summary of %+v:\n%s\nwant the line %q", tt.sum, out.String(), tt.want)
		}
	}
}

// TestHARLeavesOutFailed: a file whose tool writes no entry for a failed
// request (chrome-har) says so under the summary, naming the tool: its
// "0 blocked" does not mean nothing was.
func TestHARLeavesOutFailed(t *testing.T) {
	for _, leaves := range []bool{true, false} {
		var out bytes.Buffer
		r := NewHARRenderer(&out, HAROptions{Source: "x.har", Width: 200})
		sum := harfile.Summary{Requests: 2, LeavesOutFailed: leaves}
		if err := r.Finish(sum, &harfile.Log{Creator: harfile.Creator{Name: "chrome-har"}}, nil); err != nil {
			t.Fatal(err)
		}
		said := strings.Contains(out.String(), "chrome-har writes no entry for a request that failed: a request the browser blocked is not in this file")
		if said != leaves {
			t.Errorf("leaves out %v:\n%s", leaves, out.String())
		}
	}
}
