package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
)

// pixelPNG is a 1x1 PNG.
var pixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// elementLoad is script that loads url as an element of kind (img or
// script) with the crossorigin attribute cors ("" for none) and resolves
// to whether it loaded.
func elementLoad(kind, url, cors string) string {
	attr := ""
	if cors != "" {
		attr = "e.crossOrigin = " + jsonString(cors) + ";"
	}
	return `new Promise((resolve) => { const e = document.createElement(` + jsonString(kind) + `); ` + attr + `
  e.onload = () => resolve(true); e.onerror = () => resolve(false); e.src = ` + jsonString(url) + `;
  if (e.tagName === 'SCRIPT') document.head.appendChild(e); })`
}

// TestChromiumMemoryCacheNeedsTheSameLoad: a HAR entry Blink's memory
// cache answered (`_fromCache: "memory"`) whose headers fail the CORS check
// does not come from these loads. A cacheable answer is loaded, then the
// same URL again after a navigation with another CORS mode, credentials
// mode or page origin (a second page origin on the same site, which shares
// the renderer): the memory cache answers only the load that matches the
// first, whose headers pass again; every other load goes to the network
// service, and the HTTP cache's answer that fails its CORS check is
// blocked there (status 0, net::ERR_FAILED, no headers in the export), as
// a server's would be (Chromium 156). corsdiag har gives each entry
// Chromium's verdict.
func TestChromiumMemoryCacheNeedsTheSameLoad(t *testing.T) {
	bin := chromiumOrSkip(t)
	var mu sync.Mutex
	hits := map[string]int{}
	var pageOrigin string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		w.Header().Set("Cache-Control", "max-age=600")
		switch {
		case strings.HasPrefix(r.URL.Path, "/star/"):
			w.Header().Set("Access-Control-Allow-Origin", "*")
		case strings.HasPrefix(r.URL.Path, "/page/"):
			w.Header().Set("Access-Control-Allow-Origin", pageOrigin)
		}
		if strings.HasSuffix(r.URL.Path, ".png") {
			w.Header().Set("Content-Type", "image/png")
			_, _ = w.Write(pixelPNG)
			return
		}
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, "void 0;")
	}))
	defer api.Close()
	blank := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><title>page</title>")
	})
	page, other := httptest.NewServer(blank), httptest.NewServer(blank)
	defer page.Close()
	defer other.Close()
	pageOrigin = page.URL
	c := startChromium(t, bin, page.URL+"/", spaceFlags{})
	ctx, cancel := context.WithTimeout(c.ctx, eventWait)
	defer cancel()
	tests := []struct {
		kind, path    string
		first, second string // crossorigin of the two loads
		other         bool   // the second from the other page origin
		memory, loads bool   // the second: a memory-cache hit; it loads
	}{
		{"img", "/star/same.png", "anonymous", "anonymous", false, true, true},
		{"img", "/none/mode.png", "", "anonymous", false, false, false},
		{"script", "/none/mode.js", "", "anonymous", false, false, false},
		{"img", "/star/credentials.png", "anonymous", "use-credentials", false, false, false},
		{"script", "/star/credentials.js", "anonymous", "use-credentials", false, false, false},
		{"img", "/page/origin.png", "anonymous", "anonymous", true, false, false},
		{"img", "/star/origin.png", "anonymous", "anonymous", true, false, true},
	}
	var entries []*harEntry
	for i, tt := range tests {
		u := api.URL + tt.path
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](elementLoad(tt.kind, u, tt.first), chromedp.EvalAwaitPromise)); err != nil || !ok {
			t.Fatalf("%s: the first load: %v, %v", tt.path, ok, err)
		}
		base := page.URL
		if tt.other {
			base = other.URL
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/doc%d", base, i))); err != nil {
			t.Fatal(err)
		}
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](elementLoad(tt.kind, u, tt.second), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if !c.rec.settle([]string{tt.path}, eventWait) {
			t.Fatalf("%s: the loads did not finish", tt.path)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(page.URL+"/")); err != nil {
			t.Fatal(err)
		}
		var es []*harEntry
		for _, rec := range c.rec.records(tt.path) {
			got, _ := harEntries(rec)
			es = append(es, got...)
		}
		mu.Lock()
		n := hits[tt.path]
		mu.Unlock()
		if len(es) != 2 {
			t.Errorf("%s: %d entries, want 2", tt.path, len(es))
			continue
		}
		second := es[1]
		t.Logf("%s %s %q then %q (other origin %v): loaded %v, _fromCache %q, status %d, %d response headers; the server answered %d times",
			c.version, tt.path, tt.first, tt.second, tt.other, loaded, second.FromCache, second.Response.Status, len(second.Response.Headers), n)
		if memory := second.FromCache == "memory"; memory != tt.memory || loaded != tt.loads {
			t.Errorf("%s: the second load from the memory cache %v, loaded %v; want %v and %v", tt.path, memory, loaded, tt.memory, tt.loads)
		}
		entries = append(entries, es...)
	}

	doc := harLog{Log: harBody{Version: "1.2", Creator: harCreator{Name: "WebInspector", Version: "537.36"},
		Pages: []harPage{{ID: "page_1", Title: page.URL + "/"}}, Entries: entries}}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var results []*harfile.Result
	if _, _, err := harfile.Analyze(bytes.NewReader(b), harfile.AnalyzeOptions{},
		func(r *harfile.Result) error { results = append(results, r); return nil }); err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		want := cors.Allowed
		if entries[r.Index].Response.Error != nil {
			want = cors.Blocked
		}
		if r.Verdict != want {
			t.Errorf("#%d %s: verdict %s, Chromium %s (findings %v)", r.Index, r.URL, r.Verdict, want, r.Findings)
		}
		for _, f := range r.Findings {
			if f.Code == harfile.CodeAllowedDespiteHeaders {
				t.Errorf("#%d %s: %s", r.Index, r.URL, f.Message)
			}
		}
	}
}
