package cors

import (
	"net/http"
	"strings"
	"testing"
)

const (
	page = "https://app.example.com"
	api  = "https://api.example.com/v1/items"
)

// hdr builds a header from name, value pairs; a repeated name adds a line.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func res(status int, kv ...string) *Message {
	return &Message{Status: status, Header: hdr(kv...)}
}

// get is a plain cross-origin fetch(api) from page.
func get() Request { return Request{Method: "GET", URL: api, Origin: page} }

// put is a preflighted fetch(api, {method: "PUT", headers: {"Content-Type": "application/json"}}).
func put() Request {
	return Request{Method: "PUT", URL: api, Origin: page, Header: hdr("Content-Type", "application/json")}
}

func withCreds(r Request) Request { r.Credentials = true; return r }

func xhr(r Request) Request { r.Initiator = "XMLHttpRequest"; return r }

// exch builds an Exchange: pre is the preflight response (nil: none sent),
// actual the responses of the actual request and its redirects.
func exch(r Request, pre *Message, actual ...*Message) *Exchange {
	ex := &Exchange{Request: r}
	if pre != nil {
		ex.Preflight = &Hop{Request: Message{Method: "OPTIONS", URL: r.URL}, Response: pre}
	}
	for _, m := range actual {
		ex.Actual = append(ex.Actual, Hop{Response: m})
	}
	return ex
}

// okPreflight allows PUT and Content-Type for page.
func okPreflight(extra ...string) *Message {
	return res(204, append([]string{
		HeaderAllowOrigin, page, HeaderAllowMethods, "GET, PUT", HeaderAllowHeaders, "Content-Type", "Vary", "Origin",
	}, extra...)...)
}

// okActual is a 200 that allows page.
func okActual(extra ...string) *Message {
	return res(200, append([]string{HeaderAllowOrigin, page, "Vary", "Origin"}, extra...)...)
}

// console is the Chromium console line for a failure at url.
func console(url, origin, detail string) string {
	return "Access to fetch at '" + url + "' from origin '" + origin + "' has been blocked by CORS policy: " + detail
}

func codes(d *Diagnosis) []string {
	var out []string
	for _, f := range d.Findings {
		out = append(out, string(f.Code)+"/"+string(f.Severity))
	}
	return out
}

func find(d *Diagnosis, c Code) *Finding {
	for i := range d.Findings {
		if d.Findings[i].Code == c {
			return &d.Findings[i]
		}
	}
	return nil
}

func mustContain(t *testing.T, what, s, sub string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Errorf("%s = %q, want it to contain %q", what, s, sub)
	}
}
