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
		got, _ := readBack(t, res)
		if len(got) != 1 || got[0].Verdict != live.Verdict || got[0].PreflightIndex != 0 {
			t.Fatalf("%s: live verdict %s, read back %+v", path, live.Verdict, got)
		}
		if live.Verdict == cors.Blocked && got[0].Reported().Code != live.Findings[0].Code {
			t.Errorf("%s: live reports %s, HAR reports %s", path, live.Findings[0].Code, got[0].Reported().Code)
		}
	}
}

// readBack writes res as `check --har-out` does and reads the file back as
// `har` does: the results, and the file.
func readBack(t *testing.T, res *probe.Result) ([]*harfile.Result, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := res.WriteHAR(&buf, true); err != nil {
		t.Fatal(err)
	}
	file := buf.String()
	var got []*harfile.Result
	if _, _, err := harfile.Analyze(&buf, harfile.AnalyzeOptions{}, func(r *harfile.Result) error {
		got = append(got, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got, file
}

// TestHARReadBackRedirectPreflight: a preflighted request redirected to
// another origin gets a new preflight there; `check --har-out` records it
// (as Chrome's export does: the request at the new URL, never sent when
// that preflight failed, and its OPTIONS), so `har` reaches check's
// verdict, reported error and cause.
func TestHARReadBackRedirectPreflight(t *testing.T) {
	for _, tt := range []struct {
		name   string
		target http.HandlerFunc
	}{
		{"the new preflight refuses Origin: null", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("Vary", "Origin")
			if o := r.Header.Get("Origin"); o != "null" {
				w.Header().Set("Access-Control-Allow-Origin", o)
			}
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.WriteHeader(http.StatusNoContent)
		}},
		{"the new preflight passes", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			if r.Method == http.MethodOptions {
				w.WriteHeader(http.StatusNoContent)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			target := httptest.NewServer(tt.target)
			defer target.Close()
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
				if r.Method == http.MethodOptions {
					w.Header().Set("Access-Control-Allow-Methods", "PUT")
					w.WriteHeader(http.StatusNoContent)
					return
				}
				http.Redirect(w, r, target.URL+"/items", http.StatusTemporaryRedirect)
			}))
			defer api.Close()
			res, err := probe.Run(context.Background(), probe.Options{Request: cors.Request{
				Method: http.MethodPut, URL: api.URL + "/items", Origin: "https://app.example.com",
			}, SendActual: true, Body: []byte("x")})
			if err != nil {
				t.Fatal(err)
			}
			live := cors.Evaluate(res.Exchange)
			got, file := readBack(t, res)
			if len(got) != 1 || got[0].Verdict != live.Verdict {
				t.Fatalf("live verdict %s; read back %d results %+v\n%s", live.Verdict, len(got), got, file)
			}
			if live.Verdict != cors.Blocked {
				return
			}
			if rep := got[0].Reported(); rep == nil || rep.Code != live.Reported().Code {
				t.Errorf("live reports %s, HAR reports %v", live.Reported().Code, rep)
			}
			var cause cors.Code
			for _, f := range got[0].Findings {
				if f.Cause {
					cause = f.Code
				}
			}
			if want := live.Cause().Code; cause != want {
				t.Errorf("live cause %s, HAR cause %q; findings %v", want, cause, got[0].Findings)
			}
		})
	}
}
