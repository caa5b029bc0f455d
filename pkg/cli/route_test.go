package cli

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// hostRecorder is an API that allows the dev page http://localhost:5173 (a secure context, so loopback is no Local Network Access problem) and records
// the Host of every request it gets.
type hostRecorder struct {
	*httptest.Server
	mu      sync.Mutex
	hosts   map[string]int
	targets map[string]int // request-line targets
}

func newHostRecorder(t *testing.T) *hostRecorder {
	t.Helper()
	s := &hostRecorder{hosts: map[string]int{}, targets: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hosts[r.Host]++
		s.targets[r.RequestURI]++
		s.mu.Unlock()
		w.Header().Set("Access-Control-Allow-Origin", "http://localhost:5173")
		w.Header().Set("Access-Control-Allow-Methods", "PUT")
		w.Header().Set("Vary", "Origin")
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *hostRecorder) saw(host string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hosts[host]
}

// --resolve and --connect-to reach every front door: a name with no DNS
// (api.example.test) is checked on loopback with its own Host header.
func TestRouteFlags(t *testing.T) {
	srv := newHostRecorder(t)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	named := "http://api.example.test:" + port + "/items"
	resolve := "api.example.test:" + port + ":127.0.0.1"
	connectTo := "api.example.test:80:127.0.0.1:" + port
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ciConfig := write("resolve.yaml", "resolve:\n  - "+resolve+"\nchecks:\n  - url: "+named+"\n    origins: [{origin: \"http://localhost:5173\"}]\n")
	ciPlain := write("plain.yaml", "checks:\n  - url: http://api.example.test/items\n    origins: [{origin: \"http://localhost:5173\"}]\n")
	badConfig := write("bad.yaml", "checks:\n  - url: "+named+"\n    origins: [{origin: \"http://localhost:5173\"}]\nconnect_to:\n  - api.example.test:443\n")
	harPath := write("replay.har", `{"log":{"entries":[{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"PUT","url":"`+named+`","headers":[{"name":"Origin","value":"http://localhost:5173"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":0,"headers":[],"_error":"net::ERR_FAILED"}}]}}`)

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantHost string // the Host the server must have seen
		wantErr  string
	}{
		{"check --resolve", []string{"check", named, "--origin", "http://localhost:5173", "--resolve", resolve}, ExitAllowed, "api.example.test:" + port, ""},
		{"check --connect-to", []string{"check", "http://api.example.test/items", "--origin", "http://localhost:5173", "--connect-to", connectTo}, ExitAllowed, "api.example.test", ""},
		{"check -- curl --resolve", []string{"check", "--", "curl", named, "-H", "origin: http://localhost:5173", "--resolve", resolve}, ExitAllowed, "api.example.test:" + port, ""},
		{"ci resolve: key", []string{"ci", "-f", ciConfig}, ExitAllowed, "api.example.test:" + port, ""},
		{"ci --connect-to", []string{"ci", "-f", ciPlain, "--connect-to", connectTo}, ExitAllowed, "api.example.test", ""},
		{"har --replay --resolve", []string{"har", "--replay", "--resolve", resolve, harPath}, ExitBlocked, "api.example.test:" + port, ""},

		{"check bad --resolve", []string{"check", named, "--origin", "http://localhost:5173", "--resolve", "api.example.test:" + port}, ExitUsage, "", `--resolve "api.example.test:` + port + `": want HOST:PORT:ADDRESS`},
		{"check bad --connect-to", []string{"check", named, "--origin", "http://localhost:5173", "--connect-to", "a:b:c:d"}, ExitUsage, "", `--connect-to "a:b:c:d": port "b" is not a number`},
		{"ci bad connect_to:", []string{"ci", "-f", badConfig}, ExitUsage, "", `bad.yaml:5: connect_to "api.example.test:443": want HOST1:PORT1:HOST2:PORT2`},
		{"ci bad --resolve", []string{"ci", "-f", ciPlain, "--resolve", "x:80:not-an-ip"}, ExitUsage, "", `"not-an-ip" is not an IP address`},
		{"har --resolve without --replay", []string{"har", "--resolve", resolve, harPath}, ExitUsage, "", "add --replay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := srv.saw(tt.wantHost)
			_, errOut, code := runHarArgs(t, "", tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.wantCode, errOut)
			}
			if tt.wantErr != "" && !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr %q, want %q", errOut, tt.wantErr)
			}
			if tt.wantHost != "" && srv.saw(tt.wantHost) == before {
				t.Errorf("the server saw no request with Host %s (saw %v)", tt.wantHost, srv.hosts)
			}
		})
	}
}

func (s *hostRecorder) sawTarget(target string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.targets[target]
}

// Every front door sends the URL as the browser does: a typed space as %20,
// non-ASCII as UTF-8 escapes, an IDN host as punycode.
func TestURLAsBrowserSendsIt(t *testing.T) {
	srv := newHostRecorder(t)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	typed := "http://Bücher.example.test:" + port + "/search files/é?q=1 2"
	host := "xn--bcher-kva.example.test:" + port
	target := "/search%20files/%C3%A9?q=1%202"
	resolve := "xn--bcher-kva.example.test:" + port + ":127.0.0.1"
	dir := t.TempDir()
	ciPath := filepath.Join(dir, "c.yaml")
	os.WriteFile(ciPath, []byte("checks:\n  - url: "+typed+"\n    origins: [{origin: \"http://localhost:5173\"}]\n"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"check", []string{"check", typed, "--origin", "http://localhost:5173", "--resolve", resolve, "-o", "json"}, ExitAllowed},
		{"check -- curl", []string{"check", "--resolve", resolve, "--", "curl", typed, "-H", "Origin: http://localhost:5173"}, ExitAllowed},
		{"ci", []string{"ci", "-f", ciPath, "--resolve", resolve}, ExitAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := srv.sawTarget(target)
			out, errOut, code := runHarArgs(t, "", tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s%s", code, tt.code, out, errOut)
			}
			if srv.sawTarget(target) == before || srv.saw(host) == 0 {
				t.Errorf("the server saw %v %v, want %s with Host %s", srv.targets, srv.hosts, target, host)
			}
			if tt.name == "check" && !strings.Contains(out, `"http://`+host+target+`"`) {
				t.Errorf("the JSON report does not show the URL as sent:\n%s", out)
			}
		})
	}
}
