package conformance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScenarioFilesLoad(t *testing.T) {
	scenarios, err := LoadDir(scenarioDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(scenarios) < 80 {
		t.Errorf("%d scenarios; the suite promises at least 80", len(scenarios))
	}
	for _, s := range scenarios {
		if s.Response.Status == 0 {
			t.Errorf("%s: no response status", s.Name)
		}
	}
}

func TestParseRejectsBadScenarios(t *testing.T) {
	const good = "- name: ok\n  description: fine\n  request: {method: GET}\n  response: {status: 200}\n"
	tests := []struct {
		name, yaml string
		want       []string // substrings of the error
	}{
		{"unknown field", "- name: a\n  description: d\n  request: {methd: GET}\n  response: {status: 200}\n", []string{"f.yaml", "line 3", "methd"}},
		{"not a list", "name: a\n", []string{"f.yaml", "line 1"}},
		{"bad name", "- name: Not Kebab\n  description: d\n  response: {status: 200}\n", []string{"f.yaml:1", "name", "kebab-case"}},
		{"no description", "- name: a\n  response: {status: 200}\n", []string{"description", "required"}},
		{"credentials typo", "- name: a\n  description: d\n  request: {credentials: includes}\n  response: {status: 200}\n", []string{"request.credentials", "includes"}},
		{"status out of range", "- name: a\n  description: d\n  response: {status: 99}\n", []string{"response", "status is 99"}},
		{"redirect not 3xx", good + "- name: b\n  description: d\n  redirects: [{status: 200}]\n  response: {status: 200}\n", []string{"f.yaml:5", "redirects[0].status"}},
		{"redirect target", "- name: a\n  description: d\n  redirects: [{status: 302, to: elsewhere}]\n  response: {status: 200}\n", []string{"redirects[0].to", "elsewhere"}},
		{"header name with colon", "- name: a\n  description: d\n  response: {status: 200, headers: [{name: 'a:b', value: x}]}\n", []string{"response", "not a header name"}},
		{"GET with a body", "- name: a\n  description: d\n  request: {method: get, body: x}\n  response: {status: 200}\n", []string{"request.body", "GET"}},
		{"preflight status", "- name: a\n  description: d\n  preflight: {status: 0}\n  response: {status: 200}\n", []string{"preflight", "status is 0"}},
		{"page space", "- name: a\n  description: d\n  page: {space: private}\n  response: {status: 200}\n", []string{"page.space", "private"}},
		{"api without page", "- name: a\n  description: d\n  api: {space: local}\n  response: {status: 200}\n", []string{"api", "needs page"}},
		{"api space", "- name: a\n  description: d\n  page: {space: public}\n  api: {space: lan}\n  response: {status: 200}\n", []string{"api.space", "lan"}},
		{"other space", "- name: a\n  description: d\n  page: {space: public}\n  other: {space: lan}\n  response: {status: 200}\n", []string{"other.space", "lan"}},
		{"other without page", "- name: a\n  description: d\n  other: {space: local}\n  response: {status: 200}\n", []string{"other", "needs page"}},
		{"permission value", "- name: a\n  description: d\n  page: {space: public}\n  permission: granted\n  response: {status: 200}\n", []string{"permission", "granted"}},
		{"permission without page", "- name: a\n  description: d\n  permission: denied\n  response: {status: 200}\n", []string{"permission", "needs page"}},
		{"origin on a non-secure page", "- name: a\n  description: d\n  page: {space: public, secure: false}\n  response: {status: 200, headers: [{name: Access-Control-Allow-Origin, value: '{origin}'}]}\n", []string{"Access-Control-Allow-Origin uses {origin}"}},
		{"skip unknown browser", "- name: a\n  description: d\n  skip: {safari: why}\n  response: {status: 200}\n", []string{"skip", `"safari"`, "chromium, firefox, webkit"}},
		{"upload without xhr", "- name: a\n  description: d\n  request: {method: POST, upload: true}\n  response: {status: 200}\n", []string{"request.upload", "needs xhr"}},
		{"sandbox with page", "- name: a\n  description: d\n  sandbox: true\n  page: {space: public}\n  response: {status: 200}\n", []string{"sandbox", "cannot be combined with page"}},
		{"unknown kind", "- name: a\n  description: d\n  request: {kind: iframe}\n  response: {status: 200}\n", []string{"request.kind", `"iframe"`, "eventsource, font"}},
		{"kind with xhr", "- name: a\n  description: d\n  request: {kind: font, xhr: true}\n  response: {status: 200}\n", []string{"request.kind", "xhr"}},
		{"kind with a method", "- name: a\n  description: d\n  request: {kind: image, method: PUT}\n  response: {status: 200}\n", []string{"request.kind", "plain GET"}},
		{"credentialed font", "- name: a\n  description: d\n  request: {kind: font, credentials: include}\n  response: {status: 200}\n", []string{"request.kind", "font", "credentials"}},
		{"skip without reason", "- name: a\n  description: d\n  skip: {firefox: ' '}\n  response: {status: 200}\n", []string{"skip.firefox", "reason"}},
		{"origin on a page on port 80", "- name: a\n  description: d\n  default_port: true\n  response: {status: 200, headers: [{name: Access-Control-Allow-Origin, value: '{origin}:80'}]}\n", []string{"default_port", "Access-Control-Allow-Origin uses {origin}", DefaultPortPage}},
		{"page port on a page on port 80", "- name: a\n  description: d\n  default_port: true\n  preflight: {status: 204, headers: [{name: X, value: '{page_port}'}]}\n  response: {status: 200}\n", []string{"X uses {origin} or {page_port}"}},
		{"port 80 with a sandbox", "- name: a\n  description: d\n  default_port: true\n  sandbox: true\n  response: {status: 200}\n", []string{"default_port", "cannot be combined"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			var le *LoadError
			if !errors.As(err, &le) {
				t.Errorf("error %T is not a *LoadError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	if ss, err := Parse("f.yaml", []byte(good)); err != nil || len(ss) != 1 || ss[0].Request.MethodOrGet() != "GET" {
		t.Errorf("good scenario: %v %+v", err, ss)
	}
}

func TestLoadDirRejectsDuplicateNames(t *testing.T) {
	dir := t.TempDir()
	one := "- name: same\n  description: d\n  response: {status: 200}\n"
	for _, f := range []string{"a.yaml", "b.yaml"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(one), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), "b.yaml") || !strings.Contains(err.Error(), "a.yaml") {
		t.Errorf("got %v, want a duplicate-name error naming both files", err)
	}
	if _, err := LoadDir(t.TempDir()); err == nil {
		t.Error("an empty directory loaded without error")
	}
}

func TestOriginsExpand(t *testing.T) {
	o := Origins{Page: "http://127.0.0.1:1000", API: "http://127.0.0.1:2000", Other: "http://127.0.0.1:3000"}
	got := o.Expand("{origin}|{page_port}|{api}|{api_port}|{other}|{unknown}")
	want := "http://127.0.0.1:1000|1000|http://127.0.0.1:2000|2000|http://127.0.0.1:3000|{unknown}"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("- name: a\n  description: d\n  request: {method: GET, headers: [{name: X, value: '{origin}'}]}\n  response: {status: 200}\n"))
	f.Add([]byte("- name: a\n  description: d\n  redirects: [{status: 302, to: other, loop: true}]\n  response: {status: 200}\n"))
	f.Add([]byte("[]"))
	f.Add([]byte("- {}"))
	f.Add([]byte("- name: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ss, err := Parse("fuzz.yaml", data)
		if err == nil {
			for _, s := range ss {
				if s.validate() != nil {
					t.Errorf("Parse accepted an invalid scenario %q", s.Name)
				}
			}
		}
	})
}

func TestPageOriginAndLaunchFlags(t *testing.T) {
	no := false
	srv := &Server{Origins: Origins{Page: "http://127.0.0.1:4001", API: "http://127.0.0.1:4002", Other: "http://127.0.0.1:4003"}}
	tests := []struct {
		name       string
		sc         Scenario
		origin     string
		overrides  string
		resolverOK string
	}{
		{"plain", Scenario{}, "http://127.0.0.1:4001", "", hostResolverRules},
		{"sandboxed", Scenario{Sandbox: true}, "null", "", hostResolverRules},
		{"on port 80", Scenario{DefaultPort: true}, "http://127.0.0.1", "", hostResolverRules},
		{"public secure", Scenario{Page: &Page{Space: "public"}}, "http://127.0.0.1:4001", "127.0.0.1:4001=public", hostResolverRules},
		{"public to local", Scenario{Page: &Page{Space: "public"}, API: &APISpace{Space: "local"}}, "http://127.0.0.1:4001",
			"127.0.0.1:4001=public,127.0.0.1:4002=local", hostResolverRules},
		{"public to public, redirected to local", Scenario{Page: &Page{Space: "public"}, API: &APISpace{Space: "public"}, Other: &APISpace{Space: "local"}}, "http://127.0.0.1:4001",
			"127.0.0.1:4001=public,127.0.0.1:4002=public,127.0.0.1:4003=local", hostResolverRules},
		{"non-secure", Scenario{Page: &Page{Space: "public", Secure: &no}}, "http://public.test:4001", "127.0.0.1:4001=public",
			"MAP public.test 127.0.0.1, " + hostResolverRules},
	}
	// The story maps its API name as well as the non-secure page's.
	sf := spaceFlags{MapInsecureHost: true, MapHosts: []string{storyAPIHost}}
	if got, want := sf.resolverRules(), "MAP public.test 127.0.0.1, MAP "+storyAPIHost+" 127.0.0.1, "+hostResolverRules; got != want {
		t.Errorf("resolver rules = %q, want %q", got, want)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sc.PageOrigin(srv.Origins.Page); got != tt.origin {
				t.Errorf("PageOrigin = %q, want %q", got, tt.origin)
			}
			// The browser opens the page at its origin, a sandboxed one at
			// the listener's /sandboxed.
			wantURL := tt.origin + "/"
			if tt.sc.Sandbox {
				wantURL = srv.Origins.Page + SandboxedPath
			}
			if got := tt.sc.PageURL(srv.Origins.Page); got != wantURL {
				t.Errorf("PageURL = %q, want %q", got, wantURL)
			}
			sf := spaceFlagsFor(tt.sc, srv)
			if sf.Overrides != tt.overrides {
				t.Errorf("overrides = %q, want %q", sf.Overrides, tt.overrides)
			}
			// Every launch keeps the catch-all that stops outside lookups.
			if got := sf.resolverRules(); got != tt.resolverOK || !strings.HasSuffix(got, hostResolverRules) {
				t.Errorf("resolver rules = %q, want %q", got, tt.resolverOK)
			}
		})
	}
}

// Sandboxed scenarios and those on port 80 get a browser of their own,
// after the plain ones, and are not plain (the HAR recordings are the
// plain browser's).
func TestLaunchGroupsSandbox(t *testing.T) {
	ss := []Scenario{{Name: "s1", Sandbox: true}, {Name: "p1"}, {Name: "l1", Page: &Page{Space: "public"}}, {Name: "s2", Sandbox: true}, {Name: "p2"},
		{Name: "d1", DefaultPort: true}}
	var got [][]string
	for _, g := range launchGroups(ss) {
		var names []string
		for _, sc := range g {
			names = append(names, sc.Name)
		}
		got = append(got, names)
	}
	if want := "[[p1 p2] [s1 s2] [l1] [d1]]"; fmt.Sprint(got) != want {
		t.Errorf("launch groups %v, want %s", got, want)
	}
	for _, sc := range ss {
		if plain := sc.Name[0] == 'p'; sc.Plain() != plain {
			t.Errorf("%s: Plain() = %v, want %v", sc.Name, sc.Plain(), plain)
		}
	}
}
