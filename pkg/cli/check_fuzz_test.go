package cli

import (
	"strings"
	"testing"
)

// FuzzParseHeaderFlag: -H values come from users and pasted commands; the
// parser never panics and never accepts a name a request could not carry.
func FuzzParseHeaderFlag(f *testing.F) {
	for _, s := range []string{"X-A: 1", "X-A:", "X-A;", ": v", "no colon", "A:\x00", "Ä: v", "X-A;: v", ";", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		name, value, del, err := parseHeaderFlag(h)
		if err != nil {
			return
		}
		if name == "" || strings.ContainsAny(name, " \t\r\n:;") {
			t.Fatalf("%q: accepted name %q", h, name)
		}
		if strings.ContainsAny(value, "\r\n\x00") {
			t.Fatalf("%q: accepted value %q", h, value)
		}
		if del && value != "" {
			t.Fatalf("%q: delete with value %q", h, value)
		}
	})
}
