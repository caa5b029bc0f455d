package harfile

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
)

func analyze(t *testing.T, har string) (Summary, []*Result) {
	t.Helper()
	var out []*Result
	sum, _, err := Analyze(strings.NewReader(har), AnalyzeOptions{}, func(r *Result) error { out = append(out, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return sum, out
}

// entryJSON builds a Chrome-style entry.
func entryJSON(started, method, url, rtype string, reqH [][2]string, status int, respH [][2]string, errText string) string {
	hs := func(h [][2]string) string {
		var parts []string
		for _, kv := range h {
			parts = append(parts, fmt.Sprintf(`{"name":%q,"value":%q}`, kv[0], kv[1]))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	e := fmt.Sprintf(`{"startedDateTime":%q,"_resourceType":%q,"request":{"method":%q,"url":%q,"headers":%s},"response":{"status":%d,"headers":%s,"content":{"size":0}`,
		started, rtype, method, url, hs(reqH), status, hs(respH))
	if errText != "" {
		e += fmt.Sprintf(`,"_error":%q`, errText)
	}
	return e + "}}"
}

func harOf(entries ...string) string {
	return `{"log":{"version":"1.2","pages":[{"id":"page_1","title":"https://app.test/"}],"entries":[` + strings.Join(entries, ",") + `]}}`
}

const app = "https://app.test"

var corsReq = [][2]string{{"Origin", app}, {"Sec-Fetch-Mode", "cors"}, {"Content-Type", "application/json"}, {"User-Agent", "Mozilla/5.0"}}

func TestPreflightPairing(t *testing.T) {
	preflightOK := entryJSON("2024-01-01T00:00:00.100Z", "OPTIONS", "https://api.test/x", "preflight",
		[][2]string{{"Origin", app}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", "content-type"}}, 204,
		[][2]string{{"Access-Control-Allow-Origin", app}, {"Access-Control-Allow-Methods", "PUT"}, {"Access-Control-Allow-Headers", "content-type"}}, "")
	preflightBad := entryJSON("2024-01-01T00:00:00.100Z", "OPTIONS", "https://api.test/x", "preflight",
		[][2]string{{"Origin", app}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", "content-type"}}, 204,
		[][2]string{{"Access-Control-Allow-Origin", app}, {"Access-Control-Allow-Methods", "GET"}}, "")
	put := entryJSON("2024-01-01T00:00:00.200Z", "PUT", "https://api.test/x", "fetch", corsReq, 200,
		[][2]string{{"Access-Control-Allow-Origin", app}, {"Vary", "Origin"}}, "")
	putBlocked := entryJSON("2024-01-01T00:00:00.200Z", "PUT", "https://api.test/x", "fetch", corsReq, 0, nil, "net::ERR_FAILED")

	tests := []struct {
		name        string
		entries     []string
		results     int
		verdict     cors.Verdict
		reported    cors.Code
		cause       string
		preflightAt int
		only        bool
		has         cors.Code
	}{
		{"preflight before request", []string{preflightOK, put}, 1, cors.Allowed, "", CauseFromFile, 0, false, ""},
		{"preflight after request", []string{put, preflightOK}, 1, cors.Allowed, "", CauseFromFile, 1, false, ""},
		{"failed preflight explains ERR_FAILED", []string{putBlocked, preflightBad}, 1, cors.Blocked, cors.CodeMethodNotAllowed, CauseFromFile, 1, false, ""},
		{"only the preflight", []string{preflightBad}, 1, cors.Blocked, cors.CodeMethodNotAllowed, CauseFromFile, 0, true, CodeOnlyPreflightRecorded},
		{"no preflight recorded", []string{put}, 1, cors.Allowed, "", CauseFromFile, -1, false, CodePreflightNotRecorded},
		{"blocked, no headers, no preflight", []string{putBlocked}, 1, cors.Blocked, CodeCauseNotInFile, CauseUnknown, -1, false, CodePreflightNotRecorded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, rs := analyze(t, harOf(tt.entries...))
			if len(rs) != tt.results {
				t.Fatalf("results = %d, want %d", len(rs), tt.results)
			}
			r := rs[0]
			if r.Verdict != tt.verdict || r.CauseSource != tt.cause || r.PreflightIndex != tt.preflightAt || r.OnlyPreflight != tt.only {
				t.Errorf("result = verdict %s cause %s preflight %d only %v", r.Verdict, r.CauseSource, r.PreflightIndex, r.OnlyPreflight)
			}
			var got cors.Code
			if f := r.Reported(); f != nil {
				got = f.Code
			}
			if got != tt.reported {
				t.Errorf("reported = %q, want %q (findings %+v)", got, tt.reported, r.Findings)
			}
			if tt.has != "" && !hasCode(r.Findings, tt.has) {
				t.Errorf("no %s finding in %+v", tt.has, r.Findings)
			}
			if (tt.verdict == cors.Blocked) != (sum.Blocked == 1) {
				t.Errorf("summary blocked = %d", sum.Blocked)
			}
			// One request each, whether the file holds it, its preflight,
			// or both: the counts must agree with the one result.
			wantPreflights := 0
			for _, e := range tt.entries {
				if strings.Contains(e, `"OPTIONS"`) {
					wantPreflights++
				}
			}
			if sum.Requests != 1 || sum.CrossOrigin != 1 || sum.CORS != 1 || sum.Preflights != wantPreflights {
				t.Errorf("summary = %d requests, %d cross-origin, %d CORS, %d preflights; want 1, 1, 1, %d", sum.Requests, sum.CrossOrigin, sum.CORS, sum.Preflights, wantPreflights)
			}
		})
	}
}

// TestSummaryCountsAgree: the summary's parts never exceed its whole, for
// files of requests, lone preflights, paired preflights and requests whose
// page origin is unknown.
func TestSummaryCountsAgree(t *testing.T) {
	pre := func(url string) string {
		return entryJSON("2024-01-01T00:00:00.100Z", "OPTIONS", url, "preflight",
			[][2]string{{"Origin", app}, {"Access-Control-Request-Method", "PUT"}}, 403, nil, "")
	}
	put := func(url string) string {
		return entryJSON("2024-01-01T00:00:00.200Z", "PUT", url, "fetch", corsReq, 200, [][2]string{{"Access-Control-Allow-Origin", app}}, "")
	}
	noOrigin := `{"startedDateTime":"2024-01-01T00:00:00.300Z","request":{"method":"GET","url":"https://cdn.test/a.js","headers":[]},"response":{"status":200,"headers":[],"content":{"size":0}}}`
	tests := []struct {
		name                  string
		entries               []string
		requests, cross, pref int
	}{
		{"lone preflights", []string{pre("https://api.test/a"), pre("https://api.test/b")}, 2, 2, 2},
		{"paired and lone", []string{pre("https://api.test/a"), put("https://api.test/a"), pre("https://api.test/b")}, 2, 2, 2},
		{"request without preflight", []string{put("https://api.test/a")}, 1, 1, 0},
		{"same-origin request", []string{put(app + "/a")}, 1, 0, 0},
		{"lone preflight and an unknown origin", []string{pre("https://api.test/a"), noOrigin}, 2, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, _ := analyze(t, `{"log":{"version":"1.2","entries":[`+strings.Join(tt.entries, ",")+`]}}`)
			if sum.Requests != tt.requests || sum.CrossOrigin != tt.cross || sum.Preflights != tt.pref {
				t.Errorf("summary = %d requests, %d cross-origin, %d preflights; want %d, %d, %d", sum.Requests, sum.CrossOrigin, sum.Preflights, tt.requests, tt.cross, tt.pref)
			}
			if sum.CrossOrigin+sum.UnknownOrigin > sum.Requests || sum.CORS > sum.CrossOrigin || sum.Blocked > sum.CrossOrigin {
				t.Errorf("parts exceed the whole: %+v", sum)
			}
		})
	}
}

func hasCode(fs []cors.Finding, c cors.Code) bool {
	for _, f := range fs {
		if f.Code == c {
			return true
		}
	}
	return false
}

// TestCauseNotInFileCommand: the reproduction command carries method, URL,
// origin, the headers script set and credentials, with secrets redacted.
func TestCauseNotInFileCommand(t *testing.T) {
	h := append([][2]string{{"Authorization", "Bearer abcdefghijklmnop"}, {"Cookie", "sid=s3cr3t"}, {"X-Api-Key", "k-123456"}}, corsReq...)
	_, rs := analyze(t, harOf(entryJSON("2024-01-01T00:00:00Z", "DELETE", "https://api.test/items/1?api_key=zzz999", "fetch", h, 0, nil, "net::ERR_FAILED")))
	r := rs[0]
	if r.Reproduce == nil {
		t.Fatal("no reproduction")
	}
	cmd := CheckCommand(r.Reproduce, nil, false)
	for _, want := range []string{"corsdiag check", "'https://api.test/items/1?api_key=[REDACTED]'", "--origin https://app.test", "-X DELETE", "'Authorization: Bearer [REDACTED]'", "'X-Api-Key: [REDACTED]'", "'Content-Type: application/json'", "--credentials"} {
		if !strings.Contains(cmd, want) {
			t.Errorf("command %q lacks %q", cmd, want)
		}
	}
	for _, secret := range []string{"abcdefghijklmnop", "s3cr3t", "k-123456", "zzz999", "User-Agent"} {
		if strings.Contains(cmd, secret) {
			t.Errorf("command %q shows %q", cmd, secret)
		}
	}
	if raw := CheckCommand(r.Reproduce, nil, true); !strings.Contains(raw, "Bearer abcdefghijklmnop") {
		t.Errorf("--no-redact command %q hides the token", raw)
	}
}

func TestOriginSources(t *testing.T) {
	mk := func(extra string, h [][2]string) string {
		e := entryJSON("2024-01-01T00:00:00Z", "GET", "https://api.test/x", "fetch", h, 200, nil, "")
		return strings.Replace(e, `{"startedDateTime"`, `{`+extra+`"startedDateTime"`, 1)
	}
	tests := []struct {
		name, entry, origin, source string
	}{
		{"origin header", mk(`"pageref":"page_1",`, [][2]string{{"Origin", "https://o.test"}, {"Referer", "https://r.test/"}}), "https://o.test", OriginFromHeader},
		{"page", mk(`"pageref":"page_1",`, [][2]string{{"Referer", "https://r.test/"}}), "https://app.test", OriginFromPage},
		{"initiator", mk(`"_initiator":{"type":"script","url":"https://i.test/app.js"},`, [][2]string{{"Referer", "https://r.test/"}}), "https://i.test", OriginFromInitiator},
		{"referer", mk("", [][2]string{{"Referer", "https://r.test:8443/page"}}), "https://r.test:8443", OriginFromReferer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rs := analyze(t, harOf(tt.entry))
			if len(rs) != 1 || rs[0].Origin != tt.origin || rs[0].OriginSource != tt.source {
				t.Fatalf("results = %+v, want origin %s from %s", rs, tt.origin, tt.source)
			}
		})
	}
}

// TestCorpusCORS asserts the cross-origin picture of the corpus files that
// hold CORS traffic (counts from the corpus README where they agree with
// corsdiag's definition: the page origin differs from the URL's).
func TestCorpusCORS(t *testing.T) {
	dir := corpusDir(t)
	tests := []struct {
		file                   string
		cors, blocked, unknown int
		reported               cors.Code
		onlyPreflight, paired  int
	}{
		{"chrome-devtools/chrome93-cors-fetch-origin-null-status0.har", 1, 1, 1, CodeCauseNotInFile, 0, 0},
		{"chrome-devtools/chrome93-cors-fetch-acao-star-setcookie.har", 1, 0, 0, "", 0, 0},
		{"chrome-devtools/chrome-xhr-cross-port-acao-star.har", 4, 0, 0, "", 0, 0},
		{"chrome-devtools/chrome-large-665-all-status-methods.har", 0, 0, 0, "", 0, 0},
		{"chrome-devtools/chrome61-same-origin-post-origin-header.har", 0, 0, 0, "", 0, 0},
		{"pollyjs/puppeteer-cors-credentials.har", 5, 0, 0, "", 0, 0},
		{"webpagetest/nytimes-failed-preflight-503.har", 21, 1, 0, cors.CodePreflightMissingAllowOrigin, 1, 0},
		{"webpagetest/aftonbladet-credentialed-preflights.har", 12, 0, 0, "", 0, 3},
		{"zap/zap-firefox132-form-sequence.har", 0, 0, 0, "", 0, 0},
		// A sendBeacon ping: cross-site with an Origin, but Sec-Fetch-Mode
		// no-cors, so the browser does not CORS-check it.
		{"mitmproxy/with-bom.har", 0, 0, 0, "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			fh, err := os.Open(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			var only, paired int
			var reported cors.Code
			sum, _, err := Analyze(fh, AnalyzeOptions{}, func(r *Result) error {
				if r.OnlyPreflight {
					only++
				} else if r.PreflightIndex >= 0 {
					paired++
				}
				if f := r.Reported(); f != nil && r.Verdict == cors.Blocked && reported == "" {
					reported = f.Code
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if sum.CORS != tt.cors || sum.Blocked != tt.blocked || sum.CauseUnknown != tt.unknown || reported != tt.reported || only != tt.onlyPreflight || paired != tt.paired {
				t.Errorf("cors %d blocked %d unknown %d reported %q only-preflight %d paired %d; want %d %d %d %q %d %d",
					sum.CORS, sum.Blocked, sum.CauseUnknown, reported, only, paired, tt.cors, tt.blocked, tt.unknown, tt.reported, tt.onlyPreflight, tt.paired)
			}
		})
	}
}

// The protocol a response came in (the entry's response.httpVersion) is
// the hop's, as probe records it for check --har-out.
func TestHopProtocol(t *testing.T) {
	tests := []struct{ version, want string }{
		{"http/2.0", "http/2.0"},
		{"HTTP/1.1", "HTTP/1.1"},
		{"h3", "h3"},
		{"", ""},
	}
	for _, tt := range tests {
		e := entryJSON("2024-01-01T00:00:00.100Z", "GET", "https://api.test/x", "fetch",
			[][2]string{{"Origin", app}, {"Sec-Fetch-Mode", "cors"}}, 200, [][2]string{{"Access-Control-Allow-Origin", app}}, "")
		if tt.version != "" {
			e = strings.Replace(e, `"response":{`, `"response":{"httpVersion":`+fmt.Sprintf("%q", tt.version)+`,`, 1)
		}
		_, rs := analyze(t, harOf(e))
		if len(rs) != 1 || len(rs[0].Exchange.Actual) != 1 {
			t.Fatalf("%q: results %+v", tt.version, rs)
		}
		if got := rs[0].Exchange.Actual[0].Protocol; got != tt.want {
			t.Errorf("httpVersion %q: hop protocol %q, want %q", tt.version, got, tt.want)
		}
	}
}

// TestBriefAllowed: with BriefAllowed an allowed request keeps its verdict
// and identity, and every other request is judged exactly as in full, on
// the recorded HARs (judged as their own browser and as Firefox, which
// records no failures) and on a generated one.
func TestBriefAllowed(t *testing.T) {
	inputs := map[string][]byte{"generated": hartest.Generate(60, 64),
		// Preflights alone: one refused (blocked), one passed.
		"preflights": []byte(`{"log":{"creator":{"name":"WebInspector"},"entries":[` +
			`{"_resourceType":"preflight","request":{"method":"OPTIONS","url":"https://api.test/a","headers":[{"name":"Origin","value":"https://app.test"},` +
			`{"name":"Access-Control-Request-Method","value":"PUT"},{"name":"Access-Control-Request-Headers","value":"x-token"},{"name":"User-Agent","value":"Chrome/124"}]},` +
			`"response":{"status":403,"headers":[{"name":"Content-Type","value":"text/plain"}]}},` +
			`{"_resourceType":"preflight","request":{"method":"OPTIONS","url":"https://api.test/b","headers":[{"name":"Origin","value":"https://app.test"},` +
			`{"name":"Access-Control-Request-Method","value":"PUT"}]},` +
			`"response":{"status":204,"headers":[{"name":"Access-Control-Allow-Origin","value":"https://app.test"},{"name":"Access-Control-Allow-Methods","value":"PUT"}]}}]}}`)}
	paths, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "har", "*.har"))
	if len(paths) == 0 {
		t.Fatal("no HAR files in testdata/har")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(p)] = data
	}
	firefox, _ := cors.LookupProfile("firefox")
	allowed, other, onlyPreflight := 0, 0, 0
	for name, data := range inputs {
		for _, prof := range []*cors.Profile{nil, firefox} {
			run := func(brief bool) (Summary, []*Result) {
				var out []*Result
				sum, _, err := Analyze(bytes.NewReader(data), AnalyzeOptions{Profile: prof, BriefAllowed: brief}, func(r *Result) error { out = append(out, r); return nil })
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				return sum, out
			}
			fullSum, full := run(false)
			briefSum, brief := run(true)
			if fullSum != briefSum || len(full) != len(brief) {
				t.Fatalf("%s (%v): brief summary %+v (%d results), full %+v (%d)", name, prof, briefSum, len(brief), fullSum, len(full))
			}
			for i, f := range full {
				b := brief[i]
				if f.Index != b.Index || f.Method != b.Method || f.URL != b.URL || f.Origin != b.Origin || f.OriginSource != b.OriginSource ||
					f.CORSMode != b.CORSMode || f.Verdict != b.Verdict || f.FailReason != b.FailReason || f.OnlyPreflight != b.OnlyPreflight ||
					f.PreflightIndex != b.PreflightIndex || f.CauseSource != b.CauseSource || (f.Reported() == nil) != (b.Reported() == nil) {
					t.Fatalf("%s (%v) entry %d: brief %+v, full %+v", name, prof, f.Index, b, f)
				}
				if f.Verdict == cors.Allowed {
					allowed++
					continue
				}
				other++
				if !reflect.DeepEqual(f.Findings, b.Findings) || !reflect.DeepEqual(f.Platform, b.Platform) {
					t.Fatalf("%s (%v) entry %d (%s): brief findings %+v, full %+v", name, prof, f.Index, f.Verdict, b.Findings, f.Findings)
				}
				// A preflight alone keeps its request headers only once blocked.
				if !reflect.DeepEqual(f.Exchange, b.Exchange) {
					t.Fatalf("%s (%v) entry %d (%s): brief exchange %+v, full %+v", name, prof, f.Index, f.Verdict, b.Exchange, f.Exchange)
				}
				if f.OnlyPreflight && f.Exchange != nil && f.Exchange.Preflight != nil {
					onlyPreflight++
				}
			}
		}
	}
	if allowed == 0 || other == 0 || onlyPreflight == 0 {
		t.Fatalf("%d allowed, %d other results, %d of them preflights alone: the test needs every kind", allowed, other, onlyPreflight)
	}
}

// TestNoRequestHeaders: without the hops' request headers, every result is
// the one judged with them, those headers aside; with them, they are there.
func TestNoRequestHeaders(t *testing.T) {
	files := map[string][]byte{"genhar": hartest.Chrome(300, 256)}
	paths, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "har", "*.har"))
	if dir := os.Getenv("CORSDIAG_HAR_CORPUS"); dir != "" {
		// The corpus too, when it is here.
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".har") {
				paths = append(paths, p)
			}
			return nil
		})
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = data
	}
	hops := func(ex *cors.Exchange) []*cors.Hop {
		var out []*cors.Hop
		if ex == nil {
			return nil
		}
		if ex.Preflight != nil {
			out = append(out, ex.Preflight)
		}
		for i := range ex.Actual {
			out = append(out, &ex.Actual[i])
			if pf := ex.Actual[i].RedirectPreflight; pf != nil {
				out = append(out, pf)
			}
		}
		return out
	}
	judge := func(data []byte, opts AnalyzeOptions) ([]*Result, error) {
		var out []*Result
		_, _, err := Analyze(bytes.NewReader(data), opts, func(r *Result) error { out = append(out, r); return nil })
		return out, err
	}
	withHeaders := 0
	for name, data := range files {
		for _, brief := range []bool{false, true} {
			full, err := judge(data, AnalyzeOptions{BriefAllowed: brief})
			bare, bareErr := judge(data, AnalyzeOptions{BriefAllowed: brief, NoRequestHeaders: true})
			if fmt.Sprint(err) != fmt.Sprint(bareErr) || len(full) != len(bare) {
				t.Fatalf("%s: %d results (%v), %d without request headers (%v)", name, len(full), err, len(bare), bareErr)
			}
			for i := range full {
				for _, h := range hops(bare[i].Exchange) {
					if h.Request.Header != nil {
						t.Fatalf("%s #%d: a hop's request headers were built: %v", name, bare[i].Index, h.Request.Header)
					}
				}
				for _, h := range hops(full[i].Exchange) {
					if h.Request.Header != nil {
						withHeaders++
					}
					h.Request.Header, h.Request.CanonicalKeys = nil, false
				}
				if !reflect.DeepEqual(full[i], bare[i]) {
					t.Errorf("%s #%d (brief %v): without request headers\n%+v\nwith them\n%+v", name, full[i].Index, brief, bare[i], full[i])
				}
			}
		}
	}
	if withHeaders == 0 {
		t.Error("no hop had request headers to leave out")
	}
}

// TestDropErrors: the errors go, the rest keep their order and are no
// longer reported, wherever the errors stood.
func TestDropErrors(t *testing.T) {
	f := func(code string, sev cors.Severity) cors.Finding {
		return cors.Finding{Code: cors.Code(code), Severity: sev, Reported: true}
	}
	e, w, i := cors.SeverityError, cors.SeverityWarning, cors.SeverityInfo
	for _, tc := range []struct {
		in   []cors.Finding
		want string
	}{
		{nil, ""},
		{[]cors.Finding{f("a", e)}, ""},
		{[]cors.Finding{f("a", w), f("b", i)}, "a b"},
		{[]cors.Finding{f("a", e), f("b", w), f("c", i)}, "b c"},
		{[]cors.Finding{f("a", w), f("b", e), f("c", i), f("d", e)}, "a c"},
		{[]cors.Finding{f("a", i), f("b", e)}, "a"},
	} {
		var got []string
		for _, g := range dropErrors(tc.in) {
			if g.Reported {
				t.Errorf("%s is still reported", g.Code)
			}
			got = append(got, string(g.Code))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("dropErrors = %q, want %q", got, tc.want)
		}
	}
}
