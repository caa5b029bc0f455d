// Package harfile reads HAR files as browsers and proxies really write them
// (Chrome, Edge, Firefox, Safari, Playwright, Charles, Fiddler, mitmproxy…),
// one entry at a time, turns each cross-origin entry into a cors.Exchange
// judged by the engine, and writes sanitized copies safe to share.
//
// The types follow the HAR 1.2 spec and github.com/google/martian/v3/har's
// names, but are read by a tolerant scanner of our own: martian decodes
// times as int64 (Chrome writes fractional milliseconds), has no pages,
// no DNS/connect/SSL timings and no `_`-prefixed fields, and needs the
// whole file in memory.
//
// [HAR 1.2]: http://www.softwareishard.com/blog/har-12-spec/
package harfile

import (
	"net/http"
	"strings"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Log is the HAR log's metadata; entries are streamed, not kept.
type Log struct {
	Version string
	Creator Creator
	Browser Creator
	Pages   []Page
	// Entries counts the entries read so far.
	Entries int
	// HasEntries is false when the file has no `entries` key (Firebug).
	HasEntries bool
}

// Creator names the tool that wrote the file (or the browser).
type Creator struct {
	Name    string
	Version string
}

// Page is one page of the log. Chrome and most tools put the page URL in
// Title; Firefox puts the document title there.
type Page struct {
	ID      string
	Title   string
	Started time.Time
}

// Header is a name/value pair (headers, query strings, cookies as a header).
type Header struct {
	Name  string
	Value string
	// key is http.CanonicalHeaderKey(Name) and lower strings.ToLower(Name)
	// when the reader knows them (interned names).
	key, lower string
}

// canonicalKey is http.CanonicalHeaderKey(h.Name).
func (h *Header) canonicalKey() string {
	if h.key != "" {
		return h.key
	}
	return http.CanonicalHeaderKey(h.Name)
}

// lowerName is strings.ToLower(h.Name).
func (h *Header) lowerName() string {
	if h.lower != "" {
		return h.lower
	}
	return strings.ToLower(h.Name)
}

// Cookie is a request or response cookie; only the parts a diagnosis needs.
type Cookie struct {
	Name  string
	Value string
}

// PostData is the request body as recorded; Text is kept up to
// Options.BodyLimit bytes.
type PostData struct {
	MimeType string
	Text     string
	// TextSize is the full length of the recorded text.
	TextSize int
}

// Request is an entry's request.
type Request struct {
	Method      string
	URL         string
	HTTPVersion string
	Headers     []Header
	// HeadersDropped counts the headers beyond MaxHeaders, not kept.
	HeadersDropped int
	Cookies        []Cookie
	PostData       *PostData
}

// Content is the response body as recorded.
type Content struct {
	Size     int64
	MimeType string
	Encoding string
	// Text is the first Options.BodyLimit bytes of a body that is not
	// base64-encoded; TextSize is the full length of the recorded text.
	Text     []byte
	TextSize int
}

// Response is an entry's response. Status is 0 or -1 when none came back.
type Response struct {
	Status      int
	StatusText  string
	HTTPVersion string
	Headers     []Header
	// HeadersDropped counts the headers beyond MaxHeaders, not kept.
	HeadersDropped int
	Cookies        []Cookie
	Content        Content
	RedirectURL    string
	// Error is Chrome's `_error` (net::ERR_FAILED…) or Playwright's
	// `_failureText`, on the response or the entry.
	Error string
	// Missing is set when the entry has no response object at all.
	Missing bool
	// FromServiceWorker is DevTools' `_fetchedViaServiceWorker`: a
	// service worker gave the page this answer.
	FromServiceWorker bool
}

// Timings are the entry's phases in milliseconds; -1 means not applicable.
type Timings struct {
	Blocked, DNS, Connect, SSL, Send, Wait, Receive float64
}

// Initiator is Chrome's `_initiator`.
type Initiator struct {
	Type string
	// URL is the initiator's URL: the script or document that made the
	// request, or, for preflights, the request the preflight guards.
	URL       string
	RequestID string
}

// Entry is one HAR entry.
type Entry struct {
	// Index is the entry's position in the file, from 0.
	Index   int
	Pageref string
	// Started is startedDateTime; StartedRaw keeps the text when it does not
	// parse.
	Started      time.Time
	StartedRaw   string
	Time         float64
	Request      Request
	Response     Response
	Timings      Timings
	ResourceType string // Chrome's `_resourceType`: fetch, xhr, preflight…
	Initiator    Initiator
	ServerIP     string
	// FromCache is DevTools' `_fromCache`: "memory" (Blink's memory cache)
	// or "disk" (the HTTP cache); other tools' values are kept as written.
	FromCache string
	// Purpose is `_corsdiagPurpose`, which `corsdiag check --har-out` writes
	// on the probes no page sent ("error-path: unknown path").
	Purpose string
	// Credentials is `_corsdiagCredentials`: `check --har-out` marks the
	// entries of a request made with credentials: 'include' (on a
	// preflight: of the request it guards), which a recording without a
	// Cookie header could not show.
	Credentials bool
}

// IsErrorPathProbe reports whether the entry is one of corsdiag's
// error-path probes rather than a request a page made.
func (e *Entry) IsErrorPathProbe() bool { return strings.HasPrefix(e.Purpose, errorPathPurpose) }

const errorPathPurpose = "error-path:"

// Header returns the first value of the named request header
// (case-insensitive), or "".
func (r *Request) Header(name string) string { return headerValue(r.Headers, name) }

// Header returns the first value of the named response header.
func (r *Response) Header(name string) string { return headerValue(r.Headers, name) }

func headerValue(hs []Header, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// HTTPHeader converts headers to an http.Header, keeping repeated lines as
// separate values. HTTP/2 pseudo-headers (":authority") and the status-line
// "headers" some tools write (WebPagetest's "HTTP/1.1 503 …") are dropped.
func HTTPHeader(hs []Header) http.Header {
	h, _ := httpHeader(hs)
	return h
}

// httpHeader is HTTPHeader, and whether every key is a token in its
// canonical form (cors.Message.CanonicalKeys).
func httpHeader(hs []Header) (http.Header, bool) { return httpHeaderOf(hs, nil) }

// httpHeaderOf is httpHeader of the headers keep keeps (all when nil).
func httpHeaderOf(hs []Header, keep func(*Header) bool) (http.Header, bool) {
	// Which headers are kept is decided once: bit i for hs[i], for the
	// first 64 (past them the second loop asks again).
	n, mask := 0, uint64(0)
	for i := range hs {
		if headerName(hs[i].Name) && (keep == nil || keep(&hs[i])) {
			n++
			if i < 64 {
				mask |= 1 << i
			}
		}
	}
	// Sized for the names kept: a request's eight headers (its
	// :authority dropped) then fit the small map of one group.
	out := make(http.Header, n)
	canonical := true
	// One backing array for the values: most names appear once.
	vals := make([]string, n)
	for i := range hs {
		h := &hs[i]
		if i < 64 {
			if mask&(1<<i) == 0 {
				continue
			}
		} else if !headerName(h.Name) || keep != nil && !keep(h) {
			continue
		}
		k := h.canonicalKey()
		if vs, ok := out[k]; ok {
			out[k] = append(vs, h.Value)
			continue
		}
		// A token comes back from CanonicalHeaderKey canonical; anything
		// else comes back as it was.
		canonical = canonical && cors.IsToken(k)
		vals[0] = h.Value
		out[k] = vals[0:1:1]
		vals = vals[1:]
	}
	return out, canonical
}

// headerName reports whether a recorded name is a header's: not empty,
// not an HTTP/2 pseudo-header, not a status line ("HTTP/1.1 503 …").
func headerName(name string) bool {
	if name == "" || name[0] == ':' {
		return false
	}
	for i := 0; i < len(name); i++ {
		if name[i] == ' ' || name[i] == '/' {
			return false
		}
	}
	return true
}

// firstValue is HTTPHeader(hs).Get(key) for a canonical key.
func firstValue(hs []Header, key string) string {
	for i := range hs {
		// Canonicalizing keeps a name's length.
		if h := &hs[i]; len(h.Name) == len(key) && headerName(h.Name) && h.canonicalKey() == key {
			return h.Value
		}
	}
	return ""
}

// message is a cors.Message of the headers, marked when their keys are
// canonical.
func message(hs []Header) cors.Message {
	h, canonical := httpHeader(hs)
	return cors.Message{Header: h, CanonicalKeys: canonical}
}

// Failed reports whether the browser recorded no usable response: status 0,
// negative or missing. Chrome adds `_error: net::ERR_FAILED` for CORS
// failures; Firefox records status 0 with no reason; Playwright status -1.
func (e *Entry) Failed() bool {
	return e.Response.Missing || e.Response.Status <= 0
}

// IsPreflight reports whether the entry is a CORS preflight: Chrome's
// `_resourceType: preflight`, or OPTIONS with Access-Control-Request-Method.
func (e *Entry) IsPreflight() bool {
	if e.ResourceType == "preflight" {
		return true
	}
	return strings.EqualFold(e.Request.Method, "OPTIONS") && e.Request.Header("Access-Control-Request-Method") != ""
}
