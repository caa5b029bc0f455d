package cors

// Firefox departs from Chromium in the safelist, the cache cap, how it
// counts Access-Control-Allow-Origin values, and its words: Gecko's
// netwerk/protocol/http/nsCORSListenerProxy.cpp logs the strings of
// dom/locales/en-US/chrome/security/security.properties, whose keys are the
// Causes' Keys (and MDN's page names without the digit).
var Firefox = &Profile{
	Name:    "firefox",
	Aliases: []string{"gecko"},
	Display: "Firefox",
	Version: "ESR",
	// Firefox safelists only the standard's headers and lets script set
	// User-Agent (so it needs a preflight there).
	ExtraSafelisted: map[string]func(string) bool{},
	MaxAgeCap:       86400,
	// nsCORSPreflightListener::AddResultToCache: age = min(age*10 + digit,
	// 86400) for each digit ("Cap at 24 hours. This also avoids overflow").
	MaxAgeSaturates:             true,
	WildcardCoversAuthorization: true, // with the CORSAllowHeaderFromPreflightDeprecation warning
	// Total Cookie Protection keeps a separate cookie jar per top-level site.
	ThirdPartyCookies: "partitioned",
	// Both verified on Firefox ESR 153 by the conformance suite
	// (preflighted-put-redirected-cross-origin, preflighted-post-303).
	RedirectPreflightPageOrigin: true,
	RedirectKeepsPreflight:      true,
	// Verified on Firefox ESR 153 (preflight-301, preflight-307).
	PreflightRedirectChecksOrigin: true,
	// An empty Location is parsed against the current URL, as the standard
	// says: a redirect to itself (verified on Firefox ESR 153.8:
	// redirect-empty-location loops to the redirect limit).
	EmptyLocationFollowed: true,
	// Firefox ESR 153 gates a public page's requests to private and local
	// (loopback) servers behind the local-network / loopback-network
	// permission, for secure and non-secure pages alike
	// (network.lna.blocking on, network.lna.block_insecure_contexts off;
	// verified by the conformance suite's lna-* scenarios).
	LocalNetworkAccess: true,
	// security.mixed_content.upgrade_display_content (Firefox 127+;
	// verified on Firefox ESR 153: TestFirefoxMixedContent).
	MixedContentUpgrades: map[string]bool{"image": true, "video": true, "audio": true},
	Headers: BrowserHeaders{
		UserAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0",
		Accept:    "*/*",
		AcceptOf: map[string]string{ // verified on Firefox ESR 153: the load-* scenarios
			"font":       "application/font-woff2;q=1.0,application/font-woff;q=0.9,*/*;q=0.8",
			"image":      "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5",
			"stylesheet": "text/css,*/*;q=0.1",
			"video":      "video/webm,video/ogg,video/*;q=0.9,application/ogg;q=0.7,audio/*;q=0.6,*/*;q=0.5",
			"audio":      "audio/webm,audio/ogg,audio/wav,audio/*;q=0.9,application/ogg;q=0.7,video/*;q=0.6,*/*;q=0.5",
		},
		HeadersOf:      mediaRange,
		AcceptLanguage: "en-US,en;q=0.5",
		AcceptEncoding: "gzip, deflate, br, zstd",
		SecFetch:       true,
	},
	Messages: firefoxMessages,
	Legacy:   firefoxLegacy,
}

var firefoxMessages = &Messages{
	Frame:    "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}. (Reason: {cause}",
	NoStatus: "(null)",
	// The Local Network Access line says "via fetch" or "via xhr" (verified
	// on Firefox ESR 153).
	Initiators:     map[string]string{"fetch": "fetch", "XMLHttpRequest": "xhr"},
	FetchRejection: "TypeError: NetworkError when attempting to fetch resource.",
	Thrown: map[Code]string{
		// dom/fetch/Request.cpp GetRequestURL throws
		// MSG_URL_HAS_CREDENTIALS, "{0}{1} is an url with embedded
		// credentials." (dom/bindings/Errors.msg), {0} being the
		// "Window.fetch: " context it puts before its other TypeErrors.
		CodeURLCredentials: "TypeError: Window.fetch: {request} is an url with embedded credentials.",
	},
	// necko.properties LocalNetworkAccessDetected, logged for every request
	// to a more private space, let through or not, from another process at
	// no fixed place among the other lines; its prompt action (auto_allow,
	// auto_deny, prompt_allow, prompt_deny, or (null) when not gated) is the
	// user's answer or the settings'.
	Unpredicted: map[string]Cause{
		// The font loader's line after any failed download of a web font
		// (a CORS failure among them: Firefox ESR 153, load-font-*),
		// naming the page's font family; it tells of no one code.
		"": {Bare: true, Only: "font",
			Text: "downloadable font: download failed (font-family: \"{family}\" style:{style} weight:{weight} stretch:{stretch} src index:{index}): bad URI or cross-site access not allowed source: {url}"},
		// The font loader's line after a mixed font is blocked.
		string(CodeMixedContent): {Bare: true, Only: "font",
			Text: "downloadable font: failed to start download (font-family: \"{family}\" style:{style} weight:{weight} stretch:{stretch} src index:{index}): content blocked source: {url}"},
		string(CodeLocalNetworkPermission): {Key: "LocalNetworkAccessDetected", Bare: true,
			Text: "Local Network Access detected: top-level site “{origin}/”, initiator “{origin}/”, accessing target “{url}” ({address}) via {initiator}. Secure context: {secure_context}, prompt action: {action}"},
	},
	// After a failed preflight the request itself fails too, and Firefox
	// logs that as a second line.
	AfterPreflight: []string{"did-not-succeed"},
	// A failure on a redirect fails the request itself too, logged at the
	// URL script asked for (verified on Firefox ESR 153).
	AfterRedirect: []string{"did-not-succeed-request"},
	// The loader of a module script, a classic script and EventSource each
	// add a line of their own (verified on Firefox ESR 153: the load-*
	// scenarios); the
	// font loader's names the page's font family, which corsdiag does not
	// know (Unpredicted).
	After: []string{"load-failed"},
	// A classic script's 2xx answer that is not JavaScript is run all the
	// same, with a warning first (Firefox ESR 153:
	// load-classic-script-200-html-no-acao); a module's is refused.
	BeforeMIME: []string{"mime-warning"},
	Causes: map[string]Cause{
		// A module script's MIME type is checked first: one that is not
		// JavaScript cancels the load, which the CORS listener then
		// reports as not succeeding, whatever the CORS headers (verified
		// on Firefox ESR 153: load-script-404-no-acao).
		"module-mime": {Bare: true, Text: "Loading module from “{url}” was blocked because of a disallowed MIME type (“{mime}”)."},
		string(CodeMissingAllowOrigin) + "|not-script":  moduleMIMEFailure,
		string(CodeAllowOriginMismatch) + "|not-script": moduleMIMEFailure,
		string(CodeInvalidAllowOrigin) + "|not-script":  moduleMIMEFailure,
		string(CodeMultipleAllowOrigin) + "|not-script": moduleMIMEFailure,
		string(CodeWildcardCredentials) + "|not-script": moduleMIMEFailure,
		string(CodeInvalidCredentials) + "|not-script":  moduleMIMEFailure,
		"load-failed|script":                            {Text: "Module source URI is not allowed in this document: “{url}”.", Bare: true},
		"mime-warning|classic-script":                   {Bare: true, Text: "The script from “{url}” was loaded even though its MIME type (“{mime}”) is not a valid JavaScript MIME type."},
		"load-failed|classic-script":                    {Text: "<script> source URI is not allowed in this document: “{url}”.", Bare: true},
		"load-failed|eventsource":                       {Text: "Firefox can’t establish a connection to the server at {url}.", Bare: true},
		"did-not-succeed":                               {Key: "CORSDidNotSucceed2", Text: "CORS request did not succeed). Status code: (null)."},
		"did-not-succeed-request": {Key: "CORSDidNotSucceed2", Text: "CORS request did not succeed). Status code: (null).",
			Frame: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {request}. (Reason: {cause}"},
		// A network error reaches the CORS listener with a null status.
		string(CodePreflightNetwork):    {Key: "CORSDidNotSucceed2", Text: "CORS request did not succeed). Status code: (null)."},
		string(CodeActualNetwork):       {Key: "CORSDidNotSucceed2", Text: "CORS request did not succeed). Status code: (null)."},
		string(CodeRedirectCredentials): {Key: "CORSDidNotSucceed2", Text: "CORS request did not succeed). Status code: (null)."},
		string(CodeTooManyRedirects):    {Key: "CORSDidNotSucceed2", Text: "CORS request did not succeed). Status code: (null)."},
		string(CodeCorsDisabledScheme):  {Key: "CORSRequestNotHttp", Text: "CORS request not http)."},
		// nsMixedContentBlocker (security.properties BlockMixedActiveContent),
		// one error line for fetch() and XHR alike, nothing after it
		// (verified on Firefox ESR 153: TestFirefoxMixedContent).
		string(CodeMixedContent): {Key: "BlockMixedActiveContent", Bare: true, Alone: true, Text: "Blocked loading mixed active content “{url}”"},
		// Fonts, scripts, style sheets and EventSource are active content
		// too; the script and EventSource loaders add their own line.
		string(CodeMixedContent) + "|script": {Key: "BlockMixedActiveContent", Bare: true, Text: "Blocked loading mixed active content “{url}”",
			Then: []string{string(CodeMixedContent) + "|load-failed-script"}},
		string(CodeMixedContent) + "|classic-script": {Key: "BlockMixedActiveContent", Bare: true, Text: "Blocked loading mixed active content “{url}”",
			Then: []string{string(CodeMixedContent) + "|load-failed-classic-script"}},
		string(CodeMixedContent) + "|eventsource": {Key: "BlockMixedActiveContent", Bare: true, Text: "Blocked loading mixed active content “{url}”",
			Then: []string{"load-failed|eventsource"}},
		string(CodeMixedContent) + "|load-failed-script":         {Bare: true, Text: "Loading failed for the module with source “{url}”."},
		string(CodeMixedContent) + "|load-failed-classic-script": {Bare: true, Text: "Loading failed for the <script> with source “{url}”."},
		"load-failed|" + string(CodeMixedContent):                {Omit: true},
		// An image (display content) is upgraded, with a warning:
		// nsMixedContentBlocker's MixedContentAutoUpgrade, formatted with
		// the URL and "https", after "Mixed Content: " (verified on
		// Firefox ESR 153: TestFirefoxMixedContent).
		string(CodeMixedContentUpgraded) + "|image": firefoxUpgraded,
		string(CodeMixedContentUpgraded) + "|video": firefoxUpgraded,
		string(CodeMixedContentUpgraded) + "|audio": firefoxUpgraded,
		// An unparsable Location fails the request without a CORS reason.
		string(CodeRedirectBadLocation): {Key: "CORSDidNotSucceed2", Text: "CORS request did not succeed). Status code: (null)."},
		// The refused redirect also fails the preflight, with its status.
		string(CodePreflightRedirect): {Key: "CORSExternalRedirectNotAllowed", Text: "CORS request external redirect not allowed).",
			Then: []string{string(CodePreflightStatus)}},
		// Local Network Access: necko logs an informational line
		// (necko.properties LocalNetworkAccessPermissionRequired) before it
		// asks; a refused request then fails as a network error does. A
		// refused preflight logs no such line. (LocalNetworkAccessDetected,
		// below, is read but not predicted.)
		string(CodeLocalNetworkPermission): {Key: "CORSDidNotSucceed2", Text: "CORS request did not succeed). Status code: (null).",
			Before: []string{"lna-permission-required"}},
		string(CodeLocalNetworkPermission) + "|preflight": {Key: "CORSDidNotSucceed2", Text: "CORS request did not succeed). Status code: (null)."},
		"lna-permission-required": {Key: "LocalNetworkAccessPermissionRequired", Bare: true,
			Text: "Local Network Access permission required: top-level site “{origin}/”, initiator “{origin}/”, attempting to access target “{url}” ({address}) via {initiator}. Secure context: {secure_context}"},
		string(CodePreflightStatus):     {Key: "CORSPreflightDidNotSucceed3", Text: "CORS preflight response did not succeed). Status code: {status}."},
		string(CodeInvalidAllowMethods): {Key: "CORSInvalidAllowMethod", Text: "invalid token ‘{param}’ in CORS header ‘Access-Control-Allow-Methods’)."},
		string(CodeInvalidAllowHeaders): {Key: "CORSInvalidAllowHeader", Text: "invalid token ‘{param}’ in CORS header ‘Access-Control-Allow-Headers’)."},
		string(CodeMethodNotAllowed):    {Key: "CORSMethodNotFound", Text: "Did not find method in CORS header ‘Access-Control-Allow-Methods’)."},
		string(CodeHeaderNotAllowed): {Key: "CORSMissingAllowHeaderFromPreflight2",
			Text: "header ‘{param}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response)."},
		string(CodeMissingAllowOrigin): {Key: "CORSMissingAllowOrigin2", Text: "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: {status}."},
		// Gecko counts header lines: one line "a, b" is one value that
		// does not match; only several lines are "Multiple".
		string(CodeMultipleAllowOrigin):               {Key: "CORSMultipleAllowOriginNotAllowed", Text: "Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed)."},
		string(CodeMultipleAllowOrigin) + "|one-line": {Key: "CORSAllowOriginNotMatchingOrigin", Text: "CORS header ‘Access-Control-Allow-Origin’ does not match ‘{param}’)."},
		string(CodeInvalidAllowOrigin):                {Key: "CORSAllowOriginNotMatchingOrigin", Text: "CORS header ‘Access-Control-Allow-Origin’ does not match ‘{param}’)."},
		string(CodeAllowOriginMismatch):               {Key: "CORSAllowOriginNotMatchingOrigin", Text: "CORS header ‘Access-Control-Allow-Origin’ does not match ‘{param}’)."},
		// This key alone quotes the URL.
		string(CodeWildcardCredentials): {Key: "CORSNotSupportingCredentials",
			Frame: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘{url}’. (Reason: {cause}",
			Text:  "Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’)."},
		string(CodeInvalidCredentials): {Key: "CORSMissingAllowCredentials", Text: "expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’)."},
		string(CodeAuthorizationWildcard): {Key: "CORSAllowHeaderFromPreflightDeprecation", Warning: true, Bare: true,
			Text: "Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at {url} soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered. To include the `Authorization` header, it must be explicitly listed in CORS header `Access-Control-Allow-Headers`)."},
	},
}

// moduleMIMEFailure is Firefox's account of a CORS failure on a module
// script whose MIME type is not JavaScript.
var moduleMIMEFailure = Cause{Key: "CORSDidNotSucceed2", Text: "CORS request did not succeed). Status code: (null).", Before: []string{"module-mime"}}

// firefoxUpgraded is the warning for a mixed image, video or audio upgraded
// to https, the same for each.
var firefoxUpgraded = Cause{Key: "MixedContentAutoUpgrade", Bare: true, Warning: true, Text: "Mixed Content: Upgrading insecure display request ‘{url}’ to use ‘https’"}
