package cli

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/probe"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// auditServer is a TLS loopback server reached as any host name, with a
// CORS policy: allowed(origin) says whether the origin is echoed (with
// credentials); the preflight answers with preflightAllowed when it is set.
func auditServer(t *testing.T, allowed, preflightAllowed func(origin string) bool) http.RoundTripper {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cleanHeaders(w)
		policy := allowed
		if r.Method == http.MethodOptions && preflightAllowed != nil {
			policy = preflightAllowed
		}
		if o := r.Header.Get("Origin"); o != "" && policy(o) {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		w.Header().Set("Vary", "Origin")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST, DELETE")
			w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.URL.Path != "/me" {
			w.WriteHeader(http.StatusNotFound)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"name":"Ada"}`))
	}))
	t.Cleanup(srv.Close)
	return dialOnly(t, srv.Listener.Addr().String(), &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // a test server's own certificate
}

func execAudit(t *testing.T, tr http.RoundTripper, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	io, out, errOut := fakeIO(nil)
	opts := &auditOptions{IO: io, run: func(ctx context.Context, o probe.Options) (*probe.Result, error) {
		o.Transport = tr
		return probe.Run(ctx, o)
	}}
	cmd := auditCommand(opts)
	cmd.SetArgs(append([]string{"--rate", "0"}, args...))
	cmd.SetOut(io.Out)
	cmd.SetErr(io.Err)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	code = exitCode(io, cmd.Execute())
	return code, out.String(), errOut.String()
}

var (
	reflectEveryOrigin = func(string) bool { return true }
	exactAppAdmin      = func(o string) bool {
		return o == "https://app.example.com" || o == "https://admin.example.com"
	}
	anyExampleSubdomain = regexp.MustCompile(`^https://([a-z0-9-]+\.)*example\.com$`).MatchString
)

func TestAuditGolden(t *testing.T) {
	tests := []struct {
		name    string
		allowed func(string) bool
		args    []string
		want    int
		// preflight is the preflight's policy when it differs.
		preflight func(string) bool
	}{
		{"reflect", reflectEveryOrigin, []string{"https://api.example.com/me", "--origin", "https://app.example.com", "--credentials"}, ExitBlocked, nil},
		{"exact", exactAppAdmin, []string{"https://api.example.com/me", "--origin", "https://app.example.com", "--origin", "https://admin.example.com", "--credentials"}, ExitAllowed, nil},
		{"subdomains", anyExampleSubdomain, []string{"https://api.example.com/me", "--origin", "https://app.example.com", "--credentials", "-H", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "--fix-format", "express"}, ExitBlocked, nil},
		{"preflight-only", exactAppAdmin, []string{"https://api.example.com/me", "--origin", "https://app.example.com", "--credentials", "-H", "Content-Type: application/json"}, ExitAllowed, reflectEveryOrigin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := auditServer(t, tt.allowed, tt.preflight)
			for _, format := range []string{"text", "json", "sarif"} {
				code, out, errOut := execAudit(t, tr, append([]string{"-o", format}, tt.args...)...)
				if code != tt.want {
					t.Errorf("%s: exit %d, want %d; stderr: %s", format, code, tt.want, errOut)
				}
				if errOut != "" {
					t.Errorf("%s: unexpected stderr: %s", format, errOut)
				}
				if strings.Contains(out, "eyJhbGciOiJIUzI1NiJ9") {
					t.Errorf("%s: the token is printed unredacted", format)
				}
				if format != "text" && !json.Valid([]byte(out)) {
					t.Errorf("%s: not JSON:\n%s", format, out)
				}
				assertGolden(t, "audit-"+tt.name+"."+format, stableProbePath(out))
			}
		})
	}
}

func TestAuditUsage(t *testing.T) {
	tr := auditServer(t, reflectEveryOrigin, nil)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no URL", []string{"--origin", "https://app.example.com"}, "one URL"},
		{"no origin", []string{"https://api.example.com/me"}, "--origin"},
		{"bad origin", []string{"https://api.example.com/me", "--origin", "app.example.com"}, "--origin"},
		{"bad output", []string{"https://api.example.com/me", "--origin", "https://app.example.com", "-o", "xml"}, "--output"},
		{"too many requests", []string{"https://api.example.com/me", "--origin", "https://app.example.com", "--max-requests", "41"}, "--max-requests"},
		{"Origin header", []string{"https://api.example.com/me", "--origin", "https://app.example.com", "-H", "Origin: https://x.test"}, "--origin"},
		{"simple POST", []string{"https://api.example.com/me", "--origin", "https://app.example.com", "-X", "POST"}, "--send-actual"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := execAudit(t, tr, tt.args...)
			if code != ExitUsage || !strings.Contains(errOut, tt.want) || out != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 naming %q", code, errOut, out, tt.want)
			}
		})
	}
}

func TestAuditUnreachable(t *testing.T) {
	code, _, errOut := runMain(nil, false, "audit", "--rate", "0", "http://127.0.0.1:1/me", "--origin", "https://app.example.com")
	if code != ExitUnreachable || !strings.Contains(errOut, "cannot reach") {
		t.Errorf("exit %d, stderr %q; want 3", code, errOut)
	}
}

func TestAuditIsRegistered(t *testing.T) {
	io, _, _ := fakeIO(nil)
	var names []string
	for _, c := range NewRoot(io).Commands() {
		names = append(names, c.Name())
	}
	if !slices.Contains(names, "audit") {
		t.Errorf("commands %v lack audit", names)
	}
}

// --resolve and --connect-to route every probe of the audit: a name with no
// DNS is audited on loopback with its own Host header.
// The page is http: from an https one, the http URL would be mixed content
// and nothing would be sent.
func TestAuditRoutes(t *testing.T) {
	srv := newHostRecorder(t)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	named := "http://api.example.test:" + port + "/items"
	for _, route := range [][]string{
		{"--resolve", "api.example.test:" + port + ":127.0.0.1"},
		{"--connect-to", "api.example.test:" + port + ":127.0.0.1:" + port},
	} {
		before := srv.saw("api.example.test:" + port)
		args := append([]string{"audit", "--rate", "0", named, "--origin", "http://app.example.com", "-o", "json"}, route...)
		code, out, errOut := runMain(nil, false, args...)
		if code != ExitAllowed || errOut != "" {
			t.Fatalf("%v: exit %d, stderr %q", route, code, errOut)
		}
		var rep struct{ Requests int }
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if got := srv.saw("api.example.test:"+port) - before; got != rep.Requests || got < 10 {
			t.Errorf("%v: the server saw %d requests for api.example.test, the report says %d", route, got, rep.Requests)
		}
	}
	code, _, errOut := runMain(nil, false, "audit", named, "--origin", "https://app.example.com", "--resolve", "nonsense")
	if code != ExitUsage || !strings.Contains(errOut, "resolve") {
		t.Errorf("bad --resolve: exit %d, stderr %q", code, errOut)
	}
}

// `audit: true` in corsdiag.yaml fails the build on an error finding, with
// the finding in JUnit, SARIF (at the check's line) and Markdown.
func TestCIAudit(t *testing.T) {
	reflecting := realServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Vary", "Origin")
	})
	exactOnly := realServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Origin") == "https://app.example.com" {
			w.Header().Set("Access-Control-Allow-Origin", "https://app.example.com")
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		w.Header().Set("Vary", "Origin")
	})
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, url string
		want      int
		inReports bool
	}{
		{"reflecting", reflecting, ExitBlocked, true},
		{"exact", exactOnly, ExitAllowed, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := write(tc.name+".yaml", "checks:\n  - name: me\n    url: "+tc.url+"/me\n    credentials: true\n    audit: true\n    origins:\n      - {origin: https://app.example.com}\n")
			junit, sarif, md := filepath.Join(dir, tc.name+".xml"), filepath.Join(dir, tc.name+".sarif"), filepath.Join(dir, tc.name+".md")
			code, _, errOut := runMain(nil, false, "ci", "-f", cfg, "--audit-rate", "0",
				"--report", "junit="+junit, "--report", "sarif="+sarif, "--report", "markdown="+md)
			if code != tc.want {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.want, errOut)
			}
			for _, path := range []string{junit, sarif, md} {
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Contains(string(b), "origin-reflected"); got != tc.inReports {
					t.Errorf("%s names origin-reflected: %v, want %v", filepath.Base(path), got, tc.inReports)
				}
			}
			if tc.inReports {
				b, _ := os.ReadFile(sarif)
				if !strings.Contains(string(b), `"startLine": 2`) {
					t.Errorf("SARIF not anchored at the check's line:\n%s", b)
				}
			}
		})
	}
}

// audit's text fits the terminal as check's does: prose wraps; the
// policy's origins stay whole (they were cut in their middle,
// "https://atta…invalid"), each on a line of its own with what it got
// under it when a row does not fit; the fix snippet's code stays whole
// (it is pasted). At 80 columns a long declared origin made 20 lines
// wider; at 40 the heading and the request count ran past too.
func TestAuditFitsTheTerminal(t *testing.T) {
	long := "https://a-very-long-subdomain-name-that-goes-on.staging.example.com"
	tr := auditServer(t, reflectEveryOrigin, nil)
	for _, width := range []int{40, 50, 80, 120} {
		io, out, errOut := fakeIO(nil)
		io.Width, io.WidthSet = width, true
		opts := &auditOptions{IO: io, run: func(ctx context.Context, o probe.Options) (*probe.Result, error) {
			o.Transport = tr
			return probe.Run(ctx, o)
		}}
		cmd := auditCommand(opts)
		cmd.SetArgs([]string{"--rate", "0", "https://api.example.com/me", "--origin", long, "--credentials"})
		cmd.SetOut(io.Out)
		cmd.SetErr(io.Err)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		if code := exitCode(io, cmd.Execute()); code != ExitBlocked {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		inSnippet := false
		for _, l := range strings.Split(out.String(), "\n") {
			switch {
			case strings.HasPrefix(l, "Fix: an exact allow-list"):
				inSnippet = true
			case strings.HasPrefix(l, "Other forms:"):
				inSnippet = false
			}
			if inSnippet && strings.HasPrefix(l, "    ") {
				continue
			}
			if termsafe.Width(l) > width && len(strings.Fields(l)) > 1 {
				t.Errorf("%d: wider: %q", width, l)
			}
		}
		if strings.Contains(out.String(), "…") && !strings.Contains(out.String(), "… and") {
			t.Errorf("%d: an origin is cut:\n%s", width, out)
		}
		for _, o := range []string{long, "https://attacker.invalid", "null"} {
			if !strings.Contains(out.String(), "  "+o+"  ") && !strings.Contains(out.String(), "  "+o+"\n") {
				t.Errorf("%d: %s is not whole in the policy:\n%s", width, o, out)
			}
		}
	}
}
