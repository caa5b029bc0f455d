package iac

// Conditions and Fn::If. A condition whose parameters have defaults is
// evaluated as CloudFormation would with those values; Fn::If then becomes
// its branch (AWS::NoValue removes the property), and a resource whose
// Condition is false is not created. A condition known only at deploy time
// (a parameter without default, a pseudo parameter) leaves the Fn::If as an
// unknown value, with a warning where lint reads it.

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// args returns an intrinsic's argument list, whether written in the short
// form (!Join [...], a tagged sequence) or the long one ({"Fn::Join": [...]}).
func args(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	if n != nil && n.Kind == yaml.SequenceNode {
		out := make([]*yaml.Node, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, deref(c))
		}
		return out
	}
	return items(n)
}

type condState int8

const (
	condUnvisited condState = iota
	condBusy
	condTrue
	condFalse
	condUnknown
)

// condition evaluates a named condition of the template.
func (r *resolver) condition(name string) (value, known bool) {
	if r.condMemo == nil {
		r.condMemo = map[string]condState{}
	}
	switch r.condMemo[name] {
	case condTrue:
		return true, true
	case condFalse:
		return false, true
	case condUnknown, condBusy:
		return false, false
	}
	r.condMemo[name] = condBusy
	v, ok := r.evalCond(get(r.conds, name))
	st := condUnknown
	if ok && v {
		st = condTrue
	} else if ok {
		st = condFalse
	}
	r.condMemo[name] = st
	return v, ok
}

// condStr resolves a value compared by Fn::Equals. Pseudo parameters
// (AWS::Region…) have a placeholder value for URLs but are not known.
func (r *resolver) condStr(n *yaml.Node) (string, bool) {
	if fn, arg := intrinsic(n); fn == "Ref" && arg.Kind == yaml.ScalarNode && strings.HasPrefix(arg.Value, "AWS::") {
		return "", false
	}
	if fn, arg := intrinsic(n); fn == "Fn::Sub" && strings.Contains(arg.Value, "${AWS::") {
		return "", false
	}
	return r.str(n)
}

func (r *resolver) evalCond(n *yaml.Node) (value, known bool) {
	fn, arg := intrinsic(n)
	switch fn {
	case "Condition":
		if arg.Kind == yaml.ScalarNode {
			return r.condition(arg.Value)
		}
	case "Fn::Equals":
		if a := args(arg); len(a) == 2 {
			x, okx := r.condStr(a[0])
			y, oky := r.condStr(a[1])
			if okx && oky {
				return x == y, true
			}
		}
	case "Fn::Not":
		if a := args(arg); len(a) == 1 {
			v, ok := r.evalCond(a[0])
			return !v, ok
		}
	case "Fn::And", "Fn::Or":
		a := args(arg)
		if len(a) == 0 {
			return false, false
		}
		or := fn == "Fn::Or"
		unknown := false
		for _, c := range a {
			v, ok := r.evalCond(c)
			switch {
			case !ok:
				unknown = true
			case v == or: // a true in Or, a false in And decides
				return or, true
			}
		}
		if unknown {
			return false, false
		}
		return !or, true
	}
	return false, false
}

// isNoValue reports !Ref AWS::NoValue.
func isNoValue(n *yaml.Node) bool {
	fn, arg := intrinsic(n)
	return fn == "Ref" && arg.Kind == yaml.ScalarNode && arg.Value == "AWS::NoValue"
}

// pick follows Fn::If whose condition is known to its branch; unresolved is
// the name of the first condition that is not known.
func (r *resolver) pick(n *yaml.Node) (out *yaml.Node, unresolved string) {
	for i := 0; i < 64; i++ {
		fn, arg := intrinsic(n)
		if fn != "Fn::If" {
			return n, ""
		}
		a := args(arg)
		if len(a) != 3 || a[0].Kind != yaml.ScalarNode {
			return n, "?"
		}
		v, ok := r.condition(a[0].Value)
		if !ok {
			return n, a[0].Value
		}
		if v {
			n = a[1]
		} else {
			n = a[2]
		}
	}
	return n, "?"
}

// readKeys are the properties lint reads below which an unresolved Fn::If
// changes the prediction, and so is warned about.
var readKeys = map[string]bool{
	"Cors": true, "CorsConfiguration": true, "CorsRules": true, "Auth": true, "GatewayResponses": true,
	"ResponseParameters": true, "IntegrationResponses": true, "Integration": true, "AuthorizationType": true,
	"ApiKeyRequired": true, "HttpMethod": true, "PathPart": true, "DefinitionBody": true, "Body": true,
	"FunctionUrlConfig": true, "Events": true, "Target": true, "RouteKey": true,
}

// resolveConditions rewrites the Fn::If of a template whose condition is
// known into their branch and removes AWS::NoValue properties, in place.
func (r *resolver) resolveConditions(file string, n *yaml.Node, read bool, warn func(*ParseError)) {
	n = deref(n)
	if n == nil || r.walked[n] {
		return
	}
	// Each node once: aliases share nodes, and may contain themselves.
	if r.walked == nil {
		r.walked = map[*yaml.Node]bool{}
	}
	r.walked[n] = true
	visit := func(v *yaml.Node, inRead bool) (keep bool) {
		picked, unresolved := r.pick(v)
		if unresolved != "" {
			if inRead {
				msg := fmt.Sprintf("Fn::If on condition %s, known only at deploy time: its value is read as unknown", unresolved)
				if unresolved == "?" {
					msg = "Fn::If is not [condition name, value if true, value if false]: its value is read as unknown"
				}
				warn(&ParseError{File: file, Line: v.Line, Msg: msg})
			}
			return true
		}
		if isNoValue(picked) {
			return false
		}
		if picked != v {
			*v = *deref(picked)
			if r.fromIf == nil {
				r.fromIf = map[*yaml.Node]bool{}
			}
			r.fromIf[v] = true
		}
		r.resolveConditions(file, v, inRead, warn)
		return true
	}
	switch n.Kind {
	case yaml.MappingNode:
		if fn, _ := intrinsic(n); fn != "" {
			// Inside an intrinsic's arguments only Fn::If itself is picked.
			for i := 1; i < len(n.Content); i += 2 {
				r.resolveConditions(file, n.Content[i], read, warn)
			}
			return
		}
		kept := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if visit(v, read || readKeys[k.Value]) {
				kept = append(kept, k, v)
			}
		}
		n.Content = kept
	case yaml.SequenceNode:
		kept := n.Content[:0]
		for _, v := range n.Content {
			if visit(v, read) {
				kept = append(kept, v)
			}
		}
		n.Content = kept
	}
}
