package lint

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/report"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// SchemaVersion of the JSON output.
const SchemaVersion = 1

// WriteText prints findings as file:line:column lines, the way compilers
// and linters do, each with its fix; the same finding at the same place
// for several routes or origins is printed once, naming them all. Then one
// line per blocked route. Prose wraps to width (0: not wrapped); a fix
// snippet's code stays whole, to paste.
func WriteText(w io.Writer, r *Report, width int) error {
	var b strings.Builder
	type group struct {
		first  Finding
		routes []string
	}
	for _, t := range r.Templates {
		for _, w := range t.Warnings {
			// What the template could not show is said before what it shows.
			b.WriteString(report.Wrap(w.Where()+": warning: "+w.Msg, "", "  ", width) + "\n")
		}
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, f := range r.Findings {
		if f.Severity == cors.SeverityInfo {
			continue
		}
		key := fmt.Sprint(f.File, f.Line, f.Column, f.Severity, f.Code)
		g := byKey[key]
		if g == nil {
			g = &group{first: f}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.routes = append(g.routes, f.Route+"\x00"+f.Origin)
	}
	for _, g := range groups {
		f := g.first
		head := fmt.Sprintf("%s:%d:%d: %s %s [%s]", f.File, f.Line, f.Column, f.Severity, f.Code, routeList(g.routes))
		b.WriteString(report.Wrap(head, "", "  ", width))
		b.WriteString(report.Wrap(f.Message, "  ", "  ", width))
		if f.Fix != "" {
			b.WriteString(report.Block(strings.TrimRight(f.Fix, "\n"), "  fix: ", "       ", width))
		}
		b.WriteString("\n")
	}
	blocked, allowed := 0, 0
	for _, x := range r.Results {
		if x.Verdict == cors.Blocked {
			blocked++
		} else {
			allowed++
		}
	}
	files := map[string]bool{}
	for _, t := range r.Templates {
		files[t.File] = true
	}
	notRead := 0
	for _, t := range r.Templates {
		notRead += len(t.Warnings)
	}
	sum := fmt.Sprintf("%d template(s), %d request(s) predicted: %d blocked, %d allowed; %d error(s), %d warning(s)",
		len(files), len(r.Results), blocked, allowed, r.Count(cors.SeverityError), r.Count(cors.SeverityWarning))
	if notRead > 0 {
		// The count above is of findings: say that parts were not read.
		sum += fmt.Sprintf("; %d part(s) of the templates not read (warnings above)", notRead)
	}
	b.WriteString(report.Wrap(sum, "", "  ", width))
	for _, x := range r.Results {
		if x.Verdict == cors.Blocked {
			b.WriteString(report.Wrap(fmt.Sprintf("%s %s (%s) from %s", x.Service, x.Route, x.Kind, x.Origin), "  blocked: ", "    ", width))
		}
	}
	// A template may come with a pull request: what it names (routes,
	// origins, file names) is cleaned as a server's words are.
	_, err := io.WriteString(w, termsafe.CleanLines(b.String()))
	return err
}

type jsonMessage struct {
	Method  string              `json:"method,omitempty"`
	URL     string              `json:"url,omitempty"`
	Status  int                 `json:"status,omitempty"`
	Headers map[string][]string `json:"headers,omitempty"`
	Body    string              `json:"body,omitempty"`
}

type jsonHop struct {
	Request  jsonMessage  `json:"request"`
	Response *jsonMessage `json:"response,omitempty"`
}

type jsonExchange struct {
	Preflight  *jsonHop   `json:"preflight,omitempty"`
	Actual     *jsonHop   `json:"actual,omitempty"`
	ErrorPaths []jsonPath `json:"error_paths,omitempty"`
}

type jsonPath struct {
	Purpose  string       `json:"purpose"`
	Response *jsonMessage `json:"response"`
}

type jsonRoute struct {
	RouteResult
	Predicted jsonExchange `json:"predicted"`
}

type jsonReport struct {
	SchemaVersion int         `json:"schema_version"`
	Verdict       string      `json:"verdict"`
	Templates     []jsonTmpl  `json:"templates"`
	Findings      []Finding   `json:"findings"`
	Routes        []jsonRoute `json:"routes"`
}

type jsonTmpl struct {
	File     string   `json:"file"`
	Kind     string   `json:"kind"`
	Services int      `json:"services"`
	Warnings []string `json:"warnings,omitempty"`
}

func message(m *cors.Message, req bool) *jsonMessage {
	if m == nil {
		return nil
	}
	out := &jsonMessage{Headers: map[string][]string{}}
	if req {
		out.Method, out.URL = m.Method, m.URL
	} else {
		out.Status = m.Status
		out.Body = termsafe.Clean(string(m.Body))
	}
	keys := make([]string, 0, len(m.Header))
	for k := range m.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		// Cleaned as the body is: JSON escapes a control character, and
		// jq -r would print it raw.
		vs := make([]string, len(m.Header[k]))
		for i, v := range m.Header[k] {
			vs[i] = termsafe.Clean(v)
		}
		out.Headers[termsafe.Clean(http.CanonicalHeaderKey(k))] = vs
	}
	return out
}

func hop(h *cors.Hop) *jsonHop {
	if h == nil {
		return nil
	}
	return &jsonHop{Request: *message(&h.Request, true), Response: message(h.Response, false)}
}

// WriteJSON writes the report with the predicted exchange of every route.
func WriteJSON(w io.Writer, r *Report) error {
	out := jsonReport{SchemaVersion: SchemaVersion, Verdict: string(cors.Allowed), Findings: r.CleanFindings(), Routes: []jsonRoute{}}
	if r.Blocked() {
		out.Verdict = string(cors.Blocked)
	}
	for _, t := range r.Templates {
		jt := jsonTmpl{File: t.File, Kind: string(t.Kind), Services: len(t.Services)}
		for _, w := range t.Warnings {
			jt.Warnings = append(jt.Warnings, termsafe.Clean(w.Error()))
		}
		out.Templates = append(out.Templates, jt)
	}
	for _, x := range r.Results {
		jr := jsonRoute{RouteResult: x}
		jr.Predicted.Preflight = hop(x.Exch.Preflight)
		if len(x.Exch.Actual) > 0 {
			jr.Predicted.Actual = hop(&x.Exch.Actual[0])
		}
		for _, e := range x.Errors {
			jr.Predicted.ErrorPaths = append(jr.Predicted.ErrorPaths, jsonPath{Purpose: e.Purpose, Response: message(e.Hop.Response, false)})
		}
		out.Routes = append(out.Routes, jr)
	}
	return termsafe.WriteJSON(w, out)
}

// CleanFindings are r's findings for a JSON document: their texts quote
// the template's values, and a control character JSON escapes would reach
// a terminal through jq -r. Never nil.
func (r *Report) CleanFindings() []Finding {
	out := make([]Finding, len(r.Findings))
	for i, f := range r.Findings {
		f.Message, f.BrowserMessage = termsafe.CleanLines(f.Message), termsafe.CleanLines(f.BrowserMessage)
		f.Fix, f.FailedParameter = termsafe.CleanLines(f.Fix), termsafe.Clean(f.FailedParameter)
		f.Route, f.Origin, f.Service = termsafe.Clean(f.Route), termsafe.Clean(f.Origin), termsafe.Clean(f.Service)
		out[i] = f
	}
	return out
}

// routeList names routes compactly: "GET, PUT /items from https://a".
func routeList(keys []string) string {
	type where struct{ path, origin string }
	var order []where
	methods := map[where][]string{}
	for _, k := range keys {
		route, origin, _ := strings.Cut(k, "\x00")
		m, p, _ := strings.Cut(route, " ")
		w := where{p, origin}
		if _, ok := methods[w]; !ok {
			order = append(order, w)
		}
		if !slices.Contains(methods[w], m) {
			methods[w] = append(methods[w], m)
		}
	}
	parts := make([]string, 0, len(order))
	for _, w := range order {
		parts = append(parts, strings.Join(methods[w], ", ")+" "+w.path+" from "+w.origin)
	}
	return strings.Join(parts, "; ")
}
