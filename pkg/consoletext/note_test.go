package consoletext

import (
	"strings"
	"testing"
)

// TestReadAuthStatusNote: a 401 or 403 the text names is told by what got
// it. A preflight never carries cookies or Authorization in any browser,
// so its 401 is the server checking credentials before it answers OPTIONS,
// never the third-party cookies Safari blocks and Firefox partitions;
// those explain a 401 on the request itself.
func TestReadAuthStatusNote(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		want, not  string
	}{
		{"safari, preflight 403",
			"Preflight response is not successful. Status code: 403\nFetch API cannot load https://api.example.com/items due to access control checks.",
			"before it answers OPTIONS", "third-party"},
		{"firefox, preflight 401",
			"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 401.\nCross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS request did not succeed). Status code: (null).",
			"before it answers OPTIONS", "partitions"},
		{"firefox, preflight status 401",
			"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS preflight response did not succeed). Status code: 401.",
			"before it answers OPTIONS", "partitions"},
		{"safari, the request's 403",
			"Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 403",
			"without its cookies", ""},
		{"firefox, the request's 401",
			"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 401.",
			"without its cookies", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Read(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.Note, tt.want) || tt.not != "" && strings.Contains(r.Note, tt.not) {
				t.Errorf("%s read with the note %q; want %q, not %q", r.Code, r.Note, tt.want, tt.not)
			}
		})
	}
}
