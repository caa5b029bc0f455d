package report

import (
	"slices"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// ListFit says how a list table (ci's checks, har's requests) fits a
// terminal without cutting anything out of a cell: its main column wraps,
// and when that is not enough the other columns give way in Steps' order,
// each step kept from then on, until every line fits. Users copy and
// search for what the moved cells hold (origins, finding codes), so they
// stay whole on a line of their own while the last layout leaves room.
type ListFit struct {
	// Main is the column that wraps and takes the moved cells.
	Main int
	// Steps are the ways the other columns give way, in order.
	Steps []GiveStep
	// Least and Most bound the narrowest Main wraps to before a step is
	// taken: a cell's longest word and a continuation's indent (0: 10
	// and 20 columns). A cell of one long word (a URL) breaks inside it.
	Least, Most int
}

// GiveStep drops a column, or moves its cells into the main column.
type GiveStep struct {
	Column string // the column's header; a step for a column not shown is skipped
	// Place is where the cell goes: "" drops the column (what it says is
	// said elsewhere), Under puts it on a line of its own under the main
	// cell, Before at the start of the main cell's first line.
	Place string
	// Prefix and Suffix frame the moved cell ("from ", or "[" and "]").
	Prefix, Suffix string
}

// Places of a moved cell.
const (
	Under  = "under"
	Before = "before"
)

// Fit lays rows (one cell per header column) out within width columns
// (0: as they are): the first layout of f.Steps in which every line fits,
// else the last, its main column wrapped to fit. stacked says lines were
// moved under the main cells: a table then wants a line between rows, so
// a moved line is not read as a row of its own.
func (f ListFit) Fit(header []string, rows [][]string, width int) (h []string, cells [][]string, stacked bool) {
	if width <= 0 {
		return header, rows, false
	}
	least, most := f.Least, f.Most
	if least <= 0 {
		least, most = 10, 20
	}
	for steps := 0; ; steps++ {
		h, cells, main, moved := f.layout(header, rows, f.Steps[:steps])
		room := width - listFrame(h, cells, main)
		// A long header (har's "URL (host)") wraps too.
		need := wordsLeast(h[main], least, most)
		for _, row := range cells {
			first, _, _ := strings.Cut(row[main], "\n")
			need = max(need, min(termsafe.Width(first), wordsLeast(first, least, most)))
		}
		if room >= max(need, moved) || steps == len(f.Steps) {
			room = max(room, least)
			h[main] = WrapLines(h[main], room)
			for i, row := range cells {
				// The moved lines stay whole unless nothing else fits.
				first, under, _ := strings.Cut(row[main], "\n")
				row[main] = fillLines(first, room)
				if under != "" {
					if moved > room {
						under = WrapLines(under, room)
					}
					row[main] += "\n" + under
				}
				cells[i] = row
			}
			return h, cells, moved > 0
		}
	}
}

// layout applies steps to a copy of header and rows: main is the main
// column's index in it, moved the widest line moved under a main cell.
func (f ListFit) layout(header []string, rows [][]string, steps []GiveStep) (h []string, cells [][]string, main, moved int) {
	keep := make([]bool, len(header))
	for i := range keep {
		keep[i] = true
	}
	firsts := make([]string, len(rows))
	unders := make([]string, len(rows))
	for i := range rows {
		firsts[i] = rows[i][f.Main]
	}
	for _, st := range steps {
		c := slices.Index(header, st.Column)
		if c < 0 || c == f.Main {
			continue
		}
		keep[c] = false
		for i, row := range rows {
			if st.Place == "" || row[c] == "" || row[c] == "-" {
				continue
			}
			text := st.Prefix + row[c] + st.Suffix
			if st.Place == Before {
				firsts[i] = text + " " + firsts[i]
				continue
			}
			unders[i] += "\n" + text
			moved = max(moved, termsafe.Width(text))
		}
	}
	cells = make([][]string, len(rows))
	for c := range header {
		if !keep[c] {
			continue
		}
		if c == f.Main {
			main = len(h)
		}
		h = append(h, header[c])
		for i, row := range rows {
			cell := row[c]
			if c == f.Main {
				cell = firsts[i] + unders[i]
			}
			cells[i] = append(cells[i], cell)
		}
	}
	return h, cells, main, moved
}

// listFrame is a table's width but for its main column's cells: the
// other columns at their widest, and a space each side of every cell and
// a border after it, one more border starting the line.
func listFrame(header []string, rows [][]string, main int) int {
	n := 1 + 3*len(header)
	for c := range header {
		if c == main {
			continue
		}
		w := termsafe.Width(header[c])
		for _, row := range rows {
			for _, l := range strings.Split(row[c], "\n") {
				w = max(w, termsafe.Width(l))
			}
		}
		n += w
	}
	return n
}

// wordsLeast is how narrow s may wrap: its longest word and the indent of
// a continued line, within least and most.
func wordsLeast(s string, least, most int) int {
	word := 0
	for _, w := range strings.Fields(s) {
		word = max(word, termsafe.Width(w))
	}
	return min(max(word+2, least), most)
}
