package lint

import (
	"regexp"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/platform"
)

// A configuration that allows other pages today, with credentials, and
// not the page linted: the fix adds the page's origin. It must keep the
// origins there (the proof pastes lists whole) and not write
// AllowCredentials false over true without a word, or the pages that work
// today break. The templates are cut down from the SAM translator's tests
// (github.com/aws/serverless-application-model,
// tests/translator/input/function_with_function_url_config.yaml and
// integration/resources/templates/combination/http_api_with_cors.yaml).
func TestFixKeepsTheConfigurationThere(t *testing.T) {
	for _, tc := range []struct {
		name, code, tmpl string
	}{
		{"sam function url", string(platform.CodeLambdaURLNotConfigured), `Transform: AWS::Serverless-2016-10-31
Resources:
  MyFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      FunctionUrlConfig:
        AuthType: NONE
        Cors:
          AllowOrigins: [https://example.com]
          AllowMethods: [GET]
          AllowCredentials: true
`},
		{"sam http api", string(platform.CodeHTTPAPINotConfigured), `Transform: AWS::Serverless-2016-10-31
Globals:
  HttpApi:
    CorsConfiguration:
      AllowOrigins: [https://example.com]
      AllowMethods: [GET]
      AllowCredentials: true
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Get:
          Type: HttpApi
          Properties: {Path: /path, Method: GET}
`},
		{"cfn http api, preflight", string(platform.CodeHTTPAPINotConfigured), `Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: api
      ProtocolType: HTTP
      Target: arn:aws:lambda:us-east-1:123456789012:function:fn
      CorsConfiguration:
        AllowOrigins: [https://example.com]
        AllowMethods: [PUT]
        AllowHeaders: [content-type]
        AllowCredentials: true
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := lintSource(t, "t.yaml", []byte(tc.tmpl), Options{Origins: []string{"https://app.example.com"}, FixFormat: "all"})
			credsOff := regexp.MustCompile(`(?m)(AllowCredentials: false|allow_credentials = false|allowCredentials: false)$`)
			seen := 0
			for _, f := range rep.Findings {
				if string(f.Code) != tc.code {
					continue
				}
				seen++
				for form, snippet := range snippets(f.Fix) {
					if form == "console" || form == "aws-cli" {
						continue // these merge into what is there
					}
					if !strings.Contains(snippet, "https://example.com") {
						t.Errorf("%s [%s] drops https://example.com, allowed today:\n%s", f.Route, form, snippet)
					}
					if m := credsOff.FindString(snippet); m != "" {
						t.Errorf("%s [%s] writes %q over AllowCredentials true:\n%s", f.Route, form, m, snippet)
					}
				}
			}
			if seen == 0 {
				t.Fatalf("no %s finding", tc.code)
			}
		})
	}
}

// snippets splits a fix text into its snippets by form ("[sam] title").
func snippets(fix string) map[string]string {
	out := map[string]string{}
	form := ""
	for _, line := range strings.Split(fix, "\n") {
		if strings.HasPrefix(line, "[") {
			if f, _, ok := strings.Cut(line[1:], "] "); ok && !strings.Contains(f, " ") {
				form = f
				continue
			}
		}
		if form != "" {
			out[form] += line + "\n"
		}
	}
	return out
}
