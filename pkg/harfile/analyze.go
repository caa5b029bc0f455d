package harfile

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/probe"
	"github.com/corsdiag/corsdiag/pkg/weburl"
)

// DefaultBodyLimit is how much of a short response body Analyze keeps:
// enough for the error bodies platforms are recognised by (S3's
// CORSResponse, API Gateway's messages), as check sees them.
const DefaultBodyLimit = 4 << 10

// Failed is the verdict of a request that failed for a reason that is not
// CORS: an extension blocked it, TLS, DNS, the connection, an abort, mixed
// content, Local Network Access. It is listed apart and does not count as
// blocked.
const Failed cors.Verdict = "failed"

// Origin sources, in the order they are tried.
const (
	OriginFromHeader    = "origin-header"
	OriginFromPage      = "page"
	OriginFromInitiator = "initiator"
	OriginFromReferer   = "referer"
)

// Cause sources: where the cause of a blocked request came from.
const (
	CauseFromFile = "file"
	CauseLive     = "live"
	CauseUnknown  = "unknown"
)

// Result is the judgement of one cross-origin request in the file.
type Result struct {
	// Index is the entry's position in the file (the request's entry; for
	// a request only its preflight shows, the preflight's).
	Index        int
	Method       string
	URL          string
	Origin       string
	OriginSource string
	// CORSMode is false for cross-origin requests the browser does not
	// CORS-check (images, scripts, navigations: no-cors).
	CORSMode bool
	// Verdict is what the browser did, as recorded: allowed, blocked (by
	// CORS), or Failed (for another reason: FailReason).
	Verdict    cors.Verdict
	FailReason string
	// Platform is who answered, as check recognises it (nil when unknown).
	Platform *platform.Detection
	// Status and NetError are what the file recorded for the request.
	Status   int
	NetError string
	// PreflightIndex is the paired preflight's entry index, or -1;
	// PreflightStatus the status the file recorded for it (0 when none).
	PreflightIndex  int
	PreflightStatus int
	// OnlyPreflight: the file holds the preflight but not the request.
	OnlyPreflight bool
	Findings      []cors.Finding
	CauseSource   string
	// Exchange is what the engine judged; Reproduce is set when the cause is
	// not in the file (the request `corsdiag check` sends to find it).
	Exchange  *cors.Exchange
	Reproduce *cors.Request
	// ReproduceCookie is the cookies the browser attached to Reproduce's
	// request, as a Cookie header ("" when none): `har --replay
	// --send-secrets` sends them.
	ReproduceCookie string `json:"-"`
	// Profile is the browser that judged it (the file's, or --browser).
	Profile *cors.Profile `json:"-"`

	// Rendered is the caller's own per-result work, done on a worker by
	// AnalyzeOptions.Prepare (the har report keeps the encoded request
	// there); a replay, which changes the result, clears it.
	Rendered any
}

// Reported is the finding the browser reports, or nil.
func (r *Result) Reported() *cors.Finding {
	for i := range r.Findings {
		if r.Findings[i].Reported {
			return &r.Findings[i]
		}
	}
	return nil
}

// Summary counts the file.
type Summary struct {
	Entries int `json:"entries"`
	// Requests counts the requests the page made: entries that are not
	// preflights, plus one for each preflight whose request is not in the
	// file (the page still made it). CrossOrigin and UnknownOrigin are
	// parts of it.
	Requests    int `json:"requests"`
	Preflights  int `json:"preflights"`
	CrossOrigin int `json:"cross_origin"`
	CORS        int `json:"cors_requests"`
	Blocked     int `json:"blocked"`
	// Failed counts requests that failed for a reason that is not CORS
	// (verdict Failed); they are not in Blocked.
	Failed int `json:"failed"`
	// CauseUnknown counts blocked requests whose cause is not in the file.
	CauseUnknown int `json:"cause_unknown"`
	// UnknownOrigin counts requests whose page origin could not be found.
	UnknownOrigin int `json:"unknown_origin"`
	// NoURL counts requests whose entry holds no absolute URL (none, or
	// one without a scheme): nothing a browser requested, never judged.
	NoURL int `json:"no_url"`
	// ErrorPathProbes counts corsdiag's error-path probes (`check
	// --har-out`): not page requests, they add a finding to the request
	// they probe.
	ErrorPathProbes int `json:"error_path_probes"`
	// HeadersCut counts entries whose request or response had more than
	// MaxHeaders headers: the rest were not read, so a header past the
	// cap (an Origin) did not count.
	HeadersCut int `json:"headers_cut"`
	// Browser is the profile that judged the file and BrowserSource where
	// it came from (flag, creator, browser, user-agent, default).
	Browser       string `json:"browser"`
	BrowserSource string `json:"browser_source"`
	// LeavesOutFailed says the tool that wrote the file writes no entry
	// for a request that failed (chrome-har, Browsertime's Chrome files):
	// a request the browser blocked is not in it.
	LeavesOutFailed bool `json:"leaves_out_failed"`
}

// AnalyzeOptions tune Analyze.
type AnalyzeOptions struct {
	// Reader tunes the reader; a zero Reader.BodyLimit keeps the first
	// DefaultBodyLimit bytes of short bodies (platforms are recognised by
	// their error bodies), a negative one keeps none.
	Reader Options
	// Window is how many entries apart a preflight and its request may be
	// in the file (default 512). Memory is bounded by it.
	Window int
	// Profile judges the exchanges; nil judges with the browser the file
	// names (log.creator, log.browser, else the requests' User-Agent),
	// Chromium when it names none.
	Profile *cors.Profile
	// Workers judge entries in parallel (default GOMAXPROCS); results are
	// still emitted one at a time, in file order.
	Workers int
	// FixFormat picks the form of platform fixes, as check's --fix-format.
	FixFormat string
	// BriefAllowed says the caller reads only the verdict and identity
	// (index, method, URL, origin, CORS mode) of allowed requests, and
	// their allowed-despite-headers warning, as the text report does: they
	// are then not explained (no platform analysis, and no engine run at
	// all when the file's browser records failures, unless the server's
	// recorded answer may fail: see mayDisagree), which is most of the
	// work on a file of healthy traffic. Blocked and failed requests are
	// judged in full either way.
	BriefAllowed bool
	// NoRequestHeaders says the caller reads no hop's request headers
	// (the Request.Header of Result.Exchange's preflight and actual
	// hops), as the text and JSON reports do: they are then not built
	// (a map for every hop). The engine and
	// platform.Analyze read none; the HTML page and a replay do. The
	// author headers (Exchange.Request.Header) are built either way.
	NoRequestHeaders bool
	// Prepare, when set, is called on each result by the worker that
	// judged it, before emit: concurrently and in no particular order.
	// It lets the caller do per-result work (rendering) on every core.
	Prepare func(*Result)
}

// Analyze streams a HAR file and calls emit with the result of every
// cross-origin request, in file order. Preflights are paired with their
// request by URL, method (Access-Control-Request-Method) and nearest time
// within a window of entries, whichever comes first in the file. On a
// damaged file it returns the *SyntaxError after emitting the results of
// the entries before the damage.
func Analyze(src io.Reader, opts AnalyzeOptions, emit func(*Result) error) (Summary, *Log, error) {
	switch {
	case opts.Reader.BodyLimit == 0:
		opts.Reader.BodyLimit = DefaultBodyLimit
	case opts.Reader.BodyLimit < 0:
		opts.Reader.BodyLimit = 0
	}
	if opts.Window <= 0 {
		opts.Window = 512
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	rd := NewReader(src, opts.Reader)
	a := &analyzer{opts: opts, unpaired: map[string][]*pending{}, redirectTo: map[string][]*pending{}}
	a.pl = newPipeline(a, emit)

	// The reader runs ahead in its own goroutine, so scanning the file and
	// judging entries overlap. Each entry carries the pages read before it.
	type item struct {
		e                *Entry
		pages            []Page
		creator, browser Creator
	}
	items := make(chan item, 256)
	stop := make(chan struct{})
	readErr := make(chan error, 1)
	go func() {
		defer close(items)
		readErr <- rd.ReadEntries(func(e *Entry) error {
			select {
			case items <- item{e, rd.Log.Pages, rd.Log.Creator, rd.Log.Browser}:
				return nil
			case <-stop:
				return ErrStop
			}
		})
	}()
	var err error
	for it := range items {
		if err != nil {
			continue
		}
		a.pages = it.pages
		a.recorder(it.creator, it.browser, it.e)
		a.add(it.e)
		if a.pl.failed.Load() {
			err = errEmitFailed
			close(stop)
		}
	}
	if rerr := <-readErr; err == nil {
		err = rerr
	}
	if err == nil || isSyntax(err) {
		a.flush(0)
	}
	if eerr := a.pl.finish(); eerr != nil {
		err = eerr
	}
	a.sum.Entries = rd.Log.Entries
	if a.rec.Profile == nil {
		a.recorder(rd.Log.Creator, rd.Log.Browser, nil)
	}
	a.sum.Browser, a.sum.BrowserSource = a.rec.Profile.Name, a.rec.Source
	a.sum.LeavesOutFailed = a.rec.LeavesOutFailed
	a.sum.Blocked, a.sum.CauseUnknown, a.sum.Failed = a.pl.blocked, a.pl.causeUnknown, a.pl.failedN
	return a.sum, &rd.Log, err
}

// errEmitFailed stops reading when emit has failed; finish returns emit's
// own error in its place.
var errEmitFailed = errors.New("harfile: emit failed")

// pipeline judges entries on worker goroutines and emits the results in
// file order. The analyzer hands over jobs in batches (a channel operation
// per entry costs as much as judging a simple one); a batch goes to the
// workers and, in the same order, to the emitter, which waits for each
// batch to be judged. Bounded channels keep memory flat.
type pipeline struct {
	a       *analyzer
	emit    func(*Result) error
	work    chan *batch
	order   chan *batch
	cur     *batch
	workers sync.WaitGroup
	emitted chan struct{}
	failed  atomic.Bool
	err     error
	// Counted by the emitter, which alone sees the verdicts in order.
	blocked, causeUnknown, failedN int
}

const batchSize = 32

type batch struct {
	jobs  []job
	ready chan struct{}
}

// job is what a worker needs to judge one request, copied out of the
// window: the window's links (pair, next) keep changing as entries arrive.
type job struct {
	kind         jobKind
	e            *Entry
	origin       string
	originSource string
	// originHeader is the Origin header when it is not origin's
	// serialization (cors.Request's OriginHeader), else "".
	originHeader string
	corsMode     bool
	acrm         string
	// cookiesBefore: an earlier request of the same kind carried cookies,
	// so this one, without, was not credentialed (credentialsNotRecorded).
	cookiesBefore bool
	pair          *Entry     // the paired preflight's entry, or nil
	hops          []hopEntry // the redirect hops after e, in order
	errorPaths    []*Entry   // corsdiag's error-path probes of the request
	rec           Recorder   // the browser that judges it
	res           *Result
	// diag is the engine's judgement of res.Exchange, kept so that
	// explaining the result neither plans the request again nor
	// allocates another Diagnosis; nil when the engine did not judge it.
	diag *cors.Diagnosis
}

// hopEntry is a redirect hop's entry and the preflight the browser sent
// to its URL before following the redirect there (nil when none).
type hopEntry struct {
	e, preflight *Entry
}

type jobKind uint8

const (
	jobJudge jobKind = iota
	jobPreflightOnly
	jobNoCORS
)

func newPipeline(a *analyzer, emit func(*Result) error) *pipeline {
	n := a.opts.Workers
	pl := &pipeline{
		a: a, emit: emit,
		work:    make(chan *batch, 2*n),
		order:   make(chan *batch, 4*n),
		emitted: make(chan struct{}),
	}
	for i := 0; i < n; i++ {
		pl.workers.Add(1)
		go func() {
			defer pl.workers.Done()
			for b := range pl.work {
				for i := range b.jobs {
					j := &b.jobs[i]
					j.res = a.run(j)
					if a.opts.Prepare != nil && !pl.failed.Load() {
						a.opts.Prepare(j.res)
					}
				}
				close(b.ready)
			}
		}()
	}
	go func() {
		defer close(pl.emitted)
		for b := range pl.order {
			<-b.ready
			for i := range b.jobs {
				if pl.err != nil {
					break
				}
				res := b.jobs[i].res
				if res.Verdict == Failed {
					pl.failedN++
				}
				if res.Verdict == cors.Blocked {
					pl.blocked++
					if res.CauseSource == CauseUnknown {
						pl.causeUnknown++
					}
				}
				if err := pl.emit(res); err != nil {
					pl.err = err
					pl.failed.Store(true)
				}
			}
		}
	}()
	return pl
}

func (pl *pipeline) submit(j job) {
	if pl.cur == nil {
		pl.cur = &batch{jobs: make([]job, 0, batchSize), ready: make(chan struct{})}
	}
	pl.cur.jobs = append(pl.cur.jobs, j)
	if len(pl.cur.jobs) == batchSize {
		pl.send()
	}
}

func (pl *pipeline) send() {
	if pl.cur == nil {
		return
	}
	pl.order <- pl.cur
	pl.work <- pl.cur
	pl.cur = nil
}

// finish judges and emits what is left and returns emit's error.
func (pl *pipeline) finish() error {
	pl.send()
	close(pl.work)
	close(pl.order)
	pl.workers.Wait()
	<-pl.emitted
	return pl.err
}

func isSyntax(err error) bool {
	var se *SyntaxError
	return errors.As(err, &se)
}

type pending struct {
	e            *Entry
	origin       string
	originSource string
	originHeader string
	cross        bool
	corsMode     bool
	preflight    bool
	// pairable entries are indexed in unpaired: cross-origin entries, and
	// redirect hops (a tainted request is preflighted at any origin).
	pairable bool
	acrm     string
	pair     *pending
	// next and prev chain the hops of a redirected request: the browser
	// records each hop as an entry of its own.
	next, prev *pending
	// target is where a 3xx response points (redirectTarget), "" otherwise.
	target string
	// errorPaths are corsdiag's error-path probes of this request.
	errorPaths []*Entry
	// cookiesBefore: an earlier CORS request from the same page origin to
	// the same origin carried cookies.
	cookiesBefore bool
}

type analyzer struct {
	opts AnalyzeOptions
	// rec is the file's browser and whether its tool marks failures,
	// decided at the first entry (and by a later User-Agent when the
	// log names no browser).
	rec    Recorder
	recSet bool
	pages  []Page
	pl     *pipeline
	window []*pending
	sum    Summary
	// Indexes of the window, in window order, so that pairing and chaining
	// do not scan the whole window for every entry: unpaired cross-origin
	// entries by URL, and unfollowed redirects by target URL.
	unpaired   map[string][]*pending
	redirectTo map[string][]*pending
	// cookiePairs holds "page origin target origin" for the CORS requests
	// that carried cookies so far (at most maxCookiePairs).
	cookiePairs map[string]bool
}

// recorder settles the file's browser: the flag, else the log's creator
// and browser, else the first User-Agent that names one. Whether the tool
// marks failures always comes from the file.
func (a *analyzer) recorder(creator, browser Creator, e *Entry) {
	if a.recSet {
		return
	}
	ua := ""
	if e != nil {
		ua = e.Request.Header("User-Agent")
	}
	a.rec = detectRecorder(creator, browser, ua)
	a.recSet = a.rec.Source != BrowserDefault
	if a.opts.Profile != nil {
		a.rec.Profile, a.rec.Source = a.opts.Profile, BrowserFromFlag
	}
}

func (a *analyzer) add(e *Entry) {
	if e.IsErrorPathProbe() {
		a.sum.ErrorPathProbes++
		a.attachErrorPath(e)
		return
	}
	p := &pending{e: e, preflight: e.IsPreflight()}
	p.origin, p.originSource, p.originHeader = a.pageOrigin(e)
	if p.origin != "" {
		p.cross = p.origin != cors.OriginOf(e.Request.URL)
	}
	p.corsMode = p.preflight || isCORSMode(e)
	if p.preflight {
		p.acrm = cors.NormalizeMethod(strings.TrimSpace(e.Request.Header("Access-Control-Request-Method")))
	}
	if (p.corsMode || unsentHop(e)) && !p.preflight {
		a.chain(p)
	}
	if p.cross && p.corsMode && !p.preflight {
		a.noteCookies(p)
	}
	p.pairable = p.cross || p.prev != nil
	if p.pairable && p.corsMode {
		a.pairUp(p)
	}
	if p.pairable && p.pair == nil {
		a.unpaired[e.Request.URL] = append(a.unpaired[e.Request.URL], p)
	}
	if !p.preflight && e.Response.Status >= 300 && e.Response.Status <= 399 {
		if p.target = redirectTarget(e, a.rec.Profile); p.target != "" {
			a.redirectTo[p.target] = append(a.redirectTo[p.target], p)
		}
	}
	a.window = append(a.window, p)
	a.flush(a.opts.Window)
}

// attachErrorPath gives an error-path probe to the request it probes: the
// latest CORS request in the window from the same page origin to the same
// server (`check --har-out` writes the probes after the request). The
// probe's answer then shows as that request's error-responses-lack-cors
// warning, as in `check`; a probe with no such request is only counted.
func (a *analyzer) attachErrorPath(e *Entry) {
	origin, _, _ := a.pageOrigin(e)
	target := cors.OriginOf(e.Request.URL)
	for i := len(a.window) - 1; i >= 0; i-- {
		q := a.window[i]
		if q.prev != nil || !q.corsMode || q.origin != origin || cors.OriginOf(q.e.Request.URL) != target {
			continue
		}
		if q.preflight && q.pair != nil {
			q = q.pair
		}
		for q.prev != nil {
			// A redirect hop's preflight: the chain is judged at its head.
			q = q.prev
		}
		q.errorPaths = append(q.errorPaths, e)
		return
	}
}

// unindex removes p from an index list; the list is dropped when empty.
func unindex(idx map[string][]*pending, key string, p *pending) {
	list := idx[key]
	for i, q := range list {
		if q == p {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(idx, key)
	} else {
		idx[key] = list
	}
}

// pairUp pairs a preflight with its request (or a request with its
// preflight) among the unpaired entries in the window: same URL, the
// request's method is the preflight's Access-Control-Request-Method, and
// the nearest start time wins. A redirect hop pairs with the preflight
// Chromium sends to the new URL before following the redirect
// (cors_url_loader.cc FollowRedirect), so that preflight cannot have
// started before the hop that redirected.
func (a *analyzer) pairUp(p *pending) {
	var best *pending
	var bestGap float64
	for _, q := range a.unpaired[p.e.Request.URL] {
		if q.preflight == p.preflight {
			continue
		}
		pre, req := p, q
		if q.preflight {
			pre, req = q, p
		}
		if cors.NormalizeMethod(req.e.Request.Method) != pre.acrm {
			continue
		}
		if req.prev != nil && pre.e.Started.Before(req.prev.e.Started) {
			continue
		}
		gap := p.e.Started.Sub(q.e.Started).Seconds()
		if gap < 0 {
			gap = -gap
		}
		if best == nil || gap < bestGap {
			best, bestGap = q, gap
		}
	}
	if best != nil {
		p.pair, best.pair = best, p
		unindex(a.unpaired, best.e.Request.URL, best)
	}
}

// chain links p to the redirect it follows: the latest entry in the window
// whose 3xx response points at p's URL.
func (a *analyzer) chain(p *pending) {
	list := a.redirectTo[p.e.Request.URL]
	if len(list) == 0 {
		return
	}
	q := list[len(list)-1]
	q.next, p.prev = p, q
	unindex(a.redirectTo, q.target, q)
}

// redirected reports whether the recording ends at a redirect the browser
// p follows (Profile.IsRedirect): what it did next (a new preflight,
// another hop) is not in the file. A 3xx without Location is no redirect:
// the browser judged it as the answer; one with an empty Location is
// Firefox's redirect to the same URL.
func redirected(ex *cors.Exchange, p *cors.Profile) bool {
	last := ex.FinalResponse()
	return last != nil && p.IsRedirect(last)
}

// redirectTarget is the absolute URL a redirect entry points at, as the
// browser p reads it: a Location that is there but empty points at the
// entry's own URL where p follows one (Profile.IsRedirect).
func redirectTarget(e *Entry, p *cors.Profile) string {
	loc := e.Response.RedirectURL
	if loc == "" {
		loc = e.Response.Header("Location")
	}
	// A 304 is no redirect status: asked first, it builds no header.
	if loc == "" && (p == nil || !cors.IsRedirectStatus(e.Response.Status) ||
		!p.IsRedirect(&cors.Message{Status: e.Response.Status, Header: locationHeader(e)})) {
		return ""
	}
	base, err := url.Parse(e.Request.URL)
	if err != nil {
		return loc
	}
	ref, err := url.Parse(loc)
	if err != nil {
		return loc
	}
	return base.ResolveReference(ref).String()
}

// locationHeader is the entry's Location lines alone, for
// Profile.IsRedirect.
func locationHeader(e *Entry) http.Header {
	h := http.Header{}
	for _, nv := range e.Response.Headers {
		if strings.EqualFold(nv.Name, "Location") {
			h.Add("Location", nv.Value)
		}
	}
	return h
}

// flush finalizes entries until at most keep are left in the window.
func (a *analyzer) flush(keep int) {
	n := len(a.window) - keep
	if n <= 0 {
		return
	}
	for i, p := range a.window[:n] {
		if p.pairable && p.pair == nil {
			unindex(a.unpaired, p.e.Request.URL, p)
		}
		if p.target != "" && p.next == nil {
			unindex(a.redirectTo, p.target, p)
		}
		a.finalize(p)
		a.window[i] = nil
	}
	// Slide forward: append moves the window to a new array when this one
	// is used up, so each entry is copied about once, not once per entry
	// that follows it.
	a.window = a.window[n:]
}

// maxCookiePairs bounds cookiePairs: a file of a million origins must not
// grow memory.
const maxCookiePairs = 10000

// noteCookies sets p.cookiesBefore, and remembers p's origins when p
// carries cookies. A credentialed request carries the cookies the browser
// holds for its target and its page's site, so once one did, the same
// kind of request without cookies was not credentialed.
func (a *analyzer) noteCookies(p *pending) {
	key := p.origin + " " + cors.OriginOf(p.e.Request.URL)
	p.cookiesBefore = a.cookiePairs[key]
	if !p.cookiesBefore && hasCookies(p.e) && len(a.cookiePairs) < maxCookiePairs {
		if a.cookiePairs == nil {
			a.cookiePairs = map[string]bool{}
		}
		a.cookiePairs[key] = true
	}
}

// finalize counts an entry leaving the window and, when it is a
// cross-origin request to judge, hands it to the workers.
func (a *analyzer) finalize(p *pending) {
	if p.preflight {
		a.sum.Preflights++
	}
	if p.e.Request.HeadersDropped > 0 || p.e.Response.HeadersDropped > 0 {
		a.sum.HeadersCut++
	}
	if !p.preflight || p.pair == nil {
		// A preflight alone stands for the request it preceded.
		a.sum.Requests++
	}
	if p.prev != nil {
		// A redirect hop: judged with the request that started the chain.
		return
	}
	if !weburl.HasScheme(p.e.Request.URL) {
		a.sum.NoURL++
		return
	}
	if p.origin == "" {
		a.sum.UnknownOrigin++
		return
	}
	if !p.cross || (p.preflight && p.pair != nil) {
		return
	}
	if !p.preflight {
		a.sum.CrossOrigin++
		if p.corsMode {
			a.sum.CORS++
		}
	}
	j := job{e: p.e, origin: p.origin, originSource: p.originSource, originHeader: p.originHeader, corsMode: p.corsMode, acrm: p.acrm, errorPaths: p.errorPaths, rec: a.rec, cookiesBefore: p.cookiesBefore}
	switch {
	case p.preflight:
		// The preflight's request is counted as one cross-origin request.
		a.sum.CrossOrigin++
		a.sum.CORS++
		j.kind = jobPreflightOnly
	case !p.corsMode:
		j.kind = jobNoCORS
	default:
		j.kind = jobJudge
		if p.pair != nil {
			j.pair = p.pair.e
		}
		for q := p.next; q != nil; q = q.next {
			h := hopEntry{e: q.e}
			if q.pair != nil {
				h.preflight = q.pair.e
			}
			j.hops = append(j.hops, h)
		}
	}
	a.pl.submit(j)
}

// run judges one job; it runs on a worker and reads only the job.
func (a *analyzer) run(j *job) *Result {
	var res *Result
	switch j.kind {
	case jobPreflightOnly:
		res = a.judgePreflightOnly(j)
	case jobNoCORS:
		res = a.judgeNoCORS(j)
	default:
		res = a.judge(j)
	}
	paths := errorPaths(j.errorPaths)
	if f, ok := probe.ErrorPathFinding(paths); ok {
		res.Findings = append(res.Findings, f)
	}
	if len(paths) > 0 && res.Exchange != nil {
		// As check does with the same probes: a browser that sends no
		// third-party cookies blocks what fails without them.
		d := cors.Diagnosis{Verdict: res.Verdict, Findings: res.Findings}
		probe.AddCrossSiteCookies(j.rec.Profile, res.Exchange, paths, &d)
		res.Verdict, res.Findings = d.Verdict, d.Findings
	}
	a.explain(j, res)
	return res
}

// explain gives res what check gives the same answers: the platform that
// answered and its cause and fix (platform.Analyze, Report.Apply), and it
// sets apart failures that are not CORS.
func (a *analyzer) explain(j *job, res *Result) {
	if ex := res.Exchange; ex != nil && (res.Verdict == cors.Blocked || !a.opts.BriefAllowed) {
		d := j.diag
		if d == nil {
			d = &cors.Diagnosis{Plan: j.rec.Profile.PlanRequest(&ex.Request)}
		}
		// The judgement's plan, with the result's verdict and findings.
		*d = cors.Diagnosis{Verdict: res.Verdict, Plan: d.Plan, Findings: res.Findings}
		rep := platform.Analyze(platform.Input{Exchange: ex, Diagnosis: d, ErrorPaths: a.errorPathHops(j), FixFormat: a.opts.FixFormat})
		rep.Apply(d)
		res.Findings, res.Platform = d.Findings, rep.Platform
		if res.Verdict != cors.Blocked {
			// What the browser let through has no blocking cause.
			res.Findings = dropErrors(res.Findings)
		}
	}
	if reason := notCORS(res); reason != "" && res.Verdict == cors.Blocked {
		res.Verdict, res.FailReason = Failed, reason
		if reason == dataURLFailure || reason == blobURLFailure {
			// The URL says why: no `corsdiag check` can send it.
			res.Reproduce, res.CauseSource = nil, CauseFromFile
		}
	}
}

// Why a data: or blob: URL failed: Fetch §scheme fetch reads them without
// CORS (and never over the network), so the failure is not a CORS one.
const (
	dataURLFailure = "a data: URL, read without CORS (a malformed data: URL, or the page's Content Security Policy)"
	blobURLFailure = "a blob: URL, read without CORS (a revoked or unknown blob: URL, or a method other than GET)"
)

// notCORSChecked is the fail reason of a request the browser did not
// CORS-check (an image, a script, a navigation) that failed with no
// reason the file records.
const notCORSChecked = "failed without a recorded reason, and not CORS-checked"

// notCORSCheckedOther is that reason where the file records a network
// error corsdiag does not name (net::ERR_TOO_MANY_REDIRECTS on an image).
const notCORSCheckedOther = "failed with a network error corsdiag does not name, and not CORS-checked"

// notCORS names why a failed request failed when that is not CORS, or "".
func notCORS(res *Result) string {
	rep := res.Reported()
	if rep == nil {
		return ""
	}
	netErr := res.NetError
	if ex := res.Exchange; ex != nil {
		if ex.Preflight != nil && ex.Preflight.NetError != "" {
			netErr = ex.Preflight.NetError
		}
		for _, h := range ex.Actual {
			if h.NetError != "" {
				netErr = h.NetError
			}
		}
	}
	switch rep.Code {
	case cors.CodeLocalNetworkInsecure, cors.CodeLocalNetworkPermission:
		return "Local Network Access"
	case cors.CodeMixedContent:
		return "mixed content"
	case cors.CodeActualNetwork, cors.CodePreflightNetwork:
		kind := cors.NetErrorKind(netErr)
		if kind == "" && !res.CORSMode {
			// On a request the browser never CORS-checked a failure cannot
			// be CORS. Chrome's bare net::ERR_FAILED names no reason.
			if netErr == "" || isCORSFailureText(netErr) {
				return notCORSChecked
			}
			return notCORSCheckedOther
		}
		// On a CORS request, redirect failures (ERR_TOO_MANY_REDIRECTS,
		// ERR_INVALID_REDIRECT) and unknown ones stay with CORS: the
		// server's answers caused them.
		return kind
	case CodeCauseNotInFile:
		switch scheme, _, _ := strings.Cut(res.URL, ":"); strings.ToLower(scheme) {
		case "data":
			return dataURLFailure
		case "blob":
			return blobURLFailure
		}
		// A recorded failure the engine could not judge: an abort, or a
		// network error the exporter wrote as text.
		return cors.NetErrorKind(netErr)
	}
	return ""
}

// errorPathHops are the answers of j's error-path probes (check --har-out
// files), for the platform analysis check runs on them too.
func (a *analyzer) errorPathHops(j *job) []cors.Hop {
	var hops []cors.Hop
	for _, e := range j.errorPaths {
		if h, ok := a.hopOf(e); ok && h.Response != nil {
			hops = append(hops, *h)
		}
	}
	return hops
}

// errorPaths are the answers of check's error-path probes, as probe has
// them: what its error-path and cookie findings are made from.
func errorPaths(probes []*Entry) []probe.ErrorPath {
	var paths []probe.ErrorPath
	for _, e := range probes {
		if e.Failed() {
			continue
		}
		purpose := probe.PurposeUnknownPath
		if strings.TrimSpace(strings.TrimPrefix(e.Purpose, errorPathPurpose)) == probe.PurposeWithoutCredentials {
			purpose = probe.PurposeWithoutCredentials
		}
		resp := &cors.Message{Status: e.Response.Status, StatusText: e.Response.StatusText, Header: HTTPHeader(e.Response.Headers)}
		paths = append(paths, probe.ErrorPath{Purpose: purpose, Hop: cors.Hop{Response: resp}})
	}
	return paths
}

func (a *analyzer) newResult(j *job) *Result {
	res := a.resultOf(j)
	return &res
}

// resultOf is the result of j before judging: what the file recorded.
func (a *analyzer) resultOf(j *job) Result {
	e := j.e
	return Result{
		Index: e.Index, Method: e.Request.Method, URL: e.Request.URL,
		Origin: j.origin, OriginSource: j.originSource, CORSMode: j.corsMode,
		Status: e.Response.Status, NetError: e.Response.Error,
		PreflightIndex: -1, CauseSource: CauseFromFile, Verdict: cors.Allowed,
		Profile: j.rec.Profile,
	}
}

// judged is a judged result with its exchange and the exchange's one hop
// (the request's, or the preflight's when only that is recorded), in one
// allocation instead of four: they live and die together.
type judged struct {
	res  Result
	ex   cors.Exchange
	hop  [1]cors.Hop
	resp cors.Message // hop[0]'s response
}

func (a *analyzer) newJudged(j *job) *judged {
	jd := &judged{res: a.resultOf(j)}
	jd.res.Exchange = &jd.ex
	return jd
}

// judge recomputes the cause of one CORS-mode request from the recorded
// headers, as the browser would have, and takes the verdict from what the
// browser recorded.
func (a *analyzer) judge(j *job) *Result {
	e := j.e
	// A check --har-out file's probes can still block it (third-party
	// cookies): such a request is judged in full.
	if a.opts.BriefAllowed && j.rec.RecordsFailures && len(j.errorPaths) == 0 && !recordedBlockedChain(j) && !mayDisagree(j) {
		// The browser recorded no failure, so it let the request through,
		// and the server's answer passes or is not in the file: the
		// verdict is all the caller reads.
		res := a.newResult(j)
		if j.pair != nil {
			res.PreflightIndex = j.pair.Index
		}
		return res
	}
	req := cors.Request{
		Method: e.Request.Method, URL: e.Request.URL, Origin: j.origin, OriginHeader: j.originHeader,
		Initiator: initiatorAPI(e),
	}
	// Replayed and reproduced as judged: a web font's Cookie left out.
	setCredentials(&req, e)
	req.Header = authorHeaders(e.Request.Headers, j.pair)
	// A recorded preflight is one the browser sent, also for a request its
	// method and headers would not need one for (an XMLHttpRequest upload
	// listener sets the use-CORS-preflight flag).
	req.ForcePreflight = j.pair != nil
	jd := a.newJudged(j)
	res, ex := &jd.res, &jd.ex
	ex.Request = req
	causeKnown := true
	// unanswered is what the file records no answer for where the cause
	// is not known, when not e itself: cause-not-in-file names it.
	var unanswered *Entry
	unansweredWhat := ""
	if j.pair != nil {
		res.PreflightIndex, res.PreflightStatus = j.pair.Index, j.pair.Response.Status
		hop, known := a.hopOf(j.pair)
		if known {
			ex.Preflight = hop
		} else {
			causeKnown = false
			unanswered, unansweredWhat = j.pair, "its preflight"
		}
	}
	blocked := false
	last := e // the last entry judged
	for i := -1; i < len(j.hops); i++ {
		q := e
		if i >= 0 {
			q = j.hops[i].e
			if pre := j.hops[i].preflight; pre != nil {
				// The preflight of the new URL belongs to the redirect
				// that points there: the engine judges it before the hop.
				blocked = blocked || recordedBlocked(pre)
				pf, known := a.hopOf(pre)
				if !known {
					causeKnown = false
					unanswered, unansweredWhat = pre, "the preflight sent before following its redirect"
					break
				}
				ex.Actual[len(ex.Actual)-1].RedirectPreflight = pf
			}
		}
		blocked = blocked || recordedBlocked(q)
		if !hopKnown(q) {
			causeKnown = false
			unanswered, unansweredWhat = nil, ""
			if i >= 0 {
				unanswered, unansweredWhat = q, "the request its redirect led to"
			}
			break
		}
		resp := &jd.resp
		switch {
		case len(j.hops) == 0:
			ex.Actual = jd.hop[:0:1]
		case ex.Actual == nil:
			ex.Actual = make([]cors.Hop, 0, len(j.hops)+1)
		default:
			resp = new(cors.Message)
		}
		// Built in place: a hop is too big to build and copy.
		ex.Actual = append(ex.Actual, cors.Hop{})
		fillHop(&ex.Actual[len(ex.Actual)-1], resp, q, !a.opts.NoRequestHeaders)
		last = q
	}
	d := j.rec.Profile.Evaluate(ex)
	var stoppedAt *Entry // the redirect the browser stopped at, marked
	switch {
	case !blocked || d.Verdict == cors.Blocked:
	case causeKnown && j.rec.RecordsFailures && recordedBlocked(last) && redirected(ex, j.rec.Profile):
		// Chromium marks the redirect it stopped at on the 3xx entry
		// itself, for a failed CORS check and for fetch()'s redirect:
		// 'error' alike (Chromium 156: redirect-hop-credentials-star,
		// redirect-mode-error): the credentialed retry below would blame
		// the headers for either. The finding names what fits.
		stoppedAt = last
	case !req.Credentials && (causeKnown || ex.Preflight != nil) && !redirected(ex, j.rec.Profile):
		// Exports leave cookies out, so a credentialed request can look
		// uncredentialed. If the recorded headers fail only with
		// credentials, that is what the browser judged.
		if cred, dc := credentialed(ex, j.rec.Profile); dc.Verdict == cors.Blocked {
			d, ex, req = dc, cred, cred.Request
			if f := &d.Findings[0]; f.Reported {
				f.Message += credentialedNote(&req, "")
			}
		}
	case !req.Credentials && !j.cookiesBefore && unsentPastRedirect(j, unanswered) && redirected(ex, j.rec.Profile):
		// Firefox did not send the request its redirect led to, so it
		// stopped at the redirect, whose headers the file holds: if they
		// fail only with credentials, the request had them. Not if the
		// answers it took before (its preflight) fail with them too.
		if cred, dc := credentialed(ex, j.rec.Profile); dc.Verdict == cors.Blocked && passesBeforeLast(cred, j.rec.Profile) {
			d, ex, req = dc, cred, cred.Request
			causeKnown = true
			if f := &d.Findings[0]; f.Reported {
				f.Message += credentialedNote(&req, j.rec.Profile.Display)
			}
		}
	}
	if !j.rec.RecordsFailures && !blocked && causeKnown && d.Verdict == cors.Blocked {
		// Firefox and Safari export a request blocked on its response
		// with its real status and headers and no failure marker: the
		// headers decide, as they did in the browser.
		blocked = true
	}
	plan := d.Plan
	j.diag = d
	if plan.Preflight && j.pair == nil && !plan.Forbidden && !plan.URLCredentials {
		ex.PreflightMissing = true
	}
	res.Exchange = ex
	res.Findings = d.Findings
	if ex.PreflightMissing {
		res.Findings = append(res.Findings, preflightNotRecorded(&plan, &req))
	}
	switch {
	case !blocked:
		// The browser let it through: errors the engine finds in the
		// recorded headers mean the recording is not the whole story (a
		// no-cors request, stripped headers), not that the browser blocked,
		// unless they are the server's own answer (allowedDespiteHeaders).
		despite, warn := allowedDespiteHeaders(j, ex, d)
		res.Findings = dropErrors(res.Findings)
		if warn {
			res.Findings = append(res.Findings, despite)
		}
		if f, ok := credentialsNotRecorded(j, ex); ok {
			res.Findings = append(res.Findings, f)
		}
	case d.Verdict == cors.Blocked:
		res.Verdict = cors.Blocked
	default:
		res.Verdict = cors.Blocked
		res.CauseSource = CauseUnknown
		// A copy: req itself stays on the stack for the requests that
		// need no reproducing, most of them.
		rep := req
		res.Reproduce = &rep
		res.ReproduceCookie = recordedCookie(e)
		f := causeNotInFile(e, unanswered, unansweredWhat, causeKnown)
		if stoppedAt != nil {
			f = stoppedAtRedirect(stoppedAt, ex, j.rec.Profile)
		}
		res.Findings = prependReported(res.Findings, f)
	}
	return res
}

// allowedDespiteHeaders warns, for a file that marks failures (Chrome's
// DevTools), about a request the browser let through although the server's
// answer in the file fails a check on its CORS headers. DevTools records
// the headers the server sent (Network.responseReceivedExtraInfo), not
// those an extension's declarativeNetRequest rule added, and with
// --disable-web-security nothing is checked (both seen on Chromium 156):
// this browser did not judge what the server sent, and others block it.
// The engine's reported finding is the reason; the verdict stays allowed.
func allowedDespiteHeaders(j *job, ex *cors.Exchange, d *cors.Diagnosis) (cors.Finding, bool) {
	if !j.rec.RecordsFailures || d.Verdict != cors.Blocked || redirected(ex, j.rec.Profile) || !serverAnswered(j) {
		return cors.Finding{}, false
	}
	rep := d.Reported()
	if rep == nil || !cors.IsHeaderCheck(rep.Code) {
		return cors.Finding{}, false
	}
	// With --browser the judge is not the browser that made the file.
	who := j.rec.Profile.Display
	if j.rec.Source == BrowserFromFlag {
		who = "the browser that recorded the file"
	}
	f := cors.NewFinding(CodeAllowedDespiteHeaders, rep.Step, fmt.Sprintf(
		"%s let this request through, but the server's answer in the file fails the CORS check: %s (%s); the file holds the headers the server sent, so that browser changed the answer or skipped the check (an extension such as \"Allow CORS\" adds the header; --disable-web-security skips the check), and browsers without that block the request",
		who, rep.Message, rep.Code))
	f.Fix = "Fix the server as " + string(rep.Code) + " says: " + rep.Fix +
		" Then load the page in a browser profile without extensions to see what other users get."
	return f, true
}

// serverAnswered reports whether every entry judged for j holds what the
// server sent as DevTools records it: the request's own Origin header, and
// a response with headers from a server address (a service worker's answer
// has none) that DevTools does not mark as a service worker's or the
// memory cache's (a memory-cache hit keeps the server's address: seen on
// Chromium 156) and is not a 304 (DevTools records the 304's own headers;
// the browser checks the cached response they revalidate).
func serverAnswered(j *job) bool {
	if j.originSource != OriginFromHeader || !fromServer(j.e) || j.pair != nil && !fromServer(j.pair) {
		return false
	}
	for _, h := range j.hops {
		if !fromServer(h.e) || h.preflight != nil && !fromServer(h.preflight) {
			return false
		}
	}
	return true
}

func fromServer(e *Entry) bool {
	return e.ServerIP != "" && !e.Response.FromServiceWorker && e.FromCache != fromMemoryCache &&
		e.Response.Status != http.StatusNotModified && len(e.Response.Headers) > 0
}

// fromMemoryCache is DevTools' `_fromCache` for Blink's memory cache; a
// disk-cache hit ("disk") passes the network service's CORS check as the
// server's answer does.
const fromMemoryCache = "memory"

// mayDisagree reports whether allowedDespiteHeaders may warn about a
// request the browser let through: the file holds the server's answers
// and they fail the checks the engine makes of their CORS headers (a
// redirect chain is not screened). The text report judges only those in
// full.
func mayDisagree(j *job) bool {
	if !serverAnswered(j) {
		return false
	}
	if len(j.hops) > 0 {
		return true
	}
	e := j.e
	req := cors.Request{Method: e.Request.Method, URL: e.Request.URL, Origin: j.origin, OriginHeader: j.originHeader}
	setCredentials(&req, e) // as judge has it
	// The lines the checks read, as judge's messages hold them (kept on
	// the stack: an answer holds one line of each at most, as a rule).
	var buf [6]string
	rh := e.Response.Headers
	if !cors.AccessAllowed(headerLines(buf[0:0:1], rh, cors.HeaderAllowOrigin), headerLines(buf[1:1:2], rh, cors.HeaderAllowCredentials), &req) {
		return true
	}
	pre := j.pair
	if pre == nil {
		return false
	}
	if pre.Response.Status < 200 || pre.Response.Status > 299 {
		return true
	}
	// The method and unsafe headers the browser asked the preflight for:
	// what the engine plans from the recorded request.
	method := cors.NormalizeMethod(strings.TrimSpace(pre.Request.Header("Access-Control-Request-Method")))
	unsafe := splitList(pre.Request.Header("Access-Control-Request-Headers"))
	ph := pre.Response.Headers
	return !j.rec.Profile.PreflightAllowed(
		headerLines(buf[2:2:3], ph, cors.HeaderAllowOrigin), headerLines(buf[3:3:4], ph, cors.HeaderAllowCredentials),
		headerLines(buf[4:4:5], ph, cors.HeaderAllowMethods), headerLines(buf[5:5:6], ph, cors.HeaderAllowHeaders),
		method, unsafe, &req)
}

// headerLines appends to dst the values of hs's lines named name.
func headerLines(dst []string, hs []Header, name string) []string {
	for i := range hs {
		if strings.EqualFold(hs[i].Name, name) {
			dst = append(dst, hs[i].Value)
		}
	}
	return dst
}

// recordedBlockedChain is judge's "blocked" without building the hops:
// whether the browser recorded a failure on the request, its redirect hops
// or their preflights, up to the first hop whose answer is not recorded.
func recordedBlockedChain(j *job) bool {
	for i := -1; i < len(j.hops); i++ {
		q := j.e
		if i >= 0 {
			q = j.hops[i].e
			if pre := j.hops[i].preflight; pre != nil {
				if recordedBlocked(pre) {
					return true
				}
				if !hopKnown(pre) {
					return false
				}
			}
		}
		if recordedBlocked(q) {
			return true
		}
		if !hopKnown(q) {
			return false
		}
	}
	return false
}

// judgePreflightOnly diagnoses a request from its preflight alone: the file
// has the OPTIONS exchange but not the request it guarded.
func (a *analyzer) judgePreflightOnly(j *job) *Result {
	e := j.e
	jd := a.newJudged(j)
	res, ex := &jd.res, &jd.ex
	res.Method = j.acrm
	res.OnlyPreflight = true
	res.PreflightIndex, res.PreflightStatus = e.Index, e.Response.Status
	names := splitList(e.Request.Header("Access-Control-Request-Headers"))
	req := cors.Request{Method: j.acrm, URL: e.Request.URL, Origin: j.origin, OriginHeader: j.originHeader, Header: make(http.Header, len(names)),
		Credentials: e.Credentials}
	// Header.Set, with one backing array for the values.
	vals := make([]string, len(names))
	for i, name := range names {
		vals[i] = placeholderValue(name)
		req.Header[http.CanonicalHeaderKey(name)] = vals[i : i+1 : i+1]
	}
	ex.Request = req
	// The engine reads no request headers of a hop, and a brief caller no
	// exchange of an allowed result: the preflight's request headers, most
	// of the work of its hop, wait until the request turns out blocked.
	later := a.opts.BriefAllowed
	if hopKnown(e) {
		ex.Preflight = &jd.hop[0]
		fillHop(ex.Preflight, &jd.resp, e, !later && !a.opts.NoRequestHeaders)
	}
	d := j.rec.Profile.Evaluate(ex)
	j.diag = d
	only := cors.NewFinding(CodeOnlyPreflightRecorded, "preflight",
		"only the preflight is in the file: the browser never sent the "+j.acrm+" request (or the recording does not hold it), so it is diagnosed from the preflight alone")
	res.Findings = append(d.Findings, only)
	switch {
	case d.Verdict == cors.Blocked:
		res.Verdict = cors.Blocked
	case recordedBlocked(e):
		res.Verdict = cors.Blocked
		res.CauseSource = CauseUnknown
		res.Reproduce = &req
		res.Findings = prependReported(res.Findings, causeNotInFile(e, nil, "", false))
	default:
		res.Status = 0
		res.Findings = dropErrors(res.Findings)
	}
	if later && !a.opts.NoRequestHeaders && ex.Preflight != nil && res.Verdict == cors.Blocked {
		ex.Preflight.Request.Header, ex.Preflight.Request.CanonicalKeys = httpHeader(e.Request.Headers)
	}
	return res
}

// judgeNoCORS handles a cross-origin request the browser did not CORS-check
// (an image, a script, a navigation): only a recorded failure matters.
func (a *analyzer) judgeNoCORS(j *job) *Result {
	e := j.e
	res := a.newResult(j)
	if !recordedBlocked(e) {
		return res
	}
	res.Verdict = cors.Blocked
	msg := fmt.Sprintf("the request failed (status %d) and the browser recorded no reason", e.Response.Status)
	if e.Response.Error != "" {
		msg = "the request failed: " + e.Response.Error
	} else {
		res.CauseSource = CauseUnknown
	}
	f := cors.NetworkFinding(cors.CodeActualNetwork, "actual", msg+"; this request was not CORS-checked (no-cors mode), so the failure is not a CORS error", e.Response.Error)
	f.Reported = true
	res.Findings = []cors.Finding{f}
	return res
}

// recordedBlocked reports whether the browser recorded a failure: no
// response, status 0 or -1, or a CORS error text with any status.
func recordedBlocked(e *Entry) bool {
	return e.Failed() || isCORSFailureText(e.Response.Error)
}

func isCORSFailureText(s string) bool {
	return strings.Contains(s, "ERR_FAILED") || strings.Contains(strings.ToLower(s), "cors") ||
		strings.Contains(s, "Access-Control-Allow-Origin")
}

// isNetworkError reports whether the recorded error is a failure below
// CORS (DNS, TLS, refused, offline, blocked by an extension) rather than
// the bare net::ERR_FAILED Chrome records for a CORS failure.
func isNetworkError(s string) bool {
	return s != "" && !isCORSFailureText(s) && s != "net::ERR_ABORTED"
}

// hopOf turns an entry into a hop. known is false when the browser failed
// the request without recording why (status 0, no headers, no net error):
// then the hop would say nothing true.
func (a *analyzer) hopOf(e *Entry) (*cors.Hop, bool) {
	if !hopKnown(e) {
		return nil, false
	}
	// The hop and its response in one allocation.
	hr := new(struct {
		hop  cors.Hop
		resp cors.Message
	})
	fillHop(&hr.hop, &hr.resp, e, !a.opts.NoRequestHeaders)
	return &hr.hop, true
}

// fillHop is hopOf into a zero hop, for an entry whose hop is known, and
// into resp (a zero message) for its response; the request's headers are
// left out unless requestHeaders is set.
func fillHop(h *cors.Hop, resp *cors.Message, e *Entry, requestHeaders bool) {
	if requestHeaders {
		h.Request = message(e.Request.Headers)
	}
	h.Started = e.Started
	// Chrome's serverIPAddress ("127.0.0.1", "[::1]"): what Local Network
	// Access judges.
	h.RemoteAddress = e.ServerIP
	h.Request.Method, h.Request.URL = e.Request.Method, e.Request.URL
	switch {
	case !e.Failed():
		h.Protocol = e.Response.HTTPVersion
		*resp = message(e.Response.Headers)
		resp.Status, resp.StatusText = e.Response.Status, e.Response.StatusText
		if len(e.Response.Content.Text) > 0 {
			resp.Body = e.Response.Content.Text
			resp.BodyTruncated = e.Response.Content.TextSize > len(e.Response.Content.Text)
		}
		h.Response = resp
	case isNetworkError(e.Response.Error):
		h.NetError = e.Response.Error
	default:
		// Some exporters keep the headers of a response the browser
		// rejected but write status 0; judge the headers.
		*resp = message(e.Response.Headers)
		resp.Status = 200
		h.Response = resp
	}
}

// Why a request the file shows without cookies was credentialed: only a
// request with them (the initiator's word for them, %s) fails on the
// headers judged; past a redirect the browser did not follow (its name,
// %s), those are the redirect's.
const (
	credentialedNoteFormat   = " (the file shows no cookies, but %sonly a request with %s fails on %s headers, so it was credentialed)"
	unsentRedirectNoteFormat = "%s did not send the request this redirect led to, and "
)

// credentialedNote is the note a finding gets when the file shows req
// without cookies but only a request with credentials fails; unsentBy
// names the browser when it stopped at a redirect, else "".
func credentialedNote(req *cors.Request, unsentBy string) string {
	why, whose := "", "these"
	if unsentBy != "" {
		why, whose = fmt.Sprintf(unsentRedirectNoteFormat, unsentBy), "its"
	}
	return fmt.Sprintf(credentialedNoteFormat, why, cors.InitiatorOf(req).Credentials, whose)
}

// hopKnown reports whether the file records what became of the request:
// a response, a network error below CORS, or the headers of a response
// the browser rejected.
func hopKnown(e *Entry) bool {
	return !e.Failed() || isNetworkError(e.Response.Error) || (len(e.Response.Headers) > 0 && e.Response.Status == 0)
}

// causeNotInFile is the finding of a request e the browser blocked for a
// reason the file does not hold: no answer recorded for e, or for
// unanswered (what it is to e: its preflight, a redirect's hop), or only
// headers that pass.
func causeNotInFile(e, unanswered *Entry, unansweredWhat string, headersRecorded bool) cors.Finding {
	what := "records no response headers for it"
	if unanswered != nil {
		what = "records no response headers for " + unansweredWhat + " (" + recordedStatus(unanswered) + ")"
	}
	if headersRecorded {
		what = "records response headers that would pass the CORS check, so the recording does not show the answer the browser judged"
	}
	f := cors.NewFinding(CodeCauseNotInFile, "actual",
		"the browser blocked this request ("+recordedStatus(e)+") but the file "+what+"; the cause is not in the file")
	return f
}

// unsentPastRedirect reports whether u, the redirect hop of j the file
// holds no answer for, is the browser's entry for a request it did not
// send after a redirect (Recorder.ListsUnsentAfterRedirect: Firefox's):
// status 0, no response headers, no error text, and no
// Origin (Firefox ESR 153.8 writes one, in some runs, where the redirect
// failed the CORS check: redirect-hop-credentials-star,
// redirect-hop-credentials-no-acac; none for fetch()'s redirect: 'error',
// whose redirect it also does not follow). A request its preflight stopped
// has its Origin.
func unsentPastRedirect(j *job, u *Entry) bool {
	if u == nil || u == j.pair || j.rec.RecordsFailures || !j.rec.ListsUnsentAfterRedirect {
		return false
	}
	for _, h := range j.hops {
		if h.preflight == u {
			return false
		}
	}
	return u.Response.Status == 0 && len(u.Response.Headers) == 0 && u.Response.Error == "" && u.Request.Header("Origin") == ""
}

// passesBeforeLast reports whether p lets ex's request through the
// answers before its last hop: the preflight and the earlier redirects.
func passesBeforeLast(ex *cors.Exchange, p *cors.Profile) bool {
	before := *ex
	before.Actual = ex.Actual[:len(ex.Actual)-1]
	return p.Evaluate(&before).Verdict != cors.Blocked
}

// stoppedAtRedirect is cause-not-in-file for a request the browser stopped
// at the redirect at, which the file holds and whose headers pass the CORS
// check of ex: it names what fits, credentials the export left out when
// the headers fail with them, and fetch()'s redirect: 'error', which a HAR
// does not record.
func stoppedAtRedirect(at *Entry, ex *cors.Exchange, p *cors.Profile) cors.Finding {
	in := cors.InitiatorOf(&ex.Request)
	msg := "the browser blocked this request at the redirect the file records (" + recordedStatus(at) +
		"), whose headers pass the CORS check"
	sep := ": "
	if !ex.Request.Credentials && in.Credentials != "" {
		if _, d := credentialed(ex, p); d.Reported() != nil {
			msg += sep + "a request with " + in.Credentials + " fails them (" + string(d.Reported().Code) +
				"), and exports leave its cookies out"
			sep = "; "
		}
	}
	if in.Name == "fetch" {
		msg += sep + "fetch() with redirect: 'error' rejects any redirect, and a HAR records no redirect mode"
	}
	return cors.NewFinding(CodeCauseNotInFile, "actual", msg+"; the cause is not in the file")
}

// credentialed is ex sent with credentials, which a file without cookies
// may hide, and p's diagnosis of it.
func credentialed(ex *cors.Exchange, p *cors.Profile) (*cors.Exchange, *cors.Diagnosis) {
	cred := *ex
	cred.Request.Credentials = true
	return &cred, p.Evaluate(&cred)
}

// recordedStatus is e's status and the error the file records with it.
func recordedStatus(e *Entry) string {
	status := fmt.Sprintf("status %d", e.Response.Status)
	if e.Response.Error != "" {
		status += ", " + e.Response.Error
	}
	return status
}

func preflightNotRecorded(plan *cors.Plan, req *cors.Request) cors.Finding {
	// Most requests of a file need a preflight the file does not hold:
	// the message is built in one allocation.
	const (
		intro   = "the browser sends a preflight for this request ("
		options = "): OPTIONS "
		origin  = " with Origin: "
		method  = ", Access-Control-Request-Method: "
		headers = ", Access-Control-Request-Headers: "
		outro   = "; the file holds none (answered from the preflight cache, or left out by the exporter)"
	)
	n := len(intro) + len(options) + len(req.URL) + len(origin) + len(req.Origin) + len(method) + len(plan.Method) + len(outro)
	for i, r := range plan.Reasons {
		n += len(r) + 2*min(i, 1)
	}
	if plan.RequestHeaders != "" {
		n += len(headers) + len(plan.RequestHeaders)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(intro)
	for i, r := range plan.Reasons {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(r)
	}
	for _, s := range []string{options, req.URL, origin, req.Origin, method, plan.Method} {
		b.WriteString(s)
	}
	if plan.RequestHeaders != "" {
		b.WriteString(headers)
		b.WriteString(plan.RequestHeaders)
	}
	b.WriteString(outro)
	return cors.NewFinding(CodePreflightNotRecorded, "preflight", b.String())
}

func prependReported(fs []cors.Finding, f cors.Finding) []cors.Finding {
	for i := range fs {
		fs[i].Reported = false
	}
	f.Reported = true
	return append([]cors.Finding{f}, fs...)
}

func dropErrors(fs []cors.Finding) []cors.Finding {
	// In place, and a finding (216 bytes) is copied only to close a gap:
	// most lists have no error to drop.
	n := 0
	for i := range fs {
		if fs[i].Severity == cors.SeverityError {
			continue
		}
		fs[i].Reported = false
		if i != n {
			fs[n] = fs[i]
		}
		n++
	}
	return fs[:n]
}

// pageOrigin finds the origin of the page that made the request: its
// Origin header, else the page's URL (pages[] via pageref), the
// initiator's URL (Chrome's `_initiator.url`), or the Referer. header is
// the Origin header when it is not that origin's serialization (no
// browser sends https://app.example.com:443), else "".
func (a *analyzer) pageOrigin(e *Entry) (origin, source, header string) {
	if o := strings.TrimSpace(e.Request.Header("Origin")); o != "" {
		if o == "null" {
			return o, OriginFromHeader, ""
		}
		if c := cors.OriginOf(o); c != "null" {
			if c != o {
				header = o
			}
			return c, OriginFromHeader, header
		}
		return o, OriginFromHeader, ""
	}
	if e.Pageref != "" {
		for i := range a.pages {
			if a.pages[i].ID == e.Pageref {
				if o := httpOrigin(a.pages[i].Title); o != "" {
					return o, OriginFromPage, ""
				}
				break
			}
		}
	}
	if e.Initiator.Type != "preflight" {
		if o := httpOrigin(e.Initiator.URL); o != "" {
			return o, OriginFromInitiator, ""
		}
	}
	if o := httpOrigin(e.Request.Header("Referer")); o != "" {
		return o, OriginFromReferer, ""
	}
	return "", "", ""
}

func httpOrigin(raw string) string {
	raw = strings.TrimSpace(raw)
	if !strings.HasPrefix(raw, "http://") && !strings.HasPrefix(raw, "https://") {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return cors.OriginOf(raw)
}

// unsentHop reports whether e is a request the browser never sent: no
// response at all, and none of the CORS request headers. Firefox records
// one for a redirect it refused to follow, at the Location's URL.
func unsentHop(e *Entry) bool {
	return e.Response.Status == 0 && len(e.Response.Headers) == 0 && e.Request.Header("Origin") == "" && e.Request.Header("Sec-Fetch-Mode") == ""
}

// isCORSMode reports whether the browser CORS-checked the request: its
// Sec-Fetch-Mode says so; without one (older browsers, proxies), Chrome's
// resource type and the Origin header tell (cors.CORSModeOfRecord).
func isCORSMode(e *Entry) bool {
	if strings.EqualFold(e.Request.Header("Upgrade"), "websocket") {
		return false
	}
	if m := e.Request.Header("Sec-Fetch-Mode"); m != "" {
		return strings.EqualFold(strings.TrimSpace(m), "cors")
	}
	if e.ResourceType == "preflight" {
		return true
	}
	return cors.CORSModeOfRecord(e.ResourceType, e.Request.Header("Origin") != "")
}

// setCredentials sets req.Credentials as the engine judges e's request:
// credentials recorded (the flag or cookies), and an initiator that sends
// them cross-origin (a Cookie on a web font is no credential of its CORS
// request). An empty req.Initiator is read from e only when credentials
// are recorded: the checks need it for nothing else.
func setCredentials(req *cors.Request, e *Entry) {
	req.Credentials = hasCredentials(e)
	if !req.Credentials {
		return
	}
	if req.Initiator == "" {
		req.Initiator = initiatorAPI(e)
	}
	req.Credentials = !cors.InitiatorOf(req).SameOriginOnly
}

func hasCredentials(e *Entry) bool {
	return e.Credentials || hasCookies(e)
}

// recordedCookie is the Cookie header of e's request, or one built from
// its cookies array when the exporter wrote no header.
func recordedCookie(e *Entry) string {
	if c := e.Request.Header("Cookie"); c != "" {
		return c
	}
	parts := make([]string, 0, len(e.Request.Cookies))
	for _, c := range e.Request.Cookies {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

func hasCookies(e *Entry) bool {
	return e.Request.Header("Cookie") != "" || len(e.Request.Cookies) > 0
}

// initiatorAPI names the API or load that made e (cors.Initiators).
func initiatorAPI(e *Entry) string {
	in, ok := cors.InitiatorOfRecord(e.ResourceType, strings.TrimSpace(e.Request.Header("Sec-Fetch-Dest")), strings.TrimSpace(e.Request.Header("Accept")))
	switch {
	case ok && in.Name != "fetch":
		return in.Name
	case e.ResourceType != "fetch" && cors.URLIncludesCredentials(e.Request.URL):
		// fetch() throws for a URL with user:password@ before anything
		// is sent, so a recorded request to one was not fetch()'s:
		// XMLHttpRequest (or an element) made it, and sent it. Firefox
		// and Safari export no resource type to say which.
		return "XMLHttpRequest"
	}
	return "fetch"
}

var safelistedNames = map[string]bool{"accept": true, "accept-language": true, "content-language": true, "content-type": true, "range": true}

// authorHeaders rebuilds the headers script set from the recorded request
// headers. With a preflight, its Access-Control-Request-Headers is the
// ground truth for the unsafe ones.
func authorHeaders(recorded []Header, pre *Entry) http.Header {
	devtoolsNoCache := strings.EqualFold(firstValue(recorded, "Pragma"), "no-cache") && strings.EqualFold(firstValue(recorded, "Cache-Control"), "no-cache")
	var acrh []string
	if pre != nil {
		acrh = splitList(pre.Request.Header("Access-Control-Request-Headers"))
	}
	// The recorded names of one key all lower to the same name (the
	// reader keeps it), so a header is kept or dropped by its own name.
	keep := func(r *Header) bool {
		lk := r.lowerName()
		if cors.IsBrowserAddedHeader(lk) || cors.IsForbiddenHeader(lk, "") || devtoolsNoCache && (lk == "pragma" || lk == "cache-control") {
			return false
		}
		return pre == nil || slices.Contains(acrh, lk) || safelistedNames[lk]
	}
	h, _ := httpHeaderOf(recorded, keep)
	for _, n := range acrh {
		if h.Get(n) == "" {
			h.Set(n, placeholderValue(n))
		}
	}
	return h
}

// placeholderValue stands in for a header value the file does not hold,
// chosen so the header still counts as CORS-unsafe.
func placeholderValue(name string) string {
	switch strings.ToLower(name) {
	case "content-type":
		return "application/json"
	case "accept", "accept-language", "content-language":
		return "{unrecorded}"
	case "range":
		return "bytes=0-1,2-3"
	}
	return "x"
}

func splitList(v string) []string {
	if v == "" {
		return nil
	}
	// One allocation: an element per comma at most.
	out := make([]string, 0, strings.Count(v, ",")+1)
	for rest, more := v, true; more; {
		var f string
		f, rest, more = strings.Cut(rest, ",")
		if f = strings.ToLower(strings.TrimSpace(f)); f != "" {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil
	}
	sort.Strings(out)
	return out
}

// credentialsNotRecorded warns, for a file that marks no failure, about an
// allowed request that the same headers block with credentials: Firefox's
// and Safari's exports do not record the credentials mode, and a request
// without cookies may still have been sent with credentials: 'include'.
func credentialsNotRecorded(j *job, ex *cors.Exchange) (cors.Finding, bool) {
	if j.rec.RecordsFailures || ex.Request.Credentials || len(ex.Actual) == 0 || j.cookiesBefore {
		return cors.Finding{}, false
	}
	_, d := credentialed(ex, j.rec.Profile)
	rep := d.Reported()
	if rep == nil {
		return cors.Finding{}, false
	}
	in := cors.InitiatorOf(&ex.Request)
	f := cors.NewFinding(CodeCredentialsNotRecorded, rep.Step, fmt.Sprintf(
		"the file records no cookies for this request and %s's export does not say whether the page sent it with %s; if it did, %s blocked it: %s (%s)",
		j.rec.Profile.Display, in.Credentials, j.rec.Profile.Display, rep.Message, rep.Code))
	if !in.Scripted {
		f.Fix = "If the page loads this with " + in.Credentials + ", the browser blocked it: " + notRecordedServerFix +
			" Or, " + in.IfNoCookies() + ". Otherwise nothing to do."
	}
	return f, true
}
