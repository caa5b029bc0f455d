package probe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// A non-secure public page calling a loopback server is stopped by
// Chromium's Local Network Access check before any request is sent.
func TestLocalNetworkInsecureBrowserSendsNothing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Methods", "PUT")
		w.Header().Set("Access-Control-Allow-Headers", "content-type")
	}))
	defer srv.Close()
	tests := []struct {
		name, origin string
		wantSends    bool
	}{
		{"non-secure public page", "http://public.example", false},
		{"secure public page (prompts; judged as granted)", "https://public.example", true},
		{"loopback page", "http://127.0.0.1:9", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(context.Background(), Options{
				Request: cors.Request{Method: "PUT", URL: srv.URL + "/x", Origin: tt.origin,
					Header: http.Header{"Content-Type": {"application/json"}}},
				SendActual: true, Timeout: 5 * time.Second,
			})
			if err != nil {
				t.Fatal(err)
			}
			if res.BrowserSendsPreflight != tt.wantSends || res.BrowserSendsActual != tt.wantSends {
				t.Errorf("browser sends preflight=%v actual=%v, want %v", res.BrowserSendsPreflight, res.BrowserSendsActual, tt.wantSends)
			}
		})
	}
}

// A non-secure public page whose request reaches a public server first and
// is redirected to loopback: the browser sends the request (and its
// preflight) and stops at the redirect's target (Chromium 156, scenarios
// lna-public-insecure-redirect-to-loopback-get and -put). The first server
// is made public by its address, as the conformance suite does.
func TestLocalNetworkInsecureGatedAtRedirect(t *testing.T) {
	allow := func(w http.ResponseWriter) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Methods", "PUT")
	}
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { allow(w) }))
	defer target.Close()
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		allow(w)
		if r.Method != http.MethodOptions {
			http.Redirect(w, r, target.URL+"/y", http.StatusPermanentRedirect)
		}
	}))
	defer first.Close()
	tests := []struct {
		name, method              string
		public                    bool // the first server's hops get a public address
		wantPreflight, wantActual bool
	}{
		{"GET, first URL loopback: gated before anything is sent", "GET", false, false, false},
		{"GET, first URL public: sent, the redirect's target gated", "GET", true, false, true},
		{"PUT, first URL loopback: not even the preflight", "PUT", false, false, false},
		{"PUT, first URL public: preflight and request sent, the redirect's preflight gated", "PUT", true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(context.Background(), Options{
				Request:    cors.Request{Method: tt.method, URL: first.URL + "/x", Origin: "http://public.example"},
				SendActual: true, Timeout: 5 * time.Second,
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Exchange.Actual) != 2 {
				t.Fatalf("%d hops, want 2", len(res.Exchange.Actual))
			}
			if tt.public {
				if pf := res.Exchange.Preflight; pf != nil {
					pf.RemoteAddress = "203.0.113.1:80"
				}
				res.Exchange.Actual[0].RemoteAddress = "203.0.113.1:80"
				res.GateLocalNetwork()
			}
			if d := res.profile.Evaluate(res.Exchange); !d.Has(cors.CodeLocalNetworkInsecure) {
				t.Fatalf("no %s: %v", cors.CodeLocalNetworkInsecure, d.Findings)
			}
			if res.BrowserSendsPreflight != tt.wantPreflight || res.BrowserSendsActual != tt.wantActual {
				t.Errorf("browser sends preflight=%v actual=%v, want %v, %v", res.BrowserSendsPreflight, res.BrowserSendsActual, tt.wantPreflight, tt.wantActual)
			}
		})
	}
}
