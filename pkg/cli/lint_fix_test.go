package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// snippetOf returns the snippet a fix text shows in form, or "".
func snippetOf(fix, form string) string {
	i := strings.Index(fix, "\n["+form+"] ")
	if i < 0 {
		return ""
	}
	rest := fix[i+1:]
	_, rest, _ = strings.Cut(rest, "\n") // the title line
	if j := strings.Index(rest, "\n\nOther forms:"); j >= 0 {
		rest = rest[:j]
	}
	return rest + "\n"
}

// mergeYAML merges snippet into doc: mappings key by key, anything else
// replaced, as a user pastes a fragment into the same keys.
func mergeYAML(dst, src *yaml.Node) {
	if dst.Kind == yaml.DocumentNode {
		dst = dst.Content[0]
	}
	if src.Kind == yaml.DocumentNode {
		src = src.Content[0]
	}
	if dst.Kind != yaml.MappingNode || src.Kind != yaml.MappingNode {
		*dst = *src
		return
	}
	for i := 0; i+1 < len(src.Content); i += 2 {
		k, v := src.Content[i], src.Content[i+1]
		found := false
		for j := 0; j+1 < len(dst.Content); j += 2 {
			if dst.Content[j].Value == k.Value {
				found = true
				if dst.Content[j+1].Kind == yaml.MappingNode && v.Kind == yaml.MappingNode {
					mergeYAML(dst.Content[j+1], v)
				} else {
					dst.Content[j+1] = v
				}
			}
		}
		if !found {
			dst.Content = append(dst.Content, k, v)
		}
	}
}

// physicalNames are the properties that name a resource in AWS: CloudFormation
// replaces the resource when one changes (a new bucket, the old one deleted
// with its objects, policies and rules), so a CORS fix never writes one.
var physicalNames = []string{"BucketName", "FunctionName"}

// namesOf returns, per resource of a CloudFormation document, its physical
// name properties as written ("" when absent).
func namesOf(doc *yaml.Node) map[string]string {
	out := map[string]string{}
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	res := valueOf(valueOf(root, "resources"), "Resources") // serverless.yml
	if res == nil {
		res = valueOf(root, "Resources")
	}
	if res == nil || res.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(res.Content); i += 2 {
		props := valueOf(res.Content[i+1], "Properties")
		for _, k := range physicalNames {
			v := ""
			if n := valueOf(props, k); n != nil {
				b, _ := yaml.Marshal(n)
				v = string(b)
			}
			out[res.Content[i].Value+"."+k] = v
		}
	}
	return out
}

func valueOf(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

var kindForms = map[string][]string{
	"cloudformation": {"openapi", "cloudformation"},
	"sam":            {"sam", "openapi", "cloudformation"},
	"openapi":        {"openapi"},
	"serverless":     {"serverless"},
}

// Every CloudFormation, SAM, OpenAPI and serverless.yml snippet lint prints
// for a broken fixture is pasted into it, route by route, and lint of that
// route in the result reports no error and none of the fixed codes: fixes
// are proven by the model.
func TestLintFixesProven(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/lint/mistakes/*")
	proven := 0
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			args := lintArgs(t, f)
			got, _, _ := runLintJSON(t, append([]string{f}, args...)...)
			data, _ := os.ReadFile(f)
			kind := kindOf(t, f, args)
			if kindForms[kind] == nil {
				t.Skipf("pasting %s snippets is not modelled here (the platform tests parse them)", kind)
			}
			byRoute := map[string][]int{}
			var routes []string
			for i, x := range got.Findings {
				if _, ok := byRoute[x.Route]; !ok {
					routes = append(routes, x.Route)
				}
				byRoute[x.Route] = append(byRoute[x.Route], i)
			}
			for _, route := range routes {
				out, fixed := pasteFixes(t, data, got, byRoute[route], kind)
				if out == nil {
					continue // only engine codes, whose fix is generic
				}
				fixedFile := filepath.Join(t.TempDir(), filepath.Base(f))
				os.WriteFile(fixedFile, out, 0o644)
				method, _, _ := strings.Cut(route, " ")
				rargs := append([]string{fixedFile, "--route", route, "-X", method}, args...)
				after, code, stderr := runLintJSON(t, rargs...)
				for _, x := range after.Findings {
					if x.Severity == "error" || fixed[x.Code] {
						t.Errorf("%s after the fix: %s %s at %d", route, x.Severity, x.Code, x.Line)
					}
				}
				if code != ExitAllowed {
					t.Errorf("%s after the fix: exit %d (%s)\n%s", route, code, stderr, out)
				}
				proven++
			}
			// A user pastes every fix printed, one after another: a later
			// one must not undo an earlier one (two methods of a resource
			// share its one OPTIONS).
			all := make([]int, len(got.Findings))
			for i := range all {
				all[i] = i
			}
			out, _ := pasteFixes(t, data, got, all, kind)
			if out == nil {
				return
			}
			fixedFile := filepath.Join(t.TempDir(), filepath.Base(f))
			os.WriteFile(fixedFile, out, 0o644)
			after, code, stderr := runLintJSON(t, append([]string{fixedFile}, args...)...)
			for _, x := range after.Findings {
				if x.Severity == "error" {
					t.Errorf("every fix pasted: %s %s at %d", x.Route, x.Code, x.Line)
				}
			}
			// Nor may a fix take a route away: a route gone has no error.
			kept := map[string]bool{}
			for _, r := range after.Routes {
				kept[r.Route] = true
			}
			for _, r := range got.Routes {
				if !kept[r.Route] {
					t.Errorf("every fix pasted: route %s is gone\n%s", r.Route, out)
				}
			}
			if code != ExitAllowed {
				t.Errorf("every fix pasted: exit %d (%s)\n%s", code, stderr, out)
			}
		})
	}
	if proven < 10 {
		t.Errorf("only %d routes had their fixes proven", proven)
	}
}

// pasteFixes pastes into the template data the snippet of each finding of
// got at idx, each snippet once, and returns the template (nil when none
// was pasted) and the codes fixed. A snippet that writes a physical name
// fails the test.
func pasteFixes(t *testing.T, data []byte, got lintJSON, idx []int, kind string) ([]byte, map[string]bool) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	names := namesOf(&doc)
	applied := map[string]bool{}
	fixed := map[string]bool{}
	for _, i := range idx {
		x := got.Findings[i]
		var snip, form string
		for _, form = range kindForms[kind] {
			if snip = snippetOf(x.Fix, form); snip != "" {
				break
			}
		}
		if snip == "" || x.Severity == "info" {
			continue
		}
		// The code behind a proxy stays unseen: its warning stays.
		if x.Code != "apigw-proxy-integration-no-cors" {
			fixed[x.Code] = true
		}
		if applied[snip] {
			continue
		}
		applied[snip] = true
		var frag yaml.Node
		if err := yaml.Unmarshal([]byte(snip), &frag); err != nil {
			t.Fatalf("%s snippet does not parse: %v\n%s", x.Code, err, snip)
		}
		if form == "openapi" && kind != "openapi" {
			// The API's inline OpenAPI document (Body, DefinitionBody).
			mergeYAML(bodyIn(t, &doc), &frag)
		} else {
			mergeYAML(&doc, &frag)
		}
		for k, v := range namesOf(&doc) {
			if names[k] != v {
				t.Errorf("%s %s: the fix writes %s %q over %q: the resource would be replaced", x.Route, x.Code, k, v, names[k])
			}
		}
	}
	if len(applied) == 0 {
		return nil, nil
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	return out, fixed
}

// bodyIn is the one inline OpenAPI document (a RestApi's Body, a SAM
// Api's DefinitionBody) of a template.
func bodyIn(t *testing.T, doc *yaml.Node) *yaml.Node {
	t.Helper()
	root := doc
	if root.Kind == yaml.DocumentNode {
		root = root.Content[0]
	}
	var found *yaml.Node
	res := valueOf(root, "Resources")
	for i := 1; res != nil && i < len(res.Content); i += 2 {
		props := valueOf(res.Content[i], "Properties")
		for _, k := range []string{"Body", "DefinitionBody"} {
			if b := valueOf(props, k); b != nil {
				if found != nil {
					t.Fatal("an OpenAPI snippet, and more than one inline body to paste it in")
				}
				found = b
			}
		}
	}
	if found == nil {
		t.Fatal("an OpenAPI snippet, and no inline body to paste it in")
	}
	return found
}

// kindOf is the template kind lint reports for f.
func kindOf(t *testing.T, f string, args []string) string {
	var out struct {
		Templates []struct {
			Kind string `json:"kind"`
		} `json:"templates"`
	}
	var buf strings.Builder
	Main(append([]string{"lint", "-o", "json", f}, args...), &IO{Out: &buf, Err: &buf, Getenv: func(string) string { return "" }})
	if err := json.Unmarshal([]byte(buf.String()), &out); err != nil || len(out.Templates) == 0 {
		t.Fatalf("no template kind: %v", err)
	}
	return out.Templates[0].Kind
}
