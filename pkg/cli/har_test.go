package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runHarArgs(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	io, out, errOut := fakeIO(nil)
	if stdin != "" {
		io.In = strings.NewReader(stdin)
	}
	root := NewRoot(io)
	root.SetArgs(args)
	code := exitCodeOf(io, root.Execute())
	return out.String(), errOut.String(), code
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
		{"har_session_filtered.txt", []string{"har", "--url", "*/config.json", "--all", "testdata/har_session.har"}, ExitAllowed},
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
	for _, format := range []string{"text", "json"} {
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
	}{
		{"not HAR", "onInputData({});", []string{"har", "-"}, ExitUsage, "byte offset 0 (line 1)"},
		{"cut off", cut, []string{"har", "-"}, ExitUsage, "add --partial"},
		{"cut off, partial", cut, []string{"har", "--partial", "-"}, ExitUsage, "partial report"},
		{"missing file", "", []string{"har", "testdata/nope.har"}, ExitUsage, "cannot read"},
		{"bad format", "", []string{"har", "-o", "xml", "testdata/har_session.har"}, ExitUsage, "-o must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runHarArgs(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("exit %d stderr %q; want %d and %q", code, errOut, tt.code, tt.stderr)
			}
			if tt.name == "cut off, partial" && !strings.Contains(out, "Partial report") {
				t.Errorf("no partial report: %s", out)
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
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
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
	if hits < 2 || hits > 6 {
		t.Errorf("server saw %d requests", hits)
	}
	_ = bytes.MinRead
}
