package report

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// requestHeaders are the request headers worth a row: what decides a
// preflight and what the CORS check compares against.
var requestHeaders = []string{"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers", "Content-Type", "Authorization", "Cookie"}

// responseHeaders are shown first, in this order; every other
// Access-Control-* header follows, then platformHeaders.
var responseHeaders = []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Expose-Headers", "Access-Control-Max-Age", "Vary", "Location"}

// platformHeaders identify who answered, spelled as the platforms send them.
var platformHeaders = []string{
	"Server", "Via", "X-Powered-By", "x-amzn-ErrorType", "x-amz-apigw-id", "apigw-requestid",
	"x-amz-request-id", "X-Cache", "X-Amz-Cf-Pop", "CF-Ray", "x-vercel-id", "x-nf-request-id", "x-ms-request-id",
}

// bodyExcerpt is how much of an error response's body the table shows:
// enough for `{"message":"Missing Authentication Token"}`.
const bodyExcerpt = 100

// exchangeRow is one hop as the table and the JSON show it.
type exchangeRow struct {
	Kind    string // preflight, actual, redirect, error-path
	Step    string // the finding step it matches ("redirect 2")
	Purpose string // error-path only
	Hop     *cors.Hop
}

// exchangeRows lists every hop in the order the browser makes them, then the
// error-path probe.
func exchangeRows(res *CheckResult) []exchangeRow {
	var rows []exchangeRow
	ex := res.Exchange
	if ex.Preflight != nil {
		rows = append(rows, exchangeRow{Kind: "preflight", Step: "preflight", Hop: ex.Preflight})
	}
	for i := range ex.Actual {
		row := exchangeRow{Kind: "actual", Step: "actual", Hop: &ex.Actual[i]}
		if i > 0 {
			row.Kind, row.Step = "redirect", fmt.Sprintf("redirect %d", i)
		}
		rows = append(rows, row)
	}
	for i := range ex.Compared {
		c := &ex.Compared[i]
		rows = append(rows, exchangeRow{Kind: "compare", Step: "compare", Purpose: "from " + c.Origin, Hop: &c.Hop})
	}
	for i := range res.ErrorPaths {
		rows = append(rows, exchangeRow{Kind: "error-path", Step: "error-path", Purpose: res.ErrorPaths[i].Purpose, Hop: &res.ErrorPaths[i].Hop})
	}
	return rows
}

func writeExchangeTable(w io.Writer, res *CheckResult, s *sanitizer, width int) error {
	rows := exchangeRows(res)
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "(no request was sent)")
		return err
	}
	table := newGridTable(w)
	base := res.Exchange.Request.URL
	cells := make([][]string, 0, len(rows))
	for _, r := range rows {
		step := clean(r.Step)
		if r.Purpose != "" {
			step += "\n" + clean(r.Purpose)
		}
		cells = append(cells, []string{step, requestCell(r.Hop, base, s), responseCell(r.Hop, s)})
	}
	if width > 0 && stackCells(cells, width) {
		// Too narrow for three columns: each hop in one cell.
		table.Header("step, request → response")
		for _, c := range cells {
			if err := table.Append(WrapLines(c[0]+"\n"+c[1]+"\n→ "+c[2], width-4)); err != nil {
				return err
			}
		}
		return table.Render()
	}
	table.Header("step", "request", "response")
	if width > 0 {
		fitCells(cells, width)
	}
	for _, c := range cells {
		if err := table.Append(c[0], c[1], c[2]); err != nil {
			return err
		}
	}
	return table.Render()
}

// newGridTable is the table both reports draw: a line between rows, the
// header as written, cells neither wrapped nor trimmed (a wrapped
// Access-Control-Allow-Headers list reads as two headers; the har table
// fits its columns itself).
func newGridTable(w io.Writer) *tablewriter.Table {
	return tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Settings: tw.Settings{Separators: tw.Separators{BetweenRows: tw.On}},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
	)
}

// newListTable is a table without lines between rows, for lists of
// one-line rows (har's requests, ci's checks).
func newListTable(w io.Writer) *tablewriter.Table {
	return tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
	)
}

// RenderTable writes header and rows through t, the way every list
// table of a report is written.
func RenderTable(t *tablewriter.Table, header []string, rows [][]string) error {
	h := make([]any, len(header))
	for i, c := range header {
		h[i] = c
	}
	t.Header(h...)
	if err := t.Bulk(rows); err != nil {
		return err
	}
	return t.Render()
}

// writeASCIIListTable writes what RenderTable(newListTable(w), header,
// rows) writes, when every cell is printable ASCII (its width its length)
// and every row as long as the header; ok is false, and nothing written,
// otherwise. tablewriter measuring and padding the thousand rows of a har
// report took a tenth of the text report's wall time, on one core after
// the rest. TestASCIIListTableMatches and FuzzASCIIListTable hold the two
// to the same bytes.
func writeASCIIListTable(w io.Writer, header []string, rows [][]string) (ok bool, err error) {
	widths := make([]int, len(header))
	measure := func(row []string) bool {
		if len(row) != len(header) {
			return false
		}
		for i, c := range row {
			if c == "" || !printableASCII(c) {
				return false
			}
			widths[i] = max(widths[i], len(c))
		}
		return true
	}
	if len(rows) == 0 || !measure(header) {
		return false, nil
	}
	for _, row := range rows {
		if !measure(row) {
			return false, nil
		}
	}
	n := 0
	for _, wd := range widths {
		n += wd + 3
	}
	var b []byte
	b = slices.Grow(b, (len(rows)+4)*(n+4*len(widths)))
	rule := func(left, mid, right string) {
		b = append(b, left...)
		for i, wd := range widths {
			if i > 0 {
				b = append(b, mid...)
			}
			for range wd + 2 {
				b = append(b, "─"...)
			}
		}
		b = append(b, right...)
		b = append(b, '\n')
	}
	line := func(row []string) {
		for i, c := range row {
			b = append(b, "│ "...)
			b = append(b, c...)
			for range widths[i] - len(c) + 1 {
				b = append(b, ' ')
			}
		}
		b = append(b, "│\n"...)
	}
	rule("┌", "┬", "┐")
	line(header)
	rule("├", "┼", "┤")
	for _, row := range rows {
		line(row)
	}
	rule("└", "┴", "┘")
	_, err = w.Write(b)
	return true, err
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// Display caps. Table cells are padded to the widest line of their column,
// so one long value would widen every line of the table: a server sending a
// 1 MiB header must not make the report megabytes long. What is cut is
// said ("… (N bytes more)"); -o json keeps everything.
const (
	maxShownValue   = 200  // bytes of one header value, method or status text
	maxShownURL     = 400  // bytes of a URL
	maxShownLine    = 4096 // bytes of one line of free text (a finding quoting a value)
	maxShownValues  = 8    // values of one header name
	maxShownHeaders = 32   // Access-Control-* names beyond the usual ones
)

// shown cuts s (already redacted, not yet cleaned) without splitting a
// UTF-8 sequence and cleans it: at most n bytes of s and at most 2n bytes
// shown, a cut marked with the bytes left out. Cleaning may quadruple a
// value (\xNN for each byte that is not UTF-8), and a table pads every row
// to its widest cell.
func shown(s string, n int) string {
	cut := truncate(s, n)
	c := clean(cut)
	for len(c) > 2*n {
		cut = truncate(cut, len(cut)*2*n/len(c))
		c = clean(cut)
	}
	if len(cut) == len(s) {
		return c
	}
	return c + "… (" + strconv.Itoa(len(s)-len(cut)) + " bytes more)"
}

// requestCell is the method, the URL (only its path when on the same
// origin as the page's request, to keep the table narrow) and the request
// headers that matter.
func requestCell(h *cors.Hop, base string, s *sanitizer) string {
	var b strings.Builder
	b.WriteString(shown(h.Request.Method, maxShownValue))
	b.WriteByte(' ')
	b.WriteString(shown(shortURL(s.URL(h.Request.URL), base), maxShownURL))
	byName := groupHeaders(h.Request.Header)
	for _, name := range requestHeaders {
		writeHeaderLines(&b, name, byName[name], s)
	}
	return b.String()
}

func responseCell(h *cors.Hop, s *sanitizer) string {
	if h.Response == nil {
		if h.NetError != "" {
			return "no response: " + shown(h.NetError, maxShownLine)
		}
		return "no response"
	}
	resp := h.Response
	var b strings.Builder
	fmt.Fprintf(&b, "%d", resp.Status)
	text := resp.StatusText
	if text == "" {
		text = http.StatusText(resp.Status)
	}
	if text != "" {
		b.WriteString(" " + shown(text, maxShownValue))
	}
	byName := groupHeaders(resp.Header)
	for _, name := range responseHeaders {
		writeHeaderLines(&b, name, byName[name], s)
	}
	var others []string
	for ck := range byName {
		if strings.HasPrefix(ck, "Access-Control-") && !slices.Contains(responseHeaders, ck) {
			others = append(others, ck)
		}
	}
	slices.Sort(others)
	for i, name := range others {
		if i == maxShownHeaders {
			fmt.Fprintf(&b, "\n… and %d more Access-Control-* headers (-o json lists them)", len(others)-i)
			break
		}
		writeHeaderLines(&b, name, byName[name], s)
	}
	for _, name := range platformHeaders {
		writeHeaderLines(&b, name, byName[http.CanonicalHeaderKey(name)], s)
	}
	// Error bodies name the layer that answered ({"message":"Missing
	// Authentication Token"}); success and redirect bodies are noise here.
	if resp.Status >= 400 && len(resp.Body) > 0 {
		body := strings.Join(strings.Fields(s.Body(resp.Body)), " ")
		if len(body) > bodyExcerpt || resp.BodyTruncated {
			body = truncate(body, bodyExcerpt) + "…"
		}
		b.WriteString("\nbody: " + clean(body))
	}
	return b.String()
}

// groupHeaders gathers h's values under canonical names in one pass, so a
// response with tens of thousands of headers costs linear time (looking
// each wanted name up in the whole set was quadratic). Recorded traffic
// keeps the server's spelling: spellings of one name are taken in sorted
// order, so the output does not depend on map order.
func groupHeaders(h http.Header) map[string][]string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make(map[string][]string, len(h))
	for _, k := range keys {
		ck := http.CanonicalHeaderKey(k)
		out[ck] = append(out[ck], h[k]...)
	}
	return out
}

// writeHeaderLines writes one line per value, so a header sent twice shows
// twice, up to maxShownValues lines.
func writeHeaderLines(b *strings.Builder, name string, values []string, s *sanitizer) {
	if len(values) == 0 {
		return
	}
	shownName := shown(name, maxShownValue)
	for i, v := range values {
		if i == maxShownValues {
			fmt.Fprintf(b, "\n%s: … and %d more values", shownName, len(values)-i)
			return
		}
		b.WriteString("\n" + shownName + ": " + shown(s.HeaderValue(name, v), maxShownValue))
	}
}

func shortURL(u, base string) string {
	pu, err := url.Parse(u)
	if err != nil || cors.OriginOf(u) != cors.OriginOf(base) || cors.OriginOf(u) == "null" {
		return u
	}
	p := pu.EscapedPath()
	if p == "" {
		p = "/"
	}
	if pu.RawQuery != "" {
		p += "?" + pu.RawQuery
	}
	return p
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
