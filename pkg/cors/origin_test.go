package cors

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestOriginOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.example.com/v1?x#y":   "https://api.example.com",
		"HTTPS://API.Example.COM:443/":     "https://api.example.com",
		"http://api.example.com:80":        "http://api.example.com",
		"http://api.example.com:8080/x":    "http://api.example.com:8080",
		"https://user:pw@api.example.com/": "https://api.example.com",
		"http://[::1]:3000/":               "http://[::1]:3000",
		"https://bücher.example/":          "https://xn--bcher-kva.example",
		"wss://ws.example.com/socket":      "wss://ws.example.com",
		"file:///etc/hosts":                "null",
		"data:text/plain,hi":               "null",
		"about:blank":                      "null",
		"https://":                         "null",
		"%zz":                              "null",
		"https://api.example.com/%zz?a=%":  "https://api.example.com",
		// URL standard, origin of a blob: URL: its inner http(s) URL's.
		"blob:https://app.example.com/1c6a9d3e":      "https://app.example.com",
		"BLOB:http://localhost:3000/1c6a9d3e":        "http://localhost:3000",
		"blob:null/1c6a9d3e":                         "null",
		"blob:file:///1c6a9d3e":                      "null",
		"blob:blob:https://app.example.com/1c6a9d3e": "null",
		"blob:wss://ws.example.com/1c6a9d3e":         "null",
	} {
		if got := OriginOf(in); got != want {
			t.Errorf("OriginOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseOrigin(t *testing.T) {
	for _, tc := range []struct {
		in, want, reason string
	}{
		{in: "https://app.example.com", want: "https://app.example.com"},
		{in: "https://App.Example.com/", want: "https://app.example.com"},
		{in: " https://app.example.com:443 ", want: "https://app.example.com"},
		{in: "http://localhost:3000", want: "http://localhost:3000"},
		{in: "http://[::1]:8080", want: "http://[::1]:8080"},
		{in: "https://bücher.example", want: "https://xn--bcher-kva.example"},
		{in: "null", want: "null"},
		{in: "app.example.com", reason: "scheme://host"},
		{in: "ftp://files.example.com", reason: "http or https"},
		{in: "https://u:p@app.example.com", reason: "user:password"},
		{in: "https://app.example.com/path", reason: "no path"},
		{in: "https://app.example.com?x", reason: "no path"},
		{in: "https://app.example.com:70000", reason: "0 to 65535"},
		{in: "https://*.example.com", reason: "not a domain"},
		{in: "http://[fe80::1%25eth0]", reason: "not a domain"},
		{in: "https://a b", reason: "not a URL"},
	} {
		got, err := ParseOrigin(tc.in)
		if tc.reason == "" {
			if err != nil || got != tc.want {
				t.Errorf("ParseOrigin(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		var oe *OriginError
		if !errors.As(err, &oe) || oe.Value != tc.in {
			t.Errorf("ParseOrigin(%q) error = %v, want an *OriginError for the value", tc.in, err)
			continue
		}
		mustContain(t, "error", err.Error(), tc.reason)
		mustContain(t, "error", err.Error(), "cors: invalid origin")
	}
}

func TestIsValidURL(t *testing.T) {
	for in, want := range map[string]bool{
		"https://app.example.com": true, "https://app.example.com/": true, "https://*.example.com": true,
		"http:app.example.com": true, "foo:bar": true, "null": false, "": false, "app.example.com": false,
		"https://": false, "https://a:65536": false, "https://a b": false,
	} {
		if got := isValidURL(in); got != want {
			t.Errorf("isValidURL(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestHostIsLoopback(t *testing.T) {
	for in, want := range map[string]bool{
		"http://localhost:8080/": true, "http://api.localhost/": true, "http://127.0.0.1/": true,
		"http://127.1.2.3/": true, "http://[::1]:3000/": true, "https://example.com/": false,
		"http://10.0.0.1/": false, "%zz": false,
	} {
		if got := HostIsLoopback(in); got != want {
			t.Errorf("HostIsLoopback(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestMismatchReasonNullOrigin(t *testing.T) {
	mustContain(t, "reason", mismatchReason(page, "null"), "never a named origin")
	mustContain(t, "reason", mismatchReason("null", page), "null origin")
	mustContain(t, "reason", mismatchReason("http://app.example.com:8080", page), "scheme and port differ")
}

// originOfPlain agrees with url.Parse wherever it answers.
func FuzzOriginOfPlain(f *testing.F) {
	for _, s := range []string{"https://api.example.com/v1/items?x=1", "http://127.0.0.1:8080/a", "https://a.test:443/",
		"http://a.test:80", "https://a.test:/x", "https://a.test:0443/", "http://a:b/", "https://A.test/", "https://a.test/%zz",
		"https://a.test/\x01", "https://a.test#f", "http://[::1]:80/", "https://user@a.test/", "https://a.test:99999/", "https://-a-.test./",
		"https://a.test/p#f?q", "https://a.test?q#f", "http://a.test:8080?x=/y", "https://a.test:8443/p/q/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		fast, ok := originOfPlain(raw)
		if !ok {
			return
		}
		want := "null"
		if u, err := url.Parse(raw); err == nil {
			want = originOfURL(u)
		}
		if fast != want {
			t.Errorf("originOfPlain(%q) = %q, url.Parse gives %q", raw, fast, want)
		}
		// The engine's other shortcuts for such URLs, against url.Parse.
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("url.Parse(%q): %v", raw, err)
		}
		if got := urlScheme(raw); got != strings.ToLower(u.Scheme) {
			t.Errorf("urlScheme(%q) = %q, url.Parse gives %q", raw, got, u.Scheme)
		}
		if !isHTTPURL(raw) || u.Host == "" {
			t.Errorf("isHTTPURL(%q) = %v, url.Parse gives scheme %q host %q", raw, isHTTPURL(raw), u.Scheme, u.Host)
		}
		if scheme, host, _ := plainURL(raw); scheme != u.Scheme || host != strings.ToLower(u.Hostname()) {
			t.Errorf("plainURL(%q) = %q, %q; url.Parse gives %q, %q", raw, scheme, host, u.Scheme, u.Hostname())
		}
		if host, path, _ := HostPath(raw); host != u.Hostname() || path != u.Path {
			t.Errorf("HostPath(%q) = %q, %q; url.Parse gives %q, %q", raw, host, path, u.Hostname(), u.Path)
		}
		// ParseOrigin's shortcut for a string that is already an origin.
		got, gerr := ParseOrigin(fast)
		slow, serr := parseOrigin(fast)
		if got != slow || (gerr == nil) != (serr == nil) {
			t.Errorf("ParseOrigin(%q) = %q, %v; by url.Parse %q, %v", fast, got, gerr, slow, serr)
		}
	})
}

// A null Origin has two sources, and the mismatch finding names each only
// where it applies: a sandboxed or file: page (the request's own origin is
// null) is not told a redirect tainted it, and a tainted request is not
// told its page's origin is null.
func TestNullOriginMismatchMessage(t *testing.T) {
	allowsPage := res(200, HeaderAllowOrigin, page)
	nullPage := get()
	nullPage.Origin = "null"
	d := Evaluate(exch(nullPage, nil, allowsPage))
	rep := d.Reported()
	if rep == nil || rep.Code != CodeAllowOriginMismatch {
		t.Fatalf("sandboxed page: reported %v, want allow-origin-mismatch", rep)
	}
	mustContain(t, "sandboxed page", rep.Message, "sandboxed iframe")
	if strings.Contains(rep.Message, "redirect") {
		t.Errorf("sandboxed page: the message blames a redirect there was none of: %q", rep.Message)
	}

	const cdn = "https://cdn.example.net/file"
	d = Evaluate(exch(get(), nil, res(302, "Location", cdn, HeaderAllowOrigin, "*"), allowsPage))
	var mismatch *Finding
	for i := range d.Findings {
		if d.Findings[i].Code == CodeAllowOriginMismatch {
			mismatch = &d.Findings[i]
		}
	}
	if mismatch == nil {
		t.Fatalf("tainted request: no allow-origin-mismatch in %v", codes(d))
	}
	if strings.Contains(mismatch.Message, "page's origin is null") || strings.Contains(mismatch.Message, "sandboxed iframe") {
		t.Errorf("tainted request: the message says the page is null: %q", mismatch.Message)
	}
	mustContain(t, "tainted request", mismatch.Message, "Origin is null")
}
