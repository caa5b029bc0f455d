package iac

// CloudFormation and SAM. The SAM transform is applied the way samtranslator
// applies it (swagger/swagger.py add_cors, model/api/api_generator.py,
// http_api_generator.py): implicit ServerlessRestApi/ServerlessHttpApi,
// Globals, Cors adding a MOCK OPTIONS per path, the Auth flags that put the
// default authorizer and the API key on that OPTIONS (both default true),
// GatewayResponses.

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

type cfnResource struct {
	id    string
	key   *yaml.Node // the logical id's key: the resource's anchor
	typ   string
	props *yaml.Node
}

type cfnReader struct {
	file string
	r    resolver
	res  map[string]*cfnResource
	ids  []string // file order
	// globals of SAM: Api, HttpApi, Function.
	globals *yaml.Node
	out     []awsmodel.Service
	rest    map[string]*awsmodel.RestAPI
	http    map[string]*awsmodel.HTTPAPI
	// samAPIs hold the SAM API definitions (explicit or implicit) until all
	// function events are collected.
	samREST map[string]*samAPI
	samHTTP map[string]*samHTTPAPI
	// warnings are the parts not read (conditions known only at deploy time).
	warnings []*ParseError
	// sam are the services SAM resources define.
	sam map[awsmodel.Service]bool
	// defined are the REST APIs whose methods an inline OpenAPI Body or
	// DefinitionBody writes: their fixes go there.
	defined map[awsmodel.Service]bool
	// unjudged are the services whose whole CORS configuration is known
	// only at deploy time, with the warning that says so.
	unjudged map[awsmodel.Service]*ParseError
}

func (c *cfnReader) at(n *yaml.Node) awsmodel.Pos { return pos(c.file, n) }

func newCFNReader(file string, resources *yaml.Node) *cfnReader {
	c := &cfnReader{file: file, r: resolver{params: map[string]string{}}, res: map[string]*cfnResource{},
		rest: map[string]*awsmodel.RestAPI{}, http: map[string]*awsmodel.HTTPAPI{},
		samREST: map[string]*samAPI{}, samHTTP: map[string]*samHTTPAPI{}, defined: map[awsmodel.Service]bool{}}
	c.r.params["AWS::Region"] = "us-east-1"
	c.r.params["AWS::URLSuffix"] = "amazonaws.com"
	pairs(resources, func(k, v *yaml.Node) {
		t, _ := c.r.str(get(v, "Type"))
		c.res[k.Value] = &cfnResource{id: k.Value, key: k, typ: t, props: get(v, "Properties")}
		c.ids = append(c.ids, k.Value)
	})
	return c
}

func readCFN(file string, root *yaml.Node) (*Template, error) {
	resources := get(root, "Resources")
	if resources == nil {
		return nil, &ParseError{File: file, Line: root.Line, Msg: "no Resources section"}
	}
	if resources.Kind != yaml.MappingNode {
		return nil, &ParseError{File: file, Line: resources.Line, Msg: "Resources is not a mapping"}
	}
	c := newCFNReader(file, resources)
	c.r.lists = map[string]bool{}
	pairs(get(root, "Parameters"), func(k, v *yaml.Node) {
		typ, _ := c.r.str(get(v, "Type"))
		if strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<") {
			return // the default names the SSM parameter; its value is read at deploy
		}
		if d, ok := c.r.str(get(v, "Default")); ok {
			c.r.params[k.Value] = d
		}
		c.r.lists[k.Value] = typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")
	})
	c.globals = get(root, "Globals")
	c.conditions(get(root, "Conditions"), resources)
	kind := KindCloudFormation
	if isSAM(root, c) {
		kind = KindSAM
	}
	c.read()
	if err := c.r.bomb(file); err != nil {
		return nil, err
	}
	services, notJudged := c.judged(c.out)
	t := &Template{File: file, Kind: kind, Services: services, Warnings: append(c.warnings, notJudged...), Definitions: c.defined}
	if kind == KindSAM {
		t.SAM = c.sam
	}
	return t, nil
}

// conditions evaluates the template's Conditions: Fn::If with a known
// condition becomes its branch, a resource whose Condition is false is
// dropped, and a resource lint reads whose Condition is unknown is kept, with
// a warning.
func (c *cfnReader) conditions(conds, resources *yaml.Node) {
	c.r.conds = conds
	warn := func(w *ParseError) { c.warnings = append(c.warnings, w) }
	c.r.resolveConditions(c.file, c.globals, false, warn)
	ids := c.ids[:0]
	for _, id := range c.ids {
		r := c.res[id]
		if cn := get(get(resources, id), "Condition"); cn != nil && cn.Kind == yaml.ScalarNode {
			v, ok := c.r.condition(cn.Value)
			if ok && !v {
				delete(c.res, id)
				continue
			}
			if !ok && readTypes(r.typ) {
				warn(&ParseError{File: c.file, Line: cn.Line, Msg: fmt.Sprintf("%s is created only when condition %s holds, known only at deploy time: it is read as created", id, cn.Value)})
			}
		}
		r.props = c.resolvedProps(get(resources, id), warn)
		ids = append(ids, id)
	}
	c.ids = ids
}

// resolvedProps resolves the conditions in a resource's Properties.
func (c *cfnReader) resolvedProps(res *yaml.Node, warn func(*ParseError)) *yaml.Node {
	if p := keyNode(res, "Properties"); p != nil {
		v := get(res, "Properties")
		if picked, unresolved := c.r.pick(v); unresolved == "" && picked != v {
			*v = *deref(picked)
		}
		c.r.resolveConditions(c.file, v, false, warn)
		return get(res, "Properties")
	}
	return nil
}

// readTypes are the resource types whose presence changes what lint predicts.
func readTypes(typ string) bool {
	return strings.HasPrefix(typ, "AWS::ApiGateway") || strings.HasPrefix(typ, "AWS::Serverless::") ||
		typ == "AWS::Lambda::Url" || typ == "AWS::S3::Bucket"
}

func isSAM(root *yaml.Node, c *cfnReader) bool {
	tr, _ := c.r.strs(get(root, "Transform"))
	for _, t := range tr {
		if strings.HasPrefix(t, "AWS::Serverless") {
			return true
		}
	}
	for _, r := range c.res {
		if strings.HasPrefix(r.typ, "AWS::Serverless::") {
			return true
		}
	}
	return false
}

func (c *cfnReader) read() {
	// Pass 1: the APIs themselves.
	for _, id := range c.ids {
		r := c.res[id]
		switch r.typ {
		case "AWS::ApiGateway::RestApi":
			api := &awsmodel.RestAPI{ID: id, At: c.at(r.key), GatewayResponses: map[string]*awsmodel.GatewayResponse{}, GatewayAt: c.at(r.key)}
			api.Resources = append(api.Resources, &awsmodel.Resource{Path: "/", At: c.at(r.key)})
			if body := get(r.props, "Body"); body != nil {
				readOpenAPIInto(c.file, &c.r, body, api)
				c.defined[api] = get(body, "paths") != nil
			}
			c.rest[id] = api
			c.out = append(c.out, api)
		case "AWS::ApiGatewayV2::Api":
			if p, _ := c.r.str(get(r.props, "ProtocolType")); p == "WEBSOCKET" {
				continue
			}
			api := &awsmodel.HTTPAPI{ID: id, At: c.at(r.key)}
			api.Cors = c.corsConfig(api, get(r.props, "CorsConfiguration"), keyNode(r.props, "CorsConfiguration"), "AllowOrigins", "AllowMethods", "AllowHeaders", "ExposeHeaders", "MaxAge")
			if body := get(r.props, "Body"); body != nil {
				readOpenAPIHTTP(c.file, &c.r, body, api)
			}
			if t := get(r.props, "Target"); t != nil {
				// Quick create: one $default route to the target.
				api.RouteList = append(api.RouteList, &awsmodel.HTTPRoute{Method: "ANY", Path: "$default", At: c.at(keyNode(r.props, "Target"))})
			}
			c.http[id] = api
			c.out = append(c.out, api)
		case "AWS::Serverless::Api":
			c.samREST[id] = &samAPI{id: id, key: r.key, props: r.props}
		case "AWS::Serverless::HttpApi":
			c.samHTTP[id] = &samHTTPAPI{id: id, key: r.key, props: r.props}
		}
	}
	// Pass 2: what hangs off them.
	paths := map[string]string{}
	for _, id := range c.ids {
		r := c.res[id]
		switch r.typ {
		case "AWS::ApiGateway::Resource":
			api := c.rest[refName(get(r.props, "RestApiId"))]
			if api == nil {
				continue
			}
			p := c.resourcePath(id, paths, 0)
			api.Resources = append(api.Resources, &awsmodel.Resource{Path: p, At: c.at(r.key)})
		case "AWS::ApiGateway::GatewayResponse":
			api := c.rest[refName(get(r.props, "RestApiId"))]
			if api == nil {
				continue
			}
			typ, _ := c.r.str(get(r.props, "ResponseType"))
			g := &awsmodel.GatewayResponse{Type: typ, At: c.at(r.key)}
			g.Status, _ = c.r.integer(get(r.props, "StatusCode"))
			g.Headers = c.params(get(r.props, "ResponseParameters"), "gatewayresponse.header.")
			api.GatewayResponses[typ] = g
		case "AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment":
			if api := c.rest[refName(get(r.props, "RestApiId"))]; api != nil {
				if s, ok := c.r.str(get(r.props, "StageName")); ok && api.Stage == "" {
					api.Stage = s
				}
			}
		case "AWS::Lambda::Url":
			u := &awsmodel.FunctionURL{ID: id, At: c.at(r.key)}
			at, _ := c.r.str(get(r.props, "AuthType"))
			u.IAM = at == "AWS_IAM"
			u.Cors = c.corsConfig(u, get(r.props, "Cors"), keyNode(r.props, "Cors"), "AllowOrigins", "AllowMethods", "AllowHeaders", "ExposeHeaders", "MaxAge")
			c.out = append(c.out, u)
		case "AWS::S3::Bucket":
			c.out = append(c.out, c.bucket(r))
		}
	}
	for _, id := range c.ids {
		r := c.res[id]
		switch r.typ {
		case "AWS::ApiGateway::Method":
			c.method(r, paths)
		case "AWS::ApiGatewayV2::Route":
			api := c.http[refName(get(r.props, "ApiId"))]
			if api == nil {
				continue
			}
			rk, _ := c.r.str(get(r.props, "RouteKey"))
			rt := httpRoute(rk, c.at(r.key))
			if at, _ := c.r.str(get(r.props, "AuthorizationType")); at != "" && at != "NONE" {
				rt.Authorizer = &awsmodel.Authorizer{Type: at, Header: "Authorization", At: c.at(keyNode(r.props, "AuthorizationType"))}
			}
			api.RouteList = append(api.RouteList, rt)
		}
	}
	c.readSAM()
	c.notRead()
	c.behindCloudFront()
}

// behindCloudFront drops the IAM function URLs that are the origin of a
// CloudFront distribution with an origin access control: CloudFront signs
// the requests, pages call the distribution (not modelled), and a page
// calling the URL itself would have to sign. A warning says so.
func (c *cfnReader) behindCloudFront() {
	signed := map[string]*yaml.Node{} // resource ids named by an origin with an OAC
	for _, id := range c.ids {
		r := c.res[id]
		if r.typ != "AWS::CloudFront::Distribution" {
			continue
		}
		for _, o := range items(get(get(r.props, "DistributionConfig"), "Origins")) {
			if get(o, "OriginAccessControlId") == nil {
				continue
			}
			for _, name := range namedIn(get(o, "DomainName")) {
				signed[name] = o
			}
		}
	}
	if len(signed) == 0 {
		return
	}
	out := c.out[:0]
	for _, s := range c.out {
		if u, ok := s.(*awsmodel.FunctionURL); ok && u.IAM && signed[u.ID] != nil {
			c.warnings = append(c.warnings, &ParseError{File: c.file, Line: u.At.Line, Msg: fmt.Sprintf(
				"%s is the origin of a CloudFront distribution with an origin access control, which signs its requests: pages call the distribution, which lint does not model; the URL is not linted as if a page called it", u.ID)})
			continue
		}
		out = append(out, s)
	}
	c.out = out
}

// namedIn lists the logical ids a value refers to (Ref, GetAtt, Sub), at any
// depth of its intrinsics.
func namedIn(n *yaml.Node) []string {
	var out []string
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		n = deref(n)
		if n == nil || depth > 32 {
			return
		}
		if id := refName(n); id != "" {
			out = append(out, id)
		}
		if fn, arg := intrinsic(n); fn == "Fn::Sub" {
			t := arg
			if arg != nil && arg.Kind == yaml.SequenceNode && len(arg.Content) > 0 {
				t = deref(arg.Content[0])
			}
			if t == nil {
				return
			}
			for _, m := range reSubVar.FindAllStringSubmatch(t.Value, -1) {
				out = append(out, strings.SplitN(m[1], ".", 2)[0])
			}
		}
		for _, ch := range n.Content {
			walk(ch, depth+1)
		}
	}
	walk(n, 0)
	return out
}

// notRead warns about what the template keeps elsewhere: an OpenAPI
// definition in S3 or another file, and API Gateway resources of an API the
// template does not define (!ImportValue, a parameter).
func (c *cfnReader) notRead() {
	warn := func(n *yaml.Node, format string, args ...any) {
		c.warnings = append(c.warnings, &ParseError{File: c.file, Line: n.Line, Msg: fmt.Sprintf(format, args...)})
	}
	for _, id := range c.ids {
		r := c.res[id]
		switch r.typ {
		case "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api":
			for _, name := range []string{"DefinitionBody", "Body"} {
				if fn, _ := intrinsic(get(r.props, name)); fn == "Fn::Transform" {
					warn(keyNode(r.props, name), "%s: %s is an AWS::Include (Fn::Transform) of a file in S3: its OpenAPI is not read", id, name)
				}
			}
			for _, name := range []string{"DefinitionUri", "BodyS3Location"} {
				if k := keyNode(r.props, name); k != nil && get(r.props, "DefinitionBody") == nil && get(r.props, "Body") == nil {
					warn(k, "%s: %s names an OpenAPI file lint does not read (only an inline definition is): its paths, integrations and CORS are not predicted", id, name)
				}
			}
		case "AWS::ApiGateway::Resource", "AWS::ApiGateway::Method", "AWS::ApiGateway::GatewayResponse":
			if api := refName(get(r.props, "RestApiId")); c.rest[api] == nil && c.samREST[api] == nil {
				warn(r.key, "%s: RestApiId is not a REST API of this template: not read", id)
			}
		case "AWS::ApiGatewayV2::Route":
			api := refName(get(r.props, "ApiId"))
			if a := c.res[api]; a != nil && a.typ == "AWS::ApiGatewayV2::Api" {
				continue // a WebSocket API: no CORS
			}
			if c.http[api] == nil && c.samHTTP[api] == nil {
				warn(r.key, "%s: ApiId is not an HTTP API of this template: not read", id)
			}
		}
	}
}

// httpRoute parses a RouteKey: "GET /items", "ANY /{proxy+}", "$default".
func httpRoute(key string, at awsmodel.Pos) *awsmodel.HTTPRoute {
	m, p, ok := strings.Cut(strings.TrimSpace(key), " ")
	if !ok {
		return &awsmodel.HTTPRoute{Method: "ANY", Path: "$default", At: at}
	}
	return &awsmodel.HTTPRoute{Method: strings.ToUpper(m), Path: strings.TrimSpace(p), At: at}
}

// resourcePath builds an AWS::ApiGateway::Resource's path from its parents.
func (c *cfnReader) resourcePath(id string, memo map[string]string, depth int) string {
	if p, ok := memo[id]; ok {
		return p
	}
	r := c.res[id]
	if r == nil || depth > 64 {
		return "/"
	}
	part, ok := c.r.str(get(r.props, "PathPart"))
	if !ok {
		part = "{" + id + "}"
	}
	parent := "/"
	pn := get(r.props, "ParentId")
	if getAttName(pn) != "RootResourceId" {
		if pid := refName(pn); pid != "" && c.res[pid] != nil && c.res[pid].typ == "AWS::ApiGateway::Resource" {
			parent = c.resourcePath(pid, memo, depth+1)
		}
	}
	p := strings.TrimSuffix(parent, "/") + "/" + part
	memo[id] = p
	return p
}

func (c *cfnReader) method(r *cfnResource, paths map[string]string) {
	api := c.rest[refName(get(r.props, "RestApiId"))]
	if api == nil {
		return
	}
	rn := get(r.props, "ResourceId")
	path := "/"
	if getAttName(rn) != "RootResourceId" {
		if rid := refName(rn); rid != "" && c.res[rid] != nil {
			path = c.resourcePath(rid, paths, 0)
		}
	}
	res := findResource(api, path, c.at(r.key))
	verb, _ := c.r.str(get(r.props, "HttpMethod"))
	m := &awsmodel.Method{Verb: strings.ToUpper(verb), At: c.at(r.key)}
	if at, _ := c.r.str(get(r.props, "AuthorizationType")); at != "" && at != "NONE" {
		az := &awsmodel.Authorizer{Type: at, Header: "Authorization", At: c.at(keyNode(r.props, "AuthorizationType"))}
		if aid := refName(get(r.props, "AuthorizerId")); aid != "" && c.res[aid] != nil {
			ap := c.res[aid].props
			if t, _ := c.r.str(get(ap, "Type")); t == "COGNITO_USER_POOLS" {
				az.Type = t
			}
			if src, ok := c.r.str(get(ap, "IdentitySource")); ok {
				if h, ok := identityHeader(src); ok {
					az.Header = h
				}
			}
		}
		m.Authorizer = az
	}
	if k, _ := c.r.boolean(get(r.props, "ApiKeyRequired")); k {
		m.APIKey, m.APIKeyAt = true, c.at(keyNode(r.props, "ApiKeyRequired"))
	}
	in := get(r.props, "Integration")
	m.Integration.At = c.at(keyNode(r.props, "Integration"))
	if in != nil {
		t, _ := c.r.str(get(in, "Type"))
		m.Integration.Type = strings.ToUpper(t)
		for _, ir := range items(get(in, "IntegrationResponses")) {
			resp := awsmodel.IntegrationResponse{At: c.at(ir)}
			resp.Status, _ = c.r.integer(get(ir, "StatusCode"))
			resp.Pattern, _ = c.r.str(get(ir, "SelectionPattern"))
			if rp := keyNode(ir, "ResponseParameters"); rp != nil {
				resp.At = c.at(rp)
			}
			resp.Headers = c.params(get(ir, "ResponseParameters"), "method.response.header.")
			m.Integration.Responses = append(m.Integration.Responses, resp)
		}
		if ir := keyNode(in, "IntegrationResponses"); ir != nil {
			m.Integration.At = c.at(ir)
		}
	}
	res.Methods = append(res.Methods, m)
}

// identityHeader reads "method.request.header.Authorization" (the first of
// a comma-separated list) or "$request.header.Authorization".
// identityHeader is the first header an authorizer's identity source names;
// ok is false when src names nothing it knows (then the header the
// authorizer type implies stays). Sources that are query strings, stage
// variables or context values give "" and ok: the page sends no header.
func identityHeader(src string) (header string, ok bool) {
	for _, part := range strings.Split(src, ",") {
		part = strings.TrimSpace(part)
		low := strings.ToLower(part)
		for _, p := range []string{"method.request.header.", "$request.header."} {
			if strings.HasPrefix(low, p) {
				return part[len(p):], true
			}
		}
		for _, p := range []string{"method.request.querystring.", "$request.querystring.", "stagevariables.", "$stagevariables.", "context.", "$context."} {
			if strings.HasPrefix(low, p) {
				ok = true
			}
		}
	}
	return "", ok
}

func findResource(api *awsmodel.RestAPI, path string, at awsmodel.Pos) *awsmodel.Resource {
	for _, r := range api.Resources {
		if r.Path == path {
			return r
		}
	}
	r := &awsmodel.Resource{Path: path, At: at}
	api.Resources = append(api.Resources, r)
	return r
}

// params reads response parameters with prefix into header mappings.
func (c *cfnReader) params(n *yaml.Node, prefix string) []awsmodel.Param {
	return readParams(&c.r, n, prefix)
}

// originList reads an allow-list of origins; one known only at deploy time
// stands for the page's.
func originList(r *resolver, n *yaml.Node) []string {
	out, known := r.strs(n)
	if !known {
		out = append(out, awsmodel.DeployTimeOrigin)
	}
	return out
}

func readParams(r *resolver, n *yaml.Node, prefix string) []awsmodel.Param {
	var out []awsmodel.Param
	pairs(n, func(k, v *yaml.Node) {
		name, ok := strings.CutPrefix(k.Value, prefix)
		if !ok {
			return
		}
		val, known := r.str(v)
		if !known && strings.EqualFold(name, "Access-Control-Allow-Origin") {
			// Known at deploy time only: taken to be the page's origin.
			val, known = "method.request.header.Origin", true
		}
		if !known {
			return
		}
		out = append(out, awsmodel.Param{Name: http.CanonicalHeaderKey(name), Value: val})
	})
	return out
}

// corsConfig reads svc's CorsConfiguration (an HTTP API's) or Cors (a
// function URL's), keys given, as the two spell them alike; nil when absent
// or known only at deploy time.
func (c *cfnReader) corsConfig(svc awsmodel.Service, n, key *yaml.Node, origins, methods, headers, expose, maxAge string) *awsmodel.CorsConfig {
	if c.deployTime(svc, n, key) {
		return nil
	}
	prefix := "CorsConfiguration"
	if key != nil {
		prefix = key.Value
	}
	c.shapes(n, key, prefix, []string{origins, methods, headers, expose, maxAge, "AllowCredentials"}, shapeList, origins, methods, headers, expose)
	return readCorsConfig(&c.r, c.file, n, key, origins, methods, headers, expose, maxAge, "AllowCredentials")
}

// deployTime reports whether svc's whole CORS configuration n (at key) is
// a value known only at deploy time: an intrinsic the template gives no
// literal for (a parameter without Default, Fn::If on an undecided
// condition, Fn::GetAtt, Fn::ImportValue, an unknown serverless variable).
// Whether the service allows the page is then unknown, not "no CORS
// configuration": svc is not predicted (no verdict, no fix adding a second
// configuration), with a warning at key.
func (c *cfnReader) deployTime(svc awsmodel.Service, n, key *yaml.Node) bool {
	fn, arg := intrinsic(n)
	if fn == "" {
		return false
	}
	if _, ok := c.r.str(n); ok {
		return false // a literal: a parameter's Default, a Join of them
	}
	at, prop := n, "CORS configuration"
	if key != nil {
		at, prop = key, key.Value
	}
	what := fn
	if fn == "Ref" && arg.Kind == yaml.ScalarNode {
		// A serverless variable is read as a Ref named by its text.
		what = "!Ref " + arg.Value
		if strings.HasPrefix(arg.Value, "${") {
			what = arg.Value
		}
	}
	if c.unjudged == nil {
		c.unjudged = map[awsmodel.Service]*ParseError{}
	}
	c.unjudged[svc] = &ParseError{File: c.file, Line: at.Line, Col: at.Column, Msg: fmt.Sprintf(
		"%s is %s, known only at deploy time: lint cannot judge what %s %s answers a page, and predicts none of its routes",
		prop, what, svc.Kind(), svc.Name())}
	return true
}

// judged are services less those whose CORS configuration is known only
// at deploy time, and the warnings that name those.
func (c *cfnReader) judged(services []awsmodel.Service) ([]awsmodel.Service, []*ParseError) {
	var kept []awsmodel.Service
	var warnings []*ParseError
	for _, s := range services {
		if w := c.unjudged[s]; w != nil {
			warnings = append(warnings, w)
			continue
		}
		kept = append(kept, s)
	}
	return kept, warnings
}

// The shapes CORS properties take: an HTTP API's and a function URL's
// lists of strings (CloudFormation's AWS::ApiGatewayV2::Api Cors and
// AWS::Lambda::Url Cors), SAM's Api Cors strings (samtranslator's schema:
// AllowOrigin: str).
const (
	shapeList   = "a list"
	shapeString = "a string"
)

// shapes names in a warning what in the CORS mapping n (at key) the
// service refuses at deploy: n itself as a list, a property that is not
// one of known (SAM's AllowOrigin in a function URL's Cors, the HTTP
// API's AllowOrigins in SAM's Api Cors, a misspelt one), and one of shaped
// that is not of the shape want. It returns the properties of the wrong
// shape: what they say is not a value known then, and is not read.
// Intrinsic functions are left to the resolver.
func (c *cfnReader) shapes(n, key *yaml.Node, prefix string, known []string, want string, shaped ...string) map[string]bool {
	wrong := map[string]bool{}
	warn := func(at *yaml.Node, format string, args ...any) {
		c.warnings = append(c.warnings, &ParseError{File: c.file, Line: at.Line, Col: at.Column, Msg: fmt.Sprintf(format, args...)})
	}
	if d := deref(n); d != nil && d.Kind == yaml.SequenceNode && key != nil {
		warn(key, "%s is a list: it takes a mapping (%s), and the deploy refuses it; lint reads no CORS configuration from it", prefix, strings.Join(known, ", "))
		return wrong
	}
	pairs(n, func(k, v *yaml.Node) {
		if !slices.Contains(known, k.Value) {
			if fn, _ := intrinsic(n); fn != "" {
				return
			}
			hint := ""
			for _, x := range known {
				if strings.EqualFold(strings.TrimSuffix(k.Value, "s"), strings.TrimSuffix(x, "s")) {
					hint = " (" + x + " is one)"
				}
			}
			warn(k, "%s.%s is not one of its properties%s: the deploy refuses it (they are %s)", prefix, k.Value, hint, strings.Join(known, ", "))
			return
		}
		if v == nil || !slices.Contains(shaped, k.Value) {
			return
		}
		if fn, _ := intrinsic(v); fn != "" {
			return
		}
		got := ""
		switch {
		case v.Kind == yaml.MappingNode:
			got = "a mapping"
		case v.Kind == yaml.SequenceNode && want == shapeString:
			got = "a list"
		case v.Kind == yaml.ScalarNode && want == shapeList && v.Tag != "!!null":
			got = "a string"
		}
		if got == "" {
			return
		}
		wrong[k.Value] = true
		hint := ""
		if k.Value == "AllowOrigin" && got == "a list" {
			hint = ` (one origin in quotes, "'https://app.example.com'"; several need a response template or the function)`
		}
		warn(k, "%s.%s is %s: it takes %s%s, and the deploy refuses it; lint reads no value from it", prefix, k.Value, got, want, hint)
	})
	return wrong
}

func readCorsConfig(r *resolver, file string, n, key *yaml.Node, origins, methods, headers, expose, maxAge, creds string) *awsmodel.CorsConfig {
	if n == nil {
		return nil
	}
	at := pos(file, key)
	if key == nil {
		at = pos(file, n)
	}
	cc := &awsmodel.CorsConfig{At: at}
	if b, ok := r.boolean(n); ok && n.Kind == yaml.ScalarNode {
		if !b {
			return nil
		}
		// SAM writes allowOrigins ['*'] alone: no methods, no headers
		// (http_api_generator.py _add_cors).
		cc.AllowOrigins = []string{"*"}
		return cc
	}
	if fn, _ := intrinsic(n); fn != "" {
		// Unknown until deploy: assume the page's origin is meant.
		return nil
	}
	cc.AllowOrigins = originList(r, getFold(n, origins))
	cc.AllowMethods, _ = r.strs(getFold(n, methods))
	cc.AllowHeaders, _ = r.strs(getFold(n, headers))
	cc.ExposeHeaders, _ = r.strs(getFold(n, expose))
	cc.MaxAge, _ = r.integer(getFold(n, maxAge))
	cc.AllowCredentials, _ = r.boolean(getFold(n, creds))
	return cc
}

func (c *cfnReader) bucket(r *cfnResource) *awsmodel.Bucket {
	b := &awsmodel.Bucket{ID: r.id, At: c.at(r.key)}
	b.BucketName, _ = c.r.str(get(r.props, "BucketName"))
	cfg := get(r.props, "CorsConfiguration")
	if cfg == nil {
		b.CorsAt = b.At
		return b
	}
	b.CorsAt = c.at(keyNode(r.props, "CorsConfiguration"))
	b.Rules = []awsmodel.S3Rule{}
	for _, rule := range items(get(cfg, "CorsRules")) {
		sr := awsmodel.S3Rule{At: c.at(rule)}
		sr.AllowedOrigins = originList(&c.r, get(rule, "AllowedOrigins"))
		sr.AllowedMethods, _ = c.r.strs(get(rule, "AllowedMethods"))
		sr.AllowedHeaders, _ = c.r.strs(get(rule, "AllowedHeaders"))
		sr.ExposedHeaders, _ = c.r.strs(get(rule, "ExposedHeaders"))
		sr.MaxAge, _ = c.r.integer(get(rule, "MaxAge"))
		b.Rules = append(b.Rules, sr)
	}
	return b
}

// ---- SAM ----

type samAPI struct {
	id    string
	key   *yaml.Node
	props *yaml.Node
	// events: path → method → event
	events []samEvent
}

type samHTTPAPI struct {
	id     string
	key    *yaml.Node
	props  *yaml.Node
	events []samEvent
}

type samEvent struct {
	path, method string
	at           awsmodel.Pos
	auth         *yaml.Node // the event's Auth
}

const (
	implicitREST = platform.SAMImplicitRESTAPI
	implicitHTTP = platform.SAMImplicitHTTPAPI
)

// prop reads a property of a SAM API, falling back to Globals.<section>.
// A value in both is merged as SAM merges it (samMerge).
func (c *cfnReader) prop(props *yaml.Node, section, name string) (*yaml.Node, *yaml.Node) {
	g := get(c.globals, section)
	if v := get(props, name); v != nil {
		if gv := get(g, name); gv != nil {
			return c.r.samMerge(gv, v), keyNode(props, name)
		}
		return v, keyNode(props, name)
	}
	return get(g, name), keyNode(g, name)
}

// samMerge merges a Globals value under a resource's as SAM does
// (samtranslator/plugins/globals/globals.py, _do_merge): two mappings key by
// key, two lists concatenated (the global items first), anything else (an
// intrinsic counts as a scalar, an Fn::If already resolved too) the
// resource's. The nodes keep their lines.
func (r *resolver) samMerge(global, local *yaml.Node) *yaml.Node {
	global, local = deref(global), deref(local)
	token := func(n *yaml.Node) yaml.Kind {
		if fn, _ := intrinsic(n); fn != "" || r.fromIf[n] {
			return yaml.ScalarNode
		}
		if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
			return n.Kind
		}
		return yaml.ScalarNode
	}
	tg, tl := token(global), token(local)
	switch {
	case tg != tl || tg == yaml.ScalarNode:
		return local
	case tg == yaml.SequenceNode:
		out := *local
		out.Content = append(append([]*yaml.Node{}, global.Content...), local.Content...)
		return &out
	}
	out := *local
	out.Content = nil
	for i := 0; i+1 < len(global.Content); i += 2 {
		k, v := global.Content[i], global.Content[i+1]
		if lk := keyNode(local, k.Value); lk != nil {
			k, v = lk, r.samMerge(v, get(local, k.Value))
		}
		out.Content = append(out.Content, k, v)
	}
	for i := 0; i+1 < len(local.Content); i += 2 {
		if keyNode(global, local.Content[i].Value) == nil {
			out.Content = append(out.Content, local.Content[i], local.Content[i+1])
		}
	}
	return &out
}

func (c *cfnReader) readSAM() {
	n := len(c.out)
	defer func() {
		// What SAM resources define; the rest of a SAM template is plain
		// CloudFormation, fixed as such.
		c.sam = map[awsmodel.Service]bool{}
		for _, s := range c.out[n:] {
			c.sam[s] = true
		}
	}()
	for _, id := range c.ids {
		r := c.res[id]
		if r.typ != "AWS::Serverless::Function" {
			continue
		}
		if u := get(r.props, "FunctionUrlConfig"); u != nil {
			fu := &awsmodel.FunctionURL{ID: id + "Url", At: c.at(keyNode(r.props, "FunctionUrlConfig"))}
			at, _ := c.r.str(get(u, "AuthType"))
			fu.IAM = at == "AWS_IAM"
			fu.Cors = c.corsConfig(fu, get(u, "Cors"), keyNode(u, "Cors"), "AllowOrigins", "AllowMethods", "AllowHeaders", "ExposeHeaders", "MaxAge")
			c.out = append(c.out, fu)
		}
		pairs(get(r.props, "Events"), func(k, ev *yaml.Node) {
			t, _ := c.r.str(get(ev, "Type"))
			p := get(ev, "Properties")
			e := samEvent{at: c.at(k), auth: get(p, "Auth")}
			e.path, _ = c.r.str(get(p, "Path"))
			e.method, _ = c.r.str(get(p, "Method"))
			e.method = strings.ToUpper(e.method)
			switch t {
			case "Api":
				apiID := refName(get(p, "RestApiId"))
				if apiID == "" {
					apiID = implicitREST
				}
				a := c.samREST[apiID]
				if a == nil {
					if apiID != implicitREST {
						return
					}
					a = &samAPI{id: implicitREST, key: k}
					c.samREST[apiID] = a
				}
				if e.method == "ANY" || e.method == "X-AMAZON-APIGATEWAY-ANY-METHOD" {
					e.method = "ANY"
				}
				a.events = append(a.events, e)
			case "HttpApi":
				apiID := refName(get(p, "ApiId"))
				if apiID == "" {
					apiID = implicitHTTP
				}
				a := c.samHTTP[apiID]
				if a == nil {
					if apiID != implicitHTTP {
						return
					}
					a = &samHTTPAPI{id: implicitHTTP, key: k}
					c.samHTTP[apiID] = a
				}
				if e.path == "" {
					e.path, e.method = "$default", "ANY"
				}
				if e.method == "" || e.method == "X-AMAZON-APIGATEWAY-ANY-METHOD" {
					e.method = "ANY"
				}
				a.events = append(a.events, e)
			}
		})
	}
	for _, id := range sortedIDs(c.samREST) {
		c.out = append(c.out, c.samRESTAPI(c.samREST[id]))
	}
	for _, id := range sortedIDs(c.samHTTP) {
		c.out = append(c.out, c.samHTTPAPI(c.samHTTP[id]))
	}
}

func sortedIDs[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// samAuthorizer resolves an authorizer name of a SAM API's Auth.
// samHTTPAuthorizer is samAuthorizer for an HttpApi: a Lambda authorizer
// without Identity has no identity source (apigatewayv2.py
// _get_identity_source), so the page need send no header for it.
func (c *cfnReader) samHTTPAuthorizer(auth *yaml.Node, name string, at awsmodel.Pos) *awsmodel.Authorizer {
	az := c.samAuthorizer(auth, name, at)
	def := get(get(auth, "Authorizers"), name)
	if az != nil && az.Type == "CUSTOM" && get(def, "FunctionArn") != nil && get(get(def, "Identity"), "Headers") == nil {
		az.Header = ""
	}
	return az
}

func (c *cfnReader) samAuthorizer(auth *yaml.Node, name string, at awsmodel.Pos) *awsmodel.Authorizer {
	if name == "" || name == "NONE" {
		return nil
	}
	az := &awsmodel.Authorizer{Type: "CUSTOM", Header: "Authorization", At: at}
	if name == "AWS_IAM" {
		az.Type = "AWS_IAM"
		return az
	}
	def := get(get(auth, "Authorizers"), name)
	if get(def, "UserPoolArn") != nil {
		az.Type = "COGNITO_USER_POOLS"
	}
	if get(def, "JwtConfiguration") != nil {
		az.Type = "JWT"
	}
	id := get(def, "Identity")
	if h, ok := c.r.str(get(id, "Header")); ok {
		az.Header = h
	} else if hs, _ := c.r.strs(get(id, "Headers")); len(hs) > 0 {
		az.Header = hs[0]
	} else if src, ok := c.r.str(get(def, "IdentitySource")); ok {
		if h, ok := identityHeader(src); ok {
			az.Header = h
		}
	}
	return az
}

func (c *cfnReader) samRESTAPI(s *samAPI) *awsmodel.RestAPI {
	api := &awsmodel.RestAPI{ID: s.id, At: c.at(s.key), GatewayResponses: map[string]*awsmodel.GatewayResponse{}, GatewayAt: c.at(s.key), Stage: "Prod"}
	if st, ok := c.r.str(get(s.props, "StageName")); ok {
		api.Stage = st
	}
	var bodyMethods []*awsmodel.Method
	if body := get(s.props, "DefinitionBody"); body != nil {
		readOpenAPIInto(c.file, &c.r, body, api)
		c.defined[api] = get(body, "paths") != nil
		for _, res := range api.Resources {
			bodyMethods = append(bodyMethods, res.Methods...)
		}
	}
	auth, _ := c.prop(s.props, "Api", "Auth")
	defName, _ := c.r.str(get(auth, "DefaultAuthorizer"))
	defAt := c.at(keyNode(auth, "DefaultAuthorizer"))
	keyAll, _ := c.r.boolean(get(auth, "ApiKeyRequired"))
	keyAt := c.at(keyNode(auth, "ApiKeyRequired"))
	addAuth := true
	if v, ok := c.r.boolean(get(auth, "AddDefaultAuthorizerToCorsPreflight")); ok {
		addAuth = v
	}
	addKey := true
	if v, ok := c.r.boolean(get(auth, "AddApiKeyRequiredToCorsPreflight")); ok {
		addKey = v
	}
	// The defaults apply to every method of the body as well, an OPTIONS
	// written there included unless the Add…ToCorsPreflight flag is false
	// (api_generator.py _set_default_authorizer, _set_default_apikey_required).
	for _, m := range bodyMethods {
		preflight := m.Verb == http.MethodOptions
		if m.Authorizer == nil && !(preflight && !addAuth) {
			m.Authorizer = c.samAuthorizer(auth, defName, defAt)
		}
		switch {
		case preflight && !addKey:
			m.APIKey = false
		case keyAll:
			m.APIKey, m.APIKeyAt = true, keyAt
		}
	}
	for _, e := range s.events {
		res := findResource(api, e.path, e.at)
		m := &awsmodel.Method{Verb: e.method, At: e.at, Integration: awsmodel.Integration{Type: "AWS_PROXY", At: e.at}}
		name, at := defName, defAt
		if n, ok := c.r.str(get(e.auth, "Authorizer")); ok {
			name, at = n, c.at(keyNode(e.auth, "Authorizer"))
		}
		m.Authorizer = c.samAuthorizer(auth, name, at)
		m.APIKey, m.APIKeyAt = keyAll, keyAt
		if k, ok := c.r.boolean(get(e.auth, "ApiKeyRequired")); ok {
			m.APIKey, m.APIKeyAt = k, c.at(keyNode(e.auth, "ApiKeyRequired"))
		}
		res.Methods = append(res.Methods, m)
	}
	if cn, ck := c.prop(s.props, "Api", "Cors"); cn != nil && !c.deployTime(api, cn, ck) {
		c.samCors(api, cn, ck, auth, defName, defAt, keyAll && addKey, keyAt, addAuth)
	}
	if gr, gk := c.prop(s.props, "Api", "GatewayResponses"); gr != nil {
		api.GatewayAt = c.at(gk)
		pairs(gr, func(k, v *yaml.Node) {
			g := &awsmodel.GatewayResponse{Type: k.Value, At: c.at(k)}
			g.Status, _ = c.r.integer(get(v, "StatusCode"))
			pairs(get(get(v, "ResponseParameters"), "Headers"), func(hk, hv *yaml.Node) {
				if val, ok := c.r.str(hv); ok {
					g.Headers = append(g.Headers, awsmodel.Param{Name: http.CanonicalHeaderKey(hk.Value), Value: val})
				}
			})
			api.GatewayResponses[k.Value] = g
		})
	}
	return api
}

// samCors adds the OPTIONS method SAM generates on every path that has none.
func (c *cfnReader) samCors(api *awsmodel.RestAPI, cn, ck, auth *yaml.Node, defName string, defAt awsmodel.Pos, key bool, keyAt awsmodel.Pos, addAuth bool) {
	origin, headers, methods, maxAge := "'*'", "", "", ""
	creds := false
	if v, ok := c.r.str(cn); ok && cn.Kind == yaml.ScalarNode {
		origin = v
	} else {
		wrong := c.shapes(cn, ck, "Cors", []string{"AllowOrigin", "AllowHeaders", "AllowMethods", "MaxAge", "AllowCredentials"},
			shapeString, "AllowOrigin", "AllowHeaders", "AllowMethods", "MaxAge")
		read := func(name string) string {
			v, _ := c.r.str(get(cn, name))
			if wrong[name] {
				return ""
			}
			return v
		}
		switch v, ok := c.r.str(get(cn, "AllowOrigin")); {
		case wrong["AllowOrigin"]:
			origin = "" // no header: not an origin
		case ok:
			origin = v
		case get(cn, "AllowOrigin") != nil:
			origin = "method.request.header.Origin" // known at deploy time only
		}
		headers, methods, maxAge = read("AllowHeaders"), read("AllowMethods"), read("MaxAge")
		creds, _ = c.r.boolean(get(cn, "AllowCredentials"))
	}
	at := c.at(ck)
	for _, res := range api.Resources {
		if res.Path == "/" && len(res.Methods) == 0 {
			continue
		}
		if hasVerb(res, http.MethodOptions) {
			continue
		}
		ps := []awsmodel.Param{{Name: "Access-Control-Allow-Origin", Value: origin}}
		if headers != "" {
			ps = append(ps, awsmodel.Param{Name: "Access-Control-Allow-Headers", Value: headers})
		}
		ms := methods
		if ms == "" {
			ms = "'" + samMethods(res) + "'"
		}
		ps = append(ps, awsmodel.Param{Name: "Access-Control-Allow-Methods", Value: ms})
		if maxAge != "" {
			ps = append(ps, awsmodel.Param{Name: "Access-Control-Max-Age", Value: maxAge})
		}
		if creds {
			ps = append(ps, awsmodel.Param{Name: "Access-Control-Allow-Credentials", Value: "'true'"})
		}
		m := &awsmodel.Method{Verb: http.MethodOptions, At: at, Integration: awsmodel.Integration{Type: "MOCK", At: at,
			Responses: []awsmodel.IntegrationResponse{{Status: 200, Headers: ps, At: at}}}}
		if addAuth {
			m.Authorizer = c.samAuthorizer(auth, defName, defAt)
		}
		if key {
			m.APIKey, m.APIKeyAt = true, keyAt
		}
		res.Methods = append(res.Methods, m)
	}
}

func hasVerb(r *awsmodel.Resource, verb string) bool {
	for _, m := range r.Methods {
		if m.Verb == verb {
			return true
		}
	}
	return false
}

// samMethods is SAM's computed Access-Control-Allow-Methods: the path's
// methods and OPTIONS, sorted; ANY stands for all of them.
func samMethods(r *awsmodel.Resource) string {
	set := map[string]bool{"OPTIONS": true}
	for _, m := range r.Methods {
		if m.Verb == "ANY" {
			for _, x := range []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"} {
				set[x] = true
			}
			continue
		}
		set[m.Verb] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func (c *cfnReader) samHTTPAPI(s *samHTTPAPI) *awsmodel.HTTPAPI {
	api := &awsmodel.HTTPAPI{ID: s.id, At: c.at(s.key)}
	if body := get(s.props, "DefinitionBody"); body != nil {
		readOpenAPIHTTP(c.file, &c.r, body, api)
	}
	if cn, ck := c.prop(s.props, "HttpApi", "CorsConfiguration"); cn != nil {
		api.Cors = c.corsConfig(api, cn, ck, "AllowOrigins", "AllowMethods", "AllowHeaders", "ExposeHeaders", "MaxAge")
	}
	auth, _ := c.prop(s.props, "HttpApi", "Auth")
	defName, _ := c.r.str(get(auth, "DefaultAuthorizer"))
	defAt := c.at(keyNode(auth, "DefaultAuthorizer"))
	// The default applies to the body's routes too, OPTIONS excepted
	// (open_api.py set_path_default_authorizer).
	for _, rt := range api.RouteList {
		if rt.Authorizer == nil && rt.Method != http.MethodOptions {
			rt.Authorizer = c.samHTTPAuthorizer(auth, defName, defAt)
		}
	}
	for _, e := range s.events {
		rt := &awsmodel.HTTPRoute{Method: e.method, Path: e.path, At: e.at}
		name, at := defName, defAt
		if n, ok := c.r.str(get(e.auth, "Authorizer")); ok {
			name, at = n, c.at(keyNode(e.auth, "Authorizer"))
		}
		rt.Authorizer = c.samHTTPAuthorizer(auth, name, at)
		api.RouteList = append(api.RouteList, rt)
	}
	return api
}

// statusCode parses "200" or 200.
func statusCode(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}
