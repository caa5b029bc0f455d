package consoletext

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestReadPrivateNetworkAccessPreflight: Chrome before 142 (Private Network
// Access) refused a public page's request to a local address unless the
// preflight answered Access-Control-Allow-Private-Network: true; users
// still paste that line (expressjs/cors#290). Today's Chrome asks the user
// instead (local-network-access-permission): the line reads as that, in
// an older Chrome's wording, with a note on the header and the prompt.
func TestReadPrivateNetworkAccessPreflight(t *testing.T) {
	for _, tt := range []struct{ text, url, origin, initiator, space string }{
		{"Access to fetch at 'http://localhost:8080/api' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Private-Network' header was present in the preflight response for this private network request targeting the `local` address space.",
			"http://localhost:8080/api", "https://app.example.com", "fetch", "local"},
		{"Access to XMLHttpRequest at 'http://192.168.0.10/status' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Private-Network' header was present in the preflight response for this private network request targeting the `private` address space.",
			"http://192.168.0.10/status", "https://app.example.com", "XMLHttpRequest", "private"},
	} {
		r, err := Read(tt.text)
		if err != nil {
			t.Fatalf("%v:\n%s", err, tt.text)
		}
		if r.Browser != cors.Chromium.Name || r.Code != cors.CodeLocalNetworkPermission || r.URL != tt.url || r.Origin != tt.origin || r.Initiator != tt.initiator || r.Param != tt.space {
			t.Errorf("read %s %s url %q origin %q initiator %q param %q", r.Browser, r.Code, r.URL, r.Origin, r.Initiator, r.Param)
		}
		if r.Legacy == "" || !strings.Contains(r.Note, "Access-Control-Allow-Private-Network: true") || !strings.Contains(r.Note, "prompt") {
			t.Errorf("legacy %q note %q: want an older wording and a note on the header and the prompt", r.Legacy, r.Note)
		}
	}
}
