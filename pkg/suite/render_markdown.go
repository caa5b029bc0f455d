package suite

import (
	"fmt"
	"io"
	"strings"
)

// MaxSummaryBytes is what GitHub keeps of a step's job summary: a bigger
// one is dropped whole ("$GITHUB_STEP_SUMMARY upload aborted, supports
// content up to a size of 1024k").
const MaxSummaryBytes = 1 << 20

// WriteMarkdown renders the run for a pull request comment or GitHub's job
// summary: a table, then the cause and fix of each failure.
func (r *Report) WriteMarkdown(w io.Writer) error {
	return r.WriteMarkdownWithin(w, 0)
}

// WriteMarkdownWithin is WriteMarkdown in at most limit bytes (0: no
// limit). When the whole does not fit, the table lists the checks that did
// not pass, the failures follow while there is room, and a note says what
// is left out; the verdict line is always there.
func (r *Report) WriteMarkdownWithin(w io.Writer, limit int) error {
	head, rows, details := r.markdownParts()
	var b strings.Builder
	b.WriteString(head)
	for _, row := range rows {
		b.WriteString(row.text)
	}
	for _, d := range details {
		b.WriteString(d)
	}
	if limit <= 0 || b.Len() <= limit {
		_, err := io.WriteString(w, b.String())
		return err
	}
	// Over the limit: the rows that did not pass, then the failures while
	// they fit, then a note of what is left out.
	var kept []string
	for _, row := range rows {
		if !row.passed {
			kept = append(kept, row.text)
		}
	}
	note := func(rowsShown, detailsShown int) string {
		s := ""
		if n := len(rows) - rowsShown; n > 0 {
			s += fmt.Sprintf("\n_%s not listed (%d passed)._\n", plural(n, "check"), len(rows)-len(kept))
		}
		why := "a job summary holds at most 1 MiB. The job log has every check; `--report markdown=FILE` writes them all."
		switch n := len(details) - detailsShown; {
		case n > 0:
			s += fmt.Sprintf("\n_%s not shown: %s_\n", plural(n, "failure"), why)
		case s != "":
			s += "\n_" + strings.ToUpper(why[:1]) + why[1:] + "_\n"
		}
		return s
	}
	// Room for the longest note, whatever is cut.
	room := limit - len(note(0, 0)) - 8
	b.Reset()
	b.WriteString(head)
	rowsShown, detailsShown := 0, 0
	for _, row := range kept {
		if b.Len()+len(row) > room {
			break
		}
		b.WriteString(row)
		rowsShown++
	}
	for _, d := range details {
		if rowsShown < len(kept) || b.Len()+len(d) > room {
			break
		}
		b.WriteString(d)
		detailsShown++
	}
	if rowsShown == 0 {
		// Not one row fits: the verdict (and the interruption) alone.
		top, _, _ := strings.Cut(head, "| Check |")
		if len(top) > room {
			top, _, _ = strings.Cut(head, "\n")
			top += "\n"
		}
		b.Reset()
		b.WriteString(top)
	}
	b.WriteString(note(rowsShown, detailsShown))
	out := b.String()
	if len(out) > limit {
		// A limit too small for the note: the verdict line, if even that.
		out, _, _ = strings.Cut(head, "\n")
		out += "\n"
		if len(out) > limit {
			out = ""
		}
	}
	_, err := io.WriteString(w, out)
	return err
}

// mdRow is one row of the Markdown table.
type mdRow struct {
	text   string
	passed bool
}

// markdownParts renders the verdict and the table's head, the table's
// rows, and one section per failure.
func (r *Report) markdownParts() (head string, rows []mdRow, details []string) {
	var h strings.Builder
	s := r.Summary()
	icon := "✅"
	if s.ExitCode() != 0 {
		icon = "❌"
	}
	fmt.Fprintf(&h, "## %s corsdiag: %s\n\n", icon, mdEscape(s.Line(r.Elapsed)))
	if r.Interrupted {
		fmt.Fprintf(&h, "> Interrupted: %s did not run.\n\n", plural(s.Canceled, "check"))
	}
	fmt.Fprintf(&h, "| Check | Origin | Expected | Got | Finding |\n| --- | --- | --- | --- | --- |\n")
	for i := range r.Results {
		res := &r.Results[i]
		got := res.GotText()
		switch res.Outcome {
		case Passed:
			got = "✅ " + got
		case Failed, Unreachable, Errored:
			got = "❌ " + got
		}
		rows = append(rows, mdRow{passed: res.Outcome == Passed, text: fmt.Sprintf("| %s | %s | %s | %s | %s |\n", mdCell(r.clean(res, res.Check.Name)), mdCell(res.Target.Label()),
			res.Target.Expect, got, mdCode(res.FindingCode()))})
	}
	for _, o := range []Outcome{Failed, Unreachable, Errored} {
		for _, res := range r.failures(o) {
			var ew strings.Builder
			e := res.Explain()
			fmt.Fprintf(&ew, "\n### ❌ %s (%s)\n\n", mdEscape(r.clean(res, res.Check.Name)), mdEscape(res.Target.Label()))
			fmt.Fprintf(&ew, "`%s:%d` · `%s %s`", r.Config.Path, res.Check.Line, res.Check.Method, strings.ReplaceAll(r.URL(res), "`", "'"))
			if res.Outcome == Failed {
				fmt.Fprintf(&ew, " · expected **%s**, got **%s**", res.Target.Expect, res.Got)
			}
			fmt.Fprintf(&ew, "\n\n- **Cause:** %s\n", mdEscape(r.clean(res, e.Cause)))
			if e.Browser != "" {
				fmt.Fprintf(&ew, "- **Browser console:** %s\n", mdCode(r.clean(res, e.Browser)))
			}
			if e.Platform != "" {
				fmt.Fprintf(&ew, "- **Server:** %s\n", mdEscape(e.Platform))
			}
			if e.Fix != "" {
				// The first line is prose with Markdown backticks; platform fixes
				// follow it with a snippet, which goes in a fenced block.
				first, snippet, _ := strings.Cut(r.clean(res, e.Fix), "\n")
				fmt.Fprintf(&ew, "- **Fix:** %s\n", mdProse(first))
				if snippet = strings.Trim(snippet, "\n"); snippet != "" {
					fence := "```"
					for strings.Contains(snippet, fence) {
						fence += "`"
					}
					fmt.Fprintf(&ew, "\n  %s\n  %s\n  %s\n", fence, strings.ReplaceAll(snippet, "\n", "\n  "), fence)
				}
			}
			details = append(details, ew.String())
		}
	}
	return h.String(), rows, details
}

// mdEscape stops server text from becoming Markdown or HTML, or an
// @mention that notifies someone when the report is a pull request comment
// (a zero-width space after the @, as Renovate writes them).
func mdEscape(s string) string { return mdEscaper.Replace(s) }

var mdEscaper = strings.NewReplacer(
	"\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]",
	"<", "&lt;", ">", "&gt;", "|", "\\|", "#", "\\#", "\n", " ", "\r", " ", "@", "@&#8203;",
)

func mdCell(s string) string { return mdEscape(s) }

// mdProse is a fix's prose: corsdiag's own `code` spans stay code, and the
// text between them is escaped as server text is, since a fix may quote
// what a server sent (a Location, an allow-list). Backticks pair up in
// order only when each stands alone: an odd number, or a run of two or
// more (which CommonMark matches only with a run as long, else leaves as
// text), means a server's, and all is escaped.
func mdProse(s string) string {
	parts := strings.Split(s, "`")
	if len(parts)%2 == 0 || strings.Contains(s, "``") {
		return mdEscape(s)
	}
	for i := 0; i < len(parts); i += 2 {
		parts[i] = mdEscape(parts[i])
	}
	return strings.Join(parts, "`")
}

// mdCode puts s in a code span that its own backticks cannot close.
func mdCode(s string) string {
	s = strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}
