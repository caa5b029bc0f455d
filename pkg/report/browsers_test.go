package report

import (
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
)

func TestHARBrowsersDiffer(t *testing.T) {
	// judged is each browser's results: by request index, the code it
	// reports ("" allowed, "-" blocked without a reported code, "!"
	// allowed with an allowed-despite-headers warning).
	type judged map[int]cors.Code
	for _, tc := range []struct {
		name     string
		browsers []string
		judged   []judged
		want     string
		diffs    []HARDifference
	}{
		{
			"differ", []string{"chromium", "firefox", "safari"},
			[]judged{
				{0: cors.CodeMissingAllowOrigin, 1: "", 2: ""},
				{0: cors.CodeMissingAllowOrigin, 1: "", 2: cors.CodeHeaderNotAllowed},
				{0: cors.CodeMissingAllowOrigin, 1: "", 2: cors.CodeHeaderNotAllowed},
			},
			"Browsers differ on 1 request: Chrome 1 blocked, Firefox 2 blocked, Safari 2 blocked.\n  #2 https://api.example.com/2: blocked in Firefox and Safari only (header-not-allowed)\n",
			[]HARDifference{{Index: 2, URL: "https://api.example.com/2", Blocked: []string{"firefox", "safari"}, Allowed: []string{"chromium"}}},
		},
		{
			// A request the first browser does not judge is not listed;
			// one only it judges is allowed in the others.
			"judged by some", []string{"chromium", "firefox"},
			[]judged{{0: "-"}, {1: "-"}},
			"Browsers differ on 1 request: Chrome 1 blocked, Firefox 1 blocked.\n  #0 https://api.example.com/0: blocked in Chrome only\n",
			[]HARDifference{{Index: 0, URL: "https://api.example.com/0", Blocked: []string{"chromium"}, Allowed: []string{"firefox"}}},
		},
		{
			// The code is the first browser's that reports one.
			"first code", []string{"chromium", "firefox", "safari"},
			[]judged{{7: ""}, {7: "-"}, {7: cors.CodeHeaderNotAllowed}},
			"Browsers differ on 1 request: Chrome 0 blocked, Firefox 1 blocked, Safari 1 blocked.\n  #7 https://api.example.com/7: blocked in Firefox and Safari only (header-not-allowed)\n",
			[]HARDifference{{Index: 7, URL: "https://api.example.com/7", Blocked: []string{"firefox", "safari"}, Allowed: []string{"chromium"}}},
		},
		{
			"agree", []string{"firefox", "safari"},
			[]judged{{0: "", 1: cors.CodeMissingAllowOrigin}, {0: "", 1: cors.CodeMissingAllowOrigin}},
			"Browsers agree on every request: Firefox 1 blocked, Safari 1 blocked.\n", nil,
		},
		{
			// Chrome allowed #0 and #1 with an extension: the verdicts
			// agree as recorded, but on the server's answer each blocks
			// them, and the line says so beside the agreement.
			"allowed despite headers", []string{"chromium", "firefox", "safari"},
			[]judged{{0: "!", 1: "!", 2: ""}, {0: "!", 1: "!", 2: ""}, {0: "!", 1: "!", 2: ""}},
			"Browsers agree on every request: Chrome 0 blocked, Firefox 0 blocked, Safari 0 blocked.\n" +
				"  As recorded: 2 requests were allowed despite the server's answer (allowed-despite-headers); " +
				"on that answer Chrome, Firefox and Safari block them.\n", nil,
		},
		{
			// Each browser's engine judges the answer: the counts may part.
			"allowed despite headers by some", []string{"chromium", "safari"},
			[]judged{{0: "!", 1: "!"}, {0: "!", 1: ""}},
			"Browsers agree on every request: Chrome 0 blocked, Safari 0 blocked.\n" +
				"  As recorded: requests allowed despite the server's answer (allowed-despite-headers) " +
				"that each blocks on that answer: Chrome 2, Safari 1.\n", nil,
		},
		{"one browser", []string{"chromium"}, []judged{{0: "-"}}, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bs := NewHARBrowsers(tc.browsers)
			for _, k := range bs.PassOrder() {
				idx := slices.Sorted(maps.Keys(tc.judged[k]))
				for _, i := range idx {
					res := &harfile.Result{Index: i, URL: fmt.Sprintf("https://api.example.com/%d", i), Verdict: cors.Allowed}
					switch code := tc.judged[k][i]; code {
					case "":
					case "!":
						res.Findings = []cors.Finding{{Code: harfile.CodeAllowedDespiteHeaders}}
					case "-":
						res.Verdict = cors.Blocked
					default:
						res.Verdict = cors.Blocked
						res.Findings = []cors.Finding{{Code: code, Reported: true}}
					}
					bs.Add(k, res)
				}
			}
			var b strings.Builder
			writeHARBrowsers(&b, bs, func(s string) string { return s }, 0)
			if b.String() != tc.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tc.want)
			}
			if diffs := harDifferences(bs); !reflect.DeepEqual(diffs, tc.diffs) && len(diffs)+len(tc.diffs) > 0 {
				t.Errorf("differences %+v, want %+v", diffs, tc.diffs)
			}
		})
	}
}

// TestBrowsersDifferOnAFont: Safari loads a web font without CORS
// (WebKitGTK 2.50: load-font-no-acao), so a font Chrome and Firefox block
// works there; the report says why rather than leaving it a puzzle.
func TestBrowsersDifferOnAFont(t *testing.T) {
	ex := &cors.Exchange{
		Request: cors.Request{Method: "GET", URL: "https://cdn.example.com/fa.woff2", Origin: "https://app.example.com", Initiator: "font"},
		Actual:  []cors.Hop{{Response: &cors.Message{Status: 200, Header: http.Header{}}}},
	}
	var vs []cors.BrowserVerdict
	for _, p := range cors.AllProfiles {
		vs = append(vs, p.Judge(ex))
	}
	differ, headline, why := BrowsersDiffer(vs)
	const want = "Safari loads it without CORS (no Origin sent, nothing checked); Chrome and Firefox check it"
	if !differ || headline != "blocked in Chrome and Firefox only; allowed in Safari" || why != want {
		t.Errorf("%v %q\nwhy %q\nwant %q", differ, headline, why, want)
	}
}
