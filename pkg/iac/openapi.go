package iac

// OpenAPI 3 and Swagger 2 definitions with API Gateway's extensions
// (x-amazon-apigateway-integration, -any-method, -gateway-responses,
// -cors, -authtype, -authorizer): standalone files, and the Body or
// DefinitionBody of a CloudFormation or SAM API.

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

var openAPIMethods = map[string]string{
	"get": "GET", "put": "PUT", "post": "POST", "delete": "DELETE", "patch": "PATCH", "head": "HEAD",
	"options": "OPTIONS", "x-amazon-apigateway-any-method": "ANY",
}

// readOpenAPI reads a standalone definition: an HTTP API when it carries
// x-amazon-apigateway-cors or HTTP API integrations, else a REST API.
func readOpenAPI(file string, root *yaml.Node) (*Template, error) {
	r := &resolver{params: map[string]string{}}
	id := "Api"
	if t, ok := r.str(get(get(root, "info"), "title")); ok && hostName(t) != "" {
		id = t
	}
	var svc awsmodel.Service
	if isHTTPAPIDefinition(root) {
		api := &awsmodel.HTTPAPI{ID: id, At: pos(file, root)}
		readOpenAPIHTTP(file, r, root, api)
		svc = api
	} else {
		api := &awsmodel.RestAPI{ID: id, At: pos(file, root), GatewayResponses: map[string]*awsmodel.GatewayResponse{}, GatewayAt: pos(file, root)}
		readOpenAPIInto(file, r, root, api)
		svc = api
	}
	if err := r.bomb(file); err != nil {
		return nil, err
	}
	return &Template{File: file, Kind: KindOpenAPI, Services: []awsmodel.Service{svc}}, nil
}

func hostName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isHTTPAPIDefinition(root *yaml.Node) bool {
	if get(root, "x-amazon-apigateway-cors") != nil {
		return true
	}
	http := false
	pairs(get(root, "paths"), func(_, item *yaml.Node) {
		pairs(item, func(_, op *yaml.Node) {
			if get(get(op, "x-amazon-apigateway-integration"), "payloadFormatVersion") != nil {
				http = true
			}
		})
	})
	return http
}

// securitySchemes returns the definition's schemes (v3 components or v2
// securityDefinitions).
func securitySchemes(root *yaml.Node) *yaml.Node {
	if s := get(get(root, "components"), "securitySchemes"); s != nil {
		return s
	}
	return get(root, "securityDefinitions")
}

// opSecurity returns the authorizer and API key an operation requires.
func opSecurity(file string, r *resolver, root, op *yaml.Node) (*awsmodel.Authorizer, bool, awsmodel.Pos) {
	sec, key := get(op, "security"), keyNode(op, "security")
	if sec == nil {
		sec, key = get(root, "security"), keyNode(root, "security")
	}
	var az *awsmodel.Authorizer
	apiKey := false
	schemes := securitySchemes(root)
	for _, req := range items(sec) {
		pairs(req, func(k, _ *yaml.Node) {
			s := get(schemes, k.Value)
			name, _ := r.str(get(s, "name"))
			authType, _ := r.str(get(s, "x-amazon-apigateway-authtype"))
			typ, _ := r.str(get(s, "type"))
			azDef := get(s, "x-amazon-apigateway-authorizer")
			switch {
			case typ == "apiKey" && authType == "" && azDef == nil:
				apiKey = true
			default:
				a := &awsmodel.Authorizer{Type: "CUSTOM", Header: "Authorization", At: pos(file, key)}
				switch strings.ToLower(authType) {
				case "cognito_user_pools":
					a.Type = "COGNITO_USER_POOLS"
				case "awssigv4":
					a.Type = "AWS_IAM"
				}
				if t, _ := r.str(get(azDef, "type")); t == "jwt" {
					a.Type = "JWT"
				}
				if name != "" && typ == "apiKey" {
					a.Header = name
				}
				if src, ok := r.str(get(azDef, "identitySource")); ok {
					if h, ok := identityHeader(src); ok {
						a.Header = h
					}
				}
				if az == nil {
					az = a
				}
			}
		})
	}
	return az, apiKey, pos(file, key)
}

// readOpenAPIInto adds a definition's paths and gateway responses to a REST API.
func readOpenAPIInto(file string, r *resolver, root *yaml.Node, api *awsmodel.RestAPI) {
	pairs(get(root, "paths"), func(pk, item *yaml.Node) {
		res := findResource(api, pk.Value, pos(file, pk))
		pairs(item, func(mk, op *yaml.Node) {
			verb, ok := openAPIMethods[strings.ToLower(mk.Value)]
			if !ok {
				return
			}
			m := &awsmodel.Method{Verb: verb, At: pos(file, mk)}
			m.Authorizer, m.APIKey, m.APIKeyAt = opSecurity(file, r, root, op)
			in := get(op, "x-amazon-apigateway-integration")
			m.Integration.At = pos(file, keyNode(op, "x-amazon-apigateway-integration")).Or(pos(file, mk))
			if in != nil {
				t, _ := r.str(get(in, "type"))
				m.Integration.Type = strings.ToUpper(t)
				if rk := keyNode(in, "responses"); rk != nil {
					m.Integration.At = pos(file, rk)
				}
				pairs(get(in, "responses"), func(rk, rv *yaml.Node) {
					ir := awsmodel.IntegrationResponse{At: pos(file, rk)}
					if rk.Value != "default" {
						ir.Pattern = rk.Value
					}
					s, _ := r.str(get(rv, "statusCode"))
					ir.Status = statusCode(s)
					if pk := keyNode(rv, "responseParameters"); pk != nil {
						ir.At = pos(file, pk)
					}
					ir.Headers = readParams(r, get(rv, "responseParameters"), "method.response.header.")
					m.Integration.Responses = append(m.Integration.Responses, ir)
				})
			}
			res.Methods = append(res.Methods, m)
		})
	})
	if gr := get(root, "x-amazon-apigateway-gateway-responses"); gr != nil {
		api.GatewayAt = pos(file, keyNode(root, "x-amazon-apigateway-gateway-responses"))
		pairs(gr, func(k, v *yaml.Node) {
			g := &awsmodel.GatewayResponse{Type: k.Value, At: pos(file, k)}
			s, _ := r.str(get(v, "statusCode"))
			g.Status = statusCode(s)
			g.Headers = readParams(r, get(v, "responseParameters"), "gatewayresponse.header.")
			api.GatewayResponses[k.Value] = g
		})
	}
}

// readOpenAPIHTTP adds a definition's routes and CORS to an HTTP API.
func readOpenAPIHTTP(file string, r *resolver, root *yaml.Node, api *awsmodel.HTTPAPI) {
	if cn := get(root, "x-amazon-apigateway-cors"); cn != nil {
		api.Cors = readCorsConfig(r, file, cn, keyNode(root, "x-amazon-apigateway-cors"), "allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders", "maxAge", "allowCredentials")
	}
	pairs(get(root, "paths"), func(pk, item *yaml.Node) {
		pairs(item, func(mk, op *yaml.Node) {
			verb, ok := openAPIMethods[strings.ToLower(mk.Value)]
			if !ok {
				return
			}
			rt := &awsmodel.HTTPRoute{Method: verb, Path: pk.Value, At: pos(file, mk)}
			if pk.Value == "$default" {
				rt.Method = "ANY"
			}
			rt.Authorizer, _, _ = opSecurity(file, r, root, op)
			api.RouteList = append(api.RouteList, rt)
		})
	})
}
