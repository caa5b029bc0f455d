package harfile

import (
	"testing"

	"github.com/corsdiag/corsdiag/pkg/weburl"
)

// Temporary: hasScheme and weburl.HasScheme agree on every string of up
// to 4 bytes over an alphabet of the bytes that matter.
func TestHasSchemeSameAsWeburl(t *testing.T) {
	alpha := []byte("aZz09+-.:/@ _%\x00\x80\xc1\xe1`{[")
	var walk func(s []byte)
	n := 0
	walk = func(s []byte) {
		n++
		if got, want := weburl.HasScheme(string(s)), hasScheme(string(s)); got != want {
			t.Fatalf("%q: weburl %v, harfile %v", s, got, want)
		}
		if len(s) == 4 {
			return
		}
		for _, c := range alpha {
			walk(append(s, c))
		}
	}
	walk(nil)
	for c := 0; c < 256; c++ {
		for _, s := range []string{string([]byte{byte(c)}) + ":", "a" + string([]byte{byte(c)}) + ":"} {
			if weburl.HasScheme(s) != hasScheme(s) {
				t.Fatalf("%q differs", s)
			}
		}
	}
	t.Logf("%d strings compared", n)
}
