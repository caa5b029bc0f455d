package lint

import (
	"testing"

	"github.com/corsdiag/corsdiag/pkg/iac"
)

// lintSource reads src as the template file and lints it with opts; a
// template that does not read, or a lint that fails, ends the test.
func lintSource(t testing.TB, file string, src []byte, opts Options) *Report {
	t.Helper()
	tmpl, err := iac.Read(file, src)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Lint([]*iac.Template{tmpl}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
