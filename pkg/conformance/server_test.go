package conformance

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func serverFor(t *testing.T, scenarios ...Scenario) *Server {
	t.Helper()
	srv, err := NewServer(scenarios)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// send makes one request without following redirects.
func send(t *testing.T, method, url string, h http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestServerAnswers(t *testing.T) {
	srv := serverFor(t,
		Scenario{Name: "two-lines", Preflight: &Response{Status: 204, Headers: []Header{{"Access-Control-Allow-Origin", "{origin}"}, {"Access-Control-Allow-Methods", "PUT"}}},
			Response: Response{Status: 200, Headers: []Header{{"Access-Control-Allow-Origin", "{origin}"}, {"access-control-allow-origin", "*"}}, Body: "ok"}},
		Scenario{Name: "no-preflight", Response: Response{Status: 404}},
		Scenario{Name: "hops", Redirects: []Redirect{
			{Status: 302, To: "other", Headers: []Header{{"Access-Control-Allow-Origin", "*"}}},
			{Status: 307, To: "page", Userinfo: "u:p"},
		}, Response: Response{Status: 201, Body: "done"}},
		Scenario{Name: "loop", Redirects: []Redirect{{Status: 301, Loop: true}}, Response: Response{Status: 200}},
		Scenario{Name: "raw", Redirects: []Redirect{{Status: 302, Location: "ftp://{api_port}/x"}}, Response: Response{Status: 200}},
		Scenario{Name: "drop", Response: Response{Status: 200, Drop: true}},
	)
	o := srv.Origins
	tests := []struct {
		name, method, url string
		status            int
		header            map[string][]string // nil slice: must be absent
		body              string
	}{
		{"preflight", "OPTIONS", srv.URL("two-lines", "n1"), 204, map[string][]string{"Access-Control-Allow-Origin": {o.Page}, "Access-Control-Allow-Methods": {"PUT"}, "Date": nil}, ""},
		{"repeated lines kept", "GET", srv.URL("two-lines", "n1"), 200, map[string][]string{"Access-Control-Allow-Origin": {o.Page, "*"}, "Content-Type": nil, "Date": nil}, "ok"},
		{"default preflight", "OPTIONS", srv.URL("no-preflight", "n1"), 204, map[string][]string{"Access-Control-Allow-Origin": nil}, ""},
		{"first hop", "GET", srv.URL("hops", "n1"), 302, map[string][]string{"Location": {o.Other + "/s/hops/n1/1"}, "Access-Control-Allow-Origin": {"*"}}, ""},
		{"second hop with userinfo", "GET", o.Other + "/s/hops/n1/1", 307, map[string][]string{"Location": {strings.Replace(o.Page, "http://", "http://u:p@", 1) + "/s/hops/n1/2"}}, ""},
		{"after the hops", "GET", o.Page + "/s/hops/n1/2", 201, nil, "done"},
		{"loop", "GET", srv.URL("loop", "n1"), 301, map[string][]string{"Location": {srv.URL("loop", "n1")}}, ""},
		{"raw location", "GET", srv.URL("raw", "n1"), 302, map[string][]string{"Location": {"ftp://" + o.API[strings.LastIndexByte(o.API, ':')+1:] + "/x"}}, ""},
		{"unknown scenario", "GET", srv.URL("nope", "n1"), 404, nil, ""},
		{"bad path", "GET", o.API + "/s/only-name", 404, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := send(t, tt.method, tt.url, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for k, want := range tt.header {
				if got := resp.Header[k]; strings.Join(got, "\n") != strings.Join(want, "\n") || (want == nil) != (got == nil) {
					t.Errorf("%s: got %q, want %q", k, got, want)
				}
			}
			if tt.body != "" {
				b, _ := io.ReadAll(resp.Body)
				if string(b) != tt.body {
					t.Errorf("body %q, want %q", b, tt.body)
				}
			}
		})
	}

	t.Run("page", func(t *testing.T) {
		resp := send(t, "GET", o.Page+"/", nil)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || string(b) != BlankPage {
			t.Errorf("page: %d %q", resp.StatusCode, b)
		}
	})
	t.Run("sandboxed page", func(t *testing.T) {
		// The page listener serves the sandboxed page; the others do not.
		resp := send(t, "GET", o.Page+SandboxedPath, nil)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || string(b) != BlankPage || resp.Header.Get("Content-Security-Policy") != "sandbox allow-scripts" {
			t.Errorf("sandboxed page: %d %q %v", resp.StatusCode, b, resp.Header)
		}
		if resp := send(t, "GET", o.API+SandboxedPath, nil); resp.StatusCode != 404 {
			t.Errorf("the API listener answered %s with %d", SandboxedPath, resp.StatusCode)
		}
	})
	t.Run("drop", func(t *testing.T) {
		req, _ := http.NewRequest("GET", srv.URL("drop", "n1"), nil)
		if resp, err := http.DefaultTransport.RoundTrip(req); err == nil {
			resp.Body.Close()
			t.Errorf("got status %d, want a dropped connection", resp.StatusCode)
		}
	})
	t.Run("log", func(t *testing.T) {
		send(t, "OPTIONS", srv.URL("two-lines", "n2"), http.Header{"Access-Control-Request-Headers": {"x-a"}})
		send(t, "PUT", srv.URL("two-lines", "n2"), nil)
		seen := srv.Seen("two-lines", "n2")
		if len(seen) != 2 || seen[0].Method != "OPTIONS" || seen[1].Method != "PUT" || seen[0].Origin != o.API ||
			seen[0].Header.Get("Access-Control-Request-Headers") != "x-a" || seen[0].Hop != 0 {
			t.Errorf("seen %+v", seen)
		}
		if hops := srv.Seen("hops", "n1"); len(hops) != 3 || hops[1].Origin != o.Other || hops[1].Hop != 1 || hops[2].Origin != o.Page {
			t.Errorf("hops seen %+v", hops)
		}
		if other := srv.Seen("two-lines", "unused"); len(other) != 0 {
			t.Errorf("a fresh nonce has %d requests", len(other))
		}
	})
}

func TestParsePath(t *testing.T) {
	tests := []struct {
		path      string
		name, non string
		hop       int
		ok        bool
	}{
		{"/s/a/n", "a", "n", 0, true},
		{"/s/a/n/3", "a", "n", 3, true},
		{"/s/a/n/x", "", "", 0, false},
		{"/s/a/n/-1", "", "", 0, false},
		{"/s/a", "", "", 0, false},
		{"/s//n", "", "", 0, false},
		{"/x/a/n", "", "", 0, false},
		{"/prod/a/n", "", "", 0, false}, // not under /s/
		{"/s/a/n/1/2", "", "", 0, false},
		// The story's server serves under /prod/, and only there.
		{"/prod/items/n", "items", "n", 0, true},
		{"/prod/items/n/1", "items", "n", 1, true},
		{"/prod/items", "", "", 0, false},
	}
	for _, tt := range tests {
		prefix := "/s/"
		if strings.HasPrefix(tt.path, "/prod/items/") {
			prefix = "/prod/"
		}
		name, non, hop, ok := parsePathUnder(prefix, tt.path)
		if name != tt.name || non != tt.non || hop != tt.hop || ok != tt.ok {
			t.Errorf("parsePathUnder(%q) = %q %q %d %v", tt.path, name, non, hop, ok)
		}
	}
}

// The page origin's blank page sets PageCookie; the other listeners' set
// nothing.
func TestServerPageCookie(t *testing.T) {
	srv := serverFor(t)
	for _, tc := range []struct {
		origin, want string
	}{
		{srv.Origins.Page, PageCookie + "; Path=/; SameSite=Lax"},
		{srv.Origins.API, ""},
		{srv.Origins.Other, ""},
	} {
		resp := send(t, http.MethodGet, tc.origin+"/", nil)
		if got := resp.Header.Get("Set-Cookie"); got != tc.want {
			t.Errorf("%s/: Set-Cookie %q, want %q", tc.origin, got, tc.want)
		}
	}
}

// The page of a default_port scenario is served on 127.0.0.1:80 when the
// port can be had, and the error says why when it cannot: a port already
// taken (here, by the first listener) is never taken over.
func TestServeDefaultPortPage(t *testing.T) {
	srv := serverFor(t)
	stop, err := srv.ServeDefaultPortPage()
	if err != nil {
		for _, want := range []string{"127.0.0.1:80", "root"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		}
		t.Skipf("cannot serve the page here, as the browser suites would skip: %v", err)
	}
	defer stop()
	resp := send(t, "GET", DefaultPortPage+"/", nil)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != BlankPage || !strings.HasPrefix(resp.Header.Get("Set-Cookie"), PageCookie) {
		t.Errorf("GET %s/: %d %q, Set-Cookie %q; want the blank page and its cookie", DefaultPortPage, resp.StatusCode, body, resp.Header.Get("Set-Cookie"))
	}
	if stop2, err := srv.ServeDefaultPortPage(); err == nil {
		stop2()
		t.Error("a second listener took port 80 from the first")
	} else if !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("second listener: %v; want address already in use", err)
	}
}
