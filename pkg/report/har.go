package harfile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
	"github.com/fatih/color"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// SchemaVersion of `corsdiag har -o json`.
const SchemaVersion = 1

// RenderOptions choose what the report shows.
type RenderOptions struct {
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
}

// Renderer collects results as they stream and writes the report at the
// end. Memory is bounded: the table keeps at most MaxRows rows, problems
// are grouped, and JSON requests spill to a temporary file past 1 MiB.
type Renderer struct {
	out    io.Writer
	opts   RenderOptions
	rows   [][]string
	more   int
	groups map[string]*problem
	order  []*problem
	json   *spillBuffer
	nJSON  int
	Shown  int
	// Blocked counts the blocked requests added.
	Blocked int
}

type problem struct {
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
}

// NewRenderer writes the report to out when Finish is called.
func NewRenderer(out io.Writer, opts RenderOptions) *Renderer {
	if opts.MaxRows <= 0 {
		opts.MaxRows = 1000
	}
	r := &Renderer{out: out, opts: opts, groups: map[string]*problem{}}
	if opts.JSON {
		r.json = &spillBuffer{limit: 1 << 20}
	}
	return r
}

// clean makes text from the file safe to print: secrets redacted unless
// NoRedact, terminal control characters escaped.
func (r *Renderer) clean(s string) string {
	if !r.opts.NoRedact {
		s = redact.Text(s)
	}
	return termsafe.Clean(s)
}

func (r *Renderer) cleanURL(s string) string {
	if !r.opts.NoRedact {
		s = redact.URL(s)
	}
	return termsafe.Clean(s)
}

// Add records one result.
func (r *Renderer) Add(res *Result) error {
	r.Shown++
	if res.Verdict == cors.Blocked {
		r.Blocked++
		r.group(res)
	}
	if r.opts.JSON {
		return r.addJSON(res)
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
		strconv.Itoa(res.Index), r.clean(method), truncate(r.cleanURL(res.URL), 60), r.clean(res.Origin) + " (" + res.OriginSource + ")",
		finding, truncate(r.clean(console), 110),
	})
	return nil
}

func (r *Renderer) group(res *Result) {
	g, key := res.problem, res.problemKey
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
func (r *Renderer) newProblem(res *Result) (*problem, string) {
	f := res.Reported()
	if f == nil {
		return nil, ""
	}
	target := cors.OriginOf(res.URL)
	key := strings.Join([]string{string(f.Code), f.FailedParameter, target, res.Origin}, "\x00")
	if f.Code == CodeCauseNotInFile {
		key += "\x00" + res.Method + "\x00" + res.URL
	}
	g := &problem{
		Code: string(f.Code), Severity: string(f.Severity), Origin: r.clean(res.Origin), Target: r.cleanURL(target),
		Message: r.clean(f.Message), BrowserMessage: r.clean(f.BrowserMessage), CorsError: f.CorsError,
		FailedParameter: r.clean(f.FailedParameter), Fix: r.clean(f.Fix), Docs: "docs/findings/" + string(f.Code) + ".md",
		Example:     res.Index,
		exampleLine: fmt.Sprintf("#%d %s %s", res.Index, r.clean(res.Method), r.cleanURL(res.URL)),
	}
	if res.Reproduce != nil {
		g.Reproduce = termsafe.Clean(CheckCommand(res.Reproduce, r.opts.NoRedact))
	}
	return g, key
}

type jsonFinding struct {
	Code            string `json:"code"`
	Severity        string `json:"severity"`
	Step            string `json:"step"`
	Message         string `json:"message"`
	BrowserMessage  string `json:"browser_message"`
	CorsError       string `json:"cors_error"`
	FailedParameter string `json:"failed_parameter"`
	Fix             string `json:"fix"`
	Reported        bool   `json:"reported"`
	Docs            string `json:"docs"`
}

type jsonRequest struct {
	Index          int           `json:"index"`
	Method         string        `json:"method"`
	URL            string        `json:"url"`
	Origin         string        `json:"origin"`
	OriginSource   string        `json:"origin_source"`
	CORSMode       bool          `json:"cors_mode"`
	Verdict        string        `json:"verdict"`
	Status         int           `json:"status"`
	NetError       string        `json:"net_error"`
	PreflightIndex *int          `json:"preflight_index"`
	OnlyPreflight  bool          `json:"only_preflight"`
	Findings       []jsonFinding `json:"findings"`
	CauseSource    string        `json:"cause_source"`
	Reproduce      string        `json:"reproduce"`
}

func (r *Renderer) addJSON(res *Result) error {
	if r.nJSON > 0 {
		r.json.Write([]byte(",\n    "))
	}
	r.nJSON++
	buf := res.encoded
	if buf == nil {
		buf = encodePool.Get().(*[]byte)
		*buf = r.appendJSONRequest((*buf)[:0], res)
	}
	res.encoded = nil
	_, err := r.json.Write(*buf)
	encodePool.Put(buf)
	return err
}

// marshalJSONRequest is the reference for appendJSONRequest (tests).
func (r *Renderer) marshalJSONRequest(res *Result) ([]byte, error) {
	jr := jsonRequest{
		Index: res.Index, Method: r.clean(res.Method), URL: r.cleanURL(res.URL), Origin: r.clean(res.Origin),
		OriginSource: res.OriginSource, CORSMode: res.CORSMode, Verdict: string(res.Verdict), Status: res.Status,
		NetError: r.clean(res.NetError), OnlyPreflight: res.OnlyPreflight, CauseSource: res.CauseSource,
		Findings: make([]jsonFinding, 0, len(res.Findings)),
	}
	if res.PreflightIndex >= 0 {
		pi := res.PreflightIndex
		jr.PreflightIndex = &pi
	}
	if res.Reproduce != nil {
		jr.Reproduce = termsafe.Clean(CheckCommand(res.Reproduce, r.opts.NoRedact))
	}
	for _, f := range res.Findings {
		jr.Findings = append(jr.Findings, jsonFinding{
			Code: string(f.Code), Severity: string(f.Severity), Step: f.Step, Message: r.clean(f.Message),
			BrowserMessage: r.clean(f.BrowserMessage), CorsError: f.CorsError, FailedParameter: r.clean(f.FailedParameter),
			Fix: f.Fix, Reported: f.Reported, Docs: "docs/findings/" + string(f.Code) + ".md",
		})
	}
	return json.Marshal(jr)
}

// Finish writes the report. readErr, when set with partial output, is
// reported as the damage that stopped reading.
func (r *Renderer) Finish(sum Summary, log *Log, readErr error) error {
	defer r.json.Close()
	if r.opts.JSON {
		return r.finishJSON(sum, log, readErr)
	}
	return r.finishText(sum, log, readErr)
}

func (r *Renderer) finishJSON(sum Summary, log *Log, readErr error) error {
	type jsonSummary struct {
		Summary
		Shown   int    `json:"shown"`
		Partial bool   `json:"partial"`
		Error   string `json:"error"`
		Creator string `json:"creator"`
	}
	js := jsonSummary{Summary: sum, Shown: r.Shown, Creator: termsafe.Clean(strings.TrimSpace(log.Creator.Name + " " + log.Creator.Version))}
	if readErr != nil {
		js.Partial, js.Error = true, termsafe.Clean(readErr.Error())
	}
	head, _ := json.MarshalIndent(js, "  ", "  ")
	problems := r.order
	if problems == nil {
		problems = []*problem{}
	}
	probs, _ := json.MarshalIndent(problems, "  ", "  ")
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\n  \"schema_version\": %d,\n  \"summary\": %s,\n  \"problems\": %s,\n  \"requests\": [", SchemaVersion, head, probs)
	if r.nJSON > 0 {
		b.WriteString("\n    ")
	}
	if _, err := r.out.Write(b.Bytes()); err != nil {
		return err
	}
	if err := r.json.CopyTo(r.out); err != nil {
		return err
	}
	tail := "]\n}\n"
	if r.nJSON > 0 {
		tail = "\n  ]\n}\n"
	}
	_, err := io.WriteString(r.out, tail)
	return err
}

func (r *Renderer) finishText(sum Summary, log *Log, readErr error) error {
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
	blocked := pal.good.Sprint("0 blocked")
	if sum.Blocked > 0 {
		blocked = pal.bad.Sprintf("%d blocked by the browser", sum.Blocked)
	}
	fmt.Fprintf(&b, "%d requests, %d cross-origin (%d CORS-checked), %s", sum.Requests, sum.CrossOrigin, sum.CORS, blocked)
	if sum.CauseUnknown > 0 {
		fmt.Fprintf(&b, " (%d with the cause not in the file)", sum.CauseUnknown)
	}
	b.WriteString(".\n")
	if sum.ErrorPathProbes > 0 {
		fmt.Fprintf(&b, "%s\n", pal.dim.Sprintf("%d entries are corsdiag error-path probes (check --har-out), not page requests: their answers are the error-responses-lack-cors warning of the request they probe.", sum.ErrorPathProbes))
	}
	if sum.UnknownOrigin > 0 {
		fmt.Fprintf(&b, "%s\n", pal.dim.Sprintf("%d requests have no Origin, page URL, initiator or Referer; their page origin is unknown.", sum.UnknownOrigin))
	}
	if readErr != nil {
		fmt.Fprintf(&b, "%s\n", pal.warn.Sprint("Partial report: "+termsafe.Clean(readErr.Error())))
	}
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
		fmt.Fprintf(&b, "  Cause:   %s\n", g.Message)
		if g.BrowserMessage != "" {
			fmt.Fprintf(&b, "  Console: %s\n", g.BrowserMessage)
		}
		if g.Fix != "" {
			fmt.Fprintf(&b, "  Fix:     %s\n", g.Fix)
		}
		fmt.Fprintf(&b, "  Example: %s\n", g.exampleLine)
		if g.Reproduce != "" {
			fmt.Fprintf(&b, "  Reproduce: %s\n", g.Reproduce)
		}
		fmt.Fprintf(&b, "  Docs:    %s\n", g.Docs)
	}
	_, err := io.WriteString(r.out, b.String())
	return err
}

func (r *Renderer) writeTable() error {
	table := tablewriter.NewTable(r.out,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Settings: tw.Settings{Separators: tw.Separators{BetweenRows: tw.On}},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
	)
	header := make([]any, len(tableHeader))
	for i, h := range tableHeader {
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

var tableHeader = []string{"#", "Method", "URL", "Page origin", "Finding", "Console message"}

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
	natural := make([]int, len(tableHeader))
	for i, h := range tableHeader {
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
		row[urlColumn] = truncate(row[urlColumn], urlW)
		row[consoleColumn] = truncate(row[consoleColumn], conW)
	}
}

// palette holds colour objects with colour switched on or off explicitly;
// the package-global color.NoColor is never consulted.
type palette struct{ bad, good, warn, bold, dim *color.Color }

func newPalette(on bool) palette {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return palette{bad: mk(color.FgRed, color.Bold), good: mk(color.FgGreen, color.Bold), warn: mk(color.FgYellow), bold: mk(color.Bold), dim: mk(color.Faint)}
}

// spillBuffer keeps up to limit bytes in memory and the rest in a
// temporary file, so a JSON report of any size is written whole or not at
// all, without memory growing with the HAR file.
type spillBuffer struct {
	limit int
	mem   bytes.Buffer
	file  *os.File
	// fw batches writes to the file: one write syscall per request costs
	// more than encoding it.
	fw  *bufio.Writer
	err error
}

func (s *spillBuffer) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.file == nil && s.mem.Len()+len(p) > s.limit {
		f, err := os.CreateTemp("", "corsdiag-har-*.json")
		if err != nil {
			s.err = err
			return 0, err
		}
		os.Remove(f.Name()) // unlinked: gone when closed, whatever happens
		if _, err := f.Write(s.mem.Bytes()); err != nil {
			s.err = err
			return 0, err
		}
		s.mem = bytes.Buffer{}
		s.file = f
		s.fw = bufio.NewWriterSize(f, 256<<10)
	}
	if s.file != nil {
		n, err := s.fw.Write(p)
		if err != nil {
			s.err = err
		}
		return n, err
	}
	return s.mem.Write(p)
}

func (s *spillBuffer) CopyTo(w io.Writer) error {
	if s.err != nil {
		return s.err
	}
	if s.file == nil {
		_, err := w.Write(s.mem.Bytes())
		return err
	}
	if err := s.fw.Flush(); err != nil {
		return err
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, s.file)
	return err
}

func (s *spillBuffer) Close() {
	if s != nil && s.file != nil {
		s.file.Close()
	}
}

// truncate shortens s to n runes, marking the cut with "…"; the problems
// section below the table prints the full text.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n-1]) + "…"
}
