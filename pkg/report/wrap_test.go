package report

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// Cells are cut and wrapped by the columns they take, not their runes: a
// CJK character takes two, so a table of them was drawn 9 columns wider
// than the terminal. Each wrapped line fits, and a room too narrow for a
// wide character still ends (it looped without end, as it did before for
// any room under one column).
func TestWrapLinesColumns(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
	}{
		{strings.Repeat("注文", 40), 20},
		{"Server: " + strings.Repeat("注文 ", 20), 17},
		{"x-a, 注文の一覧, 取得する, long-header-name", 12},
		{strings.Repeat("注", 5), 1},
	} {
		out := WrapLines(tc.in, tc.width)
		for _, l := range strings.Split(out, "\n") {
			// A room narrower than a character (and its continuation's
			// indent) only has to end.
			if w := termsafe.Width(l); w > tc.width && tc.width > 1 {
				t.Errorf("WrapLines(%q, %d): line %q is %d columns", tc.in, tc.width, l, w)
			}
		}
		if got := strings.Join(strings.Fields(strings.ReplaceAll(out, "\n", " ")), ""); got != strings.Join(strings.Fields(tc.in), "") {
			t.Errorf("WrapLines(%q, %d) lost text: %q", tc.in, tc.width, out)
		}
	}
}

// Prose wraps between wide characters too: CJK text has no spaces, and a
// check named in Japanese ran 20 columns past a 50-column terminal. A URL
// or a code (no wide character) still stands whole on its line.
func TestWrapBreaksBetweenWideCharacters(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		whole string // a word that must stay on one line
	}{
		{"注文の一覧を取得する長いチェック名前です注文の一覧を取得する, from https://app.example.com", 40, "https://app.example.com"},
		{"名前 " + strings.Repeat("注文", 30) + " ok", 20, ""},
		{"the 注文の一覧 check calls https://api.example.com/a/very/long/path/that/does/not/fit", 30,
			"https://api.example.com/a/very/long/path/that/does/not/fit"},
		{"🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂", 21, ""},
	} {
		out := Wrap(tc.in, "✗ ", "    ", tc.width)
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if w := termsafe.Width(l); w > tc.width && (tc.whole == "" || !strings.Contains(l, tc.whole)) {
				t.Errorf("Wrap(%q, %d): line %q is %d columns", tc.in, tc.width, l, w)
			}
		}
		if tc.whole != "" && !strings.Contains(out, tc.whole) {
			t.Errorf("Wrap(%q, %d) broke %q:\n%s", tc.in, tc.width, tc.whole, out)
		}
		if got := strings.Join(strings.Fields(strings.ReplaceAll(out, "\n", " ")), ""); got != "✗"+strings.Join(strings.Fields(tc.in), "") {
			t.Errorf("Wrap(%q, %d) lost text: %q", tc.in, tc.width, out)
		}
	}
}

// A label's text whose first word does not fit after the label goes under
// it, indented two more: "  Reported:  preflight-missing-allow-origin" was
// 43 columns at 40. A command to copy goes under its label whole.
func TestWrapLabelGivesWay(t *testing.T) {
	rest := strings.Repeat(" ", 13)
	for _, tc := range []struct {
		got, want string
	}{
		{Wrap("preflight-missing-allow-origin", "  Reported:  ", rest, 40), "  Reported:\n    preflight-missing-allow-origin\n"},
		{Wrap("preflight-missing-allow-origin", "  Reported:  ", rest, 50), "  Reported:  preflight-missing-allow-origin\n"},
		{Wrap("Access-Control-Allow-Methods does not list PUT", "  Cause:     ", rest, 40),
			"  Cause:\n    Access-Control-Allow-Methods does\n    not list PUT\n"},
		// audit's: the text under the label at the rest's indent, not past it.
		{Wrap("https://attacker.app.example.com", "    also got in: ", "      ", 40), "    also got in:\n      https://attacker.app.example.com\n"},
		// A list mark is no label.
		{Wrap("preflight-invalid-allow-credentials", "    - ", "      ", 40), "    - preflight-invalid-allow-credentials\n"},
		{commandText("  Docs:      ", "corsdiag explain missing-allow-origin", 50), "  Docs:      corsdiag explain missing-allow-origin\n"},
		{commandText("  Docs:      ", "corsdiag explain missing-allow-origin", 40), "  Docs:\n    corsdiag explain missing-allow-origin\n"},
		{commandText("  Docs:      ", "corsdiag explain missing-allow-origin", 0), "  Docs:      corsdiag explain missing-allow-origin\n"},
	} {
		if tc.got != tc.want {
			t.Errorf("got\n%q, want\n%q", tc.got, tc.want)
		}
	}
}

func commandText(label, cmd string, width int) string {
	var b strings.Builder
	writeCommand(&b, label, cmd, width)
	return b.String()
}
