package report

import (
	"strings"
	"testing"
)

// A list's main cell fills its lines: a method before a URL too long for
// any line stays on the URL's first line instead of alone above it (har's
// table at 40 columns had "GET" on a line of its own in every row).
// Shorter words still wrap at spaces.
func TestListFitFillsTheMainCell(t *testing.T) {
	fit := ListFit{Main: 2, Least: 10, Most: 30, Steps: []GiveStep{{Column: "Method", Place: Before}}}
	header := []string{"#", "Method", "URL"}
	rows := [][]string{
		{"0", "GET", "https://api.example.test/orders?page=1"},
		{"1", "PUT (preflight only)", "/items"},
	}
	_, cells, _ := fit.Fit(header, rows, 34) // 26 columns for the URL
	for i, want := range []string{
		"GET https://api.example.te\n  st/orders?page=1",
		"PUT (preflight only)\n  /items",
	} {
		// (A line broken at a space keeps it; the table pads it anyway.)
		if got := strings.ReplaceAll(cells[i][1], " \n", "\n"); got != want {
			t.Errorf("row %d: %q, want %q", i, got, want)
		}
		for _, l := range strings.Split(cells[i][1], "\n") {
			if len(l) > 26 {
				t.Errorf("row %d: %q is wider than the room", i, l)
			}
		}
	}
}
