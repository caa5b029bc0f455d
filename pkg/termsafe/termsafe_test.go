package termsafe

import (
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "a", "\x1b[2J", "\xff\xfe", "\u009b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Clean(%q) is not valid UTF-8: %q", s, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
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
