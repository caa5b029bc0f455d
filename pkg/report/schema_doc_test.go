package report

import (
	"os"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/report/schematest"
)

// The example in docs/json-schema.md is real output in shape: it must
// match the schema it documents.
func TestDocumentedExampleMatchesSchema(t *testing.T) {
	b, err := os.ReadFile("../../docs/json-schema.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "```json\n")
	if !ok {
		t.Fatal("docs/json-schema.md has no ```json example")
	}
	example, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("unterminated example")
	}
	if err := schematest.Validate(Schema, []byte(example)); err != nil {
		t.Errorf("the documented example does not match schema.json: %v", err)
	}
}
