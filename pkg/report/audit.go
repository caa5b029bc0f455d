package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/corsdiag/corsdiag/pkg/audit"
	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// AuditResult is what `corsdiag audit` renders.
type AuditResult struct {
	Tool   Tool
	Report *audit.Report
	// NoRedact shows secrets (--no-redact); by default they are hidden.
	NoRedact bool
}

// url is the target as shown: secrets redacted, terminal-safe.
func (r *AuditResult) url() string {
	if r.NoRedact {
		return termsafe.Clean(r.Report.URL)
	}
	return termsafe.Clean(redact.URL(r.Report.URL))
}

// text cleans what the server or the user sent before it is printed.
func (r *AuditResult) text(s string) string {
	if !r.NoRedact {
		s = redact.TextQuoting(s, r.Report.URL)
	}
	return termsafe.CleanLines(s)
}

// shownOrigins caps the origins listed after a finding, shownAdmitted the
// attacker origins listed in the policy.
const (
	shownOrigins  = 4
	shownAdmitted = 8
)

// WriteAuditText writes the audit for people: the inferred policy first,
// then the findings, then the one fix they share.
func WriteAuditText(w io.Writer, res *AuditResult, st Style) error {
	rep := res.Report
	p := newPalette(st.Color)
	bw := bufio.NewWriter(w)
	// wrap writes prose wrapped to the terminal (st.Width 0: whole).
	wrap := func(first, rest, s string) { bw.WriteString(Wrap(s, first, rest, st.Width)) }
	wrap("", "  ", p.bold.Sprint("corsdiag audit:")+" "+rep.Method+" "+res.url())
	cred := "without credentials"
	if rep.Credentials {
		cred = "with credentials"
	}
	wrap("", "  ", fmt.Sprintf("Declared origins (%s): %s", cred, res.text(strings.Join(rep.Origins, ", "))))
	bw.WriteString("\n")

	pol := &rep.Policy
	wrap("", "  ", p.bold.Sprint("Inferred policy:")+" "+pol.Summary)
	width := 0
	for _, d := range pol.Declared {
		width = max(width, len(d.Origin))
	}
	tail := 0 // what follows an attacker origin: "  attacker  OUTCOME  CODE"
	for i, a := range pol.Admitted {
		if i < shownAdmitted {
			width = max(width, len(a.Origin))
			tail = max(tail, len("  attacker  ")+len(a.Outcome)+2+len(a.Code))
		}
	}
	// Origins are never cut (they are what the fix lists): when a row
	// does not fit, each origin takes a line and what it got goes under.
	stacked := st.Width > 0 && 2+width+max(tail, len("  declared  gets in")) > st.Width
	row := func(o, rest string) {
		if stacked {
			wrap("  ", "    ", res.text(o))
			wrap("    ", "      ", rest)
			return
		}
		wrap(fmt.Sprintf("  %-*s  ", width, res.text(o)), "    ", rest)
	}
	for _, d := range pol.Declared {
		state := p.good.Sprint("gets in")
		switch {
		case d.Err != "":
			state = d.Err
		case d.Verdict != cors.Allowed:
			state = p.bad.Sprint("blocked") + " (" + string(d.Reported) + ")"
		}
		row(d.Origin, "declared  "+state)
	}
	for i, a := range pol.Admitted {
		if i == shownAdmitted && len(pol.Admitted) > shownAdmitted+1 {
			wrap("  ", "    ", fmt.Sprintf("… and %d more attacker origins that got in (-o json lists them)", len(pol.Admitted)-i))
			break
		}
		row(a.Origin, "attacker  "+p.severity(outcomeSeverity(a.Outcome)).Sprint(a.Outcome)+"  "+string(a.Code))
	}
	explained, limited := rep.NotSent()
	line := fmt.Sprintf("  %d other attacker origin%s denied", pol.Denied, pluralS(pol.Denied))
	if pol.Unanswered > 0 {
		line += fmt.Sprintf("; %d got no answer (reset or timed out), not judged", pol.Unanswered)
	}
	if explained > 0 {
		line += fmt.Sprintf("; %d not sent, as a flaw found lets them in anyway", explained)
	}
	wrap("  ", "    ", strings.TrimPrefix(line, "  "))
	var facts []string
	if pol.Methods != "" {
		facts = append(facts, "methods: "+res.text(pol.Methods))
	}
	if pol.Headers != "" {
		facts = append(facts, "headers: "+res.text(pol.Headers))
	}
	if pol.VaryOrigin != nil {
		if *pol.VaryOrigin {
			facts = append(facts, "Vary: Origin sent")
		} else {
			facts = append(facts, "no Vary: Origin on echoed origins (a cache may serve one origin's answer to another)")
		}
	}
	if len(facts) > 0 {
		wrap("  ", "    ", strings.Join(facts, " · "))
	}
	for _, e := range pol.ErrorPaths {
		wrap("  error answers: ", "    ", res.text(e))
	}

	fmt.Fprintln(bw)
	switch {
	case len(rep.Findings) == 0 && pol.Unanswered > 0:
		wrap("", "", p.warn.Sprintf("No attacker origin that got an answer can read it, but %d got none and were not judged: run the audit again, or see whether a firewall drops them.", pol.Unanswered))
	case len(rep.Findings) == 0 && limited > 0:
		wrap("", "", p.warn.Sprintf("No attacker origin tried can read the answer or send a request it could not send anyway; %d were not sent for the request limit.", limited))
	case len(rep.Findings) == 0:
		wrap("", "", p.good.Sprint("No attacker origin can read the answer or send a request it could not send anyway."))
	default:
		fmt.Fprintf(bw, "%s\n", p.bold.Sprint("Findings"))
	}
	for _, f := range rep.Findings {
		c := p.severity(f.Severity)
		wrap("", "    ", fmt.Sprintf("%s %s %s: %s", c.Sprint(severityMark(f.Severity)), c.Sprint(f.Severity), p.bold.Sprint(f.Code), res.text(f.Message)))
		if f.Browsers != "" {
			wrap("    browsers: ", "      ", "only "+f.Browsers+" sends this origin")
		}
		for _, e := range f.Evidence {
			wrap("    evidence: ", "      ", res.text(e))
		}
		if others := without(f.Origins, f.Origin); len(others) > 0 {
			more := ""
			if len(others) > shownOrigins {
				more = fmt.Sprintf(" and %d more", len(others)-shownOrigins)
				others = others[:shownOrigins]
			}
			wrap("    also got in: ", "      ", res.text(strings.Join(others, ", "))+more)
		}
		wrap("    fix: ", "      ", f.Fix)
	}
	if fx := shownFix(rep); fx != nil {
		bw.WriteString("\n")
		wrap("", "    ", fmt.Sprintf("%s [%s] %s", p.bold.Sprint("Fix: an exact allow-list"), fx.Format, fx.Title))
		for _, l := range strings.Split(strings.TrimRight(res.text(fx.Snippet), "\n"), "\n") {
			fmt.Fprintf(bw, "    %s\n", l)
		}
		var others []string
		for _, f := range platform.AllowListFormats() {
			if f != string(fx.Format) {
				others = append(others, f)
			}
		}
		wrap("", "  ", fmt.Sprintf("Other forms: --fix-format %s; corsdiag explain %s", strings.Join(others, "|"), rep.Findings[0].Code))
	}
	bw.WriteString("\n")
	wrap("", "  ", fmt.Sprintf("%d requests (limit %d) · %s, %s, %s", rep.Requests, rep.MaxRequests,
		count(rep.Count(cors.SeverityError), "error"), count(rep.Count(cors.SeverityWarning), "warning"), count(rep.Count(cors.SeverityInfo), "info")))
	if limited > 0 {
		wrap("", "  ", fmt.Sprintf("%d origin%s not sent for the request limit (-o json lists them)", limited, pluralS(limited)))
	}
	return bw.Flush()
}

// shownFix is the allow-list in the chosen form, when a finding needs it.
func shownFix(rep *audit.Report) *platform.Fix {
	needed := false
	for _, f := range rep.Findings {
		needed = needed || f.Code != audit.CodeAnyOrigin
	}
	for i := range rep.Fixes {
		if needed && rep.Fixes[i].Format == rep.FixFormat {
			return &rep.Fixes[i]
		}
	}
	return nil
}

func outcomeSeverity(o audit.Outcome) cors.Severity {
	switch o {
	case audit.ReadWithCredentials, audit.SendWithCredentials:
		return cors.SeverityError
	case audit.ReadWithoutCredentials:
		return cors.SeverityWarning
	}
	return cors.SeverityInfo
}

func without(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func count(n int, noun string) string {
	if noun == "info" {
		return fmt.Sprintf("%d info", n)
	}
	return fmt.Sprintf("%d %s%s", n, noun, pluralS(n))
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// AuditSchemaVersion versions WriteAuditJSON's output.
const AuditSchemaVersion = 1

// WriteAuditJSON writes the audit for programs: the report as
// audit.Report marshals it, under schema_version and tool.
func WriteAuditJSON(w io.Writer, res *AuditResult) error {
	rep := res.shown()
	out := struct {
		SchemaVersion int  `json:"schema_version"`
		Tool          Tool `json:"tool"`
		*audit.Report
		Errors   int `json:"errors"`
		Warnings int `json:"warnings"`
		Infos    int `json:"infos"`
	}{AuditSchemaVersion, res.Tool, &rep, rep.Count(cors.SeverityError), rep.Count(cors.SeverityWarning), rep.Count(cors.SeverityInfo)}
	if out.Findings == nil {
		out.Findings = []audit.Finding{}
	}
	if out.Policy.Admitted == nil {
		out.Policy.Admitted = []audit.Probe{}
	}
	// C1 controls and invisible characters are escaped, as in check's JSON.
	return termsafe.WriteJSON(w, out)
}

// shown is a copy of the report whose texts are ready to print: the
// evidence, the policy and the messages quote the server's headers, so
// they are redacted (unless NoRedact) and cleaned as the text report's
// are (JSON would escape ESC as \u001b, which jq -r prints raw).
func (r *AuditResult) shown() audit.Report {
	rep := *r.Report
	rep.URL = r.url()
	texts := func(ss []string) []string {
		if ss == nil {
			return nil
		}
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = r.text(s)
		}
		return out
	}
	probes := func(ps []audit.Probe) []audit.Probe {
		if ps == nil {
			return nil
		}
		out := make([]audit.Probe, len(ps))
		for i, p := range ps {
			p.Origin, p.Evidence, p.Skipped = r.text(p.Origin), texts(p.Evidence), r.text(p.Skipped)
			out[i] = p
		}
		return out
	}
	pol := &rep.Policy
	pol.Summary, pol.Methods, pol.Headers = r.text(pol.Summary), r.text(pol.Methods), r.text(pol.Headers)
	pol.ErrorPaths = texts(pol.ErrorPaths)
	pol.Admitted = probes(pol.Admitted)
	rep.Probes = probes(rep.Probes)
	pol.Declared = append([]audit.Declared(nil), pol.Declared...)
	for i := range pol.Declared {
		d := &pol.Declared[i]
		d.Origin, d.Evidence, d.Err = r.text(d.Origin), texts(d.Evidence), r.text(d.Err)
	}
	rep.Findings = append([]audit.Finding(nil), rep.Findings...)
	for i := range rep.Findings {
		f := &rep.Findings[i]
		f.Origin, f.Origins, f.Message, f.Evidence = r.text(f.Origin), texts(f.Origins), r.text(f.Message), texts(f.Evidence)
	}
	if rep.Platform != nil {
		p := *rep.Platform
		p.Evidence = texts(p.Evidence)
		rep.Platform = &p
	}
	return rep
}

// SARIFLevel maps a severity to a SARIF result level.
func SARIFLevel(s cors.Severity) string {
	switch s {
	case cors.SeverityError:
		return "error"
	case cors.SeverityWarning:
		return "warning"
	}
	return "note"
}

// WriteAuditSARIF writes SARIF 2.1.0: one rule per code, one result per
// finding, located at the audited URL (an endpoint has no source line;
// `corsdiag ci` anchors audit findings to the check's line instead).
func WriteAuditSARIF(w io.Writer, res *AuditResult) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI(res.Tool.Name, ProjectURL)
	run.Tool.Driver.WithVersion(res.Tool.Version)
	uri := res.url()
	run.AddDistinctArtifact(uri)
	run.AddInvocation(true)
	for _, f := range res.Report.Findings {
		AddAuditRule(run, f.Code)
		result := run.CreateResultForRule(string(f.Code)).
			WithLevel(SARIFLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(res.text(f.Message) + " Fix: " + f.Fix))
		result.AddLocation(sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri))))
		// The URL redacted whatever --no-redact says: the fingerprint holds
		// no token, and a rotated one opens no new alert (as ci's).
		result.WithPartialFingerPrints(map[string]any{"corsdiagAudit/v1": termsafe.Clean(redact.URL(res.Report.URL)) + "|" + string(f.Code)})
	}
	log.AddRun(run)
	if err := log.PrettyWrite(w); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// AddAuditRule adds code's rule to run once, with its title and fix.
func AddAuditRule(run *sarif.Run, code cors.Code) {
	rule := run.AddRule(string(code))
	if rule.ShortDescription != nil {
		return
	}
	in, _ := cors.Lookup(code)
	rule.WithName(SARIFRuleName(string(code))).
		WithShortDescription(sarif.NewMultiformatMessageString(in.Title)).
		WithHelpURI(DocsURL(code.DocsPath())).
		WithTextHelp(in.Fix)
}

// SARIFRuleName is a finding code in PascalCase, as SARIF viewers show
// rule names: origin-reflected → OriginReflected.
func SARIFRuleName(code string) string {
	var b strings.Builder
	for _, part := range strings.Split(code, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
