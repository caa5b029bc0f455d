package curlcmd

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"

	"github.com/corsdiag/corsdiag/pkg/redact"
)

// splitBash splits bash text into the words of each simple command, using
// mvdan.cc/sh's parser: quoting, $'...' and line continuations follow bash
// exactly. Anything that would make a shell run code or read variables
// ($VAR, $(…), `…`, <(…)) is an error, since corsdiag runs no shell.
func splitBash(text string) ([][]word, error) {
	if err := checkNesting(text); err != nil {
		return nil, err
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
	if err != nil {
		var pe syntax.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{Offset: int(pe.Pos.Offset()), Reason: "not valid bash: " + pe.Text}
		}
		var le syntax.LangError
		if errors.As(err, &le) {
			return nil, &Error{Offset: int(le.Pos.Offset()), Reason: "not valid bash: " + le.Error()}
		}
		return nil, &Error{Offset: 0, Reason: "not valid bash: " + err.Error()}
	}
	var out [][]word
	for _, st := range f.Stmts {
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || st.Cmd == nil || len(st.Redirs) > 0 || st.Negated {
			return nil, &Error{Offset: int(st.Pos().Offset()), Reason: "only plain curl commands are understood (no pipes, redirections, && or subshells)"}
		}
		if len(call.Assigns) > 0 {
			return nil, &Error{Offset: int(call.Assigns[0].Pos().Offset()), Reason: "variable assignments before curl are not understood"}
		}
		ws := make([]word, 0, len(call.Args))
		for _, a := range call.Args {
			w, err := bashWord(a, text)
			if err != nil {
				if e, ok := err.(*Error); ok && len(ws) > 0 && secretWord(ws[len(ws)-1].val, e.Word) {
					e.Word = redact.Marker
				}
				return nil, err
			}
			ws = append(ws, w)
		}
		out = append(out, ws)
	}
	return out, nil
}

// maxNesting bounds the parentheses and ${ a paste may nest. The shell
// parser's work grows faster than the input with nesting (125 KB of
// "$((" took 4 s and 460 MB); a copied curl command nests none, and any
// $(…), $((…)) or ${…} is refused anyway.
const maxNesting = 64

// checkNesting refuses text nested deeper than maxNesting before the
// parser sees it. Quotes are not tracked: a body would need 64 nested
// parentheses to be refused.
func checkNesting(text string) error {
	depth := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '(':
			depth++
		case '{':
			if i > 0 && text[i-1] == '$' {
				depth++
			}
		case ')', '}':
			if depth > 0 {
				depth--
			}
		}
		if depth > maxNesting {
			return &Error{Offset: i, Reason: fmt.Sprintf("more than %d nested parentheses or ${: not a copied curl command", maxNesting)}
		}
	}
	return nil
}

func bashWord(w *syntax.Word, text string) (word, error) {
	off := int(w.Pos().Offset())
	raw := ""
	if end := int(w.End().Offset()); off <= end && end <= len(text) {
		raw = text[off:end]
	}
	var bad syntax.Node
	syntax.Walk(w, func(n syntax.Node) bool {
		switch n.(type) {
		case *syntax.ParamExp, *syntax.CmdSubst, *syntax.ArithmExp, *syntax.ProcSubst, *syntax.ExtGlob, *syntax.BraceExp:
			if bad == nil {
				bad = n
			}
			return false
		}
		return true
	})
	if bad != nil {
		return word{}, &Error{Offset: int(bad.Pos().Offset()), Word: raw,
			Reason: "uses shell expansion ($VAR, $(...), `...`); corsdiag runs no shell, so replace it with its value"}
	}
	syntax.Walk(w, func(n syntax.Node) bool {
		if q, ok := n.(*syntax.SglQuoted); ok && q.Dollar {
			q.Dollar, q.Value = false, dollarQuoted(q.Value) // a '...' is taken as written
		}
		return true
	})
	val, err := expand.Literal(nil, w)
	if err != nil {
		return word{}, &Error{Offset: off, Word: raw, Reason: err.Error()}
	}
	return word{val: val, off: off}, nil
}

// dollarQuoted is the text of a $'...' word's body as the browser that
// wrote it meant it. Firefox's "Copy as cURL (POSIX)" and Safari's "Copy as
// cURL" escape each UTF-16 code unit outside printable ASCII: below 256 as
// \xHH, else as \uHHHH (Firefox devtools/client/shared/curl.js and WebKit
// Resource.js escapeStringPosix); Chrome writes \u00HH for the controls.
// Bash would make \xe9 the byte 0xe9 and each half of \ud83d\ude00 a
// replacement character, and cut the word at a NUL (a gRPC-web body starts
// with one): none of which the browser sent. So \xHH of 0x80 and above is
// U+00HH (é, sent as UTF-8), a surrogate pair the character it encodes,
// and a NUL escape a NUL byte. A lone surrogate reads as U+FFFD, as
// fetch() sends it. Every other escape is bash's.
func dollarQuoted(v string) string {
	var (
		out []string // the text between NUL escapes, decoded
		b   strings.Builder
	)
	flush := func() {
		s, _, _ := expand.Format(nil, b.String(), nil) // no arguments: no error
		out = append(out, s)
		b.Reset()
	}
	for i := 0; i < len(v); {
		if v[i] != '\\' || i+1 >= len(v) {
			b.WriteByte(v[i])
			i++
			continue
		}
		c, end := v[i+1], i+2 // the escape is v[i:end] as bash reads it
		n, digits := uint64(1), 0
		switch c {
		case '0', '1', '2', '3', '4', '5', '6', '7':
			n, digits = readDigits(v[i+1:], 3, 8)
			end = i + 1 + digits
		case 'x', 'u', 'U':
			n, digits = readDigits(v[i+2:], map[byte]int{'x': 2, 'u': 4, 'U': 8}[c], 16)
			if digits == 0 {
				n = 1 // \x alone is text
			}
			end = i + 2 + digits
		}
		switch {
		case n == 0:
			flush()
		case c == 'x' && n >= 0x80:
			fmt.Fprintf(&b, `\u%04x`, n)
		case c == 'u' && digits == 4 && utf16.IsSurrogate(rune(n)) && strings.HasPrefix(v[end:], `\u`):
			lo, d := readDigits(v[end+2:], 4, 16)
			if r := utf16.DecodeRune(rune(n), rune(lo)); d == 4 && r != utf8.RuneError {
				fmt.Fprintf(&b, `\U%08x`, r)
				end += 2 + d
			} else {
				b.WriteString(v[i:end])
			}
		default:
			b.WriteString(v[i:end])
		}
		i = end
	}
	flush()
	return strings.Join(out, "\x00")
}

// readDigits reads up to max digits of base 8 or 16 at the start of s, as
// bash does in $'...'.
func readDigits(s string, max, base int) (n uint64, count int) {
	for count < max && count < len(s) {
		d := strings.IndexByte("0123456789abcdef"[:base], s[count]|0x20)
		if d < 0 || s[count] < '0' { // |0x20 made 0x10 a '0'
			break
		}
		n = n*uint64(base) + uint64(d)
		count++
	}
	return n, count
}
