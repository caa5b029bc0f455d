package probe

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestRedirectModeStops: with fetch()'s redirect 'manual' or 'error' the
// browser never requests the redirect's target, so the probe does not
// either, and the engine's verdict is the mode's (an opaque redirect is
// allowed, 'error' is blocked); 'follow' goes on to the target.
func TestRedirectModeStops(t *testing.T) {
	for _, tc := range []struct {
		mode    string
		hops    int
		verdict cors.Verdict
		code    cors.Code
	}{
		{cors.RedirectFollow, 2, cors.Allowed, cors.CodeOriginTainted},
		{cors.RedirectManual, 1, cors.Allowed, cors.CodeOpaqueRedirect},
		{cors.RedirectError, 1, cors.Blocked, cors.CodeRedirectModeError},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			b, sb := server(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
			})
			a, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				http.Redirect(w, r, b.URL+"/final", http.StatusFound)
			})
			res := run(t, Options{Request: cors.Request{URL: a.URL + "/start", Redirect: tc.mode}})
			if n := len(res.Exchange.Actual); n != tc.hops || len(sb.all()) != tc.hops-1 {
				t.Fatalf("%d hops, the target saw %d requests; want %d hops", n, len(sb.all()), tc.hops)
			}
			d := cors.Evaluate(res.Exchange)
			if d.Verdict != tc.verdict || !hasCode(d, tc.code) {
				t.Errorf("verdict %s %v, want %s with %s", d.Verdict, codes(d), tc.verdict, tc.code)
			}
		})
	}
}

// TestRedirectModeUnknown: a mode fetch() does not know ("Manual": the
// enum is case-sensitive) is the caller's mistake: refused before anything
// is sent, never taken for 'follow'.
func TestRedirectModeUnknown(t *testing.T) {
	a, sa := server(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/final", http.StatusFound)
	})
	_, err := Run(context.Background(), Options{Request: cors.Request{URL: a.URL + "/start", Origin: pageOrigin, Redirect: "Manual"}})
	if err == nil || !strings.Contains(err.Error(), `"Manual"`) || len(sa.all()) != 0 {
		t.Errorf("Run: %v, %d requests sent; want an error naming \"Manual\" and none", err, len(sa.all()))
	}
}
