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
	f.Fuzz(func(t *testing.T, data []byte) { readAndAnswer(t, "fuzz.tf", data) })
}
