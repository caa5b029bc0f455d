package platform

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

var (
	fetchURLRE    = regexp.MustCompile(`fetch\("([^"]+)"`)
	fetchMethodRE = regexp.MustCompile(`method:\s*"([^"]+)"`)
	fetchPairRE   = regexp.MustCompile(`"([^"]+)":\s*"([^"]*)"`)
)

// pageResponse reads a page's Example answer: "HTTP/1.1 403 Forbidden",
// header lines, a blank line, the body.
func pageResponse(t *testing.T, text string) *cors.Message {
	t.Helper()
	head, body, _ := strings.Cut(strings.TrimSpace(text), "\n\n")
	lines := strings.Split(head, "\n")
	f := strings.Fields(lines[0])
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") {
		t.Fatalf("the example's first line %q is not a status line", lines[0])
	}
	st, err := strconv.Atoi(f[1])
	if err != nil {
		t.Fatal(err)
	}
	m := &cors.Message{Status: st, StatusText: strings.Join(f[2:], " "), Header: http.Header{}, Body: []byte(body)}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("header line %q", l)
		}
		m.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return m
}

// preflightCodes are the engine codes found on the OPTIONS answer.
var preflightCodes = map[cors.Code]bool{
	cors.CodePreflightMissingAllowOrigin: true, cors.CodePreflightStatus: true, cors.CodePreflightRedirect: true,
	cors.CodePreflightAllowOriginMismatch: true, cors.CodeMethodNotAllowed: true, cors.CodeHeaderNotAllowed: true,
	cors.CodePreflightWildcardCredentials: true,
}

// needsMore are the platform codes that need more than the page's one
// exchange, with the reason; the engine half of the test still holds.
var needsMore = map[cors.Code]string{
	CodeApacheHeaderNoAlways:   "found by comparing with another answer that has the header (the error-path probe's)",
	CodeNginxAddHeaderNoAlways: "found by comparing with another answer that has the header (the error-path probe's)",
	CodeAPIGWForbiddenAll:      "found by the error-path probe's answer for a path that cannot exist",
}

// TestPageExamplesProduceTheirCodes: the answer a platform page shows, for
// the fetch() it shows, gives the engine finding the page's header fields
// (Chromium name, console line) belong to, and corsdiag finds the page's
// own code in it.
func TestPageExamplesProduceTheirCodes(t *testing.T) {
	for _, code := range PageCodes() {
		p := pages[code]
		if p.Explains == cors.CodePreflightNetwork || p.Explains == cors.CodeActualNetwork || p.Explains == cors.CodeErrorPathNoCORS {
			continue // no answer to judge, or found by the probe
		}
		t.Run(string(code), func(t *testing.T) {
			js := exampleFetch(code)
			r := cors.Request{Method: "GET", URL: fetchURLRE.FindStringSubmatch(js)[1], Origin: "https://app.example.com", Header: http.Header{}}
			if m := fetchMethodRE.FindStringSubmatch(js); m != nil {
				r.Method = m[1]
			}
			r.Credentials = strings.Contains(js, `credentials: "include"`)
			if _, h, ok := strings.Cut(js, "headers:"); ok {
				for _, kv := range fetchPairRE.FindAllStringSubmatch(h, -1) {
					r.Header.Set(kv[1], kv[2])
				}
			}
			resp := pageResponse(t, p.Example)
			ex := &cors.Exchange{Request: r}
			if p.Preflight != "" {
				ex.Preflight = &cors.Hop{Request: cors.Message{Method: "OPTIONS", URL: r.URL}, Response: pageResponse(t, p.Preflight)}
			}
			if preflightCodes[p.Explains] {
				ex.Preflight = &cors.Hop{Request: cors.Message{Method: "OPTIONS", URL: r.URL}, Response: resp}
			} else {
				ex.Actual = []cors.Hop{{Request: cors.Message{Method: r.Method, URL: r.URL}, Response: resp}}
			}
			d := cors.Evaluate(ex)
			if rep := d.Reported(); rep == nil || rep.Code != p.Explains {
				var got []cors.Code
				for _, f := range d.Findings {
					got = append(got, f.Code)
				}
				t.Errorf("the page explains %s, but its example gives %v", p.Explains, got)
			}
			var found []cors.Code
			for _, f := range Analyze(Input{Exchange: ex, Diagnosis: d}).Findings {
				if f.Code == code {
					return
				}
				found = append(found, f.Code)
			}
			if why, ok := needsMore[code]; ok {
				t.Logf("not found from the example alone: %s", why)
				return
			}
			t.Errorf("corsdiag does not find %s in its page's example; it finds %v", code, found)
		})
	}
}
