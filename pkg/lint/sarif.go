package lint

import (
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/report"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// WriteSARIF renders SARIF 2.1.0 for code scanning: one result per finding
// (errors and warnings), located at its template line and column, its rule
// the finding code.
func WriteSARIF(w io.Writer, r *Report, version string) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI("corsdiag", report.ProjectURL)
	run.Tool.Driver.WithVersion(version)
	run.AddInvocation(true)
	AddSARIF(run, r, fileURI)
	log.AddRun(run)
	return termsafe.WriteJSON(w, log)
}

// AddSARIF adds the report's templates and findings to a run (corsdiag ci
// puts them beside its checks); uri maps a template path to its artifact URI.
func AddSARIF(run *sarif.Run, r *Report, uri func(string) string) {
	for _, t := range r.Templates {
		run.AddDistinctArtifact(uri(t.File))
	}
	// What a template could not show (a module, a definition kept
	// elsewhere, a value known at deploy time only) is a tool execution
	// notification at its line: no rule, but seen beside the results.
	for _, t := range r.Templates {
		for _, w := range t.Warnings {
			if len(run.Invocations) == 0 {
				run.AddInvocation(true)
			}
			region := sarif.NewRegion().WithStartLine(max(w.Line, 1))
			loc := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri(w.File))).WithRegion(region)
			n := sarif.NewNotification().WithLevel("warning").WithTextMessage(termsafe.Clean(w.Msg))
			n.AddLocation(sarif.NewLocationWithPhysicalLocation(loc))
			run.Invocations[0].AddTToolExecutionNotification(n)
		}
	}
	for _, f := range r.Findings {
		if f.Severity == cors.SeverityInfo {
			continue
		}
		code := string(f.Code)
		rule := run.AddRule(code)
		if rule.ShortDescription == nil {
			title, help := code, ""
			if in, ok := cors.Lookup(f.Code); ok {
				title, help = in.Title, in.Fix
			}
			rule.WithName(ruleName(code)).
				WithShortDescription(sarif.NewMultiformatMessageString(title)).
				WithHelpURI(report.DocsURL("docs/findings/" + code + ".md")).
				WithTextHelp(help)
		}
		msg := f.Route + " from " + f.Origin + ": " + termsafe.Clean(f.Message)
		if f.Fix != "" {
			msg += "\n\nFix: " + termsafe.Clean(f.Fix)
		}
		region := sarif.NewRegion().WithStartLine(max(f.Line, 1))
		if f.Column > 0 {
			region.WithStartColumn(f.Column)
		}
		loc := sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri(f.File))).
			WithRegion(region)
		level := "error"
		if f.Severity == cors.SeverityWarning {
			level = "warning"
		}
		res := run.CreateResultForRule(code).WithLevel(level).WithMessage(sarif.NewTextMessage(msg))
		res.AddLocation(sarif.NewLocationWithPhysicalLocation(loc))
		res.WithPartialFingerPrints(map[string]any{"corsdiagLint/v1": code + "|" + f.Service + "|" + f.Route + "|" + f.Origin})
	}
}

// fileURI is a relative path as a relative URI (what code scanning wants),
// an absolute one as a file URI.
func fileURI(path string) string {
	if filepath.IsAbs(path) {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
	}
	return (&url.URL{Path: filepath.ToSlash(filepath.Clean(path))}).String()
}

func ruleName(code string) string {
	var b strings.Builder
	for _, part := range strings.Split(code, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
