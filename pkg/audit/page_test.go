package audit

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/findings/<code>.md of the audit codes and the golden files")

// TestFindingPages keeps docs/findings/<code>.md equal to Page(code), so a
// page shows exactly the fixes the audit prints. -update rewrites them.
func TestFindingPages(t *testing.T) {
	for _, code := range Codes() {
		want, ok := Page(code)
		if !ok {
			t.Errorf("%s: no page (not in the flaws table, or not registered)", code)
			continue
		}
		path := filepath.Join("..", "..", "docs", "findings", string(code)+".md")
		if *update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (run go test ./pkg/audit -run TestFindingPages -update)", code, err)
			continue
		}
		if string(got) != want {
			t.Errorf("%s is out of date (run go test ./pkg/audit -run TestFindingPages -update)", path)
		}
	}
}
