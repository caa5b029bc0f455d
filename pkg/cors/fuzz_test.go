package cors

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// The parsers here read what servers and recordings send: none may panic,
// and each keeps the invariants its callers rely on.

func FuzzParseAllowList(f *testing.F) {
	for _, s := range []string{"", "GET, POST", "GET,,POST, ", "*", "Content-Type, X Bar", `'a, b'`, `"x`, "a\\'b, c", "\t,\t", "X-Ä"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, v string, lower bool) {
		items, bad, ok := parseAllowList(v, lower)
		if !ok {
			if bad == "" || isToken(bad) || items != nil {
				t.Fatalf("failure must name a non-token element: %q %q %v", items, bad, ok)
			}
			return
		}
		for _, it := range items {
			if !isToken(it) {
				t.Fatalf("element %q is not a token", it)
			}
			if lower && asciiLower(it) != it {
				t.Fatalf("element %q is not lower case", it)
			}
		}
		// Tokens hold no comma, quote or space: re-joining them parses back.
		again, _, ok2 := parseAllowList(strings.Join(items, ","), lower)
		if !ok2 || !slices.Equal(again, items) {
			t.Fatalf("re-parse of %q gave %q", items, again)
		}
	})
}

func FuzzParseOrigin(f *testing.F) {
	for _, s := range []string{"https://app.example.com", "https://App.Example.com:443/", "null", "http://[::1]:3000",
		"https://bücher.example", "app.example.com", "https://u:p@x", "https://x:99999", "http://[fe80::1%25eth0]", "ws://x", "file:///x", "%zz", "https://x/?#",
		"blob:https://app.example.com/1-2", "BLOB:http://x:080/", "blob:blob:https://x", "blob:null/1", "https://x:0443", "http://x:00", "https://x:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOrigin(s)
		if err == nil {
			again, err2 := ParseOrigin(o)
			if err2 != nil || again != o {
				t.Fatalf("ParseOrigin(%q) = %q, which re-parses to %q, %v", s, o, again, err2)
			}
			if o != "null" && OriginOf(o) != o {
				t.Fatalf("OriginOf(%q) = %q", o, OriginOf(o))
			}
		} else if err.Error() == "" {
			t.Fatal("empty error")
		}
		if oo := OriginOf(s); oo != "null" && OriginOf(oo) != oo {
			t.Fatalf("OriginOf(%q) = %q is not stable: %q", s, oo, OriginOf(oo))
		}
		_ = isValidURL(s)
		_ = consoleURL(s)
		_ = HostIsLoopback(s)
	})
}

func FuzzPlanRequest(f *testing.F) {
	f.Add("GET", "Accept", "application/json", "X-Api-Key", "k", false)
	f.Add("patch", "Content-Type", "text/plain;charset=utf-8", "content-type", "application/json", true)
	f.Add("POST", "Range", "bytes=0-", "X-HTTP-Method-Override", `"TRACE", get`, false)
	f.Add("put", "DPR", "2.0", "Cookie", "a=b", false)
	f.Add("GE T", "X Bad", "1", "Accept", "a\nb", false)
	f.Fuzz(func(t *testing.T, method, n1, v1, n2, v2 string, force bool) {
		r := &Request{Method: method, URL: api, Origin: page, Header: http.Header{n1: {v1}}, ForcePreflight: force}
		r.Header[n2] = append(r.Header[n2], v2)
		for _, p := range []*Profile{Chromium, Firefox} {
			pl := p.PlanRequest(r)
			if pl.RequestHeaders != strings.Join(pl.UnsafeHeaders, ",") {
				t.Fatalf("RequestHeaders %q vs UnsafeHeaders %q", pl.RequestHeaders, pl.UnsafeHeaders)
			}
			if !slices.IsSorted(pl.UnsafeHeaders) || len(slices.Compact(slices.Clone(pl.UnsafeHeaders))) != len(pl.UnsafeHeaders) {
				t.Fatalf("UnsafeHeaders not sorted and unique: %q", pl.UnsafeHeaders)
			}
			for _, n := range pl.UnsafeHeaders {
				if n != asciiLower(n) || !isToken(n) || IsForbiddenHeader(n, "") || p.ExtraForbidden[n] {
					t.Fatalf("unsafe name %q is not a lower-case, allowed token", n)
				}
			}
			if pl.Preflight != (len(pl.Reasons) > 0) {
				t.Fatalf("Preflight %v with reasons %q", pl.Preflight, pl.Reasons)
			}
			if IsSafelistedMethod(pl.Method) && len(pl.UnsafeHeaders) == 0 && !force && pl.Preflight {
				t.Fatalf("preflight for a simple request: %q", pl.Reasons)
			}
			if !IsSafelistedMethod(pl.Method) && !pl.Preflight {
				t.Fatalf("no preflight for method %q", pl.Method)
			}
			if again := p.PlanRequest(r); again.RequestHeaders != pl.RequestHeaders || again.Preflight != pl.Preflight {
				t.Fatal("PlanRequest is not deterministic")
			}
			checkPlanCache(t, p, r)
		}
	})
}

// FuzzEvaluate feeds arbitrary response headers ("name: value" lines) to the
// preflight and the actual response.
func FuzzEvaluate(f *testing.F) {
	f.Add("Access-Control-Allow-Origin: https://app.example.com\nAccess-Control-Allow-Methods: PUT\nAccess-Control-Allow-Headers: content-type", 204, "Access-Control-Allow-Origin: *", 200, false)
	f.Add("Access-Control-Allow-Origin: *\nAccess-Control-Allow-Origin: null\nAccess-Control-Max-Age: 99999999999999999999", 404, "Location: https://u:p@cdn.example.net/\nAccess-Control-Allow-Origin: *", 302, true)
	f.Add("Location: /x", 301, "Access-Control-Allow-Origin: https://*.example.com\nAccess-Control-Expose-Headers: *\nX-A: 1", 500, true)
	f.Add("Access-Control-Allow-Methods: 'a,b'\nAccess-Control-Allow-Headers: \"", 200, "Location: ftp://x\nAccess-Control-Allow-Origin: https://app.example.com\nAccess-Control-Allow-Credentials: true", 307, true)
	// A redirect status without Location or with an empty one (a redirect
	// to itself in Firefox), and a default port in Access-Control-Allow-Origin.
	f.Add("Access-Control-Allow-Origin: https://app.example.com:443", 204, "Location: \nAccess-Control-Allow-Origin: https://app.example.com", 302, false)
	f.Add("Access-Control-Allow-Origin: https://app.example.com:0443/", 200, "Access-Control-Allow-Origin: https://app.example.com", 307, true)
	f.Add("Location: ", 308, "Location: blob:https://app.example.com/x", 301, false)
	f.Fuzz(func(t *testing.T, pre string, preStatus int, act string, actStatus int, creds bool) {
		req := put()
		req.Credentials = creds
		ex := exch(req, &Message{Status: preStatus, Header: parseLines(pre)},
			&Message{Status: actStatus, Header: parseLines(act)}, &Message{Status: 200, Header: parseLines(act)})
		checkDiagnosis(t, Chromium.Evaluate(ex))
		checkDiagnosis(t, Firefox.Evaluate(ex))
	})
}

// FuzzEvaluateAllowed: a server that answers exactly what the browser asked
// for (the origin, the method, the request headers, credentials) is allowed,
// whatever the request carried.
func FuzzEvaluateAllowed(f *testing.F) {
	f.Add("PUT", "X-Api-Key", "k", "Content-Type", "application/json", true)
	f.Add("patch", "Authorization", "Bearer t", "DPR", "2", false)
	f.Add("GET", "Range", "bytes=-1", "Accept", strings.Repeat("a", 200), true)
	f.Fuzz(func(t *testing.T, method, n1, v1, n2, v2 string, creds bool) {
		r := Request{Method: method, URL: api, Origin: page, Header: http.Header{n1: {v1}}, Credentials: creds}
		r.Header[n2] = append(r.Header[n2], v2)
		pl := Chromium.PlanRequest(&r)
		if pl.Forbidden || strings.Contains(pl.RequestHeaders, "'") {
			// ' is a tchar, but Chromium's ValuesIterator reads it as a
			// quote, so "',x" in Access-Control-Allow-Headers does not parse.
			return
		}
		pre := res(204, HeaderAllowOrigin, page, HeaderAllowCredentials, "true", "Vary", "Origin")
		if pl.Method != "" {
			pre.Header.Set(HeaderAllowMethods, pl.Method)
		}
		if pl.RequestHeaders != "" {
			pre.Header.Set(HeaderAllowHeaders, pl.RequestHeaders)
		}
		d := Evaluate(exch(r, pre, okActual(HeaderAllowCredentials, "true")))
		checkDiagnosis(t, d)
		if d.Verdict != Allowed || d.Count(SeverityError) != 0 {
			t.Fatalf("a server that allows exactly the request blocked it: %v", codes(d))
		}
	})
}

func parseLines(s string) http.Header {
	h := http.Header{}
	for _, line := range strings.Split(s, "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok {
			h[name] = append(h[name], value)
		}
	}
	return h
}

// checkDiagnosis holds for every diagnosis: blocked iff an error is found,
// the reported finding is the first and only one, every code is registered
// with its severity, or is an error named as the cause (a redirect's taint
// note that blameTaint or SetCause made one).
func checkDiagnosis(t *testing.T, d *Diagnosis) {
	t.Helper()
	errs := d.Count(SeverityError)
	if (d.Verdict == Blocked) != (errs > 0) {
		t.Fatalf("verdict %s with %d errors", d.Verdict, errs)
	}
	if errs > 0 && (!d.Findings[0].Reported || d.Reported() != &d.Findings[0]) {
		t.Fatalf("first error not reported: %v", codes(d))
	}
	if countReported(d) > 1 {
		t.Fatalf("%d reported findings", countReported(d))
	}
	if !sortedBySeverity(d) {
		t.Fatalf("findings out of order: %v", codes(d))
	}
	for _, f := range d.Findings {
		in, ok := Lookup(f.Code)
		if !ok || in.Severity != f.Severity && !(f.Cause && f.Severity == SeverityError) || f.Message == "" {
			t.Fatalf("bad finding %+v", f)
		}
	}
}
