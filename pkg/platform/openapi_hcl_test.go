package platform

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// hclValue is what Terraform's jsonencode makes of HCL object items,
// decoded; it fails when the HCL does not parse or evaluate.
func hclValue(items string) (any, error) {
	expr, diags := hclsyntax.ParseExpression([]byte("{\n"+items+"}"), "fix.tf", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return nil, diags
	}
	j, err := stdlib.JSONEncode(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal([]byte(j.AsString()), &out)
	return out, err
}

// yamlValue is the YAML as JSON, decoded. Strings are in NFC, as HCL
// makes every string (go-cty normalizes them).
func yamlValue(text string) (any, error) {
	var v any
	if err := yaml.Unmarshal([]byte(text), &v); err != nil {
		return nil, err
	}
	j, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(j, &out)
	return nfc(out), err
}

func nfc(v any) any {
	switch x := v.(type) {
	case string:
		return norm.NFC.String(x)
	case []any:
		for i := range x {
			x[i] = nfc(x[i])
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[norm.NFC.String(k)] = nfc(e)
		}
		return out
	}
	return v
}

// sameAsYAML fails unless the HCL evaluates to the YAML's JSON.
func sameAsYAML(t *testing.T, yamlText, hclText string) {
	t.Helper()
	want, err := yamlValue(yamlText)
	if err != nil {
		t.Fatalf("the YAML converted but has no JSON form: %v\n%s", err, yamlText)
	}
	got, err := hclValue(hclText)
	if err != nil {
		t.Fatalf("the HCL does not evaluate: %v\n%s", err, hclText)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("jsonencode of the HCL differs from the YAML's JSON:\n got %#v\nwant %#v\n--- YAML ---\n%s\n--- HCL ---\n%s", got, want, yamlText, hclText)
	}
}

// Every OpenAPI snippet (REST and HTTP API, in every context) converts to
// HCL that Terraform's jsonencode turns into the same JSON.
func TestOpenAPISnippetsToHCL(t *testing.T) {
	everyFixOf(t, []Format{FormatOpenAPI}, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		got, err := openAPIToHCL(f.Snippet)
		if err != nil {
			t.Fatalf("does not convert: %v\n%s", err, f.Snippet)
		}
		sameAsYAML(t, f.Snippet, got)
		if strings.Contains(f.Snippet, "#") && !strings.Contains("\n"+got, "\n#") && !strings.Contains(got, " #") {
			t.Errorf("a comment was lost:\n%s\n---\n%s", f.Snippet, got)
		}
	})
}

// The options operation, as it is pasted into jsonencode({...}).
func TestOpenAPIOptionsInHCL(t *testing.T) {
	c := ExampleContext()
	c.Resource = "/items"
	c.Headers = []string{"content-type"}
	got, err := openAPIToHCL(openAPIOptions(c))
	if err != nil {
		t.Fatal(err)
	}
	want := `paths = {
  "/items" = {
    options = {
      security = []
      responses = {
        "200" = {
          description = "CORS preflight"
          headers = {
            Access-Control-Allow-Origin = { schema = { type = "string" } }
            Access-Control-Allow-Methods = { schema = { type = "string" } }
            Access-Control-Allow-Headers = { schema = { type = "string" } }
          }
        }
      }
      x-amazon-apigateway-integration = {
        type = "mock"
        requestTemplates = {
          "application/json" = "{\"statusCode\": 200}"
        }
        responses = {
          default = {
            statusCode = "200"
            responseParameters = {
              "method.response.header.Access-Control-Allow-Origin" = "'https://app.example.com'"
              "method.response.header.Access-Control-Allow-Methods" = "'GET,OPTIONS'"
              "method.response.header.Access-Control-Allow-Headers" = "'content-type'"
            }
          }
        }
      }
    }
  }
}
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestOpenAPIToHCL(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"quotes and backslashes", `a: 'say "hi" \ bye'`, `a = "say \"hi\" \\ bye"` + "\n"},
		{"interpolation is not run", `a: "${var.x} %{ if true }y%{ endif } $${z} $x 100%"`, `a = "$${var.x} %%{ if true }y%%{ endif } $$${z} $x 100%"` + "\n"},
		{"a combining mark after a letter", "a: \"e\\u0301 \\u0300\"", "a = \"e\u0301 \u0300\"\n"},
		{"interpolation in a key", `"${k}": 1`, `"$${k}" = 1` + "\n"},
		{"control characters", "a: \"l1\\nl2\\tt\\r\\x01\\x7f\"", `a = "l1\nl2\tt\r\u0001\u007f"` + "\n"},
		{"keys that are not identifiers", "\"/items/{id}\": 1\n\"200\": 2\napplication/json: 3\nmethod.response.header.X: 4\n2xx: 5\n_ok-1: 6\n\"\": 7\nétat: 8",
			"\"/items/{id}\" = 1\n\"200\" = 2\n\"application/json\" = 3\n\"method.response.header.X\" = 4\n\"2xx\" = 5\n_ok-1 = 6\n\"\" = 7\n\"état\" = 8\n"},
		{"keywords as keys", "for: 1\n\"null\": 2\n'true': 3\nin: 4", "\"for\" = 1\n\"null\" = 2\n\"true\" = 3\n\"in\" = 4\n"},
		{"empty list and map", "a: []\nb: {}\nc:\n  d: []", "a = []\nb = {}\nc = {\n  d = []\n}\n"},
		{"numbers and numeric strings", "a: 200\nb: \"200\"\nc: 1.5e3\nd: -7\ne: 0x1f\nf: '1e3'\ng: 0.1\nh: 12345678901234567890",
			"a = 200\nb = \"200\"\nc = 1500\nd = -7\ne = 31\nf = \"1e3\"\ng = 0.1\nh = 12345678901234567890\n"},
		{"booleans and null", "a: true\nb: \"false\"\nc: null\nd: ~\ne:", "a = true\nb = \"false\"\nc = null\nd = null\ne = null\n"},
		{"lists of maps", "security:\n  - api_key: []\n  - oauth: [read, write]\n    x: {}",
			"security = [\n  {\n    api_key = []\n  },\n  {\n    oauth = [\"read\", \"write\"]\n    x = {}\n  },\n]\n"},
		{"nested lists", "a: [[1, 2], [], [{b: c}]]", "a = [[1, 2], [], [{ b = \"c\" }]]\n"},
		{"block list of scalars", "a:\n  - x\n  - 2", "a = [\n  \"x\",\n  2,\n]\n"},
		{"comments", "# head\na: 1 # line\nb:\n  # inner\n  c: [x] # list\n", "# head\n# line\na = 1\nb = {\n  # inner\n  # list\n  c = [\"x\"]\n}\n"},
		{"a date is its JSON's RFC 3339", "a: 2001-12-14\nb: '2001-12-14'", "a = \"2001-12-14T00:00:00Z\"\nb = \"2001-12-14\"\n"},
		{"multi-line string", "a: |\n  line 1\n  line 2\n", "a = \"line 1\\nline 2\\n\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := openAPIToHCL(tt.yaml)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			sameAsYAML(t, tt.yaml, got)
		})
	}
}

// What has no JSON form is refused with where and why, not converted
// into something else.
func TestOpenAPIToHCLRefuses(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"not a mapping", "- a", "not a YAML mapping"},
		{"empty", "", "not a YAML mapping"},
		{"bad YAML", "a: [", "yaml:"},
		{"alias", "a: &x [1]\nb: *x", "line 2: an alias (*x)"},
		{"merge key", "a: &x {b: 1}\nc:\n  <<: *x", "line 3: key \"<<\" is not a string"},
		{"number key", "200: ok", "line 1: key \"200\" is not a string"},
		{"duplicate key", "a: 1\nb: 2\na: 3", "line 3: key \"a\" twice"},
		{"duplicate flow key", "x: {a: 1, a: 2}", "key \"a\" twice"},
		{"own tag", "a: !Ref Api", "line 1: tag !Ref has no JSON form"},
		{"infinity", "a: .inf", "line 1: +Inf has no JSON form"},
		{"not a number", "a: .nan", "line 1: NaN has no JSON form"},
		{"a combining mark after an escape", "a: \"\\n\\u0300\"", "line 1: HCL cannot write the combining mark U+0300 after an escaped character"},
		{"in a key", "\"\\t\\u20dd\": 1", "line 1: key: HCL cannot write the combining mark U+20DD"},
		{"binary not UTF-8", "a: !!binary /w==", "line 1: a string that is not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := openAPIToHCL(tt.yaml)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q (output %q)", err, tt.want, got)
			}
		})
	}
}

// The fix lint shows for an inline body: a terraform form whose title says
// where it goes, or the openapi fix itself when its snippet does not
// convert.
func TestInJSONEncode(t *testing.T) {
	tests := []struct {
		title, want string
	}{
		{"an options operation with a MOCK integration (API Gateway OpenAPI)", "an options operation with a MOCK integration, inside the body's jsonencode({...}) (API Gateway OpenAPI)"},
		{"x-amazon-apigateway-gateway-responses", "x-amazon-apigateway-gateway-responses, inside the body's jsonencode({...})"},
	}
	for _, tt := range tests {
		got, ok := inJSONEncode(Fix{Format: FormatOpenAPI, Title: tt.title, Snippet: "a: 1\n"})
		if !ok || got.Format != FormatTerraform || got.Title != tt.want || got.Snippet != "a = 1\n" {
			t.Errorf("%q: got %+v, %v", tt.title, got, ok)
		}
	}
	bad := Fix{Format: FormatOpenAPI, Title: "t", Snippet: "a: !Ref x\n"}
	if got, ok := inJSONEncode(bad); ok || got != bad {
		t.Errorf("a snippet that does not convert: got %+v, %v", got, ok)
	}
}

// FuzzOpenAPIToHCL: any YAML either is refused or converts to HCL that
// Terraform's jsonencode turns into the YAML's JSON; never a panic.
func FuzzOpenAPIToHCL(f *testing.F) {
	for _, ctx := range fixContexts() {
		for code := range fixBuilders {
			for _, fx := range Fixes(code, ctx) {
				if fx.Format == FormatOpenAPI {
					f.Add(fx.Snippet)
				}
			}
		}
	}
	for _, s := range []string{"a: '${x}'", "\"%{\": [1, {b: ~}]", "a: &x 1\nb: *x", "a: !!binary /w==", "a: [1e400, -0.0, 0o17]", "- x", "a: \"\\u00e9e\\u0301\"", "{a: b, c: [d, {e: f}]}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 4096 {
			return
		}
		got, err := openAPIToHCL(text)
		if err != nil {
			return
		}
		sameAsYAML(t, text, got)
	})
}
