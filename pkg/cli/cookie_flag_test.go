package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// A -b value no browser could send is the user's mistake: check and audit
// exit 2 before sending anything, without quoting the value (a session
// cookie), instead of a network error (check exited 3, "cannot reach …
// invalid header field value") or an audit whose origins all "got no
// answer" and that passed (exit 0).
func TestCookieFlagRefused(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		name, cookie, want string
	}{
		{"control character", "session=SECRET\x01x", "-b: the value holds a control character (0x01), which corsdiag's HTTP client cannot send (byte 14)"},
		{"line break", "session=SECRET\nx", "-b: the value holds a control character (0x0a): a line break or NUL"},
		{"no name=value", "SECRETTOKEN", "-b: the value has no '=' (11 bytes)"},
	} {
		for _, cmd := range []string{"check", "audit"} {
			t.Run(cmd+"/"+tc.name, func(t *testing.T) {
				code, out, stderr := runMain(nil, false, cmd, srv.URL+"/items", "--origin", testOrigin, "-b", tc.cookie)
				if code != ExitUsage || !strings.Contains(stderr, tc.want) {
					t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, ExitUsage, tc.want)
				}
				if strings.Contains(out+stderr, "SECRET") {
					t.Errorf("the cookie's value is shown:\n%s%s", out, stderr)
				}
			})
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server got %d requests", n)
	}
}
