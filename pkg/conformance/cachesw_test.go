package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
)

// swScript answers the page's requests for /sw-api/ itself, with no CORS
// header: a cross-origin fetch() resolves, as it does in any browser,
// since no server answered.
const swScript = `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (e) => {
  if (e.request.url.includes('/sw-api/')) {
    e.respondWith(new Response('{"items":[]}', {headers: {'Content-Type': 'application/json'}}));
  }
});`

// registerSW registers /sw.js and waits until it controls the page.
const registerSW = `navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.controller ||
  new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve))).then(() => true)`

// TestChromiumCacheAndServiceWorkerHAR: DevTools marks an answer the
// network did not give (a service worker's, a memory-cache hit) and the
// suite's recorder writes those marks as DevTools' export does
// (`_fetchedViaServiceWorker`, `_fromCache`). On Chromium 156 the
// memory-cache hit keeps the server's address, so only its mark tells it
// apart. corsdiag har stays silent about the service worker's answer,
// whose headers no server sent.
func TestChromiumCacheAndServiceWorkerHAR(t *testing.T) {
	bin := chromiumOrSkip(t)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Cacheable and allowed: what a memory-cache hit reuses.
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Cache-Control", "max-age=600")
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, "void 0;")
	}))
	defer api.Close()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sw.js" {
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, swScript)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><title>page</title>")
	}))
	defer page.Close()
	c := startChromium(t, bin, page.URL+"/", spaceFlags{})
	ctx, cancel := context.WithTimeout(c.ctx, eventWait)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](registerSW, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("registering the service worker: %v", err)
	}

	const swMarker, cacheMarker = "/sw-api/items", "/cached/script.js"
	res, err := c.run(jsSpec{URL: api.URL + swMarker, Method: http.MethodGet, Headers: [][2]string{}})
	if err != nil || !res.OK {
		t.Fatalf("fetch() answered by the service worker: %+v, %v", res, err)
	}
	// Blink reports a memory-cache hit to DevTools once per document: the
	// script again after a navigation (same renderer, same memory cache).
	if res, err := c.run(jsSpec{URL: api.URL + cacheMarker, Kind: "classic-script"}); err != nil || !res.OK {
		t.Fatalf("script: %+v, %v", res, err)
	}
	again := `new Promise((resolve) => { const s = document.createElement('script');
  s.crossOrigin = 'anonymous'; s.src = ` + jsonString(api.URL+cacheMarker) + `;
  s.onload = () => resolve(true); s.onerror = () => resolve(false); document.head.appendChild(s); })`
	if err := chromedp.Do(ctx, chromedp.Navigate(page.URL+"/again")); err != nil {
		t.Fatalf("navigating: %v", err)
	}
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](again, chromedp.EvalAwaitPromise)); err != nil || !ok {
		t.Fatalf("script after a navigation: %v, %v", ok, err)
	}
	if !c.rec.settle([]string{swMarker, cacheMarker}, eventWait) {
		t.Fatal("the requests did not finish")
	}

	entries := func(marker string) []*harEntry {
		var es []*harEntry
		for _, rec := range c.rec.records(marker) {
			got, _ := harEntries(rec)
			es = append(es, got...)
		}
		return es
	}
	sw := entries(swMarker)
	if len(sw) != 1 || !sw[0].Response.FromServiceWorker || sw[0].FromCache != "" {
		t.Fatalf("service worker's answer: entries %+v; want one with _fetchedViaServiceWorker", sw)
	}
	t.Logf("%s, service worker's answer: serverIPAddress %q, headers %+v", c.version, sw[0].ServerIPAddress, sw[0].Response.Headers)
	cached := entries(cacheMarker)
	var memory int
	for _, e := range cached {
		if e.FromCache == "memory" {
			memory++
		}
		t.Logf("script: _fromCache %q, serverIPAddress %q, status %d", e.FromCache, e.ServerIPAddress, e.Response.Status)
	}
	if len(cached) == 0 || memory == 0 {
		t.Errorf("script loaded again after a navigation: %d entries, %d marked _fromCache: memory; want the second from the memory cache", len(cached), memory)
	}

	doc := harLog{Log: harBody{Version: "1.2", Creator: harCreator{Name: "WebInspector", Version: "537.36"},
		Pages:   []harPage{{ID: "page_1", Title: page.URL + "/"}},
		Entries: append(sw, cached...)}}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, brief := range []bool{false, true} {
		var results []*harfile.Result
		if _, _, err := harfile.Analyze(bytes.NewReader(b), harfile.AnalyzeOptions{BriefAllowed: brief},
			func(r *harfile.Result) error { results = append(results, r); return nil }); err != nil {
			t.Fatal(err)
		}
		for _, r := range results {
			for _, f := range r.Findings {
				if f.Code == harfile.CodeAllowedDespiteHeaders {
					t.Errorf("brief %v: #%d %s: %s", brief, r.Index, r.URL, f.Message)
				}
			}
			if r.Verdict != cors.Allowed {
				t.Errorf("brief %v: #%d %s: verdict %s; Chrome let it through", brief, r.Index, r.URL, r.Verdict)
			}
		}
	}
}
