package weburl

// IsScheme reports whether s is a URL scheme: a letter, then letters,
// digits, +, - and . ([RFC 3986] §3.1). Case is not judged: a recorded or
// pasted URL may write HTTPS.
//
// [RFC 3986]: https://www.rfc-editor.org/rfc/rfc3986#section-3.1
func IsScheme(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !IsSchemeByte(s[i]) {
			return false
		}
	}
	return true
}

// HasScheme reports whether raw opens with a scheme and its colon, as
// every URL a browser records does; a bare host or path, or nothing, does
// not. It reads no further than the scheme's bytes: a long path without
// a colon costs nothing.
func HasScheme(raw string) bool {
	i := 0
	for i < len(raw) && IsSchemeByte(raw[i]) {
		i++
	}
	return i < len(raw) && raw[i] == ':' && IsScheme(raw[:i])
}

// IsSchemeByte reports whether c may follow a scheme's first letter.
func IsSchemeByte(c byte) bool {
	return isLetter(c) || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
