package harfile

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

// deepHAR is one entry whose field at where holds depth nested open
// brackets (open is "[" or `{"a":`); closed closes arrays again.
func deepHAR(where, open string, depth int, closed bool) (data []byte, deepStart int) {
	var b bytes.Buffer
	b.WriteString(`{"log":{"entries":[{"request":{"url":"https://a.test/","headers":[{"name":"X","value":"v"}]},` + where + `:`)
	deepStart = b.Len()
	for range depth {
		b.WriteString(open)
	}
	if closed && open == "[" {
		b.WriteString(strings.Repeat("]", depth))
	}
	b.WriteString(`}]}}`)
	return b.Bytes(), deepStart
}

// TestDeepNesting: a file nested deeper than maxNesting is refused with a
// *SyntaxError at the byte where the limit is crossed, by the reader, the
// analyzer and the sanitizer alike, whatever the value holding it; a
// file at the limit still reads.
func TestDeepNesting(t *testing.T) {
	tests := []struct {
		name  string
		where string
		open  string
		depth int
	}{
		{"3,000,000 arrays in a skipped field", `"_x"`, "[", 3_000_000},
		{"objects in a skipped field", `"_x"`, `{"a":`, 500_000},
		{"arrays in a header value (read, not skipped)", `"response":{"headers":[{"name":"Y","value"`, "[", 100_000},
		{"arrays in the initiator stack", `"_initiator":{"stack"`, "[", 10_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, start := deepHAR(tt.where, tt.open, tt.depth, false)
			check := func(what string, err error) {
				t.Helper()
				var se *SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("%s: err = %v, want a *SyntaxError", what, err)
				}
				if se.Offset < int64(start) || se.Offset > int64(start+maxNesting*len(tt.open)) {
					t.Errorf("%s: offset %d, want within the first %d levels after byte %d", what, se.Offset, maxNesting, start)
				}
				msg := err.Error()
				if !strings.Contains(msg, "byte offset "+strconv.FormatInt(se.Offset, 10)) || !strings.Contains(msg, "nested") {
					t.Errorf("%s: message %q does not name the offset and the nesting", what, msg)
				}
				if len(msg) > 2*maxPathLen+300 {
					t.Errorf("%s: message is %d bytes long", what, len(msg))
				}
			}
			check("reader", NewReader(bytes.NewReader(data), Options{}).ReadEntries(func(*Entry) error { return nil }))
			_, _, err := Analyze(bytes.NewReader(data), AnalyzeOptions{}, func(*Result) error { return nil })
			check("analyze", err)
			check("sanitize", Sanitize(io.Discard, bytes.NewReader(data)))
		})
	}
}

func TestNestingAtTheLimitReads(t *testing.T) {
	// The entry, the log and the top-level object take 4 levels.
	data, _ := deepHAR(`"_x"`, "[", maxNesting-4, true)
	n := 0
	if err := NewReader(bytes.NewReader(data), Options{}).ReadEntries(func(*Entry) error { n++; return nil }); err != nil || n != 1 {
		t.Fatalf("entries, err = %d, %v; want 1, nil", n, err)
	}
	var out bytes.Buffer
	if err := Sanitize(&out, bytes.NewReader(data)); err != nil {
		t.Fatalf("sanitize: %v", err)
	}
	if err := NewReader(&out, Options{}).ReadEntries(func(*Entry) error { return nil }); err != nil {
		t.Fatalf("sanitized copy: %v", err)
	}
	over, _ := deepHAR(`"_x"`, "[", maxNesting-3, true)
	if err := NewReader(bytes.NewReader(over), Options{}).ReadEntries(func(*Entry) error { return nil }); err == nil {
		t.Fatal("one level over the limit reads")
	}
}

// TestSkipTolerances: the loop that skips unknown values accepts and
// refuses what the recursive reader does.
func TestSkipTolerances(t *testing.T) {
	tests := []struct {
		value string
		ok    bool
	}{
		{`[]`, true}, {`{}`, true}, {`[1,"a",{"b":[null,true]},]`, true}, {`{"a":1,}`, true},
		{`{"a":{"b":{"c":[[[]]]}}}`, true}, {`["x\"]",{"k\\":"]"}]`, true},
		{`[,]`, false}, {`{"a"}`, false}, {`{a:1}`, false}, {`[1 2]`, false}, {`{"a":1]`, false}, {`[`, false}, {`[nope]`, false},
	}
	for _, tt := range tests {
		data := `{"log":{"entries":[{"_x":` + tt.value + `,"request":{"url":"https://a.test/"}}]}}`
		err := NewReader(strings.NewReader(data), Options{}).ReadEntries(func(*Entry) error { return nil })
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok=%v", tt.value, err, tt.ok)
		}
	}
}

// manyHeaders is one entry whose response holds n headers after the CORS
// ones.
func manyHeaders(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"log":{"entries":[{"request":{"method":"GET","url":"https://api.test/x","headers":[{"name":"Origin","value":"https://app.test"}]},"response":{"status":200,"headers":[{"name":"Access-Control-Allow-Origin","value":"https://app.test"}`)
	for i := range n {
		b.WriteString(`,{"name":"X-H` + strconv.Itoa(i) + `","value":"v"}`)
	}
	b.WriteString(`]}}]}}`)
	return b.Bytes()
}

// TestHeadersPerMessageCapped: an entry with more headers than any browser
// records keeps MaxHeaders of them (memory stays flat), counts the rest,
// and still reads and sanitizes.
func TestHeadersPerMessageCapped(t *testing.T) {
	data := manyHeaders(MaxHeaders + 1000)
	var got *Entry
	if err := NewReader(bytes.NewReader(data), Options{}).ReadEntries(func(e *Entry) error { got = e; return nil }); err != nil {
		t.Fatal(err)
	}
	if h := got.Response.Headers; len(h) != MaxHeaders || h[0].Name != "Access-Control-Allow-Origin" || got.Response.HeadersDropped != 1001 {
		t.Errorf("kept %d headers (first %q), dropped %d; want %d, the CORS one first, 1001", len(h), h[0].Name, got.Response.HeadersDropped, MaxHeaders)
	}
	var out bytes.Buffer
	if err := Sanitize(&out, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	var back *Entry
	if err := NewReader(&out, Options{}).ReadEntries(func(e *Entry) error { back = e; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(back.Response.Headers) != MaxHeaders || back.Response.HeadersDropped != 0 {
		t.Errorf("sanitized copy holds %d headers (%d more), want %d", len(back.Response.Headers), back.Response.HeadersDropped, MaxHeaders)
	}
}

// BenchmarkSanitizeManyHeaders shows sanitize's memory flat in the number
// of headers of one entry (B/op stops growing past MaxHeaders).
func BenchmarkSanitizeManyHeaders(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		data := manyHeaders(n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Sanitize(io.Discard, bytes.NewReader(data))
			}
		})
	}
}
