package conformance

import (
	"slices"
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

// A scenario the browser did not run is reported as a skipped subtest
// and a skipped row, in every browser's suite; one it ran is left to the
// comparison.
func TestSkipsReport(t *testing.T) {
	s := skips{"p80": "port 80 is taken"}
	for _, tc := range []struct {
		name    string
		skipped bool
	}{
		{"a", false},
		{"p80", true},
		{"p8", false},
	} {
		var rows []summaryRow
		if got := s.report(t, tc.name, &rows); got != tc.skipped {
			t.Errorf("report(%q) = %v, want %v", tc.name, got, tc.skipped)
		}
		want := []summaryRow{{Scenario: tc.name, Skipped: s[tc.name]}}
		if !tc.skipped {
			want = nil
		}
		if !slices.Equal(rows, want) {
			t.Errorf("report(%q) rows %+v, want %+v", tc.name, rows, want)
		}
	}
	// A group that needs no port 80 is never skipped.
	if stop, why := s.groupPage([]Scenario{{Name: "a"}}, nil); stop == nil || why != "" || len(s) != 1 {
		t.Errorf("a plain group: why %q, skips %v", why, s)
	}
}
