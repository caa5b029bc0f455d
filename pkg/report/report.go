// Package report renders the result of a check for people (text with
// colour and a table of the exchanges) and for programs (JSON with a
// versioned schema). Everything a server or the user supplied is redacted
// (unless asked not to) and made terminal-safe here, in one place.
package report

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// ProjectURL is corsdiag's home: SARIF rules and --help link into it, for
// users who installed the binary and have no checkout.
const ProjectURL = "https://github.com/corsdiag/corsdiag"

// DocsURL is the address of a file of the repository, such as
// docs/ci.md.
func DocsURL(path string) string { return ProjectURL + "/blob/main/" + path }

// Tool names the program that wrote a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// ErrorPath is one answer of the error-path probe (a safe request to a path
// that cannot exist, or without credentials): it shows whether error
// responses carry CORS headers.
type ErrorPath struct {
	Purpose string
	Hop     cors.Hop
}

// CheckResult is everything `corsdiag check` learnt about one request.
type CheckResult struct {
	Tool Tool
	// Browser is the profile that judged the exchange ("chromium"): the
	// primary one when several did.
	Browser string
	// Browsers are the verdicts of every browser asked for (--browser all
	// or a list), the primary's included; empty means Browser alone.
	Browsers []cors.BrowserVerdict
	// Exchange is what crossed the wire; Exchange.Request is what script asked for.
	Exchange *cors.Exchange
	// Diagnosis holds the verdict, the plan and every finding (engine,
	// error-path probe and platform findings merged).
	Diagnosis  *cors.Diagnosis
	ErrorPaths []ErrorPath
	// Platform is who answered, nil when not recognised.
	Platform *platform.Detection
	// BrowserSkipsActual says the actual request in Exchange was sent by
	// corsdiag only, to show what a user hits next: the browser stops at
	// the failed preflight, or Local Network Access stops it before
	// anything leaves.
	BrowserSkipsActual bool
	// NoRedact shows secrets (--no-redact); by default they are hidden.
	NoRedact bool
}

// Style says how text output looks.
type Style struct {
	// Color turns on ANSI colours; the caller decides (terminal, NO_COLOR).
	Color bool
	// Width fits the output to that many columns: prose wraps at word
	// boundaries, the exchange table wraps inside its cells. 0 (piped):
	// full lines, no fitting.
	Width int
}

// orderedFindings puts the reported finding first, then errors, warnings and
// infos, keeping the engine's order within each severity (the order a user
// hits them in).
func orderedFindings(d *cors.Diagnosis) []cors.Finding {
	out := slices.Clone(d.Findings)
	slices.SortStableFunc(out, func(a, b cors.Finding) int {
		if a.Reported != b.Reported {
			if a.Reported {
				return -1
			}
			return 1
		}
		if a.Cause != b.Cause {
			if a.Cause {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Severity.Rank(), b.Severity.Rank())
	})
	return out
}

// sanitizer hides secrets in what the user and the server sent.
type sanitizer struct {
	redact bool
	// urls are the URLs seen in the exchange: messages that quote one (the
	// browser's console line) hide the secrets the URL column hides
	// (redact.TextQuoting).
	urls []string
}

func newSanitizer(res *CheckResult) *sanitizer {
	s := &sanitizer{redact: !res.NoRedact}
	if !s.redact || res.Exchange == nil {
		return s
	}
	add := func(u string) { s.urls = append(s.urls, u) }
	ex := res.Exchange
	add(ex.Request.URL)
	hops := slices.Clone(ex.Actual)
	if ex.Preflight != nil {
		hops = append(hops, *ex.Preflight)
	}
	for _, ep := range res.ErrorPaths {
		hops = append(hops, ep.Hop)
	}
	for _, h := range hops {
		add(h.Request.URL)
		if h.Response != nil {
			for _, loc := range h.Response.Header.Values("Location") {
				add(loc)
			}
		}
	}
	return s
}

// URL is a URL ready to show.
func (s *sanitizer) URL(u string) string {
	if s.redact {
		u = redact.URL(u)
	}
	return u
}

// Text is free text that may quote URLs of the exchange.
func (s *sanitizer) Text(t string) string {
	if !s.redact {
		return t
	}
	// The exchange's URLs as the URL column shows them; and any other URL
	// it quotes (a finding of the recorded request shown with the live
	// exchange a replay put in its place), and the server's words: a
	// credential echoed in a header value a finding quotes.
	return redact.TextQuoting(t, s.urls...)
}

// Header is a header set ready to show.
func (s *sanitizer) Header(h http.Header) http.Header {
	if h == nil {
		return http.Header{}
	}
	if !s.redact {
		return h
	}
	return redact.Header(h)
}

// HeaderValue redacts one header value given its name.
func (s *sanitizer) HeaderValue(name, v string) string {
	if !s.redact {
		return v
	}
	return redact.Value(name, v)
}

// Body is an excerpt of a response body ready to show.
func (s *sanitizer) Body(b []byte) string {
	t := string(b)
	if s.redact {
		t = redact.Body(t)
	}
	return t
}

// clean is termsafe.Clean, named for brevity at the many call sites.
func clean(s string) string { return termsafe.Clean(s) }
