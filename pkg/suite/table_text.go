package suite

import (
	"slices"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/report"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// tableHeader is the text table's columns, as wide terminals show them.
var tableHeader = []string{"Check", "Origin", "Expected", "Got", "Finding", "Result"}

// giveWay is the order in which the table's columns give way when the
// terminal is too narrow, each step kept from then on (docs/ci.md lists
// it): Expected and Got go, as each failure's explanation says both;
// then Origin and Finding move under the check's name, on lines of their
// own. An origin and a finding code are never cut: users copy and search
// for them. Only the check's name wraps.
var giveWay = []giveStep{
	{column: "Expected"},
	{column: "Got"},
	{column: "Origin", under: "from "},
	{column: "Finding", under: "[", quote: "]"},
}

// giveStep drops a column, or moves it under the check's name.
type giveStep struct {
	column string
	under  string // prefix of its line under the name; "" drops the column
	quote  string // suffix of that line
}

// Check names wrap down to their longest word, within these bounds: a
// name of one long word (an unnamed check's URL) breaks inside it.
const (
	leastNameWidth = 10
	mostNameWidth  = 20
)

// fitTable lays rows (one cell per tableHeader column) out within width
// columns (0: as they are): the first layout of giveWay's steps in which
// every line fits, else the last, its first column wrapped to fit.
// stacked says lines were moved under the names.
func fitTable(header []string, rows [][]string, width int) (h []string, cells [][]string, stacked bool) {
	if width <= 0 {
		return header, rows, false
	}
	least := termsafe.Width(header[0])
	for _, row := range rows {
		least = max(least, min(termsafe.Width(row[0]), nameLeast(row[0])))
	}
	for steps := 0; ; steps++ {
		h, cells, moved := layout(header, rows, giveWay[:steps])
		room := width - tableFrame(h, cells)
		if room >= max(least, moved) || steps == len(giveWay) {
			for i, row := range cells {
				// The moved lines stay whole unless nothing else fits.
				name, under, _ := strings.Cut(row[0], "\n")
				row[0] = report.WrapLines(name, max(room, leastNameWidth))
				if under != "" {
					if moved > room {
						under = report.WrapLines(under, max(room, leastNameWidth))
					}
					row[0] += "\n" + under
				}
				cells[i] = row
			}
			return h, cells, moved > 0
		}
	}
}

// layout applies steps to a copy of header and rows: moved is the widest
// line moved under a check's name.
func layout(header []string, rows [][]string, steps []giveStep) (h []string, cells [][]string, moved int) {
	keep := make([]bool, len(header))
	for i := range keep {
		keep[i] = true
	}
	cells = make([][]string, len(rows))
	for i := range rows {
		cells[i] = []string{rows[i][0]}
	}
	for _, st := range steps {
		c := slices.Index(header, st.column)
		keep[c] = false
		if st.under == "" {
			continue
		}
		for i, row := range rows {
			if row[c] == "" || row[c] == "-" {
				continue
			}
			line := st.under + row[c] + st.quote
			cells[i][0] += "\n" + line
			moved = max(moved, termsafe.Width(line))
		}
	}
	h = []string{header[0]}
	for c := 1; c < len(header); c++ {
		if keep[c] {
			h = append(h, header[c])
			for i, row := range rows {
				cells[i] = append(cells[i], row[c])
			}
		}
	}
	return h, cells, moved
}

// tableFrame is the table's width but for its first column's cells: the
// other columns at their widest, and a space each side of every cell and
// a border after it, one more border starting the line.
func tableFrame(header []string, rows [][]string) int {
	n := 1 + 3*len(header)
	for c := 1; c < len(header); c++ {
		w := termsafe.Width(header[c])
		for _, row := range rows {
			w = max(w, termsafe.Width(row[c]))
		}
		n += w
	}
	return n
}

// nameLeast is how narrow name may wrap: its longest word and the indent
// of a continued line, within leastNameWidth and mostNameWidth.
func nameLeast(name string) int {
	word := 0
	for _, w := range strings.Fields(name) {
		word = max(word, termsafe.Width(w))
	}
	return min(max(word+2, leastNameWidth), mostNameWidth)
}
