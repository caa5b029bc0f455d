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
	// Verified on WebKitGTK 2.50 (preflighted-post-303).
	RedirectKeepsBodyHeaders: true,
	// A 3xx without Location resolves under redirect: 'error' (verified
	// on WebKitGTK 2.50: redirect-no-location-error-ok).
	RedirectErrorNeedsLocation: true,
	// An empty Location: CORS-checked as an answer, then a network error
	// in mode 'follow' (verified on WebKitGTK 2.50: redirect-empty-location).
	EmptyLocationFails: true,
	// Once preflighted, a request is preflighted at every URL it is
	// redirected to, with the headers script set, Authorization included
	// after an origin change (NetworkLoadChecker::checkCORSRequest keeps
	// m_isSimpleRequest false; checkCORSRequestWithPreflight uses
	// m_originalRequestHeaders). Verified on WebKitGTK 2.50
	// (preflighted-delete-303, authorization-redirected-cross-origin).
	RedirectKeepsPreflight:         true,
	RedirectPreflightAuthorHeaders: true,
	// An https page may not call http://127.0.0.1 or http://localhost
	// either (verified on WebKitGTK 2.50: TestWebKitMixedContent).
	MixedContentBlocksLoopback: true,
	// WebKit upgrades mixed images, video and audio too (verified on WebKitGTK 2.50:
	// TestWebKitMixedContent).
	MixedContentUpgrades: map[string]bool{"image": true, "video": true, "audio": true},
	// Intelligent Tracking Prevention blocks third-party cookies (Safari 13.1+).
	ThirdPartyCookies: "blocked",
	// WebKit fetches a web font without CORS: no Origin, no check, the
	// font used whatever the server answers (verified on WebKitGTK 2.50:
	// load-font-no-acao loads).
	NoCORS: map[string]bool{"font": true},
	Headers: BrowserHeaders{
		UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
		Accept:    "*/*",
		AcceptOf: map[string]string{ // verified on WebKitGTK 2.50: the load-* scenarios
			"image":      "image/webp,image/avif,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5",
			"stylesheet": "text/css,*/*;q=0.1",
		},
		// GStreamer's source element asks for the whole resource with no
		// Range and no Accept-Encoding (and an Icy-Metadata: 1 left out
		// here, a GStreamer habit no server's CORS answer depends on);
		// verified on WebKitGTK 2.50: the load-video-* and load-audio-*
		// scenarios. Safari's AVFoundation is not measured.
		HeadersOf: map[string]map[string]string{
			"video": {"Accept-Encoding": ""},
			"audio": {"Accept-Encoding": ""},
		},
		AcceptLanguage: "en-US,en;q=0.9",
		AcceptEncoding: "gzip, deflate, br",
		SecFetch:       true,
	},
	Messages: safariMessages,
	Legacy:   safariLegacy,
}

var safariMessages = &Messages{
	// XMLHttpRequest::open takes user:password@ out of the URL it keeps;
	// the console names the URL without it (WebKitGTK 2.50, scenario
	// url-credentials-xhr-blocked).
	URLWithoutUserinfo: true,
	// NetworkLoadChecker::checkRedirection words any failed check of a
	// redirect so (verified on WebKitGTK 2.50: the redirect-hop-* and
	// redirect-mode-* scenarios).
	RedirectPrefix: "Cross-origin redirection to {location} denied by Cross-Origin Resource Sharing policy: ",
	Initiators:     map[string]string{"fetch": "Fetch API", "XMLHttpRequest": "XMLHttpRequest", "eventsource": "EventSource"},
	FetchRejection: "TypeError: Load failed",
	Thrown: map[Code]string{
		// WebCore FetchRequest::initializeWith (Modules/fetch/FetchRequest.cpp)
		// names no URL.
		CodeURLCredentials: "TypeError: URL is not valid or contains user credentials.",
	},
	After: []string{"cannot-load"},
	// WebCore's HTTPHeaderNames.in spells the headers it knows its own
	// way; any other name is written as the page wrote it.
	HeaderNames: map[string]string{
		"accept": "Accept", "accept-language": "Accept-Language", "authorization": "Authorization",
		"cache-control": "Cache-Control", "content-language": "Content-Language", "content-type": "Content-Type",
		"if-match": "If-Match", "if-modified-since": "If-Modified-Since", "if-none-match": "If-None-Match",
		"if-range": "If-Range", "if-unmodified-since": "If-Unmodified-Since", "pragma": "Pragma", "range": "Range",
		"user-agent": "User-Agent", "x-requested-with": "X-Requested-With",
	},
	Causes: map[string]Cause{
		// The URL that failed: after a redirect, the new one (verified on
		// WebKitGTK 2.50); a redirect to a refused scheme names the URL
		// script asked for.
		"cannot-load": {Text: "{initiator} cannot load {url} due to access control checks."},
		// An image and a classic script say so in other words; a module
		// script, a stylesheet and a media element only with the CORS line
		// (verified on WebKitGTK 2.50: the load-* scenarios).
		"cannot-load|image":                             {Text: "Cannot load image {url} due to access control checks."},
		"cannot-load|script":                            {Omit: true},
		"cannot-load|classic-script":                    {Text: "Cross-origin script load denied by Cross-Origin Resource Sharing policy."},
		"cannot-load|stylesheet":                        {Omit: true},
		"cannot-load|video":                             {Omit: true},
		"cannot-load|audio":                             {Omit: true},
		"cannot-load|" + string(CodeCorsDisabledScheme): {Text: "{initiator} cannot load {request} due to access control checks."},
		// A missing header is compared as an empty string, so it reads as
		// a mismatch (passesAccessControlCheck). WebKit names the Origin the
		// request carried: null after a cross-origin redirect.
		string(CodeMissingAllowOrigin):  {Text: "Origin {sent_origin} is not allowed by Access-Control-Allow-Origin. Status code: {status}"},
		string(CodeAllowOriginMismatch): {Text: "Origin {sent_origin} is not allowed by Access-Control-Allow-Origin. Status code: {status}"},
		string(CodeInvalidAllowOrigin):  {Text: "Origin {sent_origin} is not allowed by Access-Control-Allow-Origin. Status code: {status}"},
		// Only a comma makes "more than one origin"; "a b" is a value that
		// does not match.
		string(CodeMultipleAllowOrigin):               {Text: "Access-Control-Allow-Origin cannot contain more than one origin."},
		string(CodeMultipleAllowOrigin) + "|no-comma": {Text: "Origin {sent_origin} is not allowed by Access-Control-Allow-Origin. Status code: {status}"},
		string(CodeWildcardCredentials):               {Text: "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."},
		string(CodeInvalidCredentials):                {Text: `Credentials flag is true, but Access-Control-Allow-Credentials is not "true".`},
		// A redirected preflight fails as a status (willPerformHTTPRedirection).
		string(CodePreflightStatus):     {Text: "Preflight response is not successful. Status code: {status}"},
		string(CodePreflightRedirect):   {Text: "Preflight response is not successful. Status code: {status}"},
		string(CodeInvalidAllowMethods): {Text: "Header Access-Control-Allow-Methods has an invalid value: {value}"},
		string(CodeInvalidAllowHeaders): {Text: "Header Access-Control-Allow-Headers has an invalid value: {value}"},
		string(CodeMethodNotAllowed):    {Text: "Method {param} is not allowed by Access-Control-Allow-Methods."},
		string(CodeHeaderNotAllowed):    {Text: "Request header field {header} is not allowed by Access-Control-Allow-Headers."},
		string(CodeTooManyRedirects):    {Text: "Load cannot follow more than 20 redirections"},
		// fetch()'s redirect 'error' (verified on WebKitGTK 2.50).
		string(CodeRedirectModeError): {Text: "Not allowed to follow a redirection while loading {url}"},
		// WebKit prints the Location's user:password; corsdiag prints it
		// masked ({location}), and the conformance suite compares the
		// browser's line with it masked the same way.
		string(CodeRedirectCredentials): {Text: "Cross-origin redirection to {location_bare} denied by Cross-Origin Resource Sharing policy: redirection URL {location} has credentials"},
		string(CodeCorsDisabledScheme):  {Text: "Cross origin requests are only supported for HTTP."},
		// WebKitGTK 2.50 refuses ftp: before any CORS check.
		string(CodeCorsDisabledScheme) + "|param=ftp": {Text: "FTP URLs are disabled"},
		string(CodeRedirectBadLocation):               {Text: "Cross-origin redirection to {location} denied by Cross-Origin Resource Sharing policy: not allowed to follow a cross-origin CORS redirection with non CORS scheme"},
		// An empty Location fails the request with no line at all
		// (WebKitGTK 2.50: redirect-empty-location).
		string(CodeRedirectBadLocation) + "|param=empty": {Omit: true},
		// A preflight whose connection closed empty: WebKitGTK's network
		// layer (libsoup) words it so; Safari's (CFNetwork) has its own
		// words. A failed actual request logs no line at all.
		string(CodePreflightNetwork): {Text: "Connection terminated unexpectedly"},
		// WebCore's MixedContentChecker logs its warning, the resource
		// loader refuses the load, and the request fails as any access
		// control failure does, at the URL script asked for (verified on
		// WebKitGTK 2.50). On a redirect to plain http the loader's line is
		// missing; for a loopback or localhost URL the warning stops short,
		// as logged, also after a redirect (verified on WebKitGTK 2.50).
		string(CodeMixedContent): {Text: "[blocked] The page at {origin}/ requested insecure content from {url}. This content was blocked and must be served over HTTPS."},
		string(CodeMixedContent) + "|direct-fetch": {Text: "[blocked] The page at {origin}/ requested insecure content from {url}. This content was blocked and must be served over HTTPS.",
			Then: []string{string(CodeMixedContent) + "|refused"}},
		string(CodeMixedContent) + "|direct-XMLHttpRequest": {Text: "[blocked] The page at {origin}/ requested insecure content from {url}. This content was blocked and must be served over HTTPS.",
			Then: []string{string(CodeMixedContent) + "|refused"}},
		string(CodeMixedContent) + "|param=loopback": {Text: "[blocked] The page at {origin}/ requested insecure content from {url}. This content was blocked and must",
			Then: []string{string(CodeMixedContent) + "|refused"}},
		string(CodeMixedContent) + "|param=loopback-redirect": {Text: "[blocked] The page at {origin}/ requested insecure content from {url}. This content was blocked and must"},
		// The loads log nothing after it but EventSource, which logs as
		// fetch() does (verified on WebKitGTK 2.50: TestWebKitMixedContent).
		string(CodeMixedContent) + "|font":           {Alone: true, Text: "[blocked] The page at {origin}/ requested insecure content from {url}. This content was blocked and must be served over HTTPS."},
		string(CodeMixedContent) + "|script":         {Alone: true, Text: "[blocked] The page at {origin}/ requested insecure content from {url}. This content was blocked and must be served over HTTPS."},
		string(CodeMixedContent) + "|classic-script": {Alone: true, Text: "[blocked] The page at {origin}/ requested insecure content from {url}. This content was blocked and must be served over HTTPS."},
		string(CodeMixedContent) + "|stylesheet":     {Alone: true, Text: "[blocked] The page at {origin}/ requested insecure content from {url}. This content was blocked and must be served over HTTPS."},
		string(CodeMixedContent) + "|direct-eventsource": {Text: "[blocked] The page at {origin}/ requested insecure content from {url}. This content was blocked and must be served over HTTPS.",
			Then: []string{string(CodeMixedContent) + "|refused"}},
		string(CodeMixedContentUpgraded) + "|image": safariUpgraded,
		string(CodeMixedContentUpgraded) + "|video": safariUpgraded,
		string(CodeMixedContentUpgraded) + "|audio": safariUpgraded,
		string(CodeMixedContent) + "|refused":       {Text: "Not allowed to request resource"},
		"cannot-load|" + string(CodeMixedContent):   {Text: "{initiator} cannot load {request} due to access control checks."},
	},
}

// safariUpgraded is WebKit's warning for a mixed image, video or audio it
// upgraded to https, the same for each.
var safariUpgraded = Cause{Warning: true, Text: "The page at {origin}/ requested insecure content from {url}. This content was automatically upgraded and should be served over HTTPS."}
