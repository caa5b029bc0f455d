package probe

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// rawServer answers every connection with answer (after reading the
// request head) and closes it: what no well-behaved server sends.
func rawServer(t *testing.T, answer func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil || line == "\r\n" {
						break
					}
				}
				answer(c)
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/items"
}

// TestBrokenAnswersSayWhatHappened: a connection closed in the middle of
// the headers, and headers beyond Go's 10 MiB limit, are explained in
// words with a next step, not as Go's error text.
func TestBrokenAnswersSayWhatHappened(t *testing.T) {
	tests := []struct {
		name   string
		answer func(c net.Conn)
		want   []string
	}{
		{"closed mid-headers", func(c net.Conn) {
			c.Write([]byte("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nX-Cut: ab"))
		}, []string{"closed the connection in the middle of its response", "cut the answer short"}},
		{"headers over 10 MiB", func(c net.Conn) {
			c.Write([]byte("HTTP/1.1 200 OK\r\n"))
			pad := []byte("X-Pad: " + strings.Repeat("a", 1000) + "\r\n")
			for range 11 << 10 {
				if _, err := c.Write(pad); err != nil {
					return
				}
			}
			c.Write([]byte("\r\n"))
		}, []string{"larger than 10 MiB", "256 KiB", "adds headers without bound"}},
		// The server did answer: not "cannot reach" words, and the line
		// at fault quoted with its control characters escaped.
		{"control character in a header", func(c net.Conn) {
			c.Write([]byte("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://a\x1b[31m\r\n\r\n"))
		}, []string{"the server answered, but its response is not valid HTTP", `"Access-Control-Allow-Origin: https://a\x1b[31m"`, "control character"}},
		// The line quoted is redacted as a header is: a session cookie,
		// a secret header, a token in a URL never show.
		{"control character in a Set-Cookie", func(c net.Conn) {
			c.Write([]byte("HTTP/1.1 200 OK\r\nSet-Cookie: sid=BadLineCookie71\x01; Path=/\r\n\r\n"))
		}, []string{`"Set-Cookie: sid=[REDACTED]; Path=/"`, "control character"}},
		{"control character in a secret header", func(c net.Conn) {
			c.Write([]byte("HTTP/1.1 200 OK\r\nX-Session-Id: BadLineSession72\x01\r\n\r\n"))
		}, []string{`"X-Session-Id: [REDACTED]"`}},
		{"control character after a URL's token", func(c net.Conn) {
			c.Write([]byte("HTTP/1.1 200 OK\r\nX-Next: https://a.example/?code=BadLineCode73\x01\r\n\r\n"))
		}, []string{`"X-Next: https://a.example/?code=[REDACTED]"`}},
		{"no colon", func(c net.Conn) {
			c.Write([]byte("HTTP/1.1 200 OK\r\nBearer BadLineBearer74abc\r\n\r\n"))
		}, []string{"Bearer [REDACTED]"}},
		{"not an HTTP status line", func(c net.Conn) {
			c.Write([]byte("HTTP/1.1 2OO OK\r\n\r\n"))
		}, []string{"the server answered, but its response is not valid HTTP", "status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := rawServer(t, tt.answer)
			_, err := Run(t.Context(), Options{Request: cors.Request{Method: "GET", URL: u, Origin: pageOrigin}, Timeout: 10 * time.Second})
			ue, ok := err.(*UnreachableError)
			if !ok {
				t.Fatalf("err = %v, want *UnreachableError", err)
			}
			msg := ue.Reason + "\n" + ue.Hint
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
			if answered := strings.Contains(msg, "the server answered"); answered && strings.Contains(ue.Error(), "cannot reach") {
				t.Errorf("%q says cannot reach a server that answered", ue.Error())
			}
			for _, secret := range []string{"BadLineCookie71", "BadLineSession72", "BadLineCode73", "BadLineBearer74abc"} {
				if strings.Contains(ue.Error()+"\n"+msg, secret) {
					t.Errorf("%q shows %s", msg, secret)
				}
			}
			if strings.Contains(msg, "net/http:") {
				t.Errorf("%q shows Go's error text", msg)
			}
		})
	}
}
