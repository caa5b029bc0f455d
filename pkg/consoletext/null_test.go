package consoletext

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestReadNullWithRedirectShown: a redirect the text shows did not make
// its null. Chromium 156 names the page's origin after a tainting redirect
// (conformance redirect-cross-origin-taint), so its null is the page's; an
// older Chrome's "Redirect from" and WebKit's "Cross-origin redirection to
// … denied" are the redirect's own response, sent before the redirect was
// followed. None is read as origin-tainted-by-redirect.
func TestReadNullWithRedirectShown(t *testing.T) {
	tests := []struct {
		name, text, null string
		code             cors.Code
		// taintNote: the note says the redirect also taints once the
		// page has a real origin.
		taintNote bool
	}{
		{"chrome redirected from, cross-origin",
			"Access to fetch at 'https://cdn.example.net/items' (redirected from 'https://api.example.com/items') from origin 'null' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			NullPage, cors.CodeMissingAllowOrigin, true},
		{"chrome redirected from, same origin",
			"Access to fetch at 'https://api.example.com/items/' (redirected from 'https://api.example.com/items') from origin 'null' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			NullPage, cors.CodeMissingAllowOrigin, false},
		{"older chrome, the redirect's own response",
			"Failed to load https://api.example.com/items: Redirect from 'https://api.example.com/items' to 'https://cdn.example.net/items' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin 'null' is therefore not allowed access.",
			NullPage, cors.CodeMissingAllowOrigin, false},
		{"safari, a refused redirect",
			"Cross-origin redirection to https://cdn.example.net/items denied by Cross-Origin Resource Sharing policy: Origin null is not allowed by Access-Control-Allow-Origin. Status code: 302",
			NullEither, cors.CodeMissingAllowOrigin, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Read(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if r.NullOrigin != tt.null || r.Code != tt.code {
				t.Errorf("null_origin %q code %s, want %q %s (note %q)", r.NullOrigin, r.Code, tt.null, tt.code, r.Note)
			}
			if tt.null == NullPage && (r.Code == cors.CodeOriginTainted || strings.Contains(r.Note, "the browser never requested") &&
				strings.Contains(r.Note, "after such a redirect")) {
				t.Errorf("reads the null as the redirect's: %q", r.Note)
			}
			if got := strings.Contains(r.Note, "origin-tainted-by-redirect"); got != tt.taintNote {
				t.Errorf("note names the taint: %v, want %v: %q", got, tt.taintNote, r.Note)
			}
		})
	}
}
