package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// describe turns a transport error into plain words and a next step. The
// words name what a browser would have hit too (Chromium reports these as
// net::ERR_NAME_NOT_RESOLVED, ERR_CONNECTION_REFUSED, ERR_CONNECTION_RESET,
// ERR_CERT_AUTHORITY_INVALID, ERR_TIMED_OUT), never as a CORS error.
func describe(err error, rawURL string, timeout time.Duration) (reason, hint string) {
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
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
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
