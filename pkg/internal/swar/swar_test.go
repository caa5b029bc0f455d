package swar

import "testing"

// FuzzWord holds each test to the byte-by-byte answer.
func FuzzWord(f *testing.F) {
	f.Add("abcdefgh", byte('c'))
	f.Add("\x00\x7f\x80\xff\x1f\x20ab", byte(0x20))
	f.Add("\x01\x00\x00\x00\x00\x00\x00\x00", byte(1))
	f.Fuzz(func(t *testing.T, s string, n byte) {
		if len(s) < 8 {
			return
		}
		w := Load(s, 0)
		var high, below, equal bool
		for i := range 8 {
			high = high || s[i] >= 0x80
			below = below || s[i] < n
			equal = equal || s[i] == n
		}
		if (NonASCII(w) != 0) != high {
			t.Fatalf("NonASCII(%q) wrong", s[:8])
		}
		if (Equal(w, n) != 0) != equal {
			t.Fatalf("Equal(%q, %#x) wrong", s[:8], n)
		}
		if n <= 0x80 && (NonASCII(w)|Below(w, n) != 0) != (high || below) {
			t.Fatalf("NonASCII|Below(%q, %#x) wrong", s[:8], n)
		}
	})
}

// TestEveryByteInEveryLane: each byte value, in each lane of a word of
// 'a's (and of zeros, where borrows run), against each threshold.
func TestEveryByteInEveryLane(t *testing.T) {
	for _, fill := range []byte{'a', 0} {
		for lane := range 8 {
			for v := range 256 {
				b := []byte{fill, fill, fill, fill, fill, fill, fill, fill}
				b[lane] = byte(v)
				s := string(b)
				w := Load(s, 0)
				for _, n := range []byte{0x01, 0x20, 0x22, 0x5c, 0x7f, 0x80} {
					var below, equal bool
					for i := range 8 {
						below = below || s[i] < n
						equal = equal || s[i] == n
					}
					if got := NonASCII(w)|Below(w, n) != 0; got != (below || v >= 0x80) {
						t.Fatalf("%q below %#x: %v", s, n, got)
					}
					if got := Equal(w, n) != 0; got != equal {
						t.Fatalf("%q equal %#x: %v", s, n, got)
					}
				}
			}
		}
	}
}
