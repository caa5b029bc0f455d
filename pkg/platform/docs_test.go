package platform

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

var update = flag.Bool("update", false, "rewrite docs/findings/<code>.md for the platform codes")

// TestFindingPages keeps docs/findings/<code>.md equal to Page(code), so a
// page shows exactly the fixes corsdiag prints. go test -update rewrites.
func TestFindingPages(t *testing.T) {
	for _, code := range platformCodes() {
		if _, ok := pages[code]; !ok {
			t.Errorf("%s has no page text", code)
		}
	}
	for _, code := range PageCodes() {
		want, ok := Page(code)
		if !ok {
			t.Errorf("%s: no page (not registered?)", code)
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
			t.Errorf("%s: %v (run go test ./pkg/platform -run TestFindingPages -update)", code, err)
			continue
		}
		if string(got) != want {
			t.Errorf("%s is out of date (run go test ./pkg/platform -run TestFindingPages -update)", path)
		}
	}
}

// TestPageRelatedOnce: a page lists what it explains first, then its
// Related, each code once and never its own.
func TestPageRelatedOnce(t *testing.T) {
	for code, p := range pages {
		seen := map[cors.Code]bool{code: true}
		for _, r := range append([]cors.Code{p.Explains}, p.Related...) {
			if seen[r] {
				t.Errorf("%s: Related repeats %s (its own code, or what it explains)", code, r)
			}
			seen[r] = true
		}
	}
}

// TestConfirmNamesTheMockStatus: an integration response is keyed by its
// status, and get-integration-response for a status the method does not
// answer with fails (NotFoundException): a page's confirm command reads the
// status the OPTIONS mock answers, as the fixes do (mockStatus), not 200,
// which a CDK mock (204) does not answer.
func TestConfirmNamesTheMockStatus(t *testing.T) {
	for code, p := range pages {
		if !strings.Contains(p.Confirm, "get-integration-response") {
			continue
		}
		for _, want := range []string{"--status-code STATUS", "204"} {
			if !strings.Contains(p.Confirm, want) {
				t.Errorf("%s: the confirm command does not say %q:\n%s", code, want, p.Confirm)
			}
		}
		if strings.Contains(p.Confirm, "--status-code 200") {
			t.Errorf("%s: the confirm command reads the 200 answer only:\n%s", code, p.Confirm)
		}
	}
}
