package conformance

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// mapProxy is a loopback HTTP proxy that reaches each of its names at
// 127.0.0.1 (the port the request names) and refuses every other host:
// how a browser without host-resolver rules (Firefox through network.proxy.*,
// WebKitGTK through its network proxy settings) reaches a made-up name and
// nothing else. It records every request it was asked for, so a test sees
// a request the browser upgraded to https (a CONNECT) as well as a plain one.
type mapProxy struct {
	srv   *httptest.Server
	names map[string]bool

	mu   sync.Mutex
	seen []string
}

func startMapProxy(t *testing.T, names ...string) *mapProxy {
	t.Helper()
	p := &mapProxy{names: map[string]bool{}}
	for _, n := range names {
		p.names[n] = true
	}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

// Addr is the proxy's host:port.
func (p *mapProxy) Addr() string { return p.srv.Listener.Addr().String() }

// Seen is every request the proxy was asked for: "CONNECT host:port" or
// "GET http://host:port/path".
func (p *mapProxy) Seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

// target is where a mapped host:port really is, or "" for a name not mapped.
func (p *mapProxy) target(hostport string) string {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || !p.names[host] {
		return ""
	}
	return net.JoinHostPort("127.0.0.1", port)
}

func (p *mapProxy) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	if r.Method == http.MethodConnect {
		p.seen = append(p.seen, "CONNECT "+r.Host)
	} else {
		p.seen = append(p.seen, r.Method+" "+r.URL.String())
	}
	p.mu.Unlock()
	hostport := r.Host
	if r.Method != http.MethodConnect {
		hostport = r.URL.Host
		if _, _, err := net.SplitHostPort(hostport); err != nil {
			hostport = net.JoinHostPort(hostport, "80")
		}
	}
	to := p.target(hostport)
	if to == "" {
		http.Error(w, "corsdiag test proxy: "+hostport+" is not mapped", http.StatusForbidden)
		return
	}
	if r.Method == http.MethodConnect {
		p.tunnel(w, to)
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Scheme, out.URL.Host = "http", to
	out.Host = r.URL.Host
	out.Header.Del("Proxy-Connection")
	res, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	for k, vs := range res.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(res.StatusCode)
	_, _ = io.Copy(w, res.Body)
}

// tunnel answers a CONNECT and copies bytes both ways until either side
// closes.
func (p *mapProxy) tunnel(w http.ResponseWriter, to string) {
	up, err := net.DialTimeout("tcp", to, 5*time.Second)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		up.Close()
		http.Error(w, "no hijacking", http.StatusInternalServerError)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		up.Close()
		return
	}
	_, _ = conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, buf); done <- struct{}{} }()
	go func() { _, _ = io.Copy(conn, up); done <- struct{}{} }()
	<-done
	conn.Close()
	up.Close()
	<-done
}
