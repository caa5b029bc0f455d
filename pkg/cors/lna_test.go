package cors

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

func TestAddressSpaceOf(t *testing.T) {
	tests := []struct {
		ip   string
		want AddressSpace
	}{
		{"127.0.0.1", SpaceLoopback},
		{"127.255.0.9", SpaceLoopback},
		{"::1", SpaceLoopback},
		{"0.0.0.0", SpaceLoopback},
		{"::", SpaceLoopback},
		{"::ffff:127.0.0.1", SpaceLoopback},
		{"10.1.2.3", SpaceLocal},
		{"172.16.0.1", SpaceLocal},
		{"172.31.255.255", SpaceLocal},
		{"172.32.0.1", SpacePublic},
		{"192.168.1.10", SpaceLocal},
		{"::ffff:192.168.1.10", SpaceLocal},
		{"169.254.169.254", SpaceLocal},
		{"100.64.0.1", SpaceLocal},
		{"100.128.0.1", SpacePublic},
		{"0.1.2.3", SpaceLocal},
		{"fd12:3456::1", SpaceLocal},
		{"fe80::1", SpaceLocal},
		{"2001:db8::1", SpaceLocal},
		{"8.8.8.8", SpacePublic},
		{"203.0.113.7", SpacePublic},
		{"2606:4700::1111", SpacePublic},
	}
	for _, tc := range tests {
		if got := AddressSpaceOf(netip.MustParseAddr(tc.ip)); got != tc.want {
			t.Errorf("AddressSpaceOf(%s) = %q, want %q", tc.ip, got, tc.want)
		}
	}
	if got := AddressSpaceOf(netip.Addr{}); got != SpaceUnknown {
		t.Errorf("AddressSpaceOf(zero) = %q, want unknown", got)
	}
}

func TestRemoteAddressSpace(t *testing.T) {
	tests := []struct {
		addr string
		want AddressSpace
	}{
		{"127.0.0.1:8080", SpaceLoopback},
		{"127.0.0.1", SpaceLoopback},
		{"[::1]:443", SpaceLoopback},
		{"[::1]", SpaceLoopback},
		{"::1", SpaceLoopback},
		{"[fe80::1%eth0]:80", SpaceLocal},
		{"192.168.1.10:80", SpaceLocal},
		{" 93.184.215.14 ", SpacePublic},
		{"", SpaceUnknown},
		{"   ", SpaceUnknown},
		{"10.1.2.3", SpaceLocal},
		{"[10.1.2.3]", SpaceLocal},
		{"::ffff:127.0.0.1", SpaceLoopback},
		{"localhost:8080", SpaceUnknown},
		{"not an address", SpaceUnknown},
	}
	for _, tc := range tests {
		if got := RemoteAddressSpace(tc.addr); got != tc.want {
			t.Errorf("RemoteAddressSpace(%q) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

func TestPageAddressSpace(t *testing.T) {
	tests := []struct {
		origin string
		given  AddressSpace
		want   AddressSpace
	}{
		{"https://app.example.com", "", SpacePublic},
		{"http://localhost:3000", "", SpaceLoopback},
		{"http://dev.localhost:3000", "", SpaceLoopback},
		{"http://127.0.0.1:5173", "", SpaceLoopback},
		{"http://[::1]:5173", "", SpaceLoopback},
		{"http://192.168.1.20:8000", "", SpaceLocal},
		{"https://8.8.8.8", "", SpacePublic},
		{"null", "", SpaceUnknown},
		{"", "", SpaceUnknown},
		// The user's word wins: an intranet page on a name.
		{"https://intranet.corp", SpaceLocal, SpaceLocal},
		{"http://localhost:3000", SpacePublic, SpacePublic},
	}
	for _, tc := range tests {
		r := &Request{Origin: tc.origin, PageAddressSpace: tc.given}
		if got := PageAddressSpace(r); got != tc.want {
			t.Errorf("PageAddressSpace(%q, given %q) = %q, want %q", tc.origin, tc.given, got, tc.want)
		}
	}
}

func TestParseAddressSpace(t *testing.T) {
	for in, want := range map[string]AddressSpace{"public": SpacePublic, "Local": SpaceLocal, " loopback ": SpaceLoopback} {
		got, err := ParseAddressSpace(in)
		if err != nil || got != want {
			t.Errorf("ParseAddressSpace(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "private", "unknown", "lan"} {
		if _, err := ParseAddressSpace(in); err == nil {
			t.Errorf("ParseAddressSpace(%q) accepted it", in)
		}
	}
}

func TestPotentiallyTrustworthy(t *testing.T) {
	for origin, want := range map[string]bool{
		"https://app.example.com": true,
		"http://app.example.com":  false,
		"http://localhost:3000":   true,
		"http://a.localhost":      true,
		"http://127.0.0.1:8080":   true,
		"http://[::1]:8080":       true,
		"http://192.168.1.2":      false,
		"null":                    false,
	} {
		if got := potentiallyTrustworthy(origin); got != want {
			t.Errorf("potentiallyTrustworthy(%q) = %v, want %v", origin, got, want)
		}
	}
}

// onAddr puts every hop of ex (and its preflight) on addr.
func onAddr(ex *Exchange, addr string) *Exchange {
	if ex.Preflight != nil {
		ex.Preflight.RemoteAddress = addr
	}
	for i := range ex.Actual {
		ex.Actual[i].RemoteAddress = addr
	}
	return ex
}

// Local Network Access cases for TestEvaluate. The console lines are the
// ones Chromium 156 printed with --ip-address-space-overrides making the
// page's server public (see docs/findings/local-network-access-*.md).
func lnaEvalCases() []evalCase {
	const localAPI = "http://localhost:8080/v1/items"
	const insecurePage = "http://app.example.com"
	from := func(origin string, r Request) Request { r.Origin, r.URL = origin, localAPI; return r }
	local := func(r Request) *Exchange {
		return onAddr(exch(r, nil, res(200, HeaderAllowOrigin, "*")), "127.0.0.1:8080")
	}
	localPut := func(r Request) *Exchange {
		return onAddr(exch(r, res(204, HeaderAllowOrigin, "*", HeaderAllowMethods, "PUT", HeaderAllowHeaders, "Content-Type"), res(200, HeaderAllowOrigin, "*")), "127.0.0.1:8080")
	}
	insecureMsg := "Access to fetch at '" + localAPI + "' from origin '" + insecurePage + "' has been blocked by CORS policy: The request client is not a secure context and the resource is in more-private address space `loopback`."
	// https: from the https page, http://192.168.1.10 would be mixed content.
	redirectToLAN := exch(get(), nil, res(302, "Location", "https://192.168.1.10/items", HeaderAllowOrigin, "*"), res(200, HeaderAllowOrigin, "*"))
	redirectToLAN.Actual[0].RemoteAddress = "93.184.215.14:443"
	redirectToLAN.Actual[1].RemoteAddress = "192.168.1.10:443"
	redirectToLANInsecure := exch(from(insecurePage, get()), nil, res(302, "Location", "http://192.168.1.10/items", HeaderAllowOrigin, "*"), res(200, HeaderAllowOrigin, "*"))
	redirectToLANInsecure.Request.URL = api
	redirectToLANInsecure.Actual[0].RemoteAddress = "93.184.215.14:443"
	redirectToLANInsecure.Actual[1].RemoteAddress = "192.168.1.10:80"
	localPage := from(insecurePage, get())
	localPage.PageAddressSpace = SpaceLocal
	unknown := local(from(insecurePage, get()))
	unknown.Actual[0].RemoteAddress = ""
	return []evalCase{
		{name: "LNA: http page to loopback is blocked", ex: local(from(insecurePage, get())), verdict: Blocked,
			reported: CodeLocalNetworkInsecure, browser: insecureMsg, msgHas: "not a secure context"},
		{name: "LNA: http page, preflighted request: nothing is sent, the preflight is not judged", ex: localPut(from(insecurePage, put())), verdict: Blocked,
			reported: CodeLocalNetworkInsecure, browser: insecureMsg, also: []Code{CodePreflightReasons}, absent: []Code{CodeLocalNetworkPermission}},
		{name: "LNA: https page to loopback needs the permission", ex: local(from(page, get())), verdict: Allowed,
			also: []Code{CodeLocalNetworkPermission}, absent: []Code{CodeLocalNetworkInsecure}},
		{name: "LNA: https page, preflighted: one permission warning", ex: localPut(from(page, put())), verdict: Allowed,
			also: []Code{CodeLocalNetworkPermission, CodePreflightReasons}},
		{name: "LNA: the permission does not hide a CORS error", ex: onAddr(exch(from(page, get()), nil, res(200)), "127.0.0.1:8080"), verdict: Blocked,
			reported: CodeMissingAllowOrigin, browser: console(localAPI, page, detail(CodeMissingAllowOrigin, "")), also: []Code{CodeLocalNetworkPermission}},
		{name: "LNA: public server to public server is not gated", ex: onAddr(exch(get(), nil, okActual()), "93.184.215.14:443"), verdict: Allowed,
			absent: []Code{CodeLocalNetworkPermission, CodeLocalNetworkInsecure}},
		{name: "LNA: a loopback page to loopback is not gated", ex: local(from("http://localhost:3000", get())), verdict: Allowed,
			absent: []Code{CodeLocalNetworkPermission, CodeLocalNetworkInsecure}},
		{name: "LNA: a local page to loopback is not gated", ex: local(localPage), verdict: Allowed,
			absent: []Code{CodeLocalNetworkPermission, CodeLocalNetworkInsecure}},
		{name: "LNA: no remote address recorded, no judgement", ex: unknown, verdict: Allowed,
			absent: []Code{CodeLocalNetworkPermission, CodeLocalNetworkInsecure}},
		{name: "LNA: a redirect to a LAN address needs the permission", ex: redirectToLAN, verdict: Allowed,
			also: []Code{CodeLocalNetworkPermission}},
		{name: "LNA: a redirect to a LAN address from an http page is blocked", ex: redirectToLANInsecure, verdict: Blocked,
			reported: CodeLocalNetworkInsecure, msgHas: "192.168.1.10 in the local address space",
			browser: "Access to fetch at 'http://192.168.1.10/items' (redirected from '" + api + "') from origin '" + insecurePage + "' has been blocked by CORS policy: The request client is not a secure context and the resource is in more-private address space `local`."},
	}
}

// The permission finding is a warning, so TestEvaluate does not check its
// fields: check them here.
func TestLocalNetworkPermissionFinding(t *testing.T) {
	tests := []struct {
		name, addr, browser, msgHas string
	}{
		{"loopback", "127.0.0.1:8080",
			"Access to fetch at 'http://localhost:8080/v1/items' from origin 'https://app.example.com' has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space.",
			"loopback-network permission"},
		{"local", "[fd00::5]:8080",
			"Access to fetch at 'http://localhost:8080/v1/items' from origin 'https://app.example.com' has been blocked by CORS policy: Permission was denied for this request to access the `local` address space.",
			"at fd00::5 in the local address space"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := get()
			r.URL = "http://localhost:8080/v1/items"
			d := Evaluate(onAddr(exch(r, nil, okActual()), tc.addr))
			f := find(d, CodeLocalNetworkPermission)
			if f == nil {
				t.Fatalf("no %s; findings %v", CodeLocalNetworkPermission, codes(d))
			}
			if f.BrowserMessage != tc.browser {
				t.Errorf("BrowserMessage\n got %q\nwant %q", f.BrowserMessage, tc.browser)
			}
			if f.CorsError != "LocalNetworkAccessPermissionDenied" || f.Step != "actual" || f.Reported {
				t.Errorf("finding %+v: want CorsError LocalNetworkAccessPermissionDenied, step actual, not reported", f)
			}
			mustContain(t, "Message", f.Message, tc.msgHas)
		})
	}
}

// Firefox ESR 153 asks for every public page, secure or not, and logs its
// informational line before the failure; a refused preflight logs only the
// failure, twice (the lines the conformance suite's lna-* scenarios
// recorded).
func TestFirefoxLocalNetworkLines(t *testing.T) {
	const url = "http://localhost:8080/v1/items"
	failed := "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at " + url + ". (Reason: CORS request did not succeed). Status code: (null)."
	required := func(origin, addr, secure string) string {
		return "Local Network Access permission required: top-level site “" + origin + "/”, initiator “" + origin + "/”, attempting to access target “" + url + "” (" + addr + ") via fetch. Secure context: " + secure
	}
	viaXHR := strings.Replace(required(page, "127.0.0.1:8080", "True"), "via fetch", "via xhr", 1)
	tests := []struct {
		name   string
		req    Request
		pre    *Message
		addr   string
		chrome Code // Chromium's finding for the same exchange
		lines  []string
	}{
		{"secure page, loopback", Request{Method: "GET", URL: url, Origin: page}, nil, "127.0.0.1:8080", CodeLocalNetworkPermission,
			[]string{required(page, "127.0.0.1:8080", "True"), failed}},
		{"secure page, private address", Request{Method: "GET", URL: url, Origin: page}, nil, "192.168.1.10:8080", CodeLocalNetworkPermission,
			[]string{required(page, "192.168.1.10:8080", "True"), failed}},
		{"non-secure page is asked too", Request{Method: "GET", URL: url, Origin: "http://app.example.com"}, nil, "127.0.0.1:8080", CodeLocalNetworkInsecure,
			[]string{required("http://app.example.com", "127.0.0.1:8080", "False"), failed}},
		{"XMLHttpRequest", Request{Method: "GET", URL: url, Origin: page, Initiator: "XMLHttpRequest"}, nil, "127.0.0.1:8080", CodeLocalNetworkPermission,
			[]string{viaXHR, failed}},
		{"preflight", Request{Method: "PUT", URL: url, Origin: page, Header: hdr("Content-Type", "application/json")}, okPreflight(), "127.0.0.1:8080", CodeLocalNetworkPermission,
			[]string{failed, failed}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex := onAddr(exch(tc.req, tc.pre, okActual()), tc.addr)
			d := Firefox.Evaluate(ex)
			if d.Has(CodeLocalNetworkInsecure) {
				t.Errorf("Firefox reports %s; it asks instead", CodeLocalNetworkInsecure)
			}
			f := find(d, CodeLocalNetworkPermission)
			if f == nil {
				t.Fatalf("no %s; findings %v", CodeLocalNetworkPermission, codes(d))
			}
			if got := Firefox.Lines(f); !reflect.DeepEqual(got, tc.lines) {
				t.Errorf("lines\n got %q\nwant %q", got, tc.lines)
			}
			if f.BrowserMessage != tc.lines[0] || Firefox.Key(f) != "CORSDidNotSucceed2" {
				t.Errorf("BrowserMessage %q, key %q; want the first line and CORSDidNotSucceed2", f.BrowserMessage, Firefox.Key(f))
			}
			mustContain(t, "Message", f.Message, "Firefox sends the request only after")
			if !Chromium.Evaluate(ex).Has(tc.chrome) {
				t.Errorf("Chromium: no %s; findings %v", tc.chrome, codes(Chromium.Evaluate(ex)))
			}
		})
	}
}
