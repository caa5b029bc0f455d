package iac

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

// A YAML merge key (`<<: *defaults`) is read as the tools that deploy the
// file read it (js-yaml for serverless.yml, PyYAML for `sam deploy`): the
// merged keys are the mapping's, the mapping's own keys winning, and among
// several merged mappings the first winning. A quoted "<<" (JSON) is a key.
func TestYAMLMergeKeys(t *testing.T) {
	const sls = "service: s\nprovider: {name: aws}\n" +
		"custom:\n  cors: &cors {origin: 'https://other.example.com', headers: [X-One]}\n" +
		"  more: &more {origin: 'https://third.example.com', headers: [X-Two]}\n" +
		"functions:\n  a:\n    handler: h.a\n    events:\n      - http:\n" +
		"          path: items\n          method: put\n          cors:\n            %s\n"
	const sam = "Transform: AWS::Serverless-2016-10-31\n" +
		"Mappings: {M: {K: &cors {AllowOrigin: \"'https://other.example.com'\", AllowMethods: \"'PUT'\"}}}\n" +
		"Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: x\n" +
		"      Events: {E: {Type: Api, Properties: {Path: /items, Method: put, RestApiId: !Ref Api}}}\n" +
		"  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: p\n" +
		"      Cors: {%s}\n"
	tests := []struct {
		name, file, doc, origin string
	}{
		{"serverless merge", "serverless.yml", fmt.Sprintf(sls, "<<: *cors"), "https://other.example.com"},
		{"own key wins", "serverless.yml",
			fmt.Sprintf(sls, "{<<: *cors, origin: 'https://app.example.com'}"), "https://app.example.com"},
		{"first of a list wins", "serverless.yml", fmt.Sprintf(sls, "<<: [*more, *cors]"), "https://third.example.com"},
		{"sam merge", "template.yaml", fmt.Sprintf(sam, "<<: *cors"), "https://other.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := Read(tt.file, []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, s := range tmpl.Services {
				api, ok := s.(*awsmodel.RestAPI)
				if !ok {
					continue
				}
				res := awsmodel.Answer(api, awsmodel.Route{Method: "PUT", Path: "/items"},
					cors.Request{Method: "PUT", Origin: "https://app.example.com",
						Header: http.Header{"X-One": {"1"}}}, nil)
				if res.Exchange.Preflight != nil {
					got = res.Exchange.Preflight.Response.Header.Get("Access-Control-Allow-Origin")
				}
			}
			if got != tt.origin {
				t.Errorf("preflight Access-Control-Allow-Origin = %q, want %q", got, tt.origin)
			}
		})
	}

	root, err := parseDoc("t.json", []byte(`{"<<": {"a": 1}, "Resources": {}}`))
	if err != nil || get(root, "<<") == nil || get(root, "a") != nil {
		t.Errorf("a quoted \"<<\" is merged: %v", err)
	}
}
