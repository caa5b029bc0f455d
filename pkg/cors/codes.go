package cors

// The engine's finding codes. Chromium names are the DevTools protocol's
// Network.CorsError values (verified on Chromium 156); Firefox names are its
// security.properties keys as MDN titles them.
const (
	CodeForbiddenMethod     Code = "forbidden-method"
	CodeURLCredentials      Code = "url-contains-credentials"
	CodeCorsDisabledScheme  Code = "cors-disabled-scheme"
	CodePreflightNetwork    Code = "preflight-network-error"
	CodeActualNetwork       Code = "network-error"
	CodePreflightRedirect   Code = "preflight-redirect"
	CodePreflightStatus     Code = "preflight-invalid-status"
	CodeInvalidAllowMethods Code = "invalid-allow-methods"
	CodeInvalidAllowHeaders Code = "invalid-allow-headers"
	CodeMethodNotAllowed    Code = "method-not-allowed"
	CodeHeaderNotAllowed    Code = "header-not-allowed"

	CodePreflightMissingAllowOrigin  Code = "preflight-missing-allow-origin"
	CodePreflightMultipleAllowOrigin Code = "preflight-multiple-allow-origin"
	CodePreflightInvalidAllowOrigin  Code = "preflight-invalid-allow-origin"
	CodePreflightAllowOriginMismatch Code = "preflight-allow-origin-mismatch"
	CodePreflightWildcardCredentials Code = "preflight-wildcard-origin-with-credentials"
	CodePreflightInvalidCredentials  Code = "preflight-invalid-allow-credentials"

	CodeMissingAllowOrigin  Code = "missing-allow-origin"
	CodeMultipleAllowOrigin Code = "multiple-allow-origin"
	CodeInvalidAllowOrigin  Code = "invalid-allow-origin"
	CodeAllowOriginMismatch Code = "allow-origin-mismatch"
	CodeWildcardCredentials Code = "wildcard-origin-with-credentials"
	CodeInvalidCredentials  Code = "invalid-allow-credentials"

	CodeRedirectCredentials Code = "redirect-contains-credentials"
	CodeTooManyRedirects    Code = "too-many-redirects"
	CodeRedirectBadLocation Code = "redirect-invalid-location"
	CodeRedirectModeError   Code = "redirect-mode-error"
	CodeOpaqueRedirect      Code = "opaque-redirect"
	CodeRedirectNoLocation  Code = "redirect-without-location"

	CodeAuthorizationWildcard Code = "authorization-covered-by-wildcard"
	CodeMissingVaryOrigin     Code = "missing-vary-origin"
	CodeAllowOriginNull       Code = "allow-origin-null"
	CodeMaxAgeCapped          Code = "max-age-capped"
	CodeDuplicateHeader       Code = "duplicate-cors-header"
	CodeErrorPathNoCORS       Code = "error-responses-lack-cors"
	CodeChromiumOnlySafelist  Code = "chromium-only-safelisted-header"
	CodeUnexposedHeaders      Code = "response-headers-not-exposed"
	CodePreflightReasons      Code = "preflight-required"
	CodeActualNotChecked      Code = "actual-not-checked"
	CodeOriginTainted         Code = "origin-tainted-by-redirect"

	CodeLocalNetworkInsecure   Code = "local-network-access-insecure"
	CodeLocalNetworkPermission Code = "local-network-access-permission"
	CodeMixedContent           Code = "mixed-content"
	CodeMixedContentUpgraded   Code = "mixed-content-upgraded"
)

func init() {
	Register(
		Info{CodeForbiddenMethod, SeverityError, "The method is forbidden for script", "", "", "Fetch §forbidden method", "Use another method: script can never send CONNECT, TRACE or TRACK."},
		Info{CodeURLCredentials, SeverityError, "The URL carries a user name or password: fetch() throws", "", "", "Fetch §Request constructor (new Request(input) step 5.3: parsedURL includes credentials)", "Take user:password@ out of the URL and send the credentials in a header: `fetch(url, { headers: { Authorization: 'Basic ' + btoa(user + ':' + password) } })` (or a bearer token); the server must then list Authorization in Access-Control-Allow-Headers."},
		Info{CodeCorsDisabledScheme, SeverityError, "The URL scheme does not support CORS", "CorsDisabledScheme", "CORSRequestNotHttp", "Fetch §main fetch (scheme fetch)", "Serve the resource over http or https."},
		Info{CodePreflightNetwork, SeverityError, "The preflight request failed at the network level", "", "CORSDidNotSucceed2", "Fetch §CORS-preflight fetch (network error)", "Make the endpoint reachable from the browser: check DNS, TLS certificate, firewall and that the server accepts OPTIONS."},
		Info{CodeActualNetwork, SeverityError, "The request failed at the network level", "", "CORSDidNotSucceed2", "Fetch §HTTP-network fetch (network error)", "Make the endpoint reachable: check DNS, TLS certificate and firewall."},
		Info{CodePreflightRedirect, SeverityError, "The preflight was redirected", "PreflightDisallowedRedirect", "CORSExternalRedirectNotAllowed", "Fetch §CORS-preflight fetch step 7 (ok status; redirects are not followed)", "Answer OPTIONS at the URL the page calls, with 2xx: call the final URL directly (add or drop the trailing slash, use https, use the canonical host) or stop redirecting OPTIONS."},
		Info{CodePreflightStatus, SeverityError, "The preflight response does not have an ok (2xx) status", "PreflightInvalidStatus", "CORSPreflightDidNotSucceed3", "Fetch §CORS-preflight fetch step 7 (ok status)", "Answer OPTIONS with 200 or 204 and the CORS headers, before any authentication or routing that rejects it."},
		Info{CodeInvalidAllowMethods, SeverityError, "Access-Control-Allow-Methods cannot be parsed", "InvalidAllowMethodsPreflightResponse", "CORSInvalidAllowMethod", "Fetch §CORS-preflight fetch step 7.1 (extract header list values)", "Send a comma-separated list of method tokens, for example `GET, POST, PUT, OPTIONS`."},
		Info{CodeInvalidAllowHeaders, SeverityError, "Access-Control-Allow-Headers cannot be parsed", "InvalidAllowHeadersPreflightResponse", "CORSInvalidAllowHeader", "Fetch §CORS-preflight fetch step 7.2 (extract header list values)", "Send a comma-separated list of header names, for example `Content-Type, Authorization`."},
		Info{CodeMethodNotAllowed, SeverityError, "The method is not in Access-Control-Allow-Methods", "MethodDisallowedByPreflightResponse", "CORSMethodNotFound", "Fetch §CORS-preflight fetch step 7.5 (method check)", "List the method, spelled exactly as the page sends it, in Access-Control-Allow-Methods."},
		Info{CodeHeaderNotAllowed, SeverityError, "A request header is not in Access-Control-Allow-Headers", "HeaderDisallowedByPreflightResponse", "CORSMissingAllowHeaderFromPreflight2", "Fetch §CORS-preflight fetch step 7.7 (header check)", "List the header in Access-Control-Allow-Headers."},

		Info{CodePreflightMissingAllowOrigin, SeverityError, "The preflight response has no Access-Control-Allow-Origin", "PreflightMissingAllowOriginHeader", "CORSMissingAllowOrigin2", "Fetch §CORS-preflight fetch step 7 (CORS check)", "Answer OPTIONS with Access-Control-Allow-Origin set to the page's origin (or `*` without credentials), plus Access-Control-Allow-Methods and Access-Control-Allow-Headers."},
		Info{CodePreflightMultipleAllowOrigin, SeverityError, "The preflight response has several Access-Control-Allow-Origin values", "PreflightMultipleAllowOriginValues", "CORSMultipleAllowOriginNotAllowed", "Fetch §CORS check step 1 (get, combined)", "Send exactly one origin: echo the request's Origin after checking it against your allow-list, and set the header in one layer only."},
		Info{CodePreflightInvalidAllowOrigin, SeverityError, "The preflight's Access-Control-Allow-Origin is not a valid origin", "PreflightInvalidAllowOriginValue", "CORSAllowOriginNotMatchingOrigin", "Fetch §CORS check step 4", "Send a full serialized origin (scheme://host[:port]), `*`, or nothing."},
		Info{CodePreflightAllowOriginMismatch, SeverityError, "The preflight's Access-Control-Allow-Origin is not the page's origin", "PreflightAllowOriginMismatch", "CORSAllowOriginNotMatchingOrigin", "Fetch §CORS check step 4", "Send the page's origin exactly as the browser sends it in Origin: scheme and host, a port only when it is not the scheme's default (never :443 on https, :80 on http), no path, no trailing slash."},
		Info{CodePreflightWildcardCredentials, SeverityError, "The preflight allows `*` but the request carries credentials", "PreflightWildcardOriginNotAllowed", "CORSNotSupportingCredentials", "Fetch §CORS check step 3", "With credentials, send the page's origin instead of `*`: echo the request's Origin only when it is on your allow-list (never every origin), and send Access-Control-Allow-Credentials: true."},
		Info{CodePreflightInvalidCredentials, SeverityError, "The preflight lacks Access-Control-Allow-Credentials: true", "PreflightInvalidAllowCredentials", "CORSMissingAllowCredentials", "Fetch §CORS check step 6", "Send Access-Control-Allow-Credentials: true (lower case, exactly) on the preflight response."},

		Info{CodeMissingAllowOrigin, SeverityError, "The response has no Access-Control-Allow-Origin", "MissingAllowOriginHeader", "CORSMissingAllowOrigin2", "Fetch §CORS check step 2", "Send Access-Control-Allow-Origin on every response to cross-origin requests, error responses included."},
		Info{CodeMultipleAllowOrigin, SeverityError, "The response has several Access-Control-Allow-Origin values", "MultipleAllowOriginValues", "CORSMultipleAllowOriginNotAllowed", "Fetch §CORS check step 1 (get, combined)", "Send exactly one origin: echo the request's Origin after checking it against your allow-list, and set the header in one layer only."},
		Info{CodeInvalidAllowOrigin, SeverityError, "Access-Control-Allow-Origin is not a valid origin", "InvalidAllowOriginValue", "CORSAllowOriginNotMatchingOrigin", "Fetch §CORS check step 4", "Send a full serialized origin (scheme://host[:port]), `*`, or nothing."},
		Info{CodeAllowOriginMismatch, SeverityError, "Access-Control-Allow-Origin is not the page's origin", "AllowOriginMismatch", "CORSAllowOriginNotMatchingOrigin", "Fetch §CORS check step 4", "Send the page's origin exactly as the browser sends it in Origin: scheme and host, a port only when it is not the scheme's default (never :443 on https, :80 on http), no path, no trailing slash."},
		Info{CodeWildcardCredentials, SeverityError, "Access-Control-Allow-Origin is `*` but the request carries credentials", "WildcardOriginNotAllowed", "CORSNotSupportingCredentials", "Fetch §CORS check step 3", wildcardFix(Initiators[0])},
		Info{CodeInvalidCredentials, SeverityError, "The response lacks Access-Control-Allow-Credentials: true", "InvalidAllowCredentials", "CORSMissingAllowCredentials", "Fetch §CORS check step 6", credentialsFix(Initiators[0])},

		Info{CodeLocalNetworkInsecure, SeverityError, "A non-secure page calls a local or loopback address", "InsecureLocalNetwork", "", "WICG Local Network Access (Chromium 142+; Chromium's own check, not in the Fetch standard)", "Serve the page over https, so the user can grant Chrome's local network permission, or serve the API from a public address (or from the page's own origin)."},
		Info{CodeLocalNetworkPermission, SeverityWarning, "A public page calls a local or loopback address: the browser asks the user first", "LocalNetworkAccessPermissionDenied", "CORSDidNotSucceed2", "WICG Local Network Access (Chromium 142+, Firefox ESR 153; the browsers' own check, not in the Fetch standard)", "Expect a permission prompt (Chrome 142+, Firefox ESR 153): the request fails unless the user allows local network access. To avoid it, serve the API from a public address or from the page's own origin; managed browsers can allow the page by policy (Chrome's LocalNetworkAccessAllowedForUrls, Firefox's LocalNetworkAccess SkipDomains)."},
		Info{CodeMixedContent, SeverityError, "An https page calls a plain http URL (mixed content)", "", "BlockMixedActiveContent", "Mixed Content §4.4 (should fetching request be blocked as mixed content); Secure Contexts §3.1 (potentially trustworthy origin)", "Serve the API over https and call it with an https:// URL (a certificate from your CA, ACME or your load balancer); from an https page, Chrome and Firefox allow plain http only to loopback (127.0.0.1, [::1], localhost), and Safari not even there."},
		Info{CodeMixedContentUpgraded, SeverityWarning, "An https page loads a plain http image: the browser asks for it over https instead", "", "MixedContentAutoUpgrade", "Mixed Content §4.3 (upgrade a mixed content request to a potentially trustworthy URL, if appropriate)", "Request the image with an https:// URL and serve it over https there: the browser asks for the https URL anyway, so a host that does not answer https (or answers without Access-Control-Allow-Origin there) fails the load."},
		Info{CodeRedirectCredentials, SeverityError, "A redirect's Location carries a username and password", "RedirectContainsCredentials", "CORSDidNotSucceed2", "Fetch §HTTP-redirect fetch step 9", "Redirect to a URL without user:password@; send credentials in a header instead."},
		Info{CodeTooManyRedirects, SeverityError, "More than 20 redirects", "", "CORSDidNotSucceed2", "Fetch §HTTP-redirect fetch step 5 (redirect count)", "Break the redirect loop; call the final URL directly."},
		Info{CodeRedirectBadLocation, SeverityError, "A redirect's Location is invalid or not http(s)", "", "CORSDidNotSucceed2", "Fetch §HTTP-redirect fetch steps 3-6", "Redirect to an absolute http(s) URL."},
		Info{CodeRedirectModeError, SeverityError, "fetch() with redirect: 'error' met a redirect", "", "", "Fetch §HTTP fetch step 6 (redirect mode \"error\": a network error)", "Call the URL the redirect points to (its Location) directly, or let fetch() follow it: drop redirect: 'error'."},
		Info{CodeRedirectNoLocation, SeverityInfo, "A redirect status without a Location header: no redirect", "", "", "Fetch §HTTP-redirect fetch step 3 (no location URL: the response is returned); §HTTP fetch step 6 (the redirect modes switch on the status)", "Give the redirect rule its target URL, or keep it from catching the API's requests so the API answers them itself."},
		Info{CodeOpaqueRedirect, SeverityInfo, "fetch() with redirect: 'manual' gets an opaque-redirect response", "", "", "Fetch §HTTP fetch step 6 (redirect mode \"manual\": opaque-redirect filtered response)", "Script sees type \"opaqueredirect\", status 0, no headers and no body, whatever the server sends. To read the answer, let fetch() follow the redirect (drop redirect: 'manual') and have the target answer with CORS headers; to hand the Location to script, answer 200 with the URL in the body."},

		Info{CodeAuthorizationWildcard, SeverityWarning, "Authorization is allowed only through `*`", "", "CORSAllowHeaderFromPreflightDeprecation", "Fetch §CORS-preflight fetch step 7.6 (CORS non-wildcard request-header name)", "List Authorization explicitly in Access-Control-Allow-Headers: the standard, and future browsers, do not let `*` cover it."},
		Info{CodeMissingVaryOrigin, SeverityWarning, "The origin is echoed without Vary: Origin", "", "", "Fetch §CORS protocol and HTTP caches", "Add Vary: Origin to every response whose Access-Control-Allow-Origin depends on the request's Origin, so caches keep one copy per origin."},
		Info{CodeAllowOriginNull, SeverityWarning, "Access-Control-Allow-Origin: null is allowed", "", "", "Fetch §CORS check; W3C webappsec note on the null origin", "Do not allow `null`: sandboxed iframes and file: pages of any site send it. Allow named origins."},
		Info{CodeMaxAgeCapped, SeverityWarning, "Access-Control-Max-Age is beyond what the browser honours", "", "", "Fetch §CORS-preflight fetch step 7.8 (max-age)", "Chromium caps preflight caching at 7200 seconds (Firefox at 86400, Safari at 600); a larger value does nothing more."},
		Info{CodeDuplicateHeader, SeverityWarning, "A CORS header is sent twice", "", "", "RFC 9110 §5.3 (field lines combined)", "Set CORS headers in one layer only (gateway or application, not both)."},
		Info{CodeErrorPathNoCORS, SeverityWarning, "Error responses carry no CORS headers", "MissingAllowOriginHeader", "CORSMissingAllowOrigin2", "Fetch §CORS check step 2", "Add Access-Control-Allow-Origin to error responses too (nginx `always`, API Gateway DEFAULT_4XX/DEFAULT_5XX gateway responses, error-handling middleware after the CORS middleware)."},
		Info{CodeChromiumOnlySafelist, SeverityInfo, "A header needs no preflight in Chromium but does in Firefox and Safari", "", "", "Chromium cors.cc IsCorsSafelistedHeader (client hints)", "If the API must work in Firefox and Safari, allow this header in Access-Control-Allow-Headers too."},
		Info{CodeUnexposedHeaders, SeverityInfo, "Script cannot read some response headers", "", "", "Fetch §CORS-safelisted response-header name; §main fetch (CORS filtered response)", "List the headers script needs in Access-Control-Expose-Headers."},
		Info{CodePreflightReasons, SeverityInfo, "The browser sends a preflight", "", "", "Fetch §HTTP fetch step 4.1 (CORS-preflight fetch)", "To avoid the preflight, use GET, HEAD or POST with only CORS-safelisted headers; otherwise answer OPTIONS correctly."},
		Info{CodeActualNotChecked, SeverityInfo, "The actual response was not checked", "", "", "", "Pass --send-actual to send the state-changing request and check its response too."},
		Info{CodeOriginTainted, SeverityInfo, "A redirect turned the request's Origin into null", "", "", "Fetch §HTTP-redirect fetch (redirect-taint)", "Call the final URL directly (https, the trailing slash, the canonical host), so no redirect turns the Origin into null; do not allow null on the target."},
	)
}
