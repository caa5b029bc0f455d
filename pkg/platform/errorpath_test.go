package platform

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/stacks"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// probeAndApply checks req as `check` does, error-path probe included,
// and applies the platform analysis to the diagnosis.
func probeAndApply(t *testing.T, req cors.Request) *cors.Diagnosis {
	t.Helper()
	res, err := probe.Run(context.Background(), probe.Options{Request: req, ErrorProbe: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	d := cors.Evaluate(res.Exchange)
	res.AddFindings(d)
	Analyze(Input{Exchange: res.Exchange, Diagnosis: d, ErrorPaths: res.ErrorPathHops()}).Apply(d)
	return d
}

// TestPlatformErrorPathWarningReplacesTheGenericOne: when the platform's
// own finding explains every error answer without CORS headers (API
// Gateway's gateway responses), the generic error-responses-lack-cors says
// the same thing a second time, with a vaguer fix, and is left out; an
// error answer the platform does not explain keeps it.
func TestPlatformErrorPathWarningReplacesTheGenericOne(t *testing.T) {
	gateway := func(backend401 bool) http.HandlerFunc {
		return stacks.RESTAPI("/prod/items", func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Type", "application/json")
			if backend401 && r.Method != http.MethodOptions && r.Header.Get("X-Api-Key") == "" {
				// The Lambda's own 401, through the proxy integration.
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"error":"no key"}`))
				return
			}
			h.Set("Access-Control-Allow-Origin", "*")
			if r.Method == http.MethodOptions {
				h.Set("Access-Control-Allow-Headers", "x-api-key")
				return
			}
			_, _ = w.Write([]byte(`[]`))
		})
	}
	tests := []struct {
		name        string
		backend401  bool
		wantGeneric bool
	}{
		{"only gateway responses lack CORS", false, false},
		{"the backend's own 401 lacks it too", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(gateway(tt.backend401))
			defer srv.Close()
			d := probeAndApply(t, cors.Request{Method: "GET", URL: srv.URL + "/prod/items", Origin: prodOrigin, Header: http.Header{"X-Api-Key": {"k1"}}})
			if !d.Has(CodeAPIGWGatewayResponses) {
				t.Fatalf("no %s; findings %v", CodeAPIGWGatewayResponses, d.Findings)
			}
			if got := d.Has(cors.CodeErrorPathNoCORS); got != tt.wantGeneric {
				t.Errorf("error-responses-lack-cors: %v, want %v; findings %v", got, tt.wantGeneric, d.Findings)
			}
		})
	}
}

// TestNginxErrorPathWarningReplacesTheGenericOne: nginx's add_header
// without `always` explains every error answer of the server.
func TestNginxErrorPathWarningReplacesTheGenericOne(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "nginx/1.22.1")
		if r.URL.Path != "/items" {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n"))
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", "*")
		_, _ = w.Write([]byte("[]"))
	}))
	defer srv.Close()
	d := probeAndApply(t, cors.Request{Method: "GET", URL: srv.URL + "/items", Origin: prodOrigin})
	if !d.Has(CodeNginxAddHeaderNoAlways) || d.Has(cors.CodeErrorPathNoCORS) {
		t.Errorf("want %s and not %s; findings %v", CodeNginxAddHeaderNoAlways, cors.CodeErrorPathNoCORS, d.Findings)
	}
}

// TestMissesAlways: the one rule for "an error answer that CORS lines
// without `always` leave bare", which the nginx/Apache finding, its
// error-path explanations and the errors-only warning all read.
func TestMissesAlways(t *testing.T) {
	apache404 := `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">` + "\n<html><head>\n<title>404 Not Found</title>\n</head></html>\n"
	acao := map[string][]string{"Access-Control-Allow-Origin": {"*"}}
	tests := []struct {
		name string
		id   string
		r    *response
		want bool
	}{
		{"no response", idNginx, nil, false},
		{"network error", idNginx, &response{step: "actual"}, false},
		{"nginx 404", idNginx, &response{step: "actual", resp: &cors.Message{Status: 404}}, true},
		{"nginx 200", idNginx, &response{step: "actual", resp: &cors.Message{Status: 200}}, false},
		{"nginx 404 with the header", idNginx, &response{step: "actual", resp: &cors.Message{Status: 404, Header: acao}}, false},
		{"405 to the preflight is static-options-405's", idNginx, &response{step: "preflight", resp: &cors.Message{Status: 405}}, false},
		{"405 on an error path", idNginx, &response{step: "error-path 1", resp: &cors.Message{Status: 405}}, true},
		{"Apache's own 404", idApache, &response{step: "actual", resp: &cors.Message{Status: 404, Body: []byte(apache404)}}, true},
		{"a proxied backend's 404 behind Apache", idApache, &response{step: "actual", resp: &cors.Message{Status: 404, Body: []byte("not found")}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := missesAlways(tt.id, tt.r); got != tt.want {
				t.Errorf("missesAlways = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestApachePageExampleIsApachesOwnError: the apache-header-set-without-always
// page shows an error page the cause accepts as Apache's own, and the
// fingerprint knows Apache from it.
func TestApachePageExampleIsApachesOwnError(t *testing.T) {
	m := pageResponse(t, pages[CodeApacheHeaderNoAlways].Example)
	if !apacheOwnError(m) {
		t.Errorf("the page's example is not Apache's own error page:\n%s", m.Body)
	}
	r := &response{step: "actual", resp: m}
	for _, s := range serverFingerprint(&observation{}, r) {
		if s.platform == idApache && strings.Contains(s.evidence, "error page") {
			return
		}
	}
	t.Errorf("the fingerprint does not know Apache's error page in the example")
}
