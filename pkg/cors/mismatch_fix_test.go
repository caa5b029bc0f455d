package cors

import (
	"strings"
	"testing"
)

// TestMismatchFixNamesTheOrigin: an Access-Control-Allow-Origin that names
// another origin (the production site's while the page runs on a dev
// server, another port, http for https, null) is fixed by allowing the
// page's origin, on the preflight and the actual response alike; telling
// the reader to write the origin "exactly, no trailing slash" is for a
// value that means the page's origin but is written otherwise.
func TestMismatchFixNamesTheOrigin(t *testing.T) {
	for _, tt := range []struct {
		acao  string
		allow bool // the fix says to allow the page's origin
	}{
		{"https://prod.example.net", true},
		{"https://app.example.com:8443", true},
		{"http://app.example.com", true},
		{"https://www.app.example.com", true},
		{"null", true},
		{"https://app.example.com/", false},
		{"https://APP.example.com", false},
		{"https://app.example.com:443", false},
		{"https://*.example.com", false},
	} {
		t.Run(tt.acao, func(t *testing.T) {
			for _, step := range []struct {
				code Code
				ex   *Exchange
			}{
				{CodeAllowOriginMismatch, exch(get(), nil, res(200, HeaderAllowOrigin, tt.acao))},
				{CodePreflightAllowOriginMismatch, exch(put(), res(204, HeaderAllowOrigin, tt.acao, HeaderAllowMethods, "PUT", HeaderAllowHeaders, "Content-Type"))},
			} {
				f := find(Chromium.Evaluate(step.ex), step.code)
				if f == nil {
					t.Fatalf("no %s", step.code)
				}
				allows := strings.Contains(f.Fix, "Allow the page's origin, "+page+",")
				if allows != tt.allow {
					t.Errorf("%s fix: %q; want it to say to allow %s: %v", step.code, f.Fix, page, tt.allow)
				}
				if tt.allow && !strings.Contains(f.Fix, tt.acao) {
					t.Errorf("%s fix %q does not name what the server allows today", step.code, f.Fix)
				}
			}
		})
	}
}
