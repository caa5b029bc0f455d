package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/consoletext"
	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/shellword"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/report"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// maxPaste bounds what explain reads from stdin: the console lines of one
// request, not a log file.
const maxPaste = 64 << 10

// explainJSON is `explain TEXT -o json`.
type explainJSON struct {
	Browser    string   `json:"browser"`
	Code       *string  `json:"code"`
	Candidates []string `json:"candidates"`
	URL        string   `json:"url"`
	// RedirectedFrom is where the redirect that led to URL started, when
	// the text names one.
	RedirectedFrom string `json:"redirected_from"`
	// Location is where the redirect that failed pointed, when the text
	// names it.
	Location     string `json:"location"`
	Origin       string `json:"origin"`
	Status       *int   `json:"status"`
	CheckCommand string `json:"check_command"`
	Note         string `json:"note"`
	// Locale is the Firefox locale the text was written in, "" for English.
	Locale string `json:"locale"`
	// LegacyWording is the opening words of an older release's wording the
	// text is in ("Failed to load …"), "" for today's.
	LegacyWording string `json:"legacy_wording"`
	// NullOrigin is where the text's null origin came from: "page",
	// "either"; "" when it names none.
	NullOrigin string `json:"null_origin"`
}

// explainText answers a pasted console text: what it says, the command
// that reproduces it, and the page of the most specific code.
func explainText(o *explainOptions, r *consoletext.Reading) error {
	// The URL's query may carry a token (?access_token=…): hidden, as
	// check and har hide it, unless --no-redact.
	if !o.NoRedact {
		copied := *r
		copied.URL = redact.URL(r.URL)
		copied.RedirectedFrom = redact.URL(r.RedirectedFrom)
		copied.Location = redact.URL(r.Location)
		r = &copied
	}
	command, needsOrigin := reproduceCommand(r)
	// What the command itself hides, in the form it holds it.
	hidden := ""
	for _, m := range []string{redact.Marker, redact.URLMarker} {
		if !o.NoRedact && strings.Contains(command, m) {
			hidden = m
			break
		}
	}
	if o.Output == "json" {
		// Cleaned as the text is: JSON escapes ESC as \u001b, which jq -r
		// prints raw, and the pasted text holds the server's words.
		cl := termsafe.Clean
		out := explainJSON{Browser: r.Browser, Candidates: []string{}, URL: cl(r.URL), RedirectedFrom: cl(r.RedirectedFrom), Location: cl(r.Location), Origin: cl(r.Origin),
			CheckCommand: cl(command), Note: cl(r.Note), Locale: r.Locale, LegacyWording: cl(r.Legacy),
			NullOrigin: r.NullOrigin}
		if r.Code != "" {
			c := string(r.Code)
			out.Code = &c
		}
		for _, c := range r.Candidates {
			out.Candidates = append(out.Candidates, string(c))
		}
		if r.Status != 0 {
			s := r.Status
			out.Status = &s
		}
		return termsafe.WriteJSON(o.IO.Out, out)
	}
	p, _ := cors.LookupProfile(r.Browser)
	w := o.IO.Out
	clean := termsafe.Clean
	// wrap writes prose wrapped to the terminal (piped: whole).
	width := terminalWidth(o.IO)
	wrap := func(first, rest, s string) { io.WriteString(w, report.Wrap(s, first, rest, width)) }
	console := "console"
	if r.Locale != "" {
		console += " (locale " + r.Locale + ")"
	}
	if r.Legacy != "" {
		// An old WebView's, an Electron app's, a Stack Overflow answer's:
		// the same checks as today's, reproduced the same way.
		console += fmt.Sprintf(" (an older %s's wording, %q)", p.Display, r.Legacy)
	}
	if r.Code == "" {
		wrap("", "  ", p.Display+"'s fetch() error: it does not say which CORS check failed, or whether it was CORS at all.")
	} else {
		wrap("", "  ", fmt.Sprintf("%s's %s says: %s", p.Display, console, r.Code))
		if len(r.Candidates) > 1 {
			var others []string
			for _, c := range r.Candidates[1:] {
				others = append(others, string(c))
			}
			wrap("  ", "    ", fmt.Sprintf("Also possible: %s (the text reads the same for them)", strings.Join(others, ", ")))
		}
	}
	field := func(name, v, missing string) {
		if v == "" {
			v = missing
		}
		wrap(fmt.Sprintf("  %-8s ", name+":"), "           ", clean(v))
	}
	shownURL := r.URL
	if r.RedirectedFrom != "" && r.URL != "" {
		shownURL += " (redirected from " + r.RedirectedFrom + ")"
	}
	if r.Location != "" {
		if shownURL == "" {
			shownURL = "not in the text"
		}
		shownURL += " (its redirect to " + r.Location + " failed)"
	}
	field("URL", shownURL, "not in the text")
	field("Origin", r.Origin, "not in the text ("+p.Display+"'s line does not name the page's origin)")
	status := ""
	if r.Status != 0 {
		status = fmt.Sprint(r.Status)
	}
	field("Status", status, "not in the text")
	if r.Note != "" {
		wrap("  Note:    ", "           ", r.Note)
	}
	fmt.Fprintf(w, "\nReproduce it:\n  %s\n", clean(command))
	switch {
	case needsOrigin && r.NullOrigin == consoletext.NullEither:
		wrap("  ", "   ", "(put your page's origin in --origin, or null if it is a sandboxed iframe or a file: page)")
	case needsOrigin:
		wrap("  ", "   ", "(put your page's origin in --origin: the text does not name it)")
	}
	if r.URL == "" && r.RedirectedFrom == "" {
		wrap("  ", "   ", "(put the request's URL for "+urlPlaceholder+": the text does not name it)")
	}
	if r.Code == cors.CodeRedirectModeError {
		// check has no flag for fetch()'s redirect mode: a pasted call
		// carries it (docs/check.md).
		wrap("  ", "   ", fmt.Sprintf("(this follows the redirect, as fetch() does by default; to check the call with redirect: %q, paste it: corsdiag check --from-file -)", cors.RedirectError))
	}
	if hidden != "" {
		wrap("  ", "   ", fmt.Sprintf("(put the hidden values back for %s, or pass --no-redact)", hidden))
	}
	if r.Code == "" {
		return nil
	}
	fmt.Fprintln(w)
	return writePage(o, r.Code)
}

// cutLineError refuses a line that opens as a browser's but gives no
// reason corsdiag knows, with the command that sends its request.
func cutLineError(o *explainOptions, e *consoletext.UnknownReasonError) error {
	r := &consoletext.Reading{Browser: e.Browser, URL: e.URL, Origin: e.Origin}
	if !o.NoRedact {
		r.URL = redact.URL(r.URL)
	}
	msg := termsafe.Clean(e.Error()) + ".\nPaste the whole line (and the lines logged with it)"
	if r.URL != "" {
		cmd, _ := reproduceCommand(r)
		msg += ", or send the request: " + termsafe.Clean(cmd)
	}
	return usageErrorf("%s", msg)
}

// urlPlaceholder stands for a URL the text does not name, as a URL check
// accepts.
const urlPlaceholder = "https://your-api.example/path"

// reproduceCommand is the `corsdiag check` command that reproduces what the
// reading says; needsOrigin is true when the text lacks the page's origin.
func reproduceCommand(r *consoletext.Reading) (cmd string, needsOrigin bool) {
	url := r.URL
	if r.RedirectedFrom != "" {
		// Where the browser started: after a cross-origin redirect its
		// request to the target carried Origin: null.
		url = r.RedirectedFrom
	}
	if url == "" {
		url = urlPlaceholder
	}
	origin := r.Origin
	if r.NullOrigin == consoletext.NullEither {
		// The null the text names may not be the page's origin.
		origin = ""
	}
	if origin == "" {
		origin, needsOrigin = "https://your-page.example", true
	}
	args := []string{"corsdiag", "check", shellword.Quote(url), "--origin", shellword.Quote(origin)}
	method, header, credentials := "GET", []string(nil), consoletext.IsCredentialsCode(r.Code)
	switch r.Code {
	case cors.CodeMethodNotAllowed:
		if r.Param != "" {
			method = r.Param
		}
	case cors.CodeHeaderNotAllowed:
		if r.Param != "" {
			header = []string{r.Param}
		}
	}
	// Only what check accepts of the load the text names.
	in, withHeader, withCredentials := cors.InitiatorOf(&cors.Request{Initiator: r.Initiator}).Fit(cors.NormalizeMethod(method), header, credentials)
	if credentials && withCredentials {
		args = append(args, "--credentials")
	}
	switch {
	case method != "GET":
		args = append(args, "-X", shellword.Quote(method))
	case len(header) > 0 && withHeader:
		args = append(args, "-H", shellword.Quote(header[0]+": 1"))
	case r.Preflight || strings.HasPrefix(string(r.Code), "preflight-") && r.Code != cors.CodePreflightNetwork:
		// The text does not say what made the request need a preflight.
		args = append(args, "--preflight", "always")
	}
	if in.Name != "fetch" {
		args = append(args, "--initiator", in.Flag)
	}
	if r.Browser != cors.Chromium.Name {
		args = append(args, "--browser", r.Browser)
	}
	return strings.Join(args, " "), needsOrigin
}
