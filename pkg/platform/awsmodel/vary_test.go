package awsmodel

import (
	"net/http"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Managed CORS sends Vary: Origin beside an Access-Control-Allow-Origin
// that names the page, where captured answers show it (managedVary): an
// HTTP API's answers, a function URL's preflight and answers. With * the
// answer does not depend on Origin.
func TestManagedCORSVary(t *testing.T) {
	page := "https://app.example.com"
	config := func(origins ...string) *CorsConfig {
		return &CorsConfig{AllowOrigins: origins, AllowMethods: []string{"PUT"},
			AllowHeaders: []string{"content-type"}}
	}
	httpAPI := func(origins ...string) Service {
		return &HTTPAPI{ID: "H", Cors: config(origins...),
			RouteList: []*HTTPRoute{{Method: "PUT", Path: "/items"}}}
	}
	url := func(origins ...string) Service { return &FunctionURL{ID: "F", Cors: config(origins...)} }
	tests := []struct {
		name                      string
		svc                       Service
		preflightVary, actualVary bool
	}{
		{"http api, listed origin", httpAPI(page), false, true},
		{"http api, deploy-time origin", httpAPI(DeployTimeOrigin), false, true},
		{"http api, *", httpAPI("*"), false, false},
		{"function url, listed origin", url(page), true, true},
		{"function url, pattern", url("https://*.example.com"), true, true},
		{"function url, *", url("*"), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			route := tt.svc.Routes()[0]
			req := cors.Request{Method: "PUT", Origin: page,
				Header: http.Header{"Content-Type": {"application/json"}}}
			ex := Answer(tt.svc, route, req, nil).Exchange
			if ex.Preflight == nil || ex.Preflight.Response == nil {
				t.Fatal("no preflight")
			}
			if got := varyOrigin(ex.Preflight.Response); got != tt.preflightVary {
				t.Errorf("preflight Vary: Origin %v, want %v (%v)",
					got, tt.preflightVary, ex.Preflight.Response.Header)
			}
			if got := varyOrigin(ex.FinalResponse()); got != tt.actualVary {
				t.Errorf("actual Vary: Origin %v, want %v (%v)",
					got, tt.actualVary, ex.FinalResponse().Header)
			}
		})
	}
}

func varyOrigin(m *cors.Message) bool {
	return m != nil && m.Header.Get("Vary") == "Origin"
}
