package platform

import (
	"net/http"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestAPIGWMockOtherOrigin: an OPTIONS mock whose static origin is another
// origin is named as the mock's; a value that is the page's origin written
// otherwise (its default port, a slash, letter case), a pattern or null is
// no origin to keep answering, and gets the cause that fits it or none.
func TestAPIGWMockOtherOrigin(t *testing.T) {
	put := cors.Request{Method: "PUT", URL: "/items/1", Origin: prodOrigin,
		Header: http.Header{"Content-Type": {"application/json"}}}
	tests := []struct {
		acao   string
		origin string // "" : prodOrigin
		mock   bool
		cause  cors.Code // "" : any
	}{
		{acao: "https://old.example.com", mock: true, cause: CodeAPIGWMockOtherOrigin},
		{acao: "https://app.example.com:8443", mock: true, cause: CodeAPIGWMockOtherOrigin},
		{acao: "https://app.example.com:443", cause: CodeAllowOriginDefaultPort},
		{acao: "https://app.example.com/"},
		{acao: "https://App.Example.com"},
		{acao: "https://*.example.com"},
		{acao: "null"},
		{acao: "https://old.example.com", origin: "null"},
	}
	for _, tt := range tests {
		t.Run(tt.acao+" to "+tt.origin, func(t *testing.T) {
			h := answering("x-amzn-RequestId", "7d6a3c41-8f2e-4b55-9f0a-2f1c3e4d5a6b", "x-amz-apigw-id", "Ab1CdEfGhIjKlMn=",
				"Access-Control-Allow-Origin", tt.acao, "Access-Control-Allow-Methods", "OPTIONS,PUT",
				"Access-Control-Allow-Headers", "Content-Type")
			req := put
			if tt.origin != "" {
				req.Origin = tt.origin
			}
			d := diagnose(t, h, req)
			if got := d.Has(CodeAPIGWMockOtherOrigin); got != tt.mock {
				t.Errorf("%s: %v, want %v", CodeAPIGWMockOtherOrigin, got, tt.mock)
			}
			if c := d.Cause(); tt.cause != "" && (c == nil || c.Code != tt.cause) {
				t.Errorf("cause %v, want %s", c, tt.cause)
			}
		})
	}
}
