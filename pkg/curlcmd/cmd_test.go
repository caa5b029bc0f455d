package curlcmd

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// chromeEscapeWin is Chrome DevTools' escapeStringWin ("Copy as cURL
// (cmd)"; Edge runs the same code), step for step, as Chromium 156 ships it
// (NetworkLogView generateCurlCommand in the DevTools bundle of
// resources.pak; it quotes with ^"…^" always, escapes & ( ) and ` and
// writes --url and -b):
//
//	'^"' + str.replace(/\\/g, '\\\\')
//	          .replace(/"/g, '\\"')
//	          .replace(/[^a-zA-Z0-9\s_\-:=+~'\/.',?;*]/g, '^$&')
//	          .replace(/%(?=[a-zA-Z0-9_])/g, '%^')
//	          .replace(/[^ -~\r\n]/g, ' ')
//	          .replace(/\r?\n|\r/g, '^\n\n') + '^"'
//
// The regular expressions have no u flag, so they see UTF-16 code units:
// a character outside the BMP is two units, each escaped and replaced.
// testdata/devtools/copies.json holds whole copies made by that code.
func chromeEscapeWin(s string) string {
	u := utf16.Encode([]rune(s))
	var a []uint16
	for _, c := range u { // \ -> \\ and " -> \"
		if c == '\\' || c == '"' {
			a = append(a, '\\')
		}
		a = append(a, c)
	}
	var b []uint16
	for _, c := range a {
		if !chromeWinSafe(c) || c == '(' || c == ')' || c == '`' {
			b = append(b, '^')
		}
		b = append(b, c)
	}
	var d []uint16
	for i, c := range b {
		d = append(d, c)
		if c == '%' && i+1 < len(b) && isNameUnit(b[i+1]) {
			d = append(d, '^')
		}
	}
	var out strings.Builder
	out.WriteString(`^"`)
	for i := 0; i < len(d); i++ {
		c := d[i]
		switch {
		case c == '\r' && i+1 < len(d) && d[i+1] == '\n':
			out.WriteString("^\n\n")
			i++
		case c == '\r' || c == '\n':
			out.WriteString("^\n\n")
		case c < ' ' || c > '~':
			out.WriteByte(' ')
		default:
			out.WriteByte(byte(c))
		}
	}
	out.WriteString(`^"`)
	return out.String()
}

// chromeWinSafe is the class [a-zA-Z0-9\s_\-:=+~'\/.',?;()*`] (Chrome
// escapes ( ) and ` too since; Firefox does not); \s is JavaScript's white
// space and line terminators.
func chromeWinSafe(c uint16) bool {
	switch {
	case c < 0x80 && isNameUnit(c):
		return true
	case c < 0x80:
		return strings.IndexByte("\t\n\v\f\r -:=+~'/.,?;()*`", byte(c)) >= 0
	}
	switch c {
	case 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return c >= 0x2000 && c <= 0x200a
}

func isNameUnit(c uint16) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// TestChromeCmdEscapes: for every kind of character DevTools escapes for
// cmd.exe, the exact text Chrome writes (derived by hand from its source,
// and checked against the port above) reads back as the value the browser
// sent. Where Chrome's copy itself loses the character (a lone CR, a tab,
// anything outside printable ASCII), the value read is what curl.exe would
// get from that copy, and a warning says so when the copy shows it.
func TestChromeCmdEscapes(t *testing.T) {
	const lossy = "Copy as cURL (cmd) wrote"
	for _, tc := range []struct {
		name, value, chrome string
		want                string // "" means value itself
		warn                string
	}{
		{name: "plain", value: "a-b_c.d", chrome: `^"a-b_c.d^"`},
		{name: "percent before a name", value: "%PATH%", chrome: `^"^%^PATH^%^"`},
		{name: "percent-encoded", value: "a=%22Sg4%3D%22", chrome: `^"a=^%^22Sg4^%^3D^%^22^"`},
		{name: "percent before percent", value: "%%x", chrome: `^"^%^%^x^"`},
		{name: "percent at the end", value: "100%", chrome: `^"100^%^"`},
		{name: "percent before a space", value: "10% off", chrome: `^"10^% off^"`},
		{name: "caret", value: "a^b^^", chrome: `^"a^^b^^^^^"`},
		{name: "double quote", value: `say "hi"`, chrome: `^"say ^\^"hi^\^"^"`},
		{name: "backslash", value: `C:\temp`, chrome: `^"C:^\^\temp^"`},
		{name: "two backslashes", value: `a\\b`, chrome: `^"a^\^\^\^\b^"`},
		{name: "backslash before a quote", value: `a\"b`, chrome: `^"a^\^\^\^"b^"`},
		{name: "backslash at the end", value: `a\`, chrome: `^"a^\^\^"`},
		{name: "ampersand pipe redirects", value: "a&b|c<d>e", chrome: `^"a^&b^|c^<d^>e^"`},
		{name: "cmd specials", value: "!x! (y) @z #1 $v [0] {k}", chrome: `^"^!x^! ^(y^) ^@z ^#1 ^$v ^[0^] ^{k^}^"`},
		{name: "safe punctuation", value: "k=v;q?x,y:z+~'/.*", chrome: "^\"k=v;q?x,y:z+~'/.*^\""},
		{name: "parentheses and backtick", value: "f(x)`", chrome: "^\"f^(x^)^`^\""},
		{name: "newline", value: "a\nb", chrome: "^\"a^\n\nb^\""},
		{name: "CRLF", value: "a\r\nb", chrome: "^\"a^\n\nb^\"", want: "a\nb"},
		{name: "lone CR", value: "a\rb", chrome: "^\"a^\n\nb^\"", want: "a\nb"},
		{name: "newline and ampersand", value: "q=evil\n\n & cmd /c calc.exe \n\n",
			chrome: "^\"q=evil^\n\n^\n\n ^& cmd /c calc.exe ^\n\n^\n\n^\""},
		{name: "tab", value: "a\tb", chrome: `^"a b^"`, want: "a b"},
		{name: "no-break space", value: "a\u00a0b", chrome: `^"a b^"`, want: "a b"},
		{name: "DEL", value: "a\x7fb", chrome: `^"a^ b^"`, want: "a b", warn: lossy},
		{name: "accented", value: "café", chrome: `^"caf^ ^"`, want: "caf ", warn: lossy},
		{name: "astral", value: "a😀b", chrome: `^"a^ ^ b^"`, want: "a  b", warn: lossy},
		{name: "percent before unicode", value: "%é", chrome: `^"^%^ ^"`, want: "% ", warn: lossy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := chromeEscapeWin(tc.value); got != tc.chrome {
				t.Fatalf("Chrome writes %q, table says %q", got, tc.chrome)
			}
			want := tc.value
			if tc.want != "" {
				want = tc.want
			}
			text := "curl ^\"https://x.test/^\" ^\n  --data-raw " + tc.chrome
			c, err := Parse(text)
			if err != nil {
				t.Fatal(err)
			}
			if string(c.Body) != want {
				t.Errorf("body %q, want %q", c.Body, want)
			}
			warned := strings.Join(c.Warnings, "\n")
			if tc.warn == "" && warned != "" || !strings.Contains(warned, tc.warn) {
				t.Errorf("warnings %q, want %q", c.Warnings, tc.warn)
			}
		})
	}
}

// firefoxEscapeWin is Firefox DevTools' CurlUtils.escapeStringWin ("Copy
// as cURL (Windows)"), as Firefox ESR 153.8 ships it
// (chrome/devtools/modules/devtools/client/shared/curl.js in omni.ja):
//
//	'^"' + str.replace(/\\/g, "\\\\")
//	          .replace(/"/g, '\\"')
//	          .replace(/[^-a-zA-Z0-9\s_:=+~\/.',?;()*`\p{C}]/gu, "^$&")
//	          .replace(/%(?=[a-zA-Z0-9_])/g, "%^")
//	          .replace(/[^\S\r\n]/g, " ")
//	          .replace(/\r?\n|\r/g, "^\n\n") + '^"'
//
// Unlike Chrome it keeps every character outside ASCII (the u flag: code
// points, escaped with ^) and control characters (\p{C}, unescaped); other
// white space than CR and LF becomes a space. The command starts curl.exe.
func firefoxEscapeWin(s string) string {
	var b strings.Builder
	b.WriteString(`^"`)
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\' || r == '"':
			b.WriteString(`^\^`)
			b.WriteRune(r)
		case r == '\r' && i+1 < len(rs) && rs[i+1] == '\n':
			b.WriteString("^\n\n")
			i++
		case r == '\r' || r == '\n':
			b.WriteString("^\n\n")
		case r < 0x80 && (isNameUnit(uint16(r)) || strings.ContainsRune("-:=+~/.',?;()*`", r)):
			b.WriteRune(r)
		case chromeWinSafe(uint16(r)) && r <= 0xffff:
			b.WriteByte(' ') // white space
		case unicode.Is(unicode.C, r):
			b.WriteRune(r)
		default:
			b.WriteByte('^')
			b.WriteRune(r)
		}
		if r == '%' && i+1 < len(rs) && rs[i+1] < 0x80 && isNameUnit(uint16(rs[i+1])) {
			b.WriteByte('^')
		}
	}
	b.WriteString(`^"`)
	return b.String()
}

// TestFirefoxCmdEscapes does for Firefox's copies what TestChromeCmdEscapes
// does for Chrome's.
func TestFirefoxCmdEscapes(t *testing.T) {
	for _, tc := range []struct {
		name, value, firefox string
		want                 string // "" means value itself
	}{
		{name: "percent before a name", value: "%PATH%", firefox: `^"^%^PATH^%^"`},
		{name: "percent-encoded", value: "a=%22b%3D", firefox: `^"a=^%^22b^%^3D^"`},
		{name: "caret", value: "a^b", firefox: `^"a^^b^"`},
		{name: "double quote", value: `say "hi"`, firefox: `^"say ^\^"hi^\^"^"`},
		{name: "backslashes", value: `C:\temp\\x`, firefox: `^"C:^\^\temp^\^\^\^\x^"`},
		{name: "backslash before a quote", value: `a\"b`, firefox: `^"a^\^\^\^"b^"`},
		{name: "backslash at the end", value: `a\`, firefox: `^"a^\^\^"`},
		{name: "cmd specials", value: "a&b|c<d>e!f@g{h}", firefox: `^"a^&b^|c^<d^>e^!f^@g^{h^}^"`},
		{name: "newline and CRLF", value: "a\nb\r\nc", firefox: "^\"a^\n\nb^\n\nc^\"", want: "a\nb\nc"},
		{name: "tab", value: "a\tb", firefox: `^"a b^"`, want: "a b"},
		{name: "accented", value: "café", firefox: `^"caf^é^"`},
		{name: "astral", value: "a😀b", firefox: `^"a^😀b^"`},
		{name: "control character", value: "a\x01\x7fb", firefox: "^\"a\x01\x7fb^\""},
		{name: "percent before unicode", value: "%é", firefox: `^"^%^é^"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := firefoxEscapeWin(tc.value); got != tc.firefox {
				t.Fatalf("Firefox writes %q, table says %q", got, tc.firefox)
			}
			want := tc.value
			if tc.want != "" {
				want = tc.want
			}
			c, err := Parse("curl.exe ^\"https://x.test/^\" ^\n  -X POST ^\n  --data-raw " + tc.firefox)
			if err != nil {
				t.Fatal(err)
			}
			if string(c.Body) != want || len(c.Warnings) > 0 {
				t.Errorf("body %q, want %q; warnings %q", c.Body, want, c.Warnings)
			}
		})
	}
}

// TestChromeCmdURL: Chrome writes the URL with --url and escapes curl's
// glob characters with a backslash after the cmd escaping.
func TestChromeCmdURL(t *testing.T) {
	for _, raw := range []string{
		"https://x.test/?a[0]={b}&c=%PATH%",
		"https://x.test/p?q=100%25&r=^",
	} {
		esc := chromeEscapeWin(raw)
		for _, g := range []string{"[", "]", "{", "}"} {
			esc = strings.ReplaceAll(esc, g, `\`+g)
		}
		c, err := Parse("curl --url " + esc + " ^\n  -H ^\"x-a: 1^\"")
		if err != nil {
			t.Fatal(err)
		}
		if c.URL != raw || len(c.Warnings) > 0 {
			t.Errorf("%s: URL %q, warnings %q", esc, c.URL, c.Warnings)
		}
	}
}

// TestCmdPercentVariable: cmd.exe replaces %NAME% with the variable's value
// before anything else, inside quotes too and whatever carets stand around
// it (so ^%PATH% is expanded too); Chrome writes %^ to keep the name from
// matching. corsdiag keeps a %NAME% a hand-written command holds as
// written, since it cannot know the user's variables, and warns once.
func TestCmdPercentVariable(t *testing.T) {
	for _, tc := range []struct {
		name, text, body, warn string
	}{
		{"quoted", `curl.exe "https://x.test/" --data-raw "user=%USERNAME%&home=%USERPROFILE%"`,
			"user=%USERNAME%&home=%USERPROFILE%", "%USERNAME%, %USERPROFILE%"},
		{"caret before the percent", `curl ^"https://x.test/^" --data-raw ^"^%PATH%^"`, "%PATH%", "%PATH%"},
		{"repeated name once", `curl.exe "https://x.test/" --data-raw "%A_B% %A_B%"`, "%A_B% %A_B%", "%A_B% with"},
		{"Chrome's %^ escape", `curl ^"https://x.test/^" --data-raw ^"^%^PATH^%^"`, "%PATH%", ""},
		{"percent-encoding", `curl.exe "https://x.test/" --data-raw "a=%20b%3D%2Fc%"`, "a=%20b%3D%2Fc%", ""},
		{"lone percent", `curl.exe "https://x.test/" --data-raw "100% sure"`, "100% sure", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if string(c.Body) != tc.body {
				t.Errorf("body %q, want %q", c.Body, tc.body)
			}
			var got []string
			for _, w := range c.Warnings {
				if strings.Contains(w, "cmd.exe") {
					got = append(got, w)
				}
			}
			switch {
			case tc.warn == "" && len(got) > 0:
				t.Errorf("warned %q", got)
			case tc.warn != "" && (len(got) != 1 || !strings.Contains(got[0], tc.warn)):
				t.Errorf("warnings %q, want one naming %q", got, tc.warn)
			}
		})
	}
}

// FuzzCmdRoundTrip: any value Chrome's or Firefox's escapeStringWin writes
// reads back as what curl.exe would get from that copy: the value itself,
// but for what the copy loses (see TestChromeCmdEscapes). The warnings are
// the copy's: never a %NAME% (DevTools writes %^NAME), the ^ space one
// only for Chrome's copy of a character it loses.
func FuzzCmdRoundTrip(f *testing.F) {
	for _, s := range []string{"%PATH%", `a\"b\`, "q=evil\r\n & calc", "café😀\t\x7f", "^^%%^", "a\rb\u00a0c",
		"f(%x%)`y`", "%^A% %%PATH%%", "{\"re\":\"^\"}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return
		}
		chromeLoses := false
		for _, c := range utf16.Encode([]rune(s)) {
			chromeLoses = chromeLoses || !chromeWinSafe(c) && (c < ' ' || c > '~')
		}
		for _, form := range []struct {
			curl, text, want string
			lossy            bool
		}{
			{"curl", chromeEscapeWin(s), chromeReads(s), chromeLoses},
			{"curl.exe", firefoxEscapeWin(s), firefoxReads(s), false},
		} {
			c, err := Parse(form.curl + " ^\"https://x.test/^\" ^\n  -X POST ^\n  --data-raw " + form.text)
			if err != nil {
				t.Fatalf("%s: %v", form.text, err)
			}
			if string(c.Body) != form.want {
				t.Fatalf("%q written as %q reads as %q, want %q", s, form.text, c.Body, form.want)
			}
			warned := strings.Join(c.Warnings, "\n")
			if strings.Contains(warned, "cmd.exe would replace") || strings.Contains(warned, "(^ )") != form.lossy {
				t.Fatalf("%q written as %q: warnings %q, want the ^ space one: %v", s, form.text, c.Warnings, form.lossy)
			}
		}
	})
}

// chromeReads is s as Chrome's cmd copy keeps it: CR LF and a lone CR
// become LF, every other UTF-16 unit outside printable ASCII a space.
func chromeReads(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	for _, c := range utf16.Encode([]rune(s)) {
		if c == '\n' || c >= ' ' && c <= '~' {
			b.WriteByte(byte(c))
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// firefoxReads is s as Firefox's keeps it: CR LF and a lone CR become LF,
// other white space a space.
func firefoxReads(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r != '\n' && r <= 0xffff && chromeWinSafe(uint16(r)) && !isNameUnit(uint16(r)) && !strings.ContainsRune("-:=+~/.',?;()*`", r) {
			return ' '
		}
		return r
	}, s)
}

// TestCmdPercentVariableNames: a name that starts with two hex digits is
// percent-encoding only when its closing % starts another escape (%DE%AD:
// the bytes DE AD); %DEBUG%, %CD% and %DATA_DIR% before anything else are
// variables cmd.exe expands.
func TestCmdPercentVariableNames(t *testing.T) {
	for _, tc := range []struct{ body, warn string }{
		{"debug=%DEBUG%", "%DEBUG%"},
		{"dir=%CD%", "%CD%"},
		{"d=%DATA_DIR%&e=%BASE_URL%", "%DATA_DIR%, %BASE_URL%"},
		{"q=%DE%AD%BE%EF", ""},
		{"q=%C3%A9t%C3%A9", ""},
		{"q=caf%C3%A9%20au%20lait", ""},
		{"q=%E9t%E9&r=%DEBUG%", "%DEBUG%"},
	} {
		c, err := Parse(`curl.exe "https://x.test/" --data-raw "` + tc.body + `"`)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(c.Warnings, "\n")
		if tc.warn == "" && got != "" || !strings.Contains(got, tc.warn) {
			t.Errorf("%s: warnings %q, want one naming %q", tc.body, c.Warnings, tc.warn)
		}
	}
}

// TestCmdPercentVariableMany: a text full of %NAME% (a 4 MiB paste holds a
// million) gets one warning naming the first few and counting the rest;
// each name is looked up once (BenchmarkCmdPercentVariableMany).
func TestCmdPercentVariableMany(t *testing.T) {
	c, err := Parse(manyCmdVariables(2000))
	if err != nil {
		t.Fatal(err)
	}
	want := "cmd.exe would replace %[REDACTED]%, %v0%, %v2%, %v3%, %v4% and 1995 more with"
	if len(c.Warnings) != 1 || !strings.HasPrefix(c.Warnings[0], want) {
		t.Errorf("warnings %.200q, want one starting %q", c.Warnings, want)
	}
}

func BenchmarkCmdPercentVariableMany(b *testing.B) {
	text := manyCmdVariables(100000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := Parse(text); err != nil {
			b.Fatal(err)
		}
	}
}

// manyCmdVariables is a cmd command whose body and token hold n names
// (%v0% …), each twice.
func manyCmdVariables(n int) string {
	var b strings.Builder
	b.WriteString(`curl.exe "https://x.test/?token=%v1%" --data-raw "`)
	for range 2 {
		for i := range n {
			fmt.Fprintf(&b, "%%v%d%%", i)
		}
	}
	b.WriteString(`"`)
	return b.String()
}

// TestCmdPercentVariableSecret: the warning names no %NAME% that stands in
// a secret (a token parameter, Authorization, a cookie, -u, a password
// field): the name may be part of the value.
func TestCmdPercentVariableSecret(t *testing.T) {
	text := `curl.exe "https://x.test/?token=%Tok_1%" -H "Authorization: Bearer a%Sekrit%b" ` +
		`-H "X-Api-Key: %Apikey9%" -b "sid=%Cookie1%" -u "me:%Pw_x%" --data-raw "password=%Pass1%&u=%USERNAME%"`
	c, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(c.Warnings, "\n")
	if !strings.Contains(got, "%USERNAME%") {
		t.Errorf("warnings %q name no %%USERNAME%%", c.Warnings)
	}
	for _, secret := range []string{"Tok_1", "Sekrit", "Apikey9", "Cookie1", "Pw_x", "Pass1"} {
		if strings.Contains(got, secret) {
			t.Errorf("warnings %q show %s", c.Warnings, secret)
		}
	}
}

// TestCmdCaretSpace: Chrome writes ^ before a space for a character it
// lost, always inside its ^"…^" quoting; a ^ before a space outside quotes
// is cmd's escape of a space that separates words, which loses nothing.
func TestCmdCaretSpace(t *testing.T) {
	for _, tc := range []struct {
		text, body string
		lossy      bool
	}{
		{"curl ^\"https://x.test/^\" --data-raw ^\"caf^ ^\"", "caf ", true},
		{"curl.exe https://x.test/^ --data-raw b", "b", false},
		{"curl ^\"https://x.test/^\"^ --data-raw^ ^\"b^\"", "b", false},
	} {
		c, err := Parse(tc.text)
		if err != nil {
			t.Fatal(err)
		}
		lossy := strings.Contains(strings.Join(c.Warnings, "\n"), "Copy as cURL (cmd) wrote")
		if string(c.Body) != tc.body || lossy != tc.lossy {
			t.Errorf("%q: body %q, lossy warning %v; want %q, %v", tc.text, c.Body, lossy, tc.body, tc.lossy)
		}
	}
}
