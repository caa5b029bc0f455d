package cors

import (
	"strings"
	"testing"
)

// The older releases' wording is read, never printed: no template of
// today's holds it, and every code it names is in the catalogue
// (consoletext's TestTodaysLinesAreNotLegacy reads every printed line).
func TestLegacyWordingIsReadOnly(t *testing.T) {
	for _, p := range AllProfiles {
		today := map[string]bool{}
		for _, tp := range p.Templates() {
			if tp.Legacy != "" {
				t.Errorf("%s: today's template %q is marked legacy", p.Name, tp.Text)
			}
			today[tp.Text] = true
		}
		for _, tp := range p.LegacyTemplates() {
			if tp.Legacy == "" || !strings.HasSuffix(tp.Legacy, " …") {
				t.Errorf("%s: legacy template %q has opening %q", p.Name, tp.Text, tp.Legacy)
			}
			if today[tp.Text] {
				t.Errorf("%s: legacy template %q is also today's", p.Name, tp.Text)
			}
			// A line that only follows a cause (Firefox's "did not
			// succeed" after a failed preflight) names no code.
			if _, ok := Lookup(tp.Code); !ok && tp.Code != "" {
				t.Errorf("%s: legacy template %q names unknown code %q", p.Name, tp.Text, tp.Code)
			}
		}
	}
	if n := len(Chromium.LegacyTemplates()); n < 40 {
		t.Errorf("only %d legacy Chromium templates", n)
	}
}
