package cors

import (
	"slices"
	"strings"
	"testing"
)

// A browser serializes an origin without its scheme's default port (RFC
// 6454 §6.1; the URL standard drops a default port when it parses) and
// the CORS check compares Access-Control-Allow-Origin with that string
// byte for byte (Fetch §CORS check step 4; Chromium's CheckAccess, Gecko's
// nsCORSListenerProxy and WebKit's passesAccessControlCheck all compare
// strings). So a value naming :443 or :80 is blocked in all three, and a
// page origin typed with its default port is the origin without it.
func TestDefaultPortAllowOrigin(t *testing.T) {
	const httpsURL, httpURL = "https://api.example.com/x", "http://api.example.com/x"
	tests := []struct {
		name string
		// origin is the page's origin as the user typed it (--origin, a
		// ci config) or a HAR's Origin header held it.
		origin, url, acao string
		blocked           bool
		reason            string // in the finding's message
		// The three browsers' lines for the value (fetch, Status 200).
		chromium, firefox, webkit string
	}{
		{name: "https :443", origin: page, url: httpsURL, acao: "https://app.example.com:443", blocked: true,
			reason:   "the value carries the default port :443; browsers compare it byte for byte with the page's serialized origin, https://app.example.com, which never has it",
			chromium: "Access to fetch at 'https://api.example.com/x' from origin 'https://app.example.com' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com:443' that is not equal to the supplied origin. Have the server send the header with a valid value.",
			firefox:  "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/x. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://app.example.com:443’).",
			webkit:   "Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 200"},
		{name: "http :80", origin: "http://app.example.com", url: httpURL, acao: "http://app.example.com:80", blocked: true,
			reason:   "carries the default port :80;",
			chromium: "Access to fetch at 'http://api.example.com/x' from origin 'http://app.example.com' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://app.example.com:80' that is not equal to the supplied origin. Have the server send the header with a valid value.",
			firefox:  "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://api.example.com/x. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘http://app.example.com:80’).",
			webkit:   "Origin http://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 200"},
		{name: "default port with a leading zero", origin: "http://app.example.com", url: httpURL, acao: "http://app.example.com:080", blocked: true,
			reason: "carries the default port 80, written :080;"},
		{name: "default port and a slash", origin: page, url: httpsURL, acao: "https://app.example.com:443/", blocked: true,
			reason: "carries the default port :443 and has a trailing slash;"},
		{name: "default port and upper case", origin: page, url: httpsURL, acao: "HTTPS://App.Example.com:443", blocked: true,
			reason: "carries the default port :443 and has upper-case letters;"},
		// A leading zero on a port that is not the default: the value
		// names the page's port, written otherwise, not a default one.
		{name: "non-default port with a leading zero", origin: "https://app.example.com:8443", url: httpsURL, acao: "https://app.example.com:08443", blocked: true,
			reason: "writes the port 8443 as :08443, with a leading zero;"},
		{name: "empty port", origin: page, url: httpsURL, acao: "https://app.example.com:", blocked: true,
			reason: "has an empty port"},
		{name: "https's default port on http", origin: "http://app.example.com", url: httpURL, acao: "http://app.example.com:443", blocked: true,
			reason: "the port differs (443 versus default 80)"},
		{name: "non-default port", origin: page, url: httpsURL, acao: "https://app.example.com:8443", blocked: true,
			reason:   "the port differs (8443 versus default 443)",
			chromium: "Access to fetch at 'https://api.example.com/x' from origin 'https://app.example.com' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com:8443' that is not equal to the supplied origin. Have the server send the header with a valid value."},
		{name: "non-default port on both sides", origin: "https://app.example.com:8443", url: httpsURL, acao: "https://app.example.com:8443"},
		// The page's origin given with its default port is the origin
		// without it: what the browser sends and compares with.
		{name: "origin typed with :443, value without", origin: "https://app.example.com:443", url: httpsURL, acao: page},
		{name: "origin typed with :80, value without", origin: "http://app.example.com:80", url: httpURL, acao: "http://app.example.com"},
		{name: "origin typed with :0443", origin: "https://app.example.com:0443", url: httpsURL, acao: page},
		{name: "origin and value both with :443", origin: "https://app.example.com:443", url: httpsURL, acao: "https://app.example.com:443", blocked: true,
			reason:   "carries the default port :443;",
			chromium: "Access to fetch at 'https://api.example.com/x' from origin 'https://app.example.com' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com:443' that is not equal to the supplied origin. Have the server send the header with a valid value.",
			webkit:   "Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range AllProfiles {
				ex := &Exchange{Request: Request{Method: "GET", URL: tt.url, Origin: tt.origin},
					Actual: []Hop{{Response: res(200, HeaderAllowOrigin, tt.acao, "Vary", "Origin")}}}
				j := p.Judge(ex)
				if got := j.Verdict == Blocked; got != tt.blocked {
					t.Fatalf("%s: blocked = %v, want %v (%v)", p.Name, got, tt.blocked, j.Console)
				}
				if !tt.blocked {
					continue
				}
				if j.Reported != CodeAllowOriginMismatch {
					t.Errorf("%s: reported %s, want %s", p.Name, j.Reported, CodeAllowOriginMismatch)
				}
				d := p.Evaluate(ex)
				mustContain(t, p.Name+" message", d.Reported().Message, tt.reason)
				want := map[string]string{"chromium": tt.chromium, "firefox": tt.firefox, "safari": tt.webkit}[p.Name]
				if want != "" && !slices.Contains(j.Console, want) {
					t.Errorf("%s console:\n%s\nwant the line\n%s", p.Name, strings.Join(j.Console, "\n"), want)
				}
			}
		})
	}
}

// The same value on the preflight's answer: the browser's line has the
// preflight's prefix, the reason is the same.
func TestDefaultPortAllowOriginPreflight(t *testing.T) {
	pre := res(204, HeaderAllowOrigin, "https://app.example.com:443", HeaderAllowMethods, "PUT", HeaderAllowHeaders, "Content-Type")
	d := Evaluate(exch(put(), pre))
	rep := d.Reported()
	if rep == nil || rep.Code != CodePreflightAllowOriginMismatch {
		t.Fatalf("reported %v, want %s", rep, CodePreflightAllowOriginMismatch)
	}
	mustContain(t, "message", rep.Message, "carries the default port :443;")
	mustContain(t, "console", rep.BrowserMessage, "Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com:443' that is not equal to the supplied origin.")
}

// ParseOrigin and OriginOf serialize a port as a number: a default port
// goes however it is written.
func TestDefaultPortSerialization(t *testing.T) {
	for in, want := range map[string]string{
		"https://app.example.com:443":   "https://app.example.com",
		"https://app.example.com:0443/": "https://app.example.com",
		"http://app.example.com:80":     "http://app.example.com",
		"http://app.example.com:080":    "http://app.example.com",
		"http://app.example.com:08080":  "http://app.example.com:8080",
		"http://app.example.com:00":     "http://app.example.com:0",
		"https://app.example.com:80":    "https://app.example.com:80",
		"http://app.example.com:443":    "http://app.example.com:443",
	} {
		if got, err := ParseOrigin(in); err != nil || got != want {
			t.Errorf("ParseOrigin(%q) = %q, %v; want %q", in, got, err, want)
		}
		if got := OriginOf(in + "/x"); got != want && !strings.HasSuffix(in, "/") {
			t.Errorf("OriginOf(%q) = %q, want %q", in+"/x", got, want)
		}
	}
}

// A recording's Origin header that is not its serialization (a tool's or
// an edit's: no browser sends :443) echoed back is the request's doing:
// the reason and the fix say so. A value the header did not ask for gets
// the usual reason.
func TestEchoedRecordedOrigin(t *testing.T) {
	for _, tt := range []struct {
		header, acao, reason, fix string
	}{
		{"https://app.example.com:443", "https://app.example.com:443",
			"the server echoed the request's Origin header as recorded, which carries the default port :443; no browser sends that (it sends https://app.example.com",
			"corsdiag check URL --origin https://app.example.com"},
		{"HTTPS://App.example.com", "HTTPS://App.example.com", "echoed the request's Origin header as recorded, which has upper-case letters;", "needs no change"},
		{"https://app.example.com:443", "https://app.example.com:8443", "the port differs (8443 versus default 443)", ""},
		{"", "https://app.example.com:443", "the value carries the default port :443;", ""},
	} {
		r := Request{Method: "GET", URL: api, Origin: page, OriginHeader: tt.header}
		d := Evaluate(exch(r, nil, res(200, HeaderAllowOrigin, tt.acao, "Vary", "Origin")))
		rep := d.Reported()
		if rep == nil || rep.Code != CodeAllowOriginMismatch {
			t.Fatalf("%s: reported %v, want %s", tt.acao, rep, CodeAllowOriginMismatch)
		}
		mustContain(t, tt.acao+" message", rep.Message, tt.reason)
		if tt.fix != "" {
			mustContain(t, tt.acao+" fix", rep.Fix, tt.fix)
		} else if strings.Contains(rep.Fix, "as the browser sends it: corsdiag check") {
			t.Errorf("%s: fix %q is the echo's", tt.acao, rep.Fix)
		}
	}
}

// The echo's fix is a command to paste: a recorded origin's host may hold
// $( ) ' ; & (url.Parse takes them), so the origin is one quoted word.
func TestEchoedRecordedOriginFixQuoted(t *testing.T) {
	for _, tt := range []struct{ host, word string }{
		{"a$(id).test", "'https://a$(id).test'"},
		{"a';id;'.test", `'https://a'\'';id;'\''.test'`},
		{"a&id&.test", "'https://a&id&.test'"},
		{"app.example.com", "https://app.example.com"},
	} {
		origin := "https://" + tt.host
		r := Request{Method: "GET", URL: api, Origin: origin, OriginHeader: origin + ":443"}
		d := Evaluate(exch(r, nil, res(200, HeaderAllowOrigin, origin+":443")))
		rep := d.Reported()
		if rep == nil {
			t.Fatalf("%s: allowed", tt.host)
		}
		mustContain(t, tt.host+" fix", rep.Fix, "corsdiag check URL --origin "+tt.word+", or")
	}
}
