package cors

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"

	"github.com/corsdiag/corsdiag/pkg/internal/shellword"
)

// OriginOf returns the serialized origin of an absolute URL
// ("https://api.example.com:8443"), with the default port dropped and the
// host lower-cased, or "null" for URLs with an opaque origin.
func OriginOf(rawURL string) string {
	if o, ok := originOfPlain(rawURL); ok {
		return o
	}
	if len(rawURL) > 5 && asciiLower(rawURL[:5]) == "blob:" {
		// URL standard, URL origin: a blob: URL's is its inner URL's
		// when that is http(s) (the page that made it), else opaque.
		if inner := rawURL[5:]; urlScheme(inner) == "http" || urlScheme(inner) == "https" {
			return OriginOf(inner)
		}
		return "null"
	}
	u, err := parseAuthority(rawURL)
	if err != nil {
		return "null"
	}
	return originOfURL(u)
}

// parseAuthority is url.Parse, except that a path or query net/url refuses
// (a stray %zz or a raw control character, which the URL standard keeps or
// percent-encodes and a browser sends) leaves the scheme and authority
// parsed: they alone make the origin and say whether the URL is http(s).
func parseAuthority(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err == nil {
		return u, nil
	}
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return nil, err
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return url.Parse(scheme + "://" + rest)
}

// originOfPlain is OriginOf without url.Parse for the URLs HAR files are
// made of (lower-case http(s), a plain host name or IPv4 address, an
// optional port, nothing to unescape); ok is false for anything else.
// A HAR read judges thousands of URLs, and parsing each several times
// was a tenth of the time. FuzzOriginOfPlain holds it to url.Parse.
func originOfPlain(raw string) (origin string, ok bool) {
	scheme, host, port, ok := splitPlain(raw)
	if !ok {
		return "", false
	}
	// The origin is a prefix of raw (without a default port), shared
	// rather than built.
	n := len(scheme) + len("://") + len(host)
	if port != "" && port != defaultPort(scheme) {
		n += len(":") + len(port)
	}
	return raw[:n], true
}

// plainURL is the scheme and host name url.Parse finds in a URL
// originOfPlain takes (ok false for any other), without parsing it.
func plainURL(raw string) (scheme, host string, ok bool) {
	scheme, host, _, ok = splitPlain(raw)
	return scheme, host, ok
}

// HostPath is url.Parse's Hostname() and Path for the URLs originOfPlain
// takes, without parsing them; ok is false for any other URL (parse it).
// The platform layer reads both from every request of a HAR file.
func HostPath(raw string) (host, path string, ok bool) {
	scheme, host, port, ok := splitPlain(raw)
	if !ok {
		return "", "", false
	}
	path = raw[len(scheme)+len("://")+len(host):]
	if port != "" {
		path = path[len(":")+len(port):]
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	return host, path, true
}

// splitPlain is originOfPlain's reading of raw: its scheme, host name and
// port as written ("" when none).
func splitPlain(raw string) (scheme, host, port string, ok bool) {
	switch {
	case strings.HasPrefix(raw, "https://"):
		scheme = "https"
	case strings.HasPrefix(raw, "http://"):
		scheme = "http"
	default:
		return "", "", "", false
	}
	rest := raw[len(scheme)+3:]
	end := len(rest)
	colon := -1
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c == '/' || c == '?' || c == '#':
			end = i
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '-':
			continue
		case c == ':' && colon < 0:
			colon = i
			continue
		default:
			return "", "", "", false
		}
		break
	}
	for i := end; i < len(rest); i++ {
		if c := rest[i]; c < 0x20 || c == 0x7f || c == '%' {
			return "", "", "", false // url.Parse refuses these, or unescapes
		}
	}
	host = rest[:end]
	if colon >= 0 {
		host, port = rest[:colon], rest[colon+1:end]
		if port == "" || port[0] == '0' || strings.ContainsAny(port, ".-abcdefghijklmnopqrstuvwxyz") {
			return "", "", "", false
		}
	}
	if host == "" {
		return "", "", "", false
	}
	return scheme, host, port, true
}

// plainPortOK reports whether an origin originOfPlain accepted has no port
// above 65535 (originOfPlain takes any digits; ParseOrigin refuses those).
func plainPortOK(origin string) bool {
	i := strings.LastIndexByte(origin, ':')
	if i < len("https:") {
		return true
	}
	p := origin[i+1:]
	return len(p) < 5 || len(p) == 5 && p <= "65535"
}

func originOfURL(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	switch scheme {
	case "http", "https", "ws", "wss", "ftp":
	default:
		return "null"
	}
	host := canonicalHost(u.Hostname())
	if host == "" || strings.Contains(host, "%") {
		// No host, or an IPv6 zone: the URL standard rejects both.
		return "null"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	port := canonicalPort(u.Port())
	if port == defaultPort(scheme) {
		port = ""
	}
	if port != "" {
		return scheme + "://" + host + ":" + port
	}
	return scheme + "://" + host
}

// canonicalPort is a port as the URL standard serializes it: a number, so
// leading zeros go (":080" is port 80, the default of http).
func canonicalPort(p string) string {
	if t := strings.TrimLeft(p, "0"); t != "" || p == "" {
		return t
	}
	return "0"
}

// canonicalHost lower-cases an ASCII host and turns an internationalized
// one into its A-label form (UTS #46, as the URL standard's domain to ASCII
// does), so "https://Bücher.example" serializes as a browser sends it.
func canonicalHost(h string) string {
	for i := 0; i < len(h); i++ {
		if h[i] >= 0x80 {
			if a, err := idna.Lookup.ToASCII(h); err == nil {
				return a
			}
			break
		}
	}
	return asciiLower(h)
}

// canonicalOrigin is ParseOrigin's serialization of s, or s itself when s
// is not an origin a user could mean.
func canonicalOrigin(s string) string {
	if o, err := ParseOrigin(s); err == nil {
		return o
	}
	return s
}

func defaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	case "ftp":
		return "21"
	}
	return ""
}

// ParseOrigin checks that s is a serialized origin as a user would type it
// (scheme://host[:port], a trailing slash tolerated) and returns its canonical
// serialization. "null" is accepted.
func ParseOrigin(s string) (string, error) {
	if s == "null" {
		return s, nil
	}
	if o, ok := originOfPlain(s); ok && o == s && plainPortOK(s) {
		// Already a serialized origin (the HAR reader's, every entry).
		return s, nil
	}
	return parseOrigin(s)
}

// parseOrigin is ParseOrigin by url.Parse.
func parseOrigin(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", &OriginError{Value: s, Reason: "it is not a URL: " + err.Error()}
	}
	if u.Scheme == "" || u.Host == "" {
		return "", &OriginError{Value: s, Reason: "an origin is scheme://host[:port], for example https://app.example.com"}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", &OriginError{Value: s, Reason: "the scheme must be http or https"}
	}
	if u.User != nil {
		return "", &OriginError{Value: s, Reason: "an origin has no user:password@"}
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		e := &OriginError{Value: s, Reason: "an origin has no path, query or fragment"}
		if o := originOfURL(&url.URL{Scheme: u.Scheme, Host: u.Host}); o != "null" {
			e.Suggest = o
			e.Reason += ": did you mean " + o + "?"
		}
		return "", e
	}
	if p := u.Port(); p != "" && (!allDigits(p) || cmpDecimal(p, "65535") > 0) {
		return "", &OriginError{Value: s, Reason: "the port is not a number from 0 to 65535"}
	}
	if h := u.Hostname(); h == "" || strings.ContainsAny(h, "%*<>^|\\ ") {
		return "", &OriginError{Value: s, Reason: "the host " + quote(h) + " is not a domain or IP address"}
	}
	o := originOfURL(u)
	if o == "null" {
		return "", &OriginError{Value: s, Reason: "an origin is scheme://host[:port], for example https://app.example.com"}
	}
	return o, nil
}

// OriginError says why a string is not an origin.
type OriginError struct {
	Value  string
	Reason string
	// Suggest is the origin the user most likely meant ("" when none):
	// the scheme and host of a URL given in place of an origin.
	Suggest string
}

func (e *OriginError) Error() string {
	return "cors: invalid origin " + quote(e.Value) + ": " + e.Reason
}

func quote(s string) string { return "\"" + s + "\"" }

// sameOrigin reports whether rawURL is same-origin with the serialized
// origin. An opaque origin ("null") is same-origin with nothing.
func sameOrigin(origin, rawURL string) bool {
	if origin == "null" {
		return false
	}
	return OriginOf(rawURL) == origin
}

// isValidURL approximates Chromium's GURL(value).is_valid() for an
// Access-Control-Allow-Origin value: "example.com", "" and "https://" are
// invalid; "https://example.com/", "https://*.example.com" and "foo:bar" are
// valid (GURL accepts them; they then fail as a mismatch).
func isValidURL(v string) bool {
	if v == "" || strings.ContainsAny(v, " \t") {
		return false
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ws", "wss", "ftp":
		if u.Opaque != "" {
			// GURL repairs "http:example.com" to "http://example.com/".
			return true
		}
		if p := u.Port(); p != "" && cmpDecimal(p, "65535") > 0 {
			return false
		}
		return u.Hostname() != ""
	}
	return u.Opaque != "" || u.Host != "" || u.Path != ""
}

// mismatchReason explains in words how an Access-Control-Allow-Origin value
// differs from the request's origin.
func mismatchReason(acao, origin string) string {
	if origin == "null" {
		return "only `null` (or `*` without credentials) matches it, never a named origin"
	}
	if acao == "null" {
		return "the server allowed the null origin, not " + origin
	}
	if strings.Contains(acao, "*") {
		return "the value is a pattern; browsers compare it byte for byte, so `*` inside an origin matches nothing (echo the request's Origin after checking it against your allow-list)"
	}
	if strings.TrimSuffix(acao, "/") == origin {
		return "the value has a trailing slash; an origin has none"
	}
	a, errA := url.Parse(acao)
	o, errO := url.Parse(origin)
	if errA != nil || errO != nil {
		return "the value is not the page's origin " + origin
	}
	if len(a.Path) > 1 || a.RawQuery != "" {
		return "the value carries a path (" + a.Path + "); an origin is scheme://host[:port] only"
	}
	if strings.EqualFold(strings.TrimSuffix(acao, "/"), origin) {
		return "the value differs only in letter case; the comparison is byte for byte, and browsers lower-case the scheme and host"
	}
	if OriginOf(acao) == origin {
		slips := serializationSlips(a, acao)
		never := "it"
		if len(slips) > 1 {
			never = "any of these"
		}
		return "the value " + strings.Join(slips, " and ") + "; browsers compare it byte for byte with the page's serialized origin, " +
			origin + ", which never has " + never
	}
	ah, oh := canonicalHost(a.Hostname()), canonicalHost(o.Hostname())
	sameScheme := strings.EqualFold(a.Scheme, o.Scheme)
	// Default ports count as the same: http://x and https://x differ in
	// scheme only.
	samePort := explicitPort(a) == explicitPort(o)
	if ah == oh {
		switch {
		case !sameScheme && !samePort:
			return "the scheme and port differ (" + a.Scheme + "://…:" + portOr(a) + " versus " + o.Scheme + "://…:" + portOr(o) + ")"
		case !sameScheme:
			return "the scheme differs (" + a.Scheme + " versus " + o.Scheme + ")"
		default:
			return "the port differs (" + portOr(a) + " versus " + portOr(o) + ")"
		}
	}
	if strings.TrimPrefix(ah, "www.") == strings.TrimPrefix(oh, "www.") {
		return "the host differs by www. (" + ah + " versus " + oh + ")"
	}
	if strings.HasSuffix(oh, "."+ah) || strings.HasSuffix(ah, "."+oh) {
		return "the host is a parent or subdomain of the page's (" + ah + " versus " + oh + "); origins match exactly, never by domain"
	}
	return "the server allows another origin (" + acao + "), not " + origin
}

// NamesOtherOrigin reports whether an Access-Control-Allow-Origin value
// names a real origin other than the page's (another scheme, host or port):
// not the page's own written otherwise (a trailing slash, letter case, a
// default port), a pattern, or null; and the page's origin is not null.
func NamesOtherOrigin(acao, origin string) bool {
	if origin == "null" || strings.Contains(acao, "*") {
		return false
	}
	o := OriginOf(acao)
	return o != "null" && o != origin
}

// mismatchFix is the fix of an Access-Control-Allow-Origin that names
// another origin than the page's (another host, scheme or port, or null):
// the server must allow the page's. It is "" for a value that means the
// page's origin but is written otherwise (a trailing slash, letter case, a
// default port), which the catalogue's fix covers, for a pattern, and for
// a null page, whose fix is to get a real origin.
func mismatchFix(acao, origin string) string {
	if origin == "null" || acao != "null" && !NamesOtherOrigin(acao, origin) {
		return ""
	}
	return "Allow the page's origin, " + origin + ", on the server, which answers " + acao +
		" instead: add the page's origin to the origins it accepts; with more than one, send back the request's Origin when it is on that list (never every origin) and add Vary: Origin."
}

// echoedOriginReason says why acao, the recorded request's own Origin
// header echoed back, fails: that header is not the serialized origin a
// browser sends, which it compares the value with.
func echoedOriginReason(acao, origin string) string {
	slips := []string{"is not serialized the way a browser sends an origin"}
	if a, err := url.Parse(acao); err == nil && OriginOf(acao) == origin {
		slips = serializationSlips(a, acao)
	}
	return "the server echoed the request's Origin header as recorded, which " + strings.Join(slips, " and ") +
		"; no browser sends that (it sends " + origin + " and compares the value with it), so a tool or an edit made this request, " +
		"and a browser's request would get its own origin echoed"
}

// echoedOriginFix is the fix when the server echoed a recorded Origin no
// browser sends: check what a browser sends; the echo needs no change.
// The origin is a recording's, whose host may hold $( ) ' ; &: one
// quoted word in the command.
func echoedOriginFix(origin string) string {
	return "Check the request as the browser sends it: corsdiag check URL --origin " + shellword.Quote(origin) +
		", or a HAR exported from the browser itself. The server echoed the Origin it got; that needs no change."
}

// serializationSlips says how acao (parsed as a) is written otherwise than
// the origin it serializes to (RFC 6454 §6.1, the URL standard's origin
// serialization): a default port, a port's leading zeros, an empty port,
// upper case, a slash.
func serializationSlips(a *url.URL, acao string) []string {
	var out []string
	scheme := strings.ToLower(a.Scheme)
	switch p := a.Port(); {
	case p == defaultPort(scheme):
		out = append(out, DefaultPortSlip(p))
	case p != "" && canonicalPort(p) == defaultPort(scheme):
		out = append(out, "carries the default port "+defaultPort(scheme)+", written :"+p)
	case p != "":
		// The page's own port, with leading zeros (":08443").
		out = append(out, "writes the port "+canonicalPort(p)+" as :"+p+", with a leading zero")
	case strings.HasSuffix(a.Host, ":"):
		out = append(out, "has an empty port (a `:` after the host)")
	}
	if i := strings.Index(acao, "://"); i >= 0 {
		head, _, _ := strings.Cut(acao[i+len("://"):], "/")
		if s := acao[:i] + head; s != asciiLower(s) {
			out = append(out, "has upper-case letters")
		}
		if strings.IndexFunc(head, func(r rune) bool { return r >= 0x80 }) >= 0 {
			out = append(out, "writes the host in Unicode (the origin has its xn-- form)")
		}
	}
	if a.Path == "/" {
		out = append(out, "has a trailing slash")
	}
	if len(out) == 0 {
		out = append(out, "is not serialized the way the browser sends the origin")
	}
	return out
}

// DefaultPortSlip is the slip serializationSlips (and EntrySlips) names
// for a value that writes its scheme's default port, port, out: the one
// that makes an entry allow-origin-default-port.
func DefaultPortSlip(port string) string { return "carries the default port :" + port }

// EntrySlips says how an allow-list entry is an origin written otherwise
// than a browser serializes it in Origin (RFC 6454 §6.1): white space
// around it, a path, and what serializationSlips names (a default port,
// upper case, a trailing slash). A list that compares strings never
// matches such an entry. origin is the origin the entry means ("" when it
// is none: a pattern, null, not an origin); slips is nil when the entry is
// that origin exactly.
func EntrySlips(entry string) (origin string, slips []string) {
	t := strings.TrimSpace(entry)
	if t != entry {
		slips = append(slips, "has white space around it")
	}
	if t == "null" || strings.Contains(t, "*") {
		return "", nil
	}
	o, err := ParseOrigin(t)
	if e, ok := err.(*OriginError); ok && e.Suggest != "" {
		u, _ := url.Parse(t)
		return e.Suggest, append(slips, "carries a path ("+u.EscapedPath()+")")
	}
	if err != nil {
		return "", nil
	}
	if o != t {
		u, _ := url.Parse(t)
		slips = append(slips, serializationSlips(u, t)...)
	}
	return o, slips
}

func explicitPort(u *url.URL) string {
	if p := canonicalPort(u.Port()); p != defaultPort(strings.ToLower(u.Scheme)) {
		return p
	}
	return ""
}

func portOr(u *url.URL) string {
	if p := canonicalPort(u.Port()); p != "" && p != defaultPort(strings.ToLower(u.Scheme)) {
		return p
	}
	if p := defaultPort(strings.ToLower(u.Scheme)); p != "" {
		return "default " + p
	}
	return "none"
}

// consoleURL approximates how Chromium prints a URL in a console message
// (GURL's canonical spec): lower-case scheme and host, default port
// dropped, an empty path as "/", no fragment.
func consoleURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.Host == "" || u.User != nil {
		return raw
	}
	scheme := strings.ToLower(u.Scheme)
	host := canonicalHost(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := canonicalPort(u.Port()); p != "" && p != defaultPort(scheme) {
		host += ":" + p
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	out := scheme + "://" + host + path
	if u.ForceQuery || u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out
}

// IsLocalhostName reports whether host is localhost or a name under it
// (RFC 6761 §6.3): browsers answer those with loopback without asking DNS.
func IsLocalhostName(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

// HostIsLoopback reports whether a URL's host is a loopback name or address.
func HostIsLoopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if IsLocalhostName(h) {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// Refusal says, in words, why resp looks like a CORS layer that runs and
// refused the request's origin, or "" when it does not: no
// Access-Control-Allow-Origin, but Vary: Origin (the answer depends on the
// Origin, as every allow-list middleware marks it: expressjs/cors,
// Spring's DefaultCorsProcessor, rs/cors), or, on a 2xx preflight answer,
// other Access-Control-Allow-* headers.
func Refusal(resp *Message, preflight bool) string {
	if resp == nil || len(values(resp, HeaderAllowOrigin)) > 0 {
		return ""
	}
	if varies(resp, "Origin") && !varies(resp, "*") {
		return "it answers with Vary: Origin but without Access-Control-Allow-Origin"
	}
	if preflight && resp.Status >= 200 && resp.Status < 300 {
		for _, name := range []string{HeaderAllowMethods, HeaderAllowHeaders, HeaderAllowCredentials, HeaderMaxAge} {
			if len(values(resp, name)) > 0 {
				return "it answered the preflight " + strconv.Itoa(resp.Status) + " with " + name + " but without Access-Control-Allow-Origin"
			}
		}
	}
	return ""
}

// DefaultPort is the port an origin of scheme leaves out when it is
// serialized ("443" for https, "80" for http; "" when none).
func DefaultPort(scheme string) string { return defaultPort(strings.ToLower(scheme)) }
