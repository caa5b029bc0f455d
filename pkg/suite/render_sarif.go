package suite

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/lint"
	"github.com/corsdiag/corsdiag/pkg/report"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// InformationURI is where the SARIF rules link to.
const InformationURI = report.ProjectURL

// WriteSARIF renders SARIF 2.1.0 for code scanning: one result per failed
// check × origin, located at the check's line in the config file (the
// endpoint itself has no source line), its rule the finding code.
func (r *Report) WriteSARIF(w io.Writer) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI(r.Tool, InformationURI)
	run.Tool.Driver.WithVersion(r.Version)
	uri := sarifURI(r.Config.Path, r.BaseDir, r.WorkDir)
	run.AddDistinctArtifact(uri)
	run.AddInvocation(!r.Interrupted)
	fps := fingerprints(r.Results)
	for i := range r.Results {
		res := &r.Results[i]
		e := res.Explain()
		if e == nil {
			continue
		}
		rule := run.AddRule(e.Code)
		if rule.ShortDescription == nil {
			title, help := ruleText(e.Code)
			rule.WithName(report.SARIFRuleName(e.Code)).
				WithShortDescription(sarif.NewMultiformatMessageString(title)).
				WithHelpURI(report.DocsURL("docs/" + helpPage(e.Code))).
				WithTextHelp(help)
		}
		msg := fmt.Sprintf("%s (%s %s from %s): %s", r.clean(res, res.Check.Name), res.Check.Method, r.URL(res), res.Target.Label(), r.clean(res, e.Cause))
		if res.Outcome == Failed {
			msg = fmt.Sprintf("%s: expected %s, got %s. %s", r.clean(res, res.Check.Name), res.Target.Expect, res.Got, r.clean(res, e.Cause))
		}
		if e.Fix != "" {
			msg += " Fix: " + r.clean(res, e.Fix)
		}
		loc := sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri)).
			WithRegion(sarif.NewRegion().WithStartLine(res.Check.Line))
		result := run.CreateResultForRule(e.Code).
			WithLevel("error").
			WithMessage(sarif.NewTextMessage(msg))
		result.AddLocation(sarif.NewLocationWithPhysicalLocation(loc))
		result.WithPartialFingerPrints(map[string]any{"corsdiagCheck/v1": fps[i]})
	}
	if r.Lint != nil {
		lint.AddSARIF(run, r.Lint, func(file string) string { return sarifURI(file, r.BaseDir, r.WorkDir) })
	}
	log.AddRun(run)
	return termsafe.WriteJSON(w, log)
}

// fingerprints are the results' SARIF partial fingerprints, by which code
// scanning matches a result across runs: the check's name with its
// secrets redacted whatever --no-redact says, the origin, the expectation
// and the browser. The fingerprint holds no secret, and a rotated token
// opens no new alert (with --no-redact the message still shows it).
// Checks whose names differ only in a secret (the same URL with two
// tokens) would share one, and one alert would hide the other: theirs get
// a digest of the name as written, salted with the redacted fingerprint.
// It is the same from run to run and shows no secret, but it is derived
// from one, so only these checks carry it.
func fingerprints(results []Result) []string {
	fps := make([]string, len(results))
	names := map[string]map[string]bool{} // fingerprint → the names behind it
	for i := range results {
		res := &results[i]
		fps[i] = redactAll(res, res.Check.Name) + "|" + res.Target.Origin + "|" + string(res.Target.Expect) + browserKey(res.Target)
		if names[fps[i]] == nil {
			names[fps[i]] = map[string]bool{}
		}
		names[fps[i]][res.Check.Name] = true
	}
	for i := range results {
		if len(names[fps[i]]) > 1 {
			sum := sha256.Sum256([]byte("corsdiag sarif fingerprint\x00" + fps[i] + "\x00" + results[i].Check.Name))
			fps[i] += "|" + hex.EncodeToString(sum[:8])
		}
	}
	return fps
}

// sarifURI is the config path as a URI: relative to base (the repository
// checkout) when it is inside it, as code scanning needs, else a file URI.
func sarifURI(path, base, workDir string) string {
	path = relativePath(path, base, workDir)
	if filepath.IsAbs(path) {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
	}
	return (&url.URL{Path: filepath.ToSlash(path)}).String()
}

// relativePath is path relative to base when it is inside base. A relative
// path is first taken as relative to workDir (where the user ran corsdiag),
// so "-f cors.yaml" run in base/sub names base/sub/cors.yaml.
func relativePath(path, base, workDir string) string {
	path = filepath.Clean(path)
	if !filepath.IsAbs(path) && workDir != "" {
		path = filepath.Join(workDir, path)
	}
	if base != "" && filepath.IsAbs(path) {
		if rel, err := filepath.Rel(base, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return rel
		}
	}
	return path
}

func helpPage(code string) string {
	switch code {
	case CodeUnexpectedlyAllowed, CodeUnreachable, CodeProbeError:
		return "ci.md"
	}
	return "findings/" + code + ".md"
}

func ruleText(code string) (title, help string) {
	switch code {
	case CodeUnexpectedlyAllowed:
		return "The browser allows an origin that must not be trusted",
			"The server's CORS answer lets an origin the check lists as `deny` read the response. Check the Origin against an exact allow-list before echoing it."
	case CodeUnreachable:
		return "The endpoint could not be reached",
			"No HTTP answer after every retry: DNS, connection refused or reset, TLS, or timeout. This is not a CORS failure."
	case CodeProbeError:
		return "The check could not be run", "corsdiag refused the request; check the url, method and headers."
	}
	if in, ok := cors.Lookup(cors.Code(code)); ok {
		return in.Title, in.Fix
	}
	return code, ""
}

// browserKey keeps a fingerprint of the default browser as it was, so
// existing alerts keep matching, and tells the other browsers apart.
func browserKey(t Target) string {
	if t.Browser == "" {
		return ""
	}
	return "|" + t.Browser
}
