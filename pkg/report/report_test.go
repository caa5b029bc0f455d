package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/report/schematest"
)

const (
	page = "https://app.example"
	api  = "https://api.example/items"
)

func hop(method, url string, reqH http.Header, status int, respH http.Header, body string) cors.Hop {
	h := cors.Hop{Request: cors.Message{Method: method, URL: url, Header: reqH}}
	if status > 0 {
		h.Response = &cors.Message{Status: status, Header: respH, Body: []byte(body)}
	}
	return h
}

// result judges ex the way check does and wraps it for the renderers.
func result(ex *cors.Exchange) *CheckResult {
	return &CheckResult{
		Tool: Tool{Name: "corsdiag", Version: "test"}, Browser: "chromium",
		Exchange: ex, Diagnosis: cors.Evaluate(ex),
	}
}

func allowedGET() *cors.Exchange {
	req := cors.Request{Method: "GET", URL: api, Origin: page, Header: http.Header{}}
	return &cors.Exchange{Request: req, Actual: []cors.Hop{
		hop("GET", api, http.Header{"Origin": {page}}, 200, http.Header{"Access-Control-Allow-Origin": {"*"}}, "[]"),
	}}
}

func blockedPreflight() *cors.Exchange {
	req := cors.Request{Method: "PUT", URL: api, Origin: page, Header: http.Header{"Content-Type": {"application/json"}}}
	pre := hop("OPTIONS", api, http.Header{"Origin": {page}, "Access-Control-Request-Method": {"PUT"}, "Access-Control-Request-Headers": {"content-type"}},
		403, http.Header{"X-Amzn-Errortype": {"MissingAuthenticationTokenException"}, "Content-Type": {"application/json"}}, `{"message":"Missing Authentication Token"}`)
	return &cors.Exchange{Request: req, Preflight: &pre}
}

func TestWriteTextVerdictAndOrder(t *testing.T) {
	tests := []struct {
		name string
		ex   *cors.Exchange
		want []string // in this order
	}{
		{"allowed", allowedGET(), []string{"✓ Allowed", "Exchanges", "GET /items", "Access-Control-Allow-Origin: *"}},
		{"blocked preflight", blockedPreflight(), []string{
			"✗ Blocked: the browser would block this request",
			"Reported: preflight-missing-allow-origin (preflight)",
			"  │ Access to fetch at 'https://api.example/items' from origin 'https://app.example' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			"Cause:", "Fix:",
			"Also found", "preflight-invalid-status", "preflight-required",
			// Table rows interleave the request and response columns.
			"OPTIONS /items", "403 Forbidden", "x-amzn-ErrorType: MissingAuthenticationTokenException",
			"Access-Control-Request-Method: PUT", `body: {"message":"Missing Authentication Token"}`,
			"Actual request not sent: the preflight already failed",
			"Run 'corsdiag explain preflight-missing-allow-origin' for details.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteText(&b, result(tt.ex), Style{}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			at := 0
			for _, w := range tt.want {
				i := strings.Index(out[at:], w)
				if i < 0 {
					t.Fatalf("missing %q after byte %d in:\n%s", w, at, out)
				}
				at += i + len(w)
			}
		})
	}
}

func TestWriteTextColour(t *testing.T) {
	for _, on := range []bool{false, true} {
		var b bytes.Buffer
		if err := WriteText(&b, result(blockedPreflight()), Style{Color: on}); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(b.String(), "\x1b["); got != on {
			t.Errorf("Color=%v: escape sequences present = %v", on, got)
		}
	}
}

func TestServerControlCharactersEscaped(t *testing.T) {
	ex := allowedGET()
	ex.Actual[0].Response.Header.Set("Server", "evil\x1b]0;pwned\x07\x1b[2J")
	ex.Actual[0].Response.Header.Set("Access-Control-Allow-Origin", "https://other.example\x1b[31m")
	var b bytes.Buffer
	if err := WriteText(&b, result(ex), Style{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, c := range []string{"\x1b", "\x07"} {
		if strings.Contains(out, c) {
			t.Errorf("output contains raw %q:\n%s", c, out)
		}
	}
	if !strings.Contains(out, `Server: evil\x1b]0;pwned\x07\x1b[2J`) {
		t.Errorf("escaped Server header not shown:\n%s", out)
	}
}

func secretExchange() *cors.Exchange {
	reqH := http.Header{"Authorization": {"Bearer s3cr3t-t0ken-value"}, "X-Api-Key": {"key-1234567890"}}
	req := cors.Request{Method: "GET", URL: api + "?access_token=tok-abcdef", Origin: page, Header: reqH, Credentials: true}
	sent := reqH.Clone()
	sent.Set("Origin", page)
	sent.Set("Cookie", "session=cookie-secret-value")
	pre := hop("OPTIONS", req.URL, http.Header{"Origin": {page}, "Access-Control-Request-Method": {"GET"}, "Access-Control-Request-Headers": {"authorization,x-api-key"}},
		204, http.Header{"Access-Control-Allow-Origin": {page}, "Access-Control-Allow-Credentials": {"true"}, "Access-Control-Allow-Headers": {"authorization, x-api-key"}}, "")
	return &cors.Exchange{Request: req, Preflight: &pre, Actual: []cors.Hop{
		hop("GET", req.URL, sent, 200, http.Header{"Access-Control-Allow-Origin": {"*"}, "Set-Cookie": {"session=new-cookie-secret"}}, ""),
	}}
}

func TestSecretsRedacted(t *testing.T) {
	secrets := []string{"s3cr3t-t0ken-value", "key-1234567890", "cookie-secret-value", "new-cookie-secret", "tok-abcdef", "evid-t0ken-value"}
	render := func(noRedact bool) map[string]string {
		res := result(secretExchange())
		res.NoRedact = noRedact
		// The platform's evidence quotes the server's headers.
		res.Platform = &platform.Detection{ID: "nginx", Name: "nginx", Confidence: "high",
			Evidence: []string{`X-Cache: "HIT from https://cdn.example/?token=evid-t0ken-value"`}}
		var text, js bytes.Buffer
		if err := WriteText(&text, res, Style{}); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&js, res); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"text": text.String(), "json": js.String()}
	}
	for format, out := range render(false) {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s output shows secret %q", format, s)
			}
		}
		if !strings.Contains(out, "[REDACTED]") {
			t.Errorf("%s output has no redaction marker", format)
		}
		// The reported finding quotes the URL: redacted there too.
		if !strings.Contains(out, "access_token=[REDACTED]") {
			t.Errorf("%s output: URL not redacted in place", format)
		}
	}
	for format, out := range render(true) {
		// The text table shows only CORS-relevant headers, so X-Api-Key
		// appears in JSON only.
		for _, s := range secrets {
			if format == "text" && (s == "key-1234567890" || s == "new-cookie-secret") {
				continue
			}
			if !strings.Contains(out, s) {
				t.Errorf("--no-redact %s output hides %q", format, s)
			}
		}
	}
}

// TestTextRedactsURLWithLineBreak: a URL holding a line break (a HAR
// file's URL may) is quoted by the console line and the findings; the text
// report splits such text into lines, and each half is no URL the redactor
// knows, so the whole text is redacted before it is split (as the HTML
// page does since dacd19e).
func TestTextRedactsURLWithLineBreak(t *testing.T) {
	for _, payload := range []string{"\n", "x\ny", "x\r\ny"} {
		ex, fs := hostileExchange(payload)
		res := &CheckResult{Browser: "chromium", Exchange: ex, Diagnosis: &cors.Diagnosis{Verdict: cors.Blocked, Findings: fs}}
		var buf bytes.Buffer
		if err := WriteText(&buf, res, Style{}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), "SECRETTOKEN123456") {
			t.Errorf("payload %q: the text shows the token:\n%s", payload, buf.String())
		}
	}
}

func TestJSONMatchesSchema(t *testing.T) {
	withPlatform := result(blockedPreflight())
	withPlatform.Platform = &platform.Detection{ID: "aws-apigateway-rest", Name: "AWS API Gateway REST API", Confidence: "high", Evidence: []string{"x-amzn-ErrorType: MissingAuthenticationTokenException"}}
	withErrorPath := result(allowedGET())
	withErrorPath.ErrorPaths = []ErrorPath{{Purpose: "unknown path", Hop: hop("GET", api+"/corsdiag-404", http.Header{"Origin": {page}}, 404, http.Header{}, "not found")}}
	unreachable := allowedGET()
	unreachable.Actual[0].Response = nil
	unreachable.Actual[0].NetError = "connection refused"
	tests := []struct {
		name string
		res  *CheckResult
	}{
		{"allowed", result(allowedGET())},
		{"blocked with platform", withPlatform},
		{"error path", withErrorPath},
		{"secrets", result(secretExchange())},
		{"no response", result(unreachable)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJSON(&b, tt.res); err != nil {
				t.Fatal(err)
			}
			if err := schematest.Validate(Schema, b.Bytes()); err != nil {
				t.Fatalf("output does not match schema: %v\n%s", err, b.String())
			}
			var doc map[string]any
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if doc["verdict"] != string(tt.res.Diagnosis.Verdict) {
				t.Errorf("verdict = %v, want %v", doc["verdict"], tt.res.Diagnosis.Verdict)
			}
			rep := tt.res.Diagnosis.Reported()
			switch {
			case rep == nil && doc["reported"] != nil:
				t.Errorf("reported = %v, want null", doc["reported"])
			case rep != nil && doc["reported"] != string(rep.Code):
				t.Errorf("reported = %v, want %v", doc["reported"], rep.Code)
			}
		})
	}
}

func TestSchemaRejectsBadDocuments(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, result(blockedPreflight())); err != nil {
		t.Fatal(err)
	}
	good := b.String()
	tests := []struct{ name, from, to string }{
		{"unknown verdict", `"verdict": "blocked"`, `"verdict": "maybe"`},
		{"wrong schema version", `"schema_version": 1`, `"schema_version": 2`},
		{"bad severity", `"severity": "error"`, `"severity": "fatal"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := strings.Replace(good, tt.from, tt.to, 1)
			if bad == good {
				t.Fatalf("%q not in output", tt.from)
			}
			if err := schematest.Validate(Schema, []byte(bad)); err == nil {
				t.Error("schema accepted an invalid document")
			}
		})
	}
}

func TestFindingsOrder(t *testing.T) {
	d := &cors.Diagnosis{Findings: []cors.Finding{
		{Code: "a", Severity: cors.SeverityInfo},
		{Code: "b", Severity: cors.SeverityWarning},
		{Code: "c", Severity: cors.SeverityError},
		{Code: "d", Severity: cors.SeverityError, Reported: true},
		{Code: "e", Severity: cors.SeverityWarning},
	}}
	var got []string
	for _, f := range orderedFindings(d) {
		got = append(got, string(f.Code))
	}
	if strings.Join(got, "") != "dcbea" {
		t.Errorf("order = %v, want d c b e a", got)
	}
}

func TestTruncateKeepsUTF8(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"hello", 10, "hello"},
		{"hello", 3, "hel"},
		{"héllo", 2, "h"},
		{"日本", 4, "日"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// A platform finding that explains the reported error is shown with it,
// not again under "Also found".
func TestTailoredFixBesideReported(t *testing.T) {
	res := result(blockedPreflight())
	tailored := cors.NewFinding(cors.CodePreflightStatus, "preflight", "API Gateway has no OPTIONS method here")
	tailored.Platform = "Amazon API Gateway (REST API)"
	tailored.Fix = "Enable CORS on the resource.\n\n[aws-cli]\naws apigateway put-method \x1b[31m"
	res.Diagnosis.Findings = append(res.Diagnosis.Findings, tailored)
	res.Diagnosis.SetCause(len(res.Diagnosis.Findings)-1, nil)
	var b bytes.Buffer
	if err := WriteText(&b, res, Style{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	reported, also, ok := strings.Cut(out, "Also found")
	if !ok {
		t.Fatalf("no Also found section:\n%s", out)
	}
	if !strings.Contains(reported, "Cause: preflight-invalid-status (preflight) on Amazon API Gateway (REST API)") || !strings.Contains(reported, "API Gateway has no OPTIONS method here") {
		t.Errorf("tailored cause not beside the reported error:\n%s", reported)
	}
	if strings.Contains(also, "API Gateway has no OPTIONS method here") {
		t.Errorf("tailored finding repeated under Also found")
	}
	// Multi-line fixes keep their lines, indented; control characters do not survive.
	if !strings.Contains(reported, "\n         [aws-cli]\n         aws apigateway put-method \\x1b[31m\n") {
		t.Errorf("multi-line fix not laid out:\n%s", reported)
	}
}

// TestSkippedActualSaidOnce: a PUT whose preflight passes but is not sent
// is explained by the actual-not-checked finding alone: no Fix line that
// repeats its "Pass --send-actual" sentence, no note under the table.
func TestSkippedActualSaidOnce(t *testing.T) {
	tests := []struct {
		name    string
		skipped string
		want    int // times "--send-actual" is printed
	}{
		{"skipped by corsdiag", "PUT changes server state; corsdiag sent only the preflight. Pass --send-actual to send the PUT and check its response too.", 1},
		{"no reason recorded", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := cors.Request{Method: "PUT", URL: api, Origin: page, Header: http.Header{}}
			pre := hop("OPTIONS", api, http.Header{"Origin": {page}, "Access-Control-Request-Method": {"PUT"}}, 204,
				http.Header{"Access-Control-Allow-Origin": {page}, "Access-Control-Allow-Methods": {"PUT"}}, "")
			ex := &cors.Exchange{Request: req, Preflight: &pre, ActualSkipped: tt.skipped}
			var b bytes.Buffer
			if err := WriteText(&b, result(ex), Style{}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if got := strings.Count(out, "--send-actual"); got != tt.want {
				t.Errorf("--send-actual printed %d times, want %d:\n%s", got, tt.want, out)
			}
			if tt.skipped != "" && strings.Contains(out, "Actual request not sent") {
				t.Errorf("note repeats the actual-not-checked finding:\n%s", out)
			}
			if tt.skipped == "" && !strings.Contains(out, "Actual request not sent: it was not sent or not recorded") {
				t.Errorf("no finding covers the missing actual request, but no note says so:\n%s", out)
			}
		})
	}
}

// TestNothingSentSaidOnce: when no request went out at all (a forbidden
// method) the Exchanges section gives the reason once, with no empty
// table placeholder above it.
func TestNothingSentSaidOnce(t *testing.T) {
	tests := []struct {
		name     string
		skipped  string
		want     string
		notWants []string
	}{
		{"forbidden method", "fetch() refuses the TRACE method, so the browser sends nothing; corsdiag sent nothing either.",
			"Exchanges\nNot sent: fetch() refuses the TRACE method", []string{"(no request was sent)", "Actual request not sent"}},
		{"no reason recorded", "",
			"Exchanges\nNot sent: the request already failed", []string{"(no request was sent)", "Actual request not sent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := &cors.Exchange{Request: cors.Request{Method: "TRACE", URL: api, Origin: page, Header: http.Header{}}, ActualSkipped: tt.skipped}
			var b bytes.Buffer
			if err := WriteText(&b, result(ex), Style{}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if !strings.Contains(out, tt.want) {
				t.Errorf("want %q in:\n%s", tt.want, out)
			}
			for _, nw := range tt.notWants {
				if strings.Contains(out, nw) {
					t.Errorf("%q repeats what the note says:\n%s", nw, out)
				}
			}
		})
	}
}

// TestASCIIListTableMatches: the hand-written list table writes what
// tablewriter writes, and declines what it does not handle.
func TestASCIIListTableMatches(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		rows   [][]string
		ok     bool
	}{
		{"har", []string{"#", "Method", "URL (https://api.test)", "Finding"}, [][]string{{"2", "PUT", "/v1/items/2?page=2", "cause-not-in-file"}, {"12", "OPTIONS", "/x", "preflight-invalid-status"}}, true},
		{"wide header", []string{"a long header", "b"}, [][]string{{"x", "y"}}, true},
		{"spaces kept", []string{" a ", "b  "}, [][]string{{"  x", "y "}, {"z", " "}}, true},
		{"punctuation", []string{"|", "+-"}, [][]string{{"\\", "~`'\"<>&%"}}, true},
		{"one column", []string{"x"}, [][]string{{"1"}, {"22"}, {"333"}}, true},
		{"no rows", []string{"a"}, nil, false},
		{"empty cell", []string{"a", "b"}, [][]string{{"", "y"}}, false},
		{"short row", []string{"a", "b"}, [][]string{{"x"}}, false},
		{"not ASCII", []string{"a"}, [][]string{{"é"}}, false},
		{"line break", []string{"a"}, [][]string{{"x\ny"}}, false},
		{"control", []string{"a"}, [][]string{{"x\x1b[31m"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkASCIIListTable(t, tt.header, tt.rows, tt.ok)
		})
	}
	// Random tables of printable ASCII (spaces and '|' included).
	rng := rand.New(rand.NewPCG(1, 2))
	cell := func() string {
		b := make([]byte, 1+rng.IntN(12))
		for i := range b {
			b[i] = byte(0x20 + rng.IntN(0x7f-0x20))
		}
		return string(b)
	}
	for range 300 {
		cols := 1 + rng.IntN(5)
		header := make([]string, cols)
		for i := range header {
			header[i] = cell()
		}
		rows := make([][]string, 1+rng.IntN(6))
		for r := range rows {
			rows[r] = make([]string, cols)
			for i := range rows[r] {
				rows[r][i] = cell()
			}
		}
		checkASCIIListTable(t, header, rows, true)
	}
}

// FuzzASCIIListTable: for any table the hand-written writer takes, its
// bytes are tablewriter's.
func FuzzASCIIListTable(f *testing.F) {
	f.Add("# Method URL Finding", "2 PUT /x cause\n12 GET /yy z")
	f.Add(" a  b", "  x y \n z  w")
	f.Fuzz(func(t *testing.T, header, body string) {
		h := strings.Split(header, " ")
		var rows [][]string
		for _, l := range strings.Split(body, "\n") {
			rows = append(rows, strings.Split(l, " "))
		}
		checkASCIIListTable(t, h, rows, false)
	})
}

// checkASCIIListTable compares writeASCIIListTable with tablewriter; with
// mustTake, the hand-written writer must take the table.
func checkASCIIListTable(t *testing.T, header []string, rows [][]string, mustTake bool) {
	t.Helper()
	var got bytes.Buffer
	ok, err := writeASCIIListTable(&got, header, rows)
	if err != nil {
		t.Fatal(err)
	}
	if mustTake && !ok {
		t.Fatalf("declined %q %q", header, rows)
	}
	if !ok {
		if got.Len() > 0 {
			t.Fatalf("declined but wrote %q", got.String())
		}
		return
	}
	var want bytes.Buffer
	if err := RenderTable(newListTable(&want), header, rows); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Fatalf("%q %q:\ngot\n%s\nwant\n%s", header, rows, got.String(), want.String())
	}
}

// BenchmarkListTable writes a har report's table of a thousand rows, by
// hand and through tablewriter.
func BenchmarkListTable(b *testing.B) {
	header := []string{"#", "Method", "URL", "Finding"}
	rows := make([][]string, 1000)
	for i := range rows {
		rows[i] = []string{fmt.Sprint(i * 10), "PUT", fmt.Sprintf("https://api%d.example.test/v1/items/%d?page=%d", i%7, i*10, i%13), "cause-not-in-file"}
	}
	b.Run("hand", func(b *testing.B) {
		for b.Loop() {
			writeASCIIListTable(io.Discard, header, rows)
		}
	})
	b.Run("tablewriter", func(b *testing.B) {
		for b.Loop() {
			RenderTable(newListTable(io.Discard), header, rows)
		}
	})
}

// A finding's fix quotes a redirect's Location ("call the final URL
// directly"), which may carry a token: every format hides it.
func TestRedirectFixRedacted(t *testing.T) {
	const secret = "loc-secret-9f8e7d"
	req := cors.Request{Method: "GET", URL: api, Origin: page, Header: http.Header{}, Credentials: true}
	ex := &cors.Exchange{Request: req, Actual: []cors.Hop{
		hop("GET", api, http.Header{"Origin": {page}}, 302,
			http.Header{"Location": {"https://login.example/next?token=" + secret}}, ""),
	}}
	res := result(ex)
	fixQuotes := false
	for _, f := range res.Diagnosis.Findings {
		fixQuotes = fixQuotes || strings.Contains(f.Fix, secret)
	}
	if !fixQuotes {
		t.Fatal("no finding's fix quotes the Location; the test needs one that does")
	}
	writers := map[string]func(io.Writer, *CheckResult) error{
		"text": func(w io.Writer, r *CheckResult) error { return WriteText(w, r, Style{}) },
		"json": WriteJSON,
		"html": WriteCheckHTML,
	}
	for format, write := range writers {
		var b bytes.Buffer
		if err := write(&b, res); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), secret) {
			t.Errorf("%s output shows the Location's token", format)
		}
	}
}

// The method comes from the user's paste (-X $'GE\nT'): a line break in it
// is shown escaped, and the title stays one line.
func TestTitleMethodOneLine(t *testing.T) {
	ex := allowedGET()
	ex.Request.Method = "GE\nT"
	var b bytes.Buffer
	if err := WriteText(&b, result(ex), Style{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `GE\x0aT `+api+" from origin") {
		t.Errorf("the title does not show the method escaped on one line:\n%s", b.String())
	}
}

// TestServerWordsRedacted: a finding quotes what the server answered (an
// Access-Control-Allow-Headers or -Methods value). check's reports hid
// only the URLs in such texts, so a credential the server echoed there
// ('Authorization: Bearer …', 'token=…') was printed, where har and ci
// hide it. Every check renderer now redacts these texts as Text does.
func TestServerWordsRedacted(t *testing.T) {
	tests := []struct{ header, value, secret string }{
		{"Access-Control-Allow-Headers", "Authorization: Bearer SrvBearer81abcdef", "SrvBearer81abcdef"},
		{"Access-Control-Allow-Methods", "GET, token=SrvTok82", "SrvTok82"},
		{"Access-Control-Allow-Methods", "GET, x eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SrvJwt83", "SrvJwt83"},
	}
	for _, tt := range tests {
		req := cors.Request{Method: "PUT", URL: api, Origin: page, Header: http.Header{"X-Foo": {"1"}}}
		pre := hop("OPTIONS", api, http.Header{"Origin": {page}, "Access-Control-Request-Method": {"PUT"}, "Access-Control-Request-Headers": {"x-foo"}},
			204, http.Header{"Access-Control-Allow-Origin": {page}, tt.header: {tt.value}}, "")
		res := result(&cors.Exchange{Request: req, Preflight: &pre})
		var text, js, page bytes.Buffer
		if err := WriteText(&text, res, Style{}); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&js, res); err != nil {
			t.Fatal(err)
		}
		if err := WriteHTML(&page, &HTMLPage{Command: "check", Items: []HTMLItem{{Verdict: "blocked", Exchange: res.Exchange, Findings: res.Diagnosis.Findings}}}); err != nil {
			t.Fatal(err)
		}
		for format, out := range map[string]string{"text": text.String(), "json": js.String(), "html": page.String()} {
			if strings.Contains(out, tt.secret) {
				i := strings.Index(out, tt.secret)
				t.Errorf("%s: %s shows %s: …%s…", tt.header, format, tt.secret, out[max(0, i-80):i+len(tt.secret)])
			}
		}
	}
}
