package probe

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/refused"
)

// The error-path probe goes out beside the exchange, not after it: the
// first request of the exchange is held until the probe has arrived, which
// only happens when both are in flight at once.
func TestErrorPathBesideTheExchange(t *testing.T) {
	tests := []struct {
		name  string
		opts  Options
		first string // method of the exchange's first request
	}{
		{"simple GET", Options{Request: cors.Request{URL: "/items"}}, http.MethodGet},
		{"preflighted PUT", Options{Request: cors.Request{URL: "/items", Method: http.MethodPut,
			Header: http.Header{"Content-Type": {"application/json"}}}, SendActual: true, Body: []byte(`{}`)}, http.MethodOptions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probeArrived := make(chan struct{})
			var once atomic.Bool
			var overlapped atomic.Bool
			srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
				if strings.Contains(r.URL.Path, "corsdiag-probe-") {
					if once.CompareAndSwap(false, true) {
						close(probeArrived)
					}
					http.NotFound(w, r)
					return
				}
				if r.Method == tt.first && r.URL.Path == "/items" {
					// No deadline of the test's own (a fixed 5s could pass
					// before a concurrent probe came, on a loaded machine):
					// a sequential probe never comes, and the check's
					// timeout then ends the wait.
					select {
					case <-probeArrived:
						overlapped.Store(true)
					case <-r.Context().Done():
						return
					}
				}
				corsOK(w, r)
			})
			o := tt.opts
			o.Request.URL = srv.URL + o.Request.URL
			o.ErrorProbe = true
			res := run(t, o)
			if !overlapped.Load() {
				t.Error("the error-path probe waited for the exchange instead of going out beside it")
			}
			if len(res.ErrorPaths) != 1 || res.ErrorPaths[0].Hop.Response == nil || res.ErrorPaths[0].Hop.Response.Status != 404 {
				t.Errorf("error paths = %+v", res.ErrorPaths)
			}
		})
	}
}

// With two probes finishing in either order, the result lists them in a
// fixed order: unknown path, then without credentials.
func TestErrorPathOrderFixed(t *testing.T) {
	for _, slow := range []string{"unknown", "credentials"} {
		t.Run("slow "+slow, func(t *testing.T) {
			srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
				unknown := strings.Contains(r.URL.Path, "corsdiag-probe-")
				bare := r.Method == http.MethodGet && r.Header.Get("Authorization") == "" && !unknown
				if (slow == "unknown" && unknown) || (slow == "credentials" && bare) {
					time.Sleep(50 * time.Millisecond)
				}
				corsOK(w, r)
			})
			res := run(t, Options{Request: cors.Request{URL: srv.URL + "/me", Header: http.Header{"Authorization": {"Bearer t"}}}, ErrorProbe: true})
			if len(res.ErrorPaths) != 2 || res.ErrorPaths[0].Purpose != PurposeUnknownPath || res.ErrorPaths[1].Purpose != PurposeWithoutCredentials {
				t.Fatalf("error paths = %+v", res.ErrorPaths)
			}
			if !strings.Contains(res.ErrorPaths[0].Hop.Request.URL, "corsdiag-probe-") || res.ErrorPaths[1].Hop.Request.URL != srv.URL+"/me" {
				t.Errorf("hops under the wrong purpose: %s, %s", res.ErrorPaths[0].Hop.Request.URL, res.ErrorPaths[1].Hop.Request.URL)
			}
		})
	}
}

// An unreachable endpoint is reported as such, error-path probe or not.
func TestErrorPathUnreachable(t *testing.T) {
	res, err := Run(t.Context(), Options{Request: cors.Request{URL: "http://" + refused.Addr(t) + "/x", Origin: pageOrigin}, ErrorProbe: true})
	if _, ok := err.(*UnreachableError); !ok {
		t.Fatalf("err = %v, want *UnreachableError", err)
	}
	if len(res.ErrorPaths) != 0 {
		t.Errorf("error paths of an unreachable endpoint: %+v", res.ErrorPaths)
	}
}

// Connections are reused as a browser reuses them, and the protocol each
// answer came in (HTTP/2 by ALPN on https) is in the exchange and the HAR.
func TestProtocolAndKeepAlive(t *testing.T) {
	tests := []struct {
		name  string
		tls   bool
		h2    bool
		proto string
	}{
		{"http", false, false, "HTTP/1.1"},
		{"https, HTTP/1.1 only", true, false, "HTTP/1.1"},
		{"https with h2", true, true, "HTTP/2.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var conns atomic.Int32
			srv := httptest.NewUnstartedServer(http.HandlerFunc(corsOK))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.EnableHTTP2 = tt.h2
			if tt.tls {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			t.Cleanup(srv.Close)
			res := run(t, Options{Insecure: true, SendActual: true, Body: []byte(`{}`), Request: cors.Request{
				URL: srv.URL + "/items", Method: http.MethodPut, Header: http.Header{"Content-Type": {"application/json"}}}})
			ex := res.Exchange
			if ex.Preflight == nil || len(ex.Actual) != 1 {
				t.Fatalf("exchange %+v", ex)
			}
			if ex.Preflight.Protocol != tt.proto || ex.Actual[0].Protocol != tt.proto {
				t.Errorf("protocols %q, %q; want %q", ex.Preflight.Protocol, ex.Actual[0].Protocol, tt.proto)
			}
			if n := conns.Load(); n != 1 {
				t.Errorf("preflight and actual request took %d connections, want 1 (keep-alive)", n)
			}
			var buf bytes.Buffer
			if err := res.WriteHAR(&buf, true); err != nil {
				t.Fatal(err)
			}
			var h struct {
				Log struct {
					Entries []struct {
						Request  struct{ HTTPVersion string }
						Response struct{ HTTPVersion string }
					}
				}
			}
			if err := json.Unmarshal(buf.Bytes(), &h); err != nil || len(h.Log.Entries) != 2 {
				t.Fatalf("HAR: %v, %d entries", err, len(h.Log.Entries))
			}
			for _, e := range h.Log.Entries {
				if e.Request.HTTPVersion != tt.proto || e.Response.HTTPVersion != tt.proto {
					t.Errorf("HAR httpVersion %q/%q, want %q", e.Request.HTTPVersion, e.Response.HTTPVersion, tt.proto)
				}
			}
		})
	}
}
