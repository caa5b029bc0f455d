package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// terraformSnippets returns the [terraform] forms of a printed fix.
func terraformSnippets(fix string) []string {
	var out []string
	for _, part := range strings.Split(fix, "\n[")[1:] {
		title, body, _ := strings.Cut(part, "\n")
		if !strings.HasPrefix(title, "terraform]") {
			continue
		}
		body, _, _ = strings.Cut(body, "\nOther forms:")
		out = append(out, body)
	}
	return out
}

// Every Terraform form lint prints for the broken fixtures parses as HCL
// (the fix proof pastes the other forms; these it cannot).
func TestLintTerraformFixesParse(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/lint/mistakes/*")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".openapi.yaml") {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			got, _, _ := runLintJSON(t, append([]string{f, "--fix-format", "terraform"}, lintArgs(t, f)...)...)
			for _, x := range got.Findings {
				for _, s := range terraformSnippets(x.Fix) {
					n++
					if _, diags := hclsyntax.ParseConfig([]byte(s), "fix.tf", hcl.InitialPos); diags.HasErrors() {
						t.Errorf("%s %s: the terraform fix does not parse: %s\n%s", x.Code, x.Route, diags.Error(), s)
					}
				}
			}
		})
	}
	t.Logf("%d terraform snippets parsed", n)
	if n < 5 {
		t.Fatalf("only %d terraform snippets checked", n)
	}
}
