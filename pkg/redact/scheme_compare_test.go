package redact

import (
	"testing"

	"github.com/corsdiag/corsdiag/pkg/weburl"
)

// Temporary: isScheme and isSchemeByte agree with weburl's.
func TestIsSchemeSameAsWeburl(t *testing.T) {
	for c := 0; c < 256; c++ {
		if weburl.IsSchemeByte(byte(c)) != isSchemeByte(byte(c)) {
			t.Fatalf("byte %#x differs", c)
		}
	}
	alpha := []byte("aZz09+-.:/@ _%\x00\x80\xc1\xe1`{[")
	var walk func(s []byte)
	walk = func(s []byte) {
		if weburl.IsScheme(string(s)) != isScheme(string(s)) {
			t.Fatalf("%q differs", s)
		}
		if len(s) == 4 {
			return
		}
		for _, c := range alpha {
			walk(append(s, c))
		}
	}
	walk(nil)
}
