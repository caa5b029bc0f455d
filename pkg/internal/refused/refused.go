//go:build unix

// Package refused gives tests a loopback address that refuses connections
// for as long as the test runs. Listening on port 0 and closing the
// listener is racy: a test running in parallel (in any package) may be
// given the same port a moment later, and the "closed" port answers. A
// socket that is bound but never listens keeps the port taken, and the
// kernel refuses every connection to it.
package refused

import (
	"net/netip"
	"syscall"
	"testing"
)

// Addr returns "127.0.0.1:PORT" where nothing listens and nothing else can
// listen until the test ends.
func Addr(t testing.TB) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatalf("refused: socket: %v", err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatalf("refused: bind: %v", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatalf("refused: getsockname: %v", err)
	}
	in4, ok := sa.(*syscall.SockaddrInet4)
	if !ok {
		t.Fatalf("refused: unexpected socket address %T", sa)
	}
	return netip.AddrPortFrom(netip.AddrFrom4(in4.Addr), uint16(in4.Port)).String()
}
