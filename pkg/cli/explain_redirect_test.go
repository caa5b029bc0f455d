package cli

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/redact"
)

// A pasted console line about a redirect, in each browser's words as the
// profiles render them (Chromium's "(redirected from …)", Firefox's
// reasons, WebKit's "Cross-origin redirection to … denied" and "Not
// allowed to follow a redirection"), first line alone and all lines:
// explain names every URL the text holds (the one that failed, where the
// redirect started, where it led), redacted and fitting 80 columns, and
// prints a command check accepts. WebKit's redirection line alone printed
// "URL: not in the text" and no word of its target.
func TestExplainRedirectLines(t *testing.T) {
	const token = "ya29.secretsecret"
	tried := 0
	for _, p := range cors.AllProfiles {
		for _, code := range []cors.Code{cors.CodeMissingAllowOrigin, cors.CodeWildcardCredentials, cors.CodeMultipleAllowOrigin,
			cors.CodeRedirectModeError, cors.CodeRedirectCredentials, cors.CodeRedirectBadLocation, cors.CodeTooManyRedirects} {
			for _, hop := range []bool{false, true} {
				c := &cors.Console{Initiator: "fetch", URL: "https://api.example.com/a", Request: "https://api.example.com/a",
					Origin: "https://app.example", Status: 302, Redirect: true, OriginLines: 2,
					Param:    "https://app.example, https://x.example",
					Location: "https://cdn.example.net/b?access_token=" + token}
				if hop {
					c.URL, c.From = "https://b.example.com/hop", c.Request
				}
				c.NotFollowed = code == cors.CodeRedirectModeError
				lines := p.Lines(&cors.Finding{Code: code, Console: c})
				if len(lines) == 0 {
					continue
				}
				for _, text := range []string{strings.Join(lines, "\n"), lines[0]} {
					tried++
					io, out, errOut := fakeIO(nil)
					io.Width, io.WidthSet = 80, true
					if exit := Main([]string{"explain", text}, io); exit != ExitAllowed {
						t.Errorf("%s %s: exit %d: %s\n%s", p.Name, code, exit, errOut, text)
						continue
					}
					got, _, _ := strings.Cut(out.String(), "\n\n#")
					for _, u := range []string{c.URL, c.From, c.Location} {
						if u != "" && strings.Contains(text, u) && !strings.Contains(got, redact.URL(u)) {
							t.Errorf("%s %s: output lacks %s:\n%s\n%s", p.Name, code, redact.URL(u), text, got)
						}
					}
					if strings.Contains(got, token) {
						t.Errorf("%s %s: output shows the token:\n%s", p.Name, code, got)
					}
					for _, l := range overWidth(got, 80) {
						if !strings.HasPrefix(l, "  corsdiag check ") {
							t.Errorf("%s %s: wider than 80: %q", p.Name, code, l)
						}
					}
					_, cmd, _ := strings.Cut(got, "Reproduce it:\n  ")
					cmd, _, _ = strings.Cut(cmd, "\n")
					if _, err := checkAccepts(t, cmd); err != nil {
						t.Errorf("%s %s: check refuses %s: %v", p.Name, code, cmd, err)
					}
					// check follows redirects unless a pasted call says
					// otherwise: explain says how to keep the mode.
					if code == cors.CodeRedirectModeError && !strings.Contains(got, "corsdiag check --from-file -") {
						t.Errorf("%s %s: no word of the pasted call that keeps redirect: 'error':\n%s", p.Name, code, got)
					}
				}
			}
		}
	}
	if tried < 20 {
		t.Errorf("only %d texts tried", tried)
	}
}

// The redirect's target is the server's words: printed without terminal
// control characters, in text and JSON.
func TestExplainRedirectTargetIsClean(t *testing.T) {
	c := &cors.Console{Initiator: "fetch", URL: "https://api.example.com/a", Request: "https://api.example.com/a",
		Origin: "https://app.example", Redirect: true, Location: "https://cdn.example.net/b?\x1b]0;t\x07"}
	text := cors.Safari.Lines(&cors.Finding{Code: cors.CodeWildcardCredentials, Console: c})[0]
	for _, args := range [][]string{{"explain", text}, {"explain", "-o", "json", text}} {
		code, out, stderr := runMain(nil, false, args...)
		if code != ExitAllowed || strings.ContainsAny(out, "\x1b\x07") || strings.Contains(out, `\u001b`) ||
			!strings.Contains(out, "https://cdn.example.net/b?") {
			t.Errorf("%v: exit %d: %q %s", args[1:len(args)-1], code, out, stderr)
		}
	}
}
