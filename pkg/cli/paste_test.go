package cli

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode/utf16"
)

// preflightRecorder allows the page's PUT with Content-Type, not
// X-Request-Id, and records the preflights it gets.
type preflightRecorder struct {
	mu   sync.Mutex
	acrh []string
}

func (p *preflightRecorder) handler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", testOrigin)
	w.Header().Set("Vary", "Origin")
	if r.Method == http.MethodOptions {
		p.mu.Lock()
		p.acrh = append(p.acrh, r.Method+" "+r.Header.Get("Access-Control-Request-Method")+" "+r.Header.Get("Access-Control-Request-Headers"))
		p.mu.Unlock()
		w.Header().Set("Access-Control-Allow-Methods", "GET, PUT")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
		w.WriteHeader(http.StatusNoContent)
	}
}

// A pasted preflight is checked as the request it guarded: the header the
// preflight does not allow is reported, not an OPTIONS request.
func TestCheckPastedPreflight(t *testing.T) {
	rec := &preflightRecorder{}
	tr := scenarioServer(t, rec.handler)
	copied := `curl 'https://api.test/items/7' -X 'OPTIONS' -H 'accept: */*' -H 'access-control-request-headers: content-type,x-request-id' -H 'access-control-request-method: PUT' -H 'origin: ` + testOrigin + `' -H 'sec-fetch-mode: cors' -H 'sec-fetch-site: cross-site'`
	code, out, errOut := execCheck(t, tr, "--no-error-probe", "--", copied)
	if code != ExitBlocked {
		t.Fatalf("exit %d, want %d: %s%s", code, ExitBlocked, out, errOut)
	}
	for _, want := range []string{"PUT https://api.test/items/7 from origin " + testOrigin, "Reported: header-not-allowed (preflight)", "Request header field x-request-id is not allowed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "OPTIONS preflight: checking the PUT request it guarded") {
		t.Errorf("no note saying the preflight was turned back: %q", errOut)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.acrh) != 1 || rec.acrh[0] != "OPTIONS PUT content-type,x-request-id" {
		t.Errorf("preflights sent %q, want the copied one", rec.acrh)
	}
}

// "Copy as fetch", "Copy as fetch (Node.js)" and "Copy as PowerShell" are
// checked like a pasted curl command: as an argument after -- or from a
// file (--from-file, - for stdin).
func TestCheckPastedFetchAndPowerShell(t *testing.T) {
	rec := &preflightRecorder{}
	tr := scenarioServer(t, rec.handler)
	fetchCopy := `fetch("https://api.test/items/7", {
  "headers": {
    "accept": "*/*",
    "content-type": "application/json",
    "x-request-id": "r-1"
  },
  "referrer": "` + testOrigin + `/",
  "body": "{\"a\":1}",
  "method": "PUT",
  "mode": "cors",
  "credentials": "omit"
});`
	psCopy := "Invoke-WebRequest -UseBasicParsing -Uri \"https://api.test/items/7\" `\n-Method \"PUT\" `\n-Headers @{\n\"origin\"=\"" + testOrigin + "\"\n  \"x-request-id\"=\"r-1\"\n} `\n-ContentType \"application/json\" `\n-Body \"{`\"a`\":1}\""
	dir := t.TempDir()
	psFile := dir + "/copy.ps1"
	if err := os.WriteFile(psFile, []byte(psCopy), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		stdin string
	}{
		{"fetch after --", []string{"--", fetchCopy}, ""},
		{"PowerShell after --", []string{"--", psCopy}, ""},
		{"PowerShell from a file", []string{"--from-file", psFile}, ""},
		{"fetch from stdin", []string{"--from-file", "-"}, fetchCopy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := execCheckIn(t, tr, tt.stdin, append([]string{"--no-error-probe"}, tt.args...)...)
			if code != ExitBlocked {
				t.Fatalf("exit %d, want %d: %s%s", code, ExitBlocked, out, errOut)
			}
			for _, want := range []string{"PUT https://api.test/items/7 from origin " + testOrigin, "Reported: header-not-allowed (preflight)"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"a broken fetch", []string{"--", `fetch("https://api.test/", {"method": })`}, "fetch call, byte 38: not a literal"},
		{"a broken PowerShell", []string{"--", `Invoke-WebRequest -Uri "https://api.test/`}, "PowerShell command, byte 23: the string is not closed"},
		{"a file of something else", []string{"--from-file", psFile + ".missing"}, "--from-file"},
		{"--from-file with a URL", []string{"--from-file", psFile, "https://api.test/"}, "pass no URL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := execCheckIn(t, tr, "", tt.args...)
			if code != ExitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, ExitUsage, tt.want)
			}
		})
	}
}

// Firefox's "Copy as cURL (Windows)" starts with curl.exe (devtools/client/
// shared/curl.js: CMD = "curl.exe " on WINNT); it is a curl command like
// Chrome's "(cmd)" copy, after -- or from a file.
func TestCheckPastedCurlExe(t *testing.T) {
	rec := &preflightRecorder{}
	tr := scenarioServer(t, rec.handler)
	copied := "curl.exe ^\"https://api.test/items/7^\" ^\n  -X PUT ^\n  -H ^\"User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0^\" ^\n  -H ^\"Accept: */*^\" ^\n  -H ^\"Content-Type: application/json^\" ^\n  -H ^\"X-Request-Id: r-1^\" ^\n  -H ^\"Origin: " + testOrigin + "^\" ^\n  --data-raw ^\"^{^\\^\"a^\\^\":1^}^\""
	file := t.TempDir() + "/copied.txt"
	if err := os.WriteFile(file, []byte(copied), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"after --", []string{"--", copied}},
		{"from a file", []string{"--from-file", file}},
		{"split by the shell", []string{"--", "curl.exe", "https://api.test/items/7", "-X", "PUT", "-H", "X-Request-Id: r-1", "-H", "Origin: " + testOrigin}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := execCheck(t, tr, append([]string{"--no-error-probe"}, tt.args...)...)
			if code != ExitBlocked {
				t.Fatalf("exit %d, want %d: %s%s", code, ExitBlocked, out, errOut)
			}
			for _, want := range []string{"PUT https://api.test/items/7 from origin " + testOrigin, "Reported: header-not-allowed (preflight)"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// A copy saved by Windows PowerShell 5.1 (Get-Clipboard > copied.txt) is
// UTF-16 with a byte-order mark; --from-file reads it as the text it is.
func TestCheckPastedUTF16File(t *testing.T) {
	rec := &preflightRecorder{}
	tr := scenarioServer(t, rec.handler)
	copied := "curl ^\"https://api.test/items/7^\" ^\r\n  -X ^\"PUT^\" ^\r\n  -H ^\"x-request-id: r-\u00e9^\" ^\r\n  -H ^\"origin: " + testOrigin + "^\"\r\n"
	dir := t.TempDir()
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"UTF-16LE", utf16Bytes(copied, false)},
		{"UTF-16BE", utf16Bytes(copied, true)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			file := dir + "/" + tt.name + ".txt"
			if err := os.WriteFile(file, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := execCheck(t, tr, "--no-error-probe", "--from-file", file)
			if code != ExitBlocked || !strings.Contains(out, "Reported: header-not-allowed (preflight)") {
				t.Fatalf("exit %d, want %d and header-not-allowed: %s%s", code, ExitBlocked, out, errOut)
			}
		})
	}
	// Half a UTF-16 character is named, not guessed at.
	file := dir + "/odd.txt"
	if err := os.WriteFile(file, utf16Bytes(copied, false)[:9], 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := execCheck(t, tr, "--from-file", file); code != ExitUsage || !strings.Contains(errOut, "UTF-16") {
		t.Errorf("exit %d, stderr %q; want %d and a word on UTF-16", code, errOut, ExitUsage)
	}
}

// utf16Bytes is s in UTF-16 with a byte-order mark.
func utf16Bytes(s string, bigEndian bool) []byte {
	var out []byte
	put := func(u uint16) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	put(0xfeff)
	for _, u := range utf16.Encode([]rune(s)) {
		put(u)
	}
	return out
}

// A paste holding a NUL byte or bytes that are not UTF-8 exits 2 naming
// the byte, and sends nothing (the NUL used to be dropped: /a\x00b went out
// as /ab).
func TestCheckPastedDamagedBytes(t *testing.T) {
	tr, sent := countingScenario(t)
	for _, tt := range []struct{ paste, want string }{
		{"curl 'https://api.test/a\x00b' -H 'origin: " + testOrigin + "'", "curl command, byte 24: a NUL byte"},
		{"curl ^\"https://api.test/\xff^\" -H ^\"origin: " + testOrigin + "^\"", "curl command, byte 24: byte 0xff is not UTF-8"},
		{"fetch(\"https://api.test/a\x00b\", {\"referrer\": \"" + testOrigin + "/\"});", "fetch call, byte 25: a NUL byte"},
		// A header value net/http cannot send: no "network-error" verdict.
		{`fetch("https://api.test/a", {"headers": {"x-a": "a\u001bb"}, "referrer": "` + testOrigin + `/"});`, "fetch call, byte 48: the value of x-a holds a control character (0x1b)"},
		{`Invoke-WebRequest -Uri "https://api.test/a" -Headers @{"Origin"="` + testOrigin + `"; "x-a"="a$([char]27)b"}`, "the value of x-a holds a control character (0x1b)"},
	} {
		code, _, errOut := execCheck(t, tr, "--", tt.paste)
		if code != ExitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tt.paste, code, errOut, ExitUsage, tt.want)
		}
	}
	if n := sent(); n != 0 {
		t.Errorf("%d requests sent for damaged pastes", n)
	}
}

// countingScenario is a scenario server that answers 200 and counts the
// requests it saw.
func countingScenario(t *testing.T) (http.RoundTripper, func() int) {
	var mu sync.Mutex
	n := 0
	tr := scenarioServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		mu.Unlock()
	})
	return tr, func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
}

// A copy carries the User-Agent of the browser it came from: a Firefox or
// Safari copy is judged with that browser's rules and console words (as
// har judges a file by its User-Agent), and says so on stderr; --browser
// still decides when given.
func TestCheckPastedJudgedAsItsBrowser(t *testing.T) {
	rec := &preflightRecorder{}
	tr := scenarioServer(t, rec.handler)
	const (
		ffUA     = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
		safariUA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"
		chromeUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
	)
	curl := func(ua string) string {
		return "curl 'https://api.test/items/7' -X PUT -H 'User-Agent: " + ua + "' -H 'X-Request-Id: r-1' -H 'Origin: " + testOrigin + "'"
	}
	firefoxFetch := `await fetch("https://api.test/items/7", {
    "credentials": "omit",
    "headers": {
        "User-Agent": "` + ffUA + `",
        "X-Request-Id": "r-1"
    },
    "referrer": "` + testOrigin + `/",
    "method": "PUT",
    "mode": "cors"
});`
	// Firefox writes the User-Agent as -UserAgent, Chrome in $session.
	firefoxPowerShell := "Invoke-WebRequest -UseBasicParsing -Uri \"https://api.test/items/7\" `\n" +
		"-Method \"PUT\" `\n-UserAgent \"" + ffUA + "\" `\n" +
		"-Headers @{\n\"X-Request-Id\" = \"r-1\"\n  \"Origin\" = \"" + testOrigin + "\"\n}"
	safariPowerShell := "$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession\n" +
		"$session.UserAgent = \"" + safariUA + "\"\n" +
		"Invoke-WebRequest -UseBasicParsing -Uri \"https://api.test/items/7\" `\n" +
		"-Method \"PUT\" `\n-WebSession $session `\n" +
		"-Headers @{\n\"X-Request-Id\"=\"r-1\"\n  \"Origin\"=\"" + testOrigin + "\"\n}"
	for _, tt := range []struct {
		name    string
		args    []string
		console string // whose console words the report quotes
		note    string // what stderr says ("" for nothing)
	}{
		{"Firefox curl", []string{"--", curl(ffUA)}, "Firefox's console says", "judged as Firefox"},
		{"Firefox fetch", []string{"--", firefoxFetch}, "Firefox's console says", "judged as Firefox"},
		{"Firefox PowerShell", []string{"--", firefoxPowerShell}, "Firefox's console says", "judged as Firefox"},
		{"$session.UserAgent", []string{"--", safariPowerShell}, "Safari's console says", "judged as Safari"},
		{"Safari curl", []string{"--", curl(safariUA)}, "Safari's console says", "judged as Safari"},
		{"Edge curl", []string{"--", curl(chromeUA)}, "Chrome's console says", ""},
		{"no User-Agent", []string{"--", "curl 'https://api.test/items/7' -X PUT -H 'X-Request-Id: r-1' -H 'Origin: " + testOrigin + "'"}, "Chrome's console says", ""},
		{"--browser wins", []string{"--browser", "chromium", "--", curl(ffUA)}, "Chrome's console says", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := execCheck(t, tr, append([]string{"--no-error-probe"}, tt.args...)...)
			if code != ExitBlocked {
				t.Fatalf("exit %d, want %d: %s%s", code, ExitBlocked, out, errOut)
			}
			if !strings.Contains(out, tt.console) || !strings.Contains(out, "Reported: header-not-allowed (preflight)") {
				t.Errorf("output lacks %q and header-not-allowed:\n%s", tt.console, out)
			}
			if got := strings.Contains(errOut, "judged as"); got != (tt.note != "") || !strings.Contains(errOut, tt.note) {
				t.Errorf("stderr %q, want a note %q", errOut, tt.note)
			}
		})
	}
}

// A copy without the page's origin (Chrome leaves Origin out of a fetch
// copy and gives the page as referrer, which a no-referrer policy removes)
// is answered with the paste's usage, not the URL form's; a no-cors call
// is refused, since the browser makes no CORS check on it.
func TestCheckPastedWithoutOriginOrCORS(t *testing.T) {
	tr := scenarioServer(t, func(w http.ResponseWriter, r *http.Request) {})
	for _, tt := range []struct{ paste, want string }{
		{`fetch("https://api.test/items", {"headers": {"accept": "*/*"}, "body": null, "method": "GET", "mode": "cors", "credentials": "omit"});`,
			"the copy names no page origin (no Origin header, no referrer that has one)"},
		{`fetch("https://api.test/items", {"headers": {"accept": "*/*"}, "body": null, "method": "GET", "mode": "cors", "credentials": "omit"});`,
			"Usage: corsdiag check --origin https://your-page.example -- <the copy>"},
		{`fetch("https://api.test/items", {"referrer": "` + testOrigin + `/", "mode": "no-cors"});`,
			`mode "no-cors": the browser makes no CORS check`},
	} {
		code, _, errOut := execCheck(t, tr, "--no-error-probe", "--", tt.paste)
		if code != ExitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, ExitUsage, tt.want)
		}
	}
}

// --from-file on a file that holds another thing corsdiag reads names the
// command that reads it.
func TestCheckFromFileNamesTheDoor(t *testing.T) {
	tr := scenarioServer(t, func(w http.ResponseWriter, r *http.Request) {})
	dir := t.TempDir()
	for _, tt := range []struct{ name, text, want string }{
		{"console.txt", "Access to fetch at 'https://api.test/items' from origin 'https://app.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.", "it holds console text: run corsdiag explain - < "},
		{"session.har", "\ufeff{\"log\": {\"version\": \"1.2\", \"entries\": []}}", "it holds a HAR file: run corsdiag har "},
		{"other.txt", "hello", "want a \"Copy as cURL\""},
		// More than one request's lines is not read line by line.
		{"log.txt", strings.Repeat("Access to fetch at 'https://api.test/items' from origin 'https://app.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.\n", 400), "want a \"Copy as cURL\""},
	} {
		file := dir + "/" + tt.name
		if err := os.WriteFile(file, []byte(tt.text), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := execCheck(t, tr, "--from-file", file)
		if code != ExitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tt.name, code, errOut, ExitUsage, tt.want)
		}
	}
}

// A console line or a HAR file given to check in place of a URL is sent to
// the command that reads it.
func TestCheckArgumentNamesTheDoor(t *testing.T) {
	tr := scenarioServer(t, func(w http.ResponseWriter, r *http.Request) {})
	har := t.TempDir() + "/session.har"
	if err := os.WriteFile(har, []byte(`{"log": {"entries": []}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	line := "Access to fetch at 'https://api.test/items' from origin 'https://app.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--", line}, "this is a browser's console text, not a URL: corsdiag explain reads it"},
		{[]string{line, "--origin", "https://app.test"}, "this is a browser's console text, not a URL"},
		{[]string{har, "--origin", "https://app.test"}, "is a HAR file, not a URL: run corsdiag har " + har},
	} {
		code, _, errOut := execCheck(t, tr, tt.args...)
		if code != ExitUsage || !strings.Contains(errOut, tt.want) || strings.Contains(errOut, "No 'Access-Control") {
			t.Errorf("%.40q: exit %d, stderr %q; want %d and %q, without the text echoed", tt.args, code, errOut, ExitUsage, tt.want)
		}
	}
}

// Chrome's "Copy as cURL (cmd)" pasted into a POSIX shell (Git Bash, WSL)
// loses its ^"…^" quotes to the shell: the words keep the carets, and the
// origin header is named "^origin". Said as such, with what to do.
func TestCheckCmdCopyInPOSIXShell(t *testing.T) {
	tr := scenarioServer(t, func(w http.ResponseWriter, r *http.Request) {})
	// What bash hands over for: curl ^"https://api.test/x^" -H ^"origin: …^"
	args := []string{"--", "curl", "^https://api.test/x^", "-H", "^origin: " + testOrigin + "^"}
	code, _, errOut := execCheck(t, tr, args...)
	if code != ExitUsage || !strings.Contains(errOut, `"Copy as cURL (cmd)"`) || !strings.Contains(errOut, "--from-file") {
		t.Errorf("exit %d, stderr %q; want %d and a word on the cmd copy", code, errOut, ExitUsage)
	}
}

// Two different Origin headers (in a paste, or in -H) name no one page: a
// browser sends one. corsdiag used to take the first without a word.
func TestCheckTwoOrigins(t *testing.T) {
	tr, sent := countingScenario(t)
	for _, args := range [][]string{
		{"--", "curl https://api.test/items -H 'origin: https://a.example' -H 'Origin: https://b.example'"},
		{"https://api.test/items", "-H", "Origin: https://a.example", "-H", "Origin: https://b.example"},
	} {
		code, _, errOut := execCheck(t, tr, append([]string{"--no-error-probe"}, args...)...)
		if code != ExitUsage || !strings.Contains(errOut, "two Origin headers") || !strings.Contains(errOut, "--origin") {
			t.Errorf("%q: exit %d, stderr %q; want %d and two Origin headers", args, code, errOut, ExitUsage)
		}
	}
	// The same origin twice, or --origin choosing, is fine.
	for _, args := range [][]string{
		{"--", "curl https://api.test/items -H 'origin: https://a.example' -H 'Origin: https://a.example'"},
		{"--origin", "https://a.example", "--", "curl https://api.test/items -H 'origin: https://a.example' -H 'Origin: https://b.example'"},
	} {
		if code, _, errOut := execCheck(t, tr, append([]string{"--no-error-probe"}, args...)...); code == ExitUsage {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
	}
	if n := sent(); n != 2 {
		t.Errorf("%d requests sent, want 2 (the two checks that name one origin)", n)
	}
}

// A pasted command's @file is not read (curlcmd reads no files, and a
// paste from someone else may name any file): that part of the body goes
// out empty, and stderr says so. It used to say "corsdiag does not read
// files", read the file anyway and send it as the whole body.
func TestCheckPastedBodyFileNotRead(t *testing.T) {
	file := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(file, []byte("file-content-7f3a"), 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var bodies []string
	tr := scenarioServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		w.Header().Set("Access-Control-Allow-Origin", "*")
	})
	for _, data := range []string{"-d @" + file, "--data-binary @" + file, "--json @" + file, "-T " + file} {
		paste := "curl https://api.test/items -H 'origin: " + testOrigin + "' -d a=1 " + data
		code, out, errOut := execCheck(t, tr, "--send-actual", "--no-error-probe", "--no-compare", "--", paste)
		if code == ExitUsage || !strings.Contains(errOut, "sent empty") {
			t.Errorf("%s: exit %d, stderr %q; want a warning that the file's part is sent empty\n%s", data, code, errOut, out)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, b := range bodies {
		if strings.Contains(b, "file-content") {
			t.Errorf("a body sent holds the file: %q", b)
		}
	}
}

// A pasted fetch() call's redirect mode is the browser's: 'manual' and
// 'error' never follow the redirect (the target is not requested), after
// the redirect passed the CORS check; 'manual' is then allowed with an
// opaque redirect, 'error' blocked.
func TestCheckPastedFetchRedirectMode(t *testing.T) {
	for _, tt := range []struct {
		mode   string
		exit   int
		target bool
		want   string
	}{
		{"follow", ExitAllowed, true, "Allowed"},
		{"manual", ExitAllowed, false, "opaque-redirect"},
		{"error", ExitBlocked, false, "Reported: redirect-mode-error (actual)"},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			var sawTarget atomic.Bool
			tr := scenarioServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				if r.URL.Path == "/items" {
					http.Redirect(w, r, "/items/", http.StatusMovedPermanently)
					return
				}
				sawTarget.Store(true)
			})
			paste := `fetch("https://api.test/items", {"referrer": "` + testOrigin + `/", "mode": "cors", "redirect": "` + tt.mode + `"});`
			code, out, errOut := execCheck(t, tr, "--no-error-probe", "--no-compare", "--", paste)
			if code != tt.exit || !strings.Contains(out, tt.want) || sawTarget.Load() != tt.target {
				t.Errorf("exit %d, target requested %v; want %d, %v and %q:\n%s%s", code, sawTarget.Load(), tt.exit, tt.target, tt.want, out, errOut)
			}
		})
	}
}

// Only fetch() has a redirect mode: XMLHttpRequest and what an element
// loads follow every redirect. A pasted call's redirect 'manual' or
// 'error' with another --initiator is refused, not judged as fetch()
// rejecting; 'follow' is every load's.
func TestCheckPastedRedirectModeOnlyFetch(t *testing.T) {
	for _, tt := range []struct {
		mode, initiator string
		exit            int
	}{
		{"error", "xhr", ExitUsage},
		{"manual", "video", ExitUsage},
		{"manual", "image", ExitUsage},
		{"follow", "xhr", ExitAllowed},
		{"error", "fetch", ExitBlocked},
	} {
		t.Run(tt.mode+"/"+tt.initiator, func(t *testing.T) {
			tr := scenarioServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				if r.URL.Path == "/items" {
					http.Redirect(w, r, "/items/", http.StatusMovedPermanently)
				}
			})
			paste := `fetch("https://api.test/items", {"referrer": "` + testOrigin + `/", "mode": "cors", "redirect": "` + tt.mode + `"});`
			code, out, errOut := execCheck(t, tr, "--no-error-probe", "--no-compare", "--initiator", tt.initiator, "--", paste)
			if code != tt.exit {
				t.Errorf("exit %d, want %d:\n%s%s", code, tt.exit, out, errOut)
			}
			if tt.exit == ExitUsage && !strings.Contains(errOut, "redirect: '"+tt.mode+"'") {
				t.Errorf("the refusal does not name the call's redirect mode:\n%s", errOut)
			}
		})
	}
}
