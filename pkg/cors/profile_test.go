package cors

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// ffLine is Firefox's frame around a security.properties reason.
func ffLine(url, reason string) string {
	return "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at " + url + ". (Reason: " + reason
}

const ffDidNotSucceed = "CORS request did not succeed). Status code: (null)."

func TestProfileVerdicts(t *testing.T) {
	safariBlocked := "Fetch API cannot load " + api + " due to access control checks."
	type want struct {
		verdict Verdict
		code    Code
		key     string
		lines   []string
	}
	cases := []struct {
		name string
		ex   *Exchange
		want map[*Profile]want
	}{
		{
			name: "missing ACAO on the actual response",
			ex:   exch(get(), nil, res(403)),
			want: map[*Profile]want{
				Chromium: {Blocked, CodeMissingAllowOrigin, "MissingAllowOriginHeader", []string{console(api, page, "No 'Access-Control-Allow-Origin' header is present on the requested resource.")}},
				Firefox:  {Blocked, CodeMissingAllowOrigin, "CORSMissingAllowOrigin2", []string{ffLine(api, "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403.")}},
				Safari:   {Blocked, CodeMissingAllowOrigin, "", []string{"Origin " + page + " is not allowed by Access-Control-Allow-Origin. Status code: 403", safariBlocked}},
			},
		},
		{
			name: "preflight 403 without ACAO: WebKit checks the status first",
			ex:   exch(put(), res(403)),
			want: map[*Profile]want{
				Chromium: {Blocked, CodePreflightMissingAllowOrigin, "PreflightMissingAllowOriginHeader", []string{console(api, page, "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.")}},
				Firefox: {Blocked, CodePreflightMissingAllowOrigin, "CORSMissingAllowOrigin2", []string{
					ffLine(api, "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403."), ffLine(api, ffDidNotSucceed)}},
				Safari: {Blocked, CodePreflightStatus, "", []string{"Preflight response is not successful. Status code: 403", safariBlocked}},
			},
		},
		{
			name: "one comma-joined ACAO line: Firefox reads one value that does not match",
			ex:   exch(get(), nil, res(200, HeaderAllowOrigin, page+", https://other.example")),
			want: map[*Profile]want{
				Chromium: {Blocked, CodeMultipleAllowOrigin, "MultipleAllowOriginValues", []string{console(api, page, "The 'Access-Control-Allow-Origin' header contains multiple values '"+page+", https://other.example', but only one is allowed. Have the server send the header with a valid value.")}},
				Firefox:  {Blocked, CodeMultipleAllowOrigin, "CORSAllowOriginNotMatchingOrigin", []string{ffLine(api, "CORS header ‘Access-Control-Allow-Origin’ does not match ‘"+page+", https://other.example’).")}},
				Safari:   {Blocked, CodeMultipleAllowOrigin, "", []string{"Access-Control-Allow-Origin cannot contain more than one origin.", safariBlocked}},
			},
		},
		{
			name: "two ACAO lines: Firefox says Multiple",
			ex:   exch(get(), nil, res(200, HeaderAllowOrigin, page, HeaderAllowOrigin, page)),
			want: map[*Profile]want{
				Firefox: {Blocked, CodeMultipleAllowOrigin, "CORSMultipleAllowOriginNotAllowed", []string{ffLine(api, "Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).")}},
			},
		},
		{
			name: "wildcard with credentials: Firefox quotes the URL",
			ex:   exch(withCreds(get()), nil, res(200, HeaderAllowOrigin, "*")),
			want: map[*Profile]want{
				Firefox: {Blocked, CodeWildcardCredentials, "CORSNotSupportingCredentials", []string{
					"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘" + api + "’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’)."}},
				Safari: {Blocked, CodeWildcardCredentials, "", []string{"Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.", safariBlocked}},
			},
		},
		{
			name: "DPR: Chromium safelists it, the others preflight it",
			ex:   exch(Request{Method: "GET", URL: api, Origin: page, Header: hdr("DPR", "2")}, res(204, HeaderAllowOrigin, page), okActual()),
			want: map[*Profile]want{
				Chromium: {Allowed, "", "", []string{}},
				Firefox: {Blocked, CodeHeaderNotAllowed, "CORSMissingAllowHeaderFromPreflight2", []string{
					ffLine(api, "header ‘dpr’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response)."), ffLine(api, ffDidNotSucceed)}},
				Safari: {Blocked, CodeHeaderNotAllowed, "", []string{"Request header field dpr is not allowed by Access-Control-Allow-Headers.", safariBlocked}},
			},
		},
		{
			name: "Authorization through ACAH *: Firefox warns",
			ex: exch(Request{Method: "GET", URL: api, Origin: page, Header: hdr("Authorization", "Bearer x")},
				res(204, HeaderAllowOrigin, page, HeaderAllowHeaders, "*"), okActual()),
			want: map[*Profile]want{
				Chromium: {Allowed, "", "", []string{}},
				Firefox: {Allowed, "", "", []string{"Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at " + api +
					" soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered. To include the `Authorization` header, it must be explicitly listed in CORS header `Access-Control-Allow-Headers`)."}},
			},
		},
		{
			name: "XMLHttpRequest: WebKit names the API",
			ex:   exch(xhr(get()), nil, res(200, HeaderAllowOrigin, "https://other.example")),
			want: map[*Profile]want{
				Safari: {Blocked, CodeAllowOriginMismatch, "", []string{"Origin " + page + " is not allowed by Access-Control-Allow-Origin. Status code: 200",
					"XMLHttpRequest cannot load " + api + " due to access control checks."}},
			},
		},
		{
			name: "Local Network Access: Chromium refuses a non-secure page, Firefox asks, Safari has none",
			ex: func() *Exchange {
				e := exch(Request{Method: "GET", URL: "http://localhost:8080/v1/items", Origin: "http://app.example.com"}, nil,
					res(200, HeaderAllowOrigin, "http://app.example.com", "Vary", "Origin"))
				e.Actual[0].RemoteAddress = "127.0.0.1:8080"
				return e
			}(),
			want: map[*Profile]want{
				Chromium: {Blocked, CodeLocalNetworkInsecure, "InsecureLocalNetwork", nil},
				Firefox:  {Allowed, "", "", []string{}},
				Safari:   {Allowed, "", "", []string{}},
			},
		},
	}
	for _, tc := range cases {
		for p, w := range tc.want {
			t.Run(tc.name+"/"+p.Name, func(t *testing.T) {
				v := p.Judge(tc.ex)
				if v.Verdict != w.verdict || v.Reported != w.code {
					t.Fatalf("%s: %s %s, want %s %s; findings %v", p.Name, v.Verdict, v.Reported, w.verdict, w.code, codes(v.Diagnosis))
				}
				if rep := v.Diagnosis.Reported(); rep != nil && p.Key(rep) != w.key {
					t.Errorf("key %q, want %q", p.Key(rep), w.key)
				}
				if w.lines != nil && !reflect.DeepEqual(v.Console, w.lines) {
					t.Errorf("console lines\n got %q\nwant %q", v.Console, w.lines)
				}
				if rep := v.Diagnosis.Reported(); rep != nil && len(v.Console) > 0 && rep.BrowserMessage != p.Lines(rep)[0] {
					t.Errorf("BrowserMessage %q is not the first line %q", rep.BrowserMessage, v.Console[0])
				}
			})
		}
	}
}

// A diagnosis made with one profile can be said in another's words: the
// Console particulars are the same.
func TestLinesOfAnotherProfile(t *testing.T) {
	d := Chromium.Evaluate(exch(get(), nil, res(404)))
	got := Firefox.Lines(d.Reported())
	want := []string{ffLine(api, "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 404.")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLookupProfile(t *testing.T) {
	for _, tc := range []struct {
		name string
		want *Profile
	}{
		{"chromium", Chromium}, {"Chrome", Chromium}, {"firefox", Firefox}, {" FIREFOX ", Firefox},
		{"safari", Safari}, {"webkit", Safari}, {"WebKit", Safari}, {"opera", nil}, {"", nil},
	} {
		p, ok := LookupProfile(tc.name)
		if ok != (tc.want != nil) || p != tc.want {
			t.Errorf("LookupProfile(%q) = %v, %v", tc.name, p, ok)
		}
	}
	if got := strings.Join(ProfileNames(), ","); got != "chromium,firefox,safari" {
		t.Errorf("ProfileNames = %s", got)
	}
}

// Every profile's data is whole: a fetch() rejection, a cache cap, headers,
// and a line for every error the browser reports with a CORS message.
func TestProfilesComplete(t *testing.T) {
	for _, p := range AllProfiles {
		if p.Messages == nil || p.Messages.FetchRejection == "" || p.MaxAgeCap == 0 || p.Headers.UserAgent == "" || p.Display == "" {
			t.Errorf("%s: incomplete profile", p.Name)
		}
		for key, cs := range p.Messages.Causes {
			code, _, _ := strings.Cut(key, "|")
			if _, registered := Lookup(Code(code)); !registered && !isExtraCause(p, code) {
				t.Errorf("%s: cause %q is neither a registered code nor an After or Before line", p.Name, key)
			}
			if strings.Count(cs.Text, "{") != strings.Count(cs.Text, "}") {
				t.Errorf("%s: cause %q has unbalanced braces", p.Name, key)
			}
		}
	}
	caps := map[string]int{"chromium": 7200, "firefox": 86400, "safari": 600}
	for name, want := range caps {
		if p, _ := LookupProfile(name); p.MaxAgeCap != want {
			t.Errorf("%s MaxAgeCap = %d, want %d", name, p.MaxAgeCap, want)
		}
	}
}

func isExtraCause(p *Profile, key string) bool {
	for _, k := range slices.Concat(p.Messages.After, p.Messages.AfterPreflight, p.Messages.AfterRedirect, p.Messages.BeforeMIME) {
		if k == key {
			return true
		}
	}
	for _, cs := range p.Messages.Causes {
		if slices.Contains(cs.Before, key) {
			return true
		}
	}
	return false
}
