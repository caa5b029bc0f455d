package cli

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/internal/stacks"

	"github.com/corsdiag/corsdiag/pkg/internal/refused"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/probe"
	"github.com/corsdiag/corsdiag/pkg/report"
	"github.com/corsdiag/corsdiag/pkg/report/schematest"
	"github.com/spf13/cobra"
)

const testOrigin = "https://app.example"

// cleanHeaders drops the Date header Go's server adds, so goldens are stable.
func cleanHeaders(w http.ResponseWriter) { w.Header()["Date"] = nil }

// scenarioServer starts an httptest server on loopback, plain and TLS, and
// a transport that sends every host name (api.test, cdn.test…) to it: https
// URLs to the TLS listener, http ones to the plain one. URLs in the output,
// and so the goldens, never hold the random port. The handler sees the name
// in r.Host. The tests' page is https (testOrigin), so their URLs are https:
// plain http from it would be blocked as mixed content before CORS.
func scenarioServer(t *testing.T, h http.HandlerFunc) http.RoundTripper {
	t.Helper()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cleanHeaders(w)
		h(w, r)
	})
	plain := httptest.NewServer(handler)
	t.Cleanup(plain.Close)
	secure := httptest.NewTLSServer(handler)
	t.Cleanup(secure.Close)
	tr := dialOnly(t, plain.Listener.Addr().String(), &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // the test server's own certificate
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		to := plain.Listener.Addr().String()
		if strings.HasSuffix(addr, ":443") {
			to = secure.Listener.Addr().String()
		}
		var d net.Dialer
		return d.DialContext(ctx, "tcp", to)
	}
	return tr
}

// dialOnly is a transport that connects to addr whatever the URL's host,
// so tests can use real-looking names (api.test) on loopback.
func dialOnly(t *testing.T, addr string, tlsConfig *tls.Config) *http.Transport {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		},
		TLSClientConfig:    tlsConfig,
		DisableCompression: true,
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// execCheck runs `corsdiag check args…` in-process against tr.
func execCheck(t *testing.T, tr http.RoundTripper, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return execCheckWidth(t, tr, 0, args...)
}

// execCheckWidth runs check as on a terminal of width columns (0: piped).
func execCheckWidth(t *testing.T, tr http.RoundTripper, width int, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return execCheckWith(t, tr, width, "", args...)
}

// execCheckIn runs check with stdin holding stdin.
func execCheckIn(t *testing.T, tr http.RoundTripper, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return execCheckWith(t, tr, 0, stdin, args...)
}

func execCheckWith(t *testing.T, tr http.RoundTripper, width int, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	io, out, errOut := fakeIO(nil)
	io.In = strings.NewReader(stdin)
	io.Width, io.WidthSet = width, width > 0
	opts := &checkOptions{
		IO: io,
		run: func(ctx context.Context, o probe.Options) (*probe.Result, error) {
			o.Transport = tr
			res, err := probe.Run(ctx, o)
			// tr dials loopback for every name: the recorded address is not
			// api.test's, so Local Network Access must not judge it.
			if res != nil {
				if pf := res.Exchange.Preflight; pf != nil {
					pf.RemoteAddress = ""
				}
				for i := range res.Exchange.Actual {
					res.Exchange.Actual[i].RemoteAddress = ""
				}
			}
			return res, err
		},
		analyze: platform.Analyze,
	}
	cmd := checkCommand(opts)
	cmd.SetArgs(args)
	cmd.SetOut(io.Out)
	cmd.SetErr(io.Err)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	code = exitCode(io, cmd.Execute())
	return code, out.String(), errOut.String()
}

// goodCORS answers like a correct API: preflights allowed for the page's
// origin, every response (errors too) with CORS headers.
func goodCORS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if r.URL.Path != "/items" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `[{"id":1}]`)
}

// apiGatewayNoOptions answers like an API Gateway REST API without an
// OPTIONS method on the resource: 403 MissingAuthenticationTokenException
// to the preflight and to any other path.
func apiGatewayNoOptions(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("x-amzn-RequestId", "8f3b2c1e-0000-4000-8000-000000000000")
	w.Header().Set("x-amz-apigw-id", "AbCdEfGhIjKlMnO=")
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodOptions || r.URL.Path != "/prod/items" {
		w.Header().Set("x-amzn-ErrorType", "MissingAuthenticationTokenException")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"message":"Missing Authentication Token"}`)
		return
	}
	io.WriteString(w, `[]`)
}

// apiGatewayMockWildcard answers like a REST API whose OPTIONS is the
// console's Enable CORS: a MOCK integration mapping Access-Control-Allow-Origin
// to '*', with the console's default methods and headers.
func apiGatewayMockWildcard(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("x-amzn-RequestId", "8f3b2c1e-0000-4000-8000-000000000000")
	w.Header().Set("x-amz-apigw-id", "AbCdEfGhIjKlMnO=")
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodOptions {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Methods", "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token")
		io.WriteString(w, `{}`)
		return
	}
	apiGatewayNoOptions(w, r)
}

var goldenCases = []struct {
	name    string
	handler http.HandlerFunc
	args    []string
	want    int
}{
	{
		name:    "allowed-get",
		handler: goodCORS,
		args:    []string{"https://api.test/items", "--origin", testOrigin},
		want:    ExitAllowed,
	},
	{
		// Express's cors package with production's origin only, called
		// from staging: an allow-list miss, with the comparison request's
		// evidence and a fix that keeps production's origin.
		name:    "express-allow-list",
		handler: stacks.ExpressCORS([]string{"https://app.example.com"}, stacks.ExpressJSON(`[]`)),
		args:    []string{"https://api.test/items", "--origin", "https://staging.example.com", "--compare-origin", "https://app.example.com", "--no-error-probe"},
		want:    ExitBlocked,
	},
	{
		// A load balancer redirects to the canonical host without CORS
		// headers: the fix is to call the final URL.
		name:    "lb-redirect",
		handler: stacks.RedirectingLB("https://www.api.test"),
		args:    []string{"https://api.test/items", "--origin", "https://app.example.com", "--no-error-probe"},
		want:    ExitBlocked,
	},
	{
		// The API redirects (with CORS headers) to another origin whose
		// Express cors allows the page's origin, not the null the
		// redirect turned it into.
		name: "redirect-taint-express",
		handler: stacks.Hosts(map[string]http.HandlerFunc{
			"api.test": stacks.ExpressCORS([]string{"https://app.example.com"}, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://files.test"+r.URL.Path, http.StatusFound)
			}),
			"files.test": stacks.ExpressCORS([]string{"https://app.example.com"}, stacks.ExpressJSON(`{"url":"x"}`)),
		}),
		args: []string{"https://api.test/files/7", "--origin", "https://app.example.com", "--no-error-probe"},
		want: ExitBlocked,
	},
	{
		// The same API over plain http from the https page: blocked as
		// mixed content before anything is sent, whatever CORS says.
		name:    "mixed-content",
		handler: goodCORS,
		args:    []string{"http://api.test/items", "--origin", testOrigin},
		want:    ExitBlocked,
	},
	{
		name:    "apigw-preflight-403",
		handler: apiGatewayNoOptions,
		args:    []string{"https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/items", "--origin", testOrigin, "-X", "PUT", "-H", "Content-Type: application/json"},
		want:    ExitBlocked,
	},
	{
		// The page sends cookies; the Enable CORS mock answers '*'.
		name:    "apigw-mock-credentials",
		handler: apiGatewayMockWildcard,
		args:    []string{"https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/items", "--origin", testOrigin, "--credentials", "-X", "PUT", "-H", "Content-Type: application/json"},
		want:    ExitBlocked,
	},
	{
		name: "origin-mismatch",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", testOrigin+"/")
			w.Header().Set("Vary", "Origin")
			io.WriteString(w, "ok")
		},
		args: []string{"https://api.test/items", "--origin", testOrigin},
		want: ExitBlocked,
	},
	{
		name:    "wildcard-credentials",
		handler: goodCORS,
		args:    []string{"https://api.test/items", "--origin", testOrigin, "-b", "session=0123456789abcdef"},
		want:    ExitBlocked,
	},
	{
		// The preflight passes; the POST is never sent without --send-actual.
		name: "post-not-sent",
		handler: func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				panic("corsdiag sent a POST without --send-actual")
			}
			w.Header().Set("Access-Control-Allow-Origin", testOrigin)
			w.Header().Set("Vary", "Origin")
			if r.Method == http.MethodOptions {
				w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
				w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
				w.Header().Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
			http.NotFound(w, r)
		},
		args: []string{"https://api.test/orders", "--origin", testOrigin, "-H", "Content-Type: application/json", "-d", `{"item":1}`},
		want: ExitAllowed,
	},
	{
		// nginx `return 302;` with no URL: a redirect status without
		// Location is no redirect, so the browser CORS-checks it as the
		// answer; the missing Location is the cause.
		name: "redirect-no-location",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Server", "nginx/1.27.3")
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusFound)
			io.WriteString(w, "<html>\r\n<head><title>302 Found</title></head>\r\n<body>\r\n<center><h1>302 Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n")
		},
		args: []string{"https://api.test/v1/orders", "--origin", testOrigin, "--no-error-probe"},
		want: ExitBlocked,
	},
	{
		// A cross-origin redirect turns the Origin into null; the target
		// allows only the page's origin.
		name: "redirect-taint",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", testOrigin)
			w.Header().Set("Vary", "Origin")
			if r.Host == "api.test" && r.URL.Path == "/v1/items" {
				http.Redirect(w, r, "https://cdn.test/v1/items", http.StatusFound)
				return
			}
			io.WriteString(w, "[]")
		},
		args: []string{"https://api.test/v1/items", "--origin", testOrigin},
		want: ExitBlocked,
	},
}

// chromeCopy is "Copy as cURL (bash)" of a fetch() with an Authorization
// header, as Chromium 156 writes it, split into words by the shell.
var chromeCopy = []string{"curl", "https://api.test/items",
	"-H", "accept: */*",
	"-H", "accept-language: en-US,en;q=0.9",
	"-H", "authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
	"-H", "origin: https://app.example",
	"-H", "priority: u=1, i",
	"-H", "referer: https://app.example/",
	"-H", `sec-ch-ua: "Chromium";v="156", "Not-A.Brand";v="24"`,
	"-H", "sec-fetch-mode: cors",
	"-H", "sec-fetch-site: cross-site",
	"-H", "user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
}

func init() {
	goldenCases = append(goldenCases, struct {
		name    string
		handler http.HandlerFunc
		args    []string
		want    int
	}{
		// Only Authorization is script's: no preflight is predicted for
		// Priority or User-Agent, which Chromium added itself.
		name: "curl-paste",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			if r.Method == http.MethodOptions {
				w.Header().Set("Access-Control-Allow-Headers", "Authorization")
				w.WriteHeader(http.StatusNoContent)
				return
			}
			io.WriteString(w, "[]")
		},
		args: append([]string{"--"}, chromeCopy...),
		want: ExitAllowed,
	})
}

func TestCheckGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			tr := scenarioServer(t, tc.handler)
			for _, format := range []string{"text", "json", "html"} {
				code, out, errOut := execCheck(t, tr, append([]string{"-o", format}, tc.args...)...)
				if code != tc.want {
					t.Errorf("%s: exit %d, want %d; stderr: %s", format, code, tc.want, errOut)
				}
				if errOut != "" {
					t.Errorf("%s: unexpected stderr: %s", format, errOut)
				}
				ext := map[string]string{"text": ".txt", "json": ".json", "html": ".html"}[format]
				assertGolden(t, "check-"+tc.name+ext, stableProbePath(out))
				if format == "json" {
					if err := schematest.Validate(report.Schema, []byte(out)); err != nil {
						t.Errorf("JSON output does not match the schema: %v", err)
					}
				}
			}
		})
	}
}

// probePathRE matches the error-path probe's random path segment.
var probePathRE = regexp.MustCompile(`corsdiag-probe-[0-9a-f]{12}`)

// stableProbePath replaces the random segment with one of the same length,
// so the table's columns keep their width.
func stableProbePath(out string) []byte {
	return []byte(probePathRE.ReplaceAllString(out, "corsdiag-probe-000000000000"))
}

// realServer is a loopback server reached by its real URL, for tests that
// go through Main.
func realServer(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func runMain(env map[string]string, terminal bool, args ...string) (int, string, string) {
	io, out, errOut := fakeIO(env)
	io.OutIsTerminal = terminal
	code := Main(args, io)
	return code, out.String(), errOut.String()
}

func TestCheckExitCodes(t *testing.T) {
	allowed := realServer(t, goodCORS)
	blocked := realServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "no cors") })
	closed := "http://" + refused.Addr(t) + "/"

	tests := []struct {
		name       string
		args       []string
		want       int
		wantStderr string
	}{
		{"allowed", []string{"check", allowed + "/items", "--origin", testOrigin}, ExitAllowed, ""},
		{"blocked", []string{"check", blocked, "--origin", testOrigin}, ExitBlocked, ""},
		{"origin missing", []string{"check", allowed}, ExitUsage, "corsdiag check URL --origin https://your-page.example"},
		{"origin from header", []string{"check", allowed + "/items", "-H", "Origin: " + testOrigin}, ExitAllowed, ""},
		{"origin with path", []string{"check", allowed, "--origin", "https://app.example/page"}, ExitUsage, "no path"},
		{"no URL", []string{"check", "--origin", testOrigin}, ExitUsage, "needs a URL"},
		{"empty URL", []string{"check", "", "--origin", testOrigin}, ExitUsage, "needs a URL"},
		{"font allowed", []string{"check", allowed + "/f.woff2", "--origin", testOrigin, "--initiator", "font"}, ExitAllowed, ""},
		{"font blocked", []string{"check", blocked, "--origin", testOrigin, "--initiator", "font"}, ExitBlocked, ""},
		{"unknown initiator", []string{"check", allowed, "--origin", testOrigin, "--initiator", "iframe"}, ExitUsage,
			`--initiator "iframe": want fetch, xhr, font, script, classic-script, image, stylesheet, eventsource, video or audio`},
		{"video blocked", []string{"check", blocked, "--origin", testOrigin, "--initiator", "video"}, ExitBlocked, ""},
		{"audio with a header", []string{"check", allowed, "--origin", testOrigin, "--initiator", "audio", "-H", "Range: bytes=0-"}, ExitUsage,
			"sets no request headers"},
		{"font with credentials", []string{"check", allowed, "--origin", testOrigin, "--initiator", "font", "--credentials"}, ExitUsage,
			"a web font is never loaded with credentials"},
		{"image with PUT", []string{"check", allowed, "--origin", testOrigin, "--initiator", "image", "-X", "PUT"}, ExitUsage,
			"an image load is a GET"},
		{"stylesheet with a header", []string{"check", allowed, "--origin", testOrigin, "--initiator", "stylesheet", "-H", "X-Token: 1"}, ExitUsage,
			"sets no request headers"},
		{"empty paste", []string{"check", "--", " \n"}, ExitUsage, "needs a URL"},
		{"two URLs", []string{"check", allowed, allowed, "--origin", testOrigin}, ExitUsage, "one URL"},
		{"not http", []string{"check", "ftp://example.test/", "--origin", testOrigin}, ExitUsage, "http:// or https://"},
		{"bad header", []string{"check", allowed, "--origin", testOrigin, "-H", "NoColonHere"}, ExitUsage, "'Name: value'"},
		{"bad browser", []string{"check", allowed, "--origin", testOrigin, "--browser", "lynx"}, ExitUsage, "chromium, firefox, safari"},
		{"bad fix format", []string{"check", allowed, "--origin", testOrigin, "--fix-format", "punchcards"}, ExitUsage, "--fix-format"},
		{"bad output", []string{"check", allowed, "--origin", testOrigin, "-o", "yaml"}, ExitUsage, "text, json or html"},
		{"unknown flag", []string{"check", allowed, "--origin", testOrigin, "--frobnicate"}, ExitUsage, "corsdiag: unknown flag --frobnicate\nRun 'corsdiag check --help' for its flags.\n"},
		{"unreachable", []string{"check", closed, "--origin", testOrigin, "--timeout", "5s"}, ExitUnreachable, "cannot reach"},
		// A simple POST is judged on its own response: nothing safe to send.
		{"simple POST not allowed", []string{"check", blocked, "--origin", testOrigin, "-d", "a=1"}, ExitUsage, "Pass --send-actual"},
		{"simple POST sent", []string{"check", blocked, "--origin", testOrigin, "-d", "a=1", "--send-actual"}, ExitBlocked, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runMain(nil, false, tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.want, stderr)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.wantStderr)
			}
			// Only cobra's own errors point at --help; ours say what to do.
			if hint := strings.Contains(stderr, "corsdiag --help"); hint != strings.Contains(tt.wantStderr, "corsdiag --help") {
				t.Errorf("stderr %q: --help hint %v", stderr, hint)
			}
		})
	}
}

// A load copied as cURL from the browser's network panel: every header in
// the copy is the browser's own (a page sets none on a font), Accept and
// Accept-Language included, and its Sec-Fetch-Dest names the load, as a
// HAR entry's does (cors.InitiatorOfRecord). check took Accept for the
// page's and refused the copy with --initiator font, and judged it as
// fetch() without.
func TestCheckCurlCopyOfALoad(t *testing.T) {
	blocked := realServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "wOF2") })
	copied := func(dest, accept string) []string {
		return []string{"curl", blocked + "/f.woff2", "-H", "Origin: " + testOrigin, "-H", "Accept: " + accept,
			"-H", "Accept-Language: en-US,en;q=0.9", "-H", "Referer: " + testOrigin + "/", "-H", "Sec-Fetch-Dest: " + dest,
			"-H", "Sec-Fetch-Mode: cors", "-H", "Sec-Fetch-Site: cross-site"}
	}
	tests := []struct {
		name       string
		args       []string
		want       int
		stdout     string // the console line, naming the load
		wantStderr string
	}{
		{"font, --initiator font", append([]string{"check", "--initiator", "font", "--"}, copied("font", "*/*")...), ExitBlocked,
			"Access to font at", ""},
		{"font, named by its Sec-Fetch-Dest", append([]string{"check", "--"}, copied("font", "*/*")...), ExitBlocked,
			"Access to font at", "--initiator font"},
		{"image, named by its Sec-Fetch-Dest", append([]string{"check", "--"}, copied("image", "image/avif,image/webp,*/*;q=0.8")...), ExitBlocked,
			"Access to image at", "--initiator image"},
		{"EventSource, named by its Accept", append([]string{"check", "--"}, copied("empty", "text/event-stream")...), ExitBlocked,
			"Access to resource at", "--initiator eventsource"},
		// A media element's copy holds the Range the browser sent: the
		// browser's, not the page's.
		{"video, named by its Sec-Fetch-Dest", append(append([]string{"check", "--"}, copied("video", "*/*")...),
			"-H", "Range: bytes=0-", "-H", "Accept-Encoding: identity"), ExitBlocked, "Access to video at", "--initiator video"},
		{"fetch() stays fetch()", append([]string{"check", "--"}, copied("empty", "application/json")...), ExitBlocked,
			"Access to fetch at", ""},
		{"--initiator chooses", append([]string{"check", "--initiator", "fetch", "--"}, copied("font", "*/*")...), ExitBlocked,
			"Access to fetch at", ""},
		{"a header of -H on a load is still refused", append([]string{"check", "-H", "X-Token: 1", "--"}, copied("font", "*/*")...), ExitUsage,
			"", "sets no request headers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runMain(nil, false, tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.want, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout does not say %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.wantStderr) || tt.wantStderr == "" && strings.Contains(stderr, "--initiator") {
				t.Errorf("stderr %q, want %q", stderr, tt.wantStderr)
			}
		})
	}
}

func TestCheckStrict(t *testing.T) {
	// Allowed, but the origin is echoed without Vary: Origin (a warning).
	url := realServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		io.WriteString(w, "ok")
	})
	for _, tt := range []struct {
		strict bool
		want   int
	}{{false, ExitAllowed}, {true, ExitBlocked}} {
		args := []string{"check", url, "--origin", testOrigin}
		if tt.strict {
			args = append(args, "--strict")
		}
		code, out, stderr := runMain(nil, false, args...)
		if code != tt.want {
			t.Errorf("strict=%v: exit %d, want %d; stderr: %s", tt.strict, code, tt.want, stderr)
		}
		if !strings.Contains(out, "missing-vary-origin") {
			t.Errorf("strict=%v: warning not shown:\n%s", tt.strict, out)
		}
		// The report says Allowed; stderr says why the exit is 1.
		if said := strings.Contains(stderr, "--strict"); said != tt.strict {
			t.Errorf("strict=%v: stderr %q", tt.strict, stderr)
		}
	}
}

func TestCheckColour(t *testing.T) {
	url := realServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "no cors") })
	tests := []struct {
		name     string
		env      map[string]string
		terminal bool
		extra    []string
		want     bool
	}{
		{"terminal", nil, true, nil, true},
		{"not a terminal", nil, false, nil, false},
		{"NO_COLOR", map[string]string{"NO_COLOR": "1"}, true, nil, false},
		{"--no-color", nil, true, []string{"--no-color"}, false},
		{"TERM=dumb", map[string]string{"TERM": "dumb"}, true, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"check", url, "--origin", testOrigin}, tt.extra...)
			_, out, _ := runMain(tt.env, tt.terminal, args...)
			if got := strings.Contains(out, "\x1b["); got != tt.want {
				t.Errorf("colour = %v, want %v:\n%s", got, tt.want, out)
			}
		})
	}
}

func TestCheckEscapesServerControlCharacters(t *testing.T) {
	// Go's client refuses ASCII control bytes in header values, but C1
	// controls (U+009B is CSI in many terminals) and stray bytes pass, and
	// bodies carry anything.
	url := realServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "evil\u009b2J\x9b")
		w.Header().Set("Access-Control-Allow-Origin", "https://x.example\u009b31m")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "denied \x1b]0;owned\x07 \x1b[31mred")
	})
	code, out, stderr := runMain(nil, false, "check", url, "--origin", testOrigin, "--no-error-probe")
	if code != ExitBlocked {
		t.Errorf("exit %d, want %d; stderr %s", code, ExitBlocked, stderr)
	}
	for _, raw := range []string{"\x1b", "\x07", "\u009b", "\x9b"} {
		if strings.Contains(out, raw) {
			t.Errorf("raw %q reached the terminal:\n%q", raw, out)
		}
	}
	for _, want := range []string{`Server: evil\u009b2J\x9b`, `body: denied \x1b]0;owned\x07 \x1b[31mred`, `https://x.example\u009b31m`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks escaped %q:\n%s", want, out)
		}
	}
}

func TestCheckRedactsSecrets(t *testing.T) {
	var gotAuth atomic.Value
	url := realServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			gotAuth.Store(r.Header.Get("Authorization"))
		}
		w.Header().Set("Access-Control-Allow-Origin", testOrigin)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Access-Control-Allow-Headers", "Authorization, X-Api-Key")
		w.Header().Set("Vary", "Origin")
		w.WriteHeader(http.StatusOK)
	})
	args := []string{"check", url + "/me", "--origin", testOrigin, "--no-error-probe",
		"-H", "Authorization: Bearer sekrit-bearer-123456", "-H", "X-Api-Key: sekrit-api-key", "-b", "sid=sekrit-cookie"}
	secrets := []string{"sekrit-bearer-123456", "sekrit-api-key", "sekrit-cookie"}
	for _, format := range []string{"text", "json"} {
		code, out, stderr := runMain(nil, false, append(args, "-o", format)...)
		if code != ExitAllowed {
			t.Fatalf("%s: exit %d; stderr %s\n%s", format, code, stderr, out)
		}
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s output shows %q", format, s)
			}
		}
		if !strings.Contains(out, "Bearer [REDACTED]") || !strings.Contains(out, "sid=[REDACTED]") {
			t.Errorf("%s output lacks the redacted forms:\n%s", format, out)
		}
		_, out, _ = runMain(nil, false, append(args, "-o", format, "--no-redact")...)
		for _, s := range secrets {
			if format == "text" && s == "sekrit-api-key" {
				continue // the text table shows only CORS-relevant headers
			}
			if !strings.Contains(out, s) {
				t.Errorf("%s --no-redact output hides %q", format, s)
			}
		}
	}
	// Redaction is for display only: the server got the real value.
	if gotAuth.Load() != "Bearer sekrit-bearer-123456" {
		t.Errorf("server got Authorization %q", gotAuth.Load())
	}
}

func TestCheckHAROut(t *testing.T) {
	url := realServer(t, goodCORS)
	path := filepath.Join(t.TempDir(), "probe.har")
	code, _, stderr := runMain(nil, false, "check", url+"/items", "--origin", testOrigin, "-b", "sid=har-secret", "--har-out", path)
	if code != ExitBlocked { // wildcard with credentials
		t.Fatalf("exit %d; stderr %s", code, stderr)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Log struct {
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("HAR is not JSON: %v", err)
	}
	if len(doc.Log.Entries) == 0 {
		t.Error("HAR has no entries")
	}
	if strings.Contains(string(b), "har-secret") {
		t.Error("HAR holds the cookie value without --no-redact")
	}
}

func TestResolveRequest(t *testing.T) {
	tests := []struct {
		name        string
		opts        checkOptions
		changed     []string
		wantMethod  string
		wantBody    string
		wantCreds   bool
		wantHeaders map[string]string // "" means absent
	}{
		{name: "GET by default", opts: checkOptions{URL: "https://api.example/"}, wantMethod: "GET"},
		{name: "-d implies POST", opts: checkOptions{URL: "https://api.example/", Data: []dataArg{{"a=1", "data"}, {"b=2", "raw"}}}, wantMethod: "POST", wantBody: "a=1&b=2"},
		{name: "-X wins over -d", opts: checkOptions{URL: "https://api.example/", Method: "PUT", Data: []dataArg{{"x", "data"}}}, changed: []string{"request"}, wantMethod: "PUT", wantBody: "x"},
		{name: "-u implies credentials", opts: checkOptions{URL: "https://api.example/", User: "me:pw"}, changed: []string{"user"}, wantMethod: "GET", wantCreds: true},
		{name: "Cookie header is a credential", opts: checkOptions{URL: "https://api.example/", Headers: []string{"Cookie: a=1"}}, wantMethod: "GET", wantCreds: true, wantHeaders: map[string]string{"Cookie": ""}},
		{name: "headers kept, Origin taken out", opts: checkOptions{URL: "https://api.example/", Headers: []string{"X-Trace: 1", "Origin: https://app.example", "Empty;"}}, wantMethod: "GET", wantHeaders: map[string]string{"X-Trace": "1", "Origin": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts
			o.IO, _, _ = fakeIO(nil)
			if o.Origin == "" {
				o.Origin = testOrigin
			}
			o.Browser, o.Initiator, o.Preflight, o.Output, o.Timeout = "chromium", "fetch", "auto", "text", probe.DefaultTimeout
			o.changed = func(name string) bool {
				for _, c := range tt.changed {
					if c == name {
						return true
					}
				}
				return false
			}
			in, err := o.resolve()
			if err != nil {
				t.Fatal(err)
			}
			r := in.probe.Request
			if r.Method != tt.wantMethod {
				t.Errorf("method %q, want %q", r.Method, tt.wantMethod)
			}
			if string(in.probe.Body) != tt.wantBody {
				t.Errorf("body %q, want %q", in.probe.Body, tt.wantBody)
			}
			if r.Credentials != tt.wantCreds {
				t.Errorf("credentials %v, want %v", r.Credentials, tt.wantCreds)
			}
			if r.Origin != testOrigin {
				t.Errorf("origin %q", r.Origin)
			}
			for k, v := range tt.wantHeaders {
				got, present := r.Header[k]
				switch {
				case v == "" && present:
					t.Errorf("header %s = %q, want it absent", k, got)
				case v != "" && r.Header.Get(k) != v:
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestParseHeaderFlag(t *testing.T) {
	tests := []struct {
		in        string
		name, val string
		del, bad  bool
	}{
		{in: "X-A: 1", name: "X-A", val: "1"},
		{in: "X-A:1:2", name: "X-A", val: "1:2"},
		{in: "X-A:", name: "X-A", del: true},
		{in: "X-A;", name: "X-A"},
		{in: "no colon", bad: true},
		{in: ": v", bad: true},
		{in: "Bad Name: v", bad: true},
		{in: "X-A: 1\r\nEvil: 2", bad: true},
		// Other control characters cannot be sent either (net/http refuses
		// them, the request would end as a bogus network error); a tab can.
		{in: "X-A: b\x01c", bad: true},
		{in: "X-A: b\x7f", bad: true},
		{in: "X-A: b\tc", name: "X-A", val: "b\tc"},
	}
	for _, tt := range tests {
		name, val, del, err := parseHeaderFlag(tt.in)
		if (err != nil) != tt.bad {
			t.Errorf("%q: err %v, want bad=%v", tt.in, err, tt.bad)
			continue
		}
		if !tt.bad && (name != tt.name || val != tt.val || del != tt.del) {
			t.Errorf("%q: got (%q, %q, %v), want (%q, %q, %v)", tt.in, name, val, del, tt.name, tt.val, tt.del)
		}
	}
}

func TestReadDataFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(path, []byte("a=1\nb=2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []dataArg
		want string
	}{
		{[]dataArg{{"@" + path, "data"}}, "a=1b=2"},
		{[]dataArg{{"@" + path, "binary"}}, "a=1\nb=2\n"},
		{[]dataArg{{"@" + path, "raw"}}, "@" + path},
		{[]dataArg{{"@-", "data"}}, "from stdin"},
	}
	for _, tt := range tests {
		got, err := readData(tt.args, strings.NewReader("from stdin"))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("%v: %q, want %q", tt.args, got, tt.want)
		}
	}
	if _, err := readData([]dataArg{{"@/nonexistent/corsdiag", "data"}}, nil); err == nil {
		t.Error("missing file: no error")
	}
}

func TestSetArgsCurlDetection(t *testing.T) {
	tests := []struct {
		args     []string
		wantCurl bool
		wantErr  bool
	}{
		{[]string{"https://api.example/"}, false, false},
		{[]string{"curl", "https://api.example/", "-H", "origin: x"}, true, false},
		{[]string{"curl 'https://api.example/' -H 'origin: x'"}, true, false},
		{[]string{"curly.example"}, false, false},
		{nil, false, true},
		{[]string{"a", "b"}, false, true},
	}
	for _, tt := range tests {
		var o checkOptions
		err := o.setArgs(tt.args)
		if (err != nil) != tt.wantErr {
			t.Errorf("%q: err %v", tt.args, err)
		}
		if (o.Curl != nil) != tt.wantCurl {
			t.Errorf("%q: curl = %v, want %v", tt.args, o.Curl != nil, tt.wantCurl)
		}
	}
}

// resolveCheckArgs parses args as `corsdiag check` does, flags and
// validation, and returns the request it would send (nothing is sent).
func resolveCheckArgs(args ...string) (*checkInput, string, error) {
	io, _, errOut := fakeIO(nil)
	var got *checkInput
	opts := &checkOptions{IO: io, run: func(context.Context, probe.Options) (*probe.Result, error) {
		return nil, errors.New("not sent")
	}}
	cmd := checkCommand(opts)
	cmd.SetArgs(args)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := opts.setArgs(args); err != nil {
			return err
		}
		opts.changed = cmd.Flags().Changed
		var err error
		got, err = opts.resolve()
		return err
	}
	err := cmd.Execute()
	return got, errOut.String(), err
}

func TestCheckCurlForms(t *testing.T) {
	resolve := func(t *testing.T, args ...string) *checkInput {
		t.Helper()
		got, errOut, err := resolveCheckArgs(args...)
		if err != nil {
			t.Fatalf("%v (stderr %s)", err, errOut)
		}
		return got
	}
	words := append([]string{"--"}, chromeCopy...)
	pasted := []string{"--", "curl " + shellJoin(chromeCopy[1:])}

	a, b := resolve(t, words...), resolve(t, pasted...)
	for _, in := range []*checkInput{a, b} {
		r := in.probe.Request
		if r.Origin != testOrigin || r.URL != "https://api.test/items" || r.Method != "GET" {
			t.Errorf("request = %s %s from %s", r.Method, r.URL, r.Origin)
		}
		if len(r.Header) != 3 || r.Header.Get("Authorization") == "" {
			// accept, accept-language, authorization: the rest is the browser's.
			t.Errorf("script headers = %v", r.Header)
		}
	}

	over := resolve(t, append([]string{"--origin", "https://other.example", "-X", "DELETE", "-H", "Authorization:"}, words...)...)
	r := over.probe.Request
	if r.Origin != "https://other.example" || r.Method != "DELETE" || r.Header.Get("Authorization") != "" {
		t.Errorf("flags did not override the curl command: %s from %s, headers %v", r.Method, r.Origin, r.Header)
	}

	withCookie := resolve(t, "--", "curl", "https://api.test/", "-H", "origin: https://app.example", "-b", "sid=1")
	if !withCookie.probe.Request.Credentials || withCookie.probe.Cookie != "sid=1" {
		t.Errorf("-b in the curl command: credentials %v, cookie %q", withCookie.probe.Request.Credentials, withCookie.probe.Cookie)
	}
}

// TestCheckCurlWordsHoldingCaretQuote: a bash copy pasted after -- is
// split by the user's shell and quoted back for curlcmd; a word holding ^"
// (a JSON "^" in the body) must not turn the words into a cmd copy.
func TestCheckCurlWordsHoldingCaretQuote(t *testing.T) {
	body := `{"pattern":"^","re":"x^"}`
	got, errOut, err := resolveCheckArgs("--", "curl", "https://api.test/", "-H", "origin: "+testOrigin,
		"-H", `x-v: ^"a^"`, "--data-raw", body)
	if err != nil {
		t.Fatalf("%v (stderr %s)", err, errOut)
	}
	r := got.probe.Request
	if string(got.probe.Body) != body || r.Header.Get("x-v") != `^"a^"` || r.Method != "POST" {
		t.Errorf("%s with body %q, headers %v", r.Method, got.probe.Body, r.Header)
	}
}

func TestCheckCurlErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no origin", []string{"check", "--", "curl", "https://api.test/"}, "--origin https://your-page.example"},
		{"unterminated quote", []string{"check", "--", "curl 'https://api.test/"}, "curl command"},
		{"no URL", []string{"check", "--", "curl", "-H", "origin: https://app.example"}, "URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runMain(nil, false, tt.args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d; stderr %s", code, ExitUsage, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", stderr, tt.want)
			}
		})
	}
}

// TestCheckURLWithCredentials: fetch() throws a TypeError for a URL with a
// user name or password before sending anything, so check sends nothing
// and says blocked; XMLHttpRequest sends it, without the credentials (no
// Authorization from the URL), and CORS is judged as for any request. No
// output shows the password.
func TestCheckURLWithCredentials(t *testing.T) {
	const secret = "Pw4CheckSecret77"
	tests := []struct {
		name      string
		userinfo  string
		args      []string
		allow     bool
		want      int
		reached   bool
		wantOut   []string
		wantNoOut []string
	}{
		{name: "fetch, user and password", userinfo: "alice:" + secret, allow: true, want: ExitBlocked,
			wantOut: []string{"url-contains-credentials", "corsdiag sent nothing either", "Request cannot be constructed from a URL that includes credentials: http://alice:%5BREDACTED%5D@", "Authorization"}},
		{name: "fetch, user name alone", userinfo: "alice", allow: true, want: ExitBlocked,
			wantOut: []string{"url-contains-credentials", "corsdiag sent nothing either"}},
		{name: "fetch in Firefox", userinfo: "alice:" + secret, args: []string{"--browser", "firefox"}, allow: true, want: ExitBlocked,
			wantOut: []string{"In Firefox, fetch() throws:", "is an url with embedded credentials."}},
		{name: "fetch in Safari", userinfo: "alice:" + secret, args: []string{"--browser", "safari"}, allow: true, want: ExitBlocked,
			wantOut: []string{"In Safari, fetch() throws:", "TypeError: URL is not valid or contains user credentials."}},
		{name: "fetch in every browser", userinfo: "alice:" + secret, args: []string{"--browser", "all"}, allow: true, want: ExitBlocked,
			wantOut: []string{"In Firefox, fetch() throws:", "Window.fetch: http://alice:%5BREDACTED%5D@", "In Safari, fetch() throws:", "In Chrome, fetch() throws:"}},
		{name: "fetch, JSON", userinfo: "alice:" + secret, args: []string{"-o", "json"}, allow: true, want: ExitBlocked,
			wantOut: []string{`"code": "url-contains-credentials"`, `"browser_message": "TypeError: Failed to execute 'fetch' on 'Window': Request cannot be constructed from a URL that includes credentials: http://alice:%5BREDACTED%5D@`}},
		{name: "XHR, allowed", userinfo: "alice:" + secret, args: []string{"--initiator", "xhr"}, allow: true, want: ExitAllowed, reached: true,
			wantNoOut: []string{"url-contains-credentials"}},
		{name: "XHR, blocked by the server", userinfo: "alice:" + secret, args: []string{"--initiator", "xhr"}, want: ExitBlocked, reached: true,
			wantOut: []string{"missing-allow-origin", "Access to XMLHttpRequest at 'http://alice:%5BREDACTED%5D@"}, wantNoOut: []string{"url-contains-credentials"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var got []http.Header
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				got = append(got, r.Header.Clone())
				mu.Unlock()
				if tt.allow {
					w.Header().Set("Access-Control-Allow-Origin", "*")
				}
				w.WriteHeader(http.StatusOK)
			}))
			defer srv.Close()
			u := strings.Replace(srv.URL, "http://", "http://"+tt.userinfo+"@", 1) + "/items"
			args := append([]string{"check", u, "--origin", "http://127.0.0.1:1"}, tt.args...)
			code, out, errOut := runMain(nil, false, args...)
			if code != tt.want {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.want, out, errOut)
			}
			mu.Lock()
			defer mu.Unlock()
			if reached := len(got) > 0; reached != tt.reached {
				t.Errorf("the server received %d requests, want any: %v", len(got), tt.reached)
			}
			for _, h := range got {
				if a := h.Get("Authorization"); a != "" {
					t.Errorf("sent Authorization %q: the browser does not send the URL's credentials", a)
				}
			}
			assertNoSecret(t, "check output", out+errOut, secret)
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.wantNoOut {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

// -d sends the Content-Type curl sends with it, as a pasted `curl -d` does
// (docs: "-d, --data DATA: request body, as curl"); -H wins, and an
// emptied -H 'Content-Type:' sends none.
func TestCheckDataContentType(t *testing.T) {
	var mu sync.Mutex
	var got []string
	tr := scenarioServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			mu.Lock()
			got = append(got, strings.Join(r.Header.Values("Content-Type"), "|"))
			mu.Unlock()
		}
		w.Header().Set("Access-Control-Allow-Origin", "*")
	})
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-d", "a=1"}, "application/x-www-form-urlencoded"},
		{[]string{"--data-raw", "a=1"}, "application/x-www-form-urlencoded"},
		{[]string{"--data-binary", "a=1"}, "application/x-www-form-urlencoded"},
		{[]string{"-d", "a=1", "-H", "Content-Type: text/plain"}, "text/plain"},
		{[]string{"-d", "a=1", "-H", "Content-Type:"}, ""},
		{[]string{"--", "curl https://api.test/items -H 'origin: " + testOrigin + "' -d a=1"}, "application/x-www-form-urlencoded"},
	}
	for _, tt := range tests {
		mu.Lock()
		got = nil
		mu.Unlock()
		args := []string{"--send-actual", "--no-error-probe", "--no-compare"}
		if tt.args[0] != "--" {
			args = append(args, "https://api.test/items", "--origin", testOrigin)
		}
		code, out, errOut := execCheck(t, tr, append(args, tt.args...)...)
		mu.Lock()
		if code != ExitAllowed || len(got) != 1 || got[0] != tt.want {
			t.Errorf("%q: exit %d, POST Content-Type %q, want %q\n%s%s", tt.args, code, got, tt.want, out, errOut)
		}
		mu.Unlock()
	}
}

// A copied font request with a Cookie (a proxy's copy; Safari loads fonts
// without CORS, cookies and all) is checked as the browser makes it: a
// web font's credentials mode is same-origin, so no cookie goes with it
// cross-origin and `*` allows it, as har judges such an entry (c3634e0).
// check refused the copy, asking to drop flags nobody gave. A video's
// cookie is a credential (crossorigin="use-credentials"); an explicit
// --cookie on a font is still refused.
func TestCheckCurlCopyOfAFontWithCookie(t *testing.T) {
	var sawCookie atomic.Bool
	star := realServer(t, func(w http.ResponseWriter, r *http.Request) {
		sawCookie.Store(sawCookie.Load() || r.Header.Get("Cookie") != "")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		io.WriteString(w, "wOF2")
	})
	copied := func(dest string, more ...string) []string {
		return append([]string{"check", "--", "curl", star + "/f", "-H", "Origin: " + testOrigin, "-H", "Sec-Fetch-Dest: " + dest,
			"-H", "Sec-Fetch-Mode: cors", "-H", "Sec-Fetch-Site: cross-site"}, more...)
	}
	for _, tt := range []struct {
		name       string
		args       []string
		want       int
		cookieSent bool
		stderr     string
	}{
		{"font, Cookie header", copied("font", "-H", "Cookie: sid=s3cr3tvalue"), ExitAllowed, false, "no credential"},
		{"font, -b", copied("font", "-b", "sid=s3cr3tvalue"), ExitAllowed, false, "no credential"},
		{"video, Cookie header", copied("video", "-H", "Cookie: sid=s3cr3tvalue"), ExitBlocked, true, ""},
		{"font, --cookie", append([]string{"check", "--cookie", "sid=1", "--"}, copied("font")[2:]...), ExitUsage, false, "never loaded with credentials"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sawCookie.Store(false)
			code, stdout, stderr := runMain(nil, false, tt.args...)
			if code != tt.want || sawCookie.Load() != tt.cookieSent {
				t.Errorf("exit %d, cookie sent %v; want %d, %v\n%s%s", code, sawCookie.Load(), tt.want, tt.cookieSent, stdout, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) || strings.Contains(stderr, "s3cr3t") {
				t.Errorf("stderr %q, want %q and no secret", stderr, tt.stderr)
			}
		})
	}
}
