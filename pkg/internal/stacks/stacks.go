// Package stacks gives tests HTTP handlers that answer the way named server
// stacks do, header for header, so that causes and fixes are tested against
// the answers users really get: Express with the cors package, Amazon S3,
// API Gateway HTTP APIs, a load balancer that redirects.
package stacks

import (
	"net/http"
	"slices"
	"strings"
)

// ExpressCORS is an Express app with app.use(cors({ origin: allowed })) in
// front of next (expressjs/cors 2.8.5 with an array of origins): an origin
// in the list is echoed in Access-Control-Allow-Origin, any other gets no
// header; Vary: Origin either way. Preflights are answered 204 whatever the
// origin, with the default methods and the requested headers reflected.
func ExpressCORS(allowed []string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Powered-By", "Express")
		vary := []string{"Origin"}
		if o := r.Header.Get("Origin"); slices.Contains(allowed, o) {
			h.Set("Access-Control-Allow-Origin", o)
		}
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE")
			if rh := r.Header.Get("Access-Control-Request-Headers"); rh != "" {
				h.Set("Access-Control-Allow-Headers", rh)
				vary = append(vary, "Access-Control-Request-Headers")
			}
			h.Set("Vary", strings.Join(vary, ", "))
			h.Set("Content-Length", "0")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.Set("Vary", strings.Join(vary, ", "))
		next(w, r)
	}
}

// ExpressJSON is an Express route answering body as JSON.
func ExpressJSON(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("ETag", `W/"2-l9Fw4VUO7kr8CvBlt4zaMCqXZ0w"`)
		_, _ = w.Write([]byte(body))
	}
}

// RedirectingLB is an AWS Application Load Balancer redirect action (an
// http→https listener rule, or a host rewrite to the canonical name): 301
// to target plus the path and query, with the load balancer's own headers
// and no CORS headers (a redirect action sets none).
func RedirectingLB(target string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Server", "awselb/2.0")
		h.Set("Content-Type", "text/html")
		h.Set("Location", strings.TrimSuffix(target, "/")+r.URL.RequestURI())
		w.WriteHeader(http.StatusMovedPermanently)
		_, _ = w.Write([]byte("<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n</body>\r\n</html>\r\n"))
	}
}

// Hosts routes by the request's Host (without port) to one handler per
// name, so one loopback server can play several origins.
func Hosts(byHost map[string]http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
			host = host[:i]
		}
		if h, ok := byHost[host]; ok {
			h(w, r)
			return
		}
		http.Error(w, "no such host in the test: "+host, http.StatusMisdirectedRequest)
	}
}
