package curlcmd

import (
	"slices"
	"strconv"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/redact"
)

// splitCmd splits Windows cmd text into the words of each command, undoing
// the two layers DevTools escape for:
//
//  1. cmd.exe: ^x is a literal x (so ^" is a quote cmd does not count); a
//     ^ before a line break joins the lines and takes the next character
//     literally (DevTools writes a newline inside a value as ^ LF LF); an
//     unescaped " toggles cmd's quoting, inside which ^ is literal; an
//     unescaped line break, & or | outside quotes ends a command.
//  2. The MS C runtime's argument splitting (what curl.exe sees): blanks
//     separate words outside quotes, " toggles quoting, "" inside quotes
//     is a literal quote (Firefox's escaping), 2n backslashes before a
//     quote are n backslashes and 2n+1 are n and a literal quote.
//
// One deliberate departure from the C runtime: a run of backslashes that is
// not followed by a quote is halved (rounded up). Chrome and Firefox double
// every backslash (Chrome: `\` -> `\\`, then `"` -> `\"`), which the runtime
// would pass on doubled; halving restores what the browser sent, and leaves
// a lone backslash (C:\temp) alone.
//
// notes[i] is what out[i]'s cmd text says beyond its words (see cmdNote).
func splitCmd(text string) (out [][]word, notes []cmdNote, err error) {
	var (
		line  []byte // the command line cmd.exe hands to curl.exe
		offs  []int  // offs[i] is the text offset line[i] came from
		quote bool   // inside a cmd.exe quoted region
		start int    // where the command's text starts
		caret []int  // where in line a ^ put a space: see cmdNote.lossy
	)
	emit := func(b byte, off int) {
		line = append(line, b)
		offs = append(offs, off)
	}
	flush := func(end int) {
		if len(line) > 0 {
			words, lossy := crtSplit(line, offs, caret)
			out = append(out, words)
			names, more := cmdVariables(text[start:end])
			notes = append(notes, cmdNote{names: names, more: more, lossy: lossy})
		}
		line, offs, quote, caret = nil, nil, false, nil
		start = end
	}
	newlineAt := func(i int) int { // length of a line break at i, or 0
		switch {
		case i < len(text) && text[i] == '\n':
			return 1
		case i+1 < len(text) && text[i] == '\r' && text[i+1] == '\n':
			return 2
		}
		return 0
	}
	for i := 0; i < len(text); {
		c := text[i]
		if n := newlineAt(i); n > 0 {
			flush(i)
			i += n
			continue
		}
		if quote {
			if c == '"' {
				quote = false
			}
			emit(c, i)
			i++
			continue
		}
		switch c {
		case '^':
			i++
			if n := newlineAt(i); n > 0 {
				i += n
				// The first character of the next line is taken literally;
				// an empty line gives a literal newline.
				if m := newlineAt(i); m > 0 {
					emit('\n', i)
					i += m
				} else if i < len(text) {
					emit(text[i], i)
					i++
				}
				continue
			}
			if i < len(text) {
				if text[i] == ' ' {
					caret = append(caret, len(line))
				}
				emit(text[i], i)
				i++
			}
		case '"':
			quote = true
			emit(c, i)
			i++
		case '&', '|':
			flush(i)
			for i < len(text) && (text[i] == '&' || text[i] == '|') {
				i++
			}
		default:
			emit(c, i)
			i++
		}
	}
	flush(len(text))
	return out, notes, nil
}

// cmdNote is what one command's cmd text says beyond its words:
//
//   - names: cmd.exe replaces %NAME% with the environment variable NAME's
//     value before anything else, inside quotes too, a caret before either
//     % notwithstanding (DevTools writes %^NAME so that no variable
//     matches). corsdiag cannot know the user's variables: it keeps %NAME%
//     as written and says so once.
//   - lossy: a caret before a space inside quotes is what Chrome's "Copy as
//     cURL (cmd)" writes for each character outside printable ASCII
//     (DevTools escapeStringWin replaces it with a space after escaping
//     it), so the value there is not the one the browser sent. Outside
//     quotes it is cmd's escape of a space that separates words.
type cmdNote struct {
	names []string // the first maxLooked "%NAME%", in order, once each
	more  int      // how many other names
	lossy bool
}

// A warning lists maxNamed names (those in secrets as one), from the first
// maxLooked: a paste may hold a million, and each is looked for in c.
const maxNamed, maxLooked = 5, 32

// warnings are n's warnings about c, the command it was read into. A name
// that stands in a secret is shown as redacted: it may be part of the
// value (a token with % in it).
func (n cmdNote) warnings(c *Command) []string {
	var out, shown []string
	secret, more := c.secretIn(), n.more
	for _, name := range n.names {
		if secret(name) {
			name = "%" + redact.Marker + "%"
		}
		switch {
		case slices.Contains(shown, name):
		case len(shown) < maxNamed:
			shown = append(shown, name)
		default:
			more++
		}
	}
	if len(shown) > 0 {
		list := strings.Join(shown, ", ")
		if more > 0 {
			list += " and " + strconv.Itoa(more) + " more"
		}
		out = append(out, "cmd.exe would replace "+list+
			" with the value of that environment variable, if set; corsdiag kept the text as written")
	}
	if n.lossy {
		out = append(out, "Chrome's Copy as cURL (cmd) wrote a space (^ ) for a character outside printable ASCII "+
			"(an accented letter, an emoji, a control character), so corsdiag read a space there; "+
			"Copy as cURL (bash) keeps every character")
	}
	return out
}

// secretIn reports whether s stands in a value redact hides: a cookie,
// -u, a secret header, URL parameter or body field. Each value is
// redacted once, on the first question.
func (c *Command) secretIn() func(s string) bool {
	var values, redacted []string
	return func(s string) bool {
		if values == nil {
			values = []string{c.URL, string(c.Body)}
			redacted = []string{redact.URL(c.URL), redact.Body(string(c.Body))}
			for name, vs := range c.Header {
				for _, v := range vs {
					values, redacted = append(values, v), append(redacted, redact.Value(name, v))
				}
			}
		}
		if strings.Contains(c.Cookie, s) || strings.Contains(c.User, s) {
			return true
		}
		for i, v := range values {
			if strings.Contains(v, s) && !strings.Contains(redacted[i], s) {
				return true
			}
		}
		return false
	}
}

// cmdVariables are the %NAME% in text that cmd.exe would look up (the
// first maxLooked, and how many others): a name starts with a letter or _
// and holds no caret. One that starts with two hex digits and whose
// closing % starts another escape (%DE%AD, %C3%A9t%C3) is taken for
// percent-encoding; %DEBUG% and %CD% are not.
func cmdVariables(text string) (names []string, more int) {
	seen := map[string]bool{}
	for i := strings.IndexByte(text, '%'); i >= 0; {
		end := strings.IndexByte(text[i+1:], '%')
		if end < 0 {
			break
		}
		name := text[i+1 : i+1+end]
		next := i + 1 + end // the closing %, or the next opening one
		if isCmdVariable(name) && !(isHexPair(name) && isHexPair(text[next+1:])) {
			switch {
			case seen[name]:
			case len(names) < maxLooked:
				names = append(names, "%"+name+"%")
			default:
				more++
			}
			seen[name] = true
			next++
		}
		j := strings.IndexByte(text[next:], '%')
		if j < 0 {
			break
		}
		i = next + j
	}
	return names, more
}

func isCmdVariable(name string) bool {
	if name == "" || !(name[0] == '_' || isLetter(name[0])) {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c == '(' || c == ')' || c == '-' || c == '.' || isLetter(c) || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// isHexPair reports whether s starts with two hex digits.
func isHexPair(s string) bool { return len(s) >= 2 && isHex(s[0]) && isHex(s[1]) }

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// crtSplit applies the MS C runtime's argument rules (see splitCmd) to one
// command line; offs maps each byte back to the original text. caret are
// the (ascending) indexes of line a ^ escaped a space at; lossy says one of
// them was inside quotes (cmdNote).
func crtSplit(line []byte, offs []int, caret []int) (words []word, lossy bool) {
	i := 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			return words, lossy
		}
		start := offs[i]
		var b strings.Builder
		inQuote := false
		for i < len(line) {
			c := line[i]
			if c == '\\' {
				n := 0
				for i < len(line) && line[i] == '\\' {
					n++
					i++
				}
				if i < len(line) && line[i] == '"' {
					b.WriteString(strings.Repeat(`\`, n/2))
					if n%2 == 1 {
						b.WriteByte('"')
						i++
					}
					continue // an even run leaves the quote to the code below
				}
				b.WriteString(strings.Repeat(`\`, (n+1)/2))
				continue
			}
			if c == '"' {
				if inQuote && i+1 < len(line) && line[i+1] == '"' {
					b.WriteByte('"')
					i += 2
					continue
				}
				inQuote = !inQuote
				i++
				continue
			}
			if !inQuote && (c == ' ' || c == '\t') {
				break
			}
			for len(caret) > 0 && caret[0] < i {
				caret = caret[1:]
			}
			if len(caret) > 0 && caret[0] == i {
				lossy = true // inside quotes: see the break above
			}
			b.WriteByte(c)
			i++
		}
		words = append(words, word{val: b.String(), off: start})
	}
}
