package consoletext

import (
	"slices"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Chromium names what was loaded in its line: "Access to font at …",
// "Access to script at …", "Access to CSS stylesheet at …" (Blink's
// Resource::ResourceTypeToString; research/cors-taxonomy.md §1.1), not
// only fetch and XMLHttpRequest. And a line wrapped by a chat tool, an
// issue tracker or a terminal reads as the line it was.
func TestReadKindsAndWrappedLines(t *testing.T) {
	for _, tc := range []struct {
		name, text  string
		code        cors.Code
		url, origin string
		status      int
		note        string
		initiator   string // "" : not checked
	}{
		{name: "font", code: cors.CodeMissingAllowOrigin, url: "https://cdn.example.com/fa-brands-400.woff2", origin: "https://app.example", note: "font", initiator: "font",
			text: "Access to font at 'https://cdn.example.com/fa-brands-400.woff2' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."},
		{name: "script, as Chrome 156 words it", code: cors.CodeMissingAllowOrigin, url: "https://cdn.example.com/m.js", origin: "https://app.example", note: "script", initiator: "script",
			text: "Access to script at 'https://cdn.example.com/m.js' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."},
		{name: "script, mismatch", code: cors.CodeAllowOriginMismatch, url: "https://cdn.example.com/m.js", origin: "https://app.example", note: "script",
			text: "(index):1 Access to script at 'https://cdn.example.com/m.js' from origin 'https://app.example' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://other.example' that is not equal to the supplied origin. Have the server send the header with a valid value."},
		{name: "CSS stylesheet", code: cors.CodeMissingAllowOrigin, url: "https://cdn.example.com/a.css", origin: "https://app.example", note: "stylesheet", initiator: "stylesheet",
			text: "Access to CSS stylesheet at 'https://cdn.example.com/a.css' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."},
		{name: "image", code: cors.CodeMissingAllowOrigin, url: "https://cdn.example.com/a.png", origin: "https://app.example", note: "image", initiator: "image",
			text: "Access to image at 'https://cdn.example.com/a.png' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."},
		{name: "EventSource, as Chrome 156 names it", code: cors.CodeWildcardCredentials, url: "https://api.example.com/events", origin: "https://app.example", initiator: "eventsource",
			text: "Access to resource at 'https://api.example.com/events' from origin 'https://app.example' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'."},
		{name: "video", code: cors.CodeMissingAllowOrigin, url: "https://cdn.example.com/a.mp4", origin: "https://app.example", note: "<video crossorigin>", initiator: "video",
			text: "Access to video at 'https://cdn.example.com/a.mp4' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."},
		{name: "audio with credentials", code: cors.CodeInvalidCredentials, url: "https://cdn.example.com/a.mp3", origin: "https://app.example", note: "use-credentials", initiator: "audio",
			text: "Access to audio at 'https://cdn.example.com/a.mp3' from origin 'https://app.example' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'."},
		{name: "wrapped before the detail", code: cors.CodeMissingAllowOrigin, url: "https://api.example.com/x", origin: "https://app.example",
			text: "Access to fetch at 'https://api.example.com/x' from origin 'https://app.example' has been blocked by CORS policy:\nNo 'Access-Control-Allow-Origin' header is present on the requested resource."},
		{name: "wrapped inside the detail, indented", code: cors.CodeMultipleAllowOrigin, url: "https://api.example.com/x", origin: "https://app.example",
			text: "Access to fetch at 'https://api.example.com/x' from origin 'https://app.example' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values\n    'https://app.example, *', but only one is allowed. Have the server send the header with a valid value.\n"},
		{name: "firefox wrapped", code: cors.CodeMissingAllowOrigin, url: "https://api.example.com/items", status: 403,
			text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote\nresource at https://api.example.com/items. (Reason: CORS header ‘Access-Control-Allow-Origin’\nmissing). Status code: 403."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Read(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if r.Code != tc.code || r.URL != tc.url || r.Origin != tc.origin || r.Status != tc.status {
				t.Errorf("read %q url %q origin %q status %d; want %q %q %q %d", r.Code, r.URL, r.Origin, r.Status, tc.code, tc.url, tc.origin, tc.status)
			}
			if tc.initiator != "" && r.Initiator != tc.initiator {
				t.Errorf("initiator %q, want %q", r.Initiator, tc.initiator)
			}
			if tc.note != "" && !strings.Contains(r.Note, tc.note) {
				t.Errorf("note %q does not name the %s", r.Note, tc.note)
			}
		})
	}
}

// Chrome's second line, "GET {url} net::ERR_FAILED 200 (OK)", names the
// status of the response it blocked (research/cors-taxonomy.md §1.1); it
// has none after a failed preflight, when the request was never sent.
func TestReadChromiumFailedLoadStatus(t *testing.T) {
	line := "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
	for _, tc := range []struct {
		text   string
		status int
	}{
		{line + "\napp.js:14 \n        \n       GET https://api.example.com/items net::ERR_FAILED 500 (Internal Server Error)", 500},
		{"api.js:3  POST https://api.example.com/items net::ERR_FAILED 403 (Forbidden)\n" + line, 403},
		{line + "\nGET https://api.example.com/items net::ERR_FAILED", 0},
		{line + "\nGET https://api.example.com/other net::ERR_FAILED 200 (OK)", 0}, // another request
		{line + "\nitems:1  Failed to load resource: net::ERR_FAILED", 0},
	} {
		r, err := Read(tc.text)
		if err != nil {
			t.Fatal(err)
		}
		if r.Code != cors.CodeMissingAllowOrigin || r.Status != tc.status {
			t.Errorf("%q: read %q status %d, want missing-allow-origin, %d", tc.text, r.Code, r.Status, tc.status)
		}
	}
}

// Chrome names the URL script asked for when a redirect led elsewhere:
// "Access to fetch at '{last}' (redirected from '{first}') …". The reading
// keeps both: the check that reproduces it starts where the browser did.
func TestReadRedirectedFrom(t *testing.T) {
	r, err := Read("Access to fetch at 'https://b.example.com/x' (redirected from 'https://a.example.com/x') from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.")
	if err != nil {
		t.Fatal(err)
	}
	if r.URL != "https://b.example.com/x" || r.RedirectedFrom != "https://a.example.com/x" {
		t.Errorf("URL %q redirected from %q", r.URL, r.RedirectedFrom)
	}
}

// Firefox's font loader line names no code but tells the load: a web
// font, so the command to reproduce it checks a font (Firefox ESR 153,
// load-font-no-acao).
func TestReadFirefoxFontLine(t *testing.T) {
	const font = `downloadable font: download failed (font-family: "FontAwesome" style:normal weight:400 stretch:100 src index:0): bad URI or cross-site access not allowed source: https://cdn.example.com/fa.woff2`
	for _, text := range []string{font,
		"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://cdn.example.com/fa.woff2. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.\n" + font,
	} {
		r, err := Read(text)
		if err != nil {
			t.Fatal(err)
		}
		if r.Browser != "firefox" || r.Initiator != "font" || r.URL != "https://cdn.example.com/fa.woff2" {
			t.Errorf("read %s %q %q; want firefox, font and the URL", r.Browser, r.Initiator, r.URL)
		}
		// A web font is never credentialed; the note on a lone follow-up
		// line stays.
		if strings.Contains(r.Note, "--credentials") || text == font && !strings.Contains(r.Note, "paste that one too") {
			t.Errorf("note %q", r.Note)
		}
		// A web font is a GET without the page's headers or credentials:
		// no preflight and no credentials code reads the same as its line.
		for _, c := range r.Candidates {
			if isPreflightCode(c) || IsCredentialsCode(c) {
				t.Errorf("candidate %s for a web font: %v", c, r.Candidates)
			}
		}
		// The two notes read as two sentences ("…precise answer The line
		// is about…" ran them together).
		if text == font && !strings.Contains(r.Note, "precise answer. The line is about a web font") {
			t.Errorf("note %q runs its sentences together", r.Note)
		}
	}
}

// Each browser's lines about a failed redirect, as the profiles render
// them, read back with every URL they hold in its place: the URL that
// failed, where the redirect started (Chromium's "(redirected from …)",
// Firefox's second line), where it led (WebKit's "Cross-origin
// redirection to … denied", read as the unprefixed cause before).
func TestReadRedirectURLs(t *testing.T) {
	for _, p := range cors.AllProfiles {
		for _, code := range []cors.Code{cors.CodeMissingAllowOrigin, cors.CodeWildcardCredentials, cors.CodeInvalidCredentials,
			cors.CodeRedirectModeError, cors.CodeRedirectCredentials, cors.CodeRedirectBadLocation} {
			c := &cors.Console{Initiator: "fetch", URL: "https://b.example.com/hop", Request: "https://api.example.com/a",
				From: "https://api.example.com/a", Origin: "https://app.example", Status: 302, Redirect: true, OriginLines: 1,
				Param: "TRUE", Location: "https://cdn.example.net/b", NotFollowed: code == cors.CodeRedirectModeError}
			lines := p.Lines(&cors.Finding{Code: code, Console: c})
			if len(lines) == 0 {
				continue
			}
			for _, text := range []string{strings.Join(lines, "\n"), lines[0]} {
				r, err := Read(text)
				if err != nil {
					t.Errorf("%s %s: %v\n%s", p.Name, code, err, text)
					continue
				}
				in := func(u string) bool { return strings.Contains(text, u) }
				if !has(r.Candidates, code) ||
					in(c.URL) != (r.URL == c.URL) ||
					in(c.From) != (r.RedirectedFrom == c.From) ||
					in(c.Location) != (r.Location == c.Location) {
					t.Errorf("%s %s: read %v URL %q from %q location %q\n%s", p.Name, code, r.Candidates, r.URL, r.RedirectedFrom, r.Location, text)
				}
				if r.Location != "" && slices.ContainsFunc(r.Candidates, isPreflightCode) {
					t.Errorf("%s %s: a checked redirect read as a preflight's: %v\n%s", p.Name, code, r.Candidates, text)
				}
			}
		}
	}
}

// Firefox's lines for a 3xx that failed the CORS check at the URL script
// asked for read the same after a request's redirect and a preflight's
// (Firefox ESR 153: redirect-hop-no-acao, preflight-301): both are
// candidates. Read as the preflight's alone before.
func TestReadFirefoxRedirectOrPreflight(t *testing.T) {
	for _, preflight := range []bool{false, true} {
		c := &cors.Console{Initiator: "fetch", URL: "https://api.example.com/a", Request: "https://api.example.com/a",
			Origin: "https://app.example", Status: 302, Redirect: !preflight, Preflight: preflight, OriginLines: 1}
		code := cors.CodeMissingAllowOrigin
		if preflight {
			code = cors.CodePreflightMissingAllowOrigin
		}
		text := strings.Join(cors.Firefox.Lines(&cors.Finding{Code: code, Console: c}), "\n")
		r, err := Read(text)
		if err != nil || !has(r.Candidates, cors.CodeMissingAllowOrigin) || !has(r.Candidates, cors.CodePreflightMissingAllowOrigin) {
			t.Errorf("preflight %v: read %+v %v\n%s", preflight, r, err, text)
		}
	}
}
