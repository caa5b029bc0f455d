package platform

import (
	"strings"
	"testing"
)

// TestIAMOpeningIsOneWarnedStep: letting the preflight through IAM lets
// every unauthenticated request reach the code. The fix runs one such
// command (the others are alternatives, commented), and says first that
// the code must verify the token itself, since IAM no longer does.
func TestIAMOpeningIsOneWarnedStep(t *testing.T) {
	for name, ctx := range fixContexts() {
		for _, f := range Fixes(CodeGCPIAMPreflight, ctx) {
			opens, warned := 0, false
			for _, line := range strings.Split(joinComments(f.Snippet), "\n") {
				l := strings.TrimSpace(line)
				if strings.HasPrefix(l, "#") {
					warned = warned || strings.Contains(l, "no longer")
					continue
				}
				if strings.Contains(l, "allUsers") || strings.Contains(l, "--no-invoker-iam-check") {
					opens++
					if !warned {
						t.Errorf("%s/%s: %q opens the service before saying IAM no longer checks the token:\n%s", name, f.Format, l, f.Snippet)
					}
				}
			}
			if opens > 1 {
				t.Errorf("%s/%s: %d commands open the service; one is the fix, the others alternatives:\n%s", name, f.Format, opens, f.Snippet)
			}
		}
	}
}
