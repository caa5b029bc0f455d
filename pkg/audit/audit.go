// Package audit finds the CORS policies that let the wrong pages in: it
// sends, from many attacker-controlled origins derived from the declared
// ones, the requests a browser would send (the preflight when one is
// needed, then the actual request when it is safe), and asks the engine
// whether the browser would let a page at that origin read the answer.
//
// Unlike scanners that compare Access-Control-Allow-Origin with the origin
// they sent, an attacker succeeds here only if cors.Profile.Evaluate says
// the browser allows the exchange, with credentials or without; severity
// follows what the attacker gains.
package audit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// Defaults of Options.
const (
	DefaultMaxRequests = 40
	DefaultRate        = 20 // requests per second
)

// Options describe one audit.
type Options struct {
	URL string
	// Origins are the origins the API is meant to allow (at least one).
	Origins []string
	Method  string // default GET
	// Header holds the request headers the page's script sets.
	Header http.Header
	// Credentials says the declared pages call the API with credentials
	// (cookies). Attacker pages always try with and without.
	Credentials bool
	// SendActual allows the actual request of a state-changing method;
	// without it only preflights are sent.
	SendActual bool
	// MaxRequests bounds the requests sent (default 40).
	MaxRequests int
	// Rate caps requests per second; 0 means no pause between them.
	Rate float64
	// Client holds the client settings every probe uses (Timeout, Insecure,
	// Routes, Cookie, Transport, MaxBody…); its Request and the options the
	// audit sets itself are ignored.
	Client probe.Options
	// Profile judges the exchanges; nil means cors.Chromium.
	Profile *cors.Profile
	// FixFormat picks the form of the allow-list fix shown first
	// (platform.AllowListFormats); empty picks from the platform detected.
	FixFormat string
	// Run replaces probe.Run (tests).
	Run func(context.Context, probe.Options) (*probe.Result, error)
}

// Outcome is what an origin gained.
type Outcome string

const (
	// Denied: the browser lets a page there read nothing and send nothing
	// it could not send anyway.
	Denied Outcome = "denied"
	// ReadWithCredentials: a page there reads the answer with the user's cookies.
	ReadWithCredentials Outcome = "read-with-credentials"
	// SendWithCredentials: the preflight lets a page there send a
	// state-changing request with the user's cookies (its answer was not
	// checked: no --send-actual).
	SendWithCredentials Outcome = "send-with-credentials"
	// ReadWithoutCredentials: a page there reads the answer, without cookies.
	ReadWithoutCredentials Outcome = "read-without-credentials"
	// AnyOrigin: the answer is `*`: readable by any page, without cookies.
	AnyOrigin Outcome = "any-origin"
	// PreflightOnly: the preflight lets it in, the actual answer does not.
	PreflightOnly Outcome = "preflight-only"
	// Unreachable: no answer came back.
	Unreachable Outcome = "unreachable"
	// NotSent: the origin was left out (Probe.Skipped says why): not judged.
	NotSent Outcome = "not-sent"
)

// severity of what the outcome gives an attacker.
func (o Outcome) severity() cors.Severity {
	switch o {
	case ReadWithCredentials, SendWithCredentials:
		return cors.SeverityError
	case ReadWithoutCredentials:
		return cors.SeverityWarning
	case AnyOrigin, PreflightOnly:
		return cors.SeverityInfo
	}
	return ""
}

// In says the origin got past the server's check in some way.
func (o Outcome) In() bool { return o.severity() != "" }

// Probe is one origin tried and what it got.
type Probe struct {
	Candidate
	Outcome Outcome `json:"outcome"`
	// Step is where the outcome was decided: "actual", "preflight", "error-path".
	Step     string   `json:"step,omitempty"`
	Status   int      `json:"status,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
	// Skipped says why the origin was not sent.
	Skipped  string         `json:"skipped,omitempty"`
	Exchange *cors.Exchange `json:"-"`
}

// Declared is what a declared origin gets: the baseline.
type Declared struct {
	Origin      string       `json:"origin"`
	Verdict     cors.Verdict `json:"verdict"`
	Credentials bool         `json:"credentials"`
	// Reported is the error the browser reports when it blocks.
	Reported cors.Code      `json:"reported,omitempty"`
	Evidence []string       `json:"evidence,omitempty"`
	Exchange *cors.Exchange `json:"-"`
	Err      string         `json:"error,omitempty"`
}

// Policy is the CORS policy the answers show.
type Policy struct {
	Summary  string     `json:"summary"`
	Declared []Declared `json:"declared"`
	// Admitted are the attacker origins that got in, in the order tried.
	Admitted []Probe `json:"admitted"`
	Denied   int     `json:"denied"`
	// Unanswered counts the attacker origins that got no answer (reset,
	// timeout): not judged, so not counted as denied.
	Unanswered int `json:"unanswered"`
	// Methods and Headers are Access-Control-Allow-Methods and
	// -Headers of the preflight from the first declared origin.
	Methods string `json:"methods,omitempty"`
	Headers string `json:"headers,omitempty"`
	// VaryOrigin says answers that echo the origin carry Vary: Origin.
	VaryOrigin *bool `json:"vary_origin,omitempty"`
	// ErrorPaths says how error answers behave, one line per probe.
	ErrorPaths []string `json:"error_paths,omitempty"`
}

// Finding is one flaw, with every origin that got in through it.
type Finding struct {
	Code     cors.Code     `json:"code"`
	Severity cors.Severity `json:"severity"`
	// Origin is the origin the evidence comes from; Origins lists every
	// origin that got in through this flaw.
	Origin    string   `json:"origin"`
	Origins   []string `json:"origins"`
	Technique string   `json:"technique"`
	Outcome   Outcome  `json:"outcome"`
	Step      string   `json:"step"`
	Message   string   `json:"message"`
	Evidence  []string `json:"evidence"`
	Browsers  string   `json:"browsers,omitempty"`
	Fix       string   `json:"fix"`
}

// Report is the whole audit.
type Report struct {
	URL         string    `json:"url"`
	Method      string    `json:"method"`
	Origins     []string  `json:"declared_origins"`
	Credentials bool      `json:"credentials"`
	Policy      Policy    `json:"policy"`
	Findings    []Finding `json:"findings"`
	Probes      []Probe   `json:"probes"`
	Requests    int       `json:"requests"`
	MaxRequests int       `json:"max_requests"`
	// Platform is the server recognised from the declared origins' answers.
	Platform *platform.Detection `json:"platform,omitempty"`
	// Fixes is the exact allow-list of the declared origins in every
	// form: the fix every finding but any-origin-allowed shares.
	Fixes []platform.Fix `json:"fixes"`
	// FixFormat is the form shown first.
	FixFormat platform.Format `json:"fix_format"`
}

// NotSent counts the origins not sent because a flaw already found lets
// them in (explained) or because the request limit was reached (limit).
func (r *Report) NotSent() (explained, limit int) {
	for _, p := range r.Probes {
		switch {
		case strings.Contains(p.Skipped, "limit"):
			limit++
		case p.Skipped != "":
			explained++
		}
	}
	return explained, limit
}

// Count returns how many findings have severity s.
func (r *Report) Count(s cors.Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// UsageError is a problem with the options (exit 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }

// Run audits opts.URL. It returns *probe.UnreachableError when no request
// got an answer, *UsageError for bad options.
func Run(ctx context.Context, opts Options) (*Report, error) {
	a, err := newAuditor(opts)
	if err != nil {
		return nil, err
	}
	return a.run(ctx)
}

type auditor struct {
	opts  Options
	plan  cors.Plan
	lim   *limiter
	found map[cors.Code]bool
	// foundOrigins: the attacker origins that got in, with their code.
	foundOrigins map[string]cors.Code
	// preflightFound holds the codes whose origins passed only the
	// preflight: narrower origins that do the same are put under them.
	preflightFound map[cors.Code]bool
	answered       bool
	firstErr       error
}

func newAuditor(opts Options) (*auditor, error) {
	if opts.Profile == nil {
		opts.Profile = cors.Chromium
	}
	if opts.Method == "" {
		opts.Method = http.MethodGet
	}
	if opts.MaxRequests <= 0 {
		opts.MaxRequests = DefaultMaxRequests
	}
	if opts.Run == nil {
		opts.Run = probe.Run
	}
	u, err := url.Parse(opts.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usagef("URL %q: want an absolute http:// or https:// URL", opts.URL)
	}
	if len(opts.Origins) == 0 {
		return nil, usagef("audit needs the origins the API is meant to allow: --origin https://app.example.com (repeatable)")
	}
	for i, o := range opts.Origins {
		c, err := cors.ParseOrigin(o)
		if err != nil {
			return nil, usagef("--origin %q: %v", o, err)
		}
		opts.Origins[i] = c
	}
	if _, err := platform.ParseFormat(opts.FixFormat); err != nil {
		return nil, usagef("--fix-format %q: want one of %s", opts.FixFormat, strings.Join(platform.AllowListFormats(), ", "))
	}
	r := cors.Request{Method: opts.Method, URL: opts.URL, Origin: "https://" + attackerSuffix, Header: opts.Header, Credentials: true}
	plan := opts.Profile.PlanRequest(&r)
	if plan.Forbidden {
		return nil, usagef("fetch() refuses the %s method: no page can send it", plan.Method)
	}
	if plan.URLCredentials {
		// The message does not quote the URL: it holds the password.
		return nil, usagef("fetch() refuses a URL with a user name or password (TypeError: Request cannot be constructed from a URL that includes credentials): no page can send it; send them in an Authorization header (-H) instead")
	}
	if !opts.SendActual && probe.OnlyBySending(opts.Profile, &r) {
		return nil, usagef("%s needs no preflight, so an attacker's page sends it without asking and the browser judges only its answer; corsdiag does not send a state-changing request unless you ask.\n"+
			"Pass --send-actual to send it (from every origin tried) and check the answers.", plan.Method)
	}
	return &auditor{opts: opts, plan: plan, lim: newLimiter(opts.MaxRequests, opts.Rate),
		found: map[cors.Code]bool{}, foundOrigins: map[string]cors.Code{}, preflightFound: map[cors.Code]bool{}}, nil
}

func (a *auditor) run(ctx context.Context) (*Report, error) {
	o := &a.opts
	// One transport for every probe: connections are reused, and the
	// routes (--resolve, --connect-to) apply to all of them.
	if o.Client.Transport == nil {
		t := probe.NewTransport(o.Client.Insecure, o.Client.Routes)
		defer t.CloseIdleConnections()
		o.Client.Transport, o.Client.Routes = t, nil
	}
	rep := &Report{URL: o.URL, Method: a.plan.Method, Origins: o.Origins, Credentials: o.Credentials, MaxRequests: o.MaxRequests}

	for i, origin := range o.Origins {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rep.Policy.Declared = append(rep.Policy.Declared, a.baseline(ctx, rep, origin, i == 0))
	}
	for _, c := range Candidates(o.URL, o.Origins) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if c.requires != "" && !a.found[c.requires] {
			continue
		}
		if by := a.explained(c); by != "" {
			rep.Probes = append(rep.Probes, Probe{Candidate: c, Outcome: NotSent, Skipped: "not sent: " + string(by) + " already lets it in"})
			continue
		}
		errorProbe := c.Code == CodeOriginReflected
		need := 1
		if a.plan.Preflight {
			need++
		}
		if errorProbe {
			need++
		}
		if !a.lim.reserve(need) {
			rep.Probes = append(rep.Probes, Probe{Candidate: c, Outcome: NotSent, Skipped: fmt.Sprintf("not sent: the limit of %d requests was reached", o.MaxRequests)})
			continue
		}
		rep.Probes = append(rep.Probes, a.attack(ctx, c, errorProbe)...)
	}
	rep.Requests = a.lim.used
	if !a.answered && a.firstErr != nil {
		return rep, a.firstErr
	}
	a.finish(rep)
	return rep, nil
}

// explained returns the code already found that would let c in anyway.
func (a *auditor) explained(c Candidate) cors.Code {
	if by := explainedIn(a.found, c); by != "" {
		return by
	}
	for _, o := range c.explainedByOrigins {
		if by := a.foundOrigins[o]; by != "" {
			return by
		}
	}
	return ""
}

func explainedIn(found map[cors.Code]bool, c Candidate) cors.Code {
	for _, code := range c.explainedBy {
		if found[code] {
			return code
		}
	}
	return ""
}

func (a *auditor) probeOptions(r cors.Request) probe.Options {
	po := a.opts.Client
	po.Request = r
	po.Profile = a.opts.Profile
	po.SendActual = a.opts.SendActual
	po.BeforeSend = a.lim.wait
	po.Body = nil
	return po
}

func (a *auditor) send(ctx context.Context, po probe.Options) *probe.Result {
	res, err := a.opts.Run(ctx, po)
	var ue *probe.UnreachableError
	switch {
	case errors.As(err, &ue):
		if a.firstErr == nil {
			a.firstErr = err
		}
	case err != nil:
		if a.firstErr == nil {
			a.firstErr = err
		}
		return nil
	default:
		a.answered = true
	}
	return res
}

// baseline probes a declared origin as the API's own page calls it. The
// first one also forces a preflight, whose answer names the methods and
// headers allowed, and probes the error path.
func (a *auditor) baseline(ctx context.Context, rep *Report, origin string, first bool) Declared {
	d := Declared{Origin: origin, Credentials: a.opts.Credentials}
	need := 1
	if a.plan.Preflight || first {
		need++
	}
	if first {
		need++
	}
	if !a.lim.reserve(need) {
		d.Err = fmt.Sprintf("not sent: the limit of %d requests was reached", a.opts.MaxRequests)
		return d
	}
	r := cors.Request{Method: a.opts.Method, URL: a.opts.URL, Origin: origin, Header: a.opts.Header.Clone(),
		Credentials: a.opts.Credentials, Initiator: "fetch", PageAddressSpace: cors.SpaceLoopback, ForcePreflight: first}
	po := a.probeOptions(r)
	po.ErrorProbe = first
	res := a.send(ctx, po)
	if res == nil {
		d.Err = "no answer"
		return d
	}
	ex := res.Exchange
	if first && ex.Preflight != nil && ex.Preflight.Response != nil {
		h := ex.Preflight.Response.Header
		rep.Policy.Methods = h.Get("Access-Control-Allow-Methods")
		rep.Policy.Headers = h.Get("Access-Control-Allow-Headers")
	}
	// Judge what the browser itself sends: no forced preflight.
	judged := *ex
	if first && !a.plan.Preflight {
		judged.Preflight = nil
		judged.Request.ForcePreflight = false
	}
	diag := a.opts.Profile.Evaluate(&judged)
	d.Verdict, d.Exchange = diag.Verdict, &judged
	if f := diag.Reported(); f != nil {
		d.Reported = f.Code
	}
	d.Evidence = evidence(&judged, "")
	if first {
		for _, ep := range res.ErrorPaths {
			rep.Policy.ErrorPaths = append(rep.Policy.ErrorPaths, errorPathLine(origin, ep))
		}
		if pr := platform.Analyze(platform.Input{Exchange: &judged, Diagnosis: diag, ErrorPaths: res.ErrorPathHops()}); pr != nil {
			rep.Platform = pr.Platform
		}
	}
	if m := ex.FinalResponse(); m != nil {
		acao := m.Header.Get("Access-Control-Allow-Origin")
		if acao != "" && acao != "*" {
			v := varies(m.Header)
			if rep.Policy.VaryOrigin == nil || !v {
				rep.Policy.VaryOrigin = &v
			}
		}
	}
	return d
}

// attack sends one attacker origin and judges what it gets.
func (a *auditor) attack(ctx context.Context, c Candidate, errorProbe bool) []Probe {
	r := cors.Request{Method: a.opts.Method, URL: a.opts.URL, Origin: c.Origin, Header: a.opts.Header.Clone(),
		Credentials: true, Initiator: "fetch", PageAddressSpace: cors.SpaceLoopback}
	po := a.probeOptions(r)
	po.ErrorProbe = errorProbe
	po.SkipBlockedActual = true
	res := a.send(ctx, po)
	p := Probe{Candidate: c, Outcome: Unreachable}
	if res == nil {
		return []Probe{p}
	}
	p = a.judge(c, res.Exchange)
	out := []Probe{p}
	for _, ep := range res.ErrorPaths {
		if ep.Purpose != probe.PurposeUnknownPath {
			continue
		}
		ex := &cors.Exchange{Request: cors.Request{Method: http.MethodGet, URL: ep.Hop.Request.URL, Origin: c.Origin,
			Credentials: true, Initiator: "fetch", PageAddressSpace: cors.SpaceLoopback}, Actual: []cors.Hop{ep.Hop}}
		e := a.judge(c, ex)
		e.Step = "error-path"
		e.Technique = c.Technique + ", on an error answer (" + ep.Purpose + ")"
		out = append(out, e)
	}
	for i := range out {
		q := &out[i]
		// A preflight-only admission explains no narrower origin, which is
		// still sent: the actual answer may let it in. When it too passes
		// only the preflight, it goes under the broader flaw.
		if q.Outcome == PreflightOnly {
			if by := explainedIn(a.preflightFound, c); by != "" {
				q.Code = by
			}
			a.preflightFound[c.Code] = true
			continue
		}
		if q.Outcome.In() {
			a.found[c.Code] = true
			a.foundOrigins[c.Origin] = c.Code
			if q.Outcome == AnyOrigin {
				a.found[CodeOriginReflected] = true
			}
		}
	}
	return out
}

// judge asks the engine what a page at c.Origin gets from ex: first with
// credentials (what an attacker wants), then without.
func (a *auditor) judge(c Candidate, ex *cors.Exchange) Probe {
	p := Probe{Candidate: c, Outcome: Denied, Exchange: ex}
	last := ex.FinalResponse()
	if last != nil {
		p.Status = last.Status
	} else if ex.Preflight != nil && ex.Preflight.Response != nil {
		p.Status = ex.Preflight.Response.Status
	}
	if last == nil && (ex.Preflight == nil || ex.Preflight.Response == nil) {
		p.Outcome = Unreachable
		return p
	}
	prof := a.opts.Profile
	withCreds := *ex
	withCreds.Request.Credentials = true
	without := *ex
	without.Request.Credentials = false

	preflightPasses := func(e *cors.Exchange) bool {
		if e.Preflight == nil || e.Preflight.Response == nil {
			return false
		}
		only := &cors.Exchange{Request: e.Request, Preflight: e.Preflight}
		return prof.Evaluate(only).Verdict == cors.Allowed
	}
	stateChanging := cors.IsStateChanging(a.plan.Method)

	switch {
	case last != nil && prof.Evaluate(&withCreds).Verdict == cors.Allowed:
		p.Outcome, p.Step = ReadWithCredentials, "actual"
	case stateChanging && preflightPasses(&withCreds):
		// The browser sends the write with the user's cookies, whatever
		// its answer says.
		p.Outcome, p.Step = SendWithCredentials, "preflight"
	case last != nil && prof.Evaluate(&without).Verdict == cors.Allowed:
		p.Outcome, p.Step = ReadWithoutCredentials, "actual"
		if allowOrigin(last) == "*" {
			p.Outcome = AnyOrigin
		}
	case preflightPasses(&withCreds) || preflightPasses(&without):
		p.Outcome, p.Step = PreflightOnly, "preflight"
		if allowOrigin(ex.Preflight.Response) == "*" && last == nil {
			p.Outcome = AnyOrigin
		}
	}
	if p.Outcome.In() {
		p.Evidence = evidence(ex, p.Step)
	}
	return p
}

// finish builds the findings and the policy from the probes.
func (a *auditor) finish(rep *Report) {
	byCode := map[cors.Code]*Finding{}
	var ex *cors.Exchange
	if len(rep.Policy.Declared) > 0 {
		ex = rep.Policy.Declared[0].Exchange
	}
	fixCtx := platform.ContextFor(ex, nil)
	// Credentials allowed today stay allowed, declared or not: the fix
	// must not break a page that sends cookies.
	fixCtx.Origins, fixCtx.Method, fixCtx.Credentials = rep.Origins, a.plan.Method, rep.Credentials || credentialsToday(rep.Policy.Declared)
	fixCtx.Methods = []string{a.plan.Method}
	rep.Fixes = platform.AllowListFixes(fixCtx)
	rep.FixFormat = pickFormat(a.opts.FixFormat, rep.Platform, rep.Fixes)
	for _, p := range rep.Probes {
		if p.Skipped != "" {
			continue
		}
		if !p.Outcome.In() {
			switch {
			case p.Outcome == Denied && p.Step == "":
				rep.Policy.Denied++
			case p.Outcome == Unreachable && p.Step == "":
				rep.Policy.Unanswered++
			}
			continue
		}
		if p.Step != "error-path" {
			rep.Policy.Admitted = append(rep.Policy.Admitted, p)
		}
		code := p.Code
		if p.Outcome == AnyOrigin {
			code = CodeAnyOrigin
		}
		f := byCode[code]
		sev := p.Outcome.severity()
		if p.nowhere != "" {
			sev = cors.SeverityInfo
		}
		if f == nil {
			f = &Finding{Code: code, Fix: flaws[code].Fix}
			byCode[code] = f
		}
		if !contains(f.Origins, p.Origin) {
			f.Origins = append(f.Origins, p.Origin)
		}
		if f.Severity == "" || sev.Rank() < f.Severity.Rank() {
			f.Severity, f.Origin, f.Technique, f.Outcome, f.Step, f.Evidence, f.Browsers = sev, p.Origin, p.Technique, p.Outcome, p.Step, p.Evidence, p.Browsers
			f.Message = message(p, a.plan.Method, rep.URL)
			if p.nowhere != "" {
				f.Message += "; but no one can serve a page there (" + p.nowhere + "): the pattern is wrong, yet lets no attacker in today"
			}
		}
		if p.Step == "error-path" {
			rep.Policy.ErrorPaths = append(rep.Policy.ErrorPaths, fmt.Sprintf("the error answer lets %s in (%s)", p.Origin, p.Outcome))
		}
	}
	for _, f := range byCode {
		rep.Findings = append(rep.Findings, *f)
	}
	order := map[cors.Code]int{}
	for i, c := range Codes() {
		order[c] = i
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		fi, fj := rep.Findings[i], rep.Findings[j]
		if fi.Severity.Rank() != fj.Severity.Rank() {
			return fi.Severity.Rank() < fj.Severity.Rank()
		}
		return order[fi.Code] < order[fj.Code]
	})
	rep.Policy.Summary = summary(rep)
}

// credentialsToday says a declared origin's answer allows credentials:
// the actual answer's, or the preflight's when only the preflight was
// sent (a state-changing method without --send-actual).
func credentialsToday(declared []Declared) bool {
	for _, d := range declared {
		if d.Exchange == nil {
			continue
		}
		m := d.Exchange.FinalResponse()
		if m == nil && d.Exchange.Preflight != nil {
			m = d.Exchange.Preflight.Response
		}
		if m != nil && m.Header.Get("Access-Control-Allow-Credentials") == "true" {
			return true
		}
	}
	return false
}

// message says who got in and what they gain, in plain words.
func message(p Probe, method, target string) string {
	// An error-path probe's technique says "on an error answer" (attack).
	who := fmt.Sprintf("%s (%s)", p.Origin, p.Technique)
	if p.Outcome == PreflightOnly && cors.IsStateChanging(method) && (p.Exchange == nil || p.Exchange.FinalResponse() == nil) {
		// Only the preflight was sent (a state-changing method without
		// --send-actual): nothing is known of the actual answer.
		return who + " passes the preflight: a page there can have the browser send " + method +
			", without the user's cookies (what any client can send without a browser); its answer was not checked: pass --send-actual"
	}
	switch p.Outcome {
	case ReadWithCredentials:
		return who + " got in: a page there can read the answer with the user's cookies" + caveats(cookieCaveat(p.Origin, target), lnaCaveat(p))
	case SendWithCredentials:
		return who + " passes the preflight: a page there can have the browser send " + method + " with the user's cookies" + caveats(cookieCaveat(p.Origin, target), lnaCaveat(p)) + " (its answer was not checked: pass --send-actual)"
	case ReadWithoutCredentials:
		return who + " got in: a page there can read the answer, though without the user's cookies" + caveats(lnaCaveat(p))
	case AnyOrigin:
		msg := who + " got in through Access-Control-Allow-Origin: *: any page can read the answer, without the user's cookies"
		if wildcardWithCredentials(p.Exchange) {
			msg += " (Access-Control-Allow-Credentials: true changes nothing: browsers refuse * to a call with cookies)"
		}
		return msg
	case PreflightOnly:
		return who + " passes the preflight only: the actual answer does not let it in, so a page there cannot read it (harmless unless the actual answer follows)"
	}
	return who + ": " + string(p.Outcome)
}

// cookieCaveat says which cookies a page at origin gets on a credentialed
// request to target: a cross-site page only SameSite=None ones (Lax is
// Chromium's default; Safari blocks third-party cookies), a same-site page
// (same scheme, same registrable domain) Lax and Strict ones too.
func cookieCaveat(origin, target string) string {
	if probe.SiteRelation(origin, target) != "cross-site" {
		return "a same-site page: SameSite=Lax and Strict cookies are sent too"
	}
	return "cross-site: cookies marked SameSite=None, in browsers that allow third-party cookies"
}

// lnaCaveat says, when the API answered from a private or loopback
// address and the attacker's page is public, that Chrome asks the user
// before letting the page reach it (Local Network Access). The audit
// still judges the policy as if the user allowed it.
func lnaCaveat(p Probe) string {
	if p.Exchange == nil {
		return ""
	}
	addr := ""
	for _, h := range p.Exchange.Actual {
		if addr == "" {
			addr = h.RemoteAddress
		}
	}
	if addr == "" && p.Exchange.Preflight != nil {
		addr = p.Exchange.Preflight.RemoteAddress
	}
	switch cors.RemoteAddressSpace(addr) {
	case cors.SpaceLocal, cors.SpaceLoopback:
	default:
		return ""
	}
	if cors.PageAddressSpace(&cors.Request{Origin: p.Origin}) != cors.SpacePublic {
		return ""
	}
	// What each browser does, from its profile: a page that is no secure
	// context is refused outright by some, asked about by others.
	secure := cors.SecureContext(p.Origin)
	var refuse, ask, none []string
	for _, prof := range cors.AllProfiles {
		switch {
		case !prof.LocalNetworkAccess:
			none = append(none, prof.Display)
		case prof.LocalNetworkBlocksInsecure && !secure:
			refuse = append(refuse, prof.Display)
		default:
			ask = append(ask, prof.Display)
		}
	}
	var says []string
	if len(refuse) > 0 {
		says = append(says, strings.Join(refuse, " and ")+verb(len(refuse), " refuses", " refuse")+" the page outright, as it is not a secure context")
	}
	if len(ask) > 0 {
		says = append(says, strings.Join(ask, " and ")+verb(len(ask), " first asks", " first ask")+" the user to allow the page Local Network Access")
	}
	if len(none) > 0 {
		says = append(says, strings.Join(none, " and ")+verb(len(none), " does not ask", " do not ask"))
	}
	return "the API answered from a private or loopback address: " + strings.Join(says, ", ")
}

// verb is one or many's form of a verb.
func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// caveats joins the non-empty ones in one parenthesis.
func caveats(cs ...string) string {
	var out []string
	for _, c := range cs {
		if c != "" {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return " (" + strings.Join(out, "; ") + ")"
}

func hasCode(rep *Report, c cors.Code) bool {
	for _, f := range rep.Findings {
		if f.Code == c {
			return true
		}
	}
	return false
}

// wildcardWithCredentials says an answer of ex pairs * with
// Access-Control-Allow-Credentials: true.
func wildcardWithCredentials(ex *cors.Exchange) bool {
	if ex == nil {
		return false
	}
	for _, m := range []*cors.Message{ex.FinalResponse(), func() *cors.Message {
		if ex.Preflight != nil {
			return ex.Preflight.Response
		}
		return nil
	}()} {
		if m != nil && allowOrigin(m) == "*" && strings.EqualFold(strings.TrimSpace(m.Header.Get("Access-Control-Allow-Credentials")), "true") {
			return true
		}
	}
	return false
}

func summary(rep *Report) string {
	declaredIn := 0
	for _, d := range rep.Policy.Declared {
		if d.Verdict == cors.Allowed {
			declaredIn++
		}
	}
	has := func(c cors.Code) bool {
		for _, f := range rep.Findings {
			if f.Code == c && f.Severity != cors.SeverityInfo {
				return true
			}
		}
		return false
	}
	var s string
	switch {
	case has(CodeOriginReflected):
		s = "echoes any origin"
	case len(rep.Policy.Admitted) > 0:
		n := 0
		for _, f := range rep.Findings {
			if f.Severity != cors.SeverityInfo {
				n++
			}
		}
		switch {
		case n == 0 && hasCode(rep, CodeAnyOrigin):
			s = "Access-Control-Allow-Origin: *: any page reads the answer, never with the user's cookies"
		case n == 0:
			s = "lets no attacker's origin read the answer"
		default:
			s = fmt.Sprintf("lets attacker origins in through %d flaw%s of its origin check", n, plural(n))
		}
	case rep.Policy.Unanswered > 0:
		s = fmt.Sprintf("lets none of the attacker origins that were answered in; %d got no answer and were not judged", rep.Policy.Unanswered)
	default:
		s = "lets none of the attacker origins in"
	}
	_, limited := rep.NotSent()
	switch {
	case declaredIn == len(rep.Policy.Declared) && len(rep.Policy.Admitted) == 0 && rep.Policy.Unanswered == 0 && limited > 0:
		s = fmt.Sprintf("only the declared origins get in of the %d attacker origins tried; %d not sent for the request limit", rep.Policy.Denied, limited)
	case declaredIn == len(rep.Policy.Declared) && len(rep.Policy.Admitted) == 0 && rep.Policy.Unanswered == 0:
		s = "exact allow-list: only the declared origins get in"
	case declaredIn == 0:
		s += "; none of the declared origins gets in either (run corsdiag check to see why)"
	case declaredIn < len(rep.Policy.Declared):
		s += fmt.Sprintf("; only %d of the %d declared origins get in", declaredIn, len(rep.Policy.Declared))
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func allowOrigin(m *cors.Message) string {
	if m == nil {
		return ""
	}
	return strings.TrimSpace(strings.Join(m.Header.Values("Access-Control-Allow-Origin"), ", "))
}

func varies(h http.Header) bool {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); strings.EqualFold(f, "Origin") || f == "*" {
				return true
			}
		}
	}
	return false
}

// evidenceHeaders are the answer's headers that show the policy.
var evidenceHeaders = []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Vary"}

// evidence lists the answers that decided: the preflight's and the
// actual's (or only the step named), with their CORS headers.
func evidence(ex *cors.Exchange, step string) []string {
	var out []string
	line := func(name string, m *cors.Message) {
		if m == nil {
			return
		}
		parts := []string{fmt.Sprintf("%s answered %d", name, m.Status)}
		for _, h := range evidenceHeaders {
			for _, v := range m.Header.Values(h) {
				parts = append(parts, h+": "+v)
			}
		}
		out = append(out, strings.Join(parts, "; "))
	}
	if ex.Preflight != nil && ex.Preflight.Response != nil && step != "actual" && step != "error-path" {
		line("preflight", ex.Preflight.Response)
	}
	if m := ex.FinalResponse(); m != nil && step != "preflight" {
		name := "actual"
		if step == "error-path" {
			name = "error path (" + ex.Request.URL + ")"
		}
		line(name, m)
	}
	if step == "actual" && ex.Preflight != nil && ex.Preflight.Response != nil {
		line("preflight", ex.Preflight.Response)
	}
	return out
}

func errorPathLine(origin string, ep probe.ErrorPath) string {
	if ep.Hop.Response == nil {
		return fmt.Sprintf("%s from %s: no answer (%s)", ep.Purpose, origin, ep.Hop.NetError)
	}
	m := ep.Hop.Response
	acao := allowOrigin(m)
	if acao == "" {
		return fmt.Sprintf("%s from %s: %d without Access-Control-Allow-Origin (the page sees a CORS error instead of the status)", ep.Purpose, origin, m.Status)
	}
	return fmt.Sprintf("%s from %s: %d with Access-Control-Allow-Origin: %s", ep.Purpose, origin, m.Status, acao)
}

// pickFormat is the allow-list form shown first: the one asked for, else
// the detected platform's usual one when there is such a form, else nginx.
func pickFormat(want string, det *platform.Detection, fixes []platform.Fix) platform.Format {
	has := func(f platform.Format) bool {
		for _, x := range fixes {
			if x.Format == f {
				return true
			}
		}
		return false
	}
	if f, err := platform.ParseFormat(want); err == nil && f != "" && (f == platform.FormatAll || has(f)) {
		return f
	}
	if det != nil {
		if f := platform.DefaultFormat(det.ID); has(f) {
			return f
		}
	}
	return platform.FormatNginx
}

// limiter bounds and paces the requests of one audit.
type limiter struct {
	mu       sync.Mutex
	max      int
	used     int
	interval time.Duration
	next     time.Time
	// now and sleep are the clock (time.Now, sleepCtx; a test's own).
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

func newLimiter(max int, rate float64) *limiter {
	l := &limiter{max: max, now: time.Now, sleep: sleepCtx}
	if rate > 0 {
		l.interval = time.Duration(float64(time.Second) / rate)
	}
	return l
}

// reserve says whether n more requests fit in the budget: a probe is
// sent whole or not at all.
func (l *limiter) reserve(n int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.used+n <= l.max
}

var errBudget = errors.New("the request limit was reached")

// wait is called before every request: it refuses past the budget and
// sleeps to keep the rate.
func (l *limiter) wait(ctx context.Context) error {
	l.mu.Lock()
	if l.used >= l.max {
		l.mu.Unlock()
		return errBudget
	}
	l.used++
	now := l.now()
	delay := time.Duration(0)
	if l.interval > 0 {
		if l.next.After(now) {
			delay = l.next.Sub(now)
			l.next = l.next.Add(l.interval)
		} else {
			l.next = now.Add(l.interval)
		}
	}
	l.mu.Unlock()
	if delay == 0 {
		return nil
	}
	return l.sleep(ctx, delay)
}

// sleepCtx waits d, or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
