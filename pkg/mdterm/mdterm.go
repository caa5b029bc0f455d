// Package mdterm renders the Markdown of corsdiag's finding pages for a
// terminal: headings, paragraphs and lists wrapped at word boundaries to
// the terminal's width, code blocks indented, links to other finding
// pages said as the command that shows them. goldmark parses (CommonMark,
// no dependencies of its own); the rendering here is the small part a
// terminal needs.
package mdterm

import (
	"bytes"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// Style is how output looks.
type Style struct {
	// Width wraps prose at this many columns (minimum 40; 0 means 80).
	Width int
	// Color uses ANSI bold, dim and colour for headings and code.
	Color bool
}

const (
	bold  = "\x1b[1m"
	dim   = "\x1b[2m"
	cyan  = "\x1b[36m"
	reset = "\x1b[0m"
)

// Render writes src, a Markdown page, for a terminal.
func Render(w io.Writer, src []byte, st Style) error {
	if st.Width <= 0 {
		st.Width = 80
	}
	st.Width = max(st.Width, 40)
	md := goldmark.New(goldmark.WithExtensions(extension.Table))
	doc := md.Parser().Parse(text.NewReader(src))
	r := &renderer{src: src, st: st}
	r.blocks(doc, "", "")
	_, err := w.Write(bytes.TrimRight(r.out.Bytes(), "\n"))
	if err == nil {
		_, err = w.Write([]byte("\n"))
	}
	return err
}

type renderer struct {
	src []byte
	st  Style
	out bytes.Buffer
}

func (r *renderer) style(code, s string) string {
	if !r.st.Color || s == "" {
		return s
	}
	return code + s + reset
}

// blocks renders the block children of n; first prefixes the first line,
// rest every other line (list item indentation).
func (r *renderer) blocks(n ast.Node, first, rest string) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.block(c, first, rest)
		first = rest
	}
}

func (r *renderer) blank() {
	b := r.out.Bytes()
	if len(b) > 0 && !bytes.HasSuffix(b, []byte("\n\n")) {
		r.out.WriteByte('\n')
	}
}

func (r *renderer) block(n ast.Node, first, rest string) {
	switch n := n.(type) {
	case *ast.Heading:
		r.blank()
		t := r.inline(n)
		if n.Level == 1 {
			r.wrap(r.style(bold, t), first, rest)
			r.out.WriteString(rest + r.style(dim, strings.Repeat("=", min(termsafe.Width(t), r.st.Width-len(rest)))) + "\n")
		} else {
			r.wrap(r.style(bold, t), first, rest)
		}
		r.out.WriteByte('\n')
	case *ast.Paragraph, *ast.TextBlock:
		r.wrap(r.inline(n), first, rest)
		if _, ok := n.(*ast.Paragraph); ok {
			r.out.WriteByte('\n')
		}
	case *ast.List:
		i := n.Start
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			mark := "• "
			if n.IsOrdered() {
				mark = strconv.Itoa(i) + ". "
				i++
			}
			pad := strings.Repeat(" ", utf8.RuneCountInString(mark))
			r.blocks(c, first+mark, rest+pad)
			first = rest
		}
		r.blank()
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		r.code(n, rest+"    ")
		r.out.WriteByte('\n')
	case *ast.Blockquote:
		r.blocks(n, first+"│ ", rest+"│ ")
	case *ast.ThematicBreak:
		r.out.WriteString(rest + r.style(dim, strings.Repeat("─", r.st.Width-len(rest))) + "\n\n")
	case *east.Table:
		r.table(n, rest)
		r.out.WriteByte('\n')
	case *ast.HTMLBlock:
		// Comments and markup have nothing to say on a terminal.
	default:
		r.blocks(n, first, rest)
	}
}

// code writes a code block's lines indented, breaking a line longer than
// the width (a marked continuation) rather than letting the terminal wrap
// it into the margin.
func (r *renderer) code(n ast.Node, indent string) {
	lines := n.Lines()
	room := r.st.Width - len(indent)
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := strings.TrimRight(string(seg.Value(r.src)), "\n")
		for {
			if utf8.RuneCountInString(line) <= room {
				r.out.WriteString(indent + r.style(cyan, line) + "\n")
				break
			}
			cut := byteIndexOfRune(line, room-1)
			r.out.WriteString(indent + r.style(cyan, line[:cut]) + r.style(dim, "↩") + "\n")
			line = line[cut:]
		}
	}
}

// table writes each row as "header: value" lines: a terminal table of
// prose cells cannot fit 80 columns.
func (r *renderer) table(t *east.Table, indent string) {
	var head []string
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, r.inline(c))
		}
		if _, ok := row.(*east.TableHeader); ok {
			head = cells
			continue
		}
		for i, c := range cells {
			label := ""
			if i < len(head) {
				label = head[i] + ": "
			}
			first, rest := indent+"  ", indent+"    "
			if i == 0 {
				first = indent + "• "
			}
			r.wrap(r.style(bold, label)+c, first, rest)
		}
	}
}

// inline is the text of n's inline children, styled.
func (r *renderer) inline(n ast.Node) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(r.src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			code := r.inline(c)
			if r.st.Color {
				b.WriteString(r.style(cyan, code))
			} else {
				b.WriteString("`" + code + "`")
			}
		case *ast.Emphasis:
			b.WriteString(r.style(bold, r.inline(c)))
		case *ast.Link:
			b.WriteString(r.link(r.inline(c), string(c.Destination)))
		case *ast.AutoLink:
			b.Write(c.URL(r.src))
		case *ast.RawHTML:
		default:
			b.WriteString(r.inline(c))
		}
	}
	return b.String()
}

// link says where a link goes in a way a terminal user can follow: a
// finding page as its explain command, a web page as its address.
func (r *renderer) link(label, dest string) string {
	switch {
	case strings.HasSuffix(dest, ".md") && !strings.Contains(dest, "://"):
		code := strings.TrimSuffix(path.Base(dest), ".md")
		if label == code || label == "`"+code+"`" {
			return label + " (corsdiag explain " + code + ")"
		}
		return label + " (corsdiag explain " + code + ")"
	case strings.HasPrefix(dest, "http://"), strings.HasPrefix(dest, "https://"):
		if label == dest {
			return dest
		}
		return label + " <" + dest + ">"
	}
	return label
}

// wrap writes s wrapped at word boundaries to the width, the first line
// after first, the others after rest. A word longer than a line (a URL)
// stands alone on its line.
func (r *renderer) wrap(s, first, rest string) {
	words := strings.Fields(s)
	line, prefix := "", first
	lineWidth := 0
	flush := func() {
		r.out.WriteString(prefix + line + "\n")
		line, lineWidth, prefix = "", 0, rest
	}
	for _, w := range words {
		ww := termsafe.Width(w)
		room := r.st.Width - utf8.RuneCountInString(prefix)
		if lineWidth > 0 && lineWidth+1+ww > room {
			flush()
		}
		if lineWidth > 0 {
			line += " "
			lineWidth++
		}
		line += w
		lineWidth += ww
	}
	if lineWidth > 0 || prefix == first {
		flush()
	}
}

func byteIndexOfRune(s string, n int) int {
	i := 0
	for range n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
