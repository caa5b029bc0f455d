package lint

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/iac"
)

// FuzzLint: a template that reads is linted without a panic, in its own
// fix forms and in all, and every finding names its file.
func FuzzLint(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/lint/*/*.yaml")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, false)
		}
	}
	// SAM's Globals and DefinitionBody, CORS properties of the wrong
	// shape, a function URL's Cors, a Body with and without paths.
	f.Add([]byte("Transform: AWS::Serverless-2016-10-31\nGlobals: {Api: {Cors: {AllowOrigin: \"'https://app.example.com:443'\", AllowMethods: [GET]}}}\nResources: {F: {Type: AWS::Serverless::Function, Properties: {Events: {E: {Type: Api, Properties: {Path: /a, Method: put}}}, FunctionUrlConfig: {AuthType: NONE, Cors: {AllowOrigin: x, AllowOrigins: [https://b.test, https://c.test]}}}}}\n"), true)
	f.Add([]byte("Transform: AWS::Serverless-2016-10-31\nResources: {A: {Type: AWS::Serverless::Api, Properties: {StageName: p, Cors: {AllowOrigin: [a, b]}, DefinitionBody: {openapi: 3.0.1, paths: {/a: {put: {x-amazon-apigateway-integration: {type: aws_proxy}}}}}}}, F: {Type: AWS::Serverless::Function, Properties: {Events: {E: {Type: Api, Properties: {RestApiId: !Ref A, Path: /a, Method: put}}}}}}\n"), false)
	f.Add([]byte("Resources: {B: {Type: AWS::ApiGateway::RestApi, Properties: {Body: {paths: {/a: {any: {}}}}}}, H: {Type: AWS::ApiGatewayV2::Api, Properties: {ProtocolType: HTTP, CorsConfiguration: [x]}}}\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, all bool) {
		tmpl, err := iac.Read("fuzz.yaml", data)
		if err != nil {
			return
		}
		opts := Options{Origins: []string{"https://app.example.com"}}
		if all {
			opts.FixFormat = "all"
		}
		rep, err := Lint([]*iac.Template{tmpl}, opts)
		if err != nil {
			return
		}
		for _, fd := range rep.Findings {
			if fd.File != "fuzz.yaml" {
				t.Fatalf("finding %s names file %q", fd.Code, fd.File)
			}
		}
	})
}
