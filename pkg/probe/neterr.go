package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/corsdiag/corsdiag/pkg/redact"
)

// describe turns a transport error into plain words and a next step. The
// words name what a browser would have hit too (Chromium reports these as
// net::ERR_NAME_NOT_RESOLVED, ERR_CONNECTION_REFUSED, ERR_CONNECTION_RESET,
// ERR_CERT_AUTHORITY_INVALID, ERR_TIMED_OUT), never as a CORS error.
func describe(err error, rawURL string, timeout time.Duration) (reason, hint string) {
	var pe *proxyError
	if errors.As(err, &pe) {
		if reason, hint, ok := describeProxy(pe, rawURL, timeout); ok {
			return reason, hint
		}
		err = pe.err // the proxy passed the request on: the server's failure
	}
	host, port := hostPort(rawURL)
	routedTo := ""
	var routed *routedDialError
	if errors.As(err, &routed) {
		// Where --resolve/--connect-to sent the connection is what failed.
		host, port, _ = net.SplitHostPort(routed.dialed)
		routedTo = " (routed there from " + routed.target + ")"
	}
	var (
		dnsErr      *net.DNSError
		unknownCA   x509.UnknownAuthorityError
		hostnameErr x509.HostnameError
		invalidCert x509.CertificateInvalidError
		recordErr   tls.RecordHeaderError
		alertErr    tls.AlertError
		certErr     *tls.CertificateVerificationError
		netErr      net.Error
	)
	switch {
	case err == nil:
		return "no request was sent", ""
	case errors.Is(err, context.Canceled):
		return "the check was cancelled", ""
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "no answer within " + timeout.String(),
			"The server may be down, firewalled or slow; if it is only slow, raise --timeout."
	case errors.As(err, &dnsErr):
		why := dnsErr.Err
		if dnsErr.IsNotFound {
			why = "no such host"
		}
		return "DNS lookup of " + host + " failed: " + why,
			"Check the host name; an internal name resolves only on its own network or VPN."
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: nothing listens on " + net.JoinHostPort(host, port) + routedTo,
			"Check the port and that the server is running."
	case strings.Contains(err.Error(), "server response headers exceeded"):
		// Go's http.Transport stops at 10 MiB; Chromium at 256 KiB
		// (net::ERR_RESPONSE_HEADERS_TOO_BIG).
		return "the server's response headers are larger than 10 MiB, so corsdiag stopped reading them (a browser gives up at 256 KiB)",
			"Something adds headers without bound (a loop appending a header, a huge cookie); look at what sets headers in the server and in front of it."
	case strings.Contains(err.Error(), malformedAnswer):
		// The server answered; Go's parser refused the answer. What follows
		// quotes the line at fault (escaped by %q), redacted as a header
		// is: a Set-Cookie or a secret header the server sent.
		_, what, _ := strings.Cut(err.Error(), malformedAnswer)
		what = redactQuotedLine(what)
		if strings.HasPrefix(what, "MIME header line") {
			what = "a header line holds a control character or no colon (" + what + ")"
		} else {
			what = "malformed " + what
		}
		return "the server answered, but its response is not valid HTTP, so corsdiag cannot read it: " + what,
			"Fix what writes that line, the server or a proxy in front of it (RFC 9110 §5.5: no control characters in a header value); a browser may read such an answer otherwise, so what the page sees is not known."
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF"):
		return "the server closed the connection in the middle of its response (the status line or headers were cut off)",
			"A crashing server, or a proxy or load balancer in front of it, cut the answer short; check their logs."
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF):
		return "the server closed the connection without answering (connection reset)",
			"A firewall, load balancer or crashing server dropped the request; check the server's logs."
	case errors.As(err, &unknownCA):
		return "TLS: the server's certificate is signed by an unknown authority",
			"A browser rejects it too. For a test server with a self-signed certificate, -k/--insecure skips verification."
	case errors.As(err, &hostnameErr):
		return "TLS: the server's certificate is not valid for " + host,
			"Serve a certificate whose names include " + host + "; -k/--insecure skips verification for a test server."
	case errors.As(err, &invalidCert):
		what := "is not valid"
		if invalidCert.Reason == x509.Expired {
			what = "has expired or is not valid yet"
		}
		return "TLS: the server's certificate " + what,
			"Renew the certificate; -k/--insecure skips verification for a test server."
	case errors.As(err, &certErr):
		return "TLS: the server's certificate could not be verified: " + certErr.Err.Error(),
			"A browser rejects it too; -k/--insecure skips verification for a test server."
	case errors.As(err, &recordErr), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return "TLS handshake failed: the server does not speak TLS on port " + port,
			"Use http:// for this port, or the port where the server serves https."
	case errors.As(err, &alertErr):
		return "TLS handshake failed: the server sent alert " + alertErr.Error(),
			"Check the server's TLS configuration (protocol versions, SNI)."
	}
	msg := err.Error()
	var uerr *url.Error
	if errors.As(err, &uerr) {
		msg = uerr.Err.Error()
	}
	return msg, ""
}

// redactQuotedLine redacts the line Go's parser quoted at the end of what
// (%q) with redact.HeaderLine. It does so whatever --no-redact says: the
// reason is printed by every command, through no option of its own.
func redactQuotedLine(what string) string {
	i := strings.IndexByte(what, '"')
	if i < 0 {
		return redact.Text(what)
	}
	line, err := strconv.Unquote(what[i:])
	if err != nil {
		return redact.Text(what)
	}
	return what[:i] + strconv.Quote(redact.HeaderLine(line))
}

// malformedAnswer is how net/http reports an answer it cannot parse (a
// control character in a header, a status code that is not one).
const malformedAnswer = "transport connection broken: malformed "

func hostPort(rawURL string) (host, port string) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL, ""
	}
	host, port = u.Hostname(), u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return host, port
}

// proxyError is a failed request that went through a proxy (HTTPS_PROXY,
// HTTP_PROXY): the proxy, not the server, may be what failed.
type proxyError struct {
	proxy *url.URL
	err   error
}

func (e *proxyError) Error() string { return e.err.Error() }
func (e *proxyError) Unwrap() error { return e.err }

const proxyHint = "Check the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). Loopback targets (localhost, 127.0.0.1, [::1]) never go through the proxy."

// describeProxy names the proxy and what it did when the failure is the
// proxy's: it could not be reached, or it refused the CONNECT tunnel to
// an https server (Go reports only the status text, "Forbidden"). ok is
// false when the proxy passed the request on and the server failed.
func describeProxy(pe *proxyError, rawURL string, timeout time.Duration) (reason, hint string, ok bool) {
	name := "the proxy " + redact.URL(pe.proxy.String())
	host, port := hostPort(rawURL)
	var op *net.OpError
	if errors.As(pe.err, &op) && op.Op == "proxyconnect" {
		why, _ := describe(op.Err, pe.proxy.String(), timeout)
		if errors.Is(op.Err, syscall.ECONNREFUSED) {
			why = "connection refused: nothing listens on " + pe.proxy.Host
		}
		return name + " could not be reached (" + why + "), so nothing was sent to " + net.JoinHostPort(host, port), proxyHint, true
	}
	var (
		netErr    net.Error
		recordErr tls.RecordHeaderError
		certErr   *tls.CertificateVerificationError
		alertErr  tls.AlertError
	)
	inner := pe.err
	var uerr *url.Error
	if errors.As(inner, &uerr) {
		inner = uerr.Err // *url.Error is a net.Error whatever it wraps
	}
	if u, err := url.Parse(rawURL); err == nil && u.Scheme == "https" &&
		!errors.As(inner, &netErr) && !errors.As(inner, &recordErr) && !errors.As(inner, &certErr) && !errors.As(inner, &alertErr) &&
		!errors.Is(inner, io.EOF) && !errors.Is(inner, io.ErrUnexpectedEOF) && !errors.Is(inner, context.Canceled) &&
		!errors.Is(inner, context.DeadlineExceeded) && !errors.Is(inner, syscall.ECONNRESET) {
		answer := inner.Error()
		return name + " refused to open a tunnel (CONNECT) to " + net.JoinHostPort(host, port) + "; it answered \"" + answer + "\"", proxyHint, true
	}
	return "", "", false
}
