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

// shellQuote quotes s for a POSIX shell when it needs quoting: when it
// is empty or holds a byte shellSafe does not mark (any byte of a
// non-ASCII character among them).
func shellQuote(s string) string {
	safe := s != ""
	for i := 0; i < len(s) && safe; i++ {
		safe = shellSafe[s[i]]
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shellSafe marks the bytes a shell word may hold unquoted. A table, not
// a function per rune: `har -o json` quotes every blocked request's URL
// and headers.
var shellSafe = func() (t [256]bool) {
	for c := 0; c < 128; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_./:=,@%+", byte(c)) >= 0
	}
	return t
}()
