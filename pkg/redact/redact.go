// Package redact hides secrets (cookies, Authorization, API keys, tokens)
// in headers, query strings and text before corsdiag prints or writes them.
package redact

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/weburl"
)

// Marker replaces a secret value.
const Marker = "[REDACTED]"

// URLMarker is Marker escaped, as it replaces a password in a URL's
// authority: the URL still parses (url.UserPassword does the same).
const URLMarker = "%5BREDACTED%5D"

// CommonSecretParams are names tokens travel under in URLs, from the
// clouds' signed URLs (Azure SAS, Azure Functions, S3, GCS), OAuth and
// common APIs. IsSecretName holds for each; the fuzz tests hide a secret
// behind each and check that no output shows it.
var CommonSecretParams = []string{
	"sig", "code", "key", "apikey", "api_key", "access_token", "id_token", "refresh_token", "token", "auth",
	"signature", "X-Amz-Signature", "X-Amz-Security-Token", "X-Amz-Credential", "X-Goog-Signature",
	"X-Goog-Credential", "client_secret", "password", "session", "jwt", "code_verifier", "oauth_signature",
	"subscription-key", "sid", "PHPSESSID", "client_assertion", "SAMLResponse",
}

// Header returns a copy of h with secret values replaced by Marker. Cookie
// names are kept ("session=[REDACTED]") because they help a diagnosis.
func Header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		nv := make([]string, len(vs))
		for i, v := range vs {
			nv[i] = Value(k, v)
		}
		out[k] = nv
	}
	return out
}

// Value redacts one header value given its name.
func Value(name, v string) string {
	n := strings.ToLower(name)
	switch {
	case n == "cookie" || n == "cookie2":
		return cookieNames(v, ";")
	case n == "set-cookie" || n == "set-cookie2":
		return setCookies(v)
	case n == "authorization" || n == "proxy-authorization":
		if scheme, _, ok := strings.Cut(v, " "); ok {
			return scheme + " " + Marker
		}
		return Marker
	case IsSecretName(n):
		return Marker
	case urlHeaders[n]:
		return URL(v)
	}
	return Text(v)
}

// urlHeaders hold one URL, maybe relative (a redirect's "/cb?code=…"):
// redacted as a URL whole, not as the URLs Text finds in prose.
var urlHeaders = map[string]bool{"location": true, "content-location": true, "referer": true}

// HeaderLine redacts one header line, "Name: value", as Value redacts the
// value; a line without a colon (or whose name is no token) as Text. For a
// line quoted from what a server sent: an error naming the line at fault.
func HeaderLine(line string) string {
	name, v, ok := strings.Cut(line, ":")
	if !ok || name == "" || strings.ContainsAny(name, " \t\"") {
		return Text(line)
	}
	return name + ": " + Value(name, strings.TrimLeft(v, " \t"))
}

// cookieNames redacts a Cookie header's pairs, keeping each name and
// every separator as sent.
func cookieNames(v, sep string) string {
	parts := strings.Split(v, sep)
	for i, p := range parts {
		if strings.TrimSpace(p) != "" {
			parts[i] = p[:len(p)-len(strings.TrimLeft(p, " \t"))] + cookiePair(p)
		}
	}
	return strings.Join(parts, sep)
}

// setCookies redacts a Set-Cookie value, or several a HAR joined with line
// breaks (Firefox): each cookie's value hidden, its attributes kept.
func setCookies(v string) string {
	if !strings.Contains(v, "\n") {
		return setCookie(v)
	}
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		lines[i] = setCookie(l)
	}
	return strings.Join(lines, "\n")
}

// setCookie is one Set-Cookie value with its cookie's value hidden and its
// attributes kept as sent when each reads as cookieAttributes says: they
// hold no secret, and SameSite=None; Secure is what a credentialed
// request's diagnosis reads. Another attribute's value, or one that does
// not read as its attribute (a list joined by commas goes on with the next
// cookie), is hidden.
func setCookie(v string) string {
	pair, attrs, ok := strings.Cut(v, ";")
	out := cookiePair(pair)
	if !ok {
		return out
	}
	parts := strings.Split(attrs, ";")
	for i, a := range parts {
		name, val, hasVal := strings.Cut(a, "=")
		space := a[:len(a)-len(strings.TrimLeft(a, " \t"))]
		re, known := cookieAttributes[strings.ToLower(strings.TrimSpace(name))]
		switch {
		case strings.TrimSpace(a) == "":
		case !known:
			if hasVal {
				parts[i] = name + "=" + Marker
			} else {
				parts[i] = space + Marker
			}
		case re == nil && hasVal, re != nil && !re.MatchString(strings.TrimSpace(val)):
			parts[i] = name + "=" + Marker
		}
	}
	return out + ";" + strings.Join(parts, ";")
}

// cookieAttributes are Set-Cookie's attributes (RFC 6265bis 5.6, and
// Partitioned and Priority, which Chromium reads), each with the form of
// its value; nil for a flag, which has none.
var cookieAttributes = map[string]*regexp.Regexp{
	"expires":     regexp.MustCompile(`^[A-Za-z]{3}, \d{1,2}[ -][A-Za-z]{3}[ -]\d{2,4} \d{1,2}:\d{2}:\d{2} GMT$`),
	"max-age":     regexp.MustCompile(`^-?\d{1,12}$`),
	"domain":      regexp.MustCompile(`^\.?[A-Za-z0-9.-]{1,253}$`),
	"path":        regexp.MustCompile(`^/[^\s,;]*$`),
	"samesite":    regexp.MustCompile(`(?i)^(strict|lax|none)$`),
	"priority":    regexp.MustCompile(`(?i)^(low|medium|high)$`),
	"secure":      nil,
	"httponly":    nil,
	"partitioned": nil,
}

// cookiePair is one name=value pair with its value hidden. A pair without
// '=' is a nameless cookie's value (RFC 6265bis, 5.7): all of it is
// hidden. A comma is the value's (browsers send JSON cookies raw).
func cookiePair(p string) string {
	name, _, ok := strings.Cut(p, "=")
	if !ok {
		return Marker
	}
	return strings.TrimSpace(name) + "=" + Marker
}

// URL redacts the userinfo password and the secret parameters of the
// query and the fragment of a URL (OAuth's implicit flow puts
// #access_token=… there). It works on the raw string, so what does not
// parse is redacted too: a bad escape (%zz) or a ';' separator anywhere
// must not switch redaction off for the whole URL. Everything else is
// kept byte for byte; Text's patterns (JWTs, AWS keys) then apply.
func URL(raw string) string {
	return shapes(rawURL(raw)) // params judged its query's names already
}

// rawURL is URL without Text's patterns.
func rawURL(raw string) string {
	out := raw
	rest := 0 // where the authority ends
	if i := strings.Index(raw, "://"); i > 0 && weburl.IsScheme(raw[:i]) {
		start := i + 3
		end := len(raw)
		if j := authorityEnds.index(raw[start:]); j >= 0 {
			end = start + j
		}
		rest = end
		if at := strings.LastIndexByte(raw[start:end], '@'); at >= 0 {
			marker := URLMarker
			switch c := strings.IndexByte(raw[start:start+at], ':'); {
			case c >= 0 && c+1 < at:
				out = raw[:start+c+1] + marker + raw[start+at:]
			case c > 0:
				// No password: the user name is the key (Stripe's
				// https://sk_live_…:@api.stripe.com/).
				out = raw[:start] + marker + raw[start+c:]
			}
			rest += len(out) - len(raw)
		}
	}
	q := queryStarts.index(out[rest:])
	if q < 0 {
		return pathParams(out, rest, len(out))
	}
	q += rest
	if p := pathParams(out, rest, q); len(p) != len(out) {
		q += len(p) - len(out)
		out = p
	}
	tail := out[q+1:]
	query, frag := tail, ""
	if out[q] == '?' {
		if h := strings.IndexByte(tail, '#'); h >= 0 {
			query, frag = tail[:h], tail[h+1:]
		}
	}
	rq := params(query)
	rf := params(frag)
	if len(rq) == len(query) && len(rf) == len(frag) && rq == query && rf == frag {
		return out // most URLs: nothing to redact, nothing to build
	}
	var b strings.Builder
	b.Grow(len(out))
	b.WriteString(out[:q+1])
	b.WriteString(rq)
	if len(query) < len(tail) {
		b.WriteByte('#')
		b.WriteString(rf)
	}
	return b.String()
}

// pathParams is u with the values of the secret parameters of its path,
// u[from:to], redacted: matrix parameters (Tomcat's /a;jsessionid=…, a key
// in a path), read as a query's are (params). A value runs to the next
// ';', over '/': a base64 key holds one (Service Bus's SharedAccessKey=…
// in a connection string that reads as an sb:// URL's path).
func pathParams(u string, from, to int) string {
	i := strings.IndexByte(u[from:to], ';')
	if i < 0 {
		return u
	}
	i += from + 1
	p := params(u[i:to])
	if len(p) == to-i && p == u[i:to] {
		return u
	}
	return u[:i] + p + u[to:]
}

// params redacts the values of secret parameters in a query or fragment,
// split on '&' and ';' as servers do, and on raw white space: a browser
// never sends it there (the URL standard strips tab and line breaks and
// escapes the rest), so in a recorded URL it can only be a hostile or
// hand-edited file's, and what follows it must not escape redaction. Every
// separator and every other byte is kept.
func params(s string) string {
	var b strings.Builder // written from the first change on
	changed := false
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && !paramEnds[s[i]] {
			continue
		}
		p := s[start:i]
		if r := param(p); r != p {
			if !changed {
				b.Grow(len(s))
				b.WriteString(s[:start])
			}
			p, changed = r, true
		}
		if changed {
			b.WriteString(p)
			if i < len(s) {
				b.WriteByte(s[i])
			}
		}
		start = i + 1
	}
	if !changed {
		return s
	}
	return b.String()
}

func param(p string) string {
	k, v, ok := strings.Cut(p, "=")
	if !ok {
		if looksLikeToken(unescape(p)) {
			return Marker
		}
		return p
	}
	if v == "" || v == Marker {
		return p
	}
	if uv := unescape(v); IsSecretName(unescape(k)) || looksLikeToken(uv) || holdsSecretParam(uv) {
		return k + "=" + Marker
	}
	return p
}

// holdsSecretParam reports whether v, a parameter's value unescaped, is a
// URL (a return_to's, a redirect's) with a secret parameter of its own
// (…/cb?code=…, …/cb;jsessionid=…): the whole value is hidden, as its
// query is the URL's too. Its pieces between any of "?#&;" are read at
// once, so a URL held in a URL held in one costs no second scan.
func holdsSecretParam(v string) bool {
	if urlSecretMarks.index(v) < 0 {
		return false
	}
	for start, i := 0, 0; i <= len(v); i++ {
		if i < len(v) && !heldParamEnds[v[i]] {
			continue
		}
		if k, val, ok := strings.Cut(v[start:i], "="); ok && val != "" && IsSecretName(k) {
			return true
		}
		start = i + 1
	}
	return false
}

// unescape decodes %XX and '+' as a query does; a bad escape stays as
// written instead of failing the whole string.
func unescape(s string) string {
	if escapes.index(s) < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// byteSet is a set of bytes to look for. strings.IndexAny builds one on
// every call; URLs and their parameters are short and many (every request
// of a HAR report), so the sets are built once.
type byteSet [256]bool

func newByteSet(bytes string) (t *byteSet) {
	t = new(byteSet)
	for i := 0; i < len(bytes); i++ {
		t[bytes[i]] = true
	}
	return t
}

// index is strings.IndexAny(s, the set's bytes).
func (t *byteSet) index(s string) int {
	for i := 0; i < len(s); i++ {
		if t[s[i]] {
			return i
		}
	}
	return -1
}

var (
	authorityEnds  = newByteSet("/?#")
	queryStarts    = newByteSet("?#")
	urlSecretMarks = newByteSet("@?#;") // only a URL holding one can hold a secret
	escapes        = newByteSet("%+")
	paramEnds      = newByteSet("&; \t\n\r\f\v")
	heldParamEnds  = newByteSet("?#&; \t\n\r\f\v")
)

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// urlsInText redacts every URL quoted in free text (an error message, a
// finding, a console line) the way URL does. A URL runs from its scheme
// to the next space, quote or angle bracket (see isURLEnd); only those
// holding '@', '?', '#' or ';' can hold a secret, so the rest cost one scan.
func urlsInText(s string) string {
	if !strings.Contains(s, "://") {
		return relativeURLs(s)
	}
	var b strings.Builder
	last := 0
	for i := 0; i+3 <= len(s); {
		j := strings.Index(s[i:], "://")
		if j < 0 {
			break
		}
		j += i
		start := j
		for start > 0 && weburl.IsSchemeByte(s[start-1]) {
			start--
		}
		end := j + 3 + len(firstWord(s[j+3:]))
		end = urlGoesOn(s, j, end)
		end = start + proseEnd(s[start:end], s[end:])
		if start < j && start >= last && urlSecretMarks.index(s[j:end]) >= 0 {
			if r := rawURL(s[start:end]); r != s[start:end] {
				b.WriteString(relativeURLs(s[last:start]))
				b.WriteString(r)
				last = end
			}
		}
		i = end
	}
	if last == 0 {
		return relativeURLs(s)
	}
	b.WriteString(relativeURLs(s[last:]))
	return b.String()
}

// urlGoesOn is where a URL quoted in s, from its "://" at j, ends when its
// run of bytes ends at end: there, unless its query or fragment ended
// inside a name=value parameter at a space or a quote that a parameter
// list follows ("?x=1 sid=…&y=2"). A browser escapes both in a URL, so only
// a hostile or hand-edited file's URL holds them raw, and what follows is
// still its query: the secret parameters there are hidden with the rest.
// Prose after a URL ("?page=2 and code=200") does not go on.
func urlGoesOn(s string, j, end int) int {
	for end < len(s) && goesOnAt(s[end]) && endsInParam(s[j:end]) {
		w := firstWord(s[end+1:])
		if !isParamList(w) {
			break
		}
		end += 1 + len(w)
	}
	return end
}

// goesOnAt reports whether a URL that ends at c may go on after it.
func goesOnAt(c byte) bool { return c == ' ' || c == '\'' || c == '"' }

// endsInParam reports whether u, a URL from its "://", ends inside a
// name=value parameter of its query or fragment.
func endsInParam(u string) bool {
	if queryStarts.index(u) < 0 {
		return false
	}
	k := max(strings.LastIndexAny(u, "?#&; \t\n\r'\""), 0)
	return strings.IndexByte(u[k:], '=') >= 0
}

// firstWord is s up to the first byte that ends a URL.
func firstWord(s string) string {
	for i := 0; i < len(s); i++ {
		if isURLEnd(s[i]) {
			return s[:i]
		}
	}
	return s
}

// isParamList reports whether w is name=value parameters joined by '&' or
// ';' (a leading separator allowed), names of URL token bytes.
func isParamList(w string) bool {
	w = strings.TrimLeft(w, "&;")
	if w == "" {
		return false
	}
	for p := range strings.FieldsFuncSeq(w, func(r rune) bool { return r == '&' || r == ';' }) {
		k, _, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return false
		}
		for i := 0; i < len(k); i++ {
			if c := k[i]; !weburl.IsSchemeByte(c) && c != '_' && c != '%' && c != '~' {
				return false
			}
		}
	}
	return true
}

// relativeURLs redacts the relative URLs quoted in text as URL does: a
// word that starts with '/' (after white space, a quote or a parenthesis:
// opensURL) and holds '?', '#' or ';' (a path parameter), such as a
// redirect's Location "/cb?code=…" in a fix. Other words holding a slash
// (1/2, a/b) are not URLs.
func relativeURLs(s string) string {
	if strings.IndexByte(s, '?') < 0 && strings.IndexByte(s, '#') < 0 && strings.IndexByte(s, ';') < 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		k := strings.IndexByte(s[i:], '/')
		if k < 0 {
			break
		}
		if i += k; i > 0 && !opensURL(s[i-1]) {
			continue
		}
		end := i + 1 + len(firstWord(s[i+1:]))
		end = i + proseEnd(s[i:end], s[end:])
		if urlSecretMarks.index(s[i:end]) >= 0 {
			if r := rawURL(s[i:end]); r != s[i:end] {
				b.WriteString(s[last:i])
				b.WriteString(r)
				last = end
			}
		}
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// Inert reports whether s holds no secret hint and quotes no URL that
// Text would change: what TextAround asks of the text around a URL. Its
// answer depends on s alone, so a caller may remember it for the texts
// it sees again.
func Inert(s string) bool {
	return !mayHoldSecret(s) && !holdsSecretKey(s) && urlsInText(s) == s
}

// TextAround is Text(pre + url + post) as pre + mid + post, for a text
// that quotes url between an inert pre and post (Inert holds for both):
// a finding's message naming the request's URL, whose other words repeat
// from request to request. ok is false when that does not hold (url ends
// or starts elsewhere than where it is quoted, or a hint may run into it):
// then call Text on the whole. FuzzTextAround holds it to Text.
func TextAround(pre, url, post string) (mid string, ok bool) {
	// urlsInText takes exactly url, and the URLs of pre and post as it
	// takes them alone: url starts with its scheme, holds nothing that
	// ends a URL, and pre ends and post starts with what does.
	j := strings.Index(url, "://")
	if j <= 0 || pre != "" && !isURLEnd(pre[len(pre)-1]) || post != "" && !isURLEnd(post[0]) {
		return "", false
	}
	for i := 0; i < len(url); i++ {
		// A '(', tab or line break may start a relative URL inside it
		// (relativeURLs).
		if opensURL(url[i]) || i < j && !weburl.IsSchemeByte(url[i]) {
			return "", false
		}
	}
	// Nor may a parenthesis or punctuation close around it (proseEnd).
	if proseEnd(url, post) != len(url) {
		return "", false
	}
	// Nor may the URL go on into post (urlGoesOn): a parameter list after
	// a space or a quote that ends it inside a parameter.
	if post != "" && goesOnAt(post[0]) && endsInParam(url[j:]) && isParamList(firstWord(post[1:])) {
		return "", false
	}
	mid = url
	if urlSecretMarks.index(url[j:]) >= 0 {
		mid = rawURL(url)
	}
	// patterns keeps the whole unless a hint is in it: none is in pre or
	// post, so one would overlap mid, within maxHintLen-1 bytes of it.
	// The window is built on the stack: every request's message asks.
	w := maxHintLen - 1
	var room [128]byte
	win := append(room[:0], pre[max(0, len(pre)-w):]...)
	win = append(append(win, mid...), post[:min(w, len(post))]...)
	// Nor may a key=value pair of the URL's that URL keeps be one Text
	// hides, or a value after its last '=' or ':' be in post, or a '=' after
	// its last key (white space may stand before '=').
	if mayHoldSecret(win) || holdsSecretKey(mid) || strings.HasSuffix(mid, "=") || strings.HasSuffix(mid, ":") ||
		strings.HasPrefix(strings.TrimLeft(post, " \t"), "=") {
		return "", false
	}
	return mid, true
}

// maxHintLen is the length of the longest secret hint.
var maxHintLen = func() (n int) {
	for _, hs := range secretHints {
		for _, h := range hs {
			n = max(n, len(h))
		}
	}
	return n
}()

// opensURL reports whether a relative URL quoted in text may start after
// c: what ends a URL, a parenthesis, and a tab or line break, which do
// not end one (isURLEnd) but still start a word.
func opensURL(c byte) bool { return isURLEnd(c) || c == '(' || c == '\t' || c == '\n' || c == '\r' }

// proseEnd is the length of u, a URL quoted in text that rest follows,
// without what the prose around it adds: the parentheses parenEnd finds,
// or one byte of punctuation before a space or the end ("see …?code=c,
// then"), which a secret ending the URL would otherwise take. At most one
// such byte, and not one right after '=' or another: a hostile secret made
// of them stays hidden. Before a quote or '>' it is the URL's.
func proseEnd(u, rest string) int {
	n := parenEnd(u)
	if n == len(u) && (rest == "" || rest[0] == ' ') && n >= 2 &&
		isProsePunct(u[n-1]) && !isProsePunct(u[n-2]) && u[n-2] != '=' {
		n--
	}
	return n
}

// isProsePunct reports whether c is punctuation that prose puts after a
// word (';' too: a config line's end, "nginx: return 302 …;"): a secret
// value's last byte is taken for it, and a URL's after a ')' (parenEnd).
func isProsePunct(c byte) bool { return strings.IndexByte(".,;:!?", c) >= 0 }

// parenEnd is the length of u, a URL quoted in text, without the
// parentheses that close around it rather than in it ("(see /cb?code=…)."):
// a ')' that opens nothing in u, with only punctuation after it. Other
// bytes after such a ')' stay the URL's: a hostile secret may hold one.
func parenEnd(u string) int {
	n := len(u)
	// Counted once and kept as bytes are cut: counting u[:k] on every
	// turn took a hostile run of ')' quadratic time (BenchmarkHostileText).
	opens, closes := strings.Count(u, "("), strings.Count(u, ")")
	for {
		k := n
		for k > 0 && isProsePunct(u[k-1]) {
			k--
		}
		if k == 0 || u[k-1] != ')' || opens >= closes {
			return n
		}
		n, closes = k-1, closes-1
	}
}

// isURLEnd reports whether c ends a URL quoted in text. A control
// character does not: a hostile URL may hold one. Nor do tab and line
// breaks, which the URL standard strips from a URL: a recorded URL (a HAR
// entry's, a header's) holding one goes on after it, and a secret
// parameter on the next line is still the URL's. A URL that ends a line of
// prose takes the next line's first word with it, which a redaction
// changes only when it is a secret parameter.
func isURLEnd(c byte) bool {
	switch c {
	case ' ', '\f', '\v', '"', '\'', '<', '>', '`':
		return true
	}
	return false
}

var (
	jwtRE    = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`)
	bearerRE = regexp.MustCompile(`(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}`)
	// AWS access key ids (long-term AKIA, temporary ASIA); a value after a
	// secret-looking key is keyRE's.
	awsKeyRE = regexp.MustCompile(`\b(AKIA|ASIA)[A-Z0-9]{16}\b`)
	// keyRE is a key whose name holds one of keyHints and its ':' or '=':
	// keyValues reads the value after it. Its quotes may be escaped: JSON
	// held in JSON strings (\", \\\" two deep, or \u0022); or single: a
	// Python dict's.
	keyRE = regexp.MustCompile(`(?i)(?:\\*"|\\u0022|')?[a-z0-9_-]*(?:` + strings.Join(keyHints, "|") +
		`)[a-z0-9_-]*(?:\\*"|\\u0022|')?\s*[:=]\s*`)
)

// keyHints are the words keyRE finds in a key: keyStems, and an API key
// however it is written ("key" alone is too common a word to look for in
// every text). Each is a regular expression's literal.
var keyHints = slices.Concat(keyStems, []string{"api_key", "api-key", "apikey"})

// Text redacts secrets in free text or bodies: URLs quoted in it as URL
// does (userinfo passwords, secret parameters), and what shows by its
// shape: JWTs, bearer/basic credentials, AWS access key ids, and key=value
// or "key": "value" pairs whose key names a secret.
func Text(s string) string {
	return patterns(urlsInText(s))
}

// TextQuoting is Text for a text that quotes the given URLs whole (a
// finding quoting the request's URL, a check named after its URL): each
// is first redacted where it is quoted as URL redacts it, longest first
// (a URL that is a prefix of another does not win), so the text hides
// what the URL column hides however the URL reads as prose.
func TextQuoting(s string, urls ...string) string {
	if len(urls) > 1 {
		urls = slices.Clone(urls)
		slices.SortFunc(urls, func(a, b string) int { return len(b) - len(a) })
	}
	for _, u := range urls {
		if u == "" || !strings.Contains(s, u) {
			continue
		}
		if r := URL(u); r != u {
			s = strings.ReplaceAll(s, u, r)
		}
	}
	return Text(s)
}

// patterns is Text without the URL step.
func patterns(s string) string {
	s = shapes(s)
	if strings.IndexByte(s, '=') >= 0 || strings.IndexByte(s, ':') >= 0 {
		s = keyValues(s, false)
	}
	return s
}

// shapes is patterns without the key=value pairs no hint marks.
func shapes(s string) string {
	if s == "" || !mayHoldSecret(s) {
		return s
	}
	s = jwtRE.ReplaceAllString(s, Marker)
	s = bearerRE.ReplaceAllStringFunc(s, func(m string) string {
		scheme := m[:strings.IndexAny(m, " \t\r\n\f\v")]
		// A period after a credential ends the sentence, not the token.
		if strings.HasSuffix(m, ".") && !strings.HasSuffix(m, "..") {
			return scheme + " " + Marker + "."
		}
		return scheme + " " + Marker
	})
	s = awsKeyRE.ReplaceAllString(s, Marker)
	return keyValues(s, true)
}

// A pair is a key and the value after it that keyValues may hide: the
// key from k0 (its opening quote with it) to k1, where its value starts,
// after its ':' or '=' and white space; the value s[v0:v1] (valueAt), cut
// from raw. judged: IsSecretName holds for the key, already asked.
type pair struct {
	k0, k1, v0, v1 int
	raw            string
	judged         bool
}

// at sets p to the pair whose key starts at s[k0] and whose value at
// s[k1]. The finders fill a caller's pair only when they find one:
// returning one by value cost BenchmarkTextFinding 1% of its instructions.
func (p *pair) at(s string, k0, k1 int, judged bool) {
	p.k0, p.k1, p.judged = k0, k1, judged
	p.v0, p.v1, p.raw = valueAt(s, k1)
}

// nextHintedKey finds the next key keyRE matches in s from pos.
func nextHintedKey(s string, pos int, p *pair) bool {
	loc := keyRE.FindStringIndex(s[pos:])
	if loc == nil {
		return false
	}
	p.at(s, pos+loc[0], pos+loc[1], false)
	return true
}

// keyScan finds the key=value pairs of a text whose key IsSecretName
// holds (next). It keeps the next '=' and ':' it found, each by
// strings.IndexByte (a vector search; a byte set's loop doubled Text's
// time on a finding), so a text is searched once however many pairs
// keyValues passes over.
type keyScan struct{ eq, colon int }

func newKeyScan() keyScan { return keyScan{-1, -1} }

// next finds the next key=value pair in s from pos whose key IsSecretName
// holds and whose value is not yet hidden: the keys keyRE's hint words do
// not name (AccountKey=, SharedAccessKey=, key1=, basicauth=), and the
// key: value and "key": "value" pairs colonKey takes. Only a '=' or ':'
// with a key right before it is asked, so prose without one costs a byte
// search.
func (sc *keyScan) next(s string, pos int, p *pair) bool {
	eq, colon := sc.eq, sc.colon // in registers while it runs
	if eq < pos {
		eq = nextByte(s, pos, '=')
	}
	if colon < pos {
		colon = nextByte(s, pos, ':')
	}
	for {
		j := min(eq, colon)
		if j == len(s) {
			return false
		}
		pos = j + 1
		if j == colon {
			colon = nextByte(s, pos, ':')
			if colonKey(s, j, p) {
				sc.eq, sc.colon = eq, colon
				return true
			}
			continue
		}
		eq = nextByte(s, pos, '=')
		// Spaces or tabs may stand around '=' (a config line's key = value);
		// after it alone, they follow an empty value ("…&key= HTTP/1.1").
		e, v := j, pos
		for e > 0 && isBlank(s[e-1]) {
			e--
		}
		for e < j && v < len(s) && isBlank(s[v]) {
			v++
		}
		k := keyStart(s, e)
		if k == e || pos == len(s) || s[pos] == '=' || strings.HasPrefix(s[v:], Marker) {
			continue
		}
		if mayBeSecretName(s[k:e]) && IsSecretName(s[k:e]) {
			sc.eq, sc.colon = eq, colon
			p.at(s, k, v, true)
			return true
		}
	}
}

// nextByte is the index of the first c in s from pos, or len(s).
func nextByte(s string, pos int, c byte) int {
	if i := strings.IndexByte(s[pos:], c); i >= 0 {
		return pos + i
	}
	return len(s)
}

// colonKey is the key of a YAML key: value or a JSON "key": "value" pair
// (quotes maybe escaped) whose ':' is s[j], from k0, and where its value
// starts, k1, when IsSecretName holds for it: a key that starts with a
// letter, right before the colon, and after white space or "{[(,;`'\"" or
// nothing, and a value on the same line. So a scheme (https:), a time
// (12:30), a port and a URL's userinfo are none, nor a URL value. Unquoted, a lone word
// (code, credentials, Authorization) is prose's ("Status code: 200",
// "credentials: unchanged"), and a header secretHeaders names is a line
// HeaderLine reads and Text reads by its value (a scheme, a cookie's
// name). A number is a secret where isSecretNumber says, as in Body.
func colonKey(s string, j int, p *pair) bool {
	e := j
	quote := e > 0 && s[e-1] == '"'
	if quote {
		if e--; e > 0 && s[e-1] == '\\' {
			e--
		}
	}
	k := keyStart(s, e)
	if k == e || !isLower(s[k]|0x20) || !quote && isLoneWord(s[k+1:e]) {
		return false
	}
	key := s[k:e]
	if quote {
		if k == 0 || s[k-1] != '"' {
			return false
		}
		if k--; k > 0 && s[k-1] == '\\' && e < j-1 {
			k--
		}
	}
	if k > 0 && !isSpaceByte(s[k-1]) && strings.IndexByte("{[(,;`'\"", s[k-1]) < 0 {
		return false
	}
	v := j + 1
	for v < len(s) && (s[v] == ' ' || s[v] == '\t') {
		v++
	}
	// A CORS header is asked first: findings quote them at every turn.
	if v == len(s) || isSpaceByte(s[v]) || len(key) > len(corsPrefix) && hasFoldedPrefix(key, corsPrefix) ||
		!mayBeSecretName(key) || !IsSecretName(key) || !quote && secretHeaders[strings.ToLower(key)] {
		return false
	}
	// A URL's secrets are urlsInText's to find.
	v0, v1, raw := valueAt(s, v)
	if val := s[v0:v1]; strings.Contains(val, "://") || jsonNumberRE.FindString(val) == val && !isSecretNumber(key) {
		return false
	}
	*p = pair{k, v, v0, v1, raw, true}
	return true
}

// isLoneWord reports whether w, a key after its first letter, is lower-case
// letters only: the key is one word of prose.
func isLoneWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if !isLower(w[i]) {
			return false
		}
	}
	return true
}

// keyStart is where the key that ends at s[e] starts: the key bytes right
// before it. Both a key=value and a key: value pair's key are read so.
func keyStart(s string, e int) int {
	k := e
	for k > 0 && isKeyByte(s[k-1]) {
		k--
	}
	return k
}

// isKeyByte reports whether c may be part of a key=value pair's key.
func isKeyByte(c byte) bool {
	return isLower(c) || isUpper(c) || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

// holdsSecretKey reports whether Text would hide a key=value or key:
// value pair of s that no secret hint marks.
func holdsSecretKey(s string) bool {
	sc := newKeyScan()
	var p pair
	return sc.next(s, 0, &p)
}

// keyValues hides the value after each key keyRE's hint words name
// (hinted: nextHintedKey) or else after each key IsSecretName holds for
// (keyScan): a quoted value whole, to its closing quote (commas and spaces
// are the secret's), an unquoted one to white space, a comma before white
// space or a quote, or one of "&;}`" (a backtick closes a Markdown code
// span: ci's summary). What prose puts after a word (trimValue) is kept.
func keyValues(s string, hinted bool) string {
	var b strings.Builder
	last := 0
	sc := newKeyScan()
	var p pair
	for pos := 0; pos < len(s); {
		if hinted && !nextHintedKey(s, pos, &p) || !hinted && !sc.next(s, pos, &p) {
			break
		}
		k0, k1, v0, v1, raw := p.k0, p.k1, p.v0, p.v1, p.raw
		pos = k1
		v := s[v0:v1]
		switch {
		// A value URL hid already: what follows the marker (a path
		// parameter's URL goes on, "…;jsessionid=[REDACTED]?page=2") is the
		// URL's, judged there, as keyScan skips it. Anything else after a
		// marker is the value's own ("[REDACTED]hunter2"): hidden.
		case v == "" || hiddenInURL(v) || isLiteral(v):
			continue
		// The key's words decide, as for a header or a JSON member: CORS
		// headers name credentials but hold none, token_type names a kind.
		case !p.judged && !IsSecretName(keyName(s[k0:k1])):
			continue
		// A YAML key whose value is a mapping on the next lines
		// (MISSING_AUTHENTICATION_TOKEN:, then ResponseParameters:) holds
		// no value to hide.
		case strings.ContainsAny(s[k0:k1], "\r\n") && strings.HasSuffix(raw, ":"):
			continue
		// Shorter unquoted words are prose ("token: no").
		case len(raw) < 4 && s[k1] != '"' && s[k1] != '\'' && s[k1] != '\\':
			continue
		}
		b.WriteString(s[last:v0])
		// A JSON member's number is hidden as a string, quoted as its key
		// is ("session": or, in a JSON string, \"session\":): the JSON stays
		// JSON.
		if q := keyQuote(s[k0:k1]); q != "" && v0 == k1 && jsonNumberRE.FindString(v) == v {
			b.WriteString(q + Marker + q)
		} else {
			b.WriteString(Marker)
		}
		last, pos = v1, v1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// hiddenInURL reports whether v is a marker URL left, alone or followed
// by the rest of its URL (a path parameter's ";", the query, the fragment).
func hiddenInURL(v string) bool {
	rest, ok := strings.CutPrefix(v, Marker)
	return ok && (rest == "" || strings.IndexByte(";?#&", rest[0]) >= 0)
}

// keyName is key, a match of keyRE, without its quotes and separator.
func keyName(key string) string {
	key = strings.TrimRight(key, " \t\r\n\f:=")
	if q := keyQuote(key); q != "" {
		key = strings.TrimSuffix(strings.TrimPrefix(key, q), q)
	}
	return strings.Trim(key, `"'\`)
}

// keyQuote is the quote that opens key, a match of keyRE: `"`, `\"` or
// `\u0022` (JSON held in a JSON string) or none.
func keyQuote(key string) string {
	switch {
	case len(key) >= 6 && strings.EqualFold(key[:6], `\u0022`):
		return key[:6]
	case strings.HasPrefix(key, `\`):
		if run := len(key) - len(strings.TrimLeft(key, `\`)); run < len(key) && key[run] == '"' {
			return key[:run+1]
		}
	case strings.HasPrefix(key, `"`):
		return `"`
	}
	return ""
}

// valueAt is the value that starts s[i:], from v0 to v1, and raw, the run
// of bytes it was cut from. A quoted value is what its quotes hold (a
// double-quoted one may escape a quote with '\\', and its quotes may be
// escaped: escapedValue); an unquoted one is trimmed by trimValue. An
// unclosed quote starts an unquoted value.
func valueAt(s string, i int) (v0, v1 int, raw string) {
	if len(s)-i >= 6 && strings.EqualFold(s[i:i+6], `\u0022`) {
		if j, ok := u0022Value(s, i+6); ok {
			return i + 6, j, s[i+6 : j]
		}
		i += 6
	}
	if run := escapeRun(s, i); run > 0 {
		if j, ok := escapedValue(s, i+run+1, run); ok {
			return i + run + 1, j, s[i+run+1 : j]
		}
		i += run + 1
	}
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		q := s[i]
		for j := i + 1; j < len(s) && s[j] != '\n'; j++ {
			switch {
			case s[j] == '\\' && q == '"':
				j++
			case s[j] == q:
				return i + 1, j, s[i+1 : j]
			}
		}
		i++
	}
	j := i
	for ; j < len(s); j++ {
		c := s[j]
		// A comma before white space ends it, and one before a quote: the
		// next member of compact JSON ({"session":1234,"user":…}).
		if c == ',' && (j+1 == len(s) || isSpaceByte(s[j+1]) || s[j+1] == '"') || isSpaceByte(c) || strings.IndexByte("\"&;}`", c) >= 0 {
			break
		}
		// An escaped quote ends it as a quote does, its backslashes with it
		// (a run is counted once, from its start: a long one stays linear).
		if c == '\\' && (j == i || s[j-1] != '\\') && escapeRun(s, j) > 0 {
			break
		}
	}
	return i, i + trimValue(s[i:j], s[j:]), s[i:j]
}

// escapeRun is the run of backslashes of the escaped quote at s[i], JSON
// held in JSON strings (quoteAt: \" one deep, \\\" two), or 0.
func escapeRun(s string, i int) int {
	run := 0
	for i+run < len(s) && s[i+run] == '\\' {
		run++
	}
	if run == 0 || i+run == len(s) || s[i+run] != '"' || run&(run+1) != 0 || run>>maxLevel != 0 {
		return 0
	}
	return run
}

// escapedValue is the end of a value whose quotes are escaped with run
// backslashes ({\"password\": \"…\"}) that starts at s[i]: the backslashes
// of the next quote on the line as deep as its own (quoteAt), so the
// value's own escaped quotes (\\\" one deep) are the value's, and so is a
// shallower quote: a hostile secret may hold one.
func escapedValue(s string, i, run int) (end int, ok bool) {
	level, _ := quoteAt(s, i-1)
	for j := i; j < len(s) && s[j] != '\n'; j++ {
		if s[j] != '"' {
			continue
		}
		if l, _ := quoteAt(s, j); l == level {
			return j - run, true
		}
	}
	return 0, false
}

// u0022Value is escapedValue for quotes escaped as \u0022 (.NET's JSON
// encoder): the next \u0022 on the line after a run of backslashes that
// is no escaped \" of the value's own (2, 6…: \\\u0022 is its \").
func u0022Value(s string, i int) (end int, ok bool) {
	for j := i; j+6 <= len(s) && s[j] != '\n'; j++ {
		if s[j] != '\\' {
			continue
		}
		run := 0
		for j+run < len(s) && s[j+run] == '\\' {
			run++
		}
		j += run - 1 // at the run's last backslash
		if j+6 <= len(s) && strings.EqualFold(s[j:j+6], `\u0022`) && (run-1)%4 == 0 {
			return j, true
		}
	}
	return 0, false
}

// trimValue is the length of v, an unquoted value that rest follows,
// without what prose puts after a word: the closing quote of a quoted word
// ('…?api_key=…', 'X-Api-Key: …': a printed command stays one a shell
// reads), one byte of punctuation before a space or the end (as proseEnd
// keeps), and brackets that close around the pair ("(token=…)"): one that
// opens nothing in v.
func trimValue(v, rest string) int {
	n := len(v)
	if n > 1 && v[n-1] == '\'' {
		n--
	}
	if n == len(v) && (rest == "" || isSpaceByte(rest[0])) && n >= 2 &&
		isProsePunct(v[n-1]) && !isProsePunct(v[n-2]) {
		n--
	}
	// Each bracket's count in v[:n], kept as bytes are cut (as parenEnd's).
	var opens, closes [3]int
	for i := 0; i < n; i++ {
		if o := strings.IndexByte("([<", v[i]); o >= 0 {
			opens[o]++
		} else if c := strings.IndexByte(")]>", v[i]); c >= 0 {
			closes[c]++
		}
	}
	for n > 1 {
		c := strings.IndexByte(")]>", v[n-1])
		if c < 0 || opens[c] >= closes[c] {
			break
		}
		n, closes[c] = n-1, closes[c]-1
	}
	return n
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// literals are values that hold no secret whatever their key: a fix's
// snippet sets ApiKeyRequired: false or api_key_required = false, and
// must stay one to paste; API Gateway's header values are in single
// quotes (…Access-Control-Allow-Credentials: "'true'").
var literals = []string{"true", "false", "null"}

func isLiteral(v string) bool {
	if len(v) > 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		v = v[1 : len(v)-1]
	}
	for _, l := range literals {
		if strings.EqualFold(v, l) {
			return true
		}
	}
	return false
}

// secretHints are substrings every match of Text's patterns contains
// (lower case), by first letter: the regular expressions run only when one
// is present, which keeps redacting thousands of findings (corsdiag har)
// fast. They are keyRE's keyHints and shapeHints.
var secretHints = func() (t [256][]string) {
	for _, h := range slices.Concat(shapeHints, keyHints) {
		if !slices.Contains(t[h[0]], h) {
			t[h[0]] = append(t[h[0]], h)
		}
	}
	return t
}()

// shapeHints are what every match of jwtRE (eyJ), bearerRE and awsKeyRE
// holds.
var shapeHints = []string{"eyj", "bearer", "basic", "token", "akia", "asia"}

// hintPairs is a bit set of pairs of bytes (each |0x20, which lowers an
// upper-case letter and maps no other byte to one): the first two bytes of
// each hint, and its second and third.
var hintPairs = func() (t [1 << 16 / 64]uint64) {
	for _, hs := range secretHints {
		for _, h := range hs {
			if len(h) < 3 {
				panic("redact: a secret hint must be at least 3 bytes: " + h)
			}
			for _, k := range []uint32{pairKey(h[0], h[1]), pairKey(h[1], h[2])} {
				t[k/64] |= 1 << (k % 64)
			}
		}
	}
	return t
}()

func pairKey(a, b byte) uint32 { return uint32(a|0x20)<<8 | uint32(b|0x20) }

// mayHoldSecret reports whether s holds a secret hint, its ASCII letters
// in any case. It looks at every other pair of bytes: a hint is at least
// 3 bytes, so one starting at an even offset has its first pair there and
// one starting at an odd offset its second. `corsdiag har` asks it of
// every finding's text, and most pairs start no hint.
func mayHoldSecret[T string | []byte](s T) bool {
	for i := 0; i+1 < len(s); i += 2 {
		if k := pairKey(s[i], s[i+1]); hintPairs[k/64]&(1<<(k%64)) == 0 {
			continue
		}
		if i > 0 && hintAt(s, i-1) || hintAt(s, i) {
			return true
		}
	}
	return false
}

// hintAt reports whether a hint starts at s[i].
func hintAt[T string | []byte](s T, i int) bool {
	for _, h := range secretHints[s[i]|0x20] {
		if len(s)-i >= len(h) && hasFoldedPrefix(s[i:], h) {
			return true
		}
	}
	return false
}

// hasFoldedPrefix reports whether s starts with the ASCII hint h (lower
// case), ignoring case: strings.EqualFold on a string as long as h, without
// its call and Unicode tables (a hint is ASCII, so only ASCII matches it).
func hasFoldedPrefix[T string | []byte](s T, h string) bool {
	for k := 0; k < len(h); k++ {
		if c := s[k]; c != h[k] && (c|0x20 != h[k] || h[k] < 'a' || h[k] > 'z') {
			return false
		}
	}
	return true
}

// looksLikeToken reports whether v holds a JWT or an AWS access key id.
// Every match holds a secret hint, so the expressions run only on the
// rare values that hold one.
func looksLikeToken(v string) bool {
	return mayHoldSecret(v) && (jwtRE.MatchString(v) || awsKeyRE.MatchString(v))
}

// jsonString is a JSON string with its quotes, jsonNumber a number.
const (
	jsonString = `"(?:[^"\\]|\\.)*"`
	jsonNumber = `-?[0-9][0-9.eE+-]*`
)

var (
	// jsonPairRE is a JSON member whose value is a string, a number or an
	// array of either: its key without its quotes, and its value.
	jsonPairRE = regexp.MustCompile(`"((?:[^"\\]|\\.){1,128})"\s*:\s*(` + jsonString + `|\[\s*` + jsonString +
		`(?:\s*,\s*` + jsonString + `)*\s*\]|` + jsonNumber + `|\[\s*` + jsonNumber + `(?:\s*,\s*` + jsonNumber + `)*\s*\])`)
	jsonStringRE = regexp.MustCompile(jsonString)
	jsonNumberRE = regexp.MustCompile(jsonNumber)
	// pemRE is a PEM private key, to its END line or, cut off, to the end
	// of the JSON string or text holding it.
	pemRE = regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[^"]*?-----END [A-Z ]*PRIVATE KEY-----|[^"]*)`)
)

// Body redacts a request or response body: as Text does, and by its form,
// the secret parameters of a form-encoded body (code=…&code_verifier=…), the
// string values (an array's each) of a JSON body's members whose names hold
// a secret (every name IsSecretName knows: "private_key", "code",
// "credential") and their numbers (an array's each) where such a secret
// often is one (isSecretNumber: "pin", "otp"), every string and number of
// an object or array under such a name (secretContainers), and PEM private keys. What holds no
// secret stays byte for byte.
func Body(s string) string {
	// JSON members by their names, which Text's colonKey does not all take
	// (an array's items, a URL value): secret containers whole, then each
	// string and number jsonPairRE finds.
	if strings.Contains(s, `"`) && strings.Contains(s, ":") {
		s = secretContainers(s)
		s = jsonPairRE.ReplaceAllStringFunc(s, func(m string) string {
			sub := jsonPairRE.FindStringSubmatchIndex(m)
			key, v := m[sub[2]:sub[3]], m[sub[4]:]
			if u, err := strconv.Unquote(`"` + key + `"`); err == nil {
				key = u
			}
			if v[0] != '"' && (v[0] != '[' || !strings.Contains(v, `"`)) {
				// A number, or an array of numbers: each hidden as a string.
				if isSecretNumber(key) {
					return m[:sub[4]] + jsonNumberRE.ReplaceAllString(v, `"`+Marker+`"`)
				}
				return m
			}
			if !IsSecretName(key) {
				return m
			}
			// Each string of the value: the value, or an array's items.
			return m[:sub[4]] + jsonStringRE.ReplaceAllStringFunc(v, func(v string) string {
				if v == `""` {
					return v
				}
				return `"` + Marker + `"`
			})
		})
	}
	s = Text(s)
	if strings.Contains(s, "=") && !strings.ContainsAny(s, " \n{<") {
		s = params(s)
	}
	if strings.Contains(s, "PRIVATE KEY-----") {
		s = pemRE.ReplaceAllString(s, Marker)
	}
	return s
}

// secretContainers hides every string and number inside an object or
// array that a JSON member with a secret name holds ({"secrets": {"db":
// "pw"}}, {"credentials": [{…}]}): the whole value is the secret, whatever
// its inner names. Member names, true, false, null and "" stay, so the
// JSON stays JSON; a cut-off value is hidden to the end.
func secretContainers(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], ':')
		if j < 0 {
			break
		}
		j += i
		i = j + 1
		v := i
		for v < len(s) && isSpaceByte(s[v]) {
			v++
		}
		if v == len(s) || s[v] != '{' && s[v] != '[' {
			continue
		}
		// An array of numbers alone is jsonPairRE's: hidden where
		// isSecretNumber says, else counts and ids ("api_keys": [7]).
		if e := strings.IndexAny(s[v+1:], `"{[]`); s[v] == '[' && (e < 0 || s[v+1+e] == ']') {
			continue
		}
		key, level, ok := memberBefore(s, j)
		if !ok || !IsSecretName(key) {
			continue
		}
		b.WriteString(s[last:v])
		last = hideScalars(&b, s, v, level)
		i = last
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// memberBefore is the JSON member name whose quotes end before s[colon],
// white space between, unquoted as Body's members are, and its level: how
// many JSON strings hold it (quoteAt), 0 in plain JSON.
func memberBefore(s string, colon int) (key string, level int, ok bool) {
	q := colon - 1
	for q >= 0 && isSpaceByte(s[q]) {
		q--
	}
	if q < 1 || s[q] != '"' {
		return "", 0, false
	}
	if level, _ = quoteAt(s, q); level > maxLevel {
		return "", 0, false
	}
	esc := 1<<level - 1 // the backslashes that escape its quotes
	for o := q - 1 - esc; o >= 0 && q-o <= 130<<level; o-- {
		if s[o] != '"' {
			continue
		}
		if l, _ := quoteAt(s, o); l != level {
			continue
		}
		key = s[o+1 : q-esc]
		for range level + 1 {
			if u, err := strconv.Unquote(`"` + key + `"`); err == nil {
				key = u
			}
		}
		return key, level, true
	}
	return "", 0, false
}

// maxLevel is the deepest JSON held in strings that memberBefore reads:
// a hidden number's quotes take 2^level bytes each.
const maxLevel = 4

// quoteAt reads the '"' at s[q] by the backslashes right before it: level
// is how many JSON strings hold the JSON it quotes in (each escapes a
// quote once more: ", \", \\\"), run how many backslashes there are. A
// quote escaped at its own level (an inner string's \\\" at level 1) is
// above it: a string's byte.
func quoteAt(s string, q int) (level, run int) {
	for run < q && s[q-1-run] == '\\' {
		run++
	}
	for r := run; r&1 == 1; r >>= 1 {
		level++
	}
	return level, run
}

// hideScalars writes the object or array that starts at s[v] to b with
// its strings (not its member names) and numbers hidden, and returns
// where it ends. At level (memberBefore) above 0 its quotes are escaped
// as they were, and a quote of a lower level ends it: the string holding
// it ended (a cut-off log line), and what follows is not the secret's.
func hideScalars(b *strings.Builder, s string, v, level int) int {
	quote := strings.Repeat(`\`, 1<<level-1) + `"`
	depth := 0
	for i := v; i < len(s); {
		c := s[i]
		switch {
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		case c == '\\' && level > 0 && i+1 < len(s) && s[i+1] != '\\' && s[i+1] != '"':
			// An escape of the string holding it (\n between members):
			// a hidden number's quote must not follow its backslash.
			b.WriteString(s[i : i+2])
			i += 2
			continue
		case c == '"':
			if l, _ := quoteAt(s, i); l < level {
				return i // its backslashes are written or hidden
			}
			// The string runs to the next quote of its level, or is cut
			// off at one of a lower level or at the end.
			// Its backslashes, if escaped, are written: the string runs
			// to the next quote of its level, or is cut off at one of a
			// lower level or at the end.
			e, empty := i+1, false
			for ; e < len(s); e++ {
				if s[e] != '"' {
					continue
				}
				if l, _ := quoteAt(s, e); l <= level {
					if l == level {
						empty = e-(len(quote)-1) == i+1
						e++
					}
					break
				}
			}
			n := e
			for n < len(s) && isSpaceByte(s[n]) {
				n++
			}
			if empty || n < len(s) && s[n] == ':' {
				b.WriteString(s[i:e]) // a member name, or nothing to hide
			} else {
				b.WriteString(`"` + Marker + quote)
			}
			i = e
			continue
		case c == '-' || c >= '0' && c <= '9':
			e := i + 1
			for e < len(s) && strings.IndexByte("0123456789.eE+-", s[e]) >= 0 {
				e++
			}
			b.WriteString(quote + Marker + quote)
			i = e
			continue
		}
		b.WriteByte(c)
		i++
		if depth == 0 {
			return i
		}
	}
	return len(s)
}
