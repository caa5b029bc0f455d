package curlcmd

import "testing"

// TestPosixCodeUnitEscapes: the $'…' words Firefox's "Copy as cURL
// (POSIX)", Safari's "Copy as cURL" and Chrome's "(bash)" write (each
// browser's escapeStringPosix run under node) read back as the UTF-8 of the
// value copied. Firefox and Safari write the same word.
func TestPosixCodeUnitEscapes(t *testing.T) {
	for _, tc := range []struct{ value, firefox, chrome string }{
		{"café", `$'caf\xe9'`, `'café'`},
		{"ÿ\u00a0", `$'\xff\xa0'`, "'ÿ\u00a0'"},
		{"€", `$'\u20ac'`, `'€'`},
		{"😀", `$'\ud83d\ude00'`, `'😀'`},
		{"a\u0085b", `$'a\x85b'`, `$'a\u0085b'`},
		{"Ã©", `$'\xc3\xa9'`, `'Ã©'`}, // two code points, not é
		{"it's 100%!", `$'it\'s 100%\041'`, `$'it\'s 100%\u0021'`},
		{`\xe9`, `'\xe9'`, `'\xe9'`},
		{"a\x01\x1fb", `$'a\x01\x1fb'`, `$'a\u0001\u001fb'`},
	} {
		for _, copied := range []string{tc.firefox, tc.chrome} {
			c, err := Parse("curl 'http://127.0.0.1/' -X POST --data-raw " + copied)
			if err != nil {
				t.Fatal(err)
			}
			if string(c.Body) != tc.value {
				t.Errorf("%s: body %q, want %q", copied, c.Body, tc.value)
			}
		}
	}
	// What no browser writes reads as bash reads it: a lone surrogate
	// (fetch() sends U+FFFD for it) and a \x below 0x80.
	for copied, want := range map[string]string{
		`$'\ud83d'`: "\ufffd", `$'\ud83dx'`: "\ufffdx", `$'\ude00\ud83d'`: "\ufffd\ufffd",
		`$'\x41\x7'`: "A\a", `$'\\xe9'`: `\xe9`, `$'\u00e9'`: "é", `$'\U0001F600'`: "😀",
		// A NUL is kept (bash cuts the word there): a gRPC-web body starts
		// with one, and Chrome writes it \u0000, Firefox and Safari \x00.
		`$'\u0000\u0000\u0005\n\u0003abc'`: "\x00\x00\x05\n\x03abc", `$'\x00\x000\x007'`: "\x00\x000\x007",
		`$'a\0b\00c\000d\0012'`: "a\x00b\x00c\x00d\x012", `$'\x'`: `\x`, `$'\U00000000z'`: "\x00z",
	} {
		c, err := Parse("curl 'http://127.0.0.1/' --data-raw " + copied)
		if err != nil {
			t.Fatal(err)
		}
		if string(c.Body) != want {
			t.Errorf("%s: body %q, want %q", copied, c.Body, want)
		}
	}
}
