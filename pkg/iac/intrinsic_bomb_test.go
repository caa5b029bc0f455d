package iac

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// intrinsicBombs are YAML aliases under !Join (a1: !Join [”, [*a0, *a0]],
// a2 of a1…): a value doubles at each level without doubling the text.
func intrinsicBombs() map[string]string {
	out := map[string]string{}
	for name, fn := range map[string]string{"join": "!Join ['', [*a%d, *a%d]]", "select": "!Select [0, [!Join ['', [*a%d, *a%d]]]]"} {
		var b strings.Builder
		b.WriteString("Mappings:\n  M:\n    a0: &a0 xxxxxxxx\n")
		for i := 1; i < 40; i++ {
			fmt.Fprintf(&b, "    a%d: &a%d "+fn+"\n", i, i, i-1, i-1)
		}
		b.WriteString("Resources:\n  U:\n    Type: AWS::Lambda::Url\n    Properties:\n      TargetFunctionArn: x\n" +
			"      AuthType: NONE\n      Cors:\n        AllowOrigins: [*a39]\n")
		out[name] = b.String()
	}
	return out
}

// The template is refused at the line of the value rather than filling
// memory (2^40 bytes); BenchmarkIntrinsicBomb times the refusal.
func TestCFNIntrinsicBomb(t *testing.T) {
	for name, doc := range intrinsicBombs() {
		_, err := Read("t.yaml", []byte(doc))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line == 0 {
			t.Errorf("%s: error %v, want a *ParseError at a line", name, err)
		}
	}
}

func BenchmarkIntrinsicBomb(b *testing.B) {
	for name, doc := range intrinsicBombs() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				Read("t.yaml", []byte(doc))
			}
		})
	}
}
