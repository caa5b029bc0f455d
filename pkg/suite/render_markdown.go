package suite

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown renders the run for a pull request comment or GitHub's job
// summary: a table, then the cause and fix of each failure.
func (r *Report) WriteMarkdown(w io.Writer) error {
	ew := &errWriter{w: w}
	s := r.Summary()
	icon := "✅"
	if s.ExitCode() != 0 {
		icon = "❌"
	}
	fmt.Fprintf(ew, "## %s corsdiag: %s\n\n", icon, mdEscape(s.Line(r.Elapsed)))
	if r.Interrupted {
		fmt.Fprintf(ew, "> Interrupted: %s did not run.\n\n", plural(s.Canceled, "check"))
	}
	fmt.Fprintf(ew, "| Check | Origin | Expected | Got | Finding |\n| --- | --- | --- | --- | --- |\n")
	for i := range r.Results {
		res := &r.Results[i]
		got := res.GotText()
		switch res.Outcome {
		case Passed:
			got = "✅ " + got
		case Failed, Unreachable, Errored:
			got = "❌ " + got
		}
		fmt.Fprintf(ew, "| %s | %s | %s | %s | %s |\n", mdCell(r.clean(res, res.Check.Name)), mdCell(res.Target.Label()),
			res.Target.Expect, got, mdCode(res.FindingCode()))
	}
	for _, o := range []Outcome{Failed, Unreachable, Errored} {
		for _, res := range r.failures(o) {
			e := res.Explain()
			fmt.Fprintf(ew, "\n### ❌ %s (%s)\n\n", mdEscape(r.clean(res, res.Check.Name)), mdEscape(res.Target.Label()))
			fmt.Fprintf(ew, "`%s:%d` · `%s %s`", r.Config.Path, res.Check.Line, res.Check.Method, strings.ReplaceAll(r.URL(res), "`", "'"))
			if res.Outcome == Failed {
				fmt.Fprintf(ew, " · expected **%s**, got **%s**", res.Target.Expect, res.Got)
			}
			fmt.Fprintf(ew, "\n\n- **Cause:** %s\n", mdEscape(r.clean(res, e.Cause)))
			if e.Browser != "" {
				fmt.Fprintf(ew, "- **Browser console:** %s\n", mdCode(r.clean(res, e.Browser)))
			}
			if e.Platform != "" {
				fmt.Fprintf(ew, "- **Server:** %s\n", mdEscape(e.Platform))
			}
			if e.Fix != "" {
				// The first line is prose with Markdown backticks; platform fixes
				// follow it with a snippet, which goes in a fenced block.
				first, snippet, _ := strings.Cut(r.clean(res, e.Fix), "\n")
				fmt.Fprintf(ew, "- **Fix:** %s\n", mdProse(first))
				if snippet = strings.Trim(snippet, "\n"); snippet != "" {
					fence := "```"
					for strings.Contains(snippet, fence) {
						fence += "`"
					}
					fmt.Fprintf(ew, "\n  %s\n  %s\n  %s\n", fence, strings.ReplaceAll(snippet, "\n", "\n  "), fence)
				}
			}
		}
	}
	return ew.err
}

// mdEscape stops server text from becoming Markdown or HTML.
func mdEscape(s string) string {
	return strings.NewReplacer(
		"\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]",
		"<", "&lt;", ">", "&gt;", "|", "\\|", "#", "\\#", "\n", " ", "\r", " ",
	).Replace(s)
}

func mdCell(s string) string { return mdEscape(s) }

// mdProse is a fix's prose: corsdiag's own `code` spans stay code, and the
// text between them is escaped as server text is, since a fix may quote
// what a server sent (a Location, an allow-list). An odd number of
// backticks (one of them a server's) leaves no span, all is escaped.
func mdProse(s string) string {
	parts := strings.Split(s, "`")
	if len(parts)%2 == 0 {
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
