package harfile

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// MaxSanitizedBody is the largest body Sanitize keeps (redacted); a longer
// one is replaced whole by a marker, so one entry never needs more memory
// than this.
const MaxSanitizedBody = 16 << 20

// Sanitize copies a HAR file from src to dst with secrets replaced by
// redact.Marker: cookies, Authorization, API keys, and bearer and
// JWT-looking tokens in headers, URLs, query strings, post data and
// bodies. Structure, timings, numbers and CORS headers are kept as
// written. It streams: one entry is in memory at a time.
//
// It does not convert to martian's har types: they would drop pages,
// DNS/connect/SSL timings and every `_` field, and round fractional times.
func Sanitize(dst io.Writer, src io.Reader) (err error) {
	s := newScanner(src)
	if s.mapped {
		defer s.close()
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		defer s.catchFault(&err)
	}
	w := bufio.NewWriterSize(dst, 64<<10)
	c, ok := s.peek()
	if !ok {
		return s.errEmpty("'{' at the start of a HAR file (a JSON object with a \"log\" key)")
	}
	if c != '{' {
		return s.errAt("'{' at the start of a HAR file (a JSON object with a \"log\" key)")
	}
	z := &sanitizer{s: s, w: w}
	w.WriteByte('{')
	first := true
	err = s.objectBody(func(key []byte) error {
		z.key(&first, key)
		if string(key) != "log" || s.kind() != '{' {
			return z.copyNode(cleanAll)
		}
		w.WriteByte('{')
		lfirst := true
		err := s.objectBody(func(key []byte) error {
			z.key(&lfirst, key)
			if string(key) != "entries" || s.kind() != '[' {
				return z.copyNode(cleanAll)
			}
			w.WriteByte('[')
			err := s.arrayBody(func(i int) error {
				if i > 0 {
					w.WriteByte(',')
				}
				w.WriteString("\n")
				n, err := z.read()
				if err != nil {
					return err
				}
				sanitizeEntry(n)
				n.write(w)
				return nil
			})
			w.WriteString("\n]")
			return err
		})
		w.WriteByte('}')
		return err
	})
	if err != nil {
		return err
	}
	if _, ok := s.peek(); ok {
		return s.errAt("the end of the file after the HAR object")
	}
	w.WriteString("}\n")
	return w.Flush()
}

type sanitizer struct {
	s *scanner
	w *bufio.Writer
}

func (z *sanitizer) key(first *bool, key []byte) {
	if !*first {
		z.w.WriteByte(',')
	}
	*first = false
	writeString(z.w, string(key))
	z.w.WriteByte(':')
}

// copyNode reads one value, cleans it and writes it.
func (z *sanitizer) copyNode(clean func(*node)) error {
	n, err := z.read()
	if err != nil {
		return err
	}
	if clean != nil {
		clean(n)
	}
	n.write(z.w)
	return nil
}

// node is a JSON value held in memory with its key order.
type node struct {
	// kind is '{', '[', '"', 'l' for a literal kept as written, or 'r'
	// for JSON already sanitized and encoded (raw holds it)
	kind  byte
	keys  []string
	vals  []*node
	str   string
	raw   []byte
	large int // a string too large to keep: its length
}

func (z *sanitizer) read() (*node, error) {
	s := z.s
	switch s.kind() {
	case '{':
		n := &node{kind: '{'}
		err := s.objectBody(func(key []byte) error {
			var v *node
			var err error
			if string(key) == "headers" && s.kind() == '[' {
				v, err = z.readPairs()
			} else {
				v, err = z.read()
			}
			n.keys = append(n.keys, string(key))
			n.vals = append(n.vals, v)
			return err
		})
		return n, err
	case '[':
		n := &node{kind: '['}
		err := s.arrayBody(func(int) error {
			v, err := z.read()
			n.vals = append(n.vals, v)
			return err
		})
		return n, err
	case '"':
		start := s.offset()
		v, err := s.readString(nil, true, MaxSanitizedBody)
		n := &node{kind: '"', str: string(v)}
		if size := int(s.offset()-start) - 2; len(v) >= MaxSanitizedBody {
			n.str, n.large = "", size
		}
		return n, err
	case 0:
		return nil, s.errAt("a value")
	}
	v, err := s.literal()
	return &node{kind: 'l', str: string(v)}, err
}

// readPairs reads a headers array one pair at a time, each cleaned and
// written out as soon as it is read: the array is kept as sanitized JSON
// bytes (a node of kind 'r'), not as a tree of nodes, which took some 300
// bytes a header (a hostile entry with 1,000,000 headers needed 780 MB).
// Pairs beyond MaxHeaders are left out, as the reader leaves them out.
func (z *sanitizer) readPairs() (*node, error) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	w.WriteByte('[')
	i := 0
	err := z.s.arrayBody(func(int) error {
		if i >= MaxHeaders {
			// What the reader would drop too: a browser never records
			// this many, and keeping them would make memory grow with them.
			return z.s.skipValue()
		}
		p, err := z.read()
		if err != nil {
			return err
		}
		cleanPair(p, headerValue2)
		if i > 0 {
			w.WriteByte(',')
		}
		i++
		p.write(w)
		return nil
	})
	w.WriteByte(']')
	w.Flush()
	return &node{kind: 'r', raw: buf.Bytes()}, err
}

func (n *node) get(key string) *node {
	if n == nil || n.kind != '{' {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

func (n *node) text() string {
	if n == nil || n.kind != '"' {
		return ""
	}
	return n.str
}

func (n *node) set(v string) {
	if n != nil && n.kind == '"' {
		n.str = v
	}
}

func (n *node) write(w *bufio.Writer) {
	switch n.kind {
	case '{':
		w.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				w.WriteByte(',')
			}
			writeString(w, k)
			w.WriteByte(':')
			n.vals[i].write(w)
		}
		w.WriteByte('}')
	case '[':
		w.WriteByte('[')
		for i, v := range n.vals {
			if i > 0 {
				w.WriteByte(',')
			}
			v.write(w)
		}
		w.WriteByte(']')
	case 'r': // already written and cleaned (readPairs)
		w.Write(n.raw)
	case '"':
		if n.large > 0 {
			writeString(w, redact.Marker+" ("+strconv.Itoa(n.large)+" bytes removed)")
			return
		}
		writeString(w, n.str)
	default:
		w.WriteString(n.str)
	}
}

// writeString writes s as a JSON string; invalid UTF-8 becomes U+FFFD.
func writeString(w *bufio.Writer, s string) {
	const hex = "0123456789abcdef"
	w.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				w.WriteByte('\\')
				w.WriteByte(c)
			case c < 0x20:
				w.WriteString(`\u00`)
				w.WriteByte(hex[c>>4])
				w.WriteByte(hex[c&0xf])
			default:
				w.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			w.WriteString(`\ufffd`)
		case termsafe.NeedsJSONEscape(r):
			// A C1 control or an invisible character, escaped as every
			// JSON document corsdiag writes escapes it: the copy is
			// printed (-o -) and read in viewers.
			var esc [12]byte
			w.Write(termsafe.AppendJSONEscape(esc[:0], r))
		default:
			w.WriteString(s[i : i+size])
		}
		i += size
	}
	w.WriteByte('"')
}

// sanitizeEntry redacts one entry in place.
func sanitizeEntry(e *node) {
	if req := e.get("request"); req != nil {
		cleanURLNode(req.get("url"))
		cleanPairs(req.get("headers"), headerValue2)
		cleanCookies(req.get("cookies"))
		cleanPairs(req.get("queryString"), paramValue)
		if pd := req.get("postData"); pd != nil {
			cleanPairs(pd.get("params"), paramValue)
			cleanBody(pd.get("text"), "")
			cleanAllExcept(pd, "text", "params")
		}
		cleanAllExcept(req, "url", "headers", "cookies", "queryString", "postData")
	}
	if resp := e.get("response"); resp != nil {
		cleanPairs(resp.get("headers"), headerValue2)
		cleanCookies(resp.get("cookies"))
		cleanURLNode(resp.get("redirectURL"))
		if c := resp.get("content"); c != nil {
			cleanBody(c.get("text"), c.get("encoding").text())
			cleanAllExcept(c, "text")
		}
		cleanAllExcept(resp, "headers", "cookies", "redirectURL", "content")
	}
	cleanAllExcept(e, "request", "response")
}

func headerValue2(name, v string) string { return redact.Value(name, v) }

func paramValue(name, v string) string {
	if redact.IsSecretName(name) {
		return redact.Marker
	}
	return cleanString(v)
}

// cleanPairs redacts an array of {name, value} objects (a value may be an
// array: Polly.JS); headers arrays arrive already cleaned (readPairs).
func cleanPairs(arr *node, clean func(name, v string) string) {
	if arr == nil || arr.kind != '[' {
		cleanAll(arr)
		return
	}
	for _, p := range arr.vals {
		cleanPair(p, clean)
	}
}

// cleanPair redacts one {name, value} object.
func cleanPair(p *node, clean func(name, v string) string) {
	name := p.get("name").text()
	v := p.get("value")
	switch {
	case v == nil:
	case v.kind == '"':
		v.set(clean(name, v.str))
	case v.kind == '[':
		for _, x := range v.vals {
			x.set(clean(name, x.text()))
		}
	}
	cleanAllExcept(p, "name", "value")
}

// cleanCookies replaces every cookie value (an array, or IE 11's single
// object).
func cleanCookies(c *node) {
	if c == nil {
		return
	}
	one := func(ck *node) {
		ck.get("value").set(redact.Marker)
		cleanAllExcept(ck, "value")
	}
	switch c.kind {
	case '{':
		one(c)
	case '[':
		for _, ck := range c.vals {
			one(ck)
		}
	}
}

func cleanURLNode(n *node) {
	if n != nil && n.kind == '"' {
		n.set(cleanURL(n.str))
	}
}

func cleanURL(u string) string { return redact.Text(redact.URL(u)) }

// cleanString redacts a free-text string; URLs also lose secret query
// parameters.
func cleanString(v string) string {
	if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "ws://") || strings.HasPrefix(v, "wss://") {
		return cleanURL(v)
	}
	return redact.Text(v)
}

// cleanBody redacts a body; base64 bodies are decoded, redacted and
// re-encoded when they held a secret.
func cleanBody(n *node, encoding string) {
	if n == nil || n.kind != '"' || n.large > 0 {
		return
	}
	if encoding == "base64" {
		raw, err := base64.StdEncoding.DecodeString(n.str)
		if err != nil {
			n.set(redact.Text(n.str))
			return
		}
		if red := redact.Body(string(raw)); red != string(raw) {
			n.set(base64.StdEncoding.EncodeToString([]byte(red)))
		}
		return
	}
	n.set(redact.Body(n.str))
}

// cleanAll redacts every string in a subtree.
func cleanAll(n *node) { cleanAllExcept(n) }

func cleanAllExcept(n *node, skip ...string) {
	if n == nil {
		return
	}
	switch n.kind {
	case '"':
		n.str = cleanString(n.str)
	case '[':
		for _, v := range n.vals {
			cleanAll(v)
		}
	case '{':
	next:
		for i, k := range n.keys {
			for _, s := range skip {
				if k == s {
					continue next
				}
			}
			if redact.IsSecretName(k) && n.vals[i].kind == '"' {
				n.vals[i].str = redact.Marker
				continue
			}
			cleanAll(n.vals[i])
		}
	}
}
