package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/iac"
)

// corpusDir holds public templates with CORS configurations. They are
// other projects' files, read where they lie (shared/ beside the checkout,
// or CORSDIAG_IAC_CORPUS) and never copied into the repository.
func corpusDir() string {
	if d := os.Getenv("CORSDIAG_IAC_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "iac-corpus")
}

// Every real template is read and linted without error: a template the
// reader cannot read is a bug in the reader.
func TestRealTemplates(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir(), "*"))
	switch {
	case len(files) == 0 && os.Getenv("CORSDIAG_IAC_CORPUS_TESTS") == "require":
		t.Fatalf("CORSDIAG_IAC_CORPUS_TESTS=require but %s holds no templates", corpusDir())
	case len(files) == 0:
		t.Skipf("no real templates: %s is absent (set CORSDIAG_IAC_CORPUS to a folder of public templates)", corpusDir())
	}
	read := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".md") {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			tmpl, err := iac.ReadFile(f)
			if err != nil {
				t.Fatalf("cannot read: %v", err)
			}
			if _, err := Lint([]*iac.Template{tmpl}, Options{Origins: []string{"https://app.example.com"}}); err != nil {
				t.Fatal(err)
			}
			read++
		})
	}
	if read < 5 {
		t.Fatalf("only %d real templates read", read)
	}
}
