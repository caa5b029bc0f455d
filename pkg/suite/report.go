package suite

import (
	"fmt"
	"strings"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/lint"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// Report is a finished (or interrupted) run, ready to render.
type Report struct {
	Tool    string // "corsdiag"
	Version string
	Config  *Config
	Results []Result
	Elapsed time.Duration
	// Interrupted says the run was stopped (Ctrl-C) before every check finished.
	Interrupted bool
	// BaseDir is the repository checkout (GITHUB_WORKSPACE, or the working
	// directory): SARIF and annotations name the config relative to it.
	BaseDir string
	// WorkDir is where corsdiag ran: a relative config path is relative to it.
	WorkDir string
	// NoRedact shows secrets in URLs and messages (--no-redact).
	NoRedact bool
	// Width fits the text report to that many columns (0: piped, no
	// fitting).
	Width int
	// Lint is the outcome of the config's lint: templates, nil when none.
	Lint *lint.Report
}

// Summary counts results by outcome.
type Summary struct {
	Total       int `json:"total"`
	Passed      int `json:"passed"`
	Failed      int `json:"failed"`
	Unreachable int `json:"unreachable"`
	Errors      int `json:"errors"`
	Canceled    int `json:"canceled"`
	// LintBlocked counts the template routes lint predicts a browser blocks.
	LintBlocked int `json:"lint_blocked,omitempty"`
}

// Summary counts the results.
func (r *Report) Summary() Summary {
	s := Summary{Total: len(r.Results)}
	for i := range r.Results {
		switch r.Results[i].Outcome {
		case Passed:
			s.Passed++
		case Failed:
			s.Failed++
		case Unreachable:
			s.Unreachable++
		case Errored:
			s.Errors++
		case Canceled:
			s.Canceled++
		}
	}
	if r.Lint != nil {
		for _, x := range r.Lint.Results {
			if x.Verdict == cors.Blocked {
				s.LintBlocked++
			}
		}
	}
	return s
}

// Line is one sentence: "12 checks: 10 passed, 1 failed, 1 unreachable in 1.2s".
func (s Summary) Line(elapsed time.Duration) string {
	parts := []string{fmt.Sprintf("%d passed", s.Passed)}
	if s.Failed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", s.Failed))
	}
	if s.Unreachable > 0 {
		parts = append(parts, fmt.Sprintf("%d unreachable", s.Unreachable))
	}
	if s.Errors > 0 {
		parts = append(parts, fmt.Sprintf("%d errors", s.Errors))
	}
	if s.Canceled > 0 {
		parts = append(parts, fmt.Sprintf("%d not run", s.Canceled))
	}
	noun := "checks"
	if s.Total == 1 {
		noun = "check"
	}
	return fmt.Sprintf("%d %s: %s in %s", s.Total, noun, strings.Join(parts, ", "), elapsed.Round(time.Millisecond))
}

// clean makes text from the config or a server safe to print: secrets
// redacted (the check's URL's, and those a server's answer or the check's
// name holds: a redirect's Location, an Access-Control-Allow-Origin
// value), terminal control characters removed. The text is redacted whole
// before its lines are cleaned: a URL it quotes may hold a line break.
func (r *Report) clean(res *Result, s string) string {
	if !r.NoRedact {
		s = redactAll(res, s)
	}
	return termsafe.CleanLines(s)
}

// redactAll is clean's redaction, which the SARIF fingerprints take
// whatever --no-redact says.
func redactAll(res *Result, s string) string {
	if res == nil {
		return redact.Text(s)
	}
	return redact.TextQuoting(s, res.Check.URL)
}

// CheckName is the check's name ready to show: the secrets of its URL
// redacted (unless noRedact), control characters escaped.
func (res *Result) CheckName(noRedact bool) string {
	r := Report{NoRedact: noRedact}
	return r.clean(res, res.Check.Name)
}

// URL is the check's URL ready to show.
func (r *Report) URL(res *Result) string {
	if r.NoRedact {
		return termsafe.Clean(res.Check.URL)
	}
	return termsafe.Clean(redact.URL(res.Check.URL))
}

// Got is the browser's verdict, or why there is none.
func (res *Result) GotText() string {
	switch res.Outcome {
	case Unreachable:
		return "unreachable"
	case Errored:
		return "error"
	case Canceled:
		return "not run"
	}
	return string(res.Got)
}

// Explanation is why a result failed and what to change.
type Explanation struct {
	// Code names the problem: a finding code, or unexpectedly-allowed,
	// endpoint-unreachable, probe-error.
	Code    string `json:"code"`
	Cause   string `json:"cause"`
	Browser string `json:"browser_message"` // the console message, when the browser prints one
	Fix     string `json:"fix"`
	// Platform names the server's platform, when recognised.
	Platform string `json:"platform"`
}

// Codes of problems that are not engine findings: they judge a check
// against its expectation. Registered so `corsdiag explain` knows them.
const (
	CodeUnexpectedlyAllowed = "unexpectedly-allowed"
	CodeUnreachable         = "endpoint-unreachable"
	CodeProbeError          = "probe-error"
)

func init() {
	cors.Register(
		cors.Info{Code: CodeUnexpectedlyAllowed, Severity: cors.SeverityError,
			Title: "An origin the check says must be denied can read the response",
			Spec:  "Fetch §CORS check",
			Fix:   "Check the Origin against an exact allow-list before echoing it back (no suffix or substring matching, no reflecting every origin), never answer `*` for private data, and add Vary: Origin."},
		cors.Info{Code: CodeUnreachable, Severity: cors.SeverityError,
			Title: "The endpoint could not be reached, even after retries",
			Spec:  "Fetch §HTTP-network fetch (network error)",
			Fix:   "Make the endpoint reachable from the CI runner: check the URL, DNS, TLS and firewall, or raise --retries and the check's timeout."},
		cors.Info{Code: CodeProbeError, Severity: cors.SeverityError,
			Title: "corsdiag could not run the check",
			Spec:  "none",
			Fix:   "Check the check's url, method and headers."},
	)
}

// FindingCode is the short finding for the table: the error the browser
// reports, else the first warning, else "-".
func (res *Result) FindingCode() string {
	switch res.Outcome {
	case Unreachable:
		return CodeUnreachable
	case Errored:
		return CodeProbeError
	case Canceled:
		return "-"
	}
	if res.Audit != nil {
		return string(res.Audit.Code)
	}
	if res.Diagnosis == nil {
		return "-"
	}
	if f := res.Diagnosis.Reported(); f != nil {
		return string(f.Code)
	}
	if res.Outcome == Failed {
		return CodeUnexpectedlyAllowed
	}
	for _, f := range res.Diagnosis.Findings {
		if f.Severity == cors.SeverityWarning {
			return string(f.Code)
		}
	}
	return "-"
}

// Explain says why res did not meet its expectation; nil when it did.
func (res *Result) Explain() *Explanation {
	switch res.Outcome {
	case Unreachable:
		e := &Explanation{Code: CodeUnreachable, Cause: res.Err.Error(),
			Fix: "Make the endpoint reachable from the CI runner (DNS, firewall, TLS certificate), or raise the check's timeout."}
		if ue := res.UnreachableErr(); ue != nil && ue.Hint != "" {
			e.Fix = ue.Hint
		}
		if res.Attempts > 1 {
			e.Cause += fmt.Sprintf(" (after %d attempts)", res.Attempts)
		}
		return e
	case Errored:
		return &Explanation{Code: CodeProbeError, Cause: res.Err.Error(), Fix: "Check the check's url, method and headers."}
	case Failed:
	default:
		return nil
	}
	if res.Audit != nil {
		return res.auditExplanation()
	}
	d := res.Diagnosis
	e := &Explanation{}
	if res.Platform != nil {
		e.Platform = res.Platform.Name
	}
	if res.Target.Expect == ExpectAllow {
		f := d.Reported()
		if f == nil {
			return nil
		}
		// The cause corsdiag names (a platform's, an allow-list miss, a
		// tainting redirect), as check and har name it; the console line
		// stays the browser's.
		c := d.Cause()
		e.Code, e.Cause, e.Browser, e.Fix = string(c.Code), c.Message, f.BrowserMessage, c.Fix
		return e
	}
	e.Code = CodeUnexpectedlyAllowed
	acao := allowOriginSeen(res.Exchange)
	switch acao {
	case "*":
		e.Cause = fmt.Sprintf("the server answers Access-Control-Allow-Origin: *, so the browser lets %s, an origin this check says must not be trusted, read the response", res.Target.Origin)
		e.Fix = "Replace `*` with an allow-list: echo the request's Origin only when it is one of your own origins, and add Vary: Origin."
	case "":
		e.Cause = fmt.Sprintf("the browser lets %s read the response, though this check says that origin must not be trusted", res.Target.Origin)
		e.Fix = "Remove the origin from the server's CORS allow-list."
	default:
		e.Cause = fmt.Sprintf("the server answers Access-Control-Allow-Origin: %s, so the browser lets %s, an origin this check says must not be trusted, read the response", acao, res.Target.Origin)
		e.Fix = "Check the Origin against an exact allow-list before echoing it back (no suffix or substring matching, no reflecting every origin), and add Vary: Origin."
	}
	return e
}

// allowOriginSeen is the Access-Control-Allow-Origin the browser judged:
// the final response's, or the preflight's when the actual request was not sent.
func allowOriginSeen(ex *cors.Exchange) string {
	if ex == nil {
		return ""
	}
	if m := ex.FinalResponse(); m != nil {
		return m.Header.Get("Access-Control-Allow-Origin")
	}
	if ex.Preflight != nil && ex.Preflight.Response != nil {
		return ex.Preflight.Response.Header.Get("Access-Control-Allow-Origin")
	}
	return ""
}

// ExitCode maps the outcomes to corsdiag's exit codes: 1 when an
// expectation failed (a CORS failure outranks a network one, because it is
// certain), else 3 when an endpoint stayed unreachable or the probe
// refused a check, else 0.
func (s Summary) ExitCode() int {
	switch {
	case s.Failed > 0, s.LintBlocked > 0:
		return 1
	case s.Unreachable > 0, s.Errors > 0:
		return 3
	}
	return 0
}

// plural is "1 check" or "2 checks".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
