package report

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

func TestHARBrowsersDiffer(t *testing.T) {
	mk := func(name string, blocked map[int]cors.Code) HARBrowser {
		b := HARBrowser{Name: name, Verdicts: map[int]cors.Verdict{}, Codes: blocked, URLs: map[int]string{}}
		for i := 0; i < 3; i++ {
			b.URLs[i] = "https://api.example.com/" + string(rune('a'+i))
			b.Verdicts[i] = cors.Allowed
			if _, ok := blocked[i]; ok {
				b.Verdicts[i] = cors.Blocked
				b.Blocked++
			}
		}
		return b
	}
	bs := []HARBrowser{
		mk("chromium", map[int]cors.Code{0: cors.CodeMissingAllowOrigin}),
		mk("firefox", map[int]cors.Code{0: cors.CodeMissingAllowOrigin, 2: cors.CodeHeaderNotAllowed}),
		mk("safari", map[int]cors.Code{0: cors.CodeMissingAllowOrigin, 2: cors.CodeHeaderNotAllowed}),
	}
	diffs := harDifferences(bs)
	if len(diffs) != 1 || diffs[0].Index != 2 || strings.Join(diffs[0].Blocked, ",") != "firefox,safari" || strings.Join(diffs[0].Allowed, ",") != "chromium" {
		t.Fatalf("differences %+v", diffs)
	}
	var b strings.Builder
	writeHARBrowsers(&b, bs, func(s string) string { return s })
	want := "Browsers differ on 1 request: Chrome 1 blocked, Firefox 2 blocked, Safari 2 blocked.\n  #2 https://api.example.com/c: blocked in Firefox and Safari only (header-not-allowed)\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	writeHARBrowsers(&b, bs[:1], func(s string) string { return s })
	if b.Len() != 0 {
		t.Errorf("one browser needs no block: %q", b.String())
	}
}
