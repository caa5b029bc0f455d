package cors

import (
	"sort"
	"strings"
)

// Profile holds the small, known ways one browser engine departs from the
// Fetch standard and from the others, as data: the rules' switches, the
// safelist, the cache cap, the console vocabulary and the request headers
// it sends. One engine judges with every profile; "works in Chrome, fails
// in Safari" is a question of which profile judges the exchange.
type Profile struct {
	// Name is the --browser name; Aliases are other names for it.
	Name    string
	Aliases []string
	// Display is how people name the browser ("Chrome's console says").
	Display string
	// ExtraSafelisted are request headers the browser safelists beyond the
	// standard's five, with their value rules.
	ExtraSafelisted map[string]func(string) bool
	// ExtraForbidden are request headers (lower case) the browser still
	// refuses to let script set although the standard allows it.
	ExtraForbidden map[string]bool
	// MaxAgeCap is the longest preflight cache life honoured, in seconds.
	MaxAgeCap int
	// MaxAgeSaturates: the parser caps Access-Control-Max-Age digit by
	// digit, so a value of any length is MaxAgeCap (Gecko); otherwise a
	// value past int64 does not parse and the 5-second default applies
	// (Chromium's base::StringToInt64).
	MaxAgeSaturates bool
	// WildcardCoversAuthorization: `Access-Control-Allow-Headers: *` lets
	// Authorization through (the standard says it must not).
	WildcardCoversAuthorization bool
	// StatusBeforeOrigin: the preflight's status is checked before its
	// Access-Control-Allow-Origin (WebKit); Chromium and Gecko check the
	// origin first.
	StatusBeforeOrigin bool
	// NoCORS are the initiators the browser loads without CORS (no Origin,
	// no check): WebKit's web fonts.
	NoCORS map[string]bool
	// LocalNetworkAccess: the browser gates requests from a page to a more
	// private address space (Chromium 142+, Firefox ESR 153).
	LocalNetworkAccess bool
	// LocalNetworkBlocksInsecure: a page that is not a secure context is
	// refused outright (Chromium); Firefox asks the user as for any page.
	LocalNetworkBlocksInsecure bool
	// MixedContentBlocksLoopback: an https page may not call http://
	// loopback either (WebKit); Chromium and Gecko treat 127.0.0.1, [::1]
	// and localhost as potentially trustworthy.
	MixedContentBlocksLoopback bool
	// MixedContentUpgrades are the initiators whose plain http URL an
	// https page's browser asks for over https instead of blocking it
	// (upgradable content: images).
	MixedContentUpgrades map[string]bool
	// ThirdPartyCookies says what happens to the cookies of a credentialed
	// request to another site than the page's: "sent", "partitioned"
	// (a separate jar per top-level site) or "blocked".
	ThirdPartyCookies string
	// Messages is the browser's console vocabulary.
	Messages *Messages
	// Legacy is the wording older releases logged, read in pasted console
	// text and never printed.
	Legacy []*LegacyMessages
	// Headers are what the browser adds to every fetch() it sends
	// (preflights included), besides Origin, Referer and Sec-Fetch-Site.
	Headers BrowserHeaders
	// RedirectPreflightPageOrigin: the preflight sent before following a
	// redirect carries, and is checked against, the page's origin even
	// after a cross-origin hop made the request's Origin null (Gecko builds
	// it from the loading principal; Chromium sends null).
	RedirectPreflightPageOrigin bool
	// RedirectKeepsPreflight: a request that was preflighted is preflighted
	// again at every URL it is redirected to, even when the redirect made it
	// simple (a 303 turning a JSON POST into a GET); Chromium plans the
	// redirected request afresh.
	RedirectKeepsPreflight bool
	// PreflightRedirectChecksOrigin: a preflight answered with a redirect
	// gets the CORS check first, so a redirect without an acceptable
	// Access-Control-Allow-Origin fails as that (Gecko's CORS listener
	// wraps the preflight's); Chromium and WebKit fail on the redirect.
	PreflightRedirectChecksOrigin bool
	// RedirectPreflightAuthorHeaders: the preflight sent before following a
	// redirect lists the headers script set, not the redirected request's,
	// so Authorization, which an origin change drops from the request, is
	// still in Access-Control-Request-Headers and must be allowed there
	// (WebKit: NetworkLoadChecker builds every preflight from
	// m_originalRequestHeaders); Chromium plans the redirected request.
	RedirectPreflightAuthorHeaders bool
	// RedirectKeepsBodyHeaders: a redirect that turns the request into a
	// GET drops the body but keeps Content-Type and the other request-body
	// headers (WebKit), so a JSON POST answered 303 is preflighted again
	// as a GET with Content-Type; the standard drops them.
	RedirectKeepsBodyHeaders bool
	// RedirectErrorNeedsLocation: redirect: 'error' rejects only a
	// redirect that carries a Location; a redirect status without one
	// resolves as the answer (Chromium's and WebKit's network layers see no
	// redirect there). The standard, and Firefox, reject on the status.
	RedirectErrorNeedsLocation bool
	// EmptyLocationFollowed: a redirect status whose Location is there but
	// empty is a redirect to the current URL, the standard's reading
	// (Gecko); Chromium takes it as no Location. EmptyLocationFails: the
	// browser CORS-checks it as an answer, then fails the request in mode
	// 'follow' (WebKit).
	EmptyLocationFollowed bool
	EmptyLocationFails    bool
	// Version is the browser version the profile was verified against.
	Version string
}

// BrowserHeaders are the request headers a browser adds on its own.
type BrowserHeaders struct {
	UserAgent string
	// Accept is what fetch() and XMLHttpRequest send; AcceptOf what the
	// other loads send, by initiator, where the browser sends its own;
	// HeadersOf the other headers a load sends its own way, by initiator,
	// "" for one it leaves out (a media element's Range, Accept-Encoding).
	Accept         string
	AcceptOf       map[string]string
	HeadersOf      map[string]map[string]string
	AcceptLanguage string
	AcceptEncoding string
	// ClientHints are sent on https URLs only (Sec-CH-UA and friends).
	ClientHints map[string]string
	// SecFetch: Sec-Fetch-Mode, -Site and -Dest are sent.
	SecFetch bool
}

// Profiles by name, for --browser (aliases included).
var Profiles = map[string]*Profile{}

// AllProfiles is every profile, the default first.
var AllProfiles = []*Profile{Chromium, Firefox, Safari}

func init() {
	for _, p := range AllProfiles {
		Profiles[p.Name] = p
		for _, a := range p.Aliases {
			Profiles[a] = p
		}
	}
}

// LookupProfile finds a profile by name or alias, in any letter case.
func LookupProfile(name string) (*Profile, bool) {
	p, ok := Profiles[strings.ToLower(strings.TrimSpace(name))]
	return p, ok
}

// ProfileNames lists the canonical profile names.
func ProfileNames() []string {
	out := make([]string, 0, len(AllProfiles))
	for _, p := range AllProfiles {
		out = append(out, p.Name)
	}
	return out
}

// AllNames lists every accepted name, aliases included, sorted.
func AllNames() []string {
	out := make([]string, 0, len(Profiles))
	for n := range Profiles {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func isInteger(v string) bool { return v != "" && allDigits(v) }

// isDecimal is 1*DIGIT ["." 1*DIGIT].
func isDecimal(v string) bool {
	whole, frac, dot := strings.Cut(v, ".")
	if !isInteger(whole) {
		return false
	}
	return !dot || isInteger(frac)
}

func isECT(v string) bool {
	switch v {
	case "slow-2g", "2g", "3g", "4g":
		return true
	}
	return false
}

// AcceptFor is the Accept header the profile's browser sends for a request
// made by initiator: its own for that load, else the load's (EventSource's
// text/event-stream), else fetch()'s.
func (p *Profile) AcceptFor(initiator string) string {
	if a, ok := p.Headers.AcceptOf[initiator]; ok {
		return a
	}
	if in, ok := LookupInitiator(initiator); ok && in.Accept != "" {
		return in.Accept
	}
	return p.Headers.Accept
}
