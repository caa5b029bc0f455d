package suite

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

func TestParseBrowsers(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string // "origin browser" per target of the first check
	}{
		{"none", "checks:\n  - url: https://api.example/x\n    origins: [{origin: https://a.example}]\n", []string{"https://a.example "}},
		{"defaults list", "defaults:\n  origin: https://a.example\n  browsers: [firefox, webkit]\nchecks:\n  - url: https://api.example/x\n",
			[]string{"https://a.example firefox", "https://a.example safari"}},
		{"check all overrides defaults", "defaults:\n  origin: https://a.example\n  browsers: firefox\nchecks:\n  - url: https://api.example/x\n    browsers: all\n",
			[]string{"https://a.example chromium", "https://a.example firefox", "https://a.example safari"}},
		{"origins × browsers", "checks:\n  - url: https://api.example/x\n    browsers: [safari, chromium, safari]\n    origins: [{origin: https://a.example}, {origin: https://b.example, expect: deny}]\n",
			[]string{"https://a.example safari", "https://a.example chromium", "https://b.example safari", "https://b.example chromium"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t, tc.yaml)
			var got []string
			for _, tg := range cfg.Checks[0].Targets {
				got = append(got, tg.Origin+" "+tg.Browser)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("targets %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseBrowsersErrors(t *testing.T) {
	base := "defaults:\n  origin: https://app.example.com\nchecks:\n  - url: https://a.example/\n"
	for _, tc := range []struct {
		name, yaml string
		line       int
		want       string
	}{
		{"unknown browser", base + "    browsers: [firefox, lynx]\n", 5, `unknown browser "lynx"`},
		{"unknown in defaults", "defaults:\n  browsers: opera\nchecks:\n  - url: https://a.example/\n    origins: [{origin: https://b.example}]\n", 2, `defaults.browsers: unknown browser "opera"`},
		{"empty list", base + "    browsers: []\n", 5, "name at least one browser"},
		{"mapping", base + "    browsers: {a: b}\n", 5, "must be a single value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tc.yaml), env(nil))
			ce, ok := err.(*ConfigError)
			if !ok || ce.Line != tc.line || !strings.Contains(ce.Msg, tc.want) {
				t.Errorf("err = %v, want line %d with %q", err, tc.line, tc.want)
			}
		})
	}
}

// A check that requires several browsers runs once per browser, each
// probed and judged by its own profile: a DPR header passes in Chromium and
// fails the others' preflight.
func TestRunJudgesEachBrowser(t *testing.T) {
	cfg := testConfig(t, `checks:
  - url: https://api.example/items
    headers: {DPR: "2"}
    browsers: all
    origins: [{origin: https://app.example.com}]
`)
	var (
		mu       sync.Mutex
		profiles []string
	)
	fake := func(_ context.Context, o probe.Options) (*probe.Result, error) {
		mu.Lock()
		profiles = append(profiles, o.Profile.Name)
		mu.Unlock()
		res := answer(o, o.Request.Origin)
		if o.Profile.PlanRequest(&o.Request).Preflight {
			// The preflight allows no headers.
			res.Exchange.Preflight = &cors.Hop{Request: cors.Message{Method: "OPTIONS", URL: o.Request.URL},
				Response: answer(o, o.Request.Origin).Exchange.Actual[0].Response}
		}
		return res, nil
	}
	got := Run(context.Background(), cfg, Options{Probe: fake})
	want := map[string]Outcome{"chromium": Passed, "firefox": Failed, "safari": Failed}
	if len(got) != 3 {
		t.Fatalf("%d results, want 3", len(got))
	}
	for _, r := range got {
		if r.Outcome != want[r.Target.Browser] {
			t.Errorf("%s: %s (%s), want %s", r.Target.Browser, r.Outcome, r.FindingCode(), want[r.Target.Browser])
		}
		if r.Target.Browser == "firefox" && !strings.Contains(r.Explain().Browser, "Cross-Origin Request Blocked") {
			t.Errorf("Firefox's explanation quotes %q, want Firefox's console line", r.Explain().Browser)
		}
	}
	slices.Sort(profiles)
	if strings.Join(profiles, ",") != "chromium,firefox,safari" {
		t.Errorf("probed with %v", profiles)
	}
	if l := got[1].Target.Label(); l != "https://app.example.com in Firefox" {
		t.Errorf("label %q", l)
	}
}
