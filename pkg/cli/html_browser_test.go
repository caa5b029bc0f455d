package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The HTML reports, opened in real headless Chromium from file://: no
// console error (a refused style or script would log one), no network
// request, the summary's counts equal the JSON's, every blocked request
// has a diagram whose stop mark names what made the browser stop, and
// the first screen is drawn and fits 1280 pixels.
func TestHTMLReportInChromium(t *testing.T) {
	bin := htmlTestChromium(t)
	dir := t.TempDir()

	type page struct {
		name   string
		path   string
		counts map[string]int
	}
	var pages []page
	// har: the conformance recordings of real Chromium and real Firefox.
	for _, name := range []string{"chromium-conformance", "firefox-conformance"} {
		harFile := "../../testdata/har/" + name + ".har"
		harHTML, _, code := runHarArgs(t, "", "har", "-o", "html", harFile)
		if code != ExitBlocked {
			t.Fatalf("har -o html %s: exit %d", name, code)
		}
		harJSON, _, _ := runHarArgs(t, "", "har", "-o", "json", harFile)
		var hj struct {
			Summary struct {
				Requests    int `json:"requests"`
				CrossOrigin int `json:"cross_origin"`
				Blocked     int `json:"blocked"`
			} `json:"summary"`
		}
		if err := json.Unmarshal([]byte(harJSON), &hj); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name+".html")
		if err := os.WriteFile(path, []byte(harHTML), 0o644); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, page{name, path, map[string]int{"requests": hj.Summary.Requests, "cross-origin": hj.Summary.CrossOrigin, "blocked": hj.Summary.Blocked}})
	}

	// ci: a run with a passing and a failing check.
	good := corsServer(t).URL
	cfg := writeConfig(t, `defaults: {origin: "https://app.example.com"}
checks:
  - name: items
    url: `+good+`/items
  - name: public
    url: `+good+`/star
    expect: deny
  - name: other origin
    url: `+good+`/items
    origins:
      - origin: https://evil.example.net
`)
	ciHTML, ciJSON := filepath.Join(dir, "ci.html"), filepath.Join(dir, "ci.json")
	io, _, _ := fakeIO(nil)
	if code := Main([]string{"ci", "-f", cfg, "--report", "html=" + ciHTML, "--report", "json=" + ciJSON}, io); code != ExitBlocked {
		t.Fatalf("ci: exit %d, want 1", code)
	}
	var cj struct {
		Summary struct {
			Total  int `json:"total"`
			Passed int `json:"passed"`
			Failed int `json:"failed"`
		} `json:"summary"`
	}
	b, _ := os.ReadFile(ciJSON)
	if err := json.Unmarshal(b, &cj); err != nil {
		t.Fatal(err)
	}

	pages = append(pages, page{"ci", ciHTML, map[string]int{"checks": cj.Summary.Total, "passed": cj.Summary.Passed, "failed": cj.Summary.Failed}})
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			got := openReport(t, bin, pg.path)
			if len(got.errors) > 0 {
				t.Errorf("console errors: %q", got.errors)
			}
			if len(got.requests) > 0 {
				t.Errorf("the page made network requests: %q", got.requests)
			}
			for label, n := range pg.counts {
				if got.Counts[label] != n {
					t.Errorf("summary shows %d %s, JSON says %d", got.Counts[label], label, n)
				}
			}
			if got.Blocked == 0 {
				t.Error("no blocked request drawn")
			}
			for _, m := range got.Marks {
				if !stopNamesWhat(m) {
					t.Errorf("a blocked request's diagram does not name the header or status: %q", m)
				}
			}
			if got.Blocked != len(got.Marks) {
				t.Errorf("%d blocked requests drawn, %d stop marks", got.Blocked, len(got.Marks))
			}
			if len(got.Foreign) > 0 {
				t.Errorf("the page holds what it never makes itself: %q", got.Foreign)
			}
			if got.ScrollWidth > 1280 {
				t.Errorf("the page is %d px wide in a 1280 px window", got.ScrollWidth)
			}
			checkScreenshot(t, got.png)
		})
	}
}

// stopNamesWhat: the mark's first line names a response header, the
// status, the missing response, or says the recording does not hold it.
// A redirect status without a Location to follow is named with it ("302
// without Location").
func stopNamesWhat(mark string) bool {
	if strings.HasPrefix(mark, "Blocked: 3") && strings.Contains(mark, " Location") {
		return true
	}
	for _, w := range []string{"Blocked: Access-Control-", "Blocked: status", "Blocked: Location", "Blocked: redirect", "Blocked: no response", "Blocked: URL scheme", "Blocked: method", "Blocked: Local Network Access", "Blocked: (not in the recording", "Blocked: (preflight not in the recording"} {
		if strings.HasPrefix(mark, w) {
			return true
		}
	}
	return false
}

type openedReport struct {
	Counts      map[string]int `json:"counts"`
	Blocked     int            `json:"blocked"`
	Marks       []string       `json:"marks"`
	ScrollWidth int            `json:"scrollWidth"`
	// Foreign lists what the page itself never makes: an element that can
	// load or run something, an event-handler attribute, a link leaving
	// the page, a script past the one.
	Foreign []string `json:"foreign"`
	// Dialogs counts alert/confirm/prompt calls (a script that ran).
	dialogs  int
	errors   []string
	requests []string
	png      []byte
}

// domFacts reads what the test asserts from the opened page.
const domFacts = `(() => {
  const counts = {};
  document.querySelectorAll("[data-count]").forEach(li => {
    counts[li.dataset.count] = parseInt(li.querySelector(".n").textContent, 10);
  });
  // A request with a reported error is one the browser blocked.
  const blocked = document.querySelectorAll("article.req[data-blocked]");
  const marks = [];
  blocked.forEach(a => {
    const t = a.querySelector("svg g.stop text");
    if (t) { marks.push(t.textContent); }
  });
  const foreign = [];
  document.querySelectorAll("img, iframe, frame, object, embed, link, meta[http-equiv=refresh], base, form[action], image, use, foreignObject, animate, set").forEach(e => foreign.push(e.tagName));
  if (document.scripts.length !== 1) { foreign.push(document.scripts.length + " scripts"); }
  if (document.querySelectorAll("style").length !== 1) { foreign.push("style elements"); }
  document.querySelectorAll("*").forEach(e => {
    for (const a of e.attributes) {
      const v = a.value.trim().toLowerCase();
      if (a.name.startsWith("on") || a.name === "srcdoc" || a.name === "style" ||
          ((a.name === "href" || a.name === "src" || a.name === "xlink:href" || a.name === "action") && !v.startsWith("#"))) {
        foreign.push(e.tagName + " " + a.name + "=" + a.value.slice(0, 40));
      }
    }
  });
  return {counts, blocked: blocked.length, marks, foreign, scrollWidth: document.documentElement.scrollWidth};
})()`

func openReport(t *testing.T, bin, path string) openedReport {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 800),
		// Every name fails without a lookup: nothing leaves the machine.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
	}
	for _, f := range []string{"headless", "no-sandbox", "disable-gpu", "no-first-run", "disable-background-networking", "disable-component-update", "disable-sync"} {
		opts = append(opts, chromedp.Flag(f, true))
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, tcancel := context.WithTimeout(ctx, 60*time.Second)
	defer tcancel()

	var mu sync.Mutex
	var out openedReport
	pageURL := "file://" + path
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if ev.Request.URL != pageURL {
				out.requests = append(out.requests, ev.Request.URL)
			}
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError {
				out.errors = append(out.errors, ev.Entry.Text)
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				out.errors = append(out.errors, "console.error")
			}
		case *runtime.EventExceptionThrown:
			out.errors = append(out.errors, ev.ExceptionDetails.Text)
		case *page.EventJavascriptDialogOpening:
			out.dialogs++
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 800), chromedp.Navigate(pageURL), chromedp.WaitReady(chromedp.CSS("body")),
	); err != nil {
		t.Fatalf("opening %s: %v", pageURL, err)
	}
	facts, err := chromedp.Run(ctx, chromedp.Evaluate[openedReport](domFacts))
	if err != nil {
		t.Fatalf("reading the page: %v", err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if dir := os.Getenv("CORSDIAG_HTML_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, filepath.Base(path)+".png"), shot, 0o644)
		if el, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("article.req[data-blocked]"))); err == nil {
			os.WriteFile(filepath.Join(dir, filepath.Base(path)+".blocked.png"), el, 0o644)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	facts.errors, facts.requests, facts.png, facts.dialogs = out.errors, out.requests, shot, out.dialogs
	return facts
}

// checkScreenshot: 1280×800, not blank (enough ink), not one colour.
func checkScreenshot(t *testing.T, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	r := img.Bounds()
	if r.Dx() != 1280 || r.Dy() != 800 {
		t.Errorf("screenshot is %dx%d, want 1280x800", r.Dx(), r.Dy())
	}
	bg := img.At(r.Min.X, r.Min.Y)
	ink, colours := 0, map[[3]uint32]bool{}
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			c := img.At(x, y)
			if !sameColour(c, bg) {
				ink++
			}
			cr, cg, cb, _ := c.RGBA()
			colours[[3]uint32{cr >> 12, cg >> 12, cb >> 12}] = true
		}
	}
	total := (r.Dx() / 2) * (r.Dy() / 2)
	if frac := float64(ink) / float64(total); frac < 0.02 {
		t.Errorf("the first screen is nearly blank: %.1f%% ink", 100*frac)
	}
	if len(colours) < 4 {
		t.Errorf("the first screen has %d colours", len(colours))
	}
}

func sameColour(a, b interface{ RGBA() (r, g, b, a uint32) }) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	return ar == br && ag == bg && ab == bb
}

var _ image.Image // png.Decode returns one

// htmlTestChromium finds Chromium, or skips (fails under
// CORSDIAG_BROWSER_TESTS=require).
func htmlTestChromium(t *testing.T) string {
	t.Helper()
	require := os.Getenv("CORSDIAG_BROWSER_TESTS") == "require"
	if testing.Short() && !require {
		t.Skip("skipping the HTML report browser test in -short mode (CORSDIAG_BROWSER_TESTS=require runs it)")
	}
	for _, name := range []string{os.Getenv("CORSDIAG_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium on PATH for the HTML report test"
	if require {
		t.Fatal("CORSDIAG_BROWSER_TESTS=require but " + msg)
	}
	t.Skip(msg + " (apt-get install chromium, or CORSDIAG_BROWSER_TESTS=require to fail)")
	return ""
}

// TestHTMLReportHostileHARInChromium opens, in real headless Chromium, the
// report of a HAR whose every string attacks the page: markup that closes
// the script or style, event handlers, javascript: URLs, bidi and
// zero-width characters, a huge value. Nothing may run (no dialog, no
// console error, which a refused inline script would log), load, or add
// an element; the strings show as text; the secrets stay redacted.
func TestHTMLReportHostileHARInChromium(t *testing.T) {
	bin := htmlTestChromium(t)
	const xss = `</script><script>alert(1)</script><img src=x onerror=alert(2)>`
	h := func(name, value string) map[string]string { return map[string]string{"name": name, "value": value} }
	page := []map[string]string{h("Origin", "https://app.example.com"), h("Sec-Fetch-Mode", "cors")}
	entry := func(method, url string, req []map[string]string, status int, statusText string, resp []map[string]string, body, netErr string) map[string]any {
		return map[string]any{
			"pageref": "p1", "startedDateTime": "2024-01-01T00:00:00Z",
			"request":  map[string]any{"method": method, "url": url, "headers": append(append([]map[string]string{}, page...), req...)},
			"response": map[string]any{"status": status, "statusText": statusText, "headers": resp, "content": map[string]any{"mimeType": "text/html", "text": body}, "_error": netErr},
		}
	}
	har := map[string]any{"log": map[string]any{
		"version": "1.2",
		"creator": map[string]any{"name": `<img src=x onerror=alert(3)>`, "version": `"><script>alert(4)</script>`},
		"pages":   []map[string]any{{"id": "p1", "title": `<svg onload=alert(5)> ` + "\u202e" + `gnp.exe`, "startedDateTime": "2024-01-01T00:00:00Z"}},
		"entries": []map[string]any{
			entry("GET", "https://api.example.com/a?token=QueryTok42&q="+xss, []map[string]string{h("Authorization", "Bearer AuthTok42"), h("X-Evil", xss+"\u202e\u200b\x1b[31m")},
				403, "<b>Forbidden</b>", []map[string]string{h("Access-Control-Allow-Origin", `https://evil.example"><svg onload=alert(6)>`), h("Location", "javascript:alert(7)"), h("Set-Cookie", "s=CookieTok42")},
				"<script>alert(8)</script>", ""),
			entry("GET", "javascript:alert(9)//https://api.example.com/", nil, 0, "", nil, "", "net::ERR_FAILED"),
			entry("PUT", "https://api.example.com/b\u202e/x\u200b", []map[string]string{h("Content-Type", "application/json"), h("X-Big", strings.Repeat("A", 200000))}, 0, "", nil, "", "net::ERR_FAILED"),
			entry("GET", "https://api.example.com/c", nil, 200, "OK", []map[string]string{h("Access-Control-Allow-Origin", "https://app.example.com"), h("Access-Control-Allow-Methods", "GET</style><style>*{display:none}</style>")}, "", ""),
		},
	}}
	b, err := json.Marshal(har)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	harPath := filepath.Join(dir, "hostile.har")
	if err := os.WriteFile(harPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runHarArgs(t, "", "har", "-o", "html", "--all", harPath)
	if code != ExitBlocked {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, secret := range []string{"QueryTok42", "AuthTok42", "CookieTok42"} {
		if strings.Contains(out, secret) {
			t.Errorf("the page holds the secret %s", secret)
		}
	}
	path := filepath.Join(dir, "hostile.html")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	got := openReport(t, bin, path)
	if got.dialogs > 0 {
		t.Errorf("a script from the HAR ran: %d dialogs", got.dialogs)
	}
	if len(got.errors) > 0 {
		t.Errorf("console errors (a refused inline script logs one): %q", got.errors)
	}
	if len(got.requests) > 0 {
		t.Errorf("the page made network requests: %q", got.requests)
	}
	if len(got.Foreign) > 0 {
		t.Errorf("the HAR's strings became page elements or attributes: %q", got.Foreign)
	}
	if got.Blocked == 0 {
		t.Error("no blocked request drawn: the hostile strings were not shown")
	}
}
