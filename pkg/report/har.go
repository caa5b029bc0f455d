package report

import (
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

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
	// Width, when set (output to a terminal), fits the text to that many
	// columns: prose wraps, the table as harTableFit says.
	Width int
	// Browsers are every browser's judgement of the file (--browser all).
	Browsers *HARBrowsers
	// Filter names the filters that keep some requests out of the report
	// ("--url x and --origin y"), "" when none: the summary counts the
	// whole file, so the text says how many blocked requests they show.
	Filter string
	// Direct, when set, is the file out writes through (out being a
	// bufio.Writer over it, or it): Finish flushes out and has the kernel
	// copy the spilled JSON requests there, which otherwise pass through
	// memory while every other core is idle.
	Direct *os.File
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
	// grouped holds the keys of groups, for Prepare (on the workers):
	// once a group exists, a request of it needs only its own texts.
	grouped sync.Map
	order   []*harProblem
	json    *spillBuffer
	nJSON   int
	// texts holds the workers' *jsonTexts: the JSON of texts seen before,
	// cleaned as this renderer cleans.
	texts sync.Pool
	Shown int
	// Blocked counts the blocked requests added; Failed the requests that
	// failed for a reason that is not CORS, listed apart.
	Blocked  int
	Failed   int
	failures map[string]*harFailure
	failOrd  []*harFailure
	// Despite counts the allowed requests whose recorded answer fails the
	// CORS check (allowed-despite-headers), grouped like problems.
	Despite    int
	despite    map[string]*harDespite
	despiteOrd []*harDespite
}

// harDespite is one allowed-despite-headers warning: allowed requests
// with the same warning, target origin and page origin.
type harDespite struct {
	count          int
	statuses       map[string]int
	origin, target string
	message, fix   string
	step           string
	exampleLine    string
}

// harFailure is one reason requests failed that is not CORS (an
// extension, TLS, DNS, an abort…), with how many and one example.
type harFailure struct {
	Reason      string `json:"reason"`
	Count       int    `json:"count"`
	Example     int    `json:"example_index"`
	exampleLine string
}

// harProblem is one distinct problem: blocked requests with the same
// finding, failed parameter, target origin and page origin.
type harProblem struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Count    int    `json:"count"`
	// Cause is the code of the finding named as the reason (the reported
	// one unless a deeper cause is known); Message and Fix are the cause's.
	Cause    string `json:"cause"`
	Platform string `json:"platform"`
	// Statuses is the mix of HTTP statuses of the answers the group's
	// errors are about (the preflight's for a failed preflight; "0" when
	// none was recorded), status to count.
	Statuses        map[string]int `json:"statuses"`
	Origin          string         `json:"origin"`
	Target          string         `json:"target"`
	Message         string         `json:"message"`
	BrowserMessage  string         `json:"browser_message"`
	CorsError       string         `json:"cors_error"`
	FailedParameter string         `json:"failed_parameter"`
	Fix             string         `json:"fix"`
	Reproduce       string         `json:"reproduce"`
	Docs            string         `json:"docs"`
	// Follows are the example request's other errors that follow from the
	// cause (the same symptom seen again, the checks a failed preflight
	// also fails): grouped under it, not problems of their own.
	Follows     []harFollow `json:"follows"`
	Example     int         `json:"example_index"`
	exampleLine string
	// reported is the reported finding as the requests' JSON shows it,
	// cleaned once for every request of the group.
	reported jsonFindingHead
	// light: only Reproduce is set, for a request of a group that existed
	// (Prepare); its JSON encodes its reported finding itself.
	light bool
}

// harFollow is a finding that follows from a problem's cause.
type harFollow struct {
	Code    string `json:"code"`
	Step    string `json:"step"`
	Message string `json:"message"`
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
	r := &HARRenderer{out: out, opts: opts, groups: map[string]*harProblem{}, failures: map[string]*harFailure{}}
	if opts.JSON {
		r.json = &spillBuffer{limit: 1 << 20}
	}
	r.texts.New = func() any {
		t := newJSONTexts()
		t.split = !opts.NoRedact
		return t
	}
	return r
}

// clean makes text from the file safe to print: secrets redacted unless
// NoRedact, terminal control characters escaped.
func (r *HARRenderer) clean(s string) string {
	return termsafe.Clean(r.redactText(s))
}

// redactText is clean without termsafe.Clean.
func (r *HARRenderer) redactText(s string) string {
	if r.opts.NoRedact {
		return s
	}
	return redact.Text(s)
}

// cleanLines cleans each line of a multi-line text (a fix with snippets),
// keeping its line breaks. It redacts the text whole, then splits it: a
// URL the text quotes may hold a line break, and its halves are no URL to
// redact.
func (r *HARRenderer) cleanLines(s string) string {
	lines := strings.Split(r.redactText(s), "\n")
	for i, l := range lines {
		lines[i] = termsafe.Clean(strings.TrimRight(l, "\r"))
	}
	return strings.Join(lines, "\n")
}

func (r *HARRenderer) cleanURL(s string) string {
	if !r.opts.NoRedact {
		s = redact.URL(s)
	}
	return termsafe.Clean(s)
}

// reproduce is the `corsdiag check` command that finds the cause of res.
func (r *HARRenderer) reproduce(res *harfile.Result) string {
	return termsafe.Clean(harfile.CheckCommand(res.Reproduce, res.Profile, r.opts.NoRedact))
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
	if res.Verdict == harfile.Failed {
		r.Failed++
		r.fail(res)
	}
	if res.Verdict == cors.Allowed {
		r.noteDespite(res)
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
	finding := ""
	if f := res.Reported(); f != nil {
		finding = string(f.Code)
	} else if res.Verdict == cors.Allowed {
		finding = "allowed"
		if despiteFinding(res) != nil {
			finding = string(harfile.CodeAllowedDespiteHeaders)
		}
	}
	method := res.Method
	if res.OnlyPreflight {
		method += " (preflight only)"
	}
	// The console line is in the problems, whole; the table stays narrow.
	r.rows = append(r.rows, []string{
		strconv.Itoa(res.Index), r.clean(method), shown(r.cleanURL(res.URL), maxShownURL), r.clean(res.Origin),
		finding,
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
		g = seen
	} else {
		r.groups[key] = g
		r.grouped.Store(key, nil)
		r.order = append(r.order, g)
	}
	g.Count++
	g.Statuses[strconv.Itoa(reportedStatus(res))]++
}

// noteDespite counts res under its allowed-despite-headers warning, if it
// has one.
func (r *HARRenderer) noteDespite(res *harfile.Result) {
	f := despiteFinding(res)
	if f == nil {
		return
	}
	r.Despite++
	target := cors.OriginOf(res.URL)
	key := f.Message + "\x00" + target + "\x00" + res.Origin
	d := r.despite[key]
	if d == nil {
		if r.despite == nil {
			r.despite = map[string]*harDespite{}
		}
		d = &harDespite{statuses: map[string]int{}, origin: r.clean(res.Origin), target: r.cleanURL(target),
			message: r.clean(f.Message), fix: r.cleanLines(f.Fix), step: f.Step,
			exampleLine: fmt.Sprintf("#%d %s %s", res.Index, r.clean(res.Method), r.cleanURL(res.URL))}
		r.despite[key] = d
		r.despiteOrd = append(r.despiteOrd, d)
	}
	d.count++
	status := res.Status
	if f.Step == "preflight" && res.PreflightStatus > 0 {
		status = res.PreflightStatus
	}
	d.statuses[strconv.Itoa(status)]++
}

// despiteFinding is res's allowed-despite-headers warning, or nil.
func despiteFinding(res *harfile.Result) *cors.Finding {
	for i := range res.Findings {
		if res.Findings[i].Code == harfile.CodeAllowedDespiteHeaders {
			return &res.Findings[i]
		}
	}
	return nil
}

// writeDespite lists the allowed-despite-headers warnings: requests the
// browser that recorded the file let through, which others block.
func (r *HARRenderer) writeDespite(b *strings.Builder, pal palette) {
	if len(r.despiteOrd) == 0 {
		return
	}
	sort.SliceStable(r.despiteOrd, func(i, j int) bool { return r.despiteOrd[i].count > r.despiteOrd[j].count })
	width := r.opts.Width
	writeWrapped(b, pal.bold.Sprintf("Allowed despite the server's answer (%d distinct):", len(r.despiteOrd))+
		" the browser that recorded the file let these through, but their recorded answers fail the CORS check, so other browsers block them.", "\n", "", width)
	for _, d := range r.despiteOrd {
		b.WriteString("\n")
		writeWrapped(b, pal.warn.Sprint("!")+" "+pal.bold.Sprint(string(harfile.CodeAllowedDespiteHeaders))+" ("+plural(d.count, "request", "requests")+", "+d.origin+" → "+d.target+")", "", "  ", width)
		writeWrapped(b, statusMix(d.statuses), "  Statuses:  ", "             ", width)
		writeWrapped(b, d.message, "  Cause:     ", "             ", width)
		writeBlock(b, d.fix, "  Fix:       ", "             ", width, func(s string) string { return s })
		writeWrapped(b, d.exampleLine, "  Example:   ", "             ", width)
		writeCommand(b, "  Docs:      ", "corsdiag explain "+string(harfile.CodeAllowedDespiteHeaders), width)
	}
}

// reportedStatus is the status of the answer the reported error is about:
// the preflight's for a failed preflight (the request itself has none, or
// one the browser never let it get), else what the file recorded for the
// request.
func reportedStatus(res *harfile.Result) int {
	if f := res.Reported(); f != nil && f.Step == "preflight" && res.PreflightStatus > 0 {
		return res.PreflightStatus
	}
	return res.Status
}

// fail counts res under its reason.
func (r *HARRenderer) fail(res *harfile.Result) {
	f := r.failures[res.FailReason]
	if f == nil {
		f = &harFailure{Reason: r.clean(res.FailReason), Example: res.Index,
			exampleLine: fmt.Sprintf("#%d %s %s", res.Index, r.clean(res.Method), r.cleanURL(res.URL))}
		r.failures[res.FailReason] = f
		r.failOrd = append(r.failOrd, f)
	}
	f.Count++
}

// newProblem is the problem group a blocked result belongs to, and its
// key: same finding, failed parameter, target origin and page origin.
func (r *HARRenderer) newProblem(res *harfile.Result) (*harProblem, string) {
	f := res.Reported()
	if f == nil {
		return nil, ""
	}
	c := f
	for i := range res.Findings {
		if res.Findings[i].Cause {
			c = &res.Findings[i]
		}
	}
	target := cors.OriginOf(res.URL)
	key := strings.Join([]string{string(f.Code), string(c.Code), f.FailedParameter, target, res.Origin}, "\x00")
	if f.Code == harfile.CodeCauseNotInFile {
		key += "\x00" + res.Method
	}
	if _, ok := r.grouped.Load(key); ok {
		// The group exists and keeps its first request's texts: this one
		// needs only its reproduce command (most blocked requests of a file
		// share a few groups, and cleaning the rest was a third of Prepare).
		g := &harProblem{light: true}
		if r.opts.JSON && res.Reproduce != nil {
			g.Reproduce = r.reproduce(res)
		}
		return g, key
	}
	head := newJSONFindingHead(f, r.clean)
	g := &harProblem{
		Code: head.Code, Severity: head.Severity, Cause: string(c.Code), Platform: r.clean(c.Platform), Statuses: map[string]int{},
		Origin: r.clean(res.Origin), Target: r.cleanURL(target),
		Message: r.clean(c.Message), BrowserMessage: head.BrowserMessage, CorsError: head.CorsError,
		FailedParameter: head.FailedParameter, Fix: r.cleanLines(c.Fix), Docs: c.Code.DocsPath(),
		Example:     res.Index,
		exampleLine: fmt.Sprintf("#%d %s %s", res.Index, r.clean(res.Method), r.cleanURL(res.URL)),
		reported:    head,
	}
	g.Follows = []harFollow{}
	for i := range res.Findings {
		if x := &res.Findings[i]; x.FollowsFrom != "" && !x.Reported && !x.Cause {
			g.Follows = append(g.Follows, harFollow{Code: string(x.Code), Step: x.Step, Message: r.clean(x.Message)})
		}
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
	writeWrapped(&b, termsafe.Clean(src), "", "  ", r.opts.Width)
	if sum.Browser != "" && (sum.Browser != cors.Chromium.Name || sum.BrowserSource == harfile.BrowserFromFlag) {
		writeWrapped(&b, fmt.Sprintf("Judged as %s (%s); the console lines below are %s's.", displayName(sum.Browser), browserSourceWords[sum.BrowserSource], displayName(sum.Browser)), "", "  ", r.opts.Width)
	}
	blocked := pal.good.Sprint("0 blocked")
	if sum.Blocked > 0 {
		blocked = pal.bad.Sprintf("%d blocked by the browser", sum.Blocked)
	}
	verdict := fmt.Sprintf("%s, %d cross-origin (%d CORS-checked), %s", plural(sum.Requests, "request", "requests"), sum.CrossOrigin, sum.CORS, blocked)
	// CauseUnknown counts blocked requests: it qualifies the blocked count.
	if sum.CauseUnknown > 0 {
		verdict += fmt.Sprintf(" (%d with the cause not in the file)", sum.CauseUnknown)
	}
	if sum.Failed > 0 {
		verdict += ", " + pal.warn.Sprintf("%d failed for reasons that are not CORS", sum.Failed)
	}
	if r.Despite > 0 {
		verdict += ", " + pal.warn.Sprintf("%d allowed despite the server's answer", r.Despite)
	}
	writeWrapped(&b, verdict+".", "", "  ", r.opts.Width)
	if sum.ErrorPathProbes > 0 {
		probes := fmt.Sprintf("%d entries are corsdiag error-path probes (check --har-out), not page requests: their answers are the error-responses-lack-cors warning of the request they probe.", sum.ErrorPathProbes)
		if sum.ErrorPathProbes == 1 {
			probes = "1 entry is a corsdiag error-path probe (check --har-out), not a page request: its answer is the error-responses-lack-cors warning of the request it probes."
		}
		writeWrapped(&b, pal.dim.Sprint(probes), "", "  ", r.opts.Width)
	}
	if sum.UnknownOrigin > 0 {
		writeWrapped(&b, pal.dim.Sprintf("%s no Origin, page URL, initiator or Referer; %s page origin is unknown.", plural(sum.UnknownOrigin, "request has", "requests have"), plural0(sum.UnknownOrigin, "its", "their")), "", "  ", r.opts.Width)
	}
	if sum.NoURL > 0 {
		writeWrapped(&b, pal.warn.Sprintf("%s no URL (or one without a scheme) in the file; %s not judged.", plural(sum.NoURL, "request has", "requests have"), plural0(sum.NoURL, "it is", "they are")), "", "  ", r.opts.Width)
	}
	if sum.LeavesOutFailed {
		writeWrapped(&b, pal.warn.Sprintf("%s writes no entry for a request that failed: a request the browser blocked is not in this file; record it with the browser's DevTools to see why.", termsafe.Clean(log.Creator.Name)), "", "  ", r.opts.Width)
	}
	if sum.HeadersCut > 0 {
		writeWrapped(&b, pal.warn.Sprintf("%s a request or response with more than %d headers; corsdiag read the first %d, so a header after them (an Origin) did not count.", plural(sum.HeadersCut, "entry has", "entries have"), harfile.MaxHeaders, harfile.MaxHeaders), "", "  ", r.opts.Width)
	}
	if f := termsafe.Clean(r.opts.Filter); f != "" && r.Blocked != sum.Blocked {
		var line string
		switch {
		case sum.Blocked == 1:
			line = fmt.Sprintf("The blocked request does not match %s.", f)
		case r.Blocked == 0:
			line = fmt.Sprintf("None of the %d blocked requests matches %s.", sum.Blocked, f)
		default:
			line = fmt.Sprintf("Shown: the %d of the %d blocked requests that %s %s.", r.Blocked, sum.Blocked, plural0(r.Blocked, "matches", "match"), f)
		}
		writeWrapped(&b, line, "", "  ", r.opts.Width)
	}
	if readErr != nil {
		// "har: " is the package's prefix, noise after "Partial report: ".
		writeWrapped(&b, pal.warn.Sprint("Partial report: "+termsafe.Clean(strings.TrimPrefix(readErr.Error(), "har: "))), "", "  ", r.opts.Width)
	}
	writeHARBrowsers(&b, r.opts.Browsers, r.cleanURL, r.opts.Width)
	sort.SliceStable(r.order, func(i, j int) bool { return r.order[i].Count > r.order[j].Count })
	if len(r.order) > 0 {
		writeWrapped(&b, pal.bold.Sprintf("Problems (%d distinct), most frequent first:", len(r.order)), "\n", "", r.opts.Width)
	}
	width := r.opts.Width
	for _, g := range r.order {
		times := "1 request"
		if g.Count > 1 {
			times = fmt.Sprintf("%d requests", g.Count)
		}
		b.WriteString("\n")
		writeWrapped(&b, pal.bad.Sprint("✗")+" "+pal.bold.Sprint(g.Cause)+" ("+times+", "+g.Origin+" → "+g.Target+")", "", "  ", width)
		if g.Cause != g.Code {
			writeWrapped(&b, g.Code, "  Reported:  ", "             ", width)
		}
		if g.Platform != "" {
			writeWrapped(&b, g.Platform, "  Platform:  ", "             ", width)
		}
		writeWrapped(&b, statusMix(g.Statuses), "  Statuses:  ", "             ", width)
		writeWrapped(&b, g.Message, "  Cause:     ", "             ", width)
		if g.Fix != "" {
			writeBlock(&b, g.Fix, "  Fix:       ", "             ", width, func(s string) string { return s })
		}
		writeFollows(&b, g.Follows, width)
		if g.BrowserMessage != "" {
			// One line, whatever the width: it is what people copy and search for.
			fmt.Fprintf(&b, "  Console:   %s\n", g.BrowserMessage)
		}
		writeWrapped(&b, g.exampleLine, "  Example:   ", "             ", width)
		if g.Reproduce != "" {
			fmt.Fprintf(&b, "  Reproduce: %s\n", g.Reproduce)
		}
		writeCommand(&b, "  Docs:      ", "corsdiag explain "+g.Cause, width)
	}
	r.writeDespite(&b, pal)
	if _, err := io.WriteString(r.out, b.String()); err != nil {
		return err
	}
	if err := r.writeFailures(pal); err != nil {
		return err
	}
	if len(r.rows) > 0 {
		title := "Blocked requests"
		if r.opts.All {
			title = "Cross-origin requests"
		}
		if err := r.writeTable(pal.bold.Sprint(title)); err != nil {
			return err
		}
		if r.more > 0 {
			fmt.Fprintf(r.out, "… and %d more (use -o json for all)\n", r.more)
		}
	}
	return nil
}

// writeFollows lists under a problem's cause the errors that follow from
// it, as check does under its reported finding.
func writeFollows(b *strings.Builder, follows []harFollow, width int) {
	if len(follows) == 0 {
		return
	}
	head := "1 more follows from this:"
	if len(follows) > 1 {
		head = fmt.Sprintf("%d more follow from this:", len(follows))
	}
	writeWrapped(b, head, "  Follows:   ", "             ", width)
	for _, f := range follows {
		writeWrapped(b, f.Code+" ("+stepWords(f.Step)+"): "+f.Message, "             - ", "               ", width)
	}
}

// writeFailures lists the requests that failed for reasons that are not
// CORS, by reason: they need no server change for CORS.
func (r *HARRenderer) writeFailures(pal palette) error {
	if len(r.failOrd) == 0 {
		return nil
	}
	sort.SliceStable(r.failOrd, func(i, j int) bool { return r.failOrd[i].Count > r.failOrd[j].Count })
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s\n", pal.bold.Sprintf("Failed, not CORS (%d):", r.Failed))
	for _, f := range r.failOrd {
		writeWrapped(&b, pal.warn.Sprint("!")+" "+f.Reason+": "+plural(f.Count, "request", "requests")+", e.g. "+f.exampleLine, "  ", "    ", r.opts.Width)
	}
	_, err := io.WriteString(r.out, b.String())
	return err
}

// statusMix renders a problem's statuses, most frequent first: "403 ×2, 0".
func statusMix(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		label := k
		if k == "0" {
			label = "0 (no status recorded)"
		}
		if m[k] > 1 {
			label += fmt.Sprintf(" ×%d", m[k])
		}
		parts[i] = label
	}
	return strings.Join(parts, ", ")
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

func (r *HARRenderer) writeTable(title string) error {
	header := slices.Clone(harTableHeader)
	rows := r.rows
	// One page origin for every row: said once, its column dropped.
	if origin, same := sameColumn(rows, originColumn); same {
		title += " from " + origin
		header = slices.Delete(header, originColumn, originColumn+1)
		for i := range rows {
			rows[i] = slices.Delete(rows[i], originColumn, originColumn+1)
		}
	}
	// One scheme and host for every URL: said in the header, paths below.
	if host := commonHost(rows, urlColumn); host != "" {
		header[urlColumn] = "URL (" + host + ")"
		for _, row := range rows {
			row[urlColumn] = strings.TrimPrefix(row[urlColumn], host)
		}
	}
	var b strings.Builder
	writeWrapped(&b, title+":", "", "  ", r.opts.Width)
	io.WriteString(r.out, "\n"+b.String())
	header, rows, stacked := harTableFit.Fit(header, rows, r.opts.Width)
	if stacked {
		return RenderTable(newGridTable(r.out), header, rows)
	}
	if ok, err := writeASCIIListTable(r.out, header, rows); ok {
		return err
	}
	return RenderTable(newListTable(r.out), header, rows)
}

var harTableHeader = []string{"#", "Method", "URL", "Page origin", "Finding"}

const urlColumn, originColumn = 2, 3

// harTableFit fits the table to the terminal (docs/har.md lists the
// order): the URL wraps, down to 30 columns; then the method goes before
// it; the page origin and then the finding code move under it, on lines
// of their own, whole while there is room; last the entry's number goes
// before it too, leaving one column.
var harTableFit = ListFit{Main: urlColumn, Least: 10, Most: 30, Steps: []GiveStep{
	{Column: "Method", Place: Before},
	{Column: "Page origin", Place: Under, Prefix: "from "},
	{Column: "Finding", Place: Under, Prefix: "[", Suffix: "]"},
	{Column: "#", Place: Before, Prefix: "#"},
}}

// sameColumn reports whether every row has the same value in column i.
func sameColumn(rows [][]string, i int) (string, bool) {
	if len(rows) == 0 {
		return "", false
	}
	for _, row := range rows[1:] {
		if row[i] != rows[0][i] {
			return "", false
		}
	}
	return rows[0][i], true
}

// commonHost is the scheme and host every URL of column i starts with, or "".
func commonHost(rows [][]string, i int) string {
	host := ""
	for _, row := range rows {
		h := cors.OriginOf(row[i])
		if h == "" || h == "null" || !strings.HasPrefix(row[i], h+"/") {
			return ""
		}
		if host != "" && h != host {
			return ""
		}
		host = h
	}
	return host
}

// browserSourceWords says where the file's browser was learnt.
var browserSourceWords = map[string]string{
	harfile.BrowserFromFlag:      "--browser",
	harfile.BrowserFromCreator:   "the file's creator",
	harfile.BrowserFromBrowser:   "the file's browser field",
	harfile.BrowserFromUserAgent: "the requests' User-Agent",
	harfile.BrowserDefault:       "the file names no browser",
}
