package suite

import (
	"io"
	"strconv"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/report"
)

// WriteHTML renders the run as one self-contained HTML page (report's
// HTML renderer): the outcome counts, then each check × origin with its
// exchange drawn.
func (r *Report) WriteHTML(w io.Writer) error {
	s := r.Summary()
	page := &report.HTMLPage{
		Tool:    report.Tool{Name: r.Tool, Version: r.Version},
		Command: "ci",
		Source:  r.Config.Path,
		Counts: []report.HTMLCount{
			{Label: "checks", N: s.Total},
			{Label: string(Passed), N: s.Passed},
			{Label: string(Failed), N: s.Failed},
			{Label: string(Unreachable), N: s.Unreachable},
		},
		NoRedact: r.NoRedact,
	}
	if s.Errors > 0 {
		page.Counts = append(page.Counts, report.HTMLCount{Label: string(Errored), N: s.Errors})
	}
	if s.Canceled > 0 {
		page.Counts = append(page.Counts, report.HTMLCount{Label: string(Canceled), N: s.Canceled})
	}
	for i := range r.Results {
		if len(page.Items) >= report.HTMLMaxItems {
			page.Omitted = len(r.Results) - i
			break
		}
		res := &r.Results[i]
		ex := res.Exchange
		if ex == nil {
			ex = &cors.Exchange{Request: cors.Request{Method: res.Check.Method, URL: res.Check.URL, Origin: res.Target.Origin}}
		}
		item := report.HTMLItem{
			Label:    r.clean(res, res.Check.Name) + " (line " + strconv.Itoa(res.Target.Line) + ")",
			Verdict:  string(res.Outcome),
			Browser:  res.Target.Browser,
			Exchange: ex,
			Platform: res.Platform,
			Note:     "expected: " + string(res.Target.Expect) + ", the browser would: " + res.GotText(),
		}
		if res.Diagnosis != nil {
			item.Findings = res.Diagnosis.Findings
		}
		if e := res.Explain(); e != nil {
			item.Problem = &cors.Finding{Code: cors.Code(e.Code), Severity: cors.SeverityError, Message: e.Cause, Fix: e.Fix}
		}
		if ue := res.UnreachableErr(); ue != nil {
			item.Note += "; " + ue.Error()
		}
		page.Items = append(page.Items, item)
	}
	return report.WriteHTML(w, page)
}
