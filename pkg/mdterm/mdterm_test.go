package mdterm

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/docs"
)

func render(t testing.TB, src string, st Style) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, []byte(src), st); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestRender(t *testing.T) {
	tests := []struct {
		name, src string
		width     int
		want      string
	}{
		{"title", "# code: Title\n\ntext", 80, "code: Title\n===========\n\ntext\n"},
		{"section", "## Why\n\nBecause.", 80, "Why\n\nBecause.\n"},
		{"wrap at words", "one two three four five six seven eight nine ten eleven twelve thirteen fourteen", 40,
			"one two three four five six seven eight\nnine ten eleven twelve thirteen fourteen\n"},
		{"list with hanging indent", "- **Severity:** error: the browser blocks the response and says so in words", 40,
			"• Severity: error: the browser blocks\n  the response and says so in words\n"},
		{"ordered list", "1. first\n2. second", 80, "1. first\n2. second\n"},
		{"code span", "use `Vary: Origin` here", 80, "use `Vary: Origin` here\n"},
		{"code block indented", "```yaml\nkey: value\n```", 80, "    key: value\n"},
		{"long code line broken", "```\n" + strings.Repeat("x", 50) + "\n```", 40,
			"    " + strings.Repeat("x", 35) + "↩\n    " + strings.Repeat("x", 15) + "\n"},
		{"link to a page", "see [the missing header](missing-allow-origin.md)", 80,
			"see the missing header (corsdiag explain missing-allow-origin)\n"},
		{"web link", "see [MDN](https://developer.mozilla.org/)", 80, "see MDN <https://developer.mozilla.org/>\n"},
		{"word longer than the line", "a " + strings.Repeat("u", 50) + " b", 40, "a\n" + strings.Repeat("u", 50) + "\nb\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(t, tt.src, Style{Width: tt.width}); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// Every finding page fits 40, 80 and 120 columns: only a single word
// longer than a line (a URL) may pass the width, alone on its line.
func TestEveryPageFits(t *testing.T) {
	pages, _ := fs.Glob(docs.Findings, "findings/*.md")
	if len(pages) < 50 {
		t.Fatalf("only %d pages embedded", len(pages))
	}
	for _, p := range pages {
		src, _ := fs.ReadFile(docs.Findings, p)
		for _, w := range []int{40, 80, 120} {
			for i, line := range strings.Split(render(t, string(src), Style{Width: w}), "\n") {
				words := strings.Fields(strings.TrimLeft(line, " •0123456789."))
				if n := utf8.RuneCountInString(line); n > w && len(words) > 1 {
					t.Errorf("%s at %d columns: line %d is %d columns: %q", p, w, i+1, n, line)
				}
			}
		}
	}
}

func TestColorOnlyWhenAsked(t *testing.T) {
	src := "# t\n\n`code` and **bold**"
	if out := render(t, src, Style{}); strings.Contains(out, "\x1b") {
		t.Errorf("escape codes without colour: %q", out)
	}
	if out := render(t, src, Style{Color: true}); !strings.Contains(out, "\x1b[36mcode\x1b[0m") {
		t.Errorf("no colour on code: %q", out)
	}
}

func FuzzRender(f *testing.F) {
	f.Add("# a\n\n- b\n  - c\n\n```\nd\n```\n| x | y |\n|---|---|\n| 1 | 2 |\n> q")
	f.Fuzz(func(t *testing.T, src string) {
		var b bytes.Buffer
		if err := Render(&b, []byte(src), Style{Width: 40}); err != nil {
			t.Fatal(err)
		}
	})
}
