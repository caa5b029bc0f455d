package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// A pasted line whose origin is null, in each browser's words as the
// profiles render them, with and without a redirect before the failing
// hop. A null Origin comes from a sandboxed iframe or a file: or data:
// page, or from a redirect to another origin (the browser taints the
// origin). Chromium names the page's origin and shows the redirect
// ("(redirected from '…')"); WebKit names the Origin sent and cannot show
// it (conformance redirect-cross-origin-taint and sandbox-acao-page-origin
// log the same line); Firefox never names the origin (its 'null' is an
// Access-Control-Allow-Origin value). explain printed `--origin null` and
// the sandboxed page's reading for all of them, even after a redirect.
func TestExplainNullOrigin(t *testing.T) {
	const called, hop, page = "https://api.example.com/a?token=s3cret", "https://b.example.com/hop", "https://app.example"
	tests := []struct {
		browser  *cors.Profile
		redirect bool
		// reading: what null_origin says (page, redirect, either).
		reading string
		// origin: the --origin of the printed command.
		origin string
	}{
		{cors.Chromium, false, "page", "null"},
		// Chromium names the page's origin after a redirect too.
		{cors.Chromium, true, "page", "null"},
		{cors.Safari, false, "either", "https://your-page.example"},
		{cors.Safari, true, "either", "https://your-page.example"},
		{cors.Firefox, false, "", "https://your-page.example"},
		{cors.Firefox, true, "", "https://your-page.example"},
	}
	for _, tt := range tests {
		for _, code := range []cors.Code{cors.CodeMissingAllowOrigin, cors.CodeAllowOriginMismatch} {
			c := &cors.Console{Initiator: "fetch", URL: called, Request: called, Origin: "null", Status: 200,
				Param: "null", OriginLines: 1}
			if tt.redirect {
				c.URL, c.From, c.SentOrigin = hop, called, "null"
				if tt.browser != cors.Chromium {
					c.Origin = page // Chromium names the page's origin: only a null page's line says null
				}
			}
			lines := tt.browser.Lines(&cors.Finding{Code: code, Console: c})
			text := strings.Join(lines, "\n")
			name := tt.browser.Name + " " + string(code)
			if tt.redirect {
				name += " redirected"
			}
			for _, width := range []int{80, 50, 40} {
				io, out, errOut := fakeIO(nil)
				io.Width, io.WidthSet = width, true
				if exit := Main([]string{"explain", text}, io); exit != ExitAllowed {
					t.Fatalf("%s: exit %d: %s", name, exit, errOut)
				}
				got, _, _ := strings.Cut(out.String(), "\n\n#")
				if strings.Contains(got, "s3cret") || strings.ContainsAny(got, "\x1b\x07") {
					t.Errorf("%s: not redacted or not clean:\n%s", name, got)
				}
				for _, l := range overWidth(got, width) {
					if !strings.HasPrefix(l, "  corsdiag check ") {
						t.Errorf("%s: wider than %d: %q", name, width, l)
					}
				}
				// Never advise allowing null, in the reading or in the page.
				if strings.Contains(strings.ReplaceAll(out.String(), "`", ""), "Allow-Origin: null") &&
					!strings.Contains(out.String(), "Do not allow") {
					t.Errorf("%s: advises allowing null:\n%s", name, out)
				}
				_, cmd, _ := strings.Cut(got, "Reproduce it:\n  ")
				cmd, _, _ = strings.Cut(cmd, "\n")
				// Where script called, not the hop the check failed at
				// (Firefox's and WebKit's lines name only the hop).
				if tt.browser == cors.Chromium && (!strings.Contains(cmd, "https://api.example.com/a?") || strings.Contains(cmd, hop)) {
					t.Errorf("%s: command does not start at the URL script called: %s", name, cmd)
				}
				if !strings.Contains(cmd, "--origin "+tt.origin) {
					t.Errorf("%s: command's origin is not %s: %s", name, tt.origin, cmd)
				}
				if _, err := checkAccepts(t, cmd); err != nil {
					t.Errorf("%s: check refuses %s: %v", name, cmd, err)
				}
				flat := strings.Join(strings.Fields(got), " ")
				switch tt.reading {
				case "page":
					// A redirect to another origin shown too: the page's null, and the taint to come.
					if tt.redirect && (!strings.Contains(flat, "sandboxed") || !strings.Contains(flat, "origin-tainted-by-redirect") ||
						strings.Contains(flat, "put your page's origin")) {
						t.Errorf("%s: not the page's reading with the redirect's:\n%s", name, out)
					}
				case "either":
					if !strings.Contains(flat, "sandboxed") || !strings.Contains(flat, "redirect") ||
						!strings.Contains(flat, "put your page's origin") {
						t.Errorf("%s: not both readings:\n%s", name, got)
					}
				}
			}
			_, js, _ := runMain(nil, false, "explain", "-o", "json", text)
			var v struct {
				NullOrigin *string `json:"null_origin"`
			}
			if err := json.Unmarshal([]byte(js), &v); err != nil || v.NullOrigin == nil || *v.NullOrigin != tt.reading {
				t.Errorf("%s: null_origin %v, want %q (%v): %s", name, v.NullOrigin, tt.reading, err, js)
			}
		}
	}
}
