package curlcmd

import (
	"errors"
	"strings"
	"testing"
)

// chromeFetch is Chrome's "Copy as fetch" of a credentialed PUT (the shape
// of NetworkLogView.generateFetchCall: JSON.stringify(options, null, 2)).
const chromeFetch = `fetch("https://api.example.com/items/7", {
  "headers": {
    "accept": "*/*",
    "accept-language": "en-US,en;q=0.9",
    "authorization": "Bearer abc",
    "content-type": "application/json",
    "sec-ch-ua": "\"Chromium\";v=\"156\"",
    "sec-fetch-mode": "cors"
  },
  "referrer": "https://app.example.com/",
  "referrerPolicy": "strict-origin-when-cross-origin",
  "body": "{\"name\":\"caf\u00e9\"}",
  "method": "PUT",
  "mode": "cors",
  "credentials": "include"
});`

// chromeNodeFetch is "Copy as fetch (Node.js)": cookie and Referer are
// headers, no mode or credentials.
const chromeNodeFetch = `fetch("https://api.example.com/me", {
  "headers": {
    "accept": "*/*",
    "cookie": "sid=1",
    "Referer": "https://app.example.com/dashboard",
    "Referrer-Policy": "strict-origin-when-cross-origin"
  },
  "body": null,
  "method": "GET"
});`

// firefoxFetch has the shape of Firefox's "Copy as Fetch" (its netmonitor
// test browser_net_copy_as_fetch.js): await, 4-space JSON, the page's full
// URL in "referrer".
const firefoxFetch = `await fetch("https://api.example.com/items", {
    "credentials": "omit",
    "headers": {
        "Accept": "*/*",
        "X-Request-Id": "r-1",
        "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
        "Sec-Fetch-Mode": "cors"
    },
    "referrer": "https://app.example.com/orders/index.html",
    "method": "DELETE",
    "mode": "cors"
});`

func TestParseFetch(t *testing.T) {
	tests := []struct {
		name, text          string
		url, method, origin string
		header, value       string // one header to look for
		body, cookie        string
		credentials         bool
	}{
		{"Chrome", chromeFetch, "https://api.example.com/items/7", "PUT", "https://app.example.com", "Authorization", "Bearer abc", `{"name":"café"}`, "", true},
		{"Chrome Node.js", chromeNodeFetch, "https://api.example.com/me", "GET", "https://app.example.com", "Accept", "*/*", "", "sid=1", true},
		{"Firefox", firefoxFetch, "https://api.example.com/items", "DELETE", "https://app.example.com", "X-Request-Id", "r-1", "", "", false},
		{"no options", `fetch('https://api.example.com/x')`, "https://api.example.com/x", "GET", "", "", "", "", "", false},
		// A key written twice holds its last value, as in JavaScript
		// (x-a and X-A are two keys, and Headers joins them).
		{"duplicate keys", `fetch("https://a.example/x", {"headers": {"x-a": "1", "x-a": "2", "X-A": "3"}, "method": "GET", "method": "PUT"})`, "https://a.example/x", "PUT", "", "X-A", "2", "", "", false},
		// credentials "omit" (or "same-origin", for a cross-origin URL)
		// sends no cookies, whatever the headers say.
		{"credentials omit", `fetch("https://a.example/x", {"headers": {"cookie": "sid=1"}, "credentials": "omit"})`, "https://a.example/x", "GET", "", "", "", "", "", false},
		{"credentials same-origin", `fetch("https://a.example/x", {"credentials": "same-origin", "headers": {"cookie": "sid=1"}})`, "https://a.example/x", "GET", "", "", "", "", "", false},
		{"comments and bare keys", "fetch(\"https://a.example/x\", /* c */ {method: 'POST', body: 'a=1', headers: {'X-A': \"\\x41\\u{1F600}\"},}) // end", "https://a.example/x", "POST", "", "X-A", "A😀", "a=1", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseFetch(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if c.URL != tt.url || c.Method != tt.method || c.Origin() != tt.origin || string(c.Body) != tt.body || c.Cookie != tt.cookie || c.Credentials != tt.credentials {
				t.Errorf("got %s %s origin %q body %q cookie %q credentials %v", c.Method, c.URL, c.Origin(), c.Body, c.Cookie, c.Credentials)
			}
			if tt.header != "" && c.Header.Get(tt.header) != tt.value {
				t.Errorf("%s = %q, want %q", tt.header, c.Header.Get(tt.header), tt.value)
			}
			if c.Dialect != Fetch {
				t.Errorf("dialect %s", c.Dialect)
			}
		})
	}
}

func TestParseFetchErrors(t *testing.T) {
	tests := []struct {
		text   string
		offset int
		want   string
	}{
		{`fetch`, 5, "want ( after fetch"},
		{`fetch(url, {})`, 6, "not a literal"},
		{`fetch("https://a/", {"method": "GET"`, 36, "want , or } in the object"},
		{`fetch("https://a/", {"headers": {"a b": "1"}})`, 33, "not a header name"},
		{`fetch("https://a/", {"method": 1})`, 31, "want a string"},
		{`fetch("https://a/)`, 6, "the string is not closed"},
		{"fetch(`https://a/${x}`)", 6, "template literal"},
		{`fetch("https://a/"); fetch("https://b/")`, 21, "paste one call"},
		{`fetch("https://a/"); --origin https://app.example.com`, 21, `("--origin"): corsdiag's own flags go before --`},
		{`axios.get("https://a/")`, 0, "want fetch(…)"},
		{`fetch("https://a/", "GET")`, 20, "object literal"},
		// DevTools always copies mode "cors"; a hand-written no-cors call
		// gets no CORS check, so there is nothing for corsdiag to judge.
		{`fetch("https://a/", {"headers": {"x-a": "1"}, "mode": "no-cors"})`, 54, `mode "no-cors": the browser makes no CORS check`},
		{`fetch("https://a/", {mode: 'same-origin'})`, 27, `mode "same-origin": the browser refuses`},
		{`fetch("https://a/", ` + strings.Repeat("[", 100), 84, "nested more than 64 levels"},
		// A value fetch() takes but no HTTP client sends, or one it throws on.
		{`fetch("https://a/", {"headers": {"x-a": "a\u001bb"}})`, 40, "the value of x-a holds a control character (0x1b)"},
		{`fetch("https://a/", {"headers": {"x-a": "a\r\nX-B: 1"}})`, 40, "the value of x-a holds a control character (0x0d)"},
	}
	for _, tt := range tests {
		_, err := ParseFetch(tt.text)
		var e *Error
		if !errors.As(err, &e) || e.Offset != tt.offset || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "fetch call, byte ") {
			t.Errorf("ParseFetch(%q) = %v; want fetch call, byte %d: …%s", tt.text, err, tt.offset, tt.want)
		}
	}
}

// TestParseFetchRedirect: a hand-written call's redirect option is kept for
// the check (DevTools copies none); a value fetch() does not know throws a
// TypeError there, before anything is sent.
func TestParseFetchRedirect(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{`fetch("https://a/")`, ""},
		{`fetch("https://a/", {redirect: "follow"})`, "follow"},
		{`fetch("https://a/", {"redirect": "manual"})`, "manual"},
		{`fetch("https://a/", {redirect: 'error', method: "GET"})`, "error"},
	} {
		c, err := ParseFetch(tt.text)
		if err != nil || c.Redirect != tt.want {
			t.Errorf("ParseFetch(%q): redirect %q, %v; want %q", tt.text, c.Redirect, err, tt.want)
		}
	}
	for _, text := range []string{`fetch("https://a/", {redirect: "Manual"})`, `fetch("https://a/", {redirect: 1})`} {
		var e *Error
		if _, err := ParseFetch(text); !errors.As(err, &e) || e.Offset != 31 {
			t.Errorf("ParseFetch(%q) = %v, want an error at byte 31", text, err)
		}
	}
}

func FuzzParseFetch(f *testing.F) {
	addDevtoolsSeeds(f, "fetch", "fetch-node")
	for _, s := range []string{chromeFetch, chromeNodeFetch, firefoxFetch, `fetch('x')`, `fetch("a", {a: [1, {b: null}], 'c': "\u{10FFFF}\ud83d\ude00"})`, `fetch("a", {redirect: "manual"})`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseFetch(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(s) {
				t.Fatalf("%q: error %v has no offset inside the text", s, err)
			}
			return
		}
		if c.Header == nil || c.Method == "" {
			t.Fatalf("%q: incomplete command %+v", s, c)
		}
	})
}

// Chrome's "Copy as fetch (Node.js)" writes the page's referrer policy as
// a "Referrer-Policy" header beside "Referer" (NetworkLogView.ts,
// generateFetchCall: extraHeaders['Referrer-Policy'] = referrerPolicy).
// The browser sent no such header: it is not a header script set, so it
// must not make a preflight.
func TestNodeFetchReferrerPolicyIsNoHeader(t *testing.T) {
	c, err := ParseFetch(chromeNodeFetch)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := c.ScriptHeader()
	if v := h.Get("Referrer-Policy"); v != "" {
		t.Errorf("script headers hold Referrer-Policy %q: %v", v, h)
	}
	if r := c.CORSRequest(); r.Header.Get("Referrer-Policy") != "" {
		t.Errorf("the CORS request holds Referrer-Policy: %v", r.Header)
	}
	// Written by hand without a Referer, it is a header like any other.
	c, err = ParseFetch(`fetch("https://api.example.com/me", {"headers": {"Referrer-Policy": "no-referrer"}})`)
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := c.ScriptHeader(); h.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("a hand-written Referrer-Policy header was dropped: %v", h)
	}
}

// Chrome's copy of a call to a Google host carries the headers Chrome adds
// there itself (X-Client-Data, X-Browser-*), exempt from CORS: they are
// not script's and make no preflight.
func TestChromeGoogleHeadersAreNotScripts(t *testing.T) {
	c, err := Parse(`curl 'https://firebasestorage.googleapis.com/v0/b/app/o/a.png' \
  -H 'accept: */*' \
  -H 'origin: https://app.example' \
  -H 'x-browser-channel: stable' \
  -H 'x-browser-copyright: Copyright 2025 Google LLC. All rights reserved.' \
  -H 'x-browser-validation: qSH0RgPhYS+tEktJTy2ahvLDO9s=' \
  -H 'x-browser-year: 2025' \
  -H 'x-client-data: CI22yQEIprbJAQipncoB'`)
	if err != nil {
		t.Fatal(err)
	}
	h, dropped := c.ScriptHeader()
	if len(h) != 1 || h.Get("Accept") != "*/*" {
		t.Errorf("script headers %v, want Accept only (dropped %v)", h, dropped)
	}
}

// Firefox copies Alt-Used, the header it adds when it reached the host by
// an alternative service (RFC 7838 §5): not script's, no preflight.
func TestFirefoxAltUsedIsNotScripts(t *testing.T) {
	c, err := Parse(`curl 'https://api.example.com/items' -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:138.0) Gecko/20100101 Firefox/138.0' -H 'Accept: */*' -H 'Origin: https://app.example' -H 'DNT: 1' -H 'Sec-GPC: 1' -H 'Alt-Used: api.example.com' -H 'Connection: keep-alive' -H 'Sec-Fetch-Mode: cors'`)
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := c.ScriptHeader(); len(h) != 1 || h.Get("Accept") != "*/*" {
		t.Errorf("script headers %v, want Accept only", h)
	}
}
