package probe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Chromium preflights the new URL before it follows a redirect of a request
// that needs a preflight (verified by pkg/conformance); the probe does too.
func TestRedirectPreflight(t *testing.T) {
	tests := []struct {
		name        string
		secondPF    int // status of the OPTIONS at /b
		wantTrail   string
		wantVerdict cors.Verdict
	}{
		{"second preflight passes", 204, "OPTIONS /a, PUT /a, OPTIONS /b, PUT /b", cors.Allowed},
		{"second preflight fails", 403, "OPTIONS /a, PUT /a, OPTIONS /b", cors.Blocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var trail []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				trail = append(trail, r.Method+" "+r.URL.Path)
				mu.Unlock()
				w.Header().Set("Access-Control-Allow-Origin", "*")
				switch {
				case r.Method == http.MethodOptions && r.URL.Path == "/b":
					w.Header().Set("Access-Control-Allow-Methods", "PUT")
					w.WriteHeader(tt.secondPF)
				case r.Method == http.MethodOptions:
					w.Header().Set("Access-Control-Allow-Methods", "PUT")
					w.WriteHeader(204)
				case r.URL.Path == "/a":
					w.Header().Set("Location", "/b")
					w.WriteHeader(307)
				default:
					w.WriteHeader(200)
				}
			}))
			defer srv.Close()
			res, err := Run(context.Background(), Options{
				Request:    cors.Request{Method: "PUT", URL: srv.URL + "/a", Origin: "http://127.0.0.1:1"},
				SendActual: true, Timeout: 5 * time.Second,
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(trail, ", "); got != tt.wantTrail {
				t.Errorf("requests %q, want %q", got, tt.wantTrail)
			}
			if res.Exchange.Actual[0].RedirectPreflight == nil {
				t.Error("the redirect hop has no RedirectPreflight")
			}
			if d := cors.Evaluate(res.Exchange); d.Verdict != tt.wantVerdict {
				t.Errorf("verdict %s, want %s", d.Verdict, tt.wantVerdict)
			}
		})
	}
}
