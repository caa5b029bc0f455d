package awsmodel

import (
	"net/http"
	"slices"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// An HTTP API authorizer's own 401 with a CORS configuration: a JWT
// authorizer's carries the configured headers (captured, see
// missing-vary-origin.md); no answer of a Lambda or IAM authorizer was
// found, so theirs carries none. On the preflight an ANY route's
// authorizer takes, the origin then passes and the status fails.
func TestHTTPAPIAuthorizerRefusal(t *testing.T) {
	page := "https://app.example.com"
	tests := []struct {
		typ      string
		withCORS bool
	}{
		{"JWT", true},
		{"CUSTOM", false},
		{"AWS_IAM", false},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			svc := &HTTPAPI{ID: "H",
				Cors: &CorsConfig{AllowOrigins: []string{page}, AllowMethods: []string{"PUT"},
					AllowHeaders: []string{"content-type"}, AllowCredentials: true},
				RouteList: []*HTTPRoute{{Method: "ANY", Path: "$default",
					Authorizer: &Authorizer{Type: tt.typ, Header: "Authorization"}}}}
			// No Authorization: the authorizer refuses the actual request too.
			req := cors.Request{Method: "PUT", Origin: page,
				Header: http.Header{"Content-Type": {"application/json"}}}
			ex := Answer(svc, Route{Method: "PUT", Path: "/items"}, req, nil).Exchange
			for step, m := range map[string]*cors.Message{
				"preflight": ex.Preflight.Response, "actual": ex.FinalResponse()} {
				if m.Status != http.StatusUnauthorized {
					t.Fatalf("%s: status %d, want 401", step, m.Status)
				}
				got := m.Header.Get(cors.HeaderAllowOrigin) == page &&
					m.Header.Get(cors.HeaderAllowCredentials) == "true" && varyOrigin(m)
				if got != tt.withCORS {
					t.Errorf("%s: CORS headers %v, want %v (%v)", step, got, tt.withCORS, m.Header)
				}
			}
			var codes []cors.Code
			for _, f := range cors.Evaluate(ex).Findings {
				if f.Step == "preflight" {
					codes = append(codes, f.Code)
				}
			}
			if !slices.Contains(codes, cors.CodePreflightStatus) {
				t.Errorf("preflight findings %v lack %s", codes, cors.CodePreflightStatus)
			}
			if got := slices.Contains(codes, cors.CodePreflightMissingAllowOrigin); got == tt.withCORS {
				t.Errorf("preflight findings %v: %s %v", codes, cors.CodePreflightMissingAllowOrigin, got)
			}
		})
	}
}
