package cors

import (
	"net/http"
	"time"
)

// Request is what page script asked for: the arguments of fetch() as seen
// before the browser adds anything. Every front door (probe, HAR reader,
// CI suite) fills one in.
type Request struct {
	// Method as script wrote it. The engine normalizes it the way the
	// Fetch standard does (only DELETE GET HEAD OPTIONS POST PUT are
	// upper-cased).
	Method string
	URL    string
	// Origin is the serialized origin of the page that made the request,
	// such as "https://app.example.com" or "null".
	Origin string
	// OriginHeader is the Origin header a recording holds when it is not
	// Origin's serialization ("https://app.example.com:443"): no browser
	// sends one, so a tool or a hand made it, and a server echoing it
	// answered that, not the page. "" otherwise.
	OriginHeader string
	// Header holds the author request headers: the ones script set.
	// Forbidden request headers found here are ignored by the engine, as a
	// browser ignores them.
	Header http.Header
	// Credentials is fetch's credentials: 'include' (XHR withCredentials, an
	// element's crossorigin="use-credentials": Initiator.Credentials).
	Credentials bool
	// ForcePreflight is the use-CORS-preflight flag (XHR upload listeners,
	// or corsdiag's --preflight=always).
	ForcePreflight bool
	// Initiator names the API for the console message: "fetch" (default) or
	// "XMLHttpRequest".
	Initiator string
	// Redirect is fetch's redirect mode: "" or RedirectFollow (the
	// default), RedirectManual or RedirectError. The CORS check still
	// applies to a redirect response in every mode (Fetch §HTTP fetch step
	// 4.4, before step 6 reads the mode); manual and error never follow it.
	Redirect string
	// PageAddressSpace is the address space of the server the page came
	// from, for Local Network Access; unset means derived from Origin (see
	// PageAddressSpace).
	PageAddressSpace AddressSpace
}

// fetch()'s redirect modes (RequestInit.redirect).
const (
	RedirectFollow = "follow"
	// RedirectManual gives script an opaque-redirect response (type
	// "opaqueredirect", status 0, no headers, no body) in place of the
	// redirect, which is not followed.
	RedirectManual = "manual"
	// RedirectError makes any redirect a network error: fetch() rejects.
	RedirectError = "error"
)

// RedirectModes are the values fetch() accepts for redirect.
var RedirectModes = []string{RedirectFollow, RedirectManual, RedirectError}

// stopsAtRedirect reports whether the request's redirect mode never
// follows a redirect.
func (r *Request) stopsAtRedirect() bool {
	return r.Redirect == RedirectManual || r.Redirect == RedirectError
}

// Message is one HTTP request or response as it crossed the wire.
type Message struct {
	Method     string // requests only
	URL        string // requests only
	Status     int    // responses only; 0 when none was received
	StatusText string // responses only
	// Header keeps repeated header lines as separate values, in order: two
	// Access-Control-Allow-Origin lines are a finding of their own.
	Header http.Header
	Body   []byte
	// BodyTruncated says Body holds only the first bytes of a longer body.
	BodyTruncated bool
	// CanonicalKeys, set by whoever built Header, says every key of it is
	// an RFC 9110 token in http.CanonicalHeaderKey's form (a HAR reader's
	// headers): a case-insensitive lookup of a token then needs no scan
	// of the map. Whoever changes Header clears it.
	CanonicalKeys bool `json:"-"`
}

// Hop is one request and the response it got.
type Hop struct {
	Request  Message
	Response *Message // nil when no response was received
	// NetError is the network failure (DNS, refused, reset, TLS, timeout)
	// that stopped this hop, in words; empty when a response came back.
	NetError string
	// RemoteAddress is the IP (and port) the request was sent to, as
	// "127.0.0.1:8080" or "[::1]:8080"; empty when unknown or proxied.
	// Local Network Access judges it.
	RemoteAddress string
	// Protocol is the HTTP version the answer came in ("HTTP/1.1",
	// "HTTP/2.0"; a HAR's httpVersion as recorded); empty when unknown.
	Protocol string
	// RedirectPreflight is the preflight the browser sent to the URL this
	// redirect response points to, before following it: a request that
	// needs a preflight gets one for every new URL. Nil when none was sent.
	RedirectPreflight *Hop
	Started           time.Time
	Duration          time.Duration
}

// MaxCompareOrigins bounds the comparison requests of one exchange.
const MaxCompareOrigins = 3

// Comparison is one safe request of an exchange (its preflight, or a GET)
// sent again with another Origin, to learn which origins the server
// allows. Evidence only: the engine does not judge it.
type Comparison struct {
	Origin string
	// Step is the step of the exchange it repeats: "preflight" or "actual".
	Step string
	Hop  Hop
}

// Exchange is everything the browser would have seen for one Request: the
// preflight, if one was sent, and the actual request with its redirect hops.
// The engine judges an Exchange without doing any I/O.
type Exchange struct {
	Request Request
	// Preflight is nil when no preflight was sent (or none was recorded).
	Preflight *Hop
	// Actual holds the actual request and every redirect hop, in order; the
	// last hop is the final response. Empty when the actual request was not
	// sent (or not recorded).
	Actual []Hop
	// ActualSkipped says why Actual is empty on purpose (for example a
	// state-changing method sent without --send-actual). Empty otherwise.
	ActualSkipped string
	// PreflightMissing is set by readers of recorded traffic when a preflight
	// was needed but the recording does not hold it.
	PreflightMissing bool
	// Compared are the comparison requests sent with other origins.
	Compared []Comparison
}

// Status of the last response in the chain, or 0.
func (ex *Exchange) FinalResponse() *Message {
	if len(ex.Actual) == 0 {
		return nil
	}
	return ex.Actual[len(ex.Actual)-1].Response
}

// AllowsOrigin reports whether some answer of ex (the preflight, or a hop
// of the actual request) allowed the page's origin: its
// Access-Control-Allow-Origin is that origin or *. When none did, the
// origin is not allowed anywhere, and that error responses lack the header
// too says nothing more.
func (ex *Exchange) AllowsOrigin() bool {
	origin := canonicalOrigin(ex.Request.Origin)
	allows := func(h *Hop) bool {
		if h == nil || h.Response == nil {
			return false
		}
		v, ok := combined(h.Response, HeaderAllowOrigin)
		return ok && (v == "*" || v == origin)
	}
	if allows(ex.Preflight) {
		return true
	}
	for i := range ex.Actual {
		if allows(&ex.Actual[i]) || allows(ex.Actual[i].RedirectPreflight) {
			return true
		}
	}
	return false
}
