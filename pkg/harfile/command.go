package harfile

import (
	"slices"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/shellword"
	"github.com/corsdiag/corsdiag/pkg/redact"
)

// CheckCommand is the `corsdiag check` command line that sends req from the
// terminal as the browser sent it: method, URL, origin, the headers script
// set, --credentials and the --initiator that made it, as far as check
// accepts them for that load (cors.Initiator.Fit), and the --browser that
// judged it when it is not check's own Chromium (nil is Chromium). Secrets
// are redacted unless noRedact. It is written into one builder: `har -o
// json` makes one per blocked request.
func CheckCommand(req *cors.Request, p *cors.Profile, noRedact bool) string {
	u := req.URL
	if !noRedact {
		u = redact.URL(u)
	}
	var b strings.Builder
	b.Grow(64 + len(u) + len(req.Origin) + 48*len(req.Header))
	b.WriteString("corsdiag check ")
	shellword.Write(&b, u)
	b.WriteString(" --origin ")
	shellword.Write(&b, req.Origin)
	if m := cors.NormalizeMethod(req.Method); m != "" && m != "GET" {
		b.WriteString(" -X ")
		shellword.Write(&b, req.Method)
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
			shellword.WriteInQuotes(&b, k)
			b.WriteString(": ")
			shellword.WriteInQuotes(&b, v)
			b.WriteByte('\'')
		}
	}
	if req.Credentials && withCredentials {
		b.WriteString(" --credentials")
	}
	if in.Name != "fetch" {
		b.WriteString(" --initiator " + in.Flag)
	}
	if p != nil && p.Name != cors.Chromium.Name {
		b.WriteString(" --browser " + p.Name)
	}
	return b.String()
}
