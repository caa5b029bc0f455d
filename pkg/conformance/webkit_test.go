package conformance

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/internal/refused"
)

// WebKitGTK shares WebCore's CORS code and console strings with Safari.
// Its console text reaches only the web process's standard error
// ("CONSOLE SECURITY ERROR …"), and only with the setting
// enable-write-console-messages-to-stdout in a persistent website data
// manager; a WebDriver session is ephemeral. So the suite drives a WebKit2
// web view of its own: testdata/webkit-run.py (python3-gi and
// gir1.2-webkit2-4.1), under xvfb-run.

const webkitHelper = "testdata/webkit-run.py"

// findWebKit returns a python3 that can load WebKit2 4.1 through
// gobject-introspection: $CORSDIAG_PYTHON, else /usr/bin/python3 (Debian's,
// where python3-gi installs), else python3 on PATH. xvfb-run must be on
// PATH too.
func findWebKit() (string, error) {
	if _, err := exec.LookPath("xvfb-run"); err != nil {
		return "", errors.New("no xvfb-run on PATH (Debian package xvfb)")
	}
	candidates := []string{"/usr/bin/python3", "python3"}
	if p := os.Getenv("CORSDIAG_PYTHON"); p != "" {
		candidates = []string{p}
	}
	var last error
	for _, c := range candidates {
		py, err := exec.LookPath(c)
		if err != nil {
			last = err
			continue
		}
		out, err := exec.Command(py, "-c", "import gi; gi.require_version('WebKit2', '4.1'); from gi.repository import WebKit2").CombinedOutput()
		if err == nil {
			return py, nil
		}
		last = fmt.Errorf("%s cannot load WebKit2 4.1: %v: %s", py, err, strings.TrimSpace(string(out)))
	}
	return "", fmt.Errorf("no WebKitGTK for python (Debian packages python3-gi, gir1.2-webkit2-4.1): %v", last)
}

// webkit runs the requests of one suite run in the helper's web view.
type webkit struct {
	python  string
	pageURL string
	proxy   string // a loopback address nothing listens on
	version string
	// ignoreTLSErrors accepts the page's test certificate.
	ignoreTLSErrors bool
}

func (w *webkit) product() string { return "WebKitGTK/" + w.version }

// consoleRE reads a line the web process prints: CONSOLE <source> <level>
// <text>, after "<url>:<line>:<column>: " when the message names the script
// that caused it (a mixed content block does).
var consoleRE = regexp.MustCompile(`^(?:\S+:\d+:\d+: )?CONSOLE (.+?) (LOG|WARN|ERROR|DEBUG|INFO) (.*)$`)

// doneRE reads the page's console.log after request i (no source: WebKit
// prints none for the console API).
var doneRE = regexp.MustCompile(`^(?:\S+:\d+:\d+: )?CONSOLE (?:\S+ )?LOG CORSDIAG-DONE (\d+)$`)

// runAll hands every request to the helper at once and splits its stderr
// at the console line the page logs after each request (CORSDIAG-DONE i);
// after the last one it closes the helper's stdin, which ends the helper.
func (w *webkit) runAll(t *testing.T, specs []jsSpec) ([]jsResult, [][]consoleLine) {
	t.Helper()
	dir := t.TempDir()
	job, err := json.Marshal(map[string]any{"specs": specs, "pageScript": pageScript, "proxy": "http://" + w.proxy, "ignoreTLSErrors": w.ignoreTLSErrors})
	if err != nil {
		t.Fatal(err)
	}
	jobPath, resPath := filepath.Join(dir, "job.json"), filepath.Join(dir, "results.json")
	if err := os.WriteFile(jobPath, job, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("xvfb-run", "-a", w.python, webkitHelper, w.pageURL, jobPath, resPath, dir)
	// The console lines and the page's markers share stderr, in order.
	var other strings.Builder
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the WebKit helper: %v", err)
	}
	lines := make([][]consoleLine, len(specs))
	markers := make([]string, len(specs))
	for i, spec := range specs {
		markers[i] = "/s/" + markerOf(spec.URL)
	}
	current := 0
	sc := bufio.NewScanner(stderr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if os.Getenv("CORSDIAG_DUMP") != "" {
			fmt.Println("webkit:", line)
		}
		if d := doneRE.FindStringSubmatch(line); d != nil {
			i, _ := strconv.Atoi(d[1])
			current = i + 1
			if current == len(specs) {
				_ = stdin.Close()
			}
			continue
		}
		m := consoleRE.FindStringSubmatch(line)
		if m == nil {
			other.WriteString(line + "\n")
			continue
		}
		// A line naming a scenario URL is that request's; the cause line
		// names none and goes to the request that was running.
		i := current
		for j, mk := range markers {
			if strings.Contains(m[3], mk) {
				i = j
				break
			}
		}
		if i < current {
			// The marker no longer proves the request's lines are in.
			t.Errorf("WebKit logged a line of request %d after its marker: %s", i, line)
		}
		if i >= len(specs) {
			t.Errorf("WebKit logged a line after the last request: %s", line)
			continue
		}
		level := strings.ToLower(m[2])
		if level == "warn" {
			level = "warning"
		}
		lines[i] = append(lines[i], consoleLine{Level: level, Source: strings.ToLower(m[1]), Text: m[3]})
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the WebKit helper failed: %v\n%s", err, other.String())
	}
	data, err := os.ReadFile(resPath)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Version string     `json:"version"`
		Results []jsResult `json:"results"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("%s: %v", resPath, err)
	}
	if len(res.Results) != len(specs) {
		t.Fatalf("the WebKit helper answered %d of %d requests", len(res.Results), len(specs))
	}
	w.version = res.Version
	return res.Results, lines
}

// TestWebKit runs every scenario in real WebKitGTK and through corsdiag
// judged with the safari profile, compared. WebKit has no Local Network
// Access and no way to place a listener in an address space, so those
// scenarios show that it lets the request through: the page is on
// 127.0.0.1, or, when not secure, at http://public.test:<port>, a name
// that reaches the page listener as WebKit's proxy (the listener serves
// its blank page for any host), while loopback still bypasses the proxy.
func TestWebKit(t *testing.T) {
	runBrowserSuite(t, webkitRecord, findWebKit, func(t *testing.T, py string, srv *Server, sc Scenario) pageBrowser {
		proxy := refused.Addr(t)
		if !sc.Page.IsSecure() {
			proxy = strings.TrimPrefix(srv.Origins.Page, "http://")
		}
		return &webkit{python: py, pageURL: sc.PageURL(srv.Origins.Page), proxy: proxy}
	}, nil)
}
