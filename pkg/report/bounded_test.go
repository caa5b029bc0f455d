package report

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/redact"
)

// hostileResponse answers a GET with an allow-origin value, then n short
// Access-Control-* headers and extra: what a hostile server can send
// within Go's 10 MiB header limit.
func hostileResponse(allowOrigin string, n int, extra http.Header) *cors.Exchange {
	ex := allowedGET()
	h := ex.Actual[0].Response.Header
	h.Set("Access-Control-Allow-Origin", allowOrigin)
	for i := range n {
		h.Set("Access-Control-X-"+strconv.Itoa(i), "v")
	}
	for k, vs := range extra {
		h[k] = vs
	}
	return ex
}

func headerBytes(h http.Header) int {
	n := 0
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// TestTextBoundedAgainstHostileHeaders: the cases that made the text table
// gigabytes long now give a few KiB, and say what they cut.
func TestTextBoundedAgainstHostileHeaders(t *testing.T) {
	mib := strings.Repeat("x", 1<<20)
	tests := []struct {
		name    string
		ex      *cors.Exchange
		maxOut  int
		markers []string
	}{
		{"1 MiB Allow-Headers and 1,000 Access-Control-* headers",
			hostileResponse("*", 1000, http.Header{"Access-Control-Allow-Headers": {mib}}), 32 << 10,
			[]string{"Access-Control-Allow-Headers: xxx", "… (1048376 bytes more)", "… and 968 more Access-Control-* headers"}},
		{"1 MiB Allow-Origin", hostileResponse("https://"+mib, 0, nil), 32 << 10, []string{"bytes more)"}},
		{"one header sent 10,000 times", hostileResponse("*", 0, http.Header{"Vary": slicesOf("Origin", 10000)}), 16 << 10,
			[]string{"Vary: … and 9992 more values"}},
		{"40,000 Access-Control-* headers", hostileResponse("*", 40000, nil), 16 << 10, []string{"… and 39968 more"}},
		{"1 MiB header name", hostileResponse("*", 0, http.Header{"Access-Control-" + mib: {"v"}}), 16 << 10, []string{"bytes more"}},
		{"1 MiB status text", func() *cors.Exchange {
			ex := allowedGET()
			ex.Actual[0].Response.StatusText = mib
			return ex
		}(), 16 << 10, []string{"200 xxx", "bytes more"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteText(&b, result(tt.ex), Style{}); err != nil {
				t.Fatal(err)
			}
			if b.Len() > tt.maxOut {
				t.Errorf("text output is %d bytes, want at most %d", b.Len(), tt.maxOut)
			}
			for _, m := range tt.markers {
				if !strings.Contains(b.String(), m) {
					t.Errorf("output lacks %q:\n%.3000s", m, b.String())
				}
			}
			var js bytes.Buffer
			if err := WriteJSON(&js, result(tt.ex)); err != nil {
				t.Fatal(err)
			}
			if in := headerBytes(tt.ex.Actual[0].Response.Header) + len(tt.ex.Actual[0].Response.StatusText); js.Len() > 8*in+64<<10 {
				t.Errorf("json output is %d bytes for %d bytes of headers", js.Len(), in)
			}
		})
	}
}

func slicesOf(v string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestShownMarksTheCut: values are cut on a rune boundary, after
// redaction, and the marker counts the bytes left out.
func TestShownMarksTheCut(t *testing.T) {
	tests := []struct{ in, want string }{
		{"short", "short"},
		{strings.Repeat("a", 10), strings.Repeat("a", 10)},
		{strings.Repeat("a", 11), strings.Repeat("a", 10) + "… (1 bytes more)"},
		{strings.Repeat("é", 6), strings.Repeat("é", 5) + "… (2 bytes more)"},
		{"\x1b[31m" + strings.Repeat("a", 20), `\x1b[31maaaaa… (15 bytes more)`},
		// Not UTF-8: four bytes shown for each, so half the bytes fit the
		// 2n bytes shown (a table pads every row to its widest cell).
		{strings.Repeat("\xff", 10), strings.Repeat(`\xff`, 5) + "… (5 bytes more)"},
	}
	for _, tt := range tests {
		if got := shown(tt.in, 10); got != tt.want {
			t.Errorf("shown(%q, 10) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// BenchmarkResponseCell shows the table's cost linear in the number of
// headers (it was quadratic: 20,000 headers took 12 s).
func BenchmarkResponseCell(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ex := hostileResponse("*", n, nil)
			s := newSanitizer(result(ex))
			b.ReportAllocs()
			for b.Loop() {
				_ = responseCell(&ex.Actual[0], s)
			}
		})
	}
}

// FuzzRenderers: whatever headers and values a server sends, text and
// JSON output stay within a bound proportional to what was received, and
// nothing panics.
func FuzzRenderers(f *testing.F) {
	f.Add("Access-Control-Allow-Origin", "*", "Vary", "Origin", 3, 10)
	f.Add("access-control-allow-headers", strings.Repeat("x-a, ", 200), "Access-Control-Foo", "\u202e\x1b[2J", 50, 300)
	f.Add("Set-Cookie", "a=b", "Authorization", "Bearer abcdefghijkl", 1, 1)
	f.Fuzz(func(t *testing.T, name1, value1, name2, value2 string, copies, repeat int) {
		copies = 1 + abs(copies)%200
		repeat = 1 + abs(repeat)%2000
		ex := allowedGET()
		h := ex.Actual[0].Response.Header
		for i := range copies {
			h.Add(name1+strconv.Itoa(i%7), strings.Repeat(value1, repeat%64+1))
			h.Add(name2, value2)
		}
		h.Add("Access-Control-Allow-Headers", strings.Repeat(value2, repeat))
		ex.Actual[0].Response.StatusText = value1
		in := headerBytes(h) + len(value1) + len(ex.Request.URL)
		res := result(ex)
		var text, js bytes.Buffer
		if err := WriteText(&text, res, Style{}); err != nil {
			t.Fatal(err)
		}
		// Text: a fixed amount per header line shown, whatever their size.
		if text.Len() > 64<<10 {
			t.Fatalf("text output %d bytes for %d bytes of headers", text.Len(), in)
		}
		if err := WriteJSON(&js, res); err != nil {
			t.Fatal(err)
		}
		// JSON: every byte may become a 6-byte \u escape, a few times over
		// (headers, and findings that quote them).
		if js.Len() > 32*in+16<<10 {
			t.Fatalf("json output %d bytes for %d bytes of headers", js.Len(), in)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// FuzzCheckReportsHideSecrets: a generated secret in the URL checked, under
// any common token name and among any junk, or as the URL's password,
// appears in neither the text nor the JSON report, though the console line
// and the table quote the URL.
func FuzzCheckReportsHideSecrets(f *testing.F) {
	f.Add(uint8(0), "x=%zz", uint32(1))
	f.Add(uint8(200), "a;b", uint32(2))
	f.Fuzz(func(t *testing.T, which uint8, junk string, seed uint32) {
		if strings.ContainsAny(junk, " \t\n\r\f\v\"'<>`#/@\\") {
			return
		}
		secret := "Gen3rated" + strconv.FormatUint(uint64(seed), 16) + "Secret"
		if strings.Contains(junk, secret) {
			return
		}
		u := "https://api.example/items?" + junk + "&" + redact.CommonSecretParams[int(which)%len(redact.CommonSecretParams)] + "=" + secret + ";" + junk
		if which >= 128 {
			if strings.Contains(junk, "?") { // would end the authority: no password then
				return
			}
			u = "https://user:" + junk + secret + "@api.example/items?" + junk
		}
		req := cors.Request{Method: "GET", URL: u, Origin: page, Header: http.Header{}}
		ex := &cors.Exchange{Request: req, Actual: []cors.Hop{
			hop("GET", u, http.Header{"Origin": {page}}, 200, http.Header{"Location": {u}}, ""),
		}}
		res := result(ex)
		var text, js bytes.Buffer
		if err := WriteText(&text, res, Style{}); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&js, res); err != nil {
			t.Fatal(err)
		}
		for what, out := range map[string]string{"text": text.String(), "json": js.String()} {
			if strings.Contains(out, secret) {
				t.Fatalf("%s report shows the secret of %q:\n%s", what, u, out)
			}
		}
	})
}
