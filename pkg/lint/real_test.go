package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/iac"
)

// corpusDir holds public templates with CORS configurations that are not
// copied into the repository (licences, size).
func corpusDir() string {
	if d := os.Getenv("CORSDIAG_IAC_CORPUS"); d != "" {
		return d
	}
	return "/work/shared/iac-corpus"
}

// Every real template is read and linted without error: a template the
// reader cannot read is a bug in the reader.
func TestRealTemplates(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/lint/real/*")
	corpus, _ := filepath.Glob(filepath.Join(corpusDir(), "*"))
	switch {
	case len(corpus) == 0 && os.Getenv("CORSDIAG_IAC_CORPUS_TESTS") == "require":
		t.Fatalf("CORSDIAG_IAC_CORPUS_TESTS=require but %s holds no templates", corpusDir())
	case len(corpus) == 0:
		t.Logf("%s is absent: only the %d templates in testdata/lint/real are read", corpusDir(), len(files))
	}
	files = append(files, corpus...)
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
