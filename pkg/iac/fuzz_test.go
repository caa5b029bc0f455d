package iac

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

// Templates are untrusted: any bytes give a template or a *ParseError,
// never a panic, and every service read answers a request.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/lint/*/*")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("Resources: {A: {Type: AWS::ApiGateway::Resource, Properties: {ParentId: !Ref A, RestApiId: !Ref A}}}"))
	f.Add([]byte("openapi: 3.0.0\npaths: {/a: {get: {security: [{x: []}]}}}\n"))
	f.Add([]byte("a: &a [*a]\nResources: *a\n"))
	f.Add([]byte("Resources: {D: {Type: AWS::CloudFront::Distribution, Properties: {DistributionConfig: {Origins: [{OriginAccessControlId: x, DomainName: {\"Fn::Sub\": null}}]}}}}"))
	f.Add([]byte("Conditions: {C: !Equals [a, a]}\nResources: &r {A: {Type: AWS::Serverless::Api, Properties: {Cors: !If [C, *r, x]}}}\n"))
	f.Add([]byte("a: &a {x: 1}\nb: &b {<<: *a, y: [*a]}\nResources: {<<: [*b, *a], A: {Type: AWS::Serverless::Api, Properties: {Cors: {<<: *b}}}}\n"))
	f.Add([]byte("M: {a0: &a0 x, a1: &a1 !Join ['', [*a0, *a0]], a2: &a2 !Join ['', [*a1, *a1]]}\nResources: {U: {Type: AWS::Lambda::Url, Properties: {Cors: {AllowOrigins: [*a2, !Select [0, [*a2]]]}}}}\n"))
	// Today's shapes: SAM's Globals Cors and a DefinitionBody, CORS
	// properties of the wrong shape, a list where a mapping goes.
	f.Add([]byte("Transform: AWS::Serverless-2016-10-31\nGlobals: {Api: {Cors: {AllowOrigin: [\"'https://a.test'\"], AllowMethods: {x: 1}, AllowOrigins: x}}}\nResources: {F: {Type: AWS::Serverless::Function, Properties: {Events: {E: {Type: Api, Properties: {Path: /a, Method: put}}}, FunctionUrlConfig: {AuthType: NONE, Cors: [a]}}}}}\n"))
	f.Add([]byte("Transform: AWS::Serverless-2016-10-31\nResources: {A: {Type: AWS::Serverless::Api, Properties: {StageName: p, Cors: \"'https://a.test:443'\", DefinitionBody: {openapi: 3.0.1, paths: {/a: {options: {x-amazon-apigateway-integration: {type: mock}}}}}}}, B: {Type: AWS::ApiGateway::RestApi, Properties: {Body: {paths: null}}}}\n"))
	f.Add([]byte("Resources: {H: {Type: AWS::ApiGatewayV2::Api, Properties: {ProtocolType: HTTP, CorsConfiguration: {AllowOrigins: [https://a.test, https://a.test/, 'https://*.b.test', https://c.test:443, https://d.test], AllowMethods: GET, AllowOrigin: x}}}, U: {Type: AWS::Lambda::Url, Properties: {Cors: {AllowOrigins: \"https://a.test\"}}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) { readAndAnswer(t, "fuzz.yaml", data) })
}

// readAndAnswer reads data as file: a template or a *ParseError naming the
// file, and every service read answers a request.
func readAndAnswer(t *testing.T, file string, data []byte) {
	tmpl, err := Read(file, data)
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) || pe.File != file {
			t.Fatalf("error %v is not a *ParseError naming the file", err)
		}
		return
	}
	for _, s := range tmpl.Services {
		for i, r := range s.Routes() {
			if i > 3 {
				break
			}
			awsmodel.Answer(s, r, cors.Request{Method: "PUT", Origin: "https://app.example.com"}, nil)
		}
	}
}

// Terraform files are untrusted too.
func FuzzReadTerraform(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/lint/*/*.tf")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`resource "aws_api_gateway_resource" "a" { parent_id = aws_api_gateway_resource.a.id, rest_api_id = aws_api_gateway_rest_api.x.id }`))
	f.Add([]byte("resource \"aws_s3_bucket\" \"b\" {\n  dynamic \"cors_rule\" {\n    for_each = var.x\n    iterator = r\n    content { allowed_origins = [r.value] }\n  }\n  dynamic \"cors_rule\" {\n    for_each = []\n  }\n}\n"))
	// Bodies: the files they name are in the folder of the fuzzed file.
	dir := f.TempDir()
	for name, text := range map[string]string{
		"openapi.yaml": "openapi: 3.0.1\npaths: {/a: {put: {x-amazon-apigateway-integration: {type: aws, responses: {default: {responseParameters: {method.response.header.Access-Control-Allow-Origin: \"'${origin}'\"}}}}}}}\n",
		"t.json":       `{"openapi": "3.0.1", "paths": {"/${p}": {%{ if x }"get": {}%{ endif }}}}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	for _, body := range []string{
		`jsonencode({ paths = { "/a" = { get = {}, options = { x-amazon-apigateway-integration = { type = "mock" } } } } })`,
		`jsonencode({ paths = { "/${var.p}" = { put = { security = [{ a = [] }] } } }, x-amazon-apigateway-gateway-responses = { DEFAULT_4XX = { statusCode = 1e300 } } })`,
		`file("${path.module}/openapi.yaml")`,
		`jsonencode(yamldecode(file("openapi.yaml")))`,
		`templatefile("openapi.yaml", { origin = var.o })`,
		`templatefile("t.json", { x = true, p = "a" })`,
		`file("../openapi.yaml")`,
		`jsonencode(true ? { paths = {} } : local.x)`,
		"<<-EOT\n  openapi: 3.0.1\n  paths: {/a: {get: {}, options: {x-amazon-apigateway-integration: {type: mock}}}}\n  EOT",
	} {
		f.Add([]byte("resource \"aws_api_gateway_rest_api\" \"x\" {\n  body = " + body + "\n}\n" +
			"resource \"aws_apigatewayv2_api\" \"h\" {\n  protocol_type = \"HTTP\"\n  body = " + body + "\n}\n" +
			"resource \"aws_api_gateway_rest_api_put\" \"p\" {\n  rest_api_id = aws_api_gateway_rest_api.x.id\n  body = " + body + "\n}\n" +
			"resource \"aws_api_gateway_method\" \"m\" {\n  rest_api_id = aws_api_gateway_rest_api.x.id\n  resource_id = aws_api_gateway_rest_api.x.root_resource_id\n  http_method = \"GET\"\n}\n"))
	}
	file := filepath.Join(dir, "fuzz.tf")
	f.Fuzz(func(t *testing.T, data []byte) { readAndAnswer(t, file, data) })
}
