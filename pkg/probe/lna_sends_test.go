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
