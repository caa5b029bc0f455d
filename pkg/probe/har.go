package probe

import (
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/martian/v3/har"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
	"github.com/corsdiag/corsdiag/pkg/weburl"
)

// HARCreatorVersion is written as log.creator.version; the CLI sets it to
// its own version.
var HARCreatorVersion = "dev"

// harFile and harLog wrap martian's types so entries can carry Chrome's
// underscore extensions, which martian's Entry has no field for.
type harFile struct {
	Log harLog `json:"log"`
}

type harLog struct {
	Version string       `json:"version"`
	Creator *har.Creator `json:"creator"`
	Entries []harEntry   `json:"entries"`
}

// harEntry is martian's Entry plus the extensions Chrome's DevTools write:
// _resourceType ("preflight", "fetch", "xhr") and, on preflights,
// _initiator {type: "preflight", url} naming the request it was sent for.
type harEntry struct {
	*har.Entry
	// Response shadows Entry.Response (same JSON name, shallower wins).
	Response     *harResponse  `json:"response"`
	ResourceType string        `json:"_resourceType,omitempty"`
	Initiator    *harInitiator `json:"_initiator,omitempty"`
	// Purpose marks corsdiag's error-path probes, which no page sent.
	Purpose string `json:"_corsdiagPurpose,omitempty"`
	// Credentials marks the entries of a request made with credentials:
	// 'include' (a preflight: of the request it guards). `corsdiag har`
	// reads it: without --cookie the request carries no Cookie header to
	// tell.
	Credentials bool `json:"_corsdiagCredentials,omitempty"`
}

type harInitiator struct {
	Type string `json:"type"`
	URL  string `json:"url,omitempty"`
}

// harResponse adds Chrome's _error (the network failure; status is 0 then)
// and corsdiag's note that the body was cut at MaxBody.
type harResponse struct {
	*har.Response
	Error         string `json:"_error,omitempty"`
	BodyTruncated bool   `json:"_corsdiagBodyTruncated,omitempty"`
}

// WriteHAR writes every exchange the probe made (the preflight, each hop of
// the actual request, the error-path probes) as a HAR 1.2 log shaped like a
// Chrome DevTools export, so `corsdiag har` reads back the same verdict: a
// response the browser would block keeps its status and headers and gets
// Chrome's `_error: "net::ERR_FAILED"`; a hop that got no response has
// status 0 and its network error in `_error`. With redact set, secret header
// values, query parameters, cookies and secret-looking body text are
// replaced by redact.Marker.
func (r *Result) WriteHAR(w io.Writer, redactSecrets bool) error {
	f := harFile{Log: harLog{
		Version: "1.2",
		Creator: &har.Creator{Name: "corsdiag", Version: HARCreatorVersion},
		Entries: []harEntry{},
	}}
	resourceType := "fetch"
	if r.Exchange != nil && r.Exchange.Request.Initiator == "XMLHttpRequest" {
		resourceType = "xhr"
	}
	profile := r.profile
	if profile == nil {
		profile = cors.Chromium
	}
	add := func(h *cors.Hop, e harEntry, blocked bool) {
		full := harEntryOf(h, redactSecrets)
		full.ResourceType, full.Initiator, full.Purpose, full.Credentials = e.ResourceType, e.Initiator, e.Purpose, e.Credentials
		if blocked && h.Response != nil {
			// Chrome keeps the real status and headers of a response it
			// blocked and records the failure beside them.
			full.Response.Error = "net::ERR_FAILED"
		}
		f.Log.Entries = append(f.Log.Entries, full)
	}
	if ex := r.Exchange; ex != nil {
		if ex.Preflight != nil {
			u := ex.Request.URL
			if redactSecrets {
				u = redact.URL(u)
			}
			add(ex.Preflight, harEntry{ResourceType: "preflight", Initiator: &harInitiator{Type: "preflight", URL: u}, Credentials: ex.Request.Credentials}, false)
		}
		blocked := len(ex.Actual) > 0 && profile.Evaluate(ex).Verdict == cors.Blocked
		for i := range ex.Actual {
			h := &ex.Actual[i]
			last := i == len(ex.Actual)-1
			pf := h.RedirectPreflight
			if pf == nil {
				add(h, harEntry{ResourceType: resourceType, Credentials: ex.Request.Credentials}, blocked && last)
				continue
			}
			// The preflight of the URL this redirect leads to, as Chrome
			// exports it: after a last hop, the request there (never sent,
			// failed when its preflight did), then its OPTIONS.
			add(h, harEntry{ResourceType: resourceType, Credentials: ex.Request.Credentials}, false)
			if last {
				next := cors.Hop{Request: cors.Message{Method: pf.Request.Header.Get("Access-Control-Request-Method"), URL: pf.Request.URL}, Started: pf.Started}
				if blocked {
					next.NetError = "net::ERR_FAILED"
				}
				add(&next, harEntry{ResourceType: resourceType, Credentials: ex.Request.Credentials}, false)
			}
			u := pf.Request.URL
			if redactSecrets {
				u = redact.URL(u)
			}
			add(pf, harEntry{ResourceType: "preflight", Initiator: &harInitiator{Type: "preflight", URL: u}, Credentials: ex.Request.Credentials}, false)
		}
	}
	for i := range r.ErrorPaths {
		ep := &r.ErrorPaths[i]
		blocked := false
		if r.Exchange != nil {
			probe := &cors.Exchange{
				Request: cors.Request{Method: ep.Hop.Request.Method, URL: ep.Hop.Request.URL, Origin: r.Exchange.Request.Origin},
				Actual:  []cors.Hop{ep.Hop},
			}
			blocked = profile.Evaluate(probe).Verdict == cors.Blocked
		}
		add(&ep.Hop, harEntry{ResourceType: "fetch", Purpose: "error-path: " + ep.Purpose}, blocked)
	}
	// What the server sent stays exact, but its C1 controls and invisible
	// characters go out as \u escapes, as check -o json writes them: the
	// file is read with cat and jq too.
	return termsafe.WriteJSON(w, f)
}

func harEntryOf(h *cors.Hop, redactSecrets bool) harEntry {
	ms := h.Duration.Milliseconds()
	e := harEntry{Entry: &har.Entry{
		StartedDateTime: h.Started.UTC(),
		Time:            ms,
		Request:         harRequestOf(&h.Request, h.Protocol, redactSecrets),
		Cache:           &har.Cache{},
		Timings:         &har.Timings{Send: 0, Wait: ms, Receive: 0},
	}}
	if e.StartedDateTime.IsZero() {
		e.StartedDateTime = time.Unix(0, 0).UTC()
	}
	resp := &harResponse{Response: &har.Response{
		HTTPVersion: httpVersion(h.Protocol),
		Cookies:     []har.Cookie{},
		Headers:     []har.Header{},
		Content:     &har.Content{MimeType: "x-unknown"},
		HeadersSize: -1,
		BodySize:    -1,
	}}
	if m := h.Response; m != nil {
		resp.Status, resp.StatusText = m.Status, m.StatusText
		resp.Headers = harHeaders(m.Header, redactSecrets)
		resp.Cookies = harSetCookies(m.Header, redactSecrets)
		resp.Content = harContent(m.Body, m.Header.Get("Content-Type"), redactSecrets)
		resp.RedirectURL = m.Header.Get("Location")
		if redactSecrets {
			resp.RedirectURL = redact.URL(resp.RedirectURL)
		}
		resp.BodySize = int64(len(m.Body))
		resp.BodyTruncated = m.BodyTruncated
	} else {
		resp.HTTPVersion = ""
		resp.Error = h.NetError
		if resp.Error == "" {
			resp.Error = "no response"
		}
	}
	e.Response = resp
	return e
}

// httpVersion is the HAR's httpVersion: the protocol the answer came in
// (HTTP/2.0 by ALPN on https), HTTP/1.1 when no answer said.
func httpVersion(protocol string) string {
	if protocol == "" {
		return "HTTP/1.1"
	}
	return protocol
}

func harRequestOf(m *cors.Message, protocol string, redactSecrets bool) *har.Request {
	u := m.URL
	if redactSecrets {
		u = redact.URL(u)
	}
	req := &har.Request{
		Method:      m.Method,
		URL:         u,
		HTTPVersion: httpVersion(protocol),
		Cookies:     harCookies(m.Header, redactSecrets),
		Headers:     harHeaders(m.Header, redactSecrets),
		QueryString: []har.QueryString{},
		HeadersSize: -1,
		BodySize:    int64(len(m.Body)),
	}
	if pu, err := weburl.GoURL(u); err == nil {
		for _, kv := range strings.Split(pu.RawQuery, "&") {
			if kv == "" {
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			k, _ = url.QueryUnescape(k)
			v, _ = url.QueryUnescape(v)
			req.QueryString = append(req.QueryString, har.QueryString{Name: k, Value: v})
		}
	}
	if len(m.Body) > 0 {
		text := string(m.Body)
		if redactSecrets && utf8.ValidString(text) {
			text = redact.Body(text)
		}
		req.PostData = &har.PostData{MimeType: m.Header.Get("Content-Type"), Params: []har.Param{}, Text: text}
	}
	return req
}

// harHeaders lists every header line, repeated lines as separate entries,
// sorted by name for stable output.
func harHeaders(h http.Header, redactSecrets bool) []har.Header {
	if redactSecrets {
		h = redact.Header(h)
	}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	out := []har.Header{}
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, har.Header{Name: k, Value: v})
		}
	}
	return out
}

func harCookies(h http.Header, redactSecrets bool) []har.Cookie {
	out := []har.Cookie{}
	for _, line := range h.Values("Cookie") {
		for _, part := range strings.Split(line, ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
			if name == "" {
				continue
			}
			if redactSecrets {
				value = redact.Marker
			}
			out = append(out, har.Cookie{Name: name, Value: value})
		}
	}
	return out
}

func harSetCookies(h http.Header, redactSecrets bool) []har.Cookie {
	out := []har.Cookie{}
	for _, c := range (&http.Response{Header: h}).Cookies() {
		v := c.Value
		if redactSecrets {
			v = redact.Marker
		}
		out = append(out, har.Cookie{Name: c.Name, Value: v, Path: c.Path, Domain: c.Domain, HTTPOnly: c.HttpOnly, Secure: c.Secure})
	}
	return out
}

func harContent(body []byte, mime string, redactSecrets bool) *har.Content {
	c := &har.Content{Size: int64(len(body)), MimeType: mime, Text: body}
	if c.MimeType == "" {
		c.MimeType = "x-unknown"
	}
	if !utf8.Valid(body) {
		c.Encoding = "base64"
	} else if redactSecrets {
		c.Text = []byte(redact.Body(string(body)))
	}
	return c
}
