package iac

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

// readTF writes files into a folder and reads main.tf from it; a text
// "symlink:TARGET" makes a symbolic link.
func readTF(t *testing.T, files map[string]string) (*Template, string, error) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(text, "symlink:"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Skipf("no symbolic links here: %v", err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tmpl, err := ReadFile(filepath.Join(dir, "main.tf"))
	return tmpl, dir, err
}

func warnings(tmpl *Template) string {
	var out []string
	for _, w := range tmpl.Warnings {
		out = append(out, w.Error())
	}
	return strings.Join(out, "\n")
}

const itemsYAML = `openapi: 3.0.1
paths:
  /items:
    put:
      x-amazon-apigateway-integration:
        type: aws
        responses:
          default:
            statusCode: "200"
            responseParameters:
              method.response.header.Access-Control-Allow-Origin: "'${origin}'"
`

// A body is read by the OpenAPI reader, whatever form it takes, with its
// positions in the file that wrote it and unknown values read as unknown.
func TestTerraformBodyForms(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		// where PUT /items is written, and the Allow-Origin its integration maps
		file         string
		line, column int
		origin       string
		warn         string
		inline       bool // written in HCL: fixes to it are too
	}{
		{
			name: "jsonencode",
			files: map[string]string{"main.tf": `variable "origin" {}
resource "aws_api_gateway_rest_api" "api" {
  name = "x"
  body = jsonencode({
    openapi = "3.0.1"
    paths = {
      "/items" = {
        put = { x-amazon-apigateway-integration = { type = "aws", responses = { default = {
          statusCode = "200"
          responseParameters = { "method.response.header.Access-Control-Allow-Origin" = "'${var.origin}'" } } } } }
      }
    }
  })
}
`},
			file: "main.tf", line: 8, column: 9, origin: "method.request.header.Origin", inline: true,
		},
		{
			name: "jsonencode with known values",
			files: map[string]string{"main.tf": `resource "aws_api_gateway_rest_api" "api" {
  body = (jsonencode({
    paths = {
      "/items" = {
        put = { x-amazon-apigateway-integration = { type = true ? "aws" : "mock", responses = { default = {
          statusCode = 200
          responseParameters = { "method.response.header.Access-Control-Allow-Origin" = "'https://${"app"}.example.com'" } } } } }
        "/${var.unknown}" = { get = {} }
      }
    }
  }))
}
`},
			file: "main.tf", line: 5, column: 9, origin: "'https://app.example.com'",
			warn: "main.tf:8: " + keyLeftOut, inline: true,
		},
		{
			name: "file with path.module",
			files: map[string]string{
				"main.tf":          `resource "aws_api_gateway_rest_api" "api" { body = file("${path.module}/api/openapi.yaml") }`,
				"api/openapi.yaml": strings.ReplaceAll(itemsYAML, "${origin}", "https://app.example.com"),
			},
			file: "api/openapi.yaml", line: 4, column: 5, origin: "'https://app.example.com'",
		},
		{
			name: "jsonencode(yamldecode(file()))",
			files: map[string]string{
				"main.tf":      `resource "aws_api_gateway_rest_api" "api" { body = jsonencode(yamldecode(file("openapi.yaml"))) }`,
				"openapi.yaml": strings.ReplaceAll(itemsYAML, "${origin}", "https://app.example.com"),
			},
			file: "openapi.yaml", line: 4, column: 5, origin: "'https://app.example.com'",
		},
		{
			name: "templatefile with a known variable",
			files: map[string]string{
				"main.tf":      `resource "aws_api_gateway_rest_api" "api" { body = templatefile("openapi.yaml", { origin = "https://app.example.com", x = var.x }) }`,
				"openapi.yaml": itemsYAML,
			},
			file: "openapi.yaml", line: 4, column: 5, origin: "'https://app.example.com'",
		},
		{
			name: "templatefile with an unknown variable",
			files: map[string]string{
				"main.tf":      `resource "aws_api_gateway_rest_api" "api" { body = templatefile("openapi.yaml", { origin = var.origin }) }`,
				"openapi.yaml": itemsYAML + "  /${prefix}/x:\n    get: {}\n",
			},
			file: "openapi.yaml", line: 4, column: 5, origin: "method.request.header.Origin",
			warn: "openapi.yaml:12: " + keyLeftOut,
		},
		{
			name: "templatefile with a known condition and an escape",
			files: map[string]string{
				"main.tf": `resource "aws_api_gateway_rest_api" "api" { body = templatefile("openapi.json", { cors = true }) }`,
				"openapi.json": `{"openapi": "3.0.1", "info": {"description": "$${not a variable}"},
 "paths": {"/items": {
   "put": {"x-amazon-apigateway-integration": {"type": "aws", "responses": {"default": {"statusCode": "200",
     "responseParameters": {%{ if cors }"method.response.header.Access-Control-Allow-Origin": "'*'"%{ endif }}}}}}}}}`,
			},
			file: "openapi.json", line: 3, column: 4, origin: "'*'",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, dir, err := readTF(t, tt.files)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.ReplaceAll(warnings(tmpl), dir+string(filepath.Separator), ""); got != tt.warn {
				t.Errorf("warnings %q, want %q", got, tt.warn)
			}
			m := method(t, restOf(t, tmpl, "api"), "/items", "PUT")
			want := filepath.Join(dir, filepath.FromSlash(tt.file))
			if m.At.File != want || m.At.Line != tt.line || m.At.Column != tt.column {
				t.Errorf("PUT /items at %v, want %s:%d:%d", m.At, want, tt.line, tt.column)
			}
			if m.Integration.Type != "AWS" {
				t.Errorf("integration type %q", m.Integration.Type)
			}
			ir := m.Integration.Responses
			if len(ir) != 1 || ir[0].Status != 200 || len(ir[0].Headers) != 1 || ir[0].Headers[0].Value != tt.origin {
				t.Errorf("integration responses %+v, want Allow-Origin %s", ir, tt.origin)
			}
			if !tmpl.Definitions[restOf(t, tmpl, "api")] {
				t.Error("the API is not marked as defined by its body")
			}
			if got := tmpl.InlineBodies[restOf(t, tmpl, "api")]; got != tt.inline {
				t.Errorf("InlineBodies = %v, want %v", got, tt.inline)
			}
		})
	}
}

// A body that cannot be read statically leaves the rest of the file read,
// with a warning naming the line and why.
func TestTerraformBodyNotRead(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		warn  string
	}{
		{"variable", map[string]string{"main.tf": "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = var.spec\n}\n"}, "main.tf:2: body: not known before deploy"},
		{"jsonencode of a local", map[string]string{"main.tf": "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = jsonencode(local.spec)\n}\n"}, "main.tf:2: body: jsonencode of a value not known"},
		{"path outside the folder", map[string]string{"main.tf": "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = file(\"../secret.yaml\")\n}\n"}, `main.tf:2: body: file("../secret.yaml"): outside the folder of main.tf: its OpenAPI is not read`},
		{"absolute path", map[string]string{"main.tf": "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = file(\"/etc/passwd\")\n}\n"}, `file("/etc/passwd"): outside the folder`},
		{"missing file", map[string]string{"main.tf": "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = file(\"nope.yaml\")\n}\n"}, `file("nope.yaml"): no such file`},
		{"directory", map[string]string{"main.tf": "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = file(\"d\")\n}\n", "d/x": ""}, `file("d"): not a regular file`},
		{"symlink out of the folder", map[string]string{
			"main.tf":         "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = file(\"link.yaml\")\n}\n",
			"../outside.yaml": itemsYAML,
			"link.yaml":       "symlink:../outside.yaml",
		}, `file("link.yaml"): path escapes from parent`},
		{"unknown path", map[string]string{"main.tf": "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = file(var.path)\n}\n"}, "body: file(...) of a path not known"},
		{"unknown condition", map[string]string{
			"main.tf": "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = templatefile(\"t.yaml\", {})\n}\n",
			"t.yaml":  "openapi: 3.0.1\n%{ if var.x }paths: {}%{ endif }\n",
		}, "line 2: %{ if } on a value not known"},
		{"template that no longer parses", map[string]string{
			"main.tf": "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = templatefile(\"t.yaml\", {})\n}\n",
			"t.yaml":  "openapi: 3.0.1\npaths: ${paths}: x\n",
		}, "does not parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.files["main.tf"] += `resource "aws_api_gateway_resource" "r" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}
`
			tmpl, _, err := readTF(t, tt.files)
			if err != nil {
				t.Fatal(err)
			}
			if got := warnings(tmpl); !strings.Contains(got, tt.warn) || len(tmpl.Warnings) != 1 {
				t.Errorf("warnings %q, want one with %q", got, tt.warn)
			}
			api := restOf(t, tmpl, "api")
			if len(api.Resources) != 2 || api.Resources[1].Path != "/items" {
				t.Errorf("the separate resource is not read: %+v", api.Resources)
			}
		})
	}
}

// Separate resources of the API are added to what the body defines, as
// the provider writes them after importing the body; in overwrite mode
// (the default) each change of body deletes them, which is said.
func TestTerraformBodyMerge(t *testing.T) {
	const separate = `
resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}
resource "aws_api_gateway_method" "put" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "PUT"
  authorization = "AWS_IAM"
}
resource "aws_api_gateway_method" "options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}
resource "aws_api_gateway_gateway_response" "d4" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  response_type = "DEFAULT_4XX"
}
`
	body := `  body = jsonencode({ paths = { "/items" = { put = {}, get = {} } }, x-amazon-apigateway-gateway-responses = { DEFAULT_4XX = { statusCode = 499 }, DEFAULT_5XX = {} } })`
	tests := []struct {
		name, mode, warn string
	}{
		{"overwrite by default", "", `3 separate resource(s) add to the body's API, which put_rest_api_mode "overwrite"`},
		{"overwrite", `  put_rest_api_mode = "overwrite"`, `put_rest_api_mode "overwrite"`},
		{"merge", `  put_rest_api_mode = "merge"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tf := "resource \"aws_api_gateway_rest_api\" \"api\" {\n" + body + "\n" + tt.mode + "\n}\n" + separate
			tmpl, _, err := readTF(t, map[string]string{"main.tf": tf})
			if err != nil {
				t.Fatal(err)
			}
			if got := warnings(tmpl); tt.warn == "" && got != "" || !strings.Contains(got, tt.warn) {
				t.Errorf("warnings %q, want %q", got, tt.warn)
			}
			api := restOf(t, tmpl, "api")
			var verbs []string
			for _, r := range api.Resources {
				if r.Path == "/items" {
					for _, m := range r.Methods {
						verbs = append(verbs, m.Verb)
					}
				}
			}
			if got := strings.Join(verbs, ","); got != "GET,PUT,OPTIONS" {
				t.Errorf("/items methods %s, want the body's GET, and PUT and OPTIONS from the separate resources", got)
			}
			if put := method(t, api, "/items", "PUT"); put.Authorizer == nil || put.Authorizer.Type != "AWS_IAM" {
				t.Errorf("the separate PUT replaces the body's: %+v", put)
			}
			if g := api.GatewayResponses["DEFAULT_4XX"]; g == nil || g.Status != 0 {
				t.Errorf("the separate gateway response replaces the body's: %+v", g)
			}
			if api.GatewayResponses["DEFAULT_5XX"] == nil {
				t.Error("the body's DEFAULT_5XX is lost")
			}
		})
	}
}

// An HTTP API's body gives its routes; its CORS configuration is the
// cors_configuration block's, which the provider sets after the import.
func TestTerraformHTTPAPIBody(t *testing.T) {
	const body = `  body = jsonencode({
    openapi = "3.0.1"
    x-amazon-apigateway-cors = { allowOrigins = ["https://body.example.com"] }
    paths = { "/orders" = { post = { x-amazon-apigateway-integration = { type = "aws_proxy", payloadFormatVersion = "2.0" } } } }
  })
`
	tests := []struct {
		name, block, origin, warn string
	}{
		{"no block: deleted", "", "", "main.tf:3: aws_apigatewayv2_api.api: x-amazon-apigateway-cors in body is deleted"},
		{"block wins", `  cors_configuration {
    allow_origins = ["https://app.example.com"]
  }
`, "https://app.example.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tf := "resource \"aws_apigatewayv2_api\" \"api\" {\n  protocol_type = \"HTTP\"\n" + body + tt.block + "}\n" +
				"resource \"aws_apigatewayv2_route\" \"get\" {\n  api_id = aws_apigatewayv2_api.api.id\n  route_key = \"GET /orders\"\n}\n"
			tmpl, _, err := readTF(t, map[string]string{"main.tf": tf})
			if err != nil {
				t.Fatal(err)
			}
			if got := warnings(tmpl); tt.warn == "" && got != "" || !strings.Contains(got, tt.warn) {
				t.Errorf("warnings %q, want %q", got, tt.warn)
			}
			api := tmpl.Services[0].(*awsmodel.HTTPAPI)
			var routes []string
			for _, r := range api.RouteList {
				routes = append(routes, r.Method+" "+r.Path)
			}
			if tmpl.Definitions[api] {
				t.Error("an HTTP API's CORS fix is its cors_configuration block, not its body")
			}
			if got := strings.Join(routes, ","); got != "POST /orders,GET /orders" {
				t.Errorf("routes %s", got)
			}
			got := ""
			if api.Cors != nil {
				got = strings.Join(api.Cors.AllowOrigins, ",")
			}
			if got != tt.origin {
				t.Errorf("CORS origins %q, want %q", got, tt.origin)
			}
		})
	}
}

// Hostile or broken bodies are refused with the file, line and why.
func TestTerraformBodyErrors(t *testing.T) {
	deep := strings.Repeat("[", 300) + strings.Repeat("]", 300)
	chain := strings.Repeat("true ? 1 : ", 300) + "1"
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"deep jsonencode", map[string]string{"main.tf": "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = jsonencode(" + deep + ")\n}\n"}, "main.tf:2: nests deeper than 256 levels"},
		{"conditional chain", map[string]string{"main.tf": "resource \"aws_api_gateway_rest_api\" \"api\" {\n\n  body = " + chain + "\n}\n"}, "main.tf:3: nests deeper than 256 levels"},
		{"huge exponent", map[string]string{"main.tf": "resource \"aws_s3_bucket\" \"b\" {\n  bucket = 1e+0099999999\n}\n"}, "main.tf:2: number 1e+0099999999… has an exponent of more than 4 digits"},
		{"huge", map[string]string{"main.tf": "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = jsonencode([" + strings.Repeat("1,", 600000) + "])\n}\n"}, "main.tf: larger than 1048576 bytes"},
		{"deep template", map[string]string{
			"main.tf": "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = templatefile(\"t.yaml\", {})\n}\n",
			"t.yaml":  "openapi: 3.0.1\n" + strings.Repeat("${(", 300),
		}, "main.tf:2: body: "},
		{"broken file", map[string]string{
			"main.tf":      "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = file(\"openapi.yaml\")\n}\n",
			"openapi.yaml": "openapi: 3.0.1\npaths: [\n",
		}, "main.tf:2: body: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, dir, err := readTF(t, tt.files)
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != filepath.Join(dir, "main.tf") {
				t.Fatalf("err %v, want a *ParseError naming main.tf", err)
			}
			if msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""); !strings.Contains(msg, tt.want) {
				t.Errorf("err %q, want %q", msg, tt.want)
			}
		})
	}
}

// aws_api_gateway_rest_api_put imports its body in overwrite mode: the API
// is what the last one defines, with the separate resources on top.
func TestTerraformRestAPIPut(t *testing.T) {
	tf := `resource "aws_api_gateway_rest_api" "api" {
  body = jsonencode({ paths = { "/a" = { get = {} } } })
  put_rest_api_mode = "merge"
}
resource "aws_api_gateway_rest_api_put" "v1" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  body        = jsonencode({ paths = { "/b" = { get = {} } } })
}
resource "aws_api_gateway_rest_api_put" "v2" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  body        = jsonencode({ paths = { "/items" = { put = {}, options = {} } } })
}
resource "aws_api_gateway_rest_api_put" "other" {
  rest_api_id = aws_api_gateway_rest_api.other.id
  body        = jsonencode({ paths = { "/c" = { get = {} } } })
}
resource "aws_api_gateway_resource" "extra" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "extra"
}
`
	tmpl, dir, err := readTF(t, map[string]string{"main.tf": tf})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, r := range restOf(t, tmpl, "api").Resources {
		paths = append(paths, r.Path)
	}
	if got := strings.Join(paths, ","); got != "/,/extra,/items" {
		t.Errorf("paths %s, want the last put's and the separate resource's", got)
	}
	want := "main.tf:9: aws_api_gateway_rest_api.api: 2 aws_api_gateway_rest_api_put write this API, each over the other (a stage serves the one deployed with it): lint reads the last, aws_api_gateway_rest_api_put.v2\n" +
		"main.tf:9: aws_api_gateway_rest_api.api: 1 separate resource(s) add to the body's API, which aws_api_gateway_rest_api_put imports in overwrite mode, and deletes them when it runs after them; lint reads the API both make\n" +
		"main.tf:13: aws_api_gateway_rest_api_put.other: rest_api_id (aws_api_gateway_rest_api.other.id) is not an aws_api_gateway_rest_api of this file: not read"
	if got := strings.ReplaceAll(warnings(tmpl), dir+string(filepath.Separator), ""); got != want {
		t.Errorf("warnings\n%s\nwant\n%s", got, want)
	}
}

// An API's body form is the form of the body that defines it: an
// aws_api_gateway_rest_api_put's over the API's own.
func TestTerraformInlineBodies(t *testing.T) {
	const (
		inline = `jsonencode({ paths = { "/items" = { get = {} } } })`
		file   = `file("openapi.yaml")`
	)
	rest := func(body string) string {
		return "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = " + body + "\n}\n"
	}
	put := func(body string) string {
		return "resource \"aws_api_gateway_rest_api_put\" \"p\" {\n  rest_api_id = aws_api_gateway_rest_api.api.id\n  body = " + body + "\n}\n"
	}
	tests := []struct {
		name, tf string
		want     bool
	}{
		{"inline", rest(inline), true},
		{"file", rest(file), false},
		{"yamldecode of a file", rest("jsonencode(yamldecode(file(\"openapi.yaml\")))"), false},
		{"a put's file over an inline body", rest(inline) + put(file), false},
		{"a put's inline body over a file", rest(file) + put(inline), true},
		{"an unknown body", rest("jsonencode(local.spec)"), false},
		{"no body", "resource \"aws_api_gateway_rest_api\" \"api\" {}\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, _, err := readTF(t, map[string]string{"main.tf": tt.tf, "openapi.yaml": itemsYAML})
			if err != nil {
				t.Fatal(err)
			}
			if got := tmpl.InlineBodies[restOf(t, tmpl, "api")]; got != tt.want {
				t.Errorf("InlineBodies = %v, want %v", got, tt.want)
			}
		})
	}
	tmpl, _, err := readTF(t, map[string]string{"main.tf": "resource \"aws_apigatewayv2_api\" \"h\" {\n  protocol_type = \"HTTP\"\n  body = " + inline + "\n}\n"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tmpl.Services) != 1 || !tmpl.InlineBodies[tmpl.Services[0]] {
		t.Errorf("an HTTP API's inline body is not recorded: %+v", tmpl.InlineBodies)
	}
}

func TestNumberText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"200", "200"},
		{"-3", "-3"},
		{"1.5", "1.5"},
		{"0.1", "0.1"},
		{"1e300", "1e+300"},
		{"12345678901234567890", "1.2345678901234567e+19"},
		{"1e5000", "1e+5000"},
	}
	for _, tt := range tests {
		v, err := cty.ParseNumberVal(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := numberText(v); got != tt.want {
			t.Errorf("numberText(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
