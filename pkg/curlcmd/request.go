package curlcmd

import (
	"net/http"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// browserAdded are headers DevTools copies that the browser, not page
// script, set, and that are not forbidden request headers (those are
// dropped by cors.IsForbiddenHeader): Chromium's User-Agent and Priority,
// and navigation-only Upgrade-Insecure-Requests. Counting them as script's
// would predict a preflight the browser never sent.
var browserAdded = map[string]bool{"user-agent": true, "priority": true, "upgrade-insecure-requests": true}

// Origin is the Origin header of the copied request ("" when absent: a
// same-origin GET, or hand-written curl).
func (c *Command) Origin() string { return c.Header.Get("Origin") }

// ScriptHeader is the part of Header that page script set, as well as can
// be told from a copy: forbidden headers (Origin, Referer, Sec-*, Cookie…),
// Chromium's User-Agent and Priority, and the Cache-Control/Pragma
// "no-cache" pair DevTools adds when "Disable cache" is on are removed;
// dropped lists their names.
func (c *Command) ScriptHeader() (h http.Header, dropped []string) {
	h = http.Header{}
	devtoolsNoCache := strings.EqualFold(c.Header.Get("Cache-Control"), "no-cache") &&
		strings.EqualFold(c.Header.Get("Pragma"), "no-cache")
	for name, vs := range c.Header {
		lower := strings.ToLower(name)
		skip := browserAdded[lower] ||
			(devtoolsNoCache && (lower == "cache-control" || lower == "pragma"))
		for _, v := range vs {
			if skip || cors.IsForbiddenHeader(lower, v) {
				dropped = appendOnce(dropped, http.CanonicalHeaderKey(lower))
				continue
			}
			h.Add(name, v)
		}
	}
	return h, dropped
}

// CORSRequest is the fetch() call the copy most likely came from: method,
// URL, Origin, the script headers, and credentials: 'include' when cookies
// or a user were copied (a browser attaches them only in that mode, or to
// its own origin).
func (c *Command) CORSRequest() cors.Request {
	h, _ := c.ScriptHeader()
	return cors.Request{
		Method:      c.Method,
		URL:         c.URL,
		Origin:      c.Origin(),
		Header:      h,
		Credentials: c.Cookie != "" || c.User != "",
	}
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
