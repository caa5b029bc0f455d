package report

import (
	_ "embed"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// SchemaVersion is the version of the JSON output; it changes only when a
// field is removed or changes meaning (new fields may appear at any time).
const SchemaVersion = 1

// Schema is the JSON Schema (draft 2020-12) of WriteJSON's output, also
// documented in docs/json-schema.md.
//
//go:embed schema.json
var Schema []byte

// JSON output types. Every field is always present (empty string, false,
// [] or null), so consumers never need to tell "absent" from "empty".
type (
	jsonReport struct {
		SchemaVersion int    `json:"schema_version"`
		Tool          Tool   `json:"tool"`
		Browser       string `json:"browser"`
		// Browsers is one verdict per browser judged, the primary first.
		Browsers []jsonBrowser `json:"browsers"`
		Verdict  string        `json:"verdict"`
		Scope    string        `json:"scope"`
		Request  struct {
			Method      string `json:"method"`
			URL         string `json:"url"`
			Origin      string `json:"origin"`
			Credentials bool   `json:"credentials"`
			// Initiator is the load, as check --initiator names it.
			Initiator string `json:"initiator"`
			// Redirect is fetch()'s redirect mode (redirectMode).
			Redirect string `json:"redirect"`
		} `json:"request"`
		Plan struct {
			Preflight      bool     `json:"preflight"`
			Reasons        []string `json:"reasons"`
			RequestHeaders string   `json:"request_headers"`
		} `json:"plan"`
		Reported *string `json:"reported"`
		// Cause is the code of the finding named as the reason for the
		// reported error: the reported one itself unless a deeper cause is
		// known (a redirect that tainted the Origin, an allow-list miss).
		Cause         *string `json:"cause"`
		ActualSkipped string  `json:"actual_skipped"`
		// BrowserSkipsActual: the actual exchange was sent by corsdiag
		// only; the browser stops at the failed preflight, or Local
		// Network Access stops it before anything leaves.
		BrowserSkipsActual bool           `json:"browser_skips_actual"`
		Findings           []jsonFinding  `json:"findings"`
		Exchanges          []jsonExchange `json:"exchanges"`
		Platform           *jsonPlatform  `json:"platform"`
	}
	// jsonFindingHead opens every finding object, check's and har's
	// alike (encoding/json writes an embedded struct's fields in place).
	jsonFindingHead struct {
		Code            string `json:"code"`
		Severity        string `json:"severity"`
		Step            string `json:"step"`
		Message         string `json:"message"`
		BrowserMessage  string `json:"browser_message"`
		CorsError       string `json:"cors_error"`
		FailedParameter string `json:"failed_parameter"`
	}
	jsonFinding struct {
		jsonFindingHead
		Firefox string `json:"firefox"`
		Spec    string `json:"spec"`
		jsonFindingTail
	}
	// jsonFindingTail closes every finding object, check's and har's.
	jsonFindingTail struct {
		Fix      string `json:"fix"`
		Reported bool   `json:"reported"`
		// Cause marks the finding named as the reason; FollowsFrom names
		// the cause a finding is a consequence of ("" when none).
		Cause       bool   `json:"cause"`
		FollowsFrom string `json:"follows_from"`
		Platform    string `json:"platform"`
		Docs        string `json:"docs"`
	}
	jsonExchange struct {
		Kind     string        `json:"kind"`
		Step     string        `json:"step"`
		Purpose  string        `json:"purpose"`
		Request  jsonRequest   `json:"request"`
		Response *jsonResponse `json:"response"`
		NetError string        `json:"net_error"`
	}
	jsonRequest struct {
		Method  string      `json:"method"`
		URL     string      `json:"url"`
		Headers http.Header `json:"headers"`
	}
	jsonResponse struct {
		Status     int         `json:"status"`
		StatusText string      `json:"status_text"`
		Headers    http.Header `json:"headers"`
	}
	jsonBrowser struct {
		Name            string   `json:"name"`
		Verdict         string   `json:"verdict"`
		BrowserMessages []string `json:"browser_messages"`
		ReportedCode    *string  `json:"reported_code"`
	}
	jsonPlatform struct {
		ID         string   `json:"id"`
		Name       string   `json:"name"`
		Confidence string   `json:"confidence"`
		Evidence   []string `json:"evidence"`
		Layers     []string `json:"layers"`
	}
)

// newJSONFindingTail is the closing fields of f; platform is its platform
// name as the report prints it. The fix passes through text: it may quote a
// redirect's Location ("call the final URL directly"), token and all.
func newJSONFindingTail(f *cors.Finding, platform string, text func(string) string) jsonFindingTail {
	return jsonFindingTail{Fix: text(f.Fix), Reported: f.Reported, Cause: f.Cause, FollowsFrom: string(f.FollowsFrom), Platform: platform, Docs: f.Code.DocsPath()}
}

// WriteJSON writes the check result in the documented, versioned schema
// (docs/json-schema.md). Headers are redacted unless res.NoRedact; JSON
// escaping makes control characters harmless, so text is not altered, and
// C1 controls and invisible characters are escaped too (termsafe.EscapeJSON).
func WriteJSON(w io.Writer, res *CheckResult) error {
	return termsafe.WriteJSON(w, buildJSON(res))
}

func buildJSON(res *CheckResult) *jsonReport {
	s := newSanitizer(res)
	d := res.Diagnosis
	r := res.Exchange.Request
	out := &jsonReport{
		SchemaVersion:      SchemaVersion,
		Tool:               res.Tool,
		Browser:            res.Browser,
		Verdict:            string(d.Verdict),
		Scope:              string(d.Scope),
		ActualSkipped:      res.Exchange.ActualSkipped,
		BrowserSkipsActual: res.BrowserSkipsActual,
		Findings:           []jsonFinding{},
		Exchanges:          []jsonExchange{},
	}
	out.Browsers = jsonBrowsers(res, s.Text)
	out.Request.Method = cors.NormalizeMethod(r.Method)
	out.Request.URL = s.URL(r.URL)
	out.Request.Origin = r.Origin
	out.Request.Credentials = r.Credentials
	out.Request.Initiator = cors.InitiatorOf(&r).Flag
	out.Request.Redirect = redirectMode(&r)
	out.Plan.Preflight = d.Plan.Preflight
	out.Plan.Reasons = nonNil(d.Plan.Reasons)
	out.Plan.RequestHeaders = d.Plan.RequestHeaders

	if c := d.Cause(); c != nil {
		code := string(c.Code)
		out.Cause = &code
	}
	for _, f := range orderedFindings(d) {
		if f.Reported {
			code := string(f.Code)
			out.Reported = &code
		}
		out.Findings = append(out.Findings, jsonFinding{
			jsonFindingHead: newJSONFindingHead(&f, s.Text),
			Firefox:         f.Firefox,
			Spec:            f.Spec,
			jsonFindingTail: newJSONFindingTail(&f, f.Platform, s.Text),
		})
	}

	for _, row := range exchangeRows(res) {
		h := row.Hop
		x := jsonExchange{
			Kind:    row.Kind,
			Step:    row.Step,
			Purpose: row.Purpose,
			Request: jsonRequest{
				Method:  h.Request.Method,
				URL:     s.URL(h.Request.URL),
				Headers: canonical(s.Header(h.Request.Header)),
			},
			NetError: s.Text(h.NetError),
		}
		if h.Response != nil {
			text := h.Response.StatusText
			if text == "" {
				text = http.StatusText(h.Response.Status)
			}
			x.Response = &jsonResponse{
				Status:     h.Response.Status,
				StatusText: text,
				Headers:    canonical(s.Header(h.Response.Header)),
			}
		}
		out.Exchanges = append(out.Exchanges, x)
	}

	if pl := res.Platform; pl != nil && pl.Name != "" {
		out.Platform = &jsonPlatform{
			ID:         pl.ID,
			Name:       pl.Name,
			Confidence: pl.Confidence,
			Evidence:   texts(pl.Evidence, s.Text),
			Layers:     nonNil(pl.Layers),
		}
	}
	return out
}

// newJSONFindingHead is the head of f's JSON object, its free text (which
// may quote URLs and headers) passed through text.
func newJSONFindingHead(f *cors.Finding, text func(string) string) jsonFindingHead {
	return jsonFindingHead{
		Code:            string(f.Code),
		Severity:        string(f.Severity),
		Step:            f.Step,
		Message:         text(f.Message),
		BrowserMessage:  text(f.BrowserMessage),
		CorsError:       f.CorsError,
		FailedParameter: text(f.FailedParameter),
	}
}

// canonical merges header names that differ only in case (recorded traffic
// keeps the server's spelling) under the canonical name, so the JSON object
// has one key per header.
func canonical(h http.Header) http.Header {
	out := make(http.Header, len(h))
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		vs := h[k]
		ck := http.CanonicalHeaderKey(k)
		if strings.ContainsAny(k, " \t") {
			ck = k
		}
		out[ck] = append(out[ck], vs...)
	}
	return out
}

// texts is ss, each through f (the report's redaction and cleaning, as
// the text report shows them), never nil.
func texts(ss []string, f func(string) string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// jsonBrowsers is one entry per browser judged; a check of one browser has
// one entry, made from its diagnosis.
func jsonBrowsers(res *CheckResult, text func(string) string) []jsonBrowser {
	vs := res.Browsers
	if len(vs) == 0 {
		if p, ok := cors.LookupProfile(res.Browser); ok {
			vs = []cors.BrowserVerdict{p.Verdict(res.Diagnosis)}
		}
	}
	out := []jsonBrowser{}
	for _, v := range vs {
		b := jsonBrowser{Name: v.Browser, Verdict: string(v.Verdict), BrowserMessages: []string{}}
		for _, l := range v.Console {
			b.BrowserMessages = append(b.BrowserMessages, text(l))
		}
		if v.Reported != "" {
			code := string(v.Reported)
			b.ReportedCode = &code
		}
		out = append(out, b)
	}
	return out
}

// redirectMode is r's fetch() redirect mode, "follow" when it names none
// (the default): one of cors.RedirectModes.
func redirectMode(r *cors.Request) string {
	if r.Redirect == "" {
		return cors.RedirectFollow
	}
	return r.Redirect
}
