package cors

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/weburl"
)

// MaxRedirects is the Fetch standard's redirect limit: the 21st fails.
const MaxRedirects = 20

// Evaluate judges ex with the Chromium profile.
func Evaluate(ex *Exchange) *Diagnosis { return Chromium.Evaluate(ex) }

// judge collects findings while walking an exchange in the browser's order.
type judge struct {
	p       *Profile
	req     Request
	initURL string
	// pageOrigin, when set, is the origin the console names although req
	// carries a tainted one (a preflight after a cross-origin redirect).
	pageOrigin string
	// lnaSeen: the Local Network Access permission was already reported.
	lnaSeen bool
	// preflightText is the CodePreflightReasons message when the plan
	// came with it (from the plan cache), "" otherwise.
	preflightText string
	// sameOrigin: req is same-origin (for the page, before any redirect).
	sameOrigin bool
	errors     []Finding
	warnings   []Finding
	infos      []Finding
}

func (j *judge) add(f Finding) {
	switch f.Severity {
	case SeverityError:
		j.errors = appendFinding(j.errors, f)
	case SeverityWarning:
		j.warnings = appendFinding(j.warnings, f)
	default:
		j.infos = appendFinding(j.infos, f)
	}
}

// appendFinding starts a list with room for two: a request's findings
// come in twos (a preflight and why it was not recorded) more often than
// alone, and the caller appends to the list it gets back.
func appendFinding(list []Finding, f Finding) []Finding {
	if list == nil {
		list = make([]Finding, 0, 2)
	}
	return append(list, f)
}

// Evaluate judges ex the way the profile's browser does: the preflight check
// (Fetch §CORS-preflight fetch), then the CORS check on every response of the
// actual request, hop by hop (Fetch §HTTP fetch, §HTTP-redirect fetch). The
// first error is the one the browser reports; the rest are what a user
// would hit next.
func (p *Profile) Evaluate(ex *Exchange) *Diagnosis {
	// The judge holds its copy of the request: a copy of its own would
	// escape to the heap.
	j := &judge{p: p, req: ex.Request}
	r := &j.req
	if r.Header == nil {
		r.Header = http.Header{}
	}
	// A web font is fetched in credentials mode same-origin (CSS Fonts 4
	// §4.8.2): its CORS check is an uncredentialed one whatever cookies a
	// recording shows on it (WebKit's, sent without CORS).
	if r.Credentials && InitiatorOf(r).SameOriginOnly {
		r.Credentials = false
	}
	// The browser sends the serialized origin; accept a user's
	// "https://App.example.com/" for it.
	r.Origin = canonicalOrigin(r.Origin)
	// An upgraded load is judged at the https URL the browser asks for.
	if u, ok := p.MixedContentUpgrade(r); ok {
		j.add(p.upgradeFinding(r, u))
		r.URL = u
	}
	j.initURL, j.sameOrigin = r.URL, sameOrigin(r.Origin, r.URL)
	d := &Diagnosis{Scope: ScopeFull}
	d.Plan, j.preflightText = p.plan(r, p.planCache(), r.Origin != "" && j.sameOrigin)

	switch scheme := urlScheme(r.URL); {
	case d.Plan.Forbidden:
		why := "it is a forbidden method"
		if !isToken(d.Plan.Method) {
			why = "it is not a valid HTTP method token"
		}
		j.add(newFinding(CodeForbiddenMethod, "request", "fetch() throws a TypeError for method "+quote(d.Plan.Method)+" before sending anything: "+why))
	case d.Plan.URLCredentials:
		// The message names no URL: it holds the password. The console
		// particulars keep it for the TypeError's text (Profile.Thrown),
		// which the reports redact as they redact the URL.
		f := newFinding(CodeURLCredentials, "request", "fetch() throws a TypeError before sending anything: the URL has a user name or password (user:password@), which the Request constructor refuses")
		f.Console = &Console{Initiator: "fetch", URL: r.URL, Request: r.URL, Origin: r.Origin}
		f.BrowserMessage = p.Thrown(&f)
		j.add(f)
	case scheme == "data" || scheme == "blob":
		// Fetch §scheme fetch: no CORS check applies to these.
	case scheme != "http" && scheme != "https" || !isHTTPURL(r.URL):
		f := newFinding(CodeCorsDisabledScheme, "request", "the URL "+quote(r.URL)+" is not http or https, so a cross-origin request to it cannot use CORS")
		j.note(&f, r.URL, Console{Param: scheme})
		j.add(f)
	case p.mixedContent(r.Origin, r.URL):
		j.add(j.mixedContentFinding(r.URL, "request"))
	case p.NoCORS[r.Initiator]:
		// Loaded without CORS: nothing to check.
		d.Plan.NoCORS = true
	default:
		j.evaluate(ex, d)
	}

	if r.Origin == "null" {
		j.nullPage()
	}
	if len(j.errors) == 0 && len(j.warnings) == 0 {
		d.Findings = j.infos // most allowed requests: no copy
	} else {
		d.Findings = make([]Finding, 0, len(j.errors)+len(j.warnings)+len(j.infos))
		d.Findings = append(append(append(d.Findings, j.errors...), j.warnings...), j.infos...)
	}
	if len(j.errors) > 0 {
		d.Verdict = Blocked
		d.Findings[0].Reported = true
		d.groupUnderCause()
	} else {
		d.Verdict = Allowed
	}
	if len(ex.Actual) == 0 && d.Verdict == Allowed {
		d.Scope = ScopePreflightOnly
	}
	return d
}

// urlScheme is the lower-case scheme of raw, or "" when it has none.
func urlScheme(raw string) string {
	if scheme, _, ok := plainURL(raw); ok {
		return scheme
	}
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexByte(raw, ':'); i > 0 {
			return asciiLower(raw[:i])
		}
		return ""
	}
	return asciiLower(u.Scheme)
}

func isHTTPURL(raw string) bool {
	if _, _, ok := plainURL(raw); ok {
		return true
	}
	u, err := parseAuthority(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func (j *judge) evaluate(ex *Exchange, d *Diagnosis) {
	r := &j.req
	if j.sameOrigin {
		// A same-origin request is not subject to CORS, but a redirect to
		// another origin makes every later hop subject to it.
		j.checkActual(ex.Actual)
		return
	}
	if d.Plan.Preflight {
		msg := j.preflightText
		if msg == "" {
			msg = preflightText(d.Plan.Reasons)
		}
		j.add(newFinding(CodePreflightReasons, "request", msg))
		if j.checkLocalNetwork(ex.Preflight, r.URL, "preflight") {
			return
		}
		if ex.Preflight != nil {
			j.checkPreflight(ex.Preflight, &d.Plan)
		}
	}
	if len(d.Plan.ChromiumOnly) > 0 {
		j.add(newFinding(CodeChromiumOnlySafelist, "request", "Chromium sends "+strings.Join(d.Plan.ChromiumOnly, ", ")+" without a preflight; Firefox and Safari preflight it"))
	}
	if !d.Plan.Preflight && len(ex.Actual) > 0 && j.checkLocalNetwork(&ex.Actual[0], r.URL, "actual") {
		return
	}
	if len(ex.Actual) == 0 {
		if ex.ActualSkipped != "" {
			j.add(newFinding(CodeActualNotChecked, "actual", ex.ActualSkipped))
		}
		return
	}
	j.checkActual(ex.Actual)
}

// joinAfter is prefix+strings.Join(list, sep) built in one allocation.
func joinAfter(prefix string, list []string, sep string) string {
	n := len(prefix) + len(sep)*max(len(list)-1, 0)
	for _, s := range list {
		n += len(s)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(prefix)
	for i, s := range list {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s)
	}
	return b.String()
}

// checkPreflight is Chromium's preflight order (preflight_controller.cc):
// redirect, network error, CheckAccess, status, ACAM/ACAH parsing, method
// and header coverage.
func (j *judge) checkPreflight(h *Hop, plan *Plan) {
	r := &j.req
	if h.Response == nil {
		msg := "the preflight OPTIONS request got no response"
		if h.NetError != "" {
			msg += ": " + h.NetError
		}
		f := NetworkFinding(CodePreflightNetwork, "preflight", msg, h.NetError)
		j.note(&f, r.URL, Console{Preflight: true})
		j.add(f)
		return
	}
	resp := h.Response
	if j.p.IsRedirect(resp) && j.p.PreflightRedirectChecksOrigin {
		if access := checkAccess(resp, r.Origin, r); len(access) > 0 {
			for _, a := range access {
				f := newFinding(accessCodes[a.corsError][1], "preflight", onPreflight(a.message)+statusNote(resp)+"; this is a redirect response, which the browser CORS-checks before it refuses to follow it")
				if emptyLocation(resp) {
					// A redirect to the same URL (Firefox): OPTIONS must not be redirected at all.
					f.Fix = noLocationFix(resp.Status, true)
				}
				f.FailedParameter = a.param
				j.note(&f, r.URL, Console{Preflight: true, Redirect: true, Status: resp.Status, Param: a.param, OriginLines: originLines(resp)})
				j.add(f)
			}
			return
		}
	}
	if j.p.IsRedirect(resp) {
		f := newFinding(CodePreflightRedirect, "preflight", fmt.Sprintf("the preflight got a %d redirect to %s; browsers never follow redirects of a preflight", resp.Status, quote(first(resp, "Location"))))
		if emptyLocation(resp) {
			f.Message = fmt.Sprintf("the preflight got a %d with an empty Location, which %s follows as a redirect to the same URL; browsers never follow redirects of a preflight", resp.Status, j.p.Display)
			f.Fix = noLocationFix(resp.Status, true)
		}
		j.note(&f, r.URL, Console{Preflight: true, Status: resp.Status})
		j.add(f)
		return
	}
	access := checkAccess(resp, r.Origin, r)
	statusOK := resp.Status >= 200 && resp.Status < 300
	statusFinding := func() {
		f := newFinding(CodePreflightStatus, "preflight", fmt.Sprintf("the preflight got status %d%s; it must be 2xx", resp.Status, statusTextSuffix(resp)))
		j.note(&f, r.URL, Console{Preflight: true, Status: resp.Status})
		j.add(f)
	}
	if j.p.StatusBeforeOrigin && !statusOK {
		statusFinding()
	}
	for _, a := range access {
		f := newFinding(accessCodes[a.corsError][1], "preflight", onPreflight(a.message)+statusNote(resp))
		if a.allowFix != "" {
			f.Fix = a.allowFix
		}
		f.FailedParameter = a.param
		j.note(&f, r.URL, Console{Preflight: true, Status: resp.Status, Param: a.param, OriginLines: originLines(resp), SentOrigin: r.Origin})
		j.add(f)
	}
	if !j.p.StatusBeforeOrigin && !statusOK {
		statusFinding()
	}

	acamV, _ := combined(resp, HeaderAllowMethods)
	methods, badM, okM := parseAllowList(acamV, false)
	if !okM {
		f := newFinding(CodeInvalidAllowMethods, "preflight", "Access-Control-Allow-Methods is '"+acamV+"': "+quote(badM)+" is not a method token")
		j.note(&f, r.URL, Console{Preflight: true, Status: resp.Status, Param: badM, Value: acamV})
		j.add(f)
	}
	acahV, _ := combined(resp, HeaderAllowHeaders)
	headers, badH, okH := parseAllowList(acahV, true)
	if !okH {
		f := newFinding(CodeInvalidAllowHeaders, "preflight", "Access-Control-Allow-Headers is '"+acahV+"': "+quote(badH)+" is not a header name")
		j.note(&f, r.URL, Console{Preflight: true, Status: resp.Status, Param: badH, Value: acahV})
		j.add(f)
	}
	if okM && okH {
		j.checkCoverage(plan, methods, headers, splitValues(acahV))
	}
	if j.p.noLocation(resp) {
		j.noteNoLocation("preflight", resp, true)
	}
	j.preflightHazards(resp)
}

// checkCoverage is the method and header check of Fetch §CORS-preflight
// fetch, as Chromium's PreflightResult::EnsureAllowed* applies it.
func (j *judge) checkCoverage(plan *Plan, methods, headers, headersAsSent []string) {
	r := &j.req
	m := plan.Method
	methodOK, missing, authByWildcard := j.p.coverage(m, plan.UnsafeHeaders, r.Credentials, methods, headers)
	if !methodOK {
		why := "Access-Control-Allow-Methods does not list " + m
		switch {
		case len(methods) == 0:
			why = "the preflight response has no Access-Control-Allow-Methods, and " + m + " is not a safelisted method"
		case containsFold(methods, m):
			why = "Access-Control-Allow-Methods lists it in another letter case; the method check is case-sensitive and the browser sends " + quote(m) + " exactly as the page wrote it"
		case contains(methods, "*") && r.Credentials:
			why = "Access-Control-Allow-Methods is `*`, which is a literal method name, not a wildcard, when the request carries credentials"
		}
		f := newFinding(CodeMethodNotAllowed, "preflight", "method "+m+" is not allowed: "+why)
		f.Fix += listFix(HeaderAllowMethods, methods, []string{m}, r.Credentials)
		if containsFold(methods, m) && strings.ToUpper(m) != m {
			f.Fix = strings.TrimSuffix(f.Fix, ".") + "; or have the page send " + strings.ToUpper(m) + "."
		}
		f.FailedParameter = m
		j.note(&f, r.URL, Console{Preflight: true, Param: m})
		j.add(f)
	}

	wildcard := contains(headers, "*")
	if len(missing) > 0 {
		why := "Access-Control-Allow-Headers does not list it"
		if wildcard && r.Credentials {
			why = "Access-Control-Allow-Headers is `*`, which is a literal name, not a wildcard, when the request carries credentials"
		} else if len(headers) == 0 {
			why = "the preflight response has no Access-Control-Allow-Headers"
		}
		msg := "request header " + missing[0] + " is not allowed: " + why
		if len(missing) > 1 {
			msg = "request headers " + strings.Join(missing, ", ") + " are not allowed: " + why + " (the browser names only the first)"
		}
		f := newFinding(CodeHeaderNotAllowed, "preflight", msg)
		f.Fix += listFix(HeaderAllowHeaders, headersAsSent, missing, r.Credentials)
		f.FailedParameter = missing[0]
		j.note(&f, r.URL, Console{Preflight: true, Param: missing[0]})
		j.add(f)
	}
	if authByWildcard {
		f := newFinding(CodeAuthorizationWildcard, "preflight", "Authorization is allowed only by Access-Control-Allow-Headers: *; Chromium and Firefox accept that today with a deprecation warning, but the Fetch standard does not, and browsers will stop")
		j.note(&f, r.URL, Console{Preflight: true})
		j.add(f)
	}
}

// coverage is the check checkCoverage reports on: whether methods allow
// method, the unsafe header names headers leave out, and whether `*`
// alone covers Authorization (where p lets it).
func (p *Profile) coverage(method string, unsafe []string, credentials bool, methods, headers []string) (methodOK bool, missing []string, authByWildcard bool) {
	methodOK = contains(methods, method) || IsSafelistedMethod(method) || !credentials && contains(methods, "*")
	wildcard := contains(headers, "*")
	for _, name := range unsafe {
		if contains(headers, name) {
			continue
		}
		if wildcard && !credentials {
			if name == "authorization" {
				if !p.WildcardCoversAuthorization {
					missing = append(missing, name)
					continue
				}
				authByWildcard = true
			}
			continue
		}
		missing = append(missing, name)
	}
	return methodOK, missing, authByWildcard
}

// PreflightAllowed reports whether a 2xx preflight answer whose
// Access-Control-Allow-Origin, -Credentials, -Methods and -Headers lines
// are acao, acac, acam and acah passes, for r, the checks checkPreflight
// makes: the CORS check, the lists' syntax, and the method and header
// check for method and the unsafe header names (lower case). Without
// building the answer or the findings.
func (p *Profile) PreflightAllowed(acao, acac, acam, acah []string, method string, unsafe []string, r *Request) bool {
	if !AccessAllowed(acao, acac, r) {
		return false
	}
	acamV, _ := combine(acam)
	methods, _, okM := parseAllowList(acamV, false)
	acahV, _ := combine(acah)
	headers, _, okH := parseAllowList(acahV, true)
	if !okM || !okH {
		return false
	}
	methodOK, missing, _ := p.coverage(method, unsafe, r.Credentials, methods, headers)
	return methodOK && len(missing) == 0
}

// listFix is the header line a preflight answer needs: the values it
// sends today, then the ones the request lacks. A `*` there stays (it
// serves requests without credentials); a credentialed request needs the
// names.
func listFix(name string, today, add []string, credentials bool) string {
	line := " Here: " + name + ": " + strings.Join(append(append([]string(nil), today...), add...), ", ")
	if credentials && contains(today, "*") {
		return line + " (`*` counts only for requests without credentials; this one needs the names)."
	}
	return line + "."
}

// onPreflight says that a CORS-check message is about the preflight answer.
func onPreflight(msg string) string {
	if rest, ok := strings.CutPrefix(msg, "the response "); ok {
		return "the preflight response " + rest
	}
	return "on the preflight: " + msg
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func (j *judge) preflightHazards(resp *Message) {
	// Chromium's ParseAccessControlMaxAge: base::StringToInt64, so a value
	// past int64 falls back to the 5-second default instead of the cap.
	if v, ok := combined(resp, HeaderMaxAge); ok && allDigits(v) && v != "" {
		limit := strconv.Itoa(j.p.MaxAgeCap)
		switch {
		case !isInt64(v) && !j.p.MaxAgeSaturates:
			j.add(newFinding(CodeMaxAgeCapped, "preflight", fmt.Sprintf("Access-Control-Max-Age is %s seconds, too large for %s to parse, so it caches the preflight for the default 5 seconds only; send at most %s", v, j.p.Name, limit)))
		case cmpDecimal(v, limit) > 0:
			j.add(newFinding(CodeMaxAgeCapped, "preflight", fmt.Sprintf("Access-Control-Max-Age is %s seconds; %s caches a preflight for at most %s", strings.TrimLeft(v, "0"), j.p.Name, limit)))
		}
	}
	j.commonHazards("preflight", resp, false)
}

// commonHazards are the warnings that apply to any response.
func (j *judge) commonHazards(step string, resp *Message, actual bool) {
	// Two Access-Control-Allow-Origin lines fail the CORS check instead.
	for _, name := range []string{HeaderAllowCredentials, HeaderAllowMethods, HeaderAllowHeaders, HeaderExposeHeaders, HeaderMaxAge} {
		if n := len(values(resp, name)); n > 1 {
			j.add(newFinding(CodeDuplicateHeader, step, fmt.Sprintf("%s is sent on %d lines; two layers (a gateway and the application, say) both set it", name, n)))
		}
	}
	acao, _ := combined(resp, HeaderAllowOrigin)
	if acao == "null" {
		j.add(newFinding(CodeAllowOriginNull, step, "the server allows the null origin: any sandboxed iframe or file: page can read these responses"))
	}
	if actual && acao != "" && acao != "*" && acao == j.req.Origin && !varies(resp, "Origin") {
		j.add(newFinding(CodeMissingVaryOrigin, step, "Access-Control-Allow-Origin echoes "+acao+" but Vary does not name Origin; a shared cache can serve this answer to another origin, which then fails"))
	}
}

func varies(m *Message, name string) bool {
	for _, v := range values(m, "Vary") {
		for rest, more := v, true; more; {
			var f string
			f, rest, more = strings.Cut(rest, ",")
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, name) {
				return true
			}
		}
	}
	return false
}

// checkActual walks the actual request's hops: every response is CORS-checked
// while the request is cross-origin, redirects obey the redirect rules, and
// a cross-origin redirect taints the origin to null.
func (j *judge) checkActual(hops []Hop) {
	r := &j.req
	st := RedirectState{URL: r.URL, Method: NormalizeMethod(r.Method), Origin: r.Origin}
	for i := range hops {
		h := &hops[i]
		step := "actual"
		if i > 0 {
			step = "redirect " + strconv.Itoa(i)
		}
		if i > 0 && j.checkLocalNetwork(h, st.URL, step) {
			return
		}
		if h.Response == nil {
			msg := "the request got no response"
			if h.NetError != "" {
				msg += ": " + h.NetError
			}
			f := NetworkFinding(CodeActualNetwork, step, msg, h.NetError)
			j.note(&f, st.URL, Console{})
			j.add(f)
			return
		}
		resp := h.Response
		cross := st.CrossOrigin || !sameOrigin(st.Origin, st.URL)
		// Chromium skips the CORS check on a 304 that answers its own cache
		// revalidation: the cached response, with its headers, is used.
		revalidated := resp.Status == http.StatusNotModified && !conditional(r.Header)
		var failed []accessCheck
		if cross && !revalidated {
			failed = checkAccess(resp, st.Origin, r)
			for _, a := range failed {
				msg := a.message + statusNote(resp)
				f := newFinding(accessCodes[a.corsError][0], step, msg)
				if fix := cmp.Or(a.fix, a.allowFix); fix != "" {
					f.Fix = fix
				}
				if j.p.IsRedirect(resp) {
					f.Message += "; this is a redirect response, and the browser checks CORS on every hop"
					f.Fix = "Call the final URL directly (" + first(resp, "Location") + ": https, the trailing slash, the canonical host), so the browser never meets this redirect; or have the redirect answer carry the CORS headers too."
					if emptyLocation(resp) {
						// Followed to the same URL (Firefox): no final URL to name.
						f.Fix = noLocationFix(resp.Status, false)
					}
				}
				f.FailedParameter = a.param
				// Chromium 156 names the page's origin in the console even
				// after a redirect tainted the Origin header to null.
				c := Console{Status: resp.Status, Param: a.param, OriginLines: originLines(resp), Redirect: j.p.IsRedirect(resp),
					NotFollowed: r.stopsAtRedirect(), Location: locationOf(st.URL, resp), SentOrigin: st.Origin}
				c.NotScript, c.MIME = notScriptMIME(r, resp)
				j.note(&f, st.URL, c)
				j.add(f)
			}
			if len(failed) > 0 {
				j.blameTaint(st, resp, false)
				if j.p.noLocation(resp) {
					j.noteNoLocation(step, resp, true)
				}
			}
		}
		if len(failed) > 0 && j.p.IsRedirect(resp) {
			// The browser stops at this hop: CORS is checked before a
			// redirect is followed (as Redirect decides for a prober), so
			// hops a recording holds after it are not judged.
			return
		}
		if len(failed) == 0 && j.p.modeStops(r, resp) {
			// The redirect passed the CORS check (or needed none): the
			// mode decides (Fetch §HTTP fetch step 6), nothing is followed.
			j.redirectMode(step, st.URL, resp)
			return
		}
		if !j.p.IsRedirect(resp) || i == len(hops)-1 {
			if !j.p.IsRedirect(resp) {
				// Where the browser fails an empty Location (WebKit), that
				// finding says so; it does not take the 3xx as the answer.
				if cross && len(failed) == 0 && j.p.noLocation(resp) && !j.emptyLocationFails(step, st.URL, resp) {
					j.noteNoLocation(step, resp, false)
				}
				j.commonHazards(step, resp, true)
				if cross && !hasErrors(j.errors) && InitiatorOf(r).Scripted {
					if hidden := hiddenResponseHeaders(resp, r.Credentials); len(hidden) > 0 {
						sort.Strings(hidden)
						j.add(newFinding(CodeUnexposedHeaders, step, "script cannot read "+strings.Join(hidden, ", ")+" (not listed in Access-Control-Expose-Headers)"))
					}
				}
			}
			if j.p.IsRedirect(resp) {
				// The recording ends at a redirect: follow it in words only,
				// or judge the new URL's preflight that stopped the browser.
				next, f := j.p.redirect(r, st, resp)
				if f != nil {
					j.add(*f)
					return
				}
				j.noteUpgrade(next)
				// Before the preflight: a null Origin there blames the taint.
				j.noteTaint(st, next, i+1)
				if h.RedirectPreflight != nil && !j.checkLocalNetwork(h.RedirectPreflight, next.URL, "redirect "+strconv.Itoa(next.Count)+" preflight") {
					j.checkRedirectPreflight(h.RedirectPreflight, next)
				}
			}
			return
		}
		next, f := j.p.redirect(r, st, resp)
		if f != nil {
			j.add(*f)
			return
		}
		j.noteUpgrade(next)
		j.noteTaint(st, next, i+1)
		if j.checkLocalNetwork(h.RedirectPreflight, next.URL, "redirect "+strconv.Itoa(next.Count)+" preflight") {
			return
		}
		if h.RedirectPreflight != nil && !j.checkRedirectPreflight(h.RedirectPreflight, next) {
			return
		}
		st = next
	}
}

// redirectMode reports what fetch()'s redirect mode does with a redirect
// response that passed the CORS check: "error" rejects (a network error,
// no CORS error), "manual" resolves with an opaque-redirect response.
// Chromium checks CORS on the redirect before either (cors_url_loader.cc
// OnReceiveRedirect), as the standard does; Chromium 156, Firefox ESR
// 153.8 and WebKitGTK 2.50 agree (the redirect-mode-* scenarios). A redirect
// status without Location gets here where modeStops says the mode applies
// (the redirect-no-location-* scenarios).
func (j *judge) redirectMode(step, at string, resp *Message) {
	loc := first(resp, "Location")
	if href, err := weburl.Resolve(at, loc); err == nil && loc != "" {
		loc = href
	}
	what := fmt.Sprintf("a %d redirect to %s", resp.Status, quote(loc))
	switch {
	case emptyLocation(resp):
		what = fmt.Sprintf("a %d with an empty Location", resp.Status)
	case loc == "":
		// The modes switch on the status, Location or not.
		what = fmt.Sprintf("a %d without Location (a redirect status all the same)", resp.Status)
	}
	if j.req.Redirect == RedirectError {
		f := newFinding(CodeRedirectModeError, step, "the answer is "+what+" and the request says redirect: 'error', so fetch() rejects with a TypeError (a network error, not a CORS error)")
		f.Fix = "Call " + quote(loc) + " directly, or drop redirect: 'error' so that fetch() follows it (the target must then answer with CORS headers)."
		if loc == "" {
			f.Fix = noLocationFix(resp.Status, false)
		}
		j.note(&f, at, Console{Status: resp.Status, Location: loc, NotFollowed: true})
		j.add(f)
		return
	}
	f := newFinding(CodeOpaqueRedirect, step, "the answer is "+what+" and the request says redirect: 'manual': fetch() resolves with an opaque-redirect response (type \"opaqueredirect\", status 0, no headers, no body) and does not follow it")
	if loc == "" {
		f.Fix = noLocationFix(resp.Status, false)
	}
	j.add(f)
}

// noLocationFix is the fix of a redirect status sent without Location:
// most often a redirect rule that lost its target.
func noLocationFix(status int, preflight bool) string {
	rule := fmt.Sprintf("A %d without Location is most often a redirect rule that lost its target "+
		"(nginx `return %d;` with no URL, a gateway's redirect whose Location mapping is empty, "+
		"an application that sets the status but not the header). ", status, status)
	if preflight {
		return rule + "Keep the rule from catching OPTIONS, so that the API answers the preflight with 200 or 204 " +
			"and its CORS headers: the browser follows no redirect of a preflight, Location or not."
	}
	return rule + "If no redirect was meant, keep the rule from catching this request so the API answers it " +
		"(2xx, with its CORS headers); if one was, give the rule its target URL in Location, and CORS headers too " +
		"(the browser CORS-checks a redirect before it follows it), or have the page call that URL directly."
}

// noteTaint adds the info that redirect n, from st to next, turned the
// Origin into null; blameTaint makes it the cause where null is what fails.
func (j *judge) noteTaint(st, next RedirectState, n int) {
	if next.Origin != "null" || st.Origin == "null" {
		return
	}
	f := newFinding(CodeOriginTainted, "redirect "+strconv.Itoa(n), "the redirect from "+st.URL+" to "+next.URL+" crossed origins, so the browser sends Origin: null from here on; only `*` or null in Access-Control-Allow-Origin match it")
	f.Fix = taintFix(next.URL)
	j.add(f)
}

// conditional reports whether script made the request conditional itself
// (If-None-Match …), so a 304 answers it and not the browser's cache.
func conditional(h http.Header) bool {
	for _, name := range []string{"If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range"} {
		if len(headerValues(h, name)) > 0 {
			return true
		}
	}
	return false
}

// blameTaint makes the redirect that turned the Origin into null the cause
// of a failure at the hop st stands at, when null is what failed there: the
// server allows the page's origin, or visibly checks origins against a
// list. The taint note becomes an error marked Cause; Evaluate groups the
// hop's errors under it. Where the server shows no CORS at all, the note
// stays an info: the redirect is not what blocks.
func (j *judge) blameTaint(st RedirectState, resp *Message, preflight bool) {
	page := canonicalOrigin(j.req.Origin)
	if st.Origin != "null" || page == "null" {
		return
	}
	why := ""
	switch {
	case len(checkAccess(resp, page, &j.req)) == 0:
		acao, _ := combined(resp, HeaderAllowOrigin)
		why = "there the server allows " + page + " (Access-Control-Allow-Origin: " + acao + "), but the browser sent Origin: null"
	case Refusal(resp, preflight) != "":
		why = "there the server checks origins against a list (" + Refusal(resp, preflight) + ") and null is not on it"
	default:
		return
	}
	for k := len(j.infos) - 1; k >= 0; k-- {
		f := j.infos[k]
		if f.Code != CodeOriginTainted {
			continue
		}
		j.infos = append(j.infos[:k], j.infos[k+1:]...)
		f.Severity, f.Cause = SeverityError, true
		f.Message += "; " + why
		j.errors = append(j.errors, f)
		return
	}
}

// nullPageCodes are the origin failures a page whose own origin is null
// meets when the server allows named origins.
var nullPageCodes = map[Code]bool{
	CodeMissingAllowOrigin: true, CodeAllowOriginMismatch: true, CodeInvalidAllowOrigin: true,
	CodePreflightMissingAllowOrigin: true, CodePreflightAllowOriginMismatch: true, CodePreflightInvalidAllowOrigin: true,
}

// nullPage explains an origin failure of a page whose origin is null: a
// page opened from disk (file:) or in a sandboxed iframe. Allowing null on
// the server would let every such page of any site read the answers; the
// page needs a real origin.
func (j *judge) nullPage() {
	for i := range j.errors {
		f := &j.errors[i]
		if !nullPageCodes[f.Code] {
			continue
		}
		f.Message += " (the page's origin is null: it was opened as a file: or runs in a sandboxed iframe)"
		f.Fix = "Give the page a real origin, not by allowing `null` (every file: page and sandboxed iframe of any site sends it): serve it over http(s), from a local dev server for development (http://localhost:PORT, e.g. python3 -m http.server or npx serve), and allow that origin on the server. A sandboxed iframe gets its real origin only with allow-same-origin in its sandbox: do that only for content you trust."
	}
}

// taintFix is the fix of a tainting redirect to target.
func taintFix(target string) string {
	return "Call the final URL directly (" + target + ": https, the trailing slash, the canonical host), so no redirect turns the Origin into null. Do not allow null there: every sandboxed iframe and file: page sends it too."
}

// downgradeFix is the fix of an https URL that redirects to the plain http
// URL href: the page calls https already, so the redirect is what to fix.
// Most often the server builds Location from the plain-http hop behind a
// proxy that terminates TLS.
func downgradeFix(href string) string {
	fix := "The API answers https but its redirect sends the browser to Location " + href +
		": make the server build redirects with https. Behind a proxy or load balancer that terminates TLS, have the server trust the proxy's X-Forwarded-Proto " +
		"(Express app.set('trust proxy', 1), uvicorn --proxy-headers --forwarded-allow-ips, Spring server.forward-headers-strategy=native, " +
		"Django SECURE_PROXY_SSL_HEADER, nginx absolute_redirect off or proxy_redirect)"
	if u, err := url.Parse(href); err == nil && u.Port() == "" {
		u.Scheme = "https"
		fix += "; or, if it answers https there, call " + u.String() + " directly"
	}
	return fix + "."
}

// checkRedirectPreflight judges the preflight Chromium sends before it
// follows a redirect of a request that needs one: the redirected request
// starts over at the new URL, preflight included (cors_url_loader.cc
// FollowRedirect; verified on Chromium 156). It reports whether the
// browser goes on to the new URL.
func (j *judge) checkRedirectPreflight(pf *Hop, next RedirectState) bool {
	rr, _ := j.p.NeedsRedirectPreflight(&j.req, next)
	sub := &judge{p: j.p, req: rr, initURL: j.initURL, pageOrigin: j.req.Origin}
	plan := j.p.PlanRequest(&rr)
	sub.checkPreflight(pf, &plan)
	for _, f := range sub.errors {
		f.Step = "redirect " + strconv.Itoa(next.Count) + " preflight"
		j.add(f)
	}
	// After the errors: the first error added is the one the browser reports.
	// The preflight's own Origin decides (Firefox sends the page's there).
	if len(sub.errors) > 0 && pf.Response != nil {
		sent := next
		sent.Origin = rr.Origin
		j.blameTaint(sent, pf.Response, true)
	}
	return len(sub.errors) == 0
}

// redirectedHeader is the author headers a redirected request keeps
// (Fetch §HTTP-redirect fetch steps 12-13): the request-body headers go
// with the body, Authorization goes on an origin change.
func redirectedHeader(h http.Header, next RedirectState) http.Header {
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	if next.DropBodyHeaders {
		for _, name := range []string{"Content-Encoding", "Content-Language", "Content-Location", "Content-Type"} {
			out.Del(name)
		}
	}
	if next.DropAuthorization {
		out.Del("Authorization")
	}
	return out
}

// NeedsRedirectPreflight says whether the browser sends a new preflight
// before following a redirect to next (for a prober following hops): the
// request is still cross-origin for the page, or tainted, and still not
// simple after the redirect's method and header changes (or, with
// RedirectKeepsPreflight, it was preflighted at all). The request returned
// is the one the preflight describes: its Origin is the page's with
// RedirectPreflightPageOrigin, its headers script's with
// RedirectPreflightAuthorHeaders.
func (p *Profile) NeedsRedirectPreflight(r *Request, next RedirectState) (Request, bool) {
	rr := *r
	rr.URL, rr.Method, rr.Origin = next.URL, next.Method, next.Origin
	if p.RedirectPreflightAuthorHeaders {
		rr.Header = r.Header.Clone()
	} else {
		rr.Header = redirectedHeader(r.Header, next)
	}
	corsFlag := next.CrossOrigin || !sameOrigin(canonicalOrigin(next.Origin), next.URL)
	need := p.PlanRequest(&rr).Preflight || p.RedirectKeepsPreflight && p.PlanRequest(r).Preflight
	if p.RedirectPreflightPageOrigin {
		rr.Origin = r.Origin
	}
	return rr, corsFlag && need
}

func hasErrors(errs []Finding) bool { return len(errs) > 0 }

// RedirectState is where a request stands between redirect hops.
type RedirectState struct {
	URL    string
	Method string
	// Origin is the serialized origin sent, "null" once tainted.
	Origin string
	// Count is the number of redirects followed so far.
	Count int
	// DropBody says a 301/302/303 turned the request into a GET.
	DropBody bool
	// DropBodyHeaders says the request-body headers (Content-Type …) go
	// with the body, as the standard says; see RedirectKeepsBodyHeaders.
	DropBodyHeaders bool
	// DropAuthorization says the origin changed, so Authorization is removed.
	DropAuthorization bool
	// CrossOrigin is the CORS flag: some URL so far was cross-origin to the
	// page, so every later response is CORS-checked and a Location with
	// user:password@ fails even when it points back to the page's origin.
	CrossOrigin bool
	// UpgradedFrom is the plain http Location the browser upgraded to URL
	// (a mixed image), "" when it did not.
	UpgradedFrom string
}

// Redirect is the browser's decision on a redirect response (Fetch
// §HTTP-redirect fetch), for a prober following hops itself: the next
// request, or false when the browser stops here (not a redirect, a failed
// CORS check on the hop, a bad Location, too many redirects).
func (p *Profile) Redirect(r *Request, st RedirectState, resp *Message) (RedirectState, bool) {
	st.Origin = canonicalOrigin(st.Origin)
	if !p.IsRedirect(resp) || r.stopsAtRedirect() {
		return st, false
	}
	if (st.CrossOrigin || !sameOrigin(st.Origin, st.URL)) && len(checkAccess(resp, st.Origin, r)) > 0 {
		return st, false
	}
	next, f := p.redirect(r, st, resp)
	return next, f == nil
}

func (p *Profile) redirect(r *Request, st RedirectState, resp *Message) (RedirectState, *Finding) {
	loc := first(resp, "Location")
	step := "redirect " + strconv.Itoa(st.Count+1)
	if st.Count >= MaxRedirects {
		f := newFinding(CodeTooManyRedirects, step, fmt.Sprintf("the request was redirected more than %d times", MaxRedirects))
		if emptyLocation(resp) {
			// Firefox's loop to the same URL: the empty Location is the cause.
			f.Message += fmt.Sprintf(": the answer is a %d with an empty Location, which %s follows to the same URL, again and again", resp.Status, p.Display)
			f.Fix = noLocationFix(resp.Status, false)
		}
		p.note(&f, r, Console{URL: st.URL, From: redirectedFrom(r.URL, st.URL), Origin: canonicalOrigin(r.Origin)})
		return st, &f
	}
	// The Location is parsed against the current URL as the URL standard
	// does (a space in it is sent as %20, dot segments resolved).
	var target *url.URL
	href, err := weburl.Resolve(st.URL, loc)
	if err == nil {
		target, err = url.Parse(href)
		if err != nil {
			// A serialization net/url refuses (a stray %zz) is still a URL.
			target, err = weburl.GoURL(href)
		}
	}
	// Chromium cors.cc CheckRedirectLocation (Fetch §HTTP-redirect fetch
	// steps 9-10): userinfo fails when the request is tainted, when the
	// Location is cross-origin to the page, or when the CORS flag is set.
	page := canonicalOrigin(r.Origin)
	corsFlag := st.CrossOrigin || !sameOrigin(page, st.URL)
	if err == nil && target.Scheme != "http" && target.Scheme != "https" && (corsFlag || st.Origin == "null") {
		// A CORS request redirected to ftp: or another scheme fails the
		// scheme check at the new URL (verified on Chromium 156).
		f := newFinding(CodeCorsDisabledScheme, step, "the redirect's Location "+quote(loc)+" is not http or https, so the cross-origin request cannot follow it with CORS")
		p.note(&f, r, Console{URL: href, From: r.URL, Origin: page, Param: target.Scheme, Redirect: true})
		return st, &f
	}
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") {
		f := newFinding(CodeRedirectBadLocation, step, "the redirect's Location "+quote(loc)+" is not a valid http(s) URL")
		p.note(&f, r, Console{URL: st.URL, From: redirectedFrom(r.URL, st.URL), Origin: page, Location: loc})
		return st, &f
	}
	tainted := st.Origin == "null" && page != "null"
	if target.User != nil && (tainted || corsFlag || !sameOrigin(page, href)) {
		f := newFinding(CodeRedirectCredentials, step, "the redirect's Location "+quote(redactUserinfo(target))+" carries user:password@, which browsers refuse for cross-origin requests")
		p.note(&f, r, Console{URL: st.URL, From: redirectedFrom(r.URL, st.URL), Origin: page, Location: redactUserinfo(target)})
		return st, &f
	}
	upgradedFrom := ""
	if u, ok := p.MixedContentUpgrade(&Request{URL: href, Origin: page, Initiator: r.Initiator}); ok {
		// An image is upgraded at a redirect too (verified on Chromium
		// 156, Firefox ESR 153, WebKitGTK 2.50).
		upgradedFrom, href = href, u
	}
	if p.mixedContent(page, href) {
		f := newFinding(CodeMixedContent, step, "the redirect's Location "+quote(href)+" is plain http and the page "+quote(page)+
			" is served over https; the browser blocks that as mixed content and does not follow it")
		c := Console{URL: href, From: r.URL, Origin: page}
		if potentiallyTrustworthy(OriginOf(href)) {
			// WebKit cuts this line short for a loopback URL too.
			c.Param = "loopback-redirect"
		}
		p.note(&f, r, c)
		if strings.HasPrefix(st.URL, "https:") {
			f.Fix = downgradeFix(href)
		}
		return st, &f
	}
	next := st
	next.Count++
	next.URL, next.UpgradedFrom = href, upgradedFrom
	next.CrossOrigin = corsFlag
	if (resp.Status == 301 || resp.Status == 302) && st.Method == "POST" || resp.Status == 303 && st.Method != "GET" && st.Method != "HEAD" {
		next.Method = "GET"
		next.DropBody = true
		next.DropBodyHeaders = !p.RedirectKeepsBodyHeaders
	}
	if OriginOf(next.URL) != OriginOf(st.URL) {
		next.DropAuthorization = true
		if !sameOrigin(st.Origin, st.URL) {
			next.Origin = "null"
		}
	}
	return next, nil
}

// redactUserinfo prints u with its user:password replaced: corsdiag never
// prints credentials a server sent.
func redactUserinfo(u *url.URL) string {
	c := *u
	c.User = nil
	scheme, rest, _ := strings.Cut(c.String(), "://")
	return scheme + "://***:***@" + rest
}

// locationOf is where the redirect resp at base points, resolved ("" when
// resp has no Location; the raw value when it does not parse).
func locationOf(base string, resp *Message) string {
	loc := first(resp, "Location")
	b, err := url.Parse(base)
	if err != nil || loc == "" {
		return loc
	}
	u, err := b.Parse(loc)
	if err != nil {
		return loc
	}
	return u.String()
}

// IsRedirectStatus reports whether status is a redirect status (Fetch
// §redirect status): 301, 302, 303, 307 or 308.
func IsRedirectStatus(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// hasLocation reports whether Chromium follows m as a redirect: a redirect
// status with a Location. An empty Location counts as none, as its
// HttpResponseHeaders::IsRedirect reads it. Unexported: the browsers
// differ, so callers ask the profile (Profile.IsRedirect).
func hasLocation(m *Message) bool { return IsRedirectStatus(m.Status) && first(m, "Location") != "" }

// IsRedirect reports whether the profile's browser follows m as a
// redirect: a redirect status with a Location (hasLocation), or, where
// EmptyLocationFollowed, one with a Location that is there but empty.
func (p *Profile) IsRedirect(m *Message) bool {
	return hasLocation(m) || p.EmptyLocationFollowed && emptyLocation(m)
}

// emptyLocation reports whether m has a redirect status and a Location
// header whose value is empty.
func emptyLocation(m *Message) bool {
	return IsRedirectStatus(m.Status) && len(values(m, "Location")) > 0 && first(m, "Location") == ""
}

// noLocation reports whether m has a redirect status but no Location the
// browser follows: no redirect, the answer itself (Fetch §HTTP-redirect
// fetch step 3).
func (p *Profile) noLocation(m *Message) bool { return IsRedirectStatus(m.Status) && !p.IsRedirect(m) }

// modeStops reports whether r's redirect mode stops at resp, which passed
// the CORS check: a redirect, or a redirect status without Location where
// the mode switches on the status alone (Fetch §HTTP fetch step 6; every
// browser for 'manual', only Firefox for 'error': RedirectErrorNeedsLocation).
func (p *Profile) modeStops(r *Request, resp *Message) bool {
	switch {
	case !r.stopsAtRedirect():
		return false
	case p.IsRedirect(resp):
		return true
	}
	return p.noLocation(resp) && (r.Redirect == RedirectManual || !p.RedirectErrorNeedsLocation)
}

// emptyLocationFails reports the failure of a browser that neither
// follows an empty Location nor takes its 3xx as the answer (WebKit, in
// mode 'follow', once the CORS check passed; no console line), and
// whether it did.
func (j *judge) emptyLocationFails(step, at string, resp *Message) bool {
	if !j.p.EmptyLocationFails || !emptyLocation(resp) || j.req.stopsAtRedirect() {
		return false
	}
	f := newFinding(CodeRedirectBadLocation, step, fmt.Sprintf("the answer is a %d whose Location header is empty: %s neither follows it nor takes the %d as the answer, so the request fails (a network error, no console line)", resp.Status, j.p.Display, resp.Status))
	f.Fix = noLocationFix(resp.Status, false)
	j.note(&f, at, Console{Status: resp.Status, Param: "empty"})
	j.add(f)
	return true
}

// noteNoLocation names the missing Location of resp, the answer at step:
// an info where the browser takes it as the answer, the cause (an error)
// where it fails there.
func (j *judge) noteNoLocation(step string, resp *Message, failed bool) {
	none := "no Location header"
	if emptyLocation(resp) {
		none = "an empty Location header"
	}
	f := newFinding(CodeRedirectNoLocation, step, fmt.Sprintf("the answer has status %d%s, a redirect status, but %s, so it is no redirect: the browser takes it as the answer", resp.Status, statusTextSuffix(resp), none))
	if step == "preflight" {
		f.Message = fmt.Sprintf("the preflight got status %d%s, a redirect status, but %s: no redirect, and not an ok status either", resp.Status, statusTextSuffix(resp), none)
	}
	f.Fix = noLocationFix(resp.Status, step == "preflight")
	if !failed || hasCause(j.errors) {
		// After another cause (the preflight's, a tainting redirect's)
		// it is told, not a second cause.
		j.add(f)
		return
	}
	f.Severity, f.Cause = SeverityError, true
	j.errors = append(j.errors, f)
}

func hasCause(fs []Finding) bool {
	for _, f := range fs {
		if f.Cause {
			return true
		}
	}
	return false
}

func statusTextSuffix(m *Message) string {
	if m.StatusText != "" {
		return " (" + m.StatusText + ")"
	}
	if t := http.StatusText(m.Status); t != "" {
		return " (" + t + ")"
	}
	return ""
}

func statusNote(m *Message) string {
	if m.Status >= 200 && m.Status < 300 {
		return ""
	}
	return fmt.Sprintf(" (the response's status was %d%s)", m.Status, statusTextSuffix(m))
}

// note records what the browser's console names for f (the failing URL
// at, the page's origin, the request) and puts the profile's line in
// f.BrowserMessage.
func (j *judge) note(f *Finding, at string, c Console) {
	c.URL, c.From = at, redirectedFrom(j.initURL, at)
	c.Origin = j.req.Origin
	if j.pageOrigin != "" {
		c.Origin = j.pageOrigin
	}
	j.p.note(f, &j.req, c)
}

// note completes c with the request's initiator and URL and renders the
// profile's first line into f.BrowserMessage.
func (p *Profile) note(f *Finding, r *Request, c Console) {
	c.Initiator = r.Initiator
	if c.Initiator == "" {
		c.Initiator = "fetch"
	}
	c.Request = r.URL
	f.Console = &c
	f.BrowserMessage = ""
	if lines := p.Lines(f); len(lines) > 0 {
		f.BrowserMessage = lines[0]
	}
}

// originLines counts Access-Control-Allow-Origin lines.
func originLines(m *Message) int { return len(values(m, HeaderAllowOrigin)) }

func redirectedFrom(initial, at string) string {
	if initial == at {
		return ""
	}
	return initial
}
