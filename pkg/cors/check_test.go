package cors

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestParseAllowList(t *testing.T) {
	for _, tc := range []struct {
		in    string
		lower bool
		want  []string
		bad   string
		ok    bool
	}{
		{in: "", ok: true},
		{in: "   ", ok: true},
		{in: "GET, POST", want: []string{"GET", "POST"}, ok: true},
		{in: "GET,POST\t,\tPUT", want: []string{"GET", "POST", "PUT"}, ok: true},
		{in: "GET,,POST", want: []string{"GET", "POST"}, ok: true},
		{in: "GET, ", want: []string{"GET"}, ok: true},
		{in: ", , ", ok: true},
		{in: "*", want: []string{"*"}, ok: true},
		{in: "Content-Type, X-API-Key", lower: true, want: []string{"content-type", "x-api-key"}, ok: true},
		{in: "patch", want: []string{"patch"}, ok: true},
		{in: "GET, PUT/PATCH", bad: "PUT/PATCH"},
		{in: "X-Foo, X Bar", bad: "X Bar"},
		{in: "X-Foo; X-Bar", bad: "X-Foo; X-Bar"},
		{in: `"x-a"`, bad: `"x-a"`},
		// A comma inside quotes does not split (net::HttpUtil::ValuesIterator).
		{in: `'x-a, x-b'`, bad: `'x-a, x-b'`},
		{in: `x-a, "y, z"`, bad: `"y, z"`},
		{in: "X-Ä", bad: "X-Ä"},
	} {
		got, bad, ok := parseAllowList(tc.in, tc.lower)
		if ok != tc.ok || bad != tc.bad || !slices.Equal(got, tc.want) {
			t.Errorf("parseAllowList(%q) = %q, %q, %v; want %q, %q, %v", tc.in, got, bad, ok, tc.want, tc.bad, tc.ok)
		}
	}
}

func TestGetCombined(t *testing.T) {
	h := http.Header{"X-A": {" a ", "\tb"}}
	if v, ok := getCombined(h, "x-a"); !ok || v != "a, b" {
		t.Errorf("getCombined = %q, %v", v, ok)
	}
	if v, ok := getCombined(http.Header{"X-A": {""}}, "X-A"); !ok || v != "" {
		t.Errorf("an empty line is present and empty: %q, %v", v, ok)
	}
	if _, ok := getCombined(h, "X-B"); ok {
		t.Error("an absent header is reported present")
	}
}

// TestCheckAccess covers Chromium's CheckAccess branch by branch.
func TestCheckAccess(t *testing.T) {
	for _, tc := range []struct {
		name  string
		h     http.Header
		creds bool
		want  []string // corsError/param
	}{
		{"wildcard", hdr(HeaderAllowOrigin, "*"), false, nil},
		{"wildcard skips ACAC", hdr(HeaderAllowOrigin, "*", HeaderAllowCredentials, "false"), false, nil},
		{"wildcard with credentials", hdr(HeaderAllowOrigin, "*", HeaderAllowCredentials, "true"), true, []string{"WildcardOriginNotAllowed/"}},
		{"wildcard with credentials, no ACAC", hdr(HeaderAllowOrigin, "*"), true, []string{"WildcardOriginNotAllowed/", "InvalidAllowCredentials/"}},
		{"missing", hdr(), false, []string{"MissingAllowOriginHeader/"}},
		{"missing, credentials", hdr(), true, []string{"MissingAllowOriginHeader/", "InvalidAllowCredentials/"}},
		{"exact", hdr(HeaderAllowOrigin, page), false, nil},
		{"exact with credentials", hdr(HeaderAllowOrigin, page, HeaderAllowCredentials, "true"), true, nil},
		{"space means several", hdr(HeaderAllowOrigin, page+" "+page), false, []string{"MultipleAllowOriginValues/" + page + " " + page}},
		{"null", hdr(HeaderAllowOrigin, "null"), false, []string{"AllowOriginMismatch/null"}},
		{"not a URL", hdr(HeaderAllowOrigin, "localhost"), false, []string{"InvalidAllowOriginValue/localhost"}},
		// GURL reads "localhost:3000" as scheme "localhost": a valid URL, so a mismatch.
		{"host:port is a URL to GURL", hdr(HeaderAllowOrigin, "localhost:3000"), false, []string{"AllowOriginMismatch/localhost:3000"}},
		{"https with no host", hdr(HeaderAllowOrigin, "https://"), false, []string{"InvalidAllowOriginValue/https://"}},
		{"port out of range", hdr(HeaderAllowOrigin, "https://app.example.com:99999"), false, []string{"InvalidAllowOriginValue/https://app.example.com:99999"}},
		{"opaque URL is valid", hdr(HeaderAllowOrigin, "foo:bar"), false, []string{"AllowOriginMismatch/foo:bar"}},
		{"ACAC false", hdr(HeaderAllowOrigin, page, HeaderAllowCredentials, "false"), true, []string{"InvalidAllowCredentials/false"}},
	} {
		var got []string
		for _, a := range checkAccess(&Message{Header: tc.h}, page, &Request{Credentials: tc.creds}) {
			got = append(got, a.corsError+"/"+a.param)
			if a.message == "" {
				t.Errorf("%s: empty message", tc.name)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: checkAccess = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestHiddenResponseHeaders(t *testing.T) {
	h := hdr("Content-Type", "text/plain", "Cache-Control", "no-store", "X-Total", "1", "X-Page", "2",
		"Set-Cookie", "a=b", "Server", "nginx", HeaderExposeHeaders, "X-Page, bad token")
	got := sorted(hiddenResponseHeaders(&Message{Header: h}, false))
	if !slices.Equal(got, []string{"x-total"}) {
		t.Errorf("hidden = %q, want [x-total]", got)
	}
}

func TestIsToken(t *testing.T) {
	for s, want := range map[string]bool{
		"": false, "GET": true, "M-SEARCH": true, "x_y.z~1": true, "!#$%&'*+-.^_`|~": true,
		"GE T": false, "a:b": false, "a/b": false, "(x)": false, "a\"b": false, "a\x7f": false,
		"a\tb": false, "é": false, "[x]": false, "{x}": false, "a=b": false, "a@b": false, "a\\b": false,
	} {
		if got := isToken(s); got != want {
			t.Errorf("isToken(%q) = %v, want %v", s, got, want)
		}
	}
	for c := 0; c < 256; c++ {
		want := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c < 0x80 && strings.IndexByte("!#$%&'*+-.^_`|~", byte(c)) >= 0
		if got := isToken(string([]byte{byte(c)})); got != want {
			t.Errorf("isToken of byte %#x = %v, want %v", c, got, want)
		}
	}
}

func TestLowerName(t *testing.T) {
	for k, lower := range lowerNames {
		if lower != asciiLower(k) || k != http.CanonicalHeaderKey(lower) {
			t.Errorf("lowerNames[%q] = %q", k, lower)
		}
	}
	for _, k := range []string{"Content-Type", "X-Request-Id", "x-custom", "ACCEPT", "Access-Control-Allow-Origin", ""} {
		if got := lowerName(k); got != asciiLower(k) {
			t.Errorf("lowerName(%q) = %q", k, got)
		}
	}
}

// AccessAllowed is Evaluate's verdict on a lone response, and the codes
// IsHeaderCheck names are those the server's CORS headers decide.
func TestAccessAllowedAndHeaderChecks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		h     http.Header
		creds bool
	}{
		{"wildcard", hdr(HeaderAllowOrigin, "*"), false},
		{"exact with credentials", hdr(HeaderAllowOrigin, page, HeaderAllowCredentials, "true"), true},
		{"missing", hdr(), false},
		{"wildcard with credentials", hdr(HeaderAllowOrigin, "*", HeaderAllowCredentials, "true"), true},
		{"mismatch", hdr(HeaderAllowOrigin, "https://other.example"), false},
	} {
		req := Request{Method: "GET", URL: "https://api.example.com/x", Origin: page, Credentials: tc.creds}
		resp := Message{Status: 200, Header: tc.h}
		d := Chromium.Evaluate(&Exchange{Request: req, Actual: []Hop{{Response: &resp}}})
		if got, want := AccessAllowed(tc.h[HeaderAllowOrigin], tc.h[HeaderAllowCredentials], &req), d.Verdict == Allowed; got != want {
			t.Errorf("%s: AccessAllowed = %v, Evaluate allowed = %v", tc.name, got, want)
		}
		if rep := d.Reported(); rep != nil && !IsHeaderCheck(rep.Code) {
			t.Errorf("%s: reported %s is not a header check", tc.name, rep.Code)
		}
	}
	for _, c := range []Code{CodeMissingAllowOrigin, CodePreflightWildcardCredentials, CodeHeaderNotAllowed, CodeInvalidAllowMethods} {
		if !IsHeaderCheck(c) {
			t.Errorf("IsHeaderCheck(%s) = false", c)
		}
	}
	for _, c := range []Code{CodePreflightStatus, CodePreflightRedirect, CodeActualNetwork, CodeLocalNetworkPermission, CodeMixedContent, CodeRedirectCredentials, CodeMissingVaryOrigin} {
		if IsHeaderCheck(c) {
			t.Errorf("IsHeaderCheck(%s) = true", c)
		}
	}
}

// PreflightAllowed is Evaluate's verdict on a request whose preflight
// answers with these headers (and whose actual answer passes).
func TestPreflightAllowed(t *testing.T) {
	ok := hdr(HeaderAllowOrigin, page, HeaderAllowCredentials, "true")
	for _, tc := range []struct {
		name  string
		h     http.Header
		creds bool
	}{
		{"listed", hdr(HeaderAllowOrigin, page, HeaderAllowMethods, "PUT", HeaderAllowHeaders, "Content-Type, X-Id"), false},
		{"wildcards", hdr(HeaderAllowOrigin, "*", HeaderAllowMethods, "*", HeaderAllowHeaders, "*"), false},
		{"wildcards with credentials", hdr(HeaderAllowOrigin, page, HeaderAllowCredentials, "true", HeaderAllowMethods, "*", HeaderAllowHeaders, "*"), true},
		{"method missing", hdr(HeaderAllowOrigin, page, HeaderAllowHeaders, "content-type, x-id"), false},
		{"method in lower case", hdr(HeaderAllowOrigin, page, HeaderAllowMethods, "put", HeaderAllowHeaders, "content-type, x-id"), false},
		{"header missing", hdr(HeaderAllowOrigin, page, HeaderAllowMethods, "PUT", HeaderAllowHeaders, "content-type"), false},
		{"bad list", hdr(HeaderAllowOrigin, page, HeaderAllowMethods, "PUT", HeaderAllowHeaders, "content-type, x id"), false},
		{"no origin", hdr(HeaderAllowMethods, "PUT", HeaderAllowHeaders, "content-type, x-id"), false},
		{"credentials, no ACAC", hdr(HeaderAllowOrigin, page, HeaderAllowMethods, "PUT", HeaderAllowHeaders, "content-type, x-id"), true},
	} {
		for _, p := range []*Profile{Chromium, Firefox, Safari} {
			req := Request{Method: "PUT", URL: "https://api.example.com/x", Origin: page, Credentials: tc.creds,
				Header: hdr("Content-Type", "application/json", "X-Id", "1"), ForcePreflight: true}
			pre := Message{Status: 204, Header: tc.h}
			actual := Message{Status: 200, Header: ok}
			d := p.Evaluate(&Exchange{Request: req, Preflight: &Hop{Response: &pre}, Actual: []Hop{{Response: &actual}}})
			got := p.PreflightAllowed(tc.h[HeaderAllowOrigin], tc.h[HeaderAllowCredentials], tc.h[HeaderAllowMethods], tc.h[HeaderAllowHeaders],
				"PUT", []string{"content-type", "x-id"}, &req)
			if want := d.Verdict == Allowed; got != want {
				t.Errorf("%s, %s: PreflightAllowed = %v, Evaluate allowed = %v (%v)", tc.name, p.Name, got, want, d.Reported())
			}
		}
	}
}
