package harfile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestChromiumConformanceHAR: on a HAR recorded by the conformance suite's
// Chromium, `har` reports exactly the requests Chromium blocked, with
// Chromium's corsError and console message. A preflighted request
// redirected to another URL is judged with the second preflight Chromium
// sent there (Origin: null after a cross-origin hop).
func TestChromiumConformanceHAR(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "har")
	// The recording is committed: a missing file is a failure, not a skip.
	raw, err := os.ReadFile(filepath.Join(dir, "chromium-conformance.expected.json"))
	if err != nil {
		t.Fatalf("no conformance recording (docs/conformance.md: -record-har writes it): %v", err)
	}
	var expected []struct {
		Scenario, URL, Method, Outcome, CorsError, Console string
	}
	if err := json.Unmarshal(raw, &expected); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(filepath.Join(dir, "chromium-conformance.har"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	got := map[[2]string]*Result{}
	sum, _, err := Analyze(fh, AnalyzeOptions{}, func(r *Result) error {
		got[[2]string{r.Method, r.URL}] = r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	blocked := 0
	for _, e := range expected {
		r := got[[2]string{e.Method, e.URL}]
		if r == nil {
			t.Errorf("%s: %s %s not reported", e.Scenario, e.Method, e.URL)
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
	if sum.Blocked != blocked || sum.CrossOrigin != len(expected) {
		t.Errorf("summary blocked %d cross-origin %d; want %d and %d", sum.Blocked, sum.CrossOrigin, blocked, len(expected))
	}
}
