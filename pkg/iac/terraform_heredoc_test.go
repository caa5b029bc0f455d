package iac

import (
	"strings"
	"testing"
)

// A body written as a literal string (a heredoc, the older form) is known
// before deploy: it is read as a file() body is, its findings on the .tf
// file's own lines; text that is not YAML or JSON is an error at the body.
func TestTerraformLiteralBody(t *testing.T) {
	tests := []struct {
		name, body string
		putLine    int    // the line of the PUT operation in main.tf
		err        string // "" when it reads
	}{
		{"heredoc yaml", "<<EOT\nopenapi: 3.0.1\npaths:\n  /items:\n    put: {}\nEOT", 6, ""},
		{"indented heredoc json", "<<-EOT\n    {\"openapi\": \"3.0.1\",\n     \"paths\": {\"/items\": {\n       \"put\": {}}}}\n    EOT", 5, ""},
		{"quoted json", `"{\"openapi\": \"3.0.1\", \"paths\": {\"/items\": {\"put\": {}}}}"`, 2, ""},
		{"not a document", "<<EOT\nopenapi: [\nEOT", 0, "main.tf:3: body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "resource \"aws_api_gateway_rest_api\" \"api\" {\n  body = " + tt.body + "\n}\n"
			tmpl, _, err := readTF(t, map[string]string{"main.tf": src})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one at %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if w := warnings(tmpl); w != "" {
				t.Errorf("warnings: %s", w)
			}
			api := restOf(t, tmpl, "api")
			if got := method(t, api, "/items", "PUT").At.Line; got != tt.putLine {
				t.Errorf("PUT at line %d, want %d", got, tt.putLine)
			}
		})
	}
}
