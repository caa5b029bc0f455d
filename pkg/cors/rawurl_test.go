package cors

import "testing"

// A URL whose path or query net/url refuses (a stray %, a raw control
// character) is still an http(s) URL: the URL standard keeps a lone % and
// percent-encodes a control character, and the browser sends the request.
// It is judged on its answer, not reported as cors-disabled-scheme.
func TestRawURLsAreHTTP(t *testing.T) {
	for _, tc := range []struct {
		url      string
		actual   *Message
		verdict  Verdict
		reported Code
	}{
		{"https://api.example.com/files/50%off", okActual(), Allowed, ""},
		{"https://api.example.com/files/50%off", res(200), Blocked, CodeMissingAllowOrigin},
		{"https://api.example.com/q?x=100%", res(200), Blocked, CodeMissingAllowOrigin},
		{"https://api.example.com/a\x00b", okActual(), Allowed, ""},
		{"https://api.example.com:8443/%zz?y=%", res(403), Blocked, CodeMissingAllowOrigin},
		// Not http(s), or no host: still refused.
		{"ftp://api.example.com/50%off", res(200), Blocked, CodeCorsDisabledScheme},
		{"https:///50%off", res(200), Blocked, CodeCorsDisabledScheme},
	} {
		t.Run(tc.url, func(t *testing.T) {
			r := Request{Method: "GET", URL: tc.url, Origin: page}
			d := Chromium.Evaluate(exch(r, nil, tc.actual))
			if d.Verdict != tc.verdict {
				t.Fatalf("verdict %s, want %s; findings %v", d.Verdict, tc.verdict, codes(d))
			}
			if rep := d.Reported(); tc.reported != "" && (rep == nil || rep.Code != tc.reported) {
				t.Fatalf("findings %v, want %s reported", codes(d), tc.reported)
			}
		})
	}
}
