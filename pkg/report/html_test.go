package report

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/corsdiag/corsdiag/pkg/audit"
	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// hostileExchange is an exchange whose every server- or file-supplied
// string tries to break out of the page.
func hostileExchange(payload string) (*cors.Exchange, []cors.Finding) {
	u := "https://api.example.com/items?q=" + payload + "&access_token=SECRETTOKEN123456"
	ex := &cors.Exchange{
		// A HAR records any method string (the diagram's title names it).
		Request: cors.Request{Method: "PUT" + payload, URL: u, Origin: "https://app.example.com"},
		Preflight: &cors.Hop{
			Request: cors.Message{Method: "OPTIONS", URL: u, Header: http.Header{
				"Origin":                        {"https://app.example.com"},
				"Access-Control-Request-Method": {"PUT"},
				"Authorization":                 {"Bearer SECRETTOKEN123456"},
			}},
			Response: &cors.Message{Status: 403, StatusText: payload, Header: http.Header{
				"Access-Control-Allow-Origin":                                 {payload},
				"X-Evil" + strings.NewReplacer(":", "", "\n", "").Replace(""): {payload},
				"Location":   {"javascript:alert(1)"},
				"Set-Cookie": {"session=SECRETTOKEN123456"},
			}, Body: []byte(payload)},
			NetError: "",
		},
	}
	fs := []cors.Finding{{
		Code: cors.CodePreflightAllowOriginMismatch, Severity: cors.SeverityError, Step: "preflight",
		Message: "ACAO is " + payload, BrowserMessage: "Access to fetch at '" + u + "' " + payload,
		CorsError: "PreflightAllowOriginMismatch", FailedParameter: payload, Fix: "fix " + payload, Reported: true,
	}, {
		Code: "apigw-no-options-method", Severity: cors.SeverityError, Step: "preflight", Platform: payload,
		Message: payload, Fix: "aws apigateway " + payload,
	}}
	return ex, fs
}

var hostilePayloads = []string{
	`</script><script>alert(1)</script>`,
	`"><svg onload=alert(1)>`,
	`'><img src=x onerror=alert(1)>`,
	`javascript:alert(1)`,
	"\u202Eevil\u202C and \u2066isolate\u2069 zero\u200bwidth",
	"\x1b[31mred\x1b[0m \x07bell",
	`{{.CSS}} ]]> <!-- --> <![CDATA[`,
	`</title></svg><style>*{display:none}</style>`,
}

func TestHTMLEscapesHostileInput(t *testing.T) {
	for _, p := range hostilePayloads {
		ex, fs := hostileExchange(p)
		var buf bytes.Buffer
		err := WriteHTML(&buf, &HTMLPage{
			Tool: Tool{Name: "corsdiag", Version: "test"}, Command: "check", Source: ex.Request.URL,
			Counts: []HTMLCount{{Label: "blocked", N: 1}},
			Items:  []HTMLItem{{Label: p, Verdict: "blocked", Exchange: ex, Findings: fs, Note: p}},
		})
		if err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		assertSafePage(t, p, buf.String())
	}
}

// assertSafePage parses out as a browser would: only our own elements, no
// event handler, no URL that leaves the page, no invisible or control
// character, no secret.
func assertSafePage(t *testing.T, p, out string) {
	t.Helper()
	elems := map[string]int{}
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		elems[tok.Data]++
		for _, a := range tok.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("%q: <%s %s=%q>", p, tok.Data, a.Key, a.Val)
			}
			switch strings.ToLower(a.Key) {
			case "href", "src", "action", "xlink:href", "formaction":
				if !strings.HasPrefix(a.Val, "#") {
					t.Errorf("%q: <%s %s=%q> points outside the page", p, tok.Data, a.Key, a.Val)
				}
			}
		}
	}
	for tag, want := range map[string]int{"script": 1, "style": 1, "img": 0, "iframe": 0, "object": 0, "embed": 0, "link": 0, "base": 0, "meta": 5, "svg": 1} {
		if elems[tag] != want {
			t.Errorf("%q: %d <%s> elements in the page, want %d", p, elems[tag], tag, want)
		}
	}
	for _, bad := range []string{"\u202E", "\u2066", "\u200b", "\x1b", "\x07", "SECRETTOKEN123456"} {
		if strings.Contains(out, bad) {
			t.Errorf("%q: the page holds %q", p, bad)
		}
	}
}

// FuzzHTML: whatever a server sends, the page holds only our markup.
func FuzzHTML(f *testing.F) {
	for _, p := range hostilePayloads {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		ex, fs := hostileExchange(p)
		var buf bytes.Buffer
		if err := WriteHTML(&buf, &HTMLPage{Command: "check", Source: ex.Request.URL, Items: []HTMLItem{{Label: p, Verdict: "blocked", Exchange: ex, Findings: fs, Note: p}}}); err != nil {
			t.Fatal(err)
		}
		assertSafePage(t, p, buf.String())
	})
}

func TestHTMLNoRedactShowsSecrets(t *testing.T) {
	ex, fs := hostileExchange("x")
	var buf bytes.Buffer
	if err := WriteHTML(&buf, &HTMLPage{Command: "check", Items: []HTMLItem{{Verdict: "blocked", Exchange: ex, Findings: fs}}, NoRedact: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "SECRETTOKEN123456") {
		t.Error("--no-redact: the token is hidden")
	}
}

// The CSP names the hashes of exactly the style and script in the page:
// if either changed without the other, the browser would refuse it.
func TestHTMLContentSecurityPolicy(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, &HTMLPage{Command: "har"}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	style := between(t, out, "<style>", "</style>")
	script := between(t, out, "<script>", "</script>")
	policy := html.UnescapeString(between(t, out, `http-equiv="Content-Security-Policy" content="`, `">`))
	// Exactly these directives: the page loads no image, font or frame, so
	// any other source list (img-src data:) only loosens default-src.
	want := map[string]string{
		"default-src": "'none'",
		"style-src":   "'" + cspHash(style) + "'",
		"script-src":  "'" + cspHash(script) + "'",
		"form-action": "'none'",
		"base-uri":    "'none'",
	}
	got := map[string]string{}
	for _, d := range strings.Split(policy, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		got[name] = value
	}
	for name, value := range want {
		if got[name] != value {
			t.Errorf("%s is %q, want %q", name, got[name], value)
		}
	}
	for name, value := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("the policy also has %s %s, which the page does not need", name, value)
		}
	}
}

func between(t *testing.T, s, open, close string) string {
	t.Helper()
	i := strings.Index(s, open)
	if i < 0 {
		t.Fatalf("no %s in the page", open)
	}
	s = s[i+len(open):]
	j := strings.Index(s, close)
	if j < 0 {
		t.Fatalf("no %s after %s in the page", close, open)
	}
	return s[:j]
}

func TestHTMLStopMarkNamesTheHeader(t *testing.T) {
	tests := []struct {
		code cors.Code
		step string
		want string
	}{
		{cors.CodePreflightMissingAllowOrigin, "preflight", "Blocked: Access-Control-Allow-Origin"},
		{cors.CodeHeaderNotAllowed, "preflight", "Blocked: Access-Control-Allow-Headers"},
		{cors.CodeMethodNotAllowed, "preflight", "Blocked: Access-Control-Allow-Methods"},
		{cors.CodePreflightStatus, "preflight", "Blocked: status"},
		{cors.CodeInvalidCredentials, "actual", "Blocked: Access-Control-Allow-Credentials"},
		{cors.CodeAllowOriginMismatch, "actual", "Blocked: Access-Control-Allow-Origin"},
		{cors.CodeRedirectBadLocation, "redirect 1", "Blocked: Location"},
		// fetch()'s redirect 'error': the redirect itself stops it.
		{cors.CodeRedirectModeError, "actual", "Blocked: redirect (Location)"},
		{cors.CodeForbiddenMethod, "request", "Blocked: method"},
		// An http URL from an https page, or fetch()'s user:password@ URL:
		// the browser sends nothing.
		{cors.CodeMixedContent, "request", "Blocked: mixed content (http URL)"},
		{cors.CodeURLCredentials, "request", "Blocked: user:password@ in the URL"},
		{"some-new-code", "request", "Blocked: some-new-code"},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			ok := &cors.Message{Status: 204, Header: http.Header{"Access-Control-Allow-Origin": {"https://app.example.com"}}}
			ex := &cors.Exchange{
				Request:   cors.Request{Method: "PUT", URL: "https://api.example.com/items", Origin: "https://app.example.com"},
				Preflight: &cors.Hop{Request: cors.Message{Method: "OPTIONS", URL: "https://api.example.com/items"}, Response: ok},
				Actual: []cors.Hop{
					{Request: cors.Message{Method: "PUT", URL: "https://api.example.com/items"}, Response: &cors.Message{Status: 302, Header: http.Header{"Location": {"https://b.example.com/"}}}},
					{Request: cors.Message{Method: "PUT", URL: "https://b.example.com/"}, Response: ok},
				},
			}
			f := cors.Finding{Code: tt.code, Severity: cors.SeverityError, Step: tt.step, Reported: true}
			d := buildDiagram(ex, &HTMLItem{}, &f, sanitizerFor(false), nil)
			if d.Stop == nil {
				t.Fatal("no stop mark")
			}
			if got := d.Stop.Lines[0].Text; got != tt.want {
				t.Errorf("stop mark %q, want %q", got, tt.want)
			}
			// Arrows after the stop are drawn dimmed: the browser sends nothing more.
			failAt := -1
			for i, a := range d.Arrows {
				if a.Class == "fail" {
					failAt = i
				}
				if failAt >= 0 && i > failAt && a.Class != "dim" {
					t.Errorf("arrow %d after the stop is %q, want dim", i, a.Class)
				}
			}
		})
	}
}

// A huge header value is capped in the page, and the page stays a small
// multiple of its input.
func TestHTMLBoundedOutput(t *testing.T) {
	big := strings.Repeat("A", 1<<20)
	h := http.Header{"Access-Control-Allow-Origin": {big}}
	for i := 0; i < 2000; i++ {
		h.Add("Access-Control-Allow-Headers", "x-h")
	}
	ex := &cors.Exchange{
		Request: cors.Request{Method: "GET", URL: "https://api.example.com/", Origin: "https://app.example.com"},
		Actual:  []cors.Hop{{Request: cors.Message{Method: "GET", URL: "https://api.example.com/"}, Response: &cors.Message{Status: 200, Header: h}}},
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, &HTMLPage{Command: "check", Items: []HTMLItem{{Verdict: "blocked", Exchange: ex}}}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 1<<20 {
		t.Errorf("page is %d bytes for about 1 MiB of headers", buf.Len())
	}
}

// Past HTMLMaxItems the page still tells the whole story: blocked
// requests are drawn before allowed ones wherever they are in the file,
// each problem counts every request it has (drawn or not, as the JSON
// does), none is left out, and each "first request" link points at a
// request on the page.
func TestHTMLHARPastTheCap(t *testing.T) {
	blocked := func(i int, host string) *harfile.Result {
		return &harfile.Result{Index: i, Method: "GET", URL: "https://" + host + "/x", Origin: "https://app.example.com", Verdict: cors.Blocked,
			Findings: []cors.Finding{{Code: cors.CodeMissingAllowOrigin, Severity: cors.SeverityError, Step: "actual", Reported: true, Message: "no Access-Control-Allow-Origin"}}}
	}
	allowed := func(i int) *harfile.Result {
		return &harfile.Result{Index: i, Method: "GET", URL: "https://cdn.example.com/x", Origin: "https://app.example.com", Verdict: cors.Allowed}
	}
	type run struct {
		n    int
		make func(i int) *harfile.Result
	}
	tests := []struct {
		name        string
		all         bool
		runs        []run
		wantBlocked int // drawn
		wantCount   int // the problem's count
	}{
		{"blocked after the cap, --all", true, []run{{HTMLMaxItems + 500, allowed}, {3, func(i int) *harfile.Result { return blocked(i, "api.example.com") }}}, 3, 3},
		{"more blocked than are drawn", false, []run{{HTMLMaxItems + 500, func(i int) *harfile.Result { return blocked(i, "a.example.com") }}, {600, func(i int) *harfile.Result { return blocked(i, "b.example.com") }}}, HTMLMaxItems, HTMLMaxItems + 1100},
		{"under the cap", true, []run{{10, allowed}, {5, func(i int) *harfile.Result { return blocked(i, "api.example.com") }}}, 5, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &HTMLHARCollector{All: tt.all}
			idx, total := 0, 0
			for _, r := range tt.runs {
				for j := 0; j < r.n; j++ {
					res := r.make(idx)
					idx++
					if res.Verdict == cors.Blocked {
						total++
					}
					if err := c.Add(res); err != nil {
						t.Fatal(err)
					}
				}
			}
			var buf bytes.Buffer
			if err := c.Finish(&buf, Tool{Name: "corsdiag"}, "x.har", harfile.Summary{Requests: idx, CrossOrigin: idx, Blocked: total}, false); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if n := strings.Count(out, `data-blocked="true"`); n != tt.wantBlocked {
				t.Errorf("%d blocked requests drawn, want %d", n, tt.wantBlocked)
			}
			if n := strings.Count(out, "<article"); n > HTMLMaxItems {
				t.Errorf("%d requests drawn, more than %d", n, HTMLMaxItems)
			}
			want := fmt.Sprintf(`<code class="code">missing-allow-origin</code> × %d`, tt.wantCount)
			if !strings.Contains(out, want) {
				t.Errorf("the problems do not say %q", want)
			}
			for _, m := range regexp.MustCompile(`<a href="#(req-\d+)">first request`).FindAllStringSubmatch(out, -1) {
				if !strings.Contains(out, `id="`+m[1]+`"`) {
					t.Errorf("the first request link #%s points at no request on the page", m[1])
				}
			}
		})
	}
}

// A problem lists each final status of its requests once: "404" is
// another status than "preflight 404", though the one is in the other's
// text (the list was built by substring search, so the 404 was lost).
func TestHTMLProblemStatuses(t *testing.T) {
	item := func(i int, preflight, actual int) *harfile.Result {
		ex := &cors.Exchange{Request: cors.Request{Method: "PUT", URL: "https://api.example.com/x", Origin: "https://app.example.com"}}
		if preflight > 0 {
			ex.Preflight = &cors.Hop{Response: &cors.Message{Status: preflight, Header: http.Header{}}}
		}
		if actual > 0 {
			ex.Actual = []cors.Hop{{Response: &cors.Message{Status: actual, Header: http.Header{}}}}
		}
		return &harfile.Result{Index: i, Method: "PUT", URL: ex.Request.URL, Origin: ex.Request.Origin, Verdict: cors.Blocked, Exchange: ex,
			Findings: []cors.Finding{{Code: cors.CodeMissingAllowOrigin, Severity: cors.SeverityError, Step: "actual", Reported: true, Message: "no Access-Control-Allow-Origin"}}}
	}
	tests := []struct {
		name  string
		items []*harfile.Result
		want  string
	}{
		{"preflight 404, then 404", []*harfile.Result{item(0, 404, 0), item(1, 204, 404)}, "(status: preflight 404, 404)"},
		{"404, then preflight 404", []*harfile.Result{item(0, 204, 404), item(1, 404, 0)}, "(status: 404, preflight 404)"},
		{"twice the same", []*harfile.Result{item(0, 204, 500), item(1, 204, 500)}, "(status: 500)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &HTMLHARCollector{}
			for _, it := range tt.items {
				if err := c.Add(it); err != nil {
					t.Fatal(err)
				}
			}
			var buf bytes.Buffer
			if err := c.Finish(&buf, Tool{Name: "corsdiag"}, "x.har", harfile.Summary{Requests: len(tt.items), Blocked: len(tt.items)}, false); err != nil {
				t.Fatal(err)
			}
			if got := html.UnescapeString(buf.String()); !strings.Contains(got, tt.want) {
				t.Errorf("the problem does not say %q:\n%s", tt.want, between(t, got, "<h3>Problems</h3>", "</ol>"))
			}
		})
	}
}

// TestHTMLStopMarkCoversEveryStoppingCode: every code that can be an
// exchange's reported finding (an error of the engine or the har reader,
// or probe's cross-site cookies, a warning it raises to an error) has a
// stop mark label of its own, not the code's name. Platform codes name a
// cause and are never the reported finding (platform.NameCause); audit's
// judge a server's allow-list, not an exchange.
func TestHTMLStopMarkCoversEveryStoppingCode(t *testing.T) {
	causes := map[cors.Code]bool{}
	for _, c := range append(platform.PageCodes(), audit.Codes()...) {
		causes[c] = true
	}
	for _, in := range cors.Codes() {
		stops := in.Severity == cors.SeverityError || in.Code == probe.CodeCrossSiteCookies
		if !stops || causes[in.Code] {
			continue
		}
		if _, ok := stopHeaders[in.Code]; !ok {
			t.Errorf("%s (%s) has no stop mark label", in.Code, in.Title)
		}
	}
}

// TestHTMLStopMarkSaysTheLocation: a redirect's stop mark says what the
// answer's Location was, as the finding does. Firefox's redirect: 'error'
// rejects a 3xx without Location on its status alone (Firefox ESR 153.8:
// redirect-no-location-error-ok) and follows an empty one to the same URL
// (redirect-empty-location-error), and a preflight answered with an empty
// Location is a redirect to it: none of these is a "redirect (Location)".
func TestHTMLStopMarkSaysTheLocation(t *testing.T) {
	const (
		api  = "https://api.example.com/items"
		page = "https://app.example.com"
	)
	answer := func(status int, kv ...string) *cors.Message {
		m := &cors.Message{Status: status, Header: http.Header{"Access-Control-Allow-Origin": {"*"}}}
		for i := 0; i+1 < len(kv); i += 2 {
			m.Header.Add(kv[i], kv[i+1])
		}
		return m
	}
	get := func(resp *cors.Message) *cors.Exchange {
		return &cors.Exchange{
			Request: cors.Request{Method: "GET", URL: api, Origin: page, Redirect: cors.RedirectError},
			Actual:  []cors.Hop{{Request: cors.Message{Method: "GET", URL: api}, Response: resp}},
		}
	}
	put := func(pre *cors.Message) *cors.Exchange {
		return &cors.Exchange{
			Request:   cors.Request{Method: "PUT", URL: api, Origin: page},
			Preflight: &cors.Hop{Request: cors.Message{Method: "OPTIONS", URL: api}, Response: pre},
		}
	}
	for _, tt := range []struct {
		name    string
		profile *cors.Profile
		ex      *cors.Exchange
		code    cors.Code
		want    string
	}{
		{"error: a redirect", cors.Firefox, get(answer(302, "Location", api+"/next")), cors.CodeRedirectModeError, "Blocked: redirect (Location)"},
		{"error: no Location", cors.Firefox, get(answer(302)), cors.CodeRedirectModeError, "Blocked: 302 without Location"},
		{"error: an empty Location", cors.Firefox, get(answer(308, "Location", "")), cors.CodeRedirectModeError, "Blocked: 308 with an empty Location"},
		{"preflight: a redirect", cors.Chromium, put(answer(307, "Location", api+"/next")), cors.CodePreflightRedirect,
			"Blocked: redirect (Location) (PreflightDisallowedRedirect)"},
		{"preflight: an empty Location", cors.Firefox, put(answer(307, "Location", "")), cors.CodePreflightRedirect,
			"Blocked: 307 with an empty Location (CORSExternalRedirectNotAllowed)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep := tt.profile.Evaluate(tt.ex).Reported()
			if rep == nil || rep.Code != tt.code {
				t.Fatalf("reported %+v, want %s", rep, tt.code)
			}
			d := buildDiagram(tt.ex, &HTMLItem{Browser: tt.profile.Name}, rep, sanitizerFor(false), nil)
			if d.Stop == nil {
				t.Fatal("no stop mark")
			}
			if got := d.Stop.Lines[0].Text; got != tt.want {
				t.Errorf("stop mark %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHTMLStopMarkNamesTheJudgingBrowsersError: the stop mark names the
// error as the browser that judged the request names it (Chromium's
// CorsError, Firefox's reason key), or names none when that browser has no
// name for it (WebKit logs lines without keys): a Firefox HAR's stop mark
// naming Chromium's PreflightDisallowedRedirect names an error its reader
// never saw.
func TestHTMLStopMarkNamesTheJudgingBrowsersError(t *testing.T) {
	const (
		api  = "https://api.example.com/items"
		page = "https://app.example.com"
	)
	redirected := &cors.Exchange{
		Request: cors.Request{Method: "PUT", URL: api, Origin: page},
		Preflight: &cors.Hop{Request: cors.Message{Method: "OPTIONS", URL: api},
			Response: &cors.Message{Status: 307, Header: http.Header{"Location": {api + "/"},
				"Access-Control-Allow-Origin": {page}}}},
	}
	wildcard := &cors.Exchange{
		Request: cors.Request{Method: "GET", URL: api, Origin: page, Credentials: true},
		Actual: []cors.Hop{{Request: cors.Message{Method: "GET", URL: api},
			Response: &cors.Message{Status: 200, Header: http.Header{"Access-Control-Allow-Origin": {"*"}}}}},
	}
	for _, tt := range []struct {
		name    string
		browser string
		ex      *cors.Exchange
		want    string
	}{
		{"chromium, preflight redirect", "chromium", redirected, "Blocked: redirect (Location) (PreflightDisallowedRedirect)"},
		{"no browser is chromium", "", redirected, "Blocked: redirect (Location) (PreflightDisallowedRedirect)"},
		{"firefox, preflight redirect", "firefox", redirected, "Blocked: redirect (Location) (CORSExternalRedirectNotAllowed)"},
		{"safari, preflight redirect", "safari", redirected, "Blocked: redirect (Location)"},
		{"chromium, wildcard", "chromium", wildcard, "Blocked: Access-Control-Allow-Origin (WildcardOriginNotAllowed)"},
		{"firefox, wildcard", "firefox", wildcard, "Blocked: Access-Control-Allow-Origin (CORSNotSupportingCredentials)"},
		{"safari, wildcard", "safari", wildcard, "Blocked: Access-Control-Allow-Origin"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := cors.LookupProfile(cmp.Or(tt.browser, "chromium"))
			if !ok {
				t.Fatalf("no profile %q", tt.browser)
			}
			rep := p.Evaluate(tt.ex).Reported()
			if rep == nil {
				t.Fatal("nothing reported")
			}
			d := buildDiagram(tt.ex, &HTMLItem{Browser: tt.browser}, rep, sanitizerFor(false), nil)
			if d.Stop == nil {
				t.Fatal("no stop mark")
			}
			if got := d.Stop.Lines[0].Text; got != tt.want {
				t.Errorf("stop mark %q, want %q", got, tt.want)
			}
		})
	}
}
