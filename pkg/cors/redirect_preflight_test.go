package cors

import "testing"

// A request that needs a preflight gets a new one for every URL it is
// redirected to (verified on Chromium 156 by pkg/conformance).
func TestRedirectPreflight(t *testing.T) {
	const cdn = "https://cdn.example.net/items"
	tests := []struct {
		name     string
		pf       *Message // the redirect's preflight; nil: none recorded
		final    *Message // nil: the browser stopped at the preflight
		verdict  Verdict
		reported Code
		browser  string
	}{
		{name: "re-preflight passes", pf: res(204, HeaderAllowOrigin, "*", HeaderAllowMethods, "PUT", HeaderAllowHeaders, "content-type"),
			final: res(200, HeaderAllowOrigin, "*"), verdict: Allowed},
		{name: "tainted origin fails the re-preflight", pf: res(204, HeaderAllowOrigin, page, HeaderAllowMethods, "PUT", HeaderAllowHeaders, "content-type"),
			verdict: Blocked, reported: CodePreflightAllowOriginMismatch,
			browser: "Access to fetch at '" + cdn + "' (redirected from '" + api + "') from origin '" + page + "' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value '" + page + "' that is not equal to the supplied origin. Have the server send the header with a valid value."},
		{name: "re-preflight without the method", pf: res(204, HeaderAllowOrigin, "*"),
			verdict: Blocked, reported: CodeMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := exch(put(), okPreflight(), res(307, "Location", cdn, HeaderAllowOrigin, page))
			ex.Actual[0].RedirectPreflight = &Hop{Request: Message{Method: "OPTIONS", URL: cdn}, Response: tt.pf}
			if tt.final != nil {
				ex.Actual = append(ex.Actual, Hop{Response: tt.final})
			}
			d := Evaluate(ex)
			if d.Verdict != tt.verdict {
				t.Fatalf("verdict %s, want %s; findings %v", d.Verdict, tt.verdict, d.Findings)
			}
			if tt.reported == "" {
				return
			}
			rep := d.Reported()
			if rep.Code != tt.reported || rep.Step != "redirect 1 preflight" {
				t.Errorf("reported %s at %q, want %s at the redirect's preflight", rep.Code, rep.Step, tt.reported)
			}
			if tt.browser != "" && rep.BrowserMessage != tt.browser {
				t.Errorf("BrowserMessage\n got %q\nwant %q", rep.BrowserMessage, tt.browser)
			}
		})
	}
}

func TestNeedsRedirectPreflight(t *testing.T) {
	st := RedirectState{URL: api, Method: "PUT", Origin: page}
	tests := []struct {
		name   string
		r      Request
		status int
		loc    string
		want   bool
	}{
		{"PUT to the same API origin", put(), 307, api + "/2", true},
		{"PUT to another origin", put(), 308, "https://cdn.example.net/x", true},
		{"JSON POST turned into GET by 303", Request{Method: "POST", URL: api, Origin: page, Header: hdr("Content-Type", "application/json")}, 303, api + "/2", false},
		{"simple GET", get(), 302, api + "/2", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := st
			s.Method = NormalizeMethod(tt.r.Method)
			next, ok := Chromium.Redirect(&tt.r, s, res(tt.status, "Location", tt.loc, HeaderAllowOrigin, "*"))
			if !ok {
				t.Fatal("redirect not followed")
			}
			if _, got := Chromium.NeedsRedirectPreflight(&tt.r, next); got != tt.want {
				t.Errorf("NeedsRedirectPreflight = %v, want %v", got, tt.want)
			}
		})
	}
}
