package audit

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

func origins(cs []Candidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Origin)
	}
	return out
}

func TestCandidates(t *testing.T) {
	tests := []struct {
		name     string
		target   string
		declared []string
		want     []string // present
		absent   []string
	}{
		{"one declared origin", "https://api.example.com/items", []string{"https://app.example.com"},
			[]string{"https://attacker.invalid", "null", "https://attacker.example.com", "https://attacker.app.example.com",
				"https://attackerexample.com", "https://attackerapp.example.com", "https://app.example.com.attacker.invalid",
				"https://app.example.comattacker.invalid", "https://example.com.attacker.invalid", "https://xample.com", "https://app.example.c",
				"https://appxexample.com", "https://app.examplexcom", "http://app.example.com", "http://localhost",
				"http://127.0.0.1", "http://192.168.1.1", "https://localhost.attacker.invalid", "https://app.example.com_.attacker.invalid",
				"https://app.example.com`.attacker.invalid", "https://app.example.com!.attacker.invalid",
				"https://app.example.com$.attacker.invalid", "https://app.example.com+.attacker.invalid",
				"https://attacker.github.io", "https://attacker.vercel.app", "https://attacker.herokuapp.com", "https://attacker.s3.amazonaws.com",
				"https://codepen.io", "https://jsfiddle.net", "http://jsbin.com", "https://repl.it"},
			// No browser puts %60 in an origin: the URL parser decodes the
			// host (Chromium 156, Firefox 153 ESR), so the page sends a `.
			[]string{"https://app.example.com", "https://api.example.com", "https://app.example.com%60.attacker.invalid"}},
		{"public suffix of two labels", "https://api.shop.co.uk/", []string{"https://www.shop.co.uk"},
			[]string{"https://attacker.shop.co.uk", "https://attackershop.co.uk", "https://www.shop.co.uk.attacker.invalid"},
			[]string{"https://attacker.co.uk", "https://attackerco.uk"}},
		{"a GitHub Pages site is its own site", "https://api.example.com/", []string{"https://team.github.io"},
			[]string{"https://attacker.team.github.io", "https://attackerteam.github.io", "https://attacker.github.io"},
			[]string{"https://attacker.io"}},
		{"http target: no http downgrade", "http://127.0.0.1:8080/", []string{"https://app.example.com"},
			[]string{"https://attacker.example.com"}, []string{"http://app.example.com", "http://attacker.example.com"}},
		{"declared localhost is intended", "https://api.example.com/", []string{"https://app.example.com", "http://localhost:3000"},
			[]string{"http://localhost"}, []string{"http://localhost:3000"}},
		{"declared port kept on the http twin", "https://api.example.com/", []string{"https://app.example.com:8443"},
			[]string{"http://app.example.com:8443"}, nil},
		// A pattern written for a ported origin holds the port: the names
		// built from the declared host and its domain keep it.
		{"declared port kept on names built from it", "https://api.example.com:8443/", []string{"https://app.example.com:8443"},
			[]string{"https://appxexample.com:8443", "https://app.examplexcom:8443", "https://attacker.app.example.com:8443",
				"https://attackerapp.example.com:8443", "https://attacker.example.com:8443", "https://attackerexample.com:8443"},
			[]string{"https://appxexample.com", "https://attacker.app.example.com"}},
		{"default port not written", "https://api.example.com/", []string{"https://app.example.com:443"},
			[]string{"https://appxexample.com", "https://attacker.example.com"}, []string{"https://appxexample.com:443"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := Candidates(tt.target, tt.declared)
			got := origins(cs)
			for _, c := range cs {
				if !sendable(c.Origin) {
					t.Errorf("%s is not an origin a browser sends", c.Origin)
				}
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %s", w)
				}
			}
			for _, a := range tt.absent {
				if slices.Contains(got, a) {
					t.Errorf("%s tried, but must not be", a)
				}
			}
		})
	}
}

// sendable: null, or scheme://host[:port] as a browser serializes it: the
// URL parser percent-decodes the host (URL standard, host parser), so an
// origin never holds a % (Chromium 156 and Firefox 153 ESR turn
// app.example.com%60.x into app.example.com`.x).
func sendable(o string) bool {
	if o == "null" {
		return true
	}
	scheme, rest, ok := strings.Cut(o, "://")
	return ok && (scheme == "http" || scheme == "https") && rest != "" && !strings.ContainsAny(rest, "%/?#@ ")
}

// FuzzCandidates: for any target and declared origin, Candidates never
// panics, never repeats an origin, never tries the declared origin or the
// target's own, and names the flaw each origin reveals.
func FuzzCandidates(f *testing.F) {
	f.Add("https://api.example.com/items", "https://app.example.com")
	f.Add("http://127.0.0.1:8080/", "http://localhost:3000")
	f.Add("https://a.b.c.d.example.co.uk/x", "https://x.y.example.co.uk:8443")
	f.Add("https://[::1]:8443/", "https://[::1]")
	f.Add("https://xn--bcher-kva.example/", "null")
	f.Fuzz(func(t *testing.T, target, declared string) {
		o, err := cors.ParseOrigin(declared)
		if err != nil {
			return
		}
		if u, err := url.Parse(target); err != nil || u.Host == "" {
			return
		}
		seen := map[string]bool{}
		for _, c := range Candidates(target, []string{o}) {
			if seen[c.Origin] {
				t.Fatalf("%s twice", c.Origin)
			}
			seen[c.Origin] = true
			if c.Origin == o || c.Origin == cors.OriginOf(target) {
				t.Fatalf("%s is declared or the target's own", c.Origin)
			}
			if c.Code == "" || c.Technique == "" {
				t.Fatalf("%s has no code or technique", c.Origin)
			}
			if !sendable(c.Origin) {
				t.Fatalf("%q is not an origin a browser sends", c.Origin)
			}
		}
	})
}
