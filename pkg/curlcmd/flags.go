package curlcmd

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/http/httpguts"

	"github.com/corsdiag/corsdiag/pkg/redact"
)

// Short options of curl 8 that take a value; every other letter is a
// boolean.
var shortValue = map[byte]string{
	'A': "user-agent", 'b': "cookie", 'c': "cookie-jar", 'C': "continue-at", 'd': "data",
	'D': "dump-header", 'e': "referer", 'E': "cert", 'F': "form", 'H': "header", 'K': "config",
	'm': "max-time", 'o': "output", 'P': "ftp-port", 'Q': "quote", 'r': "range", 't': "telnet-option",
	'T': "upload-file", 'u': "user", 'U': "proxy-user", 'w': "write-out", 'x': "proxy", 'X': "request",
	'y': "speed-time", 'Y': "speed-limit", 'z': "time-cond",
}

var shortBool = map[byte]string{
	'0': "http1.0", '1': "tlsv1", '2': "sslv2", '3': "sslv3", '4': "ipv4", '6': "ipv6", ':': "next",
	'#': "progress-bar", 'a': "append", 'B': "use-ascii", 'f': "fail", 'g': "globoff", 'G': "get",
	'h': "help", 'i': "include", 'I': "head", 'j': "junk-session-cookies", 'J': "remote-header-name",
	'k': "insecure", 'l': "list-only", 'L': "location", 'M': "manual", 'n': "netrc", 'N': "no-buffer",
	'O': "remote-name", 'p': "proxytunnel", 'q': "disable", 'R': "remote-time", 's': "silent",
	'S': "show-error", 'v': "verbose", 'V': "version", 'Z': "parallel",
}

// Long options of curl 8 that take a value.
var longValue = set(
	"abstract-unix-socket", "alt-svc", "aws-sigv4", "cacert", "capath", "cert", "cert-type", "ciphers",
	"config", "connect-timeout", "connect-to", "continue-at", "cookie", "cookie-jar", "create-file-mode",
	"crlfile", "curves", "data", "data-ascii", "data-binary", "data-raw", "data-urlencode", "delegation",
	"dns-interface", "dns-ipv4-addr", "dns-ipv6-addr", "dns-servers", "doh-url", "dump-header", "ech",
	"egd-file", "engine", "etag-compare", "etag-save", "expect100-timeout", "form", "form-string",
	"ftp-account", "ftp-alternative-to-user", "ftp-method", "ftp-port", "ftp-ssl-ccc-mode",
	"happy-eyeballs-timeout-ms", "haproxy-clientip", "header", "help", "hostpubmd5", "hostpubsha256", "hsts",
	"interface", "ip-tos", "ipfs-gateway", "json", "keepalive-cnt", "keepalive-time", "key", "key-type",
	"krb", "libcurl", "limit-rate", "local-port", "login-options", "mail-auth", "mail-from", "mail-rcpt",
	"max-filesize", "max-redirs", "max-time", "netrc-file", "noproxy", "oauth2-bearer", "output",
	"output-dir", "parallel-max", "pass", "pinnedpubkey", "preproxy", "proto", "proto-default",
	"proto-redir", "proxy", "proxy-cacert", "proxy-capath", "proxy-cert", "proxy-cert-type",
	"proxy-ciphers", "proxy-crlfile", "proxy-header", "proxy-key", "proxy-key-type", "proxy-pass",
	"proxy-pinnedpubkey", "proxy-service-name", "proxy-tls13-ciphers", "proxy-tlsauthtype",
	"proxy-tlspassword", "proxy-tlsuser", "proxy-user", "proxy1.0", "pubkey", "quote", "random-file",
	"range", "rate", "referer", "request", "request-target", "resolve", "retry", "retry-delay",
	"retry-max-time", "sasl-authzid", "service-name", "socks4", "socks4a", "socks5", "socks5-hostname",
	"socks5-gssapi-service", "speed-limit", "speed-time", "stderr", "telnet-option", "tftp-blksize",
	"time-cond", "tls-max", "tls13-ciphers", "tlsauthtype", "tlspassword", "tlsuser", "trace",
	"trace-ascii", "trace-config", "unix-socket", "upload-file", "url", "url-query", "user", "user-agent",
	"variable", "vlan-priority", "write-out",
)

// Long boolean options that are ignored without a warning: they change
// output, retries or transport details, not the request corsdiag checks.
var longQuiet = set(
	"compressed-ssh", "location", "location-trusted", "silent", "show-error", "verbose", "include",
	"globoff", "fail", "fail-with-body", "fail-early", "http1.0", "http1.1", "http2",
	"http2-prior-knowledge", "http3", "http3-only", "no-buffer", "no-keepalive", "no-progress-meter",
	"no-sessionid", "no-alpn", "no-npn", "progress-bar", "ipv4", "ipv6", "tlsv1", "tlsv1.0", "tlsv1.1",
	"tlsv1.2", "tlsv1.3", "ssl", "ssl-reqd", "ssl-no-revoke", "ssl-revoke-best-effort",
	"ssl-auto-client-cert", "tcp-nodelay", "tcp-fastopen", "path-as-is", "raw", "basic", "anyauth",
	"remote-name", "remote-name-all", "remote-header-name", "remote-time", "create-dirs", "disable",
	"netrc", "netrc-optional", "parallel", "parallel-immediate", "styled-output", "trace-time",
	"post301", "post302", "post303", "retry-connrefused", "retry-all-errors", "cert-status",
	"false-start", "suppress-connect-headers", "junk-session-cookies", "skip-existing", "no-clobber",
	"remove-on-error", "clobber", "xattr", "proxy-insecure", "proxytunnel", "next", "help", "version",
	"manual", "use-ascii", "append", "list-only", "insecure", "compressed", "get", "head",
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// builder collects options in order; finish applies curl's rules.
type builder struct {
	c        *Command
	urlSet   bool
	method   string // -X
	head     bool
	get      bool
	upload   bool
	globoff  bool
	data     []string // -d pieces, '&'-joined
	json     []string // --json pieces, concatenated
	jsonUsed bool
	form     *multipart.Writer
	formBody bytes.Buffer
	queries  []string // --url-query
	cookies  []string // -b and Cookie headers, "; "-joined
}

// fromWords reads one command's words: "curl" then curl's options.
func fromWords(ws []word) (*Command, error) {
	if !isCurl(ws[0].val) {
		return nil, &Error{Offset: ws[0].off, Word: ws[0].val, Reason: "the command is not curl"}
	}
	b := &builder{c: &Command{Header: http.Header{}}}
	for i := 1; i < len(ws); i++ {
		w := ws[i]
		next := func(name string) (string, error) {
			if i+1 >= len(ws) {
				return "", &Error{Offset: w.off, Word: w.val, Reason: "option " + name + " needs a value"}
			}
			i++
			return ws[i].val, nil
		}
		switch {
		case strings.HasPrefix(w.val, "--") && len(w.val) > 2:
			name := w.val[2:]
			if longValue[name] && name != "help" {
				v, err := next(w.val)
				if err != nil {
					return nil, err
				}
				if err := b.apply(name, v, ws[i]); err != nil {
					return nil, err
				}
				continue
			}
			if longQuiet[name] || strings.HasPrefix(name, "no-") {
				b.flag(name)
				continue
			}
			if i+1 < len(ws) && !looksLikeOptionOrURL(ws[i+1].val) {
				// An option named as a secret (--api-key): its value is one.
				shown := quote(ws[i+1].val)
				if redact.IsSecretName(name) {
					shown = redact.Marker
				}
				return nil, &Error{Offset: w.off, Word: w.val, Reason: "unknown curl option: corsdiag cannot tell whether " + shown + " is its value; remove the option"}
			}
			b.c.Warnings = append(b.c.Warnings, "ignored unknown option "+w.val)
		case strings.HasPrefix(w.val, "-") && len(w.val) > 1:
			for j := 1; j < len(w.val); j++ {
				ch := w.val[j]
				if name, ok := shortValue[ch]; ok {
					v := w.val[j+1:]
					if v == "" {
						var err error
						if v, err = next("-" + string(ch)); err != nil {
							return nil, err
						}
					}
					if err := b.apply(name, v, ws[i]); err != nil {
						return nil, err
					}
					break
				}
				if name, ok := shortBool[ch]; ok {
					b.flag(name)
					continue
				}
				b.c.Warnings = append(b.c.Warnings, "ignored unknown option -"+string(ch)+" in "+w.val)
			}
		default:
			if err := b.setURL(w.val, w); err != nil {
				return nil, err
			}
		}
	}
	return b.finish(ws[0])
}

// secretValue are the options whose value is a credential (user:password,
// a token, a key's passphrase): an error hides such a value whole, as no
// shape of it tells Text it is one.
var secretValue = map[string]bool{
	"user": true, "proxy-user": true, "oauth2-bearer": true, "pass": true, "proxy-pass": true,
	"tlspassword": true, "proxy-tlspassword": true, "cert": true, "proxy-cert": true,
}

// valueOf is the option whose value word w holds attached (-uname:pw) or,
// when it holds none, the next word is ("--user", "-su"); "" if neither.
func valueOf(w string) (name string, attached bool) {
	if long, ok := strings.CutPrefix(w, "--"); ok {
		if longValue[long] {
			return long, false
		}
		return "", false
	}
	if len(w) < 2 || w[0] != '-' {
		return "", false
	}
	for j := 1; j < len(w); j++ {
		if name, ok := shortValue[w[j]]; ok {
			return name, j+1 < len(w)
		}
	}
	return "", false
}

// secretWord reports whether w, a word after prev as written (quotes
// and all), is or holds attached a credential an option takes
// (secretValue).
func secretWord(prev, w string) bool {
	if name, attached := valueOf(strings.TrimLeft(w, `$'"`)); attached {
		return secretValue[name]
	}
	name, attached := valueOf(prev)
	return !attached && secretValue[name]
}

var globEscapes = strings.NewReplacer(`\[`, "[", `\]`, "]", `\{`, "{", `\}`, "}")

func isCurl(s string) bool {
	base := strings.ToLower(path.Base(strings.ReplaceAll(s, `\`, "/")))
	return base == "curl" || base == "curl.exe"
}

func looksLikeOptionOrURL(s string) bool {
	if strings.HasPrefix(s, "-") {
		return true
	}
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

func quote(s string) string {
	return `"` + head(s, 40) + `"`
}

// head is the first n bytes of s, or fewer so as not to split a character,
// and "…" when that cut something. An error quotes a word so: a word may be
// a whole body or URL, and the error's offset already says where it is.
func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func (b *builder) flag(name string) {
	switch name {
	case "insecure":
		b.c.Insecure = true
	case "compressed":
		b.c.Compressed = true
	case "head":
		b.head = true
	case "get":
		b.get = true
	case "globoff":
		b.globoff = true
	case "digest", "ntlm", "negotiate", "ntlm-wb":
		b.c.Warnings = append(b.c.Warnings, "--"+name+" authentication is not sent; browsers do not let script choose it")
	}
}

func (b *builder) setURL(v string, w word) error {
	if b.urlSet {
		return &Error{Offset: w.off, Word: w.val, Reason: "a second URL; corsdiag checks one request, so pass one URL"}
	}
	if v == "" {
		return &Error{Offset: w.off, Word: w.val, Reason: "the URL is empty"}
	}
	if !strings.Contains(v, "://") {
		v = "http://" + v
		b.c.Warnings = append(b.c.Warnings, "the URL has no scheme; used http:// as curl does")
	}
	b.c.URL, b.urlSet = v, true
	return nil
}

// apply records one option that takes a value.
func (b *builder) apply(name, v string, w word) error {
	c := b.c
	switch name {
	case "url":
		return b.setURL(v, w)
	case "request":
		b.method = v
	case "header":
		return b.header(v, w)
	case "user-agent":
		return b.setHeader("User-Agent", v, w)
	case "referer":
		ref, _, _ := strings.Cut(v, ";auto")
		if ref != "" {
			return b.setHeader("Referer", ref, w)
		}
	case "range":
		return b.setHeader("Range", "bytes="+v, w)
	case "oauth2-bearer":
		return b.setHeader("Authorization", "Bearer "+v, w)
	case "user":
		c.User = v
	case "cookie":
		if !strings.Contains(v, "=") {
			// Not echoed: a lone word may be a bare token.
			c.Warnings = append(c.Warnings, fmt.Sprintf("ignored -b (%d bytes, no '='): it names a cookie file, which corsdiag does not read; pass cookies as 'name=value; name2=value2'", len(v)))
			return nil
		}
		if err := headerValueError("", w.off, "Cookie: "+redact.Value("Cookie", v), "Cookie", v); err != nil {
			return err
		}
		b.addCookie(v)
	case "data", "data-ascii", "data-binary":
		if strings.HasPrefix(v, "@") {
			c.BodyFile = v[1:]
			c.Warnings = append(c.Warnings, "the body would be read from the file "+quote(v[1:])+noFileRead)
			b.data = append(b.data, "")
			return nil
		}
		b.data = append(b.data, v)
	case "data-raw":
		b.data = append(b.data, v)
	case "data-urlencode":
		enc, file := urlencodeData(v)
		if file != "" {
			c.BodyFile = file
			c.Warnings = append(c.Warnings, "the body would be read from the file "+quote(file)+noFileRead)
		}
		b.data = append(b.data, enc)
	case "json":
		if strings.HasPrefix(v, "@") {
			c.BodyFile = v[1:]
			c.Warnings = append(c.Warnings, "the body would be read from the file "+quote(v[1:])+noFileRead)
			v = ""
		}
		b.json = append(b.json, v)
		b.jsonUsed = true
	case "form", "form-string":
		return b.formField(name, v, w)
	case "upload-file":
		b.upload = true
		c.BodyFile = v
		c.Warnings = append(c.Warnings, "-T uploads the file "+quote(v)+noFileRead)
	case "url-query":
		enc, _ := urlencodeData(strings.TrimPrefix(v, "+"))
		b.queries = append(b.queries, enc)
	case "resolve":
		c.Resolve = append(c.Resolve, v)
	case "connect-to":
		c.ConnectTo = append(c.ConnectTo, v)
	case "proxy", "socks4", "socks4a", "socks5", "socks5-hostname", "preproxy":
		c.Warnings = append(c.Warnings, "ignored --"+name+": corsdiag connects directly, as the browser's page would")
	case "config":
		return &Error{Offset: w.off, Word: v, Reason: "-K reads options from a file, which corsdiag does not do; paste the options instead"}
	}
	return nil
}

// noFileRead ends the warning for a body part curl would read from a
// file: corsdiag reads none (a paste may name any file) and says what it
// sends instead.
const noFileRead = "; corsdiag does not read a pasted command's files, so that part is sent empty (pass check --data-binary @FILE before -- to send it)"

// header is -H: "Name: value" adds, "Name;" sends an empty value, "Name:"
// only removes a header curl would add (nothing to do), "@file" reads a file.
func (b *builder) header(v string, w word) error {
	c := b.c
	if strings.HasPrefix(v, "@") {
		c.Warnings = append(c.Warnings, "ignored -H "+v+": corsdiag does not read header files")
		return nil
	}
	colon := strings.IndexByte(v, ':')
	semi := strings.IndexByte(v, ';')
	var name, value string
	switch {
	case colon > 0 && (semi < 0 || colon < semi):
		name, value = v[:colon], strings.TrimLeft(v[colon+1:], " \t")
		if value == "" {
			return nil
		}
	case semi > 0 && strings.TrimSpace(v[semi+1:]) == "":
		name = v[:semi]
	default:
		c.Warnings = append(c.Warnings, "ignored -H "+quote(v)+": not a Name: value header")
		return nil
	}
	name = strings.TrimSpace(name)
	value = strings.TrimRight(value, "\r\n")
	// Quoted as the reports show a header: a secret value hidden.
	shown := name + ": " + redact.Value(name, value)
	if !httpguts.ValidHeaderFieldName(name) {
		return &Error{Offset: w.off, Word: shown, Reason: quote(name) + " is not a valid header name"}
	}
	if err := headerValueError("", w.off, shown, name, value); err != nil {
		return err
	}
	if strings.EqualFold(name, "Cookie") {
		b.addCookie(value)
		return nil
	}
	c.Header.Add(name, value)
	return nil
}

// setHeader sets a header a flag other than -H writes, its value checked
// as -H's is.
func (b *builder) setHeader(name, value string, w word) error {
	shown := name + ": " + redact.Value(name, value)
	if err := headerValueError("", w.off, shown, name, value); err != nil {
		return err
	}
	b.c.Header.Set(name, value)
	return nil
}

func (b *builder) addCookie(v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	// Joined once, in finish: joining each time is quadratic in a paste
	// of thousands of -b.
	b.cookies = append(b.cookies, v)
}

// urlencodeData implements --data-urlencode's forms: "content",
// "=content", "name=content", "@file", "name@file".
func urlencodeData(v string) (enc, file string) {
	if i := strings.IndexAny(v, "=@"); i >= 0 {
		name := v[:i]
		if v[i] == '@' {
			if name != "" {
				return name + "=", v[i+1:]
			}
			return "", v[i+1:]
		}
		if name == "" {
			return url.QueryEscape(v[i+1:]), ""
		}
		return name + "=" + url.QueryEscape(v[i+1:]), ""
	}
	return url.QueryEscape(v), ""
}

// formField is -F name=value (a multipart body, as curl builds it). File
// parts (name=@file, name=<file) are left empty with a warning.
func (b *builder) formField(opt, v string, w word) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return &Error{Offset: w.off, Word: v, Reason: "-F needs name=value"}
	}
	if b.form == nil {
		b.form = multipart.NewWriter(&b.formBody)
		// A fixed boundary keeps the body stable between runs.
		_ = b.form.SetBoundary("------------------------corsdiagform")
	}
	if opt == "form" && (strings.HasPrefix(value, "@") || strings.HasPrefix(value, "<")) {
		b.c.Warnings = append(b.c.Warnings, "the form field "+name+" would be read from a file; corsdiag sends it empty")
		value = ""
	} else if opt == "form" {
		value, _, _ = strings.Cut(value, ";type=")
	}
	return b.form.WriteField(name, value)
}

// finish applies curl's rules on the whole command.
func (b *builder) finish(first word) (*Command, error) {
	c := b.c
	c.Cookie = strings.Join(b.cookies, "; ")
	if !b.urlSet {
		return nil, &Error{Offset: first.off, Word: first.val, Reason: "the curl command has no URL"}
	}
	if !b.globoff {
		// curl's URL globbing takes \[ \] \{ \} as literal brackets; older
		// DevTools escaped the URL that way.
		c.URL = globEscapes.Replace(c.URL)
	}
	hasData := len(b.data) > 0 || b.jsonUsed
	if (hasData || b.form != nil) && b.head {
		return nil, &Error{Offset: first.off, Word: first.val, Reason: "-I (HEAD) cannot be combined with data or a form, as curl refuses too"}
	}
	switch {
	case b.form != nil:
		if err := b.form.Close(); err != nil {
			return nil, err
		}
		c.Body = b.formBody.Bytes()
		if c.Header.Get("Content-Type") == "" {
			c.Header.Set("Content-Type", b.form.FormDataContentType())
		}
	case hasData:
		body := strings.Join(b.data, "&")
		if b.jsonUsed {
			if body != "" {
				body += "&"
			}
			body += strings.Join(b.json, "")
		}
		if b.get {
			b.queries = append(b.queries, body)
		} else {
			c.Body = []byte(body)
			if c.Header.Get("Content-Type") == "" {
				ct := DataContentType
				if b.jsonUsed {
					ct = "application/json"
				}
				c.Header.Set("Content-Type", ct)
			}
		}
	}
	if b.jsonUsed && c.Header.Get("Accept") == "" {
		c.Header.Set("Accept", "application/json")
	}
	if len(b.queries) > 0 {
		q := strings.Join(b.queries, "&")
		base, frag, hasFrag := strings.Cut(c.URL, "#")
		sep := "?"
		if strings.Contains(base, "?") {
			sep = "&"
		}
		c.URL = base + sep + q
		if hasFrag {
			c.URL += "#" + frag
		}
	}
	switch {
	case b.method != "":
		c.Method = b.method
	case b.head:
		c.Method = http.MethodHead
	case b.get:
		c.Method = http.MethodGet
	case hasData || b.form != nil:
		c.Method = http.MethodPost
	case b.upload:
		c.Method = http.MethodPut
	default:
		c.Method = http.MethodGet
	}
	return c, nil
}
