package cli

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseHeaderFlag: -H values come from users and pasted commands; the
// parser never panics and never accepts a name a request could not carry.
func FuzzParseHeaderFlag(f *testing.F) {
	for _, s := range []string{"X-A: 1", "X-A:", "X-A;", ": v", "no colon", "A:\x00", "Ä: v", "X-A;: v", ";", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		name, value, del, err := parseHeaderFlag(h)
		if err != nil {
			return
		}
		if name == "" || strings.ContainsAny(name, " \t\r\n:;") {
			t.Fatalf("%q: accepted name %q", h, name)
		}
		if strings.ContainsAny(value, "\r\n\x00") {
			t.Fatalf("%q: accepted value %q", h, value)
		}
		if del && value != "" {
			t.Fatalf("%q: delete with value %q", h, value)
		}
	})
}

// FuzzDecodePaste: a pasted or saved file (UTF-8, UTF-16 by its byte-order
// mark, as PowerShell writes it) decodes or names the byte it ends at.
func FuzzDecodePaste(f *testing.F) {
	for _, s := range []string{"\xff\xfe{\x00}\x00", "\xfe\xff\x00{\x00}", "\xff\xfe{", "\xef\xbb\xbfcurl x", "\xff\xfe\x00\xd8", "\xff", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		text, err := decodePaste(b)
		if err != nil {
			if !isUTF16(b) || !strings.Contains(err.Error(), "byte ") {
				t.Fatalf("%q: error %v names no byte, or not of UTF-16", b, err)
			}
			return
		}
		if isUTF16(b) && !utf8.ValidString(text) {
			t.Fatalf("%q: UTF-16 decoded to invalid UTF-8 %q", b, text)
		}
	})
}
