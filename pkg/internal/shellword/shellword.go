// Package shellword quotes words for a POSIX shell, for the commands
// corsdiag prints for a user to copy: single quotes, only when needed.
package shellword

import "strings"

// Quote returns s as one shell word.
func Quote(s string) string {
	if IsPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	WriteInQuotes(&b, s)
	b.WriteByte('\'')
	return b.String()
}

// Write writes Quote(s) to b: `har -o json` quotes every blocked request's
// URL and headers into one builder.
func Write(b *strings.Builder, s string) {
	if IsPlain(s) {
		b.WriteString(s)
		return
	}
	b.WriteByte('\'')
	WriteInQuotes(b, s)
	b.WriteByte('\'')
}

// WriteInQuotes writes s for inside single quotes: it closes the quotes
// before each ', escapes it, and opens them again.
func WriteInQuotes(b *strings.Builder, s string) {
	for {
		i := strings.IndexByte(s, '\'')
		if i < 0 {
			b.WriteString(s)
			return
		}
		b.WriteString(s[:i])
		b.WriteString(`'\''`)
		s = s[i+1:]
	}
}

// IsPlain reports whether s needs no quoting: it is not empty and safe
// marks every byte of it (no byte of a non-ASCII character is marked).
func IsPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if !safe[s[i]] {
			return false
		}
	}
	return s != ""
}

// safe marks the bytes a word may hold unquoted. A table, not a function
// per rune: it runs on the HAR report's hot path.
var safe = func() (t [256]bool) {
	for c := 0; c < 128; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_./:=,@%+", byte(c)) >= 0
	}
	return t
}()
