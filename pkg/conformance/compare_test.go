package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// browserCodes are the findings a browser can exhibit; every one must be
// reported for at least one scenario, so the suite covers the whole engine.
// Left out: cors-disabled-scheme for the page's own URL (fetch() rejects a
// non-http URL before CORS), error-responses-lack-cors and
// actual-not-checked (corsdiag's own probe, not a browser behaviour).
var browserCodes = []cors.Code{
	cors.CodeForbiddenMethod, cors.CodeURLCredentials, cors.CodeCorsDisabledScheme, cors.CodePreflightNetwork, cors.CodeActualNetwork,
	cors.CodePreflightRedirect, cors.CodePreflightStatus, cors.CodeInvalidAllowMethods, cors.CodeInvalidAllowHeaders,
	cors.CodeMethodNotAllowed, cors.CodeHeaderNotAllowed,
	cors.CodePreflightMissingAllowOrigin, cors.CodePreflightMultipleAllowOrigin, cors.CodePreflightInvalidAllowOrigin,
	cors.CodePreflightAllowOriginMismatch, cors.CodePreflightWildcardCredentials, cors.CodePreflightInvalidCredentials,
	cors.CodeMissingAllowOrigin, cors.CodeMultipleAllowOrigin, cors.CodeInvalidAllowOrigin, cors.CodeAllowOriginMismatch,
	cors.CodeWildcardCredentials, cors.CodeInvalidCredentials,
	cors.CodeRedirectCredentials, cors.CodeTooManyRedirects, cors.CodeRedirectBadLocation,
	cors.CodeAuthorizationWildcard, cors.CodeMissingVaryOrigin, cors.CodeAllowOriginNull, cors.CodeMaxAgeCapped,
	cors.CodeDuplicateHeader, cors.CodeChromiumOnlySafelist, cors.CodeUnexposedHeaders, cors.CodePreflightReasons,
	cors.CodeOriginTainted, cors.CodeLocalNetworkInsecure, cors.CodeLocalNetworkPermission,
}

// runCorsdiag checks one scenario the way `corsdiag check --send-actual`
// does: the probe against the scenario server, then the engine. A scenario
// with a page address space is checked the way a user does it: Origin is
// the page's origin (http://public.test:<port> for a non-secure page) and
// Request.PageAddressSpace the page's space.
func runCorsdiag(t *testing.T, srv *Server, sc Scenario, nonce string) (*cors.Diagnosis, *probe.Result) {
	t.Helper()
	return runCorsdiagWith(t, cors.Chromium, srv, sc, nonce)
}

// runCorsdiagWith is runCorsdiag with another browser's profile: the probe
// plans and follows redirects with it, and it judges the exchange.
func runCorsdiagWith(t *testing.T, profile *cors.Profile, srv *Server, sc Scenario, nonce string) (*cors.Diagnosis, *probe.Result) {
	t.Helper()
	initiator := sc.Request.Initiator()
	var pageSpace cors.AddressSpace
	if sc.Page != nil {
		var err error
		if pageSpace, err = cors.ParseAddressSpace(sc.Page.Space); err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
	}
	opts := probe.Options{
		Request: cors.Request{
			Method:           sc.Request.MethodOrGet(),
			URL:              sc.RequestURL(srv, nonce),
			Origin:           sc.PageOrigin(srv.Origins.Page),
			Header:           HTTPHeader(sc.Request.Headers, srv.Origins),
			Credentials:      sc.Request.Include(),
			Initiator:        initiator,
			PageAddressSpace: pageSpace,
			ForcePreflight:   sc.Request.Upload,
			Redirect:         sc.Request.Redirect,
		},
		Body:       []byte(sc.Request.Body),
		Profile:    profile,
		SendActual: true,
		Timeout:    5 * time.Second,
	}
	res, err := probe.Run(context.Background(), opts)
	var unreachable *probe.UnreachableError
	if err != nil && !errors.As(err, &unreachable) {
		t.Fatalf("%s: probe: %v", sc.Name, err)
	}
	if res == nil {
		t.Fatalf("%s: probe returned no result (%v)", sc.Name, err)
	}
	overrideSpaces(res.Exchange, srv, sc)
	res.GateLocalNetwork()
	return profile.Evaluate(res.Exchange), res
}

// spaceAddress is an address of each space, for overrideSpaces.
var spaceAddress = map[string]string{"local": "10.0.0.1", "public": "203.0.113.1"}

// overrideSpaces is corsdiag's side of Chromium's
// --ip-address-space-overrides for the API and third listeners: every hop
// that reached one gets an address of its declared space in place of
// 127.0.0.1, so the engine classifies the server as the browser was told to.
func overrideSpaces(ex *cors.Exchange, srv *Server, sc Scenario) {
	moved := map[string]string{}
	for _, l := range []struct{ origin, space string }{{srv.Origins.API, sc.APIAddressSpace()}, {srv.Origins.Other, sc.OtherAddressSpace()}} {
		if ip, ok := spaceAddress[l.space]; ok { // loopback (127.0.0.1 already is) or none declared stay
			moved[strings.TrimPrefix(l.origin, "http://")] = ip + ":" + port(l.origin)
		}
	}
	if len(moved) == 0 {
		return
	}
	fix := func(h *cors.Hop) {
		if h == nil {
			return
		}
		if addr, ok := moved[h.RemoteAddress]; ok {
			h.RemoteAddress = addr
		}
	}
	fix(ex.Preflight)
	for i := range ex.Actual {
		fix(&ex.Actual[i])
		fix(ex.Actual[i].RedirectPreflight)
	}
}

// lnaGate is the Local Network Access finding that stops the browser
// before it connects, when corsdiag reports one: the insecure-page error,
// or (the scenario declares permission: denied, as headless Chromium
// denies the prompt) the permission warning, which then stands for the
// browser's error.
func lnaGate(d *cors.Diagnosis, permissionDenied bool) *cors.Finding {
	for i := range d.Findings {
		f := &d.Findings[i]
		if f.Code == cors.CodeLocalNetworkInsecure || (permissionDenied && f.Code == cors.CodeLocalNetworkPermission) {
			return f
		}
	}
	return nil
}

// notReported are response headers script cannot read that the engine
// deliberately leaves out of response-headers-not-exposed: transport and
// caching headers nobody reads from script, the CORS headers themselves and
// Set-Cookie (never readable).
func notReported(name string) bool { return !cors.WorthExposing(name) }

// compare lists every way corsdiag's account of a scenario differs from
// what the browser did: live Chromium in TestChromium, the record of it in
// TestScenariosAgainstRecord (browser names which). The browser is right.
// probeSeen and p are corsdiag's run: what its probe sent, with the
// placeholders of its ports and nonce, so both sides read alike.
//
// permissionDenied is the scenario's permission: denied (the browser denies
// the prompt if it asks). corsdiag reports the Local Network Access prompt
// as a warning (a user may allow it); headless Chromium denies it. Then the
// warning (or Chromium's refusal of a non-secure page, which comes before
// any prompt) must be there, the warning is held to Chromium's error as the
// reported finding would be, and the browser must have sent nothing; every
// other comparison is unchanged.
func compare(browser string, b *observed, d *cors.Diagnosis, res *probe.Result, probeSeen []seenRequest, p placeholders, permissionDenied bool) []string {
	var out []string
	fail := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }

	blocked := b.Verdict == verdictBlocked
	rep := d.Reported()
	corsdiagBlocked := d.Verdict == cors.Blocked
	gate := lnaGate(d, permissionDenied)
	switch {
	case permissionDenied && gate == nil:
		fail("the scenario declares permission: denied, but corsdiag reports no %s", cors.CodeLocalNetworkPermission)
	case permissionDenied && gate.Code == cors.CodeLocalNetworkPermission:
		rep, corsdiagBlocked = gate, true
	}
	if blocked != corsdiagBlocked {
		fail("verdict: %s %s, corsdiag %s", browser, b, d.Verdict)
	}
	switch {
	case blocked && rep != nil:
		if rep.CorsError != b.CorsError {
			fail("corsError: %s %q, corsdiag %q (finding %s)", browser, b.CorsError, rep.CorsError, rep.Code)
		}
		if b.FailedParameter != "" && p.apply(rep.FailedParameter) != b.FailedParameter {
			fail("failedParameter: %s %q, corsdiag %q", browser, b.FailedParameter, p.apply(rep.FailedParameter))
		}
		if thrown := cors.Chromium.Thrown(rep); thrown != "" {
			// fetch() threw before sending: no console line, the
			// TypeError is the browser's words.
			if got := p.apply(thrown); got != b.ScriptError {
				fail("TypeError: %s %q, corsdiag %q", browser, b.ScriptError, got)
			}
			if b.Console != "" {
				fail("%s printed a CORS line for a request fetch() refused: %s", browser, b.Console)
			}
		} else if got := p.apply(rep.BrowserMessage); got != b.Console {
			fail("console message:\n  %s: %q\n  corsdiag: %q", browser, b.Console, got)
		}
	case !blocked && b.Console != "":
		fail("%s allowed the request but printed a CORS error: %s", browser, b.Console)
	}

	out = append(out, compareTraffic(browser, b, d, res, probeSeen, gate)...)
	// What script could read equals what corsdiag says it cannot.
	// An opaque redirect shows script no header at all; opaque-redirect
	// says so in place of response-headers-not-exposed.
	if !blocked && !corsdiagBlocked && d.Verdict == cors.Allowed && cors.InitiatorOf(&res.Exchange.Request).Scripted && !d.Has(cors.CodeOpaqueRedirect) {
		if final := res.Exchange.FinalResponse(); final != nil {
			out = append(out, compareExposed(browser, b, d, final)...)
		}
	}
	return out
}

// compareTraffic lists the ways the requests that reached the server from
// the browser differ from the ones corsdiag says the browser sends. gate
// is the Local Network Access finding that stops the browser before it
// connects, if any.
func compareTraffic(browser string, b *observed, d *cors.Diagnosis, res *probe.Result, probeSeen []seenRequest, gate *cors.Finding) []string {
	var out []string
	fail := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	probePF, probeActual := splitPreflight(probeSeen)
	_, browserActual := splitPreflight(b.Requests)
	// Local Network Access is checked when the connection is made: a request
	// gated at its first URL sends nothing, preflight included; one gated at
	// a redirect sends the hops before it. The probe's BrowserSends* flags
	// do not model that (they describe a browser that may connect), so they
	// are not compared for a request gated at its first URL.
	gatedHop := gatedHop(gate)
	firstSent := gate == nil || gatedHop > 0
	// fetch() refuses a forbidden method or a URL with credentials
	// before sending anything.
	refused := d.Plan.Forbidden || d.Plan.URLCredentials
	wantPF := d.Plan.Preflight && !refused && firstSent
	sentPF := b.Preflight != nil
	if sentPF != wantPF {
		fail("preflight: %s sent one: %v; corsdiag's plan says %v (reasons: %s)", browser, sentPF, wantPF, strings.Join(d.Plan.Reasons, "; "))
	}
	if firstSent && res.BrowserSendsPreflight != sentPF {
		fail("preflight: %s sent one: %v; probe.Result.BrowserSendsPreflight %v", browser, sentPF, res.BrowserSendsPreflight)
	}
	if pf := b.Preflight; pf != nil {
		if pf.RequestHeaders != d.Plan.RequestHeaders {
			fail("Access-Control-Request-Headers: %s %q, corsdiag's plan %q", browser, pf.RequestHeaders, d.Plan.RequestHeaders)
		}
		if pf.RequestMethod != d.Plan.Method {
			fail("Access-Control-Request-Method: %s %q, corsdiag's plan %q", browser, pf.RequestMethod, d.Plan.Method)
		}
		if probePF == nil {
			fail("the probe sent no preflight")
		} else if pf.String() != probePF.String() {
			fail("preflight:\n  %s: %s\n  probe:    %s", browser, pf, probePF)
		}
	}
	preflightFailed := false
	for _, f := range d.Findings {
		if f.Severity == cors.SeverityError && f.Step == "preflight" {
			preflightFailed = true
		}
	}
	wantActual := !refused && !preflightFailed && firstSent
	if b.ActualSent != wantActual {
		fail("actual request: %s sent it: %v; corsdiag says the browser sends it: %v", browser, b.ActualSent, wantActual)
	}
	if firstSent && res.BrowserSendsActual != b.ActualSent && !refused {
		fail("actual request: %s sent it: %v; probe.Result.BrowserSendsActual %v", browser, b.ActualSent, res.BrowserSendsActual)
	}
	if b.ActualSent {
		// The probe follows the hops the browser follows, with the same
		// method and Origin on each (and the same preflights before them).
		if gate != nil {
			// The probe, which no prompt stops, followed the redirect on.
			probeActual = hopsBefore(probeActual, gatedHop)
		}
		if got, want := hopTrail(probeActual), hopTrail(browserActual); got != want {
			fail("actual requests differ:\n  %s: %s\n  probe:    %s", browser, want, got)
		}
	}
	return out
}

// gatedHop is the redirect hop a Local Network Access gate stops the
// browser at ("redirect N" or its preflight), 0 for the first URL.
func gatedHop(gate *cors.Finding) int {
	if gate == nil {
		return 0
	}
	rest, ok := strings.CutPrefix(gate.Step, "redirect ")
	if !ok {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSuffix(rest, " preflight"))
	return n
}

// hopsBefore keeps the requests for hops before hop n.
func hopsBefore(rs []seenRequest, n int) []seenRequest {
	var kept []seenRequest
	for _, r := range rs {
		if r.Hop < n {
			kept = append(kept, r)
		}
	}
	return kept
}

// hopTrail renders requests one after the other for comparison. A request
// repeated at once is a retry of the same one (Firefox sends a GET whose
// connection closed empty up to ten times) and counts once.
func hopTrail(rs []seenRequest) string {
	var parts []string
	for _, r := range rs {
		if s := r.String(); len(parts) == 0 || parts[len(parts)-1] != s {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " | ")
}

func compareExposed(browser string, b *observed, d *cors.Diagnosis, final *cors.Message) []string {
	readable := map[string]bool{}
	for _, h := range b.Readable {
		readable[h] = true
	}
	var hidden []string
	for name := range final.Header {
		n := strings.ToLower(name)
		if !readable[n] && !notReported(n) {
			hidden = append(hidden, n)
		}
	}
	sort.Strings(hidden)
	var claimed []string
	for _, f := range d.Findings {
		if f.Code == cors.CodeUnexposedHeaders {
			claimed = unexposedNames(f.Message)
		}
	}
	sort.Strings(claimed)
	var p []string
	for _, n := range claimed {
		if readable[n] {
			p = append(p, fmt.Sprintf("corsdiag says script cannot read %s, but the page read it in %s (script saw %v)", n, browser, b.Readable))
		}
	}
	if strings.Join(hidden, ",") != strings.Join(claimed, ",") {
		p = append(p, fmt.Sprintf("hidden response headers: %s hid %v, corsdiag reports %v", browser, hidden, claimed))
	}
	return p
}

// unexposedNames reads the header names out of the
// response-headers-not-exposed message ("script cannot read a, b (…)").
func unexposedNames(msg string) []string {
	rest, ok := strings.CutPrefix(msg, "script cannot read ")
	if !ok {
		return []string{"<unparsed: " + msg + ">"}
	}
	if i := strings.Index(rest, " ("); i >= 0 {
		rest = rest[:i]
	}
	return strings.Split(rest, ", ")
}

func corsdiagString(d *cors.Diagnosis, permissionDenied bool) string {
	rep := d.Reported()
	if g := lnaGate(d, permissionDenied); permissionDenied && g != nil && g.Code == cors.CodeLocalNetworkPermission {
		return "blocked " + g.CorsError + " (prompt denied)"
	}
	if rep == nil {
		return string(d.Verdict)
	}
	if rep.CorsError != "" {
		return "blocked " + rep.CorsError
	}
	return "blocked " + string(rep.Code)
}

func findingList(d *cors.Diagnosis) string {
	var parts []string
	for _, f := range d.Findings {
		parts = append(parts, fmt.Sprintf("%s[%s,%s]", f.Code, f.Severity, f.Step))
	}
	return strings.Join(parts, " ")
}

type summaryRow struct {
	Scenario, Browser, Corsdiag string
	Agree                       bool
	// Skipped is why the browser did not run the scenario (port 80 could
	// not be had): shown, never counted as agreeing.
	Skipped string
}

// printSummary writes the table CI logs show.
func printSummary(w io.Writer, label, version string, rows []summaryRow, browserTime, total time.Duration) {
	agree, skipped, why := 0, 0, ""
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "SCENARIO\t%s\tCORSDIAG\tAGREE\n", strings.ToUpper(label))
	for _, r := range rows {
		mark := "no"
		switch {
		case r.Skipped != "":
			mark = "skipped: " + r.Skipped
			skipped++
			why = r.Skipped
		case r.Agree:
			mark = "yes"
			agree++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Scenario, r.Browser, r.Corsdiag, mark)
	}
	_ = tw.Flush()
	skips := ""
	if skipped > 0 {
		skips = fmt.Sprintf(", %d skipped (%s)", skipped, why)
	}
	fmt.Fprintf(w, "conformance: %s: %d/%d scenarios agree%s (%s %s, total %s)\n",
		version, agree, len(rows)-skipped, skips, label, browserTime.Round(time.Millisecond), total.Round(time.Millisecond))
}

func dumpOutcomes(scenarios []Scenario, chrome map[string]*chromeOutcome) {
	for _, sc := range scenarios {
		o := chrome[sc.Name]
		fmt.Printf("== %s: %s js=%+v cors=%s(%q) net=%s\n", sc.Name, o, o.JS, o.CorsError, o.FailedParameter, o.NetError)
		for _, l := range o.Logs {
			fmt.Println("   ", l)
		}
		for _, s := range o.Seen {
			fmt.Printf("    seen %s %s hop=%d origin=%q acrm=%q acrh=%q accept=%q dest=%q mode=%q cookie=%v\n", s.Method, s.Origin, s.Hop,
				s.Header.Get("Origin"), s.Header.Get("Access-Control-Request-Method"), s.Header.Get("Access-Control-Request-Headers"),
				s.Header.Get("Accept"), s.Header.Get("Sec-Fetch-Dest"), s.Header.Get("Sec-Fetch-Mode"), s.Header.Get("Cookie") != "")
		}
	}
}
