package curlcmd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
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
			q.Value = codeUnitEscapes(q.Value)
		}
		return true
	})
	val, err := expand.Literal(nil, w)
	if err != nil {
		return word{}, &Error{Offset: off, Word: raw, Reason: err.Error()}
	}
	return word{val: val, off: off}, nil
}

// codeUnitEscapes rewrites the body of a $'...' word so that its escapes
// mean what Firefox's "Copy as cURL (POSIX)" and Safari's "Copy as cURL"
// meant by them. Both escape each UTF-16 code unit outside printable ASCII:
// below 256 as \xHH, else as \uHHHH (Firefox devtools/client/shared/curl.js
// and WebKit Resource.js escapeStringPosix). Bash would make \xe9 the byte
// 0xe9 and each half of \ud83d\ude00 a replacement character, neither of
// which the browser sent: \xHH of 0x80 and above becomes \u00HH (é is
// U+00E9, sent as UTF-8), and a surrogate pair one \UHHHHHHHH. A lone
// surrogate stays, read as U+FFFD as fetch() sends it. Chrome writes only
// \u00HH, below 0xa0, and no surrogate, so nothing changes for its copies.
func codeUnitEscapes(v string) string {
	if !strings.Contains(v, `\x`) && !strings.Contains(v, `\u`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' || i+1 >= len(v) {
			b.WriteByte(v[i])
			continue
		}
		switch v[i+1] {
		case 'x':
			if n, ok := hexAt(v, i+2, 2); ok && n >= 0x80 {
				fmt.Fprintf(&b, `\u%04x`, n)
				i += 3
				continue
			}
		case 'u':
			hi, ok := hexAt(v, i+2, 4)
			if !ok || !utf16.IsSurrogate(rune(hi)) || !strings.HasPrefix(v[i+6:], `\u`) {
				break
			}
			if lo, ok := hexAt(v, i+8, 4); ok {
				if r := utf16.DecodeRune(rune(hi), rune(lo)); r != 0xfffd {
					fmt.Fprintf(&b, `\U%08x`, r)
					i += 11
					continue
				}
			}
		}
		b.WriteString(v[i : i+2]) // an escape is two bytes at least
		i++
	}
	return b.String()
}

// hexAt reads n hex digits at v[i:].
func hexAt(v string, i, n int) (uint64, bool) {
	if i+n > len(v) {
		return 0, false
	}
	x, err := strconv.ParseUint(v[i:i+n], 16, 32)
	return x, err == nil
}
