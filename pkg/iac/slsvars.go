package iac

// Serverless Framework variables (${source:address, fallback}), resolved as
// far as the file allows before the document is read: ${self:a.b} from the
// file itself, ${sls:stage} and ${opt:stage} to provider.stage (else dev),
// a fallback when the source is known only at deploy time (env, ssm, file,
// cf, s3, param…). A value that stays unknown becomes an unknown value, as a
// CloudFormation !Ref to a parameter without default is, with a warning at
// its line.

import (
	"cmp"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// reSlsVar is an innermost variable: no ${ inside.
var reSlsVar = regexp.MustCompile(`\$\{([^${}]*)\}`)

type slsVars struct {
	root   *yaml.Node
	file   string
	warn   func(*ParseError)
	walked map[*yaml.Node]bool
	depth  int
	// steps counts variables resolved; tooMuch is the variable that went
	// over a bound (maxSlsValue, maxSlsSteps), err the refusal at its line.
	steps   int
	tooMuch string
	// cycle is a ${self:…} met again while it resolves (or past 8 levels).
	cycle string
	err   *ParseError
}

// Bounds on what variables may expand to: a template's values are short,
// and variables that double at each step (or fan out through references
// not yet resolved) would take memory or time without end.
const (
	maxSlsValue = 1 << 16
	maxSlsSteps = 1 << 18
)

// resolveServerlessVariables rewrites the variables of a serverless.yml in
// place; the error is a value that expands beyond the bounds.
func resolveServerlessVariables(file string, root *yaml.Node, warn func(*ParseError)) *ParseError {
	v := &slsVars{root: deref(root), file: file, warn: warn, walked: map[*yaml.Node]bool{}}
	v.walk(v.root, false)
	return v.err
}

// slsReadKeys are the keys under which lint reads a serverless.yml (and
// readKeys in its resources): an unknown variable there is warned about.
var slsReadKeys = map[string]bool{"events": true, "url": true, "httpApi": true, "apiGateway": true, "stage": true,
	"cors": true, "authorizer": true, "authorizers": true, "private": true}

func (v *slsVars) walk(n *yaml.Node, read bool) {
	n = deref(n)
	if n == nil || v.walked[n] || v.err != nil {
		return
	}
	v.walked[n] = true
	switch n.Kind {
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			k := n.Content[i-1].Value
			v.value(n.Content[i], read || slsReadKeys[k] || readKeys[k])
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			v.value(c, read)
		}
	}
}

// value resolves one node: a scalar with variables is rewritten, anything
// else is walked.
func (v *slsVars) value(n *yaml.Node, read bool) {
	if n.Kind != yaml.ScalarNode || !strings.Contains(n.Value, "${") {
		v.walk(n, read)
		return
	}
	// A whole value that is one ${self:…} takes the node it names: a list
	// or a mapping as well as a string.
	if m := reSlsVar.FindStringSubmatchIndex(n.Value); m != nil && m[0] == 0 && m[1] == len(n.Value) {
		if target := v.selfNode(n.Value[m[2]:m[3]]); target != nil && target.Kind != yaml.ScalarNode {
			line, col := n.Line, n.Column
			*n = *target
			n.Line, n.Column = line, col
			v.walk(n, read)
			return
		}
	}
	s, unknown := v.resolve(n.Value)
	if v.tooMuch != "" {
		if v.err == nil {
			v.err = &ParseError{File: v.file, Line: n.Line, Msg: fmt.Sprintf("%s: the variables expand beyond %d bytes or %d steps", v.tooMuch, maxSlsValue, maxSlsSteps)}
		}
		return
	}
	if v.cycle != "" {
		if v.err == nil {
			v.err = &ParseError{File: v.file, Line: n.Line, Msg: fmt.Sprintf("%s refers back to itself (or nests more than 8 levels), which the framework refuses too", v.cycle)}
		}
		return
	}
	if unknown != "" {
		if read {
			v.warn(&ParseError{File: v.file, Line: n.Line, Msg: fmt.Sprintf("%s is known only at deploy time: read as an unknown value", unknown)})
		}
		// An unknown value, as a !Ref to a parameter without default.
		name := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: unknown, Line: n.Line, Column: n.Column}
		*n = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column, Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: "Ref", Line: n.Line, Column: n.Column}, name}}
		return
	}
	n.Value = s
}

// resolve substitutes the variables of s, innermost first; unknown names the
// first variable that is not known before deploy.
func (v *slsVars) resolve(s string) (out, unknown string) {
	// CloudFormation's own ${AWS::Region} and ${Resource} (in an Fn::Sub)
	// are not the framework's: they are kept, masked while the rest resolves.
	const mask = "\x00{"
	defer func() { out = strings.ReplaceAll(out, mask, "${") }()
	for i := 0; i < 32 && strings.Contains(s, "${"); i++ {
		m := reSlsVar.FindStringSubmatchIndex(s)
		if m == nil {
			return s, ""
		}
		if !isSlsVariable(s[m[2]:m[3]]) {
			s = s[:m[0]] + mask + s[m[0]+2:]
			continue
		}
		if v.steps++; v.steps > maxSlsSteps || v.tooMuch != "" {
			v.tooMuch = cmp.Or(v.tooMuch, s[m[0]:m[1]])
			return "", s[m[0]:m[1]]
		}
		val, ok := v.variable(s[m[2]:m[3]])
		if !ok {
			return "", s[m[0]:m[1]]
		}
		if len(s)-(m[1]-m[0])+len(val) > maxSlsValue {
			v.tooMuch = cmp.Or(v.tooMuch, s[m[0]:m[1]])
			return "", s[m[0]:m[1]]
		}
		s = s[:m[0]] + val + s[m[1]:]
	}
	if strings.Contains(s, "${") {
		return "", s
	}
	return s, ""
}

// reSlsSource is a variable source: self:, env:, opt:, sls:, ssm:, cf:…,
// or file(…); AWS::Region (two colons) and a bare name are CloudFormation's.
var reSlsSource = regexp.MustCompile(`^\s*([A-Za-z][A-Za-z0-9]*:[^:]|[A-Za-z][A-Za-z0-9]*:$|file\()`)

func isSlsVariable(expr string) bool { return reSlsSource.MatchString(expr) }

// variable resolves one variable's text: its source, then its fallbacks.
func (v *slsVars) variable(expr string) (string, bool) {
	for _, part := range strings.Split(expr, ",") {
		p := strings.TrimSpace(part)
		switch {
		case len(p) >= 2 && (p[0] == '\'' && p[len(p)-1] == '\'' || p[0] == '"' && p[len(p)-1] == '"'):
			return p[1 : len(p)-1], true
		case p == "sls:stage" || p == "self:provider.stage":
			return v.stage(), true
		case strings.HasPrefix(p, "self:"):
			if n := v.selfNode(p); n != nil && n.Kind == yaml.ScalarNode {
				if v.depth > 8 {
					v.cycle = cmp.Or(v.cycle, "${"+p+"}")
					return "", false
				}
				v.depth++
				s, unknown := v.resolve(n.Value)
				v.depth--
				if unknown == "" {
					return s, true
				}
			}
		case !strings.Contains(p, ":") && p != "":
			// A literal fallback written without quotes (a number, true).
			return p, true
		}
		// env:, opt:, ssm:, file(…), cf:, s3:, param:… : known at deploy
		// only; the next fallback, if any.
	}
	return "", false
}

// stage is what ${sls:stage} gives without --stage: provider.stage, else dev.
func (v *slsVars) stage() string {
	n := get(get(v.root, "provider"), "stage")
	if n == nil || n.Kind != yaml.ScalarNode {
		return "dev"
	}
	if v.depth > 8 {
		return "dev"
	}
	v.depth++
	s, unknown := v.resolve(n.Value)
	v.depth--
	if unknown != "" || s == "" {
		return "dev"
	}
	return s
}

// selfNode is the node ${self:a.b.c} names, or nil.
func (v *slsVars) selfNode(expr string) *yaml.Node {
	addr, ok := strings.CutPrefix(strings.TrimSpace(expr), "self:")
	if !ok || strings.Contains(addr, ",") {
		return nil
	}
	n := v.root
	for _, k := range strings.Split(addr, ".") {
		n = get(n, k)
		if n == nil {
			return nil
		}
	}
	return deref(n)
}
