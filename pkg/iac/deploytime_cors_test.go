package iac

import (
	"os"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

// A CORS configuration that is wholly a value known only at deploy time
// (an intrinsic without a literal the template gives, an unknown
// serverless variable) is not read as "no CORS configuration": its
// service is not predicted, with a warning at the property. One the
// template resolves (a parameter's Default, a decided Fn::If) is read.
func TestDeployTimeCorsConfiguration(t *testing.T) {
	fixture, err := os.ReadFile("testdata/sam-http-api-cors-deploy-time.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const sam = "Transform: AWS::Serverless-2016-10-31\n"
	const fn = `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Put: {Type: HttpApi, Properties: {ApiId: !Ref HttpApi, Path: /items, Method: put}}
`
	const restFn = `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Put: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /items, Method: put}}
`
	tests := []struct {
		name, file, doc string
		id              string // the service the CORS configuration is of
		judged          bool   // the service is predicted
		warn            string // a warning holding this, "" none about it
		line            int
		origins         []string // judged HTTP API: its AllowOrigins
	}{
		{name: "fixture: HttpApi !Ref without default", file: "testdata/sam-http-api-cors-deploy-time.yaml", doc: string(fixture),
			id: "HttpApi", warn: "CorsConfiguration is !Ref Cors, known only at deploy time", line: 15},
		{name: "HttpApi !Ref with default true", doc: sam + "Parameters: {Cors: {Type: String, Default: 'true'}}\nResources:\n" +
			"  HttpApi:\n    Type: AWS::Serverless::HttpApi\n    Properties: {CorsConfiguration: !Ref Cors}\n" + fn,
			id: "HttpApi", judged: true, origins: []string{"*"}},
		{name: "HttpApi Fn::If undecided", doc: sam + "Parameters: {Env: {Type: String}}\n" +
			"Conditions: {Prod: !Equals [!Ref Env, prod]}\nResources:\n" +
			"  HttpApi:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n" +
			"      CorsConfiguration: !If [Prod, {AllowOrigins: [https://app.example.com]}, !Ref AWS::NoValue]\n" + fn,
			id: "HttpApi", warn: "CorsConfiguration is Fn::If, known only at deploy time", line: 8},
		{name: "HttpApi Fn::If decided", doc: sam + "Parameters: {Env: {Type: String, Default: prod}}\n" +
			"Conditions: {Prod: !Equals [!Ref Env, prod]}\nResources:\n" +
			"  HttpApi:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n" +
			"      CorsConfiguration: !If [Prod, {AllowOrigins: [https://app.example.com]}, !Ref AWS::NoValue]\n" + fn,
			id: "HttpApi", judged: true, origins: []string{"https://app.example.com"}},
		{name: "HttpApi Fn::ImportValue in Globals", doc: sam + "Globals:\n  HttpApi:\n    CorsConfiguration: !ImportValue shared-cors\n" +
			"Resources:\n  HttpApi:\n    Type: AWS::Serverless::HttpApi\n" + fn,
			id: "HttpApi", warn: "CorsConfiguration is Fn::ImportValue, known only at deploy time", line: 4},
		{name: "SAM Api Cors !GetAtt", doc: sam + "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n" +
			"    Properties: {StageName: prod, Cors: !GetAtt Config.Cors}\n" + restFn,
			id: "Api", warn: "Cors is Fn::GetAtt, known only at deploy time", line: 5},
		{name: "SAM Api Cors !Ref with default", doc: sam + "Parameters: {Origin: {Type: String, Default: \"'https://app.example.com'\"}}\n" +
			"Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: prod, Cors: !Ref Origin}\n" + restFn,
			id: "Api", judged: true},
		{name: "CloudFormation ApiGatewayV2 Api", doc: "Parameters: {Cors: {Type: String}}\nResources:\n" +
			"  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      ProtocolType: HTTP\n" +
			"      CorsConfiguration: {Ref: Cors}\n      Target: arn:aws:lambda:us-east-1:1:function:f\n",
			id: "Api", warn: "CorsConfiguration is !Ref Cors, known only at deploy time", line: 7},
		{name: "function URL Cors", doc: "Resources:\n  Url:\n    Type: AWS::Lambda::Url\n" +
			"    Properties: {AuthType: NONE, TargetFunctionArn: x, Cors: !ImportValue cors}\n",
			id: "Url", warn: "Cors is Fn::ImportValue, known only at deploy time", line: 4},
		{name: "serverless httpApi cors ${param:…}", file: "serverless.yml", doc: "service: s\nprovider:\n  name: aws\n" +
			"  httpApi:\n    cors: ${param:cors}\nfunctions:\n  f:\n    events:\n      - httpApi: PUT /items\n",
			id: "HttpApi", warn: "cors is ${param:cors}, known only at deploy time", line: 5},
		{name: "serverless http event cors ${ssm:…}", file: "serverless.yml", doc: "service: s\nprovider:\n  name: aws\n" +
			"functions:\n  f:\n    events:\n      - http: {path: items, method: put, cors: '${ssm:/app/cors}'}\n",
			id: "ApiGatewayRestApi", warn: "cors is ${ssm:/app/cors}, known only at deploy time", line: 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = "template.yaml"
			}
			tmpl, err := Read(file, []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			var svc awsmodel.Service
			for _, s := range tmpl.Services {
				if s.Name() == tt.id {
					svc = s
				}
			}
			if (svc != nil) != tt.judged {
				t.Errorf("service %s predicted = %v, want %v (services %v)", tt.id, svc != nil, tt.judged, tmpl.Services)
			}
			found := false
			for _, w := range tmpl.Warnings {
				if tt.warn != "" && strings.Contains(w.Msg, tt.warn) {
					found = true
					if w.Line != tt.line {
						t.Errorf("warning at line %d, want %d: %s", w.Line, tt.line, w.Msg)
					}
				}
				if tt.judged && strings.Contains(w.Msg, "known only at deploy time: lint") {
					t.Errorf("resolved configuration warned about: %s", w.Msg)
				}
			}
			if tt.warn != "" && !found {
				t.Errorf("no warning holding %q in %v", tt.warn, tmpl.Warnings)
			}
			if api, ok := svc.(*awsmodel.HTTPAPI); ok && tt.origins != nil {
				if api.Cors == nil || strings.Join(api.Cors.AllowOrigins, " ") != strings.Join(tt.origins, " ") {
					t.Errorf("Cors = %+v, want AllowOrigins %v", api.Cors, tt.origins)
				}
			}
		})
	}
}
