package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf16"

	"github.com/corsdiag/corsdiag/pkg/harfile"
)

func runHarArgs(t testing.TB, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var in io.Reader
	if stdin != "" {
		in = strings.NewReader(stdin)
	}
	return runHarInput(t, in, args...)
}

func TestHarGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"har_session.txt", []string{"har", "testdata/har_session.har"}, ExitBlocked},
		{"har_session_all.txt", []string{"har", "--all", "testdata/har_session.har"}, ExitBlocked},
		{"har_session.json", []string{"har", "-o", "json", "testdata/har_session.har"}, ExitBlocked},
		{"har_session.html", []string{"har", "-o", "html", "testdata/har_session.har"}, ExitBlocked},
		{"har_session_filtered.txt", []string{"har", "--url", "*/config.json", "--all", "testdata/har_session.har"}, ExitAllowed},
		// Failures that are not CORS (an ad blocker, TLS, an abort) are
		// listed apart and exit 0; --strict makes them exit 1.
		{"har_failures.txt", []string{"har", "testdata/har_failures.har"}, ExitAllowed},
		{"har_failures.json", []string{"har", "-o", "json", "testdata/har_failures.har"}, ExitAllowed},
		{"har_failures_strict.txt", []string{"har", "--strict", "testdata/har_failures.har"}, ExitBlocked},
		// Chrome let requests through whose recorded answers (the server's:
		// DevTools records them before an extension adds CORS headers)
		// fail the CORS check: allowed, with a warning; a service worker's
		// answer and a 304 stay silent.
		{"har_extension.txt", []string{"har", "testdata/har_extension.har"}, ExitAllowed},
		{"har_extension.json", []string{"har", "-o", "json", "testdata/har_extension.har"}, ExitAllowed},
		{"har_extension_all.txt", []string{"har", "--all", "testdata/har_extension.har"}, ExitAllowed},
		// Every browser keeps the recorded verdict; the comparison says
		// which requests each blocks on the server's answer.
		{"har_extension_browsers.txt", []string{"har", "--browser", "all", "testdata/har_extension.har"}, ExitAllowed},
		{"har_extension_browsers.json", []string{"har", "--browser", "all", "-o", "json", "testdata/har_extension.har"}, ExitAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runHarArgs(t, "", tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d (stderr %s)", code, tt.code, errOut)
			}
			assertGolden(t, tt.name, []byte(out))
		})
	}
}

func TestHarSecretsAndControlCharacters(t *testing.T) {
	for _, format := range []string{"text", "json", "html"} {
		out, _, _ := runHarArgs(t, "", "har", "-o", format, "--all", "testdata/har_session.har")
		for _, secret := range []string{"sk_live_123456", "tok_abcdefghijklmnop", "\x1b"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s output shows %q", format, secret)
			}
		}
		raw, _, _ := runHarArgs(t, "", "har", "-o", format, "--no-redact", "testdata/har_session.har")
		if !strings.Contains(raw, "tok_abcdefghijklmnop") {
			t.Errorf("%s output with --no-redact hides the token", format)
		}
	}
}

func TestHarBadInput(t *testing.T) {
	good, err := os.ReadFile("testdata/har_session.har")
	if err != nil {
		t.Fatal(err)
	}
	cut := string(good[:900])
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		stderr      string
		// without must not be in stderr: no --partial hint when nothing
		// came before the damage, no "har: " package prefix.
		without []string
	}{
		{"not HAR", "onInputData({});", []string{"har", "-"}, ExitUsage, "not a readable HAR file: byte offset 0 (line 1)", []string{"--partial", "har: "}},
		{"cut off", cut, []string{"har", "-"}, ExitUsage, "add --partial", []string{"har: "}},
		{"cut off, partial", cut, []string{"har", "--partial", "-"}, ExitUsage, "partial report", []string{"har: "}},
		{"cut off, partial, JSON", cut, []string{"har", "--partial", "-o", "json", "-"}, ExitUsage, "partial report", []string{"har: "}},
		{"missing file", "", []string{"har", "testdata/nope.har"}, ExitUsage, "cannot read", nil},
		{"bad format", "", []string{"har", "-o", "xml", "testdata/har_session.har"}, ExitUsage, "-o must be", nil},
		// Flags of the requests --replay sends do nothing without it.
		{"send-secrets alone", "", []string{"har", "--send-secrets", "testdata/har_session.har"}, ExitUsage, "--send-secrets works with --replay", nil},
		{"send-actual alone", "", []string{"har", "--send-actual", "testdata/har_session.har"}, ExitUsage, "--send-actual works with --replay", nil},
		{"timeout alone", "", []string{"har", "--timeout", "3s", "testdata/har_session.har"}, ExitUsage, "--timeout works with --replay", nil},
		{"insecure alone", "", []string{"har", "-k", "testdata/har_session.har"}, ExitUsage, "--insecure works with --replay", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runHarArgs(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("exit %d stderr %q; want %d and %q", code, errOut, tt.code, tt.stderr)
			}
			for _, w := range tt.without {
				if strings.Contains(errOut, w) {
					t.Errorf("stderr %q holds %q", errOut, w)
				}
			}
			if tt.name == "cut off, partial" && !strings.Contains(out, "Partial report") {
				t.Errorf("no partial report: %s", out)
			}
			if tt.name == "cut off, partial, JSON" {
				// summary.error says what the text says, without the
				// package's prefix.
				var doc struct{ Summary struct{ Error string } }
				if err := json.Unmarshal([]byte(out), &doc); err != nil || !strings.HasPrefix(doc.Summary.Error, "byte offset ") {
					t.Errorf("summary.error %q (%v), want it to start with the byte offset", doc.Summary.Error, err)
				}
			}
			if tt.name == "cut off" && out != "" {
				t.Errorf("a damaged file without --partial printed a report: %s", out)
			}
		})
	}
}

// TestHarReplay replays a request whose cause is not in the file against
// a loopback server that answers without Access-Control-Allow-Origin.
func TestHarReplay(t *testing.T) {
	var hits atomic.Int32 // replays run concurrently
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(200)
	}))
	defer srv.Close()
	har := `{"log":{"entries":[` +
		`{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"GET","url":"` + srv.URL + `/x","headers":[{"name":"Origin","value":"http://127.0.0.1:1"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":0,"headers":[],"_error":"net::ERR_FAILED"}},` +
		`{"startedDateTime":"2024-01-01T00:00:01Z","request":{"method":"GET","url":"` + srv.URL + `/x","headers":[{"name":"Origin","value":"http://127.0.0.1:1"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":0,"headers":[],"_error":"net::ERR_FAILED"}},` +
		`{"startedDateTime":"2024-01-01T00:00:02Z","request":{"method":"DELETE","url":"` + srv.URL + `/y","headers":[{"name":"Origin","value":"http://127.0.0.1:1"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":-1,"headers":[],"_failureText":"net::ERR_FAILED"}}` +
		`]}}`
	dir := t.TempDir()
	path := filepath.Join(dir, "replay.har")
	if err := os.WriteFile(path, []byte(har), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runHarArgs(t, "", "har", "--replay", "-o", "json", path)
	if code != ExitBlocked {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Requests []struct {
			Method      string `json:"method"`
			CauseSource string `json:"cause_source"`
			Findings    []struct {
				Code     string `json:"code"`
				Reported bool   `json:"reported"`
			} `json:"findings"`
		} `json:"requests"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Requests) != 3 {
		t.Fatalf("requests = %d", len(doc.Requests))
	}
	for _, r := range doc.Requests {
		rep := ""
		for _, f := range r.Findings {
			if f.Reported {
				rep = f.Code
			}
		}
		switch r.Method {
		case "GET":
			if r.CauseSource != "live" || rep != "missing-allow-origin" {
				t.Errorf("GET: cause %s reported %s, want live missing-allow-origin", r.CauseSource, rep)
			}
		case "DELETE":
			// The preflight is sent, the DELETE itself is not (no --send-actual).
			if r.CauseSource != "live" || rep != "preflight-missing-allow-origin" {
				t.Errorf("DELETE: cause %s reported %s, want live preflight-missing-allow-origin", r.CauseSource, rep)
			}
		}
	}
	// Two identical GETs are probed once (plus one OPTIONS for the DELETE);
	// the probe's error-path requests may add a few.
	if n := hits.Load(); n < 2 || n > 6 {
		t.Errorf("server saw %d requests", n)
	}
	_ = bytes.MinRead
}

// roundTripReport is what `check -o json` and `har -o json` must agree on.
type roundTripReport struct {
	Verdict        string
	Reported       string // the code the browser reports, "" when allowed
	BrowserMessage string
	Codes          map[string]string // every finding: code → message
}

// roundTripFinding is what both reports' JSON findings hold.
type roundTripFinding struct {
	Code           string `json:"code"`
	Message        string `json:"message"`
	BrowserMessage string `json:"browser_message"`
	Reported       bool   `json:"reported"`
}

func newRoundTripReport(verdict string, findings []roundTripFinding) roundTripReport {
	r := roundTripReport{Verdict: verdict, Codes: map[string]string{}}
	for _, f := range findings {
		r.Codes[f.Code] = f.Message
		if f.Reported {
			r.Reported, r.BrowserMessage = f.Code, f.BrowserMessage
		}
	}
	return r
}

// TestCheckHAROutRoundTrip: `har` on the file `check --har-out` wrote
// reaches the check's verdict, reports the same finding with the same
// console message, and turns the error-path probes into the same warning
// instead of requests of their own.
func TestCheckHAROutRoundTrip(t *testing.T) {
	// api.test redirects to another origin, which allows the page's origin
	// by name: after a cross-origin redirect the request's origin is
	// "null", so the browser blocks it.
	redirectTaint := func(w http.ResponseWriter, r *http.Request) {
		if r.Host == "api.test" && r.URL.Path == "/start" {
			w.Header().Set("Access-Control-Allow-Origin", testOrigin)
			http.Redirect(w, r, "https://cdn.test/data", http.StatusFound)
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", testOrigin)
		io.WriteString(w, "{}")
	}
	tests := []struct {
		name        string
		handler     http.HandlerFunc
		args        []string
		verdict     string
		credentials bool // the HAR must show the request was credentialed
		errorPath   bool // check gives the error-responses-lack-cors warning
	}{
		// No answer allows the origin: error-responses-lack-cors is noise
		// there, in check and har alike.
		{"API Gateway 403 preflight", apiGatewayNoOptions, []string{"https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/items", "-X", "PUT", "-H", "Content-Type: application/json"}, "blocked", false, false},
		{"wildcard with a cookie", goodCORS, []string{"https://api.test/items", "-b", "session=0123456789abcdef"}, "blocked", true, false},
		{"wildcard with --credentials", goodCORS, []string{"https://api.test/items", "--credentials"}, "blocked", true, false},
		{"allowed GET", goodCORS, []string{"https://api.test/items"}, "allowed", false, false},
		{"redirect taint", redirectTaint, []string{"https://api.test/start"}, "blocked", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "probe.har")
			args := append([]string{"--origin", testOrigin, "-o", "json", "--har-out", path}, tt.args...)
			code, out, stderr := execCheck(t, scenarioServer(t, tt.handler), args...)
			if code != ExitAllowed && code != ExitBlocked {
				t.Fatalf("check exit %d: %s", code, stderr)
			}
			var chk struct {
				Verdict  string             `json:"verdict"`
				Findings []roundTripFinding `json:"findings"`
			}
			if err := json.Unmarshal([]byte(out), &chk); err != nil {
				t.Fatalf("check output: %v\n%s", err, out)
			}
			want := newRoundTripReport(chk.Verdict, chk.Findings)
			t.Logf("check: %s, reports %q", want.Verdict, want.Reported)
			if want.Verdict != tt.verdict {
				t.Fatalf("check says %s, the scenario expects %s:\n%s", want.Verdict, tt.verdict, out)
			}
			_, hasErrorPath := want.Codes["error-responses-lack-cors"]
			if hasErrorPath != tt.errorPath {
				t.Fatalf("check error-path warning %v, want %v:\n%s", hasErrorPath, tt.errorPath, out)
			}

			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if tt.credentials && !strings.Contains(string(raw), `"_corsdiagCredentials": true`) {
				t.Errorf("the HAR does not mark the credentialed request:\n%s", raw)
			}
			if strings.Contains(string(raw), "0123456789abcdef") {
				t.Error("the HAR holds the cookie value")
			}

			hout, herr, hcode := runHarArgs(t, "", "har", "-o", "json", path)
			if hcode != code {
				t.Errorf("har exit %d, check exit %d (%s)", hcode, code, herr)
			}
			var har struct {
				Summary struct {
					Requests        int `json:"requests"`
					ErrorPathProbes int `json:"error_path_probes"`
				} `json:"summary"`
				Requests []struct {
					Verdict  string             `json:"verdict"`
					Findings []roundTripFinding `json:"findings"`
				} `json:"requests"`
			}
			if err := json.Unmarshal([]byte(hout), &har); err != nil {
				t.Fatalf("har output: %v\n%s", err, hout)
			}
			if len(har.Requests) != 1 {
				t.Fatalf("har reports %d requests, want the one check made:\n%s", len(har.Requests), hout)
			}
			got := newRoundTripReport(har.Requests[0].Verdict, har.Requests[0].Findings)
			if got.Verdict != want.Verdict || got.Reported != want.Reported || got.BrowserMessage != want.BrowserMessage {
				t.Errorf("har: %s %q %q\ncheck: %s %q %q", got.Verdict, got.Reported, got.BrowserMessage, want.Verdict, want.Reported, want.BrowserMessage)
			}
			if got.Reported != "" && got.Codes[got.Reported] != want.Codes[want.Reported] {
				t.Errorf("reported finding's cause:\n har %q\ncheck %q", got.Codes[got.Reported], want.Codes[want.Reported])
			}
			if tt.errorPath {
				if got.Codes["error-responses-lack-cors"] != want.Codes["error-responses-lack-cors"] {
					t.Errorf("error-path warning: har %q, check %q", got.Codes["error-responses-lack-cors"], want.Codes["error-responses-lack-cors"])
				}
				if har.Summary.ErrorPathProbes == 0 {
					t.Error("summary counts no error-path probes")
				}
			}
		})
	}
}

// TestHarTableFitsTerminal: on a terminal the table is fitted to its width
// (TestHarTableWidths says how); elsewhere (and on a
// terminal of unknown width) it is the golden one.
func TestHarTableFitsTerminal(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("testdata", "har_session_all.txt.golden"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		terminal bool
		width    int
		// fitTo is the width every line must fit; 0: piped, the golden.
		fitTo int
	}{
		{"not a terminal", false, 100, 0},
		{"terminal of unknown width", true, 0, 80},
		{"narrow", true, 60, 60},
		{"80 columns", true, 80, 80},
		{"wide", true, 200, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, out, _ := fakeIO(map[string]string{"NO_COLOR": "1"})
			io.OutIsTerminal, io.Width = tt.terminal, tt.width
			root := NewRoot(io)
			root.SetArgs([]string{"har", "--all", "testdata/har_session.har"})
			if code := exitCode(io, root.Execute()); code != ExitBlocked {
				t.Fatalf("exit %d", code)
			}
			if tt.fitTo == 0 {
				if out.String() != string(golden) {
					t.Fatalf("output differs from the golden:\n%s", out)
				}
				return
			}
			for _, l := range overWidth(out.String(), tt.fitTo) {
				t.Errorf("wider than %d: %q", tt.fitTo, l)
			}
			// The problems still have every console message whole.
			if !strings.Contains(out.String(), "No 'Access-Control-Allow-Origin' header is present on the requested resource.") {
				t.Errorf("the full console message is gone:\n%s", out)
			}
		})
	}
}

// An entry with more headers than corsdiag reads (harfile.MaxHeaders) is
// said under the summary: a header past the cap did not count.
func TestHarSaysHeadersWereCut(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"GET","url":"https://api.test/a","headers":[`)
	for i := 0; i < harfile.MaxHeaders; i++ {
		fmt.Fprintf(&b, `{"name":"X-H%d","value":"v"},`, i)
	}
	b.WriteString(`{"name":"Origin","value":"https://app.test"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":0,"headers":[],"content":{"size":0}},"_error":"net::ERR_FAILED"}]}}`)
	file := t.TempDir() + "/many.har"
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, _ := runHarArgs(t, "", "har", file)
	if want := "1 entry has a request or response with more than 50000 headers"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s%s", want, out, stderr)
	}
	out, _, _ = runHarArgs(t, "", "har", "-o", "json", file)
	if !strings.Contains(out, `"headers_cut": 1`) {
		t.Errorf("JSON lacks headers_cut 1:\n%.600s", out)
	}
}

// --url and --origin keep some requests: the summary still counts the
// whole file, so the text says how many of its blocked requests the
// filter shows, and that none match when none do (exit 0, as documented:
// nothing blocked among the requests the filters keep).
func TestHarFilterSaysWhatItShows(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--url", "nomatch-xyz"}, ExitAllowed, "None of the 3 blocked requests matches --url nomatch-xyz."},
		{[]string{"--url", "pay.example"}, ExitBlocked, "Shown: the 1 of the 3 blocked requests that matches --url pay.example."},
		{[]string{"--url", "orders", "--origin", "app.example"}, ExitBlocked, "Shown: the 2 of the 3 blocked requests that match --url orders and --origin app.example."},
		{[]string{"--origin", "https://app.example.test"}, ExitBlocked, ""},
	} {
		out, stderr, code := runHarArgs(t, "", append([]string{"har", "testdata/har_session.har"}, tt.args...)...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d: %s", tt.args, code, tt.code, stderr)
		}
		if tt.want == "" {
			if strings.Contains(out, "Shown:") || strings.Contains(out, "None of the") {
				t.Errorf("%v: a filter that keeps every blocked request is not worth a line:\n%s", tt.args, out)
			}
			continue
		}
		if !strings.Contains(out, tt.want) {
			t.Errorf("%v: output lacks %q:\n%s", tt.args, tt.want, out)
		}
	}
}

// A file that is not HAR but another paste corsdiag reads is sent to the
// command that reads it; HAR Viewer's JSONP form says what to remove. har
// sanitize and har --partial say the same.
func TestHarNamesTheDoorForOtherPastes(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ name, text, want string }{
		{"curl.txt", "curl 'https://api.test/items' \\\n  -H 'origin: https://app.test'\n", "a copied request, not a HAR file: run corsdiag check --from-file "},
		{"win.txt", "curl.exe ^\"https://api.test/items^\" ^\n  -X PUT", "a copied request, not a HAR file: run corsdiag check --from-file "},
		{"fetch.js", "fetch(\"https://api.test/items\", {\"method\": \"GET\"});", "a copied request, not a HAR file: run corsdiag check --from-file "},
		{"console.txt", "(index):1 Access to fetch at 'https://api.test/items' from origin 'https://app.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.", "console text, not a HAR file: run corsdiag explain - < "},
		{"cut.txt", "Access to fetch at 'https://api.test/items' from origin 'https://app.test' has been blocked by CORS policy: Response to prefl", "console text, not a HAR file: run corsdiag explain - < "},
		{"viewer.har", "onInputData({\n  \"log\": {\"entries\": []}\n});", "a HAR wrapped in a JavaScript call (HAR Viewer's JSONP form): remove onInputData( before the JSON object and ); after it"},
		{"other.txt", "hello", ""},
	} {
		file := filepath.Join(dir, tt.name)
		if err := os.WriteFile(file, []byte(tt.text), 0o644); err != nil {
			t.Fatal(err)
		}
		// sanitize reads the same files and says the same, and so does
		// --partial, whose report of nothing is no help either.
		for _, args := range [][]string{{"har", file}, {"har", "sanitize", file, "-o", "-"}, {"har", "--partial", file}} {
			_, stderr, code := runHarArgs(t, "", args...)
			if code != ExitUsage || !strings.Contains(stderr, "is not a readable HAR file") && !strings.Contains(stderr, "partial report: byte offset 0") {
				t.Errorf("%s %v: exit %d, stderr %q", tt.name, args, code, stderr)
			}
			if tt.want == "" {
				if strings.Contains(stderr, "not a HAR file:") || strings.Contains(stderr, "JSONP") {
					t.Errorf("%s %v: a hint for text that is none of them: %q", tt.name, args, stderr)
				}
				continue
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("%s %v: stderr %q lacks %q", tt.name, args, stderr, tt.want)
			}
		}
	}
}

// TestHarReplaySaysWhereItSends: before the first request to a server
// goes out, --replay names it on standard error, once per server; a
// redirect to a server no request replayed so far names is said as such.
func TestHarReplaySaysWhereItSends(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK) // no Access-Control-Allow-Origin: blocked
	}))
	t.Cleanup(other.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			http.Redirect(w, r, other.URL+"/landed", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(api.Close)
	entry := func(u string) string {
		return `{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"GET","url":"` + u + `","headers":[{"name":"Origin","value":"http://localhost:5173"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":0,"headers":[],"_error":"net::ERR_FAILED"}}`
	}
	// An allowed request: the file names its server, the replay sends
	// nothing for it.
	allowed := `{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"GET","url":"` + other.URL + `/ok","headers":[{"name":"Origin","value":"http://localhost:5173"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":200,"headers":[{"name":"Access-Control-Allow-Origin","value":"*"}]}}`
	tests := []struct {
		name    string
		urls    []string
		more    string   // an entry added as it is
		want    []string // lines of standard error, in any order
		notWant []string
	}{
		{"one server, two requests", []string{api.URL + "/a", api.URL + "/b"}, "",
			[]string{"corsdiag: --replay: sending to " + api.URL}, []string{other.URL}},
		{"a redirect to a server the file does not name", []string{api.URL + "/moved"}, "",
			[]string{"corsdiag: --replay: sending to " + api.URL, "corsdiag: --replay: following a redirect to " + other.URL + ", a server no request replayed so far names"}, nil},
		// The file is read as a stream: what it names later, or in
		// requests not replayed, is not known when the redirect comes.
		{"a redirect to a server another request names", []string{api.URL + "/moved"}, allowed,
			[]string{"corsdiag: --replay: following a redirect to " + other.URL + ", a server no request replayed so far names"}, []string{"no request of the file names"}},
		{"nothing to replay", nil, "", nil, []string{"--replay:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var entries []string
			for _, u := range tt.urls {
				entries = append(entries, entry(u))
			}
			if tt.more != "" {
				entries = append(entries, tt.more)
			}
			path := filepath.Join(t.TempDir(), "where.har")
			if err := os.WriteFile(path, []byte(`{"log":{"entries":[`+strings.Join(entries, ",")+`]}}`), 0o644); err != nil {
				t.Fatal(err)
			}
			_, errOut, _ := runHarArgs(t, "", "har", "--replay", "-o", "json", path)
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			for _, w := range tt.want {
				n := 0
				for _, l := range lines {
					if l == w {
						n++
					}
				}
				if n != 1 {
					t.Errorf("standard error has %q %d times, want once:\n%s", w, n, errOut)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(errOut, w) {
					t.Errorf("standard error holds %q:\n%s", w, errOut)
				}
			}
		})
	}
}

// TestHarURLWithCredentials: a failed fetch() entry whose URL has a user
// name or password is url-contains-credentials (fetch() threw: nothing was
// sent, so --replay sends nothing either); an XMLHttpRequest entry is
// judged as any other (XHR sends such a URL), and so is an entry of a file
// that does not say which API made it (Firefox's, Safari's): fetch() would
// have sent nothing to record. No report shows the password.
func TestHarURLWithCredentials(t *testing.T) {
	const secret = "HarPw4Secret66"
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(200)
	}))
	defer srv.Close()
	userURL := strings.Replace(srv.URL, "http://", "http://alice:"+secret+"@", 1) + "/items"
	entry := func(rtype string) string {
		return `{"startedDateTime":"2024-01-01T00:00:00Z","_resourceType":"` + rtype + `","request":{"method":"GET","url":"` + userURL + `","headers":[{"name":"Origin","value":"http://127.0.0.1:1"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":0,"headers":[],"_error":"net::ERR_FAILED"}}`
	}
	// Firefox exports no resource type and no failure marker: the
	// response's headers decide.
	firefox := func(acao string) string {
		h := ""
		if acao != "" {
			h = `{"name":"Access-Control-Allow-Origin","value":"` + acao + `"}`
		}
		return `{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"GET","url":"` + userURL + `","headers":[{"name":"Origin","value":"http://127.0.0.1:1"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":200,"headers":[` + h + `]}}`
	}
	const firefoxCreator = `"creator":{"name":"Firefox","version":"153.8.0"},`
	tests := []struct {
		name     string
		rtype    string
		entry    string // the entry, when not built from rtype
		creator  string
		args     []string
		want     int
		reported string
		sent     bool
	}{
		{name: "fetch", rtype: "fetch", reported: "url-contains-credentials"},
		{name: "fetch, replayed", rtype: "fetch", args: []string{"--replay"}, reported: "url-contains-credentials"},
		{name: "XHR", rtype: "xhr", reported: "cause-not-in-file"},
		{name: "XHR, replayed", rtype: "xhr", args: []string{"--replay"}, reported: "missing-allow-origin", sent: true},
		{name: "Firefox, allowed", entry: firefox("*"), creator: firefoxCreator, want: ExitAllowed},
		{name: "Firefox, blocked", entry: firefox(""), creator: firefoxCreator, reported: "missing-allow-origin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits.Store(0)
			e := tt.entry
			if e == "" {
				e = entry(tt.rtype)
			}
			if tt.reported != "" {
				tt.want = ExitBlocked
			}
			path := filepath.Join(t.TempDir(), "creds.har")
			if err := os.WriteFile(path, []byte(`{"log":{`+tt.creator+`"entries":[`+e+`]}}`), 0o644); err != nil {
				t.Fatal(err)
			}
			args := append(append([]string{"har"}, tt.args...), "-o", "json", path)
			out, errOut, code := runHarArgs(t, "", args...)
			if code != tt.want {
				t.Fatalf("exit %d, want %d: %s", code, tt.want, errOut)
			}
			var doc struct {
				Requests []struct {
					Findings []struct {
						Code     string `json:"code"`
						Reported bool   `json:"reported"`
					} `json:"findings"`
				} `json:"requests"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Requests) != 1 {
				t.Fatalf("requests = %d", len(doc.Requests))
			}
			rep := ""
			for _, f := range doc.Requests[0].Findings {
				if f.Reported {
					rep = f.Code
				}
			}
			if rep != tt.reported {
				t.Errorf("reported %q, want %q", rep, tt.reported)
			}
			if sent := hits.Load() > 0; sent != tt.sent {
				t.Errorf("the server saw %d requests, want any: %v", hits.Load(), tt.sent)
			}
			assertNoSecret(t, "har report", out+errOut, secret)
			text, errText, _ := runHarArgs(t, "", append(append([]string{"har"}, tt.args...), path)...)
			assertNoSecret(t, "har text report", text+errText, secret)
		})
	}
}

// TestHarJudgedAsAnotherBrowser: a file judged as Firefox or Safari (by
// --browser, or by what the file names) says so everywhere: the command
// that reproduces a request judges it as that browser too, and the HTML
// page names that browser's console and prints its lines, not Chrome's.
func TestHarJudgedAsAnotherBrowser(t *testing.T) {
	for _, tt := range []struct {
		browser, display string
		lines            []string // console lines the HTML page prints, in part
	}{
		{"chromium", "Chrome", []string{"has been blocked by CORS policy: No 'Access-Control-Allow-Origin'"}},
		{"firefox", "Firefox", []string{"(Reason: CORS header ‘Access-Control-Allow-Origin’ missing)"}},
		{"safari", "Safari", []string{"is not allowed by Access-Control-Allow-Origin.", "Fetch API cannot load https://api.example.test/orders?page=1 due to access control checks."}},
	} {
		t.Run(tt.browser, func(t *testing.T) {
			flag := ""
			if tt.browser != "chromium" {
				flag = " --browser " + tt.browser
			}
			for _, format := range []string{"text", "json"} {
				out, errOut, _ := runHarArgs(t, "", "har", "-o", format, "--browser", tt.browser, "testdata/har_session.har")
				m := regexp.MustCompile(`corsdiag check [^"\n]*`).FindString(out)
				if m == "" {
					t.Fatalf("%s: no reproduce command (stderr %s):\n%s", format, errOut, out)
				}
				if strings.Contains(m, "--browser") != (flag != "") || !strings.HasSuffix(m, flag) {
					t.Errorf("%s: reproduce command %q; want it to end in %q", format, m, flag)
				}
				if format == "text" {
					if _, err := checkAccepts(t, m); err != nil {
						t.Errorf("check refuses %s: %v", m, err)
					}
				}
			}
			page, _, _ := runHarArgs(t, "", "har", "-o", "html", "--browser", tt.browser, "testdata/har_session.har")
			page = html.UnescapeString(page)
			if !strings.Contains(page, tt.display+"'s console says") {
				t.Errorf("the HTML page does not name %s's console", tt.display)
			}
			if tt.display != "Chrome" && strings.Contains(page, "Chrome's console says") {
				t.Errorf("the HTML page names Chrome's console for a file judged as %s", tt.display)
			}
			for _, l := range tt.lines {
				if !strings.Contains(page, l) {
					t.Errorf("the HTML page lacks %s's line %q", tt.display, l)
				}
			}
		})
	}
}

// TestHarUTF16SaysHowToSave: a HAR that Windows PowerShell's > saved as
// UTF-16 fails at its first byte; the error says what the file is and how
// to save it as the UTF-8 a HAR is, not only which byte it found.
func TestHarUTF16SaysHowToSave(t *testing.T) {
	// Larger than what the hint reads of a file (maxPaste).
	good, err := os.ReadFile("../../testdata/har/firefox-conformance.har")
	if err != nil {
		t.Fatal(err)
	}
	units := utf16.Encode([]rune(string(good)))
	b := []byte{0xff, 0xfe}
	for _, u := range units {
		b = append(b, byte(u), byte(u>>8))
	}
	name := filepath.Join(t.TempDir(), "session.har")
	if err := os.WriteFile(name, b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runHarArgs(t, "", "har", name)
	if code != ExitUsage || !strings.Contains(errOut, "UTF-16") || !strings.Contains(errOut, "UTF-8") {
		t.Errorf("exit %d, stderr %q; want %d and a word on UTF-16 and UTF-8", code, errOut, ExitUsage)
	}
}
