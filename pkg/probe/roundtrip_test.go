package probe_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// TestHARReadBackSameVerdict: `check --har-out f` followed by `har f` must
// reach the verdict the engine reached on the live exchange.
func TestHARReadBackSameVerdict(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			w.Header().Set("Access-Control-Allow-Headers", "x-custom")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.URL.Path == "/allowed" {
			w.Header().Set("Access-Control-Allow-Origin", "*")
		}
		io.WriteString(w, "body")
	}))
	defer srv.Close()
	for _, path := range []string{"/allowed", "/blocked"} {
		res, err := probe.Run(context.Background(), probe.Options{Request: cors.Request{
			URL: srv.URL + path, Origin: "https://app.example.com", Header: http.Header{"X-Custom": {"1"}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		live := cors.Evaluate(res.Exchange)
		var buf bytes.Buffer
		if err := res.WriteHAR(&buf, true); err != nil {
			t.Fatal(err)
		}
		var got []*harfile.Result
		if _, _, err := harfile.Analyze(&buf, harfile.AnalyzeOptions{}, func(r *harfile.Result) error {
			got = append(got, r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Verdict != live.Verdict || got[0].PreflightIndex != 0 {
			t.Fatalf("%s: live verdict %s, read back %+v", path, live.Verdict, got)
		}
		if live.Verdict == cors.Blocked && got[0].Reported().Code != live.Findings[0].Code {
			t.Errorf("%s: live reports %s, HAR reports %s", path, live.Findings[0].Code, got[0].Reported().Code)
		}
	}
}
