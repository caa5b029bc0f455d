package curlcmd

import (
	"net/http"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

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
		// Headers the browser added (cors.IsBrowserAddedHeader: User-Agent,
		// Priority, X-Client-Data…) would predict a preflight it never sent.
		skip := cors.IsBrowserAddedHeader(lower) ||
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

// placeholderValues make each header the preflight named count as not
// CORS-safelisted again, so the guarded request plans the same preflight:
// a preflight lists a safelisted name only when its value was not.
var placeholderValues = map[string]string{
	"content-type":     "application/json",
	"accept":           "{unsafe}",
	"accept-language":  "{unsafe}",
	"content-language": "{unsafe}",
	"range":            "bytes=0-1,2-3",
}

// Unpreflight turns the copy of a CORS preflight (OPTIONS carrying
// Access-Control-Request-Method) back into the request it guarded: the
// method from Access-Control-Request-Method, the headers
// Access-Control-Request-Headers names (with placeholder values: a
// preflight names headers, never their values), no body. It returns a note
// saying so, and false when c is not a preflight.
func (c *Command) Unpreflight() (note string, ok bool) {
	method := strings.TrimSpace(c.Header.Get("Access-Control-Request-Method"))
	if !strings.EqualFold(c.Method, http.MethodOptions) || method == "" {
		return "", false
	}
	var names []string
	for _, v := range c.Header.Values("Access-Control-Request-Headers") {
		for _, n := range strings.Split(v, ",") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
	}
	c.Header.Del("Access-Control-Request-Method")
	c.Header.Del("Access-Control-Request-Headers")
	for _, n := range names {
		v, ok := placeholderValues[strings.ToLower(n)]
		if !ok {
			v = "1"
		}
		c.Header.Set(n, v)
	}
	c.Method, c.Body = method, nil
	note = "this is the browser's OPTIONS preflight: checking the " + method + " request it guarded"
	if len(names) > 0 {
		note += ", with the headers it names (" + strings.Join(names, ", ") + ") set to placeholder values"
	}
	return note + "; add --credentials if that request sends cookies", true
}

// headerValueError is cors.HeaderValueFault as a paste's error; word is
// what the error quotes.
func headerValueError(form Dialect, off int, word, name, value string) error {
	if i, why := cors.HeaderValueFault(value); i >= 0 {
		return &Error{Form: form, Offset: off, Word: word, Reason: "the value of " + name + " holds " + why}
	}
	return nil
}
