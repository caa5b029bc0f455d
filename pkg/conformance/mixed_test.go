package conformance

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/testcert"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// Mixed content is checked before CORS, so it needs what the scenario
// server does not give: a page served over https (a test certificate for
// a name, accepted by the browser) and an API called by a name over plain
// http (a loopback literal is potentially trustworthy in Chromium and
// Firefox). Chromium maps both names to 127.0.0.1 with --host-resolver-rules;
// Firefox and WebKitGTK reach them through mapProxy. corsdiag reaches the
// API by name with probe.Routes, as --resolve does.
const (
	mixedPageHost = "secure-page.test"
	mixedAPIHost  = "plain-api.test"
	// mixedLocalhostSub is under .localhost, which Secure Contexts counts as
	// loopback.
	mixedLocalhostSub = "api.localhost"
	mixedRecord       = "../../testdata/conformance/mixed-content.json"
)

var updateMixedRecord = flag.Bool("update-mixed-record", false, "Test*MixedContent: write what the browser did to testdata/conformance/mixed-content.json instead of checking it matches the record")

// mixedEnv is the API (plain http, on loopback) and the https page of a
// mixed content test, with the requests made from that page.
type mixedEnv struct {
	pageOrigin, apiPort string
	cases               []mixedCase
	mu                  sync.Mutex
	reached             []string
}

// mixedCase is one request the https page makes; path tells it apart.
type mixedCase struct {
	name string
	url  string
	xhr  bool
	// kind is the load (Kinds) when it is neither fetch() nor XHR.
	kind string
	// target is where url redirects to ("" when it does not): the URL the
	// lines name.
	target string
}

// lineURL is the URL that is mixed content, the one the lines name.
func (c mixedCase) lineURL() string {
	if c.target != "" {
		return c.target
	}
	return c.url
}

func (c mixedCase) path() string { return c.lineURL()[strings.LastIndex(c.lineURL(), "/"):] }

func (c mixedCase) spec() jsSpec {
	return jsSpec{URL: c.url, Method: "GET", Headers: [][2]string{}, XHR: c.xhr, Kind: c.kind}
}

func (c mixedCase) initiator() string {
	return Request{XHR: c.xhr, Kind: c.kind}.Initiator()
}

// mixedCases are the requests from page, with the API at apiPort: by name
// (mixed content everywhere), at a loopback literal and at localhost
// (potentially trustworthy by the standard), and same-origin URLs that
// redirect to the API by name and at the loopback literal.
func mixedCases(page, apiPort string) []mixedCase {
	api := "http://" + mixedAPIHost + ":" + apiPort
	cases := []mixedCase{
		{"fetch to http by name", api + "/mixed-fetch", false, "", ""},
		{"XHR to http by name", api + "/mixed-xhr", true, "", ""},
		{"fetch to http loopback", "http://127.0.0.1:" + apiPort + "/loopback-fetch", false, "", ""},
		{"fetch to http localhost", "http://localhost:" + apiPort + "/localhost-fetch", false, "", ""},
		{"fetch to http subdomain of localhost", "http://" + mixedLocalhostSub + ":" + apiPort + "/sublocalhost-fetch", false, "", ""},
		{"fetch redirected to http by name", page + "/redirect-fetch", false, "", api + "/redirected-fetch"},
		{"fetch redirected to http loopback", page + "/redirect-loopback-fetch", false, "", "http://127.0.0.1:" + apiPort + "/redirected-loopback-fetch"},
	}
	// Each CORS-mode load to plain http by name: blocked, or upgraded to
	// https (mixedLoadKinds).
	for _, k := range mixedLoadKinds {
		cases = append(cases, mixedCase{k + " to http by name", api + "/mixed-load-" + k, false, k, ""})
	}
	cases = append(cases, mixedCase{"image redirected to http by name", page + "/redirect-load-image", false, "image", api + "/redirected-load-image"},
		mixedCase{"video redirected to http by name", page + "/redirect-load-video", false, "video", api + "/redirected-load-video"})
	return cases
}

// mixedLoadKinds are the loads (Kinds) the https page makes to plain http.
var mixedLoadKinds = []string{"font", "script", "classic-script", "image", "stylesheet", "eventsource", "video", "audio"}

// mixedRedirect is how the page's server answers a case's URL that
// redirects to target.
func mixedRedirect(target string) *cors.Message {
	return &cors.Message{Status: http.StatusFound, Header: http.Header{"Location": {target}}}
}

// mixedAPIHandler is the API: every GET allowed from any origin, a load's
// path (/mixed-load-KIND) answered with what that load accepts.
func mixedAPIHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	kind := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/mixed-load-"), "/redirected-load-")
	if k, ok := Kinds[kind]; ok {
		w.Header().Set("Content-Type", k.ContentType)
		_, _ = w.Write(k.Body)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"ok":true}`))
}

func startMixedEnv(t *testing.T) *mixedEnv {
	t.Helper()
	env := &mixedEnv{}
	cert, _ := testcert.New(t, mixedPageHost, mixedAPIHost)
	api := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme := "http"
		if c, ok := r.Context().Value(sniffKey{}).(*sniffConn); ok && c.isTLS {
			scheme = "https"
		}
		env.mu.Lock()
		env.reached = append(env.reached, r.Method+" "+scheme+" "+r.URL.Path)
		env.mu.Unlock()
		mixedAPIHandler(w, r)
	}))
	// The API answers https on the same port too: a browser that upgrades
	// a mixed load asks for the https URL, and the record says so.
	api.Listener = &sniffListener{Listener: api.Listener, tls: &tls.Config{Certificates: []tls.Certificate{cert}}}
	api.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		return context.WithValue(ctx, sniffKey{}, c)
	}
	api.Start()
	t.Cleanup(api.Close)
	_, env.apiPort, _ = net.SplitHostPort(api.Listener.Addr().String())

	page := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, c := range env.cases {
			if c.target != "" && c.url == env.pageOrigin+r.URL.Path {
				m := mixedRedirect(c.target)
				w.Header().Set("Location", m.Header.Get("Location"))
				w.WriteHeader(m.Status)
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(BlankPage))
	}))
	page.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	page.StartTLS()
	t.Cleanup(page.Close)
	_, pagePort, _ := net.SplitHostPort(page.Listener.Addr().String())
	env.pageOrigin = "https://" + mixedPageHost + ":" + pagePort
	env.cases = mixedCases(env.pageOrigin, env.apiPort)
	return env
}

type sniffKey struct{}

// sniffListener serves TLS and plain http on one port: a connection is
// TLS when its first byte is a handshake record (22).
type sniffListener struct {
	net.Listener
	tls *tls.Config
}

func (l *sniffListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &sniffConn{Conn: c, cfg: l.tls}, nil
}

// sniffConn decides on its first Read (not in Accept: a browser's idle
// preconnect would stall every other connection).
type sniffConn struct {
	net.Conn
	cfg   *tls.Config
	once  sync.Once
	isTLS bool
	r     interface{ Read([]byte) (int, error) }
	w     interface{ Write([]byte) (int, error) }
}

// decide reads the first byte and hands it back through a prefixConn, to
// the TLS server or to plain http.
func (c *sniffConn) decide() {
	c.once.Do(func() {
		b := make([]byte, 1)
		n, _ := c.Conn.Read(b)
		pc := &prefixConn{Conn: c.Conn, prefix: b[:n]}
		c.r, c.w = pc, c.Conn
		if n == 1 && b[0] == 22 {
			c.isTLS = true
			tc := tls.Server(pc, c.cfg)
			c.r, c.w = tc, tc
		}
	})
}

func (c *sniffConn) Read(p []byte) (int, error) {
	c.decide()
	return c.r.Read(p)
}

func (c *sniffConn) Write(p []byte) (int, error) {
	c.decide()
	return c.w.Write(p)
}

// prefixConn reads prefix before the connection's own bytes.
type prefixConn struct {
	net.Conn
	prefix []byte
}

func (c *prefixConn) Read(p []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(p, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

// reachedPath says whether the API received a request for path.
func (env *mixedEnv) reachedPath(path string) bool {
	env.mu.Lock()
	defer env.mu.Unlock()
	for _, r := range env.reached {
		if strings.HasSuffix(r, " "+path) {
			return true
		}
	}
	return false
}

// reachedOverHTTPS says whether the API received path over https (the
// browser upgraded the request).
func (env *mixedEnv) reachedOverHTTPS(path string) bool {
	env.mu.Lock()
	defer env.mu.Unlock()
	return slices.Contains(env.reached, "GET https "+path)
}

// placeholders turn the run's ports into the record's {page}, {api},
// {loopback}, {localhost}.
func (env *mixedEnv) placeholders() *strings.Replacer {
	return strings.NewReplacer(env.pageOrigin, "{page}",
		"http://"+mixedAPIHost+":"+env.apiPort, "{api}",
		"http://127.0.0.1:"+env.apiPort, "{loopback}",
		"http://localhost:"+env.apiPort, "{localhost}",
		"http://"+mixedLocalhostSub+":"+env.apiPort, "{sublocalhost}")
}

// mixedObserved is what a browser did for one case.
type mixedObserved struct {
	Verdict     string `json:"verdict"`
	ScriptError string `json:"scriptError,omitempty"`
	// Reached: the request (or an https upgrade of it) got to the API or
	// to the proxy in front of it.
	Reached bool `json:"reached"`
	// Upgraded: the browser asked for the https URL instead (the API
	// answers https on the same port).
	Upgraded bool          `json:"upgraded,omitempty"`
	Console  []consoleLine `json:"console"`
}

// mixedBrowserRecord is one browser's run: its version and each case by name.
type mixedBrowserRecord struct {
	Version string                    `json:"version"`
	Cases   map[string]*mixedObserved `json:"cases"`
}

// mixedBrowser is a browser the mixed content test runs in.
type mixedBrowser struct {
	kind browserKind
	find func() (string, error)
	// run makes every case's request from the https page: what script saw,
	// the console lines of each, the requests a proxy in front of the API
	// was asked for (nil without one), and the browser's version.
	run func(t *testing.T, bin string, env *mixedEnv) (results []jsResult, lines [][]consoleLine, proxied []string, version string)
}

// TestChromiumMixedContent, TestFirefoxMixedContent, TestWebKitMixedContent:
// the https page's fetch() and XHR to plain http by name, to 127.0.0.1 and
// to localhost, in the real browser and through corsdiag judged with its
// profile: the verdict, every console line, and that nothing is sent when
// the browser blocks.
func TestChromiumMixedContent(t *testing.T) {
	testMixedContent(t, mixedBrowser{kind: chromiumRecord, find: findChromium, run: runChromiumMixed})
}

func TestFirefoxMixedContent(t *testing.T) {
	testMixedContent(t, mixedBrowser{kind: firefoxRecord, find: findFirefox, run: runFirefoxMixed})
}

func TestWebKitMixedContent(t *testing.T) {
	testMixedContent(t, mixedBrowser{kind: webkitRecord, find: findWebKit, run: runWebKitMixed})
}

func testMixedContent(t *testing.T, b mixedBrowser) {
	bin, err := b.find()
	switch {
	case err != nil && browserRequired():
		t.Fatalf("CORSDIAG_BROWSER_TESTS=require but %v", err)
	case err != nil:
		t.Skipf("skipping the %s mixed content conformance test: %v", b.kind.label, err)
	case testing.Short() && !browserRequired():
		t.Skipf("skipping the %s mixed content conformance test in -short mode (CORSDIAG_BROWSER_TESTS=require runs it)", b.kind.label)
	}
	profile := profileOf(t, b.kind)
	env := startMixedEnv(t)
	results, lines, proxied, version := b.run(t, bin, env)
	ph := env.placeholders()
	got := &mixedBrowserRecord{Version: version, Cases: map[string]*mixedObserved{}}
	for i, c := range env.cases {
		o := &mixedObserved{Verdict: verdictBlocked, Reached: env.reachedPath(c.path()),
			Upgraded: env.reachedOverHTTPS(c.path()), Console: []consoleLine{}}
		for _, p := range proxied {
			// A CONNECT is an upgraded load: the API saw its path over https.
			if strings.Contains(p, c.path()) {
				o.Reached = true
			}
		}
		if results[i].OK {
			o.Verdict = verdictAllowed
		} else {
			o.ScriptError = results[i].Error
		}
		for _, l := range lines[i] {
			l.Text = ph.Replace(l.Text)
			o.Console = append(o.Console, l)
		}
		got.Cases[c.name] = o
	}

	_, pagePort, _ := strings.Cut(strings.TrimPrefix(env.pageOrigin, "https://"), ":")
	routes, err := probe.ParseRoutes([]string{mixedAPIHost + ":" + env.apiPort + ":127.0.0.1", mixedPageHost + ":" + pagePort + ":127.0.0.1",
		mixedLocalhostSub + ":" + env.apiPort + ":127.0.0.1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range env.cases {
		t.Run(c.name, func(t *testing.T) {
			o := got.Cases[c.name]
			if (o.Verdict == verdictBlocked) == o.Reached {
				t.Errorf("%s: script verdict %s (%s) but the server saw it: %v", b.kind.label, o.Verdict, o.ScriptError, o.Reached)
			}
			res, err := probe.Run(context.Background(), probe.Options{
				Request: cors.Request{Method: "GET", URL: c.url, Origin: env.pageOrigin, Initiator: c.initiator()},
				Routes:  routes, Timeout: 5 * time.Second, Profile: profile, Insecure: true,
			})
			if err != nil {
				t.Fatalf("probe: %v", err)
			}
			d := profile.Evaluate(res.Exchange)
			for _, p := range compareMixed(b.kind.label, profile, c, o, d, ph) {
				t.Error(p)
			}
			if d.Verdict != cors.Blocked {
				return
			}
			if c.target == "" && (res.BrowserSendsPreflight || res.BrowserSendsActual || len(res.Exchange.Actual) > 0) {
				t.Errorf("corsdiag says the browser sends something, or sent it itself: %+v", res.Exchange)
			}
			for _, h := range res.Exchange.Actual {
				if h.Request.URL == c.lineURL() {
					t.Errorf("corsdiag followed the redirect to %s", c.lineURL())
				}
			}
		})
	}
	if *updateMixedRecord {
		if err := writeMixedRecord(b.kind.name, got); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s's mixed content run to %s", b.kind.label, mixedRecord)
		return
	}
	all, err := loadMixedRecord()
	if err != nil {
		t.Fatal(err)
	}
	want := all[b.kind.name]
	if want == nil {
		t.Fatalf("%s has no %s entry: run go test ./pkg/conformance/ -run 'MixedContent' -update-mixed-record", mixedRecord, b.kind.name)
	}
	for _, c := range env.cases {
		if w, g := jsonString(want.Cases[c.name]), jsonString(got.Cases[c.name]); w != g {
			t.Errorf("%s: %s (%s) no longer does what %s records (%s):\n  record: %s\n  now:    %s\n(run with -update-mixed-record if the browser changed)",
				c.name, b.kind.label, version, mixedRecord, want.Version, w, g)
		}
	}
}

// compareMixed lists every way corsdiag, judged with profile, differs from
// what the browser did for c: the verdict, fetch()'s rejection, every
// console line in order, and Firefox's security.properties key.
func compareMixed(browser string, profile *cors.Profile, c mixedCase, o *mixedObserved, d *cors.Diagnosis, ph *strings.Replacer) []string {
	var out []string
	blocked := o.Verdict == verdictBlocked
	if blocked != (d.Verdict == cors.Blocked) {
		out = append(out, fmt.Sprintf("verdict: %s %s, corsdiag %s (%s)", browser, o.Verdict, d.Verdict, findingList(d)))
	}
	var want, got []string
	for _, l := range o.Console {
		if !notModelled(profile, l) {
			want = append(want, l.Text)
		}
	}
	for _, l := range profile.Verdict(d).Console {
		got = append(got, ph.Replace(l))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		out = append(out, fmt.Sprintf("console lines:\n  %s:\n    %s\n  corsdiag:\n    %s", browser, strings.Join(want, "\n    "), strings.Join(got, "\n    ")))
	}
	// An upgraded load: a warning, the https URL judged, no block.
	_, upgrades := profile.MixedContentUpgrade(&cors.Request{URL: c.lineURL(), Origin: "https://" + mixedPageHost, Initiator: c.initiator()})
	if o.Upgraded != upgrades || o.Upgraded && (!d.Has(cors.CodeMixedContentUpgraded) || d.Has(cors.CodeMixedContent)) {
		out = append(out, fmt.Sprintf("%s upgraded to https: %v; corsdiag: %v (%s)", browser, o.Upgraded, upgrades, findingList(d)))
	}
	// The upgrade's warning carries the profile's key (Firefox's), or
	// neither has one.
	for i := range d.Findings {
		if f := &d.Findings[i]; f.Code == cors.CodeMixedContentUpgraded && len(o.Console) > 0 && profile.Key(f) != o.Console[0].Key {
			out = append(out, fmt.Sprintf("key of the upgrade warning: %s %q, corsdiag %q", browser, o.Console[0].Key, profile.Key(f)))
		}
	}
	if !blocked {
		return out
	}
	if !c.xhr && c.kind == "" && o.ScriptError != profile.Messages.FetchRejection {
		out = append(out, fmt.Sprintf("fetch() rejection: %s %q, profile %q", browser, o.ScriptError, profile.Messages.FetchRejection))
	}
	rep := d.Reported()
	if rep == nil || rep.Code != cors.CodeMixedContent {
		return append(out, fmt.Sprintf("corsdiag reports %v, want %s", rep, cors.CodeMixedContent))
	}
	if len(o.Console) > 0 && o.Console[0].Key != "" && profile.Key(rep) != o.Console[0].Key {
		out = append(out, fmt.Sprintf("key of the line: %s %s, corsdiag %q", browser, o.Console[0].Key, profile.Key(rep)))
	}
	return out
}

func loadMixedRecord() (map[string]*mixedBrowserRecord, error) {
	data, err := os.ReadFile(mixedRecord)
	if err != nil {
		return nil, err
	}
	var all map[string]*mixedBrowserRecord
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&all); err != nil {
		return nil, fmt.Errorf("%s: %w", mixedRecord, err)
	}
	return all, nil
}

// writeMixedRecord replaces browser's entry in the record, keeping the others.
func writeMixedRecord(browser string, r *mixedBrowserRecord) error {
	all, err := loadMixedRecord()
	if errors.Is(err, os.ErrNotExist) {
		all, err = map[string]*mixedBrowserRecord{}, nil
	}
	if err != nil {
		return err
	}
	all[browser] = r
	data, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(mixedRecord), 0o755); err != nil {
		return err
	}
	return os.WriteFile(mixedRecord, append(data, '\n'), 0o644)
}

// TestMixedContentAgainstRecord judges each recorded case with each
// browser's profile, without a browser: page https://secure-page.test:8443,
// the API answering as in the live test, so the engine and the profiles'
// words stay what the browsers did.
func TestMixedContentAgainstRecord(t *testing.T) {
	all, err := loadMixedRecord()
	if err != nil {
		t.Fatal(err)
	}
	const page, apiPort = "https://" + mixedPageHost + ":8443", "8080"
	ph := strings.NewReplacer(page, "{page}", "http://"+mixedAPIHost+":"+apiPort, "{api}",
		"http://127.0.0.1:"+apiPort, "{loopback}", "http://localhost:"+apiPort, "{localhost}",
		"http://"+mixedLocalhostSub+":"+apiPort, "{sublocalhost}")
	for _, k := range []browserKind{chromiumRecord, firefoxRecord, webkitRecord} {
		rec := all[k.name]
		if rec == nil {
			t.Errorf("%s has no %s entry", mixedRecord, k.name)
			continue
		}
		profile := profileOf(t, k)
		for _, c := range mixedCases(page, apiPort) {
			t.Run(k.name+"/"+c.name, func(t *testing.T) {
				o := rec.Cases[c.name]
				if o == nil {
					t.Fatalf("%s: %s has no case %q", mixedRecord, k.name, c.name)
				}
				answer := &cors.Message{Status: 200, Header: http.Header{"Access-Control-Allow-Origin": {"*"}, "Content-Type": {"application/json"}}}
				if c.target != "" {
					answer = mixedRedirect(c.target)
				}
				r := cors.Request{Method: "GET", URL: c.url, Origin: page, Initiator: c.initiator()}
				sent := c.url
				if u, ok := profile.MixedContentUpgrade(&r); ok {
					sent = u // as the probe does
				}
				ex := &cors.Exchange{Request: r, Actual: []cors.Hop{{Request: cors.Message{Method: "GET", URL: sent}, Response: answer}}}
				for _, p := range compareMixed(k.label+" "+rec.Version, profile, c, o, profile.Evaluate(ex), ph) {
					t.Error(p)
				}
			})
		}
	}
}

// runChromiumMixed: both names mapped with --host-resolver-rules, the
// certificate accepted with --ignore-certificate-errors; the lines are the
// console entries naming the request's path. After each case the page
// makes a sentinel request, blocked as mixed content: its line comes
// through the same channel (Blink's mixed content checker, Log.entryAdded)
// after every line of the case, so once it is in, the case's lines are.
func runChromiumMixed(t *testing.T, bin string, env *mixedEnv) ([]jsResult, [][]consoleLine, []string, string) {
	c := startChromium(t, bin, env.pageOrigin+"/", spaceFlags{MapHosts: []string{mixedPageHost, mixedAPIHost, "localhost", mixedLocalhostSub}, IgnoreCertErrors: true})
	results := make([]jsResult, len(env.cases))
	sentinels := make([]string, len(env.cases))
	for i, mc := range env.cases {
		res, err := c.run(mc.spec())
		if err != nil {
			t.Fatalf("%s: running the request in Chromium: %v", mc.name, err)
		}
		results[i] = res
		sentinels[i] = fmt.Sprintf("/corsdiag-sentinel-%d", i)
		sentinel := mixedCase{url: "http://" + mixedAPIHost + ":" + env.apiPort + sentinels[i]}
		if res, err := c.run(sentinel.spec()); err != nil || res.OK {
			t.Fatalf("%s: the sentinel request %s was not blocked: %+v %v", mc.name, sentinel.url, res, err)
		}
		if awaitLog(c.rec, sentinels[i], "", eventWait) == "" {
			t.Fatalf("%s: Chromium logged no line for the sentinel request %s within %s", mc.name, sentinel.url, eventWait)
		}
	}
	lines := make([][]consoleLine, len(env.cases))
	for i, mc := range env.cases {
		// A line after its sentinel's would mean the sentinel no longer
		// proves the lines are in.
		if c.rec.logIndex(mc.path()) > c.rec.logIndex(sentinels[i]) {
			t.Errorf("%s: Chromium logged a line after the sentinel %s", mc.name, sentinels[i])
		}
		for _, e := range c.rec.logLines(mc.path()) {
			lines[i] = append(lines[i], consoleLine{Level: string(e.Level), Source: string(e.Source), Text: e.Text})
		}
	}
	return results, lines, nil, c.version
}

// runFirefoxMixed: Firefox's own defaults (mixed active content blocked,
// HTTPS-First for top-level loads only), the names reached through
// mapProxy (network.proxy.*; loopback never goes through a proxy), the
// certificate accepted through the certificate override service. Every
// line is matched to its security.properties key through Firefox's own
// string bundle, since the console service does not carry it.
func runFirefoxMixed(t *testing.T, bin string, env *mixedEnv) ([]jsResult, [][]consoleLine, []string, string) {
	proxy := startMapProxy(t, mixedPageHost, mixedAPIHost, mixedLocalhostSub)
	_, p, _ := net.SplitHostPort(proxy.Addr())
	port, _ := strconv.Atoi(p)
	f := startFirefox(t, bin, "about:blank", map[string]any{"network.proxy.http_port": port, "network.proxy.ssl_port": port})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := f.eval(ctx, f.chrome, "chrome", `Cc["@mozilla.org/security/certoverride;1"].getService(Ci.nsICertOverrideService).setDisableAllSecurityChecksAndLetAttackersInterceptMyData(true)`); err != nil {
		t.Fatalf("accepting the test certificate: %v", err)
	}
	if err := f.bidi.call(ctx, "browsingContext.navigate", map[string]any{"context": f.tab, "url": env.pageOrigin + "/", "wait": "complete"}, nil); err != nil {
		t.Fatalf("opening %s: %v", env.pageOrigin, err)
	}
	if _, err := f.eval(ctx, f.tab, "", "(() => { "+pageScript+" return 1; })()"); err != nil {
		t.Fatalf("installing the page script: %v", err)
	}
	results := make([]jsResult, len(env.cases))
	for i, mc := range env.cases {
		arg, _ := json.Marshal(mc.spec())
		raw, err := f.eval(ctx, f.tab, "", "window.__corsdiagRun("+string(arg)+")")
		if err == nil {
			err = json.Unmarshal(raw, &results[i])
		}
		if err != nil {
			t.Fatalf("%s: running the request in Firefox: %v", mc.name, err)
		}
	}
	// Wait for as many lines as the record has for each case (see
	// settledConsole); none when rewriting it.
	want := make([]int, len(env.cases))
	if rec, err := loadMixedRecord(); err == nil && !*updateMixedRecord && rec[firefoxRecord.name] != nil {
		for i, mc := range env.cases {
			if o := rec[firefoxRecord.name].Cases[mc.name]; o != nil {
				want[i] = len(o.Console)
			}
		}
	}
	msgs := f.settledConsole(t, ctx, func(msgs []consoleMessage) bool {
		for i, mc := range env.cases {
			n := 0
			for _, m := range msgs {
				if strings.Contains(m.Text, mc.lineURL()) {
					n++
				}
			}
			if n < want[i] {
				return false
			}
		}
		return true
	})
	lines := make([][]consoleLine, len(env.cases))
	for _, m := range msgs {
		for i, mc := range env.cases {
			if !strings.Contains(m.Text, mc.lineURL()) {
				continue
			}
			key := m.Key
			if key == "" {
				key = firefoxKeyOf(t, ctx, f, m.Text, mc.lineURL())
			}
			level := "error"
			if m.Flags&1 != 0 {
				level = "warning"
			}
			lines[i] = append(lines[i], consoleLine{Level: level, Key: key, Text: m.Text})
		}
	}
	return results, lines, proxy.Seen(), f.product()
}

// firefoxKeyOf finds the security.properties key whose string, formatted
// with url (and, for an upgrade's, the scheme it upgrades to), is text,
// bare or after one of firefoxPrefixes ("" when none is).
func firefoxKeyOf(t *testing.T, ctx context.Context, f *firefox, text, url string) string {
	t.Helper()
	arg, _ := json.Marshal([]any{text, url, firefoxPrefixes})
	raw, err := f.eval(ctx, f.chrome, "chrome", `(([text, url, prefixes]) => {
  const b = Services.strings.createBundle("chrome://global/locale/security/security.properties");
  const upgraded = url.split(':')[0] + 's';
  for (const p of b.getSimpleEnumeration()) {
    for (const args of [[url], [url, upgraded]]) {
      let s;
      try { s = b.formatStringFromName(p.key, args); } catch (e) { continue; }
      if (text === s || prefixes.some((pre) => text === pre + s)) return p.key;
    }
  }
  return "";
})(`+string(arg)+`)`)
	var key string
	if err == nil {
		err = json.Unmarshal(raw, &key)
	}
	if err != nil {
		t.Fatalf("reading Firefox's security.properties: %v", err)
	}
	return key
}

// firefoxPrefixes are what Firefox puts before a security.properties
// string in the console: nsMixedContentBlocker logs MixedContentAutoUpgrade
// (formatted with the URL and "https") after "Mixed Content: ".
var firefoxPrefixes = []string{"Mixed Content: "}

// runWebKitMixed: testdata/webkit-run.py with the names reached through
// mapProxy (WebKit's network proxy settings; loopback bypasses it) and
// TLS errors ignored for the test certificate.
func runWebKitMixed(t *testing.T, py string, env *mixedEnv) ([]jsResult, [][]consoleLine, []string, string) {
	proxy := startMapProxy(t, mixedPageHost, mixedAPIHost, mixedLocalhostSub)
	w := &webkit{python: py, pageURL: env.pageOrigin + "/", proxy: proxy.Addr(), ignoreTLSErrors: true}
	specs := make([]jsSpec, len(env.cases))
	for i, mc := range env.cases {
		specs[i] = mc.spec()
	}
	results, lines := w.runAll(t, specs)
	return results, lines, proxy.Seen(), w.product()
}

// awaitLog waits for a console line containing marker and prefix.
func awaitLog(r *recorder, marker, prefix string, d time.Duration) string {
	end := time.Now().Add(d)
	for {
		for _, e := range r.logLines(marker) {
			if strings.HasPrefix(e.Text, prefix) {
				return e.Text
			}
		}
		if time.Now().After(end) {
			return ""
		}
		time.Sleep(20 * time.Millisecond)
	}
}
