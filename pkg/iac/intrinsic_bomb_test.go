package iac

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// YAML aliases under !Join (a1: !Join [”, [*a0, *a0]], a2 of a1…) double a
// value at each level without doubling the text: the template is refused at
// the line of the value, at once, rather than filling memory.
func TestCFNIntrinsicBomb(t *testing.T) {
	for _, fn := range []string{"!Join ['', [*a%d, *a%d]]", "!Select [0, [!Join ['', [*a%d, *a%d]]]]"} {
		var b strings.Builder
		b.WriteString("Mappings:\n  M:\n    a0: &a0 xxxxxxxx\n")
		for i := 1; i < 40; i++ {
			fmt.Fprintf(&b, "    a%d: &a%d "+fn+"\n", i, i, i-1, i-1)
		}
		b.WriteString("Resources:\n  U:\n    Type: AWS::Lambda::Url\n    Properties:\n      TargetFunctionArn: x\n" +
			"      AuthType: NONE\n      Cors:\n        AllowOrigins: [*a39]\n")
		start := time.Now()
		_, err := Read("t.yaml", []byte(b.String()))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line == 0 {
			t.Errorf("%s: error %v, want a *ParseError at a line", fn, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: took %v", fn, d)
		}
	}
}
