package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/refused"
	"github.com/corsdiag/corsdiag/pkg/internal/testcert"
)

func TestParseRoutesErrors(t *testing.T) {
	tests := []struct {
		resolve, connectTo string
		want               string // part of the error
	}{
		{resolve: "api.example.com:443", want: "want HOST:PORT:ADDRESS"},
		{resolve: "api.example.com", want: "want HOST:PORT:ADDRESS"},
		{resolve: ":443:127.0.0.1", want: "the host is empty"},
		{resolve: "api.example.com::127.0.0.1", want: "the port is empty"},
		{resolve: "api.example.com:https:127.0.0.1", want: `port "https" is not a number`},
		{resolve: "api.example.com:70000:127.0.0.1", want: `port "70000"`},
		{resolve: "api.example.com:443:", want: "no address"},
		{resolve: "api.example.com:443:staging.example.net", want: "use --connect-to"},
		{resolve: "api.example.com:443:127.0.0.1,nope", want: `"nope" is not an IP address`},
		{resolve: "-api.example.com:443", want: "removing an entry"},
		{resolve: "[::1:443:127.0.0.1", want: "want HOST:PORT:ADDRESS"},
		{connectTo: "api.example.com:443", want: "want HOST1:PORT1:HOST2:PORT2"},
		{connectTo: "api.example.com:443:b", want: "want HOST1:PORT1:HOST2:PORT2"},
		{connectTo: "a:443:b:80:9", want: "want HOST1:PORT1:HOST2:PORT2"},
		{connectTo: "a:x:b:80", want: `port "x"`},
		{connectTo: "a:443:b:0", want: `port "0"`},
		{connectTo: "a/b:443:c:80", want: "not a host name"},
	}
	for _, tt := range tests {
		var res, ct []string
		flag := "--resolve"
		if tt.resolve != "" {
			res = []string{tt.resolve}
		} else {
			ct, flag = []string{tt.connectTo}, "--connect-to"
		}
		_, err := ParseRoutes(res, ct)
		var re *RouteError
		if !errors.As(err, &re) {
			t.Errorf("%v %v: err = %v, want a *RouteError", res, ct, err)
			continue
		}
		if re.Flag != flag || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), flag+" ") {
			t.Errorf("%v %v: err = %q, want %s … %q", res, ct, err, flag, tt.want)
		}
	}
}

// TestRoute is curl's meaning: --connect-to first (first match wins, empty
// parts mean any / keep), then --resolve on the result (named hosts before *).
func TestRoute(t *testing.T) {
	tests := []struct {
		name               string
		resolve, connectTo []string
		host, port         string
		wantAddrs          []string
		wantPort           string
		wantRouted         bool
	}{
		{"no rule", nil, nil, "api.example.com", "443", []string{"api.example.com"}, "443", false},
		{"resolve", []string{"api.example.com:443:127.0.0.1"}, nil, "api.example.com", "443", []string{"127.0.0.1"}, "443", true},
		{"resolve is per port", []string{"api.example.com:443:127.0.0.1"}, nil, "api.example.com", "80", []string{"api.example.com"}, "80", false},
		{"resolve ignores case", []string{"API.Example.com:443:127.0.0.1"}, nil, "api.example.COM", "443", []string{"127.0.0.1"}, "443", true},
		{"resolve several addresses, v6 in brackets", []string{"+api.example.com:443:[::1],127.0.0.1"}, nil, "api.example.com", "443", []string{"::1", "127.0.0.1"}, "443", true},
		{"named before wildcard", []string{"*:443:127.0.0.2", "api.example.com:443:127.0.0.1"}, nil, "api.example.com", "443", []string{"127.0.0.1"}, "443", true},
		{"wildcard", []string{"*:443:127.0.0.2"}, nil, "other.example.com", "443", []string{"127.0.0.2"}, "443", true},
		{"v6 host", []string{"[::1]:8443:127.0.0.1"}, nil, "::1", "8443", []string{"127.0.0.1"}, "8443", true},
		{"connect-to", nil, []string{"api.example.com:443:staging.example.net:8443"}, "api.example.com", "443", []string{"staging.example.net"}, "8443", true},
		{"connect-to keeps host", nil, []string{"api.example.com:443::8443"}, "api.example.com", "443", []string{"api.example.com"}, "8443", true},
		{"connect-to keeps port", nil, []string{"api.example.com:443:staging.example.net:"}, "api.example.com", "443", []string{"staging.example.net"}, "443", true},
		{"connect-to any host", nil, []string{":443:lb.example.net:443"}, "x.example.com", "443", []string{"lb.example.net"}, "443", true},
		{"connect-to any port", nil, []string{"api.example.com::lb.example.net:"}, "api.example.com", "8080", []string{"lb.example.net"}, "8080", true},
		{"connect-to first match wins", nil, []string{"api.example.com:443:one:1", "api.example.com:443:two:2"}, "api.example.com", "443", []string{"one"}, "1", true},
		{"connect-to other port does not match", nil, []string{"api.example.com:443:one:1"}, "api.example.com", "80", []string{"api.example.com"}, "80", false},
		{"a name under localhost is loopback", nil, nil, "api.localhost", "8080", loopbackAddrs, "8080", true},
		{"localhost with a final dot, any case", nil, nil, "LocalHost.", "80", loopbackAddrs, "80", true},
		{"a name merely ending in localhost is not", nil, nil, "notlocalhost", "80", []string{"notlocalhost"}, "80", false},
		{"a resolve rule beats localhost", []string{"api.localhost:8080:127.0.0.2"}, nil, "api.localhost", "8080", []string{"127.0.0.2"}, "8080", true},
		{"connect-to then resolve", []string{"staging.example.net:8443:127.0.0.1"}, []string{"api.example.com:443:staging.example.net:8443"}, "api.example.com", "443", []string{"127.0.0.1"}, "8443", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRoutes(tt.resolve, tt.connectTo)
			if err != nil {
				t.Fatal(err)
			}
			addrs, port, routed := r.route(tt.host, tt.port)
			if !reflect.DeepEqual(addrs, tt.wantAddrs) || port != tt.wantPort || routed != tt.wantRouted {
				t.Errorf("route(%s, %s) = %v %s %v, want %v %s %v", tt.host, tt.port, addrs, port, routed, tt.wantAddrs, tt.wantPort, tt.wantRouted)
			}
		})
	}
}

// sniServer is an https server whose certificate is valid only for names;
// it records the SNI and Host of every request.
type sniServer struct {
	*httptest.Server
	mu   sync.Mutex
	snis []string
}

func newSNIServer(t *testing.T, h http.HandlerFunc, names ...string) (*sniServer, *tls.Config) {
	t.Helper()
	cert, pool := testcert.New(t, names...)
	s := &sniServer{}
	s.Server = httptest.NewUnstartedServer(h)
	s.TLS = &tls.Config{
		Certificates: []tls.Certificate{cert},
		GetConfigForClient: func(hi *tls.ClientHelloInfo) (*tls.Config, error) {
			s.mu.Lock()
			s.snis = append(s.snis, hi.ServerName)
			s.mu.Unlock()
			return nil, nil
		},
	}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s, &tls.Config{RootCAs: pool}
}

func (s *sniServer) seenSNI() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.snis...)
}

// A name whose DNS does not exist yet, checked over verified TLS: the
// connection goes to loopback, Host and SNI stay the URL's, and the
// certificate is verified for that name.
func TestRoutesKeepHostAndSNI(t *testing.T) {
	var hosts sync.Map
	srv, clientTLS := newSNIServer(t, func(w http.ResponseWriter, r *http.Request) {
		hosts.Store(r.Host, true)
		corsOK(w, r)
	}, "api.example.test")
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	tests := []struct {
		name               string
		resolve, connectTo []string
	}{
		{"resolve", []string{"api.example.test:" + port + ":127.0.0.1"}, nil},
		{"connect-to", nil, []string{"api.example.test:" + port + ":127.0.0.1:" + port}},
		{"connect-to from the default port", nil, []string{"api.example.test:443:127.0.0.1:" + port}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			routes, err := ParseRoutes(tt.resolve, tt.connectTo)
			if err != nil {
				t.Fatal(err)
			}
			u := "https://api.example.test:" + port + "/items"
			wantHost := "api.example.test:" + port
			if strings.HasPrefix(tt.name, "connect-to from") {
				u, wantHost = "https://api.example.test/items", "api.example.test"
			}
			tr := NewTransport(false, routes)
			tr.TLSClientConfig.RootCAs = clientTLS.RootCAs
			t.Cleanup(tr.CloseIdleConnections)
			res := run(t, Options{
				Request:   cors.Request{Method: "PUT", URL: u, Header: http.Header{"X-Custom": {"1"}}},
				Transport: tr,
			})
			if res.Exchange.Preflight == nil || res.Exchange.Preflight.Response == nil {
				t.Fatalf("no preflight answer: %+v", res.Exchange.Preflight)
			}
			if got := cors.Evaluate(res.Exchange).Verdict; got != cors.Allowed {
				t.Errorf("verdict %s, want allowed", got)
			}
			if _, ok := hosts.Load(wantHost); !ok {
				t.Errorf("the server never saw Host %s", wantHost)
			}
			for _, sni := range srv.seenSNI() {
				if sni != "api.example.test" {
					t.Errorf("SNI %q, want api.example.test", sni)
				}
			}
			if ra := res.Exchange.Preflight.RemoteAddress; ra != "127.0.0.1:"+port {
				t.Errorf("remote address %q, want 127.0.0.1:%s", ra, port)
			}
		})
	}
}

// Options.Routes on the probe's own transport, as check and har --replay
// use it (TLS not verified here: the system pool does not know the test CA).
func TestRunWithRoutes(t *testing.T) {
	srv, _ := newSNIServer(t, corsOK, "api.example.test")
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	routes, err := ParseRoutes([]string{"api.example.test:" + port + ":127.0.0.1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, Options{
		Request:  cors.Request{Method: "GET", URL: "https://api.example.test:" + port + "/items"},
		Routes:   routes,
		Insecure: true,
	})
	if len(res.Exchange.Actual) != 1 || res.Exchange.Actual[0].Response == nil {
		t.Fatalf("actual: %+v", res.Exchange.Actual)
	}
	if got := srv.seenSNI(); len(got) == 0 || got[0] != "api.example.test" {
		t.Errorf("SNI %v, want api.example.test", got)
	}

	// A shared transport and routes together are a mistake the probe names.
	_, err = Run(context.Background(), Options{Request: cors.Request{URL: srv.URL, Origin: pageOrigin}, Routes: routes, Transport: http.DefaultTransport})
	if err == nil || !strings.Contains(err.Error(), "NewTransport") {
		t.Errorf("Routes with Transport: err = %v", err)
	}
}

// A name under localhost reaches loopback without a rule and without DNS,
// as in the browser (Go's resolver would ask DNS for api.localhost).
func TestLocalhostNamesAreLoopback(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(corsOK))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	res := run(t, Options{Request: cors.Request{Method: "GET", URL: "http://api.localhost:" + port + "/items"}})
	if len(res.Exchange.Actual) != 1 || res.Exchange.Actual[0].Response == nil {
		t.Fatalf("actual: %+v", res.Exchange.Actual)
	}
}

// A routed connection that fails names where it was sent.
func TestRoutedUnreachable(t *testing.T) {
	addr := refused.Addr(t)
	host, port, _ := net.SplitHostPort(addr)
	// --resolve applies to where --connect-to sent the request.
	routes, err := ParseRoutes([]string{"api.example.test:" + port + ":" + host}, []string{"api.example.test:443::" + port})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), Options{
		Request: cors.Request{Method: "GET", URL: "https://api.example.test/items", Origin: pageOrigin},
		Routes:  routes,
	})
	var ue *UnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want *UnreachableError", err)
	}
	want := "connection refused: nothing listens on " + addr + " (routed there from api.example.test:443)"
	if ue.Reason != want {
		t.Errorf("reason %q, want %q", ue.Reason, want)
	}
}

func FuzzParseRoutes(f *testing.F) {
	for _, s := range []string{"api.example.com:443:127.0.0.1", "+*:80:[::1],10.0.0.1", "a:1:b:2", "[::1]:443::8443", "::", "[", "-x:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, which := range []bool{true, false} {
			var r *Routes
			var err error
			if which {
				r, err = ParseRoutes([]string{s}, nil)
			} else {
				r, err = ParseRoutes(nil, []string{s})
			}
			if err != nil {
				var re *RouteError
				if !errors.As(err, &re) || re.Value != s {
					t.Fatalf("%q: error %v is not a RouteError for the value", s, err)
				}
				continue
			}
			if r.Empty() {
				t.Fatalf("%q parsed but gave no rule", s)
			}
			r.route("api.example.com", "443")
		}
	})
}

// The request line and Host carry the URL as the browser serializes it
// (WHATWG URL standard): %20 for a typed space, UTF-8 percent-escapes,
// punycode for an IDN host, no default port, dot segments resolved.
func TestSendsURLAsBrowser(t *testing.T) {
	type got struct{ target, host string }
	seenReq := make(chan got, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seenReq <- got{r.RequestURI, r.Host}
		corsOK(w, r)
	}))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	routes, err := ParseRoutes([]string{"*:" + port + ":127.0.0.1", "*:80:127.0.0.1"}, []string{":80::" + port})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url, wantTarget, wantHost, wantRecorded string
	}{
		{"http://api.example.test:" + port + "/items?q=1 2", "/items?q=1%202", "api.example.test:" + port, "http://api.example.test:" + port + "/items?q=1%202"},
		{"http://api.example.test:" + port + "/search files/é?q=ü", "/search%20files/%C3%A9?q=%C3%BC", "api.example.test:" + port, ""},
		{"http://Bücher.example.test:" + port + "/a/./b/../c", "/a/c", "xn--bcher-kva.example.test:" + port, "http://xn--bcher-kva.example.test:" + port + "/a/c"},
		{"HTTP://API.example.test:80/x#frag", "/x", "api.example.test", "http://api.example.test/x"},
	}
	for _, tt := range tests {
		// An http page: from an https one, http://api.example.test is mixed content.
		res := run(t, Options{Request: cors.Request{Method: "GET", URL: tt.url, Origin: "http://app.example.com"}, Routes: routes})
		g := <-seenReq
		if g.target != tt.wantTarget || g.host != tt.wantHost {
			t.Errorf("%q: server saw %s with Host %s, want %s with Host %s", tt.url, g.target, g.host, tt.wantTarget, tt.wantHost)
		}
		if tt.wantRecorded != "" && res.Exchange.Request.URL != tt.wantRecorded {
			t.Errorf("%q: exchange URL %q, want %q", tt.url, res.Exchange.Request.URL, tt.wantRecorded)
		}
	}
}
