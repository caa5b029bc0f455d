package cors

import "strings"

// NetworkFinding is a network-error finding (code CodeActualNetwork or
// CodePreflightNetwork) whose fix fits the failure: a "check DNS, TLS and
// firewall" answer is wrong for an ad blocker or a stopped server.
// netError is Chromium's net::ERR_* text or the probe's own words.
func NetworkFinding(code Code, step, message, netError string) Finding {
	f := newFinding(code, step, message)
	if fix := netErrorFix(netError); fix != "" {
		f.Fix = fix
	}
	return f
}

// netErrorFix maps the common net errors to what to do; "" keeps the
// catalogue's generic fix.
func netErrorFix(e string) string {
	l := strings.ToLower(e)
	switch {
	case strings.Contains(l, "blocked_by_client"):
		return "A browser extension (an ad or privacy blocker) blocked the request before it left the browser; this is not a server problem. Allow that host in the extension, or test in a profile without extensions."
	case strings.Contains(l, "blocked_by_response") || strings.Contains(l, "blocked_by_orb"):
		return "The browser blocked the response for a reason other than CORS (Cross-Origin-Resource-Policy, Cross-Origin-Embedder-Policy or opaque-response blocking); check those response headers."
	case strings.Contains(l, "connection_refused") || strings.Contains(l, "connection refused"):
		return "Nothing accepts connections at that host and port: start the server, or fix the URL's port."
	case strings.Contains(l, "name_not_resolved") || strings.Contains(l, "no such host") || strings.Contains(l, "dns"):
		return "The host name does not resolve: fix the URL's host, or its DNS record."
	case strings.Contains(l, "cert") || strings.Contains(l, "insecure_response") || strings.Contains(l, "ssl") || strings.Contains(l, "tls") || strings.Contains(l, "x509"):
		return "The TLS handshake failed: serve a certificate the browser trusts, valid for this host name and not expired."
	case strings.Contains(l, "timed_out") || strings.Contains(l, "timeout") || strings.Contains(l, "deadline"):
		return "The server did not answer in time: check that it is up and that nothing (a firewall, a security group) silently drops the traffic."
	case strings.Contains(l, "connection_reset") || strings.Contains(l, "empty_response") || strings.Contains(l, "reset") || strings.Contains(l, "eof"):
		return "The server closed the connection without an answer: look at its logs (a crash, a proxy or load balancer dropping the method)."
	case strings.Contains(l, "internet_disconnected"):
		return "The browser was offline when it recorded this request."
	}
	return ""
}
