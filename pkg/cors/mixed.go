package cors

import (
	"net/url"
	"strconv"
	"strings"
)

// Mixed content (W3C Mixed Content, §4.4 "Should fetching request be
// blocked as mixed content?"): a page whose origin is https may not fetch a
// URL that is not potentially trustworthy. fetch() and XMLHttpRequest are
// blockable content, never upgraded: the browser blocks the request before
// anything is sent, so neither a preflight nor CORS is ever reached. The
// same holds for a redirect to such a URL. An image is upgradable content
// (§4.3): the browsers ask for its https URL instead
// (Profile.MixedContentUpgrades), and CORS applies to that answer. Verified on Chromium 156,
// Firefox ESR 153 and WebKitGTK 2.50 by the conformance suite
// (pkg/conformance/mixed_test.go, testdata/conformance/mixed-content.json).

// mixedContent reports whether a page of origin pageOrigin requesting
// rawURL is blocked as mixed content by the profile's browser: the page is
// https and the URL's origin is not potentially trustworthy (Secure
// Contexts §3.1: https, wss, or a loopback host such as 127.0.0.1, [::1],
// localhost), or, in WebKit, is anything but https or wss.
func (p *Profile) mixedContent(pageOrigin, rawURL string) bool {
	if !strings.HasPrefix(pageOrigin, "https:") {
		return false
	}
	// OriginOf reads the scheme and host even where net/url refuses the
	// path (a stray %zz the URL standard keeps).
	target := OriginOf(rawURL)
	if p.MixedContentBlocksLoopback {
		return !strings.HasPrefix(target, "https:") && !strings.HasPrefix(target, "wss:")
	}
	return !potentiallyTrustworthy(target)
}

// BlocksAsMixedContent reports whether the browser blocks r as mixed
// content: then it sends nothing at all, and neither should a probe.
func (p *Profile) BlocksAsMixedContent(r *Request) bool {
	if _, ok := p.MixedContentUpgrade(r); ok {
		return false
	}
	return p.mixedContent(canonicalOrigin(r.Origin), r.URL)
}

// MixedContentUpgrade is the https URL the browser requests instead of
// r's plain http one, when it upgrades r rather than blocking it; ok is
// false otherwise. Port 80 becomes https's default; any other is kept
// (Upgrade Insecure Requests §4.1, which Mixed Content §4.3 reuses).
func (p *Profile) MixedContentUpgrade(r *Request) (upgraded string, ok bool) {
	if !p.MixedContentUpgrades[r.Initiator] || !p.mixedContent(canonicalOrigin(r.Origin), r.URL) {
		return "", false
	}
	u, err := url.Parse(r.URL)
	if err != nil || u.Scheme != "http" {
		return "", false
	}
	u.Scheme = "https"
	// Host keeps an IPv6 literal's brackets.
	u.Host = strings.TrimSuffix(u.Host, ":80")
	return u.String(), true
}

// mixedContentFinding is the finding for a request from page to rawURL the
// browser blocks as mixed content, at step.
func (j *judge) mixedContentFinding(rawURL, step string) Finding {
	f := newFinding(CodeMixedContent, step, "the page "+quote(j.req.Origin)+" is served over https but "+mixedVerb(&j.req)+" "+quote(rawURL)+
		" over plain http; the browser blocks that as mixed content before sending anything, so CORS is never checked")
	// WebKit words a loopback URL's line its own way.
	var c Console
	if potentiallyTrustworthy(OriginOf(rawURL)) {
		c.Param = "loopback"
	}
	j.note(&f, rawURL, c)
	if in := InitiatorOf(&j.req); !in.Scripted {
		// A font or script host is not an API: the fix names the load.
		f.Fix = strings.Replace(f.Fix, mixedFixAPI, "the "+in.What+" over https and load it", 1)
	}
	return f
}

// mixedFixAPI is the catalogue fix's words for an API, which a load's fix
// replaces.
const mixedFixAPI = "the API over https and call it"

// mixedVerb says what the page does with the URL: calls an API, or loads
// a resource, named as the load is.
func mixedVerb(r *Request) string {
	in := InitiatorOf(r)
	if in.Scripted {
		return "calls"
	}
	return "loads its " + in.What + " from"
}

// upgradeFinding is the warning for r, whose plain http URL the browser
// requests as upgraded instead.
func (p *Profile) upgradeFinding(r *Request, upgraded string) Finding {
	f := newFinding(CodeMixedContentUpgraded, "request", "the page "+quote(r.Origin)+" is served over https and "+mixedVerb(r)+" "+
		quote(r.URL)+" over plain http; the browser does not block it but upgrades the request to https and asks for "+quote(upgraded)+
		" instead, so that URL must answer, and its answer is the one CORS checks")
	p.note(&f, r, Console{URL: r.URL, Origin: r.Origin})
	return f
}

// noteUpgrade warns that the browser upgraded the redirect to next's URL
// from plain http.
func (j *judge) noteUpgrade(next RedirectState) {
	if next.UpgradedFrom == "" {
		return
	}
	f := newFinding(CodeMixedContentUpgraded, "redirect "+strconv.Itoa(next.Count), "the redirect's Location "+quote(next.UpgradedFrom)+
		" is plain http and the page "+quote(j.req.Origin)+" is served over https; the browser does not block the image but upgrades the request to https and follows "+
		quote(next.URL)+" instead")
	j.p.note(&f, &j.req, Console{URL: next.UpgradedFrom, From: j.initURL, Origin: j.req.Origin})
	j.add(f)
}
