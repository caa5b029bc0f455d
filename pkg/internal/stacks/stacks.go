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

// S3 is an S3 bucket whose CORS configuration has one rule allowing
// allowed with GET and PUT and any header (the troubleshooting guide's
// answers): a preflight from another origin gets 403 with the
// CORSResponse error; a GET from another origin gets the object without
// CORS headers. Every answer carries S3's headers and, the bucket having a
// CORS configuration, its Vary.
func S3(allowed []string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Server", "AmazonS3")
		h.Set("x-amz-request-id", "4442587FB7D0A2F9")
		h.Set("x-amz-id-2", "vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=")
		h.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
		o := r.Header.Get("Origin")
		ok := slices.Contains(allowed, o)
		if r.Method == http.MethodOptions {
			m := r.Header.Get("Access-Control-Request-Method")
			if !ok || (m != "GET" && m != "PUT") {
				h.Set("Content-Type", "application/xml")
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.</Message><Method>` + m + `</Method><ResourceType>OBJECT</ResourceType><RequestId>4442587FB7D0A2F9</RequestId></Error>`))
				return
			}
			h.Set("Access-Control-Allow-Origin", o)
			h.Set("Access-Control-Allow-Methods", "GET, PUT")
			if rh := r.Header.Get("Access-Control-Request-Headers"); rh != "" {
				h.Set("Access-Control-Allow-Headers", rh)
			}
			h.Set("Access-Control-Max-Age", "3000")
			return
		}
		if ok {
			h.Set("Access-Control-Allow-Origin", o)
			h.Set("Access-Control-Allow-Methods", "GET, PUT")
			h.Set("Access-Control-Max-Age", "3000")
		}
		h.Set("Content-Type", "application/json")
		h.Set("ETag", `"d41d8cd98f00b204e9800998ecf8427e"`)
		_, _ = w.Write([]byte(`{}`))
	}
}

// HTTPAPI is an API Gateway HTTP API with a CORS configuration allowing
// allowed: API Gateway answers preflights itself (204, the CORS headers
// only for an allowed origin) and adds the CORS headers to integration
// responses for an allowed origin, ignoring the backend's; every answer
// carries apigw-requestid.
func HTTPAPI(allowed []string, backend http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("apigw-requestid", "ZbCdEfGhIAMEb1w=")
		o := r.Header.Get("Origin")
		ok := slices.Contains(allowed, o)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			if ok {
				h.Set("Access-Control-Allow-Origin", o)
				h.Set("Access-Control-Allow-Methods", "GET,POST")
				h.Set("Access-Control-Allow-Headers", "content-type")
				h.Set("Access-Control-Max-Age", "300")
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if ok {
			h.Set("Access-Control-Allow-Origin", o)
		}
		backend(w, r)
	}
}

// RESTAPI is an API Gateway REST API with one resource, path: every answer
// carries x-amzn-RequestId and x-amz-apigw-id; any other path gets
// API Gateway's own 403 MISSING_AUTHENTICATION_TOKEN gateway response,
// without CORS headers (DEFAULT_4XX unchanged); path's requests go to
// backend (a proxy integration).
func RESTAPI(path string, backend http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("x-amzn-RequestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef")
		h.Set("x-amz-apigw-id", "KvPLxFq1IAMFQ3g=")
		if r.URL.Path != path {
			h.Set("Content-Type", "application/json")
			h.Set("x-amzn-ErrorType", "MissingAuthenticationTokenException")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"message":"Missing Authentication Token"}`))
			return
		}
		backend(w, r)
	}
}
