// Package lint is the front door of `corsdiag lint`: it reads templates
// (pkg/iac), asks the AWS model (pkg/platform/awsmodel) what each deployed
// route would answer the page's request, and judges those answers with the
// engine (cors.Evaluate) and the platform layer (platform.Analyze) exactly
// as `check` judges a live probe. Each finding is anchored to the template
// line responsible for the answer it is about.
package lint

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/iac"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
	"github.com/corsdiag/corsdiag/pkg/redact"
)

// Options are the page's requests to predict.
type Options struct {
	// Origins of the page; at least one.
	Origins []string
	// Method overrides the routes' methods (-X); "" lints each method a
	// route declares.
	Method string
	// Header holds headers script sets (-H), added to what a route's
	// authorizer or API key needs.
	Header      http.Header
	Credentials bool
	// Routes picks routes, as "PUT /items" or "/items" (any method).
	Routes  []string
	Profile *cors.Profile
	// FixFormat is --fix-format; "" gives fixes in the template's own form.
	FixFormat string
}

// Finding is a finding anchored to a template.
type Finding struct {
	cors.Finding
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Route   string `json:"route"`
	Origin  string `json:"origin"`
	Service string `json:"service"`
}

// RouteResult is the prediction for one route, method and origin.
type RouteResult struct {
	File    string          `json:"file"`
	Service string          `json:"service"`
	Kind    string          `json:"kind"`
	Route   string          `json:"route"`
	Origin  string          `json:"origin"`
	Verdict cors.Verdict    `json:"verdict"`
	Plan    cors.Plan       `json:"plan"`
	Line    int             `json:"line"`
	Column  int             `json:"column"`
	Assumed []string        `json:"assumed,omitempty"`
	Exch    *cors.Exchange  `json:"-"`
	Errors  []ErrorAnswer   `json:"error_paths,omitempty"`
	Diag    *cors.Diagnosis `json:"-"`
}

// ErrorAnswer is an answer API Gateway makes itself, predicted.
type ErrorAnswer struct {
	Purpose string   `json:"purpose"`
	Hop     cors.Hop `json:"-"`
}

// Report is the outcome of linting templates.
type Report struct {
	Templates []*iac.Template `json:"-"`
	Results   []RouteResult   `json:"routes"`
	Findings  []Finding       `json:"findings"`
}

// Blocked reports whether a browser would block any predicted request.
func (r *Report) Blocked() bool {
	for _, x := range r.Results {
		if x.Verdict == cors.Blocked {
			return true
		}
	}
	return false
}

// Count counts findings of severity s.
func (r *Report) Count(s cors.Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// ParseRoute reads "PUT /items" or "/items".
func ParseRoute(s string) (method, path string, err error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "/") {
		return "", s, nil
	}
	m, p, ok := strings.Cut(s, " ")
	p = strings.TrimSpace(p)
	if !ok || !strings.HasPrefix(p, "/") || m == "" {
		return "", "", fmt.Errorf("route %q: want METHOD /path, such as 'PUT /items', or /path", s)
	}
	return strings.ToUpper(m), p, nil
}

// Lint predicts and judges every route of every template.
func Lint(templates []*iac.Template, opts Options) (*Report, error) {
	rep := &Report{Templates: templates}
	type pick struct{ method, path string }
	var picks []pick
	for _, r := range opts.Routes {
		m, p, err := ParseRoute(r)
		if err != nil {
			return nil, err
		}
		picks = append(picks, pick{m, p})
	}
	seen := map[string]bool{}
	for _, t := range templates {
		for _, svc := range t.Services {
			format, inHCL := opts.FixFormat, false
			if format == "" {
				format = fixForms[t.Kind]
				if t.Kind == iac.KindSAM && !t.SAM[svc] {
					// A plain CloudFormation resource in a SAM template.
					format = fixForms[iac.KindCloudFormation]
				}
				switch {
				case t.Definitions[svc] && t.Kind == iac.KindSAM && t.SAM[svc]:
					// A DefinitionBody: SAM's own properties (Cors, Auth,
					// GatewayResponses) merge into it; what only the body
					// can say (a method's integration) is fixed there.
					format = "sam," + fixForms[iac.KindOpenAPI] + "," + fixForms[iac.KindCloudFormation]
				case t.Definitions[svc]:
					// Defined by an OpenAPI body: fixed there first, in
					// HCL when the body is written in HCL (a separate
					// Method beside a Body drifts from it: cfn-lint W3660).
					format = fixForms[iac.KindOpenAPI] + "," + format
					inHCL = t.InlineBodies[svc]
				}
			}
			routes := svc.Routes()
			if len(picks) > 0 {
				var chosen []awsmodel.Route
				for _, p := range picks {
					found := false
					for _, r := range routes {
						if awsmodel.PathMatches(r.Path, p.path) && (p.method == "" || r.Method == p.method || r.Method == "ANY") {
							rr := r
							if p.method != "" {
								rr.Method = p.method
							}
							chosen = append(chosen, rr)
							found = true
						}
					}
					if !found && p.method != "" {
						// Not in the template: predict what the page gets anyway.
						chosen = append(chosen, awsmodel.Route{Method: p.method, Path: p.path, Pos: svc.Pos()})
					}
				}
				routes = chosen
			}
			shared := awsmodel.SharedMethods(svc)
			for _, rt := range routes {
				methods := awsmodel.Methods(svc, rt)
				if opts.Method != "" {
					methods = []string{strings.ToUpper(opts.Method)}
				}
				fixMethods := append([]string(nil), methods...)
				for _, m := range shared(rt) {
					if !slices.Contains(fixMethods, m) {
						fixMethods = append(fixMethods, m)
					}
				}
				for _, m := range methods {
					for _, origin := range opts.Origins {
						res := lintOne(t, svc, rt, m, origin, opts, fixForm{format, inHCL, fixMethods})
						rep.Results = append(rep.Results, res.result)
						for _, f := range res.findings {
							key := f.File + fmt.Sprint(f.Line, f.Column) + string(f.Code) + f.Route + f.Origin + f.Step
							if seen[key] {
								continue
							}
							seen[key] = true
							rep.Findings = append(rep.Findings, f)
						}
					}
				}
			}
		}
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() < b.Severity.Rank()
		}
		return a.Line < b.Line
	})
	return rep, nil
}

// fixForms are the fix forms that fit a kind of template, best first: a SAM
// template takes CloudFormation resources too.
var fixForms = map[iac.Kind]string{
	iac.KindCloudFormation: "cloudformation",
	iac.KindSAM:            "sam,cloudformation",
	iac.KindOpenAPI:        "openapi",
	iac.KindServerless:     "serverless",
	iac.KindTerraform:      "terraform",
}

// skipped are platform codes about what a template cannot be wrong about:
// whether the stage was redeployed is deployment state, not configuration.
var skipped = map[cors.Code]bool{platform.CodeAPIGWStageNotRedeployed: true}

type one struct {
	result   RouteResult
	findings []Finding
}

// fixForm is how a service's fixes are written: platform.Input's
// FixFormat and OpenAPIInHCL.
type fixForm struct {
	format       string
	openAPIInHCL bool
	// methods are the route's methods linted (one finding covers them all)
	// and those of the routes the same configuration answers (the
	// resource's OPTIONS, the API's CorsConfiguration): its fix allows each.
	methods []string
}

func lintOne(t *iac.Template, svc awsmodel.Service, rt awsmodel.Route, method, origin string, opts Options, form fixForm) one {
	h := http.Header{}
	for k, vs := range opts.Header {
		h[k] = append([]string(nil), vs...)
	}
	for _, n := range rt.Needs {
		if h.Get(n) == "" {
			h.Set(n, needValue(n))
		}
	}
	route := method + " " + rt.Path
	req := cors.Request{Method: method, Origin: origin, Header: h, Credentials: opts.Credentials, Initiator: "fetch"}
	r := awsmodel.Answer(svc, awsmodel.Route{Method: method, Path: rt.Path, Pos: rt.Pos, Needs: rt.Needs}, req, opts.Profile)
	p := opts.Profile
	if p == nil {
		p = cors.Chromium
	}
	d := p.Evaluate(r.Exchange)
	target := r.Target
	target.Methods = form.methods
	in := platform.Input{Exchange: r.Exchange, Diagnosis: d, ErrorPaths: r.ErrorPaths, FixFormat: form.format, OpenAPIInHCL: form.openAPIInHCL, Target: target}
	var all []cors.Finding
	all = append(all, d.Findings...)
	for _, f := range platform.Analyze(in).Findings {
		f.Reported = false
		all = append(all, f)
	}
	for _, n := range r.Notes {
		all = append(all, platform.Explain(n.Code, in, n.Step, false, n.Message, n.Fix))
	}
	out := one{result: RouteResult{File: t.File, Service: svc.Name(), Kind: svc.Kind(), Route: route, Origin: origin,
		Verdict: d.Verdict, Plan: d.Plan, Line: rt.Pos.Line, Column: rt.Pos.Column, Assumed: r.Assumed, Exch: r.Exchange, Diag: d}}
	for i, hop := range r.ErrorPaths {
		out.result.Errors = append(out.result.Errors, ErrorAnswer{Purpose: r.ErrorPurposes[i], Hop: hop})
	}
	for _, f := range all {
		// A static Access-Control-Allow-Origin needs no Vary (StaticOrigin).
		if skipped[f.Code] || f.Code == cors.CodeMissingVaryOrigin &&
			slices.Contains(r.StaticOrigin, f.Step) {
			continue
		}
		at := anchor(r.Anchors, f.Step)
		if n := noteAt(r.Notes, f); n.Valid() {
			at = n
		}
		out.findings = append(out.findings, Finding{Finding: f, File: at.File, Line: at.Line, Column: at.Column, Route: route, Origin: origin, Service: svc.Name()})
	}
	return out
}

// anchor finds where the answer of step came from.
func anchor(anchors map[string]awsmodel.Pos, step string) awsmodel.Pos {
	if p, ok := anchors[step]; ok {
		return p
	}
	if strings.HasPrefix(step, "error-path") {
		if p, ok := anchors["error-path"]; ok {
			return p
		}
	}
	if p, ok := anchors["actual"]; ok && strings.HasPrefix(step, "redirect") {
		return p
	}
	return anchors["request"]
}

func noteAt(notes []awsmodel.Note, f cors.Finding) awsmodel.Pos {
	for _, n := range notes {
		if n.Code == f.Code && n.Step == f.Step {
			return n.Pos
		}
	}
	return awsmodel.Pos{}
}

// needValue is a stand-in value for a header an authorizer reads.
func needValue(name string) string {
	if strings.EqualFold(name, "Authorization") {
		return "Bearer TOKEN"
	}
	return "KEY"
}

// Redact hides the secrets in r's texts and predicted exchanges, as every
// command's output does unless --no-redact: a template's values (a mock's
// answer, a parameter) and the page's -H headers are quoted there. Each
// text is redacted whole, before a renderer splits it into lines. Routes,
// origins and services name the template's parts and stay as written (the
// SARIF fingerprints hold them).
func (r *Report) Redact() {
	for i := range r.Findings {
		redactFinding(&r.Findings[i].Finding)
	}
	for i := range r.Results {
		x := &r.Results[i]
		if x.Exch != nil {
			x.Exch = redactExchange(x.Exch)
		}
		if x.Diag != nil {
			d := *x.Diag
			d.Findings = slices.Clone(d.Findings)
			for j := range d.Findings {
				redactFinding(&d.Findings[j])
			}
			x.Diag = &d
		}
		x.Errors = slices.Clone(x.Errors)
		for j := range x.Errors {
			redactHop(&x.Errors[j].Hop)
		}
	}
	for _, t := range r.Templates {
		for j, w := range t.Warnings {
			c := *w
			c.Msg = redact.Text(c.Msg)
			t.Warnings[j] = &c
		}
	}
}

func redactFinding(f *cors.Finding) {
	f.Message, f.BrowserMessage = redact.Text(f.Message), redact.Text(f.BrowserMessage)
	f.Fix, f.FailedParameter = redact.Text(f.Fix), redact.Text(f.FailedParameter)
}

// redactExchange is a copy of ex with its hops' secrets hidden.
func redactExchange(ex *cors.Exchange) *cors.Exchange {
	c := *ex
	c.Request.URL = redact.URL(c.Request.URL)
	if c.Preflight != nil {
		p := *c.Preflight
		redactHop(&p)
		c.Preflight = &p
	}
	c.Actual = slices.Clone(c.Actual)
	for i := range c.Actual {
		redactHop(&c.Actual[i])
	}
	return &c
}

// redactHop hides the secrets of a hop's messages, which it replaces by
// copies (their header maps are shared with the prediction).
func redactHop(h *cors.Hop) {
	h.Request = redactMessage(h.Request)
	if h.Response != nil {
		m := redactMessage(*h.Response)
		h.Response = &m
	}
}

func redactMessage(m cors.Message) cors.Message {
	m.URL = redact.URL(m.URL)
	m.Header = redact.Header(m.Header)
	if len(m.Body) > 0 {
		m.Body = []byte(redact.Text(string(m.Body)))
	}
	return m
}
