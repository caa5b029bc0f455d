package suite

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/probe"
)

// sarifFingerprints runs config against a server that answers * (so a
// deny check fails) and returns the SARIF document and its results'
// fingerprints in order.
func sarifFingerprints(t *testing.T, config string) (string, []string) {
	t.Helper()
	cfg, err := Parse("corsdiag.yaml", []byte(config), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	star := func(_ context.Context, o probe.Options) (*probe.Result, error) { return answer(o, "*"), nil }
	results := Run(context.Background(), cfg, Options{Probe: star, Retries: 1, Backoff: time.Millisecond})
	var buf bytes.Buffer
	if err := (&Report{Tool: "corsdiag", Version: "v1", Config: cfg, Results: results}).WriteSARIF(&buf); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	var fps []string
	for _, r := range log.Runs[0].Results {
		fps = append(fps, r.PartialFingerprints["corsdiagCheck/v1"])
	}
	return buf.String(), fps
}

// TestSARIFFingerprints: code scanning tells alerts apart by the
// fingerprint. Two checks that differ only in a secret (the token of
// their URL, an Authorization header) had the same one once the secret
// was redacted, so one alert hid the other. They differ now, by a digest
// of what tells them apart, never the secret itself; a check no other
// resembles keeps the fingerprint it had (a rotated token opens no new
// alert), and every fingerprint is the same from run to run.
func TestSARIFFingerprints(t *testing.T) {
	const head = "defaults: {origin: \"https://evil.example\"}\nchecks:\n"
	check := func(url, extra string) string {
		return "  - url: \"" + url + "\"\n    expect: deny\n" + extra
	}
	tests := []struct {
		name    string
		config  string
		secrets []string
		want    []string // "" for any, distinct from the others
	}{
		{"one check with a token", head + check("https://api.test/x?token=OnlyTok01", ""), []string{"OnlyTok01"},
			[]string{"GET https://api.test/x?token=[REDACTED]|https://evil.example|deny"}},
		{"the same URL with two tokens", head + check("https://api.test/x?token=TokA02", "") + check("https://api.test/x?token=TokB03", ""),
			[]string{"TokA02", "TokB03"}, []string{"", ""}},
		{"two signed URLs", head + check("https://b.test/k?X-Amz-Signature=SigA04&X-Amz-Expires=60", "") +
			check("https://b.test/k?X-Amz-Signature=SigB05&X-Amz-Expires=60", "") + check("https://b.test/other", ""),
			[]string{"SigA04", "SigB05"}, []string{"", "", "GET https://b.test/other|https://evil.example|deny"}},
		// Checks named apart only by a secret: their names differ as
		// written (the config refuses a name twice), not as shown.
		{"named apart by a token", head + "  - name: \"login token=NameTok06\"\n    url: https://api.test/me\n    expect: deny\n" +
			"  - name: \"login token=NameTok07\"\n    url: https://api.test/me\n    expect: deny\n", []string{"NameTok06", "NameTok07"}, []string{"", ""}},
		{"two origins of one check", head + "  - url: \"https://api.test/x?sig=Sig10\"\n    origins: [{origin: \"https://a.example\", expect: deny}, {origin: \"https://b.example\", expect: deny}]\n",
			[]string{"Sig10"}, []string{"GET https://api.test/x?sig=[REDACTED]|https://a.example|deny", "GET https://api.test/x?sig=[REDACTED]|https://b.example|deny"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, fps := sarifFingerprints(t, tt.config)
			for _, s := range tt.secrets {
				if strings.Contains(doc, s) {
					t.Errorf("the SARIF document shows the secret %s", s)
				}
			}
			if len(fps) != len(tt.want) {
				t.Fatalf("fingerprints %q, want %d", fps, len(tt.want))
			}
			seen := map[string]bool{}
			for i, fp := range fps {
				if seen[fp] {
					t.Errorf("fingerprint %q is twice in %q", fp, fps)
				}
				seen[fp] = true
				if tt.want[i] != "" && fp != tt.want[i] {
					t.Errorf("fingerprint %d = %q, want %q", i, fp, tt.want[i])
				}
			}
			if _, again := sarifFingerprints(t, tt.config); strings.Join(again, "\n") != strings.Join(fps, "\n") {
				t.Errorf("a second run's fingerprints %q differ from %q", again, fps)
			}
		})
	}
	// A rotated token: the check's alert stays the same.
	_, a := sarifFingerprints(t, head+check("https://api.test/x?token=OldTok08", ""))
	_, b := sarifFingerprints(t, head+check("https://api.test/x?token=NewTok09", ""))
	if a[0] != b[0] {
		t.Errorf("a rotated token changed the fingerprint: %q, then %q", a[0], b[0])
	}
}
