package lint

import (
	"net/http"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/platform"
)

// A function URL whose Cors allows the page's origin but not its method or
// a header it sends: the URL's own preflight answer leaves them out, and
// the finding must name the Cors list to extend, with the template's fix,
// as an HTTP API's does. The first template is cut down from
// github.com/aws-samples/serverless-patterns lambda-function-url/template.yaml
// (AWS_IAM, AllowOrigins ["*"] alone: the SigV4 Authorization header is
// refused).
func TestLambdaURLListLacksWhatThePageSends(t *testing.T) {
	for _, tc := range []struct {
		name, tmpl, method, list, item string
		header                         http.Header
	}{
		{"iam url, no AllowHeaders", `Transform: AWS::Serverless-2016-10-31
Resources:
  FURLFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      FunctionUrlConfig:
        AuthType: AWS_IAM
        Cors:
          AllowOrigins: ["*"]
`, "GET", "AllowHeaders", "authorization", nil},
		{"method not listed", `Resources:
  FunctionUrl:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: arn:aws:lambda:us-east-1:123456789012:function:fn
      AuthType: NONE
      Cors:
        AllowOrigins: ["https://app.example.com"]
        AllowMethods: [GET]
        AllowHeaders: [content-type]
`, "PUT", "AllowMethods", "PUT", http.Header{"Content-Type": {"application/json"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := lintSource(t, "t.yaml", []byte(tc.tmpl), Options{Origins: []string{"https://app.example.com"},
				Method: tc.method, Header: tc.header})
			var found *Finding
			for i, f := range rep.Findings {
				if f.Code == platform.CodeLambdaURLNotConfigured {
					found = &rep.Findings[i]
				}
			}
			if found == nil {
				t.Fatalf("no %s finding: %v", platform.CodeLambdaURLNotConfigured, rep.Findings)
			}
			if !strings.Contains(found.Message, tc.list) || !strings.Contains(found.Fix, tc.item) {
				t.Errorf("the finding does not name %s and %s:\n%s\n%s", tc.list, tc.item, found.Message, found.Fix)
			}
			if found.Line != 10 && found.Line != 7 {
				t.Errorf("at line %d, not the Cors line", found.Line)
			}
		})
	}
}

// A function URL is fixed where the template defines it: a SAM function's
// FunctionUrlConfig, a serverless.yml function's url. An AWS::Lambda::Url
// pasted beside a SAM function would be a second URL for it, and an
// update-function-url-config the next deploy undoes.
func TestLambdaURLFixInTheTemplatesForm(t *testing.T) {
	for _, tc := range []struct{ file, tmpl, form, key string }{
		{"template.yaml", `Transform: AWS::Serverless-2016-10-31
Resources:
  Function:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      FunctionUrlConfig:
        AuthType: NONE
        Cors:
          AllowOrigins: [https://example.com]
`, "sam", "FunctionUrlConfig:"},
		{"serverless.yml", `service: furl
provider:
  name: aws
  runtime: nodejs20.x
functions:
  api:
    handler: handler.main
    url:
      cors:
        allowedOrigins: [https://example.com]
`, "serverless", "url:"},
	} {
		t.Run(tc.form, func(t *testing.T) {
			rep := lintSource(t, tc.file, []byte(tc.tmpl), Options{Origins: []string{"https://app.example.com"}})
			seen := 0
			for _, f := range rep.Findings {
				if f.Code != platform.CodeLambdaURLNotConfigured {
					continue
				}
				seen++
				s, ok := snippets(f.Fix)[tc.form]
				if !ok || !strings.Contains(s, tc.key) || !strings.Contains(s, "https://example.com") {
					t.Errorf("no %s fix with %s keeping https://example.com:\n%s", tc.form, tc.key, f.Fix)
				}
			}
			if seen == 0 {
				t.Fatal("no lambda-url-cors-not-configured finding")
			}
		})
	}
}
