package suite

import (
	"io"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/lint"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// JSONSchemaVersion is bumped when a field changes meaning or goes away.
const JSONSchemaVersion = 1

type jsonReport struct {
	SchemaVersion int          `json:"schema_version"`
	Tool          jsonTool     `json:"tool"`
	Config        string       `json:"config"`
	Verdict       string       `json:"verdict"` // passed, failed, unreachable, interrupted
	Summary       Summary      `json:"summary"`
	DurationMS    int64        `json:"duration_ms"`
	Results       []jsonResult `json:"results"`
	// Lint holds the findings of the config's lint: templates.
	Lint []lint.Finding `json:"lint,omitempty"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonResult struct {
	Check      string              `json:"check"`
	Line       int                 `json:"line"`
	Method     string              `json:"method"`
	URL        string              `json:"url"`
	Origin     string              `json:"origin"`
	Browser    string              `json:"browser"`
	Expect     Expect              `json:"expect"`
	Got        string              `json:"got"`
	Outcome    Outcome             `json:"outcome"`
	Attempts   int                 `json:"attempts"`
	DurationMS int64               `json:"duration_ms"`
	Problem    *Explanation        `json:"problem,omitempty"`
	Findings   []cors.Finding      `json:"findings"`
	Platform   *platform.Detection `json:"platform,omitempty"`
}

// Verdict is the run's one word: passed, failed, unreachable or
// interrupted. An interrupted run says so whatever it found before the
// stop, as its exit code (130) does.
func (r *Report) Verdict() string {
	s := r.Summary()
	switch {
	case r.Interrupted:
		return "interrupted"
	case s.Failed > 0, s.LintBlocked > 0:
		return "failed"
	case s.Unreachable > 0 || s.Errors > 0:
		return "unreachable"
	}
	return "passed"
}

// WriteJSON renders the run for programs.
func (r *Report) WriteJSON(w io.Writer) error {
	out := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          jsonTool{Name: r.Tool, Version: r.Version},
		Config:        r.Config.Path,
		Verdict:       r.Verdict(),
		Summary:       r.Summary(),
		DurationMS:    r.Elapsed.Milliseconds(),
		Results:       make([]jsonResult, 0, len(r.Results)),
	}
	if r.Lint != nil {
		out.Lint = r.Lint.CleanFindings()
	}
	for i := range r.Results {
		res := &r.Results[i]
		jr := jsonResult{
			Check:      r.clean(res, res.Check.Name),
			Line:       res.Check.Line,
			Method:     res.Check.Method,
			URL:        r.URL(res),
			Origin:     res.Target.Origin,
			Browser:    res.Target.Profile().Name,
			Expect:     res.Target.Expect,
			Got:        res.GotText(),
			Outcome:    res.Outcome,
			Attempts:   res.Attempts,
			DurationMS: res.Duration.Milliseconds(),
			Findings:   []cors.Finding{},
			Platform:   res.Platform,
		}
		if e := res.Explain(); e != nil {
			c := *e
			c.Cause, c.Browser, c.Fix = r.clean(res, c.Cause), r.clean(res, c.Browser), r.clean(res, c.Fix)
			jr.Problem = &c
		}
		if res.Diagnosis != nil {
			for _, f := range res.Diagnosis.Findings {
				f.Message, f.BrowserMessage, f.Fix = r.clean(res, f.Message), r.clean(res, f.BrowserMessage), r.clean(res, f.Fix)
				f.FailedParameter = r.clean(res, f.FailedParameter)
				jr.Findings = append(jr.Findings, f)
			}
		}
		out.Results = append(out.Results, jr)
	}
	return termsafe.WriteJSON(w, out)
}
