package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
	"github.com/fatih/color"
)

// palette holds colour objects with colour switched on or off explicitly:
// the package-global color.NoColor is never consulted.
type palette struct {
	bad, good, warn, info, bold, dim *color.Color
}

func newPalette(on bool) palette {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return palette{
		bad:  mk(color.FgRed, color.Bold),
		good: mk(color.FgGreen, color.Bold),
		warn: mk(color.FgYellow),
		info: mk(color.FgCyan),
		bold: mk(color.Bold),
		dim:  mk(color.Faint),
	}
}

func (p palette) severity(s cors.Severity) *color.Color {
	switch s {
	case cors.SeverityError:
		return p.bad
	case cors.SeverityWarning:
		return p.warn
	}
	return p.info
}

func severityMark(s cors.Severity) string {
	switch s {
	case cors.SeverityError:
		return "✗"
	case cors.SeverityWarning:
		return "!"
	}
	return "i"
}

// WriteText writes the human report: verdict, the finding the browser
// reports (with its console line byte for byte), everything else found,
// the exchanges, the platform and where to read more.
func WriteText(w io.Writer, res *CheckResult, style Style) error {
	bw := bufio.NewWriter(w)
	t := &textWriter{w: bw, p: newPalette(style.Color), s: newSanitizer(res), res: res, width: style.Width}
	t.write()
	if t.err != nil {
		return t.err
	}
	return bw.Flush()
}

type textWriter struct {
	w     io.Writer
	p     palette
	s     *sanitizer
	res   *CheckResult
	err   error
	width int
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

// text prepares server- or user-supplied text for the terminal: redacted,
// cleaned, and cut at maxShownLine (a finding may quote a 1 MiB header).
func (t *textWriter) text(s string) string { return shown(t.s.Text(s), maxShownLine) }

func (t *textWriter) write() {
	d := t.res.Diagnosis
	findings := orderedFindings(d)

	t.browsers()
	if d.Verdict == cors.Blocked {
		t.fitLine(t.p.bad.Sprint("✗ Blocked: the browser would block this request"), "  ")
	} else {
		line := "✓ Allowed: the browser would allow this request"
		if d.Scope == cors.ScopePreflightOnly {
			line += " (preflight only: the actual response was not checked)"
		}
		var b strings.Builder
		writeWrapped(&b, line, "", "  ", t.width)
		t.printf("%s", t.p.good.Sprint(strings.TrimSuffix(b.String(), "\n"))+"\n")
	}
	r := t.res.Exchange.Request
	cred := ""
	if r.Credentials {
		cred = ", credentials: include"
	}
	// A mode that is not the default changes what a redirect does.
	if m := redirectMode(&r); m != cors.RedirectFollow {
		cred += ", redirect: '" + m + "'"
	}
	// The method is the user's (-X); a line break in it stays on this line.
	t.block("  ", "    ", termsafe.Clean(cors.NormalizeMethod(r.Method))+" "+t.s.URL(r.URL)+" from origin "+r.Origin+cred)

	rest := findings
	if len(findings) > 0 && findings[0].Reported {
		var cause *cors.Finding
		var follows []cors.Finding
		rest = nil
		for _, f := range findings[1:] {
			switch {
			case f.Cause:
				cause = &f
			case f.FollowsFrom != "":
				follows = append(follows, f)
			default:
				rest = append(rest, f)
			}
		}
		t.reported(&findings[0], cause, follows)
	}
	if len(rest) > 0 {
		title := "Found"
		if len(findings) > 0 && findings[0].Reported {
			title = "Also found"
		}
		t.printf("\n%s\n", t.p.bold.Sprint(title))
		for i := range rest {
			t.other(&rest[i])
		}
	}

	t.printf("\n%s\n", t.p.bold.Sprint("Exchanges"))
	// The actual-not-checked finding above already says why, and how to
	// send it; the note is for the cases no finding covers.
	note := actualNote(t.res)
	if hasCode(findings, cors.CodeActualNotChecked) {
		note = ""
	}
	switch {
	case len(exchangeRows(t.res)) == 0 && note != "":
		// Nothing to tabulate: the note says why nothing was sent, once.
		t.block("Not sent: ", "  ", note)
	default:
		if t.err == nil {
			t.err = writeExchangeTable(t.w, t.res, t.s, t.width)
		}
		if note != "" {
			t.block("Actual request not sent: ", "  ", note)
		}
	}
	if t.res.BrowserSkipsActual {
		why := "The browser would not send the actual request (the preflight fails)"
		if hasCode(findings, cors.CodeLocalNetworkInsecure) {
			// Chromium blocks before anything leaves: there is no preflight.
			why = "The browser would send nothing (Local Network Access blocks the request before it leaves)"
		}
		t.block("", "", why+"; corsdiag sent it to show what you would hit next.")
	}

	if pl := t.res.Platform; pl != nil && pl.Name != "" {
		line := pl.Name + " (" + pl.Confidence + ")"
		if len(pl.Evidence) > 0 {
			line += " — evidence: " + strings.Join(pl.Evidence, "; ")
		}
		t.printf("\n")
		t.block("Platform: ", "  ", line)
		if len(pl.Layers) > 1 {
			t.block("Layers: ", "  ", strings.Join(pl.Layers, " → "))
		}
	}

	code := firstCode(findings)
	if c := d.Cause(); c != nil {
		// The page about the cause tells what to change.
		code = c.Code
	}
	if code != "" {
		line := fmt.Sprintf("Run 'corsdiag explain %s' for details.", code)
		if t.width > 0 && termsafe.Width(line) > t.width {
			// The command stays whole, to copy, on a line of its own.
			line = "For details, run:\n  corsdiag explain " + string(code)
		}
		t.printf("\n%s\n", line)
	}
}

// browsers opens a report of several browsers: whether they differ (said
// first), one verdict per browser, and the console lines of each browser
// other than the primary one, whose report follows.
func (t *textWriter) browsers() {
	vs := t.res.Browsers
	if len(vs) < 2 {
		return
	}
	if differ, headline, why := BrowsersDiffer(vs); differ {
		t.fitLine(t.p.bold.Sprint("Browsers differ: "+headline+"."), "  ")
		if why != "" {
			t.block("  Why: ", "       ", why+".")
		}
	} else {
		names := make([]string, len(vs))
		for i, v := range vs {
			names[i] = displayName(v.Browser)
		}
		t.fitLine(t.p.bold.Sprint(joinNames(names)+" agree: "+string(vs[0].Verdict)+"."), "  ")
	}
	for _, v := range vs {
		mark, c := "✓", t.p.good
		if v.Verdict == cors.Blocked {
			mark, c = "✗", t.p.bad
		}
		line := fmt.Sprintf("  %s %-8s %s", c.Sprint(mark), displayName(v.Browser), string(v.Verdict))
		if v.Reported != "" {
			line += "  " + string(v.Reported)
		}
		t.fitLine(line, "    ")
	}
	for _, v := range vs {
		if v.Browser == t.res.Browser {
			continue
		}
		if len(v.Console) == 0 {
			// A request fetch() refuses outright: its TypeError instead.
			if p, ok := cors.LookupProfile(v.Browser); ok && v.Diagnosis != nil && v.Diagnosis.Reported() != nil {
				if thrown := p.Thrown(v.Diagnosis.Reported()); thrown != "" {
					t.printf("  In %s, fetch() throws:\n", displayName(v.Browser))
					t.block("  │ ", "  │ ", thrown)
				}
			}
			continue
		}
		t.printf("  %s's console says:\n", displayName(v.Browser))
		for _, l := range v.Console {
			t.block("  │ ", "  │ ", l)
		}
	}
	t.printf("\nIn %s:\n", displayName(t.res.Browser))
}

func firstCode(fs []cors.Finding) cors.Code {
	if len(fs) == 0 {
		return ""
	}
	// Prefer the reported error, then the first warning; an info alone
	// still has a page worth reading.
	return fs[0].Code
}

// reported prints the error the browser reports and, when corsdiag knows
// a deeper cause, that cause with its fix and what follows from it.
func (t *textWriter) reported(f *cors.Finding, cause *cors.Finding, follows []cors.Finding) {
	t.printf("\n")
	t.fitLine(t.p.bad.Sprint("Reported:")+" "+t.p.bold.Sprint(string(f.Code))+" "+t.p.dim.Sprint("("+stepWords(f.Step)+")"), "  ")
	if lines := consoleLines(t.res.Browser, f); len(lines) > 0 {
		// The console lines, byte for byte as the browser prints them
		// (secrets redacted), in a quoted block; a request fetch() refuses
		// outright has no console line but the TypeError script gets.
		label := "  %s's console says:\n"
		if p, ok := cors.LookupProfile(t.res.Browser); ok && p.Thrown(f) != "" {
			label = "  In %s, fetch() throws:\n"
		}
		t.printf(label, displayName(t.res.Browser))
		for _, l := range lines {
			t.block("  │ ", "  │ ", l)
		}
	}
	if cause == nil {
		t.block("  Cause: ", "         ", f.Message)
		if f.Fix != "" {
			t.block("  Fix:   ", "         ", f.Fix)
		}
	} else {
		// The symptom as the browser saw it, then the cause and its fix:
		// the symptom's generic fix would point the wrong way.
		t.block("  Seen:  ", "         ", f.Message)
		where := ""
		if cause.Platform != "" {
			where = " on " + t.text(cause.Platform)
		}
		head := "  Cause: " + t.p.bold.Sprint(string(cause.Code)) + " " + t.p.dim.Sprint("("+stepWords(cause.Step)+")")
		if t.width > 0 && termsafe.Width(head+where) > t.width {
			// A long code and platform name: the platform goes under it.
			t.fitLine(head, "         ")
			t.fitLine("        "+where, "         ")
		} else {
			t.printf("%s%s\n", head, where)
		}
		t.block("         ", "         ", cause.Message)
		if cause.Fix != "" {
			t.block("  Fix:   ", "         ", cause.Fix)
		}
	}
	if len(follows) > 0 {
		n := len(follows)
		head := "1 more follows from this:"
		if n > 1 {
			head = fmt.Sprintf("%d more follow from this:", n)
		}
		t.printf("  %s\n", t.p.dim.Sprint(head))
		for _, g := range follows {
			t.block("    - ", "      ", string(g.Code)+" ("+stepWords(g.Step)+"): "+g.Message)
		}
	}
}

func (t *textWriter) other(f *cors.Finding) {
	c := t.p.severity(f.Severity)
	t.fitLine(fmt.Sprintf("  %s %s %s %s", c.Sprint(severityMark(f.Severity)), c.Sprintf("%-7s", f.Severity), t.p.bold.Sprint(string(f.Code)), t.p.dim.Sprint("("+stepWords(f.Step)+")")), "      ")
	t.block("      ", "      ", f.Message)
	if f.Platform != "" {
		t.block("      Platform: ", "                ", f.Platform)
	}
	if f.Fix != "" && !saysFix(f.Message, f.Fix) {
		t.block("      Fix: ", "           ", f.Fix)
	}
}

func hasCode(fs []cors.Finding, code cors.Code) bool {
	for i := range fs {
		if fs[i].Code == code {
			return true
		}
	}
	return false
}

// saysFix reports whether message already ends by telling what to do
// (actual-not-checked: "… Pass --send-actual to send the PUT …"), so a
// Fix line would say it a second time. It compares the fix's first words.
func saysFix(message, fix string) bool {
	words := strings.Fields(fix)
	if len(words) < 3 {
		return false
	}
	return strings.Contains(message, strings.Join(words[:3], " "))
}

// fitLine prints line (colours and all) as it is when it fits the width,
// else wrapped, its later lines after rest.
func (t *textWriter) fitLine(line, rest string) {
	if t.width <= 0 || termsafe.Width(line) <= t.width {
		t.printf("%s\n", line)
		return
	}
	text := strings.TrimLeft(line, " ")
	var b strings.Builder
	writeWrapped(&b, text, line[:len(line)-len(text)], rest, t.width)
	t.printf("%s", b.String())
}

// block prints multi-line text (fixes carry pasteable snippets): the first
// line after first, the others after indent, each line cleaned on its own
// so the line breaks survive and nothing else does.
func (t *textWriter) block(first, indent, text string) {
	var b strings.Builder
	width := t.width
	if first == "  │ " {
		width = 0 // a console line stays whole
	}
	// Redacted whole, then split into lines: a URL the text quotes may
	// hold a line break, and its halves are no URL to redact.
	writeBlock(&b, t.s.Text(text), first, indent, width, t.text)
	t.printf("%s", b.String())
}

func stepWords(step string) string {
	if step == "" {
		return "request"
	}
	return step
}

// actualNote says why no actual request is in the exchange, or "" when one
// was sent.
func actualNote(res *CheckResult) string {
	ex := res.Exchange
	if len(ex.Actual) > 0 {
		return ""
	}
	if ex.ActualSkipped != "" {
		return ex.ActualSkipped
	}
	d := res.Diagnosis
	if rep := d.Reported(); rep != nil && (rep.Step == "preflight" || rep.Step == "request") {
		return "the " + rep.Step + " already failed, so the browser would not send it either"
	}
	return "it was not sent or not recorded"
}
