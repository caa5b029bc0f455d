package harfile

import (
	"bytes"
	"errors"
	"maps"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/redact"
)

// FuzzReader: the reader never panics, and every error is a *SyntaxError
// whose offset lies within the input.
func FuzzReader(f *testing.F) {
	f.Add([]byte(seededHAR()))
	f.Add([]byte("\xEF\xBB\xBF{\"log\":{\"pages\":null,\"entries\":[{\"time\":-1,\"request\":{\"headers\":[{\"name\":\"a\",\"value\":[\"b\",1]}],\"cookies\":{\"name\":\"c\"}}}]}}"))
	f.Add([]byte(`{"log":{"entries":[{"request":{"url":"\ud83d\ude00\u00"}}]}}`))
	f.Add([]byte(`onInputData({"log":{}});`))
	f.Add([]byte(`{"log":[1,2]}`))
	f.Add([]byte(`{"log":{"entries":[{"response":{"status":0,"_error":"net::ERR_FAILED"}},`))
	// Today's shapes: a 3xx without Location and with an empty one (as
	// Firefox records it, then the hop it never sent), proxies' creators,
	// a recorded Origin and Access-Control-Allow-Origin with a default
	// port, blob: and relative URLs, UTF-16.
	for _, h := range []string{
		`{"log":{"creator":{"name":"Firefox"},"entries":[{"request":{"method":"GET","url":"https://a.test/x","headers":[{"name":"Origin","value":"https://b.test"}]},"response":{"status":302,"headers":[{"name":"Location","value":""}]}},{"request":{"method":"GET","url":"https://a.test/x"},"response":{"status":0}}]}}`,
		`{"log":{"creator":{"name":"mitmproxy"},"entries":[{"request":{"method":"GET","url":"https://a.test/x","headers":[{"name":"Origin","value":"https://b.test:0443"}]},"response":{"status":301,"headers":[{"name":"Access-Control-Allow-Origin","value":"https://b.test:0443"}]}}]}}`,
		`{"log":{"creator":{"name":"Charles Proxy"},"entries":[{"request":{"method":"GET","url":"http://a.test:080/x","headers":[{"name":"Origin","value":"http://b.test:80"}]},"response":{"status":200,"headers":[{"name":"Access-Control-Allow-Origin","value":"http://b.test:80"}]}}]}}`,
		// Creators after the entries, as Charles 3.6.5 and Fiddler 4.6
		// write them, and a look-alike in the last entry.
		`{"log":{"entries":[{"request":{"method":"GET","url":"https://a.test/x","headers":[{"name":"Origin","value":"https://b.test"}]},"response":{"status":200}}],"version":"1.2","creator":{"name":"Charles Proxy"},"browser":{"name":"webkit"}}}`,
		`{"log":{"entries":[{"request":{"method":"GET","url":"https://a.test/x"},"_x":{"creator":{"name":"Fiddler"}}}], "creator" : {"name":"Fiddler"} ,}}`,
		`{"log":{"creator":{"name":"Safari"},"entries":[{"request":{"method":"GET","url":"blob:https://b.test/1","headers":[{"name":"Origin","value":"https://b.test"}]},"response":{"status":200}},{"request":{"method":"GET","url":"/x?token=abc"},"response":{"status":303,"redirectURL":""}},{"request":{"url":""}}]}}`,
	} {
		f.Add([]byte(h))
	}
	f.Add([]byte("\xff\xfe{\x00\"\x00l\x00o\x00g\x00\"\x00:\x00{\x00}\x00}\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := NewReader(bytes.NewReader(data), Options{BodyLimit: 16})
		err := rd.ReadEntries(func(*Entry) error { return nil })
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SyntaxError", err)
			}
			if se.Offset < 0 || se.Offset > int64(len(data)) || se.Line < 1 {
				t.Fatalf("offset %d line %d outside the %d-byte input", se.Offset, se.Line, len(data))
			}
		}
		// The analyzer and the sanitizer read the same input without panicking.
		_, _, _ = Analyze(bytes.NewReader(data), AnalyzeOptions{}, func(*Result) error { return nil })
		_, _, _ = Analyze(bytes.NewReader(data), AnalyzeOptions{BriefAllowed: true}, func(*Result) error { return nil })
		_, _, _ = Analyze(bytes.NewReader(data), AnalyzeOptions{NoRequestHeaders: true}, func(*Result) error { return nil })
		var out bytes.Buffer
		if Sanitize(&out, bytes.NewReader(data)) == nil && err == nil {
			if rerr := NewReader(&out, Options{}).ReadEntries(func(*Entry) error { return nil }); rerr != nil {
				t.Fatalf("sanitized output of valid input does not read: %v", rerr)
			}
		}
	})
}

// FuzzHTTPHeader: httpHeader marks its keys canonical exactly when every
// key is a token in http.CanonicalHeaderKey's form (the promise
// cors.Message.CanonicalKeys makes to the platform's lookups).
func FuzzHTTPHeader(f *testing.F) {
	for _, s := range []string{"content-type Origin x-amz-apigw-id", "bad(name ok", "\u212aelvin", ":authority a/b", "HTTP/1.1 x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, names string) {
		var hs []Header
		for _, n := range strings.Fields(names) {
			hs = append(hs, Header{Name: n, Value: "v"})
		}
		h, canonical := httpHeader(hs)
		want := true
		for k := range h {
			want = want && cors.IsToken(k) && http.CanonicalHeaderKey(k) == k
		}
		if canonical != want {
			t.Fatalf("%q: keys %v marked canonical %v", names, h, canonical)
		}
	})
}

// FuzzMappedReader: a file read through a mapping (every size is mapped
// here) gives the entries and the error that reading it as a stream gives:
// the quick passes over what lies whole in the buffer (keys, strings,
// header pairs, numbers), which a mapping always has, change nothing; nor
// does reading ahead on two parsers, in segments of 64 bytes.
func FuzzMappedReader(f *testing.F) {
	f.Add([]byte(seededHAR()))
	f.Add([]byte(`{"log":{"entries":[{"response":{"content":{"text":"a\"b` + strings.Repeat("c", 70) + `","encoding":""}}}]}}`))
	f.Add([]byte(`{"log":{"entries":[{"request":{"headers":[{"name":"A","value":"b"},{"value":"c","name":"D"}]},"time":0.125}]}}`))
	f.Add([]byte(`{"log":{"entries":[{"response":{"content":{"text":"abc\`))
	readAhead(f, 64)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		file := writeOpen(t, filepath.Join(dir, "fuzz.har"), data)
		mapped, _, mappedErr := readAll(t, file)
		streamed, _, streamedErr := readAll(t, bytes.NewReader(data))
		if errText(mappedErr) != errText(streamedErr) {
			t.Fatalf("mapped: %v; streamed: %v", mappedErr, streamedErr)
		}
		if !reflect.DeepEqual(mapped, streamed) {
			t.Fatalf("mapped %+v; streamed %+v", mapped, streamed)
		}
	})
}

// shellQuoteByRunes is the quoting CheckCommand had: quoted when empty or
// when some rune is not [A-Za-z0-9] or one of -_./:=,@%+ (an invalid
// byte reads as U+FFFD, never safe).
func shellQuoteByRunes(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=,@%+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// checkCommandByParts is CheckCommand as it was, word by word.
func checkCommandByParts(req *cors.Request, noRedact bool) string {
	u := req.URL
	if !noRedact {
		u = redact.URL(u)
	}
	parts := []string{"corsdiag", "check", shellQuoteByRunes(u), "--origin", shellQuoteByRunes(req.Origin)}
	if m := cors.NormalizeMethod(req.Method); m != "" && m != "GET" {
		parts = append(parts, "-X", shellQuoteByRunes(req.Method))
	}
	names := slices.Sorted(maps.Keys(req.Header))
	for _, k := range names {
		for _, v := range req.Header[k] {
			if !noRedact {
				v = redact.Value(k, v)
			}
			parts = append(parts, "-H", shellQuoteByRunes(k+": "+v))
		}
	}
	if req.Credentials {
		parts = append(parts, "--credentials")
	}
	return strings.Join(parts, " ")
}

// FuzzCheckCommand holds the builder-written command to the word-by-word
// one it replaced.
func FuzzCheckCommand(f *testing.F) {
	f.Add("https://a.test/x?token=abc", "https://app.test", "PUT", "Content-Type\napplication/json\nX-It's\nit's\nAuthorization\nBearer abcdefghijkl", true, false)
	f.Add("", "", "get", "a\n\n\xff\n\u00e9", false, true)
	f.Fuzz(func(t *testing.T, url, origin, method, headers string, credentials, noRedact bool) {
		req := &cors.Request{URL: url, Origin: origin, Method: method, Credentials: credentials, Header: http.Header{}}
		kv := strings.Split(headers, "\n")
		for i := 0; i+1 < len(kv); i += 2 {
			req.Header[kv[i]] = append(req.Header[kv[i]], kv[i+1])
		}
		if got, want := CheckCommand(req, nil, noRedact), checkCommandByParts(req, noRedact); got != want {
			t.Fatalf("got  %q\nwant %q", got, want)
		}
	})
}
