package iac

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// serverlessBombs are variables that expand without end: doubling at each
// step (v1: "${self:custom.v0}${self:custom.v0}"…, 2^40 bytes), and fanning
// out to values not resolved yet (each of v0..v8 names the next 30 times,
// v9 is empty: 30^9 steps, no byte).
func serverlessBombs() map[string]string {
	var b strings.Builder
	b.WriteString("service: s\nprovider: {name: aws}\ncustom:\n  v0: xxxxxxxx\n")
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&b, "  v%d: \"${self:custom.v%d}${self:custom.v%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("functions:\n  a:\n    handler: h\n    events:\n" +
		"      - http: {path: a, method: put, cors: {origin: \"${self:custom.v39}\"}}\n")
	var f strings.Builder
	f.WriteString("service: s\nprovider: {name: aws}\ncustom:\n")
	for i := 0; i < 9; i++ {
		fmt.Fprintf(&f, "  v%d: \"%s\"\n", i, strings.Repeat(fmt.Sprintf("${self:custom.v%d}", i+1), 30))
	}
	f.WriteString("  v9: ''\nfunctions:\n  a:\n    handler: h\n    events:\n" +
		"      - http: {path: a, method: put, cors: {origin: \"${self:custom.v0}\"}}\n")
	return map[string]string{"doubling": b.String(), "fan-out": f.String()}
}

// The file is refused at the line where the expansion grows too large,
// rather than filling memory; BenchmarkServerlessVariableBomb times it.
func TestServerlessVariableBomb(t *testing.T) {
	for name, doc := range serverlessBombs() {
		_, err := Read("serverless.yml", []byte(doc))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line == 0 || !strings.Contains(pe.Msg, "${self:custom.") {
			t.Errorf("%s: error %v, want a *ParseError at a line naming the variable", name, err)
		}
	}
}

func BenchmarkServerlessVariableBomb(b *testing.B) {
	for name, doc := range serverlessBombs() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				Read("serverless.yml", []byte(doc))
			}
		})
	}
}

// A variable that refers back to itself is an error, as the framework makes
// it, at the line of the value: not a path or origin silently unknown.
func TestServerlessVariableCycle(t *testing.T) {
	for name, custom := range map[string]string{
		"pair": "  a: ${self:custom.b}\n  b: ${self:custom.a}\n",
		"self": "  a: \"x${self:custom.a}\"\n",
	} {
		doc := "service: s\nprovider: {name: aws}\ncustom:\n" + custom +
			"functions:\n  f:\n    handler: h\n    events:\n      - http: {path: '${self:custom.a}', method: put, cors: true}\n"
		_, err := Read("serverless.yml", []byte(doc))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 4 || !strings.Contains(pe.Msg, "refers back to itself") {
			t.Errorf("%s: error %v, want one at line 4 saying the variable refers back to itself", name, err)
		}
	}
}
