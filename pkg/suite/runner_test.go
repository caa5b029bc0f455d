package suite

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/stacks"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// answer builds what the probe returns for a simple GET whose response
// carries acao as Access-Control-Allow-Origin ("" for none).
func answer(o probe.Options, acao string) *probe.Result {
	h := http.Header{}
	if acao != "" {
		h.Set("Access-Control-Allow-Origin", acao)
		h.Set("Vary", "Origin")
	}
	ex := &cors.Exchange{
		Request: o.Request,
		Actual: []cors.Hop{{
			Request:  cors.Message{Method: o.Request.Method, URL: o.Request.URL, Header: http.Header{"Origin": {o.Request.Origin}}},
			Response: &cors.Message{Status: 200, StatusText: "OK", Header: h},
		}},
	}
	return &probe.Result{Exchange: ex}
}

// echoAllowList answers like a server that trusts only app.example.com.
func echoAllowList(_ context.Context, o probe.Options) (*probe.Result, error) {
	if o.Request.Origin == "https://app.example.com" {
		return answer(o, o.Request.Origin), nil
	}
	return answer(o, ""), nil
}

func testConfig(t *testing.T, yaml string) *Config {
	t.Helper()
	cfg, err := Parse("c.yaml", []byte(yaml), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// manyChecks is a config of n checks spread over hosts.
func manyChecks(t *testing.T, n, hosts int) *Config {
	y := "defaults:\n  origin: https://app.example.com\nchecks:\n"
	for i := 0; i < n; i++ {
		y += fmt.Sprintf("  - url: https://h%d.example/%d\n", i%hosts, i)
	}
	return testConfig(t, y)
}

func TestRunJudgesExpectations(t *testing.T) {
	cfg := testConfig(t, `checks:
  - name: items
    url: https://api.example/items
    origins:
      - {origin: https://app.example.com, expect: allow}
      - {origin: https://evil.example, expect: deny}
  - name: items, expecting the opposite
    url: https://api.example/items
    origins:
      - {origin: https://evil.example, expect: allow}
      - {origin: https://app.example.com, expect: deny}
`)
	got := Run(context.Background(), cfg, Options{Probe: echoAllowList})
	want := []struct {
		outcome Outcome
		verdict cors.Verdict
		code    string
	}{
		{Passed, cors.Allowed, "-"},
		{Passed, cors.Blocked, "missing-allow-origin"},
		{Failed, cors.Blocked, "missing-allow-origin"},
		{Failed, cors.Allowed, CodeUnexpectedlyAllowed},
	}
	for i, w := range want {
		r := got[i]
		if r.Outcome != w.outcome || r.Got != w.verdict || r.FindingCode() != w.code || r.Attempts != 1 {
			t.Errorf("result %d = %s/%s/%s (attempts %d), want %s/%s/%s", i, r.Outcome, r.Got, r.FindingCode(), r.Attempts, w.outcome, w.verdict, w.code)
		}
	}
	if e := got[3].Explain(); e == nil || e.Code != CodeUnexpectedlyAllowed || e.Fix == "" {
		t.Errorf("explanation of an unexpectedly allowed origin = %+v", e)
	}
	if e := got[2].Explain(); e == nil || e.Code != "missing-allow-origin" || e.Browser == "" {
		t.Errorf("explanation of a blocked origin = %+v", e)
	}
}

func TestRunPassesCheckToProbe(t *testing.T) {
	cfg := testConfig(t, `defaults:
  origin: https://app.example.com
  headers: {X-Team: a}
checks:
  - url: https://api.example/x
    method: DELETE
    credentials: true
    cookie: s=1
    body: hi
    error_probe: true
    timeout: 2s
  - url: https://api.example/y
    method: PUT
    send_actual: true
  - url: https://cdn.example/f.woff2
    initiator: font
    send_actual: true
`)
	var mu sync.Mutex
	seen := map[string]probe.Options{}
	Run(context.Background(), cfg, Options{Probe: func(ctx context.Context, o probe.Options) (*probe.Result, error) {
		mu.Lock()
		seen[o.Request.URL] = o
		mu.Unlock()
		return echoAllowList(ctx, o)
	}})
	x, y := seen["https://api.example/x"], seen["https://api.example/y"]
	if x.Request.Method != "DELETE" || !x.Request.Credentials || x.Cookie != "s=1" || string(x.Body) != "hi" ||
		!x.ErrorProbe || x.Timeout != 2*time.Second || x.Request.Header.Get("X-Team") != "a" {
		t.Errorf("check x reached the probe as %+v", x)
	}
	if f := seen["https://cdn.example/f.woff2"]; f.Request.Initiator != "font" || x.Request.Initiator != "fetch" {
		t.Errorf("initiators: font check %q, x %q", f.Request.Initiator, x.Request.Initiator)
	}
	// A state-changing method is sent only when the check says so.
	if x.SendActual || !y.SendActual {
		t.Errorf("SendActual: x=%v (want false), y=%v (want true)", x.SendActual, y.SendActual)
	}
}

func TestRunRespectsConcurrencyLimits(t *testing.T) {
	tests := []struct {
		name                 string
		checks, hosts        int
		concurrency, perHost int
		wantGlobal, wantHost int
	}{
		{"per-host is the limit", 40, 1, 8, 3, 3, 3},
		{"global is the limit", 40, 10, 5, 4, 5, 1},
		{"serial", 10, 2, 1, 4, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			inFlight, perHost := 0, map[string]int{}
			maxGlobal, maxHost := 0, 0
			// Every probe stays in flight until the wanted peak is reached,
			// so the limits are reached however the goroutines are
			// scheduled (a 3ms pause let them run one by one on a loaded
			// machine). A runner that cannot reach the peak fails when the
			// check's timeout ends the wait.
			peak := make(chan struct{})
			fake := func(ctx context.Context, o probe.Options) (*probe.Result, error) {
				h := hostKey(o.Request.URL)
				mu.Lock()
				inFlight++
				perHost[h]++
				reached := maxGlobal >= tt.wantGlobal && maxHost >= tt.wantHost
				maxGlobal = max(maxGlobal, inFlight)
				maxHost = max(maxHost, perHost[h])
				if !reached && maxGlobal >= tt.wantGlobal && maxHost >= tt.wantHost {
					close(peak)
				}
				mu.Unlock()
				select {
				case <-peak:
				case <-ctx.Done():
				}
				mu.Lock()
				inFlight--
				perHost[h]--
				mu.Unlock()
				return echoAllowList(ctx, o)
			}
			res := Run(context.Background(), manyChecks(t, tt.checks, tt.hosts), Options{Concurrency: tt.concurrency, PerHost: tt.perHost, Probe: fake})
			for _, r := range res {
				if r.Outcome != Passed {
					t.Fatalf("%s: %s", r.Check.Name, r.Outcome)
				}
			}
			if maxGlobal > tt.concurrency || maxHost > tt.perHost {
				t.Errorf("in flight: %d global (limit %d), %d per host (limit %d)", maxGlobal, tt.concurrency, maxHost, tt.perHost)
			}
			// The limits are reached, not just respected: the run is concurrent.
			if maxGlobal < tt.wantGlobal || maxHost < tt.wantHost {
				t.Errorf("in flight peaked at %d global, %d per host; want %d and %d", maxGlobal, maxHost, tt.wantGlobal, tt.wantHost)
			}
		})
	}
}

func TestRunRetriesNetworkErrors(t *testing.T) {
	tests := []struct {
		name         string
		failures     int // attempts that fail before the endpoint answers
		retries      int
		want         Outcome
		wantAttempts int
	}{
		{"answers first time", 0, 2, Passed, 1},
		{"flaky, recovers within retries", 2, 2, Passed, 3},
		{"flaky, more failures than retries", 3, 2, Unreachable, 3},
		{"no retries", 1, 0, Unreachable, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			fake := func(ctx context.Context, o probe.Options) (*probe.Result, error) {
				if int(calls.Add(1)) <= tt.failures {
					return nil, &probe.UnreachableError{URL: o.Request.URL, Reason: "connection reset"}
				}
				return echoAllowList(ctx, o)
			}
			cfg := testConfig(t, "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - url: https://api.example/\n")
			var waits []time.Duration
			opts := Options{Retries: tt.retries, Backoff: 5 * time.Millisecond, Probe: fake,
				onBackoff: func(d time.Duration) { waits = append(waits, d) }}
			r := Run(context.Background(), cfg, opts)[0]
			if r.Outcome != tt.want || r.Attempts != tt.wantAttempts {
				t.Fatalf("outcome %s after %d attempts, want %s after %d", r.Outcome, r.Attempts, tt.want, tt.wantAttempts)
			}
			if tt.want == Unreachable && r.UnreachableErr() == nil {
				t.Errorf("err = %v, want *probe.UnreachableError", r.Err)
			}
			// One wait before each retry; the backoff doubles: 5ms, then 10ms.
			var want []time.Duration
			for i := 1; i < r.Attempts; i++ {
				want = append(want, 5*time.Millisecond<<(i-1))
			}
			if !slices.Equal(waits, want) {
				t.Errorf("waits before the retries = %v, want %v", waits, want)
			}
		})
	}
}

func TestRunOtherErrorsAreNotRetried(t *testing.T) {
	tests := []struct {
		name string
		fake func(context.Context, probe.Options) (*probe.Result, error)
	}{
		{"usage error", func(context.Context, probe.Options) (*probe.Result, error) {
			return nil, errors.New("probe: bad request")
		}},
		{"panic", func(context.Context, probe.Options) (*probe.Result, error) { panic("boom") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t, "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - url: https://api.example/\n")
			r := Run(context.Background(), cfg, Options{Retries: 3, Probe: tt.fake})[0]
			if r.Outcome != Errored || r.Attempts != 1 || r.Explain() == nil {
				t.Fatalf("outcome %s after %d attempts, want error after 1", r.Outcome, r.Attempts)
			}
		})
	}
}

func TestRunTimeoutBoundsEachCheck(t *testing.T) {
	// A probe that ignores its own timeout is still stopped by the runner's.
	// It returns only when the runner's deadline passes: were the timeout
	// not honoured, Run would not return (go test's timeout says so).
	var ends []error
	hang := func(ctx context.Context, o probe.Options) (*probe.Result, error) {
		<-ctx.Done()
		ends = append(ends, ctx.Err())
		return nil, &probe.UnreachableError{URL: o.Request.URL, Reason: "timeout", Err: ctx.Err()}
	}
	cfg := testConfig(t, "defaults: {origin: 'https://app.example.com', timeout: 20ms}\nchecks:\n  - url: https://api.example/\n")
	r := Run(context.Background(), cfg, Options{Retries: 1, Backoff: time.Millisecond, Probe: hang})[0]
	if r.Outcome != Unreachable || r.Attempts != 2 {
		t.Fatalf("outcome %s after %d attempts, want unreachable after 2", r.Outcome, r.Attempts)
	}
	if len(ends) != 2 || !errors.Is(ends[0], context.DeadlineExceeded) || !errors.Is(ends[1], context.DeadlineExceeded) {
		t.Errorf("attempts ended with %v, want the deadline twice", ends)
	}
}

func TestRunCancelKeepsWhatFinished(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls atomic.Int32
	fake := func(pctx context.Context, o probe.Options) (*probe.Result, error) {
		if calls.Add(1) > 3 {
			cancel()
			<-pctx.Done()
			return nil, &probe.UnreachableError{URL: o.Request.URL, Reason: "canceled", Err: pctx.Err()}
		}
		return echoAllowList(pctx, o)
	}
	var reported atomic.Int32
	res := Run(ctx, manyChecks(t, 50, 1), Options{Concurrency: 1, PerHost: 1, Probe: fake,
		OnDone: func(*Result, int, int) { reported.Add(1) }})
	var passed, canceled int
	for _, r := range res {
		switch r.Outcome {
		case Passed:
			passed++
		case Canceled:
			canceled++
		default:
			t.Errorf("%s: %s (%v)", r.Check.Name, r.Outcome, r.Err)
		}
	}
	if passed != 3 || canceled != 47 || int(reported.Load()) != passed {
		t.Errorf("passed %d, canceled %d, reported %d; want 3, 47, 3", passed, canceled, reported.Load())
	}
}

// TestRunNamesTheCauseAsCheckDoes: ci explains a failed check by the
// cause check names (here Express's cors package refusing the origin),
// with the browser's console line and the fix that keeps the allow-list.
func TestRunNamesTheCauseAsCheckDoes(t *testing.T) {
	srv := httptest.NewServer(stacks.ExpressCORS([]string{"https://app.example.com"}, stacks.ExpressJSON(`[]`)))
	defer srv.Close()
	cfg := testConfig(t, "checks:\n  - url: "+srv.URL+"/items\n    origins:\n      - {origin: https://staging.example.com, expect: allow}\n")
	got := Run(context.Background(), cfg, Options{})
	e := got[0].Explain()
	switch {
	case e == nil:
		t.Fatalf("no explanation: %+v", got[0])
	case e.Code != "origin-not-in-allow-list" || e.Platform != "Express (Node.js)":
		t.Errorf("code %s on %q, want origin-not-in-allow-list on Express", e.Code, e.Platform)
	case !strings.Contains(e.Browser, "No 'Access-Control-Allow-Origin' header"):
		t.Errorf("console line %q", e.Browser)
	case !strings.Contains(e.Fix, ": allowedOrigins), 'https://staging.example.com'"):
		t.Errorf("fix does not keep the list:\n%s", e.Fix)
	}
}
