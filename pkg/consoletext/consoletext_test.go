package consoletext

import (
	"errors"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// sample is what a console line names for code, in one shape.
func sample(code cors.Code, initiator string, redirected bool, lines int) *cors.Console {
	c := &cors.Console{
		Initiator: initiator, URL: "https://api.example.com/v1/items", Request: "https://api.example.com/v1/items",
		Origin: "https://app.example.com", Status: 403, OriginLines: lines, Param: "x-custom",
	}
	if redirected {
		c.URL = "https://cdn.example.net/v1/items"
		c.From = c.Request
	}
	switch code {
	case cors.CodeAllowOriginMismatch, cors.CodePreflightAllowOriginMismatch:
		c.Param = "https://other.example"
	case cors.CodeInvalidAllowOrigin, cors.CodePreflightInvalidAllowOrigin:
		c.Param = "app.example.com"
	case cors.CodeMultipleAllowOrigin, cors.CodePreflightMultipleAllowOrigin:
		c.Param = "https://app.example.com, https://other.example"
	case cors.CodeInvalidCredentials, cors.CodePreflightInvalidCredentials:
		c.Param = "TRUE"
	case cors.CodeMethodNotAllowed:
		c.Param = "PUT"
	case cors.CodeInvalidAllowMethods, cors.CodeInvalidAllowHeaders:
		c.Param, c.Value = "a b", "GET, a b"
	case cors.CodeCorsDisabledScheme:
		c.Param = "ftp"
	case cors.CodeLocalNetworkInsecure, cors.CodeLocalNetworkPermission:
		c.Param = "loopback"
	case cors.CodePreflightRedirect:
		c.Status = 301
	case cors.CodePreflightNetwork, cors.CodeActualNetwork:
		c.Status = 0
	}
	c.Preflight = isPreflightCode(code)
	c.Redirect = redirected && !c.Preflight
	if c.Preflight && c.Status == 403 && code != cors.CodePreflightStatus {
		// A preflight gets to its CORS check with an ok status in WebKit,
		// which checks the status first.
		c.Status = 204
	}
	return c
}

// Every line every browser logs for every code reads back as that code,
// or as a candidate set holding it, from that browser: the engine's words
// and the reader's come from the same tables.
func TestRoundTrip(t *testing.T) {
	tried := 0
	for _, p := range cors.AllProfiles {
		for _, in := range cors.Codes() {
			for _, initiator := range []string{"fetch", "XMLHttpRequest"} {
				for _, redirected := range []bool{false, true} {
					for _, lines := range []int{1, 2} {
						f := &cors.Finding{Code: in.Code, Console: sample(in.Code, initiator, redirected, lines)}
						text := strings.Join(p.Lines(f), "\n")
						if text == "" {
							continue
						}
						tried++
						r, err := Read(text)
						if err != nil {
							t.Errorf("%s %s: %v\n%s", p.Name, in.Code, err, text)
							continue
						}
						if r.Browser != p.Name || !has(r.Candidates, in.Code) {
							t.Errorf("%s %s (%s, redirected %v, %d lines): read as %s %s %v\n%s", p.Name, in.Code, initiator, redirected, lines, r.Browser, r.Code, r.Candidates, text)
						}
						if r.URL == "" {
							t.Errorf("%s %s: no URL read from\n%s", p.Name, in.Code, text)
						}
					}
				}
			}
		}
	}
	if tried < 100 {
		t.Errorf("only %d lines tried", tried)
	}
}

func TestRead(t *testing.T) {
	for _, tc := range []struct {
		name, text     string
		browser        string
		code           cors.Code
		candidates     int // at least
		url, origin    string
		status         int
		preflightKnown bool
	}{
		{name: "chromium preflight", browser: "chromium", code: cors.CodePreflightMissingAllowOrigin, url: "https://api.example.com/items", origin: "https://app.example",
			text: "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource."},
		{name: "chromium with DevTools decorations", browser: "chromium", code: cors.CodeAllowOriginMismatch, url: "https://api.example.com/items", origin: "https://app.example", status: 200,
			text: "index.html:1 Access to fetch at 'https://api.example.com/items' from origin 'https://app.example' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://app.example/' that is not equal to the supplied origin. Have the server send the header with a valid value. Understand this error\nGET https://api.example.com/items net::ERR_FAILED 200 (OK)"},
		{name: "firefox missing, one line: actual first", browser: "firefox", code: cors.CodeMissingAllowOrigin, candidates: 2, url: "https://api.example.com/items", status: 403,
			text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403. [Learn More]"},
		{name: "firefox missing after a preflight", browser: "firefox", code: cors.CodePreflightMissingAllowOrigin, url: "https://api.example.com/items", status: 404, preflightKnown: true,
			text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header 'Access-Control-Allow-Origin' missing). Status code: 404.\nCross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS request did not succeed). Status code: (null)."},
		{name: "firefox one-line list", browser: "firefox", code: cors.CodeMultipleAllowOrigin, url: "https://api.example.com/items",
			text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://a.example, https://b.example’)."},
		{name: "safari triple", browser: "safari", code: cors.CodeMissingAllowOrigin, candidates: 3, url: "https://api.example.com/items", origin: "https://app.example.com", status: 401,
			text: "[Error] Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 401\n[Error] Fetch API cannot load https://api.example.com/items due to access control checks.\n[Error] Failed to load resource: Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 401"},
		// A 301 is a redirect only with a Location, which the line does
		// not show: without one it fails on its status (WebKitGTK 2.50:
		// preflight-301 and preflight-301-no-location-no-cors print alike).
		{name: "safari redirected preflight", browser: "safari", code: cors.CodePreflightRedirect, candidates: 2, status: 301, url: "https://api.example.com/items",
			text: "Preflight response is not successful. Status code: 301\nFetch API cannot load https://api.example.com/items due to access control checks."},
		{name: "safari preflight 300, never a redirect", browser: "safari", code: cors.CodePreflightStatus, status: 300,
			text: "Preflight response is not successful. Status code: 300"},
		{name: "safari preflight status", browser: "safari", code: cors.CodePreflightStatus, status: 403,
			text: "Preflight response is not successful. Status code: 403"},
		// The informational line leads the failure line, which is not one
		// after a preflight; the "detected" line tells of the same code.
		{name: "firefox local network access", browser: "firefox", code: cors.CodeLocalNetworkPermission, url: "http://127.0.0.1:8080/items", origin: "https://app.example.com",
			text: "Local Network Access permission required: top-level site “https://app.example.com/”, initiator “https://app.example.com/”, attempting to access target “http://127.0.0.1:8080/items” (127.0.0.1:8080) via fetch. Secure context: True\n" +
				"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8080/items. (Reason: CORS request did not succeed). Status code: (null).\n" +
				"Local Network Access detected: top-level site “https://app.example.com/”, initiator “https://app.example.com/”, accessing target “http://127.0.0.1:8080/items” (127.0.0.1:8080) via fetch. Secure context: True, prompt action: prompt_deny"},
		{name: "firefox local network access, the detected line alone", browser: "firefox", code: cors.CodeLocalNetworkPermission, url: "http://127.0.0.1:8080/items", origin: "https://app.example.com",
			text: "Local Network Access detected: top-level site “https://app.example.com/”, initiator “https://app.example.com/”, accessing target “http://127.0.0.1:8080/items” (127.0.0.1:8080) via xhr. Secure context: True, prompt action: auto_deny"},
		// The bare line says the request failed below CORS: a network
		// error, unless the URL is a local address Local Network Access
		// guards.
		{name: "firefox did not succeed, public URL", browser: "firefox", code: cors.CodeActualNetwork, candidates: 2, url: "https://api.example.com/items",
			text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS request did not succeed). Status code: (null)."},
		{name: "firefox did not succeed, private URL", browser: "firefox", code: cors.CodeLocalNetworkPermission, candidates: 2, url: "http://192.168.1.20:8080/items",
			text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://192.168.1.20:8080/items. (Reason: CORS request did not succeed). Status code: (null)."},
		{name: "firefox did not succeed, localhost", browser: "firefox", code: cors.CodeLocalNetworkPermission, candidates: 2, url: "http://localhost:3000/items",
			text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:3000/items. (Reason: CORS request did not succeed). Status code: (null)."},
		{name: "firefox internal name", browser: "firefox", code: cors.CodeMissingAllowOrigin, candidates: 2, text: "CORSMissingAllowOrigin"},
		{name: "chromium internal name", browser: "chromium", code: cors.CodePreflightMissingAllowOrigin, text: "PreflightMissingAllowOriginHeader"},
		{name: "fetch TypeError chromium", browser: "chromium", text: "Uncaught (in promise) TypeError: Failed to fetch"},
		// fetch() refuses a URL with user:password@ with a TypeError of
		// its own, before sending: each browser's words.
		{name: "URL with credentials, chromium", browser: "chromium", code: cors.CodeURLCredentials, url: "https://alice:pw@api.example.com/items",
			text: "Uncaught (in promise) TypeError: Failed to execute 'fetch' on 'Window': Request cannot be constructed from a URL that includes credentials: https://alice:pw@api.example.com/items\n    at load (app.js:12:3)"},
		{name: "URL with credentials, firefox", browser: "firefox", code: cors.CodeURLCredentials, url: "https://alice:pw@api.example.com/items",
			text: "Uncaught (in promise) TypeError: Window.fetch: https://alice:pw@api.example.com/items is an url with embedded credentials."},
		{name: "URL with credentials, safari", browser: "safari", code: cors.CodeURLCredentials,
			text: "Unhandled Promise Rejection: TypeError: URL is not valid or contains user credentials."},
		{name: "fetch TypeError safari", browser: "safari", text: "TypeError: Load failed"},
		{name: "fetch TypeError firefox", browser: "firefox", text: "TypeError: NetworkError when attempting to fetch resource."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Read(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if r.Browser != tc.browser || r.Code != tc.code || len(r.Candidates) < tc.candidates {
				t.Errorf("read %s %q %v; want %s %q (≥%d candidates)", r.Browser, r.Code, r.Candidates, tc.browser, tc.code, tc.candidates)
			}
			if r.URL != tc.url || r.Origin != tc.origin || r.Status != tc.status || r.Preflight != tc.preflightKnown {
				t.Errorf("url %q origin %q status %d preflight %v; want %q %q %d %v", r.URL, r.Origin, r.Status, r.Preflight, tc.url, tc.origin, tc.status, tc.preflightKnown)
			}
		})
	}
}

func TestReadRejects(t *testing.T) {
	for _, text := range []string{"", "   ", "hello world", "GET https://api.example.com/ 404", "Access to fetch at", "missing-allow-origin-x"} {
		if r, err := Read(text); err == nil {
			t.Errorf("%q read as %+v", text, r)
		}
	}
}

// A line that opens as a browser's CORS line and then says what no
// template says (cut off by a chat tool, or a newer wording) is refused
// saying which browser, what it read and where the rest stops making
// sense; a line that opens as none is refused as before.
func TestReadUnknownReason(t *testing.T) {
	tests := []struct {
		name, text, browser, url, origin, after, rest string
	}{
		{"chrome cut", "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: Response to prefl",
			"chromium", "https://api.example.com/items", "https://app.example.com", "has been blocked by CORS policy:", "Response to prefl"},
		{"chrome xhr, new wording", "(index):1 Access to XMLHttpRequest at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: Something new.",
			"chromium", "https://api.example.com/items", "https://app.example.com", "has been blocked by CORS policy:", "Something new."},
		// Chrome's warning for a passive mixed-content image is no line
		// corsdiag reads: not called a blocked request's, nor surely cut.
		{"chrome passive mixed content", "Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure image 'http://cdn.example.com/a.png'. This content should also be served over HTTPS.",
			"chromium", "", "https://app.example.com", "was loaded over HTTPS, but requested an insecure", "image 'http://cdn.example.com/a.png'. This content should al…"},
		{"firefox cut", "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header",
			"firefox", "https://api.example.com/items", "", "(Reason:", "CORS header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Read(tt.text)
			var ue *UnknownReasonError
			if !errors.As(err, &ue) || !errors.Is(err, ErrNotConsoleText) {
				t.Fatalf("read %+v, %v; want an UnknownReasonError", r, err)
			}
			if ue.Browser != tt.browser || ue.URL != tt.url || ue.Origin != tt.origin || ue.After != tt.after || ue.Rest != tt.rest {
				t.Errorf("got %+v", ue)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.rest) || strings.Contains(msg, "blocked request") {
				t.Errorf("message %q does not quote %q, or calls it a blocked request's", msg, tt.rest)
			}
		})
	}
	for _, text := range []string{"hello world", "Access to fetch at", "Cross-Origin Request Blocked: something"} {
		if _, err := Read(text); err != ErrNotConsoleText {
			t.Errorf("%q: %v, want ErrNotConsoleText itself", text, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, p := range cors.AllProfiles {
		for _, tp := range p.Templates() {
			f.Add(tp.Text)
		}
		for _, tp := range p.LegacyTemplates() {
			f.Add(tp.Text)
		}
		f.Add(p.Messages.FetchRejection)
	}
	f.Add("Origin {origin} is not allowed\n\n\x00")
	// Today's shapes: Safari's origin line on a 3xx (no redirect prefix),
	// Firefox's "does not match" with a default port, :080 or a slash, a
	// preflight's 401 and 3xx, Chrome's older no-cors hint.
	for _, s := range []string{
		"Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 302",
		"Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 401\nPreflight response is not successful. Status code: 401",
		"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header \u2018Access-Control-Allow-Origin\u2019 does not match \u2018https://app.example.com:443\u2019).",
		"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header \u2018Access-Control-Allow-Origin\u2019 does not match \u2018http://app.example.com:080/\u2019).",
		"Access to fetch at 'https://api.example.com/x' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request. Status code: 302",
		"Access to fetch at 'blob:https://api.example.com/x' from origin 'https://app.example.com' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains the invalid value 'x\x1b]0;t\a'. Have the server send the header with a valid value, or, if an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r, err := Read(text)
		if err != nil {
			return
		}
		if r.Browser == "" {
			t.Errorf("a reading without a browser: %+v", r)
		}
		if r.Code != "" && (len(r.Candidates) == 0 || r.Candidates[0] != r.Code) {
			t.Errorf("code %q is not the first candidate of %v", r.Code, r.Candidates)
		}
	})
}

// TestSafariOriginLineStatus: WebKit checks a preflight's status before
// its Access-Control-Allow-Origin, so its origin line with a status
// outside 2xx is never a preflight's; and it puts "Cross-origin
// redirection to …" before any redirect's failure, so the bare line with a
// redirect status is a 3xx it did not follow: one without Location
// (WebKitGTK 2.50: redirect-no-location-follow-no-acao, preflight-401-no-cors).
func TestSafariOriginLineStatus(t *testing.T) {
	line := func(status string) string {
		return "Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: " + status
	}
	for _, tt := range []struct {
		status              string
		preflight, redirect bool // preflight codes among the candidates; a note on the missing Location
	}{
		{"204", true, false},
		{"401", false, false},
		{"302", false, true},
		{"300", false, false},
	} {
		r, err := Read(line(tt.status))
		if err != nil {
			t.Fatal(err)
		}
		pre := false
		for _, c := range r.Candidates {
			pre = pre || isPreflightCode(c)
		}
		if r.Code != cors.CodeMissingAllowOrigin || pre != tt.preflight {
			t.Errorf("%s: %s %v; want missing-allow-origin, preflight candidates %v", tt.status, r.Code, r.Candidates, tt.preflight)
		}
		if got := strings.Contains(r.Note, string(cors.CodeRedirectNoLocation)); got != tt.redirect {
			t.Errorf("%s: note %q names %s: %v, want %v", tt.status, r.Note, cors.CodeRedirectNoLocation, got, tt.redirect)
		}
	}
}

// Firefox says "does not match" for a list, a value that is no URL and a
// mismatch alike; the value decides, by the engine's rule: the page's
// origin with :443 or a trailing slash is a valid URL that mismatches
// (as the engine and Chromium report it), and :443 gets a note naming
// its cause.
func TestReadFirefoxValueKinds(t *testing.T) {
	line := func(v string) string {
		return "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘" + v + "’)."
	}
	for _, tt := range []struct {
		value string
		code  cors.Code
		note  string
	}{
		{"https://app.example.com:443", cors.CodeAllowOriginMismatch, "is https://app.example.com with its default port, which the origin a browser sends never has: corsdiag explain allow-origin-default-port"},
		{"http://app.example.com:80", cors.CodeAllowOriginMismatch, "corsdiag explain allow-origin-default-port"},
		{"https://app.example.com/", cors.CodeAllowOriginMismatch, ""},
		{"https://app.example.com:8443", cors.CodeAllowOriginMismatch, ""},
		{"app.example.com", cors.CodeInvalidAllowOrigin, ""},
		{"https://a.example, https://b.example", cors.CodeMultipleAllowOrigin, ""},
	} {
		r, err := Read(line(tt.value))
		if err != nil {
			t.Fatalf("%s: %v", tt.value, err)
		}
		if r.Code != tt.code {
			t.Errorf("%s: %s, want %s", tt.value, r.Code, tt.code)
		}
		if got := strings.Contains(r.Note, "allow-origin-default-port"); tt.note == "" && got || tt.note != "" && !strings.Contains(r.Note, tt.note) {
			t.Errorf("%s: note %q, want %q", tt.value, r.Note, tt.note)
		}
	}
}

// TestSafariNoLocationNoteQuotesTheTable: the note on a bare origin line
// with a redirect status quotes the words WebKit puts before a redirect's
// failure from the profile's table (Messages.RedirectPrefix), not a copy.
func TestSafariNoLocationNoteQuotesTheTable(t *testing.T) {
	saved := cors.Safari.Messages
	m := *saved
	m.RedirectPrefix = "Redirect to {location} refused by CORS: "
	cors.Safari.Messages = &m
	defer func() { cors.Safari.Messages = saved }()
	r, err := Read("Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 302")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Note, `"Redirect to …"`) || strings.Contains(r.Note, "Cross-origin redirection") {
		t.Errorf("note %q does not quote the profile's RedirectPrefix", r.Note)
	}
}
