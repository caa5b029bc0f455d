package platform

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestAPIMPolicyFitsTheAllAPIsScope: the cors policy goes in the All APIs
// (global) policy, which has no parent scope to inherit from: <base /> has
// nothing to stand for there, and its backend section forwards the
// request itself. A document written for a narrower scope, pasted there,
// would stop every API's backend call.
func TestAPIMPolicyFitsTheAllAPIsScope(t *testing.T) {
	everyFixOf(t, []Format{FormatAzurePolicy}, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		if !strings.Contains(f.Title, "All APIs") {
			return
		}
		if strings.Contains(f.Snippet, "<base") {
			t.Errorf("the All APIs policy holds <base />:\n%s", f.Snippet)
		}
		_, backend, _ := strings.Cut(f.Snippet, "<backend>")
		backend, _, _ = strings.Cut(backend, "</backend>")
		if !strings.Contains(backend, "<forward-request") {
			t.Errorf("the All APIs policy's backend does not forward the request:\n%s", f.Snippet)
		}
	})
}
