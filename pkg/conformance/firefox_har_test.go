package conformance

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Firefox writes its own DevTools HAR, headless: launched with -devtools
// and the netmonitor's auto-export prefs, it exports the tab's requests once
// the tab has been quiet for pageLoadedTimeout ms. The suite records that
// file as it is; only the sidecar is the suite's.

var recordFirefoxHAR = flag.String("record-firefox-har", "", "TestFirefox: also write Firefox's own DevTools HAR export of the run to this path, with a .expected.json sidecar")

var noPageCookie = flag.Bool("no-page-cookie", false, "serve the page without its cookie (PageCookie): a credentialed request then carries none, as on a site that set none")

const firefoxHARName = "firefox-conformance"

// harQuiet is devtools.netmonitor.har.pageLoadedTimeout: long enough that
// the scenarios, run back to back, never leave the tab quiet for it.
const harQuiet = 20 * time.Second

// firefoxHARPrefs turn on the netmonitor's automatic export into dir.
func firefoxHARPrefs(dir string) map[string]any {
	return map[string]any{
		"devtools.netmonitor.har.enableAutoExportToFile": true,
		"devtools.netmonitor.har.defaultLogDir":          dir,
		"devtools.netmonitor.har.defaultFileName":        firefoxHARName,
		"devtools.netmonitor.har.pageLoadedTimeout":      int(harQuiet / time.Millisecond),
		"devtools.netmonitor.har.includeResponseBodies":  true,
		"devtools.toolbox.selectedTool":                  "netmonitor",
	}
}

// harCollectorScript, in the chrome scope, says whether the tab's toolbox
// has its HAR automation and whether that started a collector since the
// one kept by the last call with keep set.
const harCollectorScript = `((keep) => {
  const { require } = ChromeUtils.importESModule("resource://devtools/shared/loader/Loader.sys.mjs");
  const { gDevTools } = require("devtools/client/framework/devtools");
  const har = gDevTools.getToolboxForTab(gBrowser.selectedTab)?.harAutomation;
  if (!har) return {ready: false, fresh: false};
  const fresh = !!har.collector && har.collector !== window.__corsdiagHARCollector;
  if (keep) window.__corsdiagHARCollector = har.collector;
  return {ready: true, fresh};
})`

// awaitHARCollector opens pageURL again once the toolbox (opened by
// -devtools on its own time) has its HAR automation, and again until that
// started collecting at a navigation it saw: the export holds only what
// its collector saw.
func (f *firefox) awaitHARCollector(t *testing.T, pageURL string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	state := func(keep bool) (ready, fresh bool) {
		raw, err := f.eval(ctx, f.chrome, "chrome", harCollectorScript+"("+strconv.FormatBool(keep)+")")
		var st struct{ Ready, Fresh bool }
		if err == nil {
			err = json.Unmarshal(raw, &st)
		}
		if err != nil {
			t.Fatalf("waiting for Firefox's HAR export to start: %v", err)
		}
		return st.Ready, st.Fresh
	}
	for {
		if ready, _ := state(true); ready {
			if err := f.bidi.call(ctx, "browsingContext.navigate", map[string]any{"context": f.tab, "url": pageURL, "wait": "complete"}, nil); err != nil {
				t.Fatalf("opening the page origin %s again: %v", pageURL, err)
			}
			// The navigation's event reaches the toolbox on its own time.
			for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
				if _, fresh := state(false); fresh {
					return
				}
			}
		}
		if ctx.Err() != nil {
			t.Fatal("Firefox's HAR export did not start collecting within 60 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// firefoxHARExpected is one line of the sidecar: what Firefox did with the
// request script made to URL.
type firefoxHARExpected struct {
	Scenario string `json:"scenario"`
	URL      string `json:"url"`
	Method   string `json:"method"`
	// Origin is the page's origin; Other the third origin's (for
	// redirects), so a reader can put the run's placeholders back.
	Origin    string   `json:"origin"`
	Other     string   `json:"other"`
	Outcome   string   `json:"outcome"` // allowed | blocked
	Status    int      `json:"status,omitempty"`
	Preflight bool     `json:"preflight"`
	Console   []string `json:"console,omitempty"`
	Keys      []string `json:"keys,omitempty"`
}

// awaitFirefoxHAR waits for Firefox's export in dir and copies it to path,
// with the sidecar built from the same run.
func awaitFirefoxHAR(t *testing.T, dir, path string, srv *Server, scenarios []Scenario, specs []jsSpec, results []jsResult, lines [][]consoleLine) {
	t.Helper()
	src := filepath.Join(dir, firefoxHARName+".har")
	deadline := time.Now().Add(harQuiet + 20*time.Second)
	var data []byte
	for {
		var err error
		data, err = os.ReadFile(src)
		if err == nil && json.Valid(data) {
			break
		}
		if time.Now().After(deadline) {
			ents, _ := os.ReadDir(dir)
			t.Fatalf("Firefox wrote no HAR export to %s (%v; the folder holds %v)", dir, err, ents)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var expected []firefoxHARExpected
	for i, sc := range scenarios {
		e := firefoxHARExpected{
			Scenario: sc.Name, URL: specs[i].URL, Method: specs[i].Method, Origin: srv.Origins.Page, Other: srv.Origins.Other,
			Outcome: verdictAllowed, Status: results[i].Status,
		}
		if !results[i].OK {
			e.Outcome, e.Status = verdictBlocked, 0
		}
		marker := "/s/" + markerOf(specs[i].URL)
		for _, s := range srv.Seen(sc.Name, strings.TrimPrefix(marker, "/s/"+sc.Name+"/")) {
			if s.Method == "OPTIONS" && s.Hop == 0 {
				e.Preflight = true
			}
		}
		for _, l := range lines[i] {
			e.Console = append(e.Console, l.Text)
			e.Keys = append(e.Keys, l.Key)
		}
		expected = append(expected, e)
	}
	side := strings.TrimSuffix(path, filepath.Ext(path)) + ".expected.json"
	writeJSON(t, side, expected)
	t.Logf("wrote Firefox's HAR export %s (%d bytes) and %s", path, len(data), side)
}

// TestFirefoxHARExport checks the checked-in Firefox DevTools export
// against its sidecar and the Firefox record, without a browser: it is
// Firefox's file of the same scenarios (every one not skipped that runs on
// the plain page origin), the sidecar
// says what the record says, and the export has the shape the har command
// must read: the real status of a response Firefox blocked, status 0 and no
// headers for a request its preflight stopped.
func TestFirefoxHARExport(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "har")
	var doc struct {
		Log struct {
			Creator, Browser harCreator
			Entries          []struct {
				Request struct {
					Method  string  `json:"method"`
					URL     string  `json:"url"`
					Headers []harNV `json:"headers"`
				} `json:"request"`
				Response struct {
					Status  int     `json:"status"`
					Headers []harNV `json:"headers"`
				} `json:"response"`
			} `json:"entries"`
		} `json:"log"`
	}
	var expected []firefoxHARExpected
	for name, v := range map[string]any{firefoxHARName + ".har": &doc, firefoxHARName + ".expected.json": &expected} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("no Firefox HAR recording (docs/conformance.md: -record-firefox-har writes it): %v", err)
		}
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	rec, recPath := firefoxRecord.mustLoad(t)
	if doc.Log.Creator.Name != "Firefox" || "Firefox/"+doc.Log.Browser.Version != rec.Browser {
		t.Errorf("the export is by %+v/%+v; the record %s is of %s", doc.Log.Creator, doc.Log.Browser, recPath, rec.Browser)
	}
	// The export is the plain scenarios' browser's: the Local Network
	// Access ones run in browsers of their own.
	byName := map[string]Scenario{}
	plain := 0
	for _, sc := range loadScenarios(t) {
		byName[sc.Name] = sc
		if rec.Scenarios[sc.Name] != nil && sc.Plain() {
			plain++
		}
	}
	if len(expected) != plain {
		t.Errorf("the sidecar has %d scenarios, the record %d run on the page origin: record both in one run", len(expected), plain)
	}
	stoppedByPreflight, blockedOnResponse, withCookie := 0, 0, 0
	for _, e := range expected {
		want := rec.Scenarios[e.Scenario]
		if want == nil {
			t.Errorf("%s: in the sidecar, not in %s", e.Scenario, recPath)
			continue
		}
		p := newPlaceholders(Origins{Page: e.Origin, API: cors.OriginOf(e.URL), Other: e.Other}, markerOf(e.URL)[len(e.Scenario)+1:])
		var recorded, console []string
		for _, l := range want.ConsoleLines {
			recorded = append(recorded, l.Text)
		}
		for _, l := range e.Console {
			console = append(console, p.apply(l))
		}
		if e.Outcome != want.Verdict || e.Status != want.Status || strings.Join(console, "\n") != strings.Join(recorded, "\n") {
			t.Errorf("%s: the sidecar says %s %d %q; the record %s %d %q", e.Scenario, e.Outcome, e.Status, console, want.Verdict, want.Status, recorded)
		}
		if len(want.Requests) == 0 {
			continue // nothing was sent (fetch() refused the method)
		}
		var statuses []int
		headers := 0
		for _, h := range doc.Log.Entries {
			// fetch() upper-cases delete, get, head, options, post and put.
			if h.Request.URL == e.URL && strings.EqualFold(h.Request.Method, e.Method) {
				statuses = append(statuses, h.Response.Status)
				headers += len(h.Response.Headers)
				// The page's cookie tells har the credentials mode: a
				// credentialed request carries it, no other does.
				cookie := ""
				for _, nv := range h.Request.Headers {
					if strings.EqualFold(nv.Name, "Cookie") {
						cookie = nv.Value
					}
				}
				if include := byName[e.Scenario].Request.Include(); (cookie == PageCookie) != include {
					t.Errorf("%s: credentials %v, but the export's request has Cookie %q", e.Scenario, include, cookie)
				} else if include {
					withCookie++
				}
			}
		}
		switch {
		case len(statuses) == 0:
			t.Errorf("%s: no %s %s in the export", e.Scenario, e.Method, e.URL)
		case want.Preflight != nil && !want.ActualSent:
			stoppedByPreflight++
			if statuses[0] != 0 || headers != 0 {
				t.Errorf("%s: stopped by its preflight, but the export has status %v and %d headers", e.Scenario, statuses, headers)
			}
		// An opaque redirect shows script status 0; the export has the
		// redirect as it came over the wire (a 3xx without Location is the
		// scenario's response).
		case e.Outcome == verdictAllowed && byName[e.Scenario].Request.Redirect == cors.RedirectManual:
			sc := byName[e.Scenario]
			wire := sc.Response.Status
			if len(sc.Redirects) > 0 {
				wire = sc.Redirects[0].Status
			}
			if e.Status != 0 || !cors.IsRedirectStatus(wire) || statuses[0] != wire {
				t.Errorf("%s: an opaque redirect with status %d, but the export says %v", e.Scenario, e.Status, statuses)
			}
		// A font or image load shows script no status: nothing to compare.
		case e.Outcome == verdictAllowed && len(want.Requests) == 1 && statuses[0] != e.Status && byName[e.Scenario].Request.Scripted():
			t.Errorf("%s: allowed with status %d, but the export says %v", e.Scenario, e.Status, statuses)
		case e.Outcome == verdictBlocked && len(want.Requests) == 1 && !byName[e.Scenario].Response.Drop && len(byName[e.Scenario].Redirects) == 0:
			// No failure marker: the real status and headers, as for an
			// allowed response (Firefox 153 lists no response headers for
			// a HEAD it blocked).
			blockedOnResponse++
			if sc := byName[e.Scenario]; statuses[0] != sc.Response.Status || headers == 0 && !strings.EqualFold(e.Method, "HEAD") {
				t.Errorf("%s: blocked on its response (status %d), but the export has status %v and %d headers", e.Scenario, sc.Response.Status, statuses, headers)
			}
		}
	}
	if stoppedByPreflight == 0 || blockedOnResponse == 0 || withCookie == 0 {
		t.Errorf("%d scenarios stopped by their preflight, %d blocked on their response, %d credentialed requests with the page's cookie: a check above never ran",
			stoppedByPreflight, blockedOnResponse, withCookie)
	}
}
