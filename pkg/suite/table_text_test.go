package suite

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// The text table fits every width by giving way in tableFit's order;
// origins and codes stay whole on one line while the last shape fits
// (41 columns here: "from https://app.example.com" and the frame), and
// are wrapped, never elided, below it.
func TestTextTableFits(t *testing.T) {
	whole := []string{"https://app.example.com", "https://evil.example", "unexpectedly-allowed",
		"invalid-allow-origin", "endpoint-unreachable", "missing-allow-origin"}
	for _, tc := range []struct {
		width  int
		header string // the table's header line, trimmed of borders
		whole  bool
	}{
		{100, "Check         │ Origin                  │ Expected │ Got         │ Finding              │ Result", true},
		{98, "Check      │ Origin                  │ Expected │ Got         │ Finding              │ Result", true},
		{95, "Check         │ Origin                  │ Got         │ Finding              │ Result", true},
		{80, "Check         │ Origin                  │ Finding              │ Result", true},
		{64, "Check                        │ Finding              │ Result", true},
		{55, "Check                        │ Result", true},
		{41, "Check                        │ Result", true},
		{30, "Check             │ Result", false},
	} {
		t.Run(fmt.Sprint(tc.width), func(t *testing.T) {
			rep := fixtureReport(t)
			rep.Width = tc.width
			var b bytes.Buffer
			if err := rep.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			table, _, _ := strings.Cut(b.String(), "\n\n")
			lines := strings.Split(table, "\n")
			if got := strings.Trim(lines[1], "│ "); got != tc.header {
				t.Errorf("header %q, want %q", got, tc.header)
			}
			for _, l := range lines {
				if termsafe.Width(l) > tc.width {
					t.Errorf("wider than %d: %q", tc.width, l)
				}
			}
			if strings.Contains(table, "…") {
				t.Errorf("a cell is elided:\n%s", table)
			}
			for _, w := range whole {
				if strings.Contains(table, w) != tc.whole {
					t.Errorf("%q whole: %v, want %v\n%s", w, !tc.whole, tc.whole, table)
				}
			}
		})
	}
}
