package harfile

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/refused"
	"github.com/corsdiag/corsdiag/pkg/internal/stacks"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

// Replays to one host share connections (keep-alive), as the browser's
// tab did, and come out in the order they went in.
func TestReplayReusesConnections(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK) // no Access-Control-Allow-Origin: still blocked
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	var got []string
	rp := NewReplayer(context.Background(), ReplayOptions{Concurrency: 1}, func(r *Result) error {
		got = append(got, r.URL)
		return nil
	})
	var want []string
	for _, path := range []string{"/a", "/b", "/c"} {
		u := srv.URL + path
		want = append(want, u)
		req := &cors.Request{Method: http.MethodGet, URL: u, Origin: "https://app.example.com"}
		if err := rp.Add(&Result{URL: u, Verdict: cors.Blocked, CauseSource: CauseUnknown, Reproduce: req}); err != nil {
			t.Fatal(err)
		}
	}
	if err := rp.Wait(); err != nil {
		t.Fatal(err)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("three replays to one host took %d connections, want 1", n)
	}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("emitted %v, want %v", got, want)
	}
}

// A replay goes out as the browser that judged the result (its
// User-Agent), unless the options name another.
func TestReplayAsTheFilesBrowser(t *testing.T) {
	for _, tc := range []struct {
		name       string
		opts, file *cors.Profile
		wantUA     string
	}{
		{"the file's browser", nil, cors.Firefox, "Firefox/"},
		{"the options' browser", cors.Safari, cors.Firefox, "Version/18.0 Safari/"},
		{"none said", nil, nil, "Chrome/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ua atomic.Value
			// https: Safari blocks an https page's call to http://127.0.0.1.
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !strings.Contains(r.URL.Path, "corsdiag-probe") {
					ua.Store(r.Header.Get("User-Agent"))
				}
			}))
			t.Cleanup(srv.Close)
			rp := NewReplayer(context.Background(), ReplayOptions{Profile: tc.opts, Insecure: true}, func(*Result) error { return nil })
			req := &cors.Request{Method: http.MethodGet, URL: srv.URL + "/x", Origin: "https://app.example.com"}
			if err := rp.Add(&Result{URL: req.URL, Verdict: cors.Blocked, CauseSource: CauseUnknown, Reproduce: req, Profile: tc.file}); err != nil {
				t.Fatal(err)
			}
			if err := rp.Wait(); err != nil {
				t.Fatal(err)
			}
			if got, _ := ua.Load().(string); !strings.Contains(got, tc.wantUA) {
				t.Errorf("User-Agent %q, want %q", got, tc.wantUA)
			}
		})
	}
}

// TestReplayNamesThePlatformCause: what a replay finds live gets check's
// analysis of the same answers: the platform, its cause and its fix.
func TestReplayNamesThePlatformCause(t *testing.T) {
	const page = "http://localhost:3000" // loopback, as the test server is: no Local Network Access
	allowed := []string{"https://app.example.com"}
	tests := []struct {
		name      string
		h         http.HandlerFunc
		method    string
		header    http.Header
		platform  string
		wantCause cors.Code
		wantFix   string
	}{
		{"Express cors allow-list", stacks.ExpressCORS(allowed, stacks.ExpressJSON(`[]`)), "GET", nil, "express", platform.CodeOriginNotAllowed, "allowedOrigins)"},
		{"S3 rule mismatch", stacks.S3(allowed), "PUT", http.Header{"Content-Type": {"application/json"}}, "aws-s3", platform.CodeS3CORSRuleMismatch, "get-bucket-cors"},
		{"Express auth before cors", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Powered-By", "Express")
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
		}, "GET", http.Header{"Authorization": {"Bearer x"}}, "express", platform.CodeMiddlewareOrder, "your existing options"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.h)
			t.Cleanup(srv.Close)
			var got *Result
			rp := NewReplayer(context.Background(), ReplayOptions{}, func(r *Result) error { got = r; return nil })
			req := &cors.Request{Method: tt.method, URL: srv.URL + "/items", Origin: page, Header: tt.header}
			if err := rp.Add(&Result{URL: req.URL, Verdict: cors.Blocked, CauseSource: CauseUnknown, Reproduce: req}); err != nil {
				t.Fatal(err)
			}
			if err := rp.Wait(); err != nil {
				t.Fatal(err)
			}
			if got == nil || got.CauseSource != CauseLive {
				t.Fatalf("not replayed: %+v", got)
			}
			if got.Platform == nil || got.Platform.ID != tt.platform {
				t.Errorf("platform %v, want %s", got.Platform, tt.platform)
			}
			var cause *cors.Finding
			for i := range got.Findings {
				if got.Findings[i].Cause {
					cause = &got.Findings[i]
				}
			}
			if cause == nil || cause.Code != tt.wantCause {
				t.Fatalf("cause %v, want %s; findings %v", cause, tt.wantCause, got.Findings)
			}
			if !strings.Contains(cause.Fix, tt.wantFix) {
				t.Errorf("fix lacks %q:\n%s", tt.wantFix, cause.Fix)
			}
		})
	}
}

// A replay of thousands of requests keeps memory flat: each answer's body
// is read only up to DefaultBodyLimit, as the file's are, and the results
// kept to probe identical requests once are bounded; identical requests in
// a row are still probed once.
func TestReplayMemoryStaysBounded(t *testing.T) {
	tests := []struct {
		name      string
		body      int // bytes the server answers with
		distinct  int // distinct URLs
		repeat    int // each sent this many times in a row
		wantProbe int // requests the server sees
	}{
		{"large bodies", 60 << 10, 8, 1, 8},
		{"more distinct requests than are kept", 10, maxReplayCache + 40, 1, maxReplayCache + 40},
		{"identical requests in a row", 10, 5, 3, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			body := strings.Repeat("x", tt.body)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.Write([]byte(body)) // no Access-Control-Allow-Origin: blocked
			}))
			t.Cleanup(srv.Close)
			var maxBody int
			rp := NewReplayer(context.Background(), ReplayOptions{}, func(r *Result) error {
				if r.Exchange == nil {
					return nil
				}
				for _, h := range r.Exchange.Actual {
					if h.Response != nil && len(h.Response.Body) > maxBody {
						maxBody = len(h.Response.Body)
					}
				}
				return nil
			})
			for i := 0; i < tt.distinct; i++ {
				for j := 0; j < tt.repeat; j++ {
					u := fmt.Sprintf("%s/item/%d", srv.URL, i)
					req := &cors.Request{Method: http.MethodGet, URL: u, Origin: "http://localhost:3000"}
					if err := rp.Add(&Result{URL: u, Verdict: cors.Blocked, CauseSource: CauseUnknown, Reproduce: req}); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := rp.Wait(); err != nil {
				t.Fatal(err)
			}
			if maxBody > DefaultBodyLimit {
				t.Errorf("a replayed answer keeps a %d-byte body, want at most %d", maxBody, DefaultBodyLimit)
			}
			if n := len(rp.cache); n > maxReplayCache {
				t.Errorf("the replayer keeps %d results, want at most %d", n, maxReplayCache)
			}
			if n := int(hits.Load()); n != tt.wantProbe {
				t.Errorf("the server saw %d requests, want %d", n, tt.wantProbe)
			}
		})
	}
}

// countingTransport counts the requests that go out.
type countingTransport struct {
	rt http.RoundTripper
	n  atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.rt.RoundTrip(r)
}

// A server that cannot be reached (nothing listens, no such host) is
// tried by the first replays only: the others to it are not sent, and
// say why, so a file of thousands of requests to a dead or firewalled
// server does not take thousands of timeouts. Another server is still
// replayed.
func TestReplayGivesUpOnAnUnreachableServer(t *testing.T) {
	// Bound, never listening: refused, and no other test's server can be
	// given the port (a listener closed here could be reused at once).
	dead := "http://" + refused.Addr(t)
	live := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(live.Close)
	tests := []struct {
		name       string
		dead       int // requests to the dead server
		live       int // then requests to the live one
		wantAtMost int32
		wantLive   int
	}{
		{"many requests to a dead server", 40, 0, 4, 0},
		{"a dead server, then a live one", 40, 3, 4 + 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := &countingTransport{rt: http.DefaultTransport.(*http.Transport).Clone()}
			var results []*Result
			rp := NewReplayer(context.Background(), ReplayOptions{Transport: ct}, func(r *Result) error {
				results = append(results, r)
				return nil
			})
			add := func(u string) {
				req := &cors.Request{Method: http.MethodGet, URL: u, Origin: "http://localhost:3000"}
				if err := rp.Add(&Result{URL: u, Verdict: cors.Blocked, CauseSource: CauseUnknown, Reproduce: req}); err != nil {
					t.Fatal(err)
				}
			}
			for i := 0; i < tt.dead; i++ {
				add(fmt.Sprintf("%s/item/%d", dead, i))
			}
			for i := 0; i < tt.live; i++ {
				add(fmt.Sprintf("%s/item/%d", live.URL, i))
			}
			if err := rp.Wait(); err != nil {
				t.Fatal(err)
			}
			if n := ct.n.Load(); n > tt.wantAtMost {
				t.Errorf("%d requests went out, want at most %d", n, tt.wantAtMost)
			}
			gotLive := 0
			for i, r := range results {
				rep := r.Reported()
				if i < tt.dead {
					if rep == nil || rep.Code != cors.CodeActualNetwork || !strings.Contains(rep.Message, "connection refused") {
						t.Errorf("request %d to the dead server: reported %+v, want its network error", i, rep)
					}
					continue
				}
				if r.CauseSource == CauseLive && rep != nil && rep.Code == cors.CodeMissingAllowOrigin {
					gotLive++
				}
			}
			if gotLive != tt.wantLive {
				t.Errorf("%d requests to the live server replayed, want %d", gotLive, tt.wantLive)
			}
		})
	}
}

// Identical requests are probed once, as they go out: without
// --send-secrets, requests that differ only in a token are the same
// request ([REDACTED]); with it, requests that differ only in their
// cookies are not, and each goes out with its own.
func TestReplayProbesWhatGoesOutOnce(t *testing.T) {
	var mu sync.Mutex
	var seen []string // Authorization|Cookie of each GET
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			mu.Lock()
			seen = append(seen, r.Header.Get("Authorization")+"|"+r.Header.Get("Cookie"))
			mu.Unlock()
		}
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Origin", "http://localhost:3000")
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			w.Header().Set("Access-Control-Allow-Headers", "authorization")
		}
	}))
	t.Cleanup(srv.Close)
	type sent struct{ token, cookie string }
	tests := []struct {
		name    string
		secrets bool
		reqs    []sent
		want    []string // what the server saw, sorted
	}{
		{"tokens differ, not sent", false, []sent{{"Tok1", ""}, {"Tok2", ""}, {"Tok3", ""}}, []string{"Bearer [REDACTED]|"}},
		{"tokens differ, sent", true, []sent{{"Tok1", ""}, {"Tok2", ""}}, []string{"Bearer Tok1|", "Bearer Tok2|"}},
		{"cookies differ, sent", true, []sent{{"Tok1", "sid=A"}, {"Tok1", "sid=B"}}, []string{"Bearer Tok1|sid=A", "Bearer Tok1|sid=B"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			seen = nil
			mu.Unlock()
			rp := NewReplayer(context.Background(), ReplayOptions{SendSecrets: tt.secrets}, func(*Result) error { return nil })
			for _, s := range tt.reqs {
				req := &cors.Request{Method: http.MethodGet, URL: srv.URL + "/me", Origin: "http://localhost:3000",
					Header: http.Header{"Authorization": {"Bearer " + s.token}}, Credentials: s.cookie != ""}
				if err := rp.Add(&Result{URL: req.URL, Verdict: cors.Blocked, CauseSource: CauseUnknown, Reproduce: req, ReproduceCookie: s.cookie}); err != nil {
					t.Fatal(err)
				}
			}
			if err := rp.Wait(); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			got := slices.Sorted(slices.Values(seen))
			mu.Unlock()
			if !slices.Equal(got, tt.want) {
				t.Errorf("the server saw %q, want %q", got, tt.want)
			}
		})
	}
}
