package iac

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

func restOf(t *testing.T, tmpl *Template, id string) *awsmodel.RestAPI {
	t.Helper()
	for _, s := range tmpl.Services {
		if r, ok := s.(*awsmodel.RestAPI); ok && r.ID == id {
			return r
		}
	}
	t.Fatalf("no REST API %s in %+v", id, tmpl.Services)
	return nil
}

func method(t *testing.T, api *awsmodel.RestAPI, path, verb string) *awsmodel.Method {
	t.Helper()
	for _, r := range api.Resources {
		if r.Path != path {
			continue
		}
		for _, m := range r.Methods {
			if m.Verb == verb {
				return m
			}
		}
	}
	t.Fatalf("no %s %s", verb, path)
	return nil
}

// YAML and JSON give the same model, with each part's own line and column;
// intrinsics resolve from parameter defaults.
func TestCFNPositionsAndIntrinsics(t *testing.T) {
	yamlDoc := `Parameters:
  Origin: {Type: String, Default: "https://app.example.com"}
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Items:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: items}
  One:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !Ref Items, PathPart: "{id}"}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref One
      HttpMethod: get
      AuthorizationType: COGNITO_USER_POOLS
      Integration:
        Type: AWS
        IntegrationResponses:
          - StatusCode: 200
            ResponseParameters:
              method.response.header.Access-Control-Allow-Origin: !Sub "'${Origin}'"
`
	jsonDoc := `{"Parameters": {"Origin": {"Type": "String", "Default": "https://app.example.com"}},
 "Resources": {
  "Api": {"Type": "AWS::ApiGateway::RestApi"},
  "Items": {"Type": "AWS::ApiGateway::Resource", "Properties": {"RestApiId": {"Ref": "Api"}, "ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "PathPart": "items"}},
  "One": {"Type": "AWS::ApiGateway::Resource", "Properties": {"RestApiId": {"Ref": "Api"}, "ParentId": {"Ref": "Items"}, "PathPart": "{id}"}},
	"Get": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "Api"}, "ResourceId": {"Ref": "One"}, "HttpMethod": "GET",
   "AuthorizationType": "COGNITO_USER_POOLS",
   "Integration": {"Type": "AWS", "IntegrationResponses": [{"StatusCode": "200", "ResponseParameters": {
     "method.response.header.Access-Control-Allow-Origin": {"Fn::Join": ["", ["'", {"Ref": "Origin"}, "'"]]}}}]}}}
 }}`
	tests := []struct {
		name, doc          string
		getLine, getColumn int
		authLine           int
	}{
		{"yaml", yamlDoc, 12, 3, 18},
		{"json with a tab", jsonDoc, 6, 2, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := Read("t", []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if tmpl.Kind != KindCloudFormation {
				t.Errorf("kind %s", tmpl.Kind)
			}
			m := method(t, restOf(t, tmpl, "Api"), "/items/{id}", "GET")
			if m.At.Line != tt.getLine || m.At.Column != tt.getColumn {
				t.Errorf("method at %v, want %d:%d", m.At, tt.getLine, tt.getColumn)
			}
			if m.Authorizer == nil || m.Authorizer.Type != "COGNITO_USER_POOLS" || m.Authorizer.At.Line != tt.authLine {
				t.Errorf("authorizer %+v, want at line %d", m.Authorizer, tt.authLine)
			}
			ir := m.Integration.Responses
			if len(ir) != 1 || ir[0].Status != 200 || len(ir[0].Headers) != 1 || ir[0].Headers[0].Value != "'https://app.example.com'" {
				t.Errorf("integration responses %+v", ir)
			}
		})
	}
}

func TestSAMTransform(t *testing.T) {
	doc := `Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Cors:
      AllowOrigin: "'https://app.example.com'"
    Auth:
      ApiKeyRequired: true
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        A: {Type: Api, Properties: {Path: /a, Method: any}}
        B: {Type: Api, Properties: {Path: /a, Method: get, Auth: {ApiKeyRequired: false}}}
        H: {Type: HttpApi}
      FunctionUrlConfig: {AuthType: NONE}
`
	tmpl, err := Read("t", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if tmpl.Kind != KindSAM || len(tmpl.Services) != 3 {
		t.Fatalf("kind %s, %d services", tmpl.Kind, len(tmpl.Services))
	}
	api := restOf(t, tmpl, "ServerlessRestApi")
	opt := method(t, api, "/a", "OPTIONS")
	if opt.Integration.Type != "MOCK" || !opt.APIKey || opt.At.Line != 4 {
		t.Errorf("generated OPTIONS %+v (SAM puts the API key on it by default)", opt)
	}
	var acam string
	for _, p := range opt.Integration.Responses[0].Headers {
		if p.Name == "Access-Control-Allow-Methods" {
			acam = p.Value
		}
		if p.Name == "Access-Control-Allow-Headers" {
			t.Error("the string-less Cors object without AllowHeaders must map no Access-Control-Allow-Headers")
		}
	}
	if acam != "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'" {
		t.Errorf("Allow-Methods %s", acam)
	}
	if m := method(t, api, "/a", "GET"); m.APIKey {
		t.Error("the event's ApiKeyRequired: false wins")
	}
	var kinds []string
	for _, s := range tmpl.Services {
		kinds = append(kinds, s.Kind())
	}
	if got := strings.Join(kinds, ","); got != "Lambda function URL,REST API,HTTP API" {
		t.Errorf("services %s", got)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"empty", "", "empty document"},
		{"scalar", "hello", "not a mapping"},
		{"syntax", "Resources:\n  A: {\n", "t:"},
		{"resources list", "Resources: [1]\n", "Resources is not a mapping"},
		{"unknown", "a: 1\n", "not a CloudFormation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read("t", []byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
}

// A JSON template YAML cannot read (cdk synth's output is one long line
// when minified) is refused at the line and column JSON's own syntax
// fails, with JSON's reason: YAML's message had no line, or only line 1.
func TestReadJSONSyntaxErrorsSayWhere(t *testing.T) {
	fn := `"Fn": {"Type": "AWS::Serverless::Function"}`
	tests := []struct{ name, doc, want string }{
		{"missing comma", `{"Transform": "AWS::Serverless-2016-10-31" "Resources": {` + fn + `}}`,
			`t.json:1:44: invalid character '"' after object key:value pair`},
		{"cut off", `{"Resources": {` + fn + `}`, "t.json:1:60: unexpected end of JSON input (the file is cut off)"},
		{"BOM", "\ufeff{\"Resources\": {" + fn + "}", "t.json:1:60: unexpected end of JSON input"},
		{"second line", "{\n  \"Resources\": {" + fn + "}\n  \"Outputs\": {}\n}", "t.json:3:3: invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read("t.json", []byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
}

// Terraform's JSON syntax is not read; the error says so rather than that
// the file is no template.
func TestReadTerraformJSON(t *testing.T) {
	_, err := Read("main.tf.json", []byte(`{"resource": {"aws_apigatewayv2_api": {"h": {"protocol_type": "HTTP"}}}}`))
	if err == nil || !strings.Contains(err.Error(), "Terraform JSON") {
		t.Fatalf("error %v, want one naming Terraform JSON", err)
	}
}
