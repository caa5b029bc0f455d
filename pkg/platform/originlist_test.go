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

const (
	prodOrigin    = "https://app.example.com"
	stagingOrigin = "https://staging.example.com"
)

// diagnose probes h the way check does (comparison request on) and
// returns the diagnosis with the platform's cause applied.
func diagnose(t *testing.T, h http.Handler, req cors.Request, compare ...string) *cors.Diagnosis {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	req.URL = srv.URL + req.URL
	if req.Header == nil {
		req.Header = http.Header{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := probe.Run(ctx, probe.Options{Request: req, Compare: true, CompareOrigins: compare, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	d := cors.Evaluate(res.Exchange)
	Analyze(Input{Exchange: res.Exchange, Diagnosis: d}).Apply(d)
	return d
}

func TestOriginNotInAllowList(t *testing.T) {
	express := stacks.ExpressCORS([]string{prodOrigin}, stacks.ExpressJSON(`[]`))
	// rs/cors and most hand-written middleware: Vary: Origin, no header.
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		if r.Header.Get("Origin") == prodOrigin {
			w.Header().Set("Access-Control-Allow-Origin", prodOrigin)
		}
		_, _ = w.Write([]byte("[]"))
	})
	noCORS := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Powered-By", "Express")
		_, _ = w.Write([]byte("[]"))
	})
	get := cors.Request{Method: "GET", URL: "/items", Origin: stagingOrigin}
	put := cors.Request{Method: "PUT", URL: "/items/1", Origin: stagingOrigin, Header: http.Header{"Content-Type": {"application/json"}}}
	tests := []struct {
		name      string
		h         http.Handler
		req       cors.Request
		compare   []string
		wantCause cors.Code
		step      string
		platform  string
		message   []string
		fix       []string
		noCode    cors.Code
	}{
		{name: "express GET, compared with the production origin", h: express, req: get, compare: []string{prodOrigin},
			wantCause: CodeOriginNotAllowed, step: "actual", platform: "Express (Node.js)",
			message: []string{"refused https://staging.example.com", "Vary: Origin", "the server allows https://app.example.com, not https://staging.example.com"},
			fix:     []string{"[express]", "origin: ['https://app.example.com', 'https://staging.example.com']"},
			noCode:  CodeExpressNoCORS},
		{name: "express GET, compared with the API's own origin", h: express, req: get,
			wantCause: CodeOriginNotAllowed, step: "actual", platform: "Express (Node.js)",
			message: []string{"was refused too"},
			fix:     []string{"origin: [...(typeof allowedOrigins === 'undefined' ? [] : allowedOrigins), 'https://staging.example.com']"},
			noCode:  CodeExpressNoCORS},
		{name: "express preflight answered 204 without the origin", h: express, req: put, compare: []string{prodOrigin},
			wantCause: CodeOriginNotAllowed, step: "preflight", platform: "Express (Node.js)",
			message: []string{"the server allows https://app.example.com, not https://staging.example.com"},
			fix:     []string{"'https://app.example.com', 'https://staging.example.com'"},
			noCode:  CodeExpressNoCORS},
		{name: "unknown stack with Vary: Origin", h: plain, req: get, compare: []string{prodOrigin},
			wantCause: CodeOriginNotAllowed, step: "actual",
			message: []string{"the server allows https://app.example.com"}},
		{name: "express without cors at all", h: noCORS, req: get,
			wantCause: CodeExpressNoCORS, step: "actual", platform: "Express (Node.js)", noCode: CodeOriginNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := diagnose(t, tt.h, tt.req, tt.compare...)
			rep, c := d.Reported(), d.Cause()
			if rep == nil || c == nil {
				t.Fatalf("allowed, want blocked: %v", d.Findings)
			}
			if rep.BrowserMessage == "" || !strings.Contains(rep.BrowserMessage, "No 'Access-Control-Allow-Origin' header") {
				t.Errorf("reported %s lost the console line: %q", rep.Code, rep.BrowserMessage)
			}
			if c.Code != tt.wantCause || c.Step != tt.step || c.Platform != tt.platform {
				t.Fatalf("cause %s at %s on %q, want %s at %s on %q", c.Code, c.Step, c.Platform, tt.wantCause, tt.step, tt.platform)
			}
			if rep.FollowsFrom != c.Code {
				t.Errorf("reported %s follows from %q, want %s", rep.Code, rep.FollowsFrom, c.Code)
			}
			for _, s := range tt.message {
				if !strings.Contains(c.Message, s) {
					t.Errorf("message lacks %q:\n%s", s, c.Message)
				}
			}
			for _, s := range tt.fix {
				if !strings.Contains(c.Fix, s) {
					t.Errorf("fix lacks %q:\n%s", s, c.Fix)
				}
			}
			if tt.noCode != "" && d.Has(tt.noCode) {
				t.Errorf("unexpected %s", tt.noCode)
			}
		})
	}
}

// TestAllowedOriginGetsNoAllowListFinding: the production origin passes.
func TestAllowedOriginGetsNoAllowListFinding(t *testing.T) {
	d := diagnose(t, stacks.ExpressCORS([]string{prodOrigin}, stacks.ExpressJSON(`[]`)), cors.Request{Method: "GET", URL: "/items", Origin: prodOrigin})
	if d.Verdict != cors.Allowed || d.Has(CodeOriginNotAllowed) {
		t.Fatalf("verdict %s, findings %v", d.Verdict, d.Findings)
	}
}

// TestErrorPathWarningOnlyWhereTheOriginIsAllowed: error-responses-lack-cors
// is said when some answer allows the origin, not when none does.
func TestErrorPathWarningOnlyWhereTheOriginIsAllowed(t *testing.T) {
	refusing := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/items" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte("[]"))
	})
	allowing := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/items" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", "*")
		_, _ = w.Write([]byte("[]"))
	})
	for _, tt := range []struct {
		name string
		h    http.Handler
		want bool
	}{{"no answer allows the origin", refusing, false}, {"the request is allowed, its errors are not", allowing, true}} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.h)
			defer srv.Close()
			d := probeAndApply(t, cors.Request{Method: "GET", URL: srv.URL + "/items", Origin: prodOrigin})
			if got := d.Has(cors.CodeErrorPathNoCORS); got != tt.want {
				t.Errorf("error-responses-lack-cors: %v, want %v; findings %v", got, tt.want, d.Findings)
			}
		})
	}
}
