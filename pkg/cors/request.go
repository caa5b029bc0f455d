package cors

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
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
	// forbidden ones dropped), canonical case. It may be the Request's own
	// Header, when that is in this form already: read it, never change it.
	AuthorHeaders http.Header `json:"-"`
	// Dropped lists header names the browser refuses to let script set.
	Dropped []string `json:"dropped_headers,omitempty"`
	// ChromiumOnly lists headers safelisted by Chromium alone.
	ChromiumOnly []string `json:"-"`
	// Forbidden is set for CONNECT, TRACE and TRACK: fetch() throws.
	Forbidden bool `json:"-"`
	// NoCORS: the browser makes this request without CORS (WebKit's web
	// fonts): no Origin, no check.
	NoCORS bool `json:"no_cors,omitempty"`
	// URLCredentials is set when fetch() is given a URL with a user name
	// or password (https://user:pw@host/): the Request constructor throws
	// a TypeError and nothing is sent. XMLHttpRequest takes such a URL.
	URLCredentials bool `json:"-"`
}

// NormalizeMethod implements the Fetch standard's "normalize a method": a
// byte-case-insensitive match for DELETE, GET, HEAD, OPTIONS, POST or PUT is
// byte-upper-cased; anything else ("patch") is sent as written. Only ASCII
// letters fold: "poſt" (U+017F) stays as it is.
func NormalizeMethod(m string) string {
	switch u := asciiUpper(m); u {
	case "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT":
		return u
	}
	return m
}

// IsSafelistedMethod reports whether m (normalized) is a CORS-safelisted
// method (Fetch §CORS-safelisted method).
func IsSafelistedMethod(m string) bool { return m == "GET" || m == "HEAD" || m == "POST" }

// IsForbiddenMethod reports whether fetch() refuses the method outright
// (Fetch §forbidden method: CONNECT, TRACE, TRACK, byte-case-insensitive).
func IsForbiddenMethod(m string) bool {
	switch asciiUpper(m) {
	case "CONNECT", "TRACE", "TRACK":
		return true
	}
	return false
}

// URLIncludesCredentials reports whether raw, an absolute URL, has a user
// name or a password (URL standard: "includes credentials" when either is
// not the empty string): https://user:pw@host/, https://user@host/, but
// not https://@host/ or https://:@host/. The Request constructor throws a
// TypeError for such a URL (Fetch, new Request(input) step 5.3).
func URLIncludesCredentials(raw string) bool {
	ui, _, ok := cutUserinfo(raw)
	return ok && ui != "" && ui != ":"
}

// cutUserinfo splits the user:password@ off an absolute URL's authority
// (which ends at '/', '?', '#' or '\\', a '/' to http(s) URLs): the
// userinfo, raw without it and its '@', and whether it had one.
func cutUserinfo(raw string) (userinfo, without string, found bool) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "", raw, false
	}
	auth := rest
	if j := strings.IndexAny(rest, "/?#\\"); j >= 0 {
		auth = rest[:j]
	}
	at := strings.LastIndexByte(auth, '@')
	if at < 0 {
		return "", raw, false
	}
	return auth[:at], scheme + "://" + rest[at+1:], true
}

// HeaderValueFault finds the first byte of a header value, after its
// leading and trailing HTTP whitespace (which fetch() strips), that no
// request can carry as it reads: CR, LF or NUL, on which fetch() throws a
// TypeError (Fetch, "header value"; Headers append step 2), or another
// control character, which fetch() takes but net/http refuses to send
// (sending it anyway would report a network error the browser never had).
// It returns the fault's index in value, or -1, and why it cannot be sent.
func HeaderValueFault(value string) (int, string) {
	start := len(value) - len(strings.TrimLeft(value, " \t\r\n"))
	v := strings.TrimRight(value[start:], " \t\r\n")
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= ' ' && c != 0x7f || c == '\t':
		case c == '\r' || c == '\n' || c == 0:
			return start + i, fmt.Sprintf("a control character (0x%02x): a line break or NUL, which fetch() refuses with a TypeError", c)
		default:
			return start + i, fmt.Sprintf("a control character (0x%02x), which corsdiag's HTTP client cannot send", c)
		}
	}
	return -1, ""
}

// IsStateChanging reports whether a method may change server state, so
// corsdiag sends it only when asked.
func IsStateChanging(m string) bool {
	switch asciiUpper(m) {
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

// browserAdded are request headers browsers add themselves that are not
// forbidden request-headers: a recording or a copy of a request holds them,
// but script did not set them and they make no preflight. Chromium's
// User-Agent and Priority, navigations' Upgrade-Insecure-Requests and
// Purpose, DevTools' network-conditions id, and the headers Chrome adds to
// Google's hosts (X-Client-Data, and since Chrome 137 X-Browser-Channel,
// -Copyright, -Validation and -Year), which it exempts from CORS; Firefox's
// Alt-Used, naming the alternative service it connected to (RFC 7838 §5).
var browserAdded = map[string]bool{
	"user-agent": true, "priority": true, "upgrade-insecure-requests": true, "purpose": true, "alt-used": true,
	"x-devtools-emulate-network-conditions-client-id": true,
	"x-client-data": true, "x-browser-channel": true, "x-browser-copyright": true, "x-browser-validation": true, "x-browser-year": true,
}

// IsBrowserAddedHeader reports whether a recorded or copied request header
// (lower case) is one the browser added itself rather than script; har and
// a pasted copy leave these out of the headers script set.
func IsBrowserAddedHeader(lower string) bool { return browserAdded[lower] }

// IsForbiddenHeader reports whether script may not set the header: Fetch
// §forbidden request-header (the browser controls it). Value matters only
// for the X-HTTP-Method family, which is forbidden when one of its values,
// split as "get, decode, and split" does, names a forbidden method.
func IsForbiddenHeader(name, value string) bool {
	n := nameOf(name)
	return n.forbidden || n.methodOverride && overridesForbidden(value)
}

// isForbiddenLower is IsForbiddenHeader for a lower-case name.
func isForbiddenLower(n, value string) bool {
	return forbiddenName(n) || isMethodOverride(n) && overridesForbidden(value)
}

// forbiddenName reports whether a lower-case name is a forbidden
// request-header whatever its value.
func forbiddenName(n string) bool {
	return forbiddenHeaders[n] || strings.HasPrefix(n, "proxy-") || strings.HasPrefix(n, "sec-")
}

// isMethodOverride reports whether a lower-case name is of the
// X-HTTP-Method family, forbidden by its value.
func isMethodOverride(n string) bool {
	switch n {
	case "x-http-method", "x-http-method-override", "x-method-override":
		return true
	}
	return false
}

// overridesForbidden reports whether a method-override value names a
// forbidden method.
func overridesForbidden(value string) bool {
	for _, v := range getDecodeSplit(value) {
		if IsForbiddenMethod(v) {
			return true
		}
	}
	return false
}

// getDecodeSplit is Fetch §"get, decode, and split" on one value: split on
// commas outside double-quoted strings, strip tabs and spaces. Quoted
// strings keep their quotes, so `"TRACE"` is not the method TRACE.
func getDecodeSplit(v string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			out = append(out, strings.Trim(v[start:i], " \t"))
			start = i + 1
		}
	}
	return append(out, strings.Trim(v[start:], " \t"))
}

func asciiUpper(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'a' && b[j] <= 'z' {
					b[j] -= 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// lowerNames maps the canonical form of the header names the engine knows
// to their lower case, so that lowering them allocates nothing.
var lowerNames = func() map[string]string {
	m := map[string]string{}
	add := func(lower string) { m[http.CanonicalHeaderKey(lower)] = lower }
	for _, set := range []map[string]bool{forbiddenHeaders, safelistedResponseHeaders, unread} {
		for n := range set {
			add(n)
		}
	}
	for _, n := range []string{"accept", "accept-language", "content-language", "content-type", "range", "authorization",
		"x-requested-with", "if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "if-range",
		HeaderAllowOrigin, HeaderAllowCredentials, HeaderAllowMethods, HeaderAllowHeaders, HeaderExposeHeaders, HeaderMaxAge} {
		add(asciiLower(n))
	}
	return m
}()

// lowerName is asciiLower(k) for a header name.
func lowerName(k string) string { return nameOf(k).lower }

// headerName is what the rules read of a header name as written (a map
// key), worked out once per name.
type headerName struct {
	lower string
	// canonical is http.CanonicalHeaderKey of a token, "" otherwise.
	canonical string
	// token: fetch() throws for a name that is not one.
	token bool
	// forbidden: a forbidden request-header whatever its value;
	// methodOverride: of the X-HTTP-Method family, forbidden by its value.
	forbidden, methodOverride bool
}

func newHeaderName(k string) headerName {
	n := headerName{lower: asciiLower(k), token: isToken(k)}
	if n.token {
		n.canonical = http.CanonicalHeaderKey(k)
	}
	n.forbidden, n.methodOverride = forbiddenName(n.lower), isMethodOverride(n.lower)
	return n
}

// headerNames caches newHeaderName: the names the engine knows from the
// start, and the first maxSeenNames others it meets (a HAR's X-Request-Id,
// on one request after another).
var headerNames = func() *cowCache[string, headerName] {
	m := make(map[string]headerName, len(lowerNames))
	for k := range lowerNames {
		m[k] = newHeaderName(k)
	}
	c := &cowCache[string, headerName]{}
	c.m.Store(&m)
	return c
}()

const maxSeenNames = 256

func nameOf(k string) headerName {
	names := headerNames.load()
	if n, ok := names[k]; ok {
		return n
	}
	limit := len(lowerNames) + maxSeenNames
	if len(names) >= limit {
		return newHeaderName(k)
	}
	// Own copy: k may point into a larger string kept alive here.
	k = strings.Clone(k)
	n := newHeaderName(k)
	headerNames.add(k, n, limit)
	return n
}

// isHTTPWhitespace is Fetch's HTTP whitespace: tab, LF, CR, space.
func isHTTPWhitespace(c byte) bool { return c == '\t' || c == '\n' || c == '\r' || c == ' ' }

// normalizeValue is Fetch §"normalize" for a header value: strip leading and
// trailing HTTP whitespace, as Headers does before anything else.
func normalizeValue(v string) string {
	i, j := 0, len(v)
	for i < j && isHTTPWhitespace(v[i]) {
		i++
	}
	for j > i && isHTTPWhitespace(v[j-1]) {
		j--
	}
	return v[i:j]
}

// isValidHeaderValue is Fetch §header value: no NUL, LF or CR (after
// normalization); Headers throws a TypeError otherwise.
func isValidHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c == 0 || c == '\n' || c == '\r' {
			return false
		}
	}
	return true
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

// isSafelistedContentType follows Chromium's IsCorsSafelistedLowerCaseContentType
// (the Fetch standard's content-type rule): no CORS-unsafe request-header
// byte, and the MIME type before the first ';', with leading and trailing
// spaces and tabs removed and ASCII-lower-cased, is one of the three form
// types. Parameters after ';' are not checked ("text/plain; charset=utf-8"
// is safelisted), and "text /plain" is not a MIME type.
func isSafelistedContentType(v string) bool {
	if hasUnsafeByte(v) {
		return false
	}
	essence, _, _ := strings.Cut(v, ";")
	switch asciiLower(strings.Trim(essence, " \t")) {
	case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
		return true
	}
	return false
}

// maxInt64 is the largest range bound Chromium parses (base::StringToInt64);
// a longer bound fails its range parser, so the header is not safelisted.
const maxInt64 = "9223372036854775807"

// isSafelistedRange is Fetch's "parse a single range header value" with
// allowWhitespace false and a non-null start, as Chromium applies it: only
// "bytes=N-" or "bytes=N-M" with N <= M, the unit case-insensitive, no
// whitespace, one range, bounds that fit in an int64.
func isSafelistedRange(v string) bool {
	unit, rest, ok := strings.Cut(v, "=")
	if !ok || asciiLower(unit) != "bytes" {
		return false
	}
	start, end, ok := strings.Cut(rest, "-")
	if !ok || !isInt64(start) {
		return false
	}
	if end == "" {
		return true
	}
	return isInt64(end) && cmpDecimal(start, end) <= 0
}

func isInt64(s string) bool {
	return s != "" && allDigits(s) && cmpDecimal(s, maxInt64) <= 0
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
// header for the profile (Fetch §CORS-safelisted request-header; Chromium
// cors.cc IsCorsSafelistedHeader). name is lower case. chromiumOnly is set
// when only the profile's extra list made it so.
func (p *Profile) isSafelisted(name, value string) (ok, chromiumOnly bool) {
	if len(value) > 128 {
		return false, false
	}
	if rule, ok := safelistedValue[name]; ok {
		return rule(value), false
	}
	if rule, ok := p.ExtraSafelisted[name]; ok && rule(value) {
		return true, true
	}
	return false, false
}

// safelistedValue holds, by lower-case name, the rule the value of a
// CORS-safelisted request-header must meet (besides 128 bytes at most):
// the one list isSafelisted, safelistWhy and the plan cache's key read.
var safelistedValue = map[string]func(string) bool{
	"accept":           func(v string) bool { return !hasUnsafeByte(v) },
	"accept-language":  isLanguageValue,
	"content-language": isLanguageValue,
	"content-type":     isSafelistedContentType,
	"range":            isSafelistedRange,
}

// authorHeader is one header name as the browser sends it: every value
// script gave for it, normalized and joined with ", " (Blink combines
// repeated names into one line before the network service classifies them).
type authorHeader struct {
	lower, canonical, value string
}

// authorHeaders groups r's headers by lower-case name, in sorted order, and
// splits off the ones script may not set: forbidden request-headers and, as
// fetch() throws a TypeError for them, invalid names and values.
// kept is appended to buf, which has room for one header per key of h
// (kept never grows: a key gives one header at most).
func (p *Profile) authorHeaders(h http.Header, buf []authorHeader) (kept []authorHeader, dropped []string) {
	// A request's few keys sort in place on the stack.
	var keyBuf [16]string
	keys := keyBuf[:0]
	if len(h) > len(keyBuf) {
		keys = make([]string, 0, len(h))
	}
	for k := range h {
		keys = append(keys, k)
	}
	kept = buf[:0]
	// The keys need sorting only when two of them spell one name (their
	// values join in key order), which a request seldom does.
	kept, droppedKeys, ok := p.groupHeaders(h, keys, kept, true)
	if !ok {
		sort.Strings(keys)
		kept, droppedKeys, _ = p.groupHeaders(h, keys, kept[:0], false)
	}
	slices.SortFunc(kept, func(a, b authorHeader) int { return strings.Compare(a.lower, b.lower) })
	// Dropped names are listed in key order: an invalid name as written,
	// a forbidden one canonical.
	sort.Strings(droppedKeys)
	for _, k := range droppedKeys {
		if isToken(k) {
			k = http.CanonicalHeaderKey(k)
		}
		dropped = appendUnique(dropped, k)
	}
	return kept, dropped
}

// groupHeaders is authorHeaders' grouping of h's keys in the order given,
// and the keys with a value dropped. With anyOrder it gives up (ok false)
// when two keys spell one name.
func (p *Profile) groupHeaders(h http.Header, keys []string, kept []authorHeader, anyOrder bool) (_ []authorHeader, droppedKeys []string, ok bool) {
	// A few headers: a scan finds a repeated name sooner than a map. Past
	// maxScanned kept names the scans would grow with the square of the
	// count (a paste of 20,000 -H took 13 s), so a map indexes them.
	var index map[string]int
	for _, k := range keys {
		name := nameOf(k)
		lower := name.lower
		own := len(kept) // k's header, once kept, is at kept[own]
		for _, v := range h[k] {
			v = normalizeValue(v)
			if !name.token || !isValidHeaderValue(v) || name.forbidden || name.methodOverride && overridesForbidden(v) || p.ExtraForbidden[lower] {
				droppedKeys = appendUnique(droppedKeys, k)
				continue
			}
			i, found := -1, false
			if index != nil {
				i, found = index[lower]
			} else {
				i = slices.IndexFunc(kept, func(a authorHeader) bool { return a.lower == lower })
				found = i >= 0
			}
			if found {
				if anyOrder && i < own {
					return kept, nil, false
				}
				kept[i].value += ", " + v
				continue
			}
			kept = append(kept, authorHeader{lower: lower, canonical: name.canonical, value: v})
			switch {
			case index != nil:
				index[lower] = len(kept) - 1
			case len(kept) > maxScanned:
				index = make(map[string]int, 2*len(kept))
				for j, a := range kept {
					index[a.lower] = j
				}
			}
		}
	}
	return kept, droppedKeys, true
}

// maxScanned is how many kept header names groupHeaders scans for a
// repeated one before it indexes them.
const maxScanned = 32

// PlanRequest classifies r as the profile's browser does (Fetch §HTTP fetch
// step 4.1, Chromium cors.cc CorsUnsafeRequestHeaderNames): method
// normalization, the CORS-unsafe request-header names with the 128-byte
// value and 1024-byte total rules, and whether a preflight is sent. A
// same-origin request (r.Origin same origin with r.URL) is never preflighted.
//
// The plan's lists may be shared with other plans: read them, never change
// them.
func (p *Profile) PlanRequest(r *Request) Plan {
	pl, _ := p.plan(r, p.planCache(), r.Origin != "" && sameOrigin(canonicalOrigin(r.Origin), r.URL))
	return pl
}

// plan is PlanRequest of r, same saying whether r is same-origin (its
// caller knows), its classification remembered in cache (when not nil),
// and the message of its CodePreflightReasons finding when it is
// preflighted and the cache holds that ("" otherwise).
func (p *Profile) plan(r *Request, cache *planCache, same bool) (Plan, string) {
	method := NormalizeMethod(r.Method)
	if method == "" {
		method = "GET"
	}
	// A request's few headers are grouped on the stack.
	var keptBuf [16]authorHeader
	buf := keptBuf[:0]
	if len(r.Header) > len(keptBuf) {
		buf = make([]authorHeader, 0, len(r.Header))
	}
	kept, dropped := p.authorHeaders(r.Header, buf)

	var c classified
	var keyBuf [maxPlanKey]byte
	key, ok := p.planKey(keyBuf[:0], method, r.ForcePreflight, kept, dropped)
	switch {
	case cache == nil || !ok:
		c = p.classify(method, r.ForcePreflight, kept, dropped)
	default:
		var hit bool
		if c, hit = cache.load()[string(key)]; !hit {
			c = p.classify(method, r.ForcePreflight, kept, dropped)
			if len(c.plan.Reasons) > 0 {
				c.preflightText = preflightText(c.plan.Reasons)
			}
			cache.add(string(key), c, maxPlans)
		}
	}

	pl := c.plan
	pl.URLCredentials = r.Initiator != "XMLHttpRequest" && URLIncludesCredentials(r.URL)
	if pl.AuthorHeaders = sentAsIs(r.Header, kept); pl.AuthorHeaders == nil {
		pl.AuthorHeaders = make(http.Header, len(kept))
		// One backing array for the values (one each: kept merges repeats).
		vals := make([]string, len(kept))
		for i, h := range kept {
			vals[i] = h.value
			pl.AuthorHeaders[h.canonical] = vals[i : i+1 : i+1]
		}
	}
	if same {
		// Same-origin requests are not subject to CORS: no preflight.
		pl.Reasons = nil
	}
	if pl.Preflight = len(pl.Reasons) > 0; !pl.Preflight {
		return pl, ""
	}
	return pl, c.preflightText
}

// classified is a plan as far as the method and the grouped headers decide
// it: without AuthorHeaders, the same-origin rule and Preflight.
type classified struct {
	plan Plan
	// preflightText is the CodePreflightReasons message of plan.Reasons,
	// kept with a cached plan.
	preflightText string
}

// classify is the heart of PlanRequest: what method, kept and dropped
// decide. Every list it returns is full (len == cap), so that an append
// by a reader copies it instead of writing into a cached plan.
func (p *Profile) classify(method string, force bool, kept []authorHeader, dropped []string) classified {
	pl := Plan{Method: method, Dropped: slices.Clip(dropped)}
	pl.Forbidden = IsForbiddenMethod(pl.Method) || !isToken(pl.Method)
	// safe[i]: kept[i] is safelisted on its own.
	var safeBuf [16]bool
	safe := safeBuf[:0]
	if len(kept) > len(safeBuf) {
		safe = make([]bool, 0, len(kept))
	}
	total, unsafeN := 0, 0
	for _, h := range kept {
		ok, chromiumOnly := p.isSafelisted(h.lower, h.value)
		safe = append(safe, ok)
		if !ok {
			unsafeN++
			continue
		}
		if chromiumOnly {
			pl.ChromiumOnly = append(pl.ChromiumOnly, h.lower)
		}
		total += len(h.value)
	}
	pl.ChromiumOnly = slices.Clip(pl.ChromiumOnly)
	// Past 1024 bytes every header is unsafe: the unsafe ones are then all
	// of kept, which is in name order already.
	tooLong := total > 1024
	if tooLong {
		pl.ChromiumOnly = nil // unsafe now in every browser
	}
	if n := unsafeN; tooLong || n > 0 {
		if tooLong {
			n = len(kept)
		}
		pl.UnsafeHeaders = make([]string, 0, n)
		for i, h := range kept {
			if tooLong || !safe[i] {
				pl.UnsafeHeaders = append(pl.UnsafeHeaders, h.lower)
			}
		}
	}
	pl.RequestHeaders = strings.Join(pl.UnsafeHeaders, ",")

	// The method, the unsafe headers, then the total or the forced flag.
	if unsafeN > 0 || !IsSafelistedMethod(pl.Method) || tooLong || force {
		pl.Reasons = make([]string, 0, unsafeN+2)
	}
	if !IsSafelistedMethod(pl.Method) {
		pl.Reasons = append(pl.Reasons, methodReasons.get(pl.Method, ""))
	}
	for i, h := range kept {
		// A header safelisted alone is unsafe only by the total, said once.
		if safe[i] {
			continue
		}
		pl.Reasons = append(pl.Reasons, headerReasons.get(h.lower, p.safelistWhy(h.lower, h.value)))
	}
	if tooLong {
		pl.Reasons = append(pl.Reasons, fmt.Sprintf("the safelisted header values add up to %d bytes, more than 1024, so they all count as unsafe", total))
	}
	if force && len(pl.Reasons) == 0 {
		pl.Reasons = append(pl.Reasons, "a preflight was forced (use-CORS-preflight flag)")
	}
	pl.Reasons = slices.Clip(pl.Reasons)
	return classified{plan: pl}
}

// preflightText is the CodePreflightReasons message.
func preflightText(reasons []string) string {
	return joinAfter("the browser sends an OPTIONS preflight first: ", reasons, "; ")
}

// Plans are cached for the built-in profiles: a HAR's requests come in a
// few shapes (method, header names, the values that decide safelisting),
// each repeated thousands of times. Keys are at most maxPlanKey bytes; past
// maxPlans, plans are built each time.
const (
	maxPlanKey = 512
	maxPlans   = 256
)

type planCache = cowCache[string, classified]

var planCaches [3]planCache

// planCache is p's plan cache, or nil for a profile that is not built in
// (its fields may change: a test's variant).
func (p *Profile) planCache() *planCache {
	switch p {
	case Chromium:
		return &planCaches[0]
	case Firefox:
		return &planCaches[1]
	case Safari:
		return &planCaches[2]
	}
	return nil
}

// planKey appends to b everything classify reads: the method, the forced
// flag, and each kept header's name with, when it decides anything, its
// value (a safelisted name's). ok is false for a request not worth a key:
// a dropped header, a method that is not a token, a key longer than
// maxPlanKey. Names are tokens and values hold no newline, so the key
// reads back one way only.
func (p *Profile) planKey(b []byte, method string, force bool, kept []authorHeader, dropped []string) (key []byte, ok bool) {
	if len(dropped) > 0 || !isToken(method) {
		return nil, false
	}
	b = append(b, method...)
	b = append(b, " F"[boolIndex(force)])
	for _, h := range kept {
		b = append(b, '\n')
		b = append(b, h.lower...)
		if p.valueDecides(h.lower) {
			b = append(b, ':')
			b = append(b, h.value...)
		}
	}
	return b, len(b) <= maxPlanKey
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// valueDecides reports whether the value of a header with the lower-case
// name decides whether it is safelisted, and why not: for any other name
// isSafelisted is false and safelistWhy empty, whatever the value.
func (p *Profile) valueDecides(name string) bool {
	if _, ok := safelistedValue[name]; ok {
		return true
	}
	_, ok := p.ExtraSafelisted[name]
	return ok
}

// sentAsIs returns h when it is already the AuthorHeaders of kept, its
// grouping (one canonical key and one value for each header, nothing
// dropped, nothing trimmed): a HAR's or a probe's headers mostly are, and
// the plan then shares them instead of building a copy. Otherwise nil.
func sentAsIs(h http.Header, kept []authorHeader) http.Header {
	if len(h) != len(kept) {
		return nil
	}
	for _, a := range kept {
		if vs := h[a.canonical]; len(vs) != 1 || vs[0] != a.value {
			return nil
		}
	}
	return h
}

// The reasons of a plan, built once per method or header name and
// explanation: every request of a HAR names the same few.
var (
	methodReasons = reasonCache{text: func(method, _ string) string {
		return "method " + method + " is not CORS-safelisted (only GET, HEAD and POST are)"
	}}
	headerReasons = reasonCache{text: func(name, why string) string {
		return "header " + name + " is not CORS-safelisted" + why
	}}
)

// maxReasons bounds a reasonCache: past it, texts are built each time.
const maxReasons = 256

// reasonCache remembers text(a, b).
type reasonCache struct {
	text  func(a, b string) string
	cache cowCache[[2]string, string]
}

func (c *reasonCache) get(a, b string) string {
	key := [2]string{a, b}
	if s, ok := c.cache.load()[key]; ok {
		return s
	}
	s := c.text(a, b)
	// Own copies: a key may point into a larger string kept alive here.
	c.cache.add([2]string{strings.Clone(a), strings.Clone(b)}, s, maxReasons)
	return s
}

// cowCache is a bounded map that workers read without a lock; an entry is
// added to a copy of the map under one (copy on write: entries are few and
// read far more often than added).
type cowCache[K comparable, V any] struct {
	m  atomic.Pointer[map[K]V]
	mu sync.Mutex
}

// load returns the map to read (nil while empty); never write to it.
func (c *cowCache[K, V]) load() map[K]V {
	if m := c.m.Load(); m != nil {
		return *m
	}
	return nil
}

// add adds key unless the cache holds limit entries already.
func (c *cowCache[K, V]) add(key K, v V, limit int) {
	if len(c.load()) >= limit {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.load()
	if len(old) >= limit {
		return
	}
	grown := make(map[K]V, len(old)+1)
	maps.Copy(grown, old)
	grown[key] = v
	c.m.Store(&grown)
}

// safelistWhy explains why a header with a safelisted name is unsafe.
func (p *Profile) safelistWhy(name, value string) string {
	if _, ok := safelistedValue[name]; !ok {
		if _, extra := p.ExtraSafelisted[name]; extra {
			if len(value) > 128 {
				return " (its value is longer than 128 bytes)"
			}
			return " (" + p.Name + " safelists it only with a well-formed value)"
		}
		return ""
	}
	switch {
	case len(value) > 128:
		return " (its value is longer than 128 bytes)"
	case name == "content-type" && hasUnsafeByte(value):
		return " (its value has a byte that is not allowed)"
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
