package suite

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/probe"
	"github.com/corsdiag/corsdiag/pkg/redact"
)

// FuzzReportsHideSecrets: a generated secret in a check's URL, under any
// common token name, among whatever parameters the fuzzer adds (bad
// escapes, ';' separators), appears in none of the six report formats.
func FuzzReportsHideSecrets(f *testing.F) {
	f.Add(uint8(0), "x=%zz", true, uint32(1))
	f.Add(uint8(5), "a=1;b", false, uint32(2))
	f.Fuzz(func(t *testing.T, which uint8, junk string, semicolon bool, seed uint32) {
		for _, c := range junk {
			if !strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789%;&=._~-", c) {
				return
			}
		}
		sep := "&"
		if semicolon {
			sep = ";"
		}
		secret := fmt.Sprintf("Gen3rated%08xSecret", seed)
		if strings.Contains(junk, secret) {
			return
		}
		name := redact.CommonSecretParams[int(which)%len(redact.CommonSecretParams)]
		u := "https://api.example.com/items?" + junk + sep + name + "=" + secret + sep + junk
		cfg, err := Parse("c.yaml", []byte("defaults: {origin: \"https://app.example.com\"}\nchecks:\n  - name: leaky\n    url: '"+u+"'\n    origins:\n      - origin: https://app.example.com\n      - origin: https://evil.example\n        expect: deny\n"), env(nil))
		if err != nil {
			return // not a URL a page could fetch
		}
		fake := func(_ context.Context, o probe.Options) (*probe.Result, error) {
			if strings.Contains(o.Request.Origin, "evil") {
				return answer(o, o.Request.Origin), nil // unexpectedly allowed: a failure quoting the URL
			}
			return answer(o, ""), nil // blocked: a failure with the console line
		}
		rep := &Report{Tool: "corsdiag", Version: "test", Config: cfg, Results: Run(context.Background(), cfg, Options{Probe: fake, Retries: 0, Backoff: time.Millisecond}), BaseDir: "/"}
		for _, fm := range formats {
			var b bytes.Buffer
			if err := fm.write(rep, &b); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(b.String(), secret) {
				t.Fatalf("%s report shows the secret of %q:\n%s", fm.name, u, b.String())
			}
		}
	})
}

// TestReportsHideServerSecrets: a failure's cause and fix quote what the
// server answered (a redirect's Location, an Access-Control-Allow-Origin
// value) and a check's name is the user's words; each may carry a token.
// Only the check's own URL was redacted, so every format but the HTML page
// showed them. Every format hides them now, as check and har do, and
// --no-redact shows them.
func TestReportsHideServerSecrets(t *testing.T) {
	hop := func(o probe.Options, status int, h http.Header) *probe.Result {
		r := answer(o, "")
		r.Exchange.Actual[0].Response = &cors.Message{Status: status, Header: h}
		return r
	}
	tests := []struct {
		name, check string
		secrets     []string
		answer      func(probe.Options) *probe.Result
	}{
		{"redirect Location", "url: https://api.example.com/r", []string{"LocCode41"}, func(o probe.Options) *probe.Result {
			return hop(o, 302, http.Header{"Location": {"https://login.example.com/cb?code=LocCode41&x=1"}})
		}},
		{"redirect Location with a line break", "url: https://api.example.com/r", []string{"LocSig42"}, func(o probe.Options) *probe.Result {
			return hop(o, 302, http.Header{"Location": {"https://login.example.com/cb?x=1\nsig=LocSig42"}})
		}},
		{"Access-Control-Allow-Origin", "url: https://api.example.com/a", []string{"AcaoTok43", "AcaoSig44"}, func(o probe.Options) *probe.Result {
			return answer(o, "https://evil.example/?token=AcaoTok43&sig=AcaoSig44")
		}},
		{"a check's name", "name: \"login Bearer NameBearer45abc token=NameTok46\"\n    url: https://api.example.com/n",
			[]string{"NameBearer45abc", "NameTok46"}, func(o probe.Options) *probe.Result { return answer(o, "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t, "defaults: {origin: \"https://app.example.com\"}\nchecks:\n  - "+tt.check+"\n")
			fake := func(_ context.Context, o probe.Options) (*probe.Result, error) { return tt.answer(o), nil }
			results := Run(context.Background(), cfg, Options{Probe: fake, Retries: 0, Backoff: time.Millisecond})
			if results[0].Outcome != Failed {
				t.Fatalf("outcome %v, want a failure to report", results[0].Outcome)
			}
			for _, noRedact := range []bool{false, true} {
				rep := &Report{Tool: "corsdiag", Version: "test", Config: cfg, Results: results, BaseDir: "/", NoRedact: noRedact}
				var all strings.Builder
				for _, fm := range formats {
					var b bytes.Buffer
					if err := fm.write(rep, &b); err != nil {
						t.Fatal(err)
					}
					all.WriteString(b.String())
					for _, s := range tt.secrets {
						if !noRedact && strings.Contains(b.String(), s) {
							i := strings.Index(b.String(), s)
							t.Errorf("%s report shows %s: …%s…", fm.name, s, b.String()[max(0, i-100):i+len(s)])
						}
					}
				}
				if noRedact && !strings.Contains(all.String(), tt.secrets[0]) {
					t.Errorf("--no-redact: no report shows %s", tt.secrets[0])
				}
			}
		})
	}
}
