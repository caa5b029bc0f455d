package weburl

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestRequest(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"http://api.example.com/items?q=1 2", "http://api.example.com/items?q=1%202"},
		{"https://api.example.com/search files/a b", "https://api.example.com/search%20files/a%20b"},
		{"https://api.example.com/items?q=é", "https://api.example.com/items?q=%C3%A9"},
		{"https://api.example.com/ünïcode", "https://api.example.com/%C3%BCn%C3%AFcode"},
		{"https://Bücher.example/x", "https://xn--bcher-kva.example/x"},
		{"HTTPS://API.Example.COM:443/a", "https://api.example.com/a"},
		{"http://api.example.com:80/a", "http://api.example.com/a"},
		{"http://api.example.com:8080/a", "http://api.example.com:8080/a"},
		{"https://api.example.com/a/./b/../c", "https://api.example.com/a/c"},
		{"https://api.example.com/a/%2e%2E/c", "https://api.example.com/c"},
		{"https://api.example.com", "https://api.example.com/"},
		{"https://api.example.com/items#top", "https://api.example.com/items"},
		{"  https://api.example.com/a\tb\n ", "https://api.example.com/ab"},
		{`https:\\api.example.com\a`, "https://api.example.com/a"},
		{"https://api.example.com/a|b^c[d]?q='x'", "https://api.example.com/a|b^c[d]?q=%27x%27"},
		{"https://api.example.com/%zz", "https://api.example.com/%zz"},
		{"http://0x7f.1/", "http://127.0.0.1/"},
		{"http://[0:0::1]:8080/", "http://[::1]:8080/"},
		{"https://api.example.com/?", "https://api.example.com/?"},
	}
	for _, tt := range tests {
		got, err := Request(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Request(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestRequestErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"api.example.com/items", "not an absolute http:// or https:// URL: it has no scheme"},
		{"ftp://files.example.com/", "not an absolute http:// or https:// URL: the scheme is ftp"},
		{"file:///etc/passwd", "the scheme is file"},
		{"http://exa mple.com/", "forbidden domain code point"},
		{"https://api.example.com:99999/", "port is outside the range"},
		{"https://api.example.com:https/", "port is not a number"},
		{"http://", "the URL has no host"},
		{"https://[::1/", "IPv6 address is missing the closing"},
	}
	for _, tt := range tests {
		_, err := Request(tt.in)
		var e *Error
		if !errors.As(err, &e) || e.Input != tt.in || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Request(%q) error = %v, want an *Error with %q", tt.in, err, tt.want)
		}
	}
}

func TestResolve(t *testing.T) {
	tests := []struct{ base, ref, want string }{
		{"https://api.example.com/v1/items", "/v2/items?q=a b", "https://api.example.com/v2/items?q=a%20b"},
		{"https://api.example.com/v1/items", "../other", "https://api.example.com/other"},
		{"https://api.example.com/v1/items", "//cdn.example.com/x#frag", "https://cdn.example.com/x"},
		{"http://api.example.com/", "https://api.example.com:443/", "https://api.example.com/"},
		{"https://api.example.com/", "ftp://x/", "ftp://x/"},
	}
	for _, tt := range tests {
		got, err := Resolve(tt.base, tt.ref)
		if err != nil || got != tt.want {
			t.Errorf("Resolve(%q, %q) = %q, %v; want %q", tt.base, tt.ref, got, err, tt.want)
		}
	}
	if _, err := Resolve("https://api.example.com/", "http://exa mple.com/"); err == nil {
		t.Error("Resolve to a bad host: no error")
	}
}

// GoURL puts the href's bytes on the wire exactly: net/url alone would
// send %7C for | and refuse %zz.
func TestGoURLRequestLine(t *testing.T) {
	// A bare TCP listener: Go's server would answer 400 to %zz before a
	// handler saw the request line.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	lines := make(chan string, 1)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			line, _ := bufio.NewReader(c).ReadString('\n')
			lines <- strings.TrimSpace(line)
			io.WriteString(c, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
			c.Close()
		}
	}()
	base := "http://" + ln.Addr().String()
	for _, path := range []string{"/a|b^c[d]?q=%27x%27", "/%zz", "/a%20b?q=1%202", "//double//slash", "/x?", "/?"} {
		href, err := Request(base + path)
		if err != nil {
			t.Fatal(err)
		}
		u, err := GoURL(href)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", base, nil)
		req.URL = u
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		resp.Body.Close()
		if got := <-lines; got != "GET "+path+" HTTP/1.1" {
			t.Errorf("request line %q, want GET %s HTTP/1.1", got, path)
		}
	}
}

// urlTest is one case of web-platform-tests' url/resources/urltestdata.json.
type urlTest struct {
	Input   string  `json:"input"`
	Base    *string `json:"base"`
	Href    string  `json:"href"`
	Hash    string  `json:"hash"`
	Failure bool    `json:"failure"`
}

// TestURLStandardTestData runs the URL standard's own test data (shipped
// in the parser's module) through Request and Resolve: every case must
// parse as the standard says, fragment aside.
func TestURLStandardTestData(t *testing.T) {
	path := standardTestData(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for i, r := range raw {
		var tc urlTest
		if json.Unmarshal(r, &tc) != nil {
			continue // a comment (a bare string)
		}
		ran++
		var got string
		if tc.Base == nil {
			got, err = Request(tc.Input)
			var e *Error
			if err != nil && !errors.As(err, &e) {
				t.Errorf("case %d %q: error %v is not an *Error", i, tc.Input, err)
			}
			if !tc.Failure && !strings.HasPrefix(tc.Href, "http:") && !strings.HasPrefix(tc.Href, "https:") {
				if err == nil {
					t.Errorf("case %d %q: %q accepted; a page cannot fetch it", i, tc.Input, got)
				}
				continue
			}
		} else {
			got, err = Resolve(*tc.Base, tc.Input)
		}
		want, _, _ := strings.Cut(tc.Href, "#") // a serialized URL has no '#' before its fragment
		switch {
		case tc.Failure && err == nil:
			t.Errorf("case %d: %q (base %v) parsed as %q; the standard says it fails", i, tc.Input, tc.Base, got)
		case !tc.Failure && err != nil:
			t.Errorf("case %d: %q (base %v): %v; want %q", i, tc.Input, tc.Base, err, want)
		case !tc.Failure && got != want:
			t.Errorf("case %d: %q (base %v) = %q, want %q", i, tc.Input, tc.Base, got, want)
		}
	}
	if ran < 500 {
		t.Fatalf("only %d cases in %s", ran, path)
	}
	t.Logf("%d cases from %s", ran, path)
}

// standardTestData finds urltestdata.json in the whatwg-url module, which
// ships it; the go command says where the module is.
func standardTestData(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-json", "github.com/nlnwa/whatwg-url").Output()
	if err != nil {
		t.Fatalf("go list -m github.com/nlnwa/whatwg-url: %v", err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		t.Fatalf("go list gave no module directory: %s", out)
	}
	return filepath.Join(m.Dir, "testdata", "urltestdata.json")
}

func FuzzRequest(f *testing.F) {
	for _, s := range []string{"http://a/b c?d é#f", "https://Bücher.example:443/./a/../b", "http://[::1", "http://0x7f.1", `https:\\h\a`, "http://h/%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		href, err := Request(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%q: %v is not an *Error", s, err)
			}
			return
		}
		// What the browser sends parses back to itself.
		again, err := Request(href)
		if err != nil || again != href {
			t.Fatalf("%q -> %q -> %q, %v", s, href, again, err)
		}
		gu, err := GoURL(href)
		if err != nil {
			t.Fatalf("GoURL(%q): %v", href, err)
		}
		// The request line carries the href's own path and query.
		if ruri := gu.RequestURI(); !strings.HasSuffix(href, ruri) || !strings.HasPrefix(ruri, "/") && !strings.HasPrefix(ruri, gu.Scheme+"://") {
			t.Fatalf("GoURL(%q).RequestURI() = %q", href, ruri)
		}
	})
}
