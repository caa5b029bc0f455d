package report

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
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
	for i := range res.ErrorPaths {
		rows = append(rows, exchangeRow{Kind: "error-path", Step: "error-path", Purpose: res.ErrorPaths[i].Purpose, Hop: &res.ErrorPaths[i].Hop})
	}
	return rows
}

func writeExchangeTable(w io.Writer, res *CheckResult, s *sanitizer) error {
	rows := exchangeRows(res)
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "(no request was sent)")
		return err
	}
	table := newGridTable(w)
	table.Header("step", "request", "response")
	base := res.Exchange.Request.URL
	for _, r := range rows {
		step := clean(r.Step)
		if r.Purpose != "" {
			step += "\n" + clean(r.Purpose)
		}
		if err := table.Append(step, requestCell(r.Hop, base, s), responseCell(r.Hop, s)); err != nil {
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

// requestCell is the method, the URL (only its path when on the same
// origin as the page's request, to keep the table narrow) and the request
// headers that matter.
func requestCell(h *cors.Hop, base string, s *sanitizer) string {
	var b strings.Builder
	b.WriteString(clean(h.Request.Method))
	b.WriteByte(' ')
	b.WriteString(clean(shortURL(s.URL(h.Request.URL), base)))
	for _, name := range requestHeaders {
		writeHeaderLines(&b, h.Request.Header, name, s)
	}
	return b.String()
}

func responseCell(h *cors.Hop, s *sanitizer) string {
	if h.Response == nil {
		if h.NetError != "" {
			return "no response: " + clean(h.NetError)
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
		b.WriteString(" " + clean(text))
	}
	names := slices.Clone(responseHeaders)
	var others []string
	for k := range resp.Header {
		ck := http.CanonicalHeaderKey(k)
		if strings.HasPrefix(ck, "Access-Control-") && !slices.Contains(names, ck) && !slices.Contains(others, ck) {
			others = append(others, ck)
		}
	}
	slices.Sort(others)
	names = append(names, others...)
	names = append(names, platformHeaders...)
	for _, name := range names {
		writeHeaderLines(&b, resp.Header, name, s)
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

// writeHeaderLines writes one line per value, so a header sent twice shows
// twice. Names are matched case-insensitively: recorded traffic keeps the
// server's spelling.
func writeHeaderLines(b *strings.Builder, h http.Header, name string, s *sanitizer) {
	var keys []string
	for k := range h {
		if strings.EqualFold(k, name) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			b.WriteString("\n" + clean(name) + ": " + clean(s.HeaderValue(name, v)))
		}
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
