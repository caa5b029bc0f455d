package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/iac"
)

// bigTemplate is a SAM template with n routes: n/2 paths, GET and PUT on
// each, Cors, an authorizer kept off the preflight, gateway responses.
func bigTemplate(n int) []byte {
	var b strings.Builder
	b.WriteString(`Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors:
        AllowOrigin: "'https://app.example.com'"
        AllowHeaders: "'authorization,content-type'"
      Auth:
        DefaultAuthorizer: Cognito
        AddDefaultAuthorizerToCorsPreflight: false
        Authorizers:
          Cognito:
            UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/x
      GatewayResponses:
        DEFAULT_4XX:
          ResponseParameters:
            Headers:
              Access-Control-Allow-Origin: "'https://app.example.com'"
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
`)
	for i := 0; i < n/2; i++ {
		for _, m := range []string{"get", "put"} {
			fmt.Fprintf(&b, "        %s%d:\n          Type: Api\n          Properties:\n            RestApiId: !Ref Api\n            Path: /items%d/{id}\n            Method: %s\n", m, i, i, m)
		}
	}
	return []byte(b.String())
}

// BenchmarkLint1000Routes reads and lints a 1,000-route template from one
// origin (target: under a second; pkg/lint/bench/run.sh runs it).
func BenchmarkLint1000Routes(b *testing.B) {
	data := bigTemplate(1000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		t, err := iac.Read("big.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Lint([]*iac.Template{t}, Options{Origins: []string{"https://app.example.com"}})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Results) != 1000 {
			b.Fatalf("%d routes linted", len(rep.Results))
		}
	}
}

func TestBigTemplateIsRight(t *testing.T) {
	rep := lintSource(t, "big.yaml", bigTemplate(40), Options{Origins: []string{"https://app.example.com"}, Header: map[string][]string{"Content-Type": {"application/json"}}})
	if len(rep.Results) != 40 || rep.Blocked() {
		t.Fatalf("%d routes, blocked %v: %+v", len(rep.Results), rep.Blocked(), rep.Findings)
	}
}
