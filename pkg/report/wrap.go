package report

import (
	"strings"

	"github.com/clipperhouse/displaywidth"

	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// writeWrapped writes s after first, wrapped at word boundaries so no line
// is wider than width (0: no wrapping), the lines after the first
// indented by rest. A line may also break next to a wide (CJK) character,
// as such text has no spaces; any other word longer than a line (a URL, a
// code) stands alone on its line, whole. When that word does not fit
// after a label ("  Reported:  "), the label takes a line of its own and
// the text goes under it, indented two more than the label (never more
// than rest).
func writeWrapped(b *strings.Builder, s, first, rest string, width int) {
	if width <= 0 {
		b.WriteString(first + s + "\n")
		return
	}
	if label := strings.TrimSpace(first); strings.HasSuffix(label, ":") {
		f := strings.TrimLeft(first, "\n")
		lead := len(f) - len(strings.TrimLeft(f, " ")) + 2
		word, _, _ := strings.Cut(strings.TrimSpace(s), " ")
		if w := termsafe.Width(widePieces(word)[0]); termsafe.Width(first)+w > width && lead <= termsafe.Width(rest) {
			b.WriteString(strings.TrimRight(first, " ") + "\n")
			first, rest = strings.Repeat(" ", lead), strings.Repeat(" ", lead)
		}
	}
	prefix, lineW := first, 0
	b.WriteString(prefix)
	for _, w := range strings.Fields(s) {
		for i, piece := range widePieces(w) {
			pw := termsafe.Width(piece)
			room := width - termsafe.Width(prefix)
			space := lineW > 0 && i == 0
			if lineW > 0 && lineW+btoi(space)+pw > room {
				b.WriteString("\n" + rest)
				prefix, lineW, space = rest, 0, false
			}
			if space {
				b.WriteByte(' ')
				lineW++
			}
			b.WriteString(piece)
			lineW += pw
		}
	}
	b.WriteByte('\n')
}

// writeCommand writes label and cmd, a command to copy, on one line when
// it fits width (0: any), else cmd whole on a line of its own under the
// label, indented two more than it.
func writeCommand(b *strings.Builder, label, cmd string, width int) {
	if width <= 0 || termsafe.Width(label+cmd) <= width {
		b.WriteString(label + cmd + "\n")
		return
	}
	lead := len(label) - len(strings.TrimLeft(label, " ")) + 2
	b.WriteString(strings.TrimRight(label, " ") + "\n" + strings.Repeat(" ", lead) + cmd + "\n")
}

// widePieces cuts word where a line may break inside it: before and after
// each wide character (two columns: CJK, emoji). A word without one is
// one piece.
func widePieces(word string) []string {
	if termsafe.Width(word) == len(word) {
		return []string{word} // ASCII: only it takes a column a byte
	}
	var pieces []string
	start, at := 0, 0
	for g := displaywidth.StringGraphemes(word); g.Next(); {
		n := len(g.Value())
		if g.Width() > 1 {
			if at > start {
				pieces = append(pieces, word[start:at])
			}
			pieces = append(pieces, word[at:at+n])
			start = at + n
		}
		at += n
	}
	if at > start {
		pieces = append(pieces, word[start:at])
	}
	return pieces
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Wrap is s after first, wrapped at word boundaries to width (0: not
// wrapped), later lines after rest; it ends with a newline.
func Wrap(s, first, rest string, width int) string {
	var b strings.Builder
	writeWrapped(&b, s, first, rest, width)
	return b.String()
}

// maxStepWidth is the widest the step column of check's exchange table
// grows: "without credentials" fits; a compared origin ("from https://…")
// wraps, so it cannot squeeze the request and response columns.
const maxStepWidth = 20

// sideBySide is the least room the request and response columns of
// check's exchange table need together: below it (a terminal under about
// 60 columns) a header name such as Access-Control-Allow-Origin: wraps
// inside itself on every line.
const sideBySide = 48

// stackCells reports whether a terminal of width columns is too narrow for
// the step, request and response of check's exchange table side by side.
func stackCells(rows [][]string, width int) bool {
	step := len("step")
	for _, row := range rows {
		for _, l := range strings.Split(row[0], "\n") {
			step = max(step, termsafe.Width(l))
		}
	}
	return width-10-min(step, maxStepWidth) < sideBySide
}

// fitCells wraps the lines of a three-column table's cells (step, request,
// response) so the table is at most width columns wide: the step column
// keeps its width up to maxStepWidth, the other two share the rest in
// proportion to what they hold. A wrapped line goes on indented by two
// spaces, so it does not read as a header of its own.
func fitCells(rows [][]string, width int) {
	for _, row := range rows {
		row[0] = WrapLines(row[0], maxStepWidth)
	}
	natural := make([]int, 3)
	for _, row := range rows {
		for c, cell := range row {
			for _, l := range strings.Split(cell, "\n") {
				natural[c] = max(natural[c], termsafe.Width(l))
			}
		}
	}
	natural[1], natural[2] = max(natural[1], len("request")), max(natural[2], len("response"))
	// Borders and padding: "│ a │ b │ c │" is 10 columns more than a+b+c.
	room := width - 10 - natural[0]
	if natural[1]+natural[2] <= room {
		return
	}
	// Each column wants at least its longest word (a header name), so a
	// name is not cut in two; the request column is served first.
	word1, word2 := min(longestWord(rows, 1), 34, natural[1]), min(longestWord(rows, 2), 40, natural[2])
	reqW := room * natural[1] / (natural[1] + natural[2])
	reqW = min(max(reqW, word1, 16), natural[1])
	respW := room - reqW
	if respW < word2 && room-word2 >= 16 && room-word2 >= word1 {
		// Both columns keep their longest word.
		reqW, respW = room-word2, word2
	}
	if respW < 16 {
		reqW, respW = room-16, 16
	}
	if respW > natural[2] {
		respW = natural[2]
		reqW = min(room-respW, natural[1])
	}
	for _, row := range rows {
		row[1] = WrapLines(row[1], reqW)
		row[2] = WrapLines(row[2], respW)
	}
}

// WrapLines breaks every line of s longer than width: at the last space
// or comma that fits, else hard; continuations are indented by two.
func WrapLines(s string, width int) string { return wrapLines(s, width, false) }

// fillLines is WrapLines, but a word too long for a line of its own (a
// URL) starts where the line breaks, so a short word before it ("GET")
// is not left alone on a line above it.
func fillLines(s string, width int) string { return wrapLines(s, width, true) }

func wrapLines(s string, width int, fill bool) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		first := true
		for {
			room := width
			if !first {
				room -= 2 // the continuation's indent
			}
			if termsafe.Width(line) <= max(room, 1) {
				break
			}
			cut := breakAt(line, room)
			if next := strings.TrimLeft(line[cut:], " "); fill && firstWordWidth(next) > width-2 {
				cut = max(cut, len(termsafe.Head(line, room)))
			}
			out = append(out, indentCont(line[:cut], first))
			line = strings.TrimLeft(line[cut:], " ")
			first = false
		}
		out = append(out, indentCont(line, first))
	}
	return strings.Join(out, "\n")
}

// firstWordWidth is the columns of s up to its first space or comma.
func firstWordWidth(s string) int {
	if i := strings.IndexAny(s, " ,"); i >= 0 {
		s = s[:i+1]
	}
	return termsafe.Width(s)
}

func indentCont(s string, first bool) string {
	if first {
		return s
	}
	return "  " + s
}

// breakAt is the byte index to cut s at so the head fits n columns: after
// the last space or comma within them, else at n columns (after one
// character at least, so a wrap always moves on).
func breakAt(s string, n int) int {
	head := termsafe.Head(s, n)
	if head == "" {
		head = termsafe.Head(s, 2) // a wide character in a one-column room
	}
	if i := strings.LastIndexAny(head, " ,"); i >= 0 && len(head) < len(s) {
		return i + 1
	}
	return len(head)
}

// longestWord is the widest space-separated word in column c.
func longestWord(rows [][]string, c int) int {
	n := 0
	for _, row := range rows {
		for _, w := range strings.Fields(row[c]) {
			n = max(n, termsafe.Width(w))
		}
	}
	return n
}

// Block is text (a fix with its snippets) after first, later lines after
// indent: prose wrapped to width (0: not wrapped), a snippet's code whole.
func Block(text, first, indent string, width int) string {
	var b strings.Builder
	writeBlock(&b, text, first, indent, width, func(s string) string { return s })
	return b.String()
}

// writeBlock writes multi-line text (a fix with its snippets) line by line,
// each cleaned by clean. Prose wraps to width; the code of a fix snippet
// (from its "[format] title" line to the next blank line) stays whole, so
// it still pastes.
func writeBlock(b *strings.Builder, text, first, indent string, width int, clean func(string) string) {
	inCode := false
	for i, line := range strings.Split(text, "\n") {
		prefix := indent
		if i == 0 {
			prefix = first
		}
		line = clean(strings.TrimRight(line, "\r"))
		switch {
		case line == "":
			inCode = false
			b.WriteString(strings.TrimRight(prefix, " ") + "\n")
			continue
		case strings.HasPrefix(line, "[") && strings.Contains(line, "] "):
			inCode = true
		case width > 0 && !inCode:
			writeWrapped(b, line, prefix, indent, width)
			continue
		}
		b.WriteString(prefix + line + "\n")
	}
}
