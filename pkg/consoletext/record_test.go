package consoletext

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// recordedScenario is what the conformance records keep of one scenario:
// the console text each real browser printed.
type recordedScenario struct {
	Verdict      string `json:"verdict"`
	CorsError    string `json:"corsError"`
	Console      string `json:"console"`
	ConsoleLines []struct {
		Key  string `json:"key"`
		Text string `json:"text"`
	} `json:"consoleLines"`
}

// placeholderValues stand for the records' {page}, {api}, {other} and
// {nonce}, as a user's paste would hold real ones.
var placeholderValues = strings.NewReplacer(
	"{page}", "http://127.0.0.1:41000", "{api}", "http://127.0.0.1:42000", "{other}", "http://127.0.0.1:43000",
	"{page_port}", "41000", "{api_port}", "42000", "{other_port}", "43000", "{nonce}", "b0123456789ab")

// What the real browsers printed for every blocked scenario of the
// conformance suite reads back: the browser that printed it, and a
// candidate code whose name in that browser (Chromium's corsError,
// Firefox's key) is the one the browser reported.
func TestReadRecordedConsoles(t *testing.T) {
	for _, rec := range []struct{ file, browser string }{
		{"chromium-156.json", "chromium"}, {"firefox-153.json", "firefox"}, {"webkitgtk-2.50.json", "safari"},
	} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "conformance", rec.file))
		if err != nil {
			t.Fatalf("conformance record %s: %v", rec.file, err)
		}
		var record struct {
			Scenarios map[string]recordedScenario `json:"scenarios"`
		}
		if err := json.Unmarshal(raw, &record); err != nil {
			t.Fatal(err)
		}
		p, _ := cors.LookupProfile(rec.browser)
		read, blocked := 0, 0
		for name, sc := range record.Scenarios {
			text, key := sc.Console, sc.CorsError
			if len(sc.ConsoleLines) > 0 {
				var lines []string
				for _, l := range sc.ConsoleLines {
					lines = append(lines, l.Text)
				}
				text, key = strings.Join(lines, "\n"), sc.ConsoleLines[0].Key
			}
			if sc.Verdict != "blocked" || text == "" {
				continue
			}
			blocked++
			r, err := Read(placeholderValues.Replace(text))
			if err != nil {
				t.Errorf("%s %s: %v\n%s", rec.browser, name, err, text)
				continue
			}
			if r.Browser != rec.browser || len(r.Candidates) == 0 {
				t.Errorf("%s %s: read as %s %v\n%s", rec.browser, name, r.Browser, r.Candidates, text)
				continue
			}
			if key != "" && !candidateNamed(p, r.Candidates, key) {
				t.Errorf("%s %s: no candidate of %v is %s's %s\n%s", rec.browser, name, r.Candidates, rec.browser, key, text)
				continue
			}
			read++
		}
		t.Logf("%s: %d of %d blocked scenarios' console text read", rec.browser, read, blocked)
		if blocked == 0 {
			t.Errorf("%s: no blocked scenario with console text in the record", rec.browser)
		}
	}
}

// candidateNamed: one of codes is what the browser calls key.
func candidateNamed(p *cors.Profile, codes []cors.Code, key string) bool {
	for _, c := range codes {
		if in, ok := cors.Lookup(c); ok && (in.CorsError == key || in.Firefox == key) {
			return true
		}
		for _, t := range p.Templates() {
			if t.Code == c && t.Key == key {
				return true
			}
		}
	}
	return false
}

// What each real browser printed when an https page's request to plain
// http was blocked as mixed content (testdata/conformance/mixed-content.json)
// reads back as mixed-content from that browser, with the URL and, where
// the text names it, the page's origin: pasted whole, and its first line
// alone.
func TestReadRecordedMixedContent(t *testing.T) {
	mixedURL := regexp.MustCompile(`^http://(plain-api\.test|127\.0\.0\.1|localhost|api\.localhost):8080/([a-z-]+-(fetch|xhr)|mixed-load-[a-z-]+)$`)
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "conformance", "mixed-content.json"))
	if err != nil {
		t.Fatalf("conformance record: %v", err)
	}
	var record map[string]struct {
		Cases map[string]struct {
			Verdict string `json:"verdict"`
			Console []struct {
				Text string `json:"text"`
			} `json:"console"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(raw, &record); err != nil {
		t.Fatal(err)
	}
	values := strings.NewReplacer("{page}", "https://secure-page.test:8443", "{api}", "http://plain-api.test:8080",
		"{loopback}", "http://127.0.0.1:8080", "{localhost}", "http://localhost:8080", "{sublocalhost}", "http://api.localhost:8080")
	for _, tc := range []struct {
		record, browser string
		namesOrigin     bool
	}{
		{"chromium", "chromium", true},
		{"firefox", "firefox", false},
		{"webkit", "safari", true},
	} {
		t.Run(tc.browser, func(t *testing.T) {
			blocked := 0
			for name, c := range record[tc.record].Cases {
				if c.Verdict != "blocked" {
					continue
				}
				blocked++
				var lines []string
				for _, l := range c.Console {
					lines = append(lines, values.Replace(l.Text))
				}
				if len(lines) == 0 {
					t.Errorf("%s: blocked without a console line", name)
					continue
				}
				for _, text := range []string{strings.Join(lines, "\n"), lines[0]} {
					r, err := Read(text)
					if err != nil {
						t.Errorf("%s: %v\n%s", name, err, text)
						continue
					}
					if r.Browser != tc.browser || r.Code != cors.CodeMixedContent {
						t.Errorf("%s: read as %s %s %v, want %s mixed-content\n%s", name, r.Browser, r.Code, r.Candidates, tc.browser, text)
					}
					if !mixedURL.MatchString(r.URL) {
						t.Errorf("%s: URL %q\n%s", name, r.URL, text)
					}
					if wantOrigin := map[bool]string{true: "https://secure-page.test:8443"}[tc.namesOrigin]; r.Origin != wantOrigin {
						t.Errorf("%s: origin %q, want %q\n%s", name, r.Origin, wantOrigin, text)
					}
				}
			}
			if blocked < 2 {
				t.Errorf("%s: %d blocked cases in the record, want the fetch and the XHR at least", tc.record, blocked)
			}
		})
	}
}
