package curlcmd

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// ParsePowerShell reads DevTools' "Copy as PowerShell" (Chrome and Firefox
// write the same shape: an optional $session with UserAgent (Firefox:
// -UserAgent; either is the User-Agent header) and
// Cookies.Add(New-Object System.Net.Cookie(name, value, path, domain)),
// then Invoke-WebRequest -UseBasicParsing -Uri … -Method … -WebSession
// $session -Headers @{…} -ContentType … -Body …, lines joined by a
// backtick) into a Command. It tokenizes PowerShell's quoting: "…" with
// backtick escapes and $([char]N) subexpressions, '…' with ” for a quote,
// @{ key = value } hashtables. Errors are *Error with Form PowerShell and
// the byte offset.
func ParsePowerShell(text string) (*Command, error) {
	if err := checkBytes(text, PowerShell); err != nil {
		return nil, err
	}
	toks, err := psLex(text)
	if err != nil {
		return nil, err
	}
	c := &Command{Method: http.MethodGet, Header: http.Header{}, Dialect: PowerShell}
	var cookies []string
	found := false
	for _, st := range psStatements(toks) {
		if len(st) == 0 {
			continue
		}
		head := st[0]
		switch {
		case head.kind == psWord && psIsInvoke(head.val):
			if found {
				return nil, &Error{Form: PowerShell, Offset: head.off, Reason: "a second Invoke-WebRequest; paste one request"}
			}
			found = true
			if err := c.applyInvoke(st[1:]); err != nil {
				return nil, err
			}
		case head.kind != psVar:
			// DevTools writes $session lines and Invoke-WebRequest; any
			// other command is not part of the request.
			return nil, &Error{Form: PowerShell, Offset: head.off, Word: head.val,
				Reason: "only DevTools' $session lines and one Invoke-WebRequest are understood; remove the rest"}
		case strings.EqualFold(head.val, "$session.UserAgent"):
			// Chrome's copy of the User-Agent header (Firefox's is
			// -UserAgent): what the browser sent, which names it.
			for _, t := range st {
				if t.kind == psString {
					if err := c.setUserAgent(t); err != nil {
						return nil, err
					}
					break
				}
			}
		case strings.EqualFold(head.val, "$session.Cookies.Add"):
			// The cookie's name and value are its first two strings.
			var strs []psToken
			for _, t := range st {
				if t.kind == psString {
					strs = append(strs, t)
				}
			}
			if len(strs) >= 2 {
				cookie := strs[0].val + "=" + strs[1].val
				if err := headerValueError(PowerShell, strs[1].off, "", "Cookie", cookie); err != nil {
					return nil, err
				}
				cookies = append(cookies, cookie)
			}
		}
	}
	if !found {
		return nil, &Error{Form: PowerShell, Offset: 0, Reason: "no Invoke-WebRequest command in the text"}
	}
	if c.URL == "" {
		return nil, &Error{Form: PowerShell, Offset: 0, Reason: "Invoke-WebRequest has no -Uri"}
	}
	if len(cookies) > 0 {
		c.Cookie = strings.Join(cookies, "; ")
		c.Credentials = true
	}
	return c, nil
}

// setUserAgent sets the User-Agent header from a PowerShell copy's value.
func (c *Command) setUserAgent(v psToken) error {
	if err := headerValueError(PowerShell, v.off, "", "User-Agent", v.val); err != nil {
		return err
	}
	c.Header.Set("User-Agent", v.val)
	return nil
}

// psExpansion is the error for what PowerShell would expand ($name,
// ${name}, $(…)): DevTools escapes every $ it copies (`$), and corsdiag
// runs no shell, so the value sent would not be the one PowerShell sends.
const psExpansion = "uses variable expansion ($name, ${…}, $(…)); corsdiag runs no shell, so replace it with its value"

// psExpands reports whether a $ followed by c starts a variable or a
// subexpression in a "…" string (otherwise the $ is literal).
func psExpands(c byte) bool {
	return c == '_' || c == '{' || c == '(' || c == '?' || c == '^' || c == '$' ||
		'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9'
}

func psIsInvoke(w string) bool {
	switch strings.ToLower(w) {
	case "invoke-webrequest", "invoke-restmethod", "iwr", "irm":
		return true
	}
	return false
}

// applyInvoke reads Invoke-WebRequest's parameters.
func (c *Command) applyInvoke(args []psToken) error {
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.kind != psParam {
			if t.kind == psString || t.kind == psWord {
				if c.URL == "" { // the positional -Uri
					c.URL = t.val
					continue
				}
			}
			return &Error{Form: PowerShell, Offset: t.off, Word: t.val, Reason: "an argument without a parameter name"}
		}
		name := strings.ToLower(t.val)
		switch name {
		case "-usebasicparsing", "-disablekeepalive", "-skipcertificatecheck", "-skipheadervalidation":
			if name == "-skipcertificatecheck" {
				c.Insecure = true
			}
			continue
		}
		if i+1 >= len(args) {
			return &Error{Form: PowerShell, Offset: t.off, Word: t.val, Reason: "the parameter has no value"}
		}
		i++
		v := args[i]
		if v.kind == psVar && name != "-websession" {
			return &Error{Form: PowerShell, Offset: v.off, Word: v.val, Reason: psExpansion}
		}
		if v.kind == psOpen {
			// An expression such as ([System.Text.Encoding]::UTF8.GetBytes("…")):
			// its first string is the value.
			depth, str := 0, ""
			for ; i < len(args); i++ {
				switch args[i].kind {
				case psOpen:
					depth++
				case psClose:
					depth--
				case psString:
					if str == "" {
						str = args[i].val
					}
				}
				if depth == 0 {
					break
				}
			}
			v = psToken{kind: psString, val: str, off: v.off}
		}
		switch name {
		case "-uri":
			c.URL = v.val
		case "-method":
			// As the browser sent it (fetch() normalizes six names only),
			// not as PowerShell's enum would: "patch" stays lowercase.
			c.Method = cors.NormalizeMethod(v.val)
		case "-contenttype":
			if err := headerValueError(PowerShell, v.off, "", "Content-Type", v.val); err != nil {
				return err
			}
			c.Header.Set("Content-Type", v.val)
		case "-body":
			c.Body = []byte(v.val)
		case "-headers":
			if v.kind != psHash {
				return &Error{Form: PowerShell, Offset: v.off, Reason: "-Headers wants a hashtable @{…}"}
			}
			for _, kv := range v.hash {
				if !cors.IsToken(kv.key) {
					return &Error{Form: PowerShell, Offset: kv.off, Word: kv.key, Reason: "not a header name"}
				}
				if err := headerValueError(PowerShell, kv.off, "", kv.key, kv.val); err != nil {
					return err
				}
				c.Header.Add(kv.key, kv.val)
			}
		case "-useragent":
			if err := c.setUserAgent(v); err != nil {
				return err
			}
		case "-websession", "-sessionvariable", "-timeoutsec", "-maximumredirection", "-outfile", "-proxy":
			// Nothing corsdiag checks (the session's cookies were read above).
		default:
			return &Error{Form: PowerShell, Offset: t.off, Word: t.val, Reason: "a parameter corsdiag does not know; remove it"}
		}
	}
	// HTTP/2 pseudo-headers Chrome copies as headers ("authority", "method",
	// "path", "scheme") are not headers of the request.
	for _, n := range []string{"Authority", "Method", "Path", "Scheme"} {
		c.Header.Del(n)
	}
	return nil
}

type psKind int

const (
	psWord psKind = iota
	psParam
	psVar
	psString
	psHash
	psOpen
	psClose
	psSep
	psOther
)

type psToken struct {
	kind psKind
	val  string
	off  int
	hash []psPair
}

type psPair struct {
	key, val string
	off      int
}

// psStatements splits tokens at separators outside parentheses.
func psStatements(toks []psToken) [][]psToken {
	var out [][]psToken
	var cur []psToken
	depth := 0
	for _, t := range toks {
		switch t.kind {
		case psOpen:
			depth++
		case psClose:
			if depth > 0 {
				depth--
			}
		case psSep:
			if depth == 0 {
				out = append(out, cur)
				cur = nil
				continue
			}
		}
		cur = append(cur, t)
	}
	return append(out, cur)
}

type psLexer struct {
	s string
	i int
}

func (l *psLexer) fail(at int, reason string) error {
	return &Error{Form: PowerShell, Offset: at, Reason: reason}
}

// psLex tokenizes text. Bodies wrapped in an expression such as
// ([System.Text.Encoding]::UTF8.GetBytes("…")) keep their string token.
func psLex(text string) ([]psToken, error) {
	l := &psLexer{s: text}
	var out []psToken
	for l.i < len(l.s) {
		start := l.i
		ch := l.s[l.i]
		switch {
		case ch == '`' && l.i+1 < len(l.s) && (l.s[l.i+1] == '\n' || l.s[l.i+1] == '\r'):
			l.i += 2 // line continuation
			if l.i < len(l.s) && l.s[l.i-1] == '\r' && l.s[l.i] == '\n' {
				l.i++
			}
		case ch == ' ' || ch == '\t' || ch == '\r':
			l.i++
		case ch == '\n' || ch == ';':
			l.i++
			out = append(out, psToken{kind: psSep, off: start})
		case ch == '#':
			for l.i < len(l.s) && l.s[l.i] != '\n' {
				l.i++
			}
		case ch == '"' || ch == '\'':
			s, err := l.str()
			if err != nil {
				return nil, err
			}
			out = append(out, psToken{kind: psString, val: s, off: start})
		case ch == '@' && strings.HasPrefix(l.s[l.i:], "@{"):
			h, err := l.hash()
			if err != nil {
				return nil, err
			}
			out = append(out, psToken{kind: psHash, hash: h, off: start})
		case ch == '(' || ch == '[':
			l.i++
			out = append(out, psToken{kind: psOpen, off: start})
		case ch == ')' || ch == ']':
			l.i++
			out = append(out, psToken{kind: psClose, off: start})
		default:
			for l.i < len(l.s) && strings.IndexByte(" \t\r\n;()[]\"'`,", l.s[l.i]) < 0 {
				l.i++
			}
			if l.i == start {
				l.i++ // a lone ` or ,
				out = append(out, psToken{kind: psOther, val: l.s[start:l.i], off: start})
				continue
			}
			w := l.s[start:l.i]
			kind := psWord
			switch {
			case w[0] == '-' && len(w) > 1 && !strings.ContainsAny(w[1:2], "0123456789"):
				kind = psParam
			case w[0] == '$':
				kind = psVar
			}
			out = append(out, psToken{kind: kind, val: w, off: start})
		}
	}
	return out, nil
}

// str reads '…' or "…" at l.i.
func (l *psLexer) str() (string, error) {
	start := l.i
	q := l.s[l.i]
	l.i++
	var b strings.Builder
	for l.i < len(l.s) {
		ch := l.s[l.i]
		if ch == q {
			if l.i+1 < len(l.s) && l.s[l.i+1] == q { // '' or "" inside
				b.WriteByte(q)
				l.i += 2
				continue
			}
			l.i++
			return b.String(), nil
		}
		if q == '"' && ch == '`' && l.i+1 < len(l.s) {
			l.i += 2
			switch e := l.s[l.i-1]; e {
			case '0':
				b.WriteByte(0)
			case 'a':
				b.WriteByte(7)
			case 'b':
				b.WriteByte(8)
			case 'f':
				b.WriteByte(12)
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'v':
				b.WriteByte(11)
			default:
				b.WriteByte(e)
			}
			continue
		}
		if q == '"' && strings.HasPrefix(l.s[l.i:], psChar) {
			// Chrome writes each UTF-16 unit outside printable ASCII as
			// $([char]N): a character outside the BMP is two, which
			// PowerShell's string joins.
			n, err := l.char()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(rune(n)) && strings.HasPrefix(l.s[l.i:], psChar) {
				save := l.i
				if lo, err := l.char(); err == nil && utf16.DecodeRune(rune(n), rune(lo)) != utf8.RuneError {
					b.WriteRune(utf16.DecodeRune(rune(n), rune(lo)))
					continue
				}
				l.i = save
			}
			// A lone surrogate: .NET's UTF-8 encoder writes U+FFFD.
			b.WriteRune(rune(n))
			continue
		}
		if q == '"' && ch == '$' && l.i+1 < len(l.s) && psExpands(l.s[l.i+1]) {
			return "", l.fail(l.i, psExpansion)
		}
		b.WriteByte(ch)
		l.i++
	}
	return "", l.fail(start, "the string is not closed")
}

const psChar = "$([char]"

// char reads one $([char]N) at l.i: N is a UTF-16 unit, as [char] holds
// one (PowerShell refuses more than 65535).
func (l *psLexer) char() (int, error) {
	end := strings.IndexByte(l.s[l.i:], ')')
	n, err := -1, error(nil)
	if end >= len(psChar) {
		n, err = strconv.Atoi(l.s[l.i+len(psChar) : l.i+end])
	}
	switch {
	case err != nil || n < 0:
		return 0, l.fail(l.i, "a $([char]N) that is not a character number")
	case n > 0xffff:
		return 0, l.fail(l.i, "a $([char]N) over 65535: [char] holds one UTF-16 unit, so PowerShell refuses it (DevTools writes a character outside the BMP as two)")
	}
	l.i += end + 1
	return n, nil
}

// hash reads @{ key = value (; or newline) … }.
func (l *psLexer) hash() ([]psPair, error) {
	start := l.i
	l.i += 2
	var out []psPair
	for {
		l.skipSpace(true)
		if l.i >= len(l.s) {
			return nil, l.fail(start, "the hashtable @{ is not closed")
		}
		if l.s[l.i] == '}' {
			l.i++
			return out, nil
		}
		keyAt := l.i
		key, err := l.atom()
		if err != nil {
			return nil, err
		}
		l.skipSpace(false)
		if l.i >= len(l.s) || l.s[l.i] != '=' {
			return nil, l.fail(l.i, "want = after the key "+strconv.Quote(key))
		}
		l.i++
		l.skipSpace(false)
		val, err := l.atom()
		if err != nil {
			return nil, err
		}
		out = append(out, psPair{key: key, val: val, off: keyAt})
	}
}

// atom is a quoted string or a bare word.
func (l *psLexer) atom() (string, error) {
	if l.i < len(l.s) && (l.s[l.i] == '"' || l.s[l.i] == '\'') {
		return l.str()
	}
	start := l.i
	for l.i < len(l.s) && strings.IndexByte(" \t\r\n;=}\"'", l.s[l.i]) < 0 {
		l.i++
	}
	if l.i == start {
		return "", l.fail(start, "want a key or value (a string or a word)")
	}
	if l.s[start] == '$' {
		return "", l.fail(start, psExpansion)
	}
	return l.s[start:l.i], nil
}

// skipSpace skips blanks, and with lines also newlines, ; and continuations.
func (l *psLexer) skipSpace(lines bool) {
	for l.i < len(l.s) {
		switch ch := l.s[l.i]; {
		case ch == ' ' || ch == '\t' || ch == '\r':
			l.i++
		case ch == '`' && l.i+1 < len(l.s) && (l.s[l.i+1] == '\n' || l.s[l.i+1] == '\r'):
			l.i += 2
		case lines && (ch == '\n' || ch == ';'):
			l.i++
		default:
			return
		}
	}
}
