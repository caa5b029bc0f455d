package harfile

import (
	"slices"
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
	// LeavesOutFailed: the tool writes no entry for a request that failed,
	// so a request the browser blocked is not in the file at all
	// (chrome-har drops those Network.loadingFailed ends).
	LeavesOutFailed bool
	// ListsUnsentAfterRedirect: the browser writes an entry (status 0, no
	// headers, no error) for a request it did not send after a redirect
	// it stopped at, so a redirect hop with no answer can be that.
	ListsUnsentAfterRedirect bool
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
	"browsermob proxy",   // BrowserMob Proxy's HarLog (Selenium runs)
	"browserup proxy",    // BrowserUp Proxy's mitmproxy addon
}

// isProxy reports whether creator, a log.creator.name in lower case, is a
// proxy's: one of proxies, alone or before a version ("mitmproxy/10.1",
// "Charles Proxy 4.6", "Fiddler v5"). A name that merely starts with one
// ("Zapier Recorder", "Burpee") is not.
func isProxy(creator string) bool {
	for _, p := range proxies {
		if isToolName(creator, p) {
			return true
		}
	}
	return false
}

// isToolName reports whether name, a log.creator or log.browser name in
// lower case, is tool's: tool alone or before a version.
func isToolName(name, tool string) bool {
	rest, ok := strings.CutPrefix(strings.TrimSpace(name), tool)
	return ok && (rest == "" || isVersionSuffix(rest))
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

// creators are the log.creator.name values (lower case) of the tools that
// tell how the browser's requests were recorded, each from its exports in
// the HAR corpus or its source. profile is the engine the tool is part of,
// nil for one that drives several and names it in log.browser. failures:
// the tool marks a request the browser blocked; leavesOut: it writes no
// entry for a request that failed; devTools: it is the engine's own
// DevTools; unsent (on a DevTools row): the engine writes an entry for a
// request it did not send after a redirect, whatever tool records it
// (Recorder.ListsUnsentAfterRedirect); exports: the tool hands over another tool's export, whichever
// of these rows has the engine it drove (else that engine's DevTools).
var creators = []struct {
	name      string
	profile   *cors.Profile
	failures  bool
	leavesOut bool
	devTools  bool
	unsent    bool
	exports   []string
}{
	// The engines' own DevTools: Chrome's (and Edge's), Safari's, Firefox's.
	{name: "webinspector", profile: cors.Chromium, failures: true, devTools: true},
	{name: "webkit web inspector", profile: cors.Safari, failures: false, devTools: true},
	// Firefox's DevTools write Services.appinfo.name, application.ini's
	// Name (--with-app-basename), as creator and browser alike
	// (netmonitor/src/har/har-builder-utils.js): a fork writes its own.
	// Firefox ESR 153.8 writes the request it did not send past a redirect
	// (redirect-hop-credentials-star, redirect-hop-credentials-no-acac).
	{name: "firefox", profile: cors.Firefox, failures: false, devTools: true, unsent: true},
	{name: "librewolf", profile: cors.Firefox, failures: false},      // LibreWolf's mozconfig
	{name: "waterfox", profile: cors.Firefox, failures: false},       // Waterfox's builds
	{name: "floorp", profile: cors.Firefox, failures: false},         // Floorp's builds
	{name: "zen", profile: cors.Firefox, failures: false},            // Zen's configs/common/mozconfig
	{name: "mullvadbrowser", profile: cors.Firefox, failures: false}, // mozconfigs/mullvad-browser
	{name: "torbrowser", profile: cors.Firefox, failures: false},     // mozconfigs/tor-browser (newer: Firefox)
	{name: "firebug", profile: cors.Firefox, failures: false},        // Firebug 1.5 to 1.9
	// chrome-har (1.1.1, index.js) builds entries from Chrome's protocol
	// events and drops a request whose Network.loadingFailed is not
	// net::ERR_ABORTED, or that got no response: a CORS failure
	// (net::ERR_FAILED) leaves no entry, no _error, no status 0. What is
	// in the file the browser did not block.
	{name: "chrome-har", profile: cors.Chromium, failures: true, leavesOut: true},
	{name: "playwright", failures: true}, // status -1
	// Browsertime: chrome-har for Chrome, HAR Export Trigger (Firefox's
	// own export) for Firefox.
	{name: "browsertime", failures: true, exports: []string{"chrome-har", "firefox"}},
}

// creatorNamesBrowser reports whether creator, a log.creator.name, is
// that of a tool that is part of one engine: log.browser adds nothing.
func creatorNamesBrowser(creator string) bool {
	c := strings.ToLower(creator)
	for _, t := range creators {
		if isToolName(c, t.name) {
			return t.profile != nil
		}
	}
	return false
}

// logBrowsers are the log.browser.name values (lower case) the tools that
// drive a browser write, and its engine.
var logBrowsers = []struct {
	name    string
	profile *cors.Profile
}{
	{"chromium", cors.Chromium},      // Playwright
	{"chrome", cors.Chromium},        // Browsertime, chrome-har
	{"google chrome", cors.Chromium}, // WebPageTest
	{"firefox", cors.Firefox},        // Playwright, Browsertime, Firefox, Firebug
	{"webkit", cors.Safari},          // Playwright
	{"safari", cors.Safari},
}

// detectRecorder reads the browser from log.creator, log.browser and the
// request's User-Agent, in that order: a DevTools export is its browser's
// whatever User-Agent its device emulation sent, a tool that drives a
// browser names it in log.browser, and a proxy (Charles, mitmproxy) names
// only itself, so the User-Agent says. Each name is matched whole, maybe
// with a version after it.
func detectRecorder(creator, browser Creator, userAgent string) Recorder {
	c, b := strings.ToLower(creator.Name), strings.ToLower(browser.Name)
	rec := Recorder{Profile: cors.Chromium, Source: BrowserDefault, RecordsFailures: !isProxy(c)}
	var exports []string
	for _, t := range creators {
		if isToolName(c, t.name) {
			rec.RecordsFailures, rec.LeavesOutFailed, exports = t.failures, t.leavesOut, t.exports
			if t.profile != nil {
				rec.Profile, rec.Source = t.profile, BrowserFromCreator
				rec.ListsUnsentAfterRedirect = listsUnsentAfterRedirect(rec.Profile)
				return rec
			}
			break
		}
	}
	for _, l := range logBrowsers {
		if isToolName(b, l.name) {
			rec.Profile, rec.Source = l.profile, BrowserFromBrowser
			break
		}
	}
	if rec.Source == BrowserDefault {
		if p := cors.ProfileOfUserAgent(userAgent); p != nil {
			rec.Profile, rec.Source = p, BrowserFromUserAgent
		}
	}
	if exports != nil && rec.Source != BrowserDefault {
		rec.RecordsFailures, rec.LeavesOutFailed = exportedAs(exports, rec.Profile)
	}
	rec.ListsUnsentAfterRedirect = listsUnsentAfterRedirect(rec.Profile)
	return rec
}

// exportedAs says how the export of the engine p, made by the one of the
// tools named in exports that has p, records failures; as p's own
// DevTools when none has it.
func exportedAs(exports []string, p *cors.Profile) (failures, leavesOut bool) {
	for _, t := range creators {
		if t.profile == p && slices.Contains(exports, t.name) {
			return t.failures, t.leavesOut
		}
	}
	return marksFailures(p), false
}

// listsUnsentAfterRedirect reports whether p's browser writes an entry
// for a request it did not send after a redirect (Firefox's does).
func listsUnsentAfterRedirect(p *cors.Profile) bool {
	for _, t := range creators {
		if t.devTools && t.profile == p {
			return t.unsent
		}
	}
	return false
}

// marksFailures reports whether the DevTools of p's browser mark a request
// it blocked (Chromium's do; Firefox's and Safari's do not).
func marksFailures(p *cors.Profile) bool {
	for _, t := range creators {
		if t.devTools && t.profile == p {
			return t.failures
		}
	}
	return false
}
