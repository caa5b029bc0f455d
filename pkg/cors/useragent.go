package cors

import "strings"

// uaEngines are the User-Agent product tokens that name an engine, the
// most telling first: Chromium's say "Chrome/" and "Safari/" (Edge's,
// Opera's, Samsung Internet's, WebViews' too), Safari's "AppleWebKit/"
// without "Chrome/", Firefox's "Gecko/" and mostly "Firefox/". A nil
// profile is an engine corsdiag has none for: the User-Agent says nothing.
var uaEngines = []struct {
	product string
	profile *Profile
}{
	{"Edge", nil}, // EdgeHTML (Edge 12–18); Chromium's Edge says "Edg/"
	{"Firefox", Firefox},
	{"Gecko", Firefox}, // builds not named Firefox (Namoroka, SeaMonkey's)
	{"Chrome", Chromium},
	{"HeadlessChrome", Chromium},
	{"Chromium", Chromium},
	{"AppleWebKit", Safari}, // Safari, WebKitGTK, WKWebView (no "Safari/")
}

// webKitEngines has bit i set for each uaEngines row that names WebKit
// (Safari's profile): read from the table, so no row order can break it.
var webKitEngines = func() (bits uint) {
	for i, e := range uaEngines {
		if e.profile == Safari {
			bits |= 1 << i
		}
	}
	return bits
}()

// ProfileOfUserAgent recognizes the engine in a User-Agent; nil when none.
// It reads the product tokens (name/version), never the comments in
// parentheses, and a name whole. Every browser on iOS and iPadOS runs
// WebKit (CriOS, FxiOS, EdgiOS, in-app WebViews), so an iPhone, iPad or
// iPod's is Safari's whatever it names. har reads a file's browser with it,
// check a pasted copy's.
func ProfileOfUserAgent(ua string) *Profile {
	var seen uint // bit i: uaEngines[i].product is there
	platform, first := "", true
	for ua != "" {
		switch ua[0] {
		case ' ':
			ua = ua[1:]
		case '(':
			comment, rest, _ := strings.Cut(ua[1:], ")") // a cut one ends the string
			if first {
				platform, _, _ = strings.Cut(comment, ";")
				first = false
			}
			ua = rest
		default:
			end := strings.IndexAny(ua, " (")
			if end < 0 {
				end = len(ua)
			}
			if name, _, ok := strings.Cut(ua[:end], "/"); ok {
				for i, e := range uaEngines {
					if name == e.product {
						seen |= 1 << i
					}
				}
			}
			ua = ua[end:]
		}
	}
	if seen&webKitEngines != 0 && iosPlatforms[strings.TrimSpace(platform)] {
		return Safari
	}
	for i, e := range uaEngines {
		if seen&(1<<i) != 0 {
			return e.profile
		}
	}
	return nil
}

// iosPlatforms are the first comments of iOS and iPadOS User-Agents
// ("iPhone; CPU iPhone OS 17_7 like Mac OS X"). An iPad asking for the
// desktop site says "Macintosh" and Safari's words: read as Safari too.
var iosPlatforms = map[string]bool{"iPhone": true, "iPad": true, "iPod": true, "iPod touch": true}
