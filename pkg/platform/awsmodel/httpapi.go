package awsmodel

// API Gateway HTTP APIs and Lambda function URLs: with a CORS
// configuration the service answers preflights itself (unless a route with
// an authorizer matches OPTIONS) and adds the headers to every answer: an
// HTTP API ignores the backend's, a function URL adds its own beside them
// (captures cited in lambda-url-cors-not-configured.md); without one,
// everything goes to the backend (http-api-cors.html,
// urls-configuration.html#urls-cors).

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

// DeployTimeOrigin stands in an allow-list for an origin the template only
// knows at deploy time (a parameter without a default): it is taken to be
// the page's.
const DeployTimeOrigin = "<deploy-time origin>"

// CorsConfig is an HTTP API's CorsConfiguration or a function URL's Cors.
type CorsConfig struct {
	AllowOrigins     []string
	AllowMethods     []string
	AllowHeaders     []string
	ExposeHeaders    []string
	AllowCredentials bool
	MaxAge           int
	At               Pos
}

// allows reports whether origin is in AllowOrigins (exact, "*", or a
// "https://*.example.com" pattern) and the ACAO value to send.
func (cc *CorsConfig) allows(origin string) (string, bool) {
	for _, o := range cc.AllowOrigins {
		switch {
		case o == DeployTimeOrigin:
			return origin, true
		case o == "*":
			return "*", true
		case strings.EqualFold(strings.TrimRight(o, "/"), origin):
			return origin, true
		case strings.Contains(o, "*"):
			pre, suf, _ := strings.Cut(strings.ToLower(o), "*")
			lo := strings.ToLower(origin)
			if strings.HasPrefix(lo, pre) && strings.HasSuffix(lo, suf) && len(lo) > len(pre)+len(suf) {
				return origin, true
			}
		}
	}
	return "", false
}

// list is AllowOrigins as written; nil without a configuration.
func (cc *CorsConfig) list() []string {
	if cc == nil {
		return nil
	}
	return cc.AllowOrigins
}

// origins are the first limit origins AllowOrigins names one by one (not *,
// a pattern, or one known at deploy time), except: the list is the
// template's, of any length, and only the first few are compared with.
func (cc *CorsConfig) origins(except string, limit int) []string {
	if cc == nil {
		return nil
	}
	var out []string
	for _, o := range cc.AllowOrigins {
		if len(out) == limit {
			break
		}
		if strings.Contains(o, "*") {
			continue
		}
		if p, err := cors.ParseOrigin(strings.TrimRight(o, "/")); err == nil && p != "null" && p != except && !contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func (a *HTTPAPI) configuredOrigins(except string, limit int) []string {
	return a.Cors.origins(except, limit)
}
func (u *FunctionURL) configuredOrigins(except string, limit int) []string {
	return u.Cors.origins(except, limit)
}

// managedVary says which answers of a service's managed CORS were seen to
// carry Vary: Origin beside an Access-Control-Allow-Origin naming the
// page. Neither service's guide mentions Vary; captured answers do
// (docs/findings/missing-vary-origin.md lists them).
type managedVary struct{ preflight, actual bool }

var (
	// An HTTP API's own 401 from a JWT authorizer, CorsConfiguration with
	// two origins and credentials: access-control-allow-origin, vary:
	// origin, access-control-allow-credentials (github.com/bizkite-co/handterm
	// docs/chats/07/2024-07-01-aws-cdk-stack-review-….md). No captured
	// preflight answer shows either way.
	httpAPIVary = managedVary{actual: true}
	// The service's preflight answer and a function's answer, Cors
	// configured (github.com/rimutaka/posts
	// lambda-url-with-cloudfront/readme-lambda-cors.md, August 2024).
	functionURLVary = managedVary{preflight: true, actual: true}
)

// setVary adds Vary: Origin where the answer follows the request's Origin.
func setVary(h http.Header, acao string, seen bool) {
	if seen && acao != "*" {
		h.Set("Vary", "Origin")
	}
}

// preflight is the service's own answer to a preflight.
func (cc *CorsConfig) preflight(c *call, v managedVary) http.Header {
	h := http.Header{}
	acao, ok := cc.allows(c.req.Origin)
	if !ok {
		return h
	}
	h.Set(cors.HeaderAllowOrigin, acao)
	setVary(h, acao, v.preflight)
	if len(cc.AllowMethods) > 0 {
		h.Set(cors.HeaderAllowMethods, strings.Join(cc.AllowMethods, ","))
	}
	if len(cc.AllowHeaders) > 0 {
		h.Set(cors.HeaderAllowHeaders, strings.Join(cc.AllowHeaders, ","))
	}
	if cc.AllowCredentials {
		h.Set(cors.HeaderAllowCredentials, "true")
	}
	if cc.MaxAge > 0 {
		h.Set(cors.HeaderMaxAge, strconv.Itoa(cc.MaxAge))
	}
	return h
}

// actual is what the service adds to an answer.
func (cc *CorsConfig) actual(c *call, v managedVary) http.Header {
	h := http.Header{}
	acao, ok := cc.allows(c.req.Origin)
	if !ok {
		return h
	}
	h.Set(cors.HeaderAllowOrigin, acao)
	setVary(h, acao, v.actual)
	if cc.AllowCredentials {
		h.Set(cors.HeaderAllowCredentials, "true")
	}
	if len(cc.ExposeHeaders) > 0 {
		h.Set(cors.HeaderExposeHeaders, strings.Join(cc.ExposeHeaders, ","))
	}
	return h
}

// HTTPAPI is an API Gateway HTTP API.
type HTTPAPI struct {
	ID        string
	At        Pos
	Cors      *CorsConfig // nil: not configured
	RouteList []*HTTPRoute
}

// HTTPRoute is a route of an HTTP API.
type HTTPRoute struct {
	Method     string // ANY, GET…; "$default" routes have Method ANY and Path "$default"
	Path       string
	At         Pos
	Authorizer *Authorizer
}

func (a *HTTPAPI) Name() string { return a.ID }
func (a *HTTPAPI) Kind() string { return "HTTP API" }
func (a *HTTPAPI) Pos() Pos     { return a.At }
func (a *HTTPAPI) baseURL() string {
	return "https://" + hostName(a.ID) + ".execute-api.region.amazonaws.com"
}
func (a *HTTPAPI) target(r Route) platform.Target {
	return platform.Target{APIID: a.ID, Stage: "$default", Resource: r.Path, Route: r.Path, AllowOrigins: a.Cors.list()}
}

func (a *HTTPAPI) Routes() []Route {
	var out []Route
	for _, r := range a.RouteList {
		if r.Method == http.MethodOptions {
			continue
		}
		rt := Route{Method: r.Method, Path: r.Path, Pos: r.At}
		if r.Authorizer != nil && r.Authorizer.Header != "" {
			rt.Needs = append(rt.Needs, r.Authorizer.Header)
		}
		out = append(out, rt)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func (a *HTTPAPI) route(verb, path string) *HTTPRoute {
	var best *HTTPRoute
	for _, r := range a.RouteList {
		if r.Method != verb && r.Method != "ANY" || r.Path == "$default" || !PathMatches(r.Path, path) {
			continue
		}
		if best == nil || r.Path == path || specificity(r.Path) > specificity(best.Path) || specificity(r.Path) == specificity(best.Path) && r.Method == verb {
			best = r
		}
	}
	if best == nil {
		for _, r := range a.RouteList {
			if r.Path == "$default" {
				return r
			}
		}
	}
	return best
}

func (a *HTTPAPI) answer(c *call) answer {
	r := a.route(c.verb(), c.route.Path)
	if a.Cors != nil && c.preflight {
		// A route that matches OPTIONS ($default, an ANY route) still
		// takes the preflight: its authorizer refuses it (http-api-cors.html,
		// "CORS for an HTTP API with a $default route and an authorizer").
		if r != nil && r.Authorizer != nil && !c.has(r.Authorizer.Header) {
			return a.refusal(r, c)
		}
		return answer{msg: platform.HTTPAPIAnswer(204, a.Cors.preflight(c, httpAPIVary)), pos: a.Cors.At}
	}
	if r == nil {
		return answer{msg: platform.HTTPAPIError(404), pos: a.At}
	}
	if az := r.Authorizer; az != nil && !c.has(az.Header) {
		return a.refusal(r, c)
	}
	if a.Cors != nil {
		return answer{msg: platform.HTTPAPIAnswer(200, a.Cors.actual(c, httpAPIVary)), pos: a.Cors.At}
	}
	var h http.Header
	var names []string
	what := "its " + c.plan.Method + " answers"
	if c.preflight {
		h, names = idealPreflight(c)
		what = "the OPTIONS preflight (the route " + r.Method + " " + r.Path + " catches it)"
	} else {
		h, names = idealActual(c)
	}
	note := &Note{Code: platform.CodeHTTPAPINotConfigured,
		Message: "the HTTP API has no CORS configuration, so the integration behind " + r.Method + " " + r.Path + " must send, on " + what + ", " + strings.Join(names, ", ") + "; a template cannot show it. A CorsConfiguration makes API Gateway answer for it",
		Fix:     "Configure CORS on the HTTP API (CorsConfiguration), or return " + strings.Join(names, ", ") + " from the backend."}
	return answer{msg: platform.HTTPAPIAnswer(200, h), pos: r.At, note: note, assumed: true}
}

// refusal is the 401 of route r's authorizer. A JWT authorizer's carries
// the CORS configuration's headers, as the API's other answers do (a
// capture, cited in missing-vary-origin.md); no answer of a Lambda or IAM
// authorizer was found, so theirs is taken to carry none.
func (a *HTTPAPI) refusal(r *HTTPRoute, c *call) answer {
	m := platform.HTTPAPIError(http.StatusUnauthorized)
	if a.Cors != nil && r.Authorizer.Type == "JWT" {
		for k, v := range a.Cors.actual(c, httpAPIVary) {
			m.Header[k] = v
		}
	}
	return answer{msg: m, pos: r.Authorizer.At.Or(r.At)}
}

func (a *HTTPAPI) errorAnswers(*call) []answer { return nil }

// declared: the methods of the CORS configuration.
func (a *HTTPAPI) declared(Route) []string {
	if a.Cors == nil {
		return nil
	}
	return a.Cors.AllowMethods
}

// FunctionURL is a Lambda function URL.
type FunctionURL struct {
	ID   string
	At   Pos
	Cors *CorsConfig
	// IAM: AuthType AWS_IAM (the page must sign its requests).
	IAM bool
}

func (u *FunctionURL) Name() string { return u.ID }
func (u *FunctionURL) Kind() string { return "Lambda function URL" }
func (u *FunctionURL) Pos() Pos     { return u.At }
func (u *FunctionURL) baseURL() string {
	return "https://" + hostName(u.ID) + ".lambda-url.region.on.aws"
}
func (u *FunctionURL) target(Route) platform.Target {
	return platform.Target{AllowOrigins: u.Cors.list()}
}

// Routes: the URL serves every path; its methods are the allowed ones.
func (u *FunctionURL) Routes() []Route {
	ms := []string{"GET"}
	if u.Cors != nil && len(u.Cors.AllowMethods) > 0 && u.Cors.AllowMethods[0] != "*" {
		ms = u.Cors.AllowMethods
	}
	var out []Route
	for _, m := range ms {
		m = strings.ToUpper(m)
		if m == http.MethodOptions {
			continue
		}
		rt := Route{Method: m, Path: "/", Pos: u.At}
		if u.IAM {
			rt.Needs = []string{"Authorization"}
		}
		out = append(out, rt)
	}
	return out
}

func (u *FunctionURL) answer(c *call) answer {
	// An AWS_IAM URL's Cors answers the unsigned preflight too: a page's
	// signed POST went through (aws4-axios issue 1553; AWS is silent).
	if u.Cors != nil && c.preflight {
		h := u.Cors.preflight(c, functionURLVary)
		return answer{msg: platform.LambdaURLAnswer(200, h), pos: u.Cors.At}
	}
	if u.IAM && !c.has("Authorization") {
		// Whether this 403 carries the Cors headers no source shows.
		m := platform.LambdaURLAnswer(403, http.Header{"Content-Type": {"application/json"}})
		m.Body = []byte(`{"Message":"Forbidden"}`)
		return answer{msg: m, pos: u.At}
	}
	if u.Cors != nil {
		h := u.Cors.actual(c, functionURLVary)
		return answer{msg: platform.LambdaURLAnswer(200, h), pos: u.Cors.At}
	}
	var h http.Header
	var names []string
	what := "its " + c.plan.Method + " answers"
	if c.preflight {
		h, names = idealPreflight(c)
		what = "the OPTIONS preflight"
	} else {
		h, names = idealActual(c)
	}
	note := &Note{Code: platform.CodeLambdaURLNotConfigured,
		Message: "the function URL has no Cors configuration, so the function's code must send, on " + what + ", " + strings.Join(names, ", ") + "; a template cannot show it",
		Fix:     "Configure Cors on the function URL, or return " + strings.Join(names, ", ") + " from the function."}
	return answer{msg: platform.LambdaURLAnswer(200, h), pos: u.At, note: note, assumed: true}
}

func (u *FunctionURL) errorAnswers(*call) []answer { return nil }
