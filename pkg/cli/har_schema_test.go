package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
	"github.com/corsdiag/corsdiag/pkg/report/schematest"
)

// TestHarJSONMatchesSchema: `har -o json` on the recorded HARs of
// testdata/har and of the shared corpus of real exports, as is, with
// --all and with --browser all, matches pkg/report/har-schema.json.
func TestHarJSONMatchesSchema(t *testing.T) {
	schema, err := os.ReadFile("../report/har-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../../testdata/har/*.har")
	corpus := hartest.CorpusDir()
	filepath.WalkDir(corpus, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".har") || strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".zip")) {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no HAR files")
	}
	for _, args := range [][]string{{"-o", "json"}, {"-o", "json", "--all"}, {"-o", "json", "--browser", "all"}} {
		t.Run(strings.Join(args[2:], " "), func(t *testing.T) {
			checked := 0
			for _, f := range files {
				out, _, code := runHarArgs(t, "", append(append([]string{"har"}, args...), f)...)
				if code == ExitUsage {
					continue // not HAR (the corpus's two broken files)
				}
				checked++
				if err := schematest.Validate(schema, []byte(out)); err != nil {
					t.Errorf("%s: %v", f, err)
				}
			}
			if checked < len(files)/2 {
				t.Errorf("only %d of %d files read", checked, len(files))
			}
		})
	}
}
