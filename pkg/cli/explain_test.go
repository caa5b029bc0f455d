package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/docs"
	"github.com/corsdiag/corsdiag/pkg/cors"
)

func TestExplainListsEveryCode(t *testing.T) {
	code, out, stderr := runMain(nil, false, "explain")
	if code != ExitAllowed {
		t.Fatalf("exit %d; stderr %s", code, stderr)
	}
	codes := cors.Codes()
	if len(codes) == 0 {
		t.Fatal("the catalogue is empty")
	}
	for _, in := range codes {
		line := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), string(in.Code)+" ") {
				line = l
				break
			}
		}
		if line == "" {
			t.Errorf("code %s not listed", in.Code)
			continue
		}
		if !strings.Contains(line, string(in.Severity)) || !strings.Contains(line, in.Title) {
			t.Errorf("line for %s lacks severity or title: %q", in.Code, line)
		}
	}
}

func TestExplainCode(t *testing.T) {
	// Codes whose page exists print the page byte for byte.
	entries, err := docs.Findings.ReadDir("findings")
	if err != nil || len(entries) == 0 {
		t.Fatalf("no embedded finding pages: %v", err)
	}
	for _, e := range entries {
		code := strings.TrimSuffix(e.Name(), ".md")
		if _, ok := cors.Lookup(cors.Code(code)); !ok {
			continue
		}
		t.Run(code, func(t *testing.T) {
			want, _ := docs.Findings.ReadFile("findings/" + e.Name())
			exit, out, stderr := runMain(nil, false, "explain", "--markdown", code)
			if exit != ExitAllowed {
				t.Fatalf("exit %d; stderr %s", exit, stderr)
			}
			if out != string(want) {
				t.Errorf("explain --markdown %s printed something other than its page", code)
			}
			// Rendered: wrapped to 80 columns (piped, no COLUMNS), the
			// title first, no Markdown markup left in headings.
			_, out, _ = runMain(nil, false, "explain", code)
			for i, line := range strings.Split(out, "\n") {
				if n := utf8.RuneCountInString(line); n > 80 {
					t.Errorf("line %d is %d columns: %q", i+1, n, line)
				}
			}
			title := strings.TrimPrefix(strings.SplitN(string(want), "\n", 2)[0], "# ")
			if !strings.HasPrefix(out, title) && !strings.HasPrefix(out, strings.Fields(title)[0]) {
				t.Errorf("rendered page does not open with its title %q:\n%.200s", title, out)
			}
			if strings.Contains(out, "\n## ") {
				t.Error("a heading is left as Markdown")
			}
		})
	}
}

func TestExplainCodeWithoutPage(t *testing.T) {
	in := cors.Codes()[0]
	io, out, _ := fakeIO(nil)
	err := runExplain(&explainOptions{IO: io, Code: string(in.Code), pages: fstest.MapFS{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{string(in.Code), in.Title, in.Fix} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("fallback page lacks %q:\n%s", want, out)
		}
	}
}

func TestExplainUnknownCode(t *testing.T) {
	tests := []struct {
		arg  string
		want string
	}{
		{"missing-allow-orign", "missing-allow-origin"},
		{"wildcard-origin", "wildcard-origin-with-credentials"},
		{"preflight-redirected", "preflight-redirect"},
		{"zzzzzzzz", "Run 'corsdiag explain' for the list"},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			code, _, stderr := runMain(nil, false, "explain", tt.arg)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", stderr, tt.want)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"same", "same", 0},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestExplainConsoleText(t *testing.T) {
	firefox := "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403."
	chrome := "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response."
	tests := []struct {
		name  string
		args  []string
		stdin string
		has   []string
	}{
		{"firefox line", []string{firefox}, "", []string{
			"Firefox's console says: missing-allow-origin", "Also possible: preflight-missing-allow-origin", "Status:  403",
			"corsdiag check https://api.example.com/items --origin https://your-page.example --browser firefox", "put your page's origin in --origin",
			"missing-allow-origin: The response has no"}},
		{"chrome line, unquoted words", strings.Fields(chrome), "", []string{
			"Chrome's console says: header-not-allowed", "Origin:  https://app.example.com",
			"corsdiag check https://api.example.com/items --origin https://app.example.com -H 'x-api-key: 1'", "header-not-allowed: "}},
		{"stdin", []string{"-"}, "[Error] Preflight response is not successful. Status code: 403\n[Error] Fetch API cannot load https://api.example.com/items due to access control checks.\n", []string{
			"Safari's console says: preflight-invalid-status", "corsdiag check https://api.example.com/items --origin https://your-page.example --preflight always --browser safari"}},
		{"internal name", []string{"CORSMissingAllowOrigin2"}, "", []string{"Firefox's console says: missing-allow-origin"}},
		{"firefox line in German", []string{"Quellübergreifende (Cross-Origin) Anfrage blockiert: Die Gleiche-Quelle-Regel verbietet das Lesen der externen Ressource auf https://api.example.com/items. (Grund: CORS-Kopfzeile 'Access-Control-Allow-Origin' fehlt). Statuscode: 403."}, "", []string{
			"Firefox's console (locale de) says: missing-allow-origin", "Status:  403", "corsdiag check https://api.example.com/items --origin https://your-page.example --browser firefox"}},
		{"firefox line in Japanese", []string{"クロスオリジン要求をブロックしました: 同一生成元ポリシーにより、https://api.example.com/items にあるリモートリソースの読み込みは拒否されます (理由: CORS ヘッダー ‘Access-Control-Allow-Origin’ が ‘https://evil.example’ と異なる)。"}, "", []string{
			"Firefox's console (locale ja) says: allow-origin-mismatch", "URL:     https://api.example.com/items"}},
		{"fetch TypeError", []string{"TypeError: Failed to fetch"}, "", []string{"Chrome's fetch() error", "corsdiag check https://your-api.example/path --origin https://your-page.example"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			io, out, errOut := fakeIO(nil)
			io.In = strings.NewReader(tc.stdin)
			if code := Main(append([]string{"explain"}, tc.args...), io); code != ExitAllowed {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, h := range tc.has {
				if !strings.Contains(out.String(), h) {
					t.Errorf("output lacks %q:\n%s", h, out)
				}
			}
		})
	}
}

func TestExplainConsoleTextJSON(t *testing.T) {
	code, out, stderr := runMain(nil, false, "explain", "-o", "json",
		"Access to XMLHttpRequest at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.")
	if code != ExitAllowed {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got explainJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Browser != "chromium" || got.Code == nil || *got.Code != "wildcard-origin-with-credentials" || len(got.Candidates) != 1 ||
		got.URL != "https://api.example.com/items" || got.Origin != "https://app.example.com" || got.Status != nil ||
		got.CheckCommand != "corsdiag check https://api.example.com/items --origin https://app.example.com --credentials --initiator xhr" || got.Locale != "" {
		t.Errorf("got %+v", got)
	}
	// Firefox in Brazilian Portuguese: the locale is said.
	code, out, stderr = runMain(nil, false, "explain", "-o", "json",
		"Requisição cross-origin bloqueada: A diretiva Same Origin (mesma origem) não permite a leitura do recurso remoto em https://api.example.com/items (motivo: falta cabeçalho 'Access-Control-Allow-Origin' no CORS). Código de status: 502.")
	got = explainJSON{}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != ExitAllowed {
		t.Fatalf("exit %d %v: %s%s", code, err, out, stderr)
	}
	if got.Browser != "firefox" || got.Locale != "pt-BR" || got.Code == nil || *got.Code != "missing-allow-origin" || got.Status == nil || *got.Status != 502 {
		t.Errorf("pt-BR: got %+v", got)
	}
}

func TestExplainRejectsOtherText(t *testing.T) {
	for _, args := range [][]string{{"this is not a console line"}, {"-o", "yaml", "missing-allow-origin"}} {
		code, _, stderr := runMain(nil, false, append([]string{"explain"}, args...)...)
		if code != ExitUsage || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
	}
}

// A line cut off in the copy opens as a browser's line: explain says
// which, where the text stops making sense and the command that sends the
// request (its token hidden), not that it is no console line at all.
// Empty input says so, not "unknown finding code".
func TestExplainCutLineAndEmptyInput(t *testing.T) {
	cut := "Access to fetch at 'https://api.example.com/items?api_key=sekrit123' from origin 'https://app.example.com' has been blocked by CORS policy: Response to prefl"
	for _, tc := range []struct {
		name, stdin string
		args        []string
		has         []string
	}{
		{"cut line", "", []string{cut}, []string{
			"opens as a line of Chrome's console, but what follows \"has been blocked by CORS policy:\", \"Response to prefl\", is no wording corsdiag knows (the line is cut off, or it is a message corsdiag does not read)",
			"corsdiag check 'https://api.example.com/items?api_key=[REDACTED]' --origin https://app.example.com"}},
		{"cut line on stdin", cut + "\n", []string{"-"}, []string{"is no wording corsdiag knows"}},
		{"empty stdin", "", []string{"-"}, []string{"standard input is empty"}},
		{"blank stdin", " \n\t\n", []string{"-"}, []string{"standard input is empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			io, _, errOut := fakeIO(nil)
			io.In = strings.NewReader(tc.stdin)
			if code := Main(append([]string{"explain"}, tc.args...), io); code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			for _, h := range tc.has {
				if !strings.Contains(errOut.String(), h) {
					t.Errorf("stderr lacks %q:\n%s", h, errOut)
				}
			}
			if strings.Contains(errOut.String(), "sekrit123") || strings.Contains(errOut.String(), "unknown finding code") {
				t.Errorf("stderr: %s", errOut)
			}
		})
	}
}

// A console line names the request's URL, and its query may carry a token
// (?access_token=…, ?api_key=…): explain hides it, as check and har do,
// in text and JSON and in the command it prints; --no-redact shows it.
func TestExplainConsoleTextRedacts(t *testing.T) {
	line := "Access to fetch at 'https://api.example.com/items?access_token=ya29.secretsecret&page=2' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
	redirected := "Access to fetch at 'https://api.example.com/items?access_token=ya29.secretsecret' (redirected from 'https://app.example.com/start') from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
	userinfo := "Access to XMLHttpRequest at 'https://alice:hunter2@api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
	escaped := "Access to fetch at 'https://api.example.com/x?\x1b]0;t\x07' from origin 'https://app.example.com\u202e' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
	for _, tc := range []struct {
		args []string
		has  []string
		not  string
	}{
		{[]string{line}, []string{"URL:     https://api.example.com/items?access_token=[REDACTED]&page=2",
			"corsdiag check 'https://api.example.com/items?access_token=[REDACTED]&page=2' --origin https://app.example.com",
			"put the hidden values back"}, "secretsecret"},
		{[]string{"-o", "json", line}, []string{`"url": "https://api.example.com/items?access_token=[REDACTED]&page=2"`}, "secretsecret"},
		{[]string{"--no-redact", line}, []string{"corsdiag check 'https://api.example.com/items?access_token=ya29.secretsecret&page=2'"}, "[REDACTED]"},
		// The command starts where the redirect started: the token of
		// its target is not in it, and nothing is to be put back.
		{[]string{redirected}, []string{"corsdiag check https://app.example.com/start --origin https://app.example.com"}, "put the hidden values back"},
		// A password in the authority is hidden escaped, so the URL parses:
		// the hint names what the command holds.
		{[]string{userinfo}, []string{"https://alice:%5BREDACTED%5D@api.example.com/items",
			"put the hidden values back for %5BREDACTED%5D"}, "hunter2"},
		// The JSON's texts are cleaned as the text's are: JSON would
		// escape ESC as \u001b, which jq -r prints raw.
		{[]string{"-o", "json", escaped}, []string{`"url": "https://api.example.com/x?\\x1b]0;t\\x07"`, `"origin": "https://app.example.com\\u202e"`}, `\u001b`},
	} {
		code, out, stderr := runMain(nil, false, append([]string{"explain"}, tc.args...)...)
		if code != ExitAllowed {
			t.Fatalf("%q: exit %d: %s", tc.args, code, stderr)
		}
		for _, h := range tc.has {
			if !strings.Contains(out, h) {
				t.Errorf("%q: output lacks %q:\n%s", tc.args[:len(tc.args)-1], h, out)
			}
		}
		if strings.Contains(out, tc.not) {
			t.Errorf("%q: output holds %q:\n%s", tc.args[:len(tc.args)-1], tc.not, out)
		}
	}
}

// The reproduce command of a redirected request starts at the URL script
// asked for: the browser's request to the redirect's target carried
// Origin: null after a cross-origin hop, which a check of that target
// alone would not send.
func TestExplainRedirectedReproducesFromTheStart(t *testing.T) {
	code, out, stderr := runMain(nil, false, "explain", "Access to fetch at 'https://b.example.com/x' (redirected from 'https://a.example.com/x') from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.")
	if code != ExitAllowed {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"URL:     https://b.example.com/x (redirected from https://a.example.com/x)", "corsdiag check https://a.example.com/x --origin https://app.example"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// An older Chrome's redirect line is explained with both ends and says
// which response failed: the redirect's own, before its target was asked.
func TestExplainLegacyChromeRedirect(t *testing.T) {
	code, out, stderr := runMain(nil, false, "explain", "XMLHttpRequest cannot load https://a.example.com/x. Redirect from 'https://a.example.com/x' to 'https://b.example.com/x' has been blocked by CORS policy: Request requires preflight, which is disallowed to follow cross-origin redirect.")
	if code != ExitAllowed {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		`Chrome's console (an older Chrome's wording, "XMLHttpRequest cannot load …") says: preflight-redirect`,
		"URL:     https://b.example.com/x (redirected from https://a.example.com/x)",
		"Note:    Older Chrome followed no cross-origin redirect of a request that needs a preflight",
		"corsdiag check https://a.example.com/x --origin https://your-page.example --preflight always --initiator xhr",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, stderr = runMain(nil, false, "explain", "-o", "json", "Failed to load https://a.example.com/x: Redirect from 'https://a.example.com/x' to 'https://b.example.com/x' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin 'https://app.example' is therefore not allowed access.")
	var got explainJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != ExitAllowed {
		t.Fatalf("exit %d %v: %s%s", code, err, out, stderr)
	}
	if got.Browser != "chromium" || got.Code == nil || *got.Code != "missing-allow-origin" || got.URL != "https://b.example.com/x" ||
		got.RedirectedFrom != "https://a.example.com/x" || got.Origin != "https://app.example" || got.LegacyWording != "Failed to load …" ||
		!strings.Contains(got.Note, "redirect's own response") || got.CheckCommand != "corsdiag check https://a.example.com/x --origin https://app.example" {
		t.Errorf("got %+v", got)
	}
}

// A line in an older Chrome's wording ("Failed to load …", "XMLHttpRequest
// cannot load …") is explained as today's wording of the same failure is,
// with the same command, and says it is an older Chrome's.
func TestExplainLegacyChromeWording(t *testing.T) {
	for _, tc := range []struct {
		name, legacy, today, opening string
	}{
		{"failed to load, preflight missing", "Failed to load https://api.example.com/items: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin 'https://app.example.com' is therefore not allowed access. The response had HTTP status code 403.",
			"Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			"Failed to load …"},
		{"xhr cannot load, wildcard", "XMLHttpRequest cannot load https://api.example.com/items. The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. Origin 'https://app.example.com' is therefore not allowed access. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.",
			"Access to XMLHttpRequest at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.",
			"XMLHttpRequest cannot load …"},
		// The older line names the redirect's target in its cause and
		// where it came from in its frame; today's the other way round.
		{"failed to load, redirect", "Failed to load https://a.example.com/x: Redirect from 'https://a.example.com/x' to 'https://b.example.com/x' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin 'https://app.example' is therefore not allowed access.",
			"Access to fetch at 'https://b.example.com/x' (redirected from 'https://a.example.com/x') from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			"Failed to load …"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var old, now explainJSON
			for _, x := range []struct {
				text string
				into *explainJSON
			}{{tc.legacy, &old}, {tc.today, &now}} {
				code, out, stderr := runMain(nil, false, "explain", "-o", "json", x.text)
				if code != ExitAllowed {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				if err := json.Unmarshal([]byte(out), x.into); err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
			}
			if old.CheckCommand != now.CheckCommand || old.Code == nil || now.Code == nil || *old.Code != *now.Code ||
				old.URL != now.URL || old.RedirectedFrom != now.RedirectedFrom || old.Origin != now.Origin {
				t.Errorf("older wording: %+v\ntoday's: %+v", old, now)
			}
			if old.LegacyWording != tc.opening || now.LegacyWording != "" {
				t.Errorf("legacy_wording %q (today's %q), want %q", old.LegacyWording, now.LegacyWording, tc.opening)
			}
			code, out, stderr := runMain(nil, false, "explain", tc.legacy)
			if code != ExitAllowed {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if want := "Chrome's console (an older Chrome's wording, \"" + tc.opening + "\") says: " + *now.Code; !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
			if !strings.Contains(out, "Reproduce it:\n  "+now.CheckCommand+"\n") {
				t.Errorf("output lacks the command %q:\n%s", now.CheckCommand, out)
			}
		})
	}
}

// The list of codes fits the terminal (it was 153 columns wide, padded to
// the longest title, at any width), titles wrapping under their column;
// piped, a line ends with its content. At 40 columns a code too long to
// share its line with its severity goes alone, the severity under it.
func TestExplainListFits(t *testing.T) {
	for _, width := range []int{0, 40, 50, 60, 80, 120} {
		io, out, _ := fakeIO(nil)
		if width > 0 {
			io.Width, io.WidthSet = width, true
		}
		if code := Main([]string{"explain"}, io); code != ExitAllowed {
			t.Fatalf("exit %d", code)
		}
		lines := strings.Split(out.String(), "\n")
		for _, l := range lines {
			if width > 0 && utf8.RuneCountInString(l) > width && len(strings.Fields(l)) > 1 {
				t.Errorf("%d: wider: %q", width, l)
			}
			if strings.TrimRight(l, " ") != l {
				t.Errorf("%d: padded: %q", width, l)
			}
		}
		// Each code starts a line with its severity; its title follows,
		// wrapped (continuations are indented past the code).
		text := out.String()
		for _, in := range cors.Codes() {
			i := strings.Index(text, "\n"+string(in.Code)+" ")
			if i < 0 {
				// A code too long to share its line goes alone.
				i = strings.Index(text, "\n"+string(in.Code)+"\n")
			}
			if i < 0 {
				t.Errorf("%d: %s does not start a line", width, in.Code)
				continue
			}
			rest := text[i+1:]
			var block []string
			for j, l := range strings.Split(rest, "\n") {
				if j > 0 && !strings.HasPrefix(l, " ") {
					break
				}
				block = append(block, strings.TrimSpace(l))
			}
			got := strings.Join(strings.Fields(strings.Join(block, " ")), " ")
			want := string(in.Code) + " " + string(in.Severity) + " " + strings.Join(strings.Fields(in.Title), " ")
			if got != want {
				t.Errorf("%d: entry %q, want %q", width, got, want)
			}
		}
	}
}

// What explain reads in a pasted console line fits the terminal too: its
// heading, the URL under its label when it does not fit beside it, the
// notes; the command to reproduce it stays whole. At 40 columns the URL
// line was 61 columns wide.
func TestExplainConsoleTextFits(t *testing.T) {
	lines := []string{
		"Access to fetch at 'https://api.example.com/items/with/a/long/path?x=1&y=2' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
		"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/a/long/path/to/the/注文/items. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.",
	}
	for _, text := range lines {
		for _, width := range []int{40, 50, 80} {
			io, out, _ := fakeIO(nil)
			io.Width, io.WidthSet = width, true
			if code := Main([]string{"explain", text}, io); code != ExitAllowed {
				t.Fatalf("exit %d:\n%s", code, out)
			}
			page, _, _ := strings.Cut(out.String(), "\n\n#")
			for _, l := range overWidth(page, width) {
				t.Errorf("%d: wider: %q", width, l)
			}
		}
	}
}

// A pasted line about a web font, an image, a stylesheet, a module script,
// an EventSource or a media element gives a check command for that load
// (Chromium 156's words, the conformance scenarios load-*).
func TestExplainLoadKinds(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"Access to font at 'https://cdn.example.com/fa.woff2' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			"corsdiag check https://cdn.example.com/fa.woff2 --origin https://app.example --initiator font"},
		{"Access to CSS stylesheet at 'https://cdn.example.com/a.css' from origin 'https://app.example' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://x.example' that is not equal to the supplied origin.",
			"corsdiag check https://cdn.example.com/a.css --origin https://app.example --initiator stylesheet"},
		{"Access to resource at 'https://api.example.com/events' from origin 'https://app.example' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
			"corsdiag check https://api.example.com/events --origin https://app.example --credentials --initiator eventsource"},
		{"Access to video at 'https://cdn.example.com/a.mp4' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			"corsdiag check https://cdn.example.com/a.mp4 --origin https://app.example --initiator video"},
		{"Access to audio at 'https://cdn.example.com/a.mp3' from origin 'https://app.example' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
			"corsdiag check https://cdn.example.com/a.mp3 --origin https://app.example --credentials --initiator audio"},
		// Mixed content names the load too (TestMixedContent*: Chromium 156,
		// Firefox ESR 153, WebKitGTK 2.50).
		{"Mixed Content: The page at 'https://app.example/' was loaded over HTTPS, but requested an insecure font 'http://cdn.example.com/a.woff2'. This request has been blocked; the content must be served over HTTPS.",
			"corsdiag check http://cdn.example.com/a.woff2 --origin https://app.example --initiator font"},
		{"Mixed Content: Upgrading insecure display request ‘http://cdn.example.com/a.png’ to use ‘https’",
			"--initiator image"},
		// Chromium's second line about an upgraded video names it; Firefox's
		// upgrade line, the same for an image, a video and an audio, is
		// read as the image's.
		{"Mixed Content: The page at 'https://app.example/' was loaded over HTTPS, but requested an insecure video 'http://cdn.example.com/a.webm'. This content should also be served over HTTPS.",
			"corsdiag check http://cdn.example.com/a.webm --origin https://app.example --initiator video"},
		{"The page at https://app.example/ requested insecure content from http://cdn.example.com/a.png. This content was automatically upgraded and should be served over HTTPS.",
			"corsdiag check http://cdn.example.com/a.png --origin https://app.example --initiator image --browser safari"},
	} {
		code, out, stderr := runMain(nil, false, "explain", tt.text)
		if code != ExitAllowed || !strings.Contains(out, tt.want) {
			t.Errorf("exit %d, output lacks %q:\n%s%s", code, tt.want, out, stderr)
		}
		// A line that says credentials mode 'include' has its element's
		// use-credentials in the command: the note asks for no more.
		if strings.Contains(tt.want, "--credentials") && strings.Contains(strings.Join(strings.Fields(out), " "), "Add --credentials") {
			t.Errorf("the command has --credentials, the note asks to add it:\n%s", out)
		}
	}
}
