package curlcmd

import "strings"

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
func splitCmd(text string) ([][]word, error) {
	var (
		out   [][]word
		line  []byte // the command line cmd.exe hands to curl.exe
		offs  []int  // offs[i] is the text offset line[i] came from
		quote bool   // inside a cmd.exe quoted region
	)
	emit := func(b byte, off int) {
		line = append(line, b)
		offs = append(offs, off)
	}
	flush := func() {
		if len(line) > 0 {
			out = append(out, crtSplit(line, offs))
		}
		line, offs, quote = nil, nil, false
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
			flush()
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
				emit(text[i], i)
				i++
			}
		case '"':
			quote = true
			emit(c, i)
			i++
		case '&', '|':
			flush()
			for i < len(text) && (text[i] == '&' || text[i] == '|') {
				i++
			}
		default:
			emit(c, i)
			i++
		}
	}
	flush()
	return out, nil
}

// crtSplit applies the MS C runtime's argument rules (see splitCmd) to one
// command line; offs maps each byte back to the original text.
func crtSplit(line []byte, offs []int) []word {
	var words []word
	i := 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			return words
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
			b.WriteByte(c)
			i++
		}
		words = append(words, word{val: b.String(), off: start})
	}
}
