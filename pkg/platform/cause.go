package platform

import "github.com/corsdiag/corsdiag/pkg/cors"

// Apply adds the report's findings to d and names the cause of the error
// the browser reports. check, har and ci all call it, so the same answers
// get the same cause and fix whichever door they came in by. r may be nil.
func (r *Report) Apply(d *cors.Diagnosis) {
	if r != nil {
		for _, f := range r.Findings {
			// The browser reports one error: the engine's first.
			f.Reported = false
			d.Findings = append(d.Findings, f)
		}
		if d.Verdict == cors.Blocked && r.ex != nil && !r.ex.AllowsOrigin() || r.errorPathsExplained {
			d.Findings = dropErrorPathWarnings(d.Findings)
		}
	}
	NameCause(d)
}

// dropErrorPathWarnings removes error-responses-lack-cors (error answers
// without Access-Control-Allow-Origin): noise when no answer allowed the
// origin at all, or when the platform's own findings already name every
// such answer. A platform's own error-path warning (API Gateway's gateway
// responses) stays: it names a setting still to change after the fix.
func dropErrorPathWarnings(fs []cors.Finding) []cors.Finding {
	out := fs[:0]
	for _, f := range fs {
		if f.Code == cors.CodeErrorPathNoCORS {
			continue
		}
		out = append(out, f)
	}
	return out
}

// anyPlatformCause are the causes found on any server, with no platform
// of their own: an allow-list miss, the default port in the value.
var anyPlatformCause = map[cors.Code]bool{CodeOriginNotAllowed: true, CodeAllowOriginDefaultPort: true}

// NameCause picks the finding that explains the reported error: one the
// engine already marked (a redirect that tainted the Origin), else a
// platform's cause at the same step, else an allow-list miss. Every other
// error at the reported step follows from it.
func NameCause(d *cors.Diagnosis) {
	rep := d.Reported()
	if rep == nil {
		return
	}
	cause := -1
	for i := range d.Findings {
		if d.Findings[i].Cause {
			cause = i
			break
		}
	}
	for i := range d.Findings {
		f := &d.Findings[i]
		if cause < 0 && !f.Reported && f.Severity == cors.SeverityError && f.Step == rep.Step && (f.Platform != "" || anyPlatformCause[f.Code]) {
			cause = i
		}
	}
	if cause < 0 {
		return
	}
	c := d.Findings[cause]
	refused := c.Code == CodeOriginNotAllowed
	d.SetCause(cause, func(f *cors.Finding) bool {
		if f.Severity == cors.SeverityError && f.Step == rep.Step {
			return true
		}
		// The same refusal shows on every answer the probe got.
		return refused && (f.Code == cors.CodeMissingAllowOrigin || f.Code == cors.CodePreflightMissingAllowOrigin)
	})
}
