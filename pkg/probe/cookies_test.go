package probe

import (
	"net/http"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// sessionAPI allows the page's origin with credentials, but answers a
// request without the session cookie 401 without CORS headers, as an
// authorizer in front of the API does.
func sessionAPI(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie("session"); err != nil {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
	w.Header().Set("Access-Control-Allow-Credentials", "true")
	w.Header().Set("Vary", "Origin")
	w.Write([]byte("{}"))
}

func TestCrossSiteCookies(t *testing.T) {
	for _, tc := range []struct {
		name     string
		profile  *cors.Profile
		origin   string
		cookie   string
		verdict  cors.Verdict
		severity cors.Severity // "" for no finding
		console  string
	}{
		{"chrome sends them: a warning naming the others", cors.Chromium, pageOrigin, "session=1", cors.Allowed, cors.SeverityWarning, ""},
		{"safari blocks them", cors.Safari, pageOrigin, "session=1", cors.Blocked, cors.SeverityError, "Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 401"},
		{"firefox partitions them", cors.Firefox, pageOrigin, "session=1", cors.Blocked, cors.SeverityError, "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 401."},
		{"no cookie: nothing to lose", cors.Safari, pageOrigin, "", cors.Blocked, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := tlsServer(t, sessionAPI)
			origin := tc.origin
			res := run(t, Options{
				Request:    cors.Request{Method: "GET", URL: srv.URL + "/me", Origin: origin, Credentials: true},
				Cookie:     tc.cookie,
				ErrorProbe: true,
				Profile:    tc.profile,
				Insecure:   true,
			})
			d := tc.profile.Evaluate(res.Exchange)
			res.AddBrowserFindings(tc.profile, d)
			if d.Verdict != tc.verdict {
				t.Errorf("verdict %s, want %s; findings %v", d.Verdict, tc.verdict, d.Findings)
			}
			var f *cors.Finding
			for i := range d.Findings {
				if d.Findings[i].Code == CodeCrossSiteCookies {
					f = &d.Findings[i]
				}
			}
			switch {
			case tc.severity == "" && f != nil:
				t.Fatalf("unexpected finding: %s", f.Message)
			case tc.severity == "":
				return
			case f == nil:
				t.Fatalf("no %s finding; findings %v", CodeCrossSiteCookies, d.Findings)
			}
			if f.Severity != tc.severity || (tc.severity == cors.SeverityError) != f.Reported {
				t.Errorf("severity %s reported %v", f.Severity, f.Reported)
			}
			if !strings.Contains(f.Message, "401") {
				t.Errorf("message does not give the status without cookies: %s", f.Message)
			}
			if tc.console != "" {
				lines := tc.profile.Lines(f)
				if len(lines) == 0 || !strings.Contains(lines[0], tc.console) {
					t.Errorf("console lines %q, want %q", lines, tc.console)
				}
			}
		})
	}
}

// A page on the API's own site sends first-party cookies: no finding.
func TestSameSiteCookies(t *testing.T) {
	srv, _ := server(t, sessionAPI)
	origin := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) // another origin, same scheme
	ex := &cors.Exchange{Request: cors.Request{Method: "GET", URL: srv.URL + "/me", Origin: origin, Credentials: true}}
	paths := []ErrorPath{{Purpose: PurposeWithoutCredentials, Hop: cors.Hop{Response: &cors.Message{Status: 401}}}}
	if _, ok := CrossSiteCookiesFinding(cors.Safari, ex, paths); !ok {
		t.Fatal("127.0.0.1 and localhost are different sites: want the finding")
	}
	ex.Request.Origin = "http://127.0.0.1:1"
	if f, ok := CrossSiteCookiesFinding(cors.Safari, ex, paths); ok {
		t.Errorf("same site, yet: %s", f.Message)
	}
}
