package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// browserKind names one real browser the suite runs and its record.
type browserKind struct {
	// name is the key of Scenario.Skip and the browser's cors profile.
	name string
	// file is the record's prefix: testdata/conformance/<file>-<version>.json.
	file  string
	label string
	test  string
	// majorMinor: the record is named by major.minor (WebKitGTK 2.50),
	// not by major alone.
	majorMinor bool
}

var (
	chromiumRecord = browserKind{name: "chromium", file: "chromium", label: "Chromium", test: "TestChromium"}
	firefoxRecord  = browserKind{name: "firefox", file: "firefox", label: "Firefox", test: "TestFirefox"}
	webkitRecord   = browserKind{name: "webkit", file: "webkitgtk", label: "WebKitGTK", test: "TestWebKit", majorMinor: true}
	browserKinds   = []browserKind{chromiumRecord, firefoxRecord, webkitRecord}
)

func (k browserKind) updateCommand() string {
	return "CORSDIAG_BROWSER_TESTS=require go test ./pkg/conformance -run " + k.test + " -update-record"
}

var majorMinorRE = regexp.MustCompile(`/(\d+\.\d+)\.`)

// versionKey is the part of the browser's version its record is named by.
func (k browserKind) versionKey(product string) string {
	if !k.majorMinor {
		return chromiumMajor(product)
	}
	if m := majorMinorRE.FindStringSubmatch(product); m != nil {
		return m[1]
	}
	return ""
}

// kindOfRecord is the browser whose record path is.
func kindOfRecord(path string) browserKind {
	base := filepath.Base(path)
	for _, k := range browserKinds {
		if strings.HasPrefix(base, k.file+"-") {
			return k
		}
	}
	return chromiumRecord
}

// consoleLine is one console message a browser logged while a scenario's
// request ran, as its console shows it.
type consoleLine struct {
	// Level is error or warning.
	Level string `json:"level"`
	// Key is Firefox's security.properties key (CORSMissingAllowOrigin2),
	// Source WebKit's message source (security, js).
	Key    string `json:"key,omitempty"`
	Source string `json:"source,omitempty"`
	Text   string `json:"text"`
}

func (c consoleLine) String() string {
	s := c.Level
	if c.Key != "" {
		s += " " + c.Key
	}
	if c.Source != "" {
		s += " " + c.Source
	}
	return s + ": " + c.Text
}

// pageBrowser is a real browser with one page open on the page origin.
type pageBrowser interface {
	// runAll makes each request from the page in turn and returns what
	// script saw and the console lines logged for it, in order.
	runAll(t *testing.T, specs []jsSpec) ([]jsResult, [][]consoleLine)
	product() string
}

// specFor is the request script makes for sc on srv in run nonce.
func specFor(sc Scenario, srv *Server, nonce string) jsSpec {
	spec := jsSpec{
		URL:         sc.RequestURL(srv, nonce),
		Method:      sc.Request.MethodOrGet(),
		Credentials: sc.Request.Credentials,
		Body:        sc.Request.Body,
		XHR:         sc.Request.XHR,
		Upload:      sc.Request.Upload,
		Kind:        sc.Request.Kind,
		Redirect:    sc.Request.Redirect,
		Headers:     [][2]string{},
	}
	for _, h := range sc.Request.Headers {
		spec.Headers = append(spec.Headers, [2]string{h.Name, srv.Origins.Expand(h.Value)})
	}
	return spec
}

// observedFromPage is the record entry of what a browser without
// DevTools-level detail did: what script saw, the console lines, and what
// reached the server.
func observedFromPage(js jsResult, lines []consoleLine, seen []Seen, p placeholders) *observed {
	b := &observed{Verdict: verdictBlocked, Requests: seenRequests(seen, p)}
	if js.OK {
		b.Verdict, b.Status = verdictAllowed, js.Status
		b.Readable = append([]string(nil), js.Headers...)
		sort.Strings(b.Readable)
	} else {
		b.ScriptError = p.apply(js.Error)
	}
	for _, l := range lines {
		l.Text = p.apply(l.Text)
		b.ConsoleLines = append(b.ConsoleLines, l)
	}
	b.summarize()
	return b
}

// profileOf is the cors profile that judges browser k.
func profileOf(t *testing.T, k browserKind) *cors.Profile {
	t.Helper()
	p, ok := cors.LookupProfile(k.name)
	if !ok {
		t.Fatalf("pkg/cors has no %q profile to judge %s with", k.name, k.label)
	}
	return p
}

// userinfoRE finds user:password@ in a URL: WebKit prints a redirect's
// credentials, corsdiag masks them, and the comparison masks the browser's
// line the same way.
var userinfoRE = regexp.MustCompile(`://[^/@\s:]+:[^/@\s]+@`)

// compareEngine lists every way corsdiag's account of a scenario, judged
// with the browser's profile, differs from what that browser did (live or
// recorded): the verdict, fetch()'s rejection, every console line (and
// Firefox's key of the reported error), the requests sent, the headers
// script could read.
//
// A scenario with permission: denied is judged as compare does for
// Chromium: the Local Network Access permission warning, when corsdiag
// reports one, stands for the browser's error (its lines are the ones the
// browser logs when the prompt is denied). Lines the profile does not
// model (notModelled) are left out of the browser's side.
func compareEngine(browser string, profile *cors.Profile, sc Scenario, b *observed, d *cors.Diagnosis, res *probe.Result, probeSeen []seenRequest, p placeholders) []string {
	var out []string
	fail := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	blocked := b.Verdict == verdictBlocked
	corsdiagBlocked := d.Verdict == cors.Blocked
	v := profile.Verdict(d)
	console, rep := v.Console, d.Reported()
	gate := lnaGate(d, sc.Permission == "denied")
	if gate != nil && gate.Code == cors.CodeLocalNetworkPermission {
		corsdiagBlocked, rep = true, gate
		console = append(console, profile.Lines(gate)...)
	}
	if blocked && !corsdiagBlocked && loadFailedOnItsOwn(sc, b, res) {
		// Not a CORS matter: the page's load failed on the answer itself.
		blocked = false
	}
	if blocked != corsdiagBlocked {
		fail("verdict: %s %s, corsdiag %s", browser, b, d.Verdict)
	}
	thrown := ""
	if rep != nil {
		thrown = profile.Thrown(rep)
	}
	switch {
	case blocked && thrown != "":
		if got := p.apply(thrown); got != b.ScriptError {
			fail("TypeError: %s %q, profile %q", browser, b.ScriptError, got)
		}
	case blocked && sc.Request.Initiator() == "fetch" && b.ScriptError != profile.Messages.FetchRejection && !d.Plan.Forbidden:
		fail("fetch() rejection: %s %q, profile %q", browser, b.ScriptError, profile.Messages.FetchRejection)
	}
	// The listeners corsdiag was told are elsewhere (overrideSpaces) are
	// where the browser connected: 127.0.0.1.
	var movedIPs []string
	for _, space := range []string{sc.APIAddressSpace(), sc.OtherAddressSpace()} {
		if ip, ok := spaceAddress[space]; ok {
			movedIPs = append(movedIPs, ip+":", "127.0.0.1:")
		}
	}
	var moved *strings.Replacer
	if movedIPs != nil {
		moved = strings.NewReplacer(movedIPs...)
	}
	var got []string
	for _, l := range console {
		if moved != nil {
			l = moved.Replace(l)
		}
		// Userinfo is compared masked on both sides: the engine masks a
		// redirect Location's (the browser prints it), and a request URL's
		// is printed as script gave it.
		got = append(got, userinfoRE.ReplaceAllString(p.apply(l), "://***:***@"))
	}
	var want []string
	for _, l := range b.ConsoleLines {
		if notModelled(profile, l) {
			continue
		}
		want = append(want, userinfoRE.ReplaceAllString(l.Text, "://***:***@"))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		fail("console lines:\n  %s:\n    %s\n  corsdiag:\n    %s", browser, strings.Join(want, "\n    "), strings.Join(got, "\n    "))
	}
	if rep != nil && blocked {
		for _, l := range b.ConsoleLines {
			if l.Key != "" && l.Level == "error" {
				if k := profile.Key(rep); k != l.Key {
					fail("key of the error line: %s %s, corsdiag %q (finding %s)", browser, l.Key, k, rep.Code)
				}
				break
			}
		}
	}
	out = append(out, compareTraffic(browser, b, d, res, probeSeen, gate)...)
	// An opaque redirect shows script no header (opaque-redirect says so).
	if !blocked && !corsdiagBlocked && d.Verdict == cors.Allowed && sc.Request.Scripted() && !d.Has(cors.CodeOpaqueRedirect) {
		if final := res.Exchange.FinalResponse(); final != nil {
			out = append(out, compareExposed(browser, b, d, final)...)
		}
	}
	return out
}

// loadHeaders are the request headers that tell what made a load; the
// probe sends a font, image, stylesheet, module script, EventSource or
// media request with the live browser's values (the records keep no
// headers, so this is checked live only). Range: a media element's.
var loadHeaders = []string{"Accept", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Range"}

// compareLoadHeaders lists how the probe's first request for a load
// scenario differs from the browser's in loadHeaders and in the headers
// the profile says the load sends its own way (HeadersOf: a media
// element's Accept-Encoding).
func compareLoadHeaders(browser string, profile *cors.Profile, sc Scenario, browserSeen, probeSeen []Seen) []string {
	if sc.Request.Scripted() || len(browserSeen) == 0 || len(probeSeen) == 0 {
		return nil
	}
	names := slices.Clone(loadHeaders)
	for name := range profile.Headers.HeadersOf[sc.Request.Initiator()] {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var out []string
	for _, h := range names {
		if b, p := browserSeen[0].Header.Get(h), probeSeen[0].Header.Get(h); b != p {
			out = append(out, fmt.Sprintf("%s: %s sent %q, the probe %q", h, browser, b, p))
		}
	}
	return out
}

// loadFailedOnItsOwn: a load that is not fetch() or XMLHttpRequest failed
// without a console line where corsdiag sees no CORS failure, on an error
// status: WebKit loads a web font without CORS, and a 403 is no font
// (load-font-403-no-acao). The page's error event is the resource's, not
// CORS's.
func loadFailedOnItsOwn(sc Scenario, b *observed, res *probe.Result) bool {
	final := res.Exchange.FinalResponse()
	return !sc.Request.Scripted() && len(b.ConsoleLines) == 0 && final != nil && final.Status >= 400
}

// notModelled: a console line the record keeps but the profile does not
// predict (its Messages.Unpredicted: Firefox's "Local Network Access
// detected: …, prompt action: …", logged for every request to a more
// private address space from another process, at no fixed place among the
// other lines; the record keeps it last).
func notModelled(profile *cors.Profile, l consoleLine) bool {
	for _, cs := range profile.Messages.Unpredicted {
		if lead, _, _ := strings.Cut(cs.Text, "{"); strings.HasPrefix(l.Text, lead) {
			return true
		}
	}
	return false
}

// runBrowserSuite is TestFirefox's and TestWebKit's body: every scenario
// not skipped for k in the real browser and through corsdiag judged with
// k's profile, compared; the browser checked against (or, with
// -update-record, written to) its record. As for Chromium, the plain
// scenarios share one browser and each Local Network Access combination of
// page and API address space gets its own server and browser (launch is
// given the group's first scenario, which says where the page is).
//
// after, when not nil, is given the plain group's raw results (for
// recordings made alongside, such as Firefox's HAR export).
func runBrowserSuite(t *testing.T, k browserKind, find func() (string, error), launch func(t *testing.T, bin string, srv *Server, sc Scenario) pageBrowser,
	after func(t *testing.T, srv *Server, scenarios []Scenario, specs []jsSpec, results []jsResult, lines [][]consoleLine)) {
	bin, err := find()
	switch {
	case err != nil && browserRequired():
		t.Fatalf("CORSDIAG_BROWSER_TESTS=require but %v", err)
	case err != nil && *updateRecord:
		t.Fatalf("-update-record records what %s does, but %v", k.label, err)
	case err != nil:
		t.Skipf("skipping the %s conformance suite: %v", k.label, err)
	case testing.Short() && !browserRequired() && !*updateRecord:
		t.Skipf("skipping the %s conformance suite in -short mode (CORSDIAG_BROWSER_TESTS=require runs it)", k.label)
	}
	profile := profileOf(t, k)
	start := time.Now()
	all := loadScenarios(t)
	only := os.Getenv("CORSDIAG_SCENARIO")
	var scenarios []Scenario
	for _, sc := range all {
		if sc.Skipped(k.name) == "" && (only == "" || selected(sc.Name, only)) {
			scenarios = append(scenarios, sc)
		}
	}
	if len(scenarios) == 0 {
		t.Fatalf("CORSDIAG_SCENARIO=%s matches no scenario %s runs", only, k.label)
	}
	rec, recPath, err := loadRecordOf(k)
	switch {
	case err != nil && !*updateRecord:
		t.Fatal(err)
	case err != nil || (*updateRecord && only == ""):
		rec = &record{Scenarios: map[string]*observed{}}
	}
	browserNonces, probeNonces := map[string]string{}, map[string]string{}
	servers := map[string]*Server{}
	skipped := skips{}
	results, lines := map[string]jsResult{}, map[string][]consoleLine{}
	var br pageBrowser
	for _, g := range launchGroups(scenarios) {
		srv, err := NewServer(g)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		srv.NoPageCookie.Store(*noPageCookie)
		stop, why := skipped.groupPage(g, srv)
		if why != "" {
			continue
		}
		specs := make([]jsSpec, len(g))
		for i, sc := range g {
			browserNonces[sc.Name], probeNonces[sc.Name] = "b"+nonce(), "p"+nonce()
			specs[i] = specFor(sc, srv, browserNonces[sc.Name])
			if want := rec.Scenarios[sc.Name]; want != nil && !*updateRecord {
				specs[i].wantLines = len(want.ConsoleLines)
			}
			servers[sc.Name] = srv
		}
		br = launch(t, bin, srv, g[0])
		res, lns := br.runAll(t, specs)
		for i, sc := range g {
			results[sc.Name], lines[sc.Name] = res[i], lns[i]
		}
		stop()
		if after != nil && g[0].Plain() {
			after(t, srv, g, specs, res, lns)
		}
	}
	skipped.skipIfNoneRan(t, br != nil)
	browserTime := time.Since(start)
	if !*updateRecord && k.versionKey(br.product()) != k.versionKey(rec.Browser) {
		t.Logf("the record %s is of %s, the browser is %s: differences below are the upgrade's; review them and run %s",
			recPath, rec.Browser, br.product(), k.updateCommand())
	}

	var rows []summaryRow
	for _, sc := range scenarios {
		if skipped.report(t, sc.Name, &rows) {
			continue
		}
		srv := servers[sc.Name]
		live := observedFromPage(results[sc.Name], lines[sc.Name], srv.Seen(sc.Name, browserNonces[sc.Name]), newPlaceholders(srv.Origins, browserNonces[sc.Name]))
		if os.Getenv("CORSDIAG_DUMP") != "" {
			fmt.Printf("== %s: %s js=%+v\n", sc.Name, live, results[sc.Name])
			for _, l := range lines[sc.Name] {
				fmt.Println("   ", l)
			}
			for _, s := range srv.Seen(sc.Name, browserNonces[sc.Name]) {
				fmt.Printf("    seen %s origin=%q accept=%q dest=%q mode=%q cookie=%v\n", s.Method, s.Header.Get("Origin"),
					s.Header.Get("Accept"), s.Header.Get("Sec-Fetch-Dest"), s.Header.Get("Sec-Fetch-Mode"), s.Header.Get("Cookie") != "")
			}
		}
		d, res := runCorsdiagWith(t, profile, srv, sc, probeNonces[sc.Name])
		pp := newPlaceholders(srv.Origins, probeNonces[sc.Name])
		problems := compareEngine(k.label, profile, sc, live, d, res, seenRequests(srv.Seen(sc.Name, probeNonces[sc.Name]), pp), pp)
		problems = append(problems, compareLoadHeaders(k.label, profile, sc, srv.Seen(sc.Name, browserNonces[sc.Name]), srv.Seen(sc.Name, probeNonces[sc.Name]))...)
		rows = append(rows, summaryRow{Scenario: sc.Name, Browser: live.String(), Corsdiag: corsdiagString(d, sc.Permission == "denied"), Agree: len(problems) == 0})
		var stale string
		switch want := rec.Scenarios[sc.Name]; {
		case *updateRecord:
			rec.Scenarios[sc.Name] = live
		case want == nil:
			stale = fmt.Sprintf("no entry in %s for this scenario: run %s and review the diff", recPath, k.updateCommand())
		default:
			if drift := recordDrift(want, live); len(drift) > 0 {
				stale = fmt.Sprintf("%s no longer does what %s recorded; if the browser changed, run %s and review the diff:\n%s",
					k.label, recPath, k.updateCommand(), strings.Join(drift, "\n"))
			}
		}
		t.Run(sc.Name, func(t *testing.T) {
			for _, p := range problems {
				t.Error(p)
			}
			if len(problems) > 0 {
				t.Logf("%s: %s\n  console: %v\n  corsdiag findings: %s", k.label, live, live.ConsoleLines, findingList(d))
			}
			if stale != "" {
				t.Error(stale)
			}
		})
	}
	if *updateRecord {
		runs := map[string]bool{}
		for _, sc := range all {
			runs[sc.Name] = sc.Skipped(k.name) == ""
		}
		for name := range rec.Scenarios {
			if !runs[name] {
				delete(rec.Scenarios, name)
			}
		}
		rec.Browser, rec.GeneratedBy, rec.Placeholders = br.product(), k.updateCommand(), placeholderDoc
		path, err := k.write(rec)
		if err != nil {
			t.Fatalf("writing the record: %v", err)
		}
		t.Logf("wrote %s (%d scenarios); review it with git diff", path, len(rec.Scenarios))
	}
	writeSummary(t, k.label, br.product(), rows, browserTime, time.Since(start))
}

// loadRecordOf reads browser k's checked-in record.
func loadRecordOf(k browserKind) (*record, string, error) {
	path, err := k.recordPath()
	if err != nil {
		return nil, "", err
	}
	rec, err := loadRecord(path)
	return rec, path, err
}

// writeSummary prints the table to stdout and appends it to
// $CORSDIAG_CONFORMANCE_SUMMARY (go test hides a passing package's output
// unless -v; CI prints the file).
func writeSummary(t *testing.T, label, version string, rows []summaryRow, browserTime, total time.Duration) {
	t.Helper()
	printSummary(os.Stdout, label, version, rows, browserTime, total)
	path := os.Getenv("CORSDIAG_CONFORMANCE_SUMMARY")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatalf("summary: %v", err)
	}
	printSummary(f, label, version, rows, browserTime, total)
	if err := f.Close(); err != nil {
		t.Fatalf("summary: %v", err)
	}
}

// TestBrowserRecordsAgainstEngine holds corsdiag, judged with each
// browser's profile, to the Firefox and WebKitGTK records without a
// browser, as TestScenariosAgainstRecord does for Chromium.
func TestBrowserRecordsAgainstEngine(t *testing.T) {
	scenarios := loadScenarios(t)
	srv, err := NewServer(scenarios)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	for _, k := range []browserKind{firefoxRecord, webkitRecord} {
		t.Run(k.label, func(t *testing.T) {
			rec, path := k.mustLoad(t)
			for _, p := range recordCoverage(scenarios, rec, path) {
				t.Error(p)
			}
			profile := profileOf(t, k)
			browser := k.label + " " + k.versionKey(rec.Browser) + " (record)"
			for _, sc := range scenarios {
				want := rec.Scenarios[sc.Name]
				if want == nil || sc.Skipped(k.name) != "" {
					continue // reported above
				}
				t.Run(sc.Name, func(t *testing.T) {
					n := "p" + nonce()
					d, res := runCorsdiagWith(t, profile, srv, sc, n)
					pp := newPlaceholders(srv.Origins, n)
					for _, p := range compareEngine(browser, profile, sc, want, d, res, seenRequests(srv.Seen(sc.Name, n), pp), pp) {
						t.Error(p)
					}
				})
			}
		})
	}
}

// TestCompareEngineReportsDisagreement keeps compareEngine from going
// blind: a Firefox or WebKitGTK record entry changed in one field at a time
// must produce the matching complaint against corsdiag's real run.
func TestCompareEngineReportsDisagreement(t *testing.T) {
	byName := map[string]Scenario{}
	for _, sc := range loadScenarios(t) {
		byName[sc.Name] = sc
	}
	const simple, preflight, lna = "simple-get-no-acao", "acah-missing", "lna-public-secure-to-loopback-get"
	srv, err := NewServer([]Scenario{byName[simple], byName[preflight], byName[lna]})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	tests := []struct {
		kind     browserKind
		scenario string
		edit     func(b *observed)
		want     string
	}{
		{firefoxRecord, simple, func(b *observed) { b.Verdict = verdictAllowed }, "verdict: browser allowed"},
		{firefoxRecord, simple, func(b *observed) { b.ScriptError = "TypeError: Failed to fetch" }, "fetch() rejection"},
		{firefoxRecord, simple, func(b *observed) { b.ConsoleLines[0].Text += "!" }, "console lines:"},
		{firefoxRecord, simple, func(b *observed) { b.ConsoleLines[0].Key = "CORSMissingAllowOrigin" }, "key of the error line: browser CORSMissingAllowOrigin"},
		{firefoxRecord, preflight, func(b *observed) { b.ConsoleLines = b.ConsoleLines[:1] }, "console lines:"},
		{firefoxRecord, preflight, func(b *observed) { b.Requests = nil; b.summarize() }, "preflight: browser sent one: false"},
		// The permission warning stands for Firefox's error (permission: denied).
		{firefoxRecord, lna, func(b *observed) { b.ConsoleLines = b.ConsoleLines[1:] }, "console lines:"},
		{firefoxRecord, lna, func(b *observed) { b.Verdict, b.ScriptError = verdictAllowed, "" }, "verdict: browser allowed"},
		{firefoxRecord, lna, func(b *observed) {
			b.Requests = []seenRequest{{Method: "GET", Server: "{api}", Origin: "{page}"}}
			b.summarize()
		}, "actual request: browser sent it: true"},
		{webkitRecord, simple, func(b *observed) {
			b.ConsoleLines[1].Text = strings.Replace(b.ConsoleLines[1].Text, "Fetch API", "XMLHttpRequest", 1)
		}, "console lines:"},
		{webkitRecord, preflight, func(b *observed) { b.ConsoleLines = append(b.ConsoleLines, b.ConsoleLines[0]) }, "console lines:"},
	}
	for _, tt := range tests {
		t.Run(tt.kind.label+"/"+tt.scenario+"/"+tt.want, func(t *testing.T) {
			rec, _ := tt.kind.mustLoad(t)
			orig := rec.Scenarios[tt.scenario]
			if orig == nil {
				t.Fatalf("no %s record entry for %s; pick another scenario for this test", tt.kind.label, tt.scenario)
			}
			profile := profileOf(t, tt.kind)
			sc := byName[tt.scenario]
			n := "p" + nonce()
			d, res := runCorsdiagWith(t, profile, srv, sc, n)
			pp := newPlaceholders(srv.Origins, n)
			probeSeen := seenRequests(srv.Seen(sc.Name, n), pp)
			if p := compareEngine("browser", profile, sc, orig, d, res, probeSeen, pp); len(p) != 0 {
				t.Fatalf("the untouched entry already disagrees: %q", p)
			}
			b := deepCopy(t, orig)
			tt.edit(b)
			if p := strings.Join(compareEngine("browser", profile, sc, b, d, res, probeSeen, pp), "\n"); !strings.Contains(p, tt.want) {
				t.Errorf("compareEngine said %q; want it to say %q", p, tt.want)
			}
		})
	}
}
