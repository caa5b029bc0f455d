package platform

// The OpenAPI fixes written in HCL, for an API whose OpenAPI document is a
// Terraform body written inline as jsonencode({...}): the same fragment,
// converted from the YAML the snippet renders, so that the knowledge stays
// in one snippet.

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// inJSONEncode is an openapi fix as it is written inside a Terraform
// body's jsonencode({...}); ok is false when its snippet does not convert.
func inJSONEncode(f Fix) (Fix, bool) {
	snippet, err := openAPIToHCL(f.Snippet)
	if err != nil {
		return f, false
	}
	const where = ", inside the body's jsonencode({...})"
	title := f.Title + where
	if i := strings.LastIndex(f.Title, " ("); i > 0 && strings.HasSuffix(f.Title, ")") {
		// Before the closing "(API Gateway OpenAPI)", which says what it is.
		title = f.Title[:i] + where + f.Title[i:]
	}
	return Fix{Format: FormatTerraform, Title: title, Snippet: snippet}, true
}

// openAPIToHCL writes a YAML mapping (an OpenAPI fragment) as the items of
// an HCL object, the way they are written inside jsonencode({...}): keys in
// their order, quoted unless they are identifiers, strings escaped so that
// Terraform does not interpolate them, comments kept. Only what has a JSON
// form converts: no aliases, no tags of its own, no keys but strings.
func openAPIToHCL(text string) (string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return "", err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return "", errors.New("not a YAML mapping")
	}
	var w hclWriter
	w.comments(0, doc.HeadComment)
	if err := w.items(doc.Content[0], 0); err != nil {
		return "", err
	}
	w.comments(0, doc.FootComment)
	return w.b.String(), nil
}

type hclWriter struct{ b strings.Builder }

func (w *hclWriter) indent(depth int) {
	for range depth {
		w.b.WriteString("  ")
	}
}

// comments writes YAML comments ("# ..." lines) as HCL ones, which are
// written the same.
func (w *hclWriter) comments(depth int, texts ...string) {
	for _, text := range texts {
		for line := range strings.SplitSeq(text, "\n") {
			if line = strings.TrimSpace(line); strings.HasPrefix(line, "#") {
				w.indent(depth)
				w.b.WriteString(line + "\n")
			}
		}
	}
}

// items writes a mapping's entries, one a line.
func (w *hclWriter) items(n *yaml.Node, depth int) error {
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		w.comments(depth, k.HeadComment, k.LineComment, v.HeadComment, v.LineComment)
		w.indent(depth)
		if err := w.entry(k, v, depth, seen); err != nil {
			return err
		}
		w.b.WriteString("\n")
		w.comments(depth, v.FootComment, k.FootComment)
	}
	return nil
}

// entry writes "key = value"; seen holds the mapping's keys so far.
func (w *hclWriter) entry(k, v *yaml.Node, depth int, seen map[string]bool) error {
	if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
		return fmt.Errorf("line %d: key %.40q is not a string", k.Line, k.Value)
	}
	if seen[k.Value] {
		return fmt.Errorf("line %d: key %.40q twice", k.Line, k.Value)
	}
	seen[k.Value] = true
	key, err := hclKey(k.Value)
	if err != nil {
		return fmt.Errorf("line %d: key: %v", k.Line, err)
	}
	w.b.WriteString(key + " = ")
	return w.value(v, depth)
}

// value writes a value that starts after "key = " at depth.
func (w *hclWriter) value(n *yaml.Node, depth int) error {
	if n.Kind == yaml.AliasNode {
		return fmt.Errorf("line %d: an alias (*%s) is not converted", n.Line, n.Value)
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return fmt.Errorf("line %d: tag %.40s has no JSON form", n.Line, n.Tag)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		s, err := hclScalar(n)
		if err != nil {
			return err
		}
		w.b.WriteString(s)
		return nil
	case yaml.MappingNode:
		switch {
		case len(n.Content) == 0:
			w.b.WriteString("{}")
		case flat(n):
			w.b.WriteString("{ ")
			seen := map[string]bool{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				if i > 0 {
					w.b.WriteString(", ")
				}
				if err := w.entry(n.Content[i], n.Content[i+1], depth, seen); err != nil {
					return err
				}
			}
			w.b.WriteString(" }")
		default:
			w.b.WriteString("{\n")
			if err := w.items(n, depth+1); err != nil {
				return err
			}
			w.indent(depth)
			w.b.WriteString("}")
		}
		return nil
	case yaml.SequenceNode:
		switch {
		case len(n.Content) == 0:
			w.b.WriteString("[]")
		case flat(n):
			w.b.WriteString("[")
			for i, c := range n.Content {
				if i > 0 {
					w.b.WriteString(", ")
				}
				if err := w.value(c, depth); err != nil {
					return err
				}
			}
			w.b.WriteString("]")
		default:
			w.b.WriteString("[\n")
			for _, c := range n.Content {
				w.comments(depth+1, c.HeadComment, c.LineComment)
				w.indent(depth + 1)
				if err := w.value(c, depth+1); err != nil {
					return err
				}
				w.b.WriteString(",\n")
				w.comments(depth+1, c.FootComment)
			}
			w.indent(depth)
			w.b.WriteString("]")
		}
		return nil
	}
	return fmt.Errorf("line %d: a YAML node of kind %d is not converted", n.Line, n.Kind)
}

// flat reports whether a collection is written on one line in HCL as it
// was in YAML ({a: b}, [a, b]): flow style, and no comments inside (its
// own are written before its key).
func flat(n *yaml.Node) bool {
	if n.Style&yaml.FlowStyle == 0 {
		return false
	}
	for _, c := range n.Content {
		if c.HeadComment != "" || c.LineComment != "" || c.FootComment != "" || c.Kind == yaml.AliasNode ||
			c.Kind != yaml.ScalarNode && !flat(c) {
			return false
		}
	}
	return true
}

// hclScalar is a scalar as the YAML decoder reads it (the same value a
// YAML-to-JSON conversion sees), written as an HCL literal.
func hclScalar(n *yaml.Node) (string, error) {
	var v any
	if err := n.Decode(&v); err != nil {
		return "", fmt.Errorf("line %d: %v", n.Line, err)
	}
	switch x := v.(type) {
	case nil:
		return "null", nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return "", fmt.Errorf("line %d: %v has no JSON form", n.Line, x)
		}
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case string:
		if !utf8.ValidString(x) {
			return "", fmt.Errorf("line %d: a string that is not UTF-8", n.Line)
		}
		q, err := hclString(x)
		if err != nil {
			return "", fmt.Errorf("line %d: %v", n.Line, err)
		}
		return q, nil
	case time.Time:
		// An unquoted date: its JSON is the decoder's, RFC 3339.
		text, err := x.MarshalText()
		if err != nil {
			return "", fmt.Errorf("line %d: %v", n.Line, err)
		}
		return hclString(string(text)) // RFC 3339: nothing to refuse
	}
	return "", fmt.Errorf("line %d: a %T has no JSON form", n.Line, v)
}

// hclString is s as an HCL quoted string: escapes, and ${ and %{ doubled
// ($${, %%{) so that Terraform does not read them as a template. HCL
// cannot write a combining mark right after an escape (it merges them:
// "\n" then U+0300 reads back as "\ǹ"): that string is refused.
func hclString(s string) (string, error) {
	var b strings.Builder
	b.WriteByte('"')
	escaped := false // the last rune was written as an escape
	for i, r := range s {
		if escaped && unicode.Is(unicode.M, r) {
			return "", fmt.Errorf("HCL cannot write the combining mark %U after an escaped character", r)
		}
		escaped = true
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			escaped = false
			if (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{") {
				b.WriteRune(r)
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String(), nil
}

// hclKeywords would not read as a name where a key is expected.
var hclKeywords = map[string]bool{"true": true, "false": true, "null": true, "for": true, "in": true, "if": true}

// hclKey is a key: bare when it is an identifier, else quoted.
func hclKey(k string) (string, error) {
	if k == "" || hclKeywords[k] {
		return hclString(k)
	}
	for i, r := range k {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '-')) {
			return hclString(k)
		}
	}
	return k, nil
}
