package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every file of the shared corpus of real HAR exports (many tools, odd but
// valid shapes) is reported by `har` in text, JSON and HTML with exit 0 or
// 1; the two that are not HAR exit 2 saying where, and the JSONP one what
// to remove. The corpus is read in place, never copied here; without it
// the test skips.
func TestHarCorpus(t *testing.T) {
	dir := os.Getenv("CORSDIAG_HAR_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "har-corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		t.Skipf("HAR corpus not found at %s (set CORSDIAG_HAR_CORPUS)", dir)
	}
	broken := map[string]string{
		"mitmproxy/broken-not-json.har":      "byte offset 8 (line 2)",
		"firebug/jsonp-wrapped-not-json.har": "remove onInputData( before the JSON object and ); after it",
	}
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".har") || strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".zip")) {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no HAR files in %s: %v", dir, err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		for _, format := range []string{"text", "json", "html"} {
			_, stderr, code := runHarArgs(t, "", "har", "-o", format, f)
			if want, ok := broken[filepath.ToSlash(rel)]; ok {
				seen[filepath.ToSlash(rel)] = true
				if code != ExitUsage || !strings.Contains(stderr, want) {
					t.Errorf("%s -o %s: exit %d, stderr %q; want %d and %q", rel, format, code, stderr, ExitUsage, want)
				}
				continue
			}
			if code != ExitAllowed && code != ExitBlocked || strings.Contains(stderr, "panic") {
				t.Errorf("%s -o %s: exit %d, stderr %q", rel, format, code, stderr)
			}
		}
	}
	for name := range broken {
		if !seen[name] {
			t.Errorf("%s is not in the corpus", name)
		}
	}
}
