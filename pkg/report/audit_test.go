package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/corsdiag/corsdiag/pkg/audit"
	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

// auditFixture is an audit whose server sent a terminal escape, whose
// URL holds a token, and whose server's answers quoted in the evidence and
// the policy hold tokens (auditSecrets).
func auditFixture() *AuditResult {
	ctx := platform.ExampleContext()
	ctx.Origins = []string{"https://app.example.com"}
	rep := &audit.Report{
		URL: "https://api.example.com/me?access_token=s3cr3tT0kenValue123", Method: "GET",
		Origins: []string{"https://app.example.com"}, Credentials: true,
		Policy: audit.Policy{Summary: "echoes any origin", Denied: 3,
			Declared: []audit.Declared{{Origin: "https://app.example.com", Verdict: cors.Allowed, Credentials: true}},
			Admitted: []audit.Probe{{Candidate: audit.Candidate{Origin: "https://attacker.invalid", Code: audit.CodeOriginReflected}, Outcome: audit.ReadWithCredentials,
				Evidence: []string{"preflight answered 200; Access-Control-Allow-Origin: https://evil.example/?token=EvidTok61"}}},
			ErrorPaths: []string{"without credentials: 200 with Access-Control-Allow-Origin: https://evil.example/?x=1\nsig=EvidSig62\x1b[2J"},
			Headers:    "authorization, Bearer EvidBearer63abc"},
		Findings: []audit.Finding{
			{Code: audit.CodeOriginReflected, Severity: cors.SeverityError, Origin: "https://attacker.invalid", Origins: []string{"https://attacker.invalid", "null"},
				Technique: "an unrelated origin", Outcome: audit.ReadWithCredentials, Step: "actual",
				Message:  "https://attacker.invalid got in",
				Evidence: []string{"actual answered 200; Access-Control-Allow-Origin: https://attacker.invalid\x1b[2J"}, Fix: "use an exact list"},
			{Code: audit.CodeAnyOrigin, Severity: cors.SeverityInfo, Origin: "https://x.invalid", Message: "any page", Fix: "nothing"},
		},
		Requests: 9, MaxRequests: 40, Fixes: platform.AllowListFixes(ctx), FixFormat: platform.FormatNginx,
	}
	return &AuditResult{Tool: Tool{Name: "corsdiag", Version: "v1"}, Report: rep}
}

func TestAuditRenderersAreSafe(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer, *AuditResult) error
	}{
		{"text", func(b *bytes.Buffer, r *AuditResult) error { return WriteAuditText(b, r, Style{}) }},
		{"json", func(b *bytes.Buffer, r *AuditResult) error { return WriteAuditJSON(b, r) }},
		{"sarif", func(b *bytes.Buffer, r *AuditResult) error { return WriteAuditSARIF(b, r) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b, auditFixture()); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, secret := range []string{"s3cr3tT0kenValue123", "EvidTok61", "EvidSig62", "EvidBearer63abc"} {
				if strings.Contains(out, secret) {
					t.Errorf("%s is printed:\n%s", secret, out)
				}
			}
			// JSON escapes ESC as \u001b, which jq -r prints raw.
			if strings.Contains(out, "\x1b") || strings.Contains(out, `\u001b`) {
				t.Errorf("a raw escape reaches the output:\n%q", out)
			}
			if tc.name != "text" && !json.Valid(b.Bytes()) {
				t.Errorf("not JSON:\n%s", out)
			}
		})
	}
	var b bytes.Buffer
	if err := WriteAuditText(&b, auditFixture(), Style{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Inferred policy: echoes any origin", "✗ error origin-reflected", "also got in: null", "map $http_origin $cors_origin", "1 error, 0 warnings, 1 info"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
	// The policy comes before the findings.
	if strings.Index(b.String(), "Inferred policy") > strings.Index(b.String(), "Findings") {
		t.Error("the findings come before the inferred policy")
	}
}

func TestAuditSARIFMatchesSchema(t *testing.T) {
	paths := []string{"../suite/testdata/sarif-2.1.0-reduced.schema.json"}
	if p := os.Getenv("CORSDIAG_SARIF_SCHEMA"); p != "" {
		paths = append(paths, p)
	}
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource("sarif.schema.json", doc); err != nil {
			t.Fatal(err)
		}
		schema, err := c.Compile("sarif.schema.json")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteAuditSARIF(&b, auditFixture()); err != nil {
			t.Fatal(err)
		}
		out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(out); err != nil {
			t.Errorf("%s: %v\n%s", path, err, b.String())
		}
	}
}

// TestAuditSARIFFingerprintHidesSecrets: code scanning matches an audit's
// findings across runs by their fingerprint, which names the URL. With
// --no-redact it held the URL's token: a secret in a field no reader
// looks at, and a new alert whenever the token rotates. It is redacted
// whatever --no-redact says, as ci's fingerprints are.
func TestAuditSARIFFingerprintHidesSecrets(t *testing.T) {
	for _, noRedact := range []bool{false, true} {
		res := auditFixture()
		res.NoRedact = noRedact
		var b bytes.Buffer
		if err := WriteAuditSARIF(&b, res); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					PartialFingerprints map[string]string `json:"partialFingerprints"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(b.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		if len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
			t.Fatalf("noRedact=%v: no results to check:\n%s", noRedact, b.String())
		}
		for _, r := range log.Runs[0].Results {
			if fp := r.PartialFingerprints["corsdiagAudit/v1"]; fp != "https://api.example.com/me?access_token=[REDACTED]|"+"origin-reflected" &&
				fp != "https://api.example.com/me?access_token=[REDACTED]|any-origin-allowed" {
				t.Errorf("noRedact=%v: fingerprint %q", noRedact, fp)
			}
		}
	}
}
