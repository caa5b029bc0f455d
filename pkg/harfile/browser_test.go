package harfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

const (
	ffUA     = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
	chromeUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
	safariUA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15"
	// Chrome DevTools' "iPhone 14 Pro Max" emulation sends Safari's.
	iPhoneSafariUA = "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1"
	criOSUA        = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1"
	fxiOSUA        = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/132.0 Mobile/15E148 Safari/605.1.15"
	namorokaUA     = "Mozilla/5.0 (Windows; U; Windows NT 6.0; en-US; rv:1.9.2b6pre) Gecko/20091230 Namoroka/3.6b6pre (.NET CLR 3.5.30729)"
)

func TestDetectRecorder(t *testing.T) {
	for _, tc := range []struct {
		name             string
		creator, browser Creator
		ua               string
		want             *cors.Profile
		source           string
		failures         bool
	}{
		{"firefox devtools", Creator{Name: "Firefox", Version: "140.0"}, Creator{Name: "Firefox"}, ffUA, cors.Firefox, BrowserFromCreator, false},
		{"safari web inspector", Creator{Name: "WebKit Web Inspector"}, Creator{}, safariUA, cors.Safari, BrowserFromCreator, false},
		{"chrome devtools", Creator{Name: "WebInspector", Version: "537.36"}, Creator{}, "", cors.Chromium, BrowserFromCreator, true},
		{"chrome devtools with UA", Creator{Name: "WebInspector"}, Creator{}, chromeUA, cors.Chromium, BrowserFromCreator, true},
		{"playwright webkit", Creator{Name: "Playwright"}, Creator{Name: "webkit"}, safariUA, cors.Safari, BrowserFromBrowser, true},
		{"playwright firefox", Creator{Name: "Playwright"}, Creator{Name: "firefox"}, "", cors.Firefox, BrowserFromBrowser, true},
		// A proxy records the wire: a response the browser then blocked
		// is there with its status and headers, unmarked.
		{"charles with firefox traffic", Creator{Name: "Charles Proxy"}, Creator{}, ffUA, cors.Firefox, BrowserFromUserAgent, false},
		{"mitmproxy with safari traffic", Creator{Name: "mitmproxy"}, Creator{}, safariUA, cors.Safari, BrowserFromUserAgent, false},
		{"fiddler with chrome traffic", Creator{Name: "Fiddler", Version: "5.0"}, Creator{}, chromeUA, cors.Chromium, BrowserFromUserAgent, false},
		{"zap", Creator{Name: "OWASP ZAP"}, Creator{}, "", cors.Chromium, BrowserDefault, false},
		{"nothing said", Creator{}, Creator{}, "curl/8.0", cors.Chromium, BrowserDefault, true},
		// Chrome's DevTools records Chromium's requests, whatever
		// User-Agent its device emulation or override sent.
		{"chrome devtools emulating an iphone", Creator{Name: "WebInspector"}, Creator{}, iPhoneSafariUA, cors.Chromium, BrowserFromCreator, true},
		{"chrome devtools sending firefox's UA", Creator{Name: "WebInspector"}, Creator{}, ffUA, cors.Chromium, BrowserFromCreator, true},
		// Firebug is Firefox's; its pre-releases' User-Agent names no Firefox.
		{"firebug", Creator{Name: "Firebug", Version: "1.5X.0b8"}, Creator{Name: "Firefox"}, namorokaUA, cors.Firefox, BrowserFromCreator, false},
		// Tools that drive a browser name it in log.browser, which
		// outranks an emulated User-Agent. Browsertime hands over
		// Firefox's own export (HAR Export Trigger): no failure marker.
		{"browsertime firefox", Creator{Name: "Browsertime"}, Creator{Name: "Firefox", Version: "43.0"}, ffUA, cors.Firefox, BrowserFromBrowser, false},
		{"browsertime chrome emulating an iphone", Creator{Name: "Browsertime"}, Creator{Name: "Chrome"}, iPhoneSafariUA, cors.Chromium, BrowserFromBrowser, true},
		{"webpagetest", Creator{Name: "WebPagetest", Version: "2.17"}, Creator{Name: "Google Chrome"}, chromeUA + " PTST/231", cors.Chromium, BrowserFromBrowser, true},
		// chrome-har builds a HAR from Chrome's protocol events; its
		// log.browser, when a caller adds one, may follow the entries.
		{"chrome-har", Creator{Name: "chrome-har"}, Creator{}, iPhoneSafariUA, cors.Chromium, BrowserFromCreator, true},
		{"browsermob proxy", Creator{Name: "BrowserMob Proxy"}, Creator{}, ffUA, cors.Firefox, BrowserFromUserAgent, false},
		{"playwright chromium emulating an iphone", Creator{Name: "Playwright"}, Creator{Name: "chromium"}, iPhoneSafariUA, cors.Chromium, BrowserFromBrowser, true},
		{"safari in log.browser", Creator{Name: "Some Recorder"}, Creator{Name: "Safari"}, "", cors.Safari, BrowserFromBrowser, true},
		// Every iOS browser is WebKit, as a proxy sees it.
		{"charles with chrome on ios", Creator{Name: "Charles Proxy"}, Creator{}, criOSUA, cors.Safari, BrowserFromUserAgent, false},
		{"proxyman with firefox on ios", Creator{Name: "Proxyman"}, Creator{}, fxiOSUA, cors.Safari, BrowserFromUserAgent, false},
		// A creator that only contains an engine's or a tool's name is
		// neither; the User-Agent then says.
		{"look-alike firefox", Creator{Name: "Firefox Relay Exporter"}, Creator{}, chromeUA, cors.Chromium, BrowserFromUserAgent, true},
		{"look-alike webkit", Creator{Name: "webkit2png"}, Creator{}, chromeUA, cors.Chromium, BrowserFromUserAgent, true},
		{"look-alike playwright", Creator{Name: "playwright-har-merger"}, Creator{}, safariUA, cors.Safari, BrowserFromUserAgent, true},
		// log.browser names the browser whichever tool wrote it.
		{"unknown tool naming webkit", Creator{Name: "playwright-har-merger"}, Creator{Name: "webkit"}, chromeUA, cors.Safari, BrowserFromBrowser, true},
		{"look-alike browser", Creator{}, Creator{Name: "Safari-like Bot"}, chromeUA, cors.Chromium, BrowserFromUserAgent, true},
		{"firefox with a version", Creator{Name: "Firefox 126.0"}, Creator{}, "", cors.Firefox, BrowserFromCreator, false},
		// Firefox's forks export as Firefox does, under their own
		// application name (application.ini's Name), with Firefox's UA.
		{"librewolf", Creator{Name: "LibreWolf", Version: "140.0"}, Creator{Name: "LibreWolf"}, ffUA, cors.Firefox, BrowserFromCreator, false},
		{"librewolf nightly's spelling", Creator{Name: "Librewolf"}, Creator{Name: "Librewolf"}, ffUA, cors.Firefox, BrowserFromCreator, false},
		{"waterfox", Creator{Name: "Waterfox"}, Creator{Name: "Waterfox"}, ffUA, cors.Firefox, BrowserFromCreator, false},
		{"floorp", Creator{Name: "Floorp"}, Creator{Name: "Floorp"}, ffUA, cors.Firefox, BrowserFromCreator, false},
		{"zen", Creator{Name: "Zen", Version: "1.14b"}, Creator{Name: "Zen"}, ffUA, cors.Firefox, BrowserFromCreator, false},
		{"mullvad browser", Creator{Name: "MullvadBrowser"}, Creator{Name: "MullvadBrowser"}, ffUA, cors.Firefox, BrowserFromCreator, false},
		{"tor browser", Creator{Name: "TorBrowser"}, Creator{Name: "TorBrowser"}, ffUA, cors.Firefox, BrowserFromCreator, false},
		{"look-alike zen", Creator{Name: "Zendesk HAR"}, Creator{}, chromeUA, cors.Chromium, BrowserFromUserAgent, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := detectRecorder(tc.creator, tc.browser, tc.ua)
			if r.Profile != tc.want || r.Source != tc.source || r.RecordsFailures != tc.failures {
				t.Errorf("got %s/%s/%v, want %s/%s/%v", r.Profile.Name, r.Source, r.RecordsFailures, tc.want.Name, tc.source, tc.failures)
			}
		})
	}
}

// TestCreatorsTable: every creators row, alone in a file, gives its
// engine and its failures; each engine has one DevTools row; and a tool
// that hands over the browser's own export marks failures as that
// browser's DevTools do (Chromium's only), whichever row order.
func TestCreatorsTable(t *testing.T) {
	devToolsRows := map[*cors.Profile]int{}
	for _, c := range creators {
		want := c.profile
		if want == nil {
			want = cors.Chromium // nothing else said: the default
		}
		r := detectRecorder(Creator{Name: c.name}, Creator{}, "")
		if r.Profile != want || r.RecordsFailures != c.failures {
			t.Errorf("%s: got %s/%v, want %s/%v",
				c.name, r.Profile.Name, r.RecordsFailures, want.Name, c.failures)
		}
		if c.devTools {
			if c.profile == nil {
				t.Errorf("%s: a DevTools row names no engine", c.name)
			}
			devToolsRows[c.profile]++
		}
	}
	marks := map[*cors.Profile]bool{cors.Chromium: true, cors.Firefox: false, cors.Safari: false}
	// Firefox ESR 153.8 writes an entry for a request it did not send
	// past a redirect; Chromium and WebKit write none.
	unsent := map[*cors.Profile]bool{cors.Chromium: false, cors.Firefox: true, cors.Safari: false}
	for _, p := range cors.AllProfiles {
		if devToolsRows[p] != 1 {
			t.Errorf("%s: %d DevTools rows, want 1", p.Name, devToolsRows[p])
		}
		if got, ok := marks[p]; !ok || marksFailures(p) != got {
			t.Errorf("marksFailures(%s) = %v, want %v (known: %v)", p.Name, marksFailures(p), got, ok)
		}
		if got, ok := unsent[p]; !ok || listsUnsentAfterRedirect(p) != got {
			t.Errorf("listsUnsentAfterRedirect(%s) = %v, want %v (known: %v)",
				p.Name, listsUnsentAfterRedirect(p), got, ok)
		}
	}
	for _, c := range creators {
		if c.exports == nil {
			continue
		}
		for _, l := range logBrowsers {
			r := detectRecorder(Creator{Name: c.name}, Creator{Name: l.name}, "")
			if r.Profile != l.profile || r.RecordsFailures != marks[l.profile] {
				t.Errorf("%s with log.browser %s: got %s/%v, want %s/%v", c.name, l.name,
					r.Profile.Name, r.RecordsFailures, l.profile.Name, marks[l.profile])
			}
		}
	}
}

// TestLeavesOutFailed: chrome-har writes no entry for a request that
// failed (Browsertime's Chrome HARs are chrome-har's), so a file of it
// holds no request the browser blocked; every other tool keeps them.
func TestLeavesOutFailed(t *testing.T) {
	for _, tc := range []struct {
		creator, browser string
		failures, leaves bool
	}{
		{"chrome-har", "", true, true},
		{"chrome-har", "Chrome", true, true},
		{"Browsertime", "Chrome", true, true},
		{"Browsertime", "Firefox", false, false},
		{"WebInspector", "", true, false},
		{"Playwright", "chromium", true, false},
		{"Firefox", "Firefox", false, false},
		{"Charles Proxy", "", false, false},
	} {
		r := detectRecorder(Creator{Name: tc.creator}, Creator{Name: tc.browser}, chromeUA)
		if r.RecordsFailures != tc.failures || r.LeavesOutFailed != tc.leaves {
			t.Errorf("%s/%s: failures %v, leaves out %v; want %v, %v",
				tc.creator, tc.browser, r.RecordsFailures, r.LeavesOutFailed, tc.failures, tc.leaves)
		}
	}
}

// TestListsUnsentAfterRedirect: whether the file's entry with no answer
// past a redirect can be a request the browser did not send is the
// engine's (Firefox's), whichever tool wrote the file.
func TestListsUnsentAfterRedirect(t *testing.T) {
	for _, tc := range []struct {
		creator, browser, ua string
		want                 bool
	}{
		{"Firefox", "Firefox", ffUA, true},
		{"LibreWolf", "LibreWolf", ffUA, true},
		{"Playwright", "firefox", "", true},
		{"Browsertime", "Firefox", ffUA, true},
		{"Charles Proxy", "", ffUA, true},
		{"WebInspector", "", chromeUA, false},
		{"Playwright", "chromium", "", false},
		{"WebKit Web Inspector", "", "", false},
		{"Charles Proxy", "", chromeUA, false},
	} {
		r := detectRecorder(Creator{Name: tc.creator}, Creator{Name: tc.browser}, tc.ua)
		if r.ListsUnsentAfterRedirect != tc.want {
			t.Errorf("%s/%s: lists unsent %v, want %v", tc.creator, tc.browser, r.ListsUnsentAfterRedirect, tc.want)
		}
	}
}

// devtoolsHAR is an export in the shape each DevTools writes: Firefox and
// Safari keep a request blocked on its response with its real status and
// headers; a request stopped by its preflight has status 0 and no headers,
// and its OPTIONS entry follows it.
func devtoolsHAR(creator, ua string) []byte {
	entry := func(method, url, reqHeaders string, status int, respHeaders string) string {
		return fmt.Sprintf(`{"pageref":"page_1","startedDateTime":"2026-01-01T10:00:00.000Z","time":5,"request":{"method":%q,"url":%q,"httpVersion":"HTTP/1.1","headers":[{"name":"User-Agent","value":%q},{"name":"Origin","value":"https://app.example.com"},{"name":"Sec-Fetch-Mode","value":"cors"}%s]},"response":{"status":%d,"statusText":"","httpVersion":"HTTP/1.1","headers":[%s],"content":{"size":0,"mimeType":"application/json"}},"timings":{"send":1,"wait":1,"receive":1}}`,
			method, url, ua, reqHeaders, status, respHeaders)
	}
	entries := []string{
		// 0: blocked on its response: no ACAO, real status.
		entry("GET", "https://api.example.com/missing", "", 403, `{"name":"Content-Type","value":"application/json"}`),
		// 1: allowed.
		entry("GET", "https://api.example.com/ok", "", 200, `{"name":"Access-Control-Allow-Origin","value":"https://app.example.com"},{"name":"Vary","value":"Origin"}`),
		// 2: stopped by its preflight: status 0, then the OPTIONS.
		entry("PUT", "https://api.example.com/items/1", `,{"name":"Content-Type","value":"application/json"}`, 0, ""),
		entry("OPTIONS", "https://api.example.com/items/1", `,{"name":"Access-Control-Request-Method","value":"PUT"},{"name":"Access-Control-Request-Headers","value":"content-type"}`, 200, `{"name":"Allow","value":"GET, PUT"}`),
		// 4: ACAO listing two origins on one line.
		entry("GET", "https://api.example.com/list", "", 200, `{"name":"Access-Control-Allow-Origin","value":"https://app.example.com, https://admin.example.com"}`),
	}
	return []byte(fmt.Sprintf(`{"log":{"version":"1.2","creator":{"name":%q,"version":"1"},"browser":{"name":%q,"version":"1"},"pages":[{"id":"page_1","title":"https://app.example.com/"}],"entries":[%s]}}`,
		creator, creator, strings.Join(entries, ",")))
}

func analyzeAll(t *testing.T, data []byte, opts AnalyzeOptions) (Summary, []*Result) {
	t.Helper()
	var out []*Result
	sum, _, err := Analyze(bytes.NewReader(data), opts, func(r *Result) error { out = append(out, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return sum, out
}

// A Firefox or Safari export has no failure marker for a request blocked
// on its response: the recorded headers decide, with that browser's rules
// and words. A Chromium export keeps its markers' verdict.
func TestHARFromAnyBrowser(t *testing.T) {
	type want struct {
		verdict cors.Verdict
		code    cors.Code
		console string // a piece of the reported finding's console line
	}
	for _, tc := range []struct {
		name, creator, ua string
		browser           string
		flag              *cors.Profile
		want              map[string]want
	}{
		{name: "firefox", creator: "Firefox", ua: ffUA, browser: "firefox", want: map[string]want{
			"/missing": {cors.Blocked, cors.CodeMissingAllowOrigin, "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403."},
			"/ok":      {cors.Allowed, "", ""},
			"/items/1": {cors.Blocked, cors.CodePreflightMissingAllowOrigin, "Cross-Origin Request Blocked"},
			"/list":    {cors.Blocked, cors.CodeMultipleAllowOrigin, "does not match ‘https://app.example.com, https://admin.example.com’"},
		}},
		{name: "safari", creator: "WebKit Web Inspector", ua: safariUA, browser: "safari", want: map[string]want{
			"/missing": {cors.Blocked, cors.CodeMissingAllowOrigin, "Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 403"},
			"/ok":      {cors.Allowed, "", ""},
			"/items/1": {cors.Blocked, cors.CodePreflightMissingAllowOrigin, "Origin https://app.example.com is not allowed"},
			"/list":    {cors.Blocked, cors.CodeMultipleAllowOrigin, "cannot contain more than one origin"},
		}},
		{name: "firefox file judged as chromium", creator: "Firefox", ua: ffUA, browser: "chromium", flag: cors.Chromium, want: map[string]want{
			"/missing": {cors.Blocked, cors.CodeMissingAllowOrigin, "Access to fetch at 'https://api.example.com/missing'"},
		}},
		{name: "chromium keeps its markers", creator: "WebInspector", ua: chromeUA, browser: "chromium", want: map[string]want{
			// No marker: Chromium let it through (the recording is not
			// the whole story), so no verdict from the headers.
			"/missing": {cors.Allowed, "", ""},
			"/items/1": {cors.Blocked, cors.CodePreflightMissingAllowOrigin, "Access to fetch at"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sum, results := analyzeAll(t, devtoolsHAR(tc.creator, tc.ua), AnalyzeOptions{Profile: tc.flag})
			if sum.Browser != tc.browser {
				t.Errorf("summary browser %q (%s), want %q", sum.Browser, sum.BrowserSource, tc.browser)
			}
			seen := map[string]bool{}
			for _, r := range results {
				path := strings.TrimPrefix(r.URL, "https://api.example.com")
				w, ok := tc.want[path]
				if !ok {
					continue
				}
				seen[path] = true
				rep := r.Reported()
				got := cors.Code("")
				if rep != nil {
					got = rep.Code
				}
				if r.Verdict != w.verdict || got != w.code {
					t.Errorf("%s: %s %s, want %s %s", path, r.Verdict, got, w.verdict, w.code)
					continue
				}
				if w.console != "" && !strings.Contains(rep.BrowserMessage, w.console) {
					t.Errorf("%s: console %q lacks %q", path, rep.BrowserMessage, w.console)
				}
			}
			for path := range tc.want {
				if !seen[path] {
					t.Errorf("%s: no result", path)
				}
			}
		})
	}
}

// Firefox's own exports in the corpus read, and are judged as Firefox.
func TestFirefoxCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir(t), "firefox", "*.har"))
	if len(files) == 0 {
		t.Skip("no Firefox files in the HAR corpus")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var results []*Result
			sum, _, err := Analyze(bytes.NewReader(data), AnalyzeOptions{}, func(r *Result) error { results = append(results, r); return nil })
			if err != nil {
				t.Fatal(err)
			}
			if sum.Browser != "firefox" || sum.BrowserSource != BrowserFromCreator {
				t.Errorf("judged as %s (%s), want firefox from the creator", sum.Browser, sum.BrowserSource)
			}
			for _, r := range results {
				if rep := r.Reported(); rep != nil && rep.BrowserMessage != "" && strings.HasPrefix(rep.BrowserMessage, "Access to ") {
					t.Errorf("entry %d: a Chromium console line in a Firefox file: %s", r.Index, rep.BrowserMessage)
				}
			}
		})
	}
}

// Firefox's and Safari's exports record no credentials mode, but a
// cross-origin request that carries a cookie (the Cookie header, or only
// the cookies array) was sent with credentials: 'include', so it is judged
// so; one without a cookie is judged without credentials and warned about,
// unless an earlier request from the same page to the same origin carried
// cookies (a credentialed one would have carried them too), or went to
// another origin.
func TestRecordedCookieMeansCredentials(t *testing.T) {
	entry := func(path, cookieHeader, cookies string) string {
		return fmt.Sprintf(`{"startedDateTime":"2026-01-01T10:00:00.000Z","time":5,"request":{"method":"GET","url":"https://api.example.com%s","httpVersion":"HTTP/1.1","headers":[{"name":"User-Agent","value":%q},{"name":"Origin","value":"https://app.example.com"},{"name":"Sec-Fetch-Mode","value":"cors"}%s],"cookies":[%s]},"response":{"status":200,"statusText":"","httpVersion":"HTTP/1.1","headers":[{"name":"Access-Control-Allow-Origin","value":"*"}],"content":{"size":0,"mimeType":"application/json"}},"timings":{"send":1,"wait":1,"receive":1}}`,
			path, ffUA, cookieHeader, cookies)
	}
	data := []byte(`{"log":{"version":"1.2","creator":{"name":"Firefox","version":"153.8.0"},"browser":{"name":"Firefox","version":"153.8.0"},"entries":[` + strings.Join([]string{
		entry("/none", "", ""),
		entry("/header", `,{"name":"Cookie","value":"sid=1"}`, `{"name":"sid","value":"1"}`),
		entry("/array", "", `{"name":"sid","value":"1"}`),
		entry("/none-after-cookies", "", ""),
		strings.Replace(entry("/other-origin", "", ""), "api.example.com", "api.example.com:8443", 1),
	}, ",") + `]}}`)
	want := map[string]struct {
		verdict cors.Verdict
		code    cors.Code
	}{
		"/header":             {cors.Blocked, cors.CodeWildcardCredentials},
		"/array":              {cors.Blocked, cors.CodeWildcardCredentials},
		"/none":               {cors.Allowed, CodeCredentialsNotRecorded},
		"/none-after-cookies": {cors.Allowed, ""},
		":8443/other-origin":  {cors.Allowed, CodeCredentialsNotRecorded},
	}
	_, results := analyzeAll(t, data, AnalyzeOptions{})
	if len(results) != len(want) {
		t.Fatalf("%d results, want %d", len(results), len(want))
	}
	for _, r := range results {
		path := strings.TrimPrefix(r.URL, "https://api.example.com")
		w := want[path]
		warned := hasCode(r.Findings, CodeCredentialsNotRecorded)
		if r.Verdict != w.verdict || (w.code != "" && !hasCode(r.Findings, w.code)) || warned != (w.code == CodeCredentialsNotRecorded) {
			t.Errorf("%s: %s with %v; want %s with %s", path, r.Verdict, r.Findings, w.verdict, w.code)
		}
	}
}

// A proxy's export of a request the browser blocked on its response holds
// the server's answer as it crossed the wire (a 200 without
// Access-Control-Allow-Origin), with no failure marker: the headers
// decide, as for Firefox's and Safari's exports.
func TestProxyHARJudgedByHeaders(t *testing.T) {
	for _, creator := range []string{"Charles Proxy", "mitmproxy", "Fiddler"} {
		entry := func(path, respHeaders string) string {
			return fmt.Sprintf(`{"startedDateTime":"2026-01-01T10:00:00.000Z","time":5,"request":{"method":"GET","url":"https://api.example.com%s","httpVersion":"HTTP/1.1","headers":[{"name":"User-Agent","value":%q},{"name":"Origin","value":"https://app.example.com"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[%s],"content":{"size":0,"mimeType":"application/json"}},"timings":{"send":1,"wait":1,"receive":1}}`,
				path, chromeUA, respHeaders)
		}
		har := fmt.Sprintf(`{"log":{"version":"1.2","creator":{"name":%q,"version":"1"},"entries":[%s,%s]}}`, creator,
			entry("/blocked", `{"name":"Content-Type","value":"application/json"}`),
			entry("/ok", `{"name":"Access-Control-Allow-Origin","value":"https://app.example.com"},{"name":"Vary","value":"Origin"}`))
		for _, opts := range []AnalyzeOptions{{}, {BriefAllowed: true, NoRequestHeaders: true}} {
			sum, results := analyzeAll(t, []byte(har), opts)
			verdicts := map[string]cors.Verdict{}
			for _, r := range results {
				verdicts[r.URL[strings.LastIndexByte(r.URL, '/'):]] = r.Verdict
			}
			if verdicts["/blocked"] != cors.Blocked || verdicts["/ok"] != cors.Allowed || sum.Blocked != 1 {
				t.Errorf("%s (brief %v): verdicts %v, %d blocked; want /blocked blocked, /ok allowed", creator, opts.BriefAllowed, verdicts, sum.Blocked)
			}
		}
	}
}

// TestProxyCreators: a proxy is known by the exact name it writes in
// log.creator.name, in any case, with or without a version after it; a
// name that merely starts with a proxy's letters is not one.
func TestProxyCreators(t *testing.T) {
	for _, tc := range []struct {
		creator string
		proxy   bool
	}{
		{"Charles Proxy", true}, {"charles proxy", true}, {"Charles Proxy 4.6.3", true},
		{"mitmproxy", true}, {"MITMPROXY", true}, {"mitmproxy/10.1.1", true}, {"mitmproxy har_dump", true},
		{"Fiddler", true}, {"Fiddler v5.0", true}, {" Fiddler ", true},
		{"ZAP", true}, {"OWASP ZAP", true}, {"ZAP 2.14.0", true}, {"ZAP-2.16.1", true},
		{"burp2har", true},
		{"Proxyman", true}, {"Proxyman (5.6.1)", true},
		{"HTTP Toolkit", true}, {"http toolkit", true},
		{"BrowserMob Proxy", true}, {"BrowserMob Proxy 2.1.4-legacy", true}, {"BrowserUp Proxy", true},
		// Look-alikes.
		{"Zapier Recorder", false}, {"zapier", false}, {"Zap recorder", false}, {"Burpee", false},
		{"Burpy", false}, {"Charlestown HAR", false}, {"mitmproxy-like", false}, {"Fiddlesticks", false},
		{"my fiddler", false}, {"Proxymaniac", false}, {"HTTP Toolkits", false},
		{"WebInspector", false}, {"Firefox", false}, {"Playwright", false}, {"", false},
	} {
		if got := isProxy(strings.ToLower(tc.creator)); got != tc.proxy {
			t.Errorf("isProxy(%q) = %v, want %v", tc.creator, got, tc.proxy)
		}
	}
	// And detectRecorder reads them so.
	r := detectRecorder(Creator{Name: "Zapier Recorder"}, Creator{}, chromeUA)
	if !r.RecordsFailures {
		t.Errorf("Zapier Recorder read as a proxy")
	}
}

// TestProxyCreatorsCorpus: every creator of the HAR corpus is read as
// what it is, a proxy or not (a creator the table below misses fails, so a
// new export is classified when it is added).
func TestProxyCreatorsCorpus(t *testing.T) {
	dir := corpusDir(t)
	want := map[string]bool{
		"Charles Proxy": true, "Fiddler": true, "ZAP": true, "Proxyman": true, "mitmproxy": true,
		"WebInspector": false, "WebKit Web Inspector": false, "Firefox": false, "Playwright": false,
		"Firebug": false, "Browsertime": false, "chrome-har": false, "Polly.JS": false,
		"WebPagetest": false, "Internet Explorer Network Inspector": false,
		"Insomnia REST Client": false,
		// An unknown tool: its name alone says nothing of how it records.
		"Alta Proxy": false,
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.har"))
	seen := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Log struct{ Creator struct{ Name string } }
		}
		if json.Unmarshal(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), &doc) != nil {
			continue // the corpus's broken files
		}
		name := doc.Log.Creator.Name
		proxy, ok := want[name]
		if !ok {
			t.Errorf("%s: creator %q: add it to this test's table", f, name)
			continue
		}
		seen++
		if got := isProxy(strings.ToLower(name)); got != proxy {
			t.Errorf("%s: isProxy(%q) = %v, want %v", f, name, got, proxy)
		}
	}
	if seen == 0 {
		t.Skip("no HAR files in the corpus")
	}
}

// FuzzIsProxy: a creator is a proxy's only as one of proxies' names,
// alone or followed by a separator and a version: never as a name that
// goes on with a letter.
func FuzzIsProxy(f *testing.F) {
	for _, s := range []string{"zap", "zapier", "burp2har", "charles proxy 4.6", "mitmproxy/10", "fiddler v5", "fiddler vx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !isProxy(s) {
			return
		}
		c := strings.TrimSpace(s)
		for _, p := range proxies {
			if rest, ok := strings.CutPrefix(c, p); ok && (rest == "" || !isLetter(rest[0]) && rest[0] != '.') {
				return
			}
		}
		t.Fatalf("isProxy(%q) = true", s)
	})
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// TestBrowserCorpus: each file of the HAR corpus is judged as the browser
// that recorded it, learnt where the file says it (a file added to the
// corpus must be added here).
func TestBrowserCorpus(t *testing.T) {
	dir := corpusDir(t)
	want := map[string]string{
		"alta-proxy/alta-proxy-binary-json.har":                       "chromium default",
		"browsertime/frontendredirect-firefox43.har":                  "firefox browser",
		"browsertime/http2-chrome48.har":                              "chromium browser",
		"charles/charles365-connect-status-minus1.har":                "firefox user-agent",
		"charles/charles42-post-redirect-rfc1123-expires.har":         "firefox user-agent",
		"chrome-devtools/chrome-empty-no-pages.har":                   "chromium creator",
		"chrome-devtools/chrome-large-665-all-status-methods.har":     "chromium creator",
		"chrome-devtools/chrome-xhr-cross-port-acao-star.har":         "chromium creator",
		"chrome-devtools/chrome51-failed-status0-errors.har":          "chromium creator",
		"chrome-devtools/chrome61-same-origin-post-origin-header.har": "chromium creator",
		"chrome-devtools/chrome93-cors-fetch-acao-star-setcookie.har": "chromium creator",
		"chrome-devtools/chrome93-cors-fetch-base64-binary.har":       "chromium creator",
		"chrome-devtools/chrome93-cors-fetch-origin-null-status0.har": "chromium creator",
		"chrome-devtools/run-sitespeed-base64-null-expires.har":       "chromium creator",
		"chrome-har/etat-lu-cors-fonts.har":                           "chromium creator",
		"fiddler/fiddler2-cnn-pages-null-bom.har":                     "safari user-agent",
		"fiddler/fiddler4-ie11-bom.har":                               "chromium default",
		"firebug/firebug15-comments.har":                              "firefox creator",
		"firebug/firebug16-no-pages-field.har":                        "firefox creator",
		"firebug/firebug17-no-entries-field.har":                      "firefox creator",
		"firebug/firebug19-simple.har":                                "firefox creator",
		"firefox/ff126-no-response-status0.har":                       "firefox creator",
		"firefox/ff43-http2-negative-sizes.har":                       "firefox creator",
		"firefox/ff47-failed-status0.har":                             "firefox creator",
		"firefox/ff56-post-redirect.har":                              "firefox creator",
		"internet-explorer/ie11-cookies-object.har":                   "chromium default",
		"mitmproxy/charles.har":                                       "chromium default",
		"mitmproxy/chrome.har":                                        "chromium creator",
		"mitmproxy/error_log.har":                                     "chromium default",
		"mitmproxy/event_stream.har":                                  "chromium default",
		"mitmproxy/firefox.har":                                       "firefox creator",
		"mitmproxy/head-content-length.har":                           "firefox creator",
		"mitmproxy/incomplete_log.har":                                "chromium default",
		"mitmproxy/insomnia.har":                                      "chromium default",
		"mitmproxy/postdata.har":                                      "chromium creator",
		"mitmproxy/safari.har":                                        "safari creator",
		"mitmproxy/successful_log.har":                                "chromium default",
		"mitmproxy/websocket.har":                                     "chromium user-agent",
		"mitmproxy/with-bom.har":                                      "chromium creator",
		"playwright/pw123-chromium-redirect-size-minus1.har":          "chromium browser",
		"playwright/pw123-chromium-theverge-redirects.har":            "chromium browser",
		"playwright/pw123-content-file-ref.har":                       "chromium browser",
		"playwright/pw132-failed-status-minus1-no-pages.har":          "chromium browser",
		"pollyjs/node-http-header-value-arrays.har":                   "chromium default",
		"pollyjs/puppeteer-cors-credentials.har":                      "chromium user-agent",
		"proxyman/proxyman561-safari-query.har":                       "safari user-agent",
		"webpagetest/aftonbladet-credentialed-preflights.har":         "chromium browser",
		"webpagetest/nytimes-failed-preflight-503.har":                "chromium browser",
		"webpagetest/sitespeed-redirect-https.har":                    "chromium browser",
		"zap/zap-firefox132-form-sequence.har":                        "firefox user-agent",
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.har"))
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sum, _, err := Analyze(bytes.NewReader(data), AnalyzeOptions{}, func(*Result) error { return nil })
		if err != nil {
			continue // the corpus's broken files
		}
		got := sum.Browser + " " + sum.BrowserSource
		if w, ok := want[filepath.ToSlash(rel)]; !ok {
			t.Errorf("%q: %q, // add it to this test's table", filepath.ToSlash(rel), got)
		} else if got != w {
			t.Errorf("%s: judged %s, want %s", rel, got, w)
		}
	}
}
