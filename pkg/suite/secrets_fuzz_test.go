package suite

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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
