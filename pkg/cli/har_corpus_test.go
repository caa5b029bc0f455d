package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
)

// Every file of the shared corpus of real HAR exports (many tools, odd but
// valid shapes) is reported by `har` in text, JSON and HTML with exit 0 or
// 1; the two that are not HAR exit 2 saying where, and the JSONP one what
// to remove. har sanitize's copy of each is judged the same. The corpus is
// read in place, never copied here; without it the test skips.
func TestHarCorpus(t *testing.T) {
	dir := hartest.CorpusDir()
	if _, err := os.Stat(filepath.Join(dir, "README.md")); dir == "" || err != nil {
		t.Skipf("HAR corpus not found at %q (set CORSDIAG_HAR_CORPUS)", dir)
	}
	broken := map[string]string{
		"mitmproxy/broken-not-json.har":      "byte offset 8 (line 2)",
		"firebug/jsonp-wrapped-not-json.har": "remove onInputData( before the JSON object and ); after it",
	}
	// sanitize copies what it does not read (a "log" that is no object),
	// so it meets the truncated file's damage further on.
	sanitizeBroken := map[string]string{
		"mitmproxy/broken-not-json.har":      "is not a readable HAR file: byte offset 22 (line 5)",
		"firebug/jsonp-wrapped-not-json.har": broken["firebug/jsonp-wrapped-not-json.har"],
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
		sanitizedSameVerdicts(t, rel, f, sanitizeBroken[filepath.ToSlash(rel)])
	}
	for name := range broken {
		if !seen[name] {
			t.Errorf("%s is not in the corpus", name)
		}
	}
}

// sanitizedSameVerdicts: har sanitize copies a real export so that har
// judges the copy as the original (the promise of its help), request by
// request; a file that is not HAR is refused with har's words.
func sanitizedSameVerdicts(t *testing.T, rel, file, brokenWant string) {
	t.Helper()
	copyPath := filepath.Join(t.TempDir(), "safe.har")
	_, stderr, code := runHarArgs(t, "", "har", "sanitize", file, "-o", copyPath)
	if brokenWant != "" {
		if code != ExitUsage || !strings.Contains(stderr, brokenWant) {
			t.Errorf("sanitize %s: exit %d, stderr %q; want %d and %q", rel, code, stderr, ExitUsage, brokenWant)
		}
		return
	}
	if code != ExitAllowed {
		t.Errorf("sanitize %s: exit %d, stderr %q", rel, code, stderr)
		return
	}
	verdicts := func(path string) (string, int) {
		out, _, code := runHarArgs(t, "", "har", "-o", "json", path)
		var doc struct {
			Summary  map[string]any `json:"summary"`
			Requests []struct {
				Index    int    `json:"index"`
				Verdict  string `json:"verdict"`
				Findings []struct {
					Code string `json:"code"`
				} `json:"findings"`
			} `json:"requests"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		b, _ := json.Marshal(doc)
		return string(b), code
	}
	want, wantCode := verdicts(file)
	got, gotCode := verdicts(copyPath)
	if got != want || gotCode != wantCode {
		t.Errorf("%s: the sanitized copy is judged otherwise (exit %d, want %d):\n got %.400s\nwant %.400s", rel, gotCode, wantCode, got, want)
	}
}
