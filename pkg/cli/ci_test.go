package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
	"time"

	"github.com/corsdiag/corsdiag/pkg/internal/refused"
)

// corsServer trusts only https://app.example.com; /star answers `*`.
func corsServer(t *testing.T) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := r.Header.Get("Origin")
		if r.URL.Path == "/star" {
			w.Header().Set("Access-Control-Allow-Origin", "*")
		} else if o == "https://app.example.com" {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST, PUT")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
			w.Header().Set("Vary", "Origin")
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			t.Errorf("the server received a %s actual request", r.Method)
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(s.Close)
	return s
}

// resettingListener resets the first n connections it accepts, like a
// load balancer whose target is restarting: a flaky endpoint.
type resettingListener struct {
	net.Listener
	left atomic.Int32
}

func (l *resettingListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.left.Add(-1) < 0 {
			return c, nil
		}
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0) // RST instead of FIN
		}
		c.Close()
	}
}

func flakyServer(t *testing.T, resets int32) *httptest.Server {
	t.Helper()
	s := httptest.NewUnstartedServer(corsServer(t).Config.Handler)
	rl := &resettingListener{Listener: s.Listener}
	rl.left.Store(resets)
	s.Listener = rl
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func slowServer(t *testing.T, delay time.Duration) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", "*")
	}))
	t.Cleanup(s.Close)
	return s
}

// closedPort is a loopback address that refuses connections.
func closedPort(t *testing.T) string {
	t.Helper()
	return "http://" + refused.Addr(t)
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "corsdiag.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCIEndpoints(t *testing.T) {
	good := corsServer(t).URL
	tests := []struct {
		name     string
		config   string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
	}{
		{
			name: "passing",
			config: `defaults: {origin: "https://app.example.com"}
checks:
  - name: items
    url: ` + good + `/items
    origins:
      - {origin: "https://app.example.com", expect: allow}
      - {origin: "https://evil.example", expect: deny}
  - name: create
    url: ` + good + `/items
    method: POST
    headers: {Content-Type: application/json}
`,
			wantCode: ExitAllowed,
			wantOut:  []string{"3 checks: 3 passed"},
			wantErr:  []string{"ok   items from https://app.example.com: allowed", "ok   items from https://evil.example: blocked"},
		},
		{
			name: "failing",
			config: `defaults: {origin: "https://app.example.com"}
checks:
  - name: star
    url: ` + good + `/star
    origins:
      - {origin: "https://evil.example", expect: deny}
  - name: custom header
    url: ` + good + `/items
    headers: {X-Custom: "1"}
`,
			wantCode: ExitBlocked,
			wantOut: []string{"2 checks: 0 passed, 2 failed", "unexpectedly-allowed", "header-not-allowed",
				"corsdiag.yaml:3", "corsdiag.yaml:7", "fix:"},
			wantErr: []string{"2 of 2 CORS expectations failed"},
		},
		{
			// Nothing is sent: the browser blocks it before any connection,
			// so the made-up host needs no DNS.
			name: "mixed content",
			config: `checks:
  - url: http://api.example.com/items
    origins:
      - {origin: "https://app.example.com", expect: allow}
`,
			wantCode: ExitBlocked,
			wantOut:  []string{"mixed-content", "Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS"},
		},
		{
			name: "flaky recovers within retries",
			config: `defaults: {origin: "https://app.example.com"}
checks:
  - url: ` + flakyServer(t, 1).URL + `/items
`,
			args:     []string{"--retries", "2"},
			wantCode: ExitAllowed,
			wantOut:  []string{"1 check: 1 passed"},
		},
		{
			name: "flaky without retries",
			config: `defaults: {origin: "https://app.example.com"}
checks:
  - url: ` + flakyServer(t, 1).URL + `/items
`,
			args:     []string{"--retries", "0"},
			wantCode: ExitUnreachable,
			wantOut:  []string{"Not reached (network, not CORS)", "endpoint-unreachable"},
		},
		{
			name: "unreachable",
			config: `defaults: {origin: "https://app.example.com"}
checks:
  - name: down
    url: ` + closedPort(t) + `/x
`,
			args:     []string{"--retries", "1"},
			wantCode: ExitUnreachable,
			wantOut:  []string{"1 unreachable", "(after 2 attempts)"},
			wantErr:  []string{"1 of 1 checks could not reach their endpoint"},
		},
		{
			name: "slow endpoint times out",
			config: `defaults: {origin: "https://app.example.com", timeout: 150ms}
checks:
  - name: slow
    url: ` + slowServer(t, 5*time.Second).URL + `/x
`,
			args:     []string{"--retries", "0"},
			wantCode: ExitUnreachable,
			wantOut:  []string{"slow", "unreachable"},
		},
		{
			name: "a CORS failure outranks an unreachable endpoint",
			config: `defaults: {origin: "https://app.example.com"}
checks:
  - url: ` + good + `/star
    expect: deny
  - url: ` + closedPort(t) + `/x
`,
			args:     []string{"--retries", "0"},
			wantCode: ExitBlocked,
			wantOut:  []string{"1 failed, 1 unreachable"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.config)
			io, out, errb := fakeIO(nil)
			code := Main(append([]string{"ci", "-f", path}, tt.args...), io)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, errb)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errb)
				}
			}
		})
	}
}

var (
	portRe = regexp.MustCompile(`127\.0\.0\.1:\d+`)
	// A duration may be wrapped to the next line, or not, as its length
	// falls: the golden holds it in one place either way.
	durationRe = regexp.MustCompile(`in\s+[0-9.]+(ms|s|µs)`)
	pathRe     = regexp.MustCompile(`/\S*/corsdiag\.yaml`)
)

// ciMixedConfig is a run with every outcome: two passes, two CORS
// failures, an unreachable endpoint.
func ciMixedConfig(t *testing.T) string {
	t.Helper()
	good := corsServer(t).URL
	return writeConfig(t, `defaults: {origin: "https://app.example.com"}
checks:
  - name: list items
    url: `+good+`/items?api_key=hunter2
    origins:
      - {origin: "https://app.example.com", expect: allow}
      - {origin: "https://evil.example", expect: deny}
  - name: public
    url: `+good+`/star
    expect: deny
  - name: update (preflight only)
    url: `+good+`/items
    method: PUT
    headers: {Content-Type: application/json, X-Request-Id: "1"}
  - name: down
    url: `+closedPort(t)+`/x
`)
}

// TestCIGolden pins the text a user reads for a mixed run.
func TestCIGolden(t *testing.T) {
	path := ciMixedConfig(t)
	// Piped, and on terminals of 40, 50, 80 and 120 columns: the 80-column screen
	// is the one docs/ci.md shows.
	for _, tc := range []struct {
		width  int
		golden string
	}{{0, "ci_mixed"}, {40, "ci_mixed.40col.txt"}, {50, "ci_mixed.50col.txt"}, {80, "ci_mixed.80col.txt"}, {120, "ci_mixed.120col.txt"}} {
		io, out, _ := fakeIO(nil)
		io.Width, io.WidthSet = tc.width, tc.width > 0
		code := Main([]string{"ci", "-f", path, "--retries", "0"}, io)
		if code != ExitBlocked {
			t.Errorf("%d columns: exit %d, want 1", tc.width, code)
		}
		if strings.Contains(out.String(), "hunter2") {
			t.Error("the API key in the URL is printed")
		}
		got := portRe.ReplaceAllString(out.String(), "127.0.0.1:PORT")
		got = durationRe.ReplaceAllString(got, "in DURATION")
		got = pathRe.ReplaceAllString(got, "CONFIG/corsdiag.yaml")
		assertGolden(t, tc.golden, []byte(got))
	}
}

func TestCIBadConfig(t *testing.T) {
	tests := []struct {
		name, config string
		env          map[string]string
		want         string
	}{
		{"unknown key", "checks:\n  - url: https://a.example/\n    methdo: GET\n", nil, `corsdiag.yaml:3: unknown key "methdo" in a check`},
		{"wrong type", "checks:\n  - url: https://a.example/\n    origins: {origin: x}\n", nil, "corsdiag.yaml:3: want a list of origins here, not a mapping"},
		{"unset variable", "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - url: https://a.example/\n    headers:\n      Authorization: Bearer ${API_TOKEN}\n", nil, "corsdiag.yaml:5: check 1 headers Authorization: environment variable API_TOKEN is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.config)
			io, out, errb := fakeIO(tt.env)
			if code := Main([]string{"ci", "-f", path}, io); code != ExitUsage {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(errb.String(), tt.want) {
				t.Errorf("stderr = %q, want %q", errb, tt.want)
			}
			if out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", out)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		io, _, errb := fakeIO(nil)
		if code := Main([]string{"ci", "-f", filepath.Join(t.TempDir(), "nope.yaml")}, io); code != ExitUsage || !strings.Contains(errb.String(), "corsdiag ci init") {
			t.Errorf("exit %d, stderr %q", code, errb)
		}
	})
	t.Run("bad report flag", func(t *testing.T) {
		path := writeConfig(t, "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - url: https://a.example/\n")
		io, _, errb := fakeIO(nil)
		if code := Main([]string{"ci", "-f", path, "--report", "xml=out.xml"}, io); code != ExitUsage || !strings.Contains(errb.String(), "FORMAT=FILE") {
			t.Errorf("exit %d, stderr %q", code, errb)
		}
	})
	t.Run("annotation in GitHub Actions", func(t *testing.T) {
		path := writeConfig(t, "checks:\n  - url: https://a.example/\n    ur: x\n")
		io, out, _ := fakeIO(map[string]string{"GITHUB_ACTIONS": "true"})
		Main([]string{"ci", "-f", path}, io)
		if !strings.Contains(out.String(), "::error file="+path+",line=3,") {
			t.Errorf("stdout = %q, want an ::error annotation on line 3", out)
		}
	})
}

func TestCIReportsAndGitHub(t *testing.T) {
	good := corsServer(t).URL
	path := writeConfig(t, `defaults: {origin: "https://app.example.com"}
checks:
  - name: items
    url: `+good+`/items
  - name: public
    url: `+good+`/star
    expect: deny
`)
	dir := t.TempDir()
	summary := filepath.Join(dir, "summary.md")
	os.WriteFile(summary, []byte("# earlier step\n"), 0o644)
	io, out, _ := fakeIO(map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary, "GITHUB_WORKSPACE": filepath.Dir(path),
	})
	args := []string{"ci", "-f", path}
	files := map[string]string{}
	for _, f := range []string{"junit", "sarif", "json", "markdown"} {
		files[f] = filepath.Join(dir, "report."+f)
		args = append(args, "--report", f+"="+files[f])
	}
	if code := Main(args, io); code != ExitBlocked {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(out.String(), "::error file=corsdiag.yaml,line=5,title=CORS check failed::public (https://app.example.com): expected deny, got allowed") {
		t.Errorf("no annotation on the failing check's line:\n%s", out)
	}
	sum, _ := os.ReadFile(summary)
	if !strings.HasPrefix(string(sum), "# earlier step\n") || !strings.Contains(string(sum), "## ❌ corsdiag: 2 checks: 1 passed, 1 failed") {
		t.Errorf("job summary not appended:\n%s", sum)
	}
	for f, p := range files {
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			t.Errorf("%s report: %v, %d bytes", f, err, len(b))
		}
	}
	var js struct {
		Verdict string `json:"verdict"`
	}
	b, _ := os.ReadFile(files["json"])
	if err := json.Unmarshal(b, &js); err != nil || js.Verdict != "failed" {
		t.Errorf("json report: %v, verdict %q", err, js.Verdict)
	}
	s, _ := os.ReadFile(files["sarif"])
	if !strings.Contains(string(s), `"uri": "corsdiag.yaml"`) || !strings.Contains(string(s), `"startLine": 5`) {
		t.Errorf("SARIF does not point at corsdiag.yaml line 5:\n%s", s)
	}
}

func TestCIInterrupt(t *testing.T) {
	var cancel context.CancelFunc
	old := signalContext
	signalContext = func(parent context.Context) (context.Context, context.CancelFunc) {
		var ctx context.Context
		ctx, cancel = context.WithCancel(parent)
		return ctx, cancel
	}
	t.Cleanup(func() { signalContext = old })

	good := corsServer(t).URL
	// Ctrl-C comes once the fast check is over (its progress line is out)
	// and while this one is in flight: a fixed pause was not always long
	// enough for the fast check on a loaded machine.
	io, out, errb := fakeIO(nil)
	fastDone := make(chan struct{})
	io.Err = &lineWatch{w: errb, want: "] ok   fast ", seen: fastDone}
	interrupting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-fastDone:
		case <-r.Context().Done():
			return
		}
		cancel()
		<-r.Context().Done()
	}))
	t.Cleanup(interrupting.Close)
	path := writeConfig(t, `defaults: {origin: "https://app.example.com"}
checks:
  - name: fast
    url: `+good+`/items
  - name: interrupted
    url: `+interrupting.URL+`/x
`)
	// A cancellation not honoured would leave the interrupted check
	// waiting for an answer that never comes: go test's timeout says so.
	code := Main([]string{"ci", "-f", path, "--concurrency", "2"}, io)
	if code != ExitInterrupted {
		t.Errorf("exit %d, want %d", code, ExitInterrupted)
	}
	for _, w := range []string{"fast", "allowed", "interrupted", "not run", "Interrupted: 1 check did not run."} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	if !strings.Contains(errb.String(), "interrupted: 1 of 2 checks did not run") {
		t.Errorf("stderr = %q", errb)
	}
}

// lineWatch passes writes to w and closes seen once they hold want.
type lineWatch struct {
	mu   sync.Mutex
	w    *bytes.Buffer
	want string
	seen chan struct{}
}

func (l *lineWatch) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, err := l.w.Write(p)
	if l.want != "" && strings.Contains(l.w.String(), l.want) {
		close(l.seen)
		l.want = ""
	}
	return n, err
}

func TestCIInit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corsdiag.yaml")
	steps := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"ci", "init", "-f", path}, ExitAllowed, "Wrote " + path},
		{[]string{"ci", "init", "-f", path}, ExitUsage, "already exists; use --force"},
		{[]string{"ci", "init", "-f", path, "--force"}, ExitAllowed, "Wrote " + path},
	}
	for i, s := range steps {
		if i == 1 {
			os.WriteFile(path, []byte("# mine\n"), 0o644)
		}
		io, out, errb := fakeIO(nil)
		if code := Main(s.args, io); code != s.code || !strings.Contains(out.String()+errb.String(), s.want) {
			t.Fatalf("step %d: exit %d, output %q %q; want %d and %q", i, code, out, errb, s.code, s.want)
		}
		if i == 1 {
			if b, _ := os.ReadFile(path); string(b) != "# mine\n" {
				t.Fatal("ci init overwrote the file without --force")
			}
		}
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "checks:") || !strings.Contains(string(b), "expect: deny") {
		t.Errorf("starter file:\n%s", b)
	}
}

func TestCIProgress(t *testing.T) {
	good := corsServer(t).URL
	path := writeConfig(t, "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - url: "+good+"/a\n  - url: "+good+"/b\n")
	tests := []struct {
		name      string
		terminal  bool
		want, not []string
	}{
		// A terminal gets a bar with a live count, cleared at the end.
		{"terminal", true, []string{"checks (0 failing)", "(0/2)", "\r"}, []string{"[1/2]"}},
		// A CI log gets one line per finished check.
		{"log", false, []string{"[1/2] ok   GET http://127.0.0.1:", "[2/2] ok   "}, []string{"\r", "failing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, out, errb := fakeIO(nil)
			io.OutIsTerminal = tt.terminal
			if code := Main([]string{"ci", "-f", path}, io); code != ExitAllowed {
				t.Fatalf("exit %d: %s", code, errb)
			}
			for _, w := range tt.want {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("stderr lacks %q: %q", w, errb)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(errb.String(), n) {
					t.Errorf("stderr has %q: %q", n, errb)
				}
			}
			if !strings.Contains(out.String(), "2 checks: 2 passed") {
				t.Errorf("stdout: %s", out)
			}
		})
	}
}

// Run from a subfolder of the checkout, with a report in a folder that does
// not exist yet: the annotation names the config from the repository root
// (GITHUB_WORKSPACE, else the folder holding .git), the folder is created,
// and the step outputs count the failure.
func TestCIFromSubfolder(t *testing.T) {
	good := corsServer(t).URL
	tests := []struct {
		name      string
		workspace bool // set GITHUB_WORKSPACE, else find the root by .git
	}{
		{"GITHUB_WORKSPACE", true},
		{"repository root by .git", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := t.TempDir()
			sub := filepath.Join(repo, "sub")
			for _, d := range []string{filepath.Join(repo, ".git"), sub} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			config := "defaults: {origin: \"https://app.example.com\"}\nchecks:\n  - name: public\n    url: " + good + "/star\n    expect: deny\n"
			if err := os.WriteFile(filepath.Join(sub, "cors.yaml"), []byte(config), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(sub)
			outputs := filepath.Join(t.TempDir(), "output")
			env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": outputs}
			if tt.workspace {
				env["GITHUB_WORKSPACE"] = repo
			}
			io, out, _ := fakeIO(env)
			code := Main([]string{"ci", "-f", "cors.yaml", "--report", "junit=out/deep/cors.xml", "--report", "sarif=out/cors.sarif"}, io)
			if code != ExitBlocked {
				t.Fatalf("exit %d, want 1\n%s", code, out)
			}
			if !strings.Contains(out.String(), "::error file=sub/cors.yaml,line=3,") {
				t.Errorf("annotation does not name sub/cors.yaml:\n%s", out)
			}
			if b, err := os.ReadFile(filepath.Join(sub, "out", "deep", "cors.xml")); err != nil || !strings.Contains(string(b), "<failure") {
				t.Errorf("junit report in a new folder: %v\n%s", err, b)
			}
			if b, _ := os.ReadFile(filepath.Join(sub, "out", "cors.sarif")); !strings.Contains(string(b), `"uri": "sub/cors.yaml"`) {
				t.Errorf("SARIF does not name sub/cors.yaml:\n%s", b)
			}
			if b, _ := os.ReadFile(outputs); string(b) != "failures=1\nunreachable=0\nwarnings=0\ntotal=1\n" {
				t.Errorf("step outputs = %q", b)
			}
		})
	}
}

// --strict fails a run whose checks all held when one of them has a
// warning (here: an echoed origin without Vary: Origin).
func TestCIStrict(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
	}))
	t.Cleanup(s.Close)
	path := writeConfig(t, "defaults: {origin: \"https://app.example.com\"}\nchecks:\n  - name: echo\n    url: "+s.URL+"/\n")
	tests := []struct {
		args []string
		want int
	}{
		{nil, 0},
		{[]string{"--strict"}, ExitBlocked},
	}
	for _, tt := range tests {
		outputs := filepath.Join(t.TempDir(), "output")
		io, out, _ := fakeIO(map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": outputs})
		if code := Main(append([]string{"ci", "-f", path}, tt.args...), io); code != tt.want {
			t.Errorf("ci %v: exit %d, want %d\n%s", tt.args, code, tt.want, out)
		}
		if b, _ := os.ReadFile(outputs); !strings.Contains(string(b), "warnings=1\n") {
			t.Errorf("ci %v: step outputs = %q, want warnings=1", tt.args, b)
		}
	}
}
