package harfile

import (
	"sort"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/redact"
)

// CheckCommand is the `corsdiag check` command line that sends req from the
// terminal as the browser sent it: method, URL, origin, the headers script
// set, and --credentials. Secrets are redacted unless noRedact.
func CheckCommand(req *cors.Request, noRedact bool) string {
	u := req.URL
	if !noRedact {
		u = redact.URL(u)
	}
	parts := []string{"corsdiag", "check", shellQuote(u), "--origin", shellQuote(req.Origin)}
	if m := cors.NormalizeMethod(req.Method); m != "" && m != "GET" {
		parts = append(parts, "-X", shellQuote(req.Method))
	}
	names := make([]string, 0, len(req.Header))
	for k := range req.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range req.Header[k] {
			if !noRedact {
				v = redact.Value(k, v)
			}
			parts = append(parts, "-H", shellQuote(k+": "+v))
		}
	}
	if req.Credentials {
		parts = append(parts, "--credentials")
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=,@%+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
