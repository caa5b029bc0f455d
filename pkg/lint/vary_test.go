package lint

import (
	"net/http"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// An HTTP API's CorsConfiguration and a function URL's Cors answer a listed
// origin with Vary: Origin (awsmodel's managedVary), so a right template
// gets no missing-vary-origin. The first is the shape of
// github.com/aws-samples/serverless-patterns cognito-httpapi/template.yaml
// (a JWT authorizer, one origin from a parameter), where it was noise.
func TestManagedCORSSendsVary(t *testing.T) {
	for _, tc := range []struct{ name, tmpl string }{
		{"http api with a jwt authorizer", `Transform: AWS::Serverless-2016-10-31
Parameters:
  Client:
    Type: String
    Default: https://app.example.com
Resources:
  AppApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowMethods: [GET]
        AllowOrigins: [!Ref Client]
        AllowHeaders: [authorization, content-type]
      Auth:
        Authorizers:
          OAuth2Authorizer:
            IdentitySource: "$request.header.Authorization"
            JwtConfiguration:
              issuer: https://issuer.example.com
              audience: [client]
        DefaultAuthorizer: OAuth2Authorizer
  AppFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        AppApi:
          Type: HttpApi
          Properties:
            ApiId: !Ref AppApi
            Path: /
            Method: get
`},
		{"function url", `Resources:
  FunctionUrl:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: arn:aws:lambda:us-east-1:123456789012:function:fn
      AuthType: NONE
      Cors:
        AllowOrigins: ["https://app.example.com"]
        AllowMethods: [PUT]
        AllowHeaders: [content-type]
        AllowCredentials: true
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := lintSource(t, "t.yaml", []byte(tc.tmpl), Options{Origins: []string{"https://app.example.com"},
				Header: http.Header{"Content-Type": {"application/json"}}})
			if len(rep.Results) == 0 {
				t.Fatal("no route predicted")
			}
			for _, f := range rep.Findings {
				if f.Code == cors.CodeMissingVaryOrigin || f.Severity == cors.SeverityError {
					t.Errorf("%s at line %d: %s", f.Code, f.Line, f.Message)
				}
			}
		})
	}
}

// A REST API's integration response that maps a static origin sends it on
// every answer, whatever the request's Origin: Fetch's "CORS protocol and
// HTTP caches" asks for no Vary then (whatwg/fetch#564). A mapping of the
// request's Origin header echoes it, and needs Vary.
func TestRESTStaticOriginNeedsNoVary(t *testing.T) {
	rest := func(value string) string {
		return `Resources:
  RestApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: items
  Items:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref RestApi
      ParentId: !GetAtt RestApi.RootResourceId
      PathPart: items
  GetItems:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RestApi
      ResourceId: !Ref Items
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: MOCK
        IntegrationResponses:
          - StatusCode: "200"
            ResponseParameters:
              method.response.header.Access-Control-Allow-Origin: "` + value + `"
      MethodResponses:
        - StatusCode: "200"
          ResponseParameters:
            method.response.header.Access-Control-Allow-Origin: false
`
	}
	for _, tc := range []struct {
		name, value string
		warn        bool
	}{
		{"static origin", "'https://app.example.com'", false},
		{"the request's origin", "method.request.header.Origin", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := lintSource(t, "t.yaml", []byte(rest(tc.value)), Options{Origins: []string{"https://app.example.com"}})
			if len(rep.Results) == 0 || rep.Blocked() {
				t.Fatalf("want an allowed GET: %+v", rep.Findings)
			}
			warned := false
			for _, f := range rep.Findings {
				warned = warned || f.Code == cors.CodeMissingVaryOrigin
			}
			if warned != tc.warn {
				t.Errorf("missing-vary-origin %v, want %v", warned, tc.warn)
			}
		})
	}
}
