package conformance

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// The record is what Chromium did with every scenario, checked in so the
// scenarios test corsdiag on machines without a browser. TestChromium writes
// it (-update-record) and otherwise checks the live browser still matches
// it; TestScenariosAgainstRecord holds corsdiag to it with the same compare
// as TestChromium holds it to the live browser.

var updateRecord = flag.Bool("update-record", false, "TestChromium: write what Chromium did to testdata/conformance/chromium-<major>.json instead of checking it matches the record")

const (
	recordDir = "../../testdata/conformance"
	// updateCommand is what to run when Chromium's record is stale.
	updateCommand = "CORSDIAG_BROWSER_TESTS=require go test ./pkg/conformance -run TestChromium -update-record"
)

// Verdicts of an observed outcome.
const (
	verdictAllowed = "allowed"
	verdictBlocked = "blocked"
)

// observed is what a browser did with one scenario, as the record keeps it:
// the run's loopback origins and nonce are placeholders ({page}, {api},
// {other}, {page_port}, …, {nonce}; see placeholders), so runs on other
// ports compare equal.
type observed struct {
	Verdict string `json:"verdict"` // allowed | blocked
	// Status is the HTTP status script saw, when allowed.
	Status          int    `json:"status,omitempty"`
	CorsError       string `json:"corsError,omitempty"`
	FailedParameter string `json:"failedParameter,omitempty"`
	NetError        string `json:"netError,omitempty"`
	// ScriptError is the rejection (fetch) or error event (XHR) script saw.
	ScriptError string `json:"scriptError,omitempty"`
	// Console is Chromium's "Access to … has been blocked by CORS policy"
	// line.
	Console string `json:"console,omitempty"`
	// ConsoleLines are every console line Firefox or WebKit logged for the
	// request, in order.
	ConsoleLines []consoleLine `json:"consoleLines,omitempty"`
	// Preflight is the first OPTIONS at the request's own URL, nil when the
	// browser sent none; ActualSent says any other request reached the
	// server. Both are derived from Requests (summarize).
	Preflight  *seenRequest `json:"preflight"`
	ActualSent bool         `json:"actualSent"`
	// Requests are what reached the scenario server, in arrival order.
	Requests []seenRequest `json:"requests"`
	// Readable are the response headers script could read (lower case,
	// sorted), when allowed.
	Readable []string `json:"readableHeaders,omitempty"`
}

// seenRequest is one request that reached the scenario server.
type seenRequest struct {
	Method string `json:"method"`
	// Server is the listener: {page}, {api} or {other}.
	Server string `json:"server"`
	// Hop is the redirect hop the URL asked for (0: the first URL).
	Hop    int    `json:"hop"`
	Origin string `json:"origin,omitempty"`
	// The Access-Control-Request-* headers of a preflight.
	RequestMethod  string `json:"accessControlRequestMethod,omitempty"`
	RequestHeaders string `json:"accessControlRequestHeaders,omitempty"`
}

func (r seenRequest) isPreflight() bool { return r.Method == http.MethodOptions && r.Hop == 0 }

// String renders the request for a hop-by-hop comparison.
func (r seenRequest) String() string {
	s := fmt.Sprintf("%s %s#%d origin=%s", r.Method, r.Server, r.Hop, r.Origin)
	if r.Method == http.MethodOptions {
		s += fmt.Sprintf(" acrm=%s acrh=%s", r.RequestMethod, r.RequestHeaders)
	}
	return s
}

// splitPreflight returns the first preflight at the request's own URL and
// every other request (the actual request, its hops, the preflights of
// redirected URLs). Chromium retries a preflight whose connection dropped;
// the retries are the same preflight and left out.
func splitPreflight(rs []seenRequest) (pf *seenRequest, rest []seenRequest) {
	for i := range rs {
		switch {
		case !rs[i].isPreflight():
			rest = append(rest, rs[i])
		case pf == nil:
			r := rs[i]
			pf = &r
		}
	}
	return pf, rest
}

// summarize derives Preflight and ActualSent from Requests and makes empty
// lists nil, so a loaded entry and a live one compare with DeepEqual.
func (b *observed) summarize() {
	if len(b.Requests) == 0 {
		b.Requests = nil
	}
	if len(b.Readable) == 0 {
		b.Readable = nil
	}
	if len(b.ConsoleLines) == 0 {
		b.ConsoleLines = nil
	}
	var rest []seenRequest
	b.Preflight, rest = splitPreflight(b.Requests)
	b.ActualSent = len(rest) > 0
}

func (b *observed) String() string {
	if b.Verdict == verdictAllowed {
		return fmt.Sprintf("allowed %d", b.Status)
	}
	switch {
	case b.CorsError != "":
		return "blocked " + b.CorsError
	case b.NetError != "":
		return "blocked " + b.NetError
	}
	return "blocked (" + b.ScriptError + ")"
}

// placeholders turns one run's loopback origins and nonce into the
// placeholders of the record: http://127.0.0.1:<port> becomes {page}, {api}
// or {other}; the port anywhere else (https://127.0.0.1:<port>,
// localhost:<port>, user:pw@127.0.0.1:<port>) {page_port}, {api_port} or
// {other_port}; the nonce {nonce}.
type placeholders struct {
	ports map[string]string // port → page | api | other
	nonce string
}

var portRE = regexp.MustCompile(`(http://127\.0\.0\.1)?:(\d+)\b`)

func newPlaceholders(o Origins, nonce string) placeholders {
	p := placeholders{ports: map[string]string{}, nonce: nonce}
	for name, origin := range map[string]string{"page": o.Page, "api": o.API, "other": o.Other} {
		p.ports[port(origin)] = name
	}
	return p
}

func (p placeholders) apply(s string) string {
	if p.nonce != "" {
		s = strings.ReplaceAll(s, p.nonce, "{nonce}")
	}
	return portRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := portRE.FindStringSubmatch(m)
		name, ok := p.ports[sub[2]]
		switch {
		case !ok:
			return m
		case sub[1] != "":
			return "{" + name + "}"
		}
		return ":{" + name + "_port}"
	})
}

// seenRequests is what the scenario server saw, with placeholders.
func seenRequests(seen []Seen, p placeholders) []seenRequest {
	var out []seenRequest
	for _, s := range seen {
		r := seenRequest{Method: s.Method, Server: p.apply(s.Origin), Hop: s.Hop, Origin: p.apply(s.Header.Get("Origin"))}
		if s.Method == http.MethodOptions {
			r.RequestMethod = s.Header.Get("Access-Control-Request-Method")
			r.RequestHeaders = s.Header.Get("Access-Control-Request-Headers")
		}
		out = append(out, r)
	}
	return out
}

// observedFromChrome is the record entry of a live Chromium outcome.
func observedFromChrome(o *chromeOutcome, p placeholders) *observed {
	b := &observed{Verdict: verdictBlocked, Requests: seenRequests(o.Seen, p)}
	if o.JS.OK {
		b.Verdict, b.Status = verdictAllowed, o.JS.Status
		b.Readable = append([]string(nil), o.JS.Headers...)
		sort.Strings(b.Readable)
	} else {
		b.CorsError = o.CorsError
		b.FailedParameter = p.apply(o.FailedParameter)
		b.NetError = o.NetError
		b.ScriptError = p.apply(o.JS.Error)
	}
	// Chromium printing a CORS line for an allowed request is kept, so
	// compare can complain about it.
	b.Console = p.apply(o.Console)
	b.summarize()
	return b
}

// record is the checked-in file.
type record struct {
	// Browser is the product Chromium reported (Browser.getVersion).
	Browser     string `json:"browser"`
	GeneratedBy string `json:"generatedBy"`
	// Placeholders says what the placeholders stand for, for a reader.
	Placeholders string               `json:"placeholders"`
	Scenarios    map[string]*observed `json:"scenarios"`
}

const placeholderDoc = "{page}, {api}, {other}: http://127.0.0.1:<port> of the page, API and third origin; " +
	"{page_port}, {api_port}, {other_port}: the port in any other URL; {nonce}: the run's nonce"

// recordFile is the one testdata/conformance/chromium-*.json.
func recordFile() (string, error) { return chromiumRecord.recordPath() }

// file is the one testdata/conformance/<name>-*.json of the browser.
func (k browserKind) recordPath() (string, error) {
	files, err := filepath.Glob(filepath.Join(recordDir, k.file+"-*.json"))
	if err != nil {
		return "", err
	}
	switch len(files) {
	case 0:
		return "", fmt.Errorf("no record of %s's behaviour in %s: run %s", k.label, recordDir, k.updateCommand())
	case 1:
		return files[0], nil
	}
	return "", fmt.Errorf("%d records in %s (%s); keep one: %s writes %s-<version>.json and removes the others",
		len(files), recordDir, strings.Join(files, ", "), k.updateCommand(), k.file)
}

// loadRecord reads and checks a record file: every entry has a verdict and
// its preflight/actualSent summary agrees with its requests.
// mustLoadRecord loads the checked-in record or fails the test.
func mustLoadRecord(t *testing.T) (*record, string) {
	t.Helper()
	return chromiumRecord.mustLoad(t)
}

func (k browserKind) mustLoad(t *testing.T) (*record, string) {
	t.Helper()
	path, err := k.recordPath()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := loadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	return rec, path
}

func loadRecord(path string) (*record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var r record
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(r.Scenarios) == 0 {
		return nil, fmt.Errorf("%s: no scenarios", path)
	}
	for name, b := range r.Scenarios {
		if b == nil {
			return nil, fmt.Errorf("%s: scenario %s: null entry", path, name)
		}
		if b.Verdict != verdictAllowed && b.Verdict != verdictBlocked {
			return nil, fmt.Errorf("%s: scenario %s: verdict %q; want allowed or blocked", path, name, b.Verdict)
		}
		derived := *b
		derived.summarize()
		if !reflect.DeepEqual(b.Preflight, derived.Preflight) || b.ActualSent != derived.ActualSent {
			return nil, fmt.Errorf("%s: scenario %s: preflight/actualSent do not match its requests (edited by hand?): run %s", path, name, kindOfRecord(path).updateCommand())
		}
		*b = derived
	}
	return &r, nil
}

// writeRecord writes r as chromium-<major>.json and removes any other
// chromium-*.json, so one record exists and an upgrade reads as a rename
// plus a diff.
func writeRecord(r *record) (string, error) { return chromiumRecord.write(r) }

// write writes r as <name>-<version>.json and removes any other
// <name>-*.json of the browser.
func (k browserKind) write(r *record) (string, error) {
	major := k.versionKey(r.Browser)
	if major == "" {
		return "", fmt.Errorf("cannot read a major version out of %q", r.Browser)
	}
	path := filepath.Join(recordDir, k.file+"-"+major+".json")
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // console lines keep their < > & readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return "", err
	}
	if err := os.MkdirAll(recordDir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return "", err
	}
	old, _ := filepath.Glob(filepath.Join(recordDir, k.file+"-*.json"))
	for _, f := range old {
		if filepath.Base(f) != filepath.Base(path) {
			if err := os.Remove(f); err != nil {
				return "", err
			}
		}
	}
	return path, nil
}

var majorRE = regexp.MustCompile(`/(\d+)\.`)

// chromiumMajor reads 156 out of "HeadlessChrome/156.0.8078.108".
func chromiumMajor(product string) string {
	if m := majorRE.FindStringSubmatch(product); m != nil {
		return m[1]
	}
	return ""
}

// recordCoverage lists scenarios without a record entry and entries
// without a scenario.
func recordCoverage(scenarios []Scenario, r *record, path string) []string {
	var p []string
	names := map[string]bool{}
	k := kindOfRecord(path)
	for _, sc := range scenarios {
		names[sc.Name] = sc.Skipped(k.name) == ""
		if r.Scenarios[sc.Name] == nil && names[sc.Name] {
			p = append(p, fmt.Sprintf("scenario %s has no entry in %s: run %s and review the diff", sc.Name, path, k.updateCommand()))
		}
	}
	var extra []string
	for name := range r.Scenarios {
		if !names[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		p = append(p, fmt.Sprintf("%s has an entry for %s, which no scenario defines (renamed, removed or skipped?): run %s", path, name, k.updateCommand()))
	}
	return p
}

// recordDrift lists the fields where the live browser (got) no longer does
// what the record says (want).
func recordDrift(want, got *observed) []string {
	var p []string
	wv, gv := reflect.ValueOf(*want), reflect.ValueOf(*got)
	for i := 0; i < wv.NumField(); i++ {
		w, g := wv.Field(i).Interface(), gv.Field(i).Interface()
		if reflect.DeepEqual(w, g) {
			continue
		}
		name, _, _ := strings.Cut(wv.Type().Field(i).Tag.Get("json"), ",")
		p = append(p, fmt.Sprintf("%s:\n  record:   %s\n  Chromium: %s", name, jsonString(w), jsonString(g)))
	}
	return p
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// checkExhibited fails when some finding a browser can exhibit is reported
// for no scenario.
func checkExhibited(t *testing.T, exhibited map[cors.Code]bool) {
	t.Helper()
	var missing []string
	for _, code := range browserCodes {
		if !exhibited[code] {
			missing = append(missing, string(code))
		}
	}
	if len(missing) > 0 {
		t.Errorf("no scenario makes corsdiag report %s; add one", strings.Join(missing, ", "))
	}
}

// TestScenariosAgainstRecord holds corsdiag to the recorded Chromium
// behaviour without a browser: every scenario through the scenario server,
// probe.Run and cors.Evaluate, compared with the record by the same compare
// TestChromium uses against the live browser.
func TestScenariosAgainstRecord(t *testing.T) {
	scenarios := loadScenarios(t)
	rec, path := mustLoadRecord(t)
	for _, p := range recordCoverage(scenarios, rec, path) {
		t.Error(p)
	}
	srv, err := NewServer(scenarios)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)

	browser := "Chromium " + chromiumMajor(rec.Browser) + " (record)"
	exhibited := map[cors.Code]bool{}
	ran := 0
	for _, sc := range scenarios {
		want := rec.Scenarios[sc.Name]
		if want == nil {
			continue // reported above
		}
		t.Run(sc.Name, func(t *testing.T) {
			ran++
			n := "p" + nonce()
			d, res := runCorsdiag(t, srv, sc, n)
			for _, f := range d.Findings {
				exhibited[f.Code] = true
			}
			pp := newPlaceholders(srv.Origins, n)
			problems := compare(browser, want, d, res, seenRequests(srv.Seen(sc.Name, n), pp), pp, sc.Permission == "denied")
			for _, p := range problems {
				t.Error(p)
			}
			if len(problems) > 0 {
				t.Logf("scenario: %s\n  recorded in %s: %s\n  corsdiag findings: %s", sc.Description, path, want, findingList(d))
			}
		})
	}
	if ran == len(scenarios) {
		checkExhibited(t, exhibited)
	}
}

func TestPlaceholders(t *testing.T) {
	p := newPlaceholders(Origins{Page: "http://127.0.0.1:40001", API: "http://127.0.0.1:40002", Other: "http://127.0.0.1:4000"}, "c0123abcd")
	tests := []struct{ in, want string }{
		{"Access to fetch at 'http://127.0.0.1:40002/s/x/c0123abcd' from origin 'http://127.0.0.1:40001'",
			"Access to fetch at '{api}/s/x/{nonce}' from origin '{page}'"},
		{"http://127.0.0.1:4000/s/x/c0123abcd/1", "{other}/s/x/{nonce}/1"},
		{"https://127.0.0.1:40001", "https://127.0.0.1:{page_port}"},
		{"HTTP://127.0.0.1:40001, http://localhost:40002", "HTTP://127.0.0.1:{page_port}, http://localhost:{api_port}"},
		{"http://user:secret@127.0.0.1:4000/s", "http://user:secret@127.0.0.1:{other_port}/s"},
		{"http://127.0.0.1:400011 and :40003 and 12:40", "http://127.0.0.1:400011 and :40003 and 12:40"},
		{"null", "null"},
	}
	for _, tt := range tests {
		if got := p.apply(tt.in); got != tt.want {
			t.Errorf("apply(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestChromiumMajor(t *testing.T) {
	for in, want := range map[string]string{
		"HeadlessChrome/156.0.8078.108": "156", "Chrome/99.0.1": "99", "Chromium": "", "": "",
	} {
		if got := chromiumMajor(in); got != want {
			t.Errorf("chromiumMajor(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRecordCoverage(t *testing.T) {
	scenarios := []Scenario{{Name: "a"}, {Name: "b"}}
	r := &record{Scenarios: map[string]*observed{"a": {Verdict: verdictAllowed}, "c": {Verdict: verdictAllowed}}}
	p := recordCoverage(scenarios, r, "rec.json")
	if len(p) != 2 {
		t.Fatalf("problems %q, want 2", p)
	}
	for i, want := range [][]string{{"scenario b", "no entry in rec.json", "-update-record"}, {"entry for c", "no scenario", "-update-record"}} {
		for _, w := range want {
			if !strings.Contains(p[i], w) {
				t.Errorf("problem %q does not say %q", p[i], w)
			}
		}
	}
	if p := recordCoverage(scenarios[:1], &record{Scenarios: map[string]*observed{"a": {}}}, "rec.json"); len(p) != 0 {
		t.Errorf("complete record: %q", p)
	}
}

func TestRecordDrift(t *testing.T) {
	pf := seenRequest{Method: "OPTIONS", Server: "{api}", Origin: "{page}", RequestMethod: "PUT"}
	want := &observed{Verdict: verdictAllowed, Status: 200, Preflight: &pf, ActualSent: true,
		Requests: []seenRequest{pf, {Method: "PUT", Server: "{api}", Origin: "{page}"}}, Readable: []string{"content-type"}}
	same := *want
	if p := recordDrift(want, &same); len(p) != 0 {
		t.Errorf("identical entries drift: %q", p)
	}
	got := *want
	got.Verdict, got.CorsError, got.Requests = verdictBlocked, "PreflightMissingAllowOriginHeader", want.Requests[:1]
	got.summarize()
	p := strings.Join(recordDrift(want, &got), "\n")
	for _, w := range []string{"verdict:\n  record:   \"allowed\"\n  Chromium: \"blocked\"", "corsError:", "actualSent:", "requests:"} {
		if !strings.Contains(p, w) {
			t.Errorf("drift %q does not show %q", p, w)
		}
	}
	if strings.Contains(p, "readableHeaders") || strings.Contains(p, "preflight:") {
		t.Errorf("drift shows unchanged fields: %q", p)
	}
}

func TestLoadRecordRejects(t *testing.T) {
	const req = `"requests": [{"method": "OPTIONS", "server": "{api}", "hop": 0}]`
	tests := []struct{ name, json, want string }{
		{"not json", `{`, "unexpected EOF"},
		{"unknown field", `{"scenarios": {"a": {"verdict": "allowed", "verdit": 1}}}`, "verdit"},
		{"no scenarios", `{"browser": "x"}`, "no scenarios"},
		{"bad verdict", `{"scenarios": {"a": {"verdict": "ok"}}}`, `verdict "ok"`},
		{"summary disagrees", `{"scenarios": {"a": {"verdict": "blocked", "actualSent": true, ` + req + `}}}`, "do not match its requests"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "chromium-1.json")
			if err := os.WriteFile(path, []byte(tt.json), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := loadRecord(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v; want one naming %s and saying %q", err, path, tt.want)
			}
		})
	}
	path := filepath.Join(t.TempDir(), "chromium-1.json")
	ok := `{"scenarios": {"a": {"verdict": "blocked", "preflight": {"method": "OPTIONS", "server": "{api}", "hop": 0}, ` + req + `}}}`
	if err := os.WriteFile(path, []byte(ok), 0o644); err != nil {
		t.Fatal(err)
	}
	if r, err := loadRecord(path); err != nil || r.Scenarios["a"].Preflight == nil || r.Scenarios["a"].ActualSent {
		t.Errorf("good record: %+v, %v", r, err)
	}
	if _, err := loadRecord(filepath.Join(t.TempDir(), "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestCompareReportsDisagreement keeps compare from going blind: a record
// entry changed in one field at a time must produce the matching complaint
// against corsdiag's real run.
func TestCompareReportsDisagreement(t *testing.T) {
	rec, _ := mustLoadRecord(t)
	byName := map[string]Scenario{}
	for _, sc := range loadScenarios(t) {
		byName[sc.Name] = sc
	}
	var scenarios []Scenario
	for _, name := range []string{"simple-get-acao-trailing-slash", "acah-two-lines", "redirect-cross-origin-star", "expose-listed"} {
		sc, ok := byName[name]
		if !ok || rec.Scenarios[name] == nil {
			t.Fatalf("scenario %s or its record entry is gone; pick another for this test", name)
		}
		scenarios = append(scenarios, sc)
	}
	srv, err := NewServer(scenarios)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)

	tests := []struct {
		scenario, field string
		edit            func(b *observed)
		want            string
	}{
		{"simple-get-acao-trailing-slash", "verdict", func(b *observed) { b.Verdict = verdictAllowed }, "verdict: browser allowed"},
		{"simple-get-acao-trailing-slash", "corsError", func(b *observed) { b.CorsError = "InvalidAllowOriginValue" }, `corsError: browser "InvalidAllowOriginValue", corsdiag "AllowOriginMismatch"`},
		{"simple-get-acao-trailing-slash", "failedParameter", func(b *observed) { b.FailedParameter = "{page}" }, "failedParameter: browser"},
		{"simple-get-acao-trailing-slash", "console", func(b *observed) { b.Console += "!" }, "console message:"},
		{"simple-get-acao-trailing-slash", "actualSent", func(b *observed) { b.Requests = nil; b.summarize() }, "actual request: browser sent it: false"},
		{"acah-two-lines", "preflight headers", func(b *observed) { b.Preflight.RequestHeaders = "x-trace,x-api-key" }, "Access-Control-Request-Headers: browser"},
		{"acah-two-lines", "preflight", func(b *observed) { b.Requests = b.Requests[1:]; b.summarize() }, "preflight: browser sent one: false"},
		{"redirect-cross-origin-star", "hop trail", func(b *observed) { b.Requests[len(b.Requests)-1].Origin = "{page}" }, "actual requests differ"},
		{"expose-listed", "readable headers", func(b *observed) { b.Readable = b.Readable[:0] }, "hidden response headers: browser hid"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario+"/"+tt.field, func(t *testing.T) {
			n := "p" + nonce()
			d, res := runCorsdiag(t, srv, byName[tt.scenario], n)
			pp := newPlaceholders(srv.Origins, n)
			probeSeen := seenRequests(srv.Seen(tt.scenario, n), pp)
			orig := rec.Scenarios[tt.scenario]
			if p := compare("browser", orig, d, res, probeSeen, pp, false); len(p) != 0 {
				t.Fatalf("the untouched entry already disagrees: %q", p)
			}
			b := deepCopy(t, orig)
			tt.edit(b)
			p := strings.Join(compare("browser", b, d, res, probeSeen, pp, false), "\n")
			if !strings.Contains(p, tt.want) {
				t.Errorf("compare said %q; want it to say %q", p, tt.want)
			}
		})
	}
}

func deepCopy(t *testing.T, b *observed) *observed {
	t.Helper()
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var out observed
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	out.summarize()
	return &out
}

// TestCompareLocalNetworkAccess keeps the permission: denied comparison
// honest: the warning must exist and carry Chromium's error, and a browser
// that sent anything disagrees.
func TestCompareLocalNetworkAccess(t *testing.T) {
	rec, _ := mustLoadRecord(t)
	byName := map[string]Scenario{}
	var scenarios []Scenario
	for _, sc := range loadScenarios(t) {
		if sc.Page != nil {
			byName[sc.Name] = sc
			scenarios = append(scenarios, sc)
		}
	}
	const get, put, insecure = "lna-public-secure-to-loopback-get", "lna-public-secure-to-loopback-put", "lna-public-insecure-to-loopback-get"
	for _, name := range []string{get, put, insecure} {
		if byName[name].Permission == "" && name != insecure || rec.Scenarios[name] == nil {
			t.Fatalf("scenario %s, its permission: denied or its record entry is gone; pick another for this test", name)
		}
	}
	srv, err := NewServer(scenarios)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	sentPF := seenRequest{Method: "OPTIONS", Server: "{api}", Origin: "{page}", RequestMethod: "PUT", RequestHeaders: "content-type"}
	tests := []struct {
		name, scenario string
		denied         bool
		edit           func(b *observed)
		want           string
	}{
		{"permission not declared", get, false, func(*observed) {}, "verdict: browser blocked LocalNetworkAccessPermissionDenied, corsdiag allowed"},
		{"console", get, true, func(b *observed) { b.Console = strings.Replace(b.Console, "loopback", "local", 1) }, "console message:"},
		{"corsError", get, true, func(b *observed) { b.CorsError = "InsecureLocalNetwork" }, `corsError: browser "InsecureLocalNetwork", corsdiag "LocalNetworkAccessPermissionDenied"`},
		{"browser granted", get, true, func(b *observed) {
			b.Verdict, b.CorsError, b.Console, b.Status = verdictAllowed, "", "", 200
			b.Requests = []seenRequest{{Method: "GET", Server: "{api}", Origin: "{page}"}}
			b.summarize()
		}, "actual request: browser sent it: true; corsdiag says the browser sends it: false"},
		{"preflight sent", put, true, func(b *observed) { b.Requests = []seenRequest{sentPF}; b.summarize() }, "preflight: browser sent one: true; corsdiag's plan says false"},
		{"insecure sent", insecure, false, func(b *observed) {
			b.Requests = []seenRequest{{Method: "GET", Server: "{api}", Origin: "http://public.test:{page_port}"}}
			b.summarize()
		}, "actual request: browser sent it: true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := byName[tt.scenario]
			n := "p" + nonce()
			d, res := runCorsdiag(t, srv, sc, n)
			pp := newPlaceholders(srv.Origins, n)
			probeSeen := seenRequests(srv.Seen(tt.scenario, n), pp)
			orig := rec.Scenarios[tt.scenario]
			if p := compare("browser", orig, d, res, probeSeen, pp, sc.Permission == "denied"); len(p) != 0 {
				t.Fatalf("the untouched entry already disagrees: %q", p)
			}
			b := deepCopy(t, orig)
			tt.edit(b)
			p := strings.Join(compare("browser", b, d, res, probeSeen, pp, tt.denied), "\n")
			if !strings.Contains(p, tt.want) {
				t.Errorf("compare said %q; want it to say %q", p, tt.want)
			}
		})
	}
	// Declaring denied where corsdiag sees no prompt is itself a complaint.
	sc := byName["lna-local-to-loopback-get"]
	n := "p" + nonce()
	d, res := runCorsdiag(t, srv, sc, n)
	pp := newPlaceholders(srv.Origins, n)
	p := strings.Join(compare("browser", rec.Scenarios[sc.Name], d, res, seenRequests(srv.Seen(sc.Name, n), pp), pp, true), "\n")
	if !strings.Contains(p, "declares permission: denied, but corsdiag reports no local-network-access-permission") {
		t.Errorf("compare said %q; want the missing permission finding named", p)
	}
}
