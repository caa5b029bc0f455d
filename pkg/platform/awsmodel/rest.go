package awsmodel

// API Gateway REST APIs: resources, methods, integrations and gateway
// responses, answered as API Gateway answers (how-to-cors.html,
// supported-gateway-response-types.html, ../shared/research/gateways.md).

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/platform"
)

// RestAPI is an API Gateway REST API.
type RestAPI struct {
	ID        string
	At        Pos
	Stage     string
	Resources []*Resource
	// GatewayResponses by type (DEFAULT_4XX, UNAUTHORIZED…).
	GatewayResponses map[string]*GatewayResponse
	// GatewayAt is where gateway responses are (or belong) in the template.
	GatewayAt Pos

	byPath map[string]*Resource
}

// Resource is a path of a REST API and its methods.
type Resource struct {
	Path    string
	At      Pos
	Methods []*Method
}

// Method is one method of a resource.
type Method struct {
	Verb        string // upper case, ANY
	At          Pos
	Authorizer  *Authorizer // nil: authorization NONE
	APIKey      bool
	APIKeyAt    Pos
	Integration Integration
}

// Authorizer is what guards a method.
type Authorizer struct {
	Type   string // COGNITO_USER_POOLS, CUSTOM (Lambda), AWS_IAM, JWT
	Header string // the identity header it reads; "" none (a Lambda authorizer without identity source)
	At     Pos
}

// Integration is a method's integration.
type Integration struct {
	Type      string // MOCK, AWS, HTTP, AWS_PROXY, HTTP_PROXY; "" unknown
	At        Pos
	Responses []IntegrationResponse
}

// IntegrationResponse is one integration response with its header mappings.
type IntegrationResponse struct {
	Status  int
	Pattern string // SelectionPattern; "" is the default response
	Headers []Param
	At      Pos
}

// GatewayResponse is a customised gateway response.
type GatewayResponse struct {
	Type    string
	Status  int // 0: the type's default
	Headers []Param
	At      Pos
}

func (a *RestAPI) Name() string { return a.ID }
func (a *RestAPI) Kind() string { return "REST API" }
func (a *RestAPI) Pos() Pos     { return a.At }

func (a *RestAPI) baseURL() string {
	return "https://" + hostName(a.ID) + ".execute-api.region.amazonaws.com/" + a.stage()
}

func (a *RestAPI) stage() string {
	if a.Stage == "" {
		return "Prod"
	}
	return a.Stage
}

func (a *RestAPI) target(r Route) platform.Target {
	return platform.Target{APIID: a.ID, Stage: a.stage(), Resource: r.Path}
}

// Routes are the resources' methods other than OPTIONS.
func (a *RestAPI) Routes() []Route {
	var out []Route
	for _, r := range a.Resources {
		for _, m := range r.Methods {
			if m.Verb == http.MethodOptions {
				continue
			}
			rt := Route{Method: m.Verb, Path: r.Path, Pos: m.At.Or(r.At)}
			if m.Authorizer != nil && m.Authorizer.Header != "" {
				rt.Needs = append(rt.Needs, m.Authorizer.Header)
			}
			if m.APIKey {
				rt.Needs = append(rt.Needs, "x-api-key")
			}
			out = append(out, rt)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// resource finds the resource serving path, the most specific first.
func (a *RestAPI) resource(path string) *Resource {
	// Routes come from the template: most lookups are exact.
	if len(a.byPath) != len(a.Resources) {
		a.byPath = make(map[string]*Resource, len(a.Resources))
		for _, r := range a.Resources {
			if _, dup := a.byPath[r.Path]; !dup {
				a.byPath[r.Path] = r
			}
		}
	}
	if r, ok := a.byPath[path]; ok && len(a.byPath) == len(a.Resources) {
		return r
	}
	var best *Resource
	for _, r := range a.Resources {
		if PathMatches(r.Path, path) && (best == nil || r.Path == path || specificity(r.Path) > specificity(best.Path) && best.Path != path) {
			best = r
		}
	}
	return best
}

func (r *Resource) method(verb string) *Method {
	var anyM *Method
	for _, m := range r.Methods {
		if m.Verb == verb {
			return m
		}
		if m.Verb == "ANY" {
			anyM = m
		}
	}
	return anyM
}

func (a *RestAPI) answer(c *call) answer {
	res := a.resource(c.route.Path)
	if res == nil {
		return a.gateway("MISSING_AUTHENTICATION_TOKEN", c, a.At)
	}
	m := res.method(c.verb())
	if m == nil {
		// No such method: API Gateway's 403 Missing Authentication Token,
		// anchored to the resource that lacks it.
		return a.gateway("MISSING_AUTHENTICATION_TOKEN", c, res.At)
	}
	if az := m.Authorizer; az != nil && !c.has(az.Header) {
		switch az.Type {
		case "AWS_IAM":
			return a.gateway("MISSING_AUTHENTICATION_TOKEN", c, az.At.Or(m.At))
		default:
			return a.gateway("UNAUTHORIZED", c, az.At.Or(m.At))
		}
	}
	if m.APIKey && !c.has("x-api-key") {
		return a.gateway("INVALID_API_KEY", c, m.APIKeyAt.Or(m.At))
	}
	in := m.Integration
	switch in.Type {
	case "MOCK", "AWS", "HTTP":
		ir := in.pick()
		if ir == nil {
			// No output mapping: API Gateway answers 500 itself.
			return a.gateway("DEFAULT_5XX", c, in.At.Or(m.At))
		}
		h := http.Header{}
		applyParams(h, ir.Headers, c)
		status := ir.Status
		if status == 0 {
			status = 200
		}
		return answer{msg: platform.RESTAPIAnswer(status, h), pos: ir.At.Or(in.At).Or(m.At),
			staticOrigin: staticOrigin(ir.Headers)}
	}
	// A proxy integration: the backend answers, which the template cannot
	// show. Assume it is right and say what it must send.
	var h http.Header
	var names []string
	what := "its " + c.plan.Method + " answers"
	if c.preflight {
		h, names = idealPreflight(c)
		what = "the OPTIONS preflight (the " + m.Verb + " method catches it)"
	} else {
		h, names = idealActual(c)
	}
	note := &Note{Code: platform.CodeAPIGWProxyNoCORS,
		Message: "the " + m.Verb + " " + res.Path + " method has a proxy integration: API Gateway passes the backend's answer through, so the code must send, on " + what + ", " + strings.Join(names, ", ") + ", on error responses too; a template cannot show it",
		Fix:     "Return " + strings.Join(names, ", ") + " from the function on every response of " + res.Path + ", errors included."}
	return answer{msg: platform.RESTAPIAnswer(200, h), pos: in.At.Or(m.At), note: note, assumed: true}
}

// declared: the methods the path's OPTIONS answer allows.
func (a *RestAPI) declared(r Route) []string {
	res := a.resource(r.Path)
	if res == nil {
		return nil
	}
	for _, m := range res.Methods {
		if m.Verb != http.MethodOptions {
			continue
		}
		for _, ir := range m.Integration.Responses {
			for _, p := range ir.Headers {
				if strings.EqualFold(p.Name, "Access-Control-Allow-Methods") && strings.HasPrefix(p.Value, "'") {
					return strings.Split(strings.Trim(p.Value, "'"), ",")
				}
			}
		}
	}
	return nil
}

// pick chooses the integration response of a successful call: the default
// one (no selection pattern), else the one for 200, else the first.
func (in *Integration) pick() *IntegrationResponse {
	for i := range in.Responses {
		if in.Responses[i].Pattern == "" || in.Responses[i].Pattern == "default" {
			return &in.Responses[i]
		}
	}
	for i := range in.Responses {
		if in.Responses[i].Status == 200 || strings.HasPrefix(in.Responses[i].Pattern, "2") {
			return &in.Responses[i]
		}
	}
	if len(in.Responses) > 0 {
		return &in.Responses[0]
	}
	return nil
}

// gateway is API Gateway's own answer of type typ: its customisation, else
// DEFAULT_4XX/5XX's, else the bare default.
func (a *RestAPI) gateway(typ string, c *call, at Pos) answer {
	g := a.GatewayResponses[typ]
	if g == nil {
		g = a.GatewayResponses[platform.GatewayResponseParent(typ)]
	}
	h := http.Header{}
	status := 0
	if g != nil {
		applyParams(h, g.Headers, c)
		status = g.Status
	}
	return answer{msg: platform.GatewayResponseAnswer(typ, status, h), pos: at, purpose: typ}
}

// errorAnswers are the gateway responses a page can meet on this route: a
// wrong path always, the authorizer's and the API key's refusals where the
// method has them, and an integration timeout behind a backend.
func (a *RestAPI) errorAnswers(c *call) []answer {
	types := []string{"MISSING_AUTHENTICATION_TOKEN"}
	if res := a.resource(c.route.Path); res != nil {
		if m := res.method(c.route.Method); m != nil {
			if m.Authorizer != nil && m.Authorizer.Type != "AWS_IAM" {
				types = append(types, "UNAUTHORIZED")
			}
			if m.APIKey {
				types = append(types, "INVALID_API_KEY")
			}
			if m.Integration.Type != "MOCK" {
				types = append(types, "INTEGRATION_TIMEOUT")
			}
		}
	}
	out := make([]answer, 0, len(types))
	for _, t := range types {
		at := a.GatewayAt.Or(a.At)
		if g := a.GatewayResponses[t]; g != nil {
			at = g.At
		} else if g := a.GatewayResponses[platform.GatewayResponseParent(t)]; g != nil {
			at = g.At
		}
		ans := a.gateway(t, c, at)
		ans.purpose = t + " (" + strconv.Itoa(ans.msg.Status) + ")"
		out = append(out, ans)
	}
	return out
}
