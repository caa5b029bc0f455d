package suite

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/corsdiag/corsdiag/pkg/probe"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const fixtureConfig = `defaults:
  origin: https://app.example.com
checks:
  - name: list items
    url: https://api.example.com/items?token=s3cr3t-token
    origins:
      - origin: https://app.example.com
        expect: allow
      - origin: https://evil.example
        expect: deny
  - name: public assets
    url: https://cdn.example.com/app.js
    origins:
      - origin: https://evil.example
        expect: deny
  - name: reports
    url: https://reports.example.com/r
  - name: down
    url: https://down.example.com/
  - name: never ran
    url: https://later.example.com/
`

// fixtureReport is a run with every outcome, its times fixed for golden files.
func fixtureReport(t *testing.T) *Report {
	t.Helper()
	cfg, err := Parse("checks/corsdiag.yaml", []byte(fixtureConfig), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	fake := func(ctx context.Context, o probe.Options) (*probe.Result, error) {
		switch hostKey(o.Request.URL) {
		case "cdn.example.com":
			return answer(o, "*"), nil
		case "reports.example.com":
			// A server that sends a terminal escape in its header.
			return answer(o, "https://app.example.com\x1b[31m"), nil
		case "down.example.com":
			return nil, &probe.UnreachableError{URL: o.Request.URL, Reason: "connection refused", Hint: "Check that the server is running."}
		case "later.example.com":
			return nil, errors.New("probe: never asked")
		}
		return echoAllowList(ctx, o)
	}
	results := Run(context.Background(), cfg, Options{Probe: fake, Retries: 1, Backoff: time.Millisecond})
	for i := range results {
		results[i].Duration = time.Duration(i+1) * 10 * time.Millisecond
	}
	// The last check is shown as interrupted.
	last := &results[len(results)-1]
	last.Outcome, last.Err, last.Attempts = Canceled, context.Canceled, 0
	return &Report{Tool: "corsdiag", Version: "v1.2.3", Config: cfg, Results: results,
		Elapsed: 1234 * time.Millisecond, Interrupted: true, BaseDir: "/work"}
}

type format struct {
	name   string
	golden string
	write  func(*Report, *bytes.Buffer) error
}

var formats = []format{
	{"text", "report.txt.golden", func(r *Report, b *bytes.Buffer) error { return r.WriteText(b) }},
	{"markdown", "report.md.golden", func(r *Report, b *bytes.Buffer) error { return r.WriteMarkdown(b) }},
	{"json", "report.json.golden", func(r *Report, b *bytes.Buffer) error { return r.WriteJSON(b) }},
	{"junit", "report.junit.xml.golden", func(r *Report, b *bytes.Buffer) error { return r.WriteJUnit(b) }},
	{"sarif", "report.sarif.golden", func(r *Report, b *bytes.Buffer) error { return r.WriteSARIF(b) }},
	{"github", "report.github.golden", func(r *Report, b *bytes.Buffer) error { return r.WriteGitHubAnnotations(b) }},
}

func TestRenderGolden(t *testing.T) {
	rep := fixtureReport(t)
	for _, rd := range formats {
		t.Run(rd.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := rd.write(rep, &buf); err != nil {
				t.Fatal(err)
			}
			golden(t, rd.golden, buf.Bytes())
			out := buf.String()
			// Secrets and terminal escapes never reach a report.
			if strings.Contains(out, "s3cr3t-token") {
				t.Errorf("%s report shows the token", rd.name)
			}
			if strings.Contains(out, "\x1b") {
				t.Errorf("%s report passes a terminal escape through", rd.name)
			}
		})
	}
}

func TestRenderNoRedact(t *testing.T) {
	rep := fixtureReport(t)
	rep.NoRedact = true
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "s3cr3t-token") {
		t.Error("--no-redact still hides the token")
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestSummaryAndExitCode(t *testing.T) {
	rep := fixtureReport(t)
	s := rep.Summary()
	if s != (Summary{Total: 6, Passed: 2, Failed: 2, Unreachable: 1, Errors: 0, Canceled: 1}) {
		t.Fatalf("summary = %+v", s)
	}
	tests := []struct {
		s    Summary
		want int
	}{
		{Summary{Total: 2, Passed: 2}, 0},
		{Summary{Total: 2, Passed: 1, Failed: 1}, 1},
		{Summary{Total: 2, Passed: 1, Unreachable: 1}, 3},
		{Summary{Total: 2, Failed: 1, Unreachable: 1}, 1},
		{Summary{Total: 2, Passed: 1, Errors: 1}, 3},
	}
	for _, tt := range tests {
		if got := tt.s.ExitCode(); got != tt.want {
			t.Errorf("%+v exit %d, want %d", tt.s, got, tt.want)
		}
	}
}

// The SARIF output is validated against a schema (a reduction of the
// OASIS SARIF 2.1.0 schema, testdata/sarif-2.1.0-reduced.schema.json).
// TestSARIFMatchesOfficialSchema validates against the OASIS SARIF 2.1.0
// JSON schema, which is not committed here: CI takes it from the npm
// registry (.ci/run) and names it in CORSDIAG_SARIF_SCHEMA.
func TestSARIFMatchesOfficialSchema(t *testing.T) {
	path := os.Getenv("CORSDIAG_SARIF_SCHEMA")
	if path == "" {
		if os.Getenv("CORSDIAG_SCHEMA_TESTS") == "require" {
			t.Fatal("CORSDIAG_SCHEMA_TESTS=require but CORSDIAG_SARIF_SCHEMA names no SARIF schema file")
		}
		t.Skip("the official SARIF schema is not here (set CORSDIAG_SARIF_SCHEMA; .ci/run does); the reduced schema test still runs")
	}
	schema := compileSchema(t, path)
	validateSARIF(t, schema)
	rejectsInvalidSARIF(t, schema)
}

func TestSARIFMatchesSchema(t *testing.T) {
	schema := compileSchema(t, "testdata/sarif-2.1.0-reduced.schema.json")
	validateSARIF(t, schema)
	// The schema is not a rubber stamp: it rejects what SARIF forbids.
	rejectsInvalidSARIF(t, schema)
}

func validateSARIF(t *testing.T, schema *jsonschema.Schema) {
	t.Helper()
	for _, tt := range []struct {
		name string
		rep  func() *Report
	}{
		{"failures", func() *Report { return fixtureReport(t) }},
		{"all passed", func() *Report {
			r := fixtureReport(t)
			r.Results = r.Results[:1]
			return r
		}},
		{"with lint", func() *Report {
			r := fixtureReport(t)
			r.Lint = lintFixture(t)
			return r
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.rep().WriteSARIF(&buf); err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(doc); err != nil {
				t.Fatalf("SARIF output does not match the schema: %v\n%s", err, buf.String())
			}
		})
	}
}

func rejectsInvalidSARIF(t *testing.T, schema *jsonschema.Schema) {
	t.Helper()
	bad := map[string]string{
		"no version":    `{"runs": []}`,
		"bad level":     `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`,
		"line 0":        `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a"}, "region": {"startLine": 0}}}]}]}]}`,
		"no message":    `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "r"}]}]}`,
		"unknown field": `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "nmae": "y"}}}]}`,
	}
	for name, js := range bad {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(js))
		if err != nil {
			t.Fatal(err)
		}
		if schema.Validate(doc) == nil {
			t.Errorf("schema accepts %s", name)
		}
	}
}

func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// junitDoc is the JUnit shape CI systems read, with the attributes they
// need; the structural check below runs everywhere, xmllint where present.
type junitDoc struct {
	XMLName xml.Name `xml:"testsuites"`
	Tests   *int     `xml:"tests,attr"`
	// Jenkins xunit's junit-10.xsd rejects skipped and disabled here.
	TopSkipped  *string `xml:"skipped,attr"`
	TopDisabled *string `xml:"disabled,attr"`
	Suites      []struct {
		Name     *string `xml:"name,attr"`
		Tests    *int    `xml:"tests,attr"`
		Failures *int    `xml:"failures,attr"`
		Errors   *int    `xml:"errors,attr"`
		Skipped  int     `xml:"skipped,attr"`
		Cases    []struct {
			Name      *string    `xml:"name,attr"`
			Classname *string    `xml:"classname,attr"`
			Time      string     `xml:"time,attr"`
			Failure   *junitText `xml:"failure"`
			Error     *junitText `xml:"error"`
			Skipped   *junitText `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

type junitText struct {
	Message *string `xml:"message,attr"`
	Type    string  `xml:"type,attr"`
	Body    string  `xml:",chardata"`
}

func TestJUnitStructure(t *testing.T) {
	rep := fixtureReport(t)
	var buf bytes.Buffer
	if err := rep.WriteJUnit(&buf); err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	dec := xml.NewDecoder(&buf)
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Suites) != 1 || doc.Tests == nil || *doc.Tests != len(rep.Results) {
		t.Fatalf("want one suite with %d tests, got %+v", len(rep.Results), doc)
	}
	if doc.TopSkipped != nil || doc.TopDisabled != nil {
		t.Errorf("testsuites has skipped or disabled, which junit-10.xsd does not allow")
	}
	s := doc.Suites[0]
	if s.Name == nil || s.Tests == nil || s.Failures == nil || s.Errors == nil {
		t.Fatal("testsuite lacks name, tests, failures or errors")
	}
	var failures, errs, skipped int
	for i, c := range s.Cases {
		if c.Name == nil || *c.Name == "" || c.Classname == nil || *c.Classname == "" {
			t.Errorf("testcase %d lacks name or classname", i)
		}
		for _, r := range []*junitText{c.Failure, c.Error} {
			if r != nil && (r.Message == nil || *r.Message == "" || r.Type == "" || !strings.Contains(r.Body, "checks/corsdiag.yaml:")) {
				t.Errorf("testcase %d: failure without message, type or config line: %+v", i, r)
			}
		}
		if c.Failure != nil {
			failures++
		}
		if c.Error != nil {
			errs++
		}
		if c.Skipped != nil {
			skipped++
		}
	}
	sum := rep.Summary()
	if failures != sum.Failed || *s.Failures != sum.Failed || errs != sum.Unreachable+sum.Errors || *s.Errors != errs || skipped != sum.Canceled || s.Skipped != skipped {
		t.Errorf("counts: %d failures (attr %d), %d errors (attr %d), %d skipped (attr %d); summary %+v",
			failures, *s.Failures, errs, *s.Errors, skipped, s.Skipped, sum)
	}
}

// TestJUnitMatchesXSD validates with xmllint against testdata/junit.xsd.
// Without xmllint it skips, unless CORSDIAG_SCHEMA_TESTS=require.
func TestJUnitMatchesXSD(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CORSDIAG_SCHEMA_TESTS") == "require" {
			t.Fatal("xmllint not found and CORSDIAG_SCHEMA_TESTS=require (apt-get install libxml2-utils)")
		}
		t.Skip("xmllint not found (apt-get install libxml2-utils); set CORSDIAG_SCHEMA_TESTS=require to fail instead")
	}
	dir := t.TempDir()
	valid := filepath.Join(dir, "report.xml")
	var buf bytes.Buffer
	if err := fixtureReport(t).WriteJUnit(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(valid, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// A broken file proves the schema is really checked.
	broken := filepath.Join(dir, "broken.xml")
	if err := os.WriteFile(broken, []byte(`<testsuites><testsuite name="x" tests="one" failures="0" errors="0"><testcase/></testsuite></testsuites>`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		file string
		ok   bool
	}{{valid, true}, {broken, false}} {
		out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit.xsd", tt.file).CombinedOutput()
		if (err == nil) != tt.ok {
			t.Errorf("xmllint %s: err=%v, want ok=%v\n%s", filepath.Base(tt.file), err, tt.ok, out)
		}
	}
}

func TestJSONShape(t *testing.T) {
	var buf bytes.Buffer
	if err := fixtureReport(t).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		SchemaVersion int    `json:"schema_version"`
		Verdict       string `json:"verdict"`
		Results       []struct {
			Outcome  string            `json:"outcome"`
			Line     int               `json:"line"`
			Findings []json.RawMessage `json:"findings"`
		} `json:"results"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != JSONSchemaVersion || doc.Verdict != "interrupted" || len(doc.Results) != 6 || doc.Results[0].Line != 4 {
		t.Errorf("json = %+v", doc)
	}
	for i, r := range doc.Results {
		if r.Findings == nil {
			t.Errorf("result %d: findings is null, want []", i)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	tests := []struct{ in, data, prop string }{
		{"a", "a", "a"},
		{"50% done\nnext", "50%25 done%0Anext", "50%25 done%0Anext"},
		{"file:a,b", "file:a,b", "file%3Aa%2Cb"},
		{"\r", "%0D", "%0D"},
	}
	for _, tt := range tests {
		if got := escapeData(tt.in); got != tt.data {
			t.Errorf("escapeData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := escapeProperty(tt.in); got != tt.prop {
			t.Errorf("escapeProperty(%q) = %q, want %q", tt.in, got, tt.prop)
		}
	}
}

func TestPaths(t *testing.T) {
	tests := []struct{ path, base, wd, sarif, annotation string }{
		{"corsdiag.yaml", "/repo", "/repo", "corsdiag.yaml", "corsdiag.yaml"},
		{"./ci/c.yaml", "/repo", "/repo", "ci/c.yaml", "ci/c.yaml"},
		{"/repo/ci/c.yaml", "/repo", "/repo", "ci/c.yaml", "ci/c.yaml"},
		{"/repo/ci/c.yaml", "/repo", "/elsewhere", "ci/c.yaml", "ci/c.yaml"},
		// Run from a subfolder: the annotation names the file from the root.
		{"cors.yaml", "/repo", "/repo/sub", "sub/cors.yaml", "sub/cors.yaml"},
		{"../ci/c.yaml", "/repo", "/repo/sub", "ci/c.yaml", "ci/c.yaml"},
		{"c.yaml", "/repo", "/tmp/x", "file:///tmp/x/c.yaml", "/tmp/x/c.yaml"},
		{"/elsewhere/c.yaml", "/repo", "/repo", "file:///elsewhere/c.yaml", "/elsewhere/c.yaml"},
		{"/repo2/c.yaml", "/repo", "/repo", "file:///repo2/c.yaml", "/repo2/c.yaml"},
		{"my checks.yaml", "", "", "my%20checks.yaml", "my checks.yaml"},
	}
	for _, tt := range tests {
		if got := sarifURI(tt.path, tt.base, tt.wd); got != tt.sarif {
			t.Errorf("sarifURI(%q, %q, %q) = %q, want %q", tt.path, tt.base, tt.wd, got, tt.sarif)
		}
		if got := AnnotationPath(tt.path, tt.base, tt.wd); got != tt.annotation {
			t.Errorf("AnnotationPath(%q, %q, %q) = %q, want %q", tt.path, tt.base, tt.wd, got, tt.annotation)
		}
	}
}

// Platform fixes are multi-line snippets: every renderer keeps their lines
// (escaping them where its format needs it) and still cleans each line.
func TestCleanKeepsLineBreaks(t *testing.T) {
	rep := fixtureReport(t)
	got := rep.clean(nil, "first line\n\x1b[31msecond\x07 line")
	if want := "first line\n\\x1b[31msecond\\x07 line"; got != want {
		t.Fatalf("clean = %q, want %q", got, want)
	}
}

func TestMarkdownFencesMultiLineFix(t *testing.T) {
	rep := fixtureReport(t)
	var failed *Result
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.Outcome == Failed && r.Target.Expect == ExpectAllow && r.Diagnosis != nil && r.Diagnosis.Reported() != nil {
			failed = r
			break
		}
	}
	if failed == nil {
		t.Fatal("fixture has no failed allow check")
	}
	failed.Diagnosis.Reported().Fix = "Enable CORS on the resource.\n\naws apigateway put-method --http-method OPTIONS\necho ```"
	var buf bytes.Buffer
	if err := rep.WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	want := "- **Fix:** Enable CORS on the resource.\n\n  ````\n  aws apigateway put-method --http-method OPTIONS\n  echo ```\n  ````\n"
	if !strings.Contains(buf.String(), want) {
		t.Errorf("markdown fix not fenced as expected; got:\n%s", buf.String())
	}
}

// GitHub drops a step's job summary whole when it is over 1 MiB, the run
// where every check failed included. WriteMarkdownWithin keeps under a
// limit: the verdict line always, the failures before the passing rows,
// and a note of what it left out.
func TestMarkdownWithinLimit(t *testing.T) {
	rep := fixtureReport(t)
	var full bytes.Buffer
	if err := rep.WriteMarkdown(&full); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		limit     int
		want, not []string
	}{
		{"no limit", 0, []string{"## ❌ corsdiag:", "### ❌"}, []string{"not shown"}},
		{"room for all", full.Len(), []string{"### ❌"}, []string{"not shown"}},
		{"room for the failing rows", 1200, []string{"## ❌ corsdiag:", "| public assets |", "not listed", "not shown"}, []string{"| list items |"}},
		{"room for the verdict only", 400, []string{"## ❌ corsdiag:", "not shown"}, []string{"### ❌"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := rep.WriteMarkdownWithin(&b, tt.limit); err != nil {
				t.Fatal(err)
			}
			if tt.limit > 0 && b.Len() > tt.limit {
				t.Errorf("%d bytes, over the limit %d", b.Len(), tt.limit)
			}
			if tt.limit == full.Len() && b.String() != full.String() {
				t.Errorf("within a limit it fits, the summary changed:\n%s", b.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("lacks %q:\n%s", w, b.String())
				}
			}
			for _, n := range tt.not {
				if strings.Contains(b.String(), n) {
					t.Errorf("has %q:\n%s", n, b.String())
				}
			}
		})
	}
}

// When only passing rows are left out, every failure is there: the note
// says why rows are missing without counting "0 failures not shown".
func TestMarkdownWithinLimitNoZeroFailures(t *testing.T) {
	rep := fixtureReport(t)
	// Many checks pass, a few fail: the usual large suite.
	for i := range rep.Results {
		if rep.Results[i].Outcome == Passed {
			for range 40 {
				rep.Results = append(rep.Results, rep.Results[i])
			}
			break
		}
	}
	var full bytes.Buffer
	if err := rep.WriteMarkdown(&full); err != nil {
		t.Fatal(err)
	}
	failures := strings.Count(full.String(), "### ❌")
	seen := false
	for limit := full.Len() - 1; limit > 200; limit-- {
		var b bytes.Buffer
		if err := rep.WriteMarkdownWithin(&b, limit); err != nil {
			t.Fatal(err)
		}
		if strings.Count(b.String(), "### ❌") != failures || !strings.Contains(b.String(), "not listed") {
			continue
		}
		seen = true
		if strings.Contains(b.String(), "0 failures not shown") {
			t.Fatalf("limit %d: every failure is shown, and the note says 0 are not:\n%s", limit, b.String())
		}
		if !strings.Contains(b.String(), "1 MiB") {
			t.Fatalf("limit %d: rows left out without saying why:\n%s", limit, b.String())
		}
	}
	if !seen {
		t.Fatal("no limit left out only passing rows")
	}
}
