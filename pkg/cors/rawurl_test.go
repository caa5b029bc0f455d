package cors

import (
	"fmt"
	"net/http"
	"testing"
)

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

// Past the few headers a page sets, the names are indexed, not scanned:
// the plan is the same (repeated names joined, the list sorted and
// de-duplicated), and a paste of thousands of -H costs linear time
// (BenchmarkPlanManyHeaders; 20,000 took 13 s when scanned).
func TestPlanManyHeaders(t *testing.T) {
	h := http.Header{}
	for i := 0; i < 100; i++ {
		h.Add(fmt.Sprintf("X-H%03d", i), "v")
	}
	h.Add("X-H005", "w")            // one key, two values
	h["x-h050"] = []string{"lower"} // another key spelling X-H050
	r := Request{Method: "GET", URL: api, Origin: page, Header: h}
	pl := Chromium.PlanRequest(&r)
	if !pl.Preflight || len(pl.UnsafeHeaders) != 100 || pl.UnsafeHeaders[0] != "x-h000" || pl.UnsafeHeaders[99] != "x-h099" {
		t.Fatalf("plan: preflight %v, %d unsafe headers %v", pl.Preflight, len(pl.UnsafeHeaders), pl.UnsafeHeaders)
	}
	if got := pl.AuthorHeaders.Get("X-H005"); got != "v, w" {
		t.Errorf("X-H005 = %q, want the two values joined", got)
	}
	if got := pl.AuthorHeaders.Get("X-H050"); got != "v, lower" {
		t.Errorf("X-H050 = %q, want both keys' values joined in key order", got)
	}
}

func BenchmarkPlanManyHeaders(b *testing.B) {
	h := http.Header{}
	for i := 0; i < 20000; i++ {
		h.Add(fmt.Sprintf("X-H%d", i), "v")
	}
	r := Request{Method: "GET", URL: api, Origin: page, Header: h}
	for i := 0; i < b.N; i++ {
		Chromium.PlanRequest(&r)
	}
}
