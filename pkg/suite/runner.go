package suite

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/corsdiag/corsdiag/pkg/audit"
	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// Outcome is how one check × origin ended.
type Outcome string

const (
	// Passed: the browser did what the check expects.
	Passed Outcome = "passed"
	// Failed: the browser would do the opposite (a CORS failure).
	Failed Outcome = "failed"
	// Unreachable: no HTTP answer after every retry (DNS, refused, reset,
	// TLS, timeout); reported apart from CORS failures.
	Unreachable Outcome = "unreachable"
	// Errored: the probe refused the check (a bug or an impossible request).
	Errored Outcome = "error"
	// Canceled: the run was interrupted before this check finished.
	Canceled Outcome = "canceled"
)

// Options tune a run.
type Options struct {
	// Concurrency caps checks in flight (default 8).
	Concurrency int
	// PerHost caps checks in flight against one host:port (default 4), so
	// one slow API is not flooded.
	PerHost int
	// Retries is how many times a network failure is tried again (0: never).
	Retries int
	// Backoff is the wait before the first retry; it doubles each time
	// (default 250ms).
	Backoff time.Duration
	// Timeout overrides every check's timeout when positive.
	Timeout time.Duration
	// Insecure skips TLS verification.
	Insecure bool
	// Routes (the --resolve and --connect-to flags) come before the
	// config's own.
	Routes *probe.Routes
	// Transport replaces the shared transport (tests).
	Transport http.RoundTripper
	// Probe replaces probe.Run (tests of the runner alone).
	Probe func(context.Context, probe.Options) (*probe.Result, error)
	// OnDone is called once per finished check × origin, one call at a time,
	// with the count finished so far.
	OnDone func(r *Result, done, total int)
	// onBackoff is told each wait before a retry (tests).
	onBackoff func(time.Duration)
	// AuditRate caps the requests per second of each audit (audit: true);
	// 0 means audit.DefaultRate, a negative value no pause.
	AuditRate float64
}

// Result is one check tried from one origin.
type Result struct {
	Check  *Check
	Target Target
	// Outcome is the verdict against the expectation.
	Outcome Outcome
	// Got is the browser's verdict; empty unless the endpoint answered.
	Got       cors.Verdict
	Diagnosis *cors.Diagnosis
	Exchange  *cors.Exchange
	Platform  *platform.Detection
	// Err is the last error: *probe.UnreachableError for Unreachable.
	Err      error
	Attempts int
	Duration time.Duration
	// Audit is the finding this result stands for, on the results of a
	// check's audit (audit: true); nil on its row saying no origin got in.
	Audit *audit.Finding
	// AuditReport is the whole audit, on each of its results.
	AuditReport *audit.Report
	// auditJob marks the placeholder of a check's audit in Jobs.
	auditJob bool
}

// Unreachable returns the probe's network error, or nil.
func (r *Result) UnreachableErr() *probe.UnreachableError {
	var ue *probe.UnreachableError
	if errors.As(r.Err, &ue) {
		return ue
	}
	return nil
}

// Jobs lists every check × origin of cfg in file order, then one job per
// audited check; Run returns results in this order, each audit expanded
// into one result per finding.
func Jobs(cfg *Config) []Result {
	var out []Result
	for i := range cfg.Checks {
		c := &cfg.Checks[i]
		for _, t := range c.Targets {
			out = append(out, Result{Check: c, Target: t, Outcome: Canceled})
		}
	}
	// Audits run after the checks, one at a time: each sends up to 40
	// requests to one host.
	for i := range cfg.Checks {
		if c := &cfg.Checks[i]; c.Audit {
			out = append(out, auditPlaceholder(c))
		}
	}
	return out
}

// Run runs every check × origin of cfg concurrently and returns one result
// each, in file order, then audits the checks that ask for it, one at a
// time. When ctx is canceled, checks in flight stop, checks
// not started are left Canceled, and Run returns what finished.
func Run(ctx context.Context, cfg *Config, opts Options) []Result {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.PerHost <= 0 {
		opts.PerHost = 4
	}
	if opts.Retries < 0 {
		opts.Retries = 0
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 250 * time.Millisecond
	}
	if opts.Probe == nil {
		opts.Probe = probe.Run
	}
	if opts.Transport == nil {
		opts.Transport = newTransport(opts, opts.Routes.Join(cfg.Routes))
		if t, ok := opts.Transport.(*http.Transport); ok {
			defer t.CloseIdleConnections()
		}
	}

	results := Jobs(cfg)
	global := make(chan struct{}, opts.Concurrency)
	hosts := map[string]chan struct{}{}
	for i := range results {
		h := hostKey(results[i].Check.URL)
		if hosts[h] == nil {
			hosts[h] = make(chan struct{}, opts.PerHost)
		}
	}

	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	// One goroutine per job, each waiting for its host's slot before the
	// global one, so a busy host never holds global slots idle.
	for i := range results {
		if results[i].auditJob {
			continue
		}
		wg.Add(1)
		go func(r *Result) {
			defer wg.Done()
			host := hosts[hostKey(r.Check.URL)]
			if !acquire(ctx, host) {
				return
			}
			defer func() { <-host }()
			if !acquire(ctx, global) {
				return
			}
			defer func() { <-global }()
			runOne(ctx, r, &opts)
			if r.Outcome == Canceled {
				return
			}
			mu.Lock()
			done++
			if opts.OnDone != nil {
				opts.OnDone(r, done, len(results))
			}
			mu.Unlock()
		}(&results[i])
	}
	wg.Wait()
	var out []Result
	for i := range results {
		if !results[i].auditJob {
			out = append(out, results[i])
			continue
		}
		rows := runAudit(ctx, &results[i], &opts)
		if len(rows) > 0 && rows[0].Outcome != Canceled {
			done++
			if opts.OnDone != nil {
				opts.OnDone(&rows[0], done, len(results))
			}
		}
		out = append(out, rows...)
	}
	return out
}

func acquire(ctx context.Context, sem chan struct{}) bool {
	if ctx.Err() != nil {
		return false
	}
	select {
	case sem <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// runOne probes one check × origin, retrying network failures with
// exponential backoff, and judges the exchange.
func runOne(ctx context.Context, r *Result, opts *Options) {
	c := r.Check
	timeout := c.Timeout
	if opts.Timeout > 0 {
		timeout = opts.Timeout
	}
	po := probe.Options{
		Request: cors.Request{
			Method:      c.Method,
			URL:         c.URL,
			Origin:      r.Target.Origin,
			Header:      c.Header.Clone(),
			Credentials: c.Credentials,
			Initiator:   c.Initiator,
		},
		SendActual: c.SendActual,
		ErrorProbe: c.ErrorProbe,
		Compare:    true,
		Timeout:    timeout,
		Insecure:   opts.Insecure,
		Transport:  opts.Transport,
		Profile:    r.Target.Profile(),
	}
	if c.Body != "" {
		po.Body = []byte(c.Body)
	}
	if c.Credentials {
		po.Cookie = c.Cookie
	}
	start := time.Now()
	defer func() { r.Duration = time.Since(start) }()
	backoff := opts.Backoff
	for attempt := 0; ; attempt++ {
		r.Attempts = attempt + 1
		res, err := probeOnce(ctx, opts, po, timeout)
		if ctx.Err() != nil {
			r.Outcome, r.Err = Canceled, ctx.Err()
			return
		}
		var ue *probe.UnreachableError
		switch {
		case err == nil:
			judge(r, res)
			return
		case !errors.As(err, &ue):
			r.Outcome, r.Err = Errored, err
			return
		case attempt >= opts.Retries:
			r.Outcome, r.Err = Unreachable, err
			return
		}
		if opts.onBackoff != nil {
			opts.onBackoff(backoff)
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			r.Outcome, r.Err = Canceled, ctx.Err()
			return
		case <-t.C:
		}
		backoff *= 2
	}
}

// probeOnce bounds one attempt by the check's timeout even if the probe
// does not.
func probeOnce(ctx context.Context, opts *Options, po probe.Options, timeout time.Duration) (res *probe.Result, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	defer func() {
		// A panicking probe fails this check, not the whole suite.
		if p := recover(); p != nil {
			res, err = nil, &probePanic{p}
		}
	}()
	return opts.Probe(ctx, po)
}

type probePanic struct{ v any }

func (p *probePanic) Error() string { return fmt.Sprint("probe failed: ", p.v) }

// judge evaluates the exchange and compares the verdict with the expectation.
func judge(r *Result, res *probe.Result) {
	d := r.Target.Profile().Evaluate(res.Exchange)
	res.AddBrowserFindings(r.Target.Profile(), d)
	rep := platform.Analyze(platform.Input{Exchange: res.Exchange, Diagnosis: d, ErrorPaths: res.ErrorPathHops()})
	rep.Apply(d)
	r.Platform = rep.Platform
	r.Exchange, r.Diagnosis, r.Got = res.Exchange, d, d.Verdict
	want := cors.Allowed
	if r.Target.Expect == ExpectDeny {
		want = cors.Blocked
	}
	if d.Verdict == want {
		r.Outcome = Passed
	} else {
		r.Outcome = Failed
	}
}

func hostKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}

// newTransport is shared by every check so connections to one host are
// reused instead of opened per check; otherwise it is the probe's own
// default (proxy from the environment, no transparent gzip).
func newTransport(opts Options, routes *probe.Routes) *http.Transport {
	t := probe.NewTransport(opts.Insecure, routes)
	t.MaxIdleConns = opts.Concurrency * 2
	t.MaxIdleConnsPerHost = opts.PerHost * 2
	return t
}
