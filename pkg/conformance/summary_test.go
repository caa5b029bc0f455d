package conformance

import (
	"strings"
	"testing"
	"time"
)

// A skipped scenario shows in the summary CI prints, with its reason,
// and is counted neither as agreeing nor in the total that agrees.
func TestSummaryShowsSkipped(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows []summaryRow
		want []string
	}{
		{"all agree", []summaryRow{{Scenario: "a", Agree: true}, {Scenario: "b", Agree: true}},
			[]string{"X/1: 2/2 scenarios agree ("}},
		{"one disagrees", []summaryRow{{Scenario: "a", Agree: true}, {Scenario: "b"}},
			[]string{"X/1: 1/2 scenarios agree ("}},
		{"skipped", []summaryRow{{Scenario: "a", Agree: true}, {Scenario: "p80", Skipped: "port 80 is taken"}},
			[]string{"p80", "skipped: port 80 is taken", "X/1: 1/1 scenarios agree, 1 skipped (port 80 is taken) ("}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			printSummary(&b, "X", "X/1", tc.rows, time.Second, time.Second)
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("summary lacks %q:\n%s", w, b.String())
				}
			}
		})
	}
}
