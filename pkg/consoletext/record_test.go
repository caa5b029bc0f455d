package consoletext

import (
	"encoding/json"
	"os"
	"path/filepath"
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
