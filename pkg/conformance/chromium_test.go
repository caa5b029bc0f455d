package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumFlags are the flags the suite launches Chromium with, exactly
// (plus a fresh --user-data-dir and the pipe chromedp talks over).
var chromiumFlags = []string{
	"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
	"disable-background-networking", "disable-component-update", "disable-sync",
}

// hostResolverRules keeps Chromium on loopback: the scenario origins are
// 127.0.0.1 literals, and every name Chromium would look up on its own
// (update.googleapis.com, accounts.google.com, clients2.google.com even with
// the flags above) fails without a DNS query, so no traffic leaves the machine.
const hostResolverRules = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"

// findChromium returns the browser binary: $CORSDIAG_CHROMIUM, else the
// first of chromium, chromium-browser, google-chrome on PATH.
func findChromium() (string, error) {
	if p := os.Getenv("CORSDIAG_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("no Chromium at CORSDIAG_CHROMIUM=%s: %w", p, err)
		}
		return path, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found (looked for $CORSDIAG_CHROMIUM, chromium, chromium-browser, google-chrome on PATH)")
}

// browserRequired is set by CORSDIAG_BROWSER_TESTS=require: a missing
// browser fails the test instead of skipping it.
func browserRequired() bool { return os.Getenv("CORSDIAG_BROWSER_TESTS") == "require" }

// chromiumOrSkip returns the browser binary for a test that needs one
// Chromium run: it skips without one, or in -short mode, unless
// CORSDIAG_BROWSER_TESTS=require.
func chromiumOrSkip(t *testing.T) string {
	t.Helper()
	bin, err := findChromium()
	switch {
	case err != nil && browserRequired():
		t.Fatalf("CORSDIAG_BROWSER_TESTS=require but %v", err)
	case err != nil:
		t.Skipf("skipping: %v", err)
	case testing.Short() && !browserRequired():
		t.Skip("skipping a Chromium test in -short mode (CORSDIAG_BROWSER_TESTS=require runs it)")
	}
	return bin
}

// chromium is one headless browser with one page open on the page origin.
type chromium struct {
	ctx     context.Context
	cancel  context.CancelFunc
	version string
	pageURL string
	rec     *recorder
}

// spaceFlags are the launch flags of a Local Network Access group: the
// listeners' address spaces and whether the page is opened by name.
type spaceFlags struct {
	// Overrides is --ip-address-space-overrides ("" : none).
	Overrides string
	// MapInsecureHost maps InsecureHost to 127.0.0.1 in the resolver rules.
	MapInsecureHost bool
	// MapHosts are more names mapped to 127.0.0.1 (mixed content: a page
	// and an API by name, since a loopback literal is trustworthy).
	MapHosts []string
	// IgnoreCertErrors accepts a test certificate for an https page.
	IgnoreCertErrors bool
	// Extension is an unpacked extension's directory to load, alone.
	Extension string
}

// resolverRules are the --host-resolver-rules of a launch: the first
// matching MAP wins, and every other name still fails without a lookup.
func (f spaceFlags) resolverRules() string {
	rules := hostResolverRules
	for _, h := range f.MapHosts {
		rules = "MAP " + h + " 127.0.0.1, " + rules
	}
	if f.MapInsecureHost {
		rules = "MAP " + InsecureHost + " 127.0.0.1, " + rules
	}
	return rules
}

// spaceFlagsFor are the flags that put srv's listeners where sc says.
func spaceFlagsFor(sc Scenario, srv *Server) spaceFlags {
	if sc.Page == nil {
		return spaceFlags{}
	}
	ov := "127.0.0.1:" + port(srv.Origins.Page) + "=" + sc.Page.Space
	if api := sc.APIAddressSpace(); api != "" {
		ov += ",127.0.0.1:" + port(srv.Origins.API) + "=" + api
	}
	if other := sc.OtherAddressSpace(); other != "" {
		ov += ",127.0.0.1:" + port(srv.Origins.Other) + "=" + other
	}
	return spaceFlags{Overrides: ov, MapInsecureHost: !sc.Page.IsSecure()}
}

// startChromium launches bin and opens pageURL. The returned browser is
// closed by t.Cleanup.
func startChromium(t *testing.T, bin, pageURL string, sf spaceFlags) *chromium {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(bin), chromedp.UserDataDir(t.TempDir())}
	for _, f := range chromiumFlags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	opts = append(opts, chromedp.Flag("host-resolver-rules", sf.resolverRules()))
	if sf.Overrides != "" {
		opts = append(opts, chromedp.Flag("ip-address-space-overrides", sf.Overrides))
	}
	if sf.IgnoreCertErrors {
		opts = append(opts, chromedp.Flag("ignore-certificate-errors", true))
	}
	if sf.Extension != "" {
		opts = append(opts, chromedp.Flag("load-extension", sf.Extension), chromedp.Flag("disable-extensions-except", sf.Extension))
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	c := &chromium{ctx: ctx, pageURL: pageURL, rec: newRecorder()}
	c.cancel = func() { cancel(); acancel() }
	t.Cleanup(c.cancel)

	if err := chromedp.Do(ctx); err != nil { // starts the browser, no timeout
		t.Fatalf("starting %s: %v", bin, err)
	}
	if err := chromedp.Listen(ctx, c.rec.listen); err != nil {
		t.Fatalf("listening to Chromium events: %v", err)
	}
	v, err := chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		t.Fatalf("Browser.getVersion: %v", err)
	}
	c.version = v.Product
	nctx, ncancel := context.WithTimeout(ctx, 15*time.Second)
	defer ncancel()
	if err := chromedp.Do(nctx, chromedp.Navigate(pageURL)); err != nil {
		t.Fatalf("opening the page origin %s: %v", pageURL, err)
	}
	if err := chromedp.Do(nctx, chromedp.Evaluate[chromedp.Void](pageScript)); err != nil {
		t.Fatalf("installing the page script: %v", err)
	}
	return c
}

// pageScript defines the function that makes one scenario's request the
// way page script does, and reports what script could observe.
const pageScript = `window.__corsdiagRun = function (spec) {
  const done = (r) => r;
  if (spec.kind) return window.__corsdiagLoad(spec);
  if (spec.xhr) {
    return new Promise((resolve) => {
      const x = new XMLHttpRequest();
      try {
        x.open(spec.method, spec.url);
        x.withCredentials = spec.credentials === 'include';
        // A listener on upload sets the use-CORS-preflight flag.
        if (spec.upload) x.upload.onprogress = () => {};
        for (const [n, v] of spec.headers) x.setRequestHeader(n, v);
      } catch (e) { resolve({ok: false, error: String(e)}); return; }
      x.onload = () => resolve({ok: true, status: x.status,
        headers: x.getAllResponseHeaders().split('\r\n').filter(Boolean).map((l) => l.split(':')[0].trim().toLowerCase())});
      x.onerror = () => resolve({ok: false, error: 'XMLHttpRequest error event (status ' + x.status + ')'});
      x.send(spec.body === '' ? null : spec.body);
    });
  }
  const init = {method: spec.method, headers: new Headers()};
  try {
    for (const [n, v] of spec.headers) init.headers.append(n, v);
  } catch (e) { return Promise.resolve({ok: false, error: String(e)}); }
  if (spec.credentials) init.credentials = spec.credentials;
  if (spec.redirect) init.redirect = spec.redirect;
  if (spec.body !== '') init.body = spec.body;
  let p;
  try { p = fetch(spec.url, init); } catch (e) { return Promise.resolve({ok: false, error: String(e)}); }
  return p.then(async (r) => { await r.arrayBuffer(); return done({ok: true, status: r.status, headers: [...r.headers.keys()]}); },
                (e) => ({ok: false, error: String(e)}));
};
// A CORS-mode load made by the page, not by fetch() or XMLHttpRequest:
// script sees only whether it loaded (no status, no headers).
window.__corsdiagLoad = function (spec) {
  const include = spec.credentials === 'include';
  const events = (el, ok, error) => new Promise((resolve) => {
    el.addEventListener(ok, () => resolve({ok: true}));
    el.addEventListener(error, () => resolve({ok: false, error: spec.kind + ' ' + error + ' event'}));
  });
  switch (spec.kind) {
  case 'font': {
    // A web font is always CORS with credentials same-origin.
    const face = new FontFace('corsdiag', 'url("' + spec.url + '")');
    return face.load().then(() => ({ok: true}), (e) => ({ok: false, error: String(e)}));
  }
  case 'font-face': {
    // The same load through a style sheet's @font-face rule; the family
    // is the URL's nonce, so the record keeps it as {nonce}.
    const family = 'corsdiag-' + spec.url.split('/').pop();
    const style = document.createElement('style');
    style.textContent = '@font-face { font-family: "' + family + '"; src: url("' + spec.url + '"); }';
    document.head.appendChild(style);
    return document.fonts.load('16px "' + family + '"').then(
      (faces) => faces.length ? {ok: true} : {ok: false, error: 'no font face loaded'},
      (e) => ({ok: false, error: String(e)}));
  }
  case 'image': {
    const img = new Image();
    img.crossOrigin = include ? 'use-credentials' : 'anonymous';
    const p = events(img, 'load', 'error');
    img.src = spec.url;
    return p;
  }
  case 'script': {
    const s = document.createElement('script');
    s.type = 'module';
    if (include) s.crossOrigin = 'use-credentials';
    s.src = spec.url;
    const p = events(s, 'load', 'error');
    document.head.appendChild(s);
    return p;
  }
  case 'classic-script': {
    const s = document.createElement('script');
    s.crossOrigin = include ? 'use-credentials' : 'anonymous';
    s.src = spec.url;
    const p = events(s, 'load', 'error');
    document.head.appendChild(s);
    return p;
  }
  case 'stylesheet': {
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.crossOrigin = include ? 'use-credentials' : 'anonymous';
    l.href = spec.url;
    const p = events(l, 'load', 'error');
    document.head.appendChild(l);
    return p;
  }
  case 'video':
  case 'audio': {
    const m = document.createElement(spec.kind);
    m.crossOrigin = include ? 'use-credentials' : 'anonymous';
    m.preload = 'auto';
    m.muted = true;
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve({ok: false, error: spec.kind + ': no event in 10 s'}), 10000);
      m.addEventListener('loadeddata', () => { clearTimeout(t); resolve({ok: true}); });
      m.addEventListener('error', () => { clearTimeout(t); resolve({ok: false, error: spec.kind + ' error event (code ' + (m.error && m.error.code) + ')'}); });
      m.src = spec.url;
    });
  }
  case 'eventsource': {
    const es = new EventSource(spec.url, {withCredentials: include});
    // Closed at once: an open stream or a failure, never a reconnection.
    return events(es, 'open', 'error').then((r) => { es.close(); return r; });
  }
  }
  return Promise.resolve({ok: false, error: 'unknown kind ' + spec.kind});
};`

// jsSpec is the argument of __corsdiagRun.
type jsSpec struct {
	URL         string      `json:"url"`
	Method      string      `json:"method"`
	Headers     [][2]string `json:"headers"`
	Credentials string      `json:"credentials"`
	Body        string      `json:"body"`
	XHR         bool        `json:"xhr"`
	Upload      bool        `json:"upload,omitempty"`
	Kind        string      `json:"kind,omitempty"`
	Redirect    string      `json:"redirect,omitempty"`
	// wantLines is how many console lines the record has for the request
	// (0: none, or no record): what Firefox's runner waits for.
	wantLines int
}

// jsResult is what script observed.
type jsResult struct {
	OK      bool     `json:"ok"`
	Status  int      `json:"status"`
	Headers []string `json:"headers"`
	Error   string   `json:"error"`
}

// run makes one request from the page.
func (c *chromium) run(spec jsSpec) (jsResult, error) {
	arg, err := json.Marshal(spec)
	if err != nil {
		return jsResult{}, err
	}
	ctx, cancel := context.WithTimeout(c.ctx, 15*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[jsResult]("window.__corsdiagRun("+string(arg)+")", chromedp.EvalAwaitPromise))
}

// netRecord is one request as DevTools reports it: the events of one
// requestId (a redirect keeps the id and adds a requestWillBeSent).
type netRecord struct {
	ID        network.RequestID
	Type      network.ResourceType
	Initiator *network.Initiator
	Sent      []*network.EventRequestWillBeSent
	SentExtra []*network.EventRequestWillBeSentExtraInfo
	Response  *network.EventResponseReceived
	RespExtra []*network.EventResponseReceivedExtraInfo
	Finished  *network.EventLoadingFinished
	Failed    *network.EventLoadingFailed
	// MemoryCache: Network.requestServedFromCache, Blink's memory cache
	// answered (DevTools' cachedInMemory).
	MemoryCache bool
}

// URL is the first URL of the request.
func (r *netRecord) URL() string {
	if len(r.Sent) == 0 {
		return ""
	}
	return r.Sent[0].Request.URL
}

// isPreflight: Chromium 156 reports a preflight with resource type Other
// and initiator type "preflight" (older builds used type Preflight).
func (r *netRecord) isPreflight() bool {
	return r.Type == network.ResourceTypePreflight || (r.Initiator != nil && r.Initiator.Type == network.InitiatorTypePreflight)
}

func (r *netRecord) done() bool { return r.Finished != nil || r.Failed != nil }

// recorder keeps the DevTools events of the page, in arrival order.
type recorder struct {
	mu      sync.Mutex
	reqs    map[network.RequestID]*netRecord
	order   []network.RequestID
	entries []*cdplog.Entry
	console []*runtime.EventConsoleAPICalled
}

func newRecorder() *recorder { return &recorder{reqs: map[network.RequestID]*netRecord{}} }

func (r *recorder) get(id network.RequestID) *netRecord {
	rec := r.reqs[id]
	if rec == nil {
		rec = &netRecord{ID: id}
		r.reqs[id] = rec
		r.order = append(r.order, id)
	}
	return rec
}

// listen runs in chromedp's event loop: it only stores.
func (r *recorder) listen(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		rec := r.get(ev.RequestID)
		rec.Sent = append(rec.Sent, ev)
		if rec.Type == "" {
			rec.Type, rec.Initiator = ev.Type, ev.Initiator
		}
	case *network.EventRequestWillBeSentExtraInfo:
		rec := r.get(ev.RequestID)
		rec.SentExtra = append(rec.SentExtra, ev)
	case *network.EventResponseReceived:
		r.get(ev.RequestID).Response = ev
	case *network.EventResponseReceivedExtraInfo:
		rec := r.get(ev.RequestID)
		rec.RespExtra = append(rec.RespExtra, ev)
	case *network.EventLoadingFinished:
		r.get(ev.RequestID).Finished = ev
	case *network.EventRequestServedFromCache:
		r.get(ev.RequestID).MemoryCache = true
	case *network.EventLoadingFailed:
		r.get(ev.RequestID).Failed = ev
	case *cdplog.EventEntryAdded:
		r.entries = append(r.entries, ev.Entry)
	case *runtime.EventConsoleAPICalled:
		r.console = append(r.console, ev)
	}
}

// records returns the requests whose first URL contains marker, in order.
func (r *recorder) records(marker string) []*netRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*netRecord
	for _, id := range r.order {
		if rec := r.reqs[id]; strings.Contains(rec.URL(), marker) {
			out = append(out, rec)
		}
	}
	return out
}

// logLines returns the Log.entryAdded texts that mention marker.
func (r *recorder) logLines(marker string) []*cdplog.Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*cdplog.Entry
	for _, e := range r.entries {
		if strings.Contains(e.Text, marker) || strings.Contains(e.URL, marker) {
			out = append(out, e)
		}
	}
	return out
}

// eventWait bounds a wait on Chromium's events (a request done, a console
// line in): far longer than a loaded machine takes, and a failure, never a
// pass, when it runs out.
const eventWait = 15 * time.Second

// logIndex is the position of the last Log.entryAdded entry that
// mentions marker, -1 when none does.
func (r *recorder) logIndex(marker string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.entries) - 1; i >= 0; i-- {
		if e := r.entries[i]; strings.Contains(e.Text, marker) || strings.Contains(e.URL, marker) {
			return i
		}
	}
	return -1
}

// settle waits until every request whose URL contains one of markers has
// finished or failed (true), or until the deadline (false).
func (r *recorder) settle(markers []string, deadline time.Duration) bool {
	end := time.Now().Add(deadline)
	for time.Now().Before(end) {
		pending := false
		r.mu.Lock()
		for _, rec := range r.reqs {
			if rec.done() {
				continue
			}
			for _, m := range markers {
				if strings.Contains(rec.URL(), m) {
					pending = true
					break
				}
			}
		}
		r.mu.Unlock()
		if !pending {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// awaitCORSLines waits until every request whose URL contains one of
// markers and that failed with a corsErrorStatus has its "blocked by CORS
// policy" console line (true), or until the deadline (false).
func (r *recorder) awaitCORSLines(markers []string, deadline time.Duration) bool {
	end := time.Now().Add(deadline)
	for r.missingCORSLine(markers) {
		if time.Now().After(end) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

func (r *recorder) missingCORSLine(markers []string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range markers {
		failed := false
		for _, rec := range r.reqs {
			if rec.Failed != nil && rec.Failed.CorsErrorStatus != nil && strings.Contains(rec.URL(), m) {
				failed = true
				break
			}
		}
		if !failed {
			continue
		}
		printed := false
		for _, e := range r.entries {
			if (strings.Contains(e.Text, m) || strings.Contains(e.URL, m)) && strings.Contains(e.Text, "has been blocked by CORS policy") {
				printed = true
				break
			}
		}
		if !printed {
			return true
		}
	}
	return false
}
