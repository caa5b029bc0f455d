package probe

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/expiry"
	"github.com/corsdiag/corsdiag/pkg/internal/refused"
)

const pageOrigin = "https://app.example.com"

// seen records what a test server received.
type seen struct {
	mu   sync.Mutex
	reqs []seenReq
}

type seenReq struct {
	Method string
	Path   string
	Header http.Header
	Body   string
}

func (s *seen) add(r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, seenReq{r.Method, r.URL.Path, r.Header.Clone(), string(b)})
}

func (s *seen) all() []seenReq {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenReq(nil), s.reqs...)
}

func (s *seen) methods() []string {
	var out []string
	for _, r := range s.all() {
		out = append(out, r.Method)
	}
	return out
}

// server starts a loopback server that records every request before h runs.
func server(t *testing.T, h http.HandlerFunc) (*httptest.Server, *seen) {
	t.Helper()
	return startSeen(t, h, httptest.NewServer)
}

// tlsServer is server over https (reach it with Insecure): Safari blocks
// an https page's call to http://127.0.0.1 as mixed content.
func tlsServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *seen) {
	t.Helper()
	return startSeen(t, h, httptest.NewTLSServer)
}

func startSeen(t *testing.T, h http.HandlerFunc, start func(http.Handler) *httptest.Server) (*httptest.Server, *seen) {
	s := &seen{}
	srv := start(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.add(r)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, s
}

// corsOK answers every request, preflights included, with permissive CORS.
func corsOK(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
	w.Header().Set("Access-Control-Allow-Credentials", "true")
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
	w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Custom")
	w.Header().Set("Vary", "Origin")
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	io.WriteString(w, `{"ok":true}`)
}

func run(t *testing.T, o Options) *Result {
	t.Helper()
	if o.Request.Origin == "" {
		o.Request.Origin = pageOrigin
	}
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

func codes(d *cors.Diagnosis) []cors.Code {
	var out []cors.Code
	for _, f := range d.Findings {
		out = append(out, f.Code)
	}
	return out
}

func hasCode(d *cors.Diagnosis, c cors.Code) bool {
	for _, f := range d.Findings {
		if f.Code == c {
			return true
		}
	}
	return false
}

func TestPreflightHeadersAsChromium(t *testing.T) {
	srv, s := server(t, corsOK)
	res := run(t, Options{
		Request: cors.Request{
			Method: "PUT", URL: srv.URL + "/items/1", Credentials: true,
			Header: http.Header{
				"X-Custom":      {"1"},
				"Content-Type":  {"application/json"},
				"Authorization": {"Bearer secret-token"},
				"Accept":        {"application/json"},
			},
		},
		Body:       []byte(`{"a":1}`),
		Cookie:     "session=abc",
		SendActual: true,
	})
	got := s.all()
	if len(got) != 2 || got[0].Method != "OPTIONS" || got[1].Method != "PUT" {
		t.Fatalf("server saw %v, want OPTIONS then PUT", s.methods())
	}
	pre := got[0]
	want := map[string]string{
		"Access-Control-Request-Method":  "PUT",
		"Access-Control-Request-Headers": "authorization,content-type,x-custom",
		"Origin":                         pageOrigin,
		"Accept":                         "*/*",
		"Sec-Fetch-Mode":                 "cors",
		"Sec-Fetch-Site":                 "cross-site",
		"Sec-Fetch-Dest":                 "empty",
		"Referer":                        "",
	}
	for k, v := range want {
		if g := pre.Header.Get(k); g != v {
			t.Errorf("preflight %s = %q, want %q", k, g, v)
		}
	}
	if ua := pre.Header.Get("User-Agent"); !strings.Contains(ua, "Chrome/") {
		t.Errorf("preflight User-Agent = %q, want a Chrome one", ua)
	}
	for _, k := range []string{"Cookie", "Authorization", "X-Custom", "Content-Type"} {
		if v := pre.Header.Values(k); len(v) > 0 {
			t.Errorf("preflight carries %s: %q", k, v)
		}
	}
	if pre.Body != "" {
		t.Errorf("preflight has a body %q", pre.Body)
	}

	act := got[1]
	for k, v := range map[string]string{
		"Origin": pageOrigin, "Cookie": "session=abc", "Authorization": "Bearer secret-token",
		"X-Custom": "1", "Accept": "application/json", "Sec-Fetch-Mode": "cors",
	} {
		if g := act.Header.Get(k); g != v {
			t.Errorf("actual %s = %q, want %q", k, g, v)
		}
	}
	if act.Body != `{"a":1}` {
		t.Errorf("actual body = %q", act.Body)
	}
	if !res.BrowserSendsPreflight || !res.BrowserSendsActual {
		t.Errorf("BrowserSends preflight=%v actual=%v, want both", res.BrowserSendsPreflight, res.BrowserSendsActual)
	}
	if d := cors.Evaluate(res.Exchange); d.Verdict != cors.Allowed {
		t.Errorf("verdict %s, findings %v", d.Verdict, codes(d))
	}
}

func TestPreflightWithoutUnsafeHeadersOmitsRequestHeaders(t *testing.T) {
	srv, s := server(t, corsOK)
	run(t, Options{Request: cors.Request{Method: "DELETE", URL: srv.URL + "/x"}})
	got := s.all()
	if len(got) != 1 || got[0].Method != "OPTIONS" {
		t.Fatalf("server saw %v, want only OPTIONS", s.methods())
	}
	if v := got[0].Header.Values("Access-Control-Request-Headers"); len(v) != 0 {
		t.Errorf("Access-Control-Request-Headers sent: %q", v)
	}
}

func TestCookiesOnlyWithCredentials(t *testing.T) {
	srv, s := server(t, corsOK)
	run(t, Options{Request: cors.Request{URL: srv.URL}, Cookie: "a=1", BasicAuth: "u:p"})
	for _, r := range s.all() {
		if r.Header.Get("Cookie") != "" || r.Header.Get("Authorization") != "" {
			t.Errorf("%s carries credentials without Request.Credentials: %v", r.Method, r.Header)
		}
	}
	srv2, s2 := server(t, corsOK)
	run(t, Options{Request: cors.Request{URL: srv2.URL, Credentials: true, ForcePreflight: true}, Cookie: "a=1", BasicAuth: "u:p"})
	got := s2.all()
	if len(got) != 2 {
		t.Fatalf("server saw %v", s2.methods())
	}
	if got[0].Header.Get("Cookie") != "" || got[0].Header.Get("Authorization") != "" {
		t.Errorf("preflight carries credentials: %v", got[0].Header)
	}
	if got[1].Header.Get("Cookie") != "a=1" || got[1].Header.Get("Authorization") != "Basic dTpw" {
		t.Errorf("actual credentials = %q %q", got[1].Header.Get("Cookie"), got[1].Header.Get("Authorization"))
	}
}

func TestStateChangingNotSentWithoutSendActual(t *testing.T) {
	srv, s := server(t, corsOK)
	res := run(t, Options{Request: cors.Request{Method: "PUT", URL: srv.URL}})
	if m := s.methods(); len(m) != 1 || m[0] != "OPTIONS" {
		t.Fatalf("server saw %v, want only the preflight", m)
	}
	if len(res.Exchange.Actual) != 0 {
		t.Errorf("actual hops recorded: %d", len(res.Exchange.Actual))
	}
	if want := "PUT changes server state; corsdiag sent only the preflight. Pass --send-actual"; !strings.HasPrefix(res.Exchange.ActualSkipped, want) {
		t.Errorf("ActualSkipped = %q", res.Exchange.ActualSkipped)
	}
	// A simple POST needs no preflight, so nothing at all is sent.
	srv2, s2 := server(t, corsOK)
	res = run(t, Options{Request: cors.Request{Method: "POST", URL: srv2.URL}, Body: []byte("a=1")})
	if m := s2.methods(); len(m) != 0 {
		t.Errorf("server saw %v for a simple POST without --send-actual", m)
	}
	if !strings.Contains(res.Exchange.ActualSkipped, "sent nothing") {
		t.Errorf("ActualSkipped = %q", res.Exchange.ActualSkipped)
	}
}

func TestForbiddenMethodSendsNothing(t *testing.T) {
	srv, s := server(t, corsOK)
	res := run(t, Options{Request: cors.Request{Method: "TRACE", URL: srv.URL}, SendActual: true})
	if m := s.methods(); len(m) != 0 {
		t.Errorf("server saw %v", m)
	}
	if res.BrowserSendsActual || res.BrowserSendsPreflight || res.Exchange.ActualSkipped == "" {
		t.Errorf("result = %+v", res)
	}
}

// TestFindingSituations runs one server per situation the engine must judge
// from what the probe recorded.
func TestFindingSituations(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		req     cors.Request
		send    bool
		// want
		code           cors.Code
		methods        []string
		sendsActual    bool
		actualRecorded int
	}{
		{
			name:    "no allow-origin",
			handler: func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hi") },
			req:     cors.Request{Method: "GET"},
			code:    cors.CodeMissingAllowOrigin, methods: []string{"GET"}, sendsActual: true, actualRecorded: 1,
		},
		{
			name: "wrong allow-origin",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "https://other.example.com")
			},
			req:  cors.Request{Method: "GET"},
			code: cors.CodeAllowOriginMismatch, methods: []string{"GET"}, sendsActual: true, actualRecorded: 1,
		},
		{
			name: "preflight 403",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				if r.Method == "OPTIONS" {
					w.WriteHeader(403)
				}
			},
			// Safe method: the actual is sent anyway to show what comes next.
			req:  cors.Request{Method: "GET", Header: http.Header{"X-Custom": {"1"}}},
			code: cors.CodePreflightStatus, methods: []string{"OPTIONS", "GET"}, sendsActual: false, actualRecorded: 1,
		},
		{
			name: "preflight 404 without CORS",
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.Method == "OPTIONS" {
					http.NotFound(w, r)
				}
			},
			req:  cors.Request{Method: "PATCH", Header: http.Header{"Content-Type": {"application/json"}}},
			send: true,
			code: cors.CodePreflightMissingAllowOrigin, methods: []string{"OPTIONS", "PATCH"}, sendsActual: false, actualRecorded: 1,
		},
		{
			name: "preflight fails, state-changing, not sent",
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.Method == "OPTIONS" {
					w.WriteHeader(405)
				}
			},
			req:  cors.Request{Method: "DELETE"},
			code: cors.CodePreflightMissingAllowOrigin, methods: []string{"OPTIONS"}, sendsActual: false, actualRecorded: 0,
		},
		{
			name: "preflight redirected",
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.Method == "OPTIONS" {
					http.Redirect(w, r, "/other", http.StatusMovedPermanently)
					return
				}
				corsOK(w, r)
			},
			req:  cors.Request{Method: "PUT"},
			code: cors.CodePreflightRedirect, methods: []string{"OPTIONS"}, sendsActual: false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, s := server(t, tc.handler)
			tc.req.URL = srv.URL + "/api/x"
			res := run(t, Options{Request: tc.req, SendActual: tc.send})
			if got := s.methods(); strings.Join(got, ",") != strings.Join(tc.methods, ",") {
				t.Errorf("server saw %v, want %v", got, tc.methods)
			}
			if res.BrowserSendsActual != tc.sendsActual {
				t.Errorf("BrowserSendsActual = %v, want %v", res.BrowserSendsActual, tc.sendsActual)
			}
			if len(res.Exchange.Actual) != tc.actualRecorded {
				t.Errorf("recorded %d actual hops, want %d", len(res.Exchange.Actual), tc.actualRecorded)
			}
			d := cors.Evaluate(res.Exchange)
			if d.Verdict != cors.Blocked || len(d.Findings) == 0 || !hasCode(d, tc.code) {
				t.Fatalf("verdict %s findings %v, want blocked with %s", d.Verdict, codes(d), tc.code)
			}
			for _, f := range d.Findings {
				if f.Reported && f.Code != tc.code {
					t.Errorf("reported %s, want %s", f.Code, tc.code)
				}
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	t.Run("same origin", func(t *testing.T) {
		srv, s := server(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", pageOrigin)
			w.Header().Set("Vary", "Origin")
			if r.URL.Path == "/a" {
				http.Redirect(w, r, "/b", http.StatusFound)
				return
			}
			io.WriteString(w, "final")
		})
		res := run(t, Options{Request: cors.Request{URL: srv.URL + "/a"}})
		got := s.all()
		if len(got) != 2 || got[1].Path != "/b" || got[1].Header.Get("Origin") != pageOrigin {
			t.Fatalf("server saw %+v", got)
		}
		if len(res.Exchange.Actual) != 2 || string(res.Exchange.Actual[1].Response.Body) != "final" {
			t.Fatalf("hops = %+v", res.Exchange.Actual)
		}
		if d := cors.Evaluate(res.Exchange); d.Verdict != cors.Allowed {
			t.Errorf("verdict %s %v", d.Verdict, codes(d))
		}
	})

	t.Run("cross origin taints Origin to null", func(t *testing.T) {
		for _, tc := range []struct {
			finalACAO string
			verdict   cors.Verdict
		}{{"*", cors.Allowed}, {pageOrigin, cors.Blocked}} {
			b, sb := server(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", tc.finalACAO)
			})
			a, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method == "OPTIONS" {
					corsOK(w, r)
					return
				}
				w.Header().Set("Access-Control-Allow-Origin", "*")
				http.Redirect(w, r, b.URL+"/final", http.StatusTemporaryRedirect)
			})
			res := run(t, Options{Request: cors.Request{URL: a.URL + "/start", Header: http.Header{"Authorization": {"Bearer t"}}}})
			gotB := sb.all()
			if len(gotB) != 1 {
				t.Fatalf("second server saw %d requests", len(gotB))
			}
			if o := gotB[0].Header.Get("Origin"); o != "null" {
				t.Errorf("Origin after cross-origin redirect = %q, want null", o)
			}
			if v := gotB[0].Header.Get("Authorization"); v != "" {
				t.Errorf("Authorization kept across origins: %q", v)
			}
			if v := gotB[0].Header.Get("Sec-Fetch-Site"); v != "cross-site" {
				t.Errorf("Sec-Fetch-Site = %q", v)
			}
			d := cors.Evaluate(res.Exchange)
			if d.Verdict != tc.verdict || !hasCode(d, cors.CodeOriginTainted) {
				t.Errorf("final ACAO %q: verdict %s %v", tc.finalACAO, d.Verdict, codes(d))
			}
		}
	})

	t.Run("loop capped", func(t *testing.T) {
		srv, s := server(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
		})
		res := run(t, Options{Request: cors.Request{URL: srv.URL + "/loop"}})
		if n := len(s.all()); n != cors.MaxRedirects+1 {
			t.Errorf("server saw %d requests, want %d", n, cors.MaxRedirects+1)
		}
		if n := len(res.Exchange.Actual); n != cors.MaxRedirects+1 {
			t.Errorf("recorded %d hops, want %d", n, cors.MaxRedirects+1)
		}
		if d := cors.Evaluate(res.Exchange); !hasCode(d, cors.CodeTooManyRedirects) {
			t.Errorf("findings %v, want %s", codes(d), cors.CodeTooManyRedirects)
		}
	})

	t.Run("userinfo in Location is not followed", func(t *testing.T) {
		b, sb := server(t, corsOK)
		a, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Location", strings.Replace(b.URL, "http://", "http://user:pass@", 1)+"/x")
			w.WriteHeader(http.StatusFound)
		})
		res := run(t, Options{Request: cors.Request{URL: a.URL}})
		if n := len(sb.all()); n != 0 {
			t.Errorf("target saw %d requests", n)
		}
		if d := cors.Evaluate(res.Exchange); !hasCode(d, cors.CodeRedirectCredentials) {
			t.Errorf("findings %v", codes(d))
		}
	})

	t.Run("redirect without CORS stops", func(t *testing.T) {
		srv, s := server(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/a" {
				http.Redirect(w, r, "/b", http.StatusFound)
				return
			}
			corsOK(w, r)
		})
		res := run(t, Options{Request: cors.Request{URL: srv.URL + "/a"}})
		if len(s.all()) != 1 || len(res.Exchange.Actual) != 1 {
			t.Errorf("followed a redirect that fails the CORS check: %v", s.methods())
		}
	})

	t.Run("POST 301 becomes GET without body", func(t *testing.T) {
		srv, s := server(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			if r.URL.Path == "/a" {
				http.Redirect(w, r, "/b", http.StatusMovedPermanently)
			}
		})
		run(t, Options{Request: cors.Request{Method: "POST", URL: srv.URL + "/a", Header: http.Header{"Content-Type": {"text/plain"}}}, Body: []byte("x=1"), SendActual: true})
		got := s.all()
		if len(got) != 2 || got[0].Method != "POST" || got[0].Body != "x=1" || got[1].Method != "GET" || got[1].Body != "" || got[1].Header.Get("Content-Type") != "" {
			t.Errorf("server saw %+v", got)
		}
	})
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	hang := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}
	// A timeout not honoured would leave Run waiting for an answer that
	// never comes: go test's timeout says so.
	t.Run("nothing answers", func(t *testing.T) {
		srv, _ := server(t, hang)
		_, err := Run(context.Background(), Options{Request: cors.Request{URL: srv.URL, Origin: pageOrigin}, Timeout: 150 * time.Millisecond})
		var ue *UnreachableError
		if !errors.As(err, &ue) || !strings.Contains(ue.Reason, "no answer within 150ms") || !strings.Contains(ue.Hint, "--timeout") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("preflight answers, actual hangs", func(t *testing.T) {
		// The check's time runs out once the actual request has arrived:
		// a 300ms timeout also had to cover the preflight, which a loaded
		// machine did not always answer in time.
		ctx := expiry.New()
		srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
			if r.Method == "OPTIONS" {
				corsOK(w, r)
				return
			}
			ctx.Expire()
			hang(w, r)
		})
		res, err := Run(ctx, Options{Request: cors.Request{URL: srv.URL, Origin: pageOrigin, Header: http.Header{"X-Custom": {"1"}}}})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if res.Exchange.Preflight.Response == nil || len(res.Exchange.Actual) != 1 || res.Exchange.Actual[0].NetError == "" {
			t.Fatalf("exchange = %+v", res.Exchange)
		}
		if d := cors.Evaluate(res.Exchange); !hasCode(d, cors.CodeActualNetwork) {
			t.Errorf("findings %v", codes(d))
		}
	})
}

// resetHandler drops the connection without an answer, with an RST.
func resetHandler(w http.ResponseWriter, r *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

func TestConnectionReset(t *testing.T) {
	srv, _ := server(t, resetHandler)
	_, err := Run(context.Background(), Options{Request: cors.Request{URL: srv.URL, Origin: pageOrigin}})
	var ue *UnreachableError
	if !errors.As(err, &ue) || !strings.Contains(ue.Reason, "closed the connection") {
		t.Fatalf("err = %v", err)
	}

	// Partial: the preflight is answered, the actual request is reset.
	srv2, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "OPTIONS" {
			corsOK(w, r)
			return
		}
		resetHandler(w, r)
	})
	res := run(t, Options{Request: cors.Request{URL: srv2.URL, Header: http.Header{"X-Custom": {"1"}}}})
	if len(res.Exchange.Actual) != 1 || !strings.Contains(res.Exchange.Actual[0].NetError, "closed the connection") {
		t.Errorf("actual = %+v", res.Exchange.Actual)
	}
}

func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(corsOK))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, err := Run(context.Background(), Options{Request: cors.Request{URL: srv.URL, Origin: pageOrigin}})
	var ue *UnreachableError
	if !errors.As(err, &ue) || !strings.Contains(ue.Reason, "unknown authority") || !strings.Contains(ue.Hint, "-k/--insecure") {
		t.Fatalf("err = %v (hint %q)", err, hintOf(err))
	}
	res := run(t, Options{Request: cors.Request{URL: srv.URL}, Insecure: true})
	if r := res.Exchange.FinalResponse(); r == nil || r.Status != 200 {
		t.Fatalf("with Insecure: %+v", res.Exchange.Actual)
	}
	if ua := res.Exchange.Actual[0].Request.Header.Get("Sec-Ch-Ua"); ua == "" {
		t.Errorf("no client hints on an https request")
	}

	// Speaking TLS to a plain-HTTP port.
	plain, _ := server(t, corsOK)
	_, err = Run(context.Background(), Options{Request: cors.Request{URL: strings.Replace(plain.URL, "http:", "https:", 1), Origin: pageOrigin}})
	if !errors.As(err, &ue) || !strings.Contains(ue.Reason, "does not speak TLS") {
		t.Errorf("err = %v", err)
	}
}

func hintOf(err error) string {
	var ue *UnreachableError
	if errors.As(err, &ue) {
		return ue.Hint
	}
	return ""
}

func TestRefusedPort(t *testing.T) {
	addr := refused.Addr(t)
	res, err := Run(context.Background(), Options{Request: cors.Request{URL: "http://" + addr + "/x", Origin: pageOrigin}})
	var ue *UnreachableError
	if !errors.As(err, &ue) || !strings.Contains(ue.Reason, "connection refused: nothing listens on "+addr) {
		t.Fatalf("err = %v", err)
	}
	if res == nil || len(res.Exchange.Actual) != 1 || res.Exchange.Actual[0].NetError == "" {
		t.Errorf("result with failed hop expected, got %+v", res)
	}
}

func TestDescribeDNS(t *testing.T) {
	err := &net.DNSError{Err: "no such host", Name: "api.nowhere.test", IsNotFound: true}
	reason, hint := describe(err, "https://api.nowhere.test/x", time.Second)
	if reason != "DNS lookup of api.nowhere.test failed: no such host" || hint == "" {
		t.Errorf("describe = %q, %q", reason, hint)
	}
}

func TestBodies(t *testing.T) {
	big := bytes.Repeat([]byte("a"), 200<<10)
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		switch r.URL.Path {
		case "/big":
			w.Write(big)
		case "/gzip":
			if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				io.WriteString(w, "plain")
				return
			}
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			io.WriteString(zw, `{"message":"Missing Authentication Token"}`)
			zw.Close()
		default:
			io.WriteString(w, "small")
		}
	})
	for _, tc := range []struct {
		path      string
		max       int64
		wantLen   int
		truncated bool
		prefix    string
	}{
		{"/big", 0, DefaultMaxBody, true, "aaa"},
		{"/big", 1000, 1000, true, "aaa"},
		{"/small", 0, 5, false, "small"},
		{"/gzip", 0, 42, false, `{"message"`},
	} {
		res := run(t, Options{Request: cors.Request{URL: srv.URL + tc.path}, MaxBody: tc.max})
		r := res.Exchange.FinalResponse()
		if r == nil || len(r.Body) != tc.wantLen || r.BodyTruncated != tc.truncated || !bytes.HasPrefix(r.Body, []byte(tc.prefix)) {
			t.Errorf("%s max %d: len %d truncated %v body %.20q", tc.path, tc.max, len(r.Body), r.BodyTruncated, r.Body)
		}
		if tc.path == "/gzip" && r.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("Content-Encoding not kept as the server sent it: %v", r.Header)
		}
	}
}

func TestRepeatedHeaderLinesKept(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Access-Control-Allow-Origin", pageOrigin)
		w.Header().Add("Access-Control-Allow-Origin", "*")
	})
	res := run(t, Options{Request: cors.Request{URL: srv.URL}})
	if v := res.Exchange.FinalResponse().Header.Values("Access-Control-Allow-Origin"); len(v) != 2 {
		t.Fatalf("ACAO lines = %q", v)
	}
	if d := cors.Evaluate(res.Exchange); !hasCode(d, cors.CodeMultipleAllowOrigin) {
		t.Errorf("findings %v", codes(d))
	}
}

func TestErrorPathProbe(t *testing.T) {
	// An API whose CORS middleware runs only on success: errors lack ACAO.
	api := func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "OPTIONS" {
			corsOK(w, r)
			return
		}
		if r.URL.Path != "/v1/users/42" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") == "" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		corsOK(w, r)
	}
	srv, s := server(t, api)
	res := run(t, Options{
		Request:    cors.Request{URL: srv.URL + "/v1/users/42?expand=1", Header: http.Header{"Authorization": {"Bearer t"}}},
		ErrorProbe: true,
	})
	if len(res.ErrorPaths) != 2 {
		t.Fatalf("error paths = %+v", res.ErrorPaths)
	}
	unknown, noCreds := res.ErrorPaths[0], res.ErrorPaths[1]
	if unknown.Purpose != PurposeUnknownPath || !strings.HasPrefix(unknown.Hop.Request.URL, srv.URL+"/v1/users/corsdiag-probe-") || unknown.Hop.Response.Status != 404 {
		t.Errorf("unknown path probe = %+v", unknown)
	}
	if noCreds.Purpose != PurposeWithoutCredentials || noCreds.Hop.Request.URL != srv.URL+"/v1/users/42?expand=1" || noCreds.Hop.Response.Status != 401 {
		t.Errorf("no-credentials probe = %+v", noCreds)
	}
	// The probes go out beside the exchange, so arrival order is free: the
	// preflight, the actual GET (with Authorization), and two bare GETs.
	var probes int
	for _, r := range s.all() {
		if r.Method == "OPTIONS" || r.Header.Get("Authorization") == "Bearer t" {
			continue
		}
		probes++
		if r.Method != "GET" || r.Header.Get("Authorization") != "" || r.Header.Get("Origin") != pageOrigin {
			t.Errorf("error-path request %+v", r)
		}
	}
	if len(s.all()) != 4 || probes != 2 {
		t.Errorf("server saw %d requests, %d of them error-path probes; want 4 and 2", len(s.all()), probes)
	}
	if len(res.Findings) != 1 {
		t.Fatalf("findings = %+v", res.Findings)
	}
	f := res.Findings[0]
	if f.Code != cors.CodeErrorPathNoCORS || f.Step != "error-path" ||
		!strings.Contains(f.Message, "404 (Not Found)") || !strings.Contains(f.Message, "401 (Unauthorized)") ||
		!strings.Contains(f.Message, "the browser shows a CORS error instead of the real status") {
		t.Errorf("finding = %+v", f)
	}

	// An API that sends CORS headers on errors too gets no finding, and no
	// credential-less probe is sent for a request without credentials.
	good, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.URL.Path != "/ok" {
			http.NotFound(w, r)
		}
	})
	res = run(t, Options{Request: cors.Request{URL: good.URL + "/ok"}, ErrorProbe: true})
	if len(res.ErrorPaths) != 1 || len(res.Findings) != 0 {
		t.Errorf("error paths %+v findings %+v", res.ErrorPaths, res.Findings)
	}
}

func TestErrorProbeWithoutActual(t *testing.T) {
	srv, s := server(t, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	res := run(t, Options{Request: cors.Request{Method: "POST", URL: srv.URL + "/orders"}, Body: []byte("a=1"), ErrorProbe: true})
	if m := s.methods(); strings.Join(m, ",") != "GET" {
		t.Fatalf("server saw %v, want only the error-path GET", m)
	}
	if len(res.ErrorPaths) != 1 || len(res.Findings) != 1 {
		t.Errorf("error paths %+v findings %+v", res.ErrorPaths, res.Findings)
	}
}

func TestGetNeverCarriesBody(t *testing.T) {
	srv, s := server(t, corsOK)
	run(t, Options{Request: cors.Request{URL: srv.URL}, Body: []byte("x")})
	if got := s.all(); len(got) != 1 || got[0].Body != "" {
		t.Errorf("server saw %+v", got)
	}
}

// refuseTransport fails the test if anything is sent through it.
type refuseTransport struct{ t *testing.T }

func (r refuseTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.t.Errorf("sent %s %s; bad options must be refused before any request", req.Method, req.URL)
	return nil, errors.New("refused by the test")
}

// TestValidation: bad options are refused with a reason, before anything is
// sent (a request that merely fails to connect would also return an error).
func TestValidation(t *testing.T) {
	bad := http.Header{"X-Api-Key": {"k\x01ey"}}
	for _, tc := range []struct {
		req    cors.Request
		cookie string
		want   string
	}{
		{req: cors.Request{URL: "http://127.0.0.1/"}, want: "no Origin"},
		// A value no request can carry: net/http would refuse it on the
		// wire, which reads as a network error the browser never has.
		{req: cors.Request{URL: "http://127.0.0.1/", Origin: pageOrigin, Header: bad}, want: "header X-Api-Key: the value holds a control character (0x01)"},
		{req: cors.Request{URL: "http://127.0.0.1/", Origin: pageOrigin, Credentials: true}, cookie: "s=a\nb", want: "cookie: the value holds a control character (0x0a)"},
		{req: cors.Request{URL: "ftp://x/", Origin: pageOrigin}, want: "not an absolute http:// or https:// URL"},
		{req: cors.Request{URL: "/relative", Origin: pageOrigin}, want: "not an absolute http:// or https:// URL"},
		{req: cors.Request{URL: "http://", Origin: pageOrigin}, want: "no host"},
		{req: cors.Request{URL: "http://[::1/", Origin: pageOrigin}, want: "IPv6 address is missing the closing"},
		{req: cors.Request{URL: "http://exa mple.com/", Origin: pageOrigin}, want: `host contains a forbidden domain code point: " "`},
	} {
		_, err := Run(context.Background(), Options{Request: tc.req, Cookie: tc.cookie, Transport: refuseTransport{t}})
		var ue *UnreachableError
		if err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Run(%q from %q) = %v, want an error saying %q", tc.req.URL, tc.req.Origin, err, tc.want)
		}
	}
}

func TestSiteRelation(t *testing.T) {
	for _, tc := range []struct{ origin, url, want string }{
		{"https://app.example.com", "https://app.example.com/x", "same-origin"},
		{"https://app.example.com", "https://api.example.com/x", "same-site"},
		{"http://app.example.com", "https://api.example.com/x", "cross-site"},
		{"https://app.example.co.uk", "https://api.other.co.uk/", "cross-site"},
		{"http://127.0.0.1:3000", "http://127.0.0.1:8080/", "same-site"},
		{"null", "https://api.example.com/", "cross-site"},
	} {
		if got := SiteRelation(tc.origin, tc.url); got != tc.want {
			t.Errorf("SiteRelation(%s, %s) = %s, want %s", tc.origin, tc.url, got, tc.want)
		}
	}
}

// Each profile's browser sends its own User-Agent and Accept-Language;
// Firefox lets script set User-Agent, Chromium does not.
func TestBrowserHeadersPerProfile(t *testing.T) {
	for _, tc := range []struct {
		profile  *cors.Profile
		scriptUA string
		wantUA   string
	}{
		{cors.Chromium, "", "Chrome/"},
		{cors.Firefox, "", "Firefox/"},
		{cors.Safari, "", "Version/18.0 Safari/"},
		{cors.Chromium, "my-app/1", "Chrome/"},
		{cors.Firefox, "my-app/1", "my-app/1"},
	} {
		t.Run(tc.profile.Name+"/"+tc.scriptUA, func(t *testing.T) {
			srv, s := tlsServer(t, corsOK)
			h := http.Header{}
			if tc.scriptUA != "" {
				h.Set("User-Agent", tc.scriptUA)
			}
			run(t, Options{Request: cors.Request{Method: "GET", URL: srv.URL + "/items", Header: h}, Profile: tc.profile, Insecure: true})
			got := s.all()
			if len(got) == 0 {
				t.Fatal("nothing sent")
			}
			last := got[len(got)-1]
			if ua := last.Header.Get("User-Agent"); !strings.Contains(ua, tc.wantUA) {
				t.Errorf("User-Agent = %q, want it to contain %q", ua, tc.wantUA)
			}
			if al := last.Header.Get("Accept-Language"); al != tc.profile.Headers.AcceptLanguage {
				t.Errorf("Accept-Language = %q, want %q", al, tc.profile.Headers.AcceptLanguage)
			}
		})
	}
}

// A value's leading and trailing whitespace (a token read from a file with
// its newline) is stripped, as fetch() strips it, not refused by net/http
// as a network error; the caller's header is left as it was.
func TestValuesTrimmedAsFetchDoes(t *testing.T) {
	var mu sync.Mutex
	var gotKey, gotCookie string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Method == http.MethodGet {
			gotKey, gotCookie = r.Header.Get("X-Api-Key"), r.Header.Get("Cookie")
		}
		w.Header().Set("Access-Control-Allow-Origin", pageOrigin)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Access-Control-Allow-Headers", "x-api-key")
	}))
	defer srv.Close()
	h := http.Header{"X-Api-Key": {" key\n"}}
	req := cors.Request{Method: "GET", URL: srv.URL + "/", Origin: pageOrigin, Header: h, Credentials: true}
	if _, err := Run(context.Background(), Options{Request: req, Cookie: "s=1\r\n"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if gotKey != "key" || gotCookie != "s=1" {
		t.Errorf("sent X-Api-Key %q, Cookie %q; want \"key\", \"s=1\"", gotKey, gotCookie)
	}
	if h.Get("X-Api-Key") != " key\n" {
		t.Errorf("the caller's header changed to %q", h.Get("X-Api-Key"))
	}
}
