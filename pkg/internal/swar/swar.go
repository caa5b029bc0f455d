// Package swar looks at eight bytes of a string at once (SIMD within a
// register): the scans every request of a HAR report goes through
// (terminal safety, JSON escaping) spend most of their bytes on plain
// ASCII, and testing a word costs about what testing one byte does.
//
// Each test returns a mask that is non-zero when some byte of the word
// matches, so tests combine with | and are checked once.
package swar

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// Load is s[i:i+8] as a little-endian word (the compiler makes it one
// load).
func Load(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// NonASCII: some byte is 0x80 or above.
func NonASCII(w uint64) uint64 { return w & highs }

// Below: some byte is below n (n at most 0x80). Exact only for a word
// without NonASCII bytes: combine the two.
func Below(w uint64, n byte) uint64 { return (w - uint64(n)*ones) &^ w & highs }

// Equal: some byte is c.
func Equal(w uint64, c byte) uint64 {
	x := w ^ uint64(c)*ones
	return (x - ones) &^ x & highs
}
