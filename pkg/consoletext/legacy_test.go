package consoletext

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Older Chromium releases logged "XMLHttpRequest cannot load …", "Fetch
// API cannot load …" and "Failed to load …" lines (cors.chromiumLegacy
// names the sources), which users still paste from old WebViews, Electron
// apps and Stack Overflow answers. Each reads as the same finding, URL,
// origin and status as the line today's Chrome logs for the same failure,
// and says it is an older wording.
func TestReadLegacyChromeAsToday(t *testing.T) {
	const (
		url    = "https://api.example.com/items"
		origin = "http://localhost:3000"
	)
	for _, tc := range []struct {
		name, text string
		code       cors.Code
		// param, status: what today's line is rendered with; status is
		// also what the legacy line names (0: it names none).
		param     string
		status    int
		initiator string // the API the legacy line names, "" when it names none
		noOrigin  bool   // the legacy line does not name the page's origin
	}{
		{name: "failed to load, missing, 404", code: cors.CodeMissingAllowOrigin, status: 404,
			text: "Failed to load https://api.example.com/items: No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin 'http://localhost:3000' is therefore not allowed access. The response had HTTP status code 404."},
		{name: "xhr cannot load, missing", code: cors.CodeMissingAllowOrigin,
			initiator: "XMLHttpRequest",
			text:      "XMLHttpRequest cannot load https://api.example.com/items. No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin 'http://localhost:3000' is therefore not allowed access."},
		{name: "fetch cannot load, missing, opaque hint", code: cors.CodeMissingAllowOrigin, status: 500, initiator: "fetch",
			text: "Fetch API cannot load https://api.example.com/items. No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin 'http://localhost:3000' is therefore not allowed access. The response had HTTP status code 500. If an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled."},
		{name: "failed to load, preflight missing", code: cors.CodePreflightMissingAllowOrigin,
			text: "Failed to load https://api.example.com/items: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin 'http://localhost:3000' is therefore not allowed access."},
		{name: "xhr cannot load, preflight status", noOrigin: true, code: cors.CodePreflightStatus, status: 405, initiator: "XMLHttpRequest",
			text: "XMLHttpRequest cannot load https://api.example.com/items. Response for preflight has invalid HTTP status code 405"},
		{name: "failed to load, preflight status with period", noOrigin: true, code: cors.CodePreflightStatus, status: 401,
			text: "Failed to load https://api.example.com/items: Response for preflight has invalid HTTP status code 401."},
		{name: "failed to load, preflight not ok", noOrigin: true, code: cors.CodePreflightStatus,
			text: "Failed to load https://api.example.com/items: Response for preflight does not have HTTP ok status."},
		{name: "failed to load, preflight redirect", noOrigin: true, code: cors.CodePreflightRedirect,
			text: "Failed to load https://api.example.com/items: Response for preflight is invalid (redirect)"},
		{name: "failed to load, mismatch", code: cors.CodeAllowOriginMismatch, param: "https://other.example",
			text: "Failed to load https://api.example.com/items: The 'Access-Control-Allow-Origin' header has a value 'https://other.example' that is not equal to the supplied origin. Origin 'http://localhost:3000' is therefore not allowed access."},
		{name: "fetch cannot load, mismatch, valid-value hint", code: cors.CodeAllowOriginMismatch, param: "https://other.example", initiator: "fetch",
			text: "Fetch API cannot load https://api.example.com/items. The 'Access-Control-Allow-Origin' header has a value 'https://other.example' that is not equal to the supplied origin. Origin 'http://localhost:3000' is therefore not allowed access. Have the server send the header with a valid value, or, if an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled."},
		// Chrome's own frame, before its "valid value" hint lost the
		// opaque-response advice (Chrome 7x to 11x; pasted in many
		// trackers, caddy's captncraig/cors#16, esm.sh#453).
		{name: "access to fetch, mismatch, opaque hint", code: cors.CodeAllowOriginMismatch, param: "https://other.example", initiator: "fetch",
			text: "Access to fetch at 'https://api.example.com/items' from origin 'http://localhost:3000' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://other.example' that is not equal to the supplied origin. Have the server send the header with a valid value, or, if an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled."},
		{name: "access to fetch, multiple, opaque hint", code: cors.CodeMultipleAllowOrigin, param: "http://localhost:3000, http://localhost:3000", initiator: "fetch",
			text: "Access to fetch at 'https://api.example.com/items' from origin 'http://localhost:3000' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values 'http://localhost:3000, http://localhost:3000', but only one is allowed. Have the server send the header with a valid value, or, if an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled."},
		{name: "access to fetch, invalid value, opaque hint, typographic quotes", code: cors.CodeInvalidAllowOrigin, param: "localhost:3000", initiator: "fetch",
			text: "Access to fetch at ‘https://api.example.com/items’ from origin ‘http://localhost:3000’ has been blocked by CORS policy: The ‘Access-Control-Allow-Origin’ header contains the invalid value ‘localhost:3000’. Have the server send the header with a valid value, or, if an opaque response serves your needs, set the request’s mode to ‘no-cors’ to fetch the resource with CORS disabled."},
		{name: "access to fetch, preflight mismatch, opaque hint", code: cors.CodePreflightAllowOriginMismatch, param: "https://other.example", initiator: "fetch",
			text: "Access to fetch at 'https://api.example.com/items' from origin 'http://localhost:3000' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value 'https://other.example' that is not equal to the supplied origin. Have the server send the header with a valid value, or, if an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled."},
		{name: "failed to load, preflight mismatch", code: cors.CodePreflightAllowOriginMismatch, param: "https://other.example",
			text: "Failed to load https://api.example.com/items: Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value 'https://other.example' that is not equal to the supplied origin. Origin 'http://localhost:3000' is therefore not allowed access."},
		{name: "failed to load, multiple", code: cors.CodeMultipleAllowOrigin, param: "http://localhost:3000, *",
			text: "Failed to load https://api.example.com/items: The 'Access-Control-Allow-Origin' header contains multiple values 'http://localhost:3000, *', but only one is allowed. Origin 'http://localhost:3000' is therefore not allowed access."},
		{name: "failed to load, invalid value", code: cors.CodeInvalidAllowOrigin, param: "localhost:3000",
			text: "Failed to load https://api.example.com/items: The 'Access-Control-Allow-Origin' header contains the invalid value 'localhost:3000'. Origin 'http://localhost:3000' is therefore not allowed access."},
		{name: "xhr cannot load, wildcard, first wording", code: cors.CodeWildcardCredentials, initiator: "XMLHttpRequest",
			text: "XMLHttpRequest cannot load https://api.example.com/items. A wildcard '*' cannot be used in the 'Access-Control-Allow-Origin' header when the credentials flag is true. Origin 'http://localhost:3000' is therefore not allowed access. The credentials mode of an XMLHttpRequest is controlled by the withCredentials attribute."},
		{name: "failed to load, wildcard", code: cors.CodeWildcardCredentials,
			text: "Failed to load https://api.example.com/items: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. Origin 'http://localhost:3000' is therefore not allowed access. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute."},
		{name: "failed to load, preflight wildcard", code: cors.CodePreflightWildcardCredentials,
			text: "Failed to load https://api.example.com/items: Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. Origin 'http://localhost:3000' is therefore not allowed access."},
		{name: "xhr cannot load, credentials, first wording", code: cors.CodeInvalidCredentials, param: "", initiator: "XMLHttpRequest",
			text: "XMLHttpRequest cannot load https://api.example.com/items. Credentials flag is 'true', but the 'Access-Control-Allow-Credentials' header is ''. It must be 'true' to allow credentials. Origin 'http://localhost:3000' is therefore not allowed access."},
		{name: "failed to load, credentials", code: cors.CodeInvalidCredentials, param: "TRUE",
			text: "Failed to load https://api.example.com/items: The value of the 'Access-Control-Allow-Credentials' header in the response is 'TRUE' which must be 'true' when the request's credentials mode is 'include'. Origin 'http://localhost:3000' is therefore not allowed access."},
		{name: "failed to load, method", noOrigin: true, code: cors.CodeMethodNotAllowed, param: "PUT",
			text: "Failed to load https://api.example.com/items: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response."},
		{name: "xhr cannot load, header", noOrigin: true, code: cors.CodeHeaderNotAllowed, param: "x-custom", initiator: "XMLHttpRequest",
			text: "XMLHttpRequest cannot load https://api.example.com/items. Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response."},
		{name: "failed to load, unparsable Allow-Methods", noOrigin: true, code: cors.CodeInvalidAllowMethods, param: "a b",
			text: "Failed to load https://api.example.com/items: Cannot parse Access-Control-Allow-Methods response header field in preflight response."},
		{name: "failed to load, unparsable Allow-Headers", noOrigin: true, code: cors.CodeInvalidAllowHeaders, param: "a b",
			text: "Failed to load https://api.example.com/items: Cannot parse Access-Control-Allow-Headers response header field in preflight response."},
		{name: "failed to load, wrapped by a chat tool", code: cors.CodeMissingAllowOrigin, status: 404,
			text: "Failed to load https://api.example.com/items: No 'Access-Control-Allow-Origin' header is present on the\nrequested resource. Origin 'http://localhost:3000' is therefore not allowed access. The response\nhad HTTP status code 404."},
		{name: "xhr cannot load, typographic quotes and a source location", code: cors.CodeMissingAllowOrigin, initiator: "XMLHttpRequest",
			text: "index.html:1 XMLHttpRequest cannot load https://api.example.com/items. No ‘Access-Control-Allow-Origin’ header is present on the requested resource. Origin ‘http://localhost:3000’ is therefore not allowed access."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old, err := Read(tc.text)
			if err != nil {
				t.Fatalf("%v:\n%s", err, tc.text)
			}
			init := tc.initiator
			if init == "" {
				init = "fetch"
			}
			c := &cors.Console{Initiator: init, URL: url, Request: url, Origin: origin, Param: tc.param, Status: tc.status,
				Preflight: isPreflightCode(tc.code), OriginLines: 1}
			if tc.code == cors.CodeInvalidAllowMethods || tc.code == cors.CodeInvalidAllowHeaders {
				c.Value = "GET, a b"
			}
			todayText := strings.Join(cors.Chromium.Lines(&cors.Finding{Code: tc.code, Console: c}), "\n")
			today, err := Read(todayText)
			if err != nil {
				t.Fatalf("today's wording: %v:\n%s", err, todayText)
			}
			if today.Code != tc.code || today.Legacy != "" {
				t.Fatalf("today's wording reads as %q (legacy %q), want %q:\n%s", today.Code, today.Legacy, tc.code, todayText)
			}
			if old.Browser != cors.Chromium.Name || old.Code != today.Code {
				t.Errorf("read %s %q %v; today's wording reads %q %v", old.Browser, old.Code, old.Candidates, today.Code, today.Candidates)
			}
			// Today's line names the page's origin in its frame; the older
			// one only in the causes of the CORS checks.
			wantOrigin := today.Origin
			if tc.noOrigin {
				wantOrigin = ""
			}
			if old.URL != today.URL || old.Origin != wantOrigin {
				t.Errorf("url %q origin %q; want %q %q", old.URL, old.Origin, today.URL, wantOrigin)
			}
			if old.Status != tc.status || today.Status != 0 && today.Status != old.Status {
				t.Errorf("status %d, want %d (today's wording: %d)", old.Status, tc.status, today.Status)
			}
			if old.Legacy == "" {
				t.Errorf("the older wording is not told: %+v", old)
			}
			if tc.initiator != "" && old.Initiator != tc.initiator {
				t.Errorf("initiator %q, want %q", old.Initiator, tc.initiator)
			}
		})
	}
}

// The scheme line users paste from a page opened as file://.
func TestReadLegacyChromeScheme(t *testing.T) {
	r, err := Read("XMLHttpRequest cannot load file:///C:/site/data.json. Cross origin requests are only supported for protocol schemes: http, data, chrome, chrome-extension, https.")
	if err != nil {
		t.Fatal(err)
	}
	if r.Code != cors.CodeCorsDisabledScheme || r.URL != "file:///C:/site/data.json" || r.Legacy == "" {
		t.Errorf("read %q url %q legacy %q", r.Code, r.URL, r.Legacy)
	}
}

// Safari's "… cannot load {url} due to access control checks." is not the
// older Chrome's "… cannot load {url}. {cause}", nor the other way round.
func TestReadLegacyChromeIsNotSafari(t *testing.T) {
	r, err := Read("XMLHttpRequest cannot load https://api.example.com/items due to access control checks.")
	if err != nil || r.Browser != cors.Safari.Name || r.Legacy != "" {
		t.Errorf("Safari's line read as %+v, %v", r, err)
	}
	r, err = Read("XMLHttpRequest cannot load https://api.example.com/items. Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response.")
	if err != nil || r.Browser != cors.Chromium.Name {
		t.Errorf("Chrome's older line read as %+v, %v", r, err)
	}
}

// Every line the engine prints today reads as today's wording, never as an
// older release's: the legacy table only adds to what is read.
func TestTodaysLinesAreNotLegacy(t *testing.T) {
	tried := 0
	for _, p := range cors.AllProfiles {
		for _, in := range cors.Codes() {
			for _, initiator := range []string{"fetch", "XMLHttpRequest"} {
				for _, redirected := range []bool{false, true} {
					text := strings.Join(p.Lines(&cors.Finding{Code: in.Code, Console: sample(in.Code, initiator, redirected, 1)}), "\n")
					if text == "" {
						continue
					}
					tried++
					if r, err := Read(text); err == nil && r.Legacy != "" {
						t.Errorf("%s %s: today's line reads as older wording %q:\n%s", p.Name, in.Code, r.Legacy, text)
					}
				}
			}
		}
	}
	if tried < 100 {
		t.Errorf("only %d lines tried", tried)
	}
}

// Older Chrome's redirect lines (cors.chromiumLegacy names the sources) name
// both ends: the frame the URL redirected from, the cause "Redirect from
// '…' to '…'" or the URL the redirect led to. Each reads as Chrome's, with
// the target as the URL, the source as RedirectedFrom, the page's origin
// when a CORS-check cause names it, and the older wording told.
func TestReadLegacyChromeRedirect(t *testing.T) {
	const (
		from   = "https://api.example.com/items"
		to     = "https://cdn.example.net/items"
		origin = "http://localhost:3000"
	)
	for _, tc := range []struct {
		name, text string
		want       Reading // Browser chromium; Candidates and Note not compared
		note       string  // a word the note holds, "" for no note
	}{
		{name: "failed to load, redirect lacks Allow-Origin", note: "redirect's own response",
			text: "Failed to load https://api.example.com/items: Redirect from 'https://api.example.com/items' to 'https://cdn.example.net/items' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin 'http://localhost:3000' is therefore not allowed access.",
			want: Reading{Code: cors.CodeMissingAllowOrigin, URL: to, RedirectedFrom: from, Origin: origin, Legacy: "Failed to load …"}},
		{name: "failed to load, after a cross-origin hop, origin null", note: "redirect's own response",
			text: "Failed to load https://api.example.com/items: Redirect from 'https://api.example.com/items' to 'https://cdn.example.net/items' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin 'null' is therefore not allowed access.",
			// The redirect's own response: sent before the redirect, its null is the page's.
			want: Reading{Code: cors.CodeMissingAllowOrigin, URL: to, RedirectedFrom: from, Origin: "null", Legacy: "Failed to load …",
				NullOrigin: NullPage}},
		{name: "xhr cannot load, redirect wildcard with credentials", note: "redirect's own response",
			text: "XMLHttpRequest cannot load https://api.example.com/items. Redirect from 'https://api.example.com/items' to 'https://cdn.example.net/items' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. Origin 'http://localhost:3000' is therefore not allowed access. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.",
			want: Reading{Code: cors.CodeWildcardCredentials, URL: to, RedirectedFrom: from, Origin: origin, Initiator: "XMLHttpRequest", Legacy: "XMLHttpRequest cannot load …"}},
		{name: "fetch cannot load, redirect mismatch, hint", note: "redirect's own response",
			text: "Fetch API cannot load https://api.example.com/items. Redirect from 'https://api.example.com/items' to 'https://cdn.example.net/items' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://other.example' that is not equal to the supplied origin. Origin 'http://localhost:3000' is therefore not allowed access. Have the server send the header with a valid value, or, if an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.",
			want: Reading{Code: cors.CodeAllowOriginMismatch, URL: to, RedirectedFrom: from, Origin: origin, Param: "https://other.example", Initiator: "fetch", Legacy: "Fetch API cannot load …"}},
		{name: "xhr cannot load, preflighted request redirected (Chromium 56)", note: "needs a preflight",
			text: "XMLHttpRequest cannot load https://api.example.com/items. Redirect from 'https://api.example.com/items' to 'https://cdn.example.net/items' has been blocked by CORS policy: Request requires preflight, which is disallowed to follow cross-origin redirect.",
			want: Reading{Code: cors.CodePreflightRedirect, URL: to, RedirectedFrom: from, Initiator: "XMLHttpRequest", Legacy: "XMLHttpRequest cannot load …"}},
		{name: "xhr cannot load, redirected, requires preflight (earlier Blink)", note: "needs a preflight",
			text: "XMLHttpRequest cannot load https://api.example.com/items. The request was redirected to 'https://cdn.example.net/items', which is disallowed for cross-origin requests that require preflight.",
			want: Reading{Code: cors.CodePreflightRedirect, URL: to, RedirectedFrom: from, Initiator: "XMLHttpRequest", Legacy: "XMLHttpRequest cannot load …"}},
		{name: "fetch cannot load, redirect to a disallowed scheme",
			text: "Fetch API cannot load https://api.example.com/items. Redirect from 'https://api.example.com/items' has been blocked by CORS policy: Redirect location 'ftp://files.example.net/items' has a disallowed scheme for cross-origin requests.",
			want: Reading{Code: cors.CodeCorsDisabledScheme, URL: "ftp://files.example.net/items", RedirectedFrom: from, Initiator: "fetch", Legacy: "Fetch API cannot load …"}},
		{name: "xhr cannot load, redirect with userinfo (Chromium 56)",
			text: "XMLHttpRequest cannot load https://api.example.com/items. Redirect from 'https://api.example.com/items' has been blocked by CORS policy: Redirect location 'https://user:pass@cdn.example.net/items' contains userinfo, which is disallowed for cross-origin requests.",
			want: Reading{Code: cors.CodeRedirectCredentials, URL: "https://user:pass@cdn.example.net/items", RedirectedFrom: from, Initiator: "XMLHttpRequest", Legacy: "XMLHttpRequest cannot load …"}},
		{name: "failed to load, redirect with username and password",
			text: "Failed to load https://api.example.com/items: Redirect from 'https://api.example.com/items' to 'https://user:pass@cdn.example.net/items' has been blocked by CORS policy: Redirect location 'https://user:pass@cdn.example.net/items' contains a username and password, which is disallowed for cross-origin requests.",
			want: Reading{Code: cors.CodeRedirectCredentials, URL: "https://user:pass@cdn.example.net/items", RedirectedFrom: from, Legacy: "Failed to load …"}},
		{name: "failed to load, redirect, wrapped by a chat tool, typographic quotes", note: "redirect's own response",
			text: "index.html:1 Failed to load https://api.example.com/items: Redirect from ‘https://api.example.com/items’ to\n‘https://cdn.example.net/items’ has been blocked by CORS policy: No ‘Access-Control-Allow-Origin’ header is present on the\nrequested resource. Origin ‘http://localhost:3000’ is therefore not allowed access.",
			want: Reading{Code: cors.CodeMissingAllowOrigin, URL: to, RedirectedFrom: from, Origin: origin, Legacy: "Failed to load …"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Read(tc.text)
			if err != nil {
				t.Fatalf("%v:\n%s", err, tc.text)
			}
			got := *r
			got.Candidates, got.Note = nil, ""
			tc.want.Browser = cors.Chromium.Name
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("read\n %+v\nwant\n %+v", got, tc.want)
			}
			if tc.note == "" && r.Note != "" || !strings.Contains(r.Note, tc.note) {
				t.Errorf("note %q, want one with %q", r.Note, tc.note)
			}
		})
	}
}

// hostilePastes are as long as explain reads (64 KiB), made of the console
// lines' words so that many patterns almost match.
func hostilePastes() []string {
	const size = 64 << 10
	fill := func(s string) string { return strings.Repeat(s, size/len(s)+1)[:size] }
	return []string{
		"Failed to load " + fill("a"),
		fill("Failed to load https://a.example/: Redirect from '"),
		fill("Redirect from 'https://a.example/' to 'https://b.example/' has been blocked by CORS policy: "),
		fill("XMLHttpRequest cannot load x. The request was redirected to '"),
		fill("Fetch API cannot load x. Redirect from 'x' to 'y' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin '"),
		fill("Failed to load x: Redirect from 'x' to 'y' has been blocked by CORS policy: No\n"),
	}
}

// A hostile paste is no console line: it is refused as such, not misread.
func TestHostilePastesAreRefused(t *testing.T) {
	for _, text := range hostilePastes() {
		if r, err := Read(text); !errors.Is(err, ErrNotConsoleText) {
			t.Errorf("%.40q…: read %+v, %v; want ErrNotConsoleText", text, r, err)
		}
	}
}

// BenchmarkReadHostilePaste: each line runs only through the patterns
// whose longest literal it holds. Without that, 64 KiB of "Failed to load
// aaa…" took 60-100 ms; with it, under 1 ms.
func BenchmarkReadHostilePaste(b *testing.B) {
	for i, text := range hostilePastes() {
		b.Run(strconv.Itoa(i), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Read(text)
			}
		})
	}
}
