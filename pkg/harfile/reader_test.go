package harfile

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
)

// corpusDir is the shared HAR corpus (never copied into the repository).
func corpusDir(t testing.TB) string {
	t.Helper()
	dir := hartest.CorpusDir()
	if _, err := os.Stat(filepath.Join(dir, "README.md")); dir == "" || err != nil {
		t.Skipf("HAR corpus not found at %q (set CORSDIAG_HAR_CORPUS)", dir)
	}
	return dir
}

// writeOpen writes data to path and opens it for the rest of the test.
func writeOpen(tb testing.TB, path string, data []byte) *os.File {
	tb.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

func readAll(t testing.TB, r io.Reader) ([]*Entry, *Log, error) {
	t.Helper()
	rd := NewReader(r, Options{BodyLimit: 64})
	var entries []*Entry
	err := rd.ReadEntries(func(e *Entry) error { entries = append(entries, e); return nil })
	return entries, &rd.Log, err
}

// TestCorpusReads reads every file of the corpus: entry and page counts
// from the corpus README, and the two files that are not HAR fail with an
// offset.
func TestCorpusReads(t *testing.T) {
	dir := corpusDir(t)
	want := map[string]struct{ entries, pages int }{
		"chrome-devtools/chrome-large-665-all-status-methods.har": {665, 0},
		"chrome-devtools/chrome-empty-no-pages.har":               {0, 0},
		"webpagetest/nytimes-failed-preflight-503.har":            {328, 2},
		"webpagetest/aftonbladet-credentialed-preflights.har":     {212, 2},
		"internet-explorer/ie11-cookies-object.har":               {25, 3},
		"fiddler/fiddler2-cnn-pages-null-bom.har":                 {22, 0},
		"fiddler/fiddler4-ie11-bom.har":                           {11, 2},
		"mitmproxy/with-bom.har":                                  {1, 0},
		"firebug/firebug17-no-entries-field.har":                  {0, 0},
		"firebug/firebug16-no-pages-field.har":                    {1, 0},
		"playwright/pw132-failed-status-minus1-no-pages.har":      {2, 0},
		"pollyjs/node-http-header-value-arrays.har":               {1, 0},
		"mitmproxy/safari.har":                                    {19, 1},
		"browsertime/frontendredirect-firefox43.har":              {12, 3},
	}
	broken := map[string]string{
		"mitmproxy/broken-not-json.har":      "an object as the value of \"log\"",
		"firebug/jsonp-wrapped-not-json.har": "'{' at the start of a HAR file",
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.har"))
	if len(files) < 50 {
		t.Fatalf("found %d corpus files, want the 52 the README lists", len(files))
	}
	seen := 0
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			fh, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			entries, log, err := readAll(t, fh)
			if exp, bad := broken[rel]; bad {
				seen++
				var se *SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("err = %v, want a *SyntaxError", err)
				}
				if !strings.Contains(se.Expected, exp) || se.Line < 1 || !strings.Contains(err.Error(), "byte offset") {
					t.Errorf("error %q does not name the offset and %q", err, exp)
				}
				return
			}
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			for i, e := range entries {
				if e.Index != i {
					t.Fatalf("entry %d has Index %d", i, e.Index)
				}
			}
			if w, ok := want[rel]; ok {
				seen++
				if len(entries) != w.entries || len(log.Pages) != w.pages {
					t.Errorf("entries, pages = %d, %d; want %d, %d", len(entries), len(log.Pages), w.entries, w.pages)
				}
			}
		})
	}
	if seen != len(want)+len(broken) {
		t.Errorf("checked %d of the %d files with known counts or errors", seen, len(want)+len(broken))
	}
}

// TestCorpusFields checks fields exporters write in odd ways.
func TestCorpusFields(t *testing.T) {
	dir := corpusDir(t)
	read := func(rel string) []*Entry {
		fh, err := os.Open(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		entries, _, err := readAll(t, fh)
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		return entries
	}
	// Polly.JS writes header values as arrays.
	polly := read("pollyjs/node-http-header-value-arrays.har")
	if v := polly[0].Request.Header("Accept"); v != "*/*" {
		t.Errorf("pollyjs Accept = %q, want */*", v)
	}
	// IE 11 writes a cookie object instead of an array.
	ie := read("internet-explorer/ie11-cookies-object.har")
	withCookie := 0
	for _, e := range ie {
		if len(e.Request.Cookies) == 1 && e.Request.Cookies[0].Name != "" {
			withCookie++
		}
	}
	if withCookie == 0 {
		t.Error("no IE 11 cookie object was read")
	}
	// Playwright: status -1, time -1.
	pw := read("playwright/pw132-failed-status-minus1-no-pages.har")
	failed := 0
	for _, e := range pw {
		if e.Response.Status == -1 && e.Time == -1 && e.Failed() {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("playwright failed entries = %d, want 1", failed)
	}
	// Chrome's _error and fractional times.
	ch := read("chrome-devtools/chrome51-failed-status0-errors.har")
	var errs []string
	for _, e := range ch {
		if e.Response.Error != "" {
			errs = append(errs, e.Response.Error)
		}
	}
	if len(errs) != 3 {
		t.Errorf("chrome51 _error values = %q, want 3", errs)
	}
	// DevTools' _fromCache: four disk-cache hits, none from a service worker.
	var disk, sw int
	for _, e := range read("chrome-devtools/chrome-large-665-all-status-methods.har") {
		if e.FromCache == "disk" {
			disk++
		}
		if e.Response.FromServiceWorker {
			sw++
		}
	}
	if disk != 4 || sw != 0 {
		t.Errorf("chrome-large: %d _fromCache disk, %d via a service worker; want 4, 0", disk, sw)
	}
	// Fiddler's 7-digit fractions with an offset parse.
	fd := read("fiddler/fiddler2-cnn-pages-null-bom.har")
	if fd[0].Started.IsZero() {
		t.Errorf("fiddler startedDateTime %q did not parse", fd[0].StartedRaw)
	}
}

func TestReaderTolerance(t *testing.T) {
	tests := []struct {
		name  string
		har   string
		check func(t *testing.T, es []*Entry, log *Log)
	}{
		{"bom, fractional and -1 timings", "\xEF\xBB\xBF" + `{"log":{"entries":[{"startedDateTime":"2024-01-02T03:04:05.123456789+02:00","time":12.75,"timings":{"send":0.5,"wait":-1,"receive":1e2},"request":{"method":"GET","url":"https://a.test/"},"response":{"status":200}}]}}`,
			func(t *testing.T, es []*Entry, _ *Log) {
				e := es[0]
				if e.Time != 12.75 || e.Timings.Wait != -1 || e.Timings.Receive != 100 || e.Started.IsZero() {
					t.Errorf("entry = %+v", e)
				}
			}},
		{"nulls and missing fields", `{"log":{"pages":null,"entries":[{"request":null,"response":{"status":null,"headers":null,"content":null}},{}]}}`,
			func(t *testing.T, es []*Entry, log *Log) {
				if len(es) != 2 || es[0].Response.Status != 0 || !es[1].Response.Missing || len(log.Pages) != 0 {
					t.Errorf("entries = %+v", es)
				}
			}},
		{"unknown fields and numbers as strings", `{"log":{"_x":{"a":[1,{"b":null}]},"entries":[{"_blob":"\u00e9\ud83d\ude00","request":{"method":"POST","url":"https://a.test/","headers":[{"name":"X","value":7},{"name":"Y","value":["a","b"]}]},"response":{"status":"404","_error":"net::ERR_FAILED"}}]}}`,
			func(t *testing.T, es []*Entry, _ *Log) {
				e := es[0]
				if e.Response.Status != 404 || e.Request.Header("X") != "7" || e.Request.Header("Y") != "a, b" || e.Response.Error != "net::ERR_FAILED" {
					t.Errorf("entry = %+v", e)
				}
			}},
		{"escapes in kept strings", `{"log":{"entries":[{"request":{"url":"https://a.test/\"q\"\\\/\u0041\n"}}]}}`,
			func(t *testing.T, es []*Entry, _ *Log) {
				if got := es[0].Request.URL; got != "https://a.test/\"q\"\\/A\n" {
					t.Errorf("url = %q", got)
				}
			}},
		{"body text kept up to the limit, base64 dropped", `{"log":{"entries":[{"response":{"content":{"text":"` + strings.Repeat("x", 500) + `"}}},{"response":{"content":{"text":"aGVsbG8=","encoding":"base64"}}}]}}`,
			func(t *testing.T, es []*Entry, _ *Log) {
				if len(es[0].Response.Content.Text) != 64 || es[0].Response.Content.TextSize != 64 || es[1].Response.Content.Text != nil {
					t.Errorf("bodies = %q / %q", es[0].Response.Content.Text, es[1].Response.Content.Text)
				}
			}},
		{"entries missing", `{"log":{"version":"1.1","creator":{"name":"Firebug"}}}`,
			func(t *testing.T, es []*Entry, log *Log) {
				if len(es) != 0 || log.HasEntries || log.Creator.Name != "Firebug" {
					t.Errorf("log = %+v", log)
				}
			}},
		{"pages after entries", `{"log":{"entries":[{"pageref":"p"}],"pages":[{"id":"p","title":"https://a.test/"}]}}`,
			func(t *testing.T, es []*Entry, log *Log) {
				if len(log.Pages) != 1 || es[0].Pageref != "p" {
					t.Errorf("log = %+v", log)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, log, err := readAll(t, strings.NewReader(tt.har))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, es, log)
		})
	}
}

func TestReaderErrors(t *testing.T) {
	good := `{"log":{"entries":[{"request":{"url":"https://a.test/"}},` + "\n" + `{"request":{"url":"https://b.test/"}}]}}`
	tests := []struct {
		name        string
		in          string
		wantEntries int
		wantOffset  int64
		wantLine    int
		expected    string
	}{
		{"empty", "", 0, 0, 1, "a HAR file"},
		{"blank", " \n\t", 0, 3, 2, "a HAR file"},
		{"not json", "hello", 0, 0, 1, "'{' at the start"},
		{"jsonp", `cb({"log":{}})`, 0, 0, 1, "'{' at the start"},
		{"array", `[1]`, 0, 0, 1, "'{' at the start"},
		{"cut in second entry", good[:60], 1, 60, 2, ""},
		{"cut in a string", good[:45], 0, 45, 1, "closing '\"'"},
		{"cut after a key", good[:30], 0, 30, 1, "an object"},
		{"trailing garbage", good + "x", 2, int64(len(good)), 2, "the end of the file"},
		{"no log", `{"x":1}`, 0, 7, 1, `"log"`},
		{"missing colon", `{"log" {}}`, 0, 7, 1, "':'"},
		{"bad literal", `{"log":{"entries":[{"time":nope}]}}`, 0, 27, 1, "a value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, _, err := readAll(t, strings.NewReader(tt.in))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *SyntaxError", err)
			}
			if len(es) != tt.wantEntries {
				t.Errorf("entries before the damage = %d, want %d", len(es), tt.wantEntries)
			}
			if se.Offset != tt.wantOffset || se.Line != tt.wantLine {
				t.Errorf("offset, line = %d, %d; want %d, %d (%v)", se.Offset, se.Line, tt.wantOffset, tt.wantLine, err)
			}
			if !strings.Contains(se.Expected, tt.expected) {
				t.Errorf("expected = %q, want it to contain %q", se.Expected, tt.expected)
			}
			// An empty file is empty, not cut off; a cut file is cut off.
			wantFound := map[string]string{"empty": "nothing: the file is empty", "blank": "nothing: the file is empty",
				"cut in second entry": "the end of the file (the file is cut off)"}[tt.name]
			if wantFound != "" && se.Found != wantFound {
				t.Errorf("found = %q, want %q", se.Found, wantFound)
			}
		})
	}
}

// TestErrorPath names the field where the damage is.
func TestErrorPath(t *testing.T) {
	_, _, err := readAll(t, strings.NewReader(`{"log":{"entries":[{},{"request":{"headers":[{"name":"a","value":"b"} {}]}}]}}`))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Path != "log.entries[1].request.headers" {
		t.Fatalf("err = %v, want path log.entries[1].request.headers", err)
	}
}

// TestSmallReads feeds the reader one byte at a time: buffer refills in the
// middle of strings, escapes and numbers must not change the result.
func TestSmallReads(t *testing.T) {
	in := `{"log":{"entries":[{"time":123.5,"request":{"url":"https://a.test/\u00e9\ud83d\ude00\"x","headers":[{"name":"Origin","value":"https://b.test"}]},"response":{"status":204,"content":{"text":"` + strings.Repeat(`ab\"`, 100) + `"}}}]}}`
	want, _, err := readAll(t, strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := readAll(t, &oneByte{strings.NewReader(in)})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Request.URL != want[0].Request.URL || got[0].Time != 123.5 || got[0].Response.Status != 204 || string(got[0].Response.Content.Text) != string(want[0].Response.Content.Text) {
		t.Errorf("one-byte reads gave %+v, want %+v", got[0], want[0])
	}
	if got[0].Request.URL != "https://a.test/é😀\"x" {
		t.Errorf("url = %q", got[0].Request.URL)
	}
}

type oneByte struct{ r io.Reader }

func (o *oneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

// TestInternRecentSlots: the direct-mapped cache in front of the intern
// map must give back the string asked for whatever shares its slot (5000
// strings over 512 slots collide), with the canonical key for a name.
func TestInternRecentSlots(t *testing.T) {
	r := NewReader(strings.NewReader(""), Options{})
	var in []string
	for i := range 5000 {
		in = append(in, fmt.Sprintf("x-h%d", i), fmt.Sprintf("access-control-%08d-origin", i), strings.Repeat("v", i%70))
	}
	for round := range 3 {
		for i, s := range in {
			name := (i+round)%2 == 0
			h := r.intern([]byte(s), name)
			if h.Name != s {
				t.Fatalf("round %d: intern(%q) = %q", round, s, h.Name)
			}
			if name && len(s) <= maxInternedLen && h.key != http.CanonicalHeaderKey(s) {
				t.Fatalf("round %d: intern(%q) key %q, want %q", round, s, h.key, http.CanonicalHeaderKey(s))
			}
		}
	}
}
