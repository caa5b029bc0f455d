package report

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// The HTML report is one self-contained file: inline CSS, inline SVG and
// one static script, no external resource of any kind. A Content Security
// Policy with the hashes of that style and script (and nothing else) makes
// the page unable to run or fetch anything a server or a HAR put in it,
// even if escaping were ever wrong.

//go:embed html/report.tmpl
var htmlTemplateText string

//go:embed html/report.css
var htmlCSS string

//go:embed html/report.js
var htmlJS string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"lower": strings.ToLower,
	// Pipeline helpers for SVG coordinates: {{.X | minus 4}} is X-4.
	"minus": func(d, x int) int { return x - d },
	"plus":  func(d, x int) int { return x + d },
	"boxX":  func(x int) int { return x - 100 },
}).Parse(htmlTemplateText))

// htmlCSP allows the embedded style and script by hash, and nothing else.
var htmlCSP = "default-src 'none'; style-src '" + cspHash(htmlCSS) + "'; script-src '" + cspHash(htmlJS) +
	"'; form-action 'none'; base-uri 'none'"

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// HTMLMaxItems caps the requests drawn in one report; the summary still
// counts every one.
const HTMLMaxItems = 2000

// HTMLPage is what an HTML report shows: the counts, then one item per
// request (a check, a HAR entry, a ci check × origin).
type HTMLPage struct {
	Tool Tool
	// Command is the command that wrote it: check, har or ci.
	Command string
	// Source is what was diagnosed: a URL, a HAR file, a ci config.
	Source string
	// Counts are the verdict counts, in the order the door reports them;
	// they are the JSON summary's numbers.
	Counts []HTMLCount
	Items  []HTMLItem
	// Omitted counts requests past HTMLMaxItems, counted but not drawn.
	Omitted int
	// Undrawn are the problems of the omitted requests, one item standing
	// for each, so that the problems count every request.
	Undrawn  []HTMLUndrawn
	NoRedact bool
}

// HTMLUndrawn is a problem's requests that are counted but not drawn:
// the first of them (for its cause and fix), how many, their statuses.
type HTMLUndrawn struct {
	Item     HTMLItem
	Count    int
	Statuses []string
}

// HTMLCount is one verdict's count in the summary.
type HTMLCount struct {
	Label string
	N     int
}

// HTMLItem is one request of the report.
type HTMLItem struct {
	// Label names it for the reader: "entry 12", a ci check's name.
	Label string
	// Verdict is the door's own word: allowed, blocked, passed, failed…
	Verdict   string
	Exchange  *cors.Exchange
	Findings  []cors.Finding
	Platform  *platform.Detection
	ErrorPath []ErrorPath
	// BrowserSkipsActual: the actual hops were sent by corsdiag only.
	BrowserSkipsActual bool
	// Note is a line of context (a ci expectation, a network error).
	Note string
	// Reproduce is the request `corsdiag check` sends to find a cause
	// the recording does not hold; nil when not needed.
	Reproduce *cors.Request
	// Browser is the profile that judged it ("" is Chromium); Browsers
	// are every browser's verdict when several were asked for.
	Browser  string
	Browsers []cors.BrowserVerdict
	// Problem is what is wrong when it is not an error the browser
	// reports (a ci check the browser allows but should not): shown as
	// the cause, with no stop mark.
	Problem *cors.Finding
}

// HTMLItemFromCheck is the item of a `check` result.
func HTMLItemFromCheck(res *CheckResult) HTMLItem {
	return HTMLItem{
		Label:              "check",
		Browser:            res.Browser,
		Browsers:           res.Browsers,
		Verdict:            string(res.Diagnosis.Verdict),
		Exchange:           res.Exchange,
		Findings:           res.Diagnosis.Findings,
		Platform:           res.Platform,
		ErrorPath:          res.ErrorPaths,
		BrowserSkipsActual: res.BrowserSkipsActual,
	}
}

// WriteCheckHTML writes the HTML report of one check.
func WriteCheckHTML(w io.Writer, res *CheckResult) error {
	item := HTMLItemFromCheck(res)
	return WriteHTML(w, &HTMLPage{
		Tool: res.Tool, Command: "check", Source: res.Exchange.Request.URL,
		Counts:   []HTMLCount{{Label: item.Verdict, N: 1}},
		Items:    []HTMLItem{item},
		NoRedact: res.NoRedact,
	})
}

// WriteHTML renders page as one self-contained HTML document.
func WriteHTML(w io.Writer, page *HTMLPage) error {
	v := buildHTMLView(page)
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// The view: every string already redacted and made safe to show;
// html/template escapes it for its context (text, attribute, SVG).
type (
	htmlView struct {
		Title    string
		CSP      string
		CSS      template.CSS
		JS       template.JS
		Tool     Tool
		Command  string
		Source   string
		Counts   []HTMLCount
		Problems []htmlProblem
		Items    []htmlItemView
		Omitted  int
		Codes    []string
		Verdicts []string
		Redacted bool
	}
	htmlProblem struct {
		Code     string
		Severity string
		Count    int
		Statuses string // statuses, joined
		statuses []string
		Cause    string
		Fix      string
		Platform string
		Tailored []htmlFix
		Example  string // anchor of the first request with it
	}
	htmlFix struct {
		Code, Platform, Message, Fix string
	}
	htmlItemView struct {
		ID      string
		Label   string
		Verdict string
		Method  string
		URL     string
		Origin  string
		Note    string
		Code    string
		// Blocked: the browser reports an error for it (a stop mark).
		Blocked bool
		Console []string
		// BrowserName is the judging browser's name ("Chrome").
		BrowserName string
		// Others are the other browsers' verdicts, when several.
		OtherBrowsers []htmlBrowser
		Cause         string
		Fix           string
		Tailored      []htmlFix
		Others        []htmlFinding
		Platform      string
		Evidence      []string
		Diagram       *svgDiagram
		Hops          []htmlHop
		Skipped       string
		// Script is what page script asked for: its own headers.
		Script    []htmlHeader
		Reproduce string
	}
	htmlBrowser struct {
		Name, Verdict, Code string
		Console             []string
	}
	htmlFinding struct {
		Code, Severity, Step, Message string
	}
	htmlHop struct {
		Title    string
		Request  []htmlHeader
		Status   string
		Response []htmlHeader
		NetError string
		Body     string
	}
	htmlHeader struct {
		Name, Value string
	}
)

func buildHTMLView(page *HTMLPage) *htmlView {
	v := &htmlView{
		Title:    "corsdiag " + page.Command + ": " + safeText(page.Source),
		CSP:      htmlCSP,
		CSS:      template.CSS(htmlCSS),
		JS:       template.JS(htmlJS),
		Tool:     page.Tool,
		Command:  page.Command,
		Source:   safeText(page.Source),
		Counts:   page.Counts,
		Omitted:  page.Omitted,
		Redacted: !page.NoRedact,
	}
	if page.Source != "" && strings.Contains(page.Source, "://") {
		v.Source = safeText(sanitizerFor(page.NoRedact).URL(page.Source))
		v.Title = "corsdiag " + page.Command + ": " + v.Source
	}
	problems := map[string]*htmlProblem{}
	var order []*htmlProblem
	codes := map[string]bool{}
	verdicts := map[string]bool{}
	for i := range page.Items {
		it := buildHTMLItem(&page.Items[i], i, page.NoRedact)
		v.Items = append(v.Items, it)
		verdicts[it.Verdict] = true
		if it.Code == "" {
			continue
		}
		codes[it.Code] = true
		key := it.Code + "\x00" + it.Platform
		p := problems[key]
		if p == nil {
			p = &htmlProblem{Code: it.Code, Cause: it.Cause, Fix: it.Fix, Platform: it.Platform, Tailored: it.Tailored, Example: it.ID}
			if rep := reportedOf(page.Items[i].Findings); rep != nil {
				p.Severity = string(rep.Severity)
			} else if pr := page.Items[i].Problem; pr != nil {
				p.Severity = string(pr.Severity)
			}
			problems[key] = p
			order = append(order, p)
		}
		p.Count++
		p.addStatus(finalStatus(page.Items[i].Exchange))
	}
	for i := range page.Undrawn {
		u := &page.Undrawn[i]
		it := buildHTMLItem(&u.Item, -1, page.NoRedact)
		if it.Code == "" {
			continue
		}
		key := it.Code + "\x00" + it.Platform
		p := problems[key]
		if p == nil {
			// No request of it is drawn: no link.
			p = &htmlProblem{Code: it.Code, Cause: it.Cause, Fix: it.Fix, Platform: it.Platform, Tailored: it.Tailored}
			if rep := reportedOf(u.Item.Findings); rep != nil {
				p.Severity = string(rep.Severity)
			}
			problems[key] = p
			order = append(order, p)
		}
		p.Count += u.Count
		for _, st := range u.Statuses {
			p.addStatus(st)
		}
	}
	slices.SortStableFunc(order, func(a, b *htmlProblem) int { return cmp.Compare(b.Count, a.Count) })
	for _, p := range order {
		p.Statuses = strings.Join(p.statuses, ", ")
		v.Problems = append(v.Problems, *p)
	}
	for c := range codes {
		v.Codes = append(v.Codes, c)
	}
	slices.Sort(v.Codes)
	for vd := range verdicts {
		v.Verdicts = append(v.Verdicts, vd)
	}
	slices.Sort(v.Verdicts)
	return v
}

func reportedOf(fs []cors.Finding) *cors.Finding {
	for i := range fs {
		if fs[i].Reported {
			return &fs[i]
		}
	}
	return nil
}

// addStatus lists st among the problem's final statuses, once.
func (p *htmlProblem) addStatus(st string) {
	if st != "" && !slices.Contains(p.statuses, st) {
		p.statuses = append(p.statuses, st)
	}
}

// finalStatus is the status a request ended with, in words: "403", or
// "no response".
func finalStatus(ex *cors.Exchange) string {
	if ex == nil {
		return ""
	}
	if len(ex.Actual) > 0 {
		h := ex.Actual[len(ex.Actual)-1]
		if h.Response != nil && h.Response.Status > 0 {
			return strconv.Itoa(h.Response.Status)
		}
		return "no response"
	}
	if ex.Preflight != nil && ex.Preflight.Response != nil && ex.Preflight.Response.Status > 0 {
		return "preflight " + strconv.Itoa(ex.Preflight.Response.Status)
	}
	return ""
}

func sanitizerFor(noRedact bool) *sanitizer { return &sanitizer{redact: !noRedact} }

// safeText keeps what a server sent from reordering or hiding what the
// reader sees: control, bidi and invisible characters are shown escaped.
func safeText(s string) string { return termsafe.Clean(s) }

func buildHTMLItem(it *HTMLItem, i int, noRedact bool) htmlItemView {
	ex := it.Exchange
	if ex == nil {
		ex = &cors.Exchange{}
	}
	s := sanitizerFor(noRedact)
	s.urls = []string{ex.Request.URL}
	for _, h := range allHops(ex, it.ErrorPath) {
		s.urls = append(s.urls, h.hop.Request.URL)
	}
	text := func(t string) string { return safeText(s.Text(t)) }
	view := htmlItemView{
		ID:      "req-" + strconv.Itoa(i+1),
		Label:   safeText(it.Label),
		Verdict: safeText(it.Verdict),
		Method:  safeText(cors.NormalizeMethod(ex.Request.Method)),
		URL:     safeText(s.URL(ex.Request.URL)),
		Origin:  safeText(s.Text(ex.Request.Origin)),
		Note:    text(it.Note),
		Skipped: text(ex.ActualSkipped),
	}
	rep := reportedOf(it.Findings)
	view.Blocked = rep != nil
	view.BrowserName = displayName(cmp.Or(it.Browser, "chromium"))
	if len(it.Browsers) > 1 {
		for _, bv := range it.Browsers {
			b := htmlBrowser{Name: displayName(bv.Browser), Verdict: string(bv.Verdict), Code: string(bv.Reported)}
			if bv.Browser != cmp.Or(it.Browser, "chromium") {
				for _, l := range bv.Console {
					b.Console = append(b.Console, text(l))
				}
			}
			view.OtherBrowsers = append(view.OtherBrowsers, b)
		}
	}
	if rep == nil && it.Problem != nil {
		view.Code = string(it.Problem.Code)
		view.Cause = text(it.Problem.Message)
		view.Fix = text(it.Problem.Fix)
	}
	if rep != nil {
		view.Code = string(rep.Code)
		view.Cause = text(rep.Message)
		view.Fix = text(rep.Fix)
		for _, line := range consoleLines(it.Browser, rep) {
			// Redacted whole, then split: a URL the line quotes may hold a
			// line break, and its halves are no URL to redact.
			for _, l := range strings.Split(s.Text(line), "\n") {
				if l != "" {
					view.Console = append(view.Console, safeText(l))
				}
			}
		}
	}
	for i := range it.Findings {
		f := &it.Findings[i]
		switch {
		case f == rep:
		case (f.Platform != "" || f.Cause) && f.Fix != "":
			view.Tailored = append(view.Tailored, htmlFix{Code: string(f.Code), Platform: safeText(f.Platform), Message: text(f.Message), Fix: text(f.Fix)})
		default:
			view.Others = append(view.Others, htmlFinding{Code: string(f.Code), Severity: string(f.Severity), Step: f.Step, Message: text(f.Message)})
		}
	}
	if it.Platform != nil {
		view.Platform = safeText(it.Platform.Name)
		for _, e := range it.Platform.Evidence {
			view.Evidence = append(view.Evidence, text(e))
		}
	}
	view.Script = headerRows(ex.Request.Header, s)
	if it.Reproduce != nil {
		p, _ := cors.LookupProfile(it.Browser)
		view.Reproduce = safeText(harfile.CheckCommand(it.Reproduce, p, noRedact))
	}
	var browserLines []string
	for _, b := range view.OtherBrowsers {
		line := b.Name + ": " + b.Verdict
		if b.Code != "" {
			line += " (" + b.Code + ")"
		}
		browserLines = append(browserLines, line)
	}
	view.Diagram = buildDiagram(ex, it, rep, s, browserLines)
	for _, h := range allHops(ex, it.ErrorPath) {
		view.Hops = append(view.Hops, htmlHopView(h, s))
	}
	return view
}

// labeledHop is a hop of the exchange with the step name findings use.
type labeledHop struct {
	step  string
	title string
	hop   *cors.Hop
}

func allHops(ex *cors.Exchange, errorPaths []ErrorPath) []labeledHop {
	var out []labeledHop
	if ex.Preflight != nil {
		out = append(out, labeledHop{step: "preflight", title: "Preflight", hop: ex.Preflight})
	}
	for i := range ex.Actual {
		h := &ex.Actual[i]
		step, title := "actual", "Actual request"
		if i > 0 {
			step = "redirect " + strconv.Itoa(i)
			title = "Redirect " + strconv.Itoa(i)
		}
		if h.RedirectPreflight != nil {
			out = append(out, labeledHop{step: step, title: title + ": preflight", hop: h.RedirectPreflight})
		}
		out = append(out, labeledHop{step: step, title: title, hop: h})
	}
	for i := range errorPaths {
		out = append(out, labeledHop{step: "error-path", title: "Error path (" + errorPaths[i].Purpose + ")", hop: &errorPaths[i].Hop})
	}
	return out
}

func htmlHopView(h labeledHop, s *sanitizer) htmlHop {
	out := htmlHop{Title: h.title + ": " + safeText(h.hop.Request.Method+" "+s.URL(h.hop.Request.URL))}
	out.Request = headerRows(h.hop.Request.Header, s)
	if r := h.hop.Response; r != nil {
		out.Status = safeText(strings.TrimSpace(strconv.Itoa(r.Status) + " " + r.StatusText))
		out.Response = headerRows(r.Header, s)
		if len(r.Body) > 0 {
			body := s.Body(r.Body)
			if len(body) > 2048 {
				body = body[:2048] + " …"
			}
			out.Body = safeText(body)
		}
	}
	out.NetError = safeText(s.Text(h.hop.NetError))
	return out
}

// headerRows lists h sorted by name, one row per header line, each value
// capped so one hostile header cannot blow up the page.
func headerRows(h http.Header, s *sanitizer) []htmlHeader {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	var out []htmlHeader
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, htmlHeader{Name: safeText(k), Value: shown(s.HeaderValue(k, v), maxShownLine)})
		}
	}
	return out
}

// hostOf is u's scheme and host, or "" when it does not parse.
func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return ""
	}
	return p.Scheme + "://" + p.Host
}

// HTMLHARCollector gathers `har` results for the HTML report: every
// blocked request (and every request with --all), up to HTMLMaxItems,
// blocked ones first; the problems of the rest are counted, not drawn.
type HTMLHARCollector struct {
	All        bool
	items      []HTMLItem
	notBlocked int // items that are not blocked
	more       int
	undrawn    []HTMLUndrawn
	undrawnKey map[string]int // reported code and platform → undrawn
	// Blocked counts the blocked requests added.
	Blocked int
}

// omit counts it as not drawn, under its problem.
func (c *HTMLHARCollector) omit(it HTMLItem) {
	c.more++
	rep := reportedOf(it.Findings)
	if rep == nil {
		return
	}
	key := string(rep.Code) + "\x00"
	if it.Platform != nil {
		key += it.Platform.Name
	}
	if c.undrawnKey == nil {
		c.undrawnKey = map[string]int{}
	}
	i, ok := c.undrawnKey[key]
	if !ok {
		i = len(c.undrawn)
		c.undrawnKey[key] = i
		c.undrawn = append(c.undrawn, HTMLUndrawn{Item: it})
	}
	u := &c.undrawn[i]
	u.Count++
	if st := finalStatus(it.Exchange); st != "" && !slices.Contains(u.Statuses, st) && len(u.Statuses) < 20 {
		u.Statuses = append(u.Statuses, st)
	}
}

// Add takes one analysed request.
func (c *HTMLHARCollector) Add(res *harfile.Result) error {
	if res.Verdict == cors.Blocked {
		c.Blocked++
	}
	if !c.All && res.Verdict != cors.Blocked && len(res.Findings) == 0 {
		return nil
	}
	ex := res.Exchange
	if ex == nil {
		ex = &cors.Exchange{Request: cors.Request{Method: res.Method, URL: res.URL, Origin: res.Origin}}
	}
	note := ""
	if res.NetError != "" {
		note = "recorded network error: " + res.NetError
	}
	if res.CauseSource != "" {
		note = strings.TrimSpace(note + " (cause: " + res.CauseSource + ")")
	}
	it := HTMLItem{
		Label:     "entry " + strconv.Itoa(res.Index),
		Verdict:   string(res.Verdict),
		Exchange:  ex,
		Findings:  res.Findings,
		Platform:  platformOf(res),
		Note:      note,
		Reproduce: res.Reproduce,
	}
	if res.Profile != nil {
		it.Browser = res.Profile.Name
	}
	blocked := res.Verdict == cors.Blocked
	switch {
	case len(c.items) < HTMLMaxItems:
	case blocked && c.notBlocked > 0:
		// Blocked requests are drawn first: the latest of the others
		// makes room.
		for i := len(c.items) - 1; i >= 0; i-- {
			if c.items[i].Verdict != string(cors.Blocked) {
				c.omit(c.items[i])
				c.items = slices.Delete(c.items, i, i+1)
				c.notBlocked--
				break
			}
		}
	default:
		c.omit(it)
		return nil
	}
	if !blocked {
		c.notBlocked++
	}
	c.items = append(c.items, it)
	return nil
}

// platformOf is who answered res, when its findings name a platform.
func platformOf(res *harfile.Result) *platform.Detection {
	for _, f := range res.Findings {
		if f.Platform != "" {
			return &platform.Detection{Name: f.Platform}
		}
	}
	return nil
}

// Finish writes the report.
func (c *HTMLHARCollector) Finish(w io.Writer, tool Tool, source string, sum harfile.Summary, noRedact bool) error {
	return WriteHTML(w, &HTMLPage{
		Tool: tool, Command: "har", Source: source,
		Counts: []HTMLCount{
			{Label: "requests", N: sum.Requests},
			{Label: "cross-origin", N: sum.CrossOrigin},
			{Label: "blocked", N: sum.Blocked},
		},
		Items:    c.items,
		Omitted:  c.more,
		Undrawn:  c.undrawn,
		NoRedact: noRedact,
	})
}
