package cli

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// hclEdit replaces src[start:end] with text.
type hclEdit struct {
	start, end int
	text       string
}

// hclKeyOf is an object key's name, or "" when it is not a literal.
func hclKeyOf(k hclsyntax.Expression) string {
	if kx, ok := k.(*hclsyntax.ObjectConsKeyExpr); ok {
		if name := hcl.ExprAsKeyword(kx.Wrapped); name != "" && !kx.ForceNonLiteral {
			return name
		}
		k = kx.Wrapped
	}
	v, diags := k.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

// mergeHCLEdits are the edits that merge the object add (written in fix)
// into the object dst (written in src), as a user pastes a fragment into
// the same keys: objects key by key, anything else replaced.
func mergeHCLEdits(src []byte, dst *hclsyntax.ObjectConsExpr, fix []byte, add *hclsyntax.ObjectConsExpr) []hclEdit {
	var edits []hclEdit
	for _, it := range add.Items {
		key := hclKeyOf(it.KeyExpr)
		var match *hclsyntax.ObjectConsItem
		for i := range dst.Items {
			if hclKeyOf(dst.Items[i].KeyExpr) == key {
				match = &dst.Items[i]
			}
		}
		text := string(fix[it.KeyExpr.Range().Start.Byte:it.ValueExpr.Range().End.Byte])
		if match == nil {
			end := dst.SrcRange.End.Byte - 1 // the closing brace
			edits = append(edits, hclEdit{end, end, "\n" + text + "\n"})
			continue
		}
		d, dok := match.ValueExpr.(*hclsyntax.ObjectConsExpr)
		a, aok := it.ValueExpr.(*hclsyntax.ObjectConsExpr)
		if dok && aok {
			edits = append(edits, mergeHCLEdits(src, d, fix, a)...)
			continue
		}
		r := match.ValueExpr.Range()
		edits = append(edits, hclEdit{r.Start.Byte, r.End.Byte, string(fix[it.ValueExpr.Range().Start.Byte:it.ValueExpr.Range().End.Byte])})
	}
	return edits
}

// inlineBody is the object of the first body = jsonencode({...}) in a .tf file.
func inlineBody(t *testing.T, src []byte) *hclsyntax.ObjectConsExpr {
	t.Helper()
	f, diags := hclsyntax.ParseConfig(src, "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("the .tf does not parse: %v\n%s", diags, src)
	}
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		a := b.Body.Attributes["body"]
		if a == nil {
			continue
		}
		if call, ok := a.Expr.(*hclsyntax.FunctionCallExpr); ok && call.Name == "jsonencode" && len(call.Args) == 1 {
			if obj, ok := call.Args[0].(*hclsyntax.ObjectConsExpr); ok {
				return obj
			}
		}
	}
	t.Fatal("no body = jsonencode({...})")
	return nil
}

// The HCL that lint prints for a Terraform body written inline, pasted
// into that body's jsonencode({...}), fixes what it is for: lint of the
// route in the result reports no error and none of the fixed codes.
func TestLintTerraformInlineFixesProven(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/lint/mistakes/*.tf")
	proven := 0
	for _, f := range files {
		args := lintArgs(t, f)
		got, _, _ := runLintJSON(t, append([]string{f}, args...)...)
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		byRoute := map[string][]string{} // the HCL snippets of each route
		fixed := map[string]map[string]bool{}
		for _, x := range got.Findings {
			snip := snippetOf(x.Fix, "terraform")
			if snip == "" || !strings.Contains(x.Fix, "inside the body's jsonencode({...})") {
				continue
			}
			if fixed[x.Route] == nil {
				fixed[x.Route] = map[string]bool{}
			}
			fixed[x.Route][x.Code] = true
			byRoute[x.Route] = append(byRoute[x.Route], snip)
		}
		for route, snips := range byRoute {
			t.Run(filepath.Base(f)+"/"+route, func(t *testing.T) {
				out := src
				seen := map[string]bool{}
				for _, snip := range snips {
					if seen[snip] {
						continue
					}
					seen[snip] = true
					fix := []byte("{\n" + snip + "}")
					expr, diags := hclsyntax.ParseExpression(fix, "fix.tf", hcl.InitialPos)
					if diags.HasErrors() {
						t.Fatalf("the HCL fix does not parse: %v\n%s", diags, snip)
					}
					edits := mergeHCLEdits(out, inlineBody(t, out), fix, expr.(*hclsyntax.ObjectConsExpr))
					sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
					for _, e := range edits {
						out = append(append(append([]byte(nil), out[:e.start]...), e.text...), out[e.end:]...)
					}
				}
				fixedFile := filepath.Join(t.TempDir(), filepath.Base(f))
				if err := os.WriteFile(fixedFile, out, 0o644); err != nil {
					t.Fatal(err)
				}
				method, _, _ := strings.Cut(route, " ")
				after, code, stderr := runLintJSON(t, append([]string{fixedFile, "--route", route, "-X", method}, args...)...)
				for _, x := range after.Findings {
					if x.Severity == "error" || fixed[route][x.Code] {
						t.Errorf("after the fix: %s %s at %d", x.Severity, x.Code, x.Line)
					}
				}
				if code != ExitAllowed {
					t.Errorf("after the fix: exit %d (%s)\n%s", code, stderr, out)
				}
				proven++
			})
		}
	}
	if proven == 0 {
		t.Error("no HCL fix for an inline body was proven")
	}
}
