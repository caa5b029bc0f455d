package iac

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

func httpOf(t *testing.T, tmpl *Template, id string) *awsmodel.HTTPAPI {
	t.Helper()
	for _, s := range tmpl.Services {
		if h, ok := s.(*awsmodel.HTTPAPI); ok && h.ID == id {
			return h
		}
	}
	t.Fatalf("no HTTP API %s in %+v", id, tmpl.Services)
	return nil
}

// provider.httpApi.cors writes what the Serverless Framework writes
// (lib/plugins/aws/package/compile/events/http-api.js): without
// allowedMethods, OPTIONS and every route's method (ANY: all of them);
// without allowedOrigins, '*'.
func TestServerlessHTTPAPICorsDefaults(t *testing.T) {
	tests := []struct {
		name, cors       string
		origins, methods string
	}{
		{"true", "true", "*", "OPTIONS,POST,PUT,GET,PATCH,HEAD,DELETE"},
		{"object without methods or origins", "{allowedHeaders: [x-custom]}", "*", "OPTIONS,POST,PUT,GET,PATCH,HEAD,DELETE"},
		{"object with its own lists", "{allowedOrigins: [https://app.example.com], allowedMethods: [GET]}", "https://app.example.com", "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := `service: s
provider:
  name: aws
  httpApi:
    cors: ` + tt.cors + `
functions:
  a:
    events:
      - httpApi: {path: /todos, method: post}
      - httpApi: {path: '/todos/{id}', method: put}
  b:
    events:
      - httpApi: {path: /any, method: '*'}
`
			tmpl, err := Read("serverless.yml", []byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			c := httpOf(t, tmpl, "HttpApi").Cors
			if c == nil {
				t.Fatal("no CORS configuration")
			}
			if got := strings.Join(c.AllowOrigins, ","); got != tt.origins {
				t.Errorf("AllowOrigins %s, want %s", got, tt.origins)
			}
			if got := strings.Join(c.AllowMethods, ","); got != tt.methods {
				t.Errorf("AllowMethods %s, want %s", got, tt.methods)
			}
		})
	}
}
