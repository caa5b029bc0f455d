package cors

import (
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestNormalizeMethod(t *testing.T) {
	for in, want := range map[string]string{
		"get": "GET", "Post": "POST", "pUt": "PUT", "delete": "DELETE", "head": "HEAD", "options": "OPTIONS",
		"patch": "patch", "Patch": "Patch", "PATCH": "PATCH", "propfind": "propfind",
		// Only ASCII folds: U+017F (ſ) and U+0131 (ı) upper-case to S and I
		// in Unicode, but not in the standard's byte-uppercase.
		"poſt": "poſt", "optıons": "optıons", "": "",
	} {
		if got := NormalizeMethod(in); got != want {
			t.Errorf("NormalizeMethod(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMethodClasses(t *testing.T) {
	for _, tc := range []struct {
		m                              string
		safelisted, forbidden, changes bool
	}{
		{"GET", true, false, false}, {"HEAD", true, false, false}, {"POST", true, false, true},
		{"PUT", false, false, true}, {"DELETE", false, false, true}, {"OPTIONS", false, false, false},
		{"patch", false, false, true}, {"get", false, false, false},
		{"CONNECT", false, true, true}, {"trace", false, true, true}, {"Track", false, true, true},
	} {
		if got := IsSafelistedMethod(tc.m); got != tc.safelisted {
			t.Errorf("IsSafelistedMethod(%q) = %v", tc.m, got)
		}
		if got := IsForbiddenMethod(tc.m); got != tc.forbidden {
			t.Errorf("IsForbiddenMethod(%q) = %v", tc.m, got)
		}
		if got := IsStateChanging(tc.m); got != tc.changes {
			t.Errorf("IsStateChanging(%q) = %v", tc.m, got)
		}
	}
}

func TestIsForbiddenHeader(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        bool
	}{
		{"Cookie", "a=b", true}, {"ORIGIN", "x", true}, {"Host", "x", true}, {"Content-Length", "1", true},
		{"Accept-Encoding", "gzip", true}, {"Access-Control-Request-Headers", "x", true}, {"DNT", "1", true},
		{"Keep-Alive", "x", true}, {"Referer", "x", true}, {"TE", "x", true}, {"Via", "x", true},
		{"Sec-Fetch-Mode", "cors", true}, {"sec-ch-ua", "x", true}, {"Proxy-Authorization", "x", true},
		{"Authorization", "x", false}, {"Content-Type", "x", false}, {"X-Api-Key", "x", false},
		{"User-Agent", "x", false}, // the standard allows it; Chromium's profile forbids it
		{"X-HTTP-Method-Override", "TRACE", true}, {"X-HTTP-Method", "get, connect", true},
		{"X-Method-Override", " track ", true}, {"X-HTTP-Method-Override", "PATCH", false},
		// "get, decode, and split" keeps quoted strings whole.
		{"X-HTTP-Method-Override", `"TRACE"`, false}, {"X-HTTP-Method-Override", `"a,b", TRACE`, true},
		// The Kelvin sign lower-cases to k in Unicode, not in ASCII.
		{"\u212aeep-alive", "x", false},
	} {
		if got := IsForbiddenHeader(tc.name, tc.value); got != tc.want {
			t.Errorf("IsForbiddenHeader(%q, %q) = %v, want %v", tc.name, tc.value, got, tc.want)
		}
	}
}

func TestPlanRequest(t *testing.T) {
	long := strings.Repeat("a", 128)
	digits := strings.Repeat("1", 128)
	for _, tc := range []struct {
		name      string
		profile   *Profile
		method    string
		header    http.Header
		origin    string
		force     bool
		preflight bool
		acrh      string // Access-Control-Request-Headers
		dropped   []string
		chromium  []string
		reasonHas string
		method2   string // Plan.Method when not the upper-cased input
	}{
		{name: "simple GET", method: "GET"},
		{name: "empty method is GET", method: "", method2: "GET"},
		{name: "POST form", method: "POST", header: hdr("Content-Type", "application/x-www-form-urlencoded")},
		{name: "PUT", method: "PUT", preflight: true, reasonHas: "method PUT is not CORS-safelisted"},
		{name: "patch stays lower case", method: "patch", preflight: true, method2: "patch"},
		{name: "delete is upper-cased", method: "delete", preflight: true, method2: "DELETE"},
		{name: "forced preflight", method: "GET", force: true, preflight: true, reasonHas: "forced"},
		{name: "same-origin is never preflighted", method: "PUT", origin: "https://api.example.com", header: hdr("X-A", "1"), acrh: "x-a"},

		// Content-Type: the MIME type before ';', parameters ignored.
		{name: "text/plain with charset", method: "POST", header: hdr("Content-Type", "text/plain;charset=UTF-8")},
		{name: "multipart with boundary", method: "POST", header: hdr("Content-Type", "multipart/form-data; boundary=----x")},
		{name: "upper-case type", method: "POST", header: hdr("Content-Type", "TEXT/Plain")},
		{name: "surrounding whitespace", method: "POST", header: hdr("Content-Type", "  text/plain\t")},
		{name: "application/json", method: "POST", header: hdr("Content-Type", "application/json"), preflight: true, acrh: "content-type", reasonHas: "only application/x-www-form-urlencoded"},
		{name: "space inside the type", method: "POST", header: hdr("Content-Type", "text /plain"), preflight: true, acrh: "content-type"},
		{name: "quoted parameter has an unsafe byte", method: "POST", header: hdr("Content-Type", `text/plain; charset="utf-8"`), preflight: true, acrh: "content-type", reasonHas: "byte that is not allowed"},
		{name: "two Content-Type values combine", method: "POST", header: hdr("Content-Type", "text/plain", "Content-Type", "text/plain"), preflight: true, acrh: "content-type"},

		// Accept, Accept-Language, Content-Language.
		{name: "Accept any safe bytes", method: "GET", header: hdr("Accept", "application/json, text/*;q=0.8")},
		{name: "Accept with an unsafe byte", method: "GET", header: hdr("Accept", "application/(json)"), preflight: true, acrh: "accept"},
		{name: "Accept-Language", method: "GET", header: hdr("Accept-Language", "en-US,en;q=0.9, *")},
		{name: "Accept-Language underscore", method: "GET", header: hdr("Accept-Language", "en_US"), preflight: true, acrh: "accept-language"},
		{name: "Content-Language slash", method: "GET", header: hdr("Content-Language", "en/us"), preflight: true, acrh: "content-language"},
		{name: "two Accept values combine into one safe value", method: "GET", header: hdr("Accept", "text/html", "Accept", "application/json")},

		// Range: a single bytes=N- or bytes=N-M.
		{name: "Range start-end", method: "GET", header: hdr("Range", "bytes=0-499")},
		{name: "Range open end", method: "GET", header: hdr("Range", "bytes=500-")},
		{name: "Range unit case", method: "GET", header: hdr("Range", "Bytes=0-1")},
		{name: "Range suffix", method: "GET", header: hdr("Range", "bytes=-500"), preflight: true, acrh: "range", reasonHas: "single bytes=N-"},
		{name: "Range two ranges", method: "GET", header: hdr("Range", "bytes=0-1,5-6"), preflight: true, acrh: "range"},
		{name: "Range whitespace", method: "GET", header: hdr("Range", "bytes= 0-1"), preflight: true, acrh: "range"},
		{name: "Range start after end", method: "GET", header: hdr("Range", "bytes=5-3"), preflight: true, acrh: "range"},
		{name: "Range past int64", method: "GET", header: hdr("Range", "bytes=99999999999999999999-"), preflight: true, acrh: "range"},
		{name: "Range other unit", method: "GET", header: hdr("Range", "items=0-1"), preflight: true, acrh: "range"},

		// Length limits.
		{name: "128-byte value", method: "GET", header: hdr("Accept", long)},
		{name: "129-byte value", method: "GET", header: hdr("Accept", long+"a"), preflight: true, acrh: "accept", reasonHas: "longer than 128 bytes"},
		{name: "1024-byte total is still safe", method: "GET", header: hdr("Accept", long, "Accept-Language", long, "Content-Language", long,
			"Intervention", long, "Device-Memory", digits, "DPR", digits, "Downlink", digits, "Width", digits),
			chromium: []string{"device-memory", "downlink", "dpr", "intervention", "width"}},
		{name: "1025-byte total makes every name unsafe", method: "GET", header: hdr("Accept", long, "Accept-Language", long, "Content-Language", long,
			"Intervention", long, "Device-Memory", digits, "DPR", digits, "Downlink", digits, "Width", digits, "Viewport-Width", "1"),
			preflight: true, acrh: "accept,accept-language,content-language,device-memory,downlink,dpr,intervention,viewport-width,width",
			reasonHas: "add up to 1025 bytes, more than 1024"},

		// Unsafe names, forbidden names, the exact request-headers value.
		{name: "sorted lower-case, no spaces", method: "GET", header: hdr("X-Zeta", "1", "Authorization", "Bearer t", "x-alpha", "2", "Content-Type", "application/json"),
			preflight: true, acrh: "authorization,content-type,x-alpha,x-zeta"},
		{name: "one name in two spellings", method: "GET", header: http.Header{"X-Api-Key": {"1"}, "x-api-key": {"2"}}, preflight: true, acrh: "x-api-key"},
		{name: "forbidden headers dropped", method: "GET", header: hdr("Cookie", "a=b", "Origin", "x", "Sec-Fetch-Site", "x", "X-HTTP-Method-Override", "TRACE"),
			dropped: []string{"Cookie", "Origin", "Sec-Fetch-Site", "X-Http-Method-Override"}},
		{name: "method override to PATCH counts as unsafe", method: "POST", header: hdr("X-HTTP-Method-Override", "PATCH"), preflight: true, acrh: "x-http-method-override"},
		{name: "invalid header name dropped", method: "GET", header: http.Header{"X Bad": {"1"}, ":authority": {"x"}}, dropped: []string{":authority", "X Bad"}},
		{name: "header value with a newline dropped", method: "GET", header: hdr("X-A", "a\nb"), dropped: []string{"X-A"}},
		{name: "User-Agent is forbidden in Chromium", method: "GET", header: hdr("User-Agent", "bot"), dropped: []string{"User-Agent"}},
		{name: "User-Agent needs a preflight in Firefox", profile: Firefox, method: "GET", header: hdr("User-Agent", "bot"), preflight: true, acrh: "user-agent"},

		// Chromium's client hints.
		{name: "DPR decimal", method: "GET", header: hdr("DPR", "2.5"), chromium: []string{"dpr"}},
		{name: "DPR not a number", method: "GET", header: hdr("DPR", "2."), preflight: true, acrh: "dpr", reasonHas: "well-formed value"},
		{name: "Width integer", method: "GET", header: hdr("Width", "640", "Viewport-Width", "1280", "RTT", "50"), chromium: []string{"rtt", "viewport-width", "width"}},
		{name: "Width decimal is unsafe", method: "GET", header: hdr("Width", "6.5"), preflight: true, acrh: "width"},
		{name: "ECT", method: "GET", header: hdr("ECT", "4g", "Downlink", "10.0", "Device-Memory", "8", "Save-Data", "ON"), chromium: []string{"device-memory", "downlink", "ect", "save-data"}},
		{name: "ECT unknown", method: "GET", header: hdr("ECT", "5g"), preflight: true, acrh: "ect"},
		{name: "Save-Data off", method: "GET", header: hdr("Save-Data", "off"), preflight: true, acrh: "save-data"},
		{name: "client hints in Firefox", profile: Firefox, method: "GET", header: hdr("DPR", "2"), preflight: true, acrh: "dpr"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.profile
			if p == nil {
				p = Chromium
			}
			origin := tc.origin
			if origin == "" {
				origin = page
			}
			r := &Request{Method: tc.method, URL: "https://api.example.com/x", Origin: origin, Header: tc.header, ForcePreflight: tc.force}
			pl := p.PlanRequest(r)
			want := tc.method2
			if want == "" {
				want = strings.ToUpper(tc.method)
			}
			if pl.Method != want {
				t.Errorf("Method %q, want %q", pl.Method, want)
			}
			if pl.Preflight != tc.preflight {
				t.Errorf("Preflight %v, want %v (reasons %q)", pl.Preflight, tc.preflight, pl.Reasons)
			}
			if pl.RequestHeaders != tc.acrh {
				t.Errorf("RequestHeaders %q, want %q", pl.RequestHeaders, tc.acrh)
			}
			if strings.Join(pl.UnsafeHeaders, ",") != pl.RequestHeaders {
				t.Errorf("UnsafeHeaders %q disagree with RequestHeaders %q", pl.UnsafeHeaders, pl.RequestHeaders)
			}
			if !slices.Equal(sorted(pl.Dropped), tc.dropped) {
				t.Errorf("Dropped %q, want %q", pl.Dropped, tc.dropped)
			}
			if !slices.Equal(sorted(pl.ChromiumOnly), tc.chromium) {
				t.Errorf("ChromiumOnly %q, want %q", pl.ChromiumOnly, tc.chromium)
			}
			if tc.reasonHas != "" {
				mustContain(t, "Reasons", strings.Join(pl.Reasons, "; "), tc.reasonHas)
			}
			for _, d := range pl.Dropped {
				if _, ok := pl.AuthorHeaders[d]; ok {
					t.Errorf("dropped header %s is still in AuthorHeaders", d)
				}
			}
		})
	}
}

func sorted(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func TestPlanAuthorHeaders(t *testing.T) {
	pl := Chromium.PlanRequest(&Request{Method: "GET", URL: api, Origin: page,
		Header: http.Header{"accept": {" text/html "}, "Accept": {"application/json"}, "Cookie": {"a"}}})
	if got := pl.AuthorHeaders["Accept"]; !slices.Equal(got, []string{"application/json, text/html"}) {
		t.Errorf("AuthorHeaders[Accept] = %q: values are normalized and combined on one line", got)
	}
	if len(pl.AuthorHeaders) != 1 {
		t.Errorf("AuthorHeaders = %v", pl.AuthorHeaders)
	}
}

// TestPlanSharesAuthorHeaders: a request's Header already in the plan's
// form is the plan's AuthorHeaders itself; any other is copied into that
// form, and the request's own map is left as it was.
func TestPlanSharesAuthorHeaders(t *testing.T) {
	for _, tc := range []struct {
		name   string
		h      http.Header
		shared bool
	}{
		{"canonical, one value each", http.Header{"Accept": {"*/*"}, "X-Request-Id": {"7"}}, true},
		{"empty", http.Header{}, true},
		{"key not canonical", http.Header{"x-request-id": {"7"}}, false},
		{"value trimmed", http.Header{"X-Request-Id": {" 7"}}, false},
		{"two values joined", http.Header{"X-A": {"1", "2"}}, false},
		{"a header dropped", http.Header{"X-A": {"1"}, "Cookie": {"c"}}, false},
		{"two keys, one name", http.Header{"X-A": {"1"}, "x-a": {"2"}}, false},
	} {
		before := tc.h.Clone()
		pl := Chromium.PlanRequest(&Request{Method: "PUT", URL: api, Origin: page, Header: tc.h})
		if shared := reflect.ValueOf(pl.AuthorHeaders).UnsafePointer() == reflect.ValueOf(tc.h).UnsafePointer(); shared != tc.shared {
			t.Errorf("%s: AuthorHeaders shared = %v, want %v", tc.name, shared, tc.shared)
		}
		if !reflect.DeepEqual(tc.h, before) {
			t.Errorf("%s: the request's Header changed to %v", tc.name, tc.h)
		}
		for k, vs := range pl.AuthorHeaders {
			if k != http.CanonicalHeaderKey(k) || len(vs) != 1 || vs[0] != strings.TrimSpace(vs[0]) {
				t.Errorf("%s: AuthorHeaders = %q: want canonical keys, one trimmed value each", tc.name, pl.AuthorHeaders)
			}
		}
	}
}

// TestPlanDroppedOrder: dropped headers are listed in the order of their
// keys, whichever way the map is walked.
func TestPlanDroppedOrder(t *testing.T) {
	h := http.Header{"X-B": {"ok"}, "Cookie": {"a"}, "X Bad": {"1"}, "A-Ok": {"1"}, "Via": {"p"}, "x-b": {"2"}, "Dnt": {"1"}}
	for range 20 {
		pl := Chromium.PlanRequest(&Request{Method: "GET", URL: api, Origin: page, Header: h})
		if want := []string{"Cookie", "Dnt", "Via", "X Bad"}; !slices.Equal(pl.Dropped, want) {
			t.Fatalf("Dropped = %q, want %q", pl.Dropped, want)
		}
		if got := pl.AuthorHeaders["X-B"]; !slices.Equal(got, []string{"ok, 2"}) {
			t.Fatalf("AuthorHeaders[X-B] = %q", got)
		}
	}
}

func TestPlanForbiddenMethod(t *testing.T) {
	for m, want := range map[string]bool{"TRACE": true, "connect": true, "GE T": true, "GET": false, "patch": false, "M-SEARCH": false} {
		if got := Chromium.PlanRequest(&Request{Method: m, URL: api, Origin: page}).Forbidden; got != want {
			t.Errorf("PlanRequest(%q).Forbidden = %v, want %v", m, got, want)
		}
	}
}

// TestReasonCache: a cached reason is the text built afresh, from any
// number of goroutines, and past the bound the texts are still right.
func TestReasonCache(t *testing.T) {
	c := reasonCache{text: func(a, b string) string { return a + "|" + b }}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2*maxReasons; i++ {
				a, b := strconv.Itoa(i%(maxReasons+50)), strconv.Itoa(g%2)
				if got := c.get(a, b); got != a+"|"+b {
					t.Errorf("get(%q, %q) = %q", a, b, got)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := len(c.cache.load()); n != maxReasons {
		t.Errorf("%d texts cached, want the bound %d", n, maxReasons)
	}
	pl := Chromium.PlanRequest(&Request{Method: "PATCH", URL: api, Origin: page, Header: hdr("X-A", "1")})
	want := []string{"method PATCH is not CORS-safelisted (only GET, HEAD and POST are)", "header x-a is not CORS-safelisted"}
	for range 2 { // built, then cached
		if !slices.Equal(pl.Reasons, want) {
			t.Errorf("Reasons = %q, want %q", pl.Reasons, want)
		}
		pl = Chromium.PlanRequest(&Request{Method: "PATCH", URL: api, Origin: page, Header: hdr("X-A", "2")})
	}
}

// isSame is PlanRequest's same-origin test.
func isSame(r *Request) bool { return r.Origin != "" && sameOrigin(canonicalOrigin(r.Origin), r.URL) }

// checkPlanCache: the plan of r built afresh, then cached, then read from
// the cache, is the plan built without a cache, and so is its
// CodePreflightReasons message.
func checkPlanCache(t *testing.T, p *Profile, r *Request) {
	t.Helper()
	want, _ := p.plan(r, nil, isSame(r))
	cache := &planCache{}
	for _, from := range []string{"built", "cached"} {
		got, text := p.plan(r, cache, isSame(r))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: %s plan of %v\n = %+v\nwant %+v", p.Name, from, r.Header, got, want)
		}
		if text != "" && (!want.Preflight || text != preflightText(want.Reasons)) {
			t.Fatalf("%s: %s message %q, want %q", p.Name, from, text, preflightText(want.Reasons))
		}
	}
}

// TestPlanCache: requests that differ in what decides their plan (method,
// names, a safelisted name's value, the forced flag, the same-origin rule)
// get their own plans from the cache; requests that differ in the value of
// a header that is never safelisted share one.
func TestPlanCache(t *testing.T) {
	long := strings.Repeat("a", 129)
	reqs := []*Request{
		{Method: "PUT", Header: hdr("Content-Type", "application/json", "X-Request-Id", "1")},
		{Method: "PUT", Header: hdr("Content-Type", "application/json", "X-Request-Id", "2")},
		{Method: "PUT", Header: hdr("Content-Type", "text/plain", "X-Request-Id", "1")},
		{Method: "put", Header: hdr("Content-Type", "text/plain; charset=utf-8")},
		{Method: "POST", Header: hdr("Content-Type", "text/plain")},
		{Method: "POST", Header: hdr("Content-Type", "text/plain"), ForcePreflight: true},
		{Method: "GET", Header: hdr("Accept", long)},
		{Method: "GET", Header: hdr("Accept", "*/*", "Accept-Language", strings.Repeat("en, ", 128), "Content-Language", strings.Repeat("de, ", 100))},
		{Method: "GET", Header: hdr("Range", "bytes=0-1")},
		{Method: "GET", Header: hdr("Range", "bytes=1-0")},
		{Method: "GET", Header: hdr("DPR", "2.0")},
		{Method: "GET", Header: hdr("DPR", "two")},
		{Method: "GET", Header: hdr("X-A", long)},
		{Method: "GET", Header: hdr("Cookie", "a", "X-A", "1")},
		{Method: "GET", Header: hdr("X-HTTP-Method-Override", "TRACE")},
		{Method: "PATCH"},
		{Method: "GE T"},
		{Method: "PUT", Header: hdr("X-A", "1"), URL: page + "/same"},
	}
	for _, p := range AllProfiles {
		for _, r := range reqs {
			r := *r
			if r.URL == "" {
				r.URL = api
			}
			r.Origin = page
			checkPlanCache(t, p, &r)
			for range 2 { // the shared cache: built or read
				got, text := p.plan(&r, p.planCache(), isSame(&r))
				if want, _ := p.plan(&r, nil, isSame(&r)); !reflect.DeepEqual(got, want) {
					t.Errorf("%s %s %v: PlanRequest = %+v, want %+v", p.Name, r.Method, r.Header, got, want)
				}
				if text != "" && (!got.Preflight || text != preflightText(got.Reasons)) {
					t.Errorf("%s %s %v: message %q", p.Name, r.Method, r.Header, text)
				}
			}
		}
	}
	a, _ := Chromium.plan(&Request{Method: "PUT", URL: api, Origin: page, Header: hdr("X-Request-Id", "1")}, Chromium.planCache(), false)
	b, _ := Chromium.plan(&Request{Method: "PUT", URL: api, Origin: page, Header: hdr("X-Request-Id", "2")}, Chromium.planCache(), false)
	if &a.Reasons[0] != &b.Reasons[0] {
		t.Error("two requests that differ only in an unsafe header's value do not share a plan")
	}
	if cap(a.Reasons) != len(a.Reasons) {
		t.Error("a cached plan's Reasons has room to append in place")
	}
}

// TestHeaderNames: what the rules read of a name is the same worked out
// afresh, from the cache of names, and past the cache's bound.
func TestHeaderNames(t *testing.T) {
	names := []string{"X-Request-Id", "x-request-id", "Content-Type", "Cookie", "Sec-Fetch-Mode", "Proxy-X", "X-HTTP-Method-Override",
		"X-ÄÖ", "X Bad", "x_under", ""}
	for i := 0; i < maxSeenNames+10; i++ {
		names = append(names, "X-Name-"+strconv.Itoa(i))
	}
	for range 2 {
		for _, k := range names {
			n := nameOf(k)
			if n.lower != asciiLower(k) || n.token != isToken(k) || n.token && n.canonical != http.CanonicalHeaderKey(k) || !n.token && n.canonical != "" {
				t.Fatalf("nameOf(%q) = %+v", k, n)
			}
			for _, v := range []string{"", "TRACE", "get"} {
				if got, want := n.forbidden || n.methodOverride && overridesForbidden(v), isForbiddenLower(asciiLower(k), v); got != want {
					t.Fatalf("nameOf(%q) forbids %q: %v, want %v", k, v, got, want)
				}
			}
		}
	}
	if n, limit := len(headerNames.load()), len(lowerNames)+maxSeenNames; n != limit {
		t.Errorf("%d names cached, want the bound %d", n, limit)
	}
}

// TestURLIncludesCredentials follows the URL standard: a URL "includes
// credentials" when its username or password is not empty.
func TestURLIncludesCredentials(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://alice:s3cret@api.example.com/items", true},
		{"https://alice@api.example.com/items", true},
		{"https://:s3cret@api.example.com/", true},
		{"http://a%40b:p%3Aw@127.0.0.1:8080/x", true},
		{"https://@api.example.com/", false},
		{"https://:@api.example.com/", false},
		{"https://api.example.com/users/@alice", false},
		{"https://api.example.com/?next=u:p@evil.example", false},
		{"https://api.example.com/#u:p@x", false},
		{"https://api.example.com", false},
		{"not a url", false},
	}
	for _, tt := range tests {
		if got := URLIncludesCredentials(tt.url); got != tt.want {
			t.Errorf("URLIncludesCredentials(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestHeaderValueFault(t *testing.T) {
	for _, tc := range []struct {
		value string
		at    int
		why   string
	}{
		{"", -1, ""},
		{"Bearer abc", -1, ""},
		{"a\tb", -1, ""},
		{" \r\nvalue\n", -1, ""}, // surrounding whitespace: fetch() strips it
		{"é ünïcode", -1, ""},
		{"a\x01b", 1, "(0x01), which corsdiag's HTTP client cannot send"},
		{"  a\x7f", 3, "(0x7f), which corsdiag's HTTP client cannot send"},
		{"a\nb", 1, "(0x0a): a line break or NUL, which fetch() refuses"},
		{"\tab\x00", 3, "(0x00): a line break or NUL"},
	} {
		at, why := HeaderValueFault(tc.value)
		if at != tc.at || !strings.Contains(why, tc.why) {
			t.Errorf("HeaderValueFault(%q) = %d, %q; want %d, %q", tc.value, at, why, tc.at, tc.why)
		}
	}
}
