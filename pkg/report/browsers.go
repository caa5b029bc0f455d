package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
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
	for _, v := range vs {
		if v.Diagnosis == nil {
			continue
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

// HARBrowser is one browser's judgement of a whole HAR file (har --browser
// all): how many requests it blocks and its verdict on each.
type HARBrowser struct {
	Name    string `json:"name"`
	Blocked int    `json:"blocked"`
	// Verdicts and Codes by request index (entry index in the file).
	Verdicts map[int]cors.Verdict `json:"-"`
	Codes    map[int]cors.Code    `json:"-"`
	// URLs by request index, for the list of requests the browsers
	// judge differently.
	URLs map[int]string `json:"-"`
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
func harDifferences(bs []HARBrowser) []HARDifference {
	if len(bs) < 2 {
		return nil
	}
	var idx []int
	for i := range bs[0].Verdicts {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	var out []HARDifference
	for _, i := range idx {
		d := HARDifference{Index: i, URL: bs[0].URLs[i], Blocked: []string{}, Allowed: []string{}}
		for _, b := range bs {
			if b.Verdicts[i] == cors.Blocked {
				d.Blocked = append(d.Blocked, b.Name)
			} else {
				d.Allowed = append(d.Allowed, b.Name)
			}
		}
		if len(d.Blocked) > 0 && len(d.Allowed) > 0 {
			out = append(out, d)
		}
	}
	return out
}

// writeHARBrowsers is the text block of har --browser all: each browser's
// count, and the requests they judge differently (said first).
func writeHARBrowsers(w io.Writer, bs []HARBrowser, clean func(string) string) {
	if len(bs) < 2 {
		return
	}
	var parts []string
	for _, b := range bs {
		parts = append(parts, fmt.Sprintf("%s %d blocked", displayName(b.Name), b.Blocked))
	}
	diffs := harDifferences(bs)
	if len(diffs) == 0 {
		fmt.Fprintf(w, "Browsers agree on every request: %s.\n", strings.Join(parts, ", "))
		return
	}
	fmt.Fprintf(w, "Browsers differ on %d %s: %s.\n", len(diffs), map[bool]string{true: "request", false: "requests"}[len(diffs) == 1], strings.Join(parts, ", "))
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
		for _, b := range bs {
			if c := b.Codes[d.Index]; c != "" && code == "" {
				code = " (" + string(c) + ")"
			}
		}
		fmt.Fprintf(w, "  #%d %s: blocked in %s only%s\n", d.Index, clean(d.URL), joinNames(names), code)
	}
}
