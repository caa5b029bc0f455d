package curlcmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// devtoolsCopies is testdata/devtools/copies.json: requests, and the exact
// text each browser's DevTools copies for them (see its "about").
type devtoolsCopies struct {
	Requests []devtoolsRequest
	// Name is a request's, or several joined with "+" for a form ending in
	// "-all" ("Copy all as cURL").
	Copies []struct{ Name, Browser, Form, Copy string }
}

type devtoolsRequest struct {
	Name, URL, Method string
	Headers           [][2]string
	Body              string
	// Cookies are name, value, domain: what DevTools copies into a
	// PowerShell $session (the other forms copy the Cookie header).
	Cookies [][3]string
}

func readDevtoolsCopies(t testing.TB) devtoolsCopies {
	b, err := os.ReadFile("testdata/devtools/copies.json")
	if err != nil {
		t.Fatal(err)
	}
	var d devtoolsCopies
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// parseForm reads a copy with the parser the pasted door picks for it.
func parseForm(form, text string) (*Command, error) {
	switch {
	case form == "powershell":
		return ParsePowerShell(text)
	case strings.HasPrefix(form, "fetch"):
		return ParseFetch(text)
	}
	return Parse(text)
}

// TestDevToolsCopies: every copy the browsers' own code writes (Chrome's
// and Edge's curl bash and cmd, one request or all, PowerShell, fetch and
// Node.js fetch; Firefox's curl POSIX and Windows, PowerShell and fetch;
// Safari's curl and fetch) reads back as the request copied: URL, method,
// headers and body byte for byte, but for what the copy itself loses.
func TestDevToolsCopies(t *testing.T) {
	d := readDevtoolsCopies(t)
	request := map[string]int{}
	for i, r := range d.Requests {
		request[r.Name] = i
	}
	for _, cp := range d.Copies {
		t.Run(cp.Browser+"/"+cp.Form+"/"+cp.Name, func(t *testing.T) {
			names := strings.Split(cp.Name, "+")
			var cmds []*Command
			if form, ok := strings.CutSuffix(cp.Form, "-all"); ok {
				all, err := ParseAll(cp.Copy)
				if err != nil {
					t.Fatalf("%v\n%s", err, cp.Copy)
				}
				for _, p := range all {
					cmds = append(cmds, p.Command)
				}
				if _, err := Parse(cp.Copy); err == nil || !strings.Contains(err.Error(),
					fmt.Sprintf("holds %d curl commands", len(names))) {
					t.Errorf("Parse of all: %v", err)
				}
				cp.Form = form
			} else {
				c, err := parseForm(cp.Form, cp.Copy)
				var e *Error
				if cp.Browser+"/"+cp.Form == "firefox/windows" && strings.ContainsRune(cp.Copy, 0) {
					// Firefox writes a NUL as it is (not in \p{C}'s escape).
					if !errors.As(err, &e) || cp.Copy[e.Offset] != 0 || !strings.Contains(e.Reason, "Firefox") {
						t.Errorf("%v, want the NUL refused at its offset", err)
					}
					return
				}
				if err != nil {
					t.Fatalf("%v\n%s", err, cp.Copy)
				}
				cmds = append(cmds, c)
			}
			if len(cmds) != len(names) {
				t.Fatalf("%d commands, want %d", len(cmds), len(names))
			}
			for i, c := range cmds {
				j, ok := request[names[i]]
				if !ok {
					t.Fatalf("no request %q", names[i])
				}
				checkCopy(t, cp.Browser+"/"+cp.Form, c, d.Requests[j])
			}
		})
	}
}

// checkCopy compares c, read from a copy (browser/form), with the request.
func checkCopy(t *testing.T, copied string, c *Command, req devtoolsRequest) {
	t.Helper()
	loss := func(s string) string { return s } // what the copy itself loses
	switch copied {
	case "chrome/cmd":
		loss = chromeReads
	case "firefox/windows":
		loss = firefoxReads
	}
	if c.URL != req.URL {
		t.Errorf("URL %q, want %q", c.URL, req.URL)
	}
	if c.Method != req.Method {
		t.Errorf("method %q, want %q", c.Method, req.Method)
	}
	body := req.Body
	curl := copied == "firefox/posix" || copied == "firefox/windows" || copied == "safari/curl"
	if curl && strings.HasPrefix(copied, "firefox") {
		// Firefox copies the part after the last CRLF (its
		// writePostDataTextParams).
		if i := strings.LastIndex(body, "\r\n"); i >= 0 {
			body = body[i+len("\r\n"):]
		}
	}
	if got, want := string(c.Body), loss(body); got != want {
		t.Errorf("body %q, want %q", got, want)
	}
	for _, w := range c.Warnings {
		if copied != "chrome/cmd" || !strings.Contains(w, "(cmd) wrote a space") {
			t.Errorf("warning: %s", w)
		}
	}
	for _, h := range req.Headers {
		if strings.EqualFold(h[0], "cookie") {
			// Moved to Cookie; fetch copies say credentials "include"
			// instead, PowerShell's hold the cookies of the $session.
			switch {
			case strings.HasSuffix(copied, "powershell"):
				var want []string
				for _, ck := range req.Cookies {
					want = append(want, ck[0]+"="+ck[1])
				}
				if c.Cookie != strings.Join(want, "; ") || c.Credentials != (len(want) > 0) {
					t.Errorf("cookie %q (credentials %v), want %q", c.Cookie, c.Credentials, want)
				}
			case strings.Contains(copied, "/fetch") && copied != "chrome/fetch-node":
				if !c.Credentials || c.Cookie != "" {
					t.Errorf("credentials %v, cookie %q; want credentials and no cookie", c.Credentials, c.Cookie)
				}
			case c.Cookie != strings.TrimSpace(loss(h[1])): // a field value has no edge blanks
				t.Errorf("cookie %q, want %q", c.Cookie, loss(h[1]))
			}
			continue
		}
		vs, ok := c.Header[h[0]]
		if !ok {
			vs, ok = c.Header[http.CanonicalHeaderKey(h[0])]
		}
		if strings.TrimSpace(h[1]) == "" && curl {
			// Firefox and Safari write "name: ", which makes curl send no
			// such header (Chrome writes "name;").
			if ok {
				t.Errorf("header %s %q, want none", h[0], vs)
			}
			continue
		}
		if !ok {
			// Fetch copies leave forbidden headers out (Chrome's the
			// User-Agent too).
			if !strings.Contains(copied, "fetch") {
				t.Errorf("header %s missing: %q", h[0], c.Header)
			}
			continue
		}
		if want := loss(h[1]); len(vs) != 1 || vs[0] != want {
			t.Errorf("header %s %q, want %q", h[0], vs, want)
		}
	}
}

// chromeEscapePosix is Chrome's escapeStringPosix ("Copy as cURL
// (bash)"), as Chromium 156 ships it: $'…' when the value holds a control
// character, a C1 control, ! or ', each of those (but \n, \r) as \uHHHH;
// else '…'.
func chromeEscapePosix(s string) string {
	special := func(r rune) bool { return r <= 0x1f || r >= 0x7f && r <= 0x9f || r == '!' }
	return escapePosix(s, special, func(r rune) string {
		if special(r) {
			return fmt.Sprintf(`\u%04x`, r)
		}
		return ""
	})
}

// firefoxEscapePosix is Firefox's escapeStringPosix ("Copy as cURL
// (POSIX)", Firefox ESR 153): $'…' when the value holds anything outside
// printable ASCII, ! or '; ! as \041, each other UTF-16 unit outside
// printable ASCII (but \n, \r) as \xHH below 256, else \uHHHH.
func firefoxEscapePosix(s string) string {
	return escapePosix(s, func(r rune) bool { return r < ' ' || r > '~' || r == '!' }, escapeUnits)
}

// safariEscapePosix is Safari's ("Copy as cURL", WebKitGTK 2.50 Web
// Inspector): Firefox's, but a ! alone does not call for $'…'.
func safariEscapePosix(s string) string {
	return escapePosix(s, func(r rune) bool { return r < ' ' || r > '~' }, escapeUnits)
}

func escapeUnits(r rune) string {
	var b strings.Builder
	for _, c := range utf16.AppendRune(nil, r) {
		switch {
		case c == '!':
			b.WriteString(`\041`)
		case c < ' ' || c > '~' && c < 256:
			fmt.Fprintf(&b, `\x%02x`, c)
		case c > '~':
			fmt.Fprintf(&b, `\u%04x`, c)
		}
	}
	return b.String()
}

// escapePosix is the shape of every escapeStringPosix: '…' unless dollar
// holds for a character or there is a ', else $'…' with \\, \', \n, \r and
// escape(r) for each character it has an escape for.
func escapePosix(s string, dollar func(rune) bool, escape func(rune) string) string {
	if !strings.ContainsFunc(s, dollar) && !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for _, r := range s {
		switch e := escape(r); {
		case r == '\\' || r == '\'':
			b.WriteString(`\` + string(r))
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case e != "":
			b.WriteString(e)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString("'")
	return b.String()
}

// TestEscapePorts: the Go ports the fuzz targets use write, for each value
// of testdata/devtools/escapes.json, the exact word the browsers' own
// escaping functions wrote (run under node), and each word reads back as
// the value, but for what the copy itself loses.
func TestEscapePorts(t *testing.T) {
	b, err := os.ReadFile("testdata/devtools/escapes.json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Value, ChromeCmd, ChromeBash, FirefoxWindows, FirefoxPOSIX, Safari string
	}
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		for _, f := range []struct {
			name, browser, port, curl, want string
		}{
			{"Chrome cmd", r.ChromeCmd, chromeEscapeWin(r.Value), "curl", chromeReads(r.Value)},
			{"Chrome bash", r.ChromeBash, chromeEscapePosix(r.Value), "curl", r.Value},
			{"Firefox Windows", r.FirefoxWindows, firefoxEscapeWin(r.Value), "curl.exe", firefoxReads(r.Value)},
			{"Firefox POSIX", r.FirefoxPOSIX, firefoxEscapePosix(r.Value), "curl", r.Value},
			{"Safari", r.Safari, safariEscapePosix(r.Value), "curl", r.Value},
		} {
			if f.port != f.browser {
				t.Errorf("%s of %q: the port writes %q, the browser %q", f.name, r.Value, f.port, f.browser)
			}
			start, sep := " 'http://127.0.0.1/'", " \\\n  "
			if strings.HasSuffix(f.name, "cmd") || strings.HasSuffix(f.name, "Windows") {
				start, sep = ` ^"http://127.0.0.1/^"`, " ^\n  "
			}
			text := f.curl + start + sep + "-X POST" + sep + "--data-raw " + f.browser
			c, err := Parse(text)
			if f.name == "Firefox Windows" && strings.ContainsRune(r.Value, 0) {
				// Firefox writes a NUL as it is, which a clipboard or
				// cmd.exe would cut: refused where it stands.
				var e *Error
				if !errors.As(err, &e) || e.Offset >= len(text) || text[e.Offset] != 0 {
					t.Errorf("%s of %q: %v, want the NUL refused at its offset", f.name, r.Value, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s of %q: %v", f.name, r.Value, err)
				continue
			}
			if string(c.Body) != f.want {
				t.Errorf("%s of %q: %s reads as %q, want %q", f.name, r.Value, f.browser, c.Body, f.want)
			}
		}
	}
}

// FuzzPosixRoundTrip: any value Chrome's, Firefox's or Safari's
// escapeStringPosix writes reads back as itself, byte for byte.
func FuzzPosixRoundTrip(f *testing.F) {
	for _, s := range []string{"café", "😀𝄞", "a\u0085b\x7f", "Ã©", "it's 100%!", `\xe9\ud83d`, "a\r\nb", "^\"x^\"", "\x00\x00\x00\x00\x05\n\x03", "a\x000\x007!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // a JavaScript string holds no such bytes
		}
		for _, word := range []string{chromeEscapePosix(s), firefoxEscapePosix(s), safariEscapePosix(s)} {
			c, err := Parse("curl 'http://127.0.0.1/' \\\n  -X POST \\\n  --data-raw " + word)
			if err != nil {
				t.Fatalf("%q written as %s: %v", s, word, err)
			}
			if string(c.Body) != s {
				t.Fatalf("%q written as %s reads as %q", s, word, c.Body)
			}
		}
	})
}

// addDevtoolsSeeds adds to f the copies of testdata/devtools/copies.json
// whose form is one of forms.
func addDevtoolsSeeds(f *testing.F, forms ...string) {
	for _, cp := range readDevtoolsCopies(f).Copies {
		if slices.Contains(forms, cp.Form) {
			f.Add(cp.Copy)
		}
	}
}
