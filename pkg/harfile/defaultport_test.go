package harfile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

// A recording's Origin header with the default port (no browser sends
// one: a tool or an edit did) is read as the page's serialized origin; a
// server that echoed it answered that header, not the page, and the
// finding says so instead of blaming the server's value. A value with the
// port that the page's own Origin did not ask for is the server's.
func TestRecordedOriginWithDefaultPort(t *testing.T) {
	entry := func(url, origin, acao string) string {
		return fmt.Sprintf(`{"startedDateTime":"2026-01-01T10:00:00.000Z","time":5,"request":{"method":"GET","url":%q,"httpVersion":"HTTP/1.1","headers":[{"name":"User-Agent","value":%q},{"name":"Origin","value":%q},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[{"name":"Access-Control-Allow-Origin","value":%q},{"name":"Vary","value":"Origin"}],"content":{"size":0,"mimeType":"application/json"}},"timings":{"send":1,"wait":1,"receive":1}}`,
			url, ffUA, origin, acao)
	}
	har := fmt.Sprintf(`{"log":{"version":"1.2","creator":{"name":"Firefox","version":"140.0"},"entries":[%s,%s,%s]}}`,
		entry("https://api.example.com/echo", "https://app.example.com:443", "https://app.example.com:443"),
		entry("https://api.example.com/static", "https://app.example.com", "https://app.example.com:443"),
		entry("https://api.example.com/ok", "http://app.example.com:80", "http://app.example.com"))
	_, results := analyzeAll(t, []byte(har), AnalyzeOptions{NoRequestHeaders: true})
	byPath := map[string]*Result{}
	for _, r := range results {
		byPath[r.URL[strings.LastIndexByte(r.URL, '/'):]] = r
	}
	echo, static, ok := byPath["/echo"], byPath["/static"], byPath["/ok"]
	if echo == nil || static == nil || ok == nil {
		t.Fatalf("results %v", results)
	}
	if echo.Origin != "https://app.example.com" || ok.Origin != "http://app.example.com" {
		t.Errorf("origins %q, %q: want the serialized ones", echo.Origin, ok.Origin)
	}
	if ok.Verdict != cors.Allowed {
		t.Errorf("/ok: %s; the value is the page's serialized origin", ok.Verdict)
	}
	find := func(r *Result, code cors.Code) *cors.Finding {
		for i := range r.Findings {
			if r.Findings[i].Code == code {
				return &r.Findings[i]
			}
		}
		return nil
	}
	f := find(echo, cors.CodeAllowOriginMismatch)
	if echo.Verdict != cors.Blocked || f == nil {
		t.Fatalf("/echo: %s %v, want blocked by %s", echo.Verdict, echo.Findings, cors.CodeAllowOriginMismatch)
	}
	for _, want := range []string{"echoed the request's Origin header as recorded, which carries the default port :443", "no browser sends that"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("/echo message lacks %q:\n%s", want, f.Message)
		}
	}
	if !strings.Contains(f.Fix, "--origin https://app.example.com") || find(echo, platform.CodeAllowOriginDefaultPort) != nil {
		t.Errorf("/echo: fix %q, findings %v; want a check with the browser's origin and no server cause", f.Fix, echo.Findings)
	}
	if c := find(static, platform.CodeAllowOriginDefaultPort); static.Verdict != cors.Blocked || c == nil || !c.Cause {
		t.Errorf("/static: %s %v; want %s named the cause", static.Verdict, static.Findings, platform.CodeAllowOriginDefaultPort)
	}
}

// TestRedirectTargetOfNoRedirectAllocatesNothing: add asks redirectTarget
// about every 3xx entry, and a cached page's HAR is full of 304s: one
// without Location that is no redirect status builds nothing to find that
// out.
func TestRedirectTargetOfNoRedirectAllocatesNothing(t *testing.T) {
	for _, status := range []int{304, 300, 305} {
		e := &Entry{Request: Request{Method: "GET", URL: "https://api.test/x"},
			Response: Response{Status: status, Headers: []Header{{Name: "ETag", Value: `"1"`}}}}
		for _, p := range []*cors.Profile{cors.Chromium, cors.Firefox, cors.Safari} {
			if n := testing.AllocsPerRun(100, func() {
				if got := redirectTarget(e, p); got != "" {
					t.Fatalf("%d: redirectTarget = %q, want none", status, got)
				}
			}); n != 0 {
				t.Errorf("%d for %s: redirectTarget allocates %v times per entry", status, p.Name, n)
			}
		}
	}
}
