package harfile

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestInitiatorAPI: a HAR entry names the load that made it, so its
// console line and findings are the ones for that load: Chrome's
// _resourceType, else (Firefox, Safari) Sec-Fetch-Dest, else EventSource's
// Accept.
func TestInitiatorAPI(t *testing.T) {
	entry := func(rtype string, kv ...string) *Entry {
		e := &Entry{ResourceType: rtype, Request: Request{Method: "GET", URL: "https://cdn.example.com/a"}}
		for i := 0; i+1 < len(kv); i += 2 {
			e.Request.Headers = append(e.Request.Headers, Header{Name: kv[i], Value: kv[i+1]})
		}
		return e
	}
	for _, tt := range []struct {
		name string
		e    *Entry
		want string
	}{
		{"chrome fetch", entry("fetch"), "fetch"},
		{"chrome xhr", entry("xhr"), "XMLHttpRequest"},
		{"chrome font", entry("font"), "font"},
		{"chrome script", entry("script", "Sec-Fetch-Mode", "cors"), "script"},
		{"chrome image", entry("image"), "image"},
		{"chrome stylesheet", entry("stylesheet"), "stylesheet"},
		{"chrome eventsource", entry("eventsource"), "eventsource"},
		// Chrome calls both media elements' requests "media".
		{"chrome video", entry("media", "Sec-Fetch-Dest", "video"), "video"},
		{"chrome audio", entry("media", "Sec-Fetch-Dest", "audio", "Range", "bytes=0-"), "audio"},
		{"chrome media, no destination", entry("media"), "video"},
		{"firefox font", entry("", "Sec-Fetch-Dest", "font", "Sec-Fetch-Mode", "cors"), "font"},
		{"firefox stylesheet", entry("", "Sec-Fetch-Dest", "style"), "stylesheet"},
		{"firefox image", entry("", "Sec-Fetch-Dest", "image"), "image"},
		{"firefox video", entry("", "Sec-Fetch-Dest", "video", "Range", "bytes=0-"), "video"},
		{"firefox audio", entry("", "Sec-Fetch-Dest", "audio"), "audio"},
		{"firefox eventsource", entry("", "Sec-Fetch-Dest", "empty", "Accept", "text/event-stream"), "eventsource"},
		{"firefox fetch", entry("", "Sec-Fetch-Dest", "empty", "Accept", "*/*"), "fetch"},
		{"no hint", entry(""), "fetch"},
	} {
		if got := initiatorAPI(tt.e); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestLoadFromHAR: Chrome records a web font, or an <audio crossorigin>,
// blocked by CORS with _resourceType font, or media and the Range it sent;
// har says it in Chrome's words for that load, the line the console showed
// (Chromium 156: load-font-no-acao, load-audio-no-acao), and the command it
// prints checks that load, with no header of the page's (a media
// element's Range is the browser's).
func TestLoadFromHAR(t *testing.T) {
	for _, tt := range []struct {
		url, rtype, dest, word, flag string
		more                         [][2]string
	}{
		{"https://cdn.test/fa.woff2", "font", "font", "font", "font", nil},
		{"https://cdn.test/a.mp3", "media", "audio", "audio", "audio", [][2]string{{"Range", "bytes=0-"}, {"Accept-Encoding", "identity"}}},
	} {
		t.Run(tt.flag, func(t *testing.T) {
			hs := append([][2]string{{"Origin", app}, {"Sec-Fetch-Mode", "cors"}, {"Sec-Fetch-Dest", tt.dest}}, tt.more...)
			e := entryJSON("2024-01-01T00:00:00.100Z", "GET", tt.url, tt.rtype, hs, 200, nil, "net::ERR_FAILED")
			_, rs := analyze(t, harOf(e))
			if len(rs) != 1 {
				t.Fatalf("%d results, want 1", len(rs))
			}
			f := rs[0].Reported()
			want := "Access to " + tt.word + " at '" + tt.url + "' from origin 'https://app.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
			if f == nil || f.BrowserMessage != want {
				t.Errorf("reported %+v; want the message %q", f, want)
			}
			if got, want := CheckCommand(&rs[0].Exchange.Request, nil, true), "corsdiag check "+tt.url+" --origin https://app.test --initiator "+tt.flag; got != want {
				t.Errorf("check command %s\nwant %s", got, want)
			}
		})
	}
}

// TestCheckCommandNamesTheLoad: the command har prints for a blocked font
// (or image, stylesheet…) checks that load: --initiator, and no header of
// the page's (there are none; the browser's own are sent by check).
func TestCheckCommandNamesTheLoad(t *testing.T) {
	for _, tt := range []struct {
		initiator, want string
	}{
		{"font", "corsdiag check https://cdn.test/fa.woff2 --origin https://app.test --initiator font"},
		{"XMLHttpRequest", "corsdiag check https://cdn.test/fa.woff2 --origin https://app.test -H 'X-Token: 1' --initiator xhr"},
		{"fetch", "corsdiag check https://cdn.test/fa.woff2 --origin https://app.test -H 'X-Token: 1'"},
	} {
		req := &cors.Request{Method: "GET", URL: "https://cdn.test/fa.woff2", Origin: app, Initiator: tt.initiator, Header: http.Header{"X-Token": {"1"}}}
		if got := CheckCommand(req, nil, true); got != tt.want {
			t.Errorf("%s: %s\nwant %s", tt.initiator, got, tt.want)
		}
	}
}

// TestRecordedPreflightOfASimpleRequest: a request that needs no preflight
// by its method and headers was preflighted all the same (an
// XMLHttpRequest with an upload listener: Chromium 156, xhr-upload-no-cors).
// The recorded preflight is what failed, and har says so, not that the
// cause is missing from the file.
func TestRecordedPreflightOfASimpleRequest(t *testing.T) {
	pre := entryJSON("2024-01-01T00:00:00.100Z", "OPTIONS", "https://api.test/up", "preflight",
		[][2]string{{"Origin", app}, {"Access-Control-Request-Method", "POST"}}, 204, nil, "")
	post := entryJSON("2024-01-01T00:00:00.200Z", "POST", "https://api.test/up", "xhr",
		[][2]string{{"Origin", app}, {"Sec-Fetch-Mode", "cors"}, {"Content-Type", "text/plain;charset=UTF-8"}}, 0, nil, "net::ERR_FAILED")
	_, rs := analyze(t, harOf(pre, post))
	if len(rs) != 1 {
		t.Fatalf("%d results, want 1", len(rs))
	}
	if f := rs[0].Reported(); f == nil || f.Code != cors.CodePreflightMissingAllowOrigin {
		t.Errorf("reported %+v; want %s", f, cors.CodePreflightMissingAllowOrigin)
	}
}

// TestFontCookieIsNoCredential: a web font's CORS check runs in
// credentials mode same-origin, so Chromium and Firefox send no cookie on
// a cross-origin one and `*` allows it; a Cookie on a font entry (WebKit
// loads fonts without CORS, cookies and all, or a proxy's export) does not
// make it a credentialed request. Neither the cause, nor the retry of a
// file that shows no cookies, nor the reproduce command may say it does.
func TestFontCookieIsNoCredential(t *testing.T) {
	reqH := func(cookie bool) [][2]string {
		h := [][2]string{{"Origin", app}, {"Sec-Fetch-Mode", "cors"}, {"Sec-Fetch-Dest", "font"}}
		if cookie {
			h = append(h, [2]string{"Cookie", "s=1"})
		}
		return h
	}
	wildcard := [][2]string{{"Access-Control-Allow-Origin", "*"}, {"Content-Type", "font/woff2"}}
	for _, tt := range []struct {
		name   string
		cookie bool
		status int
		resp   [][2]string
	}{
		{"cookie, answered *", true, 200, wildcard},
		{"no cookie, answered *", false, 200, wildcard},
		{"cookie, no answer", true, 0, nil},
	} {
		font := entryJSON("2024-01-01T00:00:00.100Z", "GET", "https://cdn.test/fa.woff2", "font",
			reqH(tt.cookie), tt.status, tt.resp, "net::ERR_FAILED")
		_, rs := analyze(t, harOf(font))
		if len(rs) != 1 {
			t.Fatalf("%s: %d results, want 1", tt.name, len(rs))
		}
		res := rs[0]
		if f := res.Reported(); f == nil || f.Code == cors.CodeWildcardCredentials || f.Code == cors.CodeInvalidCredentials {
			t.Errorf("%s: reported %+v; a font carries no credentials", tt.name, f)
		}
		if res.Reproduce == nil {
			t.Errorf("%s: no reproduce command", tt.name)
			continue
		}
		if res.Reproduce.Credentials {
			t.Errorf("%s: reproduces a credentialed font: %s", tt.name, CheckCommand(res.Reproduce, nil, true))
		}
		if got, want := CheckCommand(res.Reproduce, nil, true), "corsdiag check https://cdn.test/fa.woff2 --origin https://app.test --initiator font"; got != want {
			t.Errorf("%s: %s\nwant %s", tt.name, got, want)
		}
	}
}

// TestCredentialedRetryNamesTheLoadsCredentials: a blocked entry that
// shows no cookies and fails only with credentials is judged credentialed;
// the note says how that load asks for credentials (an element's
// crossorigin="use-credentials", not fetch()'s credentials: 'include').
func TestCredentialedRetryNamesTheLoadsCredentials(t *testing.T) {
	for _, tt := range []struct{ rtype, dest, initiator string }{
		{"fetch", "empty", "fetch"},
		{"xhr", "empty", "XMLHttpRequest"},
		{"image", "image", "image"},
		{"media", "video", "video"},
		{"media", "audio", "audio"},
		{"stylesheet", "style", "stylesheet"},
		{"script", "script", "script"},
	} {
		t.Run(tt.rtype+"/"+tt.dest, func(t *testing.T) {
			in, _ := cors.LookupInitiator(tt.initiator)
			e := entryJSON("2024-01-01T00:00:00.100Z", "GET", "https://api.test/x", tt.rtype,
				[][2]string{{"Origin", app}, {"Sec-Fetch-Mode", "cors"}, {"Sec-Fetch-Dest", tt.dest}}, 200,
				[][2]string{{"Access-Control-Allow-Origin", "*"}}, "net::ERR_FAILED")
			_, rs := analyze(t, harOf(e))
			if len(rs) != 1 || rs[0].Reported() == nil {
				t.Fatalf("results %+v", rs)
			}
			f := rs[0].Reported()
			if f.Code != cors.CodeWildcardCredentials || !strings.Contains(f.Message, "shows no cookies") {
				t.Fatalf("reported %s: %s", f.Code, f.Message)
			}
			for _, text := range []string{f.Message, f.Fix} {
				if !in.Scripted && strings.Contains(text, "credentials: 'include'") {
					t.Errorf("an element load's text says credentials: 'include': %q", text)
				}
			}
			if strings.Count(f.Message, in.Credentials) < 2 {
				t.Errorf("message does not name %s twice (the check, the note): %q", in.Credentials, f.Message)
			}
		})
	}
}

// TestCredentialsNotRecordedNamesTheLoadsCredentials: Firefox's export
// does not record the credentials mode; the warning on an element's load
// says what that element writes (and how it stops), not fetch()'s option.
func TestCredentialsNotRecordedNamesTheLoadsCredentials(t *testing.T) {
	for _, dest := range []string{"empty", "image", "video", "audio", "style", "script"} {
		t.Run(dest, func(t *testing.T) {
			data := []byte(`{"log":{"version":"1.2","creator":{"name":"Firefox","version":"153.8.0"},"browser":{"name":"Firefox","version":"153.8.0"},"entries":[` +
				`{"startedDateTime":"2026-01-01T10:00:00.000Z","time":5,"request":{"method":"GET","url":"https://api.example.com/x","httpVersion":"HTTP/1.1","headers":[` +
				`{"name":"Origin","value":"https://app.example.com"},{"name":"Sec-Fetch-Mode","value":"cors"},{"name":"Sec-Fetch-Dest","value":"` + dest + `"}]},` +
				`"response":{"status":200,"statusText":"","httpVersion":"HTTP/1.1","headers":[{"name":"Access-Control-Allow-Origin","value":"*"}],"content":{"size":0,"mimeType":"application/json"}},"timings":{"send":1,"wait":1,"receive":1}}]}}`)
			_, rs := analyzeAll(t, data, AnalyzeOptions{})
			if len(rs) != 1 {
				t.Fatalf("%d results", len(rs))
			}
			var f *cors.Finding
			for i := range rs[0].Findings {
				if rs[0].Findings[i].Code == CodeCredentialsNotRecorded {
					f = &rs[0].Findings[i]
				}
			}
			if f == nil {
				t.Fatalf("no %s in %+v", CodeCredentialsNotRecorded, rs[0].Findings)
			}
			in, _ := cors.InitiatorOfRecord("", dest, "")
			if dest == "empty" {
				in = cors.Initiators[0]
			}
			if !strings.Contains(f.Message, in.Credentials) || !strings.Contains(f.Fix, in.Credentials) {
				t.Errorf("%s: does not name %s:\n%s\n%s", in.Name, in.Credentials, f.Message, f.Fix)
			}
			if i := strings.Index(f.Fix, in.NoCredentials); i >= 0 && !strings.HasSuffix(f.Fix[:i], "if the load needs no cookies, ") {
				t.Errorf("%s: the fix tells every page to stop sending credentials: %q", in.Name, f.Fix)
			}
			if !in.Scripted && (strings.Contains(f.Message+f.Fix, "credentials: 'include'") || !strings.Contains(f.Fix, `crossorigin="anonymous"`)) {
				t.Errorf("%s: element text:\n%s\n%s", in.Name, f.Message, f.Fix)
			}
		})
	}
}

// TestCORSModeWithoutSecFetchMode: an export without Sec-Fetch-Mode
// (older Chrome, other tools) still tells a CORS-mode request: the loads
// that are always CORS (cors.Initiators) by their resource type, an
// element load (<img crossorigin>, <video crossorigin>, …) by the Origin
// header a no-cors GET never carries; a navigation's Origin says nothing.
func TestCORSModeWithoutSecFetchMode(t *testing.T) {
	for _, tt := range []struct {
		rtype, method string
		origin        bool
		want          bool
	}{
		{"fetch", "GET", true, true},
		{"xhr", "GET", false, true},
		{"eventsource", "GET", false, true},
		{"font", "GET", false, true},
		{"image", "GET", true, true},
		{"image", "GET", false, false},
		{"media", "GET", true, true},
		{"media", "GET", false, false},
		{"stylesheet", "GET", true, true},
		{"script", "GET", true, true},
		{"script", "GET", false, false},
		{"document", "POST", true, false},
		{"other", "GET", true, false},
		{"", "GET", true, true},
		{"", "GET", false, false},
	} {
		reqH := [][2]string{{"User-Agent", "Mozilla/5.0"}, {"Referer", app + "/"}}
		if tt.origin {
			reqH = append(reqH, [2]string{"Origin", app})
		}
		e := entryJSON("2024-01-01T00:00:00.100Z", tt.method, "https://api.test/x", tt.rtype, reqH, 200,
			[][2]string{{"Content-Type", "image/png"}}, "net::ERR_FAILED")
		_, rs := analyze(t, harOf(e))
		if len(rs) != 1 {
			t.Fatalf("%s %v: %d results", tt.rtype, tt.origin, len(rs))
		}
		if rs[0].CORSMode != tt.want {
			t.Errorf("%q %s, Origin %v: CORSMode %v, want %v", tt.rtype, tt.method, tt.origin, rs[0].CORSMode, tt.want)
		}
		if f := rs[0].Reported(); tt.want && (f == nil || f.Code != cors.CodeMissingAllowOrigin) {
			t.Errorf("%q Origin %v: reported %+v, want %s", tt.rtype, tt.origin, f, cors.CodeMissingAllowOrigin)
		}
	}
}

// TestCORSModeAllocatesNothing: isCORSMode runs on every entry; reading
// the resource type and Origin of one without Sec-Fetch-Mode allocates
// nothing.
func TestCORSModeAllocatesNothing(t *testing.T) {
	e := &Entry{ResourceType: "image", Request: Request{Method: "GET", URL: "https://api.test/x",
		Headers: []Header{{Name: "Accept", Value: "image/*"}, {Name: "Origin", Value: app}}}}
	if n := testing.AllocsPerRun(100, func() {
		if !isCORSMode(e) {
			t.Fatal("not CORS-mode")
		}
	}); n != 0 {
		t.Errorf("isCORSMode allocates %v times per entry", n)
	}
}

// TestCredentialedRetryOnARedirectStatusWithoutLocation: a recording that
// ends at a 302 without Location does not end at a redirect: the 302 is
// the answer the browser judged (Chromium 156: actual-302-no-location), so
// a blocked one that fails only with credentials was credentialed, as for
// a 200. One with a Location ends where the browser went on, and so does
// one with an empty Location judged as Firefox, which follows it to the
// same URL (Firefox ESR 153.8: redirect-empty-location). Firefox's entry
// for the request it did not send past it (status 0, no headers, no
// Origin) says it stopped at the redirect, as it does where the redirect
// fails the CORS check (testdata/har/firefox-redirect-nocookie.har:
// redirect-hop-credentials-star and -no-acac, credentialed, no Cookie): a
// redirect that fails only with credentials was credentialed. An entry
// with its Origin is a request Firefox sent (its preflight stopped it):
// what stopped it is not in the file.
func TestCredentialedRetryOnARedirectStatusWithoutLocation(t *testing.T) {
	const api = "https://api.test/x"
	fetchReq := [][2]string{{"Origin", app}, {"Sec-Fetch-Mode", "cors"}, {"Sec-Fetch-Dest", "empty"}}
	// Chrome's export: the 302 the browser judged, marked failed.
	chrome := func(headers ...[2]string) string {
		return harOf(entryJSON("2024-01-01T00:00:00.100Z", "GET", api, "fetch", fetchReq, 302, headers, "net::ERR_FAILED"))
	}
	// Firefox's export of a preflighted PUT answered with a 307 (no
	// failure markers): the preflight allows credentials, and a redirect
	// the browser did not follow leaves, in some runs, an entry with
	// status 0 and no headers for the request it did not send, whose
	// request headers have no Origin (redirect-hop-credentials-star,
	// redirect-empty-location-no-acao, preflighted-put-redirect-no-acao).
	unsentReq := [][2]string{{"Accept", "*/*"}, {"Referer", app + "/"}}
	firefox := func(location, next string, nextReq [][2]string) string {
		putReq := append(fetchReq[:len(fetchReq):len(fetchReq)], [2]string{"Content-Type", "application/json"})
		pf := entryJSON("2024-01-01T00:00:00.050Z", "OPTIONS", api, "",
			[][2]string{{"Origin", app}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", "content-type"}}, 204,
			[][2]string{{"Access-Control-Allow-Origin", app}, {"Access-Control-Allow-Credentials", "true"},
				{"Access-Control-Allow-Methods", "PUT"}, {"Access-Control-Allow-Headers", "content-type"}}, "")
		put := entryJSON("2024-01-01T00:00:00.100Z", "PUT", api, "", putReq, 307,
			[][2]string{{"Location", location}, {"Access-Control-Allow-Origin", "*"}}, "")
		unsent := entryJSON("2024-01-01T00:00:00.200Z", "PUT", next, "", nextReq, 0, nil, "")
		return strings.Replace(harOf(pf, put, unsent), `{"log":{`, `{"log":{"creator":{"name":"Firefox","version":"153.8.0"},`, 1)
	}
	for _, tt := range []struct {
		name string
		har  string
		want cors.Code
	}{
		{"chromium: no Location", chrome([2]string{"Access-Control-Allow-Origin", "*"}), cors.CodeWildcardCredentials},
		{"chromium: empty Location", chrome([2]string{"Location", ""}, [2]string{"Access-Control-Allow-Origin", "*"}), cors.CodeWildcardCredentials},
		{"firefox: empty Location", firefox("", api, unsentReq), cors.CodeWildcardCredentials},
		{"firefox: a Location", firefox("/x/1", api+"/1", unsentReq), cors.CodeWildcardCredentials},
		{"firefox: a request it sent", firefox("/x/1", api+"/1", append(unsentReq, [2]string{"Origin", app})), CodeCauseNotInFile},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, rs := analyze(t, tt.har)
			if len(rs) != 1 {
				t.Fatalf("results %+v", rs)
			}
			if f := rs[0].Reported(); f == nil || f.Code != tt.want {
				t.Fatalf("reported %+v, want %s", f, tt.want)
			}
			if rs[0].Verdict != cors.Blocked {
				t.Errorf("verdict %s, want blocked", rs[0].Verdict)
			}
		})
	}
}

// TestMarkedChromiumRedirectNamesBothCauses: Chromium marks the redirect
// it stopped at on the 3xx entry itself, whatever stopped it, and the
// chain ends there (Chromium 156, recorded with the conformance suite's
// -record-har: redirect-hop-credentials-star, a credentialed fetch() whose
// 302 answers Access-Control-Allow-Origin: *, and redirect-mode-error, a
// fetch() with redirect: 'error' whose 302 passes the CORS check, both
// hold one 302 entry with _error net::ERR_FAILED; a redirect that passed
// leaves it unmarked and the next hop's entry carries the marker). Without
// the Cookie the export leaves out, the two read alike, so the credentialed
// retry that holds for a final answer would blame the server's headers for
// a redirect: 'error' rejection: the finding stays cause-not-in-file and
// names both causes.
func TestMarkedChromiumRedirectNamesBothCauses(t *testing.T) {
	const api = "https://api.test/x"
	load := func(rtype string, req [][2]string, headers ...[2]string) string {
		return harOf(entryJSON("2024-01-01T00:00:00.100Z", "GET", api, rtype, req, 302,
			append([][2]string{{"Location", api + "/1"}}, headers...), "net::ERR_FAILED"))
	}
	at := func(req [][2]string, headers ...[2]string) string { return load("fetch", req, headers...) }
	fetchReq := [][2]string{{"Origin", app}, {"Sec-Fetch-Mode", "cors"}, {"Sec-Fetch-Dest", "empty"}}
	withCookie := append(fetchReq[:len(fetchReq):len(fetchReq)], [2]string{"Cookie", "s=1"})
	for _, tt := range []struct {
		name string
		har  string
		want cors.Code
		says []string // in the reported message
		not  string   // not in it
	}{
		{"star, cookie left out", at(fetchReq, [2]string{"Access-Control-Allow-Origin", "*"}), CodeCauseNotInFile,
			[]string{"status 302, net::ERR_FAILED", string(cors.CodeWildcardCredentials), "redirect: 'error'"}, ""},
		{"origin without credentials: redirect-mode-error", at(fetchReq, [2]string{"Access-Control-Allow-Origin", app}), CodeCauseNotInFile,
			[]string{string(cors.CodeInvalidCredentials), "redirect: 'error'"}, ""},
		{"origin and credentials", at(fetchReq, [2]string{"Access-Control-Allow-Origin", app},
			[2]string{"Access-Control-Allow-Credentials", "true"}), CodeCauseNotInFile,
			[]string{"redirect: 'error'"}, "fails them"},
		// An XMLHttpRequest has no redirect mode.
		{"xhr: star, cookie left out", load("xhr", fetchReq, [2]string{"Access-Control-Allow-Origin", "*"}), CodeCauseNotInFile,
			[]string{"withCredentials = true", string(cors.CodeWildcardCredentials)}, "redirect: 'error'"},
		// The headers explain it: the engine's finding, as before.
		{"star, cookie recorded", at(withCookie, [2]string{"Access-Control-Allow-Origin", "*"}), cors.CodeWildcardCredentials, nil, ""},
		{"no Access-Control-Allow-Origin", at(fetchReq), cors.CodeMissingAllowOrigin, nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, rs := analyze(t, tt.har)
			if len(rs) != 1 {
				t.Fatalf("results %+v", rs)
			}
			f := rs[0].Reported()
			if f == nil || f.Code != tt.want {
				t.Fatalf("reported %+v, want %s", f, tt.want)
			}
			for _, w := range tt.says {
				if !strings.Contains(f.Message, w) {
					t.Errorf("the message does not say %q: %s", w, f.Message)
				}
			}
			if tt.not != "" && strings.Contains(f.Message, tt.not) {
				t.Errorf("the message says %q: %s", tt.not, f.Message)
			}
			if tt.want == CodeCauseNotInFile && strings.Contains(f.Message, "does not show the answer the browser judged") {
				t.Errorf("the file shows the answer the browser stopped at: %s", f.Message)
			}
		})
	}
}

// TestFirefoxEmptyLocationChains: Firefox follows an empty Location to
// the URL it answered (the standard's reading), so its export holds the
// same URL again and again (Firefox ESR 153.8: redirect-empty-location,
// 21 entries) or, where the CORS check failed on the redirect, a status-0
// entry for the request it did not send. Judged as Firefox, those entries
// are one chain: the 21st redirect fails, and a failed check is the 302's.
func TestFirefoxEmptyLocationChains(t *testing.T) {
	req := [][2]string{{"Origin", app}, {"Sec-Fetch-Mode", "cors"}, {"Sec-Fetch-Dest", "empty"}}
	at := func(i int) string { return fmt.Sprintf("2024-01-01T00:00:%02d.100Z", i) }
	var loop []string
	for i := 0; i <= cors.MaxRedirects; i++ {
		loop = append(loop, entryJSON(at(i), "GET", "https://api.test/x", "", req, 302,
			[][2]string{{"Location", ""}, {"Access-Control-Allow-Origin", "*"}}, ""))
	}
	refused := []string{
		entryJSON(at(0), "GET", "https://api.test/x", "", req, 302, [][2]string{{"Location", ""}}, ""),
		// The request Firefox did not send, recorded without its CORS headers.
		entryJSON(at(1), "GET", "https://api.test/x", "", [][2]string{{"Accept", "*/*"}}, 0, nil, ""),
	}
	for _, tt := range []struct {
		name    string
		entries []string
		want    cors.Code
	}{
		{"loop", loop, cors.CodeTooManyRedirects},
		{"CORS fails on the redirect", refused, cors.CodeMissingAllowOrigin},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var rs []*Result
			// Firefox's own export: no failure markers, the headers decide.
			har := strings.Replace(harOf(tt.entries...), `{"log":{`, `{"log":{"creator":{"name":"Firefox","version":"153.8.0"},`, 1)
			_, _, err := Analyze(strings.NewReader(har), AnalyzeOptions{}, func(r *Result) error { rs = append(rs, r); return nil })
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != 1 {
				t.Fatalf("%d results, want one chain", len(rs))
			}
			if f := rs[0].Reported(); f == nil || f.Code != tt.want {
				t.Fatalf("reported %+v, want %s", f, tt.want)
			}
		})
	}
}

// TestSetCredentials: the one rule judge and the brief report's screen
// (mayDisagree) share for a recorded request's credentials.
func TestSetCredentials(t *testing.T) {
	entry := func(rtype, dest string, cookie, flag bool) *Entry {
		e := &Entry{ResourceType: rtype, Credentials: flag}
		e.Request.Headers = []Header{{Name: "Sec-Fetch-Dest", Value: dest}}
		if cookie {
			e.Request.Headers = append(e.Request.Headers, Header{Name: "Cookie", Value: "s=1"})
		}
		return e
	}
	for _, tt := range []struct {
		name          string
		e             *Entry
		initiator     string // set before the call
		want          bool
		wantInitiator string
	}{
		{"fetch with a cookie", entry("fetch", "empty", true, false), "", true, "fetch"},
		{"fetch, credentials flag", entry("fetch", "empty", false, true), "", true, "fetch"},
		{"fetch without", entry("fetch", "empty", false, false), "", false, ""},
		{"web font with a cookie", entry("font", "font", true, false), "", false, "font"},
		{"initiator already read", entry("xhr", "empty", true, false), "XMLHttpRequest", true, "XMLHttpRequest"},
		{"font read, no cookie", entry("font", "font", false, false), "font", false, "font"},
	} {
		req := cors.Request{Initiator: tt.initiator}
		setCredentials(&req, tt.e)
		if req.Credentials != tt.want || req.Initiator != tt.wantInitiator {
			t.Errorf("%s: credentials %v, initiator %q; want %v, %q",
				tt.name, req.Credentials, req.Initiator, tt.want, tt.wantInitiator)
		}
	}
}

// TestCredentialedNote: the two notes of a request the file shows without
// cookies, plain and past a redirect the browser did not follow, word the
// same reason from one helper.
func TestCredentialedNote(t *testing.T) {
	req := &cors.Request{}
	cred := cors.InitiatorOf(req).Credentials
	for _, tc := range []struct{ unsentBy, want string }{
		{"", " (the file shows no cookies, but only a request with " + cred +
			" fails on these headers, so it was credentialed)"},
		{"Firefox", " (the file shows no cookies, but Firefox did not send the request this redirect led to, " +
			"and only a request with " + cred + " fails on its headers, so it was credentialed)"},
	} {
		if got := credentialedNote(req, tc.unsentBy); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.unsentBy, got, tc.want)
		}
	}
}
