package harfile

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/expiry"
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
	// The slow server's replays time out once all six have arrived (each
	// has its connection): a 300ms timeout also had to cover connecting,
	// which a loaded machine could outlast, and the server was then
	// taken for one no connection completes to.
	const slowN = 6
	slowCtx := expiry.New()
	var arrived atomic.Int32
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if arrived.Add(1) == slowN {
			slowCtx.Expire()
		}
		<-r.Context().Done()
	}))
	t.Cleanup(slow.Close)
	tests := []struct {
		name       string
		server     string
		n          int
		wantAtMost int32
		wantLeast  int32
		ctx        context.Context
		opts       ReplayOptions
	}{
		// Nothing connects: the timeout always passes first.
		{"connections never complete", blackhole(t), 12, 4, 1, context.Background(), ReplayOptions{Timeout: 300 * time.Millisecond}},
		// All in flight at once, each until every one has arrived.
		{"connected, no answer in time", slow.URL, slowN, slowN, slowN, slowCtx, ReplayOptions{Concurrency: slowN}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := &countingTransport{rt: probe.NewTransport(false, nil)}
			opts := tt.opts
			opts.Transport = ct
			rp := NewReplayer(tt.ctx, opts, func(*Result) error { return nil })
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
			// Given up on only when no connection completed (the slow
			// server's replays were all sent before any ended: what
			// says it is not given up on is the replayer's own record).
			if dead := rp.unreachable(tt.server) != nil; dead != (tt.name == "connections never complete") {
				t.Errorf("%s given up on: %v", tt.server, dead)
			}
			for i, r := range results {
				if rep := r.Reported(); rep == nil || rep.Code != cors.CodeActualNetwork || !strings.Contains(rep.Message, "no answer within") {
					t.Errorf("request %d: reported %+v, want no answer within the timeout", i, rep)
				}
			}
		})
	}
}
