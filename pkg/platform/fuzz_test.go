package platform

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// FuzzAnalyze feeds hostile answers (any header line, any body, any host)
// to the fingerprints and causes: they must never panic, and evidence must
// never carry control characters to the terminal.
func FuzzAnalyze(f *testing.F) {
	f.Add("abc123defg.execute-api.us-east-1.amazonaws.com", "x-amzn-ErrorType: MissingAuthenticationTokenException", `{"message":"Missing Authentication Token"}`, 403, "X-Api-Key")
	f.Add("vpce-0a1b-x.execute-api.us-east-1.vpce.amazonaws.com", "Server: AmazonS3", "CORSResponse: CORS is not enabled for this bucket.", 403, "x-apigw-api-id")
	f.Add("d1.cloudfront.net", "X-Cache: Hit from cloudfront", "", 200, "")
	f.Add("x", "Server: nginx\x1b[31m", "<center>nginx</center>", 405, "Content-Type")
	f.Add("x.s3.amazonaws.com", "Set-Cookie: AWSALB=1", `{"message":`, 502, "")
	// The page's origin with its default port, as nginx or a gateway's
	// mapping writes it; a 3xx without Location.
	f.Add("abc123defg.execute-api.us-east-1.amazonaws.com", "Access-Control-Allow-Origin:https://app.example.com:443", "", 200, "")
	f.Add("x", "Access-Control-Allow-Origin: https://app.example.com:0443", "<center>nginx</center>", 204, "Authorization")
	f.Add("x", "Location:", "", 302, "X-Api-Key")
	f.Fuzz(func(t *testing.T, host, headerLine, body string, status int, reqHeader string) {
		h := http.Header{}
		if name, value, ok := strings.Cut(headerLine, ":"); ok {
			h[name] = []string{value}
		}
		resp := &cors.Message{Status: status, Header: h, Body: []byte(body)}
		req := cors.Request{Method: "PUT", URL: "https://" + host + "/prod/x", Origin: "https://app.example.com", Header: http.Header{}}
		if reqHeader != "" {
			req.Header[reqHeader] = []string{body}
		}
		ex := &cors.Exchange{Request: req,
			Preflight: &cors.Hop{Request: cors.Message{Method: "OPTIONS", URL: req.URL}, Response: resp},
			Actual:    []cors.Hop{{Request: cors.Message{Method: "PUT", URL: req.URL}, Response: resp}}}
		for _, format := range []string{"", "all", "nonsense"} {
			rep := Analyze(Input{Exchange: ex, ErrorPaths: []cors.Hop{{Response: resp}, {NetError: "refused"}}, FixFormat: format})
			if rep.Platform != nil {
				for _, e := range rep.Platform.Evidence {
					if strings.ContainsAny(e, "\x1b\x07\r") {
						t.Fatalf("evidence carries a control character: %q", e)
					}
				}
			}
		}
	})
}

func TestAnalyzeNilAndEmpty(t *testing.T) {
	if rep := Analyze(Input{}); rep == nil || rep.Platform != nil || len(rep.Findings) != 0 {
		t.Fatalf("empty input: %+v", rep)
	}
	ex := &cors.Exchange{Request: cors.Request{Method: "GET", URL: "https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/x", Origin: "https://app.example.com"},
		Actual: []cors.Hop{{NetError: "connection refused"}}}
	rep := Analyze(Input{Exchange: ex})
	if rep.Platform == nil || rep.Platform.ID != idRESTAPI || rep.Platform.Confidence != Medium {
		t.Fatalf("host alone: %+v", rep.Platform)
	}
}

// BenchmarkAnalyze measures one analysis of a blocked REST API preflight
// with an error-path answer, fixes rendered in every form.
func BenchmarkAnalyze(b *testing.B) {
	resp := &cors.Message{Status: 403, Header: http.Header{
		"X-Amzn-Errortype": {"MissingAuthenticationTokenException"}, "X-Amz-Apigw-Id": {"Ab1="}, "Content-Type": {"application/json"},
	}, Body: []byte(`{"message":"Missing Authentication Token"}`)}
	req := cors.Request{Method: "PUT", URL: "https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/items", Origin: "https://app.example.com",
		Header: http.Header{"Content-Type": {"application/json"}}}
	ex := &cors.Exchange{Request: req, Preflight: &cors.Hop{Response: resp}}
	in := Input{Exchange: ex, Diagnosis: cors.Evaluate(ex), ErrorPaths: []cors.Hop{{Response: resp}}, FixFormat: "all"}
	b.ReportAllocs()
	for b.Loop() {
		Analyze(in)
	}
}

// FuzzHeaderLookup: a message whose keys are canonical tokens
// (CanonicalKeys) answers header and headerCount as the scan of every key
// does, whatever the name asked for.
func FuzzHeaderLookup(f *testing.F) {
	for _, s := range []string{"Server x-amz-apigw-id X-Powered-By", "x-amzn-ErrorType x-amzn-errortype", "akamai-x Kamai-x", "Via via VIA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, names string) {
		fields := strings.Fields(names)
		h := http.Header{}
		canonical := true
		for i, n := range fields {
			k := http.CanonicalHeaderKey(n)
			h[k] = append(h[k], strings.Repeat("v", i%3))
			canonical = canonical && cors.IsToken(k)
		}
		if !canonical {
			return // both take the scan (whose order is the map's when two keys match)
		}
		fast := &cors.Message{Header: h, CanonicalKeys: true}
		slow := &cors.Message{Header: h}
		for _, n := range append(fields, "Server", "x-amz-apigw-id", "\u212aamai-x", "Via(", "") {
			for _, name := range []string{n, strings.ToUpper(n), strings.ToLower(n)} {
				if header(fast, name) != header(slow, name) || headerCount(fast, name) != headerCount(slow, name) {
					t.Fatalf("%q in %v: header %q / %q, count %d / %d", name, h, header(fast, name), header(slow, name), headerCount(fast, name), headerCount(slow, name))
				}
			}
		}
	})
}

// FuzzTokenKey: tokenKey writes what http.CanonicalHeaderKey returns for
// every token it takes, and takes every token up to maxKeyLen bytes.
func FuzzTokenKey(f *testing.F) {
	for _, s := range []string{"x-amz-apigw-id", "Server", "X-AMZN-ERRORTYPE", "a--b", "-x", "Via(", "", "\u212aamai", "content_type", strings.Repeat("a", 65)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		var buf [maxKeyLen]byte
		key, token := tokenKey(&buf, name)
		if want := cors.IsToken(name) && len(name) <= maxKeyLen; token != want {
			t.Fatalf("%q: token %v, want %v", name, token, want)
		}
		if token && string(key) != http.CanonicalHeaderKey(name) {
			t.Fatalf("%q: key %q, want %q", name, key, http.CanonicalHeaderKey(name))
		}
	})
}

// FuzzIsASCII: the word-at-a-time isASCII answers what a byte loop does.
func FuzzIsASCII(f *testing.F) {
	for _, s := range []string{"", "a", "1234567", "12345678", "123456789", "x-amz-apigw-id\x80", "\xffabcdefgh", "abcdefgh\u212a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := true
		for i := 0; i < len(s); i++ {
			want = want && s[i] < 0x80
		}
		if got := isASCII(s); got != want {
			t.Fatalf("isASCII(%q) = %v, want %v", s, got, want)
		}
	})
}

// FuzzHasPrefixFold: the first-byte shortcut never changes EqualFold's
// answer (Unicode folding maps U+212A to k, U+017F to s).
func FuzzHasPrefixFold(f *testing.F) {
	for _, s := range [][2]string{{"X-Kong-Latency", "x-kong-"}, {"\u212aong-x", "kong-"}, {"[a", "{a"}, {"\u017fet", "set"}, {"", ""}, {"a", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, s, prefix string) {
		want := len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
		if got := hasPrefixFold(s, prefix); got != want {
			t.Fatalf("hasPrefixFold(%q, %q) = %v, want %v", s, prefix, got, want)
		}
	})
}

// FuzzResponseLookup: an answer's indexed lookups (response.header,
// hasHeader, headerPrefix) and the request's (observation.requestHeader)
// answer what the lookups over the header map do, whatever the keys (any case, any bytes, canonical or not) and the
// name asked for.
func FuzzResponseLookup(f *testing.F) {
	for _, s := range []string{"Server x-amz-apigw-id X-Powered-By", "x-amzn-ErrorType x-amzn-errortype", "\u212aong-x X-Kong-Latency", "Via via VIA", strings.Repeat("a", 70) + " b"} {
		f.Add(s, "X-Kong-")
	}
	f.Fuzz(func(t *testing.T, names, prefix string) {
		fields := strings.Fields(names)
		h := http.Header{}
		for i, n := range fields {
			for k := range h {
				if k != n && strings.EqualFold(k, n) {
					return // the scan answers in the map's order: no one answer
				}
			}
			h[n] = append(h[n], strings.Repeat("v", i%3))
		}
		for _, canonical := range []bool{false, true} {
			m := &cors.Message{Header: h, CanonicalKeys: canonical}
			if canonical {
				for k := range h {
					if !cors.IsToken(k) || http.CanonicalHeaderKey(k) != k {
						m.CanonicalKeys = false
					}
				}
			}
			r := &response{resp: m}
			r.names.index(h, m.CanonicalKeys, nil)
			o := &observation{req: &cors.Request{Header: h}}
			o.reqNames.index(h, false, nil)
			for _, n := range append(fields, prefix, "Server", "kong-x", "\u212aong-x", strings.ToUpper(prefix), "") {
				if got, want := r.header(n), header(m, n); got != want {
					t.Fatalf("%q in %v: header %q, want %q", n, h, got, want)
				}
				if got, want := r.hasHeader(n), hasHeader(m, n); got != want {
					t.Fatalf("%q in %v: hasHeader %v, want %v", n, h, got, want)
				}
				if got, want := o.requestHeader(n), requestHeader(o.req, n); got != want {
					t.Fatalf("%q in %v: requestHeader %q, want %q", n, h, got, want)
				}
			}
			gotName, gotOK := r.headerPrefix(prefix)
			wantName, wantOK := hasHeaderPrefix(m, prefix)
			if gotName != wantName || gotOK != wantOK {
				t.Fatalf("prefix %q in %v: %q %v, want %q %v", prefix, h, gotName, gotOK, wantName, wantOK)
			}
		}
	})
}

// TestAnalyzeReportsOwnTheirMemory: Analyze recycles its state, so a report
// must hold nothing of it: each report names its own platform and keeps
// its findings while other exchanges (another platform, other findings)
// are analyzed after it.
func TestAnalyzeReportsOwnTheirMemory(t *testing.T) {
	exchange := func(host string, h http.Header, body string, status int) *cors.Exchange {
		resp := &cors.Message{Status: status, Header: h, Body: []byte(body)}
		req := cors.Request{Method: "PUT", URL: "https://" + host + "/prod/items", Origin: "https://app.example.com", Header: http.Header{"Content-Type": {"application/json"}}}
		return &cors.Exchange{Request: req, Preflight: &cors.Hop{Request: cors.Message{Method: "OPTIONS", URL: req.URL}, Response: resp}}
	}
	tests := []struct {
		ex       *cors.Exchange
		platform string
	}{
		{exchange("abc123defg.execute-api.us-east-1.amazonaws.com", http.Header{"X-Amzn-Errortype": {"MissingAuthenticationTokenException"}, "X-Amz-Apigw-Id": {"Ab1="}},
			`{"message":"Missing Authentication Token"}`, 403), idRESTAPI},
		{exchange("api.example.com", http.Header{"Server": {"nginx/1.25"}}, "<center>nginx</center>", 405), idNginx},
		{exchange("bucket.s3.amazonaws.com", http.Header{"Server": {"AmazonS3"}}, "CORSResponse: CORS is not enabled for this bucket.", 403), idS3},
	}
	snapshot := func(rep *Report) string { return fmt.Sprintf("%#v %#v", *rep.Platform, rep.Findings) }
	var reps []*Report
	var want []string
	for _, tt := range tests {
		rep := Analyze(Input{Exchange: tt.ex, FixFormat: "all"})
		if rep.Platform == nil || rep.Platform.ID != tt.platform || len(rep.Findings) == 0 || rep.Findings[0].Code == "" {
			t.Fatalf("%s: want platform %s and findings, got %+v", tt.ex.Request.URL, tt.platform, rep)
		}
		reps, want = append(reps, rep), append(want, snapshot(rep))
	}
	for range 3 {
		for _, tt := range tests {
			Analyze(Input{Exchange: tt.ex, FixFormat: "all"})
		}
	}
	for i, rep := range reps {
		if got := snapshot(rep); got != want[i] {
			t.Fatalf("%s: the report changed after other analyses:\n got %s\nwant %s", tests[i].ex.Request.URL, got, want[i])
		}
	}
}
