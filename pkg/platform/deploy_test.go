package platform

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"go.yaml.in/yaml/v3"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestTerraformDeploymentsSeeTheFix: Terraform makes a new
// aws_api_gateway_deployment only when its triggers change, and an API
// built of aws_api_gateway_method resources has no body, so a trigger on
// the body never changes: the stage would keep serving the deployment
// without the fix. Every API Gateway resource a snippet adds is in its
// deployment's triggers (which also orders the deployment after them).
func TestTerraformDeploymentsSeeTheFix(t *testing.T) {
	n := 0
	everyFixOf(t, []Format{FormatTerraform}, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		file, diags := hclsyntax.ParseConfig([]byte(f.Snippet), "fix.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("HCL: %s", diags.Error())
		}
		var added []string
		var deployment *hclsyntax.Block
		for _, b := range file.Body.(*hclsyntax.Body).Blocks {
			if b.Type != "resource" || len(b.Labels) != 2 {
				continue
			}
			switch typ := b.Labels[0]; {
			case typ == "aws_api_gateway_deployment":
				deployment = b
			case strings.HasPrefix(typ, "aws_api_gateway_"):
				added = append(added, typ+"."+b.Labels[1])
			}
		}
		if deployment == nil {
			return
		}
		n++
		attr, ok := deployment.Body.Attributes["triggers"]
		if !ok {
			t.Fatalf("the deployment has no triggers:\n%s", f.Snippet)
		}
		seen := map[string]bool{}
		for _, v := range attr.Expr.Variables() {
			if len(v) < 2 {
				continue
			}
			if a, ok := v[1].(hcl.TraverseAttr); ok {
				seen[v.RootName()+"."+a.Name] = true
			}
		}
		for _, r := range added {
			if !seen[r] {
				t.Errorf("the deployment's triggers miss %s, which the snippet adds: the stage keeps serving the old deployment\n%s", r, f.Snippet)
			}
		}
	})
	if n == 0 {
		t.Fatal("no terraform snippet with a deployment")
	}
}

// TestServerlessEventsKeepThePageMethod: a serverless.yml http event the
// user merges into theirs names the method the page calls; `method: any`
// would add an ANY method beside it, routing every other method of the
// path to the function.
func TestServerlessEventsKeepThePageMethod(t *testing.T) {
	everyFixOf(t, []Format{FormatServerless}, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		var doc struct {
			Functions map[string]struct {
				Events []struct {
					HTTP *struct {
						Method string `yaml:"method"`
					} `yaml:"http"`
				} `yaml:"events"`
			} `yaml:"functions"`
		}
		if err := yaml.Unmarshal([]byte(f.Snippet), &doc); err != nil {
			t.Fatalf("YAML: %v", err)
		}
		for _, fn := range doc.Functions {
			for _, e := range fn.Events {
				if e.HTTP != nil && !strings.EqualFold(e.HTTP.Method, ctx.Method) {
					t.Errorf("http event method %q, the page calls %s:\n%s", e.HTTP.Method, ctx.Method, f.Snippet)
				}
			}
		}
	})
}
