// Package termsafe makes server-sent text safe to print on a terminal: a
// hostile or broken server must not move the cursor, change colours, set
// the window title of the user's terminal, or reorder and hide what the
// user reads.
package termsafe

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/displaywidth"
	"github.com/corsdiag/corsdiag/pkg/internal/swar"
)

// Clean replaces C0 and C1 control characters (ESC, BEL, CR, backspace…),
// invisible characters (see Invisible) and invalid UTF-8 with visible
// escapes; tab stays as a space. It returns s unchanged, without
// allocating, when there is nothing to replace.
func Clean(s string) string {
	if !needsCleaning(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(hex2(byte(r)))
		case r >= 0x80 && r < 0xa0, Invisible(r):
			b.WriteString(escapeRune(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// CleanLines is Clean of each line of s: its line breaks stay (a fix's
// snippet, a multi-line report).
func CleanLines(s string) string {
	lines := strings.Split(s, "\n")
	changed := false
	for i, l := range lines {
		if c := Clean(l); c != l {
			lines[i], changed = c, true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(lines, "\n")
}

// Invisible reports whether r changes how the text around it reads
// without showing itself: Unicode format characters (category Cf: the
// bidirectional embeddings, overrides and isolates U+202A–202E and
// U+2066–2069, the marks U+200E, U+200F and U+061C, zero-width space,
// joiners and U+FEFF, the soft hyphen, tag characters) and the line and
// paragraph separators U+2028 and U+2029. A server can use them to make
// a terminal show "allowed" where the bytes say something else
// (CVE-2021-42574, "Trojan Source").
func Invisible(r rune) bool {
	if r < 0xad {
		return false
	}
	return r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r)
}

// escapeRune writes r as \uXXXX, or \U00XXXXXX beyond the BMP.
func escapeRune(r rune) string {
	if r > 0xffff {
		h := strconv.FormatInt(int64(r), 16)
		return `\U` + strings.Repeat("0", 8-len(h)) + h
	}
	h := strconv.FormatInt(int64(r), 16)
	return `\u` + strings.Repeat("0", 4-len(h)) + h
}

func needsCleaning(s string) bool {
	i := 0
	// Eight bytes at a time while they are printable ASCII: most text is.
	for ; i+8 <= len(s); i += 8 {
		if !printableASCII8(swar.Load(s, i)) {
			break
		}
	}
	for i < len(s) {
		c := s[i]
		if c < 0x80 {
			if c < 0x20 || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || (r >= 0x80 && r < 0xa0) || Invisible(r) {
			return true
		}
		i += size
	}
	return false
}

// printableASCII8 reports whether every byte of w is in 0x20–0x7e.
func printableASCII8(w uint64) bool {
	return swar.NonASCII(w)|swar.Below(w, 0x20)|swar.Equal(w, 0x7f) == 0
}

// WriteJSON writes v to w as the JSON documents of every command are
// written: indented by two spaces, with <, > and & as they are (they are
// URL and header text, and no page embeds these documents), and with
// EscapeJSON's escapes.
func WriteJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(EscapeJSON(buf.Bytes()))
	return err
}

// EscapeJSON rewrites an encoded JSON document so that C1 control
// characters and invisible characters inside its strings are \u escapes
// (a surrogate pair beyond the BMP) instead of raw bytes: encoding/json
// leaves them raw, and `jq -r` or a log viewer would pass them to a
// terminal. The document means the same; outside strings JSON is ASCII,
// so only string contents change. It returns b itself when nothing needs
// escaping.
func EscapeJSON(b []byte) []byte {
	var out []byte
	start := 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if !NeedsJSONEscape(r) {
			i += size
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b)+16)
		}
		out = append(out, b[start:i]...)
		out = AppendJSONEscape(out, r)
		i += size
		start = i
	}
	if out == nil {
		return b
	}
	return append(out, b[start:]...)
}

// AppendJSONEscape appends r as a JSON \u escape (a surrogate pair beyond
// the BMP).
func AppendJSONEscape(b []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	one := func(b []byte, u rune) []byte {
		return append(b, '\\', 'u', hex[u>>12&0xf], hex[u>>8&0xf], hex[u>>4&0xf], hex[u&0xf])
	}
	if r > 0xffff {
		r -= 0x10000
		b = one(b, 0xd800+(r>>10))
		return one(b, 0xdc00+(r&0x3ff))
	}
	return one(b, r)
}

// NeedsJSONEscape reports whether AppendJSONEscape should replace r in a
// JSON string: a C1 control or an invisible character.
func NeedsJSONEscape(r rune) bool { return (r >= 0x80 && r < 0xa0) || Invisible(r) }

func hex2(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&0xf]})
}

// Width is the columns s takes on a terminal, counted as the tables'
// renderer (tablewriter, through displaywidth) counts them: two for a wide
// (East Asian) character or emoji, none for a combining mark, one for the
// rest; the ANSI colour sequences (ESC … m) the program itself wrote take
// none.
func Width(s string) int {
	n := 0
	for s != "" {
		i := strings.IndexByte(s, 0x1b)
		if i < 0 {
			return n + displaywidth.String(s)
		}
		n += displaywidth.String(s[:i])
		j := strings.IndexByte(s[i:], 'm')
		if j < 0 {
			break
		}
		s = s[i+j+1:]
	}
	return n
}

// Head is the longest start of s at most n columns wide (see Width), cut
// between characters (grapheme clusters), never inside one.
func Head(s string, n int) string {
	w, at := 0, 0
	for g := displaywidth.StringGraphemes(s); g.Next(); {
		if w += g.Width(); w > n {
			return s[:at]
		}
		at += len(g.Value())
	}
	return s
}
