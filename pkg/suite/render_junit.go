package suite

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/jstemmer/go-junit-report/v2/junit"
)

// WriteJUnit renders one testsuite for the config file and one testcase per
// check × origin: a CORS failure is a <failure>, an unreachable endpoint an
// <error>, a check the run never reached <skipped>. CI systems (GitLab,
// Jenkins, Azure) read this shape.
func (r *Report) WriteJUnit(w io.Writer) error {
	// No testsuite@file: the Jenkins JUnit schema (junit-10.xsd) has no
	// such attribute and rejects the report; the config is a property.
	suite := junit.Testsuite{
		Name: "corsdiag " + r.Config.Path,
		Time: seconds(r.Elapsed.Seconds()),
	}
	suite.AddProperty("corsdiag.version", r.Version)
	suite.AddProperty("corsdiag.config", r.Config.Path)
	for i := range r.Results {
		res := &r.Results[i]
		tc := junit.Testcase{
			Name:      fmt.Sprintf("%s [%s, expect %s]", r.clean(res, res.Check.Name), res.Target.Label(), res.Target.Expect),
			Classname: classname(r.Config.Path),
			Time:      seconds(res.Duration.Seconds()),
		}
		e := res.Explain()
		switch res.Outcome {
		case Failed:
			tc.Failure = &junit.Result{Message: r.clean(res, e.Cause), Type: e.Code, Data: r.problemText(res, e)}
		case Unreachable, Errored:
			tc.Error = &junit.Result{Message: r.clean(res, e.Cause), Type: e.Code, Data: r.problemText(res, e)}
		case Canceled:
			tc.Skipped = &junit.Result{Message: "not run: the run was interrupted"}
		}
		suite.AddTestcase(tc)
	}
	var all junit.Testsuites
	all.Name = "corsdiag"
	all.Time = suite.Time
	all.AddSuite(suite)
	// Jenkins xunit's junit-10.xsd allows no skipped or disabled on
	// testsuites and rejects the whole report (an interrupted run's); the
	// testsuite keeps its skipped count.
	all.Skipped, all.Disabled = 0, 0
	if _, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"); err != nil {
		return err
	}
	return all.WriteXML(w)
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }

// classname groups the testcases under the config file, as a dotted name
// CI viewers show as a package.
func classname(path string) string {
	name := filepath.Base(path)
	return "corsdiag." + strings.TrimSuffix(name, filepath.Ext(name))
}

// problemText is the failure's body: where, what, cause, browser message, fix.
func (r *Report) problemText(res *Result, e *Explanation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: %s %s from %s\n", r.Config.Path, res.Check.Line, res.Check.Method, r.URL(res), res.Target.Label())
	if res.Outcome == Failed {
		fmt.Fprintf(&b, "expected %s, got %s [%s]\n", res.Target.Expect, res.Got, e.Code)
	}
	fmt.Fprintf(&b, "cause: %s\n", r.clean(res, e.Cause))
	if e.Browser != "" {
		fmt.Fprintf(&b, "browser: %s\n", r.clean(res, e.Browser))
	}
	if e.Fix != "" {
		fmt.Fprintf(&b, "fix: %s\n", r.clean(res, e.Fix))
	}
	return b.String()
}
