package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// overWidth lists the lines of out wider than width, but for the ones
// that are meant to stay whole: a console line (what people copy and
// search for), a command or a fix snippet's code to copy, and a single
// word longer than a line.
func overWidth(out string, width int) []string {
	var bad []string
	inSnippet := false
	for _, line := range strings.Split(out, "\n") {
		trim := strings.TrimSpace(line)
		switch {
		case trim == "":
			inSnippet = false
		case strings.HasPrefix(trim, "[") && strings.Contains(trim, "] "):
			// A fix snippet's code: kept whole so it pastes.
			inSnippet = true
		}
		// Columns, not runes: a CJK character takes two.
		if termsafe.Width(line) <= width {
			continue
		}
		// A table's line always fits: no exemption for it.
		if strings.HasPrefix(line, "│") || strings.HasPrefix(line, "┌") || strings.HasPrefix(line, "├") || strings.HasPrefix(line, "└") {
			bad = append(bad, line)
			continue
		}
		switch {
		case inSnippet:
		case strings.HasPrefix(line, "  │ "):
			// check's quoted console line.
		case strings.HasPrefix(trim, "Console:"), strings.HasPrefix(trim, "browser:"), strings.HasPrefix(trim, "Reproduce:"),
			strings.HasPrefix(trim, "corsdiag "):
			// A command on a line of its own, as --help's examples.
		case len(strings.Fields(trim)) <= 1:
		default:
			bad = append(bad, line)
		}
	}
	return bad
}

// check's text fits 40, 50, 80 and 120 columns for every golden case, long
// URLs and long header values included; the API Gateway case is a golden
// file at 50, 80 and 120 columns, redirect-taint at 80: the screens the
// docs show. Below about 60 columns the exchange table stacks each hop in
// one cell: three columns wrapped every header name inside itself.
func TestCheckFitsTheTerminal(t *testing.T) {
	for _, tc := range goldenCases {
		for _, width := range []int{40, 50, 80, 120} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, width), func(t *testing.T) {
				tr := scenarioServer(t, tc.handler)
				_, out, _ := execCheckWidth(t, tr, width, append([]string{"-o", "text"}, tc.args...)...)
				for _, l := range overWidth(out, width) {
					if s := strings.TrimSpace(strings.Trim(l, "│")); width < 80 && strings.HasPrefix(s, "- ") && len(strings.Fields(s)) == 2 {
						continue // a code alone after its list mark
					}
					t.Errorf("wider than %d: %q", width, l)
				}
				if (tc.name == "apigw-preflight-403" && width != 40) || (width == 80 && tc.name == "redirect-taint") {
					// The screen the docs show; the error-path probe's random
					// path would wrap differently on every run.
					_, screen, _ := execCheckWidth(t, tr, width, append([]string{"-o", "text", "--no-error-probe"}, tc.args...)...)
					assertGolden(t, fmt.Sprintf("check-%s.%dcol.txt", tc.name, width), []byte(screen))
				}
			})
		}
	}
}

// check's prose fits 40 and 50 columns too: the verdict, the reported
// code and its cause, another browser's verdict and the pointer to explain
// ran past them on one line each ("Run 'corsdiag explain
// origin-tainted-by-redirect' for details." is 61 columns).
func TestCheckProseFitsNarrow(t *testing.T) {
	for _, tc := range goldenCases {
		for _, width := range []int{40, 50} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, width), func(t *testing.T) {
				tr := scenarioServer(t, tc.handler)
				_, out, _ := execCheckWidth(t, tr, width, append([]string{"-o", "text"}, tc.args...)...)
				for _, l := range overWidth(out, width) {
					if strings.ContainsAny(l[:min(len(l), 3)], "│┌├└") {
						continue // the exchange table: TestCheckFitsTheTerminal
					}
					if s := strings.TrimSpace(l); strings.HasPrefix(s, "- ") && len(strings.Fields(s)) == 2 {
						continue // a code alone after its list mark
					}
					t.Errorf("wider than %d: %q", width, l)
				}
			})
		}
	}
}

// har --browser all's text fits too, on files that the three browsers
// judge alike and differently ("Judged as Firefox (the file's creator);
// the console lines below are Firefox's." was 80 columns on one line).
func TestHarBrowsersFitTheTerminal(t *testing.T) {
	for _, width := range []int{40, 50, 80, 120} {
		for _, file := range []string{"testdata/har_browsers.har", "../../testdata/har/firefox-conformance.har", storyHAR} {
			io, out, _ := fakeIO(nil)
			io.Width, io.WidthSet = width, true
			Main([]string{"har", "--browser", "all", file}, io)
			if !strings.Contains(out.String(), "Browsers ") {
				t.Fatalf("%s: no comparison of the browsers:\n%s", file, out)
			}
			for _, l := range overWidth(out.String(), width) {
				t.Errorf("%s at %d: wider: %q", file, width, l)
			}
		}
	}
}

// har's text fits too, on the conformance recording's 43 blocked requests,
// down to 40 columns.
func TestHarFitsTheTerminal(t *testing.T) {
	for _, width := range []int{40, 50, 80, 120} {
		for _, file := range []string{"testdata/har_session.har", "../../testdata/har/chromium-conformance.har", storyHAR} {
			io, out, _ := fakeIO(nil)
			io.Width, io.WidthSet = width, true
			Main([]string{"har", "--all", file}, io)
			for _, l := range overWidth(out.String(), width) {
				t.Errorf("%s at %d: wider: %q", file, width, l)
			}
			if strings.HasPrefix(file, "testdata/") && width != 120 {
				assertGolden(t, fmt.Sprintf("har_session.%dcol.txt", width), out.Bytes())
			}
			if file == storyHAR && width >= 80 {
				assertGolden(t, fmt.Sprintf("har-apigw-story.%dcol.txt", width), out.Bytes())
			}
		}
	}
}

// ci's table and explanations fit too, with long check names and URLs,
// down to 40 columns.
func TestCIFitsTheTerminal(t *testing.T) {
	good := corsServer(t).URL
	path := writeConfig(t, `defaults: {origin: "https://app.example.com"}
checks:
  - name: list the items of the catalogue with every filter the storefront uses
    url: `+good+`/items/with/a/rather/long/path/that/goes/on?and=a&query=string&api_key=hunter2
    origins:
      - {origin: "https://app.example.com", expect: allow}
      - {origin: "https://a-long-subdomain-name.staging.example.com", expect: allow}
  - name: public
    url: `+good+`/star
    expect: deny
  - name: 注文の一覧を取得する長いチェック名前です注文の一覧を取得する
    url: `+good+`/star?q=注文
    expect: deny
`)
	for _, width := range []int{40, 50, 80, 120} {
		io, out, _ := fakeIO(nil)
		io.Width, io.WidthSet = width, true
		if code := Main([]string{"ci", "-f", path, "--retries", "0"}, io); code != ExitBlocked {
			t.Errorf("exit %d, want 1", code)
		}
		for _, l := range overWidth(out.String(), width) {
			t.Errorf("%d: wider: %q", width, l)
		}
	}
}

// ci's table fits every width by wrapping the check's name and dropping or
// moving columns, never by cutting what users search for: every origin and
// finding code stays whole on one line, and no cell is elided.
func TestCITableWidths(t *testing.T) {
	path := ciMixedConfig(t)
	whole := []string{
		"https://app.example.com", "https://evil.example",
		"local-network-access-permission", "missing-allow-origin", "unexpectedly-allowed",
		"header-not-allowed", "endpoint-unreachable",
	}
	for _, width := range []int{46, 50, 60, 80, 100, 120, 200} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			io, out, _ := fakeIO(nil)
			io.Width, io.WidthSet = width, true
			Main([]string{"ci", "-f", path, "--retries", "0"}, io)
			table, _, _ := strings.Cut(out.String(), "\n\n")
			for _, l := range strings.Split(table, "\n") {
				if termsafe.Width(l) > width {
					t.Errorf("wider than %d: %q", width, l)
				}
			}
			for _, w := range whole {
				if !strings.Contains(table, w) {
					t.Errorf("%q is not whole on one line of\n%s", w, table)
				}
			}
			if strings.Contains(table, "…") {
				t.Errorf("a cell is elided:\n%s", table)
			}
			for _, w := range []string{"list", "items", "update", "(preflight", "only)"} {
				if !strings.Contains(table, w) {
					t.Errorf("the check name's word %q is cut:\n%s", w, table)
				}
			}
		})
	}
}

// storyHAR is the quick start's file: Chromium calling an API Gateway REST
// API (pkg/conformance TestStoryHAR).
const storyHAR = "../../testdata/har/apigw-story.har"

// The quick start's first screen (80x24, the command line included) tells
// the story: the platform, the cause and the fix, for the gateway errors
// first; the missing OPTIONS method follows.
func TestStoryFirstScreen(t *testing.T) {
	io, out, _ := fakeIO(nil)
	io.Width, io.WidthSet = 80, true
	if code := Main([]string{"har", storyHAR}, io); code != ExitBlocked {
		t.Errorf("exit %d, want %d", code, ExitBlocked)
	}
	lines := strings.Split(out.String(), "\n")
	screen := strings.Join(lines[:min(23, len(lines))], "\n")
	for _, want := range []string{
		"3 blocked by the browser",
		"Platform:  Amazon API Gateway (REST API)",
		"✗ apigw-gateway-responses-no-cors",
		"Cause:     API Gateway answered with its own error (401 UNAUTHORIZED)",
		"Fix:       Add Access-Control-Allow-Origin",
		"[aws-cli] update-gateway-response",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the first screen lacks %q:\n%s", want, screen)
		}
	}
	if !strings.Contains(out.String(), "✗ apigw-no-options-method") {
		t.Errorf("no apigw-no-options-method in:\n%s", out)
	}
}

// Every screen kept as a golden file at a fixed width (the docs show them)
// fits that width.
func TestGoldenScreensFit(t *testing.T) {
	for _, width := range []int{40, 50, 80, 120} {
		files, _ := filepath.Glob(filepath.Join("testdata", fmt.Sprintf("*.%dcol.*golden", width)))
		if len(files) == 0 {
			t.Fatalf("no %d-column golden screens", width)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range overWidth(string(b), width) {
				if strings.Contains(l, "DURATION") {
					continue // wrapped at the run's real duration
				}
				t.Errorf("%s: wider than %d: %q", f, width, l)
			}
		}
	}
}

// Long values a server or a user chose: a URL of 300 characters, an
// Access-Control-Allow-Headers list of 100 names, a value with no space to
// break at, 40 exposed headers. Every line still fits
// 40, 50, 80 and 120 columns.
func TestCheckFitsLongValues(t *testing.T) {
	names := make([]string, 100)
	for i := range names {
		names[i] = fmt.Sprintf("x-custom-header-%03d", i)
	}
	h := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", strings.Repeat("https://app.example", 1)+"/"+strings.Repeat("z", 150))
		w.Header().Set("Access-Control-Allow-Headers", strings.Join(names, ", "))
		w.Header().Set("Access-Control-Allow-Methods", "GET, PUT")
		for i := 0; i < 40; i++ {
			w.Header().Add("Access-Control-Expose-Headers", fmt.Sprintf("x-exposed-%02d", i))
		}
		w.Header().Set("X-Opaque", strings.Repeat("q", 300))
		// Wide characters take two columns each (and a server may send
		// them raw, as obs-text).
		w.Header().Set("Server", strings.Repeat("注文", 60))
	}
	url := "https://api.test/" + strings.Repeat("segment/", 30) + "items?" + strings.Repeat("filter=a&", 10)
	for _, width := range []int{40, 50, 80, 120} {
		tr := scenarioServer(t, h)
		code, out, errOut := execCheckWidth(t, tr, width, "-o", "text", url, "--origin", testOrigin, "-X", "PUT", "-H", "X-Custom-Header-001: 1")
		if !strings.Contains(out, "Exchanges") || !strings.Contains(out, "x-custom-header-008") {
			t.Fatalf("exit %d, no exchange table with the headers:\n%s\n%s", code, out, errOut)
		}
		if testing.Verbose() && width == 80 {
			t.Log("\n" + out)
		}
		for _, l := range overWidth(out, width) {
			t.Errorf("%d: wider: %q", width, l)
		}
	}
}

// manyOriginsHAR is a file of requests from several pages: long origins,
// URLs and a long custom method.
func manyOriginsHAR(t *testing.T) string {
	t.Helper()
	entry := func(method, origin, url string) string {
		return `{"startedDateTime":"2024-01-01T00:00:00Z","time":1,"request":{"method":"` + method + `","url":"` + url +
			`","httpVersion":"HTTP/1.1","headers":[{"name":"Origin","value":"` + origin + `"},{"name":"Sec-Fetch-Mode","value":"cors"}],` +
			`"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1",` +
			`"headers":[],"cookies":[],"content":{"size":0,"mimeType":"text/plain"},"redirectURL":"","headersSize":-1,"bodySize":0,` +
			`"_error":"net::ERR_FAILED"},"cache":{},"timings":{"send":0,"wait":1,"receive":0}}`
	}
	long := "https://a-long-subdomain-name.staging.eu-west-1.example.com"
	entries := []string{
		entry("GET", long, "https://api.example.com/items/1"),
		entry("GET", "http://localhost:5173", "https://api.example.com/items/2?"+strings.Repeat("filter=abc&", 12)),
		entry("PROPFIND-AND-SOME-MORE-WORDS", "https://app.example.com", "https://other-api.example.org/v1/orders/2024/12/03"),
		entry("GET", "https://注文.example.jp", "https://api.example.com/注文/一覧"),
	}
	file := filepath.Join(t.TempDir(), "origins.har")
	har := `{"log":{"version":"1.2","creator":{"name":"test","version":"1"},"entries":[` + strings.Join(entries, ",") + `]}}`
	if err := os.WriteFile(file, []byte(har), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// har's table of requests from several pages, with long origins, URLs
// and a long custom method, fits 40 to 120 columns: it was 106 columns
// wide at 80, the origin column never shortened. Each page origin is said
// in its row, under the URL when its column gave way.
func TestHarFitsManyOrigins(t *testing.T) {
	file := manyOriginsHAR(t)
	for _, width := range []int{40, 50, 80, 120} {
		io, out, errOut := fakeIO(nil)
		io.Width, io.WidthSet = width, true
		Main([]string{"har", file}, io)
		if !strings.Contains(out.String(), "│ from http://localhost:5173 ") {
			t.Fatalf("no page origin in the table:\n%s%s", out, errOut)
		}
		for _, l := range overWidth(out.String(), width) {
			t.Errorf("%d: wider: %q", width, l)
		}
	}
}

// har's table fits every width as ci's does, by wrapping the URL and
// giving way (docs/har.md lists the order), never by eliding a cell: it
// cut URLs, origins and finding codes to stubs (`missing-…rigin`). Every
// URL is all there, and every page origin and finding code stays whole on
// one line while the terminal has room for it in a one-column table.
func TestHarTableWidths(t *testing.T) {
	files := []string{"testdata/har_session.har", "../../testdata/har/chromium-conformance.har", manyOriginsHAR(t)}
	for _, file := range files {
		// The piped table, never fitted, holds the cells to look for.
		io, piped, _ := fakeIO(nil)
		Main([]string{"har", "--all", file}, io)
		_, want, _ := strings.Cut(piped.String(), "\nCross-origin requests")
		header, rows := tableCells(want)
		for _, width := range []int{40, 50, 60, 80, 100, 120} {
			t.Run(fmt.Sprintf("%s/%d", filepath.Base(file), width), func(t *testing.T) {
				io, out, _ := fakeIO(nil)
				io.Width, io.WidthSet = width, true
				Main([]string{"har", "--all", file}, io)
				_, table, _ := strings.Cut(out.String(), "\nCross-origin requests")
				for _, l := range strings.Split(table, "\n") {
					if termsafe.Width(l) > width {
						t.Errorf("wider than %d: %q", width, l)
					}
				}
				if strings.Contains(table, "…") {
					t.Errorf("a cell is elided:\n%s", table)
				}
				// Each column's lines one after the other, without the
				// spaces wrapping adds.
				var all strings.Builder
				_, got := tableCells(table)
				for c := range len(got[0]) {
					for _, line := range got {
						all.WriteString(strings.ReplaceAll(line[c], " ", ""))
					}
				}
				for _, row := range rows {
					for c, cell := range row {
						line := cell
						switch header[c] {
						case "Page origin":
							line = "from " + cell
						case "Finding":
							line = "[" + cell + "]"
						}
						whole := termsafe.Width(line)+4 <= width && (header[c] == "Page origin" || header[c] == "Finding")
						if whole && !strings.Contains(table, cell) {
							t.Errorf("%s %q is not whole on one line of\n%s", header[c], cell, table)
						}
						if !strings.Contains(all.String(), strings.ReplaceAll(cell, " ", "")) {
							t.Errorf("%s %q is not all in\n%s", header[c], cell, table)
						}
					}
				}
			})
		}
	}
}

// tableCells reads the first table drawn in text: its header's cells, and
// each line's below it (a fitted row may take several).
func tableCells(text string) (header []string, rows [][]string) {
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(l, "│") {
			if strings.HasPrefix(l, "└") {
				break
			}
			continue
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(l, "│"), "│") {
			cells = append(cells, strings.TrimSpace(c))
		}
		if header == nil {
			header = cells
			continue
		}
		rows = append(rows, cells)
	}
	return header, rows
}

// A compared origin names its row of check's exchange table ("compare /
// from ORIGIN"): a long one (--compare-origin, or the API's own origin that
// check compares by itself, such as an execute-api host) made the step
// column as wide as the origin, and the table 131 columns wide at 80, its
// request column squeezed to two letters a line.
func TestCheckFitsLongComparedOrigin(t *testing.T) {
	h := func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Origin") == testOrigin {
			w.Header().Set("Access-Control-Allow-Origin", testOrigin)
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.Header().Set("Access-Control-Allow-Headers", "content-type")
		}
	}
	long := "https://a-very-long-subdomain-name-that-goes-on-and-on.staging.eu-west-1.example.com"
	for _, width := range []int{40, 50, 80, 120} {
		tr := scenarioServer(t, h)
		_, out, errOut := execCheckWidth(t, tr, width, "-o", "text", "https://api.test/items", "--origin", testOrigin,
			"-X", "PUT", "-H", "Content-Type: application/json", "--compare-origin", long)
		if !strings.Contains(out, "compare") {
			t.Fatalf("no compare row:\n%s%s", out, errOut)
		}
		for _, l := range overWidth(out, width) {
			t.Errorf("%d: wider: %q", width, l)
		}
		if !strings.Contains(out, "OPTIONS /items") {
			t.Errorf("%d: the request column no longer holds its first line whole:\n%s", width, out)
		}
	}
}

// lint's text fits the terminal too: the finding's line, its message, the
// prose of its fix and the summary wrap; a fix snippet's code stays whole.
func TestLintFitsTheTerminal(t *testing.T) {
	for _, width := range []int{40, 50, 80, 120} {
		io, out, errOut := fakeIO(nil)
		io.Width, io.WidthSet = width, true
		code := Main([]string{"lint", "../../testdata/lint/mistakes/sam-auth-on-options.yaml",
			"--origin", "https://a-very-long-subdomain-name-that-goes-on.staging.example.com"}, io)
		if code != ExitBlocked {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, l := range overWidth(out.String(), width) {
			t.Errorf("%d: wider: %q", width, l)
		}
	}
}
