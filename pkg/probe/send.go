package probe

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/weburl"
)

// acceptEncoding is what corsdiag offers: browsers send "gzip, deflate, br"
// and more, but corsdiag offers only what the standard library decodes, so
// bodies stay readable for platform fingerprints and response headers stay
// as the server sent them.
const acceptEncoding = "gzip, deflate"

// prober holds the client and what was learned while sending.
type prober struct {
	opts      Options
	client    *http.Client
	ownTransp *http.Transport
	tried     int // requests sent
	answered  int // requests that got an HTTP response
	firstErr  error
	firstURL  string
	// upgradedFrom is the plain http URL the browser upgrades to the one
	// probed (a mixed image), "" when it does not.
	upgradedFrom string
}

func newProber(opts Options) *prober {
	p := &prober{opts: opts}
	rt := opts.Transport
	if rt == nil {
		t := NewTransport(opts.Insecure, opts.Routes)
		p.ownTransp = t
		rt = t
	}
	p.client = &http.Client{
		Transport: rt,
		// The engine decides about each redirect, so Go must never follow one.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return p
}

func (p *prober) close() {
	if p.ownTransp != nil {
		p.ownTransp.CloseIdleConnections()
	}
}

// browserHeaders adds what the profile's browser adds to every fetch()
// request (preflights included): User-Agent, client hints on secure origins
// (Chromium), Accept-Language, Accept-Encoding, Referer
// (strict-origin-when-cross-origin) and the Sec-Fetch-* metadata. Author
// values win where script may set them.
func (p *prober) browserHeaders(h http.Header, rawURL, site string) {
	origin := p.opts.Request.Origin
	bh := p.opts.Profile.Headers
	if h.Get("User-Agent") == "" { // script's own, where the browser lets it set one
		h.Set("User-Agent", bh.UserAgent)
	}
	if strings.HasPrefix(rawURL, "https:") {
		for k, v := range bh.ClientHints {
			h.Set(k, v)
		}
	}
	if h.Get("Accept-Language") == "" {
		h.Set("Accept-Language", bh.AcceptLanguage)
	}
	h.Set("Accept-Encoding", acceptEncoding)
	// strict-origin-when-cross-origin: the origin alone, and nothing on an
	// https -> http downgrade.
	if origin != "null" && !(strings.HasPrefix(origin, "https:") && strings.HasPrefix(rawURL, "http:")) {
		h.Set("Referer", origin+"/")
	}
	if bh.SecFetch {
		// A preflight is always cors, empty; the request itself goes to
		// its load's destination (font, image…), in no-cors mode when
		// the browser loads it without CORS.
		r := &p.opts.Request
		mode, dest := "cors", "empty"
		if h.Get("Access-Control-Request-Method") == "" {
			dest = cors.InitiatorOf(r).Dest
			if p.opts.Profile.NoCORS[r.Initiator] {
				mode = "no-cors"
			}
		}
		h.Set("Sec-Fetch-Site", site)
		h.Set("Sec-Fetch-Mode", mode)
		h.Set("Sec-Fetch-Dest", dest)
	}
}

// SiteRelation is Sec-Fetch-Site for a request from origin to rawURL:
// same-origin, same-site (schemeful: same scheme and registrable domain) or
// cross-site. It also says which cookies a page there gets (the audit).
func SiteRelation(origin, rawURL string) string {
	if cors.OriginOf(rawURL) == origin {
		return "same-origin"
	}
	o, err1 := url.Parse(origin)
	u, err2 := url.Parse(rawURL)
	if origin == "null" || err1 != nil || err2 != nil || o.Scheme != u.Scheme {
		return "cross-site"
	}
	if registrable(o.Hostname()) == registrable(u.Hostname()) {
		return "same-site"
	}
	return "cross-site"
}

func registrable(host string) string {
	host = strings.ToLower(host)
	if net.ParseIP(host) != nil {
		return host
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

// worstSite keeps the least related value over a redirect chain, as
// Chromium's Sec-Fetch-Site does.
func worstSite(a, b string) string {
	rank := map[string]int{"same-origin": 0, "same-site": 1, "cross-site": 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// send performs one request of the exchange without following redirects
// and records it. A network failure is recorded in the hop, never returned;
// it also counts towards the check's reachability.
func (p *prober) send(ctx context.Context, method, rawURL string, h http.Header, body []byte) cors.Hop {
	hop, err := p.sendOnly(ctx, method, rawURL, h, body)
	var ns errNotSent
	if errors.As(err, &ns) {
		return hop // refused by BeforeSend: says nothing about the endpoint
	}
	p.tried++
	if err != nil {
		p.noteErr(err, rawURL)
	} else {
		p.answered++
	}
	return hop
}

// errNotSent is BeforeSend's refusal: the request never left.
type errNotSent struct{ err error }

func (e errNotSent) Error() string { return "not sent: " + e.err.Error() }
func (e errNotSent) Unwrap() error { return e.err }

// sendOnly is send without the bookkeeping: the error-path probe runs it
// concurrently with the exchange, and its answers say nothing about
// whether the endpoint is reachable.
func (p *prober) sendOnly(ctx context.Context, method, rawURL string, h http.Header, body []byte) (cors.Hop, error) {
	hop := cors.Hop{
		Request: cors.Message{Method: method, URL: rawURL, Header: h.Clone()},
		Started: time.Now(),
	}
	if len(body) > 0 {
		hop.Request.Body, hop.Request.BodyTruncated = capBytes(body, p.opts.MaxBody)
	}
	if p.opts.BeforeSend != nil {
		if err := p.opts.BeforeSend(ctx); err != nil {
			hop.NetError = "not sent: " + err.Error()
			return hop, errNotSent{err}
		}
	}
	var rd io.Reader
	if len(body) > 0 {
		rd = bytes.NewReader(body)
	}
	req, err := newRequest(ctx, method, rawURL, rd)
	if err != nil {
		hop.NetError = "the request could not be built: " + err.Error()
		hop.Duration = time.Since(hop.Started)
		return hop, err
	}
	req.Header = h.Clone()
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		// The address Chromium's Local Network Access judges. Through a
		// proxy it is the proxy's, which says nothing (Chromium: unknown).
		GotConn: func(info httptrace.GotConnInfo) {
			if !p.proxied(req) {
				hop.RemoteAddress = info.Conn.RemoteAddr().String()
			}
		},
	}))
	resp, err := p.roundTrip(req)
	if err != nil {
		if proxy := p.proxyFor(req); proxy != nil {
			err = &proxyError{proxy: proxy, err: err}
		}
		reason, _ := describe(err, rawURL, p.opts.Timeout)
		hop.NetError = reason
		hop.Duration = time.Since(hop.Started)
		return hop, err
	}
	hop.Protocol = resp.Proto
	msg := &cors.Message{
		Status:     resp.StatusCode,
		StatusText: statusText(resp),
		Header:     resp.Header,
	}
	if msg.Header == nil {
		msg.Header = http.Header{}
	}
	if isEventStream(resp) {
		// A stream that ends when the client leaves: the browser judged
		// it at the headers; waiting for the end would wait for the
		// check's time limit.
		msg.BodyTruncated = true
	} else {
		msg.Body, msg.BodyTruncated = readBody(resp, p.opts.MaxBody)
	}
	resp.Body.Close()
	hop.Response = msg
	hop.Duration = time.Since(hop.Started)
	return hop, nil
}

// newRequest builds a request whose request line carries rawURL's bytes as
// the URL standard serialized them (see weburl.GoURL).
func newRequest(ctx context.Context, method, rawURL string, body io.Reader) (*http.Request, error) {
	u, err := weburl.GoURL(rawURL)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/"}).String(), body)
	if err != nil {
		return nil, err
	}
	req.URL = u
	return req, nil
}

// roundTrip sends one request and never follows a redirect. It skips
// http.Client, which parses Location before CheckRedirect and fails the
// whole request on an unparsable one; the engine must see that 3xx and
// report redirect-invalid-location (Chromium: net::ERR_INVALID_REDIRECT).
func (p *prober) roundTrip(req *http.Request) (*http.Response, error) {
	resp, err := p.client.Transport.RoundTrip(req)
	if err != nil {
		op := req.Method
		if op != "" {
			op = op[:1] + strings.ToLower(op[1:])
		}
		return nil, &url.Error{Op: op, URL: req.URL.String(), Err: err}
	}
	return resp, nil
}

// proxied reports whether the default transport sends req through a proxy.
func (p *prober) proxied(req *http.Request) bool {
	if p.ownTransp == nil || p.ownTransp.Proxy == nil {
		return false
	}
	u, err := p.ownTransp.Proxy(req)
	return err != nil || u != nil
}

// proxyFor is the proxy the default transport sends req through, or nil.
func (p *prober) proxyFor(req *http.Request) *url.URL {
	if p.ownTransp == nil || p.ownTransp.Proxy == nil {
		return nil
	}
	u, err := p.ownTransp.Proxy(req)
	if err != nil {
		return nil
	}
	return u
}

func (p *prober) noteErr(err error, rawURL string) {
	if p.firstErr == nil {
		p.firstErr, p.firstURL = err, rawURL
	}
}

func (p *prober) unreachable() *UnreachableError {
	reason, hint := describe(p.firstErr, p.firstURL, p.opts.Timeout)
	if p.upgradedFrom != "" {
		// "Use http://" would not help: the browser upgrades it anyway.
		hint = "An https page's browser upgrades this image from " + p.upgradedFrom +
			" to the https URL (mixed content): serve the image over https at this host and port."
	}
	return &UnreachableError{URL: p.firstURL, Reason: reason, Hint: hint, Err: p.firstErr,
		Unreadable: strings.Contains(p.firstErr.Error(), malformedAnswer)}
}

// statusText is the reason phrase the server sent ("404 Not Found" -> "Not Found").
func statusText(resp *http.Response) string {
	code := strconv.Itoa(resp.StatusCode)
	if t, ok := strings.CutPrefix(resp.Status, code); ok {
		return strings.TrimSpace(t)
	}
	return http.StatusText(resp.StatusCode)
}

// isEventStream reports whether resp is a server-sent event stream.
func isEventStream(resp *http.Response) bool {
	essence, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
	return strings.EqualFold(strings.TrimSpace(essence), "text/event-stream")
}

func capBytes(b []byte, limit int64) ([]byte, bool) {
	if int64(len(b)) > limit {
		return append([]byte(nil), b[:limit]...), true
	}
	return append([]byte(nil), b...), false
}

// readBody reads at most limit bytes from the wire and decodes gzip or
// deflate (which corsdiag asked for). A body cut short (limit reached, or
// the connection failed or timed out mid-body) is marked truncated. When the
// encoding cannot be decoded the raw bytes are kept.
func readBody(resp *http.Response, limit int64) ([]byte, bool) {
	raw, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	truncated := err != nil || int64(len(raw)) > limit
	if int64(len(raw)) > limit {
		raw = raw[:limit]
	}
	var dec io.Reader
	switch strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))) {
	case "gzip", "x-gzip":
		if zr, err := gzip.NewReader(bytes.NewReader(raw)); err == nil {
			dec = zr
		}
	case "deflate":
		// "deflate" is zlib-wrapped by the standard, raw by some servers.
		if zr, err := zlib.NewReader(bytes.NewReader(raw)); err == nil {
			dec = zr
		} else {
			dec = flate.NewReader(bytes.NewReader(raw))
		}
	}
	if dec == nil {
		return raw, truncated
	}
	out, err := io.ReadAll(io.LimitReader(dec, limit+1))
	if len(out) == 0 && err != nil {
		return raw, truncated
	}
	if int64(len(out)) > limit {
		out, truncated = out[:limit], true
	}
	return out, truncated
}
