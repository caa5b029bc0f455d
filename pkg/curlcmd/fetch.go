package curlcmd

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// ParseFetch reads DevTools' "Copy as fetch" and "Copy as fetch (Node.js)"
// (Chrome: fetch(URL, OPTIONS); with OPTIONS from JSON.stringify; Firefox:
// await fetch(URL, {…}) in the same shape) into a Command. The options are
// read as a JavaScript object literal (JSON plus single quotes, bare keys,
// trailing commas and comments), never with a regular expression over the
// text. Chrome leaves Origin and Referer out of "headers" and gives the page
// in "referrer"; the Node.js form puts Referer in the headers: either gives
// the Origin. Errors are *Error with Form Fetch and the byte offset.
func ParseFetch(text string) (*Command, error) {
	if err := checkBytes(text, Fetch); err != nil {
		return nil, err
	}
	p := &jsParser{s: text}
	p.ws()
	if p.word("await") {
		p.ws()
	}
	if !p.word("fetch") {
		return nil, p.fail("want fetch(…) as DevTools copies it")
	}
	p.ws()
	if !p.eat('(') {
		return nil, p.fail("want ( after fetch")
	}
	p.ws()
	urlAt := p.i
	u, err := p.value()
	if err != nil {
		return nil, err
	}
	rawURL, ok := u.(string)
	if !ok {
		return nil, &Error{Form: Fetch, Offset: urlAt, Reason: "the URL must be a string literal"}
	}
	c := &Command{URL: rawURL, Method: http.MethodGet, Header: http.Header{}, Dialect: Fetch}
	p.ws()
	if p.eat(',') {
		p.ws()
		if p.peek() != ')' {
			optsAt := p.i
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			opts, ok := v.(jsObject)
			if !ok {
				return nil, &Error{Form: Fetch, Offset: optsAt, Reason: "the second argument must be an object literal {…}"}
			}
			if err := c.applyFetchOptions(opts); err != nil {
				return nil, err
			}
			p.ws()
			p.eat(',')
			p.ws()
		}
	}
	if !p.eat(')') {
		return nil, p.fail("want ) to close fetch(")
	}
	p.ws()
	p.eat(';')
	p.ws()
	if p.i < len(p.s) {
		if p.s[p.i] == '-' {
			// check -- fetch(…) --origin X: everything after -- is the paste.
			return nil, p.fail("more text after the fetch call (" + strconv.Quote(strings.Fields(p.s[p.i:])[0]) + "): corsdiag's own flags go before --, the pasted call after it")
		}
		return nil, p.fail("more text after the fetch call; paste one call")
	}
	return c, nil
}

func (c *Command) applyFetchOptions(opts jsObject) error {
	var referrer, credentials string
	for _, kv := range opts {
		switch kv.key {
		case "method":
			s, err := kv.str()
			if err != nil {
				return err
			}
			c.Method = s
		case "headers":
			h, ok := kv.val.(jsObject)
			if !ok {
				if kv.val == nil {
					continue
				}
				return &Error{Form: Fetch, Offset: kv.at, Reason: "headers must be an object literal"}
			}
			for _, hv := range h {
				v, err := hv.str()
				if err != nil {
					return err
				}
				if !cors.IsToken(hv.key) {
					return &Error{Form: Fetch, Offset: hv.keyAt, Word: hv.key, Reason: "not a header name"}
				}
				if err := headerValueError(Fetch, hv.at, "", hv.key, v); err != nil {
					return err
				}
				c.Header.Add(hv.key, v)
			}
		case "body":
			if kv.val == nil {
				continue
			}
			s, err := kv.str()
			if err != nil {
				return err
			}
			c.Body = []byte(s)
		case "credentials":
			s, err := kv.str()
			if err != nil {
				return err
			}
			credentials = s
			c.Credentials = s == "include"
		case "mode":
			// DevTools always copies "cors". Without CORS there is nothing
			// to judge: a no-cors response is opaque to script and never
			// blocked; same-origin refuses any cross-origin URL.
			s, err := kv.str()
			if err != nil {
				return err
			}
			switch s {
			case "no-cors":
				return &Error{Form: Fetch, Offset: kv.at, Reason: `mode "no-cors": the browser makes no CORS check on this request (the response is opaque: script cannot read it, and no CORS error is logged), so there is nothing to check; remove mode, or set it to "cors", to check the request that reads the response`}
			case "same-origin":
				return &Error{Form: Fetch, Offset: kv.at, Reason: `mode "same-origin": the browser refuses any cross-origin URL in this mode before sending anything (a TypeError, not a CORS error) and makes no CORS check on a same-origin one; remove mode, or set it to "cors", to check the request as a cross-origin fetch()`}
			}
		case "referrer":
			s, err := kv.str()
			if err != nil {
				return err
			}
			referrer = s
		case "redirect":
			// DevTools copies none; a hand-written call may say manual or
			// error, which the check honours (cors.Request.Redirect).
			s, err := kv.str()
			if err != nil {
				return err
			}
			if !slices.Contains(cors.RedirectModes, s) {
				return &Error{Form: Fetch, Offset: kv.at, Word: s, Reason: `fetch() throws a TypeError before sending anything: redirect must be "follow", "manual" or "error"`}
			}
			c.Redirect = s
		}
	}
	// Node.js: cookie and Referer are headers. A call that says
	// credentials "omit" or "same-origin" sends no cookies cross-origin.
	if v := c.Header.Get("Cookie"); v != "" {
		c.Header.Del("Cookie")
		if credentials == "" || credentials == "include" {
			c.Cookie = v
			c.Credentials = true
		} else {
			c.Warnings = append(c.Warnings, "ignored the cookie header: credentials "+strconv.Quote(credentials)+" sends no cookies with a cross-origin request")
		}
	}
	if referrer == "" {
		referrer = c.Header.Get("Referer")
		if referrer != "" {
			// The Node.js form writes the page's referrer policy (a fetch
			// option) as a header beside Referer; the browser sent none.
			c.Header.Del("Referrer-Policy")
		}
	}
	if c.Header.Get("Origin") == "" && referrer != "" {
		if o := cors.OriginOf(referrer); o != "null" {
			c.Header.Set("Origin", o)
		}
	}
	return nil
}

// jsObject is an object literal's members in order.
type jsObject []jsMember

type jsMember struct {
	key   string
	keyAt int // byte offset of the key
	val   any // string, jsObject, []any, nil (null/undefined), bool, float64
	at    int // byte offset of the value
}

func (m jsMember) str() (string, error) {
	s, ok := m.val.(string)
	if !ok {
		return "", &Error{Form: Fetch, Offset: m.at, Word: m.key, Reason: "want a string"}
	}
	return s, nil
}

// jsParser reads the subset of JavaScript DevTools writes: literals only.
type jsParser struct {
	s     string
	i     int
	depth int
}

const maxDepth = 64

func (p *jsParser) fail(reason string) error {
	return &Error{Form: Fetch, Offset: p.i, Reason: reason}
}

func (p *jsParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *jsParser) eat(ch byte) bool {
	if p.peek() == ch {
		p.i++
		return true
	}
	return false
}

// word eats an identifier equal to w.
func (p *jsParser) word(w string) bool {
	if !strings.HasPrefix(p.s[p.i:], w) {
		return false
	}
	end := p.i + len(w)
	if end < len(p.s) && isIdentByte(p.s[end]) {
		return false
	}
	p.i = end
	return true
}

func isIdentByte(ch byte) bool {
	return ch == '_' || ch == '$' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9'
}

// ws skips white space, line terminators and comments.
func (p *jsParser) ws() {
	for p.i < len(p.s) {
		switch {
		case strings.IndexByte(" \t\r\n\v\f", p.s[p.i]) >= 0:
			p.i++
		case strings.HasPrefix(p.s[p.i:], "\u00a0"), strings.HasPrefix(p.s[p.i:], "\ufeff"):
			_, n := utf8.DecodeRuneInString(p.s[p.i:])
			p.i += n
		case strings.HasPrefix(p.s[p.i:], "//"):
			end := strings.IndexByte(p.s[p.i:], '\n')
			if end < 0 {
				p.i = len(p.s)
			} else {
				p.i += end + 1
			}
		case strings.HasPrefix(p.s[p.i:], "/*"):
			end := strings.Index(p.s[p.i+2:], "*/")
			if end < 0 {
				p.i = len(p.s)
			} else {
				p.i += end + 4
			}
		default:
			return
		}
	}
}

func (p *jsParser) value() (any, error) {
	if p.i >= len(p.s) {
		return nil, p.fail("the text ends where a value should be")
	}
	switch ch := p.s[p.i]; {
	case ch == '"' || ch == '\'':
		return p.str()
	case ch == '{':
		return p.object()
	case ch == '[':
		return p.array()
	case ch == '-' || ch >= '0' && ch <= '9':
		start := p.i
		p.i++
		for p.i < len(p.s) && strings.IndexByte("0123456789.eE+-xXabcdefABCDEF_n", p.s[p.i]) >= 0 {
			p.i++
		}
		f, err := strconv.ParseFloat(strings.TrimSuffix(p.s[start:p.i], "n"), 64)
		if err != nil {
			return float64(0), nil // a number corsdiag has no use for
		}
		return f, nil
	case p.word("null"), p.word("undefined"):
		return nil, nil
	case p.word("true"):
		return true, nil
	case p.word("false"):
		return false, nil
	case ch == '`':
		return nil, p.fail("a template literal; DevTools writes plain strings: paste the copy as it is")
	}
	return nil, p.fail("not a literal (a string, object, array, number, true, false or null)")
}

func (p *jsParser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.fail(fmt.Sprintf("nested more than %d levels", maxDepth))
	}
	return nil
}

func (p *jsParser) object() (jsObject, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.i++ // {
	obj := jsObject{}
	index := map[string]int{} // a key written again keeps its place, takes the new value
	for {
		p.ws()
		if p.eat('}') {
			return obj, nil
		}
		keyAt := p.i
		var key string
		switch ch := p.peek(); {
		case ch == '"' || ch == '\'':
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			key = k
		case isIdentByte(ch):
			for p.i < len(p.s) && isIdentByte(p.s[p.i]) {
				p.i++
			}
			key = p.s[keyAt:p.i]
		default:
			return nil, p.fail("want a property name or }")
		}
		p.ws()
		if !p.eat(':') {
			return nil, p.fail("want : after the property name " + strconv.Quote(key))
		}
		p.ws()
		at := p.i
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		m := jsMember{key: key, keyAt: keyAt, val: v, at: at}
		if i, ok := index[key]; ok {
			obj[i] = m
		} else {
			index[key] = len(obj)
			obj = append(obj, m)
		}
		p.ws()
		if p.eat(',') {
			continue
		}
		if p.eat('}') {
			return obj, nil
		}
		return nil, p.fail("want , or } in the object")
	}
}

func (p *jsParser) array() ([]any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.i++ // [
	var out []any
	for {
		p.ws()
		if p.eat(']') {
			return out, nil
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.ws()
		if p.eat(',') {
			continue
		}
		if p.eat(']') {
			return out, nil
		}
		return nil, p.fail("want , or ] in the array")
	}
}

// str reads a JavaScript string literal with its escapes.
func (p *jsParser) str() (string, error) {
	start := p.i
	quote := p.s[p.i]
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		ch := p.s[p.i]
		switch {
		case ch == quote:
			p.i++
			return b.String(), nil
		case ch == '\n' || ch == '\r':
			return "", &Error{Form: Fetch, Offset: p.i, Reason: "a line break inside a string (started at byte " + strconv.Itoa(start) + ")"}
		case ch != '\\':
			b.WriteByte(ch)
			p.i++
			continue
		}
		p.i++ // backslash
		if p.i >= len(p.s) {
			break
		}
		esc := p.s[p.i]
		p.i++
		switch esc {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '0':
			b.WriteByte(0)
		case '\n':
			// line continuation
		case 'x':
			r, err := p.hex(2)
			if err != nil {
				return "", err
			}
			b.WriteRune(r)
		case 'u':
			r, err := p.unicodeEscape()
			if err != nil {
				return "", err
			}
			b.WriteRune(r)
		default:
			b.WriteByte(esc)
		}
	}
	return "", &Error{Form: Fetch, Offset: start, Reason: "the string is not closed"}
}

func (p *jsParser) hex(n int) (rune, error) {
	if p.i+n > len(p.s) {
		return 0, p.fail("a cut-off escape")
	}
	v, err := strconv.ParseUint(p.s[p.i:p.i+n], 16, 32)
	if err != nil {
		return 0, p.fail("a bad hexadecimal escape")
	}
	p.i += n
	return rune(v), nil
}

// unicodeEscape reads XXXX or {X…} after \u, joining a surrogate pair.
func (p *jsParser) unicodeEscape() (rune, error) {
	if p.eat('{') {
		end := strings.IndexByte(p.s[p.i:], '}')
		if end < 1 || end > 6 {
			return 0, p.fail("a bad \\u{…} escape")
		}
		v, err := strconv.ParseUint(p.s[p.i:p.i+end], 16, 32)
		if err != nil || v > utf8.MaxRune {
			return 0, p.fail("a bad \\u{…} escape")
		}
		p.i += end + 1
		return rune(v), nil
	}
	r, err := p.hex(4)
	if err != nil {
		return 0, err
	}
	if r >= 0xd800 && r < 0xdc00 && strings.HasPrefix(p.s[p.i:], "\\u") {
		save := p.i
		p.i += 2
		lo, err := p.hex(4)
		if err == nil && lo >= 0xdc00 && lo < 0xe000 {
			return (r-0xd800)<<10 + (lo - 0xdc00) + 0x10000, nil
		}
		p.i = save
	}
	return r, nil
}
