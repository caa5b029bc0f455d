package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Routes send connections elsewhere than DNS says, with curl's meaning of
// --resolve and --connect-to: only the TCP connection moves; the URL, the
// Host header, TLS SNI and certificate verification stay those of the URL's
// host. That is how a staging backend, or a name before its DNS exists, is
// checked with the answers the browser will get.
//
// --connect-to rules are applied first (the first that matches wins), then
// --resolve rules to the resulting host and port (a named host before the
// "*" wildcard), as curl does. A routed request goes straight to its
// address, never through HTTP(S)_PROXY.
type Routes struct {
	resolve   []resolveRule
	connectTo []connectRule
}

type resolveRule struct {
	host  string // lower case; "*" matches any host
	port  string
	addrs []string // IP literals, tried in order
	spec  string
}

type connectRule struct {
	fromHost, fromPort string // empty: any
	toHost, toPort     string // empty: keep the request's
	spec               string
}

// RouteError is a --resolve or --connect-to value that cannot be used.
type RouteError struct {
	Flag   string // "--resolve" or "--connect-to"
	Value  string
	Reason string
}

func (e *RouteError) Error() string {
	return fmt.Sprintf("%s %q: %s", e.Flag, e.Value, e.Reason)
}

// ParseRoutes reads curl's --resolve HOST:PORT:ADDR[,ADDR…] and
// --connect-to HOST1:PORT1:HOST2:PORT2 values. Errors are *RouteError.
func ParseRoutes(resolve, connectTo []string) (*Routes, error) {
	r := &Routes{}
	for _, s := range resolve {
		rule, err := parseResolve(s)
		if err != nil {
			return nil, err
		}
		r.resolve = append(r.resolve, rule)
	}
	for _, s := range connectTo {
		rule, err := parseConnectTo(s)
		if err != nil {
			return nil, err
		}
		r.connectTo = append(r.connectTo, rule)
	}
	return r, nil
}

// Join returns r's rules followed by other's (r's win where both match).
// Either may be nil.
func (r *Routes) Join(other *Routes) *Routes {
	out := &Routes{}
	for _, x := range []*Routes{r, other} {
		if x != nil {
			out.resolve = append(out.resolve, x.resolve...)
			out.connectTo = append(out.connectTo, x.connectTo...)
		}
	}
	return out
}

// Empty reports whether no rule is set (a nil Routes is empty).
func (r *Routes) Empty() bool { return r == nil || len(r.resolve)+len(r.connectTo) == 0 }

// String lists the rules as given, for reports.
func (r *Routes) String() string {
	if r.Empty() {
		return ""
	}
	var parts []string
	for _, c := range r.connectTo {
		parts = append(parts, "--connect-to "+c.spec)
	}
	for _, c := range r.resolve {
		parts = append(parts, "--resolve "+c.spec)
	}
	return strings.Join(parts, " ")
}

const (
	resolveForm   = "want HOST:PORT:ADDRESS[,ADDRESS…], such as api.example.com:443:127.0.0.1"
	connectToForm = "want HOST1:PORT1:HOST2:PORT2, such as api.example.com:443:staging.example.net:8443 (any part may be empty)"
)

func parseResolve(s string) (resolveRule, error) {
	fail := func(reason string) (resolveRule, error) {
		return resolveRule{}, &RouteError{Flag: "--resolve", Value: s, Reason: reason}
	}
	spec := strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(spec, "-"):
		return fail("removing an entry (-HOST:PORT) is curl's way to undo one; leave the rule out instead")
	case strings.HasPrefix(spec, "+"):
		spec = spec[1:] // curl: the entry may time out of its DNS cache; here it never does
	}
	host, rest, ok := cutHost(spec)
	if !ok {
		return fail(resolveForm)
	}
	port, addrList, ok := strings.Cut(rest, ":")
	if !ok {
		return fail(resolveForm)
	}
	if host == "" {
		return fail("the host is empty; " + resolveForm + " (* matches any host)")
	}
	if reason := checkPort(port, false); reason != "" {
		return fail(reason)
	}
	if addrList == "" {
		return fail("no address; " + resolveForm)
	}
	rule := resolveRule{host: strings.ToLower(host), port: port, spec: spec}
	for _, a := range strings.Split(addrList, ",") {
		a = strings.TrimSpace(a)
		if strings.HasPrefix(a, "[") && strings.HasSuffix(a, "]") {
			a = a[1 : len(a)-1]
		}
		ip := net.ParseIP(a)
		if ip == nil {
			return fail(fmt.Sprintf("%q is not an IP address (curl's --resolve takes addresses; to send the connection to another host name use --connect-to)", a))
		}
		rule.addrs = append(rule.addrs, ip.String())
	}
	return rule, nil
}

func parseConnectTo(s string) (connectRule, error) {
	fail := func(reason string) (connectRule, error) {
		return connectRule{}, &RouteError{Flag: "--connect-to", Value: s, Reason: reason}
	}
	spec := strings.TrimSpace(s)
	fromHost, rest, ok := cutHost(spec)
	if !ok {
		return fail(connectToForm)
	}
	fromPort, rest, ok := strings.Cut(rest, ":")
	if !ok {
		return fail(connectToForm)
	}
	toHost, toPort, ok := cutHost(rest)
	if !ok || strings.Contains(toPort, ":") {
		return fail(connectToForm)
	}
	if reason := checkPort(fromPort, true); reason != "" {
		return fail(reason)
	}
	if reason := checkPort(toPort, true); reason != "" {
		return fail(reason)
	}
	for _, h := range []string{fromHost, toHost} {
		if strings.ContainsAny(h, "/ ?#@") {
			return fail(fmt.Sprintf("%q is not a host name or address", h))
		}
	}
	return connectRule{fromHost: strings.ToLower(fromHost), fromPort: fromPort, toHost: strings.ToLower(toHost), toPort: toPort, spec: spec}, nil
}

// cutHost splits "host:rest" or "[v6]:rest"; the host may be empty.
func cutHost(s string) (host, rest string, ok bool) {
	if strings.HasPrefix(s, "[") {
		end := strings.Index(s, "]")
		if end < 0 || !strings.HasPrefix(s[end+1:], ":") {
			return "", "", false
		}
		return s[1:end], s[end+2:], true
	}
	return strings.Cut(s, ":")
}

func checkPort(p string, mayBeEmpty bool) string {
	if p == "" {
		if mayBeEmpty {
			return ""
		}
		return "the port is empty; it must be the URL's port (443 for https, 80 for http unless the URL says otherwise)"
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 || p[0] == '+' {
		return fmt.Sprintf("port %q is not a number from 1 to 65535", p)
	}
	return ""
}

// route maps the host and port a request names to where to connect, and
// reports whether any rule applied.
func (r *Routes) route(host, port string) (addrs []string, dialPort string, routed bool) {
	host = strings.ToLower(host)
	if r == nil {
		r = &Routes{}
	}
	for _, c := range r.connectTo {
		if (c.fromHost == "" || c.fromHost == host) && (c.fromPort == "" || c.fromPort == port) {
			if c.toHost != "" {
				host = c.toHost
			}
			if c.toPort != "" {
				port = c.toPort
			}
			routed = true
			break
		}
	}
	if rule, ok := r.resolveRule(host, port); ok {
		return rule.addrs, port, true
	}
	if cors.IsLocalhostName(host) {
		// As browsers do: localhost names are loopback, never a DNS
		// question (Go's resolver asks DNS for api.localhost).
		return loopbackAddrs, port, true
	}
	return []string{host}, port, routed
}

func (r *Routes) resolveRule(host, port string) (resolveRule, bool) {
	for _, wildcard := range []bool{false, true} {
		for _, rule := range r.resolve {
			if rule.port == port && (rule.host == host || wildcard && rule.host == "*") {
				return rule, true
			}
		}
	}
	return resolveRule{}, false
}

var loopbackAddrs = []string{"127.0.0.1", "::1"}

// routedDialError is a routed connection that failed: it names where it
// went, so "connection refused" is not blamed on the URL's host.
type routedDialError struct {
	target string // host:port as the URL named it
	dialed string // where the rules sent it
	err    error
}

func (e *routedDialError) Error() string {
	return e.err.Error() + " (routed from " + e.target + " to " + e.dialed + ")"
}
func (e *routedDialError) Unwrap() error { return e.err }

// dialContext wraps d so connections follow the rules.
func (r *Routes) dialContext(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return d.DialContext(ctx, network, addr)
		}
		addrs, dialPort, routed := r.route(host, port)
		if !routed {
			return d.DialContext(ctx, network, addr)
		}
		var errs []error
		for _, a := range addrs {
			to := net.JoinHostPort(a, dialPort)
			c, err := d.DialContext(ctx, network, to)
			if err == nil {
				return c, nil
			}
			errs = append(errs, &routedDialError{target: addr, dialed: to, err: err})
			if ctx.Err() != nil {
				break
			}
		}
		return nil, errors.Join(errs...)
	}
}

// NewTransport is the transport of every probe: the proxy from the
// environment (except for routed hosts), no transparent gzip (response
// headers stay as the server sent them), TLS verified unless insecure, and
// the connections routes moves.
func NewTransport(insecure bool, routes *Routes) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{InsecureSkipVerify: insecure} //nolint:gosec // -k is the user's explicit choice
	t.DisableCompression = true
	d := &net.Dialer{Timeout: DefaultTimeout, KeepAlive: 30 * time.Second}
	t.DialContext = routes.dialContext(d)
	envProxy := t.Proxy
	t.Proxy = func(req *http.Request) (*url.URL, error) {
		if _, _, routed := routes.route(req.URL.Hostname(), portOf(req.URL)); routed {
			return nil, nil
		}
		if envProxy == nil {
			return nil, nil
		}
		return envProxy(req)
	}
	return t
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}
