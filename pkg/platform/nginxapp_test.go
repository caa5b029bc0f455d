package platform

import (
	"net/http"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// nginxBeforeExpress answers as nginx 1.22.1 in front of Express does:
// the application's CORS lines first, nginx's add_header lines after.
// app and nginx are each layer's header/value pairs; from /old it
// redirects (307) to /items first.
func nginxBeforeExpress(app, nginx []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Server", "nginx/1.22.1")
		h.Set("X-Powered-By", "Express")
		if r.URL.Path == "/old" {
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Location", "/items")
			w.WriteHeader(http.StatusTemporaryRedirect)
			return
		}
		for _, kv := range [][]string{app, nginx} {
			for i := 0; i+1 < len(kv); i += 2 {
				h.Add(kv[i], kv[i+1])
			}
		}
		_, _ = w.Write([]byte("[]"))
	})
}

// TestNginxAppTwicePairsEachLayer: each layer's Allow-Origin is judged
// with its own Allow-Credentials (the first of each is the
// application's), and the step is named in words.
func TestNginxAppTwicePairsEachLayer(t *testing.T) {
	cred := cors.Request{Method: "GET", URL: "/items", Origin: prodOrigin, Credentials: true}
	plain := cors.Request{Method: "GET", URL: "/old", Origin: prodOrigin}
	allow := func(cred string) []string {
		return []string{"Access-Control-Allow-Origin", prodOrigin, "Access-Control-Allow-Credentials", cred}
	}
	tests := []struct {
		name       string
		req        cors.Request
		app, nginx []string
		code       cors.Code
		message    []string
		lacks      []string
	}{
		{name: "only the application's credentials allow", req: cred, app: allow("true"), nginx: allow("false"),
			code:    CodeNginxDuplicatesApp,
			message: []string{"passed the request to", "allows this page on its own", "which does not allow this page"},
			// No error answer was seen: the message does not claim one.
			lacks: []string{"answers its errors"}},
		{name: "only nginx's credentials allow", req: cred, app: allow("false"), nginx: allow("true"),
			code:    CodeNginxAppCORSNotHidden,
			message: []string{"Only nginx's allows this page, with credentials"}},
		{name: "after a redirect", req: plain,
			app:     []string{"Access-Control-Allow-Origin", prodOrigin},
			nginx:   []string{"Access-Control-Allow-Origin", "*"},
			code:    CodeNginxDuplicatesApp,
			message: []string{"passed the request after redirect 1 to the application"},
			lacks:   []string{"the redirect 1", "answers its errors"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := diagnose(t, nginxBeforeExpress(tt.app, tt.nginx), tt.req)
			var f *cors.Finding
			for i := range d.Findings {
				if d.Findings[i].Code == tt.code {
					f = &d.Findings[i]
				}
			}
			if f == nil {
				var got []cors.Code
				for _, g := range d.Findings {
					got = append(got, g.Code)
				}
				t.Fatalf("no %s; findings %v", tt.code, got)
			}
			for _, s := range tt.message {
				if !strings.Contains(f.Message, s) {
					t.Errorf("message lacks %q:\n%s", s, f.Message)
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(f.Message, s) {
					t.Errorf("message has %q:\n%s", s, f.Message)
				}
			}
		})
	}
}

// TestNginxKeepAppSnippetKeepsServerHeaders: the snippet that keeps the
// application's CORS headers offers a location add_header to stop the
// server block's CORS lines; that stops the server block's other
// add_header lines too, so it says to repeat them, and not to merge
// (add_header_inherit merge brings the CORS lines back).
func TestNginxKeepAppSnippetKeepsServerHeaders(t *testing.T) {
	var snippet string
	for _, f := range Fixes(CodeNginxDuplicatesApp, existingContext(true)) {
		if f.Format == FormatNginx {
			snippet = f.Snippet
		}
	}
	prose := strings.Join(strings.Fields(snippet), " ")
	for _, s := range []string{"server block", "(HSTS, CSP...)", "repeat", "add_header_inherit merge, which would bring the CORS lines back"} {
		if !strings.Contains(prose, s) {
			t.Errorf("snippet lacks %q:\n%s", s, snippet)
		}
	}
}
