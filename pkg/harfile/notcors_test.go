package harfile

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestFailuresThatAreNotCORS: requests a browser stopped for reasons that
// are not CORS get the verdict failed with their reason, and count apart
// from the blocked ones; a CORS failure recorded the same way stays
// blocked.
func TestFailuresThatAreNotCORS(t *testing.T) {
	get := func(url, errText string, status int, respH [][2]string) string {
		return entryJSON("2024-01-01T00:00:00.100Z", "GET", url, "fetch", [][2]string{{"Origin", app}, {"Sec-Fetch-Mode", "cors"}}, status, respH, errText)
	}
	noCORS := func(url, dest, errText string) string {
		return entryJSON("2024-01-01T00:00:00.100Z", "GET", url, dest, [][2]string{{"Sec-Fetch-Mode", "no-cors"}, {"Sec-Fetch-Dest", dest}, {"Referer", app + "/"}}, 0, nil, errText)
	}
	tests := []struct {
		name        string
		entry       string
		wantVerdict cors.Verdict
		wantReason  string
	}{
		{"ad blocker", get("https://ads.test/pixel", "net::ERR_BLOCKED_BY_CLIENT", 0, nil), Failed, "blocked by an extension (ad or privacy blocker)"},
		{"TLS", get("https://api.test/items", "net::ERR_CERT_AUTHORITY_INVALID", 0, nil), Failed, "TLS"},
		{"DNS", get("https://nowhere.test/items", "net::ERR_NAME_NOT_RESOLVED", 0, nil), Failed, "DNS"},
		{"aborted", get("https://api.test/search", "net::ERR_ABORTED", 0, nil), Failed, "aborted (the page cancelled it or navigated away)"},
		{"mixed content", get("http://api.test/items", "", 0, nil), Failed, "mixed content"},
		// An image or script the browser never CORS-checked: Chrome's bare
		// net::ERR_FAILED on it is not a CORS failure, whatever it was.
		{"no-cors image, net::ERR_FAILED", noCORS("https://api.test/logo.png", "image", "net::ERR_FAILED"), Failed, notCORSChecked},
		{"no-cors script, net::ERR_FAILED", noCORS("https://api.test/app.js", "script", "net::ERR_FAILED"), Failed, notCORSChecked},
		{"no-cors image, no reason", noCORS("https://api.test/logo.png", "image", ""), Failed, notCORSChecked},
		{"no-cors image, DNS", noCORS("https://nowhere.test/logo.png", "image", "net::ERR_NAME_NOT_RESOLVED"), Failed, "DNS"},
		// A reason the file records but corsdiag does not name is not "no
		// recorded reason".
		{"no-cors image, too many redirects", noCORS("https://api.test/logo.png", "image", "net::ERR_TOO_MANY_REDIRECTS"), Failed, notCORSCheckedOther},
		{"CORS: no Access-Control-Allow-Origin", get("https://api.test/items", "net::ERR_FAILED", 0, [][2]string{{"Content-Type", "application/json"}}), cors.Blocked, ""},
		// Fetch §scheme fetch reads data: and blob: URLs without CORS: their
		// failure is never a CORS one, and no `corsdiag check` reproduces it.
		{"data: URL", get("data:text/plain,hello", "net::ERR_FAILED", 0, nil), Failed, dataURLFailure},
		{"blob: URL", get("blob:https://other.test/5f1c", "net::ERR_FAILED", 0, nil), Failed, blobURLFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, res := analyze(t, harOf(tt.entry))
			if len(res) != 1 {
				t.Fatalf("%d results, want 1", len(res))
			}
			if res[0].Verdict != tt.wantVerdict || res[0].FailReason != tt.wantReason {
				t.Fatalf("verdict %s (%q), want %s (%q); findings %v", res[0].Verdict, res[0].FailReason, tt.wantVerdict, tt.wantReason, res[0].Findings)
			}
			if scheme, _, _ := strings.Cut(res[0].URL, ":"); (scheme == "data" || scheme == "blob") && res[0].Reproduce != nil {
				t.Errorf("a %s: URL gets a reproduce command", scheme)
			}
			wantFailed, wantBlocked := 0, 1
			if tt.wantVerdict == Failed {
				wantFailed, wantBlocked = 1, 0
			}
			if sum.Failed != wantFailed || sum.Blocked != wantBlocked {
				t.Errorf("summary failed %d blocked %d, want %d and %d", sum.Failed, sum.Blocked, wantFailed, wantBlocked)
			}
		})
	}
}
