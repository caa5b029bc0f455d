package platform

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// replayCase is one recorded (or faithfully reconstructed) platform answer,
// served by httptest and probed the way `corsdiag check` probes.
type replayCase struct {
	Name string `yaml:"name"`
	// Source names where the answers' headers and bodies come from.
	Source  string `yaml:"source"`
	Request struct {
		Method      string   `yaml:"method"`
		URL         string   `yaml:"url"`
		Origin      string   `yaml:"origin"`
		Headers     []string `yaml:"headers"`
		Credentials bool     `yaml:"credentials"`
	} `yaml:"request"`
	SendActual bool          `yaml:"send_actual"`
	ErrorProbe bool          `yaml:"error_probe"`
	FixFormat  string        `yaml:"fix_format"`
	Routes     []replayRoute `yaml:"routes"`
	Expect     struct {
		Platform   string   `yaml:"platform"` // "" = no platform
		Confidence string   `yaml:"confidence"`
		Layers     []string `yaml:"layers"`
		Evidence   []string `yaml:"evidence"` // substrings
		Findings   []struct {
			Code     string   `yaml:"code"`
			Severity string   `yaml:"severity"`
			Message  []string `yaml:"message"`   // substrings
			Fix      []string `yaml:"fix"`       // substrings
			FixLacks []string `yaml:"fix_lacks"` // substrings the fix must not hold
		} `yaml:"findings"`
		NoCodes []string `yaml:"no_codes"`
	} `yaml:"expect"`
}

type replayRoute struct {
	Method  string   `yaml:"method"` // "*" any
	Path    string   `yaml:"path"`   // exact, prefix*, or "*"
	Status  int      `yaml:"status"`
	Headers []string `yaml:"headers"` // "Name: value", repeats kept
	Body    string   `yaml:"body"`
}

func (rt replayRoute) matches(r *http.Request) bool {
	if rt.Method != "*" && rt.Method != r.Method {
		return false
	}
	switch {
	case rt.Path == "*":
		return true
	case strings.HasSuffix(rt.Path, "*"):
		return strings.HasPrefix(r.URL.Path, strings.TrimSuffix(rt.Path, "*"))
	}
	return r.URL.Path == rt.Path
}

func splitHeader(t testing.TB, line string) (string, string) {
	name, value, ok := strings.Cut(line, ":")
	if !ok {
		t.Fatalf("header line %q has no colon", line)
	}
	return strings.TrimSpace(name), strings.TrimSpace(value)
}

// serve replays the routes; every dial goes to the loopback server, so the
// case's real host name (execute-api, s3…) reaches the fingerprints while
// no traffic leaves the machine.
func (c *replayCase) serve(t *testing.T) http.RoundTripper {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, rt := range c.Routes {
			if !rt.matches(r) {
				continue
			}
			for _, line := range rt.Headers {
				n, v := splitHeader(t, line)
				w.Header()[http.CanonicalHeaderKey(n)] = append(w.Header()[http.CanonicalHeaderKey(n)], v)
			}
			if w.Header().Get("Date") == "" {
				w.Header()["Date"] = nil // recorded answers carry their own
			}
			w.WriteHeader(rt.Status)
			_, _ = w.Write([]byte(rt.Body))
			return
		}
		t.Errorf("%s: no route for %s %s", c.Name, r.Method, r.URL.Path)
		w.WriteHeader(599)
	}))
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	return &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // loopback test server
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
}

func loadCases(t *testing.T) []*replayCase {
	files, err := filepath.Glob("testdata/cases/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	var out []*replayCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c := &replayCase{}
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if c.Source == "" {
			t.Fatalf("%s: every case names its source", f)
		}
		if c.Name == "" {
			c.Name = strings.TrimSuffix(filepath.Base(f), ".yaml")
		}
		out = append(out, c)
	}
	return out
}

func (c *replayCase) run(t *testing.T) *Report {
	req := cors.Request{Method: c.Request.Method, URL: c.Request.URL, Origin: c.Request.Origin, Header: http.Header{}, Credentials: c.Request.Credentials}
	if req.Origin == "" {
		req.Origin = "https://app.example.com"
	}
	for _, line := range c.Request.Headers {
		n, v := splitHeader(t, line)
		req.Header.Add(n, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := probe.Run(ctx, probe.Options{Request: req, SendActual: c.SendActual, ErrorProbe: c.ErrorProbe, Transport: c.serve(t), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	var errs []cors.Hop
	for _, ep := range res.ErrorPaths {
		errs = append(errs, ep.Hop)
	}
	return Analyze(Input{Exchange: res.Exchange, Diagnosis: cors.Evaluate(res.Exchange), ErrorPaths: errs, FixFormat: c.FixFormat})
}

func TestRecordedPlatforms(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			rep := c.run(t)
			e := c.Expect
			if e.Platform == "" {
				if rep.Platform != nil && rep.Platform.Confidence != Low {
					t.Fatalf("got platform %s (%s) %v, want none", rep.Platform.ID, rep.Platform.Confidence, rep.Platform.Evidence)
				}
			} else {
				if rep.Platform == nil {
					t.Fatalf("no platform, want %s", e.Platform)
				}
				if rep.Platform.ID != e.Platform {
					t.Fatalf("platform %s (%v), want %s", rep.Platform.ID, rep.Platform.Evidence, e.Platform)
				}
				if e.Confidence != "" && rep.Platform.Confidence != e.Confidence {
					t.Errorf("confidence %s, want %s (%v)", rep.Platform.Confidence, e.Confidence, rep.Platform.Evidence)
				}
				if e.Layers != nil && strings.Join(rep.Platform.Layers, " > ") != strings.Join(e.Layers, " > ") {
					t.Errorf("layers %q, want %q", rep.Platform.Layers, e.Layers)
				}
				ev := strings.Join(rep.Platform.Evidence, "\n")
				for _, s := range e.Evidence {
					if !strings.Contains(ev, s) {
						t.Errorf("evidence lacks %q:\n%s", s, ev)
					}
				}
			}
			got := map[cors.Code]cors.Finding{}
			var codes []string
			for _, f := range rep.Findings {
				if _, dup := got[f.Code]; !dup {
					got[f.Code] = f // the first (most severe) of a code
				}
				codes = append(codes, string(f.Code)+"@"+f.Step)
				if f.Platform == "" {
					t.Errorf("%s: Platform not set", f.Code)
				}
				if _, ok := cors.Lookup(f.Code); !ok {
					t.Errorf("%s: not registered", f.Code)
				}
			}
			for _, want := range e.Findings {
				f, ok := got[cors.Code(want.Code)]
				if !ok {
					t.Errorf("missing finding %s; got %v", want.Code, codes)
					continue
				}
				if want.Severity != "" && string(f.Severity) != want.Severity {
					t.Errorf("%s: severity %s, want %s", want.Code, f.Severity, want.Severity)
				}
				for _, s := range want.Message {
					if !strings.Contains(f.Message, s) {
						t.Errorf("%s: message lacks %q:\n%s", want.Code, s, f.Message)
					}
				}
				for _, s := range want.Fix {
					if !strings.Contains(f.Fix, s) && !strings.Contains(joinComments(f.Fix), s) {
						t.Errorf("%s: fix lacks %q:\n%s", want.Code, s, f.Fix)
					}
				}
				for _, s := range want.FixLacks {
					if strings.Contains(f.Fix, s) {
						t.Errorf("%s: fix must not hold %q:\n%s", want.Code, s, f.Fix)
					}
				}
			}
			for _, no := range e.NoCodes {
				if _, ok := got[cors.Code(no)]; ok {
					t.Errorf("unexpected finding %s: %s", no, got[cors.Code(no)].Message)
				}
			}
		})
	}
}

// TestPlainGoServer: Go's net/http with default headers is no platform.
func TestPlainGoServer(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/items", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"message":"ok"}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, method := range []string{"GET", "PUT"} {
		req := cors.Request{Method: method, URL: srv.URL + "/items", Origin: "https://app.example.com", Header: http.Header{"Content-Type": {"application/json"}}}
		res, err := probe.Run(context.Background(), probe.Options{Request: req, SendActual: true, ErrorProbe: true})
		if err != nil {
			t.Fatal(err)
		}
		var errs []cors.Hop
		for _, ep := range res.ErrorPaths {
			errs = append(errs, ep.Hop)
		}
		rep := Analyze(Input{Exchange: res.Exchange, ErrorPaths: errs})
		if rep.Platform != nil {
			t.Errorf("%s: plain Go server recognised as %s %v", method, rep.Platform.ID, rep.Platform.Evidence)
		}
		if len(rep.Findings) != 0 {
			t.Errorf("%s: platform findings for a plain server: %v", method, rep.Findings)
		}
	}
}
