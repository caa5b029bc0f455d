// Package curlcmd turns the text of a browser's "Copy as cURL" into a
// request: URL, method, headers, body and credentials, as curl would send
// them.
//
// It reads both forms DevTools produce:
//   - the bash form (Chrome "Copy as cURL (bash)", Firefox "Copy as cURL
//     (POSIX)", Safari "Copy as cURL"): single quotes, $'...' ANSI-C
//     quoting, line continuations. It is split into words by mvdan.cc/sh's
//     bash parser; nothing is executed and no variable is expanded. One
//     departure from bash: $'...' escapes mean what Firefox and Safari
//     meant by them (see dollarQuoted).
//   - the Windows cmd form (Chrome "Copy as cURL (cmd)", Firefox "Copy as
//     cURL (Windows)"): ^ escapes, ^"..^" quoting, ^ line continuations,
//     then the MS C runtime's argument rules; see splitCmd.
//
// curl's own option rules are followed where they change the request: data
// options imply POST (unless -G or -X), several -d join with '&', -G moves
// the data to the query string, -I sends HEAD, -X only renames the method.
// Options that change nothing corsdiag checks (-s, -v, -L, -o, --http2…)
// are ignored; unknown options are ignored with a warning when it is clear
// they take no value, and rejected otherwise.
package curlcmd

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/pkg/redact"
)

// Dialect is the shell a command was written for.
type Dialect string

const (
	Bash Dialect = "bash"
	Cmd  Dialect = "cmd"
	// Fetch is DevTools' "Copy as fetch" / "Copy as fetch (Node.js)".
	Fetch Dialect = "fetch"
	// PowerShell is DevTools' "Copy as PowerShell".
	PowerShell Dialect = "powershell"
)

// DataContentType is the Content-Type curl sends with -d, --data-raw and
// --data-binary when no -H names one.
const DataContentType = "application/x-www-form-urlencoded"

// Command is one parsed curl command line.
type Command struct {
	// URL is the request URL; "http://" is added when it has no scheme, as
	// curl does.
	URL string
	// Method is what curl sends: -X's value, else HEAD for -I, GET for -G,
	// POST when there is data, PUT for -T, else GET.
	Method string
	// Header holds the -H headers (and -A, -e, -r, --oauth2-bearer, --json)
	// as written; a Cookie header is moved to Cookie.
	Header http.Header
	// Body is the request body built from -d/--data*, --json or -F.
	Body []byte
	// BodyFile is set when the body would be read from a file (-d @file,
	// --data-binary @file, -T file): curlcmd never reads files.
	BodyFile string
	// Cookie is the cookie string of -b and of Cookie headers, "; "-joined.
	Cookie string
	// User is -u's "user:password".
	User       string
	Insecure   bool // -k, --insecure
	Compressed bool // --compressed
	// Credentials is fetch's credentials: "include" (the copy says the
	// request carried cookies even when they are not in it).
	Credentials bool
	// Redirect is a fetch call's redirect option: "" (follow, what
	// DevTools copies), cors.RedirectFollow, RedirectManual or
	// RedirectError.
	Redirect string
	// Resolve and ConnectTo are --resolve and --connect-to values as
	// written (probe.ParseRoutes reads them).
	Resolve   []string
	ConnectTo []string
	// Dialect says which form the text was read as.
	Dialect Dialect
	// Warnings list options that were ignored and why.
	Warnings []string
}

// maxWordShown is how many bytes of Error.Word its message quotes.
const maxWordShown = 80

// Error says where a curl command could not be read.
type Error struct {
	// Offset is the byte offset in the text where the problem starts.
	Offset int
	// Word is the word at fault, when there is one (whole: the message
	// quotes its first maxWordShown bytes).
	Word   string
	Reason string
	// Form is the text's form; "" is a curl command.
	Form Dialect
}

func (e *Error) Error() string {
	what := "curl command"
	switch e.Form {
	case Fetch:
		what = "fetch call"
	case PowerShell:
		what = "PowerShell command"
	}
	if e.Word != "" {
		return fmt.Sprintf("%s, byte %d (word %q): %s", what, e.Offset, head(redactWord(e.Word), maxWordShown), e.Reason)
	}
	return fmt.Sprintf("%s, byte %d: %s", what, e.Offset, e.Reason)
}

// redactWord hides the secrets of a word an error quotes, as written (once
// %q escapes a JSON body's quotes its "password" no longer reads as a
// key): a word that is a header line, its quotes aside, by the header's
// name (an Authorization's short token has no shape Text knows), any
// other word as text.
func redactWord(w string) string {
	line := strings.TrimLeft(w, `$'"^`)
	if name, v, ok := strings.Cut(line, ":"); ok && name != "" && !strings.HasPrefix(v, "//") &&
		!strings.ContainsAny(name, " \t\"'^/\\") {
		return redact.HeaderLine(line)
	}
	return redact.Text(w)
}

// word is one argument after shell unquoting, with the byte offset of its
// first character in the original text.
type word struct {
	val string
	off int
}

// Parse reads one curl command. Text holding several commands ("Copy all as
// cURL") is an error naming the second one; use ParseAll for those.
func Parse(text string) (*Command, error) {
	cmds, err := ParseAll(text)
	if err != nil {
		return nil, err
	}
	switch len(cmds) {
	case 0:
		return nil, &Error{Offset: 0, Reason: "there is no curl command in the text"}
	case 1:
		return cmds[0].Command, nil
	}
	return nil, &Error{Offset: cmds[1].Offset, Reason: fmt.Sprintf("the text holds %d curl commands; pass one", len(cmds))}
}

// Parsed is one command of ParseAll with where it starts in the text.
type Parsed struct {
	*Command
	Offset int
}

// ParseAll reads every curl command in text ("Copy all as cURL" output:
// commands separated by ';' or newlines in bash, '&' in cmd).
func ParseAll(text string) ([]Parsed, error) {
	if err := checkBytes(text, ""); err != nil {
		return nil, err
	}
	dialect := detect(text)
	var (
		lines [][]word
		notes []cmdNote
		err   error
	)
	if dialect == Cmd {
		lines, notes, err = splitCmd(text)
	} else {
		lines, err = splitBash(text)
	}
	if err != nil {
		return nil, err
	}
	var out []Parsed
	for i, ws := range lines {
		if len(ws) == 0 {
			continue
		}
		c, err := fromWords(ws)
		if err != nil {
			return nil, err
		}
		if i < len(notes) {
			c.Warnings = append(c.Warnings, notes[i].warnings(c)...)
		}
		c.Dialect = dialect
		out = append(out, Parsed{Command: c, Offset: ws[0].off})
	}
	return out, nil
}

// checkBytes refuses what no DevTools copy holds: a NUL byte (but Firefox's
// cmd copy of a body holding one, which no shell passes on either), or
// bytes that are not UTF-8 (DevTools copies UTF-8). Either means the text was
// damaged or saved in another encoding on its way, and reading on would
// check another request than the one copied (a shell drops a NUL; a
// decoder turns a stray byte into U+FFFD).
func checkBytes(text string, form Dialect) error {
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if c == 0 {
				return &Error{Offset: i, Form: form, Reason: "a NUL byte, which no shell passes on: the text was damaged on its way, " +
					"or it is Firefox's Copy as cURL (Windows) of a body holding one; copy the request as cURL (POSIX) or fetch, which escape it"}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && n == 1 {
			return &Error{Offset: i, Form: form, Reason: fmt.Sprintf("byte 0x%02x is not UTF-8, which DevTools copies: was the text saved in another encoding? Save it as UTF-8", c)}
		}
		i += n
	}
	return nil
}

// StartsWithCurl reports whether text is a curl command as DevTools copy
// it: its first word is curl, or curl.exe (Firefox's "Copy as cURL
// (Windows)"), in any letter case. A path to curl is not taken, so that a
// URL ending in /curl is never read as a command.
func StartsWithCurl(text string) bool {
	t := strings.TrimLeft(text, " \t\r\n")
	end := strings.IndexAny(t, " \t\r\n")
	if end < 0 {
		end = len(t)
	}
	// A line continuation may follow it at once: curl\ (bash), curl^ (cmd).
	first := strings.ToLower(strings.TrimRight(t[:end], "\\^"))
	return first == "curl" || first == "curl.exe"
}

// detect picks the cmd form when the text has its marks: ^" quoting, a ^
// line continuation, curl.exe, or (with no single quote anywhere, which the
// bash forms always use) Firefox's "" escape inside a double-quoted word.
// A text whose URL is single-quoted is bash whatever follows: every bash
// copy starts so (curl 'URL', curl --url 'URL', curl $'URL'), and its
// body or a header may hold ^" (a JSON regex "^").
func detect(text string) Dialect {
	t := strings.TrimLeft(text, " \t\r\n")
	if singleQuotedURL(t) {
		return Bash
	}
	if strings.Contains(t, `^"`) || strings.Contains(t, "^\n") || strings.Contains(t, "^\r\n") ||
		strings.HasPrefix(strings.ToLower(t), "curl.exe") {
		return Cmd
	}
	if !strings.Contains(t, "'") && innerDoubleQuote.MatchString(t) {
		return Cmd
	}
	return Bash
}

// singleQuotedURL reports whether t starts as DevTools' bash copies do:
// curl, then --url or not, then a word in single quotes or $'…'. The
// first word may be 'curl' too: words a shell split are quoted back so.
func singleQuotedURL(t string) bool {
	rest, ok := strings.CutPrefix(t, "curl")
	if !ok {
		if rest, ok = strings.CutPrefix(t, "'curl'"); !ok {
			return false
		}
	}
	skip := func(s string) (string, bool) {
		u := strings.TrimLeft(s, " \t")
		return u, len(u) < len(s)
	}
	rest, ok = skip(rest)
	if !ok {
		return false
	}
	if r, found := strings.CutPrefix(rest, "--url"); found {
		if rest, ok = skip(r); !ok {
			return false
		}
	}
	return strings.HasPrefix(rest, "'") || strings.HasPrefix(rest, "$'")
}

var innerDoubleQuote = regexp.MustCompile(`[^\s\\]""[^\s]`)
