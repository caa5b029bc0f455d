package harfile

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Replays to one host share connections (keep-alive), as the browser's
// tab did, and come out in the order they went in.
func TestReplayReusesConnections(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK) // no Access-Control-Allow-Origin: still blocked
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	var got []string
	rp := NewReplayer(context.Background(), ReplayOptions{Concurrency: 1}, func(r *Result) error {
		got = append(got, r.URL)
		return nil
	})
	var want []string
	for _, path := range []string{"/a", "/b", "/c"} {
		u := srv.URL + path
		want = append(want, u)
		req := &cors.Request{Method: http.MethodGet, URL: u, Origin: "https://app.example.com"}
		if err := rp.Add(&Result{URL: u, CauseSource: CauseUnknown, Reproduce: req}); err != nil {
			t.Fatal(err)
		}
	}
	if err := rp.Wait(); err != nil {
		t.Fatal(err)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("three replays to one host took %d connections, want 1", n)
	}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("emitted %v, want %v", got, want)
	}
}
