package conformance

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/testcert"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// Mixed content is checked before CORS, so it needs what the scenario
// server does not give: a page served over https (a test certificate for
// a name, accepted with --ignore-certificate-errors) and an API called by a
// name over plain http (a loopback literal is potentially trustworthy).
// Both names are mapped to 127.0.0.1 with --host-resolver-rules; corsdiag
// reaches the API by name with probe.Routes, as --resolve does.
const (
	mixedPageHost = "secure-page.test"
	mixedAPIHost  = "plain-api.test"
)

// TestChromiumMixedContent: the https page's fetch() and XHR to plain http
// by name are blocked with Chromium's "Mixed Content" line, nothing reaches
// the server, and corsdiag says the same; to http://127.0.0.1 they go
// through, as corsdiag says.
func TestChromiumMixedContent(t *testing.T) {
	bin, err := findChromium()
	switch {
	case err != nil && browserRequired():
		t.Fatalf("CORSDIAG_BROWSER_TESTS=require but %v", err)
	case err != nil:
		t.Skipf("skipping the mixed content conformance test: %v", err)
	case testing.Short() && !browserRequired():
		t.Skip("skipping the mixed content conformance test in -short mode (CORSDIAG_BROWSER_TESTS=require runs it)")
	}

	var mu sync.Mutex
	var seen []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path)
		mu.Unlock()
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	defer api.Close()
	_, apiPort, _ := net.SplitHostPort(api.Listener.Addr().String())

	cert, _ := testcert.New(t, mixedPageHost)
	page := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(BlankPage))
	}))
	page.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	page.StartTLS()
	defer page.Close()
	_, pagePort, _ := net.SplitHostPort(page.Listener.Addr().String())
	pageOrigin := "https://" + mixedPageHost + ":" + pagePort

	c := startChromium(t, bin, pageOrigin+"/", spaceFlags{MapHosts: []string{mixedPageHost, mixedAPIHost}, IgnoreCertErrors: true})

	routes, err := probe.ParseRoutes([]string{mixedAPIHost + ":" + apiPort + ":127.0.0.1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		url     string
		xhr     bool
		blocked bool
	}{
		{"fetch to http by name", "http://" + mixedAPIHost + ":" + apiPort + "/mixed-fetch", false, true},
		{"XHR to http by name", "http://" + mixedAPIHost + ":" + apiPort + "/mixed-xhr", true, true},
		{"fetch to http loopback", "http://127.0.0.1:" + apiPort + "/loopback-fetch", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.run(jsSpec{URL: tt.url, Method: "GET", Headers: [][2]string{}, XHR: tt.xhr})
			if err != nil {
				t.Fatalf("running the request in Chromium: %v", err)
			}
			path := tt.url[strings.LastIndex(tt.url, "/"):]
			wait := 300 * time.Millisecond // an allowed request logs nothing: a short look
			if tt.blocked {
				wait = 5 * time.Second
			}
			line := awaitLog(c.rec, path, "Mixed Content:", wait)
			mu.Lock()
			reached := strings.Contains(strings.Join(seen, "\n"), path)
			mu.Unlock()
			if res.OK == tt.blocked || reached == tt.blocked {
				t.Fatalf("Chromium: script ok=%v (%s), the server saw it: %v; want blocked=%v", res.OK, res.Error, reached, tt.blocked)
			}

			initiator := "fetch"
			if tt.xhr {
				initiator = "XMLHttpRequest"
			}
			pres, err := probe.Run(context.Background(), probe.Options{
				Request: cors.Request{Method: "GET", URL: tt.url, Origin: pageOrigin, Initiator: initiator},
				Routes:  routes, Timeout: 5 * time.Second,
			})
			if err != nil {
				t.Fatalf("probe: %v", err)
			}
			d := cors.Chromium.Evaluate(pres.Exchange)
			if (d.Verdict == cors.Blocked) != tt.blocked {
				t.Fatalf("corsdiag: %s (%s), Chromium blocked=%v", d.Verdict, findingList(d), tt.blocked)
			}
			if !tt.blocked {
				if line != "" {
					t.Errorf("Chromium allowed it but logged %q", line)
				}
				return
			}
			rep := d.Reported()
			if rep == nil || rep.Code != cors.CodeMixedContent {
				t.Fatalf("corsdiag reports %v, want %s", rep, cors.CodeMixedContent)
			}
			if rep.BrowserMessage != line {
				t.Errorf("console line\n  Chromium: %q\n  corsdiag: %q", line, rep.BrowserMessage)
			}
			if pres.BrowserSendsPreflight || pres.BrowserSendsActual || len(pres.Exchange.Actual) > 0 {
				t.Errorf("corsdiag says the browser sends something, or sent it itself: %+v", pres.Exchange)
			}
		})
	}
}

// awaitLog waits for a console line containing marker and prefix.
func awaitLog(r *recorder, marker, prefix string, d time.Duration) string {
	end := time.Now().Add(d)
	for {
		for _, e := range r.logLines(marker) {
			if strings.HasPrefix(e.Text, prefix) {
				return e.Text
			}
		}
		if time.Now().After(end) {
			return ""
		}
		time.Sleep(20 * time.Millisecond)
	}
}
