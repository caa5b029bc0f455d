package suite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/probe"
)

const auditConfig = `checks:
  - name: me
    url: https://api.example.com/me
    credentials: true
    audit: true
    origins:
      - {origin: https://app.example.com}
  - name: items
    url: https://items.example.com/items
    audit: true
    origins:
      - {origin: https://app.example.com}
      - {origin: https://admin.example.com}
      - {origin: https://evil.example, expect: deny}
`

// auditProbe answers like api.example.com reflecting every origin with
// credentials, and items.example.com holding an exact allow-list.
func auditProbe(ctx context.Context, o probe.Options) (*probe.Result, error) {
	if hostKey(o.Request.URL) == "api.example.com" {
		res := answer(o, o.Request.Origin)
		res.Exchange.Actual[0].Response.Header.Set("Access-Control-Allow-Credentials", "true")
		return res, nil
	}
	switch o.Request.Origin {
	case "https://app.example.com", "https://admin.example.com":
		return answer(o, o.Request.Origin), nil
	}
	return answer(o, ""), nil
}

func auditReport(t *testing.T) *Report {
	t.Helper()
	cfg := testConfig(t, auditConfig)
	var done []string
	results := Run(context.Background(), cfg, Options{Probe: auditProbe, AuditRate: -1,
		OnDone: func(r *Result, n, total int) { done = append(done, r.Check.Name) }})
	if len(done) != len(Jobs(cfg)) {
		t.Errorf("OnDone called for %v, want %d jobs", done, len(Jobs(cfg)))
	}
	return &Report{Tool: "corsdiag", Version: "v1", Config: cfg, Results: results}
}

func TestAuditRows(t *testing.T) {
	rep := auditReport(t)
	type row struct {
		check, origin string
		outcome       Outcome
		code          string
	}
	var got []row
	for _, r := range rep.Results {
		got = append(got, row{r.Check.Name, r.Target.Origin, r.Outcome, r.FindingCode()})
	}
	want := []row{
		{"me", "https://app.example.com", Passed, "-"},
		{"items", "https://app.example.com", Passed, "-"},
		{"items", "https://admin.example.com", Passed, "-"},
		{"items", "https://evil.example", Passed, "missing-allow-origin"},
		{"me · audit", "https://attacker.invalid", Failed, "origin-reflected"},
		{"me · audit", "null", Failed, "null-origin-trusted"},
	}
	if len(got) != len(want)+1 {
		t.Fatalf("rows:\n%v\nwant %d rows", got, len(want)+1)
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("row %d = %+v, want %+v", i, got[i], w)
		}
	}
	// The exact allow-list: one passing row counting the origins denied.
	last := got[len(got)-1]
	if last.check != "items · audit" || last.outcome != Passed || !strings.HasSuffix(last.origin, "attacker origins") {
		t.Errorf("last row = %+v", last)
	}
	if s := rep.Summary(); s.Failed != 2 || s.ExitCode() != 1 {
		t.Errorf("summary %+v, exit %d; want 2 failed, exit 1", s, s.ExitCode())
	}
	e := rep.Results[4].Explain()
	if e == nil || e.Code != "origin-reflected" || !strings.Contains(e.Cause, "Access-Control-Allow-Credentials: true") || !strings.Contains(e.Fix, "map $http_origin") {
		t.Errorf("explanation %+v", e)
	}
}

func TestAuditInReports(t *testing.T) {
	rep := auditReport(t)
	var sarif, junit, md, js bytes.Buffer
	if err := rep.WriteSARIF(&sarif); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						Region struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarif.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, r := range log.Runs[0].Results {
		rules = append(rules, r.RuleID)
		if line := r.Locations[0].PhysicalLocation.Region.StartLine; line != 2 {
			t.Errorf("%s anchored at line %d, want the check's line 2", r.RuleID, line)
		}
	}
	if strings.Join(rules, ",") != "origin-reflected,null-origin-trusted" {
		t.Errorf("SARIF rules %v", rules)
	}
	if err := rep.WriteJUnit(&junit); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(junit.String(), `type="origin-reflected"`) || !strings.Contains(junit.String(), "me · audit [https://attacker.invalid") {
		t.Errorf("JUnit lacks the audit failure:\n%s", junit.String())
	}
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "`origin-reflected`") || !strings.Contains(md.String(), "map $http_origin $cors_origin") {
		t.Errorf("Markdown lacks the audit finding and its fix:\n%s", md.String())
	}
	var page bytes.Buffer
	if err := rep.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "origin-reflected") {
		t.Errorf("the HTML page lacks the audit finding")
	}
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"code": "origin-reflected"`) {
		t.Errorf("JSON lacks the audit finding")
	}
}

func TestAuditConfig(t *testing.T) {
	_, err := Parse("c.yaml", []byte("checks:\n  - url: https://api.example.com/\n    audit: true\n    origins:\n      - {origin: https://evil.example, expect: deny}\n"), env(nil))
	if err == nil || !strings.Contains(err.Error(), "c.yaml:3:") || !strings.Contains(err.Error(), "expect: allow") {
		t.Errorf("audit without an allowed origin: %v", err)
	}
	_, err = Parse("c.yaml", []byte("checks:\n  - url: https://api.example.com/\n    audit: maybe\n    origins: [{origin: https://app.example.com}]\n"), env(nil))
	if err == nil || !strings.Contains(err.Error(), "true or false") {
		t.Errorf("audit: maybe: %v", err)
	}
}

// An attacker origin that got no answer (a firewall dropping it, a reset)
// is blocked as a page sees it, but its CORS answer was not judged: the
// audit's row counts it among the origins tried and says it got none, as
// corsdiag audit does, instead of "0 attacker origins: blocked".
func TestAuditUnansweredIsSaid(t *testing.T) {
	cfg := testConfig(t, `checks:
  - name: items
    url: https://items.example.com/items
    audit: true
    origins:
      - {origin: https://app.example.com}
`)
	for _, tt := range []struct {
		name    string
		dropped func(origin string) bool
		label   *regexp.Regexp
	}{
		{"every attacker dropped", func(o string) bool { return true }, regexp.MustCompile(`^([1-9]\d*) attacker origins \(all \d+ got no answer, not judged\)$`)},
		{"some attackers dropped", func(o string) bool { return strings.Contains(o, "attacker.invalid") }, regexp.MustCompile(`^[1-9]\d* attacker origins \([1-9]\d* got no answer, not judged\)$`)},
		{"none dropped", func(o string) bool { return false }, regexp.MustCompile(`^[1-9]\d* attacker origins$`)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			run := func(ctx context.Context, o probe.Options) (*probe.Result, error) {
				if o.Request.Origin == "https://app.example.com" {
					return answer(o, o.Request.Origin), nil
				}
				if tt.dropped(o.Request.Origin) {
					return nil, &probe.UnreachableError{URL: o.Request.URL, Reason: "connection reset", Err: errors.New("connection reset by peer")}
				}
				return answer(o, ""), nil
			}
			results := Run(context.Background(), cfg, Options{Probe: run, AuditRate: -1})
			n := 0
			for _, r := range results {
				if !strings.HasSuffix(r.Check.Name, "· audit") {
					continue
				}
				n++
				if r.Outcome != Passed || !tt.label.MatchString(r.Target.Origin) {
					t.Errorf("audit row %s from %q, want passed from %s", r.Outcome, r.Target.Origin, tt.label)
				}
			}
			if n != 1 {
				t.Errorf("%d audit rows, want 1", n)
			}
		})
	}
}
