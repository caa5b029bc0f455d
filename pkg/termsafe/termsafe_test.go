package termsafe

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "hello", "hello"},
		{"unicode kept", "héllo → ok", "héllo → ok"},
		{"escape sequence", "\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"title change", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"carriage return", "a\rb", `a\x0db`},
		{"newline escaped", "a\nb", `a\x0ab`},
		{"tab to space", "a\tb", "a b"},
		{"delete", "a\x7fb", `a\x7fb`},
		{"c1 control", "a\u009bb", `a\u009bb`},
		{"invalid utf8", "a\xffb", `a\xffb`},
		{"right-to-left override", "allowed\u202edekcolb", `allowed\u202edekcolb`},
		{"pop directional formatting", "a\u202cb", `a\u202cb`},
		{"embeddings", "\u202a\u202b\u202d", `\u202a\u202b\u202d`},
		{"isolates", "\u2066a\u2067b\u2068c\u2069", `\u2066a\u2067b\u2068c\u2069`},
		{"marks", "\u200e\u200f\u061c", `\u200e\u200f\u061c`},
		{"zero-width", "a\u200bb\u200cc\u200dd\u2060e\ufeff", `a\u200bb\u200cc\u200dd\u2060e\ufeff`},
		{"soft hyphen", "pay\u00adpal", `pay\u00adpal`},
		{"tag character", "a\U000e0041", `a\U000e0041`},
		{"line separator", "a\u2028b\u2029", `a\u2028b\u2029`},
		{"visible non-ascii kept", "日本 ü \u00a0 😀", "日本 ü \u00a0 😀"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// CleanLines keeps line breaks and cleans what lies between them.
func TestCleanLines(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"a\nb\n", "a\nb\n"},
		{"fix:\n  \x1b[2Jrun\r\n\u202eok", "fix:\n  \\x1b[2Jrun\\x0d\n\\u202eok"},
	} {
		if got := CleanLines(tt.in); got != tt.want {
			t.Errorf("CleanLines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "a", "\x1b[2J", "\xff\xfe", "\u009b", "\u202e", "\U000e0041"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Clean(%q) is not valid UTF-8: %q", s, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || Invisible(r) {
				t.Fatalf("Clean(%q) = %q keeps control %U", s, out, r)
			}
		}
		if !strings.Contains(s, "\\") && Clean(out) != out {
			t.Fatalf("Clean not idempotent on %q", s)
		}
	})
}

func BenchmarkCleanNoop(b *testing.B) {
	s := "Access-Control-Allow-Origin: https://app.example.com"
	b.ReportAllocs()
	for b.Loop() {
		_ = Clean(s)
	}
}

// TestEscapeJSON: C1 controls and invisible characters leave a JSON
// document as \u escapes, and the document decodes to the same value.
func TestEscapeJSON(t *testing.T) {
	for _, in := range []string{"plain", "a\u0085b\u009b", "x\u202ey\u2066", "\u200b", "tag \U000e0041", "é 😀", "a\u2028b"} {
		enc, _ := json.Marshal(map[string]string{"k" + in: in})
		out := EscapeJSON(enc)
		for _, r := range string(out) {
			if NeedsJSONEscape(r) {
				t.Errorf("EscapeJSON(%q) = %q keeps %U", enc, out, r)
			}
		}
		var back map[string]string
		if err := json.Unmarshal(out, &back); err != nil || back["k"+in] != in {
			t.Errorf("EscapeJSON(%q) = %q decodes to %q, %v", enc, out, back, err)
		}
	}
	if b := []byte(`{"a":"é"}`); &EscapeJSON(b)[0] != &b[0] {
		t.Error("EscapeJSON copied a document with nothing to escape")
	}
}

// TestWriteJSON: every command's JSON is indented, keeps <, > and & as
// they are (shell snippets and URLs stay readable) and escapes C1 and
// invisible characters.
func TestWriteJSON(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
	}{
		{map[string]string{"fix": "a > b && c < d"}, "{\n  \"fix\": \"a > b && c < d\"\n}\n"},
		{[]string{"x\u009by\u202e"}, "[\n  \"x\\u009by\\u202e\"\n]\n"},
		{struct{ N int }{1}, "{\n  \"N\": 1\n}\n"},
	} {
		var b strings.Builder
		if err := WriteJSON(&b, tc.in); err != nil || b.String() != tc.want {
			t.Errorf("WriteJSON(%#v) = %q, %v; want %q", tc.in, b.String(), err, tc.want)
		}
	}
	if err := WriteJSON(&strings.Builder{}, func() {}); err == nil {
		t.Error("WriteJSON of a func: no error")
	}
}

func FuzzEscapeJSON(f *testing.F) {
	f.Add("a\u0085\u202e\U000e0041")
	f.Fuzz(func(t *testing.T, s string) {
		enc, _ := json.Marshal(s)
		out := EscapeJSON(enc)
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("EscapeJSON(%q) = %q: %v", enc, out, err)
		}
		var want string
		_ = json.Unmarshal(enc, &want)
		if back != want {
			t.Fatalf("EscapeJSON changed %q to %q", want, back)
		}
		for _, r := range string(out) {
			if NeedsJSONEscape(r) {
				t.Fatalf("EscapeJSON(%q) keeps %U", enc, r)
			}
		}
	})
}

func TestWidth(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"→ é", 3},
		{"\x1b[1mbold\x1b[0m", 4},
		{"\x1b[31", 0}, // an unfinished sequence counts nothing after it
		// Columns, not runes: a table of these was 89 columns wide on an
		// 80-column terminal.
		{"注文", 4},
		{"a\x1b[1m注\x1b[0mb", 4},
		{"e\u0301", 1},                    // a combining accent takes none
		{"\U0001F468\u200d\U0001F469", 2}, // one emoji, joined
	}
	for _, tt := range tests {
		if got := Width(tt.in); got != tt.want {
			t.Errorf("Width(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestHead(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		head string
	}{
		{"abcdef", 3, "abc"},
		{"abc", 5, "abc"},
		{"注文の一覧", 5, "注文"}, // a wide character is not split
		{"注文の一覧", 1, ""},
		{"ae\u0301b", 2, "ae\u0301"}, // nor a letter from its accent
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		if got := Head(tt.in, tt.n); got != tt.head {
			t.Errorf("Head(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.head)
		}
	}
}

// FuzzNeedsCleaning holds the word-at-a-time scan to the byte-at-a-time
// rule: a control, DEL, a C1 control, an invisible character or invalid
// UTF-8 anywhere.
func FuzzNeedsCleaning(f *testing.F) {
	for _, s := range []string{"", "plain text of some length", "0123456\x1f", "01234567\x7f", "abcdefgh\u0085", "abcdefghijklmno\u202e", "\xffabcdefgh", "abcdefg~ ", "\x20\x7e\x20\x7e\x20\x7e\x20\x7e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := false
		for i, r := range s {
			if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || Invisible(r) || r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
				want = true
			}
		}
		if got := needsCleaning(s); got != want {
			t.Fatalf("needsCleaning(%q) = %v, want %v", s, got, want)
		}
	})
}

// BenchmarkCleanMessage is Clean on a finding's message (nothing to
// replace), the text `corsdiag har` cleans for every request.
func BenchmarkCleanMessage(b *testing.B) {
	s := "the browser sends a preflight for this request (method PUT is not CORS-safelisted (only GET, HEAD and POST are); header content-type is not CORS-safelisted): OPTIONS https://api2.example.test/v1/items/2?page=2 with Origin: https://app.example.test"
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		_ = Clean(s)
	}
}

// FuzzHead: Head is a start of s no wider than asked, and the whole of s
// when it fits.
func FuzzHead(f *testing.F) {
	for _, s := range []string{"", "abc", "注文の一覧", "ae\u0301b", "\U0001F468\u200d\U0001F469x", "a\x1b[1mb"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0x1b) || n < 0 || n > 1000 {
			return
		}
		h := Head(s, n)
		if !strings.HasPrefix(s, h) {
			t.Fatalf("Head %q of %q", h, s)
		}
		if Width(h) > n {
			t.Fatalf("Head %q (%d) wider than %d", h, Width(h), n)
		}
		if Width(s) <= n && h != s {
			t.Fatalf("%q fits %d but Head %q", s, n, h)
		}
	})
}
