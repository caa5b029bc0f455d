package harfile

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// trailerHAR is a log whose creator and browser follow its entries, as
// Charles 3.6.5 and Fiddler 4.6 write log.creator and Browsertime
// log.browser: a request blocked on its response (a 200 without
// Access-Control-Allow-Origin) and an allowed one, from ua.
func trailerHAR(creator, browser, ua string) []byte {
	entry := func(path, respHeaders string) string {
		return fmt.Sprintf(`{"startedDateTime":"2026-01-01T10:00:00.000Z","time":5,"request":{"method":"GET","url":"https://api.example.com%s","httpVersion":"HTTP/1.1","headers":[{"name":"User-Agent","value":%q},{"name":"Origin","value":"https://app.example.com"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[%s],"content":{"size":0,"mimeType":"application/json"}},"timings":{"send":1,"wait":1,"receive":1}}`,
			path, ua, respHeaders)
	}
	var trail []string
	if creator != "" {
		trail = append(trail, fmt.Sprintf(`"creator": {"name": %q, "version": "1"}`, creator))
	}
	if browser != "" {
		trail = append(trail, fmt.Sprintf(`"browser": {"name": %q, "version": "1"}`, browser))
	}
	return fmt.Appendf(nil, "{\"log\": {\"version\": \"1.2\", \"entries\": [%s,\n%s], \"comment\": \"\\\"creator\\\": {}\", %s}}\n",
		entry("/blocked", `{"name":"Content-Type","value":"application/json"}`),
		entry("/ok", `{"name":"Access-Control-Allow-Origin","value":"https://app.example.com"}`),
		strings.Join(trail, ", "))
}

// TestTrailingCreator: a creator or browser written after the entries
// judges the file as one written before them would, whatever the input
// (a regular file read or mapped, a reader of known size), but a stream
// the reader cannot read at its end (a pipe).
func TestTrailingCreator(t *testing.T) {
	for _, tc := range []struct {
		name, creator, browser, ua string
		want                       *cors.Profile
		source                     string
		blocked                    int // the 200 without ACAO: blocked unless the tool marks failures
	}{
		// Charles 3.6.5, Fiddler 4.6: a proxy, so the headers decide.
		{"charles", "Charles Proxy", "", chromeUA, cors.Chromium, BrowserFromUserAgent, 1},
		{"fiddler", "Fiddler", "", ffUA, cors.Firefox, BrowserFromUserAgent, 1},
		// Browsertime's Chrome file emulating an iPhone: log.browser
		// names Chrome, and chrome-har's entries are the allowed ones.
		{"browsertime chrome", "Browsertime", "Chrome", iPhoneSafariUA, cors.Chromium, BrowserFromBrowser, 0},
		{"chrome-har with browser", "chrome-har", "Chrome", iPhoneSafariUA, cors.Chromium, BrowserFromCreator, 0},
		{"firefox fork", "LibreWolf", "LibreWolf", ffUA, cors.Firefox, BrowserFromCreator, 1},
	} {
		data := trailerHAR(tc.creator, tc.browser, tc.ua)
		inputs := map[string]func(t *testing.T) io.Reader{
			"bytes": func(*testing.T) io.Reader { return bytes.NewReader(data) },
			"file": func(t *testing.T) io.Reader {
				return writeOpen(t, filepath.Join(t.TempDir(), "a.har"), data)
			},
			"mapped": func(t *testing.T) io.Reader {
				old := minMapSize
				minMapSize = 1
				t.Cleanup(func() { minMapSize = old })
				return writeOpen(t, filepath.Join(t.TempDir(), "a.har"), data)
			},
		}
		for input, open := range inputs {
			t.Run(tc.name+"/"+input, func(t *testing.T) {
				for _, opts := range []AnalyzeOptions{{}, {BriefAllowed: true, NoRequestHeaders: true}} {
					var out []*Result
					sum, log, err := Analyze(open(t), opts, func(r *Result) error { out = append(out, r); return nil })
					if err != nil {
						t.Fatal(err)
					}
					if sum.Browser != tc.want.Name || sum.BrowserSource != tc.source || sum.Blocked != tc.blocked {
						t.Errorf("brief %v: %s/%s, %d blocked; want %s/%s, %d", opts.BriefAllowed,
							sum.Browser, sum.BrowserSource, sum.Blocked, tc.want.Name, tc.source, tc.blocked)
					}
					// chrome-har's entries, Browsertime's of Chrome, hold no
					// failed request.
					if leaves := tc.blocked == 0; sum.LeavesOutFailed != leaves {
						t.Errorf("leaves out failed %v, want %v", sum.LeavesOutFailed, leaves)
					}
					if log.Creator.Name != tc.creator || log.Browser.Name != tc.browser {
						t.Errorf("log names %q/%q", log.Creator.Name, log.Browser.Name)
					}
				}
			})
		}
	}
	// A pipe is not read at its end: the trailing creator arrives after
	// the first entry settled the file (Chromium's User-Agent; a tool
	// taken to mark failures, so the 200 without ACAO stays allowed).
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	data := trailerHAR("Charles Proxy", "", chromeUA)
	go func() { w.Write(data); w.Close() }()
	sum, _, err := Analyze(r, AnalyzeOptions{}, func(*Result) error { return nil })
	r.Close()
	if err != nil || sum.Blocked != 0 || sum.BrowserSource != BrowserFromUserAgent {
		t.Errorf("pipe: %v, %d blocked, %s", err, sum.Blocked, sum.BrowserSource)
	}
}

// TestTrailerLookalikes: a creator or browser key anywhere but among the
// log's last members (in an entry, in a string, in a log cut off or
// followed by more) is not the log's.
func TestTrailerLookalikes(t *testing.T) {
	const e = `{"request":{"method":"GET","url":"https://a.test/","headers":[]},"response":{"status":200,"headers":[]}`
	for _, tc := range []struct {
		name, har string
		want      string // the creator read at the first entry
	}{
		{"last member", `{"log":{"entries":[` + e + `}],"creator":{"name":"Charles Proxy"}}}`, "Charles Proxy"},
		{"before version", `{"log":{"entries":[` + e + `}],"creator":{"name":"Fiddler"},"version":"1.2"}}`, "Fiddler"},
		{"spaced", "{\"log\":{\"entries\":[" + e + "}] ,\n\t\"creator\" : {\"name\":\"Fiddler\"} \n}\n}\n\n", "Fiddler"},
		{"in an entry", `{"log":{"entries":[` + e + `,"creator":{"name":"Charles Proxy"}}]}}`, ""},
		{"in the last entry's object", `{"log":{"entries":[` + e + `,"_x":{"creator":{"name":"Charles Proxy"}}}]}}`, ""},
		{"in a string", `{"log":{"entries":[` + e + `}],"comment":"\",\"creator\":{\"name\":\"Charles Proxy\"}}}"}}`, ""},
		{"string value", `{"log":{"entries":[` + e + `}],"comment":"creator","x":"creator"}}`, ""},
		// A top-level member after the log: its object closes where the
		// log's would, but "log" does not name it.
		{"in an object after the log", `{"log":{"entries":[` + e + `}]},"_x":{"creator":{"name":"Charles Proxy"}}}`, ""},
		{"after the log's version", `{"log":{"entries":[` + e + `}],"version":"1.2"},"_x":{"v":"}{","creator":{"name":"Fiddler"}}}`, ""},
		{"log after another member", `{"_x":{"creator":{}},"log":{"entries":[` + e + `}],"creator":{"name":"Fiddler"}}}`, "Fiddler"},
		{"at the top level", `{"log":{"entries":[` + e + `}]},"creator":{"name":"Charles Proxy"}}`, ""},
		{"cut off", `{"log":{"entries":[` + e + `}],"creator":{"name":"Charles Proxy"}`, ""},
		{"more after", `{"log":{"entries":[` + e + `}],"creator":{"name":"Charles Proxy"}}}{}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rd := NewReader(strings.NewReader(tc.har), Options{})
			got := "none"
			_ = rd.ReadEntries(func(*Entry) error {
				if got == "none" {
					got = rd.Log.Creator.Name
				}
				return nil
			})
			if got != tc.want {
				t.Errorf("creator at the first entry %q, want %q", got, tc.want)
			}
		})
	}
}

// TestTrailerCorpus: in every file of the HAR corpus, the creator and
// browser known at the first entry are the file's (Charles 3.6.5 and
// Fiddler 4.6 write log.creator after the entries, chrome-har's file from
// pagexray log.browser), read from a file as `corsdiag har FILE` does.
func TestTrailerCorpus(t *testing.T) {
	dir := corpusDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.har"))
	late := 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		rd := NewReader(fh, Options{})
		var first *Log
		err = rd.ReadEntries(func(*Entry) error {
			if first == nil {
				l := rd.Log
				first = &l
			}
			return nil
		})
		fh.Close()
		if err != nil || first == nil {
			continue // the broken files, and those without entries
		}
		if first.Creator != rd.Log.Creator {
			t.Errorf("%s: creator %q at the first entry, %q at the end", f, first.Creator.Name, rd.Log.Creator.Name)
		}
		if first.Browser != rd.Log.Browser && !creatorNamesBrowser(rd.Log.Creator.Name) {
			t.Errorf("%s: browser %q at the first entry, %q at the end", f, first.Browser.Name, rd.Log.Browser.Name)
		}
		if rd.Log.Creator.Name == "Charles Proxy" || rd.Log.Creator.Name == "Fiddler" {
			late++
		}
	}
	if late == 0 {
		t.Skip("no Charles or Fiddler file in the corpus")
	}
}

// BenchmarkTrailer is what a file that names no creator before its
// entries pays once: its last trailerWindow bytes read at an offset and
// searched, and the members found there parsed.
func BenchmarkTrailer(b *testing.B) {
	data := trailerHAR("Charles Proxy", "", chromeUA)
	data = append(bytes.Repeat([]byte(" "), trailerWindow), data...)
	f := writeOpen(b, filepath.Join(b.TempDir(), "a.har"), data)
	rd := NewReader(f, Options{})
	b.ReportAllocs()
	for b.Loop() {
		rd.Log.Creator = Creator{}
		rd.readTrailer()
	}
	if rd.Log.Creator.Name != "Charles Proxy" {
		b.Fatalf("creator %q", rd.Log.Creator.Name)
	}
}
