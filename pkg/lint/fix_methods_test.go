package lint

import (
	"regexp"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/iac"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

// A route with several methods (ANY) is reported once for all of them; the
// fix must allow every one, or pasting it leaves PUT, PATCH and DELETE
// blocked.
func TestFixAllowsEveryMethodOfTheRoute(t *testing.T) {
	tmpl, err := iac.ReadFile("../../testdata/lint/mistakes/sam-template-cfn-api-auth.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Lint([]*iac.Template{tmpl}, Options{Origins: []string{"https://app.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	acam := regexp.MustCompile(`Access-Control-Allow-Methods: "'([^']*)'"`)
	seen := 0
	for _, f := range rep.Findings {
		if f.Code != platform.CodeAPIGWAuthOnOptions {
			continue
		}
		seen++
		m := acam.FindStringSubmatch(f.Fix)
		if m == nil {
			t.Fatalf("%s: no Access-Control-Allow-Methods in the fix:\n%s", f.Route, f.Fix)
		}
		for _, verb := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
			if !strings.Contains(","+m[1]+",", ","+verb+",") {
				t.Errorf("%s: the fix allows %s, not %s", f.Route, m[1], verb)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no apigw-auth-on-options finding")
	}
}
