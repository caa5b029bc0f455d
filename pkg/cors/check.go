package cors

import (
	"net/http"
	"strings"
)

// Header names, canonical.
const (
	HeaderAllowOrigin      = "Access-Control-Allow-Origin"
	HeaderAllowCredentials = "Access-Control-Allow-Credentials"
	HeaderAllowMethods     = "Access-Control-Allow-Methods"
	HeaderAllowHeaders     = "Access-Control-Allow-Headers"
	HeaderExposeHeaders    = "Access-Control-Expose-Headers"
	HeaderMaxAge           = "Access-Control-Max-Age"
	HeaderRequestMethod    = "Access-Control-Request-Method"
	HeaderRequestHeaders   = "Access-Control-Request-Headers"
)

// getCombined is the Fetch standard's "get": all lines of a header joined
// with ", "; ok is false when the header is absent. Each line loses its
// leading and trailing spaces and tabs first, as Chromium's header parser
// does, so a HAR value " *" is the wildcard.
func getCombined(h http.Header, name string) (string, bool) {
	return combine(headerValues(h, name))
}

// combined is getCombined(m.Header, key) for a canonical token key.
func combined(m *Message, key string) (string, bool) { return combine(values(m, key)) }

func combine(vs []string) (string, bool) {
	switch len(vs) {
	case 0:
		return "", false
	case 1:
		return strings.Trim(vs[0], " \t"), true
	}
	trimmed := make([]string, len(vs))
	for i, v := range vs {
		trimmed[i] = strings.Trim(v, " \t")
	}
	return strings.Join(trimmed, ", "), true
}

// headerValues reads a header case-insensitively: HAR files and tests may
// hold non-canonical keys.
func headerValues(h http.Header, name string) []string {
	return keyValues(h, http.CanonicalHeaderKey(name), false)
}

// values is headerValues(m.Header, key) for a canonical token key (the
// engine's names): no canonicalizing, and no scan when m's keys are known
// canonical (then only key itself can match).
func values(m *Message, key string) []string { return keyValues(m.Header, key, m.CanonicalKeys) }

// Values is every line of header key (a canonical name, such as
// HeaderAllowOrigin) in m, in the order received: which layer sent which
// of two values is read from it.
func Values(m *Message, key string) []string { return values(m, key) }

func first(m *Message, key string) string {
	if vs := values(m, key); len(vs) > 0 {
		return vs[0]
	}
	return ""
}

func keyValues(h http.Header, key string, canonicalKeys bool) []string {
	if vs, ok := h[key]; ok || canonicalKeys {
		return vs
	}
	var out []string
	for k, vs := range h {
		if asciiEqualFold(k, key) {
			out = append(out, vs...)
		}
	}
	return out
}

// asciiEqualFold is asciiLower(a) == asciiLower(b) without allocating:
// headerValues runs it for every header of every response.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// accessCheck is one failed step of Chromium's CheckAccess.
type accessCheck struct {
	corsError string // without the "Preflight" prefix
	param     string
	message   string
	// fix replaces the catalogue's on the actual response ("" keeps it):
	// the page's side of it is in the initiator's words.
	fix string
	// allowFix replaces it on the preflight and the actual response
	// alike: the server allows another origin (mismatchFix).
	allowFix string
}

// checkAccess is the CORS check (Fetch §CORS check) in Chromium's order
// (services/network/public/cpp/cors/cors.cc CheckAccess). It returns every
// failure, the one Chromium reports first: an origin failure and a
// credentials failure can both be true, and a user wants both. r says
// whether the request carries credentials, and its initiator how the
// page asked for them.
func checkAccess(m *Message, origin string, r *Request) []accessCheck {
	return checkAccessValues(values(m, HeaderAllowOrigin), values(m, HeaderAllowCredentials), origin, r)
}

// checkAccessValues is checkAccess on the lines of the response's
// Access-Control-Allow-Origin and Access-Control-Allow-Credentials.
func checkAccessValues(acaoLines, acacLines []string, origin string, r *Request) []accessCheck {
	credentials := r.Credentials
	var out []accessCheck
	acao, present := combine(acaoLines)
	switch {
	case present && acao == "*":
		if !credentials {
			return nil
		}
		in := InitiatorOf(r)
		out = append(out, accessCheck{corsError: "WildcardOriginNotAllowed",
			message: "the server answered Access-Control-Allow-Origin: * but the request carries credentials (" +
				in.Credentials + "), and `*` never allows a credentialed request", fix: wildcardFix(in)})
		// Chromium stops here; once the origin is echoed instead, the
		// credentials check below is the next thing the page hits.
	case !present:
		out = append(out, accessCheck{corsError: "MissingAllowOriginHeader", message: "the response has no Access-Control-Allow-Origin header"})
	case acao != origin:
		lines := len(acaoLines)
		switch failure := allowOriginFailure(acao); {
		case failure == "MultipleAllowOriginValues":
			why := "a comma-separated list"
			if !strings.Contains(acao, ",") {
				why = "a space-separated list"
			}
			if lines > 1 {
				why = "the header on " + itoa(lines) + " lines (two layers, such as a gateway and the application, both set it)"
			}
			out = append(out, accessCheck{corsError: failure, param: acao,
				message: "Access-Control-Allow-Origin holds several values ('" + acao + "'): " + why + "; exactly one origin is allowed"})
		case acao == "null":
			out = append(out, accessCheck{corsError: failure, param: acao,
				message: "Access-Control-Allow-Origin is 'null' but the origin is " + origin + ": " + mismatchReason(acao, origin), allowFix: mismatchFix(acao, origin)})
		case failure == "InvalidAllowOriginValue":
			out = append(out, accessCheck{corsError: failure, param: acao,
				message: "Access-Control-Allow-Origin is '" + acao + "', which is not an origin (scheme://host[:port]), `*` or null"})
		case r.OriginHeader != "" && acao == r.OriginHeader && origin == r.Origin:
			out = append(out, accessCheck{corsError: failure, param: acao,
				message: "Access-Control-Allow-Origin is '" + acao + "' but " + originIs(origin) + ": " + echoedOriginReason(acao, origin), fix: echoedOriginFix(origin)})
		default:
			out = append(out, accessCheck{corsError: failure, param: acao,
				message: "Access-Control-Allow-Origin is '" + acao + "' but " + originIs(origin) + ": " + mismatchReason(acao, origin), allowFix: mismatchFix(acao, origin)})
		}
	}
	if credentials {
		acac, _ := combine(acacLines)
		if acac != "true" {
			msg := "the request carries credentials but Access-Control-Allow-Credentials is missing"
			if acac != "" {
				msg = "the request carries credentials but Access-Control-Allow-Credentials is '" + acac + "'; it must be exactly 'true' (lower case)"
			}
			out = append(out, accessCheck{corsError: "InvalidAllowCredentials", param: acac, message: msg, fix: credentialsFix(InitiatorOf(r))})
		}
	}
	return out
}

// allowOriginFailure is CheckAccess's error for an
// Access-Control-Allow-Origin value other than `*` that is not the
// request's origin: a list, a value GURL cannot parse, or a mismatch
// (null, and a valid URL that differs, :443 included).
func allowOriginFailure(acao string) string {
	switch {
	case strings.ContainsAny(acao, " ,"):
		return "MultipleAllowOriginValues"
	case acao != "null" && !isValidURL(acao):
		return "InvalidAllowOriginValue"
	}
	return "AllowOriginMismatch"
}

// AllowOriginFailure is the finding a browser reports for an
// Access-Control-Allow-Origin value other than `*` that is not the
// request's origin, on the actual response.
func AllowOriginFailure(acao string) Code {
	return accessCodes[allowOriginFailure(acao)][0]
}

// wildcardFix is wildcard-origin-with-credentials' fix for a load made
// by in: the server's side, or the page's when the load needs no cookies.
func wildcardFix(in Initiator) string {
	return "With credentials, send the page's origin instead of `*`: echo the request's Origin only when it is on your allow-list (never every origin), add Vary: Origin, and send Access-Control-Allow-Credentials: true. Or, " +
		in.IfNoCookies() + "."
}

// credentialsFix is invalid-allow-credentials' fix for a load made by in.
func credentialsFix(in Initiator) string {
	return "Send Access-Control-Allow-Credentials: true (lower case, exactly); or, " + in.IfNoCookies() + "."
}

// originIs names the origin a response was checked against: the page's,
// or a null Origin, whose source (a sandboxed or file: page, a tainting
// redirect) the finding's context says.
func originIs(origin string) string {
	if origin == "null" {
		return "the request's Origin is null"
	}
	return "the page's origin is " + origin
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// accessCodes maps Chromium's CheckAccess errors to finding codes, for the
// actual response and for the preflight.
var accessCodes = map[string][2]Code{
	"MissingAllowOriginHeader":  {CodeMissingAllowOrigin, CodePreflightMissingAllowOrigin},
	"MultipleAllowOriginValues": {CodeMultipleAllowOrigin, CodePreflightMultipleAllowOrigin},
	"InvalidAllowOriginValue":   {CodeInvalidAllowOrigin, CodePreflightInvalidAllowOrigin},
	"AllowOriginMismatch":       {CodeAllowOriginMismatch, CodePreflightAllowOriginMismatch},
	"WildcardOriginNotAllowed":  {CodeWildcardCredentials, CodePreflightWildcardCredentials},
	"InvalidAllowCredentials":   {CodeInvalidCredentials, CodePreflightInvalidCredentials},
}

// preflightCodeOf is accessCodes as actual-response code → the preflight's.
var preflightCodeOf = func() map[Code]Code {
	m := map[Code]Code{}
	for _, pair := range accessCodes {
		m[pair[0]] = pair[1]
	}
	return m
}()

// headerChecks are the failures of a check on the CORS headers of a
// response the server sent: the CORS check (accessCodes) of the preflight
// and of the actual response, and the preflight's Allow-Methods and
// Allow-Headers. Whatever rewrites response headers between the server and
// the check (an extension) decides them.
var headerChecks = func() map[Code]bool {
	m := map[Code]bool{CodeInvalidAllowMethods: true, CodeInvalidAllowHeaders: true, CodeMethodNotAllowed: true, CodeHeaderNotAllowed: true}
	for _, pair := range accessCodes {
		m[pair[0]], m[pair[1]] = true, true
	}
	return m
}()

// IsHeaderCheck reports whether code fails a check on the CORS headers of
// a response (the CORS check, the preflight's method and header lists):
// one the server's headers alone decide, not the network, a redirect, the
// URL or the page.
func IsHeaderCheck(code Code) bool { return headerChecks[code] }

// AccessAllowed reports whether a response whose Access-Control-Allow-Origin
// and Access-Control-Allow-Credentials lines are acao and acac passes the
// CORS check (Fetch §CORS check) for r: the check Evaluate makes of each
// response to r, without building the response or the findings.
func AccessAllowed(acao, acac []string, r *Request) bool {
	return len(checkAccessValues(acao, acac, r.Origin, r)) == 0
}

// parseAllowList parses Access-Control-Allow-Methods or -Headers as Chromium
// does (preflight_result.cc ParseAccessControlAllowList, which walks
// net::HttpUtil::ValuesIterator with empty values ignored): split on commas
// outside single- or double-quoted runs, trim spaces and tabs, skip empty
// elements ("GET,,POST" and "GET, " parse), and require every element to be
// an HTTP token (Fetch §CORS-preflight fetch step 7.1-7.2, "extract header
// list values"). bad is the first element that is not a token.
func parseAllowList(v string, lower bool) (items []string, bad string, ok bool) {
	if v == "" {
		return nil, "", true
	}
	// One allocation for the list: an element per comma at most.
	items = appendValues(make([]string, 0, strings.Count(v, ",")+1), v)
	for i, item := range items {
		if !isToken(item) {
			return nil, item, false
		}
		if lower {
			items[i] = asciiLower(item)
		}
	}
	if len(items) == 0 {
		return nil, "", true
	}
	return items, "", true
}

// splitValues is net::HttpUtil::ValuesIterator: comma-separated values,
// where a comma inside '…' or "…" does not split, each trimmed of spaces and
// tabs, empty ones dropped.
func splitValues(v string) []string { return appendValues(nil, v) }

// appendValues appends splitValues(v) to out.
func appendValues(out []string, v string) []string {
	start := 0
	var quote byte
	for i := 0; i <= len(v); i++ {
		if i < len(v) {
			c := v[i]
			switch {
			case quote != 0 && c == '\\':
				i++
				continue
			case quote != 0:
				if c == quote {
					quote = 0
				}
				continue
			case c == '"' || c == '\'':
				quote = c
				continue
			case c != ',':
				continue
			}
		}
		if item := strings.Trim(v[start:min(i, len(v))], " \t"); item != "" {
			out = append(out, item)
		}
		start = i + 1
	}
	return out
}

// IsToken reports whether s is RFC 9110's token (1*tchar): a valid
// method or header name. Parsers of pasted requests check names with it.
func IsToken(s string) bool { return isToken(s) }

// isToken is RFC 9110's token: 1*tchar.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tchar[s[i]] {
			return false
		}
	}
	return true
}

// tchar is RFC 9110's tchar: every header name's byte is looked up here.
var tchar = func() (t [256]bool) {
	for c := '0'; c <= 'z'; c++ {
		t[c] = c <= '9' || c >= 'a' || c >= 'A' && c <= 'Z'
	}
	for _, c := range []byte("!#$%&'*+-.^_`|~") {
		t[c] = true
	}
	return t
}()

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// safelistedResponseHeaders are readable by script without
// Access-Control-Expose-Headers (Fetch §CORS-safelisted response-header name).
var safelistedResponseHeaders = map[string]bool{
	"cache-control": true, "content-language": true, "content-length": true,
	"content-type": true, "expires": true, "last-modified": true, "pragma": true,
}

// hiddenResponseHeaders lists response header names script cannot read.
func hiddenResponseHeaders(m *Message, credentials bool) []string {
	exposeV, _ := combined(m, HeaderExposeHeaders)
	// Exposure is lenient: a malformed element hides only itself.
	var exposed []string
	for _, n := range splitValues(exposeV) {
		exposed = append(exposed, asciiLower(n))
	}
	all := !credentials && contains(exposed, "*")
	var hidden []string
	for k := range m.Header {
		n := lowerName(k)
		if safelistedResponseHeaders[n] || strings.HasPrefix(n, "access-control-") || n == "set-cookie" || n == "set-cookie2" {
			continue
		}
		if !WorthExposing(n) || all || contains(exposed, n) {
			continue
		}
		hidden = append(hidden, n)
	}
	return hidden
}

// unread are response headers page script has no plausible use for:
// transport, caching layers, tracing of CDNs and servers, and security
// policies the browser itself applies. A finding that script cannot read
// them is noise.
var unread = map[string]bool{
	"connection": true, "keep-alive": true, "transfer-encoding": true, "date": true,
	"server": true, "vary": true, "content-encoding": true, "alt-svc": true,
	"strict-transport-security": true, "set-cookie": true, "set-cookie2": true,
	"x-powered-by": true, "x-aspnet-version": true, "x-aspnetmvc-version": true, "x-runtime": true,
	"via": true, "age": true, "accept-ranges": true, "x-cache": true, "x-cache-hits": true,
	"x-served-by": true, "x-timer": true, "cf-ray": true, "cf-cache-status": true,
	"x-amz-cf-id": true, "x-amz-cf-pop": true, "x-amzn-trace-id": true,
	"report-to": true, "nel": true, "server-timing": true, "timing-allow-origin": true,
	"x-frame-options": true, "x-content-type-options": true, "x-xss-protection": true,
	"content-security-policy": true, "content-security-policy-report-only": true,
	"referrer-policy": true, "permissions-policy": true, "expect-ct": true, "p3p": true,
	"cross-origin-opener-policy": true, "cross-origin-embedder-policy": true, "cross-origin-resource-policy": true,
}

// WorthExposing reports whether page script would plausibly read the
// response header name (lower case), so that its being hidden is worth a
// finding: not the CORS headers themselves, not transport or CDN headers,
// not security policies.
func WorthExposing(name string) bool {
	return !unread[name] && !strings.HasPrefix(name, "access-control-")
}
