package harfile

import (
	"slices"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/redact"
)

// CheckCommand is the `corsdiag check` command line that sends req from the
// terminal as the browser sent it: method, URL, origin, the headers script
// set, --credentials and the --initiator that made it, as far as check
// accepts them for that load (cors.Initiator.Fit). Secrets are redacted
// unless noRedact. It is written into one builder: `har -o json` makes one
// per blocked request.
func CheckCommand(req *cors.Request, noRedact bool) string {
	u := req.URL
	if !noRedact {
		u = redact.URL(u)
	}
	var b strings.Builder
	b.Grow(64 + len(u) + len(req.Origin) + 48*len(req.Header))
	b.WriteString("corsdiag check ")
	writeShellQuoted(&b, u)
	b.WriteString(" --origin ")
	writeShellQuoted(&b, req.Origin)
	if m := cors.NormalizeMethod(req.Method); m != "" && m != "GET" {
		b.WriteString(" -X ")
		writeShellQuoted(&b, req.Method)
	}
	var room [16]string
	names := room[:0]
	for k := range req.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	// Only what check accepts of this load: a font or image carries no
	// header of the page's (the recorded ones are the browser's), a font
	// no credentials.
	in, withHeaders, withCredentials := cors.InitiatorOf(req).Fit(cors.NormalizeMethod(req.Method), names, req.Credentials)
	if !withHeaders {
		names = names[:0]
	}
	for _, k := range names {
		for _, v := range req.Header[k] {
			if !noRedact {
				v = redact.Value(k, v)
			}
			// "k: v" holds a space: always quoted.
			b.WriteString(" -H '")
			writeQuotedBody(&b, k)
			b.WriteString(": ")
			writeQuotedBody(&b, v)
			b.WriteByte('\'')
		}
	}
	if req.Credentials && withCredentials {
		b.WriteString(" --credentials")
	}
	if in.Name != "fetch" {
		b.WriteString(" --initiator " + in.Flag)
	}
	return b.String()
}

// writeShellQuoted writes s quoted for a POSIX shell when it needs
// quoting: when it is empty or holds a byte shellSafe does not mark (any
// byte of a non-ASCII character among them).
func writeShellQuoted(b *strings.Builder, s string) {
	if !shellWord(s) {
		b.WriteByte('\'')
		writeQuotedBody(b, s)
		b.WriteByte('\'')
		return
	}
	b.WriteString(s)
}

// writeQuotedBody writes s for inside single quotes: each ' as '\”.
func writeQuotedBody(b *strings.Builder, s string) {
	for {
		i := strings.IndexByte(s, '\'')
		if i < 0 {
			b.WriteString(s)
			return
		}
		b.WriteString(s[:i])
		b.WriteString(`'\''`)
		s = s[i+1:]
	}
}

// shellWord reports whether s needs no quoting.
func shellWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if !shellSafe[s[i]] {
			return false
		}
	}
	return s != ""
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
