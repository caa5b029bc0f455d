package suite

import (
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/corsdiag/corsdiag/pkg/lint"
	"github.com/corsdiag/corsdiag/pkg/report"
)

// WriteText renders the table (check, origin, expected, got, finding), then
// the cause and fix of each failure, then the summary line.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	rows := make([][]string, 0, len(r.Results))
	for i := range r.Results {
		res := &r.Results[i]
		mark := "ok"
		switch res.Outcome {
		case Failed, Unreachable, Errored:
			mark = "FAIL"
		case Canceled:
			mark = "-"
		}
		rows = append(rows, []string{r.clean(res, res.Check.Name), r.clean(res, res.Target.Label()), string(res.Target.Expect),
			res.GotText(), res.FindingCode(), mark})
	}
	header, rows, stacked := tableFit.Fit(tableHeader, rows, r.Width)
	rendition := tw.Rendition{Symbols: tw.NewSymbols(tw.StyleLight)}
	if stacked {
		// A line between rows, so the origin under a name is not read
		// as a row of its own (a wrapped name's next line is indented).
		rendition.Settings.Separators.BetweenRows = tw.On
	}
	t := tablewriter.NewTable(ew,
		tablewriter.WithRenderer(renderer.NewBlueprint(rendition)),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
	)
	if err := report.RenderTable(t, header, rows); err != nil {
		return err
	}

	failures := r.failures(Failed)
	if len(failures) > 0 {
		fmt.Fprintf(ew, "\nCORS failures:\n")
		for _, res := range failures {
			r.writeExplanation(ew, res)
		}
	}
	if network := append(r.failures(Unreachable), r.failures(Errored)...); len(network) > 0 {
		fmt.Fprintf(ew, "\nNot reached (network, not CORS):\n")
		for _, res := range network {
			r.writeExplanation(ew, res)
		}
	}
	if r.Lint != nil {
		fmt.Fprintf(ew, "\nTemplates (corsdiag lint):\n")
		if err := lint.WriteText(ew, r.Lint, r.Width); err != nil {
			return err
		}
	}
	io.WriteString(ew, "\n"+report.Wrap(r.Summary().Line(r.Elapsed), "", "  ", r.Width))
	if r.Interrupted {
		fmt.Fprintf(ew, "Interrupted: %s did not run.\n", plural(r.Summary().Canceled, "check"))
	}
	return ew.err
}

func (r *Report) writeExplanation(w io.Writer, res *Result) {
	e := res.Explain()
	if e == nil {
		return
	}
	wrap := func(s, first string) {
		// Prose wraps to the width; the browser's console line and
		// multi-line snippets stay as they are (they are copied).
		if r.Width > 0 && first != "  browser: " && !strings.Contains(s, "\n") {
			io.WriteString(w, report.Wrap(s, first, "           ", r.Width))
			return
		}
		fmt.Fprintf(w, "%s%s\n", first, indent(s))
	}
	wrap(fmt.Sprintf("%s, from %s, at %s:%d", r.clean(res, res.Check.Name), r.clean(res, res.Target.Label()), r.Config.Path, res.Check.Line), "\n✗ ")
	// An unnamed check is named after its request line: say it once.
	if res.Check.Name != res.Check.Method+" "+res.Check.URL {
		wrap(res.Check.Method+" "+r.URL(res), "  ")
	}
	if res.Outcome == Failed {
		wrap(fmt.Sprintf("expected %s, got %s [%s]", res.Target.Expect, res.Got, e.Code), "  ")
	}
	wrap(r.clean(res, e.Cause), "  cause:   ")
	if e.Browser != "" {
		wrap(r.clean(res, e.Browser), "  browser: ")
	}
	if e.Platform != "" {
		wrap(r.clean(res, e.Platform), "  server:  ")
	}
	if e.Fix != "" {
		wrap(r.clean(res, e.Fix), "  fix:     ")
	}
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n           ") }

// failures returns the results with outcome o, in file order.
func (r *Report) failures(o Outcome) []*Result {
	var out []*Result
	for i := range r.Results {
		if r.Results[i].Outcome == o {
			out = append(out, &r.Results[i])
		}
	}
	return out
}

// errWriter keeps the first write error so renderers can print freely.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
