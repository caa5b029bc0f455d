package report

import (
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
