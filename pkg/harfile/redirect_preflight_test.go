package harfile

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// putPreflightReq is the request headers of a JSON PUT's preflight from
// origin, putPreflightAllow an answer that allows it for origin.
func putPreflightReq(origin string) [][2]string {
	return [][2]string{{"Origin", origin}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", "content-type"}}
}

func putPreflightAllow(origin string) [][2]string {
	return [][2]string{{"Access-Control-Allow-Origin", origin}, {"Access-Control-Allow-Methods", "PUT"}, {"Access-Control-Allow-Headers", "content-type"}}
}

// Chromium sends a new preflight to the URL a preflighted request is
// redirected to (Origin: null after a cross-origin hop) and records it as
// an entry of its own, before or after the hop's entry. It belongs to the
// redirect, not to a request of its own.
func TestRedirectPreflightPairing(t *testing.T) {
	const (
		api = "https://api.test/x"
		cdn = "https://cdn.test/x"
	)
	preflightReq, allow := putPreflightReq, putPreflightAllow
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

// TestCauseNotInFileNamesWhatHasNoAnswer: cause-not-in-file says which
// request of the chain the file holds no answer for. After a redirect it
// is the request the redirect led to (Chromium: status 0 and
// net::ERR_FAILED where the new preflight stopped it; Firefox: status 0
// and no headers for the request it did not send), or the preflight sent
// before it, not the first request, whose answer the file holds.
func TestCauseNotInFileNamesWhatHasNoAnswer(t *testing.T) {
	const (
		api = "https://api.test/x"
		cdn = "https://cdn.test/x"
	)
	pfReq, allow := putPreflightReq, putPreflightAllow("*")
	first := entryJSON("2024-01-01T00:00:00.100Z", "OPTIONS", api, "preflight", pfReq(app), 204, allow, "")
	put := entryJSON("2024-01-01T00:00:00.200Z", "PUT", api, "fetch", corsReq, 307,
		[][2]string{{"Location", cdn}, {"Access-Control-Allow-Origin", "*"}}, "")
	hopFailed := entryJSON("2024-01-01T00:00:00.300Z", "PUT", cdn, "fetch", [][2]string{{"Referer", app + "/"}}, 0, nil, "net::ERR_FAILED")
	pfFailed := entryJSON("2024-01-01T00:00:00.300Z", "OPTIONS", cdn, "preflight", pfReq("null"), 0, nil, "net::ERR_FAILED")
	putFailed := entryJSON("2024-01-01T00:00:00.200Z", "PUT", api, "fetch", corsReq, 0, nil, "net::ERR_FAILED")
	// A preflight that allows credentials too: no header explains the failure.
	firstCred := entryJSON("2024-01-01T00:00:00.100Z", "OPTIONS", api, "preflight", pfReq(app), 204,
		append([][2]string{{"Access-Control-Allow-Origin", app}, {"Access-Control-Allow-Credentials", "true"}}, allow[1:]...), "")
	// Firefox's export: the request it did not send after the redirect.
	// Its preflight answers *, which a credentialed request fails, so
	// the 307 (also *) did not fail for credentials: the cause is not in
	// the file.
	ffPF := entryJSON("2024-01-01T00:00:00.100Z", "OPTIONS", api, "", pfReq(app), 204, allow, "")
	ffPut := entryJSON("2024-01-01T00:00:00.200Z", "PUT", api, "", corsReq, 307,
		[][2]string{{"Location", ""}, {"Access-Control-Allow-Origin", "*"}}, "")
	ffUnsent := entryJSON("2024-01-01T00:00:00.300Z", "PUT", api, "", [][2]string{{"Accept", "*/*"}}, 0, nil, "")
	firefox := strings.Replace(harOf(ffPF, ffPut, ffUnsent), `{"log":{`, `{"log":{"creator":{"name":"Firefox","version":"153.8.0"},`, 1)
	for _, tt := range []struct {
		name, har, want string
	}{
		{"no answer to the request", harOf(firstCred, putFailed),
			"the browser blocked this request (status 0, net::ERR_FAILED) but the file records no response headers for it;"},
		{"no answer after the redirect", harOf(first, put, hopFailed),
			"the browser blocked this request (status 307) but the file records no response headers for the request its redirect led to (status 0, net::ERR_FAILED);"},
		{"no answer to the redirect's preflight", harOf(first, put, hopFailed, pfFailed),
			"the browser blocked this request (status 307) but the file records no response headers for the preflight sent before following its redirect (status 0, net::ERR_FAILED);"},
		{"firefox: the request it did not send", firefox,
			"the browser blocked this request (status 307) but the file records no response headers for the request its redirect led to (status 0);"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, rs := analyze(t, tt.har)
			var r *Result
			for _, x := range rs {
				if x.URL == api && x.Method == "PUT" {
					r = x
				}
			}
			if r == nil {
				t.Fatalf("no result for PUT %s: %+v", api, rs)
			}
			f := r.Reported()
			if f == nil || f.Code != CodeCauseNotInFile {
				t.Fatalf("reported %+v, want %s", f, CodeCauseNotInFile)
			}
			if !strings.HasPrefix(f.Message, tt.want) {
				t.Errorf("message\n got %q\nwant %q…", f.Message, tt.want)
			}
		})
	}
}
