package shellword

import (
	"os/exec"
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "''"},
		{"https://a.test/x?y=1", "'https://a.test/x?y=1'"},
		{"https://a.test/x,y=1@%2B", "https://a.test/x,y=1@%2B"},
		{"a b", "'a b'"},
		{"it's", `'it'\''s'`},
		{"é", "'é'"},
		{"$HOME", "'$HOME'"},
		{"-H", "-H"},
	} {
		if got := Quote(tc.in); got != tc.want {
			t.Errorf("Quote(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestQuoteRoundTrip: a POSIX shell reads each quoted word back as it was.
func TestQuoteRoundTrip(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH")
	}
	words := []string{"", "a b", "it's", "''", `\'`, "$(id)", "`id`", "a\nb", "é", "*", "~", "#x", "a;b|c&d"}
	var script strings.Builder
	script.WriteString("printf '%s\\0'")
	for _, w := range words {
		script.WriteString(" " + Quote(w))
	}
	out, err := exec.Command(sh, "-c", script.String()).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(got) != len(words) {
		t.Fatalf("sh read %d words, want %d: %q", len(got), len(words), got)
	}
	for i := range words {
		if got[i] != words[i] {
			t.Errorf("word %d: sh read %q, want %q", i, got[i], words[i])
		}
	}
}

// quoteByRunes is the rune test the byte table replaced.
func quoteByRunes(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=,@%+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// FuzzQuote holds the byte table to the rune test.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "https://a.test/x?y=1", "a b", "it's", "é", "\xff", "-H", "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Quote(s), quoteByRunes(s); got != want {
			t.Fatalf("Quote(%q) = %q, want %q", s, got, want)
		}
	})
}
