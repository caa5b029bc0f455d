package report

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
)

// displayName is how people name a profile's browser ("Chrome").
func displayName(name string) string {
	if p, ok := cors.LookupProfile(name); ok {
		return p.Display
	}
	return name
}

// consoleLines is what the primary browser logs for f, every line in order;
// f.BrowserMessage alone when the profile is unknown.
func consoleLines(browser string, f *cors.Finding) []string {
	if p, ok := cors.LookupProfile(browser); ok {
		if lines := p.Lines(f); len(lines) > 0 {
			return lines
		}
	}
	if f.BrowserMessage != "" {
		return []string{f.BrowserMessage}
	}
	return nil
}

// errorName is the browser's own name for the error f (Chromium's
// CorsError, Firefox's reason key), "" when it has none: WebKit logs its
// lines without one. browser "" is Chromium, as in HTMLItem.
func errorName(browser string, f *cors.Finding) string {
	if p, ok := cors.LookupProfile(cmp.Or(browser, cors.Chromium.Name)); ok {
		return p.Key(f)
	}
	return ""
}

// joinNames is "A", "A and B", "A, B and C".
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// BrowsersDiffer says whether the browsers judged vs differently, and in
// words how: the headline ("blocked in Firefox and Safari only") and why
// when the plans or the reported errors show it.
func BrowsersDiffer(vs []cors.BrowserVerdict) (differ bool, headline, why string) {
	var blocked, allowed []string
	for _, v := range vs {
		if v.Verdict == cors.Blocked {
			blocked = append(blocked, displayName(v.Browser))
		} else {
			allowed = append(allowed, displayName(v.Browser))
		}
	}
	if len(blocked) == 0 || len(allowed) == 0 {
		return false, "", ""
	}
	headline = "blocked in " + joinNames(blocked) + " only; allowed in " + joinNames(allowed)
	return true, headline, differenceWhy(vs)
}

// differenceWhy names the first way the browsers' judgements part: one
// sends a preflight the other does not, or they report different errors.
func differenceWhy(vs []cors.BrowserVerdict) string {
	var pre, noPre []string
	var reasons []string
	var noCORS, checked []string
	for _, v := range vs {
		if v.Diagnosis == nil {
			continue
		}
		if v.Diagnosis.Plan.NoCORS {
			noCORS = append(noCORS, displayName(v.Browser))
		} else {
			checked = append(checked, displayName(v.Browser))
		}
		if v.Diagnosis.Plan.Preflight {
			pre = append(pre, displayName(v.Browser))
			if reasons == nil {
				reasons = v.Diagnosis.Plan.Reasons
			}
		} else {
			noPre = append(noPre, displayName(v.Browser))
		}
	}
	if len(noCORS) > 0 && len(checked) > 0 {
		return joinNames(noCORS) + " " + plural0(len(noCORS), "loads", "load") + " it without CORS (no Origin sent, nothing checked); " +
			joinNames(checked) + " " + plural0(len(checked), "checks", "check") + " it"
	}
	if len(pre) > 0 && len(noPre) > 0 {
		verb := "sends"
		if len(pre) > 1 {
			verb = "send"
		}
		return joinNames(pre) + " " + verb + " a preflight (" + strings.Join(reasons, "; ") + "); " + joinNames(noPre) + " does not"
	}
	var parts []string
	for _, v := range vs {
		if v.Reported != "" {
			parts = append(parts, displayName(v.Browser)+" reports "+string(v.Reported))
		}
	}
	return strings.Join(parts, ", ")
}

// HARBrowsers is several browsers' judgements of one HAR file (har
// --browser all), one pass over the file per browser. Its memory stays
// small whatever the file: two bytes per request and browser, and the URL
// only of the requests the browsers judge differently.
type HARBrowsers struct {
	List []HARBrowser
	// codes are the reported codes seen, by id-1; ids index them in
	// HARBrowser.judged.
	codes  []cors.Code
	codeID map[cors.Code]uint16
	// differ is the URL of each request the browsers judge differently,
	// by request index; filled by the first browser's pass.
	differ map[int]string
}

// HARBrowser is one browser's judgement of a whole HAR file: how many
// requests it blocks and its verdict on each.
type HARBrowser struct {
	Name    string `json:"name"`
	Blocked int    `json:"blocked"`
	// AllowedDespiteHeaders counts the requests allowed as recorded whose
	// recorded answer this browser's engine fails: it blocks them there
	// (without the recording browser's extension or flag).
	AllowedDespiteHeaders int `json:"allowed_despite_headers"`
	// judged is, by request index (entry index in the file), notJudged,
	// notBlocked, or blockedNoCode plus the id of the code reported.
	judged []uint16
}

const (
	notJudged = iota
	notBlocked
	blockedNoCode
)

// NewHARBrowsers is ready for the passes of the browsers named.
func NewHARBrowsers(names []string) *HARBrowsers {
	c := &HARBrowsers{codeID: map[cors.Code]uint16{}, differ: map[int]string{}}
	for _, n := range names {
		c.List = append(c.List, HARBrowser{Name: n})
	}
	return c
}

// PassOrder is the order to run the browsers' passes in, as indexes into
// List: the first browser last, so that its pass sees every other
// browser's verdict and keeps the URLs of the requests they judge
// differently (the list names the first browser's view of each).
func (c *HARBrowsers) PassOrder() []int {
	order := make([]int, 0, len(c.List))
	for i := 1; i < len(c.List); i++ {
		order = append(order, i)
	}
	return append(order, 0)
}

// Add records browser's judgement of one request; the passes run in
// PassOrder, and a pass judges each index once (harfile.Analyze emits one
// result per request).
func (c *HARBrowsers) Add(browser int, res *harfile.Result) {
	b := &c.List[browser]
	state := uint16(notBlocked)
	if res.Verdict == cors.Blocked {
		b.Blocked++
		state = blockedNoCode
		if f := res.Reported(); f != nil && f.Code != "" {
			state += c.id(f.Code)
		}
	} else if despiteFinding(res) != nil {
		b.AllowedDespiteHeaders++
	}
	if n := res.Index + 1; n > len(b.judged) {
		b.judged = slices.Grow(b.judged, n-len(b.judged))[:n]
	}
	b.judged[res.Index] = state
	if browser != 0 || len(c.List) < 2 {
		return
	}
	if c.blockedIn(res.Index) != 0 && c.allowedIn(res.Index) != 0 {
		c.differ[res.Index] = res.URL
	} else {
		delete(c.differ, res.Index)
	}
}

// id is code's id, from 1.
func (c *HARBrowsers) id(code cors.Code) uint16 {
	id, ok := c.codeID[code]
	if !ok {
		c.codes = append(c.codes, code)
		id = uint16(len(c.codes))
		c.codeID[code] = id
	}
	return id
}

func (b *HARBrowser) state(i int) uint16 {
	if i < len(b.judged) {
		return b.judged[i]
	}
	return notJudged
}

// blockedIn and allowedIn count the browsers that block request i and
// those that do not (not judging it is not blocking it).
func (c *HARBrowsers) blockedIn(i int) (n int) {
	for k := range c.List {
		if c.List[k].state(i) >= blockedNoCode {
			n++
		}
	}
	return n
}

func (c *HARBrowsers) allowedIn(i int) int { return len(c.List) - c.blockedIn(i) }

// code is the code the first browser that reports one reports for
// request i, or "".
func (c *HARBrowsers) code(i int) cors.Code {
	for k := range c.List {
		if s := c.List[k].state(i); s > blockedNoCode {
			return c.codes[s-blockedNoCode-1]
		}
	}
	return ""
}

// compared says whether there is a comparison to report.
func (c *HARBrowsers) compared() bool { return c != nil && len(c.List) > 1 }

// writeHARDespite says, under the comparison, that the verdicts compared
// are the recorded ones: requests allowed despite the server's answer are
// allowed in every browser there, yet each browser blocks them on that
// answer (they are not counted as differing: the file records one browser).
func writeHARDespite(w *strings.Builder, c *HARBrowsers, width int) {
	var names, counts []string
	same := true
	for _, b := range c.List {
		names = append(names, displayName(b.Name))
		counts = append(counts, fmt.Sprintf("%s %d", displayName(b.Name), b.AllowedDespiteHeaders))
		same = same && b.AllowedDespiteHeaders == c.List[0].AllowedDespiteHeaders
	}
	code := string(harfile.CodeAllowedDespiteHeaders)
	switch n := c.List[0].AllowedDespiteHeaders; {
	case same && n == 0:
		return
	case same:
		writeWrapped(w, fmt.Sprintf("As recorded: %s allowed despite the server's answer (%s); on that answer %s block %s.",
			plural(n, "request was", "requests were"), code, joinNames(names), plural0(n, "it", "them")), "  ", "    ", width)
	default:
		writeWrapped(w, fmt.Sprintf("As recorded: requests allowed despite the server's answer (%s) that each blocks on that answer: %s.",
			code, strings.Join(counts, ", ")), "  ", "    ", width)
	}
}

// HARDifference is one request the browsers judge differently.
type HARDifference struct {
	Index   int      `json:"index"`
	URL     string   `json:"url"`
	Blocked []string `json:"blocked_in"`
	Allowed []string `json:"allowed_in"`
}

// harDifferences lists the requests the browsers judge differently, in
// file order.
func harDifferences(c *HARBrowsers) []HARDifference {
	if !c.compared() {
		return nil
	}
	idx := make([]int, 0, len(c.differ))
	for i := range c.differ {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	out := make([]HARDifference, 0, len(idx))
	for _, i := range idx {
		d := HARDifference{Index: i, URL: c.differ[i], Blocked: []string{}, Allowed: []string{}}
		for k := range c.List {
			if c.List[k].state(i) >= blockedNoCode {
				d.Blocked = append(d.Blocked, c.List[k].Name)
			} else {
				d.Allowed = append(d.Allowed, c.List[k].Name)
			}
		}
		out = append(out, d)
	}
	return out
}

// writeHARBrowsers is the text block of har --browser all: each browser's
// count, and the requests they judge differently (said first).
func writeHARBrowsers(w *strings.Builder, c *HARBrowsers, clean func(string) string, width int) {
	if !c.compared() {
		return
	}
	var parts []string
	for _, b := range c.List {
		parts = append(parts, fmt.Sprintf("%s %d blocked", displayName(b.Name), b.Blocked))
	}
	diffs := harDifferences(c)
	if len(diffs) == 0 {
		writeWrapped(w, fmt.Sprintf("Browsers agree on every request: %s.", strings.Join(parts, ", ")), "", "  ", width)
		writeHARDespite(w, c, width)
		return
	}
	writeWrapped(w, fmt.Sprintf("Browsers differ on %d %s: %s.", len(diffs), map[bool]string{true: "request", false: "requests"}[len(diffs) == 1], strings.Join(parts, ", ")), "", "  ", width)
	writeHARDespite(w, c, width)
	for n, d := range diffs {
		if n == 10 {
			fmt.Fprintf(w, "  … and %d more (-o json lists them all)\n", len(diffs)-n)
			break
		}
		var names []string
		for _, b := range d.Blocked {
			names = append(names, displayName(b))
		}
		code := ""
		if rc := c.code(d.Index); rc != "" {
			code = " (" + string(rc) + ")"
		}
		writeWrapped(w, fmt.Sprintf("#%d %s: blocked in %s only%s", d.Index, clean(d.URL), joinNames(names), code), "  ", "    ", width)
	}
}
