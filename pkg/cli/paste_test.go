package cli

import (
	"net/http"
	"strings"
	"sync"
	"testing"
)

// preflightRecorder allows the page's PUT with Content-Type, not
// X-Request-Id, and records the preflights it gets.
type preflightRecorder struct {
	mu   sync.Mutex
	acrh []string
}

func (p *preflightRecorder) handler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", testOrigin)
	w.Header().Set("Vary", "Origin")
	if r.Method == http.MethodOptions {
		p.mu.Lock()
		p.acrh = append(p.acrh, r.Method+" "+r.Header.Get("Access-Control-Request-Method")+" "+r.Header.Get("Access-Control-Request-Headers"))
		p.mu.Unlock()
		w.Header().Set("Access-Control-Allow-Methods", "GET, PUT")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
		w.WriteHeader(http.StatusNoContent)
	}
}

// A pasted preflight is checked as the request it guarded: the header the
// preflight does not allow is reported, not an OPTIONS request.
func TestCheckPastedPreflight(t *testing.T) {
	rec := &preflightRecorder{}
	tr := scenarioServer(t, rec.handler)
	copied := `curl 'https://api.test/items/7' -X 'OPTIONS' -H 'accept: */*' -H 'access-control-request-headers: content-type,x-request-id' -H 'access-control-request-method: PUT' -H 'origin: ` + testOrigin + `' -H 'sec-fetch-mode: cors' -H 'sec-fetch-site: cross-site'`
	code, out, errOut := execCheck(t, tr, "--no-error-probe", "--", copied)
	if code != ExitBlocked {
		t.Fatalf("exit %d, want %d: %s%s", code, ExitBlocked, out, errOut)
	}
	for _, want := range []string{"PUT https://api.test/items/7 from origin " + testOrigin, "Reported: header-not-allowed (preflight)", "Request header field x-request-id is not allowed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "OPTIONS preflight: checking the PUT request it guarded") {
		t.Errorf("no note saying the preflight was turned back: %q", errOut)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.acrh) != 1 || rec.acrh[0] != "OPTIONS PUT content-type,x-request-id" {
		t.Errorf("preflights sent %q, want the copied one", rec.acrh)
	}
}
