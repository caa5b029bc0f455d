package cors

import (
	"net/http"
	"strings"
	"testing"
)

// TestRedirectMode: fetch()'s redirect mode applies after the CORS check of
// the redirect response (Fetch §HTTP fetch step 4.4, then step 6; Chromium's
// CorsURLLoader::OnReceiveRedirect in the same order). A redirect that fails
// CORS is a CORS error in every mode; one that passes is followed
// (follow), rejected without a CORS error (error), or handed to script as
// an opaque-redirect response (manual), and never followed in the last two:
// hops a recording holds after it are not judged, and Profile.Redirect
// tells a prober to stop.
func TestRedirectMode(t *testing.T) {
	const cdn = "https://cdn.example.net/x"
	allowed := res(302, "Location", cdn, HeaderAllowOrigin, "*")
	refused := res(302, "Location", cdn)
	target := res(200) // no CORS headers: following would fail
	tests := []struct {
		name     string
		mode     string
		hops     []*Message
		verdict  Verdict
		reported Code // the error reported, or the info expected when allowed
	}{
		{"follow: the target is judged", RedirectFollow, []*Message{allowed, target}, Blocked, CodeMissingAllowOrigin},
		{"default is follow", "", []*Message{allowed, target}, Blocked, CodeMissingAllowOrigin},
		{"manual: an opaque redirect", RedirectManual, []*Message{allowed}, Allowed, CodeOpaqueRedirect},
		{"manual: later hops are not judged", RedirectManual, []*Message{allowed, target}, Allowed, CodeOpaqueRedirect},
		{"manual: CORS fails on the redirect", RedirectManual, []*Message{refused}, Blocked, CodeMissingAllowOrigin},
		{"error: rejected", RedirectError, []*Message{allowed}, Blocked, CodeRedirectModeError},
		{"error: CORS fails first", RedirectError, []*Message{refused}, Blocked, CodeMissingAllowOrigin},
		{"manual: no redirect, nothing to say", RedirectManual, []*Message{res(200, HeaderAllowOrigin, "*")}, Allowed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := exch(get(), nil, tt.hops...)
			ex.Request.Redirect = tt.mode
			d := Evaluate(ex)
			if d.Verdict != tt.verdict {
				t.Fatalf("verdict %s, want %s: %+v", d.Verdict, tt.verdict, d.Findings)
			}
			found := false
			for _, f := range d.Findings {
				if f.Step != "actual" && (tt.mode == RedirectManual || tt.mode == RedirectError) {
					t.Errorf("a finding at %s, after the hop the browser stopped at: %s", f.Step, f.Code)
				}
				found = found || f.Code == tt.reported
			}
			if rep := d.Reported(); tt.verdict == Blocked && (rep == nil || rep.Code != tt.reported) {
				t.Errorf("reported %+v, want %s", rep, tt.reported)
			}
			if tt.reported != "" && !found {
				t.Errorf("no %s in %+v", tt.reported, d.Findings)
			}
			if tt.reported == "" && len(d.Findings) > 0 {
				t.Errorf("findings %+v, want none", d.Findings)
			}
			// A prober follows only where the browser would.
			r := ex.Request
			_, follow := Chromium.Redirect(&r, RedirectState{URL: r.URL, Method: http.MethodGet, Origin: r.Origin}, tt.hops[0])
			if want := tt.mode != RedirectManual && tt.mode != RedirectError && tt.verdict == Blocked && tt.hops[0] == allowed; follow != want {
				t.Errorf("Profile.Redirect follows %v, want %v", follow, want)
			}
		})
	}
}

// TestSafariRedirectCheckLines: WebKit's NetworkLoadChecker puts its
// "Cross-origin redirection to … denied by Cross-Origin Resource Sharing
// policy: " before whatever CORS check a redirect response failed, the
// credentials rules as much as the origin ones, and in every redirect mode
// (verified on WebKitGTK 2.50: the redirect-hop-* and redirect-mode-*
// scenarios).
func TestSafariRedirectCheckLines(t *testing.T) {
	const cdn = "https://cdn.example.net/x"
	const pre = "Cross-origin redirection to " + cdn + " denied by Cross-Origin Resource Sharing policy: "
	const after = "Fetch API cannot load " + api + " due to access control checks."
	tests := []struct {
		name  string
		creds bool
		mode  string
		hop   *Message
		cause string
	}{
		{"no ACAO", false, "", res(302, "Location", cdn),
			"Origin " + page + " is not allowed by Access-Control-Allow-Origin. Status code: 302"},
		{"* with credentials", true, "", res(302, "Location", cdn, HeaderAllowOrigin, "*"),
			"Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."},
		{"* with credentials, manual", true, RedirectManual, res(302, "Location", cdn, HeaderAllowOrigin, "*"),
			"Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."},
		{"no ACAC", true, "", res(302, "Location", cdn, HeaderAllowOrigin, page),
			`Credentials flag is true, but Access-Control-Allow-Credentials is not "true".`},
		{"two origins", false, "", res(302, "Location", cdn, HeaderAllowOrigin, page+", "+page),
			"Access-Control-Allow-Origin cannot contain more than one origin."},
	}
	for _, tt := range tests {
		r := get()
		r.Credentials, r.Redirect = tt.creds, tt.mode
		d := Safari.Evaluate(exch(r, nil, tt.hop))
		want := []string{pre + tt.cause, after}
		if got := Safari.Verdict(d).Console; strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, want)
		}
	}
}

// TestRedirectStatusWithoutLocation: a 301, 302, 303, 307 or 308 without
// Location. Following it, the browser takes it as the answer (Fetch
// §HTTP-redirect fetch step 3: no location URL) and CORS-checks it like any
// other. The modes switch on the status alone (Fetch §HTTP fetch step 6):
// 'manual' gives an opaque redirect in every browser, 'error' a network
// error in Firefox; Chromium and WebKit see no redirect there and resolve
// with the 3xx (verified on Chromium 156, Firefox ESR 153.8, WebKitGTK
// 2.50: the redirect-no-location-* scenarios). The missing Location is
// named; where the CORS check fails on the answer it is the cause.
func TestRedirectStatusWithoutLocation(t *testing.T) {
	allowed := res(302, HeaderAllowOrigin, "*")
	refused := res(302)
	tests := []struct {
		name     string
		profile  *Profile
		mode     string
		hop      *Message
		verdict  Verdict
		reported Code // the error reported, or the info expected when allowed
	}{
		{"follow: the 3xx is the answer", Chromium, "", allowed, Allowed, CodeRedirectNoLocation},
		{"follow: CORS fails on it", Chromium, "", refused, Blocked, CodeMissingAllowOrigin},
		{"follow: Firefox alike", Firefox, RedirectFollow, allowed, Allowed, CodeRedirectNoLocation},
		{"manual: an opaque redirect", Chromium, RedirectManual, allowed, Allowed, CodeOpaqueRedirect},
		{"manual: Firefox alike", Firefox, RedirectManual, allowed, Allowed, CodeOpaqueRedirect},
		{"manual: WebKit alike", Safari, RedirectManual, allowed, Allowed, CodeOpaqueRedirect},
		{"manual: CORS fails first", Chromium, RedirectManual, refused, Blocked, CodeMissingAllowOrigin},
		{"error: Chromium resolves with the 3xx", Chromium, RedirectError, allowed, Allowed, CodeRedirectNoLocation},
		{"error: WebKit resolves with the 3xx", Safari, RedirectError, allowed, Allowed, CodeRedirectNoLocation},
		{"error: Firefox rejects on the status", Firefox, RedirectError, allowed, Blocked, CodeRedirectModeError},
		{"error: CORS fails first", Firefox, RedirectError, refused, Blocked, CodeMissingAllowOrigin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := exch(get(), nil, tt.hop)
			ex.Request.Redirect = tt.mode
			d := tt.profile.Evaluate(ex)
			if d.Verdict != tt.verdict {
				t.Fatalf("verdict %s, want %s: %+v", d.Verdict, tt.verdict, d.Findings)
			}
			if rep := d.Reported(); tt.verdict == Blocked && (rep == nil || rep.Code != tt.reported) {
				t.Errorf("reported %+v, want %s", rep, tt.reported)
			}
			if !d.Has(tt.reported) {
				t.Errorf("no %s in %+v", tt.reported, d.Findings)
			}
			for _, f := range d.Findings {
				if strings.Contains(f.Message, `""`) || strings.Contains(f.Fix, `""`) {
					t.Errorf("%s names an empty Location: %s / %s", f.Code, f.Message, f.Fix)
				}
			}
			// Where the CORS check fails on the 3xx, the missing Location
			// is the cause, and says what to change.
			if tt.hop == refused {
				c := d.Cause()
				if c == nil || c.Code != CodeRedirectNoLocation || c.Severity != SeverityError {
					t.Errorf("cause %+v, want %s as an error", c, CodeRedirectNoLocation)
				} else if !strings.Contains(c.Fix, "Location") {
					t.Errorf("the cause's fix does not name Location: %s", c.Fix)
				}
				if rep := d.Reported(); rep.FollowsFrom != CodeRedirectNoLocation {
					t.Errorf("reported follows from %q", rep.FollowsFrom)
				}
			}
			r := ex.Request
			if _, follow := tt.profile.Redirect(&r, RedirectState{URL: r.URL, Method: http.MethodGet, Origin: r.Origin}, tt.hop); follow {
				t.Error("Profile.Redirect follows a 3xx without Location")
			}
		})
	}
}

// TestPreflightRedirectStatusWithoutLocation: a preflight answered 3xx
// without Location is no redirect: it fails on its status (or first on its
// CORS headers, as any preflight), and the missing Location is the cause.
func TestPreflightRedirectStatusWithoutLocation(t *testing.T) {
	for _, p := range AllProfiles {
		for _, tt := range []struct {
			pre  *Message
			want Code
		}{
			{res(302, HeaderAllowOrigin, page, HeaderAllowMethods, "PUT", HeaderAllowHeaders, "Content-Type"), CodePreflightStatus},
			{res(301), map[bool]Code{true: CodePreflightStatus, false: CodePreflightMissingAllowOrigin}[p.StatusBeforeOrigin]},
		} {
			d := p.Evaluate(exch(put(), tt.pre))
			if rep := d.Reported(); rep == nil || rep.Code != tt.want {
				t.Errorf("%s, %d: reported %+v, want %s", p.Name, tt.pre.Status, rep, tt.want)
			}
			if d.Has(CodePreflightRedirect) {
				t.Errorf("%s, %d: %s for a 3xx without Location", p.Name, tt.pre.Status, CodePreflightRedirect)
			}
			if c := d.Cause(); c == nil || c.Code != CodeRedirectNoLocation || c.Step != "preflight" {
				t.Errorf("%s, %d: cause %+v, want %s at the preflight", p.Name, tt.pre.Status, c, CodeRedirectNoLocation)
			}
		}
	}
}

// TestEmptyLocation: a redirect status whose Location header is there but
// empty. Chromium takes it as none (HttpResponseHeaders::IsRedirect skips
// an empty value); Firefox parses it as the standard does, against the
// current URL, and follows it to itself until its redirect limit; WebKit
// CORS-checks it as an answer but, past that check, fails the request with
// no console line ('follow' only; 'error' resolves with the 3xx). Verified
// on Chromium 156, Firefox ESR 153.8 and WebKitGTK 2.50 (redirect-empty-location-*).
func TestEmptyLocation(t *testing.T) {
	allowed := res(302, "Location", "", HeaderAllowOrigin, "*")
	refused := res(302, "Location", "")
	loop := make([]*Message, MaxRedirects+1)
	for i := range loop {
		loop[i] = allowed
	}
	tests := []struct {
		name     string
		profile  *Profile
		mode     string
		hops     []*Message
		verdict  Verdict
		reported Code
		lines    int  // console lines
		follows  bool // Profile.Redirect follows the first hop
	}{
		{"chromium: no redirect", Chromium, "", []*Message{allowed}, Allowed, "", 0, false},
		{"chromium: CORS fails on the answer", Chromium, "", []*Message{refused}, Blocked, CodeMissingAllowOrigin, 1, false},
		{"firefox: a redirect to itself", Firefox, "", loop, Blocked, CodeTooManyRedirects, 1, true},
		{"firefox: CORS fails on the redirect", Firefox, "", []*Message{refused}, Blocked, CodeMissingAllowOrigin, 2, false},
		{"firefox: error rejects", Firefox, RedirectError, []*Message{allowed}, Blocked, CodeRedirectModeError, 0, false},
		{"webkit: fails past the CORS check", Safari, "", []*Message{allowed}, Blocked, CodeRedirectBadLocation, 0, false},
		{"webkit: CORS fails on the answer", Safari, "", []*Message{refused}, Blocked, CodeMissingAllowOrigin, 2, false},
		{"webkit: error resolves with the 3xx", Safari, RedirectError, []*Message{allowed}, Allowed, "", 0, false},
		{"webkit: manual is an opaque redirect", Safari, RedirectManual, []*Message{allowed}, Allowed, "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := exch(get(), nil, tt.hops...)
			for i := 1; i < len(ex.Actual); i++ {
				ex.Actual[i].Request = Message{Method: http.MethodGet, URL: api}
			}
			ex.Request.Redirect = tt.mode
			v := tt.profile.Judge(ex)
			if v.Verdict != tt.verdict || v.Reported != tt.reported {
				t.Fatalf("%s %s, want %s %s: %+v", v.Verdict, v.Reported, tt.verdict, tt.reported, v.Diagnosis.Findings)
			}
			if len(v.Console) != tt.lines {
				t.Errorf("console %q, want %d lines", v.Console, tt.lines)
			}
			r := ex.Request
			next, follow := tt.profile.Redirect(&r, RedirectState{URL: r.URL, Method: http.MethodGet, Origin: r.Origin}, tt.hops[0])
			if follow != tt.follows || follow && next.URL != api {
				t.Errorf("Profile.Redirect follows %v to %s, want %v", follow, next.URL, tt.follows)
			}
		})
	}
}

// TestNoLocationOneCause: a 3xx without Location is named the cause of the
// first failure it explains; one met after another cause (the preflight's,
// a tainting redirect's) is told at its own severity, so a diagnosis has
// one cause and no error that is neither cause nor the check's.
func TestNoLocationOneCause(t *testing.T) {
	for _, tt := range []struct {
		name     string
		pre      *Message
		hops     []*Message
		wantStep string // the step of the cause
	}{
		{"preflight, then the actual", res(308), []*Message{res(301)}, "preflight"},
		{"empty Locations on both", res(308, "Location", ""), []*Message{res(302, "Location", "")}, "preflight"},
		{"the actual alone", okPreflight(), []*Message{res(301)}, "actual"},
	} {
		for _, p := range []*Profile{Chromium, Firefox, Safari} {
			t.Run(tt.name+"/"+p.Name, func(t *testing.T) {
				d := p.Evaluate(exch(put(), tt.pre, tt.hops...))
				checkDiagnosis(t, d)
				causes := 0
				for _, f := range d.Findings {
					if f.Cause {
						causes++
					}
					if f.Code == CodeRedirectNoLocation && !f.Cause && f.Severity != SeverityInfo {
						t.Errorf("%s at %s is %s but not the cause", f.Code, f.Step, f.Severity)
					}
				}
				if c := d.Cause(); causes > 1 || c == nil || c.Step != tt.wantStep {
					t.Errorf("%d causes, cause %+v; want one at %s", causes, c, tt.wantStep)
				}
			})
		}
	}
}

// TestEmptyLocationRedirectFix: Firefox follows an empty Location to the
// same URL, so a CORS failure on that answer is a redirect's; its fix
// gives the rule its target rather than naming a final URL it has none of.
func TestEmptyLocationRedirectFix(t *testing.T) {
	for _, acao := range []string{"https://other.example", ""} {
		hop := res(302, "Location", "")
		if acao != "" {
			hop.Header.Set(HeaderAllowOrigin, acao)
		}
		d := Firefox.Evaluate(exch(get(), nil, hop))
		rep := d.Reported()
		if rep == nil {
			t.Fatalf("%q: allowed", acao)
		}
		if strings.Contains(rep.Fix, "(: ") || !strings.Contains(rep.Fix, "target URL in Location") {
			t.Errorf("%q: %s fix %q", acao, rep.Code, rep.Fix)
		}
	}
}

// TestEmptyLocationWords: what the findings say of an empty Location fits
// what each browser does with it, on the actual response and the
// preflight's. Firefox follows it (to the same URL), so a failed CORS
// check on it, or a preflight answered with it, is a redirect's, whose
// words and fix cannot name a target it does not have; WebKit neither
// follows it nor takes it as the answer, so no finding may say it does.
func TestEmptyLocationWords(t *testing.T) {
	for _, p := range AllProfiles {
		for i, hop := range []*Message{res(302, "Location", ""), res(307, "Location", "", HeaderAllowOrigin, "*"),
			res(302, "Location", ""), res(307, "Location", "", HeaderAllowOrigin, "*", HeaderAllowMethods, "PUT", HeaderAllowHeaders, "Content-Type")} {
			d := p.Evaluate(exch(get(), nil, hop))
			if i >= 2 {
				// The same answers to a preflight.
				d = p.Evaluate(exch(put(), hop))
			}
			for _, f := range d.Findings {
				for _, s := range []string{f.Message, f.Fix} {
					if strings.Contains(s, "(:") || strings.Contains(s, `""`) || strings.Contains(s, "directly ()") {
						t.Errorf("%s, %d: %s names the empty Location: %s", p.Name, hop.Status, f.Code, s)
					}
				}
				if d.Has(CodeRedirectBadLocation) && strings.Contains(f.Message, "takes it as the answer") {
					t.Errorf("%s, %d: %s says the browser takes the answer it fails: %s", p.Name, hop.Status, f.Code, f.Message)
				}
			}
			if p.EmptyLocationFollowed && d.Verdict == Blocked {
				if c := d.Cause(); c == nil || !strings.Contains(c.Fix, "Location") {
					t.Errorf("%s, %d: cause %+v; its fix should name Location", p.Name, hop.Status, c)
				}
			}
		}
	}
}

// TestEmptyLocationLoop: Firefox follows an empty Location to the same URL
// until its redirect limit. The limit is the error it reports, but the
// loop is the empty Location's: the finding says so, and its fix is the
// missing Location's, not "call the final URL directly" (there is none).
func TestEmptyLocationLoop(t *testing.T) {
	hops := make([]*Message, MaxRedirects+1)
	for i := range hops {
		hops[i] = res(302, "Location", "", HeaderAllowOrigin, "*")
	}
	ex := exch(get(), nil, hops...)
	for i := 1; i < len(ex.Actual); i++ {
		ex.Actual[i].Request = Message{Method: http.MethodGet, URL: api}
	}
	rep := Firefox.Evaluate(ex).Reported()
	if rep == nil || rep.Code != CodeTooManyRedirects {
		t.Fatalf("reported %+v, want %s", rep, CodeTooManyRedirects)
	}
	mustContain(t, "message", rep.Message, "empty Location")
	mustContain(t, "fix", rep.Fix, "target URL in Location")
	if strings.Contains(rep.Fix, "final URL") {
		t.Errorf("fix %q names a final URL the loop has none of", rep.Fix)
	}
}
