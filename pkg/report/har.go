package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// HAROptions choose what the `corsdiag har` report shows.
type HAROptions struct {
	JSON bool
	// All lists passing cross-origin requests in the table too.
	All      bool
	NoRedact bool
	Color    bool
	// MaxRows caps the table (default 1000); JSON lists every request.
	MaxRows int
	// Source names the file in the report ("-" for stdin).
	Source string
	// Width, when set (output to a terminal), fits the table to that many
	// columns by shortening the URL and console-message columns.
	Width int
	// Browsers are every browser's judgement of the file (--browser all).
	Browsers []HARBrowser
}

// HARRenderer collects the results of harfile.Analyze as they stream and
// writes the report at the end. Memory is bounded: the table keeps at
// most MaxRows rows, problems are grouped, and JSON requests spill to a
// temporary file past 1 MiB.
type HARRenderer struct {
	out    io.Writer
	opts   HAROptions
	rows   [][]string
	more   int
	groups map[string]*harProblem
	order  []*harProblem
	json   *spillBuffer
	nJSON  int
	Shown  int
	// Blocked counts the blocked requests added.
	Blocked int
}

// harProblem is one distinct problem: blocked requests with the same
// finding, failed parameter, target origin and page origin.
type harProblem struct {
	Code            string `json:"code"`
	Severity        string `json:"severity"`
	Count           int    `json:"count"`
	Origin          string `json:"origin"`
	Target          string `json:"target"`
	Message         string `json:"message"`
	BrowserMessage  string `json:"browser_message"`
	CorsError       string `json:"cors_error"`
	FailedParameter string `json:"failed_parameter"`
	Fix             string `json:"fix"`
	Reproduce       string `json:"reproduce"`
	Docs            string `json:"docs"`
	Example         int    `json:"example_index"`
	exampleLine     string
	// reported is the reported finding as the requests' JSON shows it,
	// cleaned once for every request of the group.
	reported jsonFindingHead
}

// harPrepared is what Prepare leaves in Result.Rendered for Add.
type harPrepared struct {
	json    []byte // the encoded request (JSON output only)
	problem *harProblem
	key     string
}

// preparedPool recycles harPrepared (and its buffer): Add hands it back
// once the request is written.
var preparedPool = sync.Pool{New: func() any { return new(harPrepared) }}

// NewHARRenderer writes the report to out when Finish is called.
func NewHARRenderer(out io.Writer, opts HAROptions) *HARRenderer {
	if opts.MaxRows <= 0 {
		opts.MaxRows = 1000
	}
	r := &HARRenderer{out: out, opts: opts, groups: map[string]*harProblem{}}
	if opts.JSON {
		r.json = &spillBuffer{limit: 1 << 20}
	}
	return r
}

// clean makes text from the file safe to print: secrets redacted unless
// NoRedact, terminal control characters escaped.
func (r *HARRenderer) clean(s string) string {
	if !r.opts.NoRedact {
		s = redact.Text(s)
	}
	return termsafe.Clean(s)
}

func (r *HARRenderer) cleanURL(s string) string {
	if !r.opts.NoRedact {
		s = redact.URL(s)
	}
	return termsafe.Clean(s)
}

// reproduce is the `corsdiag check` command that finds the cause of res.
func (r *HARRenderer) reproduce(res *harfile.Result) string {
	return termsafe.Clean(harfile.CheckCommand(res.Reproduce, r.opts.NoRedact))
}

// Prepare does the per-result rendering work ahead of Add: the JSON
// encoding and, for a blocked request, its problem group. It is safe to
// call concurrently (harfile.AnalyzeOptions.Prepare runs it on every
// core); Add is not.
func (r *HARRenderer) Prepare(res *harfile.Result) {
	if res.Verdict != cors.Blocked && !r.opts.JSON {
		return
	}
	p := preparedPool.Get().(*harPrepared)
	if res.Verdict == cors.Blocked {
		p.problem, p.key = r.newProblem(res)
	}
	if r.opts.JSON {
		p.json = r.appendHARRequest(p.json[:0], res, p.problem)
	}
	res.Rendered = p
}

// Add records one result.
func (r *HARRenderer) Add(res *harfile.Result) error {
	p, _ := res.Rendered.(*harPrepared)
	res.Rendered = nil
	if p != nil {
		defer func() {
			p.problem, p.key = nil, ""
			preparedPool.Put(p)
		}()
	}
	r.Shown++
	if res.Verdict == cors.Blocked {
		r.Blocked++
		r.group(res, p)
	}
	if r.opts.JSON {
		return r.addJSON(res, p)
	}
	if res.Verdict != cors.Blocked && (!r.opts.All || !res.CORSMode) {
		return nil
	}
	if len(r.rows) >= r.opts.MaxRows {
		r.more++
		return nil
	}
	finding, console := "", ""
	if f := res.Reported(); f != nil {
		finding, console = string(f.Code), f.BrowserMessage
	} else if res.Verdict == cors.Allowed {
		finding = "allowed"
	}
	method := res.Method
	if res.OnlyPreflight {
		method += " (preflight only)"
	}
	r.rows = append(r.rows, []string{
		strconv.Itoa(res.Index), r.clean(method), ellipsize(r.cleanURL(res.URL), 60), r.clean(res.Origin) + " (" + res.OriginSource + ")",
		finding, ellipsize(r.clean(console), 110),
	})
	return nil
}

// group counts res under its problem, built by Prepare or here.
func (r *HARRenderer) group(res *harfile.Result, p *harPrepared) {
	var g *harProblem
	var key string
	if p != nil {
		g, key = p.problem, p.key
	}
	if g == nil {
		if g, key = r.newProblem(res); g == nil {
			return
		}
	}
	if seen := r.groups[key]; seen != nil {
		seen.Count++
		return
	}
	r.groups[key] = g
	r.order = append(r.order, g)
	g.Count++
}

// newProblem is the problem group a blocked result belongs to, and its
// key: same finding, failed parameter, target origin and page origin.
func (r *HARRenderer) newProblem(res *harfile.Result) (*harProblem, string) {
	f := res.Reported()
	if f == nil {
		return nil, ""
	}
	target := cors.OriginOf(res.URL)
	key := strings.Join([]string{string(f.Code), f.FailedParameter, target, res.Origin}, "\x00")
	if f.Code == harfile.CodeCauseNotInFile {
		key += "\x00" + res.Method + "\x00" + res.URL
	}
	head := newJSONFindingHead(f, r.clean)
	g := &harProblem{
		Code: head.Code, Severity: head.Severity, Origin: r.clean(res.Origin), Target: r.cleanURL(target),
		Message: head.Message, BrowserMessage: head.BrowserMessage, CorsError: head.CorsError,
		FailedParameter: head.FailedParameter, Fix: r.clean(f.Fix), Docs: f.Code.DocsPath(),
		Example:     res.Index,
		exampleLine: fmt.Sprintf("#%d %s %s", res.Index, r.clean(res.Method), r.cleanURL(res.URL)),
		reported:    head,
	}
	if res.Reproduce != nil {
		g.Reproduce = r.reproduce(res)
	}
	return g, key
}

// Finish writes the report. readErr, when set with partial output, is
// reported as the damage that stopped reading.
func (r *HARRenderer) Finish(sum harfile.Summary, log *harfile.Log, readErr error) error {
	defer r.json.Close()
	if r.opts.JSON {
		return r.finishJSON(sum, log, readErr)
	}
	return r.finishText(sum, log, readErr)
}

func (r *HARRenderer) finishText(sum harfile.Summary, log *harfile.Log, readErr error) error {
	pal := newPalette(r.opts.Color)
	var b strings.Builder
	src := r.opts.Source
	if src == "-" {
		src = "standard input"
	}
	creator := strings.TrimSpace(log.Creator.Name + " " + log.Creator.Version)
	if creator != "" {
		src += " (written by " + termsafe.Clean(creator) + ")"
	}
	fmt.Fprintf(&b, "%s\n", termsafe.Clean(src))
	if sum.Browser != "" && (sum.Browser != cors.Chromium.Name || sum.BrowserSource == harfile.BrowserFromFlag) {
		fmt.Fprintf(&b, "Judged as %s (%s); the console lines below are %s's.\n", displayName(sum.Browser), browserSourceWords[sum.BrowserSource], displayName(sum.Browser))
	}
	blocked := pal.good.Sprint("0 blocked")
	if sum.Blocked > 0 {
		blocked = pal.bad.Sprintf("%d blocked by the browser", sum.Blocked)
	}
	fmt.Fprintf(&b, "%s, %d cross-origin (%d CORS-checked), %s", plural(sum.Requests, "request", "requests"), sum.CrossOrigin, sum.CORS, blocked)
	if sum.CauseUnknown > 0 {
		fmt.Fprintf(&b, " (%d with the cause not in the file)", sum.CauseUnknown)
	}
	b.WriteString(".\n")
	if sum.ErrorPathProbes > 0 {
		probes := fmt.Sprintf("%d entries are corsdiag error-path probes (check --har-out), not page requests: their answers are the error-responses-lack-cors warning of the request they probe.", sum.ErrorPathProbes)
		if sum.ErrorPathProbes == 1 {
			probes = "1 entry is a corsdiag error-path probe (check --har-out), not a page request: its answer is the error-responses-lack-cors warning of the request it probes."
		}
		fmt.Fprintf(&b, "%s\n", pal.dim.Sprint(probes))
	}
	if sum.UnknownOrigin > 0 {
		fmt.Fprintf(&b, "%s\n", pal.dim.Sprintf("%s no Origin, page URL, initiator or Referer; %s page origin is unknown.", plural(sum.UnknownOrigin, "request has", "requests have"), plural0(sum.UnknownOrigin, "its", "their")))
	}
	if readErr != nil {
		// "har: " is the package's prefix, noise after "Partial report: ".
		fmt.Fprintf(&b, "%s\n", pal.warn.Sprint("Partial report: "+termsafe.Clean(strings.TrimPrefix(readErr.Error(), "har: "))))
	}
	writeHARBrowsers(&b, r.opts.Browsers, r.cleanURL)
	if _, err := io.WriteString(r.out, b.String()); err != nil {
		return err
	}
	if len(r.rows) > 0 {
		io.WriteString(r.out, "\n")
		if err := r.writeTable(); err != nil {
			return err
		}
		if r.more > 0 {
			fmt.Fprintf(r.out, "… and %d more (use -o json for all)\n", r.more)
		}
	}
	if len(r.order) == 0 {
		return nil
	}
	sort.SliceStable(r.order, func(i, j int) bool { return r.order[i].Count > r.order[j].Count })
	b.Reset()
	fmt.Fprintf(&b, "\n%s\n", pal.bold.Sprintf("Problems (%d distinct):", len(r.order)))
	for _, g := range r.order {
		times := "1 request"
		if g.Count > 1 {
			times = fmt.Sprintf("%d requests", g.Count)
		}
		fmt.Fprintf(&b, "\n%s %s (%s, %s → %s)\n", pal.bad.Sprint("✗"), pal.bold.Sprint(g.Code), times, g.Origin, g.Target)
		fmt.Fprintf(&b, "  Cause:     %s\n", g.Message)
		if g.BrowserMessage != "" {
			fmt.Fprintf(&b, "  Console:   %s\n", g.BrowserMessage)
		}
		if g.Fix != "" {
			fmt.Fprintf(&b, "  Fix:       %s\n", g.Fix)
		}
		fmt.Fprintf(&b, "  Example:   %s\n", g.exampleLine)
		if g.Reproduce != "" {
			fmt.Fprintf(&b, "  Reproduce: %s\n", g.Reproduce)
		}
		fmt.Fprintf(&b, "  Docs:      corsdiag explain %s\n", g.Code)
	}
	_, err := io.WriteString(r.out, b.String())
	return err
}

// plural is "1 request" or "2 requests".
func plural(n int, one, many string) string {
	return strconv.Itoa(n) + " " + plural0(n, one, many)
}

// plural0 is the word alone, for n.
func plural0(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (r *HARRenderer) writeTable() error {
	table := newGridTable(r.out)
	header := make([]any, len(harTableHeader))
	for i, h := range harTableHeader {
		header[i] = h
	}
	table.Header(header...)
	if r.opts.Width > 0 {
		fitColumns(r.rows, r.opts.Width)
	}
	if err := table.Bulk(r.rows); err != nil {
		return err
	}
	return table.Render()
}

var harTableHeader = []string{"#", "Method", "URL", "Page origin", "Finding", "Console message"}

// Columns fitColumns shortens, and the least it leaves them.
const (
	urlColumn, consoleColumn = 2, 5
	minURLWidth              = 24
	minConsoleWidth          = 15 // "Console message"
)

// fitColumns shortens the URL and console-message cells so the table is at
// most width columns wide: the console message gives way first (the
// problems section below prints it whole), then the URL. The other
// columns are short and kept; a terminal too narrow for them overflows.
func fitColumns(rows [][]string, width int) {
	natural := make([]int, len(harTableHeader))
	for i, h := range harTableHeader {
		natural[i] = utf8.RuneCountInString(h)
	}
	for _, row := range rows {
		for i, cell := range row {
			natural[i] = max(natural[i], utf8.RuneCountInString(cell))
		}
	}
	// Each cell is padded by a space on both sides and followed by a
	// border; one more border starts the line.
	avail := width - 1
	for _, w := range natural {
		avail -= w + 3
	}
	avail += natural[urlColumn] + natural[consoleColumn]
	urlW, conW := natural[urlColumn], natural[consoleColumn]
	if urlW+conW <= avail {
		return
	}
	conW = max(minConsoleWidth, min(conW, avail-urlW))
	urlW = max(minURLWidth, min(urlW, avail-conW))
	for _, row := range rows {
		row[urlColumn] = ellipsize(row[urlColumn], urlW)
		row[consoleColumn] = ellipsize(row[consoleColumn], conW)
	}
}

// ellipsize shortens s to n runes, marking the cut with "…"; the problems
// section below the table prints the full text.
func ellipsize(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n-1]) + "…"
}

// browserSourceWords says where the file's browser was learnt.
var browserSourceWords = map[string]string{
	harfile.BrowserFromFlag:      "--browser",
	harfile.BrowserFromCreator:   "the file's creator",
	harfile.BrowserFromBrowser:   "the file's browser field",
	harfile.BrowserFromUserAgent: "the requests' User-Agent",
	harfile.BrowserDefault:       "the file names no browser",
}
