package cli

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/internal/refused"
)

// leakyURLs are the ways a secret rode past redaction: a bad escape or a
// ';' in the query switched it off, sig= and code= were not secret names,
// and userinfo passwords showed in errors. Each URL holds its own secret.
func leakyURLs(base string) map[string]string {
	u, _ := url.Parse(base)
	return map[string]string{
		"BadEscapeSecret01": base + "/items?x=%zz&token=BadEscapeSecret01",
		"SemicolonSecret02": base + "/items?a=1;access_token=SemicolonSecret02",
		"AzureSasSecret03":  base + "/items?sv=2022&sig=AzureSasSecret03",
		"FunctionsKey04":    base + "/items?code=FunctionsKey04",
		"AmzSignature05":    base + "/items?X-Amz-Signature=AmzSignature05&X-Amz-Expires=60",
		"FragmentToken06":   base + "/items#access_token=FragmentToken06",
		"UserinfoPass07":    "http://alice:UserinfoPass07@" + u.Host + "/items",
	}
}

func assertNoSecret(t *testing.T, where, out, secret string) {
	t.Helper()
	if strings.Contains(out, secret) {
		i := strings.Index(out, secret)
		t.Errorf("%s shows the secret %s: …%s…", where, secret, out[max(0, i-80):min(len(out), i+40)])
	}
}

// TestSecretsNeverPrinted runs every output of check, har, har sanitize
// and ci over URLs holding secrets, against a loopback server.
func TestSecretsNeverPrinted(t *testing.T) {
	srv := realServer(t, goodCORS)
	dir := t.TempDir()
	n := 0
	for secret, u := range leakyURLs(srv) {
		n++
		// File names must not hold the secret: outputs quote them.
		file := func(name string) string { return filepath.Join(dir, fmt.Sprintf("case%d%s", n, name)) }
		// Nor test names: t.TempDir holds them.
		t.Run(fmt.Sprintf("case%d", n), func(t *testing.T) {
			t.Logf("%s", u)
			harOut := file(".har")
			_, out, errOut := runMain(nil, false, "check", u, "--origin", testOrigin, "--har-out", harOut)
			assertNoSecret(t, "check text", out+errOut, secret)
			_, out, errOut = runMain(nil, false, "check", u, "--origin", testOrigin, "-o", "json")
			assertNoSecret(t, "check -o json", out+errOut, secret)
			har, err := os.ReadFile(harOut)
			if err != nil {
				t.Fatal(err)
			}
			assertNoSecret(t, "--har-out", string(har), secret)

			// A browser's HAR holding the raw URL: har, har -o json, har sanitize.
			raw := file("-raw.har")
			os.WriteFile(raw, []byte(strings.ReplaceAll(rawHAR, "URL", u)), 0o644)
			for _, args := range [][]string{{"har", raw}, {"har", raw, "-o", "json"}, {"har", raw, "--all"}, {"har", "sanitize", raw}} {
				out, errOut, _ := runHarArgs(t, "", args...)
				assertNoSecret(t, strings.Join(args[:len(args)-1], " "), out+errOut, secret)
			}

			// ci: every report format and the annotations.
			cfg := writeConfig(t, "defaults: {origin: \"https://evil.example\"}\nchecks:\n  - name: leaky\n    url: \""+u+"\"\n")
			io, out2, errb := fakeIO(map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": file(".summary")})
			args := []string{"ci", "-f", cfg}
			reports := map[string]string{}
			for _, f := range []string{"junit", "sarif", "json", "markdown"} {
				reports[f] = file("." + f)
				args = append(args, "--report", f+"="+reports[f])
			}
			Main(args, io)
			assertNoSecret(t, "ci output and annotations", out2.String()+errb.String(), secret)
			reports["summary"] = file(".summary")
			for f, p := range reports {
				b, _ := os.ReadFile(p)
				assertNoSecret(t, "ci "+f+" report", string(b), secret)
			}
		})
	}
}

// rawHAR is a recorded blocked request to URL with a preflight.
const rawHAR = `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
{"startedDateTime":"2024-01-01T00:00:00.000Z","time":1,"_resourceType":"preflight","request":{"method":"OPTIONS","url":"URL","headers":[{"name":"Origin","value":"https://app.example"},{"name":"Access-Control-Request-Method","value":"PUT"}]},"response":{"status":403,"headers":[]}},
{"startedDateTime":"2024-01-01T00:00:00.100Z","time":1,"_resourceType":"fetch","request":{"method":"PUT","url":"URL","headers":[{"name":"Origin","value":"https://app.example"}]},"response":{"status":0,"headers":[],"_error":"net::ERR_FAILED"}}]}}`

// TestUnreachableHidesPassword: the error for an endpoint that cannot be
// reached quotes the URL without its password. XMLHttpRequest sends such a
// URL (fetch() refuses it before sending: url-contains-credentials).
func TestUnreachableHidesPassword(t *testing.T) {
	u := "http://alice:UnreachablePass99@" + refused.Addr(t) + "/x?sig=UnreachableSig98"
	code, out, errOut := runMain(nil, false, "check", u, "--origin", testOrigin, "--initiator", "xhr", "--timeout", "5s")
	if code != ExitUnreachable {
		t.Fatalf("exit %d, want %d: %s", code, ExitUnreachable, errOut)
	}
	for _, s := range []string{"UnreachablePass99", "UnreachableSig98"} {
		assertNoSecret(t, "unreachable error", out+errOut, s)
	}
	if !strings.Contains(errOut, "alice:") {
		t.Errorf("the error no longer names the user: %s", errOut)
	}
}

// TestUsageErrorsHideFlagValues: a malformed -H or -b is named, never
// echoed with its value.
func TestUsageErrorsHideFlagValues(t *testing.T) {
	srv := realServer(t, goodCORS)
	tests := []struct {
		name, secret string
		args         []string
		want         string
	}{
		{"-H without colon", "NoColonToken11", []string{"-H", "Authorization Bearer NoColonToken11"}, `"Authorization …"`},
		{"-H lone token", "LoneToken12abc", []string{"-H", "LoneToken12abc"}, "(14 bytes)"},
		{"-H bad name", "BadNameKey13", []string{"-H", "X Api Key: BadNameKey13"}, "not valid"},
		{"-H line break", "LineBreakKey14", []string{"-H", "X-Api-Key: LineBreakKey14\nX: y"}, "line break"},
		{"-b without =", "CookieToken15", []string{"-b", "CookieToken15"}, "no '='"},
		// A name redact does not know as secret (a typo, a custom header):
		// its value was shown.
		{"-H bad name, plain words", "BadNameVal16", []string{"-H", "Bad Header: BadNameVal16"}, `-H "Bad Header: …" (24 bytes): the header name is not valid`},
		{"-H control character, custom name", "CtlVal17", []string{"-H", "X-Custom: CtlVal17\x01"}, `-H "X-Custom: …" (19 bytes): the value holds a control character (0x01)`},
		{"-b control character", "CookieVal18", []string{"-b", "s=CookieVal18\x01"}, "-b: the value holds a control character (0x01)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"check", srv, "--origin", testOrigin}, tt.args...)
			code, out, errOut := runMain(nil, false, args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			assertNoSecret(t, "usage error", out+errOut, tt.secret)
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q lacks %q", errOut, tt.want)
			}
		})
	}
}

// TestMain lets a test run corsdiag in a child process (to kill it):
// CORSDIAG_TEST_MAIN=1 makes the test binary be corsdiag.
func TestMain(m *testing.M) {
	if os.Getenv("CORSDIAG_TEST_MAIN") == "1" {
		os.Exit(Main(os.Args[1:], SystemIO()))
	}
	os.Exit(m.Run())
}

// TestCIKilledKeepsPreviousReports: a ci run killed while a check is in
// flight leaves the previous run's reports as they were.
func TestCIKilledKeepsPreviousReports(t *testing.T) {
	inFlight := make(chan struct{}, 1)
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case inFlight <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	}))
	t.Cleanup(hang.Close)
	cfg := writeConfig(t, "defaults: {origin: \"https://app.example\"}\nchecks:\n  - name: hangs\n    url: "+hang.URL+"/x\n")
	dir := t.TempDir()
	previous := map[string]string{}
	args := []string{"ci", "-f", cfg, "--timeout", "60s"}
	for _, f := range []string{"junit", "sarif", "json", "markdown"} {
		p := filepath.Join(dir, "out", "report."+f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		previous[p] = "previous good " + f + " report\n"
		os.WriteFile(p, []byte(previous[p]), 0o644)
		args = append(args, "--report", f+"="+p)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "CORSDIAG_TEST_MAIN=1")
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Killed once its check is in flight, however long starting takes (a
	// fixed 20s could pass on a loaded machine); a run that ends without
	// reaching the server fails the test.
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-inFlight:
	case err := <-exited:
		t.Fatalf("corsdiag ci ended (%v) before its check reached the server:\n%s", err, output.String())
	}
	cmd.Process.Kill() // SIGKILL: no chance to clean up
	<-exited
	for p, want := range previous {
		if b, _ := os.ReadFile(p); string(b) != want {
			t.Errorf("%s = %q after the kill, want the previous report", p, b)
		}
	}
}

// countingServer answers with goodCORS and counts the requests it gets.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		goodCORS(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// TestCIReportsWrittenWhole: reports replace the previous ones at the end,
// leave no temporary file, and a report path that cannot be written fails
// before any check is sent.
func TestCIReportsWrittenWhole(t *testing.T) {
	srv, hits := countingServer(t)
	cfg := writeConfig(t, "defaults: {origin: \""+testOrigin+"\"}\nchecks:\n  - name: items\n    url: "+srv.URL+"/items\n")
	dir := t.TempDir()
	report := filepath.Join(dir, "cors.xml")
	os.WriteFile(report, []byte("old"), 0o644)
	io, _, errb := fakeIO(nil)
	if code := Main([]string{"ci", "-f", cfg, "--report", "junit=" + report}, io); code != ExitAllowed {
		t.Fatalf("exit %d: %s", code, errb)
	}
	if b, _ := os.ReadFile(report); !strings.Contains(string(b), "<testsuites") {
		t.Errorf("report = %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d files, want only the report", len(entries))
	}

	before := hits.Load()
	for _, bad := range []string{dir, filepath.Join(report, "x.xml")} {
		io, _, errb := fakeIO(nil)
		if code := Main([]string{"ci", "-f", cfg, "--report", "junit=" + bad}, io); code != ExitUsage {
			t.Errorf("--report junit=%s: exit %d, want %d (%s)", bad, code, ExitUsage, errb)
		}
	}
	if hits.Load() != before {
		t.Error("a check was sent although a report could not be written")
	}
}

// TestHAROutCheckedBeforeSending: an --har-out that cannot be written is a
// usage error before any request goes out; a good one is written whole.
func TestHAROutCheckedBeforeSending(t *testing.T) {
	srv, hits := countingServer(t)
	dir := t.TempDir()
	notAFolder := filepath.Join(dir, "file")
	os.WriteFile(notAFolder, nil, 0o644)
	for _, bad := range []string{dir, filepath.Join(notAFolder, "probe.har"), filepath.Join(dir, "missing", "probe.har")} {
		code, _, errOut := runMain(nil, false, "check", srv.URL+"/items", "--origin", testOrigin, "--har-out", bad)
		if code != ExitUsage || !strings.Contains(errOut, "--har-out") {
			t.Errorf("--har-out %s: exit %d, stderr %q; want %d naming --har-out", bad, code, errOut, ExitUsage)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("%d requests sent with an unwritable --har-out", hits.Load())
	}
	good := filepath.Join(dir, "probe.har")
	if code, _, errOut := runMain(nil, false, "check", srv.URL+"/items", "--origin", testOrigin, "--har-out", good); code != ExitAllowed {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(good); !strings.Contains(string(b), `"entries"`) {
		t.Errorf("--har-out wrote %q", b)
	}
}

// TestHarReplayNeverClaimsWhatItDidNotSend: a simple POST needs no
// preflight and is not sent without --send-actual, so the replay learns
// nothing and must say so, not that the server's answer now passes.
func TestHarReplayNeverClaimsWhatItDidNotSend(t *testing.T) {
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			posts.Add(1)
		}
		w.WriteHeader(200)
	}))
	t.Cleanup(srv.Close)
	har := `{"log":{"entries":[{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"POST","url":"` + srv.URL + `/form","headers":[{"name":"Origin","value":"http://127.0.0.1:1"},{"name":"Sec-Fetch-Mode","value":"cors"},{"name":"Content-Type","value":"text/plain"}],"postData":{"mimeType":"text/plain","text":"a"}},"response":{"status":0,"headers":[],"_error":"net::ERR_FAILED"}}]}}`
	path := filepath.Join(t.TempDir(), "post.har")
	os.WriteFile(path, []byte(har), 0o644)
	out, errOut, _ := runHarArgs(t, "", "har", "--replay", "-o", "json", path)
	if strings.Contains(out, "replayed live") {
		t.Errorf("the report claims a live replay:\n%s", out)
	}
	if !strings.Contains(out, "not replayed") {
		t.Errorf("the report does not say the POST was not replayed:\n%s%s", out, errOut)
	}
	if n := posts.Load(); n != 0 {
		t.Errorf("the POST was sent %d times without --send-actual", n)
	}
}

// TestBadPortIsUsage: a port beyond 65535 is bad input (exit 2), not an
// unreachable endpoint, and the message hides the URL's password.
func TestBadPortIsUsage(t *testing.T) {
	code, _, errOut := runMain(nil, false, "check", "http://alice:PortPass42@127.0.0.1:99999/", "--origin", testOrigin)
	if code != ExitUsage {
		t.Errorf("exit %d, want %d: %s", code, ExitUsage, errOut)
	}
	if !strings.Contains(errOut, "port") {
		t.Errorf("stderr %q does not name the port", errOut)
	}
	assertNoSecret(t, "usage error", errOut, "PortPass42")
}

// TestInvisibleCharactersEscaped: a server's bidi override, zero-width
// space and C1 control reach neither the terminal (text) nor a JSON or
// SARIF consumer raw, from check or from audit (whose evidence quotes the
// answer's Vary and Access-Control-Allow-Methods).
func TestInvisibleCharactersEscaped(t *testing.T) {
	srv := realServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Server", "nginx\u202e\u200b\u0085evil")
		w.Header().Set("Access-Control-Allow-Methods", "GET\u2066")
		w.Header().Set("Vary", "Origin\u202e\u009b31m")
	})
	check := []string{"check", srv + "/items", "--origin", testOrigin}
	audit := []string{"audit", "--rate", "0", srv + "/items", "--origin", testOrigin}
	for _, tt := range []struct {
		args []string
		// escaped says the output must show the override as \u202e (SARIF
		// messages hold no server text).
		escaped bool
	}{
		{check, true},
		{append(check, "-o", "json"), true},
		{audit, true},
		{append(audit, "-o", "json"), true},
		{append(audit, "-o", "sarif"), false},
	} {
		_, out, errOut := runMain(nil, false, tt.args...)
		for _, r := range []string{"\u202e", "\u200b", "\u0085", "\u2066", "\u009b"} {
			if strings.Contains(out+errOut, r) {
				t.Errorf("%v prints %U raw", tt.args, []rune(r)[0])
			}
		}
		if tt.escaped && !strings.Contains(out, `\u202e`) {
			t.Errorf("%v does not show the override escaped:\n%s", tt.args, out)
		}
	}
}

// TestCISecretsInUnnamedChecks: a check without name: is named "METHOD
// URL", so its name holds the URL's secrets. No output may show them: the
// progress lines of the log, the HTML report, the SARIF fingerprint, and
// the ::error annotation of a config error (the file's line quoted).
func TestCISecretsInUnnamedChecks(t *testing.T) {
	srv := realServer(t, goodCORS)
	dir := t.TempDir()
	n := 0
	for secret, u := range leakyURLs(srv) {
		n++
		file := func(name string) string { return filepath.Join(dir, fmt.Sprintf("unnamed%d%s", n, name)) }
		t.Run(fmt.Sprintf("case%d", n), func(t *testing.T) {
			// The server answers *: expect deny fails, so every format
			// carries the failure.
			cfg := writeConfig(t, "defaults: {origin: \"https://evil.example\"}\nchecks:\n  - url: \""+u+"\"\n    expect: deny\n")
			io, out, errb := fakeIO(map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": file(".summary"), "GITHUB_OUTPUT": file(".outputs")})
			args := []string{"ci", "-f", cfg}
			reports := map[string]string{}
			for _, f := range []string{"junit", "sarif", "json", "markdown", "html"} {
				reports[f] = file("." + f)
				args = append(args, "--report", f+"="+reports[f])
			}
			Main(args, io)
			assertNoSecret(t, "ci stdout", out.String(), secret)
			assertNoSecret(t, "ci stderr (progress)", errb.String(), secret)
			reports["summary"] = file(".summary")
			reports["outputs"] = file(".outputs")
			for f, p := range reports {
				b, _ := os.ReadFile(p)
				assertNoSecret(t, "ci "+f+" report", string(b), secret)
			}
		})
	}
	// A config error quoting a URL: stderr and the annotation.
	for _, tt := range []struct{ name, secret, url string }{
		{"bad port", "PortToken21", "http://127.0.0.1:99999/x?token=PortToken21"},
		{"bad scheme", "SchemeKey22", "ftp://127.0.0.1/?api_key=SchemeKey22"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeConfig(t, "defaults: {origin: \"https://evil.example\"}\nchecks:\n  - url: \""+tt.url+"\"\n")
			io, out, errb := fakeIO(map[string]string{"GITHUB_ACTIONS": "true"})
			if code := Main([]string{"ci", "-f", cfg}, io); code != ExitUsage {
				t.Fatalf("exit %d, want 2", code)
			}
			if !strings.Contains(out.String(), "::error file=") {
				t.Fatalf("no annotation: %q", out)
			}
			assertNoSecret(t, "config error annotation", out.String(), tt.secret)
			assertNoSecret(t, "config error", errb.String(), tt.secret)
		})
	}
}

// TestHarReplaySendsSecretsOnlyWhenAsked: --replay sends the request the
// printed `corsdiag check` command shows, secrets as [REDACTED] and no
// cookie; the recorded Authorization, API key, secret query parameter and
// cookies go out only with --send-secrets, and the report says which were
// held back.
func TestHarReplaySendsSecretsOnlyWhenAsked(t *testing.T) {
	var mu sync.Mutex
	var seen []string // Authorization, X-Api-Key, query of each GET
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			mu.Lock()
			seen = append(seen, r.Header.Get("Authorization")+"|"+r.Header.Get("X-Api-Key")+"|"+r.URL.RawQuery+"|"+r.Header.Get("Cookie"))
			mu.Unlock()
		}
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Origin", "http://localhost:5173")
			w.Header().Set("Access-Control-Allow-Headers", "authorization, x-api-key")
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.WriteHeader(http.StatusUnauthorized) // and no Access-Control-Allow-Origin
	}))
	t.Cleanup(srv.Close)
	har := `{"log":{"entries":[{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"GET","url":"` + srv.URL + `/items?api_key=QueryKey42&page=2","headers":[{"name":"Origin","value":"http://localhost:5173"},{"name":"Sec-Fetch-Mode","value":"cors"},{"name":"Authorization","value":"Bearer RecordedToken42"},{"name":"X-Api-Key","value":"RecordedKey42"},{"name":"Cookie","value":"sid=RecordedCookie42"}]},"response":{"status":0,"headers":[],"_error":"net::ERR_FAILED"}}]}}`
	path := filepath.Join(t.TempDir(), "secrets.har")
	if err := os.WriteFile(path, []byte(har), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantSent string
		wantSays string
	}{
		{"not asked", nil, "Bearer [REDACTED]|[REDACTED]|api_key=[REDACTED]&page=2|", "--send-secrets"},
		{"--send-secrets", []string{"--send-secrets"}, "Bearer RecordedToken42|RecordedKey42|api_key=QueryKey42&page=2|sid=RecordedCookie42", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			seen = nil
			mu.Unlock()
			args := append([]string{"har", "--replay"}, tt.args...)
			out, errOut, code := runHarArgs(t, "", append(args, path)...)
			if code != ExitBlocked {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			mu.Lock()
			got := slices.Clone(seen)
			mu.Unlock()
			if len(got) != 1 || got[0] != tt.wantSent {
				t.Errorf("the server got %q, want [%q]", got, tt.wantSent)
			}
			for _, secret := range []string{"RecordedToken42", "RecordedKey42", "QueryKey42", "RecordedCookie42"} {
				if strings.Contains(out+errOut, secret) {
					t.Errorf("the report prints %s:\n%s", secret, out)
				}
			}
			if tt.wantSays != "" && !strings.Contains(out, tt.wantSays) {
				t.Errorf("the report does not say the secrets were held back (%q):\n%s", tt.wantSays, out)
			}
			if tt.wantSays == "" && strings.Contains(out, "--send-secrets") {
				t.Errorf("the report says secrets were held back though they were sent:\n%s", out)
			}
		})
	}
}

// TestHarReplayReportsHideSecrets: whatever --replay sent, no report
// shows the file's secrets. The live answers replace the exchange, whose
// URL then differs from the one the file's findings quote (redacted, or
// without its fragment): the HTML page redacted only the URLs of the
// exchange it draws, and printed the quoted one as it was.
func TestHarReplayReportsHideSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Origin", "http://localhost:5173")
			w.Header().Set("Access-Control-Allow-Headers", "authorization")
			return
		}
		w.WriteHeader(http.StatusUnauthorized) // no Access-Control-Allow-Origin
	}))
	t.Cleanup(srv.Close)
	har := `{"log":{"entries":[{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"GET","url":"` + srv.URL + `/items?access_token=QueryTok42&page=2#id_token=FragTok42","headers":[{"name":"Origin","value":"http://localhost:5173"},{"name":"Sec-Fetch-Mode","value":"cors"},{"name":"Authorization","value":"Bearer HeaderTok42"}]},"response":{"status":0,"headers":[],"_error":"net::ERR_FAILED"}}]}}`
	path := filepath.Join(t.TempDir(), "secrets.har")
	if err := os.WriteFile(path, []byte(har), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, output := range []string{"text", "json", "html"} {
		for _, extra := range [][]string{nil, {"--send-secrets"}} {
			t.Run(output+" "+strings.Join(extra, " "), func(t *testing.T) {
				args := append([]string{"har", "--replay", "-o", output}, extra...)
				out, errOut, code := runHarArgs(t, "", append(args, path)...)
				if code != ExitBlocked {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				for _, secret := range []string{"QueryTok42", "FragTok42", "HeaderTok42"} {
					if i := strings.Index(out+errOut, secret); i >= 0 {
						t.Errorf("the report prints %s: …%s…", secret, (out + errOut)[max(0, i-200):i+20])
					}
				}
			})
		}
	}
}

// TestHarReplayNamesOnlyWhatItHeldBack: the note that secrets went out as
// [REDACTED] names only what a request carries: a URL's user name and
// password (which a replay never sends) or its fragment (which no request
// carries) is not held back, and --send-secrets would change nothing.
func TestHarReplayNamesOnlyWhatItHeldBack(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized) // no Access-Control-Allow-Origin
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	tests := []struct {
		name, url string
		want      string // the note, "" for none
	}{
		{"a password in the URL", "http://alice:HeldPw42@" + host + "/items", ""},
		{"a token in the fragment", srv.URL + "/items#access_token=FragTok42", ""},
		{"a token in the query", srv.URL + "/items?access_token=QueryTok42", "(sent with the URL's secrets as [REDACTED]; --send-secrets sends the file's values)"},
		{"both", "http://alice:HeldPw42@" + host + "/items?api_key=QueryKey42#id_token=FragTok42", "(sent with the URL's secrets as [REDACTED];"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			har := `{"log":{"entries":[{"startedDateTime":"2024-01-01T00:00:00Z","_resourceType":"xhr","request":{"method":"GET","url":"` + tt.url + `","headers":[{"name":"Origin","value":"http://localhost:5173"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":0,"headers":[],"_error":"net::ERR_FAILED"}}]}}`
			path := filepath.Join(t.TempDir(), "note.har")
			if err := os.WriteFile(path, []byte(har), 0o644); err != nil {
				t.Fatal(err)
			}
			out, errOut, code := runHarArgs(t, "", "har", "--replay", path)
			if code != ExitBlocked || !strings.Contains(out, "found live:") {
				t.Fatalf("exit %d, no live finding: %s%s", code, out, errOut)
			}
			if tt.want == "" && strings.Contains(out, "--send-secrets") {
				t.Errorf("the report says secrets were held back, though --send-secrets sends the same request:\n%s", out)
			}
			if tt.want != "" && !strings.Contains(out, tt.want) {
				t.Errorf("the report lacks %q:\n%s", tt.want, out)
			}
		})
	}
}

// TestHarReplaySendsOnlyBlockedRequests: --replay sends the blocked
// requests whose cause is not in the file, nothing else: not one the page
// aborted or an extension blocked (failed, not CORS), and never a data: or
// blob: URL, which no server answers.
func TestHarReplaySendsOnlyBlockedRequests(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	tests := []struct {
		name, url, netError string
		wantHits            int32
	}{
		{"aborted by the page", srv.URL + "/search", "net::ERR_ABORTED", 0},
		{"blocked by an extension", srv.URL + "/pixel", "net::ERR_BLOCKED_BY_CLIENT", 0},
		{"data: URL", "data:text/plain,hello", "net::ERR_FAILED", 0},
		{"blob: URL", "blob:http://localhost:5173/5f1c", "net::ERR_FAILED", 0},
		{"blocked by CORS", srv.URL + "/items", "net::ERR_FAILED", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits.Store(0)
			har := `{"log":{"entries":[{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"GET","url":"` + tt.url + `","headers":[{"name":"Origin","value":"http://localhost:5173"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":0,"headers":[],"_error":"` + tt.netError + `"}}]}}`
			path := filepath.Join(t.TempDir(), "only.har")
			if err := os.WriteFile(path, []byte(har), 0o644); err != nil {
				t.Fatal(err)
			}
			out, errOut, _ := runHarArgs(t, "", "har", "--replay", path)
			if n := hits.Load(); n != tt.wantHits {
				t.Errorf("the server got %d requests, want %d:\n%s%s", n, tt.wantHits, out, errOut)
			}
			for _, bad := range []string{"probe:", "live replay failed", "corsdiag check data:", "corsdiag check blob:"} {
				if strings.Contains(out+errOut, bad) {
					t.Errorf("the report holds %q:\n%s%s", bad, out, errOut)
				}
			}
		})
	}
}

// TestSanitizeRedactsBeforeSplitting: a message for stderr (a curl paste's
// warning, an error) may quote a URL holding a line break; redacted line
// by line, the half after the break was no URL and its secret showed.
func TestSanitizeRedactsBeforeSplitting(t *testing.T) {
	tests := []struct{ msg, secret, want string }{
		{"ignored 'http://h/x?a=1\nsig=LineSig31'", "LineSig31", `ignored 'http://h/x?a=1` + "\n" + `sig=[REDACTED]'`},
		{"cannot reach http://h/x?a=1\r\ncode=LineCode32: refused", "LineCode32", `cannot reach http://h/x?a=1\x0d` + "\n" + `code=[REDACTED]: refused`},
		{"bad \x1b[31m http://h/?token=Tok33", "Tok33", `bad \x1b[31m http://h/?token=[REDACTED]`},
	}
	for _, tt := range tests {
		got := sanitize(tt.msg, true)
		if got != tt.want {
			t.Errorf("sanitize(%q) = %q, want %q", tt.msg, got, tt.want)
		}
		assertNoSecret(t, "sanitize", got, tt.secret)
		if shown := sanitize(tt.msg, false); !strings.Contains(shown, tt.secret) {
			t.Errorf("sanitize(%q, false) = %q hides the secret --no-redact asked for", tt.msg, shown)
		}
	}
}
