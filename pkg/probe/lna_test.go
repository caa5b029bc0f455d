package probe

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/refused"
)

// The probe records the address each hop was sent to, which the engine's
// Local Network Access check judges.
func TestRemoteAddressRecorded(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			http.Redirect(w, r, "/items", http.StatusFound)
			return
		}
		corsOK(w, r)
	})
	v6 := httptest.NewUnstartedServer(http.HandlerFunc(corsOK))
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	v6.Listener = ln
	v6.Start()
	t.Cleanup(v6.Close)

	tests := []struct {
		name     string
		url      string
		method   string
		wantHost string
		hops     int
	}{
		{"simple GET through a redirect", srv.URL + "/start", "GET", srv.Listener.Addr().String(), 2},
		{"preflighted PUT", srv.URL + "/items", "PUT", srv.Listener.Addr().String(), 1},
		{"IPv6 loopback", v6.URL + "/items", "GET", ln.Addr().String(), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, Options{Request: cors.Request{Method: tc.method, URL: tc.url, Header: http.Header{"X-Custom": {"1"}}}, SendActual: true})
			ex := res.Exchange
			if len(ex.Actual) != tc.hops {
				t.Fatalf("%d actual hops, want %d", len(ex.Actual), tc.hops)
			}
			hops := append([]cors.Hop(nil), ex.Actual...)
			if ex.Preflight != nil {
				hops = append(hops, *ex.Preflight)
			}
			for i, h := range hops {
				if h.RemoteAddress != tc.wantHost {
					t.Errorf("hop %d (%s %s): RemoteAddress %q, want %q", i, h.Request.Method, h.Request.URL, h.RemoteAddress, tc.wantHost)
				}
			}
			// The page is public (a name), the server loopback: Chromium
			// 142+ asks for the permission.
			d := cors.Evaluate(ex)
			if !d.Has(cors.CodeLocalNetworkPermission) {
				t.Errorf("no %s from a public page to %s", cors.CodeLocalNetworkPermission, tc.wantHost)
			}
		})
	}
}

// A refused connection has no remote address: nothing connected.
func TestRemoteAddressEmptyWithoutConnection(t *testing.T) {
	addr := refused.Addr(t)
	res, _ := Run(t.Context(), Options{Request: cors.Request{URL: "http://" + addr + "/x", Origin: pageOrigin}})
	if res == nil || len(res.Exchange.Actual) != 1 {
		t.Fatalf("want one failed hop, got %+v", res)
	}
	if h := res.Exchange.Actual[0]; h.RemoteAddress != "" || !strings.Contains(h.NetError, "refused") {
		t.Errorf("hop: RemoteAddress %q NetError %q; want none and a refusal", h.RemoteAddress, h.NetError)
	}
}

// Through a proxy the address is the proxy's, which tells nothing about
// the server: none is recorded.
func TestRemoteAddressNotRecordedThroughProxy(t *testing.T) {
	proxy := httptest.NewServer(http.HandlerFunc(corsOK)) // answers as the "server"
	t.Cleanup(proxy.Close)
	p := newProber(Options{Request: cors.Request{Origin: pageOrigin}, MaxBody: DefaultMaxBody})
	defer p.close()
	proxyURL, _ := http.NewRequest("GET", proxy.URL, nil)
	p.ownTransp.Proxy = http.ProxyURL(proxyURL.URL)
	hop := p.send(t.Context(), "GET", "http://api.test/items", http.Header{"Origin": {pageOrigin}}, nil)
	if hop.Response == nil {
		t.Fatalf("no response through the proxy: %s", hop.NetError)
	}
	if hop.RemoteAddress != "" {
		t.Errorf("RemoteAddress %q through a proxy, want empty", hop.RemoteAddress)
	}
}
