package cors

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

const pfx = "Response to preflight request doesn't pass access control check: "

// noMsg in evalCase.browser: Chromium prints no CORS console line.
const noMsg = "(none)"

// detail is Chromium 156's console text after "blocked by CORS policy: " for
// each code, as the research note's live-browser table gives it.
func detail(c Code, v string) string {
	const valid = " Have the server send the header with a valid value."
	origin := map[Code]string{
		CodeMissingAllowOrigin:  "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
		CodeMultipleAllowOrigin: "The 'Access-Control-Allow-Origin' header contains multiple values '" + v + "', but only one is allowed." + valid,
		CodeInvalidAllowOrigin:  "The 'Access-Control-Allow-Origin' header contains the invalid value '" + v + "'." + valid,
		CodeAllowOriginMismatch: "The 'Access-Control-Allow-Origin' header has a value '" + v + "' that is not equal to the supplied origin." + valid,
		CodeWildcardCredentials: "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
		CodeInvalidCredentials:  "The value of the 'Access-Control-Allow-Credentials' header in the response is '" + v + "' which must be 'true' when the request's credentials mode is 'include'.",
	}
	preflight := map[Code]Code{
		CodePreflightMissingAllowOrigin: CodeMissingAllowOrigin, CodePreflightMultipleAllowOrigin: CodeMultipleAllowOrigin,
		CodePreflightInvalidAllowOrigin: CodeInvalidAllowOrigin, CodePreflightAllowOriginMismatch: CodeAllowOriginMismatch,
		CodePreflightWildcardCredentials: CodeWildcardCredentials, CodePreflightInvalidCredentials: CodeInvalidCredentials,
	}
	switch {
	case origin[c] != "":
		return origin[c]
	case preflight[c] != "":
		return pfx + origin[preflight[c]]
	}
	switch c {
	case CodePreflightStatus:
		return pfx + "It does not have HTTP ok status."
	case CodePreflightRedirect:
		return pfx + "Redirect is not allowed for a preflight request."
	case CodeInvalidAllowMethods:
		return "Cannot parse Access-Control-Allow-Methods response header field in preflight response."
	case CodeInvalidAllowHeaders:
		return "Cannot parse Access-Control-Allow-Headers response header field in preflight response."
	case CodeMethodNotAllowed:
		return "Method " + v + " is not allowed by Access-Control-Allow-Methods in preflight response."
	case CodeHeaderNotAllowed:
		return "Request header field " + v + " is not allowed by Access-Control-Allow-Headers in preflight response."
	case CodeRedirectCredentials:
		return "Redirect location '' contains a username and password, which is disallowed for cross-origin requests."
	}
	return "no console text for " + string(c)
}

// wantSeverity pins every engine code's severity: a catalogue change that
// turns a hazard into a block (or back) must be deliberate.
var wantSeverity = map[Code]Severity{
	CodeForbiddenMethod: SeverityError, CodeURLCredentials: SeverityError, CodeCorsDisabledScheme: SeverityError,
	CodePreflightNetwork: SeverityError, CodeActualNetwork: SeverityError,
	CodePreflightRedirect: SeverityError, CodePreflightStatus: SeverityError,
	CodeInvalidAllowMethods: SeverityError, CodeInvalidAllowHeaders: SeverityError,
	CodeMethodNotAllowed: SeverityError, CodeHeaderNotAllowed: SeverityError,
	CodePreflightMissingAllowOrigin: SeverityError, CodePreflightMultipleAllowOrigin: SeverityError,
	CodePreflightInvalidAllowOrigin: SeverityError, CodePreflightAllowOriginMismatch: SeverityError,
	CodePreflightWildcardCredentials: SeverityError, CodePreflightInvalidCredentials: SeverityError,
	CodeMissingAllowOrigin: SeverityError, CodeMultipleAllowOrigin: SeverityError,
	CodeInvalidAllowOrigin: SeverityError, CodeAllowOriginMismatch: SeverityError,
	CodeWildcardCredentials: SeverityError, CodeInvalidCredentials: SeverityError,
	CodeRedirectCredentials: SeverityError, CodeTooManyRedirects: SeverityError,
	CodeRedirectBadLocation: SeverityError, CodeRedirectModeError: SeverityError, CodeOpaqueRedirect: SeverityInfo,
	CodeRedirectNoLocation:    SeverityInfo,
	CodeAuthorizationWildcard: SeverityWarning, CodeMissingVaryOrigin: SeverityWarning,
	CodeAllowOriginNull: SeverityWarning, CodeMaxAgeCapped: SeverityWarning,
	CodeDuplicateHeader: SeverityWarning, CodeErrorPathNoCORS: SeverityWarning,
	CodeChromiumOnlySafelist: SeverityInfo, CodeUnexposedHeaders: SeverityInfo,
	CodePreflightReasons: SeverityInfo, CodeActualNotChecked: SeverityInfo,
	CodeOriginTainted:        SeverityInfo,
	CodeLocalNetworkInsecure: SeverityError, CodeLocalNetworkPermission: SeverityWarning,
	CodeMixedContent:         SeverityError,
	CodeMixedContentUpgraded: SeverityWarning,
}

type evalCase struct {
	name    string
	profile *Profile // nil: Chromium
	ex      *Exchange
	verdict Verdict
	// reported is the error the browser reports, with its failedParameter,
	// console line and a phrase of its message.
	reported Code
	param    string
	browser  string
	msgHas   string
	// fixHas is a phrase the reported finding's fix must hold; set when the
	// fix is made for the exchange rather than taken from the catalogue.
	fixHas string
	// also must be present; absent must not be.
	also   []Code
	absent []Code
	// cause is the finding named as the reason when it is not the
	// reported one ("" when it is).
	cause Code
}

// redirects builds n same-origin 302 hops on api that each allow page, then
// a final 200.
func redirects(n int) []*Message {
	var out []*Message
	for i := 1; i <= n; i++ {
		out = append(out, res(302, "Location", fmt.Sprintf("/hop/%d", i), HeaderAllowOrigin, page))
	}
	return append(out, okActual())
}

func evalCases() []evalCase {
	spec := *Chromium
	spec.Name = "spec"
	spec.WildcardCoversAuthorization = false
	webkit := *Chromium
	webkit.StatusBeforeOrigin = true

	authWildcard := Request{Method: "GET", URL: api, Origin: page, Header: hdr("Authorization", "Bearer x")}
	patch := Request{Method: "patch", URL: api, Origin: page}

	return []evalCase{
		// Allowed exchanges.
		{name: "simple GET with *", ex: exch(get(), nil, res(200, HeaderAllowOrigin, "*")), verdict: Allowed,
			absent: []Code{CodePreflightReasons, CodeMissingVaryOrigin}},
		{name: "preflighted PUT allowed", ex: exch(put(), okPreflight(), okActual()), verdict: Allowed,
			also: []Code{CodePreflightReasons}},
		{name: "credentialed echo with ACAC true", ex: exch(withCreds(get()), nil, okActual(HeaderAllowCredentials, "true")), verdict: Allowed},
		{name: "HAR value with spaces around *", ex: exch(get(), nil, res(200, HeaderAllowOrigin, " * ")), verdict: Allowed},
		{name: "same-origin request is not CORS", ex: exch(Request{Method: "PUT", URL: page + "/x", Origin: page, Header: hdr("X-Api-Key", "1")}, nil, res(200)),
			verdict: Allowed, absent: []Code{CodePreflightReasons, CodeMissingAllowOrigin}},
		{name: "origin given with trailing slash and capitals", ex: exch(Request{Method: "GET", URL: api, Origin: "https://App.Example.com/"}, nil, okActual()), verdict: Allowed},
		{name: "data URL needs no CORS", ex: exch(Request{Method: "GET", URL: "data:text/plain,hi", Origin: page}, nil), verdict: Allowed},
		{name: "304 revalidation without CORS headers", ex: exch(get(), nil, res(304)), verdict: Allowed},
		{name: "ACAM with empty elements parses", ex: exch(put(), okPreflight(HeaderAllowMethods, ", PUT,,"), okActual()), verdict: Allowed,
			absent: []Code{CodeInvalidAllowMethods}},
		{name: "method * without credentials", ex: exch(put(), res(204, HeaderAllowOrigin, page, HeaderAllowMethods, "*", HeaderAllowHeaders, "*"), okActual()), verdict: Allowed},
		{name: "lower-case patch listed as patch", ex: exch(patch, res(204, HeaderAllowOrigin, page, HeaderAllowMethods, "patch"), okActual()), verdict: Allowed},

		// The CORS check on the actual response (Chromium CheckAccess).
		{name: "missing ACAO", ex: exch(get(), nil, res(200)), verdict: Blocked,
			reported: CodeMissingAllowOrigin, browser: console(api, page, "No 'Access-Control-Allow-Origin' header is present on the requested resource."),
			msgHas: "no Access-Control-Allow-Origin"},
		{name: "missing ACAO on a 500", ex: exch(get(), nil, res(500)), verdict: Blocked,
			reported: CodeMissingAllowOrigin, msgHas: "status was 500 (Internal Server Error)"},
		{name: "ACAO list", ex: exch(get(), nil, res(200, HeaderAllowOrigin, page+", https://other.example")), verdict: Blocked,
			reported: CodeMultipleAllowOrigin, param: page + ", https://other.example",
			browser: console(api, page, "The 'Access-Control-Allow-Origin' header contains multiple values '"+page+", https://other.example', but only one is allowed. Have the server send the header with a valid value."),
			msgHas:  "comma-separated list"},
		{name: "ACAO list separated by spaces", ex: exch(get(), nil, res(200, HeaderAllowOrigin, page+" https://other.example")), verdict: Blocked,
			reported: CodeMultipleAllowOrigin, param: page + " https://other.example", msgHas: "space-separated list"},
		{name: "ACAO on two header lines", ex: exch(get(), nil, res(200, HeaderAllowOrigin, page, HeaderAllowOrigin, page)), verdict: Blocked,
			reported: CodeMultipleAllowOrigin, param: page + ", " + page, msgHas: "on 2 lines"},
		{name: "ACAO not a URL", ex: exch(get(), nil, res(200, HeaderAllowOrigin, "app.example.com")), verdict: Blocked,
			reported: CodeInvalidAllowOrigin, param: "app.example.com",
			browser: console(api, page, "The 'Access-Control-Allow-Origin' header contains the invalid value 'app.example.com'. Have the server send the header with a valid value.")},
		{name: "ACAO empty", ex: exch(get(), nil, res(200, HeaderAllowOrigin, "")), verdict: Blocked,
			reported: CodeInvalidAllowOrigin, param: "",
			browser: console(api, page, "The 'Access-Control-Allow-Origin' header contains the invalid value ''. Have the server send the header with a valid value.")},
		{name: "ACAO trailing slash", ex: exch(get(), nil, res(200, HeaderAllowOrigin, page+"/")), verdict: Blocked,
			reported: CodeAllowOriginMismatch, param: page + "/",
			browser: console(api, page, "The 'Access-Control-Allow-Origin' header has a value '"+page+"/' that is not equal to the supplied origin. Have the server send the header with a valid value."),
			msgHas:  "trailing slash"},
		{name: "ACAO scheme", ex: exch(get(), nil, res(200, HeaderAllowOrigin, "http://app.example.com")), verdict: Blocked,
			reported: CodeAllowOriginMismatch, param: "http://app.example.com", msgHas: "scheme differs (http versus https)"},
		{name: "ACAO port", ex: exch(get(), nil, res(200, HeaderAllowOrigin, page+":8443")), verdict: Blocked,
			reported: CodeAllowOriginMismatch, param: page + ":8443", msgHas: "port differs (8443 versus default 443)"},
		{name: "ACAO explicit default port", ex: exch(get(), nil, res(200, HeaderAllowOrigin, page+":443")), verdict: Blocked,
			reported: CodeAllowOriginMismatch, param: page + ":443", msgHas: "default port"},
		{name: "ACAO host case", ex: exch(get(), nil, res(200, HeaderAllowOrigin, "https://APP.example.com")), verdict: Blocked,
			reported: CodeAllowOriginMismatch, param: "https://APP.example.com", msgHas: "letter case"},
		{name: "ACAO www", ex: exch(get(), nil, res(200, HeaderAllowOrigin, "https://www.app.example.com")), verdict: Blocked,
			reported: CodeAllowOriginMismatch, param: "https://www.app.example.com", msgHas: "differs by www."},
		{name: "ACAO parent domain", ex: exch(get(), nil, res(200, HeaderAllowOrigin, "https://example.com")), verdict: Blocked,
			reported: CodeAllowOriginMismatch, param: "https://example.com", msgHas: "parent or subdomain"},
		{name: "ACAO pattern", ex: exch(get(), nil, res(200, HeaderAllowOrigin, "https://*.example.com")), verdict: Blocked,
			reported: CodeAllowOriginMismatch, param: "https://*.example.com", msgHas: "pattern"},
		{name: "ACAO with a path", ex: exch(get(), nil, res(200, HeaderAllowOrigin, page+"/app")), verdict: Blocked,
			reported: CodeAllowOriginMismatch, param: page + "/app", msgHas: "carries a path"},
		{name: "ACAO another origin", ex: exch(get(), nil, res(200, HeaderAllowOrigin, "https://other.example")), verdict: Blocked,
			reported: CodeAllowOriginMismatch, param: "https://other.example", msgHas: "another origin"},
		{name: "ACAO null for a real origin", ex: exch(get(), nil, res(200, HeaderAllowOrigin, "null")), verdict: Blocked,
			reported: CodeAllowOriginMismatch, param: "null",
			browser: console(api, page, "The 'Access-Control-Allow-Origin' header has a value 'null' that is not equal to the supplied origin. Have the server send the header with a valid value."),
			also:    []Code{CodeAllowOriginNull}},
		{name: "ACAO null matches a sandboxed page", ex: exch(Request{Method: "GET", URL: api, Origin: "null"}, nil, res(200, HeaderAllowOrigin, "null")), verdict: Allowed,
			also: []Code{CodeAllowOriginNull}},
		// A page whose origin is null (opened as a file:, a sandboxed
		// iframe): the fix is a real origin for the page, not allowing null.
		{name: "null page, no ACAO", ex: exch(Request{Method: "GET", URL: api, Origin: "null"}, nil, res(200)), verdict: Blocked,
			reported: CodeMissingAllowOrigin, browser: console(api, "null", detail(CodeMissingAllowOrigin, "")),
			msgHas: "opened as a file:", fixHas: "serve it over http(s)"},
		{name: "null page, another origin allowed", ex: exch(Request{Method: "GET", URL: api, Origin: "null"}, nil, res(200, HeaderAllowOrigin, page)), verdict: Blocked,
			reported: CodeAllowOriginMismatch, param: page, browser: console(api, "null", detail(CodeAllowOriginMismatch, page)),
			msgHas: "opened as a file:", fixHas: "not by allowing `null`"},
		{name: "null page, preflight without ACAO", ex: exch(Request{Method: "PUT", URL: api, Origin: "null"}, res(204)), verdict: Blocked,
			reported: CodePreflightMissingAllowOrigin, browser: console(api, "null", "Response to preflight request doesn't pass access control check: "+detail(CodeMissingAllowOrigin, "")),
			msgHas: "opened as a file:", fixHas: "http://localhost"},
		{name: "wildcard with credentials", ex: exch(withCreds(get()), nil, res(200, HeaderAllowOrigin, "*")), verdict: Blocked,
			reported: CodeWildcardCredentials, param: "",
			browser: console(api, page, "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'."),
			also:    []Code{CodeInvalidCredentials}},
		{name: "wildcard with credentials from XHR", ex: exch(xhr(withCreds(get())), nil, res(200, HeaderAllowOrigin, "*", HeaderAllowCredentials, "true")), verdict: Blocked,
			reported: CodeWildcardCredentials,
			browser:  "Access to XMLHttpRequest at '" + api + "' from origin '" + page + "' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.",
			absent:   []Code{CodeInvalidCredentials}},
		{name: "ACAC True is not true", ex: exch(withCreds(get()), nil, okActual(HeaderAllowCredentials, "True")), verdict: Blocked,
			reported: CodeInvalidCredentials, param: "True",
			browser: console(api, page, "The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'."),
			msgHas:  "exactly 'true'"},
		{name: "ACAC missing", ex: exch(withCreds(get()), nil, okActual()), verdict: Blocked,
			reported: CodeInvalidCredentials, param: "",
			browser: console(api, page, "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.")},
		{name: "ACAC on two lines", ex: exch(withCreds(get()), nil, okActual(HeaderAllowCredentials, "true", HeaderAllowCredentials, "true")), verdict: Blocked,
			reported: CodeInvalidCredentials, param: "true, true", also: []Code{CodeDuplicateHeader}},
		{name: "ACAC ignored without credentials", ex: exch(get(), nil, okActual(HeaderAllowCredentials, "nope")), verdict: Allowed},
		{name: "304 for a script conditional request is checked", ex: exch(Request{Method: "GET", URL: api, Origin: page, Header: hdr("If-None-Match", `"v1"`)}, nil, res(304)),
			verdict: Blocked, reported: CodeMissingAllowOrigin},

		// The preflight, in Chromium's order.
		{name: "preflight 404 without ACAO reports the origin first", ex: exch(put(), res(404)), verdict: Blocked,
			reported: CodePreflightMissingAllowOrigin,
			browser:  console(api, page, pfx+"No 'Access-Control-Allow-Origin' header is present on the requested resource."),
			msgHas:   "status was 404 (Not Found)", also: []Code{CodePreflightStatus}},
		{name: "WebKit order reports the status first", profile: &webkit, ex: exch(put(), res(404)), verdict: Blocked,
			reported: CodePreflightStatus, also: []Code{CodePreflightMissingAllowOrigin}},
		{name: "preflight 204 with CORS headers passes", ex: exch(put(), okPreflight(), okActual()), verdict: Allowed},
		{name: "preflight 401 with CORS headers", ex: exch(put(), res(401, HeaderAllowOrigin, page, HeaderAllowMethods, "PUT", HeaderAllowHeaders, "content-type")), verdict: Blocked,
			reported: CodePreflightStatus, browser: console(api, page, pfx+"It does not have HTTP ok status."), msgHas: "status 401 (Unauthorized)"},
		{name: "preflight redirect", ex: exch(put(), res(301, "Location", api+"/")), verdict: Blocked,
			reported: CodePreflightRedirect, browser: console(api, page, pfx+"Redirect is not allowed for a preflight request."),
			msgHas: `301 redirect to "` + api + `/"`, absent: []Code{CodePreflightMissingAllowOrigin}},
		{name: "preflight ACAO list", ex: exch(put(), okPreflight(HeaderAllowOrigin, page)), verdict: Blocked,
			reported: CodePreflightMultipleAllowOrigin, param: page + ", " + page,
			browser: console(api, page, pfx+"The 'Access-Control-Allow-Origin' header contains multiple values '"+page+", "+page+"', but only one is allowed. Have the server send the header with a valid value.")},
		{name: "preflight ACAO invalid", ex: exch(put(), res(204, HeaderAllowOrigin, "app.example.com", HeaderAllowMethods, "PUT", HeaderAllowHeaders, "content-type")), verdict: Blocked,
			reported: CodePreflightInvalidAllowOrigin, param: "app.example.com",
			browser: console(api, page, pfx+"The 'Access-Control-Allow-Origin' header contains the invalid value 'app.example.com'. Have the server send the header with a valid value.")},
		{name: "preflight ACAO mismatch", ex: exch(put(), res(204, HeaderAllowOrigin, "https://app.example.org", HeaderAllowMethods, "PUT", HeaderAllowHeaders, "content-type")), verdict: Blocked,
			reported: CodePreflightAllowOriginMismatch, param: "https://app.example.org",
			browser: console(api, page, pfx+"The 'Access-Control-Allow-Origin' header has a value 'https://app.example.org' that is not equal to the supplied origin. Have the server send the header with a valid value.")},
		{name: "preflight wildcard with credentials", ex: exch(withCreds(put()), res(204, HeaderAllowOrigin, "*", HeaderAllowCredentials, "true", HeaderAllowMethods, "PUT", HeaderAllowHeaders, "content-type")), verdict: Blocked,
			reported: CodePreflightWildcardCredentials,
			browser:  console(api, page, pfx+"The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.")},
		{name: "preflight credentials", ex: exch(withCreds(put()), okPreflight()), verdict: Blocked,
			reported: CodePreflightInvalidCredentials, param: "",
			browser: console(api, page, pfx+"The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.")},
		{name: "ACAM not tokens", ex: exch(put(), okPreflight(HeaderAllowMethods, "PUT/PATCH")), verdict: Blocked,
			reported: CodeInvalidAllowMethods, param: "",
			browser: console(api, page, "Cannot parse Access-Control-Allow-Methods response header field in preflight response."),
			msgHas:  `"PUT/PATCH" is not a method token`, absent: []Code{CodeMethodNotAllowed}},
		{name: "ACAH not tokens", ex: exch(put(), res(204, HeaderAllowOrigin, page, HeaderAllowMethods, "PUT", HeaderAllowHeaders, "Content-Type, X Bar")), verdict: Blocked,
			reported: CodeInvalidAllowHeaders, param: "",
			browser: console(api, page, "Cannot parse Access-Control-Allow-Headers response header field in preflight response."),
			msgHas:  `"X Bar" is not a header name`},
		{name: "ACAH quoted list is one element", ex: exch(put(), res(204, HeaderAllowOrigin, page, HeaderAllowMethods, "PUT", HeaderAllowHeaders, `'content-type, x-a'`)), verdict: Blocked,
			reported: CodeInvalidAllowHeaders},
		{name: "method not listed", ex: exch(put(), res(204, HeaderAllowOrigin, page, HeaderAllowMethods, "GET, POST", HeaderAllowHeaders, "content-type")), verdict: Blocked,
			reported: CodeMethodNotAllowed, param: "PUT",
			browser: console(api, page, "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response."),
			msgHas:  "does not list PUT", fixHas: "Here: Access-Control-Allow-Methods: GET, POST, PUT"},
		{name: "no ACAM at all", ex: exch(put(), res(204, HeaderAllowOrigin, page, HeaderAllowHeaders, "content-type")), verdict: Blocked,
			reported: CodeMethodNotAllowed, param: "PUT", msgHas: "no Access-Control-Allow-Methods", fixHas: "Here: Access-Control-Allow-Methods: PUT."},
		{name: "patch is case-sensitive", ex: exch(patch, res(204, HeaderAllowOrigin, page, HeaderAllowMethods, "GET, PATCH")), verdict: Blocked,
			reported: CodeMethodNotAllowed, param: "patch",
			browser: console(api, page, "Method patch is not allowed by Access-Control-Allow-Methods in preflight response."),
			msgHas:  "another letter case", fixHas: "Here: Access-Control-Allow-Methods: GET, PATCH, patch; or have the page send PATCH"},
		{name: "lower-case put is normalized", ex: exch(Request{Method: "put", URL: api, Origin: page}, res(204, HeaderAllowOrigin, page, HeaderAllowMethods, "PUT"), okActual()), verdict: Allowed},
		{name: "method * with credentials is literal", ex: exch(withCreds(put()), res(204, HeaderAllowOrigin, page, HeaderAllowCredentials, "true", HeaderAllowMethods, "*", HeaderAllowHeaders, "content-type")), verdict: Blocked,
			reported: CodeMethodNotAllowed, param: "PUT", msgHas: "literal method name", fixHas: "Here: Access-Control-Allow-Methods: *, PUT (`*` counts only for requests without credentials"},
		{name: "header not listed", ex: exch(Request{Method: "GET", URL: api, Origin: page, Header: hdr("X-Api-Key", "k", "X-Trace", "t")}, res(204, HeaderAllowOrigin, page, HeaderAllowHeaders, "Content-Type")), verdict: Blocked,
			reported: CodeHeaderNotAllowed, param: "x-api-key",
			browser: console(api, page, "Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response."),
			msgHas:  "x-api-key, x-trace are not allowed", fixHas: "Here: Access-Control-Allow-Headers: Content-Type, x-api-key, x-trace."},
		{name: "header * with credentials is literal", ex: exch(withCreds(Request{Method: "GET", URL: api, Origin: page, Header: hdr("X-Api-Key", "k")}), res(204, HeaderAllowOrigin, page, HeaderAllowCredentials, "true", HeaderAllowHeaders, "*")), verdict: Blocked,
			reported: CodeHeaderNotAllowed, param: "x-api-key", msgHas: "literal name", fixHas: "Here: Access-Control-Allow-Headers: *, x-api-key (`*` counts only for requests without credentials"},
		{name: "header listed in another case", ex: exch(Request{Method: "GET", URL: api, Origin: page, Header: hdr("X-Api-Key", "k")}, res(204, HeaderAllowOrigin, page, HeaderAllowHeaders, "X-API-KEY"), okActual()), verdict: Allowed},
		{name: "Authorization under * passes with a warning", ex: exch(authWildcard, res(204, HeaderAllowOrigin, page, HeaderAllowHeaders, "*"), okActual()), verdict: Allowed,
			also: []Code{CodeAuthorizationWildcard}},
		{name: "Authorization under * in Firefox", profile: Firefox, ex: exch(authWildcard, res(204, HeaderAllowOrigin, page, HeaderAllowHeaders, "*"), okActual()), verdict: Allowed,
			also: []Code{CodeAuthorizationWildcard}},
		{name: "Authorization under * per the standard", profile: &spec, ex: exch(authWildcard, res(204, HeaderAllowOrigin, page, HeaderAllowHeaders, "*"), okActual()), verdict: Blocked,
			reported: CodeHeaderNotAllowed, param: "authorization", absent: []Code{CodeAuthorizationWildcard}},
		{name: "Authorization listed explicitly", ex: exch(authWildcard, res(204, HeaderAllowOrigin, page, HeaderAllowHeaders, "*, Authorization"), okActual()), verdict: Allowed,
			absent: []Code{CodeAuthorizationWildcard}},
		{name: "preflight network error", ex: &Exchange{Request: put(), Preflight: &Hop{NetError: "connection refused"}}, verdict: Blocked,
			reported: CodePreflightNetwork, browser: noMsg, msgHas: "connection refused"},

		// Redirects of the actual request.
		{name: "redirect without ACAO on the 3xx", ex: exch(get(), nil, res(301, "Location", "https://api.example.com/v2/items"), okActual()), verdict: Blocked,
			reported: CodeMissingAllowOrigin, browser: console(api, page, "No 'Access-Control-Allow-Origin' header is present on the requested resource."),
			msgHas: "browser checks CORS on every hop"},
		{name: "same-origin redirect keeps the origin", ex: exch(get(), nil, res(302, "Location", "/v2/items", HeaderAllowOrigin, page), res(200)), verdict: Blocked,
			reported: CodeMissingAllowOrigin,
			browser:  "Access to fetch at 'https://api.example.com/v2/items' (redirected from '" + api + "') from origin '" + page + "' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			absent:   []Code{CodeOriginTainted}},
		{name: "cross-origin redirect taints the origin", ex: exch(get(), nil, res(302, "Location", "https://cdn.example.net/items", HeaderAllowOrigin, "*"), res(200, HeaderAllowOrigin, page)), verdict: Blocked,
			reported: CodeAllowOriginMismatch, param: page,
			browser: "Access to fetch at 'https://cdn.example.net/items' (redirected from '" + api + "') from origin '" + page + "' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value '" + page + "' that is not equal to the supplied origin. Have the server send the header with a valid value.",
			msgHas:  "Origin is null", also: []Code{CodeOriginTainted}, cause: CodeOriginTainted},
		{name: "tainted origin refused by an allow-list", ex: exch(get(), nil, res(302, "Location", "https://cdn.example.net/items", HeaderAllowOrigin, page), res(200, "Vary", "Origin")), verdict: Blocked,
			reported: CodeMissingAllowOrigin, browser: "Access to fetch at 'https://cdn.example.net/items' (redirected from '" + api + "') from origin '" + page + "' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			cause: CodeOriginTainted},
		{name: "tainted origin at a server without CORS: the taint is no cause", ex: exch(get(), nil, res(302, "Location", "https://cdn.example.net/items", HeaderAllowOrigin, page), res(200)), verdict: Blocked,
			reported: CodeMissingAllowOrigin, browser: "Access to fetch at 'https://cdn.example.net/items' (redirected from '" + api + "') from origin '" + page + "' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			also: []Code{CodeOriginTainted}},
		{name: "tainted origin allowed by *", ex: exch(get(), nil, res(302, "Location", "https://cdn.example.net/items", HeaderAllowOrigin, "*"), res(200, HeaderAllowOrigin, "*")), verdict: Allowed,
			also: []Code{CodeOriginTainted}},
		{name: "same-origin request redirected cross-origin", ex: exch(Request{Method: "GET", URL: page + "/go", Origin: page}, nil, res(302, "Location", api), res(200)), verdict: Blocked,
			reported: CodeMissingAllowOrigin,
			browser:  "Access to fetch at '" + api + "' (redirected from '" + page + "/go') from origin '" + page + "' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."},
		{name: "userinfo in a cross-origin Location", ex: exch(get(), nil, res(302, "Location", "https://user:pw@cdn.example.net/x", HeaderAllowOrigin, page), okActual()), verdict: Blocked,
			reported: CodeRedirectCredentials, param: "",
			browser: console(api, page, "Redirect location '' contains a username and password, which is disallowed for cross-origin requests."),
			msgHas:  "***:***@cdn.example.net"},
		{name: "userinfo back to the page origin under the CORS flag", ex: exch(get(), nil, res(302, "Location", "https://u:p@app.example.com/x", HeaderAllowOrigin, page)), verdict: Blocked,
			reported: CodeRedirectCredentials},
		{name: "userinfo on a same-origin redirect is fine", ex: exch(Request{Method: "GET", URL: page + "/a", Origin: page}, nil, res(302, "Location", "https://u:p@app.example.com/b"), res(200)), verdict: Allowed},
		{name: "redirect to a non-http scheme", ex: exch(get(), nil, res(302, "Location", "ftp://files.example.com/x", HeaderAllowOrigin, page)), verdict: Blocked,
			reported: CodeCorsDisabledScheme,
			browser:  "Access to fetch at 'ftp://files.example.com/x' (redirected from '" + api + "') from origin '" + page + "' has been blocked by CORS policy: Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app."},
		{name: "redirect to an unparsable Location", ex: exch(get(), nil, res(302, "Location", "http://[zz", HeaderAllowOrigin, page)), verdict: Blocked,
			reported: CodeRedirectBadLocation, browser: noMsg},
		{name: "redirect: 'error' rejects a redirect that passes CORS", ex: exch(Request{Method: "GET", URL: api, Origin: page, Redirect: RedirectError}, nil, res(302, "Location", "https://cdn.example.net/x", HeaderAllowOrigin, "*")), verdict: Blocked,
			reported: CodeRedirectModeError, browser: noMsg, msgHas: "not a CORS error", fixHas: "directly"},
		{name: "redirect: 'manual' resolves with an opaque redirect", ex: exch(Request{Method: "GET", URL: api, Origin: page, Redirect: RedirectManual}, nil, res(302, "Location", "https://cdn.example.net/x", HeaderAllowOrigin, "*"), res(200)), verdict: Allowed,
			also: []Code{CodeOpaqueRedirect}, absent: []Code{CodeMissingAllowOrigin, CodeOriginTainted}},
		{name: "a 302 without Location is the answer", ex: exch(get(), nil, res(302, HeaderAllowOrigin, "*")), verdict: Allowed,
			also: []Code{CodeRedirectNoLocation}, absent: []Code{CodeOpaqueRedirect, CodeRedirectModeError}},
		{name: "a 302 without Location and CORS headers", ex: exch(get(), nil, res(302)), verdict: Blocked,
			reported: CodeMissingAllowOrigin, cause: CodeRedirectNoLocation},
		{name: "20 redirects are fine", ex: exch(get(), nil, redirects(20)...), verdict: Allowed},
		{name: "the 21st redirect fails", ex: exch(get(), nil, redirects(21)...), verdict: Blocked,
			reported: CodeTooManyRedirects, browser: noMsg, msgHas: "more than 20"},
		{name: "network error on the actual request", ex: &Exchange{Request: get(), Actual: []Hop{{NetError: "TLS handshake failed"}}}, verdict: Blocked,
			reported: CodeActualNetwork, browser: noMsg, msgHas: "TLS handshake failed"},

		// Before anything is sent.
		{name: "TRACE is forbidden", ex: exch(Request{Method: "trace", URL: api, Origin: page}, nil), verdict: Blocked,
			reported: CodeForbiddenMethod, browser: noMsg, msgHas: "forbidden method"},
		{name: "a method that is not a token", ex: exch(Request{Method: "GE T", URL: api, Origin: page}, nil), verdict: Blocked,
			reported: CodeForbiddenMethod, browser: noMsg, msgHas: "not a valid HTTP method"},
		// fetch() refuses a URL with user:password@ whatever the server
		// answers; XMLHttpRequest sends it (without them), judged as any.
		{name: "user and password in the URL", ex: exch(Request{Method: "GET", URL: "https://alice:s3cret@api.example.com/items", Origin: page}, nil, res(200, HeaderAllowOrigin, "*")), verdict: Blocked,
			reported: CodeURLCredentials, msgHas: "user name or password",
			browser: "TypeError: Failed to execute 'fetch' on 'Window': Request cannot be constructed from a URL that includes credentials: https://alice:s3cret@api.example.com/items"},
		{name: "a user name alone in the URL", ex: exch(Request{Method: "POST", URL: "https://alice@api.example.com/items", Origin: page}, nil), verdict: Blocked,
			reported: CodeURLCredentials,
			browser:  "TypeError: Failed to execute 'fetch' on 'Window': Request cannot be constructed from a URL that includes credentials: https://alice@api.example.com/items"},
		{name: "user and password in the URL, Firefox", profile: Firefox, ex: exch(Request{Method: "GET", URL: "https://alice:s3cret@api.example.com/items", Origin: page}, nil), verdict: Blocked,
			reported: CodeURLCredentials, browser: "TypeError: Window.fetch: https://alice:s3cret@api.example.com/items is an url with embedded credentials."},
		{name: "user and password in the URL, Safari", profile: Safari, ex: exch(Request{Method: "GET", URL: "https://alice:s3cret@api.example.com/items", Origin: page}, nil), verdict: Blocked,
			reported: CodeURLCredentials, browser: "TypeError: URL is not valid or contains user credentials."},
		{name: "user and password in a same-origin URL", ex: exch(Request{Method: "GET", URL: "https://alice:s3cret@app.example.com/items", Origin: page}, nil, res(200)), verdict: Blocked,
			reported: CodeURLCredentials,
			browser:  "TypeError: Failed to execute 'fetch' on 'Window': Request cannot be constructed from a URL that includes credentials: https://alice:s3cret@app.example.com/items"},
		{name: "an empty userinfo is no credentials", ex: exch(Request{Method: "GET", URL: "https://:@api.example.com/items", Origin: page}, nil, res(200, HeaderAllowOrigin, "*")), verdict: Allowed,
			absent: []Code{CodeURLCredentials}},
		{name: "an @ in the path is no credentials", ex: exch(Request{Method: "GET", URL: "https://api.example.com/users/@alice", Origin: page}, nil, res(200, HeaderAllowOrigin, "*")), verdict: Allowed,
			absent: []Code{CodeURLCredentials}},
		{name: "user and password in the URL from XHR", ex: exch(xhr(Request{Method: "GET", URL: "https://alice:s3cret@api.example.com/items", Origin: page}), nil, res(200, HeaderAllowOrigin, "*")), verdict: Allowed,
			absent: []Code{CodeURLCredentials}},
		{name: "user and password in the URL from XHR, blocked by the server", ex: exch(xhr(Request{Method: "GET", URL: "https://alice:s3cret@api.example.com/items", Origin: page}), nil, res(401)), verdict: Blocked,
			reported: CodeMissingAllowOrigin, absent: []Code{CodeURLCredentials},
			// Chromium 156 names the URL with its user name and password
			// (url-credentials-xhr-blocked); reports redact it.
			browser: "Access to XMLHttpRequest at 'https://alice:s3cret@api.example.com/items' from origin '" + page + "' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."},
		{name: "file URL from fetch", ex: exch(Request{Method: "GET", URL: "file:///etc/hosts", Origin: page}, nil), verdict: Blocked,
			reported: CodeCorsDisabledScheme, browser: `Fetch API cannot load file:///etc/hosts. URL scheme "file" is not supported.`},
		{name: "custom scheme from XHR", ex: exch(xhr(Request{Method: "GET", URL: "chrome-extension://abc/x", Origin: page}), nil), verdict: Blocked,
			reported: CodeCorsDisabledScheme,
			browser:  "Access to XMLHttpRequest at 'chrome-extension://abc/x' from origin '" + page + "' has been blocked by CORS policy: Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app."},

		// Hazards and information.
		{name: "echoed origin without Vary", ex: exch(get(), nil, res(200, HeaderAllowOrigin, page)), verdict: Allowed, also: []Code{CodeMissingVaryOrigin}},
		{name: "echoed origin with Vary in a list", ex: exch(get(), nil, res(200, HeaderAllowOrigin, page, "Vary", "Accept-Encoding, origin")), verdict: Allowed, absent: []Code{CodeMissingVaryOrigin}},
		{name: "Max-Age beyond the cap", ex: exch(put(), okPreflight(HeaderMaxAge, "86400"), okActual()), verdict: Allowed, also: []Code{CodeMaxAgeCapped}},
		{name: "Max-Age at the cap", ex: exch(put(), okPreflight(HeaderMaxAge, "7200"), okActual()), verdict: Allowed, absent: []Code{CodeMaxAgeCapped}},
		{name: "Max-Age in Firefox", profile: Firefox, ex: exch(put(), okPreflight(HeaderMaxAge, "86400"), okActual()), verdict: Allowed, absent: []Code{CodeMaxAgeCapped}},
		{name: "Max-Age past int64", ex: exch(put(), okPreflight(HeaderMaxAge, "99999999999999999999"), okActual()), verdict: Allowed, also: []Code{CodeMaxAgeCapped}},
		{name: "duplicated ACAM", ex: exch(put(), okPreflight(HeaderAllowMethods, "PUT"), okActual()), verdict: Allowed, also: []Code{CodeDuplicateHeader}},
		{name: "Chromium-only client hint", ex: exch(Request{Method: "GET", URL: api, Origin: page, Header: hdr("DPR", "2")}, nil, okActual()), verdict: Allowed,
			also: []Code{CodeChromiumOnlySafelist}, absent: []Code{CodePreflightReasons}},
		{name: "client hint in Firefox needs a preflight", profile: Firefox, ex: exch(Request{Method: "GET", URL: api, Origin: page, Header: hdr("DPR", "2")}, res(204, HeaderAllowOrigin, page), okActual()), verdict: Blocked,
			reported: CodeHeaderNotAllowed, param: "dpr", also: []Code{CodePreflightReasons},
			browser: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/v1/items. (Reason: header ‘dpr’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response)."},
		{name: "unexposed response header", ex: exch(get(), nil, okActual("X-Total-Count", "3")), verdict: Allowed, also: []Code{CodeUnexposedHeaders}},
		{name: "exposed response header", ex: exch(get(), nil, okActual("X-Total-Count", "3", HeaderExposeHeaders, "x-total-count")), verdict: Allowed, absent: []Code{CodeUnexposedHeaders}},
		{name: "ACEH * with credentials is literal", ex: exch(withCreds(get()), nil, okActual(HeaderAllowCredentials, "true", "X-Total-Count", "3", HeaderExposeHeaders, "*")), verdict: Allowed, also: []Code{CodeUnexposedHeaders}},
		{name: "state-changing request not sent", ex: &Exchange{Request: put(), Preflight: &Hop{Response: okPreflight()}, ActualSkipped: "PUT was not sent; pass --send-actual"}, verdict: Allowed,
			also: []Code{CodeActualNotChecked, CodePreflightReasons}},
	}
}

func TestEvaluate(t *testing.T) {
	seen := map[Code]bool{}
	for _, tc := range append(append(evalCases(), lnaEvalCases()...), mixedEvalCases()...) {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.profile
			if p == nil {
				p = Chromium
			}
			d := p.Evaluate(tc.ex)
			for _, f := range d.Findings {
				seen[f.Code] = true
				// A cause the engine names is an error, whatever its catalogue severity.
				if want, ok := wantSeverity[f.Code]; !ok || f.Severity != want && !(f.Cause && f.Severity == SeverityError) {
					t.Errorf("%s has severity %s, want %s", f.Code, f.Severity, want)
				}
			}
			if d.Verdict != tc.verdict {
				t.Fatalf("verdict %s, want %s; findings %v", d.Verdict, tc.verdict, codes(d))
			}
			rep := d.Reported()
			switch {
			case tc.reported == "" && rep != nil:
				t.Fatalf("reported %s, want none; findings %v", rep.Code, codes(d))
			case tc.reported != "" && rep == nil:
				t.Fatalf("reported nothing, want %s; findings %v", tc.reported, codes(d))
			case tc.reported != "":
				if rep.Code != tc.reported {
					t.Fatalf("reported %s, want %s; findings %v", rep.Code, tc.reported, codes(d))
				}
				if rep != &d.Findings[0] || rep.Severity != SeverityError {
					t.Errorf("the reported finding must be the first finding and an error")
				}
				if rep.FailedParameter != tc.param {
					t.Errorf("FailedParameter %q, want %q", rep.FailedParameter, tc.param)
				}
				want := tc.browser
				switch want {
				case "":
					want = console(api, page, detail(rep.Code, rep.FailedParameter))
				case noMsg:
					want = ""
				}
				if rep.BrowserMessage != want {
					t.Errorf("BrowserMessage\n got %q\nwant %q", rep.BrowserMessage, want)
				}
				if tc.msgHas != "" {
					mustContain(t, "Message", rep.Message, tc.msgHas)
				}
				if tc.fixHas != "" {
					mustContain(t, "Fix", rep.Fix, tc.fixHas)
				}
				in, _ := Lookup(rep.Code)
				// Network errors get a fix that fits the net error (neterror.go).
				// A failed redirect response's fix points at the final URL.
				// A credentials fix names the initiator's switch, and an
				// origin mismatch's the origin allowed instead.
				load := InitiatorOf(&tc.ex.Request)
				fixFromCatalogue := rep.Fix == in.Fix || rep.Fix == wildcardFix(load) || rep.Fix == credentialsFix(load) || rep.Code == CodeActualNetwork || rep.Code == CodePreflightNetwork ||
					rep.Fix == mismatchFix(rep.FailedParameter, page) ||
					strings.HasPrefix(rep.Fix, "Call the final URL directly (") || tc.fixHas != "" ||
					(rep.Code == CodeMethodNotAllowed || rep.Code == CodeHeaderNotAllowed) && strings.HasPrefix(rep.Fix, in.Fix+" Here: ")
				if rep.CorsError != in.CorsError || !fixFromCatalogue || rep.Spec != in.Spec {
					t.Errorf("finding fields do not come from the catalogue: %+v", rep)
				}
			}
			for _, c := range tc.also {
				if !d.Has(c) {
					t.Errorf("missing %s; findings %v", c, codes(d))
				}
			}
			for _, c := range tc.absent {
				if d.Has(c) {
					t.Errorf("unexpected %s; findings %v", c, codes(d))
				}
			}
			if c := d.Cause(); tc.cause != "" {
				if c == nil || c.Code != tc.cause || !c.Cause || c.Severity != SeverityError {
					t.Errorf("cause %v, want %s as an error", c, tc.cause)
				} else if rep := d.Reported(); rep.FollowsFrom != tc.cause {
					t.Errorf("reported %s follows from %q, want %s", rep.Code, rep.FollowsFrom, tc.cause)
				}
			} else if c != nil && c.Cause {
				t.Errorf("cause %s named, want the reported finding itself", c.Code)
			}
			if n := countReported(d); (d.Verdict == Blocked) != (n == 1) || n > 1 {
				t.Errorf("%d findings marked Reported for verdict %s", n, d.Verdict)
			}
			if !sortedBySeverity(d) {
				t.Errorf("findings not ordered errors, warnings, infos: %v", codes(d))
			}
		})
	}
	// Every engine code is produced by some case above (error-responses-lack-cors
	// comes from the probe's error-path check, tested in TestNewFinding).
	for c := range wantSeverity {
		if !seen[c] && c != CodeErrorPathNoCORS {
			t.Errorf("no test case produces %s", c)
		}
	}
}

func countReported(d *Diagnosis) int {
	n := 0
	for _, f := range d.Findings {
		if f.Reported {
			n++
		}
	}
	return n
}

func sortedBySeverity(d *Diagnosis) bool {
	rank := map[Severity]int{SeverityError: 0, SeverityWarning: 1, SeverityInfo: 2}
	return slices.IsSortedFunc(d.Findings, func(a, b Finding) int { return rank[a.Severity] - rank[b.Severity] })
}

func TestCatalogue(t *testing.T) {
	infos := Codes()
	if len(infos) != len(wantSeverity) {
		t.Errorf("Codes() has %d entries, the engine defines %d", len(infos), len(wantSeverity))
	}
	for i, in := range infos {
		if i > 0 && infos[i-1].Code >= in.Code {
			t.Errorf("Codes() not sorted at %s", in.Code)
		}
		if want, ok := wantSeverity[in.Code]; !ok || want != in.Severity {
			t.Errorf("%s: severity %s, want %s", in.Code, in.Severity, want)
		}
		if in.Title == "" || in.Fix == "" {
			t.Errorf("%s: empty title or fix", in.Code)
		}
		if strings.ToLower(string(in.Code)) != string(in.Code) || strings.ContainsAny(string(in.Code), " _") {
			t.Errorf("%s is not kebab-case", in.Code)
		}
		got, ok := Lookup(in.Code)
		if !ok || got != in {
			t.Errorf("Lookup(%s) = %v, %v", in.Code, got, ok)
		}
	}
	if _, ok := Lookup("no-such-code"); ok {
		t.Error("Lookup of an unknown code succeeded")
	}
}

func TestRegisterDuplicatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("registering an existing code did not panic")
		}
	}()
	Register(Info{Code: CodeMissingAllowOrigin})
}

func TestNewFinding(t *testing.T) {
	f := NewFinding(CodeErrorPathNoCORS, "error-path", "the 404 has no Access-Control-Allow-Origin")
	if f.Severity != SeverityWarning || f.CorsError != "MissingAllowOriginHeader" || f.Firefox != "CORSMissingAllowOrigin2" || f.Step != "error-path" || f.Fix == "" {
		t.Errorf("NewFinding = %+v", f)
	}
	defer func() {
		if recover() == nil {
			t.Error("NewFinding of an unregistered code did not panic")
		}
	}()
	NewFinding("not-registered", "x", "y")
}

func TestDiagnosisHelpers(t *testing.T) {
	d := Evaluate(exch(withCreds(get()), nil, res(200, HeaderAllowOrigin, "*", "X-A", "1")))
	if d.Count(SeverityError) != 2 || !d.Has(CodeWildcardCredentials) || d.Has(CodeMissingAllowOrigin) {
		t.Errorf("Count/Has wrong: %v", codes(d))
	}
	if d.Scope != ScopeFull {
		t.Errorf("scope %s", d.Scope)
	}
	d = Evaluate(&Exchange{Request: put(), Preflight: &Hop{Response: okPreflight()}})
	if d.Verdict != Allowed || d.Scope != ScopePreflightOnly || d.Reported() != nil {
		t.Errorf("preflight-only exchange: %s %s %v", d.Verdict, d.Scope, codes(d))
	}
	if got := (&Exchange{}).FinalResponse(); got != nil {
		t.Errorf("FinalResponse of an empty exchange = %v", got)
	}
	ex := exch(get(), nil, res(302, "Location", "/x"), res(200))
	if got := ex.FinalResponse(); got.Status != 200 {
		t.Errorf("FinalResponse status %d", got.Status)
	}
}

// TestEvaluateDoesNotMutate: the engine judges, it never edits the exchange.
func TestEvaluateDoesNotMutate(t *testing.T) {
	ex := exch(Request{Method: "put", URL: api, Origin: "https://App.example.com/", Header: hdr("X-A", " 1 ")}, okPreflight(), okActual())
	before := fmt.Sprintf("%+v %+v %+v", ex.Request, *ex.Preflight.Response, *ex.Actual[0].Response)
	Evaluate(ex)
	after := fmt.Sprintf("%+v %+v %+v", ex.Request, *ex.Preflight.Response, *ex.Actual[0].Response)
	if before != after {
		t.Errorf("Evaluate changed the exchange:\n%s\n%s", before, after)
	}
}

func TestRedirectAPI(t *testing.T) {
	r := get()
	st := RedirectState{URL: api, Method: "GET", Origin: page}

	next, ok := Chromium.Redirect(&r, st, res(302, "Location", "https://cdn.example.net/a", HeaderAllowOrigin, page))
	if !ok || next.URL != "https://cdn.example.net/a" || next.Origin != "null" || next.Count != 1 || !next.DropAuthorization || !next.CrossOrigin {
		t.Errorf("cross-origin redirect: %+v %v", next, ok)
	}
	if _, ok := Chromium.Redirect(&r, st, res(302, "Location", "/b")); ok {
		t.Error("a redirect that fails the CORS check was followed")
	}
	// The Location is resolved as the URL standard does, as the browser
	// sends the next request.
	for loc, want := range map[string]string{
		"/v2/a b?q=c d#f":             "https://api.example.com/v2/a%20b?q=c%20d",
		"../é":                        "https://api.example.com/%C3%A9",
		"https://Bücher.example:443/": "https://xn--bcher-kva.example/",
		"/%zz":                        "https://api.example.com/%zz",
	} {
		next, ok := Chromium.Redirect(&r, st, res(302, "Location", loc, HeaderAllowOrigin, page))
		if !ok || next.URL != want {
			t.Errorf("Location %q: next URL %q (%v), want %q", loc, next.URL, ok, want)
		}
	}
	if _, ok := Chromium.Redirect(&r, st, res(200)); ok {
		t.Error("a 200 was treated as a redirect")
	}
	post := Request{Method: "POST", URL: api, Origin: page}
	for _, tc := range []struct {
		status   int
		method   string
		wantGET  bool
		wantDrop bool
	}{
		{301, "POST", true, true}, {302, "POST", true, true}, {303, "PUT", true, true},
		{303, "HEAD", false, false}, {307, "POST", false, false}, {308, "PUT", false, false},
	} {
		s := RedirectState{URL: api, Method: tc.method, Origin: page}
		next, ok := Chromium.Redirect(&post, s, res(tc.status, "Location", "/c", HeaderAllowOrigin, page))
		if !ok || (next.Method == "GET") != tc.wantGET || next.DropBody != tc.wantDrop {
			t.Errorf("%d %s: %+v %v", tc.status, tc.method, next, ok)
		}
	}
	st.Count = MaxRedirects
	if _, ok := Chromium.Redirect(&r, st, res(302, "Location", "/d", HeaderAllowOrigin, page)); ok {
		t.Error("a 21st redirect was followed")
	}
}

func TestConsoleURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://API.example.com":           "https://api.example.com/",
		"https://api.example.com:443/a?b#c": "https://api.example.com/a?b",
		"http://api.example.com:8080":       "http://api.example.com:8080/",
		"http://[::1]:3000/x":               "http://[::1]:3000/x",
		"file:///etc/hosts":                 "file:///etc/hosts",
	} {
		if got := consoleURL(in); got != want {
			t.Errorf("consoleURL(%q) = %q, want %q", in, got, want)
		}
	}
	d := Evaluate(exch(Request{Method: "GET", URL: "https://API.example.com", Origin: page}, nil, res(200)))
	mustContain(t, "BrowserMessage", d.Reported().BrowserMessage, "Access to fetch at 'https://api.example.com/' from")
}

func TestHeaderValuesNonCanonical(t *testing.T) {
	h := http.Header{"access-control-allow-origin": {page}}
	if v, ok := getCombined(h, HeaderAllowOrigin); !ok || v != page {
		t.Errorf("getCombined on a lower-case key = %q, %v", v, ok)
	}
	d := Evaluate(exch(get(), nil, &Message{Status: 200, Header: h}))
	if d.Verdict != Allowed {
		t.Errorf("lower-case header key: %v", codes(d))
	}
}

// TestVaries: Vary names Origin in any line, any case, among other names
// or as "*"; empty items and spaces around commas do not matter.
func TestVaries(t *testing.T) {
	for _, tc := range []struct {
		vary []string
		want bool
	}{
		{nil, false},
		{[]string{"Origin"}, true},
		{[]string{"accept-encoding, origin"}, true},
		{[]string{"Accept-Encoding", " Origin "}, true},
		{[]string{"*"}, true},
		{[]string{",, *,"}, true},
		{[]string{"Origins, X-Origin"}, false},
		{[]string{""}, false},
		{[]string{"Accept,"}, false},
	} {
		m := &Message{Header: http.Header{}}
		for _, v := range tc.vary {
			m.Header.Add("Vary", v)
		}
		if got := varies(m, "Origin"); got != tc.want {
			t.Errorf("varies(Vary: %q) = %v, want %v", tc.vary, got, tc.want)
		}
	}
}

// TestCredentialFixesKeepAnAllowList: the fix of `*` with credentials
// never reads as "echo the Origin": a server that echoes every origin with
// credentials lets any site read its users' data. It names the allow-list.
func TestCredentialFixesKeepAnAllowList(t *testing.T) {
	for _, code := range []Code{CodeWildcardCredentials, CodePreflightWildcardCredentials} {
		in, _ := Lookup(code)
		if !strings.Contains(in.Fix, "allow-list") || !strings.Contains(in.Fix, "never every origin") {
			t.Errorf("%s: fix %q does not say to echo only allowed origins", code, in.Fix)
		}
	}
}
