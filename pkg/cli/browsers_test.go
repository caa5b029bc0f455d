package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func init() {
	type gc = struct {
		name    string
		handler http.HandlerFunc
		args    []string
		want    int
	}
	// A gateway that answers the actual request without CORS headers.
	noACAO := func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"message":"Forbidden"}`)
	}
	// Allows the page's origin and Content-Type only: a DPR header passes
	// in Chromium (safelisted, no preflight) and fails the others'
	// preflight.
	dpr := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", testOrigin)
		w.Header().Set("Vary", "Origin")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		io.WriteString(w, "[]")
	}
	goldenCases = append(goldenCases,
		gc{name: "firefox-missing-allow-origin", handler: noACAO, args: []string{"https://api.test/items", "--origin", testOrigin, "--browser", "firefox"}, want: ExitBlocked},
		gc{name: "safari-missing-allow-origin", handler: noACAO, args: []string{"https://api.test/items", "--origin", testOrigin, "--browser", "webkit"}, want: ExitBlocked},
		gc{name: "all-dpr", handler: dpr, args: []string{"https://api.test/items", "--origin", testOrigin, "-H", "DPR: 2", "--browser", "all"}, want: ExitBlocked},
	)
}

func TestParseBrowsers(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		bad      bool
	}{
		{in: "chromium", want: "chromium"},
		{in: "all", want: "chromium,firefox,safari"},
		{in: "ALL", want: "chromium,firefox,safari"},
		{in: "webkit", want: "safari"},
		{in: "safari, firefox", want: "safari,firefox"},
		{in: "firefox,firefox", want: "firefox"},
		{in: "lynx", bad: true},
		{in: "", bad: true},
		{in: "firefox,", bad: true},
	} {
		ps, err := parseBrowsers("--browser", tc.in)
		if (err != nil) != tc.bad {
			t.Errorf("%q: err %v", tc.in, err)
			continue
		}
		var names []string
		for _, p := range ps {
			names = append(names, p.Name)
		}
		if got := strings.Join(names, ","); !tc.bad && got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
	}
}

// With several browsers the probe runs once per distinct request plan: a
// DPR header is one plan in Chromium (no preflight) and another in Firefox
// and Safari (a preflight), so two probes, not three.
func TestCheckAllProbesOncePerPlan(t *testing.T) {
	var preflights, actuals int
	tr := scenarioServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", testOrigin)
		if r.Method == http.MethodOptions {
			preflights++
			w.Header().Set("Access-Control-Allow-Headers", "DPR")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if !strings.Contains(r.URL.Path, "corsdiag-probe") {
			actuals++
		}
	})
	code, out, errOut := execCheck(t, tr, "https://api.test/items", "--origin", testOrigin, "-H", "DPR: 2", "--browser", "all", "--no-error-probe")
	if code != ExitAllowed {
		t.Fatalf("exit %d; %s%s", code, out, errOut)
	}
	if preflights != 1 || actuals != 2 {
		t.Errorf("preflights %d, actual requests %d; want 1 and 2", preflights, actuals)
	}
	if !strings.Contains(out, "Chrome, Firefox and Safari agree: allowed.") {
		t.Errorf("output does not say the browsers agree:\n%s", out)
	}
}

// ci --browser replaces the config's browsers: a DPR header passes in
// Chromium and fails Firefox's and Safari's preflight, and the text names
// the browser of each failure. The API answers https: Safari blocks an
// https page's call to http://127.0.0.1 as mixed content.
func TestCIBrowserFlag(t *testing.T) {
	secure := httptest.NewTLSServer(corsServer(t).Config.Handler)
	t.Cleanup(secure.Close)
	good := secure.URL
	path := writeConfig(t, `defaults: {origin: "https://app.example.com", browsers: [firefox]}
checks:
  - name: hinted
    url: `+good+`/items
    headers: {DPR: "2"}
`)
	for _, tc := range []struct {
		flag     string
		want     int
		has, not []string
	}{
		{"", ExitBlocked, []string{"from https://app.example.com in Firefox", "Cross-Origin Request Blocked"}, []string{"in Safari"}},
		{"chromium", ExitAllowed, nil, []string{"in Firefox"}},
		{"all", ExitBlocked, []string{"in Firefox", "in Safari", "Request header field dpr is not allowed by Access-Control-Allow-Headers."}, nil},
	} {
		t.Run(tc.flag, func(t *testing.T) {
			args := []string{"ci", "-f", path, "--retries", "0", "--insecure"}
			if tc.flag != "" {
				args = append(args, "--browser", tc.flag)
			}
			io, out, errOut := fakeIO(nil)
			if code := Main(args, io); code != tc.want {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.want, out, errOut)
			}
			for _, s := range tc.has {
				if !strings.Contains(out.String(), s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(out.String(), s) {
					t.Errorf("output has %q:\n%s", s, out)
				}
			}
		})
	}
}

// firefoxExport is a Firefox DevTools export of a request blocked on its
// response: status 200, the real headers, no failure marker.
const firefoxExport = `{"log":{"version":"1.2","creator":{"name":"Firefox","version":"140.0"},"browser":{"name":"Firefox","version":"140.0"},"pages":[{"id":"page_1","title":"App"}],"entries":[
{"pageref":"page_1","startedDateTime":"2026-01-01T10:00:00.000Z","time":5,"request":{"method":"GET","url":"https://api.example.com/items","httpVersion":"HTTP/1.1","headers":[{"name":"Origin","value":"https://app.example.com"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[{"name":"Content-Type","value":"application/json"}],"content":{"size":2,"mimeType":"application/json"}},"timings":{"send":1,"wait":1,"receive":1}}]}}`

func TestHarBrowser(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		has  []string
	}{
		{"detected", nil, ExitBlocked, []string{"Judged as Firefox (the file's creator)", "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200."}},
		{"flag", []string{"--browser", "webkit"}, ExitBlocked, []string{"Judged as Safari (--browser)", "Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 200"}},
		{"all", []string{"--browser", "all"}, ExitBlocked, []string{"Browsers agree on every request: Chrome 1 blocked, Firefox 1 blocked, Safari 1 blocked.", "Judged as Firefox (the file's creator)"}},
		{"all, json", []string{"--browser", "all", "-o", "json"}, ExitBlocked, []string{`"browsers": [`, `"name": "safari"`}},
		{"unknown", []string{"--browser", "lynx"}, ExitUsage, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runHarArgs(t, firefoxExport, append([]string{"har", "-"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, errOut)
			}
			for _, h := range tc.has {
				if !strings.Contains(out, h) {
					t.Errorf("output lacks %q:\n%s", h, out)
				}
			}
		})
	}
}

// A cross-site API that needs its session cookie works in Chrome and fails
// in Safari and Firefox, which send the request without it.
func TestCheckAllCrossSiteCookies(t *testing.T) {
	tr := scenarioServer(t, func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("session"); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Vary", "Origin")
		io.WriteString(w, "{}")
	})
	code, out, errOut := execCheck(t, tr, "https://api.test/me", "--origin", testOrigin, "-b", "session=abc", "--browser", "all")
	if code != ExitBlocked {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"Browsers differ: blocked in Firefox and Safari only; allowed in Chrome.",
		"✗ Safari   blocked  cross-site-cookies-blocked",
		"Origin https://app.example is not allowed by Access-Control-Allow-Origin. Status code: 401",
		"Reported: cross-site-cookies-blocked",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "session=abc") {
		t.Error("the cookie is printed")
	}
}
