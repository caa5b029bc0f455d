package harfile

import (
	"bytes"
	"errors"
	"testing"
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
		var out bytes.Buffer
		if Sanitize(&out, bytes.NewReader(data)) == nil && err == nil {
			if rerr := NewReader(&out, Options{}).ReadEntries(func(*Entry) error { return nil }); rerr != nil {
				t.Fatalf("sanitized output of valid input does not read: %v", rerr)
			}
		}
	})
}
