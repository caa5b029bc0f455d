package suite

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

const fullConfig = `version: 1
defaults:
  origin: https://app.example.com
  timeout: 3s
  headers:
    Accept: application/json
    X-Api-Key: ${API_KEY}
checks:
  - name: list
    url: https://api.example.com/items
  - name: create
    url: https://api.example.com/items
    method: post
    headers:
      Content-Type: application/json
    credentials: true
    cookie: session=${SESSION}
    body: '{"a": "$$5"}'
    send_actual: true
    error_probe: yes
    timeout: 1s
    origins:
      - origin: https://app.example.com
        expect: allow
      - origin: https://evil.example
        expect: deny
  - url: https://api.example.com/x
    expect: deny
    origins:
      - origin: https://other.example
`

func TestParseFull(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte(fullConfig), env(map[string]string{"API_KEY": "k123", "SESSION": "s1"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Checks) != 3 {
		t.Fatalf("checks = %d", len(cfg.Checks))
	}
	list, create, third := cfg.Checks[0], cfg.Checks[1], cfg.Checks[2]
	tests := []struct {
		name      string
		got, want any
	}{
		{"list line", list.Line, 9},
		{"list method", list.Method, "GET"},
		{"list timeout", list.Timeout, 3 * time.Second},
		{"list header expanded", list.Header.Get("X-Api-Key"), "k123"},
		{"list target", list.Targets, []Target{{Origin: "https://app.example.com", Expect: ExpectAllow, Line: 9}}},
		{"create line", create.Line, 11},
		{"create method normalized", create.Method, "POST"},
		{"create keeps default header", create.Header.Get("Accept"), "application/json"},
		{"create own header", create.Header.Get("Content-Type"), "application/json"},
		{"create credentials", create.Credentials, true},
		{"create cookie", create.Cookie, "session=s1"},
		{"create body $$", create.Body, `{"a": "$5"}`},
		{"create send_actual", create.SendActual, true},
		{"create error_probe", create.ErrorProbe, true},
		{"create timeout", create.Timeout, time.Second},
		{"create targets", create.Targets, []Target{
			{Origin: "https://app.example.com", Expect: ExpectAllow, Line: 23},
			{Origin: "https://evil.example", Expect: ExpectDeny, Line: 25},
		}},
		{"unnamed check named by method and url", third.Name, "GET https://api.example.com/x"},
		{"check-level expect applies to origins", third.Targets, []Target{{Origin: "https://other.example", Expect: ExpectDeny, Line: 30}}},
	}
	for _, tt := range tests {
		if !equal(tt.got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func equal(a, b any) bool {
	switch av := a.(type) {
	case []Target:
		bv := b.([]Target)
		if len(av) != len(bv) {
			return false
		}
		for i := range av {
			if av[i] != bv[i] {
				return false
			}
		}
		return true
	}
	return a == b
}

func TestParseErrors(t *testing.T) {
	base := "defaults:\n  origin: https://app.example.com\nchecks:\n"
	tests := []struct {
		name string
		yaml string
		line int
		want string
	}{
		{"empty file", "", 0, "the file is empty"},
		{"syntax", "checks: [\n", 1, "did not find expected"},
		{"unknown top key", "checkz: []\n", 1, `unknown key "checkz" at the top level`},
		{"unknown check key", base + "  - url: https://a.example/\n    ur: x\n", 5, `unknown key "ur" in a check`},
		{"unknown defaults key", "defaults:\n  orign: https://a.example\nchecks: []\n", 2, `unknown key "orign" in defaults`},
		{"unknown origin key", base + "  - url: https://a.example/\n    origins:\n      - origin: https://b.example\n        expct: deny\n", 7, `unknown key "expct" in an origin`},
		{"checks not a list", "checks:\n  url: x\n", 2, "want a list of checks here, not a mapping"},
		{"simple POST without send_actual", base + "  - url: https://a.example/\n    method: POST\n", 4, "needs no preflight"},
		{"unknown initiator", base + "  - url: https://a.example/\n    initiator: iframe\n", 5, `check 1 initiator "iframe": want fetch, xhr, font`},
		{"font with credentials", base + "  - url: https://a.example/f.woff2\n    initiator: font\n    credentials: true\n    send_actual: true\n", 4, "a web font is never loaded with credentials"},
		{"image with a method", base + "  - url: https://a.example/a.png\n    initiator: image\n    method: PUT\n", 4, "an image load is a GET (not PUT)"},
		{"stylesheet with a header", base + "  - url: https://a.example/a.css\n    initiator: stylesheet\n    headers: {X-Token: a}\n    send_actual: true\n", 4, "no request headers on a stylesheet load (not X-Token)"},
		// A media element's Range is the browser's, never the page's.
		{"video with a Range header", base + "  - url: https://a.example/a.webm\n    initiator: video\n    headers: {Range: bytes=0-}\n    send_actual: true\n", 4, "no request headers on a video load (not Range)"},
		{"origins not a list", base + "  - url: https://a.example/\n    origins: https://b.example\n", 5, "want a list of origins here, not the text `https:/...`"},
		{"headers not a mapping", base + "  - url: https://a.example/\n    headers: [a]\n", 5, "a mapping of header names"},
		{"duplicate key", base + "  - url: https://a.example/\n    url: https://b.example/\n", 5, "already defined"},
		{"bool type", base + "  - url: https://a.example/\n    credentials: maybe\n", 5, "credentials must be true or false"},
		{"url is a list", base + "  - url: [a]\n", 4, "url must be a single value, not a list"},
		{"duration", base + "  - url: https://a.example/\n    timeout: 10\n", 5, "positive duration"},
		{"negative duration", "defaults:\n  timeout: -1s\n", 2, "positive duration"},
		{"unset variable", base + "  - url: https://a.example/\n    headers:\n      Authorization: Bearer ${API_TOKEN}\n", 6, "environment variable API_TOKEN is not set"},
		{"unclosed variable", base + "  - url: https://a.example/${HOST\n", 4, "unclosed ${"},
		{"bad variable name", base + "  - url: https://a.example/${A-B}\n", 4, `"A-B" is not a variable name`},
		{"bad origin", base + "  - url: https://a.example/\n    origins:\n      - origin: https://b.example/path\n", 6, "origin"},
		{"bad expect", base + "  - url: https://a.example/\n    expect: maybe\n", 5, "must be allow or deny"},
		{"missing url", base + "  - name: x\n", 4, `check "x" has no url`},
		{"resolve not a list", "resolve: a:1:127.0.0.1\n" + base + "  - url: https://a.example/\n", 1, "want a list of values here, not the text `a:1:127...`"},
		{"resolve without address", "resolve:\n  - a.example:443:127.0.0.1\n  - a.example:443\n" + base + "  - url: https://a.example/\n", 3, `resolve "a.example:443": want HOST:PORT:ADDRESS`},
		{"connect_to bad port", "connect_to: [\"a.example:443:b.example:http\"]\n" + base + "  - url: https://a.example/\n", 1, `connect_to "a.example:443:b.example:http": port "http"`},
		{"resolve entry empty", "resolve:\n  -\n" + base + "  - url: https://a.example/\n", 2, "resolve: entry 1 is empty"},
		{"relative url", base + "  - url: /items\n", 4, `url "/items": not an absolute http:// or https:// URL: it has no scheme`},
		{"ftp url", base + "  - url: ftp://a.example/\n", 4, "not an absolute http:// or https:// URL: the scheme is ftp"},
		{"bad host", base + "  - url: https://a b.example/\n", 4, `url "https://a b.example/": the host contains a forbidden domain code point: " "`},
		{"bad method", base + "  - url: https://a.example/\n    method: 'GE T'\n", 5, "not an HTTP method"},
		{"bad header name", base + "  - url: https://a.example/\n    headers:\n      'X Bad': 1\n", 6, "not a valid header name"},
		{"control character in a header value", base + "  - url: https://a.example/\n    headers:\n      X-Api-Key: \"k\\x01ey\"\n", 6,
			"headers X-Api-Key: the value holds a control character (0x01), which corsdiag's HTTP client cannot send (byte 1)"},
		{"line break in a header value", base + "  - url: https://a.example/\n    headers:\n      X-Api-Key: \"k\\ney\"\n", 6,
			"headers X-Api-Key: the value holds a control character (0x0a): a line break or NUL"},
		{"control character in the cookie", base + "  - url: https://a.example/\n    credentials: true\n    cookie: \"s=\\x7f\"\n", 6,
			"cookie: the value holds a control character (0x7f), which corsdiag's HTTP client cannot send (byte 2)"},
		{"headers differing in case", base + "  - url: https://a.example/\n    headers:\n      X-Api-Version: 1\n      x-api-version: 2\n", 7, `"X-Api-Version" and "x-api-version" are the same header`},
		{"defaults headers differing in case", "defaults:\n  origin: https://app.example.com\n  headers:\n    authorization: a\n    Authorization: b\nchecks:\n  - url: https://a.example/\n", 5, "are the same header"},
		{"no origin anywhere", "checks:\n  - url: https://a.example/\n", 2, "no origins and defaults.origin is not set"},
		{"origin entry without origin", base + "  - url: https://a.example/\n    origins:\n      - expect: deny\n", 6, "has no origin"},
		{"same origin", base + "  - url: https://app.example.com/x\n", 4, "not cross-origin"},
		{"no checks", "defaults:\n  origin: https://app.example.com\n", 0, "no checks"},
		{"version", "version: 2\nchecks: []\n", 1, `version "2" is not supported`},
		{"two checks of one name", base + "  - name: items\n    url: https://a.example/a\n  - name: items\n    url: https://a.example/b\n", 6,
			`check "items": the check at line 4 has this name too; reports and code scanning alerts tell checks apart by name, so give each its own name (name: in the check)`},
		{"two unnamed checks of one request", base + "  - url: https://a.example/\n  - url: https://a.example/\n    credentials: true\n", 5,
			`check "GET https://a.example/": the check at line 4 has this name too`},
		{"an origin twice in a check", base + "  - url: https://a.example/\n    origins:\n      - origin: https://b.example\n      - origin: https://b.example\n        expect: deny\n", 7,
			"origin https://b.example is listed twice (lines 6 and 7)"},
		{"an origin twice, spelled apart", base + "  - url: https://a.example/\n    origins:\n      - origin: https://B.example:443\n      - origin: https://b.example\n", 7,
			"origin https://b.example is listed twice (lines 6 and 7)"},
		{"password in the url", base + "  - url: https://alice:pw@a.example/\n", 4, "fetch() refuses a URL with a user name or password"},
		{"user name in the url", base + "  - name: x\n    url: https://alice@a.example/\n", 5, "fetch() refuses a URL with a user name or password"},
		{"second document", base + "  - url: https://a.example/\n---\nchecks: []\n", 5, "second YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.yaml), env(nil))
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v (%T), want *ConfigError", err, err)
			}
			if ce.File != "c.yaml" || ce.Line != tt.line || !strings.Contains(ce.Msg, tt.want) {
				t.Errorf("err = %q (line %d), want line %d containing %q", err, ce.Line, tt.line, tt.want)
			}
			if tt.line > 0 && !strings.HasPrefix(err.Error(), "c.yaml:") {
				t.Errorf("error %q does not start with file:line", err)
			}
		})
	}
}

func TestStarterParses(t *testing.T) {
	cfg, err := Parse("corsdiag.yaml", Starter, env(nil))
	if err != nil {
		t.Fatalf("the starter file does not parse: %v", err)
	}
	if len(cfg.Checks) == 0 || len(Jobs(cfg)) < len(cfg.Checks) {
		t.Fatalf("starter has %d checks", len(cfg.Checks))
	}
	var deny bool
	for _, j := range Jobs(cfg) {
		deny = deny || j.Target.Expect == ExpectDeny
	}
	if !deny {
		t.Error("the starter shows no deny example")
	}
}

func TestExampleConfigsParse(t *testing.T) {
	// The examples of docs/ci-config.md, kept as files so they stay valid.
	for _, name := range []string{"apigateway-rest.yaml", "apigateway-http.yaml", "s3.yaml"} {
		t.Run(name, func(t *testing.T) {
			_, err := LoadFile("testdata/examples/"+name, env(map[string]string{"API_KEY": "k", "API_TOKEN": "t"}))
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile("testdata/does-not-exist.yaml", env(nil))
	if err == nil || !strings.Contains(err.Error(), "corsdiag ci init") {
		t.Fatalf("err = %v, want a hint to run ci init", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(fullConfig))
	f.Add(Starter)
	f.Add([]byte("checks:\n  - url: https://a.example/${X}\n    origins: [{origin: 'null', expect: deny}]\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("checks: !!binary AAAA\n"))
	f.Add([]byte("defaults: {headers: {A: [1]}}\nchecks: [{url: 'http://x', origins: [{}]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("f.yaml", data, env(map[string]string{"X": "y"}))
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for _, c := range cfg.Checks {
			if c.URL == "" || len(c.Targets) == 0 {
				t.Fatalf("accepted a check without url or origins: %+v", c)
			}
			for _, tg := range c.Targets {
				if tg.Expect != ExpectAllow && tg.Expect != ExpectDeny {
					t.Fatalf("accepted expect %q", tg.Expect)
				}
			}
		}
	})
}

// TestDocsExamplesParse keeps every YAML block of docs/ci-config.md valid.
func TestDocsExamplesParse(t *testing.T) {
	doc, err := os.ReadFile("../../docs/ci-config.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(doc), "```yaml\n")[1:]
	if len(blocks) < 4 {
		t.Fatalf("found %d YAML blocks, want the shape and three examples", len(blocks))
	}
	vars := env(map[string]string{"API_KEY": "k", "API_TOKEN": "t", "SESSION": "s"})
	for i, b := range blocks {
		body, _, _ := strings.Cut(b, "```")
		if _, err := Parse(fmt.Sprintf("ci-config.md block %d", i+1), []byte(body), vars); err != nil {
			t.Errorf("%v\n%s", err, body)
		}
	}
	// The examples in the docs are the tested files, word for word.
	for _, name := range []string{"apigateway-rest.yaml", "apigateway-http.yaml", "s3.yaml"} {
		b, err := os.ReadFile("testdata/examples/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc), string(b)) {
			t.Errorf("docs/ci-config.md does not hold testdata/examples/%s as it is", name)
		}
	}
}

// fetch() refuses a URL that includes credentials: a user name or a
// password that is not empty (URL standard). An empty userinfo
// (https://@host/, https://:@host/) includes none, and fetch() takes it:
// the config must too (cors.URLIncludesCredentials is that rule).
func TestEmptyUserinfoIsNoCredentials(t *testing.T) {
	for _, u := range []string{"https://@a.example/items", "https://:@a.example/items"} {
		_, err := Parse("c.yaml", []byte("defaults: {origin: 'https://app.example.com'}\nchecks:\n  - url: '"+u+"'\n"), env(nil))
		if err != nil && strings.Contains(err.Error(), "user name or password") {
			t.Errorf("%s: %v, but fetch() takes this URL", u, err)
		}
	}
}

// A check of a web font (or another load): its initiator, and the
// defaults' headers, which script sets on fetch() calls, left off it; so
// are the defaults' credentials, which a font's load never sends.
func TestParseLoadCheck(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte(`defaults:
  origin: https://app.example.com
  headers: {Accept: application/json}
  credentials: true
checks:
  - url: https://cdn.example.com/fa.woff2
    initiator: font
    send_actual: true
  - url: https://api.example.com/items
`), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	font, api := cfg.Checks[0], cfg.Checks[1]
	if font.Initiator != "font" || len(font.Header) != 0 || font.Credentials ||
		api.Initiator != "fetch" || api.Header.Get("Accept") != "application/json" || !api.Credentials {
		t.Errorf("font %q %v credentials %v; api %q %v credentials %v",
			font.Initiator, font.Header, font.Credentials, api.Initiator, api.Header, api.Credentials)
	}
}
