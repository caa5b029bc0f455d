package cli

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHarPacked: a gzip-compressed HAR and a zip archive holding one give
// the report of the file itself, in every output, from a path or from
// standard input; only the name the report shows differs.
func TestHarPacked(t *testing.T) {
	const plain = "testdata/har_session.har"
	data, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	gzPath := filepath.Join(dir, "session.har.gz")
	os.WriteFile(gzPath, gz.Bytes(), 0o644)
	var zb bytes.Buffer
	w := zip.NewWriter(&zb)
	fw, _ := w.Create("export/session.har")
	fw.Write(data)
	w.Close()
	zipPath := filepath.Join(dir, "ticket.zip")
	os.WriteFile(zipPath, zb.Bytes(), 0o644)

	for _, args := range [][]string{{"-o", "text"}, {"-o", "json"}, {"-o", "html"}, {"--all"}, {"--browser", "all"}} {
		want, _, wantCode := runHarArgs(t, "", append([]string{"har", plain}, args...)...)
		for _, tc := range []struct {
			name, path, stdin, shown string
		}{
			{"gzip", gzPath, "", gzPath},
			{"gzip, standard input", "-", gz.String(), "standard input"},
			{"zip", zipPath, "", "export/session.har in " + zipPath},
		} {
			got, errOut, code := runHarArgs(t, tc.stdin, append([]string{"har", tc.path}, args...)...)
			// The report names its input: the text and the page do.
			expect := strings.ReplaceAll(want, plain, tc.shown)
			if code != wantCode || got != expect {
				t.Errorf("%s %v: exit %d (want %d), stderr %q, output differs from the plain file's:\n%.600s", tc.name, args, code, wantCode, errOut, got)
			}
		}
	}

	wantSan, _, _ := runHarArgs(t, "", "har", "sanitize", plain, "-o", "-")
	if got, errOut, code := runHarArgs(t, "", "har", "sanitize", zipPath, "-o", "-"); code != 0 || got != wantSan {
		t.Errorf("sanitize of the zip: exit %d, stderr %q, copy differs from the plain file's", code, errOut)
	}
}

// TestHarPackedBadInput: what cannot be unpacked gets exit 2 and why.
func TestHarPackedBadInput(t *testing.T) {
	dir := t.TempDir()
	var zb bytes.Buffer
	w := zip.NewWriter(&zb)
	for _, name := range []string{"a.har", "b.har"} {
		fw, _ := w.Create(name)
		fw.Write([]byte("{}"))
	}
	w.Close()
	two := filepath.Join(dir, "two.zip")
	os.WriteFile(two, zb.Bytes(), 0o644)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(strings.Repeat(`{"log":{"entries":[`, 1)))
	zw.Close()
	cut := filepath.Join(dir, "cut.har.gz")
	os.WriteFile(cut, gz.Bytes()[:gz.Len()-4], 0o644)
	for _, tc := range []struct {
		name, stdin string
		args        []string
		stderr      string
	}{
		{"two HAR files in a zip", "", []string{"har", two}, two + " is not a readable HAR file: the zip archive holds 2 .har files (a.har, b.har)"},
		{"a zip piped in", zb.String(), []string{"har", "-"}, "standard input is not a readable HAR file: it is a zip archive, which is read from a file only"},
		{"gzip cut off", "", []string{"har", cut}, cut + " (decompressed) is not a readable HAR file: reading byte offset"},
		{"sanitize, two HAR files", "", []string{"har", "sanitize", two, "-o", "-"}, "the zip archive holds 2 .har files"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runHarArgs(t, tc.stdin, tc.args...)
			if code != ExitUsage || !strings.Contains(errOut, tc.stderr) || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d, nothing printed, and %q", code, out, errOut, ExitUsage, tc.stderr)
			}
		})
	}
}
