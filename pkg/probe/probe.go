// Package probe is the live client of corsdiag check: it sends what a browser
// sends (the preflight when one is needed, then the actual request), follows
// redirects hop by hop as the engine decides, and records every exchange.
package probe

import (
	"context"
	"net/http"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Options describe one check.
type Options struct {
	// Request is what page script asks for; Request.Origin must be set.
	Request cors.Request
	// Body of the actual request (curl's -d).
	Body []byte
	// Cookie and BasicAuth are credentials a browser would attach itself
	// (curl's -b and -u); they are sent on the actual request only, never on
	// the preflight, and only when Request.Credentials is set.
	Cookie    string
	BasicAuth string // "user:password"
	// SendActual allows sending the actual request of a state-changing
	// method (anything but GET, HEAD, OPTIONS).
	SendActual bool
	// ErrorProbe also sends the error-path probe (a safe GET to a path that
	// cannot exist; without credentials when the request carries them).
	ErrorProbe bool
	// Timeout bounds the whole check (default 10s).
	Timeout time.Duration
	// Insecure skips TLS verification (-k).
	Insecure bool
	// MaxBody caps the body bytes read per response (default 64 KiB).
	MaxBody int64
	// Profile judges redirects; nil means cors.Chromium.
	Profile *cors.Profile
	// Transport replaces the default transport (tests).
	Transport http.RoundTripper
}

// ErrorPath is one answer of the error-path probe.
type ErrorPath struct {
	// Purpose says what was probed: "unknown path", "without credentials".
	Purpose string
	Hop     cors.Hop
}

// Result is everything the probe saw.
type Result struct {
	Exchange   *cors.Exchange
	ErrorPaths []ErrorPath
	// Findings are the probe's own findings (error-path warnings), to be
	// added to the engine's diagnosis.
	Findings []cors.Finding
}

// UnreachableError means no request of the check got an HTTP answer (DNS,
// refused, reset, TLS, timeout); the CLI exits 3 on it.
type UnreachableError struct {
	URL    string
	Reason string // plain words: "DNS lookup failed: no such host"
	Hint   string // what to do next
	Err    error
}

func (e *UnreachableError) Error() string { return "cannot reach " + e.URL + ": " + e.Reason }
func (e *UnreachableError) Unwrap() error { return e.Err }

// Run performs the check. It returns *UnreachableError when the endpoint
// could not be reached at all; an exchange where only some hops failed is a
// Result, judged by the engine.
func Run(ctx context.Context, opts Options) (*Result, error) {
	panic("probe.Run: not implemented yet")
}
