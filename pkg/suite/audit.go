package suite

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/audit"
	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// auditCheck is how an audit shows in the reports: rows of its check, named
// "<check> · audit", at the check's line, one per finding, each an origin
// that must be denied; an error finding is a failure.
func auditCheck(c *Check) *Check {
	ac := *c
	ac.Name = c.Name + " · audit"
	return &ac
}

func auditPlaceholder(c *Check) Result {
	return Result{Check: auditCheck(c), Target: Target{Origin: "attacker origins", Expect: ExpectDeny, Line: c.Line}, Outcome: Canceled, auditJob: true}
}

// runAudit audits the check of placeholder r and returns its rows.
func runAudit(ctx context.Context, r *Result, opts *Options) []Result {
	if ctx.Err() != nil {
		return []Result{*r}
	}
	c := r.Check
	timeout := c.Timeout
	if opts.Timeout > 0 {
		timeout = opts.Timeout
	}
	rate := opts.AuditRate
	switch {
	case rate == 0:
		rate = audit.DefaultRate
	case rate < 0:
		rate = 0
	}
	client := probe.Options{Timeout: timeout, Insecure: opts.Insecure, Transport: opts.Transport}
	if c.Credentials {
		client.Cookie = c.Cookie
	}
	base := *r
	base.auditJob = false
	base.Attempts = 1
	rep, err := audit.Run(ctx, audit.Options{
		URL: c.URL, Origins: c.AllowedOrigins(), Method: c.Method, Header: c.Header.Clone(),
		Credentials: c.Credentials, SendActual: c.SendActual, Rate: rate, Client: client, Run: opts.Probe,
	})
	var ue *audit.UsageError
	switch {
	case ctx.Err() != nil:
		return []Result{*r}
	case errors.As(err, &ue):
		base.Outcome, base.Err = Errored, err
		return []Result{base}
	case err != nil:
		base.Outcome, base.Err = Unreachable, err
		return []Result{base}
	}
	base.AuditReport = rep
	var rows []Result
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Severity == cors.SeverityInfo {
			continue
		}
		row := base
		row.Target.Origin = f.Origin
		row.Audit = f
		row.Got = cors.Allowed
		row.Outcome = Passed
		if f.Severity == cors.SeverityError {
			row.Outcome = Failed
		}
		row.Diagnosis = &cors.Diagnosis{Verdict: cors.Allowed, Findings: []cors.Finding{{
			Code: f.Code, Severity: f.Severity, Step: f.Step, Message: f.Message, Fix: f.Fix,
		}}}
		for _, p := range rep.Probes {
			if p.Origin == f.Origin && p.Exchange != nil && p.Outcome.In() {
				row.Exchange = p.Exchange
				break
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		base.Got, base.Outcome = cors.Blocked, Passed
		pol := &rep.Policy
		n := pol.Denied + len(pol.Admitted) + pol.Unanswered
		base.Target.Origin = fmt.Sprintf("%d attacker origins", n)
		// No answer is blocked as a page sees it, but the CORS answer was
		// not judged: said as corsdiag audit says it.
		switch u := pol.Unanswered; {
		case u > 0 && u == n:
			base.Target.Origin += fmt.Sprintf(" (all %d got no answer, not judged)", u)
		case u > 0:
			base.Target.Origin += fmt.Sprintf(" (%d got no answer, not judged)", u)
		}
		rows = append(rows, base)
	}
	return rows
}

// auditExplanation is a failed audit row's problem: the finding, its
// evidence, and the exact allow-list in the form the audit chose.
func (res *Result) auditExplanation() *Explanation {
	f := res.Audit
	e := &Explanation{Code: string(f.Code), Cause: f.Message}
	if len(f.Evidence) > 0 {
		e.Cause += " (" + strings.Join(f.Evidence, "; ") + ")"
	}
	e.Fix = f.Fix
	if rep := res.AuditReport; rep != nil {
		for _, fx := range rep.Fixes {
			if fx.Format == rep.FixFormat {
				e.Fix += "\n[" + string(fx.Format) + "] " + fx.Title + "\n" + fx.Snippet
			}
		}
	}
	return e
}
