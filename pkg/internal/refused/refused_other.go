//go:build !unix

package refused

import (
	"net"
	"testing"
)

// Addr returns a loopback address nothing listens on. Without a way to bind
// and not listen, it falls back to a port that was free a moment ago.
func Addr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
