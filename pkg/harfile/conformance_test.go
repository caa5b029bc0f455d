package harfile

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestChromiumConformanceHAR: on a HAR recorded by the conformance suite's
// Chromium, `har` reports exactly the requests Chromium blocked, with
// Chromium's corsError and console message. A preflighted request
// redirected to another URL is judged with the second preflight Chromium
// sent there (Origin: null after a cross-origin hop).
// The quick start's story (apigw-story, recorded by TestStoryHAR) is held
// to Chromium the same way.
func TestChromiumConformanceHAR(t *testing.T) {
	for _, stem := range []string{"chromium-conformance", "apigw-story", "chromium-loads"} {
		t.Run(stem, func(t *testing.T) { checkChromiumHAR(t, stem) })
	}
}

func checkChromiumHAR(t *testing.T, stem string) {
	var expected []struct {
		Scenario, URL, Method, Outcome, CorsError, Console string
	}
	fh := openRecordedHAR(t, stem, &expected)
	got := map[[2]string]*Result{}
	sum, _, err := Analyze(fh, AnalyzeOptions{}, func(r *Result) error {
		got[[2]string{r.Method, r.URL}] = r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	blocked, failed := 0, 0
	for _, e := range expected {
		r := got[[2]string{e.Method, e.URL}]
		if r == nil {
			t.Errorf("%s: %s %s not reported", e.Scenario, e.Method, e.URL)
			continue
		}
		if r.Verdict == Failed && e.Outcome == string(cors.Blocked) && e.CorsError == "" {
			// A network failure Chromium reports as a failed fetch with no
			// CORS error: corsdiag lists it apart, as failed.
			failed++
			continue
		}
		if string(r.Verdict) != e.Outcome {
			t.Errorf("%s: verdict %s, Chromium %s", e.Scenario, r.Verdict, e.Outcome)
			continue
		}
		if r.Verdict != cors.Blocked {
			continue
		}
		blocked++
		f := r.Reported()
		switch {
		case f == nil:
			t.Errorf("%s: blocked without a reported finding", e.Scenario)
		case f.CorsError != e.CorsError:
			t.Errorf("%s: corsError %q (%s), Chromium %q", e.Scenario, f.CorsError, f.Code, e.CorsError)
		case e.Console != "" && f.BrowserMessage != e.Console:
			t.Errorf("%s: console\n got %q\nwant %q", e.Scenario, f.BrowserMessage, e.Console)
		}
	}
	if sum.Blocked != blocked || sum.Failed != failed || sum.CrossOrigin != len(expected) {
		t.Errorf("summary blocked %d failed %d cross-origin %d; want %d, %d and %d", sum.Blocked, sum.Failed, sum.CrossOrigin, blocked, failed, len(expected))
	}
}

// TestFirefoxConformanceHAR: on Firefox's own DevTools export of the
// conformance scenarios (no failure markers: a blocked response keeps its
// real status and headers), `har` judges the file as Firefox and gives
// Firefox's verdict, first console line and security.properties key for
// every request the export holds. The export records no credentials mode:
// the page sets a cookie, so a credentialed request carries a Cookie
// header, which har reads as credentials: 'include'. The two requests the
// export cannot hold are left out, and counted: fetch() refuses a forbidden
// method and a URL with user:password@ before anything is sent, so there
// is no entry.
func TestFirefoxConformanceHAR(t *testing.T) {
	var expected []struct {
		Scenario, URL, Method, Outcome string
		Console, Keys                  []string
	}
	fh := openConformanceHAR(t, "firefox", &expected)
	got := map[[2]string]*Result{}
	sum, _, err := Analyze(fh, AnalyzeOptions{}, func(r *Result) error {
		got[[2]string{strings.ToUpper(r.Method), r.URL}] = r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Browser != "firefox" {
		t.Fatalf("judged as %s (%s), want firefox", sum.Browser, sum.BrowserSource)
	}
	agree, unsent, ambiguous, modeless := 0, 0, 0, 0
	for _, e := range expected {
		r := got[[2]string{strings.ToUpper(e.Method), e.URL}]
		switch {
		case r == nil && (cors.IsForbiddenMethod(cors.NormalizeMethod(e.Method)) || e.Scenario == "url-credentials-fetch"):
			unsent++
			continue
		case r == nil:
			t.Errorf("%s: %s %s not reported", e.Scenario, e.Method, e.URL)
			continue
		}
		if string(r.Verdict) != e.Outcome {
			if (e.Scenario == "redirect-mode-error" || e.Scenario == "redirect-empty-location-error" || strings.HasPrefix(e.Scenario, "redirect-no-location-error-")) && r.Verdict == cors.Allowed {
				// A HAR records no redirect mode: a 302 that passed CORS
				// and ends the recording reads as redirect 'manual' would
				// (allowed, nothing followed), and a 3xx without Location
				// (or with an empty one, which 'follow' would loop on) as
				// the answer; fetch()'s 'error' rejects them in Firefox.
				modeless++
				continue
			}
			t.Errorf("%s: verdict %s, Firefox %s (findings %v)", e.Scenario, r.Verdict, e.Outcome, r.Findings)
			continue
		}
		if r.Verdict == cors.Blocked && r.CauseSource != CauseUnknown && len(e.Console) > 0 {
			f := r.Reported()
			if f != nil && f.Console != nil && f.Console.NotScript && strings.HasPrefix(e.Scenario, "load-classic-script-") {
				// A HAR cannot tell a classic script from a module (one
				// destination, one resource type): read as a module, whose
				// answer Firefox refuses when it is not JavaScript; a
				// classic script's it words otherwise. The verdict agrees.
				ambiguous++
				continue
			}
			switch {
			case f == nil || f.BrowserMessage != e.Console[0]:
				msg := ""
				if f != nil {
					msg = f.BrowserMessage
				}
				t.Errorf("%s: console\n got %q\nwant %q", e.Scenario, msg, e.Console[0])
				continue
			case firstKey(e.Keys) != "" && cors.Firefox.Key(f) != firstKey(e.Keys):
				t.Errorf("%s: key %q, Firefox %q", e.Scenario, cors.Firefox.Key(f), firstKey(e.Keys))
				continue
			}
		}
		agree++
	}
	t.Logf("%d/%d requests judged as Firefox did; %d never sent (a forbidden method, a URL with credentials); %d classic scripts read as modules; %d redirect 'error' the HAR cannot tell",
		agree, len(expected), unsent, ambiguous, modeless)
	if agree+unsent+ambiguous+modeless != len(expected) || unsent > 2 || ambiguous > 4 || modeless > 4 {
		t.Errorf("%d of %d requests agree, %d not in the export: want every request but the forbidden method and the URL with credentials", agree, len(expected), unsent)
	}
	// docs/har.md gives the figures: a new recording changes them there.
	doc, err := os.ReadFile("../../docs/har.md")
	if err != nil {
		t.Fatal(err)
	}
	if claim := fmt.Sprintf("%d of the %d requests Firefox ran", agree, len(expected)); !strings.Contains(strings.Join(strings.Fields(string(doc)), " "), claim) {
		t.Errorf("docs/har.md does not say %q", claim)
	}
}

// firstKey is the first security.properties key among a request's lines:
// the CORS error's (a module script's MIME type line before it has none).
func firstKey(keys []string) string {
	for _, k := range keys {
		if k != "" {
			return k
		}
	}
	return ""
}

// openConformanceHAR opens testdata/har/<browser>-conformance.har and reads
// its sidecar into expected. The recordings are committed: a missing file
// is a failure, not a skip.
func openConformanceHAR(t *testing.T, browser string, expected any) *os.File {
	t.Helper()
	return openRecordedHAR(t, browser+"-conformance", expected)
}

// openRecordedHAR opens testdata/har/<stem>.har and decodes its sidecar
// <stem>.expected.json into expected.
func openRecordedHAR(t *testing.T, stem string, expected any) *os.File {
	t.Helper()
	dir := filepath.Join("..", "..", "testdata", "har")
	raw, err := os.ReadFile(filepath.Join(dir, stem+".expected.json"))
	if err != nil {
		t.Fatalf("no recording %s (docs/conformance.md): %v", stem, err)
	}
	if err := json.Unmarshal(raw, expected); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(filepath.Join(dir, stem+".har"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fh.Close() })
	return fh
}
