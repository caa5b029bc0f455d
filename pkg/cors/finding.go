package cors

import "sort"

// Severity says what a finding means for the page.
type Severity string

const (
	// SeverityError: the browser blocks the request.
	SeverityError Severity = "error"
	// SeverityWarning: allowed today, but a hazard.
	SeverityWarning Severity = "warning"
	// SeverityInfo: worth knowing.
	SeverityInfo Severity = "info"
)

// Rank orders severities for display: errors, then warnings, then infos.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	}
	return 2
}

// Code is a finding's stable, kebab-case name. Codes are never renamed once
// released; each has a page docs/findings/<code>.md.
type Code string

// Finding is one problem or fact about an Exchange.
type Finding struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	// Step names where it was found: "request", "preflight", "actual",
	// "redirect 2", "error-path".
	Step string `json:"step"`
	// Message is the cause in plain words.
	Message string `json:"message"`
	// BrowserMessage is the console line the judging profile's browser
	// prints (the cause line), with the URL and origin filled in; empty
	// when it prints no CORS message. Profile.Lines gives every line.
	BrowserMessage string `json:"browser_message,omitempty"`
	// Console holds what the console line names, so any profile can say
	// it in its own words (Profile.Lines); nil when no line is logged.
	Console *Console `json:"-"`
	// CorsError is Chromium's network::mojom::CorsError name as the DevTools
	// protocol spells it (corsErrorStatus.corsError), and FailedParameter its
	// failedParameter.
	CorsError       string `json:"cors_error,omitempty"`
	FailedParameter string `json:"failed_parameter,omitempty"`
	// Firefox is the reason key Firefox reports (its MDN page name).
	Firefox string `json:"firefox,omitempty"`
	// Spec names the Fetch standard step.
	Spec string `json:"spec,omitempty"`
	Fix  string `json:"fix,omitempty"`
	// Reported marks the one error the browser reports: it stops at the first.
	Reported bool `json:"reported,omitempty"`
	// Platform is set on findings that name the server's platform.
	Platform string `json:"platform,omitempty"`
	// Cause marks the finding corsdiag names as the reason for the
	// reported error when that is not the reported finding itself (the
	// redirect that tainted the Origin, the allow-list that left the page's
	// origin out). The reported finding keeps the console line.
	Cause bool `json:"cause,omitempty"`
	// FollowsFrom names the cause this finding is a consequence of; such
	// findings are shown grouped under it.
	FollowsFrom Code `json:"follows_from,omitempty"`
}

// DocsPath is where the code's page lives in the repository.
func (c Code) DocsPath() string { return "docs/findings/" + string(c) + ".md" }

// Info is the catalogue entry of a code: what never changes between
// occurrences.
type Info struct {
	Code      Code
	Severity  Severity
	Title     string
	CorsError string
	Firefox   string
	Spec      string
	// Fix is the generic fix; platform packages add tailored ones.
	Fix string
}

var catalogue = map[Code]Info{}

// Register adds codes to the catalogue. Packages that define their own
// findings (platform) call it from init.
func Register(infos ...Info) {
	for _, in := range infos {
		if _, dup := catalogue[in.Code]; dup {
			panic("cors: duplicate finding code " + string(in.Code))
		}
		catalogue[in.Code] = in
	}
}

// Lookup returns the catalogue entry of code.
func Lookup(code Code) (Info, bool) {
	in, ok := catalogue[code]
	return in, ok
}

// Codes lists every registered code, sorted.
func Codes() []Info {
	out := make([]Info, 0, len(catalogue))
	for _, in := range catalogue {
		out = append(out, in)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// newFinding fills a Finding from the catalogue.
func newFinding(code Code, step, message string) Finding {
	in, ok := catalogue[code]
	if !ok {
		panic("cors: unregistered finding code " + string(code))
	}
	return Finding{
		Code:      code,
		Severity:  in.Severity,
		Step:      step,
		Message:   message,
		CorsError: in.CorsError,
		Firefox:   in.Firefox,
		Spec:      in.Spec,
		Fix:       in.Fix,
	}
}

// NewFinding builds a finding of a registered code, for packages outside the
// engine (probe, platform, harfile).
func NewFinding(code Code, step, message string) Finding { return newFinding(code, step, message) }
