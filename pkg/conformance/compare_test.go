package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
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
	cors.CodeForbiddenMethod, cors.CodeCorsDisabledScheme, cors.CodePreflightNetwork, cors.CodeActualNetwork,
	cors.CodePreflightRedirect, cors.CodePreflightStatus, cors.CodeInvalidAllowMethods, cors.CodeInvalidAllowHeaders,
	cors.CodeMethodNotAllowed, cors.CodeHeaderNotAllowed,
	cors.CodePreflightMissingAllowOrigin, cors.CodePreflightMultipleAllowOrigin, cors.CodePreflightInvalidAllowOrigin,
	cors.CodePreflightAllowOriginMismatch, cors.CodePreflightWildcardCredentials, cors.CodePreflightInvalidCredentials,
	cors.CodeMissingAllowOrigin, cors.CodeMultipleAllowOrigin, cors.CodeInvalidAllowOrigin, cors.CodeAllowOriginMismatch,
	cors.CodeWildcardCredentials, cors.CodeInvalidCredentials,
	cors.CodeRedirectCredentials, cors.CodeTooManyRedirects, cors.CodeRedirectBadLocation,
	cors.CodeAuthorizationWildcard, cors.CodeMissingVaryOrigin, cors.CodeAllowOriginNull, cors.CodeMaxAgeCapped,
	cors.CodeDuplicateHeader, cors.CodeChromiumOnlySafelist, cors.CodeUnexposedHeaders, cors.CodePreflightReasons,
	cors.CodeOriginTainted,
}

// runCorsdiag checks one scenario the way `corsdiag check --send-actual`
// does: the probe against the scenario server, then the engine.
func runCorsdiag(t *testing.T, srv *Server, sc Scenario, nonce string) (*cors.Diagnosis, *probe.Result) {
	t.Helper()
	initiator := "fetch"
	if sc.Request.XHR {
		initiator = "XMLHttpRequest"
	}
	opts := probe.Options{
		Request: cors.Request{
			Method:      sc.Request.MethodOrGet(),
			URL:         srv.URL(sc.Name, nonce),
			Origin:      srv.Origins.Page,
			Header:      HTTPHeader(sc.Request.Headers, srv.Origins),
			Credentials: sc.Request.Include(),
			Initiator:   initiator,
		},
		Body:       []byte(sc.Request.Body),
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
	return cors.Evaluate(res.Exchange), res
}

// notReported are response headers script cannot read that the engine
// deliberately leaves out of response-headers-not-exposed: transport and
// caching headers nobody reads from script, the CORS headers themselves and
// Set-Cookie (never readable).
func notReported(name string) bool {
	switch name {
	case "date", "server", "vary", "connection", "keep-alive", "transfer-encoding", "content-encoding",
		"alt-svc", "strict-transport-security", "set-cookie", "set-cookie2":
		return true
	}
	return strings.HasPrefix(name, "access-control-")
}

// compare lists every way corsdiag's account of a scenario differs from
// what Chromium did. The browser is right.
func compare(sc Scenario, srv *Server, o *chromeOutcome, d *cors.Diagnosis, res *probe.Result, probeSeen []Seen, chromeNonce, probeNonce string) []string {
	var p []string
	fail := func(format string, a ...any) { p = append(p, fmt.Sprintf(format, a...)) }
	fromProbe := func(s string) string { return strings.ReplaceAll(s, probeNonce, chromeNonce) }

	chromeBlocked := !o.JS.OK
	if chromeBlocked != (d.Verdict == cors.Blocked) {
		fail("verdict: Chromium %s, corsdiag %s", o, d.Verdict)
	}
	rep := d.Reported()
	switch {
	case chromeBlocked && rep != nil:
		if rep.CorsError != o.CorsError {
			fail("corsError: Chromium %q, corsdiag %q (finding %s)", o.CorsError, rep.CorsError, rep.Code)
		}
		if o.FailedParameter != "" && fromProbe(rep.FailedParameter) != o.FailedParameter {
			fail("failedParameter: Chromium %q, corsdiag %q", o.FailedParameter, rep.FailedParameter)
		}
		if got := fromProbe(rep.BrowserMessage); got != o.Console {
			fail("console message:\n  Chromium: %q\n  corsdiag: %q", o.Console, got)
		}
	case !chromeBlocked && o.Console != "":
		fail("Chromium allowed the request but printed a CORS error: %s", o.Console)
	}

	// What reached the server from Chromium is what corsdiag says the
	// browser sends.
	var chromePF, probePF *Seen
	var chromeActual, probeActual []Seen
	for i := range o.Seen {
		if s := &o.Seen[i]; s.Method == http.MethodOptions && s.Hop == 0 {
			if chromePF == nil {
				chromePF = s
			}
		} else {
			chromeActual = append(chromeActual, *s)
		}
	}
	for i := range probeSeen {
		if s := &probeSeen[i]; s.Method == http.MethodOptions && s.Hop == 0 {
			if probePF == nil {
				probePF = s
			}
		} else {
			probeActual = append(probeActual, *s)
		}
	}
	wantPF := d.Plan.Preflight && !d.Plan.Forbidden
	if (chromePF != nil) != wantPF {
		fail("preflight: Chromium sent one: %v; corsdiag's plan says %v (reasons: %s)", chromePF != nil, wantPF, strings.Join(d.Plan.Reasons, "; "))
	}
	if res.BrowserSendsPreflight != (chromePF != nil) {
		fail("preflight: Chromium sent one: %v; probe.Result.BrowserSendsPreflight %v", chromePF != nil, res.BrowserSendsPreflight)
	}
	if chromePF != nil {
		if got := chromePF.Header.Get("Access-Control-Request-Headers"); got != d.Plan.RequestHeaders {
			fail("Access-Control-Request-Headers: Chromium %q, corsdiag's plan %q", got, d.Plan.RequestHeaders)
		}
		if got := chromePF.Header.Get("Access-Control-Request-Method"); got != d.Plan.Method {
			fail("Access-Control-Request-Method: Chromium %q, corsdiag's plan %q", got, d.Plan.Method)
		}
		if probePF == nil {
			fail("the probe sent no preflight")
		} else {
			for _, h := range []string{"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"} {
				if c, pr := chromePF.Header.Get(h), probePF.Header.Get(h); c != pr {
					fail("preflight %s: Chromium sent %q, the probe %q", h, c, pr)
				}
			}
		}
	}
	preflightFailed := false
	for _, f := range d.Findings {
		if f.Severity == cors.SeverityError && f.Step == "preflight" {
			preflightFailed = true
		}
	}
	chromeSentActual := len(chromeActual) > 0
	wantActual := !d.Plan.Forbidden && !preflightFailed
	if chromeSentActual != wantActual {
		fail("actual request: Chromium sent it: %v; corsdiag says the browser sends it: %v", chromeSentActual, wantActual)
	}
	if res.BrowserSendsActual != chromeSentActual && !d.Plan.Forbidden {
		fail("actual request: Chromium sent it: %v; probe.Result.BrowserSendsActual %v", chromeSentActual, res.BrowserSendsActual)
	}
	if chromeSentActual {
		// The probe follows the hops the browser follows, with the same
		// method and Origin on each.
		if got, want := hopTrail(probeActual, probeNonce, chromeNonce), hopTrail(chromeActual, "", ""); got != want {
			fail("actual requests differ:\n  Chromium: %s\n  probe:    %s", want, got)
		}
	}

	// What script could read equals what corsdiag says it cannot.
	if !chromeBlocked && d.Verdict == cors.Allowed {
		if final := res.Exchange.FinalResponse(); final != nil {
			p = append(p, compareExposed(o, d, final)...)
		}
	}
	return p
}

// hopTrail renders requests as "METHOD listener/hop Origin" for comparison.
func hopTrail(seen []Seen, from, to string) string {
	var parts []string
	for _, s := range seen {
		parts = append(parts, fmt.Sprintf("%s %s#%d origin=%s", s.Method, s.Origin, s.Hop, s.Header.Get("Origin")))
	}
	return strings.ReplaceAll(strings.Join(parts, " | "), from, to)
}

func compareExposed(o *chromeOutcome, d *cors.Diagnosis, final *cors.Message) []string {
	readable := map[string]bool{}
	for _, h := range o.JS.Headers {
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
			p = append(p, fmt.Sprintf("corsdiag says script cannot read %s, but the page read it (script saw %v)", n, o.JS.Headers))
		}
	}
	if strings.Join(hidden, ",") != strings.Join(claimed, ",") {
		p = append(p, fmt.Sprintf("hidden response headers: Chromium hid %v, corsdiag reports %v", hidden, claimed))
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

func corsdiagString(d *cors.Diagnosis) string {
	rep := d.Reported()
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
	Scenario, Chromium, Corsdiag string
	Agree                        bool
}

// printSummary writes the table CI logs show.
func printSummary(w io.Writer, version string, rows []summaryRow, chromeTime, total time.Duration) {
	agree := 0
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tCHROMIUM\tCORSDIAG\tAGREE")
	for _, r := range rows {
		mark := "no"
		if r.Agree {
			mark = "yes"
			agree++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Scenario, r.Chromium, r.Corsdiag, mark)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "conformance: %s: %d/%d scenarios agree (Chromium %s, total %s)\n",
		version, agree, len(rows), chromeTime.Round(time.Millisecond), total.Round(time.Millisecond))
}

func dumpOutcomes(scenarios []Scenario, chrome map[string]*chromeOutcome) {
	for _, sc := range scenarios {
		o := chrome[sc.Name]
		fmt.Printf("== %s: %s js=%+v cors=%s(%q) net=%s\n", sc.Name, o, o.JS, o.CorsError, o.FailedParameter, o.NetError)
		for _, l := range o.Logs {
			fmt.Println("   ", l)
		}
		for _, s := range o.Seen {
			fmt.Printf("    seen %s %s hop=%d origin=%q acrm=%q acrh=%q\n", s.Method, s.Origin, s.Hop, s.Header.Get("Origin"), s.Header.Get("Access-Control-Request-Method"), s.Header.Get("Access-Control-Request-Headers"))
		}
	}
}
