package cors

import "testing"

const (
	plainAPI = "http://api.example.com/v1/items"
	// mixedLine is Chromium 156's line for fetch(plainAPI) from page.
	mixedLine = "Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure resource 'http://api.example.com/v1/items'. This request has been blocked; the content must be served over HTTPS."
)

func mixedEvalCases() []evalCase {
	plainGet := Request{Method: "GET", URL: plainAPI, Origin: page}
	plainPut := Request{Method: "PUT", URL: plainAPI, Origin: page, Header: hdr("Content-Type", "application/json")}
	return []evalCase{
		// Blocked before anything is sent, whatever the server would answer.
		{name: "mixed content: https page, http URL", ex: exch(plainGet, nil, okActual()), verdict: Blocked,
			reported: CodeMixedContent, browser: mixedLine, msgHas: "before sending anything",
			absent: []Code{CodeMissingAllowOrigin, CodePreflightReasons}},
		{name: "mixed content comes before the preflight", ex: exch(plainPut, okPreflight()), verdict: Blocked,
			reported: CodeMixedContent, browser: mixedLine, absent: []Code{CodePreflightReasons}},
		{name: "mixed content: XHR names an endpoint", ex: exch(xhr(plainGet), nil), verdict: Blocked, reported: CodeMixedContent,
			browser: "Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure XMLHttpRequest endpoint 'http://api.example.com/v1/items'. This request has been blocked; the content must be served over HTTPS."},
		{name: "mixed content in Firefox", profile: Firefox, ex: exch(plainGet, nil), verdict: Blocked, reported: CodeMixedContent,
			browser: "Blocked loading mixed active content “http://api.example.com/v1/items”"},
		{name: "mixed content in Safari", profile: Safari, ex: exch(plainGet, nil), verdict: Blocked, reported: CodeMixedContent,
			browser: "[blocked] The page at https://app.example.com/ requested insecure content from http://api.example.com/v1/items. This content was blocked and must be served over HTTPS."},
		// WebKitGTK 2.50 blocks loopback too, and its line stops short.
		{name: "https page to http loopback in Safari is mixed content", profile: Safari, ex: exch(Request{Method: "GET", URL: "http://127.0.0.1:8080/x", Origin: page}, nil, okActual()),
			verdict: Blocked, reported: CodeMixedContent,
			browser: "[blocked] The page at https://app.example.com/ requested insecure content from http://127.0.0.1:8080/x. This content was blocked and must"},
		{name: "https page to http localhost in Firefox is allowed", profile: Firefox, ex: exch(Request{Method: "GET", URL: "http://localhost:3000/x", Origin: page}, nil, okActual()),
			verdict: Allowed, absent: []Code{CodeMixedContent}},
		{name: "https page to http loopback is not mixed content", ex: exch(Request{Method: "GET", URL: "http://127.0.0.1:8080/x", Origin: page}, nil, okActual()), verdict: Allowed,
			absent: []Code{CodeMixedContent}},
		{name: "https page to http localhost is not mixed content", ex: exch(Request{Method: "GET", URL: "http://api.localhost:3000/x", Origin: page}, nil, okActual()), verdict: Allowed,
			absent: []Code{CodeMixedContent}},
		{name: "http page to http is not mixed content", ex: exch(Request{Method: "GET", URL: plainAPI, Origin: "http://app.example.com"}, nil, res(200, HeaderAllowOrigin, "*")), verdict: Allowed,
			absent: []Code{CodeMixedContent}},
		// A redirect to plain http is blocked at that hop.
		// The page already calls https: the fix is the redirect's Location,
		// not "serve the API over https".
		{name: "redirect to http is mixed content", ex: exch(get(), nil, res(302, "Location", plainAPI, HeaderAllowOrigin, page)), verdict: Blocked,
			reported: CodeMixedContent, fixHas: "Location http://api.example.com/v1/items",
			browser: "Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure resource 'http://api.example.com/v1/items'. This request has been blocked; the content must be served over HTTPS."},
		{name: "redirect to http names the https URL to call instead", ex: exch(get(), nil, res(307, "Location", "http://api.example.com/v1/items/", HeaderAllowOrigin, page)), verdict: Blocked,
			reported: CodeMixedContent, fixHas: "call https://api.example.com/v1/items/ directly",
			browser: "Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure resource 'http://api.example.com/v1/items/'. This request has been blocked; the content must be served over HTTPS."},
		{name: "redirect fix names the X-Forwarded-Proto cause", ex: exch(get(), nil, res(301, "Location", plainAPI, HeaderAllowOrigin, page)), verdict: Blocked,
			reported: CodeMixedContent, fixHas: "X-Forwarded-Proto",
			browser: "Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure resource 'http://api.example.com/v1/items'. This request has been blocked; the content must be served over HTTPS."},
	}
}

func TestMixedContentTargets(t *testing.T) {
	blocksLoopback := *Chromium
	blocksLoopback.MixedContentBlocksLoopback = true
	for _, tc := range []struct {
		url          string
		chrome, safe bool // allowed from an https page by Chromium, by a profile that blocks loopback
	}{
		{"https://api.example.com/", true, true},
		{"https://127.0.0.1/", true, true},
		{"http://api.example.com/", false, false},
		{"http://127.0.0.1/", true, false},
		{"http://127.8.9.10:81/", true, false},
		{"http://[::1]:3000/", true, false},
		{"http://localhost/", true, false},
		{"http://LOCALHOST/", true, false},
		{"http://api.localhost/", true, false},
		{"http://localhost.example.com/", false, false},
		{"http://10.0.0.1/", false, false},
		{"http://api.example.com/%zz", false, false},
		{"wss://api.example.com/", true, true},
	} {
		if got := Chromium.mixedContent(page, tc.url); got == tc.chrome {
			t.Errorf("Chromium: %s from %s is mixed content: %v", tc.url, page, got)
		}
		if got := blocksLoopback.mixedContent(page, tc.url); got == tc.safe {
			t.Errorf("MixedContentBlocksLoopback: %s from %s is mixed content: %v", tc.url, page, got)
		}
		if Chromium.mixedContent("http://app.example.com", tc.url) {
			t.Errorf("%s from an http page counted as mixed content", tc.url)
		}
	}
}
