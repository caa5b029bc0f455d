package iac

// The body of aws_api_gateway_rest_api and aws_apigatewayv2_api: an OpenAPI
// definition written as jsonencode({...}), read from file(...) or rendered
// by templatefile(...). It is read into a yaml.Node tree and handed to the
// OpenAPI readers (readOpenAPIInto, readOpenAPIHTTP), so every OpenAPI rule
// stays in one place. Only what is known without running Terraform is
// evaluated: literals, jsonencode, path.module and the files beside the .tf
// file. A variable, local, data source, other resource or other function
// is an unknown value, read as a CloudFormation !Ref to a parameter without
// default is.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"go.yaml.in/yaml/v3"
)

// maxTerraformBytes bounds a .tf file, and a file its body reads as a
// template: the HCL parser keeps about 400 bytes per token, so 1 MiB of
// HCL may take 400 MB; hand-written Terraform is far smaller.
const maxTerraformBytes = 1 << 20

// maxHCLNesting bounds how deeply brackets, quotes, interpolations and
// operator chains nest: the HCL parser and evaluator recurse once per level
// and would overflow the stack on a hostile file.
const maxHCLNesting = 256

// unknownRef names the unknown value: an unknown scalar is a !Ref to it,
// which no resolver has a value for.
const unknownRef = "terraform:unknown"

// maxExponentDigits bounds a number literal's exponent: the HCL parser
// takes seconds to read 1e9999999, and minutes for one more digit.
const maxExponentDigits = 4

// checkTokens refuses, before the HCL parser sees them, tokens that nest
// deeper than maxHCLNesting and numbers with huge exponents, naming the
// line.
func checkTokens(file string, toks hclsyntax.Tokens) error {
	type level struct{ ops int }
	stack := []level{{}}
	for _, tok := range toks {
		top := &stack[len(stack)-1]
		switch tok.Type {
		case hclsyntax.TokenNumberLit:
			if i := bytes.IndexAny(tok.Bytes, "eE"); i >= 0 && len(bytes.TrimLeft(tok.Bytes[i+1:], "+-0")) > maxExponentDigits {
				return &ParseError{File: file, Line: tok.Range.Start.Line, Msg: fmt.Sprintf("number %.20s… has an exponent of more than %d digits", tok.Bytes, maxExponentDigits)}
			}
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenOQuote,
			hclsyntax.TokenOHeredoc, hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			stack = append(stack, level{})
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCQuote,
			hclsyntax.TokenCHeredoc, hclsyntax.TokenTemplateSeqEnd:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case hclsyntax.TokenComma, hclsyntax.TokenNewline, hclsyntax.TokenEqual:
			top.ops = 0
		case hclsyntax.TokenQuestion, hclsyntax.TokenBang, hclsyntax.TokenMinus, hclsyntax.TokenPlus,
			hclsyntax.TokenStar, hclsyntax.TokenSlash, hclsyntax.TokenPercent, hclsyntax.TokenEqualOp,
			hclsyntax.TokenNotEqual, hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq,
			hclsyntax.TokenGreaterThan, hclsyntax.TokenGreaterThanEq, hclsyntax.TokenAnd, hclsyntax.TokenOr:
			// Each operator of a chain is one more level of the parse tree.
			top.ops++
		}
		if len(stack)+stack[len(stack)-1].ops > maxHCLNesting {
			return &ParseError{File: file, Line: tok.Range.Start.Line, Msg: fmt.Sprintf("nests deeper than %d levels", maxHCLNesting)}
		}
	}
	return nil
}

// tfBody reads body attributes; file is the .tf file, dir its folder.
type tfBody struct {
	file, dir string
	warnings  []*ParseError
	// scope is rootScope and the variables' defaults.
	scope map[string]cty.Value
}

func (b *tfBody) warn(line int, format string, args ...any) {
	b.warnAt(b.file, line, format, args...)
}

func (b *tfBody) warnAt(file string, line int, format string, args ...any) {
	b.warnings = append(b.warnings, &ParseError{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

const keyLeftOut = "body: a key not known before deploy: left out, with what it holds"

// bodyDoc is a body read: the OpenAPI tree and the file its positions are
// in; inline when it is the HCL of jsonencode({...}).
type bodyDoc struct {
	root   *yaml.Node
	file   string
	inline bool
}

// read reads a body attribute. A body that cannot be known statically is
// nil with a warning; an error is a file the body names that is broken.
func (b *tfBody) read(a *hclsyntax.Attribute) (*bodyDoc, error) {
	line := a.SrcRange.Start.Line
	e := unwrap(a.Expr)
	// jsonencode(yamldecode(file(...))) and the like are the file itself.
	if call, ok := e.(*hclsyntax.FunctionCallExpr); ok && call.Name == "jsonencode" && len(call.Args) == 1 {
		inner := unwrap(call.Args[0])
		if dec, ok := inner.(*hclsyntax.FunctionCallExpr); ok && (dec.Name == "yamldecode" || dec.Name == "jsondecode") && len(dec.Args) == 1 {
			e = unwrap(dec.Args[0])
		} else {
			root := b.node(inner, b.scope)
			if root.Kind != yaml.MappingNode {
				b.warn(line, "body: jsonencode of a value not known before deploy: its OpenAPI is not read")
				return nil, nil
			}
			return &bodyDoc{root: root, file: b.file, inline: true}, nil
		}
	}
	if tmpl, ok := e.(*hclsyntax.TemplateExpr); ok && len(tmpl.Parts) > 0 {
		if text, ok := knownString(eval(tmpl, b.scope)); ok {
			return b.literal(tmpl, text)
		}
	}
	call, ok := e.(*hclsyntax.FunctionCallExpr)
	if !ok || (call.Name != "file" && call.Name != "templatefile") || len(call.Args) == 0 {
		b.warn(line, "body: not known before deploy (only jsonencode({...}), file(...), templatefile(...) and strings whose ${...} are known are read): its OpenAPI is not read")
		return nil, nil
	}
	name, ok := knownString(eval(call.Args[0], b.scope))
	if !ok {
		b.warn(line, "body: %s(...) of a path not known before deploy: its OpenAPI is not read", call.Name)
		return nil, nil
	}
	path, data, err := b.readLocal(name)
	if err != nil {
		b.warn(line, "body: %s(%q): %v: its OpenAPI is not read", call.Name, name, err)
		return nil, nil
	}
	unknowns := false
	if call.Name == "templatefile" {
		vars := cty.DynamicVal
		if len(call.Args) > 1 {
			vars = eval(call.Args[1], b.scope)
		}
		text, err := renderTemplate(path, data, vars)
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				return nil, &ParseError{File: b.file, Line: line, Msg: "body: " + pe.Error()}
			}
			b.warn(line, "body: templatefile(%q): %v: its OpenAPI is not read", name, err)
			return nil, nil
		}
		unknowns = strings.Contains(text, unknownMark)
		data = []byte(text)
	}
	root, err := parseDoc(path, data)
	if err != nil {
		if unknowns {
			b.warn(line, "body: templatefile(%q) with values not known before deploy does not parse (%v): its OpenAPI is not read", name, err)
			return nil, nil
		}
		return nil, &ParseError{File: b.file, Line: line, Msg: "body: " + err.Error()}
	}
	if unknowns {
		markUnknown(root, func(k *yaml.Node) { b.warnAt(path, k.Line, keyLeftOut) })
	}
	return &bodyDoc{root: root, file: path}, nil
}

// literal reads a body written as a known string (a heredoc, a quoted
// JSON): its lines are the .tf file's, from the line its text starts on.
func (b *tfBody) literal(tmpl *hclsyntax.TemplateExpr, text string) (*bodyDoc, error) {
	off := tmpl.Parts[0].Range().Start.Line - 1
	root, err := parseDoc(b.file, []byte(text))
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) && pe.Line > 0 {
			pe.Line += off
		} else if errors.As(err, &pe) {
			pe.Line = tmpl.SrcRange.Start.Line
		}
		pe.Msg = "body: " + pe.Msg
		return nil, pe
	}
	shiftLines(root, off, map[*yaml.Node]bool{})
	return &bodyDoc{root: root, file: b.file}, nil
}

// shiftLines moves every node of a tree down by off lines, each node once
// (aliases share nodes).
func shiftLines(n *yaml.Node, off int, done map[*yaml.Node]bool) {
	if n == nil || done[n] {
		return
	}
	done[n] = true
	n.Line += off
	for _, c := range n.Content {
		shiftLines(c, off, done)
	}
	shiftLines(n.Alias, off, done)
}

// readLocal reads a file named relative to the .tf file's folder; a name
// that leaves the folder is refused.
func (b *tfBody) readLocal(name string) (path string, data []byte, err error) {
	clean := filepath.Clean(filepath.FromSlash(name))
	if !filepath.IsLocal(clean) {
		return "", nil, errors.New("outside the folder of " + filepath.Base(b.file))
	}
	root, err := os.OpenRoot(b.dir)
	if err != nil {
		return "", nil, err
	}
	defer root.Close()
	unwrapPath := func(err error) error {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return pe.Err
		}
		return err
	}
	// Stat first: opening a named pipe would wait for a writer forever.
	st, err := root.Stat(clean)
	if err != nil {
		return "", nil, unwrapPath(err)
	}
	if !st.Mode().IsRegular() {
		return "", nil, errors.New("not a regular file")
	}
	f, err := root.Open(clean)
	if err != nil {
		return "", nil, unwrapPath(err)
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, maxTemplateBytes+1))
	if err != nil {
		return "", nil, err
	}
	if len(data) > maxTemplateBytes {
		return "", nil, fmt.Errorf("larger than %d bytes", maxTemplateBytes)
	}
	return filepath.Join(b.dir, clean), data, nil
}

// unknownMark stands in a rendered template for an interpolation whose
// value is not known; it parses as a plain YAML scalar and inside a JSON
// string alike.
const unknownMark = "corsdiag-unknown-value-3f9c"

// renderTemplate renders a templatefile template: ${...} whose value is
// known is written, any other is unknownMark. A %{...} directive is
// rendered when its condition is known, else the template is not read.
func renderTemplate(path string, data []byte, vars cty.Value) (string, error) {
	if len(data) > maxTerraformBytes {
		return "", fmt.Errorf("larger than %d bytes", maxTerraformBytes)
	}
	start := hcl.Pos{Line: 1, Column: 1}
	toks, _ := hclsyntax.LexTemplate(data, path, start)
	if err := checkTokens(path, toks); err != nil {
		return "", err
	}
	expr, diags := hclsyntax.ParseTemplate(data, path, start)
	if diags.HasErrors() {
		return "", hclError(path, diags)
	}
	scope := map[string]cty.Value{}
	if vars.IsKnown() && !vars.IsNull() && (vars.Type().IsObjectType() || vars.Type().IsMapType()) {
		for k, v := range vars.AsValueMap() {
			scope[k] = v
		}
	}
	var sb strings.Builder
	if err := render(&sb, expr, scope); err != nil {
		return "", err
	}
	return sb.String(), nil
}

func render(sb *strings.Builder, e hclsyntax.Expression, scope map[string]cty.Value) error {
	switch x := e.(type) {
	case *hclsyntax.TemplateExpr:
		for _, p := range x.Parts {
			if err := render(sb, p, scope); err != nil {
				return err
			}
		}
		return nil
	case *hclsyntax.TemplateWrapExpr:
		return render(sb, x.Wrapped, scope)
	case *hclsyntax.LiteralValueExpr:
		if s, ok := knownString(x.Val); ok {
			sb.WriteString(s)
			return nil
		}
	case *hclsyntax.ConditionalExpr:
		c := eval(x.Condition, scope)
		if !c.IsKnown() || c.IsNull() || c.Type() != cty.Bool {
			return fmt.Errorf("line %d: %%{ if } on a value not known before deploy", x.SrcRange.Start.Line)
		}
		if c.True() {
			return render(sb, x.TrueResult, scope)
		}
		return render(sb, x.FalseResult, scope)
	case *hclsyntax.TemplateJoinExpr:
		return fmt.Errorf("line %d: %%{ for } is not evaluated", x.Range().Start.Line)
	}
	if s, ok := knownString(eval(e, scope)); ok && !strings.ContainsAny(s, "\r\n") {
		sb.WriteString(s)
	} else {
		sb.WriteString(unknownMark)
	}
	return nil
}

// markUnknown turns the scalars a rendered template left unknown into
// unknown values, and drops the mapping entries whose key is unknown.
func markUnknown(n *yaml.Node, dropped func(key *yaml.Node)) {
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if strings.Contains(n.Value, unknownMark) {
			n.Tag, n.Value, n.Style = "!Ref", unknownRef, 0
		}
	case yaml.MappingNode:
		kept := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			if strings.Contains(n.Content[i].Value, unknownMark) {
				dropped(n.Content[i])
				continue
			}
			markUnknown(n.Content[i+1], dropped)
			kept = append(kept, n.Content[i], n.Content[i+1])
		}
		n.Content = kept
	default:
		for _, c := range n.Content {
			markUnknown(c, dropped)
		}
	}
}

func hclError(file string, diags hcl.Diagnostics) *ParseError {
	d := diags[0]
	pe := &ParseError{File: file, Msg: d.Summary}
	if d.Detail != "" {
		pe.Msg += ": " + d.Detail
	}
	if d.Subject != nil {
		pe.Line = d.Subject.Start.Line
	}
	return pe
}

func unwrap(e hclsyntax.Expression) hclsyntax.Expression {
	for {
		switch x := e.(type) {
		case *hclsyntax.ParenthesesExpr:
			e = x.Expression
		case *hclsyntax.TemplateWrapExpr:
			e = x.Wrapped
		default:
			return e
		}
	}
}

// rootScope is what a .tf file knows statically: path.module, path.root
// and path.cwd are the file's folder, against which file() reads.
var rootScope = map[string]cty.Value{
	"path": cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal("."), "root": cty.StringVal("."), "cwd": cty.StringVal(".")}),
}

func knownString(v cty.Value) (string, bool) {
	if !v.IsKnown() || v.IsNull() {
		return "", false
	}
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Number:
		return numberText(v), true
	case cty.Bool:
		if v.True() {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// numberText writes a number: an integer in full, any other as the nearest
// float64 does. (HCL numbers have 512 bits: their shortest decimal takes
// 20 µs each, and 1e999999999 in full would be a billion digits.)
func numberText(v cty.Value) string {
	f := v.AsBigFloat()
	if i, acc := f.Int64(); acc == big.Exact {
		return strconv.FormatInt(i, 10)
	}
	if x, _ := f.Float64(); !math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return f.Text('g', 17)
}

// eval evaluates an expression with what is known statically; anything
// else is cty.DynamicVal (unknown). Its recursion follows the expression's
// nesting, which checkTokens has bounded.
func eval(e hclsyntax.Expression, scope map[string]cty.Value) cty.Value {
	switch x := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return x.Val
	case *hclsyntax.ParenthesesExpr:
		return eval(x.Expression, scope)
	case *hclsyntax.TemplateWrapExpr:
		return eval(x.Wrapped, scope)
	case *hclsyntax.TemplateExpr:
		var sb strings.Builder
		for _, p := range x.Parts {
			s, ok := knownString(eval(p, scope))
			if !ok {
				return cty.DynamicVal
			}
			sb.WriteString(s)
		}
		return cty.StringVal(sb.String())
	case *hclsyntax.ScopeTraversalExpr:
		v, ok := scope[x.Traversal.RootName()]
		if !ok {
			return cty.DynamicVal
		}
		v, diags := x.Traversal.SimpleSplit().Rel.TraverseRel(v)
		if diags.HasErrors() {
			return cty.DynamicVal
		}
		return v
	case *hclsyntax.ConditionalExpr:
		c := eval(x.Condition, scope)
		if !c.IsKnown() || c.IsNull() || c.Type() != cty.Bool {
			return cty.DynamicVal
		}
		if c.True() {
			return eval(x.TrueResult, scope)
		}
		return eval(x.FalseResult, scope)
	case *hclsyntax.TupleConsExpr:
		vals := make([]cty.Value, 0, len(x.Exprs))
		for _, it := range x.Exprs {
			vals = append(vals, eval(it, scope))
		}
		return cty.TupleVal(vals)
	case *hclsyntax.ObjectConsExpr:
		vals := map[string]cty.Value{}
		for _, it := range x.Items {
			k, ok := objectKey(it.KeyExpr, scope)
			if !ok {
				return cty.DynamicVal
			}
			vals[k] = eval(it.ValueExpr, scope)
		}
		return cty.ObjectVal(vals)
	case *hclsyntax.FunctionCallExpr:
		if x.Name == "jsonencode" && len(x.Args) == 1 && !x.ExpandFinal {
			v := eval(x.Args[0], scope)
			if !v.IsWhollyKnown() {
				return cty.DynamicVal
			}
			if s, err := stdlib.JSONEncode(v); err == nil {
				return s
			}
		}
	}
	return cty.DynamicVal
}

// objectKey is an object key: a bare name, or a known string.
func objectKey(k hclsyntax.Expression, scope map[string]cty.Value) (string, bool) {
	if kx, ok := k.(*hclsyntax.ObjectConsKeyExpr); ok {
		if !kx.ForceNonLiteral {
			if name := hcl.ExprAsKeyword(kx.Wrapped); name != "" {
				return name, true
			}
		}
		k = kx.Wrapped
	}
	return knownString(eval(k, scope))
}

// node turns an expression into an OpenAPI node tree anchored to the .tf
// file: objects and tuples keep each key's and value's own position, an
// unknown value is an unknown scalar, and an entry whose key is unknown is
// left out (a path or header only known at deploy time).
func (b *tfBody) node(e hclsyntax.Expression, scope map[string]cty.Value) *yaml.Node {
	at := e.Range().Start
	switch x := unwrap(e).(type) {
	case *hclsyntax.ObjectConsExpr:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: at.Line, Column: at.Column}
		for _, it := range x.Items {
			kp := it.KeyExpr.Range().Start
			k, ok := objectKey(it.KeyExpr, scope)
			if !ok {
				b.warn(kp.Line, keyLeftOut)
				continue
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k, Line: kp.Line, Column: kp.Column},
				b.node(it.ValueExpr, scope))
		}
		return n
	case *hclsyntax.TupleConsExpr:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: at.Line, Column: at.Column}
		for _, it := range x.Exprs {
			n.Content = append(n.Content, b.node(it, scope))
		}
		return n
	case *hclsyntax.ConditionalExpr:
		c := eval(x.Condition, scope)
		if c.IsKnown() && !c.IsNull() && c.Type() == cty.Bool {
			if c.True() {
				return b.node(x.TrueResult, scope)
			}
			return b.node(x.FalseResult, scope)
		}
	}
	return valueNode(eval(e, scope), at)
}

// valueNode is a value as a node at one position.
func valueNode(v cty.Value, at hcl.Pos) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Line: at.Line, Column: at.Column}
	switch {
	case !v.IsKnown():
		n.Tag, n.Value = "!Ref", unknownRef
	case v.IsNull():
		n.Tag, n.Value = "!!null", "null"
	case v.Type() == cty.String:
		n.Tag, n.Value = "!!str", v.AsString()
	case v.Type() == cty.Number:
		n.Tag, n.Value = "!!float", numberText(v)
	case v.Type() == cty.Bool:
		n.Tag, n.Value = "!!bool", "false"
		if v.True() {
			n.Value = "true"
		}
	case v.Type().IsObjectType() || v.Type().IsMapType():
		n.Kind, n.Tag = yaml.MappingNode, "!!map"
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k.AsString(), Line: at.Line, Column: at.Column}, valueNode(e, at))
		}
	case v.Type().IsTupleType() || v.Type().IsListType() || v.Type().IsSetType():
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			n.Content = append(n.Content, valueNode(e, at))
		}
	default:
		n.Tag, n.Value = "!Ref", unknownRef
	}
	return n
}
