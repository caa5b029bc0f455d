package cors

import "strings"

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
}

// LegacyCause is one cause's text in an older release.
type LegacyCause struct {
	Code Code
	Text string
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
// The hints Blink appended after the origin sentence (the opaque response,
// the withCredentials attribute) are left out: a line reads with or
// without them.
var chromiumLegacy = []*LegacyMessages{{
	Frames: map[string]string{
		"XMLHttpRequest": "XMLHttpRequest cannot load {url}. {cause}",
		"fetch":          "Fetch API cannot load {url}. {cause}",
	},
	PreflightPrefix: "Response to preflight request doesn't pass access control check: ",
	Causes:          chromiumLegacyCauses,
}, {
	Frames:          map[string]string{"": "Failed to load {url}: {cause}"},
	PreflightPrefix: "Response to preflight request doesn't pass access control check: ",
	Causes:          chromiumLegacyCauses,
}}

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
	add := list.add
	for _, m := range p.Legacy {
		for _, init := range templateInitiators {
			frame, ok := m.Frames[init]
			if !ok {
				frame, ok = m.Frames[""]
			}
			if !ok {
				continue
			}
			opening := strings.TrimSpace(frame[:max(strings.Index(frame, "{url}"), 0)]) + " …"
			for _, c := range m.Causes {
				t := Template{Browser: p.Name, Code: c.Code, Initiator: init, Legacy: opening,
					Text: fill(frame, map[string]string{"cause": c.Text})}
				add(t)
				if pc, ok := preflightCodeOf[c.Code]; ok && m.PreflightPrefix != "" {
					t.Code = pc
					t.Text = fill(frame, map[string]string{"cause": m.PreflightPrefix + c.Text})
					add(t)
				}
			}
		}
	}
	return list.out
}
