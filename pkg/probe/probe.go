// Package probe is the live client of corsdiag check: it sends what a browser
// sends (the preflight when one is needed, then the actual request), follows
// redirects hop by hop as the engine decides, and records every exchange.
//
// The requests are modelled on what Chromium puts on a cross-origin fetch()
// (not yet compared header by header with a live browser): the preflight carries no cookies, no
// Authorization and no body (Fetch §CORS-preflight fetch step 1-4), and Go's
// client never follows a redirect by itself: every hop is judged by
// cors.Profile.Redirect (Fetch §HTTP-redirect fetch) before the next is sent.
package probe

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/weburl"
)

// Defaults of Options.
const (
	DefaultTimeout = 10 * time.Second
	DefaultMaxBody = 64 << 10
)

// Options describe one check.
type Options struct {
	// Request is what page script asks for; Request.Origin must be set.
	// A load other than fetch() and XMLHttpRequest sends none of its
	// Header: the browser's own headers for it stand in (see validate).
	Request cors.Request
	// Body of the actual request (curl's -d).
	Body []byte
	// Cookie and BasicAuth are credentials a browser would attach itself
	// (curl's -b and -u); they are sent on the actual request only, never on
	// the preflight, and only when Request.Credentials is set. They are sent
	// to the request's own origin only, never after a redirect to another.
	Cookie    string
	BasicAuth string // "user:password"
	// SendActual allows sending the actual request of a state-changing
	// method (anything but GET, HEAD, OPTIONS).
	SendActual bool
	// ErrorProbe also sends the error-path probe (a safe GET to a path that
	// cannot exist; without credentials when the request carries them).
	ErrorProbe bool
	// Compare sends the comparison request when an answer shows a CORS
	// layer that refused the origin (cors.Refusal): the same preflight, or
	// a GET, with each of CompareOrigins, or else with the API's own origin.
	// Never a state-changing request.
	Compare        bool
	CompareOrigins []string
	// Timeout bounds the whole check (default 10s).
	Timeout time.Duration
	// Insecure skips TLS verification (-k).
	Insecure bool
	// MaxBody caps the body bytes read per response (default 64 KiB).
	MaxBody int64
	// Profile judges redirects; nil means cors.Chromium.
	Profile *cors.Profile
	// Routes move connections as curl's --resolve and --connect-to do
	// (Host and SNI stay the URL's). They need the probe's own transport:
	// a caller that passes Transport builds it with NewTransport.
	Routes *Routes
	// Transport replaces the default transport (tests, and callers that
	// share one transport across probes).
	Transport http.RoundTripper
	// BeforeSend, when set, is called before every request; an error stops
	// that request (its hop says why) and is not counted as a network
	// failure. The audit paces (--rate) and bounds its requests with it.
	BeforeSend func(context.Context) error
	// SkipBlockedActual sends the actual request only when the browser
	// would: never after a preflight that fails. check sends it anyway to
	// show what comes next; the audit saves the request.
	SkipBlockedActual bool
}

// ErrorPath is one answer of the error-path probe.
type ErrorPath struct {
	// Purpose says what was probed: "unknown path", "without credentials".
	Purpose string
	Hop     cors.Hop
}

// Purposes of the error-path probe.
const (
	PurposeUnknownPath        = "unknown path"
	PurposeWithoutCredentials = "without credentials"
)

// Result is everything the probe saw.
type Result struct {
	Exchange   *cors.Exchange
	ErrorPaths []ErrorPath
	// Findings are the probe's own findings (error-path warnings), to be
	// added to the engine's diagnosis.
	Findings []cors.Finding
	// Plan is the profile's classification of the request.
	Plan cors.Plan
	// BrowserSendsPreflight says the browser itself would send the
	// preflight (a cross-origin request that is not simple, or a forced one).
	BrowserSendsPreflight bool
	// BrowserSendsActual says the browser itself would send the actual
	// request: no preflight was needed, or the preflight passed. When it is
	// false and Exchange.Actual is not empty, corsdiag sent the actual
	// request only to show the problems a user would hit next.
	BrowserSendsActual bool

	profile *cors.Profile // judges blocked entries in WriteHAR
	// sendsPreflight is BrowserSendsPreflight before Local Network Access
	// (GateLocalNetwork).
	sendsPreflight bool
}

// GateLocalNetwork sets BrowserSendsPreflight and BrowserSendsActual from
// the exchange's addresses. Local Network Access stops a non-secure public
// page before anything leaves the browser when the request's own URL is
// in a more private address space (corsdiag had to connect to learn the
// address); when only a redirect's target is, the hops before it left.
// Run calls it; call it again after changing the hops' addresses (tests
// place loopback listeners in other address spaces).
func (r *Result) GateLocalNetwork() {
	// The actual request follows a preflight that passed; whether the
	// preflight's own URL is gated is firstURLGated's question.
	r.BrowserSendsPreflight = r.sendsPreflight
	r.BrowserSendsActual = !r.sendsPreflight || preflightPasses(r.profile, r.Exchange)
	if firstURLGated(r.profile.Evaluate(r.Exchange)) {
		r.BrowserSendsPreflight, r.BrowserSendsActual = false, false
	}
}

// UnreachableError means no request of the check got an HTTP answer (DNS,
// refused, reset, TLS, timeout); the CLI exits 3 on it.
type UnreachableError struct {
	URL    string
	Reason string // plain words: "DNS lookup failed: no such host"
	Hint   string // what to do next
	Err    error
	// Unreadable says the server did answer, in something that is not
	// HTTP (a control character in a header): reached, but not readable.
	Unreadable bool
}

func (e *UnreachableError) Error() string {
	if e.Unreadable {
		return e.URL + ": " + e.Reason
	}
	return "cannot reach " + e.URL + ": " + e.Reason
}
func (e *UnreachableError) Unwrap() error { return e.Err }

// Run performs the check. It returns *UnreachableError when the endpoint
// could not be reached at all; the Result is returned beside it, holding the
// failed hops (for --har-out). An exchange where only some hops failed is a
// Result with a nil error, judged by the engine: a failed hop has NetError.
//
// Other errors (no Origin, a URL that is not absolute http(s)) are usage
// errors and come with a nil Result.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if err := validate(&opts); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()

	p := newProber(opts)
	defer p.close()
	res := p.run(ctx)
	if p.tried > 0 && p.answered == 0 {
		return res, p.unreachable()
	}
	return res, nil
}

func validate(o *Options) error {
	if o.Profile == nil {
		o.Profile = cors.Chromium
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.Transport != nil && !o.Routes.Empty() {
		return errors.New("probe: Routes apply to the probe's own transport; build the shared one with NewTransport(insecure, routes)")
	}
	if o.Request.Origin == "" {
		return errors.New("probe: the request has no Origin (the page's origin, such as https://app.example.com)")
	}
	if m := o.Request.Redirect; m != "" && !slices.Contains(cors.RedirectModes, m) {
		// Taken for 'follow', it would request what 'manual' never does.
		return fmt.Errorf("probe: redirect mode %q: want %s", m, strings.Join(cors.RedirectModes, ", "))
	}
	if !cors.InitiatorOf(&o.Request).Scripted && len(o.Request.Header) > 0 {
		// The page sets no header on a load other than fetch() and
		// XMLHttpRequest (cors.Initiator.Refuses; check refuses them):
		// what a caller passes for one, such as a HAR's recorded Range,
		// is a browser's own, which the profile sends its own way
		// (AcceptOf, HeadersOf). Sent, it would plan a preflight the
		// browser never sends, or a Range it does not.
		o.Request.Header = nil
	}
	if err := sendableValues(o); err != nil {
		return err
	}
	// The browser sends the URL as the URL standard serializes it (a typed
	// space as %20, an IDN host as punycode); so does the probe.
	href, err := weburl.Request(o.Request.URL)
	if err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	o.Request.URL = href
	return nil
}

// sendableValues refuses a header or cookie value no request can carry
// (the caller's mistake, not the network's: net/http would refuse it on
// the wire) and strips the leading and trailing whitespace fetch() strips.
// A value is not quoted: it may be a secret.
func sendableValues(o *Options) error {
	const ws = " \t\r\n"
	names := slices.Sorted(maps.Keys(o.Request.Header))
	cloned := false
	for _, name := range names {
		for j, v := range o.Request.Header[name] {
			if i, why := cors.HeaderValueFault(v); i >= 0 {
				return fmt.Errorf("probe: header %s: the value holds %s (byte %d)", name, why, i)
			}
			if t := strings.Trim(v, ws); t != v {
				if !cloned {
					o.Request.Header, cloned = o.Request.Header.Clone(), true
				}
				o.Request.Header[name][j] = t
			}
		}
	}
	if i, why := cors.HeaderValueFault(o.Cookie); i >= 0 {
		return fmt.Errorf("probe: cookie: the value holds %s (byte %d)", why, i)
	}
	o.Cookie = strings.Trim(o.Cookie, ws)
	return nil
}

// run sends the preflight, the actual request and the error-path probe in
// the browser's order and records them.
func (p *prober) run(ctx context.Context) *Result {
	r := &p.opts.Request
	plan := p.opts.Profile.PlanRequest(r)
	ex := &cors.Exchange{Request: *r}
	res := &Result{Exchange: ex, Plan: plan, profile: p.opts.Profile}
	if u, ok := p.opts.Profile.MixedContentUpgrade(r); ok {
		// The browser asks for the https URL instead (an image from an
		// https page): so does the probe; ex keeps the URL script gave.
		p.upgradedFrom, r.URL = r.URL, u
	}
	sameOrigin := cors.OriginOf(r.URL) == r.Origin

	if plan.Forbidden {
		ex.ActualSkipped = "fetch() refuses the " + plan.Method + " method, so the browser sends nothing; corsdiag sent nothing either."
		return res
	}
	if plan.URLCredentials {
		ex.ActualSkipped = "fetch() refuses a URL with a user name or password, so the browser sends nothing; corsdiag sent nothing either."
		return res
	}
	if p.opts.Profile.BlocksAsMixedContent(r) {
		ex.ActualSkipped = "the browser blocks an https page's request to plain http as mixed content, so it sends nothing; corsdiag sent nothing either."
		return res
	}

	var errorPaths func() []ErrorPath
	if p.opts.ErrorProbe {
		errorPaths = p.startErrorPaths(ctx, &plan)
	}

	res.BrowserSendsPreflight = plan.Preflight && !sameOrigin
	preflightOK := true
	if res.BrowserSendsPreflight {
		hop := p.preflight(ctx, &plan)
		ex.Preflight = &hop
		preflightOK = preflightPasses(p.opts.Profile, ex)
	}

	switch {
	case cors.IsStateChanging(plan.Method) && !p.opts.SendActual:
		ex.ActualSkipped = skippedSentence(plan.Method, res.BrowserSendsPreflight)
	case !preflightOK && p.opts.SkipBlockedActual:
		ex.ActualSkipped = "The preflight failed, so the browser sends nothing more; corsdiag sent nothing more either."
	default:
		ex.Actual = p.actual(ctx, &plan)
	}

	res.sendsPreflight = res.BrowserSendsPreflight
	res.GateLocalNetwork()

	if p.opts.Compare && p.answered > 0 {
		ex.Compared = p.compare(ctx, ex, &plan)
	}

	// An endpoint that proved unreachable has no error path to show.
	if errorPaths != nil {
		eps := errorPaths()
		if p.tried > 0 && p.answered == 0 {
			return res
		}
		res.ErrorPaths = eps
		if f, ok := ErrorPathFinding(res.ErrorPaths); ok {
			res.Findings = append(res.Findings, f)
		}
	}
	return res
}

// firstURLGated reports whether Local Network Access refuses the request's
// own URL to a non-secure page (not only a redirect's target).
func firstURLGated(d *cors.Diagnosis) bool {
	for i := range d.Findings {
		if f := &d.Findings[i]; f.Code == cors.CodeLocalNetworkInsecure && !strings.HasPrefix(f.Step, "redirect ") {
			return true
		}
	}
	return false
}

func skippedSentence(method string, preflightSent bool) string {
	sent := "corsdiag sent only the preflight"
	if !preflightSent {
		sent = "corsdiag sent nothing (the browser sends no preflight for this request)"
	}
	return method + " changes server state; " + sent + ". Pass --send-actual to send the " + method + " and check its response too."
}

// preflightPasses asks the engine whether the browser would go on after this
// preflight: no error finding at the preflight step.
func preflightPasses(profile *cors.Profile, ex *cors.Exchange) bool {
	only := &cors.Exchange{Request: ex.Request, Preflight: ex.Preflight}
	for _, f := range profile.Evaluate(only).Findings {
		if f.Severity == cors.SeverityError && f.Step == "preflight" {
			return false
		}
	}
	return true
}

// preflight sends the CORS-preflight request (Fetch §CORS-preflight fetch):
// OPTIONS, Access-Control-Request-Method, Access-Control-Request-Headers when
// there are unsafe headers, Accept: */*, and nothing of the author's.
func (p *prober) preflight(ctx context.Context, plan *cors.Plan) cors.Hop {
	return p.preflightFor(ctx, &p.opts.Request, plan)
}

// preflightFor sends the preflight of r: the page's request, or its
// redirected form (new URL, Origin possibly tainted to null).
func (p *prober) preflightFor(ctx context.Context, r *cors.Request, plan *cors.Plan) cors.Hop {
	h := http.Header{}
	h.Set("Accept", "*/*")
	h.Set("Access-Control-Request-Method", plan.Method)
	if plan.RequestHeaders != "" {
		h.Set("Access-Control-Request-Headers", plan.RequestHeaders)
	}
	h.Set("Origin", r.Origin)
	p.browserHeaders(h, r.URL, SiteRelation(r.Origin, r.URL))
	return p.send(ctx, http.MethodOptions, r.URL, h, nil)
}

// actual sends the actual request and follows its redirects one hop at a
// time, as the profile decides (Fetch §HTTP-redirect fetch): method and body
// changes on 301/302/303, Authorization dropped on an origin change, Origin
// tainted to null after a cross-origin hop. At most cors.MaxRedirects+1 hops.
func (p *prober) actual(ctx context.Context, plan *cors.Plan) []cors.Hop {
	r := &p.opts.Request
	st := cors.RedirectState{URL: r.URL, Method: plan.Method, Origin: r.Origin}
	author := plan.AuthorHeaders.Clone()
	body := p.opts.Body
	if plan.Method == http.MethodGet || plan.Method == http.MethodHead {
		body = nil // fetch() throws on a GET or HEAD with a body
	}
	firstOrigin := cors.OriginOf(r.URL)
	corsMode := false // Fetch's response tainting "cors", sticky once set
	site := SiteRelation(r.Origin, r.URL)

	var hops []cors.Hop
	for len(hops) <= cors.MaxRedirects {
		if cors.OriginOf(st.URL) != st.Origin {
			corsMode = true
		}
		site = worstSite(site, SiteRelation(r.Origin, st.URL))
		h := author.Clone()
		if h.Get("Accept") == "" {
			h.Set("Accept", p.opts.Profile.AcceptFor(r.Initiator))
		}
		// Fetch §append a request Origin header: always in CORS mode,
		// otherwise for methods other than GET and HEAD. A load the
		// browser makes without CORS (WebKit's fonts) is no-cors.
		noCORS := p.opts.Profile.NoCORS[r.Initiator]
		if corsMode && !noCORS || (st.Method != http.MethodGet && st.Method != http.MethodHead) {
			h.Set("Origin", st.Origin)
		}
		if r.Credentials && cors.OriginOf(st.URL) == firstOrigin {
			if p.opts.Cookie != "" {
				h.Set("Cookie", p.opts.Cookie)
			}
			if p.opts.BasicAuth != "" && h.Get("Authorization") == "" {
				user, pass, _ := strings.Cut(p.opts.BasicAuth, ":")
				req := http.Request{Header: http.Header{}}
				req.SetBasicAuth(user, pass)
				h.Set("Authorization", req.Header.Get("Authorization"))
			}
		}
		p.browserHeaders(h, st.URL, site)
		// The load's own headers: a media element's Range, Accept-Encoding.
		for name, v := range p.opts.Profile.Headers.HeadersOf[r.Initiator] {
			if v == "" {
				h.Del(name)
			} else {
				h.Set(name, v)
			}
		}

		hop := p.send(ctx, st.Method, st.URL, h, body)
		hops = append(hops, hop)
		if hop.Response == nil {
			break
		}
		next, ok := p.opts.Profile.Redirect(r, st, hop.Response)
		if !ok {
			break
		}
		// Chromium preflights every new URL of a request that needs a
		// preflight, before following the redirect to it.
		if rr, need := p.opts.Profile.NeedsRedirectPreflight(r, next); need {
			rplan := p.opts.Profile.PlanRequest(&rr)
			pf := p.preflightFor(ctx, &rr, &rplan)
			hops[len(hops)-1].RedirectPreflight = &pf
			if !preflightPasses(p.opts.Profile, &cors.Exchange{Request: rr, Preflight: &pf}) {
				break
			}
		}
		if next.DropBody {
			body = nil
		}
		if next.DropBodyHeaders {
			// Fetch §HTTP-redirect fetch step 12: request-body headers go too.
			for _, name := range []string{"Content-Encoding", "Content-Language", "Content-Location", "Content-Type"} {
				author.Del(name)
			}
		}
		if next.DropAuthorization {
			author.Del("Authorization")
		}
		st = next
	}
	return hops
}

// OnlyBySending reports whether r can be judged only by sending it: a
// cross-origin, state-changing request the browser sends without a
// preflight is judged on its own response, so nothing safe stands in for it
// and corsdiag needs the user's leave (--send-actual, send_actual: true).
func OnlyBySending(p *cors.Profile, r *cors.Request) bool {
	if r.Origin != "" && cors.OriginOf(r.URL) == r.Origin {
		return false
	}
	plan := p.PlanRequest(r)
	return !plan.Preflight && !plan.Forbidden && !plan.URLCredentials && cors.IsStateChanging(plan.Method)
}
