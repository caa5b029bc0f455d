package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// check against a loopback server judges Chromium's Local Network Access:
// the page's space comes from --page-address-space or the origin.
func TestCheckLocalNetworkAccess(t *testing.T) {
	api := realServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		io.WriteString(w, "[]")
	})
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     string // a finding code, or "" for none of the two
		stderr   string
	}{
		{"https page on a name asks permission", []string{"--origin", "https://app.example"}, ExitAllowed, "local-network-access-permission", ""},
		{"strict turns the warning into exit 1", []string{"--origin", "https://app.example", "--strict"}, ExitBlocked, "local-network-access-permission", ""},
		{"http page on a name is blocked", []string{"--origin", "http://app.example"}, ExitBlocked, "local-network-access-insecure", ""},
		{"a page on localhost is not gated", []string{"--origin", "http://localhost:3000"}, ExitAllowed, "", ""},
		{"the flag says the page is local", []string{"--origin", "http://intranet.example", "--page-address-space", "local"}, ExitAllowed, "", ""},
		// http://localhost is a secure context, so a prompt, not a block.
		{"the flag says a localhost page is public", []string{"--origin", "http://localhost:3000", "--page-address-space", "PUBLIC"}, ExitAllowed, "local-network-access-permission", ""},
		{"a bad value is a usage error", []string{"--origin", "https://app.example", "--page-address-space", "private"}, ExitUsage, "", `"private" is not public, local or loopback`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"check", api + "/items", "-o", "json", "--no-error-probe"}, tc.args...)
			code, out, errOut := runMain(nil, false, args...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.wantCode, errOut)
			}
			if tc.stderr != "" {
				if !strings.Contains(errOut, tc.stderr) {
					t.Errorf("stderr %q lacks %q", errOut, tc.stderr)
				}
				return
			}
			var doc struct {
				Findings []struct {
					Code     string `json:"code"`
					Reported bool   `json:"reported"`
				} `json:"findings"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("JSON: %v\n%s", err, out)
			}
			var got []string
			for _, f := range doc.Findings {
				if strings.HasPrefix(f.Code, "local-network-access-") {
					got = append(got, f.Code)
				}
			}
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("got %v, want no Local Network Access finding", got)
			case tc.want != "" && (len(got) != 1 || got[0] != tc.want):
				t.Errorf("got %v, want [%s]", got, tc.want)
			}
			if tc.want == "local-network-access-insecure" && !doc.Findings[0].Reported {
				t.Errorf("the blocking finding is not the reported one: %+v", doc.Findings)
			}
		})
	}
}

// A request Local Network Access blocks leaves nothing: the note under the
// exchanges says so, not that a preflight failed (there was none).
func TestCheckLocalNetworkAccessNote(t *testing.T) {
	api := realServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		io.WriteString(w, "[]")
	})
	tests := []struct {
		name, want, not string
		args            []string
	}{
		{"blocked before sending", "The browser would send nothing (Local Network Access blocks the request before it leaves)", "the preflight fails",
			[]string{"--origin", "http://app.example"}},
		{"a failed preflight still says so", "The browser would not send the actual request (the preflight fails)", "Local Network Access blocks",
			[]string{"--origin", "http://localhost:3000", "-H", "X-Trace: 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"check", api + "/items", "--no-error-probe", "--no-color"}, tc.args...)
			_, out, errOut := runMain(nil, false, args...)
			flat := strings.Join(strings.Fields(out), " ")
			if !strings.Contains(flat, tc.want) || strings.Contains(flat, tc.not) {
				t.Errorf("output lacks %q or holds %q:\n%s%s", tc.want, tc.not, out, errOut)
			}
		})
	}
}
