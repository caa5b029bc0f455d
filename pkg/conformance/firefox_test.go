package conformance

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/refused"
)

// findFirefox returns the browser binary: $CORSDIAG_FIREFOX, else
// firefox-esr or firefox on PATH.
func findFirefox() (string, error) {
	if p := os.Getenv("CORSDIAG_FIREFOX"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("no Firefox at CORSDIAG_FIREFOX=%s: %w", p, err)
		}
		return path, nil
	}
	for _, name := range []string{"firefox-esr", "firefox"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Firefox found (looked for $CORSDIAG_FIREFOX, firefox-esr, firefox on PATH)")
}

// firefoxPrefs go into the fresh profile's user.js. The remote agent sets
// its own recommended automation prefs on top (no updates, telemetry,
// first-run pages). The proxy keeps every request but loopback off the
// network: 127.0.0.1 and localhost never go through a proxy, everything
// else goes to a loopback port where nothing listens.
func firefoxPrefs(deadPort int) map[string]any {
	return map[string]any{
		"network.proxy.type":                         1,
		"network.proxy.http":                         "127.0.0.1",
		"network.proxy.http_port":                    deadPort,
		"network.proxy.ssl":                          "127.0.0.1",
		"network.proxy.ssl_port":                     deadPort,
		"network.proxy.allow_hijacking_localhost":    false,
		"network.dns.disablePrefetch":                true,
		"network.http.speculative-parallel-limit":    0,
		"browser.safebrowsing.malware.enabled":       false,
		"browser.safebrowsing.phishing.enabled":      false,
		"datareporting.policy.dataSubmissionEnabled": false,
		"toolkit.telemetry.enabled":                  false,
		"app.update.auto":                            false,
		"browser.shell.checkDefaultBrowser":          false,
		// The console service keeps every message for the chrome listener.
		"devtools.console.stdout.chrome": false,
	}
}

func writeUserJS(dir string, prefs map[string]any) error {
	names := make([]string, 0, len(prefs))
	for n := range prefs {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		v, err := json.Marshal(prefs[n])
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "user_pref(%q, %s);\n", n, v)
	}
	return os.WriteFile(filepath.Join(dir, "user.js"), []byte(b.String()), 0o644)
}

// firefox is one headless Firefox driven over WebDriver BiDi, with one tab
// open on the page origin and a console listener in the browser's own
// (chrome) scope.
type firefox struct {
	cmd     *exec.Cmd
	bidi    *bidi
	version string
	tab     string // the page's browsing context
	chrome  string // a chrome-scope browsing context (the browser window)
}

var bidiURLRE = regexp.MustCompile(`WebDriver BiDi listening on (ws://\S+)`)

// startFirefox launches bin with a fresh profile (extra prefs merged in)
// and opens pageURL.
func startFirefox(t *testing.T, bin, pageURL string, extraPrefs map[string]any, extraArgs ...string) *firefox {
	t.Helper()
	profile := t.TempDir()
	dead, err := netip.ParseAddrPort(refused.Addr(t))
	if err != nil {
		t.Fatal(err)
	}
	prefs := firefoxPrefs(int(dead.Port()))
	for k, v := range extraPrefs {
		prefs[k] = v
	}
	if err := writeUserJS(profile, prefs); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--headless", "--no-remote", "--profile", profile,
		"--remote-debugging-port", "0", "-remote-allow-system-access"}, extraArgs...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "MOZ_CRASHREPORTER_DISABLE=1", "MOZ_DISABLE_AUTO_SAFE_MODE=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	f := &firefox{cmd: cmd}
	t.Cleanup(f.stop)
	urlCh := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			if m := bidiURLRE.FindStringSubmatch(sc.Text()); m != nil && !sent {
				urlCh <- m[1]
				sent = true
			}
			if os.Getenv("CORSDIAG_DUMP") != "" {
				fmt.Fprintln(os.Stderr, "firefox:", sc.Text())
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	var wsURL string
	select {
	case wsURL = <-urlCh:
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not start its WebDriver BiDi server within 60 s", bin)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	f.bidi, err = dialBiDi(ctx, wsURL+"/session", nil)
	if err != nil {
		t.Fatalf("connecting to Firefox's BiDi server %s: %v", wsURL, err)
	}
	var sess struct {
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	if err := f.bidi.call(ctx, "session.new", map[string]any{"capabilities": map[string]any{}}, &sess); err != nil {
		t.Fatal(err)
	}
	f.version = "Firefox/" + sess.Capabilities.BrowserVersion
	var tree struct {
		Contexts []struct {
			Context string `json:"context"`
			URL     string `json:"url"`
		} `json:"contexts"`
	}
	if err := f.bidi.call(ctx, "browsingContext.getTree", map[string]any{}, &tree); err != nil {
		t.Fatal(err)
	}
	if len(tree.Contexts) == 0 {
		t.Fatal("Firefox has no tab")
	}
	f.tab = tree.Contexts[0].Context
	if err := f.bidi.call(ctx, "browsingContext.getTree", map[string]any{"moz:scope": "chrome"}, &tree); err != nil {
		t.Fatal(err)
	}
	if len(tree.Contexts) == 0 {
		t.Fatal("Firefox has no chrome window")
	}
	f.chrome = tree.Contexts[0].Context
	if _, err := f.eval(ctx, f.chrome, "chrome", consoleListenerScript); err != nil {
		t.Fatalf("installing the chrome-scope console listener: %v", err)
	}
	if err := f.bidi.call(ctx, "browsingContext.navigate", map[string]any{"context": f.tab, "url": pageURL, "wait": "complete"}, nil); err != nil {
		t.Fatalf("opening the page origin %s: %v", pageURL, err)
	}
	if slices.Contains(extraArgs, "-devtools") {
		f.awaitHARCollector(t, pageURL)
	}
	if _, err := f.eval(ctx, f.tab, "", "(() => { "+pageScript+" return 1; })()"); err != nil {
		t.Fatalf("installing the page script: %v", err)
	}
	return f
}

// consoleListenerScript runs in the browser's chrome scope: it keeps every
// script error and warning the console service sees (the web console's
// lines, with their security.properties key) until collected.
const consoleListenerScript = `(() => {
  if (window.__corsdiagConsole) return 0;
  const seen = [];
  window.__corsdiagConsole = seen;
  Services.console.registerListener({observe(m) {
    try {
      m.QueryInterface(Ci.nsIScriptError);
    } catch (e) {
      seen.push({text: String(m.message || m), key: '', category: '', flags: -1});
      return;
    }
    seen.push({text: m.errorMessage, key: m.errorMessageName || '', category: m.category, flags: m.flags, source: m.sourceName});
  }});
  return 1;
})()`

// consoleMessage is one message the chrome-scope listener kept.
type consoleMessage struct {
	Text     string `json:"text"`
	Key      string `json:"key"`
	Category string `json:"category"`
	Flags    int    `json:"flags"`
	Source   string `json:"source"`
}

// eval evaluates expr in context and returns its JSON value (script.evaluate
// with a JSON round trip, so results need no BiDi value decoding).
func (f *firefox) eval(ctx context.Context, context, scope, expr string) (json.RawMessage, error) {
	params := map[string]any{
		"expression":   "(async () => JSON.stringify(await (" + expr + ")))()",
		"target":       map[string]any{"context": context},
		"awaitPromise": true,
	}
	if scope != "" {
		params["moz:scope"] = scope
	}
	var res struct {
		Type   string `json:"type"`
		Result struct {
			Type  string `json:"type"`
			Value any    `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := f.bidi.call(ctx, "script.evaluate", params, &res); err != nil {
		return nil, err
	}
	if res.Type == "exception" {
		return nil, fmt.Errorf("script exception: %s", res.ExceptionDetails.Text)
	}
	s, ok := res.Result.Value.(string)
	if !ok {
		return json.RawMessage("null"), nil
	}
	return json.RawMessage(s), nil
}

func (f *firefox) product() string { return f.version }

// runAll makes each request in turn, then collects the console lines the
// chrome-scope listener kept.
func (f *firefox) runAll(t *testing.T, specs []jsSpec) ([]jsResult, [][]consoleLine) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	results := make([]jsResult, len(specs))
	ends := make([]int, len(specs))
	for i, spec := range specs {
		arg, err := json.Marshal(spec)
		if err != nil {
			t.Fatal(err)
		}
		rctx, rcancel := context.WithTimeout(ctx, 30*time.Second)
		raw, err := f.eval(rctx, f.tab, "", "window.__corsdiagRun("+string(arg)+")")
		if err == nil {
			err = json.Unmarshal(raw, &results[i])
		}
		if err == nil {
			raw, err = f.eval(rctx, f.chrome, "chrome", "window.__corsdiagConsole.length")
			if err == nil {
				err = json.Unmarshal(raw, &ends[i])
			}
		}
		rcancel()
		if err != nil {
			t.Fatalf("%s: running the request in Firefox: %v", spec.URL, err)
		}
	}
	var lines [][]consoleLine
	var late []string
	msgs := f.settledConsole(t, ctx, func(msgs []consoleMessage) bool {
		lines, late = splitFirefoxConsole(msgs, specs, ends)
		for i, spec := range specs {
			if len(lines[i]) < spec.wantLines {
				return false
			}
		}
		return true
	})
	if os.Getenv("CORSDIAG_DUMP") != "" {
		for _, m := range msgs {
			fmt.Printf("firefox console: %+v\n", m)
		}
	}
	for _, l := range late {
		t.Errorf("Firefox logged a line after the last request: %s", l)
	}
	return results, lines
}

// splitFirefoxConsole gives each request its lines among msgs (ends[i]:
// how many there were when request i was done); late are the lines that
// came after the last request and name none.
func splitFirefoxConsole(msgs []consoleMessage, specs []jsSpec, ends []int) (lines [][]consoleLine, late []string) {
	lines = make([][]consoleLine, len(specs))
	markers := make([]string, len(specs))
	for i, spec := range specs {
		markers[i] = "/s/" + markerOf(spec.URL)
	}
	detected := make([][]consoleLine, len(specs)) // notModelled lines, kept last
	// "Local Network Access permission required" is logged by the parent
	// process when it checks the request, before the request fails; the
	// content process's CORS line may still reach the console first on a
	// loaded machine. It is kept first.
	permission := make([][]consoleLine, len(specs))
	for n, m := range msgs {
		isCORS := strings.HasPrefix(m.Category, "CORS")
		isLNA := m.Category == "Security" && strings.HasPrefix(m.Text, "Local Network Access ")
		// The loaders of the other CORS-mode loads (load-*) log a line of
		// their own about the failed load.
		isLoader := loaderCategories[m.Category] && slices.ContainsFunc(markers, func(mk string) bool { return strings.Contains(m.Text, mk) })
		if !isCORS && !isLNA && !isLoader {
			continue // not about CORS (an XML parsing error of a response)
		}
		key := m.Category
		if isLoader {
			key = "" // a category, not a security.properties key
		}
		if isLNA {
			// necko's Local Network Access lines carry no key, and the
			// page script's stack after the message, which is the
			// page's, not the browser's words.
			key = ""
			m.Text, _, _ = strings.Cut(m.Text, "\n")
		}
		// A line naming a scenario URL is that request's; Firefox may log
		// it after script saw the failure (the "did not succeed" line of a
		// failed preflight comes late). A line naming none (a redirect to
		// ftp:) goes to the request that was running when it came.
		i := sort.SearchInts(ends, n+1)
		for j, mk := range markers {
			if strings.Contains(m.Text, mk) {
				i = j
				break
			}
		}
		if i >= len(specs) {
			late = append(late, m.Text)
			continue
		}
		level := "error"
		switch {
		case m.Flags&1 != 0: // nsIScriptError.warningFlag
			level = "warning"
		case m.Flags&8 != 0: // nsIScriptError.infoFlag
			level = "info"
		}
		l := consoleLine{Level: level, Key: key, Text: m.Text}
		if notModelled(cors.Firefox, l) {
			// Logged from another process at no fixed place: kept last.
			detected[i] = append(detected[i], l)
			continue
		}
		// Firefox's MIME type check of a module script comes from another
		// place than the CORS line it causes, before or after it: kept first.
		if isLNA && strings.HasPrefix(m.Text, "Local Network Access permission required") || m.Category == "MIMEMISMATCH" {
			permission[i] = append(permission[i], l)
			continue
		}
		lines[i] = append(lines[i], l)
	}
	for i := range lines {
		lines[i] = append(append(permission[i], lines[i]...), detected[i]...)
	}
	return lines, late
}

// loaderCategories are the console categories of the lines Firefox's
// font, module script, EventSource loaders (and its MIME type check) log
// for a failed load.
var loaderCategories = map[string]bool{"CSS Loader": true, "Script Loader": true, "Event Source": true, "MIMEMISMATCH": true}

// settledConsole waits until the listener has seen nothing new for a
// moment and enough says the lines expected are in, and returns everything
// it kept. Firefox gives no order to wait on: lines come from the content
// and the parent process (and the socket process's Local Network Access
// lines at no fixed place), some after script saw the failure (see runAll),
// so no sentinel line is sure to come after them. The quiet moment alone
// would lose a line a loaded machine delays longer; enough (the record's
// count of lines) keeps waiting for it, up to firefoxLineWait, past which
// the test fails.
func (f *firefox) settledConsole(t *testing.T, ctx context.Context, enough func([]consoleMessage) bool) []consoleMessage {
	t.Helper()
	var msgs []consoleMessage
	last, quiet := -1, 0
	end := time.Now().Add(firefoxLineWait)
	for quiet < 3 || !enough(msgs) {
		if time.Now().After(end) {
			t.Errorf("Firefox did not log the lines its record expects within %s (it logged %d)", firefoxLineWait, len(msgs))
			break
		}
		raw, err := f.eval(ctx, f.chrome, "chrome", "window.__corsdiagConsole")
		if err == nil {
			msgs = nil
			err = json.Unmarshal(raw, &msgs)
		}
		if err != nil {
			t.Fatalf("collecting Firefox's console messages: %v", err)
		}
		if len(msgs) == last {
			quiet++
		} else {
			last, quiet = len(msgs), 0
		}
		time.Sleep(100 * time.Millisecond)
	}
	return msgs
}

// firefoxLineWait bounds the wait for the lines a record expects: far
// longer than a loaded machine takes.
const firefoxLineWait = 20 * time.Second

// markerOf is "<scenario>/<nonce>" of a scenario URL.
func markerOf(url string) string {
	_, rest, _ := strings.Cut(url, "/s/")
	return rest
}

func (f *firefox) stop() {
	if f.bidi != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = f.bidi.call(ctx, "browser.close", nil, nil)
		cancel()
		f.bidi.close()
	}
	done := make(chan struct{})
	go func() { _ = f.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = f.cmd.Process.Kill()
		<-done
	}
}

// TestFirefox runs every scenario in real Firefox (ESR) and through
// corsdiag judged with the firefox profile, compared. With
// -record-firefox-har the same run also records Firefox's own HAR export
// of the plain scenarios.
func TestFirefox(t *testing.T) {
	var harDir string
	runBrowserSuite(t, firefoxRecord, findFirefox, func(t *testing.T, bin string, srv *Server, sc Scenario) pageBrowser {
		pageURL := sc.PageURL(srv.Origins.Page)
		if sc.Page != nil {
			return startFirefox(t, bin, pageURL, firefoxSpacePrefs(sc, srv))
		}
		if *recordFirefoxHAR == "" || !sc.Plain() {
			return startFirefox(t, bin, pageURL, nil)
		}
		harDir = t.TempDir()
		return startFirefox(t, bin, pageURL, firefoxHARPrefs(harDir), "-devtools")
	}, func(t *testing.T, srv *Server, scenarios []Scenario, specs []jsSpec, results []jsResult, lines [][]consoleLine) {
		if harDir != "" {
			awaitFirefoxHAR(t, harDir, *recordFirefoxHAR, srv, scenarios, specs, results, lines)
		}
	})
}

// firefoxSpaces are Firefox's names of the address spaces: public, private
// (Chromium's local) and local (Chromium's loopback).
var firefoxSpaces = map[string]string{"public": "public", "local": "private", "loopback": "local"}

// firefoxSpacePrefs are the prefs that put srv's listeners where sc says,
// Firefox's counterpart of Chromium's --ip-address-space-overrides:
// network.lna.address_space.<space>.override lists ip:port addresses. A
// non-secure page is opened by name (network.dns.localDomains resolves
// public.test to loopback, and the proxy is bypassed for it). With
// permission: denied the local-network and loopback-network permissions
// default to "block", so Firefox refuses without a prompt, as headless
// Chromium does.
func firefoxSpacePrefs(sc Scenario, srv *Server) map[string]any {
	prefs := map[string]any{}
	add := func(space, origin string) {
		name := "network.lna.address_space." + firefoxSpaces[space] + ".override"
		addr := "127.0.0.1:" + port(origin)
		if v, ok := prefs[name].(string); ok {
			addr = v + "," + addr
		}
		prefs[name] = addr
	}
	add(sc.Page.Space, srv.Origins.Page)
	if api := sc.APIAddressSpace(); api != "" {
		add(api, srv.Origins.API)
	}
	if other := sc.OtherAddressSpace(); other != "" {
		add(other, srv.Origins.Other)
	}
	if !sc.Page.IsSecure() {
		prefs["network.dns.localDomains"] = InsecureHost
		prefs["network.proxy.no_proxies_on"] = InsecureHost
	}
	if sc.Permission == "denied" {
		prefs["permissions.default.local-network"] = 2
		prefs["permissions.default.loopback-network"] = 2
	}
	return prefs
}
