package cli

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/iac"
	"github.com/corsdiag/corsdiag/pkg/lint"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// serve answers as the model predicted: the preflight to OPTIONS, the
// actual answer to the page's method, the first predicted error answer to
// anything else (the error-path probe's made-up path).
func serve(x lint.RouteResult) http.Handler {
	write := func(w http.ResponseWriter, m *cors.Message) {
		for k, vs := range m.Header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		w.WriteHeader(m.Status)
		w.Write(m.Body)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ex := x.Exch
		switch {
		case r.Method == http.MethodOptions && ex.Preflight != nil:
			write(w, ex.Preflight.Response)
		case r.URL.Path == mustPath(ex.Request.URL) && r.Method == ex.Actual[0].Request.Method:
			write(w, ex.Actual[0].Response)
		case len(x.Errors) > 0:
			write(w, x.Errors[0].Hop.Response)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
}

func mustPath(raw string) string {
	u, _ := url.Parse(raw)
	return u.Path
}

// readList turns back what lint knows from reading an allow-list and a
// probe cannot see: an entry with the page's origin and its default port
// makes lint's finding allow-origin-default-port where check, seeing only
// the refusal, gives the service's own code.
func readList(fs []cors.Finding) []cors.Finding {
	out := slices.Clone(fs)
	for i, f := range out {
		if f.Code != platform.CodeAllowOriginDefaultPort || f.Platform == "" {
			continue
		}
		for _, c := range []cors.Code{platform.CodeHTTPAPINotConfigured, platform.CodeLambdaURLNotConfigured, platform.CodeS3CORSRuleMismatch} {
			if strings.Contains(f.Fix, "corsdiag explain "+string(c)) {
				out[i].Code = c
			}
		}
	}
	return out
}

func errorCodes(fs []cors.Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Severity == cors.SeverityError && !slices.Contains(out, string(f.Code)) {
			out = append(out, string(f.Code))
		}
	}
	sort.Strings(out)
	return out
}

// One model, the same engine: every predicted exchange, served over TLS
// under the predicted host name and probed by check, gets the error codes
// lint gave it.
func TestLintAgreesWithCheck(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/lint/*/*.y*ml")
	for _, ext := range []string{"json", "tf"} {
		more, _ := filepath.Glob("../../testdata/lint/*/*." + ext)
		files = append(files, more...)
	}
	compared := 0
	for _, f := range files {
		tmpl, err := iac.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		args := lintArgs(t, f)
		origin, h, creds := "https://app.example.com", http.Header{}, false
		for i := 0; i < len(args); i++ {
			if args[i] == "--credentials" {
				creds = true
				continue
			}
			if i+1 == len(args) {
				break
			}
			switch args[i] {
			case "--origin":
				origin = args[i+1]
			case "-H":
				name, value, _, err := parseHeaderFlag(args[i+1])
				if err != nil {
					t.Fatal(err)
				}
				h.Add(name, value)
			}
		}
		rep, err := lint.Lint([]*iac.Template{tmpl}, lint.Options{Origins: []string{origin}, Header: h, Credentials: creds})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range rep.Results {
			t.Run(filepath.Base(f)+"/"+x.Route, func(t *testing.T) {
				srv := httptest.NewTLSServer(serve(x))
				defer srv.Close()
				u, _ := url.Parse(x.Exch.Request.URL)
				_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
				routes, err := probe.ParseRoutes(nil, []string{u.Hostname() + ":443:127.0.0.1:" + port})
				if err != nil {
					t.Fatal(err)
				}
				res, err := probe.Run(context.Background(), probe.Options{Request: x.Exch.Request, SendActual: true, ErrorProbe: true, Insecure: true, Routes: routes})
				if err != nil {
					t.Fatal(err)
				}
				d := cors.Evaluate(res.Exchange)
				res.AddFindings(d)
				in := platform.Input{Exchange: res.Exchange, Diagnosis: d}
				for _, ep := range res.ErrorPaths {
					in.ErrorPaths = append(in.ErrorPaths, ep.Hop)
				}
				checkFindings := append(d.Findings, platform.Analyze(in).Findings...)
				var lintFindings []cors.Finding
				for _, lf := range rep.Findings {
					if lf.Route == x.Route && lf.Origin == x.Origin && lf.Service == x.Service {
						lintFindings = append(lintFindings, lf.Finding)
					}
				}
				if got, want := errorCodes(readList(lintFindings)), errorCodes(checkFindings); !slices.Equal(got, want) {
					t.Errorf("lint %v, check %v", got, want)
				}
				if x.Verdict != d.Verdict {
					t.Errorf("lint verdict %s, check %s", x.Verdict, d.Verdict)
				}
				compared++
			})
		}
	}
	if compared < 20 {
		t.Errorf("only %d routes compared", compared)
	}
}
