package lint

import (
	"net/http"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/iac"
)

// A CORS property written in the wrong shape is not a value known at
// deploy time: SAM's Cors takes strings (AllowOrigin one origin, in
// quotes), an HTTP API's and a function URL's lists. lint names the file,
// line and property in a warning, and predicts no allowance from what the
// service would not take: a list of origins in AllowOrigin (a common try at
// several origins) was read as the page's origin, allowed, in silence.
func TestCorsPropertyOfTheWrongShape(t *testing.T) {
	for _, tc := range []struct {
		name, tmpl, warning string
		blocked             bool
	}{
		{"sam AllowOrigin list", samAPIWithCors(`        AllowOrigin: ["https://app.example.com", "https://b.example.com"]
        AllowHeaders: "'content-type'"
`), "t.yaml:8:9: Cors.AllowOrigin", true},
		{"sam AllowHeaders list", samAPIWithCors(`        AllowOrigin: "'https://app.example.com'"
        AllowHeaders: [content-type]
`), "t.yaml:9:9: Cors.AllowHeaders", true},
		{"http api AllowOrigins string", `Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: api
      ProtocolType: HTTP
      Target: arn:aws:lambda:us-east-1:123456789012:function:fn
      CorsConfiguration:
        AllowOrigins: https://app.example.com
        AllowHeaders: [content-type]
        AllowMethods: [POST]
`, "t.yaml:9:9: CorsConfiguration.AllowOrigins", false},
		// After the SAM translator's error inputs
		// (error_function_with_function_url_config_with_invalid_cors_parameter.yaml,
		// error_invalid_httpapi_cors_property.yaml): SAM's Api spelling in
		// a function URL's or an HTTP API's Cors, and the other way round.
		{"function url AllowOrigin", `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: nodejs20.x
      FunctionUrlConfig:
        AuthType: NONE
        Cors:
          AllowOrigin: [https://app.example.com]
          AllowMethods: [POST]
          AllowHeaders: [content-type]
`, "t.yaml:11:11: Cors.AllowOrigin is not one of its properties", true},
		{"sam api AllowOrigins", samAPIWithCors(`        AllowOrigins: "'https://app.example.com'"
        AllowHeaders: "'content-type'"
`), "t.yaml:8:9: Cors.AllowOrigins is not one of its properties", false},
		{"function url Cors list", `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: nodejs20.x
      FunctionUrlConfig:
        AuthType: NONE
        Cors:
          - https://app.example.com
`, "t.yaml:10:9: Cors is a list", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := iac.Read("t.yaml", []byte(tc.tmpl))
			if err != nil {
				t.Fatal(err)
			}
			var ws []string
			for _, w := range tmpl.Warnings {
				ws = append(ws, w.Error())
			}
			if len(ws) != 1 || !strings.HasPrefix(ws[0], tc.warning) {
				t.Errorf("warnings %q, want one at %s", ws, tc.warning)
			}
			rep, err := Lint([]*iac.Template{tmpl}, Options{Origins: []string{"https://app.example.com"}, Method: "POST",
				Header: http.Header{"Content-Type": {"application/json"}}})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Blocked() != tc.blocked {
				t.Errorf("blocked %v, want %v", rep.Blocked(), tc.blocked)
				for _, x := range rep.Results {
					t.Logf("%s %s", x.Route, x.Verdict)
				}
			}
		})
	}
}

// samAPIWithCors is a SAM Api with the Cors properties given (YAML at
// eight spaces) and a function's POST /x on it.
func samAPIWithCors(cors string) string {
	return `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors:
` + cors + `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: nodejs20.x
      Events:
        E:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /x, Method: post}
`
}
