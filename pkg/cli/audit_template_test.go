package cli

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/audit"
	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/iac"
	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// serveModel answers every request as the model says the deployed service
// would, for the request's own origin: the audit's attacker origins get
// what API Gateway, a function URL or S3 would send them.
func serveModel(svc awsmodel.Service, rt awsmodel.Route) http.Handler {
	write := func(w http.ResponseWriter, m *cors.Message) {
		for k, vs := range m.Header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		w.WriteHeader(m.Status)
		w.Write(m.Body)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		h := http.Header{}
		if acrm := r.Header.Get(cors.HeaderRequestMethod); r.Method == http.MethodOptions && acrm != "" {
			for _, n := range strings.Split(r.Header.Get(cors.HeaderRequestHeaders), ",") {
				if n = strings.TrimSpace(n); n != "" {
					h.Set(n, "x")
				}
			}
			req := cors.Request{Method: acrm, Origin: origin, Header: h, Initiator: "fetch"}
			res := awsmodel.Answer(svc, awsmodel.Route{Method: acrm, Path: rt.Path, Pos: rt.Pos, Needs: rt.Needs}, req, nil)
			if res.Exchange.Preflight != nil {
				write(w, res.Exchange.Preflight.Response)
				return
			}
		}
		for _, n := range []string{"Authorization", "Content-Type", "X-Api-Key"} {
			if v := r.Header.Get(n); v != "" {
				h.Set(n, v)
			}
		}
		req := cors.Request{Method: r.Method, Origin: origin, Header: h, Credentials: r.Header.Get("Cookie") != "", Initiator: "fetch"}
		res := awsmodel.Answer(svc, awsmodel.Route{Method: r.Method, Path: rt.Path, Pos: rt.Pos, Needs: rt.Needs}, req, nil)
		write(w, res.Exchange.Actual[0].Response)
	})
}

// The audit judges what templates generate: the policies that let other
// pages in are found, an exact list raises nothing.
func TestAuditOnTemplates(t *testing.T) {
	for _, tc := range []struct {
		name, file, tmpl, method string
		credentials              bool
		// want are the codes found (any severity); no other error or
		// warning may be.
		want []cors.Code
	}{
		{"http api exact list", "t.yaml", `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: i.h
      Runtime: nodejs20.x
      Events:
        Get:
          Type: HttpApi
          Properties: {ApiId: !Ref HttpApi, Path: /me, Method: GET}
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: [https://app.example.com]
        AllowCredentials: true
`, "GET", true, nil},
		{"http api any subdomain", "t.yaml", `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: i.h
      Runtime: nodejs20.x
      Events:
        Get:
          Type: HttpApi
          Properties: {ApiId: !Ref HttpApi, Path: /me, Method: GET}
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: ["https://*.example.com"]
        AllowCredentials: true
`, "GET", true, []cors.Code{"any-subdomain-trusted"}},
		{"rest mock reflects origin", "t.yaml", `Resources:
  RestApi:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: api}
  ApiResource:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref RestApi, ParentId: !GetAtt RestApi.RootResourceId, PathPart: items}
  Options:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RestApi
      ResourceId: !Ref ApiResource
      HttpMethod: OPTIONS
      AuthorizationType: NONE
      Integration:
        Type: MOCK
        RequestTemplates: {application/json: '{"statusCode": 200}'}
        IntegrationResponses:
          - StatusCode: "200"
            ResponseParameters:
              method.response.header.Access-Control-Allow-Origin: method.request.header.Origin
              method.response.header.Access-Control-Allow-Credentials: "'true'"
              method.response.header.Access-Control-Allow-Methods: "'PUT,OPTIONS'"
              method.response.header.Access-Control-Allow-Headers: "'content-type'"
      MethodResponses:
        - StatusCode: "200"
  Put:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RestApi
      ResourceId: !Ref ApiResource
      HttpMethod: PUT
      AuthorizationType: NONE
      Integration: {Type: MOCK, IntegrationResponses: [{StatusCode: "200"}]}
      MethodResponses: [{StatusCode: "200"}]
`, "PUT", true, []cors.Code{"origin-reflected", "null-origin-trusted"}},
		{"serverless origins wildcard", "serverless.yml", `service: s
provider: {name: aws, runtime: nodejs20.x}
functions:
  api:
    handler: h.main
    events:
      - http:
          path: items
          method: put
          cors:
            origins: ["https://app.example.com", "https://*.example.com"]
            allowCredentials: true
`, "PUT", true, []cors.Code{"any-subdomain-trusted"}},
		{"serverless origin without the dot", "serverless.yml", `service: s
provider: {name: aws, runtime: nodejs20.x}
functions:
  api:
    handler: h.main
    events:
      - http:
          path: items
          method: put
          cors:
            origins: ["https://app.example.com", "https://*example.com"]
`, "PUT", false, []cors.Code{"any-subdomain-trusted", "origin-suffix-match"}},
		{"http api prefix pattern", "t.yaml", `Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: api
      ProtocolType: HTTP
      Target: arn:aws:lambda:us-east-1:123456789012:function:fn
      CorsConfiguration:
        AllowOrigins: ["https://app.example.com*"]
        AllowMethods: [GET]
`, "GET", false, []cors.Code{"origin-prefix-match"}},
		{"s3 wildcard subdomain", "t.yaml", `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - AllowedOrigins: ["https://*.example.com"]
            AllowedMethods: [GET]
`, "GET", false, []cors.Code{"any-subdomain-trusted"}},
		{"function url star", "t.yaml", `Resources:
  FunctionUrl:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: arn:aws:lambda:us-east-1:123456789012:function:fn
      AuthType: NONE
      Cors: {AllowOrigins: ["*"]}
`, "GET", false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := iac.Read(tc.file, []byte(tc.tmpl))
			if err != nil {
				t.Fatal(err)
			}
			if len(tmpl.Services) != 1 || len(tmpl.Services[0].Routes()) == 0 {
				t.Fatalf("want one service with a route, got %d", len(tmpl.Services))
			}
			svc := tmpl.Services[0]
			rt := svc.Routes()[0]
			srv := httptest.NewTLSServer(serveModel(svc, rt))
			defer srv.Close()
			res := awsmodel.Answer(svc, awsmodel.Route{Method: tc.method, Path: rt.Path}, cors.Request{Method: tc.method, Origin: "https://app.example.com"}, nil)
			u, _ := url.Parse(res.Exchange.Request.URL)
			_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
			routes, err := probe.ParseRoutes(nil, []string{u.Hostname() + ":443:127.0.0.1:" + port})
			if err != nil {
				t.Fatal(err)
			}
			var h http.Header
			if tc.method == http.MethodPut {
				h = http.Header{"Content-Type": {"application/json"}}
			}
			rep, err := audit.Run(context.Background(), audit.Options{URL: u.String(), Origins: []string{"https://app.example.com"},
				Method: tc.method, Header: h, Credentials: tc.credentials, Client: probe.Options{Insecure: true, Routes: routes}})
			if err != nil {
				t.Fatal(err)
			}
			var all []cors.Code
			for _, f := range rep.Findings {
				all = append(all, f.Code)
				if f.Severity != cors.SeverityInfo && !slices.Contains(tc.want, f.Code) {
					t.Errorf("unexpected %s %s from %s", f.Severity, f.Code, f.Origin)
				}
			}
			for _, w := range tc.want {
				if !slices.Contains(all, w) {
					t.Errorf("no %s; got %v", w, all)
				}
			}
		})
	}
}
