package harfile

import (
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Chromium sends a new preflight to the URL a preflighted request is
// redirected to (Origin: null after a cross-origin hop) and records it as
// an entry of its own, before or after the hop's entry. It belongs to the
// redirect, not to a request of its own.
func TestRedirectPreflightPairing(t *testing.T) {
	const (
		api = "https://api.test/x"
		cdn = "https://cdn.test/x"
	)
	preflightReq := func(origin string) [][2]string {
		return [][2]string{{"Origin", origin}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", "content-type"}}
	}
	allow := func(origin string) [][2]string {
		return [][2]string{{"Access-Control-Allow-Origin", origin}, {"Access-Control-Allow-Methods", "PUT"}, {"Access-Control-Allow-Headers", "content-type"}}
	}
	first := entryJSON("2024-01-01T00:00:00.100Z", "OPTIONS", api, "preflight", preflightReq(app), 204, allow(app), "")
	put := entryJSON("2024-01-01T00:00:00.200Z", "PUT", api, "fetch", corsReq, 307,
		[][2]string{{"Location", cdn}, {"Access-Control-Allow-Origin", app}}, "")
	// The hop's entry: Chromium records no response for a request its
	// redirect preflight stopped.
	hopFailed := entryJSON("2024-01-01T00:00:00.300Z", "PUT", cdn, "fetch", [][2]string{{"Referer", app + "/"}}, 0, nil, "net::ERR_FAILED")
	hopOK := entryJSON("2024-01-01T00:00:00.400Z", "PUT", cdn, "fetch", [][2]string{{"Origin", "null"}, {"Sec-Fetch-Mode", "cors"}}, 200,
		[][2]string{{"Access-Control-Allow-Origin", "*"}}, "")
	redirectPF := func(at, acao string) string {
		return entryJSON(at, "OPTIONS", cdn, "preflight", preflightReq("null"), 204, allow(acao), "")
	}
	mismatch := redirectPF("2024-01-01T00:00:00.300Z", app) // the page's origin, not null
	passes := redirectPF("2024-01-01T00:00:00.300Z", "*")
	// A preflight of the new URL that started before the redirect is some
	// other request's: it must not be taken for the redirect's.
	tooEarly := redirectPF("2024-01-01T00:00:00.050Z", app)

	tests := []struct {
		name     string
		entries  []string
		verdict  cors.Verdict
		reported cors.Code // "" when allowed
		results  int
	}{
		{"redirect preflight after the hop", []string{first, put, hopFailed, mismatch}, cors.Blocked, cors.CodePreflightAllowOriginMismatch, 1},
		{"redirect preflight before the hop", []string{first, put, mismatch, hopFailed}, cors.Blocked, cors.CodePreflightAllowOriginMismatch, 1},
		{"passing redirect preflight, hop answered", []string{first, put, passes, hopOK}, cors.Allowed, "", 1},
		{"passing redirect preflight after the hop", []string{first, put, hopOK, passes}, cors.Allowed, "", 1},
		// Without the redirect's preflight the browser's reason is not in
		// the file; the early preflight stays a request of its own.
		{"preflight from before the redirect is not the hop's", []string{tooEarly, first, put, hopFailed}, cors.Blocked, CodeCauseNotInFile, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, rs := analyze(t, harOf(tt.entries...))
			if len(rs) != tt.results {
				t.Fatalf("%d results, want %d: %+v", len(rs), tt.results, rs)
			}
			var r *Result
			for _, x := range rs {
				if x.URL == api {
					r = x
				}
			}
			if r == nil {
				t.Fatalf("no result for the redirected request %s", api)
			}
			if r.Verdict != tt.verdict {
				t.Fatalf("verdict %s, want %s; findings %v", r.Verdict, tt.verdict, r.Findings)
			}
			if got := r.Exchange.Actual[0].RedirectPreflight != nil; got != (tt.results == 1) {
				t.Errorf("redirect preflight judged: %v, want %v", got, tt.results == 1)
			}
			// Each hop's entry counts as a request (as before); a paired
			// redirect preflight does not.
			if want := tt.results + 1; sum.Preflights != 2 || sum.Requests != want {
				t.Errorf("summary preflights %d requests %d, want 2 and %d", sum.Preflights, sum.Requests, want)
			}
			if tt.reported == "" {
				return
			}
			f := r.Reported()
			if f == nil || f.Code != tt.reported {
				t.Fatalf("reported %v, want %s", f, tt.reported)
			}
			if f.Code == cors.CodePreflightAllowOriginMismatch && f.Step != "redirect 1 preflight" {
				t.Errorf("reported at %q, want the redirect's preflight", f.Step)
			}
		})
	}
}
