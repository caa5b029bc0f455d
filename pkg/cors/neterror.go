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

// netErrors are the common net errors: the words that give each away, what
// kind of failure it is, and what to do. The first match wins.
var netErrors = []struct {
	match []string
	kind  string
	fix   string
}{
	{[]string{"blocked_by_client"}, "blocked by an extension (ad or privacy blocker)",
		"A browser extension (an ad or privacy blocker) blocked the request before it left the browser; this is not a server problem. Allow that host in the extension, or test in a profile without extensions."},
	{[]string{"blocked_by_response", "blocked_by_orb"}, "blocked response (CORP, COEP or ORB)",
		"The browser blocked the response for a reason other than CORS (Cross-Origin-Resource-Policy, Cross-Origin-Embedder-Policy or opaque-response blocking); check those response headers."},
	{[]string{"mixed-content", "mixed content"}, "mixed content", ""},
	{[]string{"err_aborted", "binding_aborted"}, "aborted (the page cancelled it or navigated away)", ""},
	{[]string{"connection_refused", "connection refused"}, "connection refused",
		"Nothing accepts connections at that host and port: start the server, or fix the URL's port."},
	{[]string{"name_not_resolved", "no such host", "dns"}, "DNS",
		"The host name does not resolve: fix the URL's host, or its DNS record."},
	{[]string{"cert", "insecure_response", "ssl", "tls", "x509"}, "TLS",
		"The TLS handshake failed: serve a certificate the browser trusts, valid for this host name and not expired."},
	{[]string{"timed_out", "timeout", "deadline"}, "timeout",
		"The server did not answer in time: check that it is up and that nothing (a firewall, a security group) silently drops the traffic."},
	{[]string{"connection_reset", "empty_response", "reset", "eof"}, "connection reset",
		"The server closed the connection without an answer: look at its logs (a crash, a proxy or load balancer dropping the method)."},
	{[]string{"internet_disconnected"}, "offline",
		"The browser was offline when it recorded this request."},
}

// netErrorFix maps the common net errors to what to do; "" keeps the
// catalogue's generic fix.
func netErrorFix(e string) string {
	if i := netErrorIndex(e); i >= 0 {
		return netErrors[i].fix
	}
	return ""
}

// NetErrorKind names the kind of a network failure ("DNS", "TLS",
// "blocked by an extension (ad or privacy blocker)"…), "" when unknown.
func NetErrorKind(e string) string {
	if i := netErrorIndex(e); i >= 0 {
		return netErrors[i].kind
	}
	return ""
}

func netErrorIndex(e string) int {
	l := strings.ToLower(e)
	for i, n := range netErrors {
		for _, m := range n.match {
			if strings.Contains(l, m) {
				return i
			}
		}
	}
	return -1
}
