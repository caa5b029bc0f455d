// Package weburl parses and serializes request URLs as a browser does, by
// the WHATWG URL standard: a space or a non-ASCII character is sent
// percent-encoded as UTF-8, an internationalized host as its punycode
// A-label, a default port is dropped, dot segments are resolved and the
// fragment is never sent. Go's net/url follows RFC 3986 instead and, for
// example, puts a typed space in a query on the wire as it is; a server
// answers that with 400 or a reset where the browser got an answer.
//
// The parsing itself is github.com/nlnwa/whatwg-url, which passes the URL
// standard's own test data (web-platform-tests urltestdata.json).
package weburl

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	wuerrors "github.com/nlnwa/whatwg-url/errors"
	whatwg "github.com/nlnwa/whatwg-url/url"
)

// Error says why a string is not a URL a page could fetch.
type Error struct {
	Input  string
	Reason string
}

func (e *Error) Error() string { return fmt.Sprintf("URL %q: %s", e.Input, e.Reason) }

// parser is the standard's basic URL parser, with no leniency beyond it.
var parser = whatwg.NewParser()

// Request parses raw as fetch(raw) does from a page with no base URL and
// returns the URL the browser requests: absolute, http or https, without
// its fragment. Anything else is an *Error.
func Request(raw string) (string, error) {
	u, err := parser.Parse(raw)
	if err != nil {
		return "", &Error{Input: raw, Reason: reason(err)}
	}
	return requestHref(raw, u)
}

// Resolve resolves ref (a redirect's Location) against base, both as the
// standard does, and returns the URL without its fragment. A result that is
// not http or https is returned too: the caller judges the scheme.
func Resolve(base, ref string) (string, error) {
	u, err := parser.ParseRef(base, ref)
	if err != nil {
		return "", &Error{Input: ref, Reason: reason(err)}
	}
	return u.Href(true), nil
}

func requestHref(raw string, u *whatwg.Url) (string, error) {
	switch u.Scheme() {
	case "http", "https":
	default:
		return "", &Error{Input: raw, Reason: "not an absolute http:// or https:// URL: the scheme is " + u.Scheme()}
	}
	if u.Hostname() == "" {
		return "", &Error{Input: raw, Reason: "the URL has no host"}
	}
	return u.Href(true), nil
}

// reason words the parser's validation error for a user: the standard's
// description of the failure and the part at fault.
func reason(err error) string {
	t := wuerrors.Type(err)
	switch t {
	case wuerrors.MissingSchemeNonRelativeURL:
		return "not an absolute http:// or https:// URL: it has no scheme"
	case wuerrors.HostMissing:
		return "the URL has no host"
	}
	r := string(t)
	if r == "" {
		return err.Error()
	}
	r = strings.TrimPrefix(r, "The input's ")
	r = strings.TrimPrefix(r, "The input ")
	if d := wuerrors.Description(err); d != "" {
		r += ": " + strconv.Quote(d)
	}
	return lowerFirst(r)
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// GoURL turns an href that Request or Resolve returned into the net/url
// value whose request line carries exactly the href's bytes: net/url would
// otherwise re-escape what the standard leaves as it is (| ^ [ ] in a path)
// and refuse what the standard keeps (a stray %zz).
func GoURL(href string) (*url.URL, error) {
	u, err := parser.Parse(href)
	if err != nil {
		return nil, &Error{Input: href, Reason: reason(err)}
	}
	if u.Scheme() != "http" && u.Scheme() != "https" {
		return nil, &Error{Input: href, Reason: "not an http(s) URL"}
	}
	// The serialization is scheme://[userinfo@]host[:port]/path[?query]; a
	// '/' in userinfo is percent-encoded, so the first '/' after "//"
	// starts the path.
	serial := u.Href(true)
	rest := serial[len(u.Scheme())+len("://"):]
	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		return nil, &Error{Input: href, Reason: "no path"}
	}
	path, query, hasQuery := strings.Cut(rest[slash:], "?")
	out := &url.URL{Scheme: u.Scheme(), Host: u.Host(), RawQuery: query, ForceQuery: hasQuery && query == ""}
	if strings.HasPrefix(path, "//") {
		// An opaque "//…" would be read as an authority. net/url sends such
		// a path as written when it needs no escaping, the usual case;
		// otherwise the request line takes the absolute form
		// (http://host//path), which servers must accept (RFC 9112 §3.2.2).
		if gu, err := url.Parse(serial); err == nil && gu.RequestURI() == rest[slash:] {
			gu.User = nil
			return gu, nil
		}
		out.Opaque = "//" + u.Host() + path
		return out, nil
	}
	out.Opaque = path
	return out, nil
}
