package probe

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestSkipBlockedActual: after a failed preflight the actual request is sent
// only when the caller wants what comes next (check), not when it wants
// only what the browser sends (audit).
func TestSkipBlockedActual(t *testing.T) {
	noCORS := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		skip    bool
		want    []string
	}{
		{"failed preflight, check", noCORS, false, []string{"OPTIONS", "GET"}},
		{"failed preflight, audit", noCORS, true, []string{"OPTIONS"}},
		{"passed preflight, audit", corsOK, true, []string{"OPTIONS", "GET"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, s := server(t, tc.handler)
			res := run(t, Options{Request: cors.Request{URL: srv.URL, Header: http.Header{"X-Custom": {"1"}}}, SkipBlockedActual: tc.skip})
			if got := s.methods(); !slices.Equal(got, tc.want) {
				t.Errorf("server saw %v, want %v", got, tc.want)
			}
			if tc.skip && len(tc.want) == 1 && !strings.Contains(res.Exchange.ActualSkipped, "preflight failed") {
				t.Errorf("ActualSkipped = %q", res.Exchange.ActualSkipped)
			}
		})
	}
}

// TestBeforeSend: the hook sees every request, and a refusal stops that
// request without counting it as a network failure of the endpoint.
func TestBeforeSend(t *testing.T) {
	srv, s := server(t, corsOK)
	calls := 0
	allow := 1
	res, err := Run(context.Background(), Options{
		Request: cors.Request{URL: srv.URL, Origin: pageOrigin, Header: http.Header{"X-Custom": {"1"}}},
		BeforeSend: func(context.Context) error {
			calls++
			if calls > allow {
				return errors.New("over budget")
			}
			return nil
		},
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := s.methods(); !slices.Equal(got, []string{"OPTIONS"}) {
		t.Errorf("server saw %v, want only the preflight", got)
	}
	if calls != 2 || len(res.Exchange.Actual) != 1 || !strings.Contains(res.Exchange.Actual[0].NetError, "over budget") {
		t.Errorf("calls %d, actual %+v", calls, res.Exchange.Actual)
	}
}
