// Package iac reads infrastructure templates (CloudFormation and SAM in
// YAML or JSON, OpenAPI 3 and Swagger 2 with the x-amazon-apigateway-*
// extensions, serverless.yml, Terraform) into awsmodel values: what the deployed APIs,
// function URLs and buckets will be, each part anchored to the line and
// column that wrote it.
//
// Templates are untrusted input: the readers never panic, and a file they
// cannot read is a *ParseError naming the file, line and why. CloudFormation
// intrinsic functions (!Ref, !Sub, !GetAtt, Fn::*) are read, not choked on:
// a value only known at deploy time resolves to a parameter's default when
// there is one, and is otherwise left unknown.
package iac

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

// ParseError is a template that cannot be read.
type ParseError struct {
	File string
	Line int // 0 when unknown
	Col  int // 0 when unknown
	Msg  string
}

func (e *ParseError) Error() string {
	return e.Where() + ": " + e.Msg
}

// Where is file:line[:col], or the file when the line is unknown.
func (e *ParseError) Where() string {
	if e.Line > 0 && e.Col > 0 {
		return fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col)
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return e.File
}

// Kind is the kind of template, which is also the form fixes are given in.
type Kind string

const (
	KindCloudFormation Kind = "cloudformation"
	KindSAM            Kind = "sam"
	KindOpenAPI        Kind = "openapi"
	KindServerless     Kind = "serverless"
)

// Template is what a file describes.
type Template struct {
	File string
	Kind Kind
	// Services are the APIs, function URLs and buckets, in file order.
	Services []awsmodel.Service
	// Definitions are the services whose fixes belong in an OpenAPI
	// definition inside the template: a Terraform REST API's body (an HTTP
	// API's CORS is its cors_configuration block, whatever its body says), a
	// CloudFormation RestApi's inline Body, a SAM Api's DefinitionBody.
	Definitions map[awsmodel.Service]bool
	// InlineBodies are the Terraform APIs whose body is written in HCL,
	// jsonencode({...}), not read from a file: a fix to the body is
	// written in HCL there.
	InlineBodies map[awsmodel.Service]bool
	// SAM are, in a SAM template, the services SAM resources define
	// (AWS::Serverless::Api, HttpApi, a function's FunctionUrlConfig); the
	// others are CloudFormation resources, whose fixes are CloudFormation's.
	SAM map[awsmodel.Service]bool
	// Warnings are parts that were not read (or not as written), each with
	// where and why; the rest of the template is read.
	Warnings []*ParseError
}

// maxTemplateBytes bounds what is read: CloudFormation's own limit is 1 MB
// (S3-hosted templates), a generous multiple of it is plenty.
const maxTemplateBytes = 16 << 20

var reYAMLLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseDoc parses YAML or JSON into a node tree with positions.
func parseDoc(file string, data []byte) (*yaml.Node, error) {
	if len(data) > maxTemplateBytes {
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("larger than %d bytes", maxTemplateBytes)}
	}
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	isJSON := len(t) > 0 && t[0] == '{'
	if isJSON {
		// JSON may indent with tabs, which YAML refuses; a raw tab cannot
		// occur inside a JSON string, so a space in its place keeps every
		// position.
		data = bytes.ReplaceAll(data, []byte{'\t'}, []byte{' '})
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		msg := err.Error()
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			msg = te.Errors[0]
		}
		pe := &ParseError{File: file, Msg: strings.TrimPrefix(msg, "yaml: ")}
		if m := reYAMLLine.FindStringSubmatch(msg); m != nil {
			pe.Line, _ = strconv.Atoi(m[1])
			pe.Msg = m[2]
		}
		if isJSON {
			// YAML's message for JSON often has no line, or line 1 of a
			// minified file: JSON's own says where, to the column.
			jsonSyntaxError(pe, data)
		}
		return nil, pe
	}
	if len(root.Content) == 0 {
		return nil, &ParseError{File: file, Msg: "empty document"}
	}
	doc := root.Content[0]
	expandMerges(doc, map[*yaml.Node]bool{})
	if deref(doc).Kind != yaml.MappingNode {
		return nil, &ParseError{File: file, Line: doc.Line, Msg: "the document is not a mapping"}
	}
	return deref(doc), nil
}

// jsonSyntaxError sets pe's place and reason to where data fails as JSON,
// when it does (JSON that YAML refuses for another reason keeps YAML's).
func jsonSyntaxError(pe *ParseError, data []byte) {
	// An editor shows no column for a BOM; JSON refuses it.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var raw json.RawMessage
	var se *json.SyntaxError
	if err := json.Unmarshal(data, &raw); !errors.As(err, &se) {
		return
	}
	// Offset counts the byte that failed; at the end it is the length.
	at := int(se.Offset) - 1
	pe.Msg = se.Error()
	if int(se.Offset) >= len(data) && strings.HasPrefix(se.Error(), "unexpected end") {
		at = len(data)
		pe.Msg += " (the file is cut off)"
	}
	at = max(0, min(at, len(data)))
	start := bytes.LastIndexByte(data[:at], '\n') + 1
	pe.Line = bytes.Count(data[:at], []byte{'\n'}) + 1
	pe.Col = utf8.RuneCount(data[start:at]) + 1
}

// expandMerges writes each YAML merge key (`<<: *defaults`, `<<: [*a, *b]`)
// out as the keys it merges, as js-yaml (serverless.yml) and PyYAML (`sam
// deploy`) read it: the mapping's own keys win, then the first mapping
// listed. Keys and values are shared, not copied, and each anchored node
// (the only ones an alias reaches again) is visited once, so an alias bomb
// costs no more than its text.
func expandMerges(n *yaml.Node, done map[*yaml.Node]bool) {
	n = deref(n)
	if n == nil || done[n] {
		return
	}
	if n.Anchor != "" {
		done[n] = true
	}
	for _, c := range n.Content {
		expandMerges(c, done)
	}
	if n.Kind != yaml.MappingNode {
		return
	}
	own := map[string]bool{}
	merges := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merges = true
		} else {
			own[k.Value] = true
		}
	}
	if !merges {
		return
	}
	var out []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!merge" {
			out = append(out, k, v)
			continue
		}
		from := []*yaml.Node{v}
		if deref(v).Kind == yaml.SequenceNode {
			from = deref(v).Content
		}
		for _, m := range from {
			m = deref(m)
			if m == nil || m.Kind != yaml.MappingNode {
				continue // yaml.v3 refuses these already
			}
			for j := 0; j+1 < len(m.Content); j += 2 {
				if key := m.Content[j].Value; !own[key] {
					own[key] = true
					out = append(out, m.Content[j], m.Content[j+1])
				}
			}
		}
	}
	n.Content = out
}

// deref follows an alias (once: yaml.v3 has already refused cycles).
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return deref(n.Content[0])
	}
	return n
}

// get returns the value of key in a mapping node, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return deref(n.Content[i+1])
		}
	}
	return nil
}

// getFold is get ignoring case (serverless.yml keys are written loosely).
func getFold(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if strings.EqualFold(n.Content[i].Value, key) {
			return deref(n.Content[i+1])
		}
	}
	return nil
}

// keyNode returns the key node of key (its position anchors a property).
func keyNode(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i]
		}
	}
	return nil
}

// pairs calls fn for each key and value of a mapping, in file order.
func pairs(n *yaml.Node, fn func(k, v *yaml.Node)) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i], deref(n.Content[i+1]))
	}
}

// items returns a sequence's items; a single value counts as one item.
func items(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.SequenceNode && n.Tag == "!!seq" || n.Kind == yaml.SequenceNode && n.Tag == "":
		out := make([]*yaml.Node, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, deref(c))
		}
		return out
	}
	return []*yaml.Node{n}
}

// pos anchors a node.
func pos(file string, n *yaml.Node) awsmodel.Pos {
	if n == nil {
		return awsmodel.Pos{File: file}
	}
	return awsmodel.Pos{File: file, Line: n.Line, Column: n.Column}
}

// resolver resolves intrinsic functions as far as a template allows.
type resolver struct {
	params map[string]string // parameter defaults
	lists  map[string]bool   // parameters of a list type: !Ref is the default's items
	// steps counts values resolved; over is the value at which a bound
	// (maxResolveSteps, maxResolvedValue) was passed: aliases under !Join
	// double a value at each level without doubling the text.
	steps    int
	over     *yaml.Node
	conds    *yaml.Node // the Conditions section
	condMemo map[string]condState
	fromIf   map[*yaml.Node]bool // values that were an Fn::If (SAM merges them as scalars)
	walked   map[*yaml.Node]bool // nodes whose conditions are resolved
}

// intrinsic returns the function name and argument of an intrinsic
// (!Ref x, {"Ref": x}, !Sub …, {"Fn::Sub": …}), or "".
func intrinsic(n *yaml.Node) (string, *yaml.Node) {
	n = deref(n)
	if n == nil {
		return "", nil
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		name := n.Tag[1:]
		if name != "Ref" && name != "Condition" {
			name = "Fn::" + name
		}
		return name, n
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, deref(n.Content[1])
		}
	}
	return "", nil
}

var reSubVar = regexp.MustCompile(`\$\{([^}!]+)\}`)

// Bounds on resolving: far beyond any template, well short of a bomb.
const (
	maxResolveSteps  = 1 << 22
	maxResolvedValue = 1 << 20
)

// bomb is the refusal of a template whose values passed the bounds, or nil.
func (r *resolver) bomb(file string) error {
	if r.over == nil {
		return nil
	}
	return &ParseError{File: file, Line: r.over.Line, Msg: fmt.Sprintf("intrinsic functions (and the aliases they name) expand beyond %d bytes or %d steps", maxResolvedValue, maxResolveSteps)}
}

// str resolves a scalar value; ok is false when it is only known at deploy
// time.
func (r *resolver) str(n *yaml.Node) (string, bool) {
	n = deref(n)
	if n == nil || r.over != nil {
		return "", false
	}
	if r.steps++; r.steps > maxResolveSteps {
		r.over = n
		return "", false
	}
	fn, arg := intrinsic(n)
	switch fn {
	case "":
		if n.Kind != yaml.ScalarNode {
			return "", false
		}
		return n.Value, true
	case "Ref":
		if arg.Kind == yaml.ScalarNode {
			if v, ok := r.params[arg.Value]; ok {
				return v, true
			}
		}
		return "", false
	case "Fn::Sub":
		tmpl := arg
		if arg.Kind == yaml.SequenceNode && len(arg.Content) > 0 {
			tmpl = deref(arg.Content[0])
		}
		if tmpl == nil || tmpl.Kind != yaml.ScalarNode {
			return "", false
		}
		ok := true
		out := reSubVar.ReplaceAllStringFunc(tmpl.Value, func(m string) string {
			if v, found := r.params[m[2:len(m)-1]]; found {
				return v
			}
			ok = false
			return m
		})
		return out, ok
	case "Fn::Join":
		parts := args(arg)
		if len(parts) != 2 {
			return "", false
		}
		sep, ok := r.str(parts[0])
		if !ok {
			return "", false
		}
		var vals []string
		for _, it := range items(parts[1]) {
			v, ok := r.str(it)
			if !ok {
				return "", false
			}
			vals = append(vals, v)
		}
		size := 0
		for _, v := range vals {
			size += len(v) + len(sep)
		}
		if size > maxResolvedValue {
			r.over = n
			return "", false
		}
		return strings.Join(vals, sep), true
	case "Fn::Select":
		parts := args(arg)
		if len(parts) != 2 {
			return "", false
		}
		i, ok := r.integer(parts[0])
		list, known := r.strs(parts[1])
		if !ok || !known || i < 0 || i >= len(list) {
			return "", false
		}
		return list[i], true
	}
	return "", false
}

// strs resolves a list of strings (or one string); unknown items are left
// out, and known reports whether every item was resolved.
func (r *resolver) strs(n *yaml.Node) (out []string, known bool) {
	known = true
	switch fn, arg := intrinsic(n); fn {
	case "", "Fn::Sub", "Fn::Join", "Fn::Select":
	case "Ref":
		v, ok := r.params[arg.Value]
		if !r.lists[arg.Value] || !ok {
			return nil, false
		}
		// CommaDelimitedList: "each member string is space trimmed".
		for _, s := range strings.Split(v, ",") {
			out = append(out, strings.TrimSpace(s))
		}
		return out, true
	case "Fn::Split":
		parts := args(arg)
		if len(parts) != 2 {
			return nil, false
		}
		sep, ok1 := r.str(parts[0])
		src, ok2 := r.str(parts[1])
		if !ok1 || !ok2 || sep == "" {
			return nil, false
		}
		return strings.Split(src, sep), true
	default:
		return nil, false
	}

	for _, it := range items(n) {
		if v, ok := r.str(it); ok {
			out = append(out, v)
		} else {
			known = false
		}
	}
	return out, known
}

// boolean resolves a boolean; ok is false when absent or unknown.
func (r *resolver) boolean(n *yaml.Node) (value, ok bool) {
	v, ok := r.str(n)
	if !ok {
		return false, false
	}
	b, err := strconv.ParseBool(strings.ToLower(v))
	return b, err == nil
}

// integer resolves an integer; ok is false when absent or unknown.
func (r *resolver) integer(n *yaml.Node) (int, bool) {
	v, ok := r.str(n)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(strings.TrimSpace(v))
	return i, err == nil
}

// refName is the logical id a !Ref or !GetAtt points to ("" otherwise).
func refName(n *yaml.Node) string {
	fn, arg := intrinsic(n)
	switch fn {
	case "Ref":
		if arg.Kind == yaml.ScalarNode {
			return arg.Value
		}
	case "Fn::GetAtt":
		if arg.Kind == yaml.ScalarNode {
			return strings.SplitN(arg.Value, ".", 2)[0]
		}
		if it := args(arg); len(it) > 0 && it[0].Kind == yaml.ScalarNode {
			return it[0].Value
		}
	}
	return ""
}

// getAttName is the attribute of a !GetAtt (Api.RootResourceId → RootResourceId).
func getAttName(n *yaml.Node) string {
	fn, arg := intrinsic(n)
	if fn != "Fn::GetAtt" {
		return ""
	}
	if arg.Kind == yaml.ScalarNode {
		if _, attr, ok := strings.Cut(arg.Value, "."); ok {
			return attr
		}
		return ""
	}
	if it := args(arg); len(it) > 1 && it[1].Kind == yaml.ScalarNode {
		return it[1].Value
	}
	return ""
}
