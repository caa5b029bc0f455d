package iac

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

// List parameters and the list functions resolve as CloudFormation resolves
// them: !Ref to a CommaDelimitedList or List<…> parameter is its default's
// items, !Split and !Select work on known values, and an SSM parameter's
// default is the name of the SSM parameter, not the value (unknown).
func TestCFNListIntrinsics(t *testing.T) {
	const params = `Parameters:
  Origins: {Type: CommaDelimitedList, Default: "https://a.example.com, https://b.example.com"}
  Methods: {Type: "List<String>", Default: "PUT,GET"}
  FromSSM: {Type: "AWS::SSM::Parameter::Value<String>", Default: /app/origin}
  One: {Type: String, Default: "https://c.example.com"}
Resources:
  U:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: x
      AuthType: NONE
      Cors:
`
	tests := []struct {
		name, cors       string
		origins, methods string
	}{
		{"list ref", "AllowOrigins: !Ref Origins\n        AllowMethods: !Ref Methods",
			"https://a.example.com https://b.example.com", "PUT GET"},
		{"long form", `AllowOrigins: {"Ref": "Origins"}`, "https://a.example.com https://b.example.com", ""},
		{"split", `AllowOrigins: !Split [",", !Join [",", [!Ref One, "https://d.example.com"]]]
        AllowMethods: !Split [",", "PUT,DELETE"]`, "https://c.example.com https://d.example.com", "PUT DELETE"},
		{"select", "AllowOrigins: [!Select [1, !Ref Origins], !Select [0, [x, y]]]",
			"https://b.example.com x", ""},
		{"select out of range", "AllowOrigins: [!Select [5, !Ref Origins]]", awsmodel.DeployTimeOrigin, ""},
		{"ssm", "AllowOrigins: [!Ref FromSSM]", awsmodel.DeployTimeOrigin, ""},
		{"ssm in sub", `AllowOrigins: [!Sub "${FromSSM}"]`, awsmodel.DeployTimeOrigin, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := Read("t.yaml", []byte(params+"        "+tt.cors+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			u := tmpl.Services[0].(*awsmodel.FunctionURL)
			if u.Cors == nil {
				t.Fatal("no Cors")
			}
			if got := strings.Join(u.Cors.AllowOrigins, " "); got != tt.origins {
				t.Errorf("AllowOrigins %q, want %q", got, tt.origins)
			}
			if got := strings.Join(u.Cors.AllowMethods, " "); got != tt.methods {
				t.Errorf("AllowMethods %q, want %q", got, tt.methods)
			}
		})
	}
}
