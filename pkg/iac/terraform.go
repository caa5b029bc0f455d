package iac

// Terraform (HCL): the AWS provider's API Gateway, API Gateway v2, Lambda
// function URL and S3 CORS resources, references between them resolved
// statically (aws_api_gateway_resource.items.id, …root_resource_id).
// Variables, locals and modules are not evaluated: a value that needs them
// is unknown, as a CloudFormation parameter without a default is.

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

// KindTerraform is a Terraform configuration.
const KindTerraform Kind = "terraform"

type tfResource struct {
	typ, name string
	body      *hclsyntax.Body
	at        awsmodel.Pos
}

type tfReader struct {
	file string
	src  []byte
	// ctx knows what a .tf file fixes statically: path.module, and each
	// variable's default (as a CloudFormation parameter's); a variable
	// without default, a local or another resource stays unknown.
	ctx     *hcl.EvalContext
	res     map[string]*tfResource // "type.name"
	ids     []string
	body    tfBody
	defined map[awsmodel.Service]bool // by an OpenAPI body
	inline  map[awsmodel.Service]bool // whose body is jsonencode({...})
}

func readTerraform(file string, data []byte) (*Template, error) {
	if len(data) > maxTerraformBytes {
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("larger than %d bytes (a .tf file is read whole by the HCL parser)", maxTerraformBytes)}
	}
	start := hcl.Pos{Line: 1, Column: 1}
	toks, _ := hclsyntax.LexConfig(data, file, start)
	if err := checkTokens(file, toks); err != nil {
		return nil, err
	}
	f, diags := hclsyntax.ParseConfig(data, file, start)
	if diags.HasErrors() {
		return nil, hclError(file, diags)
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil, &ParseError{File: file, Msg: "not HCL native syntax"}
	}
	t := &tfReader{file: file, src: data, res: map[string]*tfResource{}, defined: map[awsmodel.Service]bool{}, inline: map[awsmodel.Service]bool{}}
	t.body = tfBody{file: file, dir: filepath.Dir(file)}
	defaults := map[string]cty.Value{}
	for _, b := range body.Blocks {
		if b.Type == "variable" && len(b.Labels) == 1 {
			if a := attr(b.Body, "default"); a != nil {
				if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.IsWhollyKnown() && !v.IsNull() {
					defaults[b.Labels[0]] = v
				}
			}
		}
	}
	t.body.scope = map[string]cty.Value{"var": cty.ObjectVal(defaults)}
	for k, v := range rootScope {
		t.body.scope[k] = v
	}
	// locals the file fixes: evaluated in rounds, as one may name another.
	locals := map[string]cty.Value{}
	for round := 0; round < 8; round++ {
		t.body.scope["local"] = cty.ObjectVal(locals)
		ctx := &hcl.EvalContext{Variables: t.body.scope}
		added := false
		for _, b := range body.Blocks {
			if b.Type != "locals" {
				continue
			}
			for name, a := range b.Body.Attributes {
				if _, done := locals[name]; done {
					continue
				}
				if v, diags := a.Expr.Value(ctx); !diags.HasErrors() && v.IsWhollyKnown() && !v.IsNull() {
					locals[name], added = v, true
				}
			}
		}
		if !added {
			break
		}
	}
	t.body.scope["local"] = cty.ObjectVal(locals)
	t.ctx = &hcl.EvalContext{Variables: t.body.scope}
	for _, b := range body.Blocks {
		if b.Type == "module" && len(b.Labels) == 1 {
			src, _ := t.str(b.Body, "source")
			t.body.warn(b.DefRange().Start.Line, "module %q (source %q) is not read: what it creates (an API, its CORS configuration, OPTIONS methods, gateway responses) is not in the prediction; lint the module's own .tf files", b.Labels[0], src)
			continue
		}
		if b.Type != "resource" || len(b.Labels) != 2 {
			continue
		}
		if !t.repeated(b) {
			continue
		}
		r := &tfResource{typ: b.Labels[0], name: b.Labels[1], body: b.Body, at: t.pos(b.DefRange())}
		key := r.typ + "." + r.name
		if _, dup := t.res[key]; !dup {
			t.ids = append(t.ids, key)
		}
		t.res[key] = r
	}
	services, err := t.read()
	if err != nil {
		return nil, err
	}
	t.detached()
	return &Template{File: file, Kind: KindTerraform, Services: services, Warnings: t.body.warnings, Definitions: t.defined, InlineBodies: t.inline}, nil
}

func (t *tfReader) pos(r hcl.Range) awsmodel.Pos {
	return awsmodel.Pos{File: t.file, Line: r.Start.Line, Column: r.Start.Column}
}

func attr(b *hclsyntax.Body, name string) *hclsyntax.Attribute {
	if b == nil {
		return nil
	}
	return b.Attributes[name]
}

func block(b *hclsyntax.Body, typ string) []*hclsyntax.Block {
	if b == nil {
		return nil
	}
	var out []*hclsyntax.Block
	for _, x := range b.Blocks {
		if x.Type == typ {
			out = append(out, x)
		}
	}
	return out
}

// nested returns r's blocks of typ, and the content of each dynamic block
// writing one (how modules make a block optional): read as one block with
// its iterator unknown, with a warning; none when for_each is known to be
// empty. The content is anchored at the dynamic block.
func (t *tfReader) nested(r *tfResource, typ string) []*hclsyntax.Block {
	out := block(r.body, typ)
	for _, d := range block(r.body, "dynamic") {
		if len(d.Labels) != 1 || d.Labels[0] != typ {
			continue
		}
		if v, ok := t.value(attr(d.Body, "for_each")); ok && v.CanIterateElements() && v.LengthInt() == 0 {
			continue
		}
		it := typ
		if a := attr(d.Body, "iterator"); a != nil {
			it = exprText(t.src, a.Expr)
		}
		t.body.warn(d.DefRange().Start.Line, "%s.%s: dynamic %q is not expanded: read as one block, with %s.key and %s.value unknown", r.typ, r.name, typ, it, it)
		for _, c := range block(d.Body, "content") {
			cb := *c
			cb.Type, cb.TypeRange, cb.LabelRanges = typ, d.TypeRange, d.LabelRanges
			out = append(out, &cb)
		}
	}
	return out
}

// value evaluates an expression without variables; ok is false when it
// needs any (a reference, a variable, a function).
func (t *tfReader) value(a *hclsyntax.Attribute) (cty.Value, bool) {
	if a == nil {
		return cty.NilVal, false
	}
	v, diags := a.Expr.Value(t.ctx)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() {
		return cty.NilVal, false
	}
	return v, true
}

func (t *tfReader) str(b *hclsyntax.Body, name string) (string, bool) {
	v, ok := t.value(attr(b, name))
	if !ok {
		return "", false
	}
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Bool:
		if v.True() {
			return "true", true
		}
		return "false", true
	case cty.Number:
		return numberText(v), true
	}
	return "", false
}

func (t *tfReader) strs(b *hclsyntax.Body, name string) ([]string, bool) {
	v, ok := t.value(attr(b, name))
	if !ok {
		return nil, attr(b, name) == nil
	}
	if !v.CanIterateElements() {
		return nil, false
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.Type() != cty.String || e.IsNull() {
			return out, false
		}
		out = append(out, e.AsString())
	}
	return out, true
}

func (t *tfReader) boolean(b *hclsyntax.Body, name string) bool {
	s, _ := t.str(b, name)
	return s == "true"
}

// ref reads a reference such as aws_api_gateway_resource.items.id: the
// resource key and the attribute.
func ref(b *hclsyntax.Body, name string) (key, attribute string) {
	a := attr(b, name)
	if a == nil {
		return "", ""
	}
	st, ok := a.Expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok {
		return "", ""
	}
	var parts []string
	for _, s := range st.Traversal {
		switch x := s.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, x.Name)
		case hcl.TraverseAttr:
			parts = append(parts, x.Name)
		}
	}
	if len(parts) < 3 {
		return "", ""
	}
	return parts[0] + "." + parts[1], parts[2]
}

// params reads a response_parameters map.
func (t *tfReader) params(b *hclsyntax.Body, prefix string) []awsmodel.Param {
	a := attr(b, "response_parameters")
	if a == nil {
		return nil
	}
	oc, ok := a.Expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil
	}
	var out []awsmodel.Param
	for _, it := range oc.Items {
		kv, d1 := it.KeyExpr.Value(t.ctx)
		vv, d2 := it.ValueExpr.Value(t.ctx)
		if d1.HasErrors() || kv.Type() != cty.String || kv.IsNull() {
			continue
		}
		name, ok := strings.CutPrefix(kv.AsString(), prefix)
		if !ok {
			continue
		}
		val := "method.request.header.Origin" // known at deploy time only: the page's
		if !d2.HasErrors() && vv.IsWhollyKnown() && !vv.IsNull() && vv.Type() == cty.String {
			val = vv.AsString()
		} else if !strings.EqualFold(name, "Access-Control-Allow-Origin") {
			continue
		}
		out = append(out, awsmodel.Param{Name: name, Value: val})
	}
	return out
}

func (t *tfReader) cors(b *hclsyntax.Block, prefix string) *awsmodel.CorsConfig {
	cc := &awsmodel.CorsConfig{At: t.pos(b.DefRange())}
	var known bool
	cc.AllowOrigins, known = t.strs(b.Body, prefix+"origins")
	if !known {
		cc.AllowOrigins = append(cc.AllowOrigins, awsmodel.DeployTimeOrigin)
	}
	cc.AllowMethods, _ = t.strs(b.Body, prefix+"methods")
	cc.AllowHeaders, _ = t.strs(b.Body, prefix+"headers")
	cc.ExposeHeaders, _ = t.strs(b.Body, "expose_headers")
	cc.AllowCredentials = t.boolean(b.Body, "allow_credentials")
	if s, ok := t.str(b.Body, "max_age"); ok {
		cc.MaxAge = statusCode(s)
	}
	return cc
}

func (t *tfReader) read() ([]awsmodel.Service, error) {
	var out []awsmodel.Service
	rest := map[string]*awsmodel.RestAPI{}
	httpAPIs := map[string]*awsmodel.HTTPAPI{}
	buckets := map[string]*awsmodel.Bucket{}
	for _, id := range t.ids {
		r := t.res[id]
		switch r.typ {
		case "aws_api_gateway_rest_api":
			api := &awsmodel.RestAPI{ID: r.name, At: r.at, GatewayAt: r.at, GatewayResponses: map[string]*awsmodel.GatewayResponse{}}
			api.Resources = append(api.Resources, &awsmodel.Resource{Path: "/", At: r.at})
			doc, err := t.readBody(r)
			if err != nil {
				return nil, err
			}
			if doc != nil {
				readOpenAPIInto(doc.file, &resolver{}, doc.root, api)
				t.defined[api], t.inline[api] = true, doc.inline
				if mode, _ := t.str(r.body, "put_rest_api_mode"); !strings.EqualFold(mode, "merge") {
					t.overwriteWarning(r.typ+"."+r.name, r.at.Line, `put_rest_api_mode "overwrite" (the default) deletes at each change of body until the next apply re-creates them; put_rest_api_mode = "merge" keeps them`)
				}
			}
			rest[id] = api
			out = append(out, api)
		case "aws_apigatewayv2_api":
			if p, _ := t.str(r.body, "protocol_type"); p == "WEBSOCKET" {
				continue
			}
			api := &awsmodel.HTTPAPI{ID: r.name, At: r.at}
			cfg := t.nested(r, "cors_configuration")
			doc, err := t.readBody(r)
			if err != nil {
				return nil, err
			}
			if doc != nil {
				// Not in t.defined: its CORS fix is the cors_configuration block.
				readOpenAPIHTTP(doc.file, &resolver{}, doc.root, api)
				t.inline[api] = doc.inline
				if api.Cors != nil && len(cfg) == 0 {
					t.body.warn(attr(r.body, "body").SrcRange.Start.Line, "%s: x-amazon-apigateway-cors in body is deleted: after importing the body, the AWS provider sets the API's CORS configuration to the cors_configuration block, and there is none", r.typ+"."+r.name)
				}
				// The provider applies cors_configuration after the import: it wins.
				api.Cors = nil
			}
			if len(cfg) > 0 {
				api.Cors = t.cors(cfg[0], "allow_")
			}
			if attr(r.body, "target") != nil {
				api.RouteList = append(api.RouteList, &awsmodel.HTTPRoute{Method: "ANY", Path: "$default", At: r.at})
			}
			httpAPIs[id] = api
			out = append(out, api)
		case "aws_lambda_function_url":
			u := &awsmodel.FunctionURL{ID: r.name, At: r.at}
			at, _ := t.str(r.body, "authorization_type")
			u.IAM = at == "AWS_IAM"
			if bs := t.nested(r, "cors"); len(bs) > 0 {
				u.Cors = t.cors(bs[0], "allow_")
			}
			out = append(out, u)
		case "aws_s3_bucket":
			b := &awsmodel.Bucket{ID: r.name, At: r.at, CorsAt: r.at}
			b.BucketName, _ = t.str(r.body, "bucket")
			t.s3Rules(b, t.nested(r, "cors_rule"))
			buckets[id] = b
			out = append(out, b)
		}
	}
	t.each("aws_s3_bucket_cors_configuration", func(r *tfResource) {
		key, _ := ref(r.body, "bucket")
		b := buckets[key]
		if b == nil {
			b = &awsmodel.Bucket{ID: r.name, At: r.at}
			b.BucketName, _ = t.str(r.body, "bucket")
			out = append(out, b)
		}
		b.CorsAt = r.at
		t.s3Rules(b, t.nested(r, "cors_rule"))
	})
	if err := t.readPuts(rest); err != nil {
		return nil, err
	}
	t.readREST(rest)
	t.each("aws_apigatewayv2_route", func(r *tfResource) {
		key, _ := ref(r.body, "api_id")
		api := httpAPIs[key]
		if api == nil {
			return
		}
		rk, _ := t.str(r.body, "route_key")
		rt := httpRoute(rk, r.at)
		if at, _ := t.str(r.body, "authorization_type"); at != "" && at != "NONE" {
			rt.Authorizer = &awsmodel.Authorizer{Type: at, Header: "Authorization", At: t.pos(attr(r.body, "authorization_type").SrcRange)}
		}
		api.RouteList = append(api.RouteList, rt)
	})
	return out, nil
}

// readBody reads a resource's body attribute, when it has one.
func (t *tfReader) readBody(r *tfResource) (*bodyDoc, error) {
	a := attr(r.body, "body")
	if a == nil {
		return nil, nil
	}
	return t.body.read(a)
}

// readPuts reads the aws_api_gateway_rest_api_put of each API: its body is
// imported in overwrite mode, so the API is what that body defines. Of
// several, the last in file order is read.
func (t *tfReader) readPuts(rest map[string]*awsmodel.RestAPI) error {
	puts := map[string][]*tfResource{}
	t.each("aws_api_gateway_rest_api_put", func(r *tfResource) {
		if key, _ := ref(r.body, "rest_api_id"); rest[key] != nil {
			puts[key] = append(puts[key], r)
		}
	})
	for _, key := range t.ids {
		rs := puts[key]
		if len(rs) == 0 {
			continue
		}
		r := rs[len(rs)-1]
		if len(rs) > 1 {
			t.body.warn(r.at.Line, "%s: %d aws_api_gateway_rest_api_put write this API, each over the other (a stage serves the one deployed with it): lint reads the last, %s", key, len(rs), r.typ+"."+r.name)
		}
		doc, err := t.readBody(r)
		if err != nil {
			return err
		}
		if doc == nil {
			continue
		}
		api := rest[key]
		api.Resources = []*awsmodel.Resource{{Path: "/", At: api.At}}
		api.GatewayResponses, api.GatewayAt = map[string]*awsmodel.GatewayResponse{}, api.At
		readOpenAPIInto(doc.file, &resolver{}, doc.root, api)
		t.defined[api], t.inline[api] = true, doc.inline
		t.overwriteWarning(key, r.at.Line, r.typ+" imports in overwrite mode, and deletes them when it runs after them")
	}
	return nil
}

// overwriteWarning warns when resources are added to a REST API whose body
// is imported in overwrite mode: each import deletes what the body does not
// define.
func (t *tfReader) overwriteWarning(key string, line int, why string) {
	n := 0
	for _, id := range t.ids {
		r := t.res[id]
		switch r.typ {
		case "aws_api_gateway_resource", "aws_api_gateway_method", "aws_api_gateway_integration", "aws_api_gateway_integration_response":
			if k, _ := ref(r.body, "rest_api_id"); k == key {
				n++
			}
		}
	}
	if n > 0 {
		t.body.warn(line, "%s: %d separate resource(s) add to the body's API, which %s; lint reads the API both make", key, n, why)
	}
}

// each calls fn for the resources of type typ, in file order.
func (t *tfReader) each(typ string, fn func(r *tfResource)) {
	for _, id := range t.ids {
		if r := t.res[id]; r.typ == typ {
			fn(r)
		}
	}
}

func (t *tfReader) s3Rules(b *awsmodel.Bucket, rules []*hclsyntax.Block) {
	if len(rules) == 0 {
		return
	}
	if b.Rules == nil {
		b.Rules = []awsmodel.S3Rule{}
	}
	for _, rb := range rules {
		sr := awsmodel.S3Rule{At: t.pos(rb.DefRange())}
		var known bool
		sr.AllowedOrigins, known = t.strs(rb.Body, "allowed_origins")
		if !known {
			sr.AllowedOrigins = append(sr.AllowedOrigins, awsmodel.DeployTimeOrigin)
		}
		sr.AllowedMethods, _ = t.strs(rb.Body, "allowed_methods")
		sr.AllowedHeaders, _ = t.strs(rb.Body, "allowed_headers")
		sr.ExposedHeaders, _ = t.strs(rb.Body, "expose_headers")
		if s, ok := t.str(rb.Body, "max_age_seconds"); ok {
			sr.MaxAge = statusCode(s)
		}
		b.Rules = append(b.Rules, sr)
	}
}

// httpMethodOf reads http_method, following a reference to a method's.
func (t *tfReader) httpMethodOf(b *hclsyntax.Body) string {
	if m, ok := t.str(b, "http_method"); ok {
		return strings.ToUpper(m)
	}
	if key, a := ref(b, "http_method"); a == "http_method" && t.res[key] != nil {
		m, _ := t.str(t.res[key].body, "http_method")
		return strings.ToUpper(m)
	}
	return ""
}

func (t *tfReader) readREST(rest map[string]*awsmodel.RestAPI) {
	if len(rest) == 0 {
		return
	}
	paths := map[string]string{}
	var pathOf func(key string, depth int) (string, *awsmodel.RestAPI)
	pathOf = func(key string, depth int) (string, *awsmodel.RestAPI) {
		r := t.res[key]
		if r == nil || depth > 64 {
			return "/", nil
		}
		apiKey, _ := ref(r.body, "rest_api_id")
		api := rest[apiKey]
		if p, ok := paths[key]; ok {
			return p, api
		}
		part, ok := t.str(r.body, "path_part")
		if !ok {
			part = "{" + r.name + "}"
		}
		parent := "/"
		if pk, a := ref(r.body, "parent_id"); a == "id" && t.res[pk] != nil && t.res[pk].typ == "aws_api_gateway_resource" {
			parent, _ = pathOf(pk, depth+1)
		}
		p := strings.TrimSuffix(parent, "/") + "/" + part
		paths[key] = p
		return p, api
	}
	resourcePath := func(b *hclsyntax.Body) (string, *awsmodel.RestAPI) {
		apiKey, _ := ref(b, "rest_api_id")
		key, a := ref(b, "resource_id")
		if a == "root_resource_id" || key == "" {
			return "/", rest[apiKey]
		}
		p, _ := pathOf(key, 0)
		return p, rest[apiKey]
	}
	type methodKey struct{ api, path, verb string }
	methods := map[methodKey]*awsmodel.Method{}
	// Methods a body defined; a separate aws_api_gateway_method of the same
	// verb on the same path replaces one (the provider writes it after the import).
	fromBody := map[*awsmodel.Method]bool{}
	for _, api := range rest {
		for _, res := range api.Resources {
			for _, m := range res.Methods {
				fromBody[m] = true
			}
		}
	}
	for _, id := range t.ids {
		r := t.res[id]
		switch r.typ {
		case "aws_api_gateway_resource":
			p, api := pathOf(id, 0)
			if api != nil {
				findResource(api, p, r.at)
			}
		case "aws_api_gateway_gateway_response":
			apiKey, _ := ref(r.body, "rest_api_id")
			api := rest[apiKey]
			if api == nil {
				continue
			}
			typ, _ := t.str(r.body, "response_type")
			g := &awsmodel.GatewayResponse{Type: typ, At: r.at, Headers: t.params(r.body, "gatewayresponse.header.")}
			if s, ok := t.str(r.body, "status_code"); ok {
				g.Status = statusCode(s)
			}
			api.GatewayResponses[typ] = g
		case "aws_api_gateway_stage":
			apiKey, _ := ref(r.body, "rest_api_id")
			if api := rest[apiKey]; api != nil && api.Stage == "" {
				api.Stage, _ = t.str(r.body, "stage_name")
			}
		}
	}
	for _, id := range t.ids {
		r := t.res[id]
		if r.typ != "aws_api_gateway_method" {
			continue
		}
		p, api := resourcePath(r.body)
		if api == nil {
			continue
		}
		m := &awsmodel.Method{Verb: t.httpMethodOf(r.body), At: r.at}
		if az, _ := t.str(r.body, "authorization"); az != "" && az != "NONE" {
			m.Authorizer = &awsmodel.Authorizer{Type: az, Header: "Authorization", At: t.pos(attr(r.body, "authorization").SrcRange)}
			if key, _ := ref(r.body, "authorizer_id"); t.res[key] != nil {
				if src, ok := t.str(t.res[key].body, "identity_source"); ok {
					if h, ok := identityHeader(src); ok {
						m.Authorizer.Header = h
					}
				}
			}
		}
		if t.boolean(r.body, "api_key_required") {
			m.APIKey, m.APIKeyAt = true, t.pos(attr(r.body, "api_key_required").SrcRange)
		}
		res := findResource(api, p, r.at)
		res.Methods = slices.DeleteFunc(res.Methods, func(old *awsmodel.Method) bool { return fromBody[old] && old.Verb == m.Verb })
		res.Methods = append(res.Methods, m)
		methods[methodKey{api.ID, p, m.Verb}] = m
	}
	var irs []*tfResource
	for _, id := range t.ids {
		r := t.res[id]
		switch r.typ {
		case "aws_api_gateway_integration":
			p, api := resourcePath(r.body)
			if api == nil {
				continue
			}
			if m := methods[methodKey{api.ID, p, t.httpMethodOf(r.body)}]; m != nil {
				typ, _ := t.str(r.body, "type")
				m.Integration.Type = strings.ToUpper(typ)
				m.Integration.At = r.at
			}
		case "aws_api_gateway_integration_response":
			irs = append(irs, r)
		}
	}
	for _, r := range irs {
		p, api := resourcePath(r.body)
		if api == nil {
			continue
		}
		m := methods[methodKey{api.ID, p, t.httpMethodOf(r.body)}]
		if m == nil {
			continue
		}
		ir := awsmodel.IntegrationResponse{At: r.at, Headers: t.params(r.body, "method.response.header.")}
		if s, ok := t.str(r.body, "status_code"); ok {
			ir.Status = statusCode(s)
		} else if key, a := ref(r.body, "status_code"); a == "status_code" && t.res[key] != nil {
			s, _ := t.str(t.res[key].body, "status_code")
			ir.Status = statusCode(s)
		}
		ir.Pattern, _ = t.str(r.body, "selection_pattern")
		m.Integration.Responses = append(m.Integration.Responses, ir)
		if !m.Integration.At.Valid() {
			m.Integration.At = r.at
		}
	}
	for _, api := range rest {
		sort.SliceStable(api.Resources, func(i, j int) bool { return api.Resources[i].Path < api.Resources[j].Path })
	}
}

// detached warns about the API Gateway resources of an API this file does
// not define (rest_api_id = var.api_id, a data source, a module's output):
// they are not read, and the API they change is not linted.
func (t *tfReader) detached() {
	for _, id := range t.ids {
		r := t.res[id]
		attrName, apiType := "rest_api_id", "aws_api_gateway_rest_api"
		switch {
		case r.typ == "aws_api_gateway_rest_api" || r.typ == "aws_apigatewayv2_api":
			continue
		case strings.HasPrefix(r.typ, "aws_apigatewayv2_route") || strings.HasPrefix(r.typ, "aws_apigatewayv2_integration"):
			attrName, apiType = "api_id", "aws_apigatewayv2_api"
		case r.typ == "aws_api_gateway_rest_api_put" || r.typ == "aws_api_gateway_resource" || r.typ == "aws_api_gateway_method" ||
			strings.HasPrefix(r.typ, "aws_api_gateway_integration") || r.typ == "aws_api_gateway_method_response" ||
			r.typ == "aws_api_gateway_gateway_response":
		default:
			continue
		}
		a := attr(r.body, attrName)
		if a == nil {
			continue
		}
		if key, _ := ref(r.body, attrName); t.res[key] != nil && t.res[key].typ == apiType {
			continue
		}
		t.body.warn(r.at.Line, "%s: %s (%s) is not an %s of this file: not read", id, attrName, exprText(t.src, a.Expr), apiType)
	}
}

// exprText is an expression's source text, shortened.
func exprText(src []byte, e hclsyntax.Expression) string {
	rg := e.Range()
	if rg.End.Byte > len(src) || rg.Start.Byte >= rg.End.Byte {
		return "?"
	}
	s := string(src[rg.Start.Byte:rg.End.Byte])
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}

// repeated reads a resource's count and for_each, which are not expanded:
// count = 0 creates nothing (false), count = 1 one resource; any other
// count, and every for_each, is read as one resource whose each.key,
// each.value and count.index are unknown, with a warning when lint reads
// the resource's type.
func (t *tfReader) repeated(b *hclsyntax.Block) bool {
	typ := b.Labels[0]
	read := strings.HasPrefix(typ, "aws_api_gateway_") || strings.HasPrefix(typ, "aws_apigatewayv2_") ||
		typ == "aws_lambda_function_url" || strings.HasPrefix(typ, "aws_s3_bucket")
	if a := attr(b.Body, "count"); a != nil {
		if v, ok := t.value(a); ok && v.Type() == cty.Number {
			switch numberText(v) {
			case "0":
				return false
			case "1":
				return true
			}
		}
		if read {
			t.body.warn(b.DefRange().Start.Line, "%s.%s: count (%s) is not expanded: read as one resource, with count.index unknown", typ, b.Labels[1], exprText(t.src, a.Expr))
		}
	}
	if a := attr(b.Body, "for_each"); a != nil && read {
		t.body.warn(b.DefRange().Start.Line, "%s.%s: for_each is not expanded: read as one resource, with each.key and each.value unknown (the paths and methods it makes are not predicted)", typ, b.Labels[1])
	}
	return true
}
