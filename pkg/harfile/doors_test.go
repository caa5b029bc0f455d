package harfile

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/stacks"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// TestSameAnswersSameCause: check (probe, engine, platform.Apply) and har
// on the HAR check wrote of the same answers name the same platform, the
// same cause and the same fix, for servers that answer as the named
// stacks do.
func TestSameAnswersSameCause(t *testing.T) {
	// https throughout: a plain http URL from an https page is mixed
	// content, and a plain http page calling loopback is stopped by Local
	// Network Access, both before CORS.
	const prod, staging = "https://app.example.com", "https://staging.example.com"
	json := stacks.ExpressJSON(`[]`)
	tests := []struct {
		name      string
		h         http.HandlerFunc
		url       string
		method    string
		header    http.Header
		platform  string
		wantCause cors.Code
		origin    string // "" for staging
	}{
		{"Express cors allow-list", stacks.ExpressCORS([]string{prod}, json), "https://api.example.com/items", "GET", nil, "express", platform.CodeOriginNotAllowed, ""},
		{"S3 rule mismatch on the preflight", stacks.S3([]string{prod}), "https://uploads.s3.us-east-1.amazonaws.com/a.json", "PUT", http.Header{"Content-Type": {"application/json"}}, "aws-s3", platform.CodeS3CORSRuleMismatch, ""},
		{"S3 GET from another origin", stacks.S3([]string{prod}), "https://uploads.s3.us-east-1.amazonaws.com/a.json", "GET", nil, "aws-s3", platform.CodeS3CORSRuleMismatch, ""},
		{"HTTP API without this origin", stacks.HTTPAPI([]string{prod}, json), "https://q1w2e3r4t5.execute-api.us-east-1.amazonaws.com/items", "PUT", http.Header{"Content-Type": {"application/json"}}, "aws-apigateway-http", platform.CodeHTTPAPINotConfigured, ""},
		{"load balancer redirect", stacks.RedirectingLB("https://www.example.com"), "https://api.example.com/items", "GET", nil, "aws-alb", cors.CodeMissingAllowOrigin, ""},
		{"HTTP API allows the origin, not the header", stacks.HTTPAPI([]string{prod}, json), "https://q1w2e3r4t5.execute-api.us-east-1.amazonaws.com/items", "POST", http.Header{"Content-Type": {"application/json"}, "X-Trace-Id": {"1"}}, "aws-apigateway-http", platform.CodeHTTPAPINotConfigured, prod},
		{"cross-origin redirect taints the Origin", stacks.Hosts(map[string]http.HandlerFunc{
			"api.example.com": stacks.ExpressCORS([]string{prod}, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://files.example.com"+r.URL.Path, http.StatusFound)
			}),
			"files.example.com": stacks.ExpressCORS([]string{prod}, json),
		}), "https://api.example.com/files/7", "GET", nil, "express", cors.CodeOriginTainted, prod},
		{"Express auth before cors", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Powered-By", "Express")
			if r.Header.Get("Authorization") == "" {
				http.Error(w, "Unauthorized", http.StatusUnauthorized)
				return
			}
			stacks.ExpressCORS([]string{prod}, json)(w, r)
		}, "https://api.example.com/items", "GET", http.Header{"Authorization": {"Bearer x"}}, "express", platform.CodeMiddlewareOrder, prod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewTLSServer(tt.h)
			defer srv.Close()
			tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // loopback test server
				DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
					var d net.Dialer
					return d.DialContext(ctx, "tcp", srv.Listener.Addr().String())
				}}
			defer tr.CloseIdleConnections()
			origin := tt.origin
			if origin == "" {
				origin = staging
			}
			req := cors.Request{Method: tt.method, URL: tt.url, Origin: origin, Header: tt.header}
			res, err := probe.Run(context.Background(), probe.Options{Request: req, Transport: tr, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			d := cors.Evaluate(res.Exchange)
			rep := platform.Analyze(platform.Input{Exchange: res.Exchange, Diagnosis: d})
			rep.Apply(d)
			checkCause := d.Cause()
			if checkCause == nil || checkCause.Code != tt.wantCause {
				t.Fatalf("check: cause %v, want %s; findings %v", checkCause, tt.wantCause, d.Findings)
			}
			if rep.Platform == nil || rep.Platform.ID != tt.platform {
				t.Fatalf("check: platform %v, want %s", rep.Platform, tt.platform)
			}

			var buf bytes.Buffer
			if err := res.WriteHAR(&buf, true); err != nil {
				t.Fatal(err)
			}
			var got *Result
			if _, _, err := Analyze(&buf, AnalyzeOptions{}, func(r *Result) error {
				if r.URL == tt.url && r.Verdict == cors.Blocked {
					got = r
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Fatal("har: the request is not blocked")
			}
			var harCause *cors.Finding
			for i := range got.Findings {
				if got.Findings[i].Cause || harCause == nil && got.Findings[i].Reported {
					harCause = &got.Findings[i]
				}
			}
			switch {
			case got.Platform == nil || got.Platform.ID != tt.platform:
				t.Errorf("har: platform %v, want %s", got.Platform, tt.platform)
			case harCause.Code != checkCause.Code || harCause.Step != checkCause.Step:
				t.Errorf("har: cause %s at %s, check %s at %s; har findings %v", harCause.Code, harCause.Step, checkCause.Code, checkCause.Step, got.Findings)
			case harCause.Fix != checkCause.Fix:
				t.Errorf("har: fix differs from check's:\n%s\n--- check ---\n%s", harCause.Fix, checkCause.Fix)
			}
		})
	}
}

// TestErrorPathSameInBothDoors: har on a `check --har-out` file gives the
// platform's reading of the error-path probes too (API Gateway's gateway
// responses), as check does, not only the generic warning.
func TestErrorPathSameInBothDoors(t *testing.T) {
	srv := httptest.NewServer(stacks.RESTAPI("/prod/items", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		_, _ = w.Write([]byte(`[]`))
	}))
	defer srv.Close()
	req := cors.Request{Method: "GET", URL: srv.URL + "/prod/items", Origin: "http://localhost:8080"}
	res, err := probe.Run(context.Background(), probe.Options{Request: req, ErrorProbe: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	d := cors.Evaluate(res.Exchange)
	res.AddFindings(d)
	platform.Analyze(platform.Input{Exchange: res.Exchange, Diagnosis: d, ErrorPaths: res.ErrorPathHops()}).Apply(d)
	errorPathCodes := func(fs []cors.Finding) []cors.Code {
		var out []cors.Code
		for _, f := range fs {
			if f.Step == "error-path" {
				out = append(out, f.Code)
			}
		}
		return out
	}
	want := errorPathCodes(d.Findings)
	if len(want) == 0 {
		t.Fatalf("check: no error-path finding; findings %v", d.Findings)
	}
	var buf bytes.Buffer
	if err := res.WriteHAR(&buf, true); err != nil {
		t.Fatal(err)
	}
	var got []cors.Code
	if _, _, err := Analyze(&buf, AnalyzeOptions{}, func(r *Result) error {
		got = append(got, errorPathCodes(r.Findings)...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("har's error-path findings %v, check's %v", got, want)
	}
}

// TestCrossSiteCookiesSameInBothDoors: check --browser firefox (or safari)
// blocks a credentialed cross-site request whose answer without cookies
// fails (those browsers do not send the cookies); har on check's file
// reaches the same verdict and finding, in text (brief) and JSON modes.
func TestCrossSiteCookiesSameInBothDoors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Cookie") == "" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Add("Vary", "Origin")
	}))
	defer srv.Close()
	// Chromium sends third-party cookies (for now); the others do not.
	for p, want := range map[*cors.Profile]cors.Verdict{cors.Chromium: cors.Allowed, cors.Firefox: cors.Blocked, cors.Safari: cors.Blocked} {
		t.Run(p.Name, func(t *testing.T) {
			req := cors.Request{Method: "GET", URL: srv.URL + "/me", Origin: "http://localhost:8080", Credentials: true}
			res, err := probe.Run(context.Background(), probe.Options{Request: req, Cookie: "sid=1", ErrorProbe: true, Profile: p, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			d := p.Evaluate(res.Exchange)
			res.AddBrowserFindings(p, d)
			// Both doors agreeing proves nothing when neither blocks.
			if d.Verdict != want {
				t.Fatalf("check: %s %v, want %s", d.Verdict, d.Findings, want)
			}
			var buf bytes.Buffer
			if err := res.WriteHAR(&buf, true); err != nil {
				t.Fatal(err)
			}
			for _, brief := range []bool{false, true} {
				var got *Result
				if _, _, err := Analyze(bytes.NewReader(buf.Bytes()), AnalyzeOptions{BriefAllowed: brief}, func(r *Result) error {
					got = r
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				if got == nil || got.Verdict != d.Verdict {
					t.Fatalf("brief %v: har %+v, check verdict %s", brief, got, d.Verdict)
				}
				if d.Verdict == cors.Blocked && (got.Reported() == nil || got.Reported().Code != d.Reported().Code) {
					t.Errorf("brief %v: har reports %v, check %s", brief, got.Reported(), d.Reported().Code)
				}
			}
		})
	}
}
