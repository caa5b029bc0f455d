package cors

import (
	"strings"
	"testing"
)

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
		// An image is upgraded: judged at the https URL, with a warning.
		{name: "mixed content: an image is upgraded to https", ex: &Exchange{Request: Request{Method: "GET", URL: plainAPI, Origin: page, Initiator: "image"},
			Actual: []Hop{{Request: Message{Method: "GET", URL: "https://api.example.com/v1/items"}, Response: okActual()}}},
			verdict: Allowed, also: []Code{CodeMixedContentUpgraded}, absent: []Code{CodeMixedContent}},
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

// TestMixedContentLoads: the https page's CORS-mode loads to plain http, as
// Chromium 156, Firefox ESR 153 and WebKitGTK 2.50 treated them
// (pkg/conformance TestMixedContent*, the "… to http by name" load cases):
// an image, a video and an audio are upgraded to https and judged there;
// every other load is blocked, with the browser's own words for it.
func TestMixedContentLoads(t *testing.T) {
	const font = "http://fonts.example.com/a.woff2"
	load := func(initiator, url string) Request {
		return Request{Method: "GET", URL: url, Origin: page, Initiator: initiator}
	}
	// The probe asks for the https URL, as the browser does.
	upgraded := func(initiator, url string, answer *Message) *Exchange {
		ex := exch(load(initiator, url), nil)
		ex.Actual = []Hop{{Request: Message{Method: "GET", URL: "https" + url[len("http"):]}, Response: answer}}
		return ex
	}
	const img = "http://img.example.com/a.png"
	tests := []struct {
		name      string
		p         *Profile
		ex        *Exchange
		verdict   Verdict
		reported  Code
		console   []string
		causeHas  string
		fixHas    string
		fixHasNot string
	}{
		{name: "Chromium blocks a font", p: Chromium, ex: exch(load("font", font), nil), verdict: Blocked, reported: CodeMixedContent,
			console:  []string{"Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure font 'http://fonts.example.com/a.woff2'. This request has been blocked; the content must be served over HTTPS."},
			causeHas: "web font", fixHas: "font", fixHasNot: "API"},
		{name: "Chromium blocks a module script", p: Chromium, ex: exch(load("script", img), nil), verdict: Blocked, reported: CodeMixedContent,
			console: []string{"Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure script 'http://img.example.com/a.png'. This request has been blocked; the content must be served over HTTPS."}},
		{name: "Chromium blocks a classic script", p: Chromium, ex: exch(load("classic-script", img), nil), verdict: Blocked, reported: CodeMixedContent,
			console: []string{"Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure script 'http://img.example.com/a.png'. This request has been blocked; the content must be served over HTTPS."}},
		{name: "Chromium blocks a stylesheet", p: Chromium, ex: exch(load("stylesheet", img), nil), verdict: Blocked, reported: CodeMixedContent,
			console: []string{"Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure stylesheet 'http://img.example.com/a.png'. This request has been blocked; the content must be served over HTTPS."}},
		{name: "Chromium blocks EventSource", p: Chromium, ex: exch(load("eventsource", img), nil), verdict: Blocked, reported: CodeMixedContent,
			console: []string{"Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure EventSource endpoint 'http://img.example.com/a.png'. This request has been blocked; the content must be served over HTTPS."}},
		{name: "Firefox blocks a font, and its font loader says so", p: Firefox, ex: exch(load("font", font), nil), verdict: Blocked, reported: CodeMixedContent,
			console: []string{"Blocked loading mixed active content “http://fonts.example.com/a.woff2”"}},
		{name: "Firefox blocks a module script", p: Firefox, ex: exch(load("script", img), nil), verdict: Blocked, reported: CodeMixedContent,
			console: []string{"Blocked loading mixed active content “http://img.example.com/a.png”", "Loading failed for the module with source “http://img.example.com/a.png”."}},
		{name: "Firefox blocks a classic script", p: Firefox, ex: exch(load("classic-script", img), nil), verdict: Blocked, reported: CodeMixedContent,
			console: []string{"Blocked loading mixed active content “http://img.example.com/a.png”", "Loading failed for the <script> with source “http://img.example.com/a.png”."}},
		{name: "Firefox blocks a stylesheet", p: Firefox, ex: exch(load("stylesheet", img), nil), verdict: Blocked, reported: CodeMixedContent,
			console: []string{"Blocked loading mixed active content “http://img.example.com/a.png”"}},
		{name: "Firefox blocks EventSource", p: Firefox, ex: exch(load("eventsource", img), nil), verdict: Blocked, reported: CodeMixedContent,
			console: []string{"Blocked loading mixed active content “http://img.example.com/a.png”", "Firefox can’t establish a connection to the server at http://img.example.com/a.png."}},
		{name: "Safari blocks a font (no access control line)", p: Safari, ex: exch(load("font", font), nil), verdict: Blocked, reported: CodeMixedContent,
			console: []string{"[blocked] The page at https://app.example.com/ requested insecure content from http://fonts.example.com/a.woff2. This content was blocked and must be served over HTTPS."}},
		{name: "Safari blocks a stylesheet", p: Safari, ex: exch(load("stylesheet", img), nil), verdict: Blocked, reported: CodeMixedContent,
			console: []string{"[blocked] The page at https://app.example.com/ requested insecure content from http://img.example.com/a.png. This content was blocked and must be served over HTTPS."}},
		{name: "Safari blocks EventSource", p: Safari, ex: exch(load("eventsource", img), nil), verdict: Blocked, reported: CodeMixedContent,
			console: []string{"[blocked] The page at https://app.example.com/ requested insecure content from http://img.example.com/a.png. This content was blocked and must be served over HTTPS.",
				"Not allowed to request resource", "EventSource cannot load http://img.example.com/a.png due to access control checks."}},
		{name: "Chromium upgrades an image and judges the https answer", p: Chromium, ex: upgraded("image", img, res(200, HeaderAllowOrigin, "*")), verdict: Allowed,
			console: []string{"Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure element 'http://img.example.com/a.png'. This request was automatically upgraded to HTTPS, For more information see https://blog.chromium.org/2019/10/no-more-mixed-messages-about-https.html"}},
		{name: "Firefox upgrades an image", p: Firefox, ex: upgraded("image", img, res(200, HeaderAllowOrigin, "*")), verdict: Allowed,
			console: []string{"Mixed Content: Upgrading insecure display request ‘http://img.example.com/a.png’ to use ‘https’"}},
		{name: "Safari upgrades an image", p: Safari, ex: upgraded("image", img, res(200, HeaderAllowOrigin, "*")), verdict: Allowed,
			console: []string{"The page at https://app.example.com/ requested insecure content from http://img.example.com/a.png. This content was automatically upgraded and should be served over HTTPS."}},
		// A video and an audio are upgraded too; Chromium adds a line naming
		// what its media player found (Chromium 156: "video to http by name").
		{name: "Chromium upgrades a video", p: Chromium, ex: upgraded("video", img, res(200, HeaderAllowOrigin, "*")), verdict: Allowed,
			console: []string{"Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure element 'http://img.example.com/a.png'. This request was automatically upgraded to HTTPS, For more information see https://blog.chromium.org/2019/10/no-more-mixed-messages-about-https.html",
				"Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure video 'http://img.example.com/a.png'. This content should also be served over HTTPS."}},
		{name: "Chromium upgrades an audio", p: Chromium, ex: upgraded("audio", img, res(200, HeaderAllowOrigin, "*")), verdict: Allowed,
			console: []string{"Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure element 'http://img.example.com/a.png'. This request was automatically upgraded to HTTPS, For more information see https://blog.chromium.org/2019/10/no-more-mixed-messages-about-https.html",
				"Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure audio file 'http://img.example.com/a.png'. This content should also be served over HTTPS."}},
		{name: "Firefox upgrades a video", p: Firefox, ex: upgraded("video", img, res(200, HeaderAllowOrigin, "*")), verdict: Allowed,
			console: []string{"Mixed Content: Upgrading insecure display request ‘http://img.example.com/a.png’ to use ‘https’"}},
		{name: "Safari upgrades an audio", p: Safari, ex: upgraded("audio", img, res(200, HeaderAllowOrigin, "*")), verdict: Allowed,
			console: []string{"The page at https://app.example.com/ requested insecure content from http://img.example.com/a.png. This content was automatically upgraded and should be served over HTTPS."}},
		// The CORS check applies to the https answer.
		{name: "an upgraded image still needs CORS", p: Chromium, ex: upgraded("image", img, res(200)), verdict: Blocked, reported: CodeMissingAllowOrigin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.p.Evaluate(tt.ex)
			if d.Verdict != tt.verdict {
				t.Fatalf("verdict %s, want %s: %v", d.Verdict, tt.verdict, d.Findings)
			}
			rep := d.Reported()
			if tt.reported != "" && (rep == nil || rep.Code != tt.reported) {
				t.Fatalf("reported %v, want %s", rep, tt.reported)
			}
			if tt.verdict == Allowed && d.Has(CodeMixedContent) {
				t.Errorf("an upgraded load is reported as mixed content blocking: %v", d.Findings)
			}
			if tt.console != nil {
				if got := tt.p.Verdict(d).Console; strings.Join(got, "\n") != strings.Join(tt.console, "\n") {
					t.Errorf("console:\n  got  %q\n  want %q", got, tt.console)
				}
			}
			if rep != nil && rep.Code == CodeMixedContent {
				if tt.causeHas != "" && !strings.Contains(rep.Message, tt.causeHas) {
					t.Errorf("message %q lacks %q", rep.Message, tt.causeHas)
				}
				if tt.fixHas != "" && !strings.Contains(rep.Fix, tt.fixHas) {
					t.Errorf("fix %q lacks %q", rep.Fix, tt.fixHas)
				}
				if tt.fixHasNot != "" && strings.Contains(rep.Fix, tt.fixHasNot) {
					t.Errorf("fix %q says %q", rep.Fix, tt.fixHasNot)
				}
			}
			if tt.verdict == Allowed || tt.reported == CodeMissingAllowOrigin {
				var f *Finding
				for i := range d.Findings {
					if d.Findings[i].Code == CodeMixedContentUpgraded {
						f = &d.Findings[i]
					}
				}
				if f == nil || !strings.Contains(f.Message, "upgrade") || !strings.Contains(f.Message, "https://img.example.com/a.png") {
					t.Errorf("no upgrade finding naming the https URL: %v", d.Findings)
				}
			}
		})
	}
}

func TestMixedContentUpgradeURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"http://img.example.com/a.png", "https://img.example.com/a.png"},
		{"http://img.example.com:80/a.png?x=1", "https://img.example.com/a.png?x=1"},
		{"http://img.example.com:8080/a.png", "https://img.example.com:8080/a.png"},
		{"http://[2001:db8::1]:80/a.png", "https://[2001:db8::1]/a.png"},
		{"http://[2001:db8::80]/a.png", "https://[2001:db8::80]/a.png"},
	} {
		got, ok := Chromium.MixedContentUpgrade(&Request{Method: "GET", URL: tt.in, Origin: page, Initiator: "image"})
		if !ok || got != tt.want {
			t.Errorf("%s: upgraded to %q (%v), want %s", tt.in, got, ok, tt.want)
		}
	}
	if _, ok := Chromium.MixedContentUpgrade(&Request{Method: "GET", URL: "http://img.example.com/", Origin: page, Initiator: "font"}); ok {
		t.Error("a font is upgraded")
	}
	if _, ok := Chromium.MixedContentUpgrade(&Request{Method: "GET", URL: "http://img.example.com/", Origin: "http://app.example.com", Initiator: "image"}); ok {
		t.Error("an http page's image is upgraded")
	}
	if Chromium.BlocksAsMixedContent(&Request{Method: "GET", URL: "http://img.example.com/", Origin: page, Initiator: "image"}) {
		t.Error("an upgraded image is said to be blocked")
	}
}

// The load fix replaces the catalogue's words for an API: they must stay.
func TestMixedContentFixNamesTheAPI(t *testing.T) {
	if !strings.Contains(catalogue[CodeMixedContent].Fix, mixedFixAPI) {
		t.Errorf("the mixed content fix no longer says %q: %q", mixedFixAPI, catalogue[CodeMixedContent].Fix)
	}
}

// An image redirected to plain http is upgraded at that hop too (Chromium
// 156, Firefox ESR 153, WebKitGTK 2.50: "image redirected to http by
// name"); Chromium logs nothing for it, the others their warning.
func TestMixedContentRedirectedImage(t *testing.T) {
	const start, plain = "https://img.example.com/a.png", "http://cdn.example.com/a.png"
	for _, tt := range []struct {
		p       *Profile
		console []string
	}{
		{Chromium, nil},
		{Firefox, []string{"Mixed Content: Upgrading insecure display request ‘http://cdn.example.com/a.png’ to use ‘https’"}},
		{Safari, []string{"The page at https://app.example.com/ requested insecure content from http://cdn.example.com/a.png. This content was automatically upgraded and should be served over HTTPS."}},
	} {
		// A video the same way ("video redirected to http by name"):
		// Chromium logs neither of its two lines.
		for _, load := range []string{"image", "video"} {
			r := Request{Method: "GET", URL: start, Origin: page, Initiator: load}
			ex := exch(r, nil, res(302, "Location", plain, HeaderAllowOrigin, "*"))
			d := tt.p.Evaluate(ex)
			if d.Verdict != Allowed || d.Has(CodeMixedContent) || !d.Has(CodeMixedContentUpgraded) {
				t.Errorf("%s %s: %s %v; want allowed, upgraded", tt.p.Name, load, d.Verdict, d.Findings)
			}
			if got := tt.p.Verdict(d).Console; strings.Join(got, "\n") != strings.Join(tt.console, "\n") {
				t.Errorf("%s %s: console %q, want %q", tt.p.Name, load, got, tt.console)
			}
			next, ok := tt.p.Redirect(&r, RedirectState{URL: start, Method: "GET", Origin: page}, ex.Actual[0].Response)
			if !ok || next.URL != "https://cdn.example.com/a.png" {
				t.Errorf("%s %s: follows to %q (%v), want the https URL", tt.p.Name, load, next.URL, ok)
			}
		}
	}
}
