package docs

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	// The platform, HAR, CI and audit packages register their own codes, whose pages live here too.
	_ "github.com/corsdiag/corsdiag/pkg/audit"
	_ "github.com/corsdiag/corsdiag/pkg/harfile"
	_ "github.com/corsdiag/corsdiag/pkg/platform"
	_ "github.com/corsdiag/corsdiag/pkg/suite"
)

// sections every finding page has, in this order (ShellCheck-style pages).
var sections = []string{
	"## What the browser does",
	"## Why",
	"## Example",
	"## How to fix",
	"## How corsdiag detects it",
	"## Related",
}

// headerFields open the page, right under the title.
var headerFields = []string{"Severity", "Chromium", "Console", "Firefox", "Spec"}

// notReplayable are engine codes whose page example cannot be replayed
// through cors.Evaluate, with the reason.
var notReplayable = map[cors.Code]string{
	cors.CodeTooManyRedirects: "needs 21 redirect hops; an example that long helps nobody",
	cors.CodeErrorPathNoCORS:  "found by the probe's error-path request, not by Evaluate",
	cors.CodeActualNotChecked: "set when the probe chose not to send the request (ActualSkipped)",
}

func readPage(t *testing.T, code cors.Code) string {
	t.Helper()
	b, err := fs.ReadFile(Findings, "findings/"+string(code)+".md")
	if err != nil {
		t.Fatalf("no page for %s: %v", code, err)
	}
	return string(b)
}

func registered() map[string]cors.Info {
	m := map[string]cors.Info{}
	for _, in := range cors.Codes() {
		m[string(in.Code)] = in
	}
	return m
}

func TestEveryCodeHasAWellFormedPage(t *testing.T) {
	known := registered()
	for _, in := range cors.Codes() {
		t.Run(string(in.Code), func(t *testing.T) {
			for _, problem := range checkPage(in, readPage(t, in.Code), known) {
				t.Error(problem)
			}
		})
	}
}

func TestNoPageForAnUnknownCode(t *testing.T) {
	known := registered()
	entries, err := fs.ReadDir(Findings, "findings")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("no pages embedded")
	}
	for _, e := range entries {
		name := e.Name()
		if name == "README.md" {
			continue
		}
		if _, ok := known[strings.TrimSuffix(name, ".md")]; !ok {
			t.Errorf("findings/%s documents no registered code", name)
		}
	}
}

func TestIndexListsEveryCodeOnce(t *testing.T) {
	b, err := fs.ReadFile(Findings, "findings/README.md")
	if err != nil {
		t.Fatal(err)
	}
	known := registered()
	seen := map[string]int{}
	for _, m := range linkRE.FindAllStringSubmatch(string(b), -1) {
		target := m[1]
		if strings.Contains(target, "/") || !strings.HasSuffix(target, ".md") {
			continue
		}
		code := strings.TrimSuffix(target, ".md")
		if _, ok := known[code]; !ok {
			t.Errorf("index links to %s, which is not a registered code", target)
		}
		seen[code]++
	}
	for code := range known {
		if seen[code] != 1 {
			t.Errorf("index links %s %d times, want once", code, seen[code])
		}
	}
}

var linkRE = regexp.MustCompile(`\]\(([^)#\s]+)(?:#[^)]*)?\)`)

// checkPage returns what is wrong with page as the page of in.
func checkPage(in cors.Info, page string, known map[string]cors.Info) []string {
	var problems []string
	bad := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	lines := strings.Split(page, "\n")
	if want := "# " + string(in.Code) + ": " + in.Title; lines[0] != want {
		bad("title is %q, want %q", lines[0], want)
	}

	fields := map[string]string{}
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "## ") {
			break
		}
		for _, f := range headerFields {
			if v, ok := strings.CutPrefix(l, "- **"+f+":** "); ok {
				fields[f] = v
			}
		}
	}
	for _, f := range headerFields {
		if fields[f] == "" {
			bad("header block lacks %q", "- **"+f+":**")
		}
	}
	if v := fields["Severity"]; v != "" && !strings.HasPrefix(v, string(in.Severity)) {
		bad("severity is %q, the catalogue says %s", v, in.Severity)
	}
	if in.CorsError != "" && !strings.Contains(fields["Chromium"], "`"+in.CorsError+"`") {
		bad("Chromium field does not name `%s`", in.CorsError)
	}
	if in.Firefox != "" && !strings.Contains(fields["Firefox"], "`"+in.Firefox+"`") {
		bad("Firefox field does not name `%s`", in.Firefox)
	}
	if in.Spec != "" && !strings.Contains(fields["Spec"], in.Spec) {
		bad("Spec field does not say %q", in.Spec)
	}

	at := -1
	for _, s := range sections {
		i := indexLine(lines, s)
		switch {
		case i < 0:
			bad("missing section %q", s)
			continue
		case i < at:
			bad("section %q is out of order", s)
		case sectionBody(lines, i) == "":
			bad("section %q is empty", s)
		}
		at = i
	}

	for _, m := range linkRE.FindAllStringSubmatch(page, -1) {
		target := m[1]
		if strings.Contains(target, "://") || !strings.HasSuffix(target, ".md") {
			continue
		}
		if _, ok := known[strings.TrimSuffix(path.Base(target), ".md")]; !ok || strings.Contains(target, "/") {
			bad("link to %s does not name a finding page", target)
		}
	}
	if i := indexLine(lines, "## Related"); i >= 0 && !strings.Contains(sectionBody(lines, i), ".md)") {
		bad("Related links to no other finding")
	}
	return problems
}

func indexLine(lines []string, s string) int {
	for i, l := range lines {
		if strings.TrimRight(l, " ") == s {
			return i
		}
	}
	return -1
}

// sectionBody is the text under the heading at i, up to the next "## ".
func sectionBody(lines []string, i int) string {
	var b strings.Builder
	for _, l := range lines[i+1:] {
		if strings.HasPrefix(l, "## ") {
			break
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return strings.TrimSpace(b.String())
}

func TestCheckPageCatchesBrokenPages(t *testing.T) {
	in := cors.Info{Code: "demo-code", Severity: cors.SeverityError, Title: "A demo", CorsError: "DemoError", Firefox: "CORSDemo", Spec: "Fetch §demo"}
	known := map[string]cors.Info{"demo-code": in, "other-code": {Code: "other-code"}}
	good := "# demo-code: A demo\n\n" +
		"- **Severity:** error\n- **Chromium:** `DemoError`\n- **Console:** `x`\n- **Firefox:** `CORSDemo`\n- **Spec:** Fetch §demo\n\n" +
		"## What the browser does\nx\n## Why\nx\n## Example\nx\n## How to fix\nx\n## How corsdiag detects it\nx\n## Related\n- [other](other-code.md)\n"
	tests := []struct {
		name string
		page string
		want string // substring of a problem; "" means no problem
	}{
		{"good", good, ""},
		{"wrong title", strings.Replace(good, "A demo", "Another", 1), "title is"},
		{"wrong severity", strings.Replace(good, "**Severity:** error", "**Severity:** warning", 1), "severity is"},
		{"no Chromium name", strings.Replace(good, "`DemoError`", "none", 1), "Chromium field"},
		{"no Firefox key", strings.Replace(good, "`CORSDemo`", "none", 1), "Firefox field"},
		{"no spec", strings.Replace(good, "- **Spec:** Fetch §demo\n", "", 1), `lacks "- **Spec:**"`},
		{"missing section", strings.Replace(good, "## Why\nx\n", "", 1), `missing section "## Why"`},
		{"empty section", strings.Replace(good, "## Example\nx\n", "## Example\n\n", 1), `"## Example" is empty`},
		{"out of order", strings.Replace(strings.Replace(good, "## Why\nx\n", "", 1), "## Related", "## Why\nx\n## Related", 1), "out of order"},
		{"dead link", strings.Replace(good, "other-code.md", "gone-code.md", 1), "gone-code.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := checkPage(in, tt.page, known)
			if tt.want == "" {
				if len(problems) > 0 {
					t.Fatalf("unexpected problems: %v", problems)
				}
				return
			}
			for _, p := range problems {
				if strings.Contains(p, tt.want) {
					return
				}
			}
			t.Fatalf("problems %v do not mention %q", problems, tt.want)
		})
	}
}

// engineCodes reads the Code constants declared in pkg/cors/codes.go, so
// the engine's own pages are held to the replay rule while codes other
// packages register are not.
func engineCodes(t *testing.T) []cors.Code {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../pkg/cors/codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []cors.Code
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Values) != 1 {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "Code" {
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok {
				s, _ := strconv.Unquote(lit.Value)
				out = append(out, cors.Code(s))
			}
		}
		return true
	})
	if len(out) < 30 {
		t.Fatalf("read only %d codes from codes.go", len(out))
	}
	return out
}

// TestExamplesReplay runs each engine page's example through the engine:
// the failing exchange must produce the page's code (as the reported error,
// for errors) and, when the console template is given, Chromium's message;
// the fixed exchange must be allowed and free of the code.
func TestExamplesReplay(t *testing.T) {
	for _, code := range engineCodes(t) {
		in, ok := cors.Lookup(code)
		if !ok {
			t.Errorf("codes.go declares %s but it is not registered", code)
			continue
		}
		if _, skip := notReplayable[code]; skip {
			continue
		}
		t.Run(string(code), func(t *testing.T) {
			page := readPage(t, code)
			ex, err := parseExample(page)
			if err != nil {
				t.Fatalf("example: %v", err)
			}
			d := cors.Evaluate(ex.broken)
			var got *cors.Finding
			for i := range d.Findings {
				if d.Findings[i].Code == code {
					got = &d.Findings[i]
					break
				}
			}
			if got == nil {
				t.Fatalf("the example does not produce %s; findings: %v", code, codesOf(d))
			}
			if in.Severity == cors.SeverityError && (d.Reported() == nil || d.Reported().Code != code) {
				t.Errorf("the example's reported error is %v, want %s", d.Reported(), code)
			}
			checkConsole(t, page, got.BrowserMessage)
			for _, other := range []*cors.Profile{cors.Firefox, cors.Safari} {
				checkQuoted(t, page, other, other.Evaluate(ex.broken), code)
			}

			if ex.fixed == nil {
				t.Fatal("the example has no ### Fixed exchange")
			}
			fixed := cors.Evaluate(ex.fixed)
			if fixed.Verdict != cors.Allowed {
				t.Errorf("the fixed exchange is still blocked: %v", codesOf(fixed))
			}
			if in.Severity != cors.SeverityInfo && fixed.Has(code) {
				t.Errorf("the fixed exchange still has %s", code)
			}
		})
	}
	for code := range notReplayable {
		if _, ok := cors.Lookup(code); !ok {
			t.Errorf("notReplayable names %s, which is not registered", code)
		}
	}
}

func codesOf(d *cors.Diagnosis) []cors.Code {
	var out []cors.Code
	for _, f := range d.Findings {
		out = append(out, f.Code)
	}
	return out
}

var (
	// backtickRE is a code span; a ``double`` one may hold backticks.
	backtickRE    = regexp.MustCompile("`` ?(.+?) ?``|`([^`]+)`")
	placeholderRE = regexp.MustCompile(`\\\{[a-z_ -]+\\\}`)
)

// checkConsole matches the page's console template against the message the
// engine produced for the example.
func checkConsole(t *testing.T, page, message string) {
	t.Helper()
	var field string
	for _, l := range strings.Split(page, "\n") {
		if v, ok := strings.CutPrefix(l, "- **Console:** "); ok {
			field = v
			break
		}
	}
	m := backtickRE.FindStringSubmatch(field)
	if m != nil && m[1] == "" {
		m = []string{m[0], m[2]}
	}
	if message == "" {
		if m != nil && strings.HasPrefix(m[1], "Access to ") {
			t.Errorf("the page gives a CORS console line, but the engine predicts none")
		}
		return
	}
	if m == nil {
		t.Fatalf("the page gives no console template; the engine predicts %q", message)
	}
	re := regexp.MustCompile("^" + placeholderRE.ReplaceAllString(regexp.QuoteMeta(m[1]), ".*") + "$")
	if !re.MatchString(message) {
		t.Errorf("console template\n  %s\ndoes not match the engine's message\n  %s", m[1], message)
	}
}

// quotedField is the header field of a page that quotes a profile's
// console lines: Firefox's in "- **Firefox:**", Safari's in "- **Safari:**"
// (or, on pages without one, after "Safari:" in the Console field).
func quotedField(page string, p *cors.Profile) string {
	var console string
	for _, l := range strings.Split(page, "\n") {
		if v, ok := strings.CutPrefix(l, "- **"+p.Display+":** "); ok {
			return v
		}
		if v, ok := strings.CutPrefix(l, "- **Console:** "); ok {
			console = v
		}
	}
	if _, after, ok := strings.Cut(console, p.Display+":"); ok {
		return after
	}
	return ""
}

// checkQuoted holds every console line a page quotes for p (a code span
// that starts the way the browser's line for this code starts) to the line
// p's profile writes for the page's example, byte for byte outside the
// {placeholders}. A page may quote several (Firefox's one-line and
// two-line forms); the profile's line must be one of them, and each one
// quoted must be a line of the profile's templates.
func checkQuoted(t *testing.T, page string, p *cors.Profile, d *cors.Diagnosis, code cors.Code) {
	t.Helper()
	field := quotedField(page, p)
	if field == "" {
		return
	}
	var got string
	for _, f := range d.Findings {
		if f.Code == code {
			got = f.BrowserMessage
			break
		}
	}
	var quoted []string
	for _, m := range backtickRE.FindAllStringSubmatch(field, -1) {
		q := m[1]
		if q == "" {
			q = m[2]
		}
		if strings.Contains(q, " ") && !strings.HasPrefix(q, "TypeError") && !strings.HasPrefix(q, "GET ") {
			quoted = append(quoted, q)
		}
	}
	if len(quoted) == 0 {
		return
	}
	templates := map[string]bool{}
	for _, tm := range p.Templates() {
		templates[tm.Text] = true
	}
	for _, q := range quoted {
		re := regexp.MustCompile("^" + placeholderRE.ReplaceAllString(regexp.QuoteMeta(q), ".*") + "$")
		ok := false
		for tm := range templates {
			if re.MatchString(tm) {
				ok = true
				break
			}
		}
		if !ok && (got == "" || !re.MatchString(got)) {
			t.Errorf("%s line quoted on the page is not one %s writes:\n  %s", p.Display, p.Display, q)
		}
	}
	if got == "" {
		return
	}
	for _, q := range quoted {
		re := regexp.MustCompile("^" + placeholderRE.ReplaceAllString(regexp.QuoteMeta(q), ".*") + "$")
		if re.MatchString(got) {
			return
		}
	}
	t.Errorf("the page quotes %s as\n  %s\nbut for the example %s writes\n  %s", p.Display, strings.Join(quoted, "\n  "), p.Display, got)
}

// example is a page's "## Example", as exchanges.
type example struct {
	broken *cors.Exchange
	fixed  *cors.Exchange // nil without a "### Fixed" part
}

var (
	originRE = regexp.MustCompile(`^// page: (\S+)`)
	fetchRE  = regexp.MustCompile(`fetch\("([^"]+)"`)
	// An <img crossorigin> load: img.crossOrigin = "anonymous"; img.src = "url".
	imageRE   = regexp.MustCompile(`(?s)crossOrigin = "anonymous";.*\.src = "([^"]+)"`)
	methodRE  = regexp.MustCompile(`method:\s*"([^"]+)"`)
	headersRE = regexp.MustCompile(`headers:\s*\{([^}]*)\}`)
	pairRE    = regexp.MustCompile(`"([^"]+)":\s*"([^"]*)"`)
	credsRE   = regexp.MustCompile(`credentials:\s*"include"`)
	// redirectRE is fetch()'s redirect mode (follow, manual, error).
	redirectRE = regexp.MustCompile(`redirect:\s*"([a-z]+)"`)
	// serverRE: "// server: 127.0.0.1:8080" gives the IP every hop was
	// sent to (Local Network Access judges it).
	serverRE = regexp.MustCompile(`(?m)^// server: (\S+)`)
)

// onServer sets the remote address of every hop from js's "// server:" line.
func onServer(ex *cors.Exchange, js string) {
	m := serverRE.FindStringSubmatch(js)
	if ex == nil || m == nil {
		return
	}
	if ex.Preflight != nil {
		ex.Preflight.RemoteAddress = m[1]
	}
	for i := range ex.Actual {
		ex.Actual[i].RemoteAddress = m[1]
	}
}

// parseExample reads the Example section: a js block with the page's origin
// ("// page: https://app.example.com") and one fetch() call, then http
// blocks in wire order (preflight request and response, actual request and
// response, redirect hops). A request block with no response after it got
// none. Under "### Fixed", a js block replaces the request (the fix is in
// the page) and http blocks give its exchange; without one, http blocks
// either give a whole new sequence (if any is a request) or replace the
// responses above, in order.
func parseExample(page string) (*example, error) {
	lines := strings.Split(page, "\n")
	i := indexLine(lines, "## Example")
	if i < 0 {
		return nil, fmt.Errorf("no ## Example")
	}
	var js, fixedJS string
	var broken, fixed [][]string
	inFixed := false
	for j := i + 1; j < len(lines) && !strings.HasPrefix(lines[j], "## "); j++ {
		l := lines[j]
		if strings.HasPrefix(l, "### Fixed") {
			inFixed = true
			continue
		}
		lang, ok := strings.CutPrefix(l, "```")
		if !ok || lang == "" {
			continue
		}
		var body []string
		for j++; j < len(lines) && lines[j] != "```"; j++ {
			body = append(body, lines[j])
		}
		switch {
		case lang == "js" && inFixed:
			fixedJS = strings.Join(body, "\n")
		case lang == "js" && js == "":
			js = strings.Join(body, "\n")
		case lang == "http" && inFixed:
			fixed = append(fixed, body)
		case lang == "http":
			broken = append(broken, body)
		}
	}
	if js == "" {
		return nil, fmt.Errorf("no js block")
	}
	req, err := parseFetch(js)
	if err != nil {
		return nil, err
	}
	ex := &example{}
	if ex.broken, err = buildExchange(req, broken); err != nil {
		return nil, err
	}
	onServer(ex.broken, js)
	if fixed == nil && fixedJS == "" {
		return ex, nil
	}
	if fixedJS != "" {
		// The fix is on the page: a new request, with its own exchange.
		if req, err = parseFetch(fixedJS); err != nil {
			return nil, err
		}
		ex.fixed, err = buildExchange(req, fixed)
		onServer(ex.fixed, fixedJS)
		return ex, err
	}
	hasRequest := false
	for _, b := range fixed {
		if !isResponse(b) {
			hasRequest = true
		}
	}
	if !hasRequest {
		// Each request has a response slot, filled or not; the fixed
		// responses fill the slots in order.
		var merged [][]string
		k := 0
		for n, b := range broken {
			if isResponse(b) {
				continue
			}
			merged = append(merged, b)
			switch {
			case k < len(fixed):
				merged = append(merged, fixed[k])
				k++
			case n+1 < len(broken) && isResponse(broken[n+1]):
				merged = append(merged, broken[n+1])
			}
		}
		if k < len(fixed) {
			return nil, fmt.Errorf("### Fixed has %d responses, the example only %d", len(fixed), k)
		}
		fixed = merged
	}
	ex.fixed, err = buildExchange(req, fixed)
	onServer(ex.fixed, js)
	return ex, err
}

func isResponse(block []string) bool {
	return len(block) > 0 && strings.HasPrefix(block[0], "HTTP/")
}

func parseFetch(js string) (cors.Request, error) {
	var r cors.Request
	m := originRE.FindStringSubmatch(js)
	if m == nil {
		return r, fmt.Errorf("the js block does not start with // page: <origin>")
	}
	r.Origin = m[1]
	if m = imageRE.FindStringSubmatch(js); m != nil {
		r.URL, r.Initiator = m[1], "image"
	} else if m = fetchRE.FindStringSubmatch(js); m != nil {
		r.URL = m[1]
	} else {
		return r, fmt.Errorf("the js block has no fetch(\"url\" nor an image's src")
	}
	r.Method = "GET"
	if m = methodRE.FindStringSubmatch(js); m != nil {
		r.Method = m[1]
	}
	r.Header = http.Header{}
	if m = headersRE.FindStringSubmatch(js); m != nil {
		for _, p := range pairRE.FindAllStringSubmatch(m[1], -1) {
			r.Header.Add(p[1], p[2])
		}
	}
	r.Credentials = credsRE.MatchString(js)
	if m = redirectRE.FindStringSubmatch(js); m != nil {
		r.Redirect = m[1]
	}
	return r, nil
}

func buildExchange(r cors.Request, blocks [][]string) (*cors.Exchange, error) {
	ex := &cors.Exchange{Request: r}
	current := r.URL
	var last *cors.Hop
	for _, b := range blocks {
		if len(b) == 0 {
			return nil, fmt.Errorf("empty http block")
		}
		h := http.Header{}
		for _, l := range b[1:] {
			name, value, ok := strings.Cut(l, ":")
			if !ok {
				return nil, fmt.Errorf("bad header line %q", l)
			}
			h.Add(strings.TrimSpace(name), strings.TrimSpace(value))
		}
		if rest, ok := strings.CutPrefix(b[0], "HTTP/1.1 "); ok {
			if last == nil || last.Response != nil {
				return nil, fmt.Errorf("response %q follows no request", b[0])
			}
			code, text, _ := strings.Cut(rest, " ")
			status, err := strconv.Atoi(code)
			if err != nil {
				return nil, fmt.Errorf("bad status line %q", b[0])
			}
			last.Response = &cors.Message{Status: status, StatusText: text, Header: h}
			continue
		}
		method, _, _ := strings.Cut(b[0], " ")
		if method == "OPTIONS" && h.Get("Access-Control-Request-Method") != "" {
			ex.Preflight = &cors.Hop{Request: cors.Message{Method: method, URL: r.URL, Header: h}}
			last = ex.Preflight
			continue
		}
		if len(ex.Actual) > 0 {
			prev := ex.Actual[len(ex.Actual)-1]
			if prev.Response == nil {
				return nil, fmt.Errorf("request %q follows a request that got no response", b[0])
			}
			base, _ := url.Parse(current)
			next, err := base.Parse(prev.Response.Header.Get("Location"))
			if err != nil {
				return nil, fmt.Errorf("bad Location: %v", err)
			}
			current = next.String()
		}
		ex.Actual = append(ex.Actual, cors.Hop{Request: cors.Message{Method: method, URL: current, Header: h}})
		last = &ex.Actual[len(ex.Actual)-1]
	}
	return ex, nil
}
