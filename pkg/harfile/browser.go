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

// proxies are the creators (lower case, a part of log.creator.name) that
// record traffic on the wire: a response the browser then blocked is
// written with its status and headers, as an allowed one, unmarked.
var proxies = []string{"charles", "mitmproxy", "fiddler", "zap", "burp", "proxyman", "http toolkit"}

func isProxy(creator string) bool {
	for _, p := range proxies {
		if strings.Contains(creator, p) {
			return true
		}
	}
	return false
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
