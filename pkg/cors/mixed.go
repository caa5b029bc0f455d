package cors

import "strings"

// Mixed content (W3C Mixed Content, §4.4 "Should fetching request be
// blocked as mixed content?"): a page whose origin is https may not fetch a
// URL that is not potentially trustworthy. fetch() and XMLHttpRequest are
// blockable content, never upgraded: the browser blocks the request before
// anything is sent, so neither a preflight nor CORS is ever reached. The
// same holds for a redirect to such a URL. Verified on Chromium 156,
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
	return p.mixedContent(canonicalOrigin(r.Origin), r.URL)
}

// mixedContentFinding is the finding for a request from page to rawURL the
// browser blocks as mixed content, at step.
func (j *judge) mixedContentFinding(rawURL, step string) Finding {
	f := newFinding(CodeMixedContent, step, "the page "+quote(j.req.Origin)+" is served over https but calls "+quote(rawURL)+
		" over plain http; the browser blocks that as mixed content before sending anything, so CORS is never checked")
	// WebKit words a loopback URL's line its own way.
	var c Console
	if potentiallyTrustworthy(OriginOf(rawURL)) {
		c.Param = "loopback"
	}
	j.note(&f, rawURL, c)
	return f
}
