package consoletext

import (
	"slices"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestReadOlderFirefoxAndSafari: Firefox before its "…2" and "…3" reason
// keys, and Safari before it named the status, ended their lines without
// " Status code: N." (security.properties' CORSMissingAllowOrigin,
// CORSDidNotSucceed, CORSPreflightDidNotSucceed2; WebKit's
// passesAccessControlCheck), and Firefox worded two reasons otherwise
// (CORSPreflightDidNotSucceed's "preflight channel",
// CORSMissingAllowHeaderFromPreflight's "missing token"). Pasted from
// years of trackers and answers, each reads as the line today's release
// logs for the same failure, said to be an older wording.
func TestReadOlderFirefoxAndSafari(t *testing.T) {
	const ff = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/x. (Reason: "
	for _, tt := range []struct {
		name, old, today string
		code             cors.Code // "" : the code today's line reads as
	}{
		{"firefox, missing", ff + "CORS header ‘Access-Control-Allow-Origin’ missing).", ff + "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 404.", ""},
		{"firefox, did not succeed", ff + "CORS request did not succeed).", ff + "CORS request did not succeed). Status code: (null).", ""},
		{"firefox, missing then did not succeed",
			ff + "CORS header ‘Access-Control-Allow-Origin’ missing).\n" + ff + "CORS request did not succeed).",
			ff + "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 404.\n" + ff + "CORS request did not succeed). Status code: (null).", ""},
		{"firefox, preflight response", ff + "CORS preflight response did not succeed).", ff + "CORS preflight response did not succeed). Status code: 405.", ""},
		{"firefox, preflight channel", ff + "CORS preflight channel did not succeed).", ff + "CORS preflight response did not succeed). Status code: 405.", ""},
		{"firefox, missing token", ff + "missing token ‘authorization’ in CORS header ‘Access-Control-Allow-Headers’ from CORS preflight channel).",
			ff + "header ‘authorization’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).", cors.CodeHeaderNotAllowed},
		{"safari, origin not allowed", "Origin https://app.example.com is not allowed by Access-Control-Allow-Origin.",
			"Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 403", ""},
		{"safari, preflight", "Preflight response is not successful", "Preflight response is not successful. Status code: 403", ""},
		// Older WebKit put the cause after "… cannot load URL." (Safari up
		// to about 12, and Chrome while it was WebKit).
		{"safari, fetch cannot load, origin",
			"[Error] Fetch API cannot load https://api.example.com/x. Origin https://app.example.com is not allowed by Access-Control-Allow-Origin.",
			"Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 403\nFetch API cannot load https://api.example.com/x due to access control checks.", ""},
		{"safari, xhr cannot load, preflight",
			"XMLHttpRequest cannot load https://api.example.com/x. Preflight response is not successful",
			"Preflight response is not successful. Status code: 403\nXMLHttpRequest cannot load https://api.example.com/x due to access control checks.", ""},
		{"safari, xhr cannot load, header",
			"XMLHttpRequest cannot load https://api.example.com/x. Request header field X-Api-Key is not allowed by Access-Control-Allow-Headers.",
			"Request header field X-Api-Key is not allowed by Access-Control-Allow-Headers.\nXMLHttpRequest cannot load https://api.example.com/x due to access control checks.", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			today, err := Read(tt.today)
			if err != nil || today.Legacy != "" {
				t.Fatalf("today's line: %v, legacy %q:\n%s", err, today.Legacy, tt.today)
			}
			old, err := Read(tt.old)
			if err != nil {
				t.Fatalf("%v:\n%s", err, tt.old)
			}
			want := tt.code
			if want == "" {
				want = today.Code
			}
			if old.Browser != today.Browser || old.Code != want || old.URL != today.URL || old.Origin != today.Origin || old.Param != today.Param {
				t.Errorf("read %s %s url %q origin %q param %q; today's line reads %s %s url %q origin %q param %q",
					old.Browser, old.Code, old.URL, old.Origin, old.Param, today.Browser, want, today.URL, today.Origin, today.Param)
			}
			// Without a status an older line may tell of more (a 2xx
			// preflight, a redirected one): never of less.
			for _, c := range today.Candidates {
				if tt.code == "" && !slices.Contains(old.Candidates, c) {
					t.Errorf("candidates %v lack today's %s", old.Candidates, c)
				}
			}
			if old.Legacy == "" || old.Status != 0 {
				t.Errorf("legacy %q status %d: want an older wording and no status", old.Legacy, old.Status)
			}
		})
	}
}
