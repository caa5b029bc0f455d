package cors

import (
	"maps"
	"strings"
)

// LegacyMessages is wording an older release of a browser logged, which
// pasted console text still holds (an old Android WebView, an Electron app,
// a Stack Overflow answer). It is read, never written: what the engine
// prints is the profile's Messages; [Profile.LegacyTemplates] lists these
// lines for the readers of pasted text.
//
// Every frame reads with every cause: a pairing a release never logged
// costs nothing to read, and each string is one a release did log.
type LegacyMessages struct {
	// Frames wrap a cause into the console line, by initiator ("fetch",
	// "XMLHttpRequest"; "" for both): {url} is the URL, {cause} the cause.
	Frames map[string]string
	// PreflightPrefix is put before a CORS-check cause the preflight's
	// response failed (Messages.PreflightPrefix).
	PreflightPrefix string
	// Causes name the particulars as Messages' do: {origin}, {param},
	// {status}, {value}.
	Causes []LegacyCause
	// Redirects open a cause a redirect failed: {from} is the URL
	// redirected from, which the frame then names as its {url}, and {url}
	// the URL redirected to. Each is read with the CORS-check causes of
	// Causes (the redirect's own response failed the check) and with
	// RedirectCauses.
	Redirects []string
	// RedirectCauses are what only a redirect fails, {url} the URL
	// redirected to; read after each of Redirects and alone.
	RedirectCauses []LegacyRedirectCause
	// RedirectCheckNote is said of a CORS-check cause read after one of
	// Redirects: which response failed it.
	RedirectCheckNote string
	// Vars are older values of today's Messages.Vars, by initiator: the
	// profile's own frame and causes read with them. Hint names the words
	// that tell such a line from today's (its Legacy, "… hint …").
	Vars map[string]map[string]string
	Hint string
	// TodaysFrame: Causes are read in the profile's own frame
	// (Messages.Frame), not in Frames; Hint then names them.
	TodaysFrame bool
	// Note is said of every cause read: what today's releases do instead.
	Note string
	// Without: older releases logged today's lines without these words
	// (a status code added later); Hint then names the difference.
	Without []string
	// TodaysCauses: Frames wrap the profile's own cause lines, Without's
	// words taken out, instead of Causes.
	TodaysCauses bool
}

// LegacyCause is one cause's text in an older release.
type LegacyCause struct {
	Code Code
	Text string
}

// LegacyRedirectCause is what only a redirect fails, in an older release.
type LegacyRedirectCause struct {
	LegacyCause
	// Note says what a reader of the line should know that its code does
	// not say (a rule today's releases dropped); "" for none.
	Note string
}

// chromiumLegacy is what Blink logged before "Access to fetch at … has been
// blocked by CORS policy". The strings are Chromium's own:
//
//   - Chromium 56.0.2924.120 (TrellixVulnTeam/Chromium_7C66 at c8649ab2a0f5,
//     chrome/VERSION): XMLHttpRequest::didFail logs "XMLHttpRequest cannot
//     load " + url + ". " + description (core/xmlhttprequest/XMLHttpRequest.cpp),
//     FetchManager::Loader::didFailAccessControlCheck "Fetch API cannot
//     load " + url + ". " + description (modules/fetch/FetchManager.cpp); the causes
//     are core/fetch/CrossOriginAccessControl.cpp's (buildAccessControlFailureMessage
//     appends " Origin '…' is therefore not allowed access.", a status of 400
//     and above " The response had HTTP status code N.") and
//     core/loader/DocumentThreadableLoader.cpp's ("Response to preflight
//     request doesn't pass access control check: ", "Response for preflight
//     is invalid (redirect)").
//   - Earlier Blink (bloomberg/chromium.bb at 08015a27fa5c,
//     third_party/WebKit/Source/core/fetch/CrossOriginAccessControl.cpp): the
//     wildcard-with-credentials and Allow-Credentials causes in their first
//     wording.
//   - bloomberg/chromium.bb at 1f234674b1f4,
//     core/loader/CrossOriginPreflightResultCache.cpp: the Allow-Methods and
//     Allow-Headers causes.
//   - Later Blink (bloomberg/chromium.bb at 0039f593034,
//     core/loader/DocumentThreadableLoader.cpp
//     DispatchDidFailAccessControlCheck): "Failed to load " + url + ": " +
//     description, for fetch() and XMLHttpRequest alike, with the scheme
//     cause "Cross origin requests are only supported for protocol schemes:
//     %s."; platform/loader/cors/CORSErrorString.cpp (at 14540afba91e) ends
//     the preflight status cause with a period, which
//     platform/loader/fetch/CrossOriginAccessControl.cpp (mirror/chromium at
//     15ade480124b) and Chromium 56 do not.
//   - Then (kiwibrowser/src at 736b3d7ff7b1,
//     third_party/blink/renderer/platform/loader/cors/cors_error_string.cc,
//     framed by document_threadable_loader.cc's "Failed to load " + url +
//     ": " at 503b2a9351fd): "Response for preflight does not have HTTP ok
//     status.", which names no status.
//
// A redirect's failure names both ends, and the frame names the URL
// redirected from (DocumentThreadableLoader's ResourceError carries
// redirectResponse.url()):
//
//   - Earlier Blink (crosswalk-project/chromium-crosswalk at 4bb31bcd811f and
//     nwjs/chromium.src at 17c7a42e6de3,
//     third_party/WebKit/Source/core/loader/DocumentThreadableLoader.cpp
//     redirectReceived): "The request was redirected to '" + url + "', which
//     is disallowed for cross-origin requests that require preflight."
//   - Chromium 56 (TrellixVulnTeam/Chromium_7C66 at c8649ab2a0f5, the same
//     file): "Redirect from '" + from + "' to '" + url + "' has been blocked
//     by CORS policy: " before "Request requires preflight, which is
//     disallowed to follow cross-origin redirect." and before a CORS-check
//     cause of the redirect's own response; "Redirect from '" + from + "' has
//     been blocked by CORS policy: " before
//     core/fetch/CrossOriginAccessControl.cpp isLegalRedirectLocation's
//     "Redirect location '" + url + "' has a disallowed scheme for
//     cross-origin requests." and "… contains userinfo, which is disallowed
//     for cross-origin requests."
//   - Later (mirror/chromium at 0075c9aec46e, the same file, with
//     platform/loader/fetch/CrossOriginAccessControl.cpp RedirectErrorString
//     at 15ade480124b): the same, the userinfo cause now "… contains a
//     username and password, which is disallowed for cross-origin requests."
//   - Then (bloomberg/chromium.bb at 14540afba91e,
//     platform/loader/cors/CORSErrorString.cpp, and kiwibrowser/src at
//     736b3d7ff7b1, cors_error_string.cc): "Redirect from '%s' to '%s' has
//     been blocked by CORS policy: " before either kind of cause.
//
// A pairing that does not name where the redirect led is not read: no
// release logged one in these frames.
//
// The hints Blink appended after the origin sentence (the opaque response,
// the withCredentials attribute) are left out: a line reads with or
// without them.
var chromiumLegacy = []*LegacyMessages{{
	// Blink's cors_error_string.cc ended the origin-value causes of a
	// fetch() with the advice to use no-cors (kiwibrowser/src at
	// 736b3d7ff7b1, "Access to fetch at …" framed), pasted from Chrome 7x
	// to 11x in many trackers (captncraig/cors#16, esm-dev/esm.sh#453);
	// Chromium 156 keeps its first half.
	Vars: map[string]map[string]string{
		"fetch": {"valid": " Have the server send the header with a valid value, or, if an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled."},
	},
	Hint: "or, if an opaque response serves your needs",
}, {
	// Private Network Access (Chrome before 142): a public page's request
	// to a local or private address passed only when the preflight
	// answered Access-Control-Allow-Private-Network: true (Chromium's
	// cors_error_string.cc kPreflightMissingAllowPrivateNetwork; pasted in
	// expressjs/cors#290). Chrome 142 replaced it with Local Network
	// Access's permission prompt.
	TodaysFrame: true,
	Causes: []LegacyCause{
		{CodeLocalNetworkPermission, "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Private-Network' header was present in the preflight response for this private network request targeting the `{param}` address space."},
	},
	Hint: "Access-Control-Allow-Private-Network",
	Note: "Older Chrome (Private Network Access, before Chrome 142) let a public page reach a local address only when the preflight answered Access-Control-Allow-Private-Network: true; Chrome 142+ and Firefox ESR 153 ask the user in a permission prompt instead, whatever the server answers. Send the header for older Chrome, and expect the prompt",
}, {
	Frames: map[string]string{
		"XMLHttpRequest": "XMLHttpRequest cannot load {url}. {cause}",
		"fetch":          "Fetch API cannot load {url}. {cause}",
	},
	PreflightPrefix:   "Response to preflight request doesn't pass access control check: ",
	Causes:            chromiumLegacyCauses,
	Redirects:         chromiumLegacyRedirects,
	RedirectCauses:    chromiumLegacyRedirectCauses,
	RedirectCheckNote: chromiumLegacyRedirectCheckNote,
}, {
	Frames:            map[string]string{"": "Failed to load {url}: {cause}"},
	PreflightPrefix:   "Response to preflight request doesn't pass access control check: ",
	Causes:            chromiumLegacyCauses,
	Redirects:         chromiumLegacyRedirects,
	RedirectCauses:    chromiumLegacyRedirectCauses,
	RedirectCheckNote: chromiumLegacyRedirectCheckNote,
}}

var chromiumLegacyRedirects = []string{
	"Redirect from '{from}' to '{url}' has been blocked by CORS policy: ",
	"Redirect from '{from}' has been blocked by CORS policy: ",
}

// chromiumLegacyPreflightedRedirect: the Fetch standard dropped the rule
// (whatwg/fetch 0d9a4db8bc02); today's three browsers follow such a
// redirect (conformance scenario preflighted-put-redirected-cross-origin-star).
const chromiumLegacyPreflightedRedirect = "Older Chrome followed no cross-origin redirect of a request that needs a preflight (the preflight's or the request's own); today's browsers still refuse a redirected preflight but follow the request's redirect, checking CORS again where it leads. Call the URL it redirects to directly."

var chromiumLegacyRedirectCauses = []LegacyRedirectCause{
	{LegacyCause{CodePreflightRedirect, "The request was redirected to '{url}', which is disallowed for cross-origin requests that require preflight."}, chromiumLegacyPreflightedRedirect},
	{LegacyCause{CodePreflightRedirect, "Request requires preflight, which is disallowed to follow cross-origin redirect."}, chromiumLegacyPreflightedRedirect},
	{LegacyCause{CodeCorsDisabledScheme, "Redirect location '{url}' has a disallowed scheme for cross-origin requests."}, ""},
	{LegacyCause{CodeRedirectCredentials, "Redirect location '{url}' contains userinfo, which is disallowed for cross-origin requests."}, ""},
	{LegacyCause{CodeRedirectCredentials, "Redirect location '{url}' contains a username and password, which is disallowed for cross-origin requests."}, ""},
}

// Blink checked the redirect's 3xx response itself, before following it,
// as the Fetch standard's HTTP fetch does.
const chromiumLegacyRedirectCheckNote = "The redirect's own response failed this check (the 3xx from the URL redirected from): the browser never requested the URL it led to. Send the CORS headers on the redirect too, or have the page call the URL it led to directly."

var chromiumLegacyCauses = []LegacyCause{
	{CodeMissingAllowOrigin, "No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin '{origin}' is therefore not allowed access."},
	{CodeMissingAllowOrigin, "No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin '{origin}' is therefore not allowed access. The response had HTTP status code {status}."},
	{CodeMultipleAllowOrigin, "The 'Access-Control-Allow-Origin' header contains multiple values '{param}', but only one is allowed. Origin '{origin}' is therefore not allowed access."},
	{CodeInvalidAllowOrigin, "The 'Access-Control-Allow-Origin' header contains the invalid value '{param}'. Origin '{origin}' is therefore not allowed access."},
	{CodeAllowOriginMismatch, "The 'Access-Control-Allow-Origin' header has a value '{param}' that is not equal to the supplied origin. Origin '{origin}' is therefore not allowed access."},
	{CodeWildcardCredentials, "A wildcard '*' cannot be used in the 'Access-Control-Allow-Origin' header when the credentials flag is true. Origin '{origin}' is therefore not allowed access."},
	{CodeWildcardCredentials, "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. Origin '{origin}' is therefore not allowed access."},
	{CodeInvalidCredentials, "Credentials flag is 'true', but the 'Access-Control-Allow-Credentials' header is '{param}'. It must be 'true' to allow credentials. Origin '{origin}' is therefore not allowed access."},
	{CodeInvalidCredentials, "The value of the 'Access-Control-Allow-Credentials' header in the response is '{param}' which must be 'true' when the request's credentials mode is 'include'. Origin '{origin}' is therefore not allowed access."},
	{CodePreflightStatus, "Response for preflight has invalid HTTP status code {status}"},
	{CodePreflightStatus, "Response for preflight has invalid HTTP status code {status}."},
	{CodePreflightStatus, "Response for preflight does not have HTTP ok status."},
	{CodePreflightRedirect, "Response for preflight is invalid (redirect)"},
	{CodeMethodNotAllowed, "Method {param} is not allowed by Access-Control-Allow-Methods in preflight response."},
	{CodeHeaderNotAllowed, "Request header field {param} is not allowed by Access-Control-Allow-Headers in preflight response."},
	{CodeInvalidAllowMethods, "Cannot parse Access-Control-Allow-Methods response header field in preflight response."},
	{CodeInvalidAllowHeaders, "Cannot parse Access-Control-Allow-Headers response header field in preflight response."},
	{CodeCorsDisabledScheme, "Cross origin requests are only supported for protocol schemes: {value}."},
}

// LegacyTemplates lists the console lines older releases of the profile's
// browser logged ([Profile.Legacy]), as [Profile.Templates] lists today's;
// each has Legacy set to the frame's opening words.
func (p *Profile) LegacyTemplates() []Template {
	var list templateList
	for _, m := range p.Legacy {
		if m.Vars != nil {
			list.addOlderVars(p, m)
		}
		if m.Without != nil && !m.TodaysCauses {
			list.addWithout(p, m)
		}
		if m.TodaysFrame {
			list.addInTodaysFrame(p, m)
			continue
		}
		if m.Frames == nil {
			continue
		}
		for _, init := range templateInitiators {
			frame, ok := m.Frames[init]
			if !ok {
				frame, ok = m.Frames[""]
			}
			if !ok {
				continue
			}
			opening := strings.TrimSpace(frame[:max(strings.Index(frame, "{url}"), 0)]) + " …"
			add := func(code Code, cause, note string, vals map[string]string) {
				vals["cause"] = cause
				list.add(Template{Browser: p.Name, Code: code, Initiator: init, Legacy: opening,
					Note: note, Text: fill(frame, vals)})
			}
			causes := m.Causes
			if m.TodaysCauses {
				causes = p.todaysCauses(m.Without)
			}
			for _, c := range causes {
				add(c.Code, c.Text, "", map[string]string{})
				if pc, ok := preflightCodeOf[c.Code]; ok && m.PreflightPrefix != "" {
					add(pc, m.PreflightPrefix+c.Text, "", map[string]string{})
				}
			}
			// A redirect's line names the URL redirected from in the
			// frame and the one it led to in the cause.
			redirect := func(code Code, cause, note string) {
				if strings.Contains(cause, "{url}") {
					add(code, cause, note, map[string]string{"url": "{from}"})
				}
			}
			for _, c := range m.RedirectCauses {
				redirect(c.Code, c.Text, c.Note)
			}
			for _, r := range m.Redirects {
				for _, c := range m.Causes {
					if _, ok := preflightCodeOf[c.Code]; ok {
						redirect(c.Code, r+c.Text, m.RedirectCheckNote)
					}
				}
				for _, c := range m.RedirectCauses {
					redirect(c.Code, r+c.Text, c.Note)
				}
			}
		}
	}
	return list.out
}

// addOlderVars adds today's lines of p rendered with m.Vars where they read
// otherwise than today's.
func (l *templateList) addOlderVars(p *Profile, m *LegacyMessages) {
	today := map[string]bool{}
	for _, t := range p.Templates() {
		today[t.Text] = true
	}
	older := *p.Messages
	older.Vars = maps.Clone(p.Messages.Vars)
	for init, vars := range m.Vars {
		merged := maps.Clone(older.Vars[init])
		if merged == nil {
			merged = map[string]string{}
		}
		maps.Copy(merged, vars)
		older.Vars[init] = merged
	}
	for _, t := range (&Profile{Name: p.Name, Messages: &older}).Templates() {
		if !today[t.Text] {
			t.Legacy = "… " + m.Hint + " …"
			l.add(t)
		}
	}
}

// addInTodaysFrame adds m's causes in the frame p logs today, for every
// initiator it names.
func (l *templateList) addInTodaysFrame(p *Profile, m *LegacyMessages) {
	for _, init := range templateInitiators {
		for _, c := range m.Causes {
			l.add(Template{Browser: p.Name, Code: c.Code, Initiator: init, Legacy: "… " + m.Hint + " …", Note: m.Note,
				Redirected: p.Messages.Redirected, Text: p.Messages.render(Cause{Text: c.Text}, init, placeholders())})
		}
	}
}

// addWithout adds today's lines of p with m.Without's words taken out.
func (l *templateList) addWithout(p *Profile, m *LegacyMessages) {
	for _, t := range p.Templates() {
		for _, w := range m.Without {
			if strings.Contains(t.Text, w) {
				t.Text = strings.Replace(t.Text, w, "", 1)
				t.Legacy = "… " + m.Hint + " …"
				l.add(t)
				break
			}
		}
	}
}

// todaysCauses are p's lines that name a code, without the words of
// without: a frameless profile's causes (WebKit logs a cause alone).
func (p *Profile) todaysCauses(without []string) []LegacyCause {
	var out []LegacyCause
	seen := map[string]bool{}
	for _, t := range p.Templates() {
		if t.Code == "" || t.Warning || t.Leads || t.Unpredicted {
			continue
		}
		for _, w := range without {
			t.Text = strings.Replace(t.Text, w, "", 1)
		}
		if k := string(t.Code) + "\x00" + t.Text; !seen[k] {
			seen[k] = true
			out = append(out, LegacyCause{t.Code, t.Text})
		}
	}
	return out
}

// firefoxLegacy is what Firefox logged before its reasons named the
// status (dom/locales/en-US/chrome/security/security.properties in
// mozilla/gecko-dev: CORSMissingAllowOrigin, CORSDidNotSucceed and
// CORSPreflightDidNotSucceed2 before their "…2"/"…3" keys), and two
// reasons it worded otherwise (CORSPreflightDidNotSucceed,
// CORSMissingAllowHeaderFromPreflight), seen in trackers from 2016 to 2021
// (danialfarid/ng-file-upload#1516, fabric8-launcher#222).
var firefoxLegacy = []*LegacyMessages{{
	Without: []string{" Status code: {status}.", " Status code: (null)."},
	Hint:    "no status code",
}, {
	TodaysFrame: true,
	Causes: []LegacyCause{
		// A preflight that failed in any way: its status, or no answer.
		{CodePreflightStatus, "CORS preflight channel did not succeed)."},
		{CodePreflightNetwork, "CORS preflight channel did not succeed)."},
		{CodeHeaderNotAllowed, "missing token ‘{param}’ in CORS header ‘Access-Control-Allow-Headers’ from CORS preflight channel)."},
	},
	Hint: "CORS preflight channel",
}}

// safariLegacy is what Safari logged before its lines named the status
// (WebKit's CrossOriginAccessControl.cpp passesAccessControlCheck and
// validatePreflightResponse): "Origin … is not allowed by
// Access-Control-Allow-Origin.", "Preflight response is not successful".
var safariLegacy = []*LegacyMessages{{
	Without: []string{". Status code: {status}"},
	Hint:    "no status code",
}, {
	// Older WebKit (Safari up to about 12; Chrome while it was WebKit)
	// put the cause after the URL, in one line.
	Frames: map[string]string{
		"fetch":          "Fetch API cannot load {url}. {cause}",
		"XMLHttpRequest": "XMLHttpRequest cannot load {url}. {cause}",
	},
	TodaysCauses: true,
	Without:      []string{". Status code: {status}"},
}}
