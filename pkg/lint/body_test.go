package lint

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/iac"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

// A method defined in a SAM DefinitionBody whose non-proxy integration maps
// no Access-Control-Allow-Origin is fixed in the body (SAM's Cors only adds
// OPTIONS, and an AWS::ApiGateway::Method beside the body drifts from it),
// and the fix maps the header on the status the method answers (202), not
// a 200 written over it.
func TestBodyMethodFixedInTheBody(t *testing.T) {
	tmpl, err := iac.ReadFile("../../testdata/lint/mistakes/sam-body-integration-no-cors.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Lint([]*iac.Template{tmpl}, Options{Origins: []string{"https://app.example.com"},
		Header: map[string][]string{"Content-Type": {"application/json"}}})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range rep.Findings {
		if f.Code != platform.CodeAPIGWCorsOnlyOnOptions {
			continue
		}
		seen++
		s, ok := snippets(f.Fix)["openapi"]
		if !ok {
			t.Fatalf("no openapi fix:\n%s", f.Fix)
		}
		if !strings.Contains(s, `statusCode: "202"`) || strings.Contains(s, `"200"`) {
			t.Errorf("the fix does not keep the method's 202:\n%s", s)
		}
	}
	if seen == 0 {
		t.Fatal("no apigw-cors-only-on-options finding")
	}
}
