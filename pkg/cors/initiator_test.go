package cors

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestLoadKindLines holds each profile to what its browser logged for the
// CORS-mode loads that are not fetch() or XMLHttpRequest (the conformance
// scenarios load-*: Chromium 156, Firefox ESR 153, WebKitGTK 2.50).
func TestLoadKindLines(t *testing.T) {
	mismatch := "https://other.example"
	chromium := func(word, cause string) string {
		return "Access to " + word + " at '" + api + "' from origin '" + page + "' has been blocked by CORS policy: " + cause
	}
	const (
		missing   = "No 'Access-Control-Allow-Origin' header is present on the requested resource."
		wildcard  = "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'."
		ffMissing = "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200."
	)
	notEqual := "The 'Access-Control-Allow-Origin' header has a value '" + mismatch + "' that is not equal to the supplied origin."
	ffMismatch := "CORS header ‘Access-Control-Allow-Origin’ does not match ‘" + mismatch + "’)."
	safariOrigin := "Origin " + page + " is not allowed by Access-Control-Allow-Origin. Status code: 200"
	ffWildcard := "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘" + api + "’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’)."
	load := func(kind string, r Request) Request { r.Initiator = kind; return r }
	tests := []struct {
		kind, word string
		// after are the lines Firefox and Safari log after their CORS line.
		ffAfter, safariAfter []string
		// safariNoCORS: WebKit loads it without CORS (no Origin, no check).
		safariNoCORS bool
	}{
		{kind: "font", word: "font", safariNoCORS: true},
		{kind: "script", word: "script", ffAfter: []string{"Module source URI is not allowed in this document: “" + api + "”."}},
		{kind: "classic-script", word: "script", ffAfter: []string{"<script> source URI is not allowed in this document: “" + api + "”."},
			safariAfter: []string{"Cross-origin script load denied by Cross-Origin Resource Sharing policy."}},
		{kind: "image", word: "image", safariAfter: []string{"Cannot load image " + api + " due to access control checks."}},
		{kind: "stylesheet", word: "CSS stylesheet"},
		{kind: "eventsource", word: "resource", ffAfter: []string{"Firefox can’t establish a connection to the server at " + api + "."},
			safariAfter: []string{"EventSource cannot load " + api + " due to access control checks."}},
		// A media element: the CORS line alone in each browser.
		{kind: "video", word: "video"},
		{kind: "audio", word: "audio"},
	}
	for _, tt := range tests {
		// A module script's answer is JavaScript here: Firefox words one
		// of another type, or of none, otherwise (TestFirefoxModuleMIMEFirst).
		ok := func(kv ...string) *Message {
			return res(200, append([]string{"Content-Type", "text/javascript"}, kv...)...)
		}
		cases := []struct {
			name                      string
			ex                        *Exchange
			chromium, firefox, safari string
		}{
			{"no ACAO", exch(load(tt.kind, get()), nil, ok()), chromium(tt.word, missing), ffLine(api, ffMissing), safariOrigin},
			{"mismatch", exch(load(tt.kind, get()), nil, ok(HeaderAllowOrigin, mismatch)), chromium(tt.word, notEqual), ffLine(api, ffMismatch), safariOrigin},
			{"credentials and *", exch(load(tt.kind, withCreds(get())), nil, ok(HeaderAllowOrigin, "*")), chromium(tt.word, wildcard), ffWildcard,
				"Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."},
		}
		for _, c := range cases {
			if tt.kind == "font" && c.name == "credentials and *" {
				continue // a web font is never credentialed
			}
			t.Run(tt.kind+"/"+c.name, func(t *testing.T) {
				for _, w := range []struct {
					p     *Profile
					lines []string
				}{
					{Chromium, []string{c.chromium}},
					{Firefox, append([]string{c.firefox}, tt.ffAfter...)},
					{Safari, append([]string{c.safari}, tt.safariAfter...)},
				} {
					v := w.p.Judge(c.ex)
					if w.p == Safari && tt.safariNoCORS {
						if v.Verdict != Allowed || len(v.Console) != 0 {
							t.Errorf("safari: %s %q; want allowed, no lines (WebKit loads fonts without CORS)", v.Verdict, v.Console)
						}
						continue
					}
					if v.Verdict != Blocked || !slices.Equal(v.Console, w.lines) {
						t.Errorf("%s: %s\n  got  %q\n  want %q", w.p.Name, v.Verdict, v.Console, w.lines)
					}
				}
			})
		}
	}
}

// TestLoadKindHidesNoHeaders: script never reads the response of a font,
// image, stylesheet, module script, EventSource or media element, so
// headers left out of Access-Control-Expose-Headers hide nothing from it.
func TestLoadKindHidesNoHeaders(t *testing.T) {
	for _, kind := range []string{"font", "script", "image", "stylesheet", "eventsource", "video", "audio"} {
		r := get()
		r.Initiator = kind
		d := Evaluate(exch(r, nil, okActual("X-Request-Id", "7")))
		if f := find(d, CodeUnexposedHeaders); f != nil {
			t.Errorf("%s: %s: %s", kind, f.Code, f.Message)
		}
	}
	if find(Evaluate(exch(get(), nil, okActual("X-Request-Id", "7"))), CodeUnexposedHeaders) == nil {
		t.Error("fetch: no response-headers-not-exposed; the test no longer tests anything")
	}
}

// TestLookupInitiator: every check --initiator value names an initiator,
// and an unknown one is refused with the list.
func TestLookupInitiator(t *testing.T) {
	for flag, want := range map[string]string{"fetch": "fetch", "xhr": "XMLHttpRequest", "font": "font",
		"script": "script", "classic-script": "classic-script", "image": "image", "stylesheet": "stylesheet", "eventsource": "eventsource",
		"video": "video", "audio": "audio"} {
		in, ok := LookupInitiator(flag)
		if !ok || in.Name != want {
			t.Errorf("LookupInitiator(%q) = %+v, %v; want %s", flag, in, ok, want)
		}
	}
	if _, ok := LookupInitiator("iframe"); ok {
		t.Error("iframe is not a CORS-mode load")
	}
	if got := strings.Join(InitiatorFlags(), "|"); got != "fetch|xhr|font|script|classic-script|image|stylesheet|eventsource|video|audio" {
		t.Errorf("InitiatorFlags = %s", got)
	}
}

// TestFirefoxModuleMIMEFirst: Firefox checks a module script's MIME type
// before CORS; a response that is not JavaScript fails the load as "CORS
// request did not succeed" after a MIME type line (Firefox ESR 153:
// load-script-404-no-acao, load-script-200-html-no-acao), whatever its
// status, or none. A JavaScript one gets the usual line
// (load-script-404-js-no-acao).
func TestFirefoxModuleMIMEFirst(t *testing.T) {
	r := get()
	r.Initiator = "script"
	moduleLine := "Module source URI is not allowed in this document: “" + api + "”."
	for _, tt := range []struct {
		name string
		resp *Message
		mime string // not JavaScript
		want []string
	}{
		{"404 text/plain", res(404, "Content-Type", "text/plain"), "text/plain", []string{
			"Loading module from “" + api + "” was blocked because of a disallowed MIME type (“text/plain”).",
			ffLine(api, ffDidNotSucceed), moduleLine}},
		{"200 text/html; charset", res(200, "Content-Type", "text/html; charset=utf-8"), "text/html", []string{
			"Loading module from “" + api + "” was blocked because of a disallowed MIME type (“text/html”).",
			ffLine(api, ffDidNotSucceed), moduleLine}},
		// No Content-Type at all is no JavaScript either (Firefox ESR
		// 153.8: load-script-302-no-location-untyped-no-acao).
		{"302 without Content-Type", res(302), "", []string{
			"Loading module from “" + api + "” was blocked because of a disallowed MIME type (“”).",
			ffLine(api, ffDidNotSucceed), moduleLine}},
		{"404 JavaScript", res(404, "Content-Type", "text/javascript"), "", []string{
			ffLine(api, "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 404."), moduleLine}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// A classic script has no such check: its usual line, after a
			// warning when the answer was a 2xx of another type
			// (load-classic-script-200-html-no-acao, -404-no-acao).
			classic := r
			classic.Initiator = "classic-script"
			c := Firefox.Judge(exch(classic, nil, tt.resp)).Console
			want := []string{ffLine(api, "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: "+strconv.Itoa(tt.resp.Status)+"."),
				"<script> source URI is not allowed in this document: “" + api + "”."}
			if mime := tt.mime; mime != "" && tt.resp.Status < 300 {
				want = append([]string{"The script from “" + api + "” was loaded even though its MIME type (“" + mime + "”) is not a valid JavaScript MIME type."}, want...)
			}
			if !slices.Equal(c, want) {
				t.Errorf("classic script: %q\nwant %q", c, want)
			}
			v := Firefox.Judge(exch(r, nil, tt.resp))
			if v.Reported != CodeMissingAllowOrigin || !slices.Equal(v.Console, tt.want) {
				t.Errorf("%s %q\nwant %s %q", v.Reported, v.Console, CodeMissingAllowOrigin, tt.want)
			}
			// The other browsers say what they say for any script.
			if c := Chromium.Judge(exch(r, nil, tt.resp)).Console; len(c) != 1 || !strings.Contains(c[0], "No 'Access-Control-Allow-Origin'") {
				t.Errorf("chromium: %q", c)
			}
		})
	}
}

// TestInitiatorRefuses: what a page cannot do with a load that is not
// fetch() or XMLHttpRequest, said once for check and ci.
func TestInitiatorRefuses(t *testing.T) {
	font, _ := LookupInitiator("font")
	image, _ := LookupInitiator("image")
	fetch, _ := LookupInitiator("fetch")
	for _, tt := range []struct {
		in          Initiator
		method      string
		headers     []string
		credentials bool
		want        string // "" : fine
	}{
		{fetch, "PUT", []string{"X-Token"}, true, ""},
		{font, "GET", nil, false, ""},
		{image, "GET", nil, true, ""},
		{image, "PUT", nil, false, "an image load is a GET (not PUT)"},
		{image, "GET", []string{"X-Token"}, false, "the page sets no request headers on an image load (not X-Token)"},
		{font, "GET", nil, true, "a web font is never loaded with credentials (its credentials mode is same-origin)"},
	} {
		if got := tt.in.Refuses(tt.method, tt.headers, tt.credentials); got != tt.want {
			t.Errorf("%s %s %v %v: %q, want %q", tt.in.Flag, tt.method, tt.headers, tt.credentials, got, tt.want)
		}
	}
}

// TestFontNeverCredentialed: a web font's CORS check runs in credentials
// mode same-origin (CSS Fonts 4 §4.8.2), so a caller's Credentials (a
// HAR entry's Cookie) does not make `*` fail it, in any browser.
func TestFontNeverCredentialed(t *testing.T) {
	font := withCreds(get())
	font.Initiator = "font"
	for _, p := range []*Profile{Chromium, Firefox, Safari} {
		ex := exch(font, nil, res(200, HeaderAllowOrigin, "*"))
		if d := p.Evaluate(ex); d.Verdict != Allowed {
			t.Errorf("%s: %v %+v; a font with `*` is allowed", p.Name, d.Verdict, d.Findings)
		}
	}
}

// TestFit: what a reproduce command keeps of a recorded request is what
// Refuses accepts for its load.
func TestFit(t *testing.T) {
	font, _ := LookupInitiator("font")
	image, _ := LookupInitiator("image")
	for _, tt := range []struct {
		in                 Initiator
		method             string
		headers            []string
		creds              bool
		load               string
		withHdr, withCreds bool
	}{
		{Initiators[0], "PUT", []string{"x-a"}, true, "fetch", true, true},
		{font, "GET", nil, true, "font", true, false},
		{font, "GET", []string{"x-a"}, false, "font", false, true},
		{image, "GET", nil, true, "image", true, true},
		{image, "POST", []string{"x-a"}, true, "fetch", true, true},
	} {
		load, h, c := tt.in.Fit(tt.method, tt.headers, tt.creds)
		if load.Name != tt.load || h != tt.withHdr || c != tt.withCreds {
			t.Errorf("%s %s %v %v: %s %v %v", tt.in.Name, tt.method, tt.headers, tt.creds, load.Name, h, c)
		}
		if load.Refuses(tt.method, keepIf(tt.headers, h), tt.creds && c) != "" {
			t.Errorf("%s %s: Fit keeps what Refuses refuses", tt.in.Name, tt.method)
		}
	}
}

func keepIf(s []string, ok bool) []string {
	if ok {
		return s
	}
	return nil
}

// TestCredentialsWordingPerInitiator: corsdiag's own words (message, fix)
// for a credentialed load name what that page writes to send credentials
// (fetch's credentials: 'include', XHR's withCredentials, an element's
// crossorigin="use-credentials"), never fetch()'s option on an element.
// The console lines are the browsers' and stay as they are.
func TestCredentialsWordingPerInitiator(t *testing.T) {
	wildcard := []string{HeaderAllowOrigin, "*"}
	echoed := []string{HeaderAllowOrigin, page}
	cases := []struct {
		code      Code
		preflight bool
		resp      []string
		// named: the text that names the page's credentials.
		named func(f *Finding) string
	}{
		{CodeWildcardCredentials, false, wildcard, func(f *Finding) string { return f.Message }},
		{CodeWildcardCredentials, false, wildcard, func(f *Finding) string { return f.Fix }},
		{CodeInvalidCredentials, false, echoed, func(f *Finding) string { return f.Fix }},
		{CodePreflightWildcardCredentials, true, wildcard, func(f *Finding) string { return f.Message }},
		{CodePreflightInvalidCredentials, true, echoed, nil},
	}
	for _, in := range Initiators {
		for _, c := range cases {
			for _, p := range []*Profile{Chromium, Firefox, Safari} {
				t.Run(in.Name+"/"+string(c.code)+"/"+p.Name, func(t *testing.T) {
					r := withCreds(get())
					r.Initiator = in.Name
					ex := exch(r, nil, res(200, c.resp...))
					if c.preflight {
						r = withCreds(put())
						r.Initiator = in.Name
						ex = exch(r, res(204, append([]string{HeaderAllowMethods, "PUT",
							HeaderAllowHeaders, "Content-Type"}, c.resp...)...), okActual())
					}
					d := p.Evaluate(ex)
					var got *Finding
					for i := range d.Findings {
						f := &d.Findings[i]
						if f.Code == c.code {
							got = f
						}
						if in.Scripted || in.Credentials == "" {
							continue
						}
						for _, text := range []string{f.Message, f.Fix} {
							if strings.Contains(text, "credentials: 'include'") {
								t.Errorf("%s: %s says fetch()'s credentials: 'include': %q", in.Name, f.Code, text)
							}
						}
					}
					switch {
					case in.SameOriginOnly:
						if got != nil {
							t.Errorf("a %s never carries credentials, got %s", in.Name, c.code)
						}
						return
					case got == nil && c.preflight && !in.Scripted:
						return // an element load is a GET: no preflight
					case got == nil:
						t.Fatalf("no %s finding in %+v", c.code, d.Findings)
					}
					if c.named != nil && !strings.Contains(c.named(got), in.Credentials) {
						t.Errorf("%s's text does not name %s: %q", c.code, in.Credentials, c.named(got))
					}
					// A page that needs its cookies must keep sending them.
					if i := strings.Index(got.Fix, in.NoCredentials); i >= 0 && !strings.HasSuffix(got.Fix[:i], "if the load needs no cookies, ") {
						t.Errorf("%s's fix tells every page to stop sending credentials: %q", c.code, got.Fix)
					}
				})
			}
		}
	}
}

// TestInitiatorCredentialsColumns: every load that can carry credentials
// says how the page asks for them and how it stops.
func TestInitiatorCredentialsColumns(t *testing.T) {
	for _, in := range Initiators {
		if (in.Credentials == "") != in.SameOriginOnly || (in.NoCredentials == "") != in.SameOriginOnly {
			t.Errorf("%s: Credentials %q, NoCredentials %q", in.Name, in.Credentials, in.NoCredentials)
		}
		if !in.Scripted && in.Accept == "" && !in.SameOriginOnly &&
			(in.Credentials != `crossorigin="use-credentials"` || !strings.Contains(in.NoCredentials, `crossorigin="anonymous"`)) {
			t.Errorf("element %s: Credentials %q, NoCredentials %q", in.Name, in.Credentials, in.NoCredentials)
		}
	}
}

// TestCORSModeOfRecord: without Sec-Fetch-Mode, Chrome's resource type
// says a load is always CORS-mode only when every load of that type is
// (a classic <script> shares "script" with a module script); an element's
// load is one when it carries an Origin header.
func TestCORSModeOfRecord(t *testing.T) {
	for _, tt := range []struct {
		rtype  string
		origin bool
		want   bool
	}{
		{"fetch", false, true}, {"xhr", false, true}, {"font", false, true}, {"eventsource", false, true},
		{"script", false, false}, {"script", true, true},
		{"image", false, false}, {"image", true, true},
		{"media", false, false}, {"media", true, true},
		{"stylesheet", false, false}, {"stylesheet", true, true},
		{"document", true, false}, {"ping", true, false},
		{"", true, true}, {"", false, false},
	} {
		if got := CORSModeOfRecord(tt.rtype, tt.origin); got != tt.want {
			t.Errorf("CORSModeOfRecord(%q, %v) = %v, want %v", tt.rtype, tt.origin, got, tt.want)
		}
	}
}
