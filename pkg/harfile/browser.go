package harfile

import (
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Where the browser of a file was learnt.
const (
	BrowserFromFlag      = "flag"       // --browser
	BrowserFromCreator   = "creator"    // log.creator
	BrowserFromBrowser   = "browser"    // log.browser
	BrowserFromUserAgent = "user-agent" // a request's User-Agent
	BrowserDefault       = "default"    // nothing said: Chromium
)

// Recorder is what the file says about the browser that made the requests
// and about the tool that wrote it.
type Recorder struct {
	Profile *cors.Profile
	Source  string
	// RecordsFailures: the tool marks a request the browser blocked
	// (Chromium DevTools' _error and status 0, Playwright's status -1).
	// Firefox's and Safari's DevTools exports do not: a request blocked on
	// its response keeps its real status and headers, so the verdict must
	// come from the recorded headers.
	RecordsFailures bool
}

// proxies are the log.creator.name values (lower case) of the tools that
// record traffic on the wire: a response the browser then blocked is
// written with its status and headers, as an allowed one, unmarked. Each
// is what the tool writes, from its exports in the HAR corpus or its
// source.
var proxies = []string{
	"charles proxy",      // Charles 3.6.5, 4.2, 4.6.3
	"mitmproxy",          // mitmproxy's savehar and flow exports
	"mitmproxy har_dump", // mitmproxy's examples/har_dump.py addon
	"fiddler",            // Fiddler Classic 2.3, 4.6
	"zap",                // ZAP's Constant.PROGRAM_NAME since 2023
	"owasp zap",          // and before
	"burp2har",           // Burp writes no HAR; burp2har converts its proxy history
	"proxyman",           // Proxyman 5.6.1
	"http toolkit",       // httptoolkit-ui's HAR export
}

// isProxy reports whether creator, a log.creator.name in lower case, is a
// proxy's: one of proxies, alone or before a version ("mitmproxy/10.1",
// "Charles Proxy 4.6", "Fiddler v5"). A name that merely starts with one
// ("Zapier Recorder", "Burpee") is not.
func isProxy(creator string) bool {
	c := strings.TrimSpace(creator)
	for _, p := range proxies {
		if rest, ok := strings.CutPrefix(c, p); ok && (rest == "" || isVersionSuffix(rest)) {
			return true
		}
	}
	return false
}

// isVersionSuffix reports whether s, what follows a tool's name, is a
// version: a separator, then a digit, maybe after a 'v'.
func isVersionSuffix(s string) bool {
	t := strings.TrimLeft(s, " /-_(:")
	if len(t) == len(s) {
		return false
	}
	t = strings.TrimPrefix(t, "v")
	return t != "" && t[0] >= '0' && t[0] <= '9'
}

// detectRecorder reads the browser from log.creator, log.browser and the
// request's User-Agent, in that order of trust for the tool and the
// reverse for the browser: a proxy (Charles, mitmproxy) names itself as
// creator and only the User-Agent names the browser.
func detectRecorder(creator, browser Creator, userAgent string) Recorder {
	c, b := strings.ToLower(creator.Name), strings.ToLower(browser.Name)
	switch {
	case strings.Contains(c, "firefox"):
		return Recorder{Profile: cors.Firefox, Source: BrowserFromCreator}
	case strings.Contains(c, "webkit") || strings.Contains(b, "safari") && !strings.Contains(c, "playwright"):
		// Safari's Web Inspector writes creator "WebKit Web Inspector".
		return Recorder{Profile: cors.Safari, Source: BrowserFromCreator}
	case strings.Contains(c, "playwright"):
		// Playwright names the engine in log.browser and marks failures
		// with status -1.
		if p, ok := cors.LookupProfile(b); ok {
			return Recorder{Profile: p, Source: BrowserFromBrowser, RecordsFailures: true}
		}
	}
	rec := Recorder{Profile: cors.Chromium, Source: BrowserDefault, RecordsFailures: !isProxy(c)}
	if p := cors.ProfileOfUserAgent(userAgent); p != nil {
		rec.Profile, rec.Source = p, BrowserFromUserAgent
	} else if c == "webinspector" {
		rec.Source = BrowserFromCreator
	}
	return rec
}
