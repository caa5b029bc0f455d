package cors

import (
	"net/http"
	"sort"
	"strings"
)

// Plan is what the browser puts on the wire for a Request: whether it sends
// a preflight and with which Access-Control-Request-* values.
type Plan struct {
	// Method after normalization: the bytes the browser sends.
	Method string `json:"method"`
	// Preflight says a preflight is sent (absent a preflight-cache hit).
	Preflight bool `json:"preflight"`
	// Reasons lists why, in words ("method PUT is not CORS-safelisted").
	Reasons []string `json:"reasons,omitempty"`
	// UnsafeHeaders are the CORS-unsafe request-header names: lowercase,
	// sorted, de-duplicated.
	UnsafeHeaders []string `json:"unsafe_headers,omitempty"`
	// RequestHeaders is the exact Access-Control-Request-Headers value, or
	// "" when the header is not sent.
	RequestHeaders string `json:"request_headers,omitempty"`
	// AuthorHeaders are the headers script set that the browser sends (the
	// forbidden ones dropped), canonical case.
	AuthorHeaders http.Header `json:"-"`
	// Dropped lists header names the browser refuses to let script set.
	Dropped []string `json:"dropped_headers,omitempty"`
	// ChromiumOnly lists headers safelisted by Chromium alone.
	ChromiumOnly []string `json:"-"`
	// Forbidden is set for CONNECT, TRACE and TRACK: fetch() throws.
	Forbidden bool `json:"-"`
}

// NormalizeMethod implements the Fetch standard's "normalize a method": only
// DELETE, GET, HEAD, OPTIONS, POST and PUT are byte-upper-cased; anything else
// ("patch") is sent as written.
func NormalizeMethod(m string) string {
	switch u := strings.ToUpper(m); u {
	case "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT":
		return u
	}
	return m
}

// IsSafelistedMethod reports whether m (normalized) is a CORS-safelisted method.
func IsSafelistedMethod(m string) bool { return m == "GET" || m == "HEAD" || m == "POST" }

// IsForbiddenMethod reports whether fetch() refuses the method outright.
func IsForbiddenMethod(m string) bool {
	switch strings.ToUpper(m) {
	case "CONNECT", "TRACE", "TRACK":
		return true
	}
	return false
}

// IsStateChanging reports whether a method may change server state, so
// corsdiag sends it only when asked.
func IsStateChanging(m string) bool {
	switch strings.ToUpper(m) {
	case "GET", "HEAD", "OPTIONS":
		return false
	}
	return true
}

var forbiddenHeaders = map[string]bool{
	"accept-charset": true, "accept-encoding": true, "access-control-request-headers": true,
	"access-control-request-method": true, "connection": true, "content-length": true,
	"cookie": true, "cookie2": true, "date": true, "dnt": true, "expect": true, "host": true,
	"keep-alive": true, "origin": true, "referer": true, "set-cookie": true, "te": true,
	"trailer": true, "transfer-encoding": true, "upgrade": true, "via": true,
}

// IsForbiddenHeader reports whether script may not set the header (the
// browser controls it). Value matters only for the X-HTTP-Method family.
func IsForbiddenHeader(name, value string) bool {
	n := strings.ToLower(name)
	if forbiddenHeaders[n] || strings.HasPrefix(n, "proxy-") || strings.HasPrefix(n, "sec-") {
		return true
	}
	switch n {
	case "x-http-method", "x-http-method-override", "x-method-override":
		for _, v := range strings.Split(value, ",") {
			if IsForbiddenMethod(strings.TrimSpace(v)) {
				return true
			}
		}
	}
	return false
}

// isUnsafeByte is the Fetch standard's CORS-unsafe request-header byte.
func isUnsafeByte(b byte) bool {
	if b < 0x20 && b != 0x09 {
		return true
	}
	switch b {
	case '"', '(', ')', ':', '<', '>', '?', '@', '[', '\\', ']', '{', '}', 0x7f:
		return true
	}
	return false
}

func hasUnsafeByte(v string) bool {
	for i := 0; i < len(v); i++ {
		if isUnsafeByte(v[i]) {
			return true
		}
	}
	return false
}

func isLanguageValue(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case c == ' ', c == '*', c == ',', c == '-', c == '.', c == ';', c == '=':
		default:
			return false
		}
	}
	return true
}

// isSafelistedContentType follows Chromium's IsCorsSafelistedLowerCaseContentType:
// no unsafe byte, and the essence before ';' (trimmed, lower-cased) is one of
// the three form types.
func isSafelistedContentType(v string) bool {
	if hasUnsafeByte(v) {
		return false
	}
	essence := v
	if i := strings.IndexByte(v, ';'); i >= 0 {
		essence = v[:i]
	}
	switch strings.ToLower(strings.Trim(essence, " \t")) {
	case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
		return true
	}
	return false
}

// isSafelistedRange accepts only "bytes=N-" or "bytes=N-M" with N <= M, no
// whitespace: the standard's "parse a single range header value" with a
// non-null start.
func isSafelistedRange(v string) bool {
	rest, ok := strings.CutPrefix(v, "bytes=")
	if !ok {
		return false
	}
	start, end, ok := strings.Cut(rest, "-")
	if !ok || !allDigits(start) || start == "" {
		return false
	}
	if end == "" {
		return true
	}
	if !allDigits(end) {
		return false
	}
	return cmpDecimal(start, end) <= 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// cmpDecimal compares two digit strings numerically without overflow.
func cmpDecimal(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// isSafelisted reports whether name: value is a CORS-safelisted request
// header for the profile. chromiumOnly is set when only the profile's extra
// list made it so.
func (p *Profile) isSafelisted(name, value string) (ok, chromiumOnly bool) {
	if len(value) > 128 {
		return false, false
	}
	switch name {
	case "accept":
		return !hasUnsafeByte(value), false
	case "accept-language", "content-language":
		return isLanguageValue(value), false
	case "content-type":
		return isSafelistedContentType(value), false
	case "range":
		return isSafelistedRange(value), false
	}
	if rule, ok := p.ExtraSafelisted[name]; ok && rule(value) {
		return true, true
	}
	return false, false
}

// PlanRequest classifies r as the profile's browser does: method
// normalization, CORS-unsafe request-header names (with the 1024-byte total
// rule), and whether a preflight is sent.
func (p *Profile) PlanRequest(r *Request) Plan {
	pl := Plan{Method: NormalizeMethod(r.Method), AuthorHeaders: http.Header{}}
	if pl.Method == "" {
		pl.Method = "GET"
	}
	pl.Forbidden = IsForbiddenMethod(pl.Method)

	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	sort.Strings(names)

	unsafe := map[string]bool{}
	var safelisted []string
	total := 0
	for _, name := range names {
		lower := strings.ToLower(name)
		for _, v := range r.Header[name] {
			if IsForbiddenHeader(lower, v) {
				pl.Dropped = appendUnique(pl.Dropped, http.CanonicalHeaderKey(lower))
				continue
			}
			pl.AuthorHeaders.Add(name, v)
			ok, chromiumOnly := p.isSafelisted(lower, v)
			if !ok {
				unsafe[lower] = true
				continue
			}
			if chromiumOnly {
				pl.ChromiumOnly = appendUnique(pl.ChromiumOnly, lower)
			}
			safelisted = append(safelisted, lower)
			total += len(v)
		}
	}
	if total > 1024 {
		for _, n := range safelisted {
			unsafe[n] = true
		}
		pl.Reasons = append(pl.Reasons, "the safelisted header values add up to more than 1024 bytes, so they all count as unsafe")
	}
	for n := range unsafe {
		pl.UnsafeHeaders = append(pl.UnsafeHeaders, n)
	}
	sort.Strings(pl.UnsafeHeaders)
	pl.RequestHeaders = strings.Join(pl.UnsafeHeaders, ",")

	if !IsSafelistedMethod(pl.Method) {
		pl.Reasons = append([]string{"method " + pl.Method + " is not CORS-safelisted (only GET, HEAD and POST are)"}, pl.Reasons...)
	}
	for _, n := range pl.UnsafeHeaders {
		pl.Reasons = append(pl.Reasons, "header "+n+" is not CORS-safelisted"+safelistWhy(n, r.Header.Get(n)))
	}
	if r.ForcePreflight && len(pl.Reasons) == 0 {
		pl.Reasons = append(pl.Reasons, "a preflight was forced (use-CORS-preflight flag)")
	}
	pl.Preflight = len(pl.Reasons) > 0
	return pl
}

// safelistWhy explains why a header with a safelisted name is unsafe.
func safelistWhy(name, value string) string {
	switch name {
	case "accept", "accept-language", "content-language", "content-type", "range":
	default:
		return ""
	}
	switch {
	case len(value) > 128:
		return " (its value is longer than 128 bytes)"
	case name == "content-type":
		return " (only application/x-www-form-urlencoded, multipart/form-data and text/plain are)"
	case name == "range":
		return " (only a single bytes=N- or bytes=N-M range is)"
	default:
		return " (its value has a byte that is not allowed)"
	}
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
