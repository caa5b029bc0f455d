package conformance

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Seen is one request that reached the scenario server.
type Seen struct {
	Method string
	// Origin is the listener's origin (page, API or other).
	Origin string
	Path   string
	Header http.Header
	// Hop is the redirect hop the request asked for: 0 for the first URL.
	Hop int
}

// Server serves scenarios from three loopback listeners: the page origin
// (a blank HTML page), the API origin and a third origin for cross-origin
// redirects. Two ports on 127.0.0.1 are two origins.
//
// Every listener answers /s/<scenario>/<nonce>[/<hop>]: OPTIONS with the
// scenario's preflight response, any other method with the redirect of that
// hop or, after the last hop, the scenario's response. A fresh nonce per run
// gives a URL no preflight cache has seen.
type Server struct {
	Origins Origins

	scenarios map[string]*Scenario
	servers   []*http.Server
	// prefix is the first segment of every scenario path: "/s/".
	prefix string

	mu  sync.Mutex
	log map[string][]Seen // by "<scenario>/<nonce>"

	// NoPageCookie: the blank page sets no PageCookie, so a credentialed
	// request carries no Cookie, as on a site that set none (a HAR
	// export then shows no sign of its credentials mode).
	NoPageCookie atomic.Bool
}

// NewServer starts the three listeners on 127.0.0.1.
func NewServer(scenarios []Scenario) (*Server, error) { return NewServerUnder("s", scenarios) }

// NewServerUnder serves the scenarios at /<segment>/<name>/<nonce> instead
// of /s/…: the story's URLs read like an API stage's (/prod/items/…).
func NewServerUnder(segment string, scenarios []Scenario) (*Server, error) {
	s := &Server{scenarios: map[string]*Scenario{}, log: map[string][]Seen{}, prefix: "/" + segment + "/"}
	for i := range scenarios {
		s.scenarios[scenarios[i].Name] = &scenarios[i]
	}
	var origins [3]string
	for i := range origins {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.Close()
			return nil, err
		}
		origin := "http://" + ln.Addr().String()
		origins[i] = origin
		srv := &http.Server{Handler: s.handler(origin)}
		s.servers = append(s.servers, srv)
		go func() { _ = srv.Serve(ln) }()
	}
	s.Origins = Origins{Page: origins[0], API: origins[1], Other: origins[2]}
	return s, nil
}

// ServeDefaultPortPage serves the page listener's blank page (and its
// cookie) at DefaultPortPage too, for the default_port scenarios, until
// stop is called. It binds 127.0.0.1:80 and never takes it from anyone:
// the error says why the port cannot be had (not root, or taken), and the
// caller skips those scenarios.
func (s *Server) ServeDefaultPortPage() (stop func(), err error) {
	ln, err := net.Listen("tcp", strings.TrimPrefix(DefaultPortPage, "http://")+":80")
	if err != nil {
		return nil, fmt.Errorf("the page of a default_port scenario needs %s:80 (root, or CAP_NET_BIND_SERVICE, and a free port): %w", DefaultPortPage, err)
	}
	srv := &http.Server{Handler: s.handler(s.Origins.Page)}
	go func() { _ = srv.Serve(ln) }()
	return func() { _ = srv.Close() }, nil
}

// Close stops the listeners.
func (s *Server) Close() {
	for _, srv := range s.servers {
		_ = srv.Close()
	}
}

// URL is where script sends scenario name's request in the run nonce.
func (s *Server) URL(name, nonce string) string {
	return s.Origins.API + s.path(name, nonce, 0)
}

// Marker is the path of scenario name's URL in the run nonce, which every
// request of that run (preflight, hops) contains.
func (s *Server) Marker(name, nonce string) string { return s.path(name, nonce, 0) }

// Seen returns the requests that reached the server for name in run nonce,
// in arrival order.
func (s *Server) Seen(name, nonce string) []Seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Seen(nil), s.log[name+"/"+nonce]...)
}

func (s *Server) path(name, nonce string, hop int) string {
	p := s.prefix + name + "/" + nonce
	if hop > 0 {
		p += "/" + strconv.Itoa(hop)
	}
	return p
}

// PageCookie is the cookie the page origin sets with its blank page, so a
// credentialed request carries one, as a real one usually does: a HAR
// export records no credentials mode, only the Cookie header. Cookies
// ignore ports, so 127.0.0.1's cookie goes to the API and the other
// listener too; the three are one site, so neither SameSite=Lax nor
// Firefox's Total Cookie Protection (a jar per top-level site) holds it
// back. Requests without credentials: 'include' carry none (cross-origin).
const PageCookie = "corsdiag-session=conformance"

// BlankPage is what the page origin serves at /.
const BlankPage = "<!doctype html><html><head><meta charset=utf-8><title>corsdiag conformance</title></head><body></body></html>"

func (s *Server) handler(origin string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" || r.URL.Path == SandboxedPath && origin == s.Origins.Page {
			switch {
			case r.URL.Path == SandboxedPath:
				// A sandboxed iframe's document, served on its own: an
				// opaque origin that may run script.
				w.Header().Set("Content-Security-Policy", "sandbox allow-scripts")
			case origin == s.Origins.Page && !s.NoPageCookie.Load():
				w.Header().Set("Set-Cookie", PageCookie+"; Path=/; SameSite=Lax")
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(BlankPage))
			return
		}
		name, nonce, hop, ok := parsePathUnder(s.prefix, r.URL.Path)
		sc := s.scenarios[name]
		if !ok || sc == nil {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		key := name + "/" + nonce
		s.log[key] = append(s.log[key], Seen{Method: r.Method, Origin: origin, Path: r.URL.Path, Header: r.Header.Clone(), Hop: hop})
		s.mu.Unlock()

		if r.Method == http.MethodOptions {
			pf := sc.Preflight
			if pf == nil {
				pf = &Response{Status: http.StatusNoContent}
			}
			s.answer(w, pf)
			return
		}
		if hop < len(sc.Redirects) {
			rd := sc.Redirects[hop]
			loc := s.location(rd, origin, name, nonce, hop)
			s.write(w, rd.Status, rd.Headers, "", loc)
			return
		}
		if k, ok := Kinds[sc.Request.Kind]; ok && sc.Response.Body == "" && sc.Response.Status/100 == 2 && !sc.Response.Drop {
			s.writeResource(w, &sc.Response, k)
			return
		}
		s.answer(w, &sc.Response)
	})
}

// writeResource answers a kind's load with the scenario's status and
// headers and the kind's sample resource (and Content-Type, unless the
// scenario names one).
func (s *Server) writeResource(w http.ResponseWriter, r *Response, k Kind) {
	hs := r.Headers
	if !slices.ContainsFunc(hs, func(h Header) bool { return strings.EqualFold(h.Name, "Content-Type") }) {
		hs = append([]Header{{Name: "Content-Type", Value: k.ContentType}}, hs...)
	}
	s.write(w, r.Status, hs, string(k.Body), "")
}

func (s *Server) answer(w http.ResponseWriter, r *Response) {
	if r.Drop {
		// Close the connection without a byte: the client sees an empty
		// response (net::ERR_EMPTY_RESPONSE in Chromium).
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	s.write(w, r.Status, r.Headers, r.Body, "")
}

func (s *Server) location(rd Redirect, current, name, nonce string, hop int) string {
	target := s.Origins.API
	switch rd.To {
	case "page":
		target = s.Origins.Page
	case "other":
		target = s.Origins.Other
	}
	if rd.Location != "" {
		return s.Origins.Expand(rd.Location)
	}
	next := hop + 1
	if rd.Loop {
		target, next = current, hop
	}
	return withUserinfo(target+s.path(name, nonce, next), rd.Userinfo)
}

// write sends one answer with every header line as the scenario lists it,
// repeated names kept as separate lines. Go's automatic Date and sniffed
// Content-Type are suppressed so the browser sees only what the scenario
// says (plus Content-Length, which is safelisted).
func (s *Server) write(w http.ResponseWriter, status int, hs []Header, body, location string) {
	h := w.Header()
	h["Date"] = nil
	h["Content-Type"] = nil
	for _, x := range hs {
		k := http.CanonicalHeaderKey(x.Name)
		h[k] = append(h[k], s.Origins.Expand(x.Value))
	}
	if location != "" {
		h.Set("Location", location)
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// parsePathUnder splits <prefix><name>/<nonce>[/<hop>].
func parsePathUnder(prefix, p string) (name, nonce string, hop int, ok bool) {
	rest, found := strings.CutPrefix(p, prefix)
	if !found {
		return "", "", 0, false
	}
	parts := strings.Split(rest, "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return "", "", 0, false
	}
	if len(parts) == 3 {
		n, err := strconv.Atoi(parts[2])
		if err != nil || n < 0 {
			return "", "", 0, false
		}
		hop = n
	}
	return parts[0], parts[1], hop, true
}
