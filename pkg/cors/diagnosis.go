package cors

// Verdict is what the browser does with the request.
type Verdict string

const (
	Allowed Verdict = "allowed"
	Blocked Verdict = "blocked"
)

// Scope says how much of the exchange could be judged.
type Scope string

const (
	// ScopeFull: preflight (if any) and actual response were judged.
	ScopeFull Scope = "full"
	// ScopePreflightOnly: the actual request was not sent or not recorded.
	ScopePreflightOnly Scope = "preflight-only"
)

// Diagnosis is the engine's judgement of one Exchange.
type Diagnosis struct {
	Verdict Verdict `json:"verdict"`
	Scope   Scope   `json:"scope"`
	// Plan is what the browser sends for the request.
	Plan Plan `json:"plan"`
	// Findings in the browser's order: errors first, the one the browser
	// reports marked Reported, then warnings and infos.
	Findings []Finding `json:"findings"`
}

// Reported returns the error the browser reports, or nil when allowed.
func (d *Diagnosis) Reported() *Finding {
	for i := range d.Findings {
		if d.Findings[i].Reported {
			return &d.Findings[i]
		}
	}
	return nil
}

// Cause returns the finding named as the reason the browser blocks: the
// one marked Cause, else the reported one; nil when allowed.
func (d *Diagnosis) Cause() *Finding {
	for i := range d.Findings {
		if d.Findings[i].Cause {
			return &d.Findings[i]
		}
	}
	return d.Reported()
}

// SetCause names d.Findings[i] as the cause of the reported error: it
// becomes an error, and the reported finding, with every other finding
// follows accepts, follows from it. The reported finding keeps its console
// line: the browser still prints it.
func (d *Diagnosis) SetCause(i int, follows func(*Finding) bool) {
	rep := d.Reported()
	if rep == nil || i < 0 || i >= len(d.Findings) || &d.Findings[i] == rep {
		return
	}
	for j := range d.Findings {
		d.Findings[j].Cause = false
	}
	c := &d.Findings[i]
	c.Cause, c.Severity, c.FollowsFrom = true, SeverityError, ""
	rep.FollowsFrom = c.Code
	for j := range d.Findings {
		if f := &d.Findings[j]; j != i && !f.Reported && follows != nil && follows(f) {
			f.FollowsFrom = c.Code
		}
	}
}

// Has reports whether a finding with code is present.
func (d *Diagnosis) Has(code Code) bool {
	for _, f := range d.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

// Count returns how many findings have severity s.
func (d *Diagnosis) Count(s Severity) int {
	n := 0
	for _, f := range d.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// groupUnderCause applies a cause the engine marked (a tainting redirect):
// the reported error and the other errors of its step follow from it.
func (d *Diagnosis) groupUnderCause() {
	rep := d.Reported()
	for i := range d.Findings {
		if d.Findings[i].Cause {
			d.Findings[i].Cause = false
			d.SetCause(i, func(f *Finding) bool { return f.Severity == SeverityError && f.Step == rep.Step })
			return
		}
	}
}
