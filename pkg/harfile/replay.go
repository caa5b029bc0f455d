package harfile

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/probe"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/weburl"
)

// ReplayOptions tune --replay.
type ReplayOptions struct {
	// Concurrency bounds the probes in flight (default 4).
	Concurrency int
	// Timeout bounds each probe, as for `check` (default probe.DefaultTimeout).
	Timeout time.Duration
	// SendActual allows the actual request of a state-changing method;
	// without it only the preflight is sent for those.
	SendActual bool
	// SendSecrets sends the file's Authorization, API keys, tokens and
	// secret query parameters as recorded; without it they go out as the
	// printed `corsdiag check` command shows them, [REDACTED].
	SendSecrets bool
	Insecure    bool
	// Routes are --resolve and --connect-to, as for `check`.
	Routes *probe.Routes
	// Transport is shared by every probe (default: probe.NewTransport with
	// Insecure and Routes), so replays to one host reuse connections the
	// way the browser's tab did.
	Transport http.RoundTripper
	// Profile sends and judges the replays; nil: each result's own (the
	// browser that judged the file).
	Profile *cors.Profile
	// FixFormat is --fix-format, for the platform's fix of what the replay
	// found.
	FixFormat string
	// Contact, when set, is called once per server (scheme://host:port)
	// before the first request to it goes out; redirect says no request
	// replayed so far names that server (a redirect the replay follows
	// leads there). The file is a stream: what later requests, or ones
	// not replayed, name is not known.
	Contact func(origin string, redirect bool)
}

// maxReplayCache bounds the live results a Replayer keeps to probe
// identical requests once: past it the oldest is forgotten (an identical
// request that far apart is probed again), so memory does not grow with
// the file.
const maxReplayCache = 1024

// Replayer sends, live, the blocked requests whose cause is not in the file, and
// keeps results in file order while probes run concurrently. Identical
// requests as sent (same method, URL, origin, headers, cookies) among the
// last maxReplayCache distinct ones are probed once.
type Replayer struct {
	ctx   context.Context
	opts  ReplayOptions
	emit  func(*Result) error
	sem   chan struct{}
	queue chan *future
	done  chan struct{}
	err   error

	mu    sync.Mutex
	cache map[string]*liveCall
	keys  []string                           // cache's keys, oldest first
	dead  map[string]*probe.UnreachableError // servers no connection reached
	own   *http.Transport                    // closed by Wait

	contactMu sync.Mutex
	named     map[string]bool // servers the file's requests name
	contacted map[string]bool // servers Contact was told of
}

// contactTransport tells Contact of each server before its first request.
type contactTransport struct {
	rt http.RoundTripper
	rp *Replayer
}

func (t contactTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.rp.contact(r.URL.Scheme+"://"+r.URL.Host, false)
	return t.rt.RoundTrip(r)
}

// contact records a server; named: a request of the file names it.
func (rp *Replayer) contact(origin string, named bool) {
	rp.contactMu.Lock()
	defer rp.contactMu.Unlock()
	if named {
		rp.named[origin] = true
		return
	}
	if !rp.contacted[origin] {
		rp.contacted[origin] = true
		rp.opts.Contact(origin, !rp.named[origin])
	}
}

type future struct {
	res  *Result
	done chan struct{}
}

type liveCall struct {
	once sync.Once
	res  *probe.Result
	err  error
}

// NewReplayer returns a Replayer that passes every result, replayed or
// not, to emit in the order Add received them.
func NewReplayer(ctx context.Context, opts ReplayOptions, emit func(*Result) error) *Replayer {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.Timeout <= 0 {
		opts.Timeout = probe.DefaultTimeout
	}
	var own *http.Transport
	if opts.Transport == nil {
		own = probe.NewTransport(opts.Insecure, opts.Routes)
		opts.Transport, opts.Routes = own, nil // the routes live in the transport
	}
	rp := &Replayer{own: own,
		ctx: ctx, opts: opts, emit: emit,
		sem:   make(chan struct{}, opts.Concurrency),
		queue: make(chan *future, 4*opts.Concurrency),
		done:  make(chan struct{}),
		cache: map[string]*liveCall{},
	}
	if opts.Contact != nil {
		rp.named, rp.contacted = map[string]bool{}, map[string]bool{}
		rp.opts.Transport = contactTransport{rt: opts.Transport, rp: rp}
	}
	go rp.drain()
	return rp
}

func (rp *Replayer) drain() {
	defer close(rp.done)
	for f := range rp.queue {
		<-f.done
		if rp.err == nil {
			rp.err = rp.emit(f.res)
		}
	}
}

// Add queues one result; it blocks when too many replays are pending.
func (rp *Replayer) Add(res *Result) error {
	f := &future{res: res, done: make(chan struct{})}
	// Only a request the browser blocked: one that failed for another
	// reason (aborted, an extension) is not the replay's to send.
	if res.Verdict == cors.Blocked && res.CauseSource == CauseUnknown && res.Reproduce != nil {
		go func() {
			defer close(f.done)
			rp.replay(res)
		}()
	} else {
		close(f.done)
	}
	select {
	case rp.queue <- f:
		return nil
	case <-rp.done:
		return rp.err
	}
}

// Wait waits for every queued result to be emitted.
func (rp *Replayer) Wait() error {
	close(rp.queue)
	<-rp.done
	if rp.own != nil {
		rp.own.CloseIdleConnections()
	}
	return rp.err
}

func (rp *Replayer) replay(res *Result) {
	// The replay sends and judges as the browser that judged the file,
	// unless the options name one.
	profile := rp.opts.Profile
	if profile == nil {
		profile = res.Profile
	}
	if profile == nil {
		profile = cors.Chromium
	}
	req, withheld := *res.Reproduce, []string(nil)
	// The file's cookies: the browser attached them, so only a
	// credentialed request carries them, on the actual request.
	cookie := ""
	if req.Credentials {
		cookie = res.ReproduceCookie
	}
	cookiesHeld := false
	if !rp.opts.SendSecrets {
		req, withheld = withoutSecrets(req)
		cookie, cookiesHeld = "", cookie != ""
	}
	// Identical as they go out: requests that differ only in a secret
	// held back are one request; ones that differ in their cookies not.
	key := CheckCommand(&req, profile, true) + "\x00" + cookie + "\x00" + profile.Name
	rp.mu.Lock()
	call := rp.cache[key]
	if call == nil {
		call = &liveCall{}
		rp.cache[key] = call
		rp.keys = append(rp.keys, key)
		if len(rp.keys) > maxReplayCache {
			// A probe still running keeps its own pointer.
			delete(rp.cache, rp.keys[0])
			rp.keys = rp.keys[1:]
		}
	}
	rp.mu.Unlock()
	// The server as the probe sends to it (the URL standard's form).
	server := ""
	if href, err := weburl.Request(req.URL); err == nil {
		if u, err := url.Parse(href); err == nil {
			server = u.Scheme + "://" + u.Host
		}
	}
	if rp.opts.Contact != nil && server != "" {
		rp.contact(server, true)
	}
	call.once.Do(func() {
		select {
		case rp.sem <- struct{}{}:
		case <-rp.ctx.Done():
			call.err = rp.ctx.Err()
			return
		}
		defer func() { <-rp.sem }()
		if ue := rp.unreachable(server); ue != nil {
			call.err = &probe.UnreachableError{URL: req.URL, Reason: ue.Reason + " (found by an earlier request to this server; this one was not sent)", Hint: ue.Hint, Err: ue.Err}
			return
		}
		call.res, call.err = probe.Run(rp.ctx, probe.Options{
			Request: req, Cookie: cookie, SendActual: rp.opts.SendActual, Timeout: rp.opts.Timeout,
			Insecure: rp.opts.Insecure, Routes: rp.opts.Routes, Transport: rp.opts.Transport, Profile: profile,
			// As much of a body as the file's answers keep: enough for
			// the platform's error text, and memory stays flat.
			MaxBody: DefaultBodyLimit,
		})
		// Before the semaphore is released: the replays waiting for it
		// to this server are not sent.
		rp.noteUnreachable(server, call.res, call.err)
	})
	applyLive(res, call.res, call.err, profile, rp.opts.FixFormat, withheldNote(withheld, cookiesHeld))
}

// unreachable is the error of a server that could not be reached at all
// (no connection: refused, no such host, a connect timeout), or nil.
func (rp *Replayer) unreachable(server string) *probe.UnreachableError {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	return rp.dead[server]
}

// noteUnreachable remembers server as unreachable when no connection
// could be made to it (refused, no such host, a connect timeout); an
// error after connecting (a slow answer, a reset) may be one path's, and
// is not remembered.
func (rp *Replayer) noteUnreachable(server string, res *probe.Result, err error) {
	var ue *probe.UnreachableError
	if server == "" || !errors.As(err, &ue) || !neverConnected(ue.Err, res) {
		return
	}
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.dead == nil {
		rp.dead = map[string]*probe.UnreachableError{}
	}
	if rp.dead[server] == nil {
		rp.dead[server] = ue
	}
}

// neverConnected: the dial failed, or the check's time ran out before
// any of its requests got a connection (a firewall that drops the SYNs:
// the check's timeout ends before the dialer's, and the transport then
// says only that the deadline passed).
func neverConnected(err error, res *probe.Result) bool {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return true
	}
	if !errors.Is(err, context.DeadlineExceeded) || res == nil || res.Exchange == nil {
		return false
	}
	ex := res.Exchange
	hops := ex.Actual
	if ex.Preflight != nil {
		hops = append([]cors.Hop{*ex.Preflight}, hops...)
	}
	for _, h := range hops {
		if h.RemoteAddress != "" { // GotConn: a connection was made
			return false
		}
	}
	return true
}

// withoutSecrets is req as the printed `corsdiag check` command shows it:
// secret header values and query parameters [REDACTED]. It also names
// what it held back.
func withoutSecrets(req cors.Request) (cors.Request, []string) {
	var withheld []string
	if u := redact.URL(req.URL); u != req.URL {
		if onWire(u) != onWire(req.URL) {
			withheld = append(withheld, "the URL's secrets")
		}
		req.URL = u
	}
	h := make(http.Header, len(req.Header))
	names := make([]string, 0, len(req.Header))
	for k, vs := range req.Header {
		nv := make([]string, len(vs))
		for i, v := range vs {
			nv[i] = redact.Value(k, v)
			if nv[i] != v && !slices.Contains(names, k) {
				names = append(names, k)
			}
		}
		h[k] = nv
	}
	slices.Sort(names)
	req.Header = h
	return req, append(names, withheld...)
}

// onWire is the part of a URL its request carries: not the fragment, nor
// the user name and password (the probe sends no Authorization built from
// them), so --send-secrets would not send those either.
func onWire(raw string) string {
	href, err := weburl.Request(raw)
	if err != nil {
		return raw
	}
	u, err := url.Parse(href)
	if err != nil {
		return href
	}
	u.User = nil
	return u.String()
}

// withheldNote says which of the file's secrets a replay did not send.
func withheldNote(withheld []string, cookies bool) string {
	var parts []string
	if n := len(withheld); n > 0 {
		list := withheld[0]
		if n > 1 {
			list = strings.Join(withheld[:n-1], ", ") + " and " + withheld[n-1]
		}
		parts = append(parts, "with "+list+" as [REDACTED]")
	}
	if cookies {
		parts = append(parts, "without the file's cookies")
	}
	if len(parts) == 0 {
		return ""
	}
	return " (sent " + strings.Join(parts, " and ") + "; --send-secrets sends the file's values)"
}

// notSentReason says why the live probe did not send the actual request.
func notSentReason(ex *cors.Exchange) string {
	if ex.ActualSkipped != "" {
		return ex.ActualSkipped
	}
	return "a state-changing request is sent only with --send-actual"
}

// applyLive merges what the live probe found into a result whose cause was
// not in the file.
func applyLive(res *Result, live *probe.Result, err error, p *cors.Profile, fixFormat, note string) {
	// What AnalyzeOptions.Prepare rendered no longer holds.
	res.Rendered = nil
	reported := res.Reported()
	if err != nil {
		var ue *probe.UnreachableError
		if errors.As(err, &ue) {
			f := cors.NetworkFinding(cors.CodeActualNetwork, "live", "replayed live: "+ue.Error(), ue.Reason)
			res.Findings = prependReported(res.Findings, f)
			res.CauseSource = CauseLive
			return
		}
		if reported != nil {
			reported.Message += "; the live replay failed: " + err.Error()
		}
		return
	}
	ex := live.Exchange
	if ex.Preflight == nil && len(ex.Actual) == 0 {
		// Nothing went out (a simple POST is judged on its own response,
		// which only --send-actual may fetch): nothing was learnt.
		if reported != nil {
			reported.Message += "; not replayed: " + notSentReason(ex)
		}
		return
	}
	d := p.Evaluate(ex)
	if d.Verdict != cors.Blocked {
		if reported != nil {
			switch {
			case len(ex.Actual) == 0:
				reported.Message += "; replayed live, the preflight now passes; the actual request was not sent (" + notSentReason(ex) + "), so whether its response passes the CORS check is not known"
			default:
				reported.Message += "; replayed live" + note + ", the server's answer now passes the CORS check (it may depend on cookies or state the replay does not have, or the server changed)"
			}
		}
		return
	}
	// The answers get check's analysis: the platform, its cause and fix.
	d.Findings = append(d.Findings, live.Findings...)
	rep := platform.Analyze(platform.Input{Exchange: ex, Diagnosis: d, ErrorPaths: live.ErrorPathHops(), FixFormat: fixFormat})
	rep.Apply(d)
	res.Platform = rep.Platform
	var found []cors.Finding
	for _, f := range d.Findings {
		if f.Severity == cors.SeverityError || f.Severity == cors.SeverityWarning {
			f.Message = "found live: " + f.Message
			if f.Step != "preflight" {
				// A preflight carries no credentials: what was held back
				// did not change its answer.
				f.Message += note
			}
			found = append(found, f)
		}
	}
	for i := range res.Findings {
		res.Findings[i].Reported = false
	}
	res.Findings = append(found, res.Findings...)
	res.Exchange = live.Exchange
	res.CauseSource = CauseLive
}
