package harfile

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// blackhole is a loopback address whose connections never complete, as a
// firewalled server's that drops SYNs: a listener with a backlog of 0,
// never accepted, its one slot taken.
func blackhole(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Skip(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Skip(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Skip(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { c.Close() })
	if c2, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
		c2.Close()
		t.Skip("the backlog takes more connections here")
	}
	return "http://" + addr
}

// A server no connection completes to within --timeout (a firewall
// drops the SYNs: the check's time runs out before the dialer's) is
// given up on as one that refuses: the first replays only. One that
// connects but answers slowly is not: its paths may differ.
func TestReplayGivesUpOnAConnectTimeout(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(slow.Close)
	tests := []struct {
		name       string
		server     string
		n          int
		wantAtMost int32
		wantLeast  int32
	}{
		{"connections never complete", blackhole(t), 12, 4, 1},
		{"connected, no answer in time", slow.URL, 6, 6, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := &countingTransport{rt: probe.NewTransport(false, nil)}
			rp := NewReplayer(context.Background(), ReplayOptions{Transport: ct, Timeout: 300 * time.Millisecond}, func(*Result) error { return nil })
			var results []*Result
			for i := 0; i < tt.n; i++ {
				u := fmt.Sprintf("%s/item/%d", tt.server, i)
				res := &Result{URL: u, Verdict: cors.Blocked, CauseSource: CauseUnknown, Reproduce: &cors.Request{Method: http.MethodGet, URL: u, Origin: "http://localhost:3000"}}
				results = append(results, res)
				if err := rp.Add(res); err != nil {
					t.Fatal(err)
				}
			}
			if err := rp.Wait(); err != nil {
				t.Fatal(err)
			}
			if n := ct.n.Load(); n > tt.wantAtMost || n < tt.wantLeast {
				t.Errorf("%d requests went out, want %d to %d", n, tt.wantLeast, tt.wantAtMost)
			}
			for i, r := range results {
				if rep := r.Reported(); rep == nil || rep.Code != cors.CodeActualNetwork || !strings.Contains(rep.Message, "no answer within") {
					t.Errorf("request %d: reported %+v, want no answer within the timeout", i, rep)
				}
			}
		})
	}
}
