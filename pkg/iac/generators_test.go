package iac

import (
	"slices"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"

	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

// wantWarnings fails t unless tmpl's warnings are as many as prefixes and
// each prefix starts one of them.
func wantWarnings(t *testing.T, tmpl *Template, prefixes []string) {
	t.Helper()
	var ws []string
	for _, w := range tmpl.Warnings {
		ws = append(ws, w.Error())
	}
	for _, want := range prefixes {
		if !slices.ContainsFunc(ws, func(w string) bool { return strings.HasPrefix(w, want) }) {
			t.Errorf("no warning %q in %q", want, ws)
		}
	}
	if len(ws) != len(prefixes) {
		t.Errorf("%d warnings, want %d: %q", len(ws), len(prefixes), ws)
	}
}

func httpOf(t *testing.T, tmpl *Template, id string) *awsmodel.HTTPAPI {
	t.Helper()
	for _, s := range tmpl.Services {
		if h, ok := s.(*awsmodel.HTTPAPI); ok && h.ID == id {
			return h
		}
	}
	t.Fatalf("no HTTP API %s in %+v", id, tmpl.Services)
	return nil
}

// provider.httpApi.cors writes what the Serverless Framework writes
// (lib/plugins/aws/package/compile/events/http-api.js): without
// allowedMethods, OPTIONS and every route's method (ANY: all of them);
// without allowedOrigins, '*'.
func TestServerlessHTTPAPICorsDefaults(t *testing.T) {
	tests := []struct {
		name, cors       string
		origins, methods string
	}{
		{"true", "true", "*", "OPTIONS,POST,PUT,GET,PATCH,HEAD,DELETE"},
		{"object without methods or origins", "{allowedHeaders: [x-custom]}", "*", "OPTIONS,POST,PUT,GET,PATCH,HEAD,DELETE"},
		{"object with its own lists", "{allowedOrigins: [https://app.example.com], allowedMethods: [GET]}", "https://app.example.com", "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := `service: s
provider:
  name: aws
  httpApi:
    cors: ` + tt.cors + `
functions:
  a:
    events:
      - httpApi: {path: /todos, method: post}
      - httpApi: {path: '/todos/{id}', method: put}
  b:
    events:
      - httpApi: {path: /any, method: '*'}
`
			tmpl, err := Read("serverless.yml", []byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			c := httpOf(t, tmpl, "HttpApi").Cors
			if c == nil {
				t.Fatal("no CORS configuration")
			}
			if got := strings.Join(c.AllowOrigins, ","); got != tt.origins {
				t.Errorf("AllowOrigins %s, want %s", got, tt.origins)
			}
			if got := strings.Join(c.AllowMethods, ","); got != tt.methods {
				t.Errorf("AllowMethods %s, want %s", got, tt.methods)
			}
		})
	}
}

// SAM merges a Globals mapping into the resource's key by key, the
// resource's value winning (samtranslator/plugins/globals/globals.py,
// _merge_dict): Auth's AddDefaultAuthorizerToCorsPreflight from Globals
// and the DefaultAuthorizer of the resource both hold.
func TestSAMGlobalsMerge(t *testing.T) {
	doc := `Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Cors:
      AllowMethods: "'*'"
      AllowHeaders: "'content-type,authorization'"
      AllowOrigin: "'*'"
    Auth:
      AddDefaultAuthorizerToCorsPreflight: false
      ApiKeyRequired: true
Resources:
  MyApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      Cors:
        AllowOrigin: "'https://app.example.com'"
      Auth:
        ApiKeyRequired: false
        DefaultAuthorizer: LambdaAuthorizer
        Authorizers:
          LambdaAuthorizer:
            FunctionArn: arn:aws:lambda:us-east-1:123456789012:function:auth
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Post: {Type: Api, Properties: {Path: /likes, Method: post, RestApiId: !Ref MyApi}}
`
	tmpl, err := Read("t", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	api := restOf(t, tmpl, "MyApi")
	if m := method(t, api, "/likes", "POST"); m.Authorizer == nil || m.APIKey {
		t.Errorf("POST: authorizer %+v, API key %v; want the resource's DefaultAuthorizer and its ApiKeyRequired: false", m.Authorizer, m.APIKey)
	}
	opt := method(t, api, "/likes", "OPTIONS")
	if opt.Authorizer != nil || opt.APIKey {
		t.Errorf("generated OPTIONS: authorizer %+v, API key %v; Globals' AddDefaultAuthorizerToCorsPreflight: false keeps it off", opt.Authorizer, opt.APIKey)
	}
	got := map[string]string{}
	for _, p := range opt.Integration.Responses[0].Headers {
		got[p.Name] = p.Value
	}
	want := map[string]string{
		"Access-Control-Allow-Origin":  "'https://app.example.com'",
		"Access-Control-Allow-Headers": "'content-type,authorization'",
		"Access-Control-Allow-Methods": "'*'",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (Globals' Cors merged under the resource's)", k, got[k], v)
		}
	}
}

// The API's DefaultAuthorizer and ApiKeyRequired apply to every method of an
// inline DefinitionBody too, not only to the functions' events
// (api_generator.py _set_default_authorizer and _set_default_apikey_required
// iterate over every path): SAM's tests/translator/input/api_with_cors_and_apikey.yaml.
func TestSAMDefaultsOnDefinitionBody(t *testing.T) {
	doc := `Transform: AWS::Serverless-2016-10-31
Resources:
  MyApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      Cors: "'https://app.example.com'"
      Auth:
        ApiKeyRequired: true
        AddApiKeyRequiredToCorsPreflight: false
        DefaultAuthorizer: Cognito
        Authorizers:
          Cognito: {UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/x}
      DefinitionBody:
        openapi: 3.0.1
        paths:
          /one:
            get:
              x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: x}
          /two:
            get:
              x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: x}
            options:
              x-amazon-apigateway-integration: {type: mock}
`
	tmpl, err := Read("t", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	api := restOf(t, tmpl, "MyApi")
	for _, p := range []string{"/one", "/two"} {
		if m := method(t, api, p, "GET"); m.Authorizer == nil || !m.APIKey {
			t.Errorf("GET %s: authorizer %+v, API key %v; want the defaults", p, m.Authorizer, m.APIKey)
		}
	}
	if m := method(t, api, "/one", "OPTIONS"); m.Authorizer == nil || m.APIKey {
		t.Errorf("generated OPTIONS /one: authorizer %+v, API key %v; want the authorizer (AddDefaultAuthorizerToCorsPreflight defaults to true), no key", m.Authorizer, m.APIKey)
	}
	if m := method(t, api, "/two", "OPTIONS"); m.Authorizer == nil || m.APIKey {
		t.Errorf("the body's own OPTIONS /two: authorizer %+v, API key %v; SAM puts the default authorizer on it too", m.Authorizer, m.APIKey)
	}
}

func preflightHeaders(t *testing.T, api *awsmodel.RestAPI, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	m := method(t, api, path, "OPTIONS")
	for _, p := range m.Integration.Responses[0].Headers {
		out[p.Name] = p.Value
	}
	return out
}

// Intrinsics in their short YAML form (!Join [..], !If [..], !GetAtt [..])
// resolve as the long form does, and a condition known from parameter
// defaults picks its branch of Fn::If (AWS::NoValue removes the property);
// a condition known only at deploy time is left unknown, with a warning at
// its line.
func TestIntrinsicShortFormsAndConditions(t *testing.T) {
	doc := `Transform: AWS::Serverless-2016-10-31
Parameters:
  Origin: {Type: String, Default: "https://app.example.com"}
  Stage: {Type: String, Default: dev}
  Region: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
  InEU: !Equals [!Ref Region, eu-west-1]
  DevOrEU: !Or [!Condition IsDev, !Condition InEU]
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
      Cors:
        AllowOrigin: !Join ["", ["'", !Ref Origin, "'"]]
        AllowHeaders: !If [IsProd, "'content-type'", "'content-type,authorization'"]
        MaxAge: !If [IsDev, !Ref AWS::NoValue, "'600'"]
        AllowMethods: !If [DevOrEU, "'GET,POST,OPTIONS'", "'POST'"]
        AllowCredentials: !If [InEU, true, false]
        ExposeHeaders: !If [IsProd]
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Post: {Type: Api, Properties: {Path: /x, Method: post, RestApiId: !Ref Api}}
`
	tmpl, err := Read("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	h := preflightHeaders(t, restOf(t, tmpl, "Api"), "/x")
	want := map[string]string{
		"Access-Control-Allow-Origin":  "'https://app.example.com'",
		"Access-Control-Allow-Headers": "'content-type,authorization'",
		"Access-Control-Allow-Methods": "'GET,POST,OPTIONS'",
		"Access-Control-Max-Age":       "",
	}
	for k, v := range want {
		if h[k] != v {
			t.Errorf("%s = %q, want %q", k, h[k], v)
		}
	}
	var ws []string
	for _, w := range tmpl.Warnings {
		ws = append(ws, w.Error())
	}
	// ExposeHeaders is no property of SAM's Api Cors (an HTTP API's): a
	// warning of its own says so.
	if len(ws) != 3 || !strings.Contains(ws[0], "t.yaml:21:") || !strings.Contains(ws[0], "InEU") ||
		!strings.HasPrefix(ws[1], "t.yaml:22: Fn::If is not [condition name") ||
		!strings.HasPrefix(ws[2], "t.yaml:22:9: Cors.ExposeHeaders is not one of its properties") {
		t.Errorf("warnings %q, want one at line 21 naming the condition InEU, one at line 22 for the malformed Fn::If, one for ExposeHeaders", ws)
	}
}

// A resource whose Condition is known to be false is not created.
func TestConditionalResource(t *testing.T) {
	doc := `Parameters:
  EnableCors: {Type: String, Default: "false"}
Conditions:
  Cors: !Equals [!Ref EnableCors, "true"]
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Res:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt [Api, RootResourceId], PathPart: items}
  Get:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref Api, ResourceId: !Ref Res, HttpMethod: GET, AuthorizationType: NONE, Integration: {Type: AWS_PROXY}}
  Options:
    Type: AWS::ApiGateway::Method
    Condition: Cors
    Properties: {RestApiId: !Ref Api, ResourceId: !Ref Res, HttpMethod: OPTIONS, AuthorizationType: NONE, Integration: {Type: MOCK}}
`
	tmpl, err := Read("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	api := restOf(t, tmpl, "Api")
	method(t, api, "/items", "GET")
	for _, r := range api.Resources {
		if r.Path == "/items" && hasVerb(r, "OPTIONS") {
			t.Error("the OPTIONS method's Condition is false: it is not created")
		}
	}
}

// A Globals value written as Fn::If is an intrinsic to SAM's merge: the
// resource's value replaces it instead of merging into it.
func TestSAMGlobalsFnIfNotMerged(t *testing.T) {
	doc := `Transform: AWS::Serverless-2016-10-31
Conditions:
  Always: !Equals [a, a]
Globals:
  HttpApi:
    CorsConfiguration: !If [Always, {AllowOrigins: [https://foo.example.com]}, !Ref AWS::NoValue]
Resources:
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: [https://app.example.com]
`
	tmpl, err := Read("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(httpOf(t, tmpl, "HttpApi").Cors.AllowOrigins, ","); got != "https://app.example.com" {
		t.Errorf("AllowOrigins %s, want the resource's alone", got)
	}
}

// What a .tf file does not define is said, not silently left out: a module
// (terraform-aws-modules/apigateway-v2 with its cors_configuration, or
// squidfunk/api-gateway-enable-cors adding OPTIONS to an API) and API Gateway
// resources attached to an API defined elsewhere (var.api_id).
func TestTerraformNotReadWarnings(t *testing.T) {
	doc := `module "api_gateway" {
  source = "terraform-aws-modules/apigateway-v2/aws"
  cors_configuration = { allow_origins = ["*"] }
}

resource "aws_api_gateway_rest_api" "api" {
  name = "x"
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}

module "cors" {
  source          = "squidfunk/api-gateway-enable-cors/aws"
  api_id          = aws_api_gateway_rest_api.api.id
  api_resource_id = aws_api_gateway_resource.items.id
}

resource "aws_api_gateway_method" "options" {
  rest_api_id   = var.api_id
  resource_id   = var.api_resource_id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_apigatewayv2_route" "r" {
  api_id    = data.aws_apigatewayv2_api.shared.id
  route_key = "GET /items"
}
`
	tmpl, err := Read("main.tf", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	wantWarnings(t, tmpl, []string{
		`main.tf:1: module "api_gateway"`,
		`main.tf:16: module "cors"`,
		`main.tf:22: aws_api_gateway_method.options: rest_api_id`,
		`main.tf:29: aws_apigatewayv2_route.r: api_id`,
	})
}

// serverless http events on one path share one OPTIONS, whose cors is the
// union of theirs (validate.js: headers, methods and origins united,
// allowCredentials if any has it); origins are glob patterns echoed by a
// response template (cors.js: dots escaped, * for .+), and cors: true, which
// has no origins, answers '*' without a template.
func TestServerlessRESTCorsMerged(t *testing.T) {
	doc := `service: s
provider: {name: aws}
functions:
  a:
    events:
      - http: {path: items, method: get, cors: true}
  b:
    events:
      - http:
          path: items
          method: put
          cors:
            origins: ['https://*.example.com', 'http://localhost:3000']
            headers: [Content-Type, X-Custom]
            allowCredentials: true
  c:
    events:
      - http: {path: open, method: get, cors: true}
`
	tmpl, err := Read("serverless.yml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	api := restOf(t, tmpl, "ApiGatewayRestApi")
	h := preflightHeaders(t, api, "/items")
	if !strings.Contains(h["Access-Control-Allow-Headers"], "X-Custom") || !strings.Contains(h["Access-Control-Allow-Headers"], "Authorization") {
		t.Errorf("Allow-Headers %s, want the union of both events'", h["Access-Control-Allow-Headers"])
	}
	if h["Access-Control-Allow-Credentials"] != "'true'" {
		t.Errorf("Allow-Credentials %q, want 'true' (one event allows them)", h["Access-Control-Allow-Credentials"])
	}
	for _, m := range []string{"GET", "PUT", "OPTIONS"} {
		if !strings.Contains(h["Access-Control-Allow-Methods"], m) {
			t.Errorf("Allow-Methods %s lacks %s", h["Access-Control-Allow-Methods"], m)
		}
	}
	for _, tt := range []struct{ path, origin, want string }{
		{"/items", "https://app.example.com", "https://app.example.com"},
		{"/items", "http://localhost:3000", "http://localhost:3000"},
		{"/items", "https://app.example.com.evil.test", ""},
		{"/items", "https://evil.test", ""},
		{"/open", "https://evil.test", "*"},
	} {
		res := awsmodel.Answer(api, awsmodel.Route{Method: "PUT", Path: tt.path}, cors.Request{Method: "PUT", Origin: tt.origin}, nil)
		ex := res.Exchange
		if ex.Preflight == nil {
			t.Fatalf("%s: no preflight", tt.path)
		}
		got := ex.Preflight.Response.Header.Get("Access-Control-Allow-Origin")
		if tt.want == "" && (got == tt.origin) || tt.want != "" && got != tt.want {
			t.Errorf("%s from %s: Allow-Origin %q, want %q", tt.path, tt.origin, got, tt.want)
		}
	}
}

// for_each and count are not expanded: a resource using them is read once,
// with a warning at its line, except count = 0 (not created) and count = 1.
func TestTerraformRepeatedResources(t *testing.T) {
	doc := `resource "aws_api_gateway_rest_api" "api" {
  name = "x"
}

resource "aws_api_gateway_resource" "r" {
  for_each    = toset(["items", "users"])
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = each.key
}

resource "aws_api_gateway_method" "options" {
  count         = 0
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_method" "get" {
  count         = var.enabled ? 1 : 0
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_method" "put" {
  count         = 1
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "PUT"
  authorization = "NONE"
}
`
	tmpl, err := Read("main.tf", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var ws []string
	for _, w := range tmpl.Warnings {
		ws = append(ws, w.Error())
	}
	want := []string{"main.tf:5: aws_api_gateway_resource.r: for_each", "main.tf:20: aws_api_gateway_method.get: count"}
	if len(ws) != len(want) {
		t.Fatalf("warnings %q, want %d", ws, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(ws[i], w) {
			t.Errorf("warning %q, want it to start with %q", ws[i], w)
		}
	}
	api := restOf(t, tmpl, "api")
	for _, r := range api.Resources {
		if r.Path == "/" && hasVerb(r, "OPTIONS") {
			t.Error("count = 0: the OPTIONS method is not created")
		}
	}
	method(t, api, "/", "PUT")
}

// Lists in Globals and the resource are concatenated, as SAM's translator
// test http_api_existing_openapi shows (output allowOrigins
// [https://global.com, https://local.com], allowMethods from Globals).
func TestSAMGlobalsListsConcatenated(t *testing.T) {
	doc := `Transform: AWS::Serverless-2016-10-31
Globals:
  HttpApi:
    CorsConfiguration:
      AllowMethods: [GET]
      AllowOrigins: [https://global.com]
      MaxAge: 6000
Resources:
  MyApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: [https://local.com]
`
	tmpl, err := Read("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := httpOf(t, tmpl, "MyApi").Cors
	if got := strings.Join(c.AllowOrigins, ","); got != "https://global.com,https://local.com" {
		t.Errorf("AllowOrigins %s", got)
	}
	if got := strings.Join(c.AllowMethods, ","); got != "GET" || c.MaxAge != 6000 {
		t.Errorf("AllowMethods %s, MaxAge %d: want Globals'", got, c.MaxAge)
	}
}

// Serverless variables: ${self:...} resolves in the file, ${sls:stage} and
// ${opt:stage, 'dev'} to the stage, a fallback is taken when the source is
// not known before deploy (env, ssm, file, cf…); what stays unknown is read
// as an unknown value, with a warning at its line.
func TestServerlessVariables(t *testing.T) {
	doc := `service: s
custom:
  origins:
    dev: https://app.example.com
  allowed:
    - https://app.example.com
    - https://admin.example.com
  headers: Content-Type,X-Custom
provider:
  name: aws
  stage: ${opt:stage, 'dev'}
  httpApi:
    cors:
      allowedOrigins: ${self:custom.allowed}
functions:
  a:
    events:
      - http:
          path: items
          method: put
          cors:
            origin: ${self:custom.origins.${sls:stage}}
            headers: ${self:custom.headers}
      - http:
          path: other
          method: put
          cors:
            origin: ${env:FRONTEND_URL, 'https://app.example.com'}
      - http:
          path: third
          method: put
          cors:
            origin: ${ssm:/app/origin}
      - httpApi: {path: /things, method: put}
resources:
  Resources:
    GatewayResponseDefault4XX:
      Type: AWS::ApiGateway::GatewayResponse
      Properties:
        RestApiId: {Ref: ApiGatewayRestApi}
        ResponseType: DEFAULT_4XX
        ResponseParameters:
          gatewayresponse.header.X-Where: !Sub "'${AWS::Region}/${AWS::StackName}'"
`
	tmpl, err := Read("serverless.yml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(httpOf(t, tmpl, "HttpApi").Cors.AllowOrigins, ","); got != "https://app.example.com,https://admin.example.com" {
		t.Errorf("httpApi allowedOrigins %q", got)
	}
	api := restOf(t, tmpl, "ApiGatewayRestApi")
	if api.Stage != "dev" {
		t.Errorf("stage %q", api.Stage)
	}
	for path, want := range map[string]string{"/items": "'https://app.example.com'", "/other": "'https://app.example.com'"} {
		if got := preflightHeaders(t, api, path)["Access-Control-Allow-Origin"]; got != want {
			t.Errorf("%s: Allow-Origin %q, want %q", path, got, want)
		}
	}
	if got := preflightHeaders(t, api, "/items")["Access-Control-Allow-Headers"]; got != "'Content-Type,X-Custom'" {
		t.Errorf("/items: Allow-Headers %q", got)
	}
	var ws []string
	for _, w := range tmpl.Warnings {
		ws = append(ws, w.Error())
	}
	if len(ws) != 1 || !strings.HasPrefix(ws[0], "serverless.yml:33: ") || !strings.Contains(ws[0], "${ssm:/app/origin}") {
		t.Errorf("warnings %q, want one at line 33 naming ${ssm:/app/origin}", ws)
	}
}

// What a CloudFormation or SAM template keeps elsewhere is warned about:
// an OpenAPI definition in S3 or another file, and API Gateway resources of
// an API the template does not define.
func TestCFNNotReadWarnings(t *testing.T) {
	doc := `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: s3://bucket/openapi.yaml
  Api2:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionUri: ./openapi.yaml
  Rest:
    Type: AWS::ApiGateway::RestApi
    Properties:
      BodyS3Location: {Bucket: b, Key: k}
  M:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !ImportValue SharedApi
      ResourceId: !ImportValue SharedRes
      HttpMethod: GET
      AuthorizationType: NONE
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionUri: s3://bucket/http.yaml
  Ws:
    Type: AWS::ApiGatewayV2::Api
    Properties: {ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
  WsRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Ws, RouteKey: $connect}
`
	tmpl, err := Read("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	// None for the WebSocket API's route.
	wantWarnings(t, tmpl, []string{"t.yaml:7: Api: DefinitionBody", "t.yaml:16: Api2: DefinitionUri", "t.yaml:20: Rest: BodyS3Location", "t.yaml:21: M: RestApiId", "t.yaml:31: Http: DefinitionUri"})
}

// serverless.yml for another provider (azure, google…) is not API Gateway:
// nothing is predicted, with a warning, instead of AWS errors.
func TestServerlessOtherProvider(t *testing.T) {
	doc := `service: azfx-node-http
provider:
  name: azure
  location: West US
functions:
  hello:
    handler: handler.hello
    events:
      - http: true
        x-azure-settings:
          authLevel: anonymous
`
	tmpl, err := Read("serverless.yml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(tmpl.Services) != 0 {
		t.Errorf("%d services read for an azure service", len(tmpl.Services))
	}
	if len(tmpl.Warnings) != 1 || !strings.HasPrefix(tmpl.Warnings[0].Error(), "serverless.yml:3: ") {
		t.Errorf("warnings %v, want one at provider.name", tmpl.Warnings)
	}
}

// httpApi: '*' is the catch-all $default route, any method
// (events/http-api.js: methodPath === '*').
func TestServerlessHTTPAPICatchAll(t *testing.T) {
	doc := `service: s
provider: {name: aws}
functions:
  api:
    handler: index.handler
    events:
      - httpApi: '*'
`
	tmpl, err := Read("serverless.yml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	rts := httpOf(t, tmpl, "HttpApi").RouteList
	if len(rts) != 1 || rts[0].Method != "ANY" || rts[0].Path != "$default" {
		t.Errorf("routes %+v, want ANY $default", rts[0])
	}
}

// An IAM function URL that is the origin of a CloudFront distribution with
// an origin access control is called by CloudFront, which signs; pages call
// the distribution, which lint does not model. The URL is not linted as if
// a page called it (it would need to sign), and a warning says why
// (aws-samples/serverless-patterns cloudfront-lambdafunctionurl-oac-sam).
func TestFunctionURLBehindCloudFrontOAC(t *testing.T) {
	doc := `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      FunctionUrlConfig:
        AuthType: AWS_IAM
  Public:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      FunctionUrlConfig:
        AuthType: AWS_IAM
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - DomainName: !Select [2, !Split ["/", !GetAtt FnUrl.FunctionUrl]]
            Id: origin
            OriginAccessControlId: !Ref Oac
  Oac:
    Type: AWS::CloudFront::OriginAccessControl
    Properties:
      OriginAccessControlConfig:
        Name: oac
        OriginAccessControlOriginType: lambda
        SigningBehavior: always
        SigningProtocol: sigv4
`
	tmpl, err := Read("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range tmpl.Services {
		ids = append(ids, s.Name())
	}
	if strings.Contains(strings.Join(ids, ","), "FnUrl") || !strings.Contains(strings.Join(ids, ","), "PublicUrl") {
		t.Errorf("services %v: want PublicUrl, not FnUrl", ids)
	}
	if len(tmpl.Warnings) != 1 || !strings.HasPrefix(tmpl.Warnings[0].Error(), "t.yaml:7: FnUrl") {
		t.Errorf("warnings %v, want one at FnUrl's FunctionUrlConfig", tmpl.Warnings)
	}
}

// A Terraform variable with a default is its default, as a CloudFormation
// parameter is: in resource attributes and in a body written inline. Without
// default it stays unknown.
func TestTerraformVariableDefaults(t *testing.T) {
	doc := `variable "allowed_origin" {
  type    = string
  default = "https://app.example.com"
}

variable "stage" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = "x"
  body = jsonencode({
    openapi = "3.0.1"
    paths = {
      "/b" = {
        options = {
          x-amazon-apigateway-integration = {
            type = "mock"
            responses = { default = { statusCode = "200", responseParameters = {
              "method.response.header.Access-Control-Allow-Origin" = "'${var.allowed_origin}'"
            } } }
          }
        }
      }
    }
  })
  put_rest_api_mode = "merge"
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_method" "options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.items.id
  http_method = "OPTIONS"
  type        = "MOCK"
}

resource "aws_api_gateway_integration_response" "options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.items.id
  http_method = "OPTIONS"
  status_code = "200"
  response_parameters = {
    "method.response.header.Access-Control-Allow-Origin"  = "'${var.allowed_origin}'"
    "method.response.header.Access-Control-Allow-Headers" = "'${var.stage}'"
  }
}

resource "aws_api_gateway_stage" "s" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = var.stage
}
`
	tmpl, err := Read("main.tf", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	api := restOf(t, tmpl, "api")
	h := preflightHeaders(t, api, "/items")
	if h["Access-Control-Allow-Origin"] != "'https://app.example.com'" {
		t.Errorf("/items Allow-Origin %q, want the variable's default", h["Access-Control-Allow-Origin"])
	}
	if _, ok := h["Access-Control-Allow-Headers"]; ok {
		t.Errorf("Allow-Headers from a variable without default: %q, want unknown (not sent)", h["Access-Control-Allow-Headers"])
	}
	if h := preflightHeaders(t, api, "/b"); h["Access-Control-Allow-Origin"] != "'https://app.example.com'" {
		t.Errorf("/b (inline body) Allow-Origin %q, want the variable's default", h["Access-Control-Allow-Origin"])
	}
}

// locals whose value the file fixes (literals, variables with defaults,
// other such locals) are known too.
func TestTerraformLocals(t *testing.T) {
	doc := `variable "domain" {
  default = "example.com"
}

locals {
  origin  = "https://app.${var.domain}"
  headers = "'${local.allowed}'"
  allowed = "content-type"
  region  = data.aws_region.current.name
}

resource "aws_apigatewayv2_api" "http" {
  name          = "x"
  protocol_type = "HTTP"
  cors_configuration {
    allow_origins = [local.origin]
    allow_methods = ["GET", local.region]
  }
}
`
	tmpl, err := Read("main.tf", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := httpOf(t, tmpl, "http").Cors
	if got := strings.Join(c.AllowOrigins, ","); got != "https://app.example.com" {
		t.Errorf("AllowOrigins %q, want the local's value", got)
	}
}

// An HttpApi's DefaultAuthorizer applies to the DefinitionBody's routes too,
// OPTIONS routes excepted (open_api.py set_path_default_authorizer).
func TestSAMHTTPAPIDefaultAuthorizerOnBody(t *testing.T) {
	doc := `Transform: AWS::Serverless-2016-10-31
Resources:
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt:
            JwtConfiguration: {issuer: https://issuer.example.com, audience: [x]}
            IdentitySource: $request.header.Authorization
      DefinitionBody:
        openapi: 3.0.1
        paths:
          /{proxy+}:
            x-amazon-apigateway-any-method:
              x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: x, payloadFormatVersion: '2.0'}
            options:
              x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: x, payloadFormatVersion: '2.0'}
`
	tmpl, err := Read("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range httpOf(t, tmpl, "HttpApi").RouteList {
		switch rt.Method {
		case "OPTIONS":
			if rt.Authorizer != nil {
				t.Error("OPTIONS /{proxy+}: SAM leaves the default authorizer off it")
			}
		default:
			if rt.Authorizer == nil || rt.Authorizer.Type != "JWT" {
				t.Errorf("%s %s: authorizer %+v, want the JWT default", rt.Method, rt.Path, rt.Authorizer)
			}
		}
	}
}

// An HttpApi Lambda authorizer without Identity has no identity source: the
// page sends no header for it; with Identity.Headers, the first one.
func TestSAMHTTPAPILambdaAuthorizerIdentity(t *testing.T) {
	doc := `Transform: AWS::Serverless-2016-10-31
Resources:
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Plain
        Authorizers:
          Plain: {FunctionArn: arn:aws:lambda:us-east-1:123456789012:function:a, AuthorizerPayloadFormatVersion: 2.0}
          Keyed: {FunctionArn: arn:aws:lambda:us-east-1:123456789012:function:b, Identity: {Headers: [X-Token]}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        A: {Type: HttpApi, Properties: {ApiId: !Ref HttpApi, Path: /a, Method: get}}
        B: {Type: HttpApi, Properties: {ApiId: !Ref HttpApi, Path: /b, Method: get, Auth: {Authorizer: Keyed}}}
`
	tmpl, err := Read("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range httpOf(t, tmpl, "HttpApi").RouteList {
		want := map[string]string{"/a": "", "/b": "X-Token"}[rt.Path]
		if rt.Authorizer == nil || rt.Authorizer.Header != want {
			t.Errorf("%s: authorizer %+v, want header %q", rt.Path, rt.Authorizer, want)
		}
	}
}

// An authorizer whose identity source is a query string (or a stage
// variable, the context) reads no header: the page sends none for it, so it
// makes no preflight (SAM's explicit_http_api.yaml:
// IdentitySource: $request.querystring.param). The first header of a list
// is the one the page sends.
func TestIdentitySourceNotAHeader(t *testing.T) {
	doc := `Transform: AWS::Serverless-2016-10-31
Resources:
  MyApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        Authorizers:
          OAuth2:
            JwtConfiguration: {issuer: https://www.example.com/v1/connect/oidc, audience: [MyApi]}
            IdentitySource: $request.querystring.param
          Mixed:
            JwtConfiguration: {issuer: https://www.example.com/v1/connect/oidc, audience: [MyApi]}
            IdentitySource: $request.querystring.param, $request.header.X-Token
        DefaultAuthorizer: OAuth2
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        A: {Type: HttpApi, Properties: {ApiId: !Ref MyApi, Path: /a, Method: get}}
        B: {Type: HttpApi, Properties: {ApiId: !Ref MyApi, Path: /b, Method: get, Auth: {Authorizer: Mixed}}}
`
	tmpl, err := Read("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range httpOf(t, tmpl, "MyApi").RouteList {
		want := map[string]string{"/a": "", "/b": "X-Token"}[rt.Path]
		if rt.Authorizer == nil || rt.Authorizer.Header != want {
			t.Errorf("%s: authorizer %+v, want header %q", rt.Path, rt.Authorizer, want)
		}
	}
}

// A serverless.yml httpApi route's authorizer type is what
// events/http-api.js writes as its AuthorizationType: request (on the
// event or the provider's authorizer) is CUSTOM, aws_iam AWS_IAM, any
// other JWT. The model answers a JWT authorizer's 401 differently.
func TestServerlessHTTPAPIAuthorizerType(t *testing.T) {
	doc := `service: s
provider:
  name: aws
  httpApi:
    cors: true
    authorizers:
      jwt: {identitySource: $request.header.Authorization, issuerUrl: https://i.example.com, audience: [a]}
      lambda: {type: request, functionName: auth, identitySource: $request.header.X-Token}
functions:
  auth:
    handler: a.h
  a:
    handler: a.h
    events:
      - httpApi: {method: GET, path: /jwt, authorizer: {name: jwt}}
      - httpApi: {method: GET, path: /lambda, authorizer: {name: lambda}}
      - httpApi: {method: GET, path: /shared, authorizer: {id: abc123, type: request}}
      - httpApi: {method: GET, path: /iam, authorizer: {type: aws_iam}}
`
	tmpl, err := Read("serverless.yml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"/jwt": "JWT", "/lambda": "CUSTOM", "/shared": "CUSTOM", "/iam": "AWS_IAM"}
	for _, rt := range httpOf(t, tmpl, "HttpApi").RouteList {
		if rt.Authorizer == nil || rt.Authorizer.Type != want[rt.Path] {
			t.Errorf("%s: authorizer %+v, want type %s", rt.Path, rt.Authorizer, want[rt.Path])
		}
	}
}

// SAM's HttpApi CorsConfiguration: true is x-amazon-apigateway-cors with
// allowOrigins ['*'] and nothing else: no methods, headers or credentials
// (samtranslator/model/api/http_api_generator.py _add_cors, and the
// translator's own output tests/translator/output/httpapi_with_propagate_tags.json).
func TestSAMHTTPAPICorsConfigurationTrue(t *testing.T) {
	doc := `Transform: AWS::Serverless-2016-10-31
Resources:
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration: true
`
	tmpl, err := Read("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := httpOf(t, tmpl, "HttpApi").Cors
	if c == nil {
		t.Fatal("no CORS configuration")
	}
	if strings.Join(c.AllowOrigins, ",") != "*" || c.AllowMethods != nil || c.AllowHeaders != nil ||
		c.ExposeHeaders != nil || c.AllowCredentials || c.MaxAge != 0 {
		t.Errorf("CorsConfiguration true read as %+v, want AllowOrigins * alone", c)
	}
}
