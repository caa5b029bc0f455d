package harfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// fromIP gives a Chrome-style entry the server address DevTools records
// for an answer that came over the network.
func fromIP(e string) string {
	return strings.Replace(e, `{"startedDateTime"`, `{"serverIPAddress":"192.0.2.7","startedDateTime"`, 1)
}

// analyzeBoth analyzes har as the JSON report (in full) and as the text
// report (BriefAllowed) does.
func analyzeBoth(t *testing.T, har string) (full, brief []*Result, sum Summary) {
	t.Helper()
	for _, brieflyToo := range []bool{false, true} {
		var out []*Result
		s, _, err := Analyze(strings.NewReader(har), AnalyzeOptions{BriefAllowed: brieflyToo, NoRequestHeaders: brieflyToo},
			func(r *Result) error { out = append(out, r); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if brieflyToo {
			brief = out
		} else {
			full, sum = out, s
		}
	}
	return full, brief, sum
}

// despite is the allowed-despite-headers finding of r, or nil.
func despite(r *Result) *cors.Finding {
	for i := range r.Findings {
		if r.Findings[i].Code == CodeAllowedDespiteHeaders {
			return &r.Findings[i]
		}
	}
	return nil
}

// TestAllowedDespiteHeaders: a Chrome export of a request the browser let
// through although the server's recorded answer fails the CORS check (what
// DevTools records when an extension adds Access-Control-Allow-Origin, or
// with --disable-web-security) keeps its verdict and gets a warning naming
// the engine's finding, in the JSON and the text report alike. The
// recording's own artifacts stay silent.
func TestAllowedDespiteHeaders(t *testing.T) {
	const url = "https://api.test/items"
	get := func(reqH [][2]string, status int, respH [][2]string) string {
		return entryJSON("2024-01-01T00:00:00.200Z", "GET", url, "fetch", reqH, status, respH, "")
	}
	withCookie := append([][2]string{{"Cookie", "sid=1"}}, corsReq...)
	plain := [][2]string{{"Content-Type", "application/json"}, {"Date", "Mon, 01 Jan 2024 00:00:00 GMT"}}
	preflight := func(respH [][2]string) string {
		return fromIP(entryJSON("2024-01-01T00:00:00.100Z", "OPTIONS", url, "preflight",
			[][2]string{{"Origin", app}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", "content-type"}}, 204, respH, ""))
	}
	put := fromIP(entryJSON("2024-01-01T00:00:00.200Z", "PUT", url, "fetch", corsReq, 200,
		[][2]string{{"Access-Control-Allow-Origin", app}}, ""))
	tests := []struct {
		name    string
		har     string
		because cors.Code // the engine's finding the warning names; "" for none
	}{
		{"no Access-Control-Allow-Origin", harOf(fromIP(get(corsReq, 200, plain))), cors.CodeMissingAllowOrigin},
		{"another origin allowed", harOf(fromIP(get(corsReq, 200, [][2]string{{"Access-Control-Allow-Origin", "https://other.test"}}))), cors.CodeAllowOriginMismatch},
		{"* with cookies", harOf(fromIP(get(withCookie, 200, [][2]string{{"Access-Control-Allow-Origin", "*"}}))), cors.CodeWildcardCredentials},
		{"preflight without Access-Control-Allow-Origin", harOf(preflight([][2]string{{"Access-Control-Allow-Methods", "PUT"}, {"Access-Control-Allow-Headers", "content-type"}}), put), cors.CodePreflightMissingAllowOrigin},
		{"preflight without PUT", harOf(preflight([][2]string{{"Access-Control-Allow-Origin", app}, {"Access-Control-Allow-Methods", "GET"}, {"Access-Control-Allow-Headers", "content-type"}}), put), cors.CodeMethodNotAllowed},
		{"preflight without Content-Type", harOf(preflight([][2]string{{"Access-Control-Allow-Origin", app}, {"Access-Control-Allow-Methods", "PUT"}}), put), cors.CodeHeaderNotAllowed},
		{"preflight with a bad list", harOf(preflight([][2]string{{"Access-Control-Allow-Origin", app}, {"Access-Control-Allow-Methods", "PUT/PATCH"}, {"Access-Control-Allow-Headers", "content-type"}}), put), cors.CodeInvalidAllowMethods},
		{"preflight passes, the answer does not", harOf(preflight([][2]string{{"Access-Control-Allow-Origin", app}, {"Access-Control-Allow-Methods", "PUT"}, {"Access-Control-Allow-Headers", "content-type"}}),
			fromIP(entryJSON("2024-01-01T00:00:00.200Z", "PUT", url, "fetch", corsReq, 200, plain, ""))), cors.CodeMissingAllowOrigin},
		{"error answer without CORS headers", harOf(fromIP(get(corsReq, 500, plain))), cors.CodeMissingAllowOrigin},

		{"the answer passes", harOf(fromIP(get(corsReq, 200, [][2]string{{"Access-Control-Allow-Origin", app}}))), ""},
		{"the preflight passes with *", harOf(preflight([][2]string{{"Access-Control-Allow-Origin", "*"}, {"Access-Control-Allow-Methods", "*"}, {"Access-Control-Allow-Headers", "*"}}), put), ""},
		{"the preflight passes", harOf(preflight([][2]string{{"Access-Control-Allow-Origin", app}, {"Access-Control-Allow-Methods", "PUT"}, {"Access-Control-Allow-Headers", "content-type"}}), put), ""},
		// A service worker's answer (DevTools records no server address):
		// the page's request never reached the server.
		{"service worker", harOf(get(corsReq, 200, plain)), ""},
		// A revalidation: DevTools records the 304's own headers, the
		// browser checks the cached response's.
		{"304", harOf(fromIP(get(corsReq, 304, [][2]string{{"ETag", `"v1"`}, {"Date", "Mon, 01 Jan 2024 00:00:00 GMT"}}))), ""},
		// Provisional request headers: no Origin recorded.
		{"no Origin recorded", harOf(fromIP(get([][2]string{{"Sec-Fetch-Mode", "cors"}, {"Referer", app + "/"}}, 200, plain))), ""},
		{"no response headers recorded", harOf(fromIP(get(corsReq, 200, nil))), ""},
		{"not CORS-checked", harOf(fromIP(get([][2]string{{"Origin", app}, {"Sec-Fetch-Mode", "no-cors"}}, 200, plain))), ""},
		{"ends at a redirect", harOf(fromIP(get(corsReq, 302, [][2]string{{"Location", "https://elsewhere.test/items"}}))), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			full, brief, sum := analyzeBoth(t, tt.har)
			if len(full) != 1 || len(brief) != 1 {
				t.Fatalf("results: %d full, %d brief; want 1", len(full), len(brief))
			}
			if sum.Blocked != 0 || full[0].Verdict != cors.Allowed || brief[0].Verdict != cors.Allowed {
				t.Fatalf("verdicts %s / %s, %d blocked; the browser allowed it", full[0].Verdict, brief[0].Verdict, sum.Blocked)
			}
			for mode, r := range map[string]*Result{"full": full[0], "brief": brief[0]} {
				f := despite(r)
				switch {
				case tt.because == "" && f != nil:
					t.Errorf("%s: unexpected warning %q", mode, f.Message)
				case tt.because == "":
				case f == nil:
					t.Errorf("%s: no %s warning; findings %+v", mode, CodeAllowedDespiteHeaders, r.Findings)
				case f.Severity != cors.SeverityWarning || f.Reported || !strings.Contains(f.Message, "("+string(tt.because)+")"):
					t.Errorf("%s: warning %+v; want a warning naming %s", mode, f, tt.because)
				case !strings.Contains(f.Fix, string(tt.because)):
					t.Errorf("%s: fix %q does not name %s", mode, f.Fix, tt.because)
				}
			}
		})
	}
}

// TestAllowedDespiteHeadersOnlyChrome: files that mark no failure
// (Firefox's export, a proxy's) are judged by their headers already: the
// same answer is blocked there, with no warning.
func TestAllowedDespiteHeadersOnlyChrome(t *testing.T) {
	e := fromIP(entryJSON("2024-01-01T00:00:00.200Z", "GET", "https://api.test/items", "fetch", corsReq, 200, [][2]string{{"Content-Type", "text/plain"}}, ""))
	for _, creator := range []string{"Firefox", "Charles Proxy"} {
		har := strings.Replace(harOf(e), `"version":"1.2",`, `"version":"1.2","creator":{"name":"`+creator+`","version":"1"},`, 1)
		full, brief, _ := analyzeBoth(t, har)
		for _, r := range append(full, brief...) {
			if r.Verdict != cors.Blocked || despite(r) != nil {
				t.Errorf("%s: verdict %s, findings %+v; want blocked by its headers, no %s", creator, r.Verdict, r.Findings, CodeAllowedDespiteHeaders)
			}
		}
	}
}

// TestAllowedDespiteHeadersJudgedAs: judged as another browser
// (--browser), the warning names no browser as the one that let the
// request through.
func TestAllowedDespiteHeadersJudgedAs(t *testing.T) {
	har := harOf(fromIP(entryJSON("2024-01-01T00:00:00.200Z", "GET", "https://api.test/items", "fetch", corsReq, 200, [][2]string{{"Content-Type", "text/plain"}}, "")))
	for _, p := range []*cors.Profile{nil, cors.Firefox} {
		var rs []*Result
		if _, _, err := Analyze(strings.NewReader(har), AnalyzeOptions{Profile: p}, func(r *Result) error { rs = append(rs, r); return nil }); err != nil {
			t.Fatal(err)
		}
		want := "Chrome let this request through"
		if p != nil {
			want = "the browser that recorded the file let this request through"
		}
		if len(rs) != 1 || despite(rs[0]) == nil || !strings.HasPrefix(despite(rs[0]).Message, want) {
			t.Errorf("profile %v: results %+v; want a warning opening %q", p, rs, want)
		}
	}
}

// TestCorpusAllowedDespiteHeaders: none of the real exports' allowed
// requests gets the warning (the evidence it is no artifact's noise: on
// the corpus the engine agrees with every allowed Chrome-recorded CORS
// request).
func TestCorpusAllowedDespiteHeaders(t *testing.T) {
	dir := corpusDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.har"))
	if len(files) == 0 {
		t.Skip("no corpus files")
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		full, brief, _ := analyzeLenient(data)
		for _, r := range append(full, brief...) {
			if f := despite(r); f != nil {
				t.Errorf("%s #%d: %s", filepath.Base(path), r.Index, f.Message)
			}
		}
	}
}

// analyzeLenient is analyzeBoth for a file that may not parse.
func analyzeLenient(data []byte) (full, brief []*Result, err error) {
	for _, b := range []bool{false, true} {
		var out []*Result
		_, _, err = Analyze(strings.NewReader(string(data)), AnalyzeOptions{BriefAllowed: b}, func(r *Result) error { out = append(out, r); return nil })
		if b {
			brief = out
		} else {
			full = out
		}
	}
	return full, brief, err
}

// devtools adds to a Chrome-style entry the fields DevTools' export writes
// on the entry (`"_fromCache":"memory"`) and on its response
// (`"_fetchedViaServiceWorker":true`); "" adds none there.
func devtools(e, entry, resp string) string {
	if entry != "" {
		e = "{" + entry + "," + e[1:]
	}
	if resp != "" {
		e = strings.Replace(e, `"response":{`, `"response":{`+resp+",", 1)
	}
	return e
}

// TestReaderCacheAndServiceWorker: DevTools' marks of an answer the
// network did not give (Log.ts: `_fromCache` "memory" or "disk" on the
// entry, `_fetchedViaServiceWorker` on the response) are read; other
// tools' spellings of them are kept as written, and nothing else sets them.
func TestReaderCacheAndServiceWorker(t *testing.T) {
	base := fromIP(entryJSON("2024-01-01T00:00:00.200Z", "GET", "https://api.test/items", "fetch", corsReq, 200, nil, ""))
	tests := []struct {
		name, entry, resp string
		cache             string
		sw                bool
	}{
		{"none", "", "", "", false},
		{"memory cache", `"_fromCache":"memory"`, "", "memory", false},
		{"disk cache", `"_fromCache":"disk"`, `"_transferSize":0,"_error":null,"_fetchedViaServiceWorker":false`, "disk", false},
		{"service worker", "", `"_transferSize":0,"_error":null,"_fetchedViaServiceWorker":true,"_responseCacheStorageCacheName":"v1","_serviceWorkerResponseSource":"cache-storage"`, "", true},
		{"service worker and memory cache", `"_fromCache":"memory"`, `"_fetchedViaServiceWorker":true`, "memory", true},
		{"null", `"_fromCache":null`, `"_fetchedViaServiceWorker":null`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, _, err := readAll(t, strings.NewReader(harOf(devtools(base, tt.entry, tt.resp), devtools(base, tt.entry, tt.resp))))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				if e.FromCache != tt.cache || e.Response.FromServiceWorker != tt.sw || e.ServerIP != "192.0.2.7" {
					t.Errorf("FromCache %q, FromServiceWorker %v, ServerIP %q; want %q, %v", e.FromCache, e.Response.FromServiceWorker, e.ServerIP, tt.cache, tt.sw)
				}
			}
		})
	}
}

// TestAllowedDespiteHeadersMarks: where DevTools marks the answer as a
// service worker's or the memory cache's, the recorded headers are not
// the server's answer as the browser checked it: silent, whatever
// serverIPAddress says. A disk-cache hit or a response not fetched via a
// service worker is checked as the server's.
func TestAllowedDespiteHeadersMarks(t *testing.T) {
	const url = "https://api.test/items"
	plain := [][2]string{{"Content-Type", "application/json"}, {"Date", "Mon, 01 Jan 2024 00:00:00 GMT"}}
	get := fromIP(entryJSON("2024-01-01T00:00:00.200Z", "GET", url, "fetch", corsReq, 200, plain, ""))
	sw := `"_transferSize":0,"_error":null,"_fetchedViaServiceWorker":true,"_serviceWorkerResponseSource":"network"`
	notSW := `"_transferSize":120,"_error":null,"_fetchedViaServiceWorker":false`
	preflight := fromIP(entryJSON("2024-01-01T00:00:00.100Z", "OPTIONS", url, "preflight",
		[][2]string{{"Origin", app}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", "content-type"}}, 204,
		[][2]string{{"Access-Control-Allow-Methods", "PUT"}, {"Access-Control-Allow-Headers", "content-type"}}, ""))
	put := fromIP(entryJSON("2024-01-01T00:00:00.200Z", "PUT", url, "fetch", corsReq, 200,
		[][2]string{{"Access-Control-Allow-Origin", app}}, ""))
	tests := []struct {
		name    string
		har     string
		because cors.Code
	}{
		{"service worker, server address recorded", harOf(devtools(get, "", sw)), ""},
		{"memory cache, server address recorded", harOf(devtools(get, `"_fromCache":"memory"`, notSW)), ""},
		{"preflight answered from the memory cache", harOf(devtools(preflight, `"_fromCache":"memory"`, notSW), devtools(put, "", notSW)), ""},
		{"disk cache", harOf(devtools(get, `"_fromCache":"disk"`, notSW)), cors.CodeMissingAllowOrigin},
		{"not via a service worker", harOf(devtools(get, "", notSW)), cors.CodeMissingAllowOrigin},
		{"preflight not via a service worker", harOf(devtools(preflight, "", notSW), devtools(put, "", notSW)), cors.CodePreflightMissingAllowOrigin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			full, brief, sum := analyzeBoth(t, tt.har)
			if len(full) != 1 || len(brief) != 1 || sum.Blocked != 0 {
				t.Fatalf("results: %d full, %d brief, %d blocked; want 1 allowed", len(full), len(brief), sum.Blocked)
			}
			for mode, r := range map[string]*Result{"full": full[0], "brief": brief[0]} {
				f := despite(r)
				switch {
				case r.Verdict != cors.Allowed:
					t.Errorf("%s: verdict %s; the browser allowed it", mode, r.Verdict)
				case tt.because == "" && f != nil:
					t.Errorf("%s: unexpected warning %q", mode, f.Message)
				case tt.because != "" && (f == nil || !strings.Contains(f.Message, "("+string(tt.because)+")")):
					t.Errorf("%s: findings %+v; want %s naming %s", mode, r.Findings, CodeAllowedDespiteHeaders, tt.because)
				}
			}
		})
	}
}
