package conformance

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

var recordHAR = flag.String("record-har", "", "write a HAR of the Chromium run to this path, with a .expected.json sidecar (off by default)")

const scenarioDir = "../../testdata/scenarios"

func nonce() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// chromeOutcome is what Chromium did with one scenario.
type chromeOutcome struct {
	JS jsResult
	// Main is the DevTools record of the request script made; Preflight the
	// preflight's, when DevTools showed one.
	Main, Preflight *netRecord
	CorsError       string
	FailedParameter string
	NetError        string
	// Console is the "Access to … has been blocked by CORS policy" line, or
	// "" when Chromium printed none.
	Console string
	// Logs are every console line that mentions the scenario's URL.
	Logs []string
	Seen []Seen
}

func (o *chromeOutcome) String() string {
	if o.JS.OK {
		return fmt.Sprintf("allowed %d", o.JS.Status)
	}
	switch {
	case o.CorsError != "":
		return "blocked " + o.CorsError
	case o.NetError != "":
		return "blocked " + o.NetError
	}
	return "blocked (" + o.JS.Error + ")"
}

// runInChromium makes every scenario's request from the page, one after the
// other, and collects what Chromium reported.
func runInChromium(t *testing.T, c *chromium, srv *Server, scenarios []Scenario, nonces map[string]string) map[string]*chromeOutcome {
	out := map[string]*chromeOutcome{}
	var markers []string
	for _, sc := range scenarios {
		n := nonces[sc.Name]
		res, err := c.run(specFor(sc, srv, n))
		if err != nil {
			t.Fatalf("%s: running the request in Chromium: %v", sc.Name, err)
		}
		out[sc.Name] = &chromeOutcome{JS: res}
		markers = append(markers, srv.Marker(sc.Name, n))
	}
	if !c.rec.settle(markers, eventWait) {
		t.Errorf("Chromium still had a request of this run pending after %s", eventWait)
	}
	// Console lines are sent after the request fails: wait for the line of
	// every request that failed with a CORS error (a fixed pause loses the
	// last ones on a loaded machine).
	if !c.rec.awaitCORSLines(markers, eventWait) {
		t.Errorf("Chromium logged no CORS line for a request that failed with a CORS error within %s", eventWait)
	}
	for _, sc := range scenarios {
		o := out[sc.Name]
		marker := srv.Marker(sc.Name, nonces[sc.Name])
		for _, rec := range c.rec.records(marker) {
			if rec.isPreflight() {
				if o.Preflight == nil {
					o.Preflight = rec
				}
			} else if o.Main == nil {
				o.Main = rec
			}
		}
		for _, rec := range []*netRecord{o.Main, o.Preflight} {
			if rec == nil || rec.Failed == nil {
				continue
			}
			if o.NetError == "" {
				o.NetError = rec.Failed.ErrorText
			}
			if cs := rec.Failed.CorsErrorStatus; cs != nil && o.CorsError == "" {
				o.CorsError, o.FailedParameter = string(cs.CorsError), cs.FailedParameter
			}
		}
		for _, e := range c.rec.logLines(marker) {
			line := fmt.Sprintf("[%s/%s] %s", e.Source, e.Level, e.Text)
			o.Logs = append(o.Logs, line)
			if strings.HasPrefix(e.Text, "Access to ") && strings.Contains(e.Text, "has been blocked by CORS policy") {
				if o.Console != "" && o.Console != e.Text {
					t.Errorf("%s: Chromium printed two CORS lines:\n%s\n%s", sc.Name, o.Console, e.Text)
				}
				o.Console = e.Text
			}
		}
		o.Seen = srv.Seen(sc.Name, nonces[sc.Name])
	}
	return out
}

// launchGroups splits scenarios by the browser they need: the plain ones
// first, then one group per combination of the page's, the API's and the
// third listener's address spaces, one for the sandboxed page and one for
// the page on port 80, in order of appearance.
func launchGroups(scenarios []Scenario) [][]Scenario {
	var keys []string
	groups := map[string][]Scenario{}
	for _, sc := range scenarios {
		key := ""
		if sc.Sandbox {
			key = "sandbox"
		}
		if sc.DefaultPort {
			key = "default-port"
		}
		if sc.Page != nil {
			key = fmt.Sprintf("%s secure=%v api=%s other=%s", sc.Page.Space, sc.Page.IsSecure(), sc.APIAddressSpace(), sc.OtherAddressSpace())
		}
		if _, ok := groups[key]; !ok {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], sc)
	}
	sort.SliceStable(keys, func(i, j int) bool { return keys[i] == "" && keys[j] != "" })
	out := make([][]Scenario, len(keys))
	for i, k := range keys {
		out[i] = groups[k]
	}
	return out
}

// skips are the scenarios a browser run left out, by name, with why (port
// 80 could not be had): reported as skipped, never as a pass.
type skips map[string]string

// groupPage serves a default_port launch group's page on port 80 (stop
// ends it once the browser has run the group). When the port cannot be
// had, why says so, every scenario of g is skipped with it, and the group
// is not run: a browser cannot show what it never loaded.
func (s skips) groupPage(g []Scenario, srv *Server) (stop func(), why string) {
	if !g[0].DefaultPort {
		return func() {}, ""
	}
	stop, err := srv.ServeDefaultPortPage()
	if err != nil {
		for _, sc := range g {
			s[sc.Name] = err.Error()
		}
		return nil, err.Error()
	}
	return stop, ""
}

// report runs a skipped scenario as a subtest that skips, saying why, and
// adds its summary row; false when the browser ran it. Never a pass: the
// scenario's record entry stays as it is.
func (s skips) report(t *testing.T, name string, rows *[]summaryRow) bool {
	why := s[name]
	if why == "" {
		return false
	}
	t.Run(name, func(t *testing.T) { t.Skip(why) })
	*rows = append(*rows, summaryRow{Scenario: name, Skipped: why})
	return true
}

// skipIfNoneRan skips the whole suite, with one of the reasons, when the
// browser ran nothing because every scenario selected was skipped.
func (s skips) skipIfNoneRan(t *testing.T, ran bool) {
	t.Helper()
	if ran || len(s) == 0 {
		return
	}
	for _, why := range s {
		t.Skipf("every scenario selected was skipped: %s", why)
	}
}

// selected reports whether CORSDIAG_SCENARIO=only picks scenario name: a
// name holding it, or, for "^prefix", a name starting with the prefix
// (^load- is the load-* scenarios and not xhr-upload-*).
func selected(name, only string) bool {
	if prefix, ok := strings.CutPrefix(only, "^"); ok {
		return strings.HasPrefix(name, prefix)
	}
	return strings.Contains(name, only)
}

func loadScenarios(t *testing.T) []Scenario {
	t.Helper()
	scenarios, err := LoadDir(scenarioDir)
	if err != nil {
		t.Fatal(err)
	}
	return scenarios
}

// TestChromium is the conformance suite: every scenario in real Chromium and
// through corsdiag, compared.
func TestChromium(t *testing.T) {
	bin, err := findChromium()
	switch {
	case err != nil && browserRequired():
		t.Fatalf("CORSDIAG_BROWSER_TESTS=require but %v", err)
	case err != nil && *updateRecord:
		t.Fatalf("-update-record records what Chromium does, but %v", err)
	case err != nil:
		t.Skipf("skipping the Chromium conformance suite: %v; set CORSDIAG_CHROMIUM or install chromium", err)
	case testing.Short() && !browserRequired() && !*updateRecord:
		t.Skip("skipping the Chromium conformance suite in -short mode (CORSDIAG_BROWSER_TESTS=require runs it)")
	}
	start := time.Now()
	all := loadScenarios(t)
	scenarios := all
	only := os.Getenv("CORSDIAG_SCENARIO")
	if only != "" {
		scenarios = nil
		for _, s := range all {
			if selected(s.Name, only) {
				scenarios = append(scenarios, s)
			}
		}
	}
	// The record is read before the run: the live browser is checked
	// against it, or (-update-record) it is the base a filtered run updates.
	var rec *record
	recPath, err := recordFile()
	if err == nil {
		rec, err = loadRecord(recPath)
	}
	switch {
	case err != nil && !*updateRecord:
		t.Fatal(err)
	case err != nil || (*updateRecord && only == ""):
		rec = &record{Scenarios: map[string]*observed{}}
	}
	chromeNonces, probeNonces := map[string]string{}, map[string]string{}
	for _, sc := range scenarios {
		chromeNonces[sc.Name], probeNonces[sc.Name] = "c"+nonce(), "p"+nonce()
	}
	// One browser per launch group: the plain scenarios share one, each
	// combination of page and API address space gets its own server and a
	// browser launched with the overrides for that server's ports.
	chrome := map[string]*chromeOutcome{}
	servers := map[string]*Server{}
	skipped := skips{}
	var c, mainBrowser *chromium
	var mainScenarios []Scenario
	for _, g := range launchGroups(scenarios) {
		srv, err := NewServer(g)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		for _, sc := range g {
			servers[sc.Name] = srv
		}
		stop, why := skipped.groupPage(g, srv)
		if why != "" {
			continue
		}
		c = startChromium(t, bin, g[0].PageURL(srv.Origins.Page), spaceFlagsFor(g[0], srv))
		if g[0].Plain() {
			mainBrowser, mainScenarios = c, g
		}
		for name, o := range runInChromium(t, c, srv, g, chromeNonces) {
			chrome[name] = o
		}
		stop()
	}
	skipped.skipIfNoneRan(t, c != nil)
	if c == nil {
		t.Fatalf("CORSDIAG_SCENARIO=%s matches no scenario", only)
	}
	if !*updateRecord && chromiumMajor(c.version) != chromiumMajor(rec.Browser) {
		t.Logf("the record %s is of %s, the browser is %s: differences below are the upgrade's; review them and run %s",
			recPath, rec.Browser, c.version, updateCommand)
	}
	chromeTime := time.Since(start)

	if os.Getenv("CORSDIAG_DUMP") != "" {
		dumpOutcomes(scenarios, chrome)
	}

	// The same scenarios through corsdiag: the probe sends what a browser
	// sends, the engine judges.
	var rows []summaryRow
	exhibited := map[cors.Code]bool{}
	for _, sc := range scenarios {
		if skipped.report(t, sc.Name, &rows) {
			continue
		}
		o := chrome[sc.Name]
		srv := servers[sc.Name]
		live := observedFromChrome(o, newPlaceholders(srv.Origins, chromeNonces[sc.Name]))
		d, res := runCorsdiag(t, srv, sc, probeNonces[sc.Name])
		denied := sc.Permission == "denied"
		for _, f := range d.Findings {
			exhibited[f.Code] = true
		}
		pp := newPlaceholders(srv.Origins, probeNonces[sc.Name])
		problems := compare("Chromium", live, d, res, seenRequests(srv.Seen(sc.Name, probeNonces[sc.Name]), pp), pp, denied)
		problems = append(problems, compareLoadHeaders("Chromium", cors.Chromium, sc, o.Seen, srv.Seen(sc.Name, probeNonces[sc.Name]))...)
		rows = append(rows, summaryRow{Scenario: sc.Name, Browser: o.String(), Corsdiag: corsdiagString(d, denied), Agree: len(problems) == 0})
		var stale string // how the live browser departs from the record
		switch want := rec.Scenarios[sc.Name]; {
		case *updateRecord:
			rec.Scenarios[sc.Name] = live
		case want == nil:
			stale = fmt.Sprintf("no entry in %s for this scenario: run %s and review the diff", recPath, updateCommand)
		default:
			if drift := recordDrift(want, live); len(drift) > 0 {
				stale = fmt.Sprintf("Chromium no longer does what %s recorded; if the browser changed, run %s and review the diff:\n%s",
					recPath, updateCommand, strings.Join(drift, "\n"))
			}
		}
		t.Run(sc.Name, func(t *testing.T) {
			for _, p := range problems {
				t.Error(p)
			}
			if len(problems) > 0 {
				t.Logf("Chromium: %s\n  logs: %s\n  corsdiag findings: %s", o, strings.Join(o.Logs, "\n        "), findingList(d))
			}
			if stale != "" {
				t.Error(stale)
			}
		})
	}
	if only == "" {
		checkExhibited(t, exhibited)
	}
	if *updateRecord {
		// Entries of scenarios that no longer exist go.
		names := map[string]bool{}
		for _, sc := range all {
			names[sc.Name] = true
		}
		for name := range rec.Scenarios {
			if !names[name] {
				delete(rec.Scenarios, name)
			}
		}
		rec.Browser, rec.GeneratedBy, rec.Placeholders = c.version, updateCommand, placeholderDoc
		path, err := writeRecord(rec)
		if err != nil {
			t.Fatalf("writing the record: %v", err)
		}
		t.Logf("wrote %s (%d scenarios); review it with git diff", path, len(rec.Scenarios))
	}
	writeSummary(t, "Chromium", c.version, rows, chromeTime, time.Since(start))
	if *recordHAR != "" && mainBrowser != nil {
		// The HAR is one browser's log: the plain scenarios'.
		writeHAR(t, *recordHAR, mainBrowser, servers[mainScenarios[0].Name], mainScenarios, chrome, chromeNonces)
	}
}
