package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
)

// TestChromiumExtensionHAR: a CORS-unblocking extension (a
// declarativeNetRequest rule that sets Access-Control-Allow-Origin: *, as
// "Allow CORS" does) lets a fetch() through from a server that sends no
// CORS headers. DevTools sees the added header in Network.responseReceived
// but not in Network.responseReceivedExtraInfo, whose headers its HAR
// export writes; corsdiag har keeps Chrome's verdict on such an export and
// warns that other browsers block the request (allowed-despite-headers).
func TestChromiumExtensionHAR(t *testing.T) {
	bin := chromiumOrSkip(t)
	// Chromium may write into an unpacked extension's directory: a copy.
	ext := t.TempDir()
	for _, name := range []string{"manifest.json", "rules.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "cors-extension", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ext, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprint(w, `{"items":[]}`)
	}))
	defer api.Close()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><title>page</title>")
	}))
	defer page.Close()
	c := startChromium(t, bin, page.URL+"/", spaceFlags{Extension: ext})

	// The extension's rules load after the page opens: ask until they do.
	var marker string
	for n, end := 0, time.Now().Add(eventWait); ; n++ {
		marker = fmt.Sprintf("/ext-api/items?n=%d", n)
		res, err := c.run(jsSpec{URL: api.URL + marker, Method: http.MethodGet, Headers: [][2]string{}})
		if err != nil {
			t.Fatal(err)
		}
		if res.OK {
			break
		}
		if time.Now().After(end) {
			if browserRequired() {
				t.Fatalf("the extension's rule never let fetch() through (%s): does this Chromium load --load-extension?", res.Error)
			}
			t.Skipf("the extension's rule never let fetch() through (%s): this Chromium does not load it", res.Error)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !c.rec.settle([]string{marker}, eventWait) {
		t.Fatalf("%s did not finish", marker)
	}
	recs := c.rec.records(marker)
	if len(recs) != 1 || recs[0].Response == nil || len(recs[0].RespExtra) != 1 {
		t.Fatalf("records of %s: %+v", marker, recs)
	}
	rec := recs[0]
	if got := headerValue(rec.Response.Response.Headers, cors.HeaderAllowOrigin); got != "*" {
		t.Errorf("responseReceived's Access-Control-Allow-Origin = %q, want the extension's *", got)
	}
	if got := headerValue(rec.RespExtra[0].Headers, cors.HeaderAllowOrigin); got != "" {
		t.Errorf("responseReceivedExtraInfo's Access-Control-Allow-Origin = %q, want none (the server's headers)", got)
	}

	es, _ := harEntries(rec)
	doc := harLog{Log: harBody{Version: "1.2", Creator: harCreator{Name: "WebInspector", Version: "537.36"},
		Pages:   []harPage{{ID: "page_1", Title: page.URL + "/"}},
		Entries: es}}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var results []*harfile.Result
	for _, brief := range []bool{false, true} {
		sum, _, err := harfile.Analyze(bytes.NewReader(b), harfile.AnalyzeOptions{BriefAllowed: brief},
			func(r *harfile.Result) error { results = append(results, r); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if sum.Blocked != 0 {
			t.Errorf("brief %v: %d blocked; Chrome let the request through", brief, sum.Blocked)
		}
	}
	if len(results) != 2 {
		t.Fatalf("%d results, want the request's, twice", len(results))
	}
	for _, r := range results {
		found := false
		for _, f := range r.Findings {
			found = found || f.Code == harfile.CodeAllowedDespiteHeaders && strings.Contains(f.Message, "("+string(cors.CodeMissingAllowOrigin)+")")
		}
		if r.Verdict != cors.Allowed || !found {
			t.Errorf("verdict %s, findings %+v; want allowed with %s naming %s", r.Verdict, r.Findings, harfile.CodeAllowedDespiteHeaders, cors.CodeMissingAllowOrigin)
		}
	}
}
