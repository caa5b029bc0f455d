package cors

import (
	"strings"
	"testing"
)

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
	jsonPost := Request{Method: "POST", URL: api, Origin: page, Header: hdr("Content-Type", "application/json")}
	del := Request{Method: "DELETE", URL: api, Origin: page}
	bearer := Request{Method: "GET", URL: api, Origin: page, Header: hdr("Authorization", "Bearer x")}
	tests := []struct {
		name    string
		profile *Profile
		r       Request
		status  int
		loc     string
		want    bool
		// origin, contentType and authorization are what the preflight
		// describes.
		origin, contentType string
		authorization       string
	}{
		{"PUT to the same API origin", Chromium, put(), 307, api + "/2", true, page, "application/json", ""},
		{"PUT to another origin", Chromium, put(), 308, "https://cdn.example.net/x", true, "null", "application/json", ""},
		{"JSON POST turned into GET by 303", Chromium, jsonPost, 303, api + "/2", false, page, "", ""},
		{"simple GET", Chromium, get(), 302, api + "/2", false, page, "", ""},
		// Verified on Firefox ESR 153 and WebKitGTK 2.50 by pkg/conformance.
		{"Firefox: the preflight after a cross-origin hop carries the page's origin", Firefox, put(), 307, "https://cdn.example.net/x", true, page, "application/json", ""},
		{"Firefox: preflighted once, preflighted after the 303 too", Firefox, jsonPost, 303, api + "/2", true, page, "", ""},
		{"WebKit: the 303 keeps Content-Type, so the GET is preflighted", Safari, jsonPost, 303, api + "/2", true, page, "application/json", ""},
		// preflighted-delete-303, authorization-redirected-cross-origin.
		{"Chromium: a DELETE turned into GET by 303", Chromium, del, 303, api + "/2", false, page, "", ""},
		{"Firefox: a DELETE turned into GET by 303", Firefox, del, 303, api + "/2", true, page, "", ""},
		{"WebKit: a DELETE turned into GET by 303", Safari, del, 303, api + "/2", true, page, "", ""},
		{"Chromium: Authorization goes at the origin change", Chromium, bearer, 302, "https://cdn.example.net/x", false, "null", "", ""},
		{"WebKit: the preflight still lists Authorization", Safari, bearer, 302, "https://cdn.example.net/x", true, "null", "", "Bearer x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := st
			s.Method = NormalizeMethod(tt.r.Method)
			next, ok := tt.profile.Redirect(&tt.r, s, res(tt.status, "Location", tt.loc, HeaderAllowOrigin, "*"))
			if !ok {
				t.Fatal("redirect not followed")
			}
			rr, got := tt.profile.NeedsRedirectPreflight(&tt.r, next)
			if got != tt.want {
				t.Errorf("NeedsRedirectPreflight = %v, want %v", got, tt.want)
			}
			if rr.Origin != tt.origin || rr.Header.Get("Content-Type") != tt.contentType {
				t.Errorf("the redirected request has Origin %q and Content-Type %q, want %q and %q", rr.Origin, rr.Header.Get("Content-Type"), tt.origin, tt.contentType)
			}
			if got := rr.Header.Get("Authorization"); tt.want && got != tt.authorization {
				t.Errorf("the preflight describes Authorization %q, want %q", got, tt.authorization)
			}
		})
	}
}

// Firefox CORS-checks a redirected preflight before it refuses the
// redirect, and logs the request's failure after it (verified on Firefox
// ESR 153 by pkg/conformance: preflight-301, preflight-302-with-cors).
func TestPreflightRedirectByProfile(t *testing.T) {
	const frame = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at " + api + ". (Reason: "
	didNot := frame + "CORS request did not succeed). Status code: (null)."
	tests := []struct {
		name     string
		profile  *Profile
		redirect *Message
		reported Code
		lines    []string
	}{
		{"Chromium: the redirect", Chromium, res(301, "Location", api+"/2"), CodePreflightRedirect, nil},
		{"Firefox: no Access-Control-Allow-Origin on the redirect", Firefox, res(301, "Location", api+"/2"), CodePreflightMissingAllowOrigin,
			[]string{frame + "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 301.", didNot, didNot}},
		{"Firefox: the redirect itself", Firefox, res(302, "Location", api+"/2", HeaderAllowOrigin, "*"), CodePreflightRedirect,
			[]string{frame + "CORS request external redirect not allowed).", frame + "CORS preflight response did not succeed). Status code: 302.", didNot}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.profile.Evaluate(exch(put(), tt.redirect))
			rep := d.Reported()
			if d.Verdict != Blocked || rep == nil || rep.Code != tt.reported {
				t.Fatalf("verdict %s, reported %v; want blocked with %s", d.Verdict, rep, tt.reported)
			}
			if tt.lines == nil {
				return
			}
			if got := tt.profile.ConsoleLines(d); strings.Join(got, "\n") != strings.Join(tt.lines, "\n") {
				t.Errorf("console lines\n got %q\nwant %q", got, tt.lines)
			}
		})
	}
}

// WebKit preflights the new origin of a redirected request with the headers
// script set, Authorization included, although the network layer drops it
// from the request there (verified on WebKitGTK 2.50 by pkg/conformance:
// authorization-redirected-cross-origin). A storage host that answers the
// preflight without allowing Authorization fails in Safari only.
func TestRedirectPreflightListsAuthorization(t *testing.T) {
	const cdn = "https://cdn.example.net/file"
	bearer := Request{Method: "GET", URL: api, Origin: page, Header: hdr("Authorization", "Bearer x")}
	pre := res(204, HeaderAllowOrigin, "*", HeaderAllowHeaders, "authorization")
	redirect := res(302, "Location", cdn, HeaderAllowOrigin, "*")
	final := res(200, HeaderAllowOrigin, "*")

	if d := Chromium.Evaluate(exch(bearer, pre, redirect, final)); d.Verdict != Allowed {
		t.Errorf("Chromium: %s %v, want allowed (Authorization is gone, the GET is simple)", d.Verdict, codes(d))
	}
	ex := exch(bearer, pre, redirect)
	ex.Actual[0].RedirectPreflight = &Hop{Request: Message{Method: "OPTIONS", URL: cdn}, Response: res(204, HeaderAllowOrigin, "*")}
	d := Safari.Evaluate(ex)
	rep := d.Reported()
	if d.Verdict != Blocked || rep == nil || rep.Code != CodeHeaderNotAllowed || rep.Step != "redirect 1 preflight" {
		t.Fatalf("WebKit: %s %v, want blocked by header-not-allowed at the redirect's preflight", d.Verdict, codes(d))
	}
	if !strings.Contains(rep.Message, "authorization") {
		t.Errorf("WebKit: the finding says %q; want it to name authorization", rep.Message)
	}
}

// TestRedirectPreflightTaintIsTheCause: when Chromium stops at the
// preflight of a cross-origin redirect's target because that preflight
// carried Origin: null, the redirect is the cause (issue 10, redirect
// causes), as it is when the redirected request itself fails; where the
// target shows no CORS at all, the taint stays an info.
func TestRedirectPreflightTaintIsTheCause(t *testing.T) {
	const cdn = "https://cdn.example.net/items"
	refuses := res(204, "Vary", "Origin", HeaderAllowMethods, "PUT", HeaderAllowHeaders, "content-type")
	tests := []struct {
		name      string
		profile   *Profile
		pf        *Message
		reported  Code
		wantCause bool
		inMessage string
	}{
		{"target allows the page's origin", Chromium, res(204, HeaderAllowOrigin, page, HeaderAllowMethods, "PUT", HeaderAllowHeaders, "content-type"),
			CodePreflightAllowOriginMismatch, true, "there the server allows " + page},
		{"target checks a list", Chromium, refuses, CodePreflightMissingAllowOrigin, true, "checks origins against a list"},
		{"target has no CORS", Chromium, res(404), CodePreflightMissingAllowOrigin, false, ""},
		// Firefox's preflight there carries the page's origin: the list
		// refused the page, not null.
		{"Firefox: target checks a list", Firefox, refuses, CodePreflightMissingAllowOrigin, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := exch(put(), okPreflight(), res(307, "Location", cdn, HeaderAllowOrigin, page))
			ex.Actual[0].RedirectPreflight = &Hop{Request: Message{Method: "OPTIONS", URL: cdn}, Response: tt.pf}
			d := tt.profile.Evaluate(ex)
			if rep := d.Reported(); d.Verdict != Blocked || rep == nil || rep.Code != tt.reported {
				t.Fatalf("verdict %s, reported %v; want blocked, %s", d.Verdict, rep, tt.reported)
			}
			var taint *Finding
			for i := range d.Findings {
				if d.Findings[i].Code == CodeOriginTainted {
					taint = &d.Findings[i]
				}
			}
			if taint == nil {
				t.Fatalf("no %s finding: the redirect to %s crossed origins; findings %v", CodeOriginTainted, cdn, d.Findings)
			}
			if taint.Step != "redirect 1" {
				t.Errorf("taint at step %q, want redirect 1", taint.Step)
			}
			if taint.Cause != tt.wantCause || (taint.Severity == SeverityError) != tt.wantCause {
				t.Errorf("taint cause %v severity %s, want cause %v", taint.Cause, taint.Severity, tt.wantCause)
			}
			if !strings.Contains(taint.Message, tt.inMessage) {
				t.Errorf("taint message %q lacks %q", taint.Message, tt.inMessage)
			}
			if tt.wantCause && d.Reported().FollowsFrom != CodeOriginTainted {
				t.Errorf("the reported error does not follow from the taint: %+v", d.Reported())
			}
		})
	}
}

// TestRedirectFailingCORSEndsTheChain: a redirect answer that fails the CORS
// check is where the browser stops (Fetch §HTTP fetch checks CORS before
// §HTTP-redirect fetch; Profile.Redirect stops there too), whether or not a
// recording holds hops after it: nothing after that hop is judged, and the
// redirect's taint, which the browser never reached, is not named the cause.
func TestRedirectFailingCORSEndsTheChain(t *testing.T) {
	const cdn = "https://cdn.example.net/x"
	tests := []struct {
		name     string
		hops     []*Message
		reported Code
	}{
		{"no ACAO on the redirect, the target allows *", []*Message{res(302, "Location", cdn), res(200, HeaderAllowOrigin, "*")}, CodeMissingAllowOrigin},
		{"another origin on the redirect, the target echoes the page", []*Message{res(302, "Location", cdn, HeaderAllowOrigin, "https://other.example"), res(200, HeaderAllowOrigin, page)}, CodeAllowOriginMismatch},
		{"another origin on the redirect, then a bad Location", []*Message{res(302, "Location", "ftp://x", HeaderAllowOrigin, "https://other.example")}, CodeAllowOriginMismatch},
		{"no ACAO on a middle redirect of two", []*Message{res(302, "Location", cdn), res(302, "Location", cdn+"/2", HeaderAllowOrigin, "*"), res(200, HeaderAllowOrigin, "*")}, CodeMissingAllowOrigin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Evaluate(exch(get(), nil, tt.hops...))
			rep := d.Reported()
			if d.Verdict != Blocked || rep == nil || rep.Code != tt.reported || rep.Step != "actual" {
				t.Fatalf("verdict %s, reported %+v; want blocked, %s at the first hop", d.Verdict, rep, tt.reported)
			}
			if c := d.Cause(); c != rep {
				t.Errorf("cause %s at %s, want the reported %s: the browser stopped at the first hop", c.Code, c.Step, rep.Code)
			}
			for _, f := range d.Findings {
				if f.Step != "actual" {
					t.Errorf("a finding at %s, after the hop the browser stopped at: %s %s", f.Step, f.Code, f.Message)
				}
			}
		})
	}
}
