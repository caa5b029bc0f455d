package iac

// serverless.yml: http (REST API) and httpApi events, their cors settings,
// authorizers and private (API key) flags, provider.httpApi.cors, function
// URLs, and resources.Resources read as CloudFormation. What the framework
// generates follows lib/plugins/aws/package/compile/events/api-gateway
// (cors.js, method/integration.js) and events/http-api.js.

import (
	"fmt"
	"net/http"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

// slsDefaultHeaders are the headers cors: true allows.
const slsDefaultHeaders = "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id"

const (
	slsRESTAPI = "ApiGatewayRestApi"
	slsHTTPAPI = "HttpApi"
)

// slsCors is an http event's cors as validate.js getCors makes it, and, once
// merged, the settings of a path's OPTIONS.
type slsCors struct {
	origin  string   // "*" for cors: true and objects without origins
	origins []string // patterns echoed by the response template
	headers []string
	methods []string
	creds   bool
	maxAge  string
	at      awsmodel.Pos
}

// merge adds an event's cors to the path's, as validate.js does: headers,
// methods and origins united, the last origin and maxAge, credentials if any
// event allows them.
func (sc *slsCors) merge(ev *slsCors) {
	union := func(a, b []string) []string {
		out := []string{}
		for _, x := range append(append([]string{}, a...), b...) {
			if !containsStr(out, x) {
				out = append(out, x)
			}
		}
		return out
	}
	sc.headers = union(ev.headers, sc.headers)
	sc.methods = union(ev.methods, sc.methods)
	sc.origins = union(ev.origins, sc.origins)
	sc.origin = ev.origin
	sc.creds = sc.creds || ev.creds
	if ev.maxAge != "" {
		sc.maxAge = ev.maxAge
	}
}

// allowOrigin is the preflight's static Access-Control-Allow-Origin and the
// origins its response template echoes (cors.js compileCors).
func (sc *slsCors) allowOrigin() (string, []string) {
	origin, origins := sc.origin, sc.origins
	if strings.Contains(origin, ",") {
		origins = nil
		for _, o := range strings.Split(origin, ",") {
			origins = append(origins, strings.TrimSpace(o))
		}
	}
	if len(origins) > 0 {
		origin = origins[0]
	}
	if origin == "" {
		origin = "undefined" // what the framework writes
	}
	return origin, origins
}

func readServerless(file string, root *yaml.Node) (*Template, error) {
	var warnings []*ParseError
	if err := resolveServerlessVariables(file, root, func(w *ParseError) { warnings = append(warnings, w) }); err != nil {
		return nil, err
	}
	provider := get(root, "provider")
	if name := get(provider, "name"); name != nil && name.Kind == yaml.ScalarNode && !strings.EqualFold(name.Value, "aws") {
		warnings = append(warnings, &ParseError{File: file, Line: name.Line,
			Msg: fmt.Sprintf("provider %q: only the aws provider (API Gateway, function URLs, S3) is modelled; nothing is predicted", name.Value)})
		return &Template{File: file, Kind: KindServerless, Warnings: warnings}, nil
	}
	c := newCFNReader(file, get(get(root, "resources"), "Resources"))
	stage, ok := c.r.str(get(provider, "stage"))
	if !ok {
		stage = "dev"
	}
	rest := &awsmodel.RestAPI{ID: slsRESTAPI, At: pos(file, keyNode(root, "functions")), Stage: stage,
		GatewayResponses: map[string]*awsmodel.GatewayResponse{}}
	rest.GatewayAt = rest.At
	if rk := keyNode(root, "resources"); rk != nil {
		rest.GatewayAt = pos(file, rk)
	}
	httpAPI := &awsmodel.HTTPAPI{ID: slsHTTPAPI, At: pos(file, keyNode(root, "functions"))}
	fillMethods := false
	if hp := get(provider, "httpApi"); hp != nil {
		httpAPI.At = pos(file, keyNode(provider, "httpApi"))
		if cn := get(hp, "cors"); cn != nil && !c.deployTime(httpAPI, cn, keyNode(hp, "cors")) {
			httpAPI.Cors = readCorsConfig(&c.r, file, cn, keyNode(hp, "cors"), "allowedOrigins", "allowedMethods", "allowedHeaders", "exposedResponseHeaders", "maxAge", "allowCredentials")
			if httpAPI.Cors != nil && get(cn, "allowedHeaders") == nil {
				httpAPI.Cors.AllowHeaders = strings.Split(slsDefaultHeaders, ",")
			}
			if httpAPI.Cors != nil && get(cn, "allowedOrigins") == nil {
				httpAPI.Cors.AllowOrigins = []string{"*"}
			}
			fillMethods = httpAPI.Cors != nil && get(cn, "allowedMethods") == nil
		}
	}
	c.rest[slsRESTAPI] = rest
	c.http[slsHTTPAPI] = httpAPI
	// cors per path: the OPTIONS method is shared by the functions on a path.
	corsByPath := map[string]*slsCors{}
	var urls []awsmodel.Service
	restUsed, httpUsed := false, false
	pairs(get(root, "functions"), func(fk, fn *yaml.Node) {
		if u := get(fn, "url"); u != nil {
			fu := &awsmodel.FunctionURL{ID: fk.Value + "LambdaFunctionUrl", At: pos(file, keyNode(fn, "url"))}
			if az, _ := c.r.str(get(u, "authorizer")); strings.EqualFold(az, "aws_iam") {
				fu.IAM = true
			}
			if cn := get(u, "cors"); cn != nil && !c.deployTime(fu, cn, keyNode(u, "cors")) {
				fu.Cors = readCorsConfig(&c.r, file, cn, keyNode(u, "cors"), "allowedOrigins", "allowedMethods", "allowedHeaders", "exposedResponseHeaders", "maxAge", "allowCredentials")
			}
			urls = append(urls, fu)
		}
		for _, ev := range items(get(fn, "events")) {
			if h := get(ev, "http"); h != nil {
				restUsed = true
				c.slsHTTPEvent(rest, h, keyNode(ev, "http"), corsByPath)
			}
			if h := get(ev, "httpApi"); h != nil {
				httpUsed = true
				c.slsHTTPAPIEvent(httpAPI, provider, h, keyNode(ev, "httpApi"))
			}
		}
	})
	if fillMethods {
		httpAPI.Cors.AllowMethods = slsHTTPAPIMethods(httpAPI.RouteList)
	}
	for _, p := range sortedIDs(corsByPath) {
		sc := corsByPath[p]
		res := findResource(rest, p, sc.at)
		if hasVerb(res, http.MethodOptions) {
			continue
		}
		origin, echo := sc.allowOrigin()
		ms := strings.ReplaceAll(strings.Join(sc.methods, ","), "ANY", "DELETE,GET,HEAD,PATCH,POST,PUT")
		ps := []awsmodel.Param{
			{Name: "Access-Control-Allow-Origin", Value: "'" + origin + "'", Echo: echo},
			{Name: "Access-Control-Allow-Headers", Value: "'" + strings.Join(sc.headers, ",") + "'"},
			{Name: "Access-Control-Allow-Methods", Value: "'" + ms + "'"},
		}
		if sc.creds {
			ps = append(ps, awsmodel.Param{Name: "Access-Control-Allow-Credentials", Value: "'true'"})
		}
		if sc.maxAge != "" {
			ps = append(ps, awsmodel.Param{Name: "Access-Control-Max-Age", Value: "'" + sc.maxAge + "'"})
		}
		res.Methods = append(res.Methods, &awsmodel.Method{Verb: http.MethodOptions, At: sc.at,
			Integration: awsmodel.Integration{Type: "MOCK", At: sc.at, Responses: []awsmodel.IntegrationResponse{{Status: 200, Headers: ps, At: sc.at}}}})
	}
	c.read()
	if err := c.r.bomb(file); err != nil {
		return nil, err
	}
	var out []awsmodel.Service
	if restUsed {
		out = append(out, rest)
	}
	if httpUsed {
		out = append(out, httpAPI)
	}
	out = append(out, urls...)
	for _, s := range c.out {
		if s != awsmodel.Service(rest) && s != awsmodel.Service(httpAPI) {
			out = append(out, s)
		}
	}
	out, notJudged := c.judged(out)
	return &Template{File: file, Kind: KindServerless, Services: out, Warnings: append(warnings, notJudged...)}, nil
}

// slsRoute reads "GET /items" shorthand or path/method keys.
func (c *cfnReader) slsRoute(h *yaml.Node) (method, path string) {
	if v, ok := c.r.str(h); ok && h.Kind == yaml.ScalarNode {
		if strings.TrimSpace(v) == "*" {
			return "ANY", "$default"
		}
		m, p, _ := strings.Cut(strings.TrimSpace(v), " ")
		return strings.ToUpper(m), "/" + strings.TrimLeft(strings.TrimSpace(p), "/")
	}
	m, _ := c.r.str(getFold(h, "method"))
	p, _ := c.r.str(getFold(h, "path"))
	m = strings.ToUpper(m)
	if m == "" || m == "*" {
		m = "ANY"
	}
	if p == "*" {
		return m, "$default"
	}
	return m, "/" + strings.TrimLeft(p, "/")
}

func (c *cfnReader) slsHTTPEvent(api *awsmodel.RestAPI, h, key *yaml.Node, corsByPath map[string]*slsCors) {
	method, path := c.slsRoute(h)
	at := pos(c.file, key)
	res := findResource(api, path, at)
	m := &awsmodel.Method{Verb: method, At: at}
	integ, _ := c.r.str(getFold(h, "integration"))
	switch strings.ToLower(integ) {
	case "lambda":
		m.Integration.Type = "AWS"
	case "mock":
		m.Integration.Type = "MOCK"
	case "http":
		m.Integration.Type = "HTTP"
	case "http-proxy", "http_proxy":
		m.Integration.Type = "HTTP_PROXY"
	default:
		m.Integration.Type = "AWS_PROXY"
	}
	m.Integration.At = at
	if az := getFold(h, "authorizer"); az != nil {
		a := &awsmodel.Authorizer{Type: "CUSTOM", Header: "Authorization", At: pos(c.file, keyNode(h, "authorizer"))}
		if name, ok := c.r.str(az); ok && az.Kind == yaml.ScalarNode {
			if strings.EqualFold(name, "aws_iam") {
				a.Type = "AWS_IAM"
			}
		} else {
			if t, _ := c.r.str(get(az, "type")); strings.EqualFold(t, "COGNITO_USER_POOLS") {
				a.Type = "COGNITO_USER_POOLS"
			}
			if src, ok := c.r.str(get(az, "identitySource")); ok {
				if hd, ok := identityHeader(src); ok {
					a.Header = hd
				}
			}
		}
		m.Authorizer = a
	}
	if p, _ := c.r.boolean(getFold(h, "private")); p {
		m.APIKey, m.APIKeyAt = true, pos(c.file, keyNode(h, "private"))
	}
	if cn := getFold(h, "cors"); cn != nil && !c.deployTime(api, cn, keyNode(h, "cors")) {
		sc := c.slsCorsOf(cn, keyNode(h, "cors"), method)
		if sc != nil {
			if corsByPath[path] == nil {
				corsByPath[path] = &slsCors{at: sc.at}
			}
			corsByPath[path].merge(sc)
			if m.Integration.Type == "AWS" {
				// Non-proxy lambda integrations get the event's origins
				// joined by commas (method/integration.js).
				origin := sc.origin
				if len(sc.origins) > 0 {
					origin = strings.Join(sc.origins, ",")
				}
				m.Integration.Responses = []awsmodel.IntegrationResponse{{Status: 200, At: sc.at,
					Headers: []awsmodel.Param{{Name: "Access-Control-Allow-Origin", Value: "'" + origin + "'"}}}}
			}
		}
	}
	if m.Integration.Type == "AWS" && m.Integration.Responses == nil {
		m.Integration.Responses = []awsmodel.IntegrationResponse{{Status: 200, At: at}}
	}
	res.Methods = append(res.Methods, m)
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (c *cfnReader) slsCorsOf(cn, key *yaml.Node, method string) *slsCors {
	sc := &slsCors{origin: "*", headers: strings.Split(slsDefaultHeaders, ","), methods: []string{"OPTIONS"}, at: pos(c.file, key)}
	if b, ok := c.r.boolean(cn); ok && cn.Kind == yaml.ScalarNode {
		if !b {
			return nil
		}
		sc.methods = append(sc.methods, method)
		return sc
	}
	if getFold(cn, "origins") != nil {
		sc.origin = ""
	}
	if o, ok := c.r.str(getFold(cn, "origin")); ok {
		sc.origin = o
	}
	sc.origins, _ = c.r.strs(getFold(cn, "origins"))
	if hs, _ := c.r.strs(getFold(cn, "headers")); len(hs) > 0 {
		sc.headers = hs
	}
	if ms, _ := c.r.strs(getFold(cn, "methods")); len(ms) > 0 {
		sc.methods = ms
	}
	for _, m := range []string{"OPTIONS", method} {
		if !containsStr(sc.methods, m) {
			sc.methods = append(sc.methods, m)
		}
	}
	sc.creds, _ = c.r.boolean(getFold(cn, "allowCredentials"))
	sc.maxAge, _ = c.r.str(getFold(cn, "maxAge"))
	return sc
}

func (c *cfnReader) slsHTTPAPIEvent(api *awsmodel.HTTPAPI, provider, h, key *yaml.Node) {
	method, path := c.slsRoute(h)
	rt := &awsmodel.HTTPRoute{Method: method, Path: path, At: pos(c.file, key)}
	if path == "/*" || path == "$default" {
		rt.Method, rt.Path = "ANY", "$default"
	}
	if az := getFold(h, "authorizer"); az != nil {
		a := &awsmodel.Authorizer{Type: "JWT", Header: "Authorization", At: pos(c.file, keyNode(h, "authorizer"))}
		name, _ := c.r.str(get(az, "name"))
		def := get(get(get(provider, "httpApi"), "authorizers"), name)
		// The route's AuthorizationType as events/http-api.js writes it:
		// request is a Lambda authorizer, aws_iam IAM, anything else JWT.
		t, _ := c.r.str(get(az, "type"))
		if t == "" {
			t, _ = c.r.str(get(def, "type"))
		}
		switch strings.ToLower(t) {
		case "aws_iam":
			a.Type = "AWS_IAM"
		case "request":
			a.Type = "CUSTOM"
		}
		if src, ok := c.r.str(get(def, "identitySource")); ok {
			if hd, ok := identityHeader(src); ok {
				a.Header = hd
			}
		}
		rt.Authorizer = a
	}
	api.RouteList = append(api.RouteList, rt)
}

// slsHTTPAPIMethods is the AllowMethods the framework writes when cors is true
// or names no allowedMethods: OPTIONS and every httpApi route's method, ANY
// standing for all of them (events/http-api.js, shouldFillCorsMethods).
func slsHTTPAPIMethods(routes []*awsmodel.HTTPRoute) []string {
	out := []string{http.MethodOptions}
	seen := map[string]bool{http.MethodOptions: true}
	add := func(m string) {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	for _, rt := range routes {
		if rt.Method != "ANY" {
			add(rt.Method)
			continue
		}
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "HEAD", "DELETE"} {
			add(m)
		}
	}
	return out
}
