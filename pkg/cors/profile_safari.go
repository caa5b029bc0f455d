package cors

// Safari is WebKit (Safari on macOS and every iOS browser; WebKitGTK shares
// WebCore's CORS code and its console strings). It checks a preflight's
// status before its origin, caps the preflight cache at 600 s, names a
// missing and a mismatched Access-Control-Allow-Origin alike, and follows
// its cause line with "<API> cannot load <url> due to access control
// checks." Sources: WebCore loader/CrossOriginAccessControl.cpp,
// CrossOriginPreflightResultCache.cpp, ThreadableLoader.cpp; WebKit
// NetworkProcess/NetworkCORSPreflightChecker.cpp and NetworkLoadChecker.cpp.
var Safari = &Profile{
	Name:                        "safari",
	Aliases:                     []string{"webkit"},
	Display:                     "Safari",
	Version:                     "WebKitGTK 2.50",
	ExtraSafelisted:             map[string]func(string) bool{},
	MaxAgeCap:                   600,
	WildcardCoversAuthorization: true, // validWildcard
	StatusBeforeOrigin:          true, // validatePreflightResponse
	// Intelligent Tracking Prevention blocks third-party cookies (Safari 13.1+).
	ThirdPartyCookies: "blocked",
	Headers: BrowserHeaders{
		UserAgent:      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
		Accept:         "*/*",
		AcceptLanguage: "en-US,en;q=0.9",
		AcceptEncoding: "gzip, deflate, br",
		SecFetch:       true,
	},
	Messages: safariMessages,
}

var safariMessages = &Messages{
	Initiators:     map[string]string{"fetch": "Fetch API", "XMLHttpRequest": "XMLHttpRequest"},
	FetchRejection: "TypeError: Load failed",
	After:          []string{"cannot-load"},
	Causes: map[string]Cause{
		"cannot-load": {Text: "{initiator} cannot load {request} due to access control checks."},
		// A missing header is compared as an empty string, so it reads as
		// a mismatch (passesAccessControlCheck).
		string(CodeMissingAllowOrigin):  {Text: "Origin {origin} is not allowed by Access-Control-Allow-Origin. Status code: {status}"},
		string(CodeAllowOriginMismatch): {Text: "Origin {origin} is not allowed by Access-Control-Allow-Origin. Status code: {status}"},
		string(CodeInvalidAllowOrigin):  {Text: "Origin {origin} is not allowed by Access-Control-Allow-Origin. Status code: {status}"},
		string(CodeMultipleAllowOrigin): {Text: "Access-Control-Allow-Origin cannot contain more than one origin."},
		string(CodeWildcardCredentials): {Text: "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."},
		string(CodeInvalidCredentials):  {Text: `Credentials flag is true, but Access-Control-Allow-Credentials is not "true".`},
		// A redirected preflight fails as a status (willPerformHTTPRedirection).
		string(CodePreflightStatus):     {Text: "Preflight response is not successful. Status code: {status}"},
		string(CodePreflightRedirect):   {Text: "Preflight response is not successful. Status code: {status}"},
		string(CodeInvalidAllowMethods): {Text: "Header Access-Control-Allow-Methods has an invalid value: {value}"},
		string(CodeInvalidAllowHeaders): {Text: "Header Access-Control-Allow-Headers has an invalid value: {value}"},
		string(CodeMethodNotAllowed):    {Text: "Method {param} is not allowed by Access-Control-Allow-Methods."},
		string(CodeHeaderNotAllowed):    {Text: "Request header field {param} is not allowed by Access-Control-Allow-Headers."},
		string(CodeTooManyRedirects):    {Text: "Load cannot follow more than 20 redirections"},
		string(CodeRedirectCredentials): {Text: "Cross-origin redirection to {url} denied by Cross-Origin Resource Sharing policy: redirection URL has credentials"},
		string(CodeCorsDisabledScheme):  {Text: "Cross origin requests are only supported for HTTP."},
	},
}
