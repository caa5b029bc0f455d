package cors

// Chromium is the default profile, verified against Chromium 156 by the
// conformance suite (pkg/conformance). Its console lines are Blink's
// cors::GetErrorString (services/network/public/cpp/cors/cors_error_status.cc
// and third_party/blink/renderer/platform/loader/cors/cors_error_string.cc).
var Chromium = &Profile{
	Name:    "chromium",
	Aliases: []string{"chrome", "edge"},
	Display: "Chrome",
	Version: "156",
	ExtraSafelisted: map[string]func(string) bool{
		// Chromium services/network/public/cpp/cors/cors.cc IsCorsSafelistedHeader:
		// device-memory, dpr and downlink are 1*DIGIT ["." 1*DIGIT]; width,
		// viewport-width and rtt 1*DIGIT; ect a known connection type;
		// save-data "on" in any case; intervention anything. The sec-ch-*
		// hints it also lists are forbidden to script anyway.
		"device-memory":  isDecimal,
		"dpr":            isDecimal,
		"downlink":       isDecimal,
		"width":          isInteger,
		"viewport-width": isInteger,
		"rtt":            isInteger,
		"ect":            isECT,
		"save-data":      func(v string) bool { return asciiLower(v) == "on" },
		"intervention":   func(string) bool { return true },
	},
	// Chromium keeps User-Agent forbidden (crbug.com/571722); the standard
	// dropped it from the list in 2015 and Firefox lets script set it.
	ExtraForbidden:              map[string]bool{"user-agent": true},
	MaxAgeCap:                   7200,
	WildcardCoversAuthorization: true,
	LocalNetworkAccess:          true,
	LocalNetworkBlocksInsecure:  true,
	// CorsURLLoader applies redirect: 'error' in OnReceiveRedirect, which
	// a 3xx without Location never reaches (verified on Chromium 156:
	// redirect-no-location-error-ok).
	RedirectErrorNeedsLocation: true,
	// Blink autoupgrades mixed images, video and audio (verified on
	// Chromium 156: TestChromiumMixedContent).
	MixedContentUpgrades: map[string]bool{"image": true, "video": true, "audio": true},
	// Google dropped the third-party cookie deprecation (April 2025).
	ThirdPartyCookies: "sent",
	Headers: BrowserHeaders{
		UserAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
		Accept:    "*/*",
		AcceptOf: map[string]string{ // verified on Chromium 156: the load-* scenarios
			"image":      "image/jxl,image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
			"stylesheet": "text/css,*/*;q=0.1",
		},
		HeadersOf:      mediaRange,
		AcceptLanguage: "en-US,en;q=0.9",
		AcceptEncoding: "gzip, deflate, br, zstd",
		ClientHints: map[string]string{
			"Sec-Ch-Ua":          `"Chromium";v="156", "Not-A.Brand";v="24", "Google Chrome";v="156"`,
			"Sec-Ch-Ua-Mobile":   "?0",
			"Sec-Ch-Ua-Platform": `"Linux"`,
		},
		SecFetch: true,
	},
	Messages: chromiumMessages,
	Legacy:   chromiumLegacy,
}

// mediaRange are the headers of a media element's first request in
// Chromium and Firefox: the whole resource as a range, not encoded
// (verified on Chromium 156 and Firefox ESR 153: the load-video-* and
// load-audio-* scenarios).
var mediaRange = map[string]map[string]string{
	"video": {"Range": "bytes=0-", "Accept-Encoding": "identity"},
	"audio": {"Range": "bytes=0-", "Accept-Encoding": "identity"},
}

var chromiumMessages = &Messages{
	Frame:      "Access to {initiator} at '{url}' {redirected}from origin '{origin}' has been blocked by CORS policy: {cause}",
	Redirected: "(redirected from '{from}') ",
	// The loads that are not fetch() or XMLHttpRequest, as Blink names
	// them (verified on Chromium 156: the load-* scenarios).
	Initiators: map[string]string{"font": "font", "script": "script", "classic-script": "script", "image": "image",
		"stylesheet": "CSS stylesheet", "eventsource": "resource", "video": "video", "audio": "audio"},
	Vars: map[string]map[string]string{
		// Neither hint for the other loads.
		"": {"valid": "", "xhrcredentials": ""},
		// Chromium 156 appends the "valid value" hint for fetch() only and
		// the withCredentials hint for XMLHttpRequest only.
		"fetch":          {"valid": " Have the server send the header with a valid value.", "xhrcredentials": ""},
		"XMLHttpRequest": {"valid": "", "xhrcredentials": " The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute."},
	},
	PreflightPrefix:    "Response to preflight request doesn't pass access control check: ",
	PreflightKeyPrefix: "Preflight",
	FetchRejection:     "TypeError: Failed to fetch",
	Thrown: map[Code]string{
		// Blink's Request::CreateRequestWithRequestOrString
		// (third_party/blink/renderer/core/fetch/request.cc) quotes the
		// URL as script passed it; the bindings put "Failed to execute
		// 'fetch' on 'Window': " first (verified on Chromium 156:
		// url-credentials-fetch).
		CodeURLCredentials: "TypeError: Failed to execute 'fetch' on 'Window': Request cannot be constructed from a URL that includes credentials: {request}",
	},
	Causes: map[string]Cause{
		// Blink's FetchManager rejects a non-http(s) URL for fetch() before
		// the network service, with its own line.
		string(CodeCorsDisabledScheme) + "|direct-fetch": {Bare: true, Key: "CorsDisabledScheme",
			Text: `Fetch API cannot load {url}. URL scheme "{param}" is not supported.`},
		// The scheme list is url::GetCorsEnabledSchemes as Chromium 156
		// (Debian, headless) prints it; other embedders list others.
		string(CodeCorsDisabledScheme): {Key: "CorsDisabledScheme",
			Text: "Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app."},
		string(CodePreflightRedirect): {Key: "PreflightDisallowedRedirect",
			Text: "Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request."},
		string(CodePreflightStatus): {Key: "PreflightInvalidStatus",
			Text: "Response to preflight request doesn't pass access control check: It does not have HTTP ok status."},
		string(CodeInvalidAllowMethods): {Key: "InvalidAllowMethodsPreflightResponse",
			Text: "Cannot parse Access-Control-Allow-Methods response header field in preflight response."},
		string(CodeInvalidAllowHeaders): {Key: "InvalidAllowHeadersPreflightResponse",
			Text: "Cannot parse Access-Control-Allow-Headers response header field in preflight response."},
		string(CodeMethodNotAllowed): {Key: "MethodDisallowedByPreflightResponse",
			Text: "Method {param} is not allowed by Access-Control-Allow-Methods in preflight response."},
		string(CodeHeaderNotAllowed): {Key: "HeaderDisallowedByPreflightResponse",
			Text: "Request header field {param} is not allowed by Access-Control-Allow-Headers in preflight response."},
		string(CodeMissingAllowOrigin): {Key: "MissingAllowOriginHeader",
			Text: "No 'Access-Control-Allow-Origin' header is present on the requested resource."},
		string(CodeMultipleAllowOrigin): {Key: "MultipleAllowOriginValues",
			Text: "The 'Access-Control-Allow-Origin' header contains multiple values '{param}', but only one is allowed.{valid}"},
		string(CodeInvalidAllowOrigin): {Key: "InvalidAllowOriginValue",
			Text: "The 'Access-Control-Allow-Origin' header contains the invalid value '{param}'.{valid}"},
		string(CodeAllowOriginMismatch): {Key: "AllowOriginMismatch",
			Text: "The 'Access-Control-Allow-Origin' header has a value '{param}' that is not equal to the supplied origin.{valid}"},
		string(CodeWildcardCredentials): {Key: "WildcardOriginNotAllowed",
			Text: "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.{xhrcredentials}"},
		string(CodeInvalidCredentials): {Key: "InvalidAllowCredentials",
			Text: "The value of the 'Access-Control-Allow-Credentials' header in the response is '{param}' which must be 'true' when the request's credentials mode is 'include'.{xhrcredentials}"},
		string(CodeRedirectCredentials): {Key: "RedirectContainsCredentials",
			Text: "Redirect location '' contains a username and password, which is disallowed for cross-origin requests."},
		string(CodeLocalNetworkInsecure): {Key: "InsecureLocalNetwork",
			Text: "The request client is not a secure context and the resource is in more-private address space `{param}`."},
		// Blink's MixedContentChecker logs its own line, not a CORS one; the
		// page is named by its URL, which corsdiag knows as the origin's "/".
		string(CodeMixedContent) + "|fetch": {Bare: true,
			Text: "Mixed Content: The page at '{origin}/' was loaded over HTTPS, but requested an insecure resource '{url}'. This request has been blocked; the content must be served over HTTPS."},
		string(CodeMixedContent) + "|XMLHttpRequest": {Bare: true,
			Text: "Mixed Content: The page at '{origin}/' was loaded over HTTPS, but requested an insecure XMLHttpRequest endpoint '{url}'. This request has been blocked; the content must be served over HTTPS."},
		// Each load has its own word (verified on Chromium 156:
		// TestChromiumMixedContent).
		string(CodeMixedContent) + "|font": {Bare: true,
			Text: "Mixed Content: The page at '{origin}/' was loaded over HTTPS, but requested an insecure font '{url}'. This request has been blocked; the content must be served over HTTPS."},
		string(CodeMixedContent) + "|script": {Bare: true,
			Text: "Mixed Content: The page at '{origin}/' was loaded over HTTPS, but requested an insecure script '{url}'. This request has been blocked; the content must be served over HTTPS."},
		string(CodeMixedContent) + "|classic-script": {Bare: true,
			Text: "Mixed Content: The page at '{origin}/' was loaded over HTTPS, but requested an insecure script '{url}'. This request has been blocked; the content must be served over HTTPS."},
		string(CodeMixedContent) + "|stylesheet": {Bare: true,
			Text: "Mixed Content: The page at '{origin}/' was loaded over HTTPS, but requested an insecure stylesheet '{url}'. This request has been blocked; the content must be served over HTTPS."},
		string(CodeMixedContent) + "|eventsource": {Bare: true,
			Text: "Mixed Content: The page at '{origin}/' was loaded over HTTPS, but requested an insecure EventSource endpoint '{url}'. This request has been blocked; the content must be served over HTTPS."},
		// An upgraded image: a warning, and the https URL is requested;
		// nothing when a redirect led there (verified on Chromium 156).
		string(CodeMixedContentUpgraded) + "|direct-image": {Bare: true, Warning: true,
			Text: chromiumUpgraded},
		// A video or audio: the same warning, then one naming what the
		// media player found in the answer (a <video> playing only sound
		// says "audio file"; verified on Chromium 156 with a WebM video
		// and a WAV).
		string(CodeMixedContentUpgraded) + "|direct-video": {Bare: true, Warning: true,
			Text: chromiumUpgraded,
			Then: []string{string(CodeMixedContentUpgraded) + "|shown-video"}},
		string(CodeMixedContentUpgraded) + "|direct-audio": {Bare: true, Warning: true,
			Text: chromiumUpgraded,
			Then: []string{string(CodeMixedContentUpgraded) + "|shown-audio"}},
		string(CodeMixedContentUpgraded) + "|shown-video": {Bare: true, Warning: true,
			Text: "Mixed Content: The page at '{origin}/' was loaded over HTTPS, but requested an insecure video '{url}'. This content should also be served over HTTPS."},
		string(CodeMixedContentUpgraded) + "|shown-audio": {Bare: true, Warning: true,
			Text: "Mixed Content: The page at '{origin}/' was loaded over HTTPS, but requested an insecure audio file '{url}'. This content should also be served over HTTPS."},
		string(CodeLocalNetworkPermission): {Key: "LocalNetworkAccessPermissionDenied",
			Text: "Permission was denied for this request to access the `{param}` address space."},
	},
}

// chromiumUpgraded is Blink's warning for a mixed image, video or audio it
// upgraded to https, the same for each.
const chromiumUpgraded = "Mixed Content: The page at '{origin}/' was loaded over HTTPS, but requested an insecure element '{url}'. This request was automatically upgraded to HTTPS, For more information see https://blog.chromium.org/2019/10/no-more-mixed-messages-about-https.html"
