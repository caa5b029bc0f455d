// Package awsmodel predicts what a deployed AWS service answers a browser:
// API Gateway REST and HTTP APIs, Lambda function URLs and S3 buckets, as
// their templates configure them. It builds the preflight, the actual
// response and the error answers as cors.Exchange values, from the
// platform package's own knowledge of those answers (platform.RESTAPIAnswer,
// GatewayResponseAnswer…), so the engine and the platform causes judge
// them exactly as they judge a live probe.
//
// What a template cannot show (the code behind a proxy integration) is
// assumed to be right and reported as a Note naming what it must do.
package awsmodel

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

// Pos is where a template wrote something: the anchor of a finding.
type Pos struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Valid reports whether p points into a file.
func (p Pos) Valid() bool { return p.File != "" && p.Line > 0 }

// Or returns p, or q when p is not set.
func (p Pos) Or(q Pos) Pos {
	if p.Valid() {
		return p
	}
	return q
}

// Route is a method and path a service serves.
type Route struct {
	Method string `json:"method"` // upper case; ANY for any method
	Path   string `json:"path"`   // as the template writes it: /items/{id}
	Pos    Pos    `json:"-"`
	// Needs are the request headers the route's authorizer or API key
	// reads: the page must send them, so they are part of its request.
	Needs []string `json:"-"`
}

func (r Route) String() string { return r.Method + " " + r.Path }

// Service is one thing a browser talks to.
type Service interface {
	// Name is the logical id in the template.
	Name() string
	// Kind names the service for people ("REST API", "S3 bucket").
	Kind() string
	Pos() Pos
	Routes() []Route
	// answer is what the service answers one request.
	answer(c *call) answer
	// errorAnswers are the answers API Gateway makes itself for the route.
	errorAnswers(c *call) []answer
	baseURL() string
	target(r Route) platform.Target
}

// call is one request to a route.
type call struct {
	route     Route
	req       *cors.Request
	plan      *cors.Plan
	preflight bool
	header    http.Header // what the server receives
}

// has reports whether the request carries header name.
func (c *call) has(name string) bool {
	if c.preflight {
		return false // a preflight carries none of the author's headers
	}
	if name == "" {
		return true // an authorizer without identity source needs no header
	}
	for k := range c.header {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// verb is the method the server sees.
func (c *call) verb() string {
	if c.preflight {
		return http.MethodOptions
	}
	return c.plan.Method
}

// answer is one predicted answer and the template part responsible for it.
type answer struct {
	msg  *cors.Message
	pos  Pos
	note *Note
	// assumed: the backend's answer, which the template cannot show.
	assumed bool
	// staticOrigin: Access-Control-Allow-Origin is one value the template
	// fixes, sent whatever the request's Origin.
	staticOrigin bool
	purpose      string // error answers: what they stand for
}

// Note is a cause the model finds itself: what a template cannot show.
// Front doors turn it into a finding with platform.Explain.
type Note struct {
	Code    cors.Code
	Step    string
	Message string
	Fix     string
	Pos     Pos
}

// Result is what the deployed service would answer one request.
type Result struct {
	Exchange   *cors.Exchange
	ErrorPaths []cors.Hop
	// ErrorPurposes say what each error path stands for.
	ErrorPurposes []string
	// Anchors: for each step ("preflight", "actual", "error-path", "request"),
	// where the template wrote what produced that answer.
	Anchors map[string]Pos
	// Assumed lists the steps whose answer is the backend's, assumed right.
	Assumed []string
	// StaticOrigin lists the steps whose Access-Control-Allow-Origin the
	// template fixes for every request: it does not follow Origin, so, per
	// Fetch's "CORS protocol and HTTP caches", it needs no Vary.
	StaticOrigin []string
	Notes        []Note
	Target       platform.Target
}

// Answer predicts the exchange of req (the page's request; its URL is set
// here) sent to route of s.
func Answer(s Service, route Route, req cors.Request, p *cors.Profile) Result {
	if p == nil {
		p = cors.Chromium
	}
	req.URL = s.baseURL() + samplePath(route.Path)
	plan := p.PlanRequest(&req)
	ex := &cors.Exchange{Request: req}
	res := Result{Exchange: ex, Anchors: map[string]Pos{"request": route.Pos.Or(s.Pos())}, Target: s.target(route)}
	add := func(step string, a answer) {
		res.Anchors[step] = a.pos.Or(s.Pos())
		if a.assumed {
			res.Assumed = append(res.Assumed, step)
		}
		if a.staticOrigin {
			res.StaticOrigin = append(res.StaticOrigin, step)
		}
		if a.note != nil {
			n := *a.note
			n.Step = step
			n.Pos = n.Pos.Or(res.Anchors[step])
			res.Notes = append(res.Notes, n)
		}
	}
	if plan.Forbidden {
		ex.ActualSkipped = "fetch() throws for method " + plan.Method
		return res
	}
	if plan.Preflight {
		h := preflightHeader(&plan, req.Origin)
		c := &call{route: route, req: &req, plan: &plan, preflight: true, header: h}
		a := s.answer(c)
		ex.Preflight = &cors.Hop{Request: cors.Message{Method: http.MethodOptions, URL: req.URL, Header: h}, Response: a.msg}
		add("preflight", a)
	}
	h := plan.AuthorHeaders.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Origin", req.Origin)
	c := &call{route: route, req: &req, plan: &plan, header: h}
	a := s.answer(c)
	ex.Actual = []cors.Hop{{Request: cors.Message{Method: plan.Method, URL: req.URL, Header: h}, Response: a.msg}}
	add("actual", a)
	for _, e := range s.errorAnswers(c) {
		eh := http.Header{"Origin": {req.Origin}}
		res.ErrorPaths = append(res.ErrorPaths, cors.Hop{Request: cors.Message{Method: http.MethodGet, URL: req.URL, Header: eh}, Response: e.msg})
		res.ErrorPurposes = append(res.ErrorPurposes, e.purpose)
		if _, ok := res.Anchors["error-path"]; !ok {
			add("error-path", e)
		}
	}
	ex.Compared = compare(s, route, req, &plan, ex)
	return res
}

func preflightHeader(plan *cors.Plan, origin string) http.Header {
	h := http.Header{}
	h.Set("Accept", "*/*")
	h.Set(cors.HeaderRequestMethod, plan.Method)
	if plan.RequestHeaders != "" {
		h.Set(cors.HeaderRequestHeaders, plan.RequestHeaders)
	}
	h.Set("Origin", origin)
	return h
}

// configured is a service whose CORS configuration names the origins it
// allows today: the first limit of them, except one.
type configured interface {
	configuredOrigins(except string, limit int) []string
}

// compare is check's comparison requests (probe/compare.go) with the
// origins the configuration names, as --compare-origin gives them: where
// the page's origin gets no Access-Control-Allow-Origin, the same safe
// request from each of them. The fix then keeps those origins, and says
// that credentials allowed today stay, instead of writing a list or a
// false over what works.
func compare(s Service, route Route, req cors.Request, plan *cors.Plan, ex *cors.Exchange) []cors.Comparison {
	cs, ok := s.(configured)
	if !ok {
		return nil
	}
	step, hop := "", (*cors.Hop)(nil)
	switch {
	case ex.Preflight != nil:
		step, hop = "preflight", ex.Preflight
	case len(ex.Actual) > 0 && (plan.Method == http.MethodGet || plan.Method == http.MethodHead):
		step, hop = "actual", &ex.Actual[0]
	default:
		return nil
	}
	if hop.Response == nil || hop.Response.Header.Get(cors.HeaderAllowOrigin) != "" {
		return nil
	}
	var out []cors.Comparison
	for _, o := range cs.configuredOrigins(req.Origin, cors.MaxCompareOrigins) {
		r := req
		r.Origin = o
		h := http.Header{"Origin": {o}}
		c := &call{route: route, req: &r, plan: plan, header: h}
		m := http.MethodGet
		if step == "preflight" {
			c.header, c.preflight, m = preflightHeader(plan, o), true, http.MethodOptions
		} else {
			p := *plan
			p.Method = http.MethodGet
			c.plan = &p
		}
		a := s.answer(c)
		out = append(out, cors.Comparison{Origin: o, Step: step,
			Hop: cors.Hop{Request: cors.Message{Method: m, URL: req.URL, Header: c.header}, Response: a.msg}})
	}
	return out
}

// samplePath fills path parameters with sample values: /items/{id} →
// /items/1, /{proxy+} → /any/path.
func samplePath(p string) string {
	if p == "" || p == "$default" {
		return "/"
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		switch {
		case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "+}"):
			segs[i] = "any/path"
		case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}"):
			segs[i] = "1"
		default:
			segs[i] = url.PathEscape(s)
		}
	}
	out := strings.Join(segs, "/")
	if !strings.HasPrefix(out, "/") {
		out = "/" + out
	}
	return out
}

// PathMatches reports whether a template path (with {param} and {proxy+})
// serves the request path p, itself a template path or a concrete one.
func PathMatches(tmpl, p string) bool {
	if tmpl == p {
		return true
	}
	ts := strings.Split(strings.Trim(tmpl, "/"), "/")
	ps := strings.Split(strings.Trim(p, "/"), "/")
	for i, t := range ts {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "+}") {
			return i < len(ps) && ps[i] != ""
		}
		if i >= len(ps) {
			return false
		}
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if ps[i] == "" {
				return false
			}
			continue
		}
		if t != ps[i] {
			return false
		}
	}
	return len(ts) == len(ps)
}

// specificity ranks template paths: literal segments beat {param}, which
// beats {proxy+}, as API Gateway routes.
func specificity(tmpl string) int {
	n := 0
	for _, s := range strings.Split(strings.Trim(tmpl, "/"), "/") {
		switch {
		case strings.HasSuffix(s, "+}"):
		case strings.HasPrefix(s, "{"):
			n += 1
		default:
			n += 3
		}
	}
	return n
}

// Methods are the methods a page sends to route r of s: ANY stands for
// the methods the service's CORS setup declares for it when it declares
// some, else for GET, POST, PUT, PATCH and DELETE.
func Methods(s Service, r Route) []string {
	if r.Method != "ANY" && r.Method != "*" && r.Method != "" {
		return []string{r.Method}
	}
	if d, ok := s.(interface{ declared(Route) []string }); ok {
		var out []string
		for _, m := range d.declared(r) {
			m = strings.ToUpper(strings.TrimSpace(m))
			if m != "" && m != http.MethodOptions && m != "*" && m != http.MethodHead && !contains(out, m) {
				out = append(out, m)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return []string{"GET", "POST", "PUT", "PATCH", "DELETE"}
}

// SharedMethods returns, for a route of s, the methods of every route whose
// preflight the same configuration answers: a REST API resource's one
// OPTIONS method answers its path's routes; an HTTP API's or function URL's
// CORS configuration and a bucket's rules answer all of them. A fix writes
// that configuration, so it allows them all: one fix per method, pasted in
// turn, would keep only the last method allowed.
func SharedMethods(s Service) func(Route) []string {
	_, perPath := s.(*RestAPI)
	key := func(r Route) string {
		if perPath {
			return r.Path
		}
		return ""
	}
	by := map[string][]string{}
	for _, r := range s.Routes() {
		k := key(r)
		for _, m := range Methods(s, r) {
			if !contains(by[k], m) {
				by[k] = append(by[k], m)
			}
		}
	}
	return func(r Route) []string { return by[key(r)] }
}

// idealPreflight is what a backend must answer a preflight with for the
// request to pass: the headers the note names.
func idealPreflight(c *call) (http.Header, []string) {
	h := http.Header{}
	origin := c.req.Origin
	h.Set(cors.HeaderAllowOrigin, origin)
	h.Set(cors.HeaderAllowMethods, c.plan.Method)
	names := []string{cors.HeaderAllowOrigin + ": " + origin, cors.HeaderAllowMethods + ": " + c.plan.Method}
	if len(c.plan.UnsafeHeaders) > 0 {
		v := strings.Join(c.plan.UnsafeHeaders, ", ")
		h.Set(cors.HeaderAllowHeaders, v)
		names = append(names, cors.HeaderAllowHeaders+": "+v)
	}
	if c.req.Credentials {
		h.Set(cors.HeaderAllowCredentials, "true")
		names = append(names, cors.HeaderAllowCredentials+": true")
	}
	h.Set("Vary", "Origin")
	return h, append(names, "Vary: Origin")
}

// idealActual is what a backend must add to its answers.
func idealActual(c *call) (http.Header, []string) {
	h := http.Header{}
	h.Set(cors.HeaderAllowOrigin, c.req.Origin)
	names := []string{cors.HeaderAllowOrigin + ": " + c.req.Origin}
	if c.req.Credentials {
		h.Set(cors.HeaderAllowCredentials, "true")
		names = append(names, cors.HeaderAllowCredentials+": true")
	}
	h.Set("Vary", "Origin")
	return h, append(names, "Vary: Origin")
}

// headerValue evaluates an API Gateway response parameter value: 'static'
// or method.request.header.NAME; other sources are unknown ("", false).
func headerValue(v string, c *call) (string, bool) {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return v[1 : len(v)-1], true
	}
	if name, ok := strings.CutPrefix(strings.ToLower(v), "method.request.header."); ok {
		for k, vs := range c.header {
			if strings.EqualFold(k, name) && len(vs) > 0 {
				return vs[0], true
			}
		}
		return "", false
	}
	return "", false
}

// Param is one response header mapping, as the template writes it.
type Param struct {
	Name  string // header name
	Value string // 'static', or a mapping expression
	// Echo lists the origins a response template sends back instead of Value
	// when the request's Origin matches one (serverless's origins): each is
	// matched whole as the framework's template does, dots literal and the
	// first * standing for one or more characters (cors.js regexifyWildcards).
	Echo []string
}

// echoes reports whether origin matches one of serverless's origins.
func echoes(patterns []string, origin string) bool {
	for _, p := range patterns {
		re := strings.Replace(strings.ReplaceAll(p, ".", "[.]"), "*", ".+", 1)
		if ok, err := regexp.MatchString("^(?:"+re+")$", origin); err == nil && ok {
			return true
		}
	}
	return false
}

// staticOrigin reports whether ps map Access-Control-Allow-Origin to a
// 'static' value, not the request's Origin or an echo of it.
func staticOrigin(ps []Param) bool {
	for _, p := range ps {
		if strings.EqualFold(p.Name, cors.HeaderAllowOrigin) {
			v := strings.TrimSpace(p.Value)
			return len(p.Echo) == 0 && len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\''
		}
	}
	return false
}

func applyParams(h http.Header, ps []Param, c *call) {
	for _, p := range ps {
		if o := c.req.Origin; o != "" && echoes(p.Echo, o) {
			h.Add(p.Name, o)
			continue
		}
		if v, ok := headerValue(p.Value, c); ok {
			h.Add(p.Name, v)
		}
	}
}

// hostName makes a DNS label of a logical id.
func hostName(id string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(id) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "api"
	}
	return b.String()
}
