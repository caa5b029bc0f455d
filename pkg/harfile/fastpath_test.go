package harfile

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestFastPathsMatch: the quick passes over what lies whole in the buffer
// (header pairs, numbers) read exactly what the general path reads, one
// byte at a time, where they never apply: the same entries, or the same
// error at the same offset and path.
func TestFastPathsMatch(t *testing.T) {
	entry := func(headers, rest string) string {
		return `{"log":{"entries":[{"request":{"method":"GET","url":"https://a.test/","headers":[` + headers + `]}` + rest + `}]}}`
	}
	tests := []struct{ name, in string }{
		{"plain pairs", entry(`{"name":"Origin","value":"https://b.test"},{"name":"Accept","value":"*/*"}`, ``)},
		{"value first", entry(`{"value":"https://b.test","name":"Origin"}`, ``)},
		{"whitespace", entry(" {\n \"name\" : \"Origin\" ,\r\n\t\"value\" :\"x\" } ", ``)},
		{"escapes", entry(`{"name":"X-\u0041","value":"a\"b\\c"}`, ``)},
		{"raw control character", entry("{\"name\":\"X\",\"value\":\"a\tb\x01\"}", ``)},
		{"empty name dropped", entry(`{"name":"","value":"x"},{"name":"A","value":""}`, ``)},
		{"extra key", entry(`{"name":"A","value":"x","comment":"c"}`, ``)},
		{"duplicate key", entry(`{"name":"A","name":"B","value":"x"}`, ``)},
		{"missing value", entry(`{"name":"A"}`, ``)},
		{"value not a string", entry(`{"name":"A","value":17},{"name":"B","value":["x",1]},{"name":"C","value":null}`, ``)},
		{"trailing comma", entry(`{"name":"A","value":"x",},`, ``)},
		{"strings in place", entry(``, `,"pageref":"p\u0031","_resourceType":"fetch","serverIPAddress":["a","b"],"response":{"statusText":"OK","content":{"mimeType":"text/plain","text":"abc","encoding":""}}`)},
		{"short strings' edges", entry(`{"name":"0123456789abcde","value":"0123456789abcdef"},{"name":"0123456789abcdefg","value":"0123456789abcd\"f"},{"name":"X","value":"0123456789abcde\"g"}`, `,"pageref":"0123456789abcdef\"","_resourceType":""`)},
		{"long key", entry(``, `,"`+strings.Repeat("k", maxKeyLen+10)+`":1`)},
		{"numbers", entry(``, `,"time":-0.5,"response":{"status":204,"content":{"size":12345678901234567890}},"timings":{"send":1e3,"wait":0.119,"receive":-1,"dns":00012,"ssl":1.,"blocked":123456789012345.5}`)},
		{"bad number", entry(``, `,"time":1.2.3`)},
		{"number out of range", entry(``, `,"timings":{"wait":1e400}`)},
		{"cut in a pair", entry(`{"name":"A","value":"x`, ``)[:60]},
		{"missing colon", entry(`{"name""A","value":"x"}`, ``)},
		{"missing comma", entry(`{"name":"A" "value":"x"}`, ``)},
		{"unclosed pair", entry(`{"name":"A","value":"x"]`, ``)},
		{"not an object", entry(`"Origin: x"`, ``)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, _, wantErr := readAll(t, &oneByte{strings.NewReader(tt.in)})
			got, _, gotErr := readAll(t, strings.NewReader(tt.in))
			if errText(gotErr) != errText(wantErr) {
				t.Fatalf("error %v, one byte at a time %v", gotErr, wantErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read %+v, one byte at a time %+v", got, want)
			}
		})
	}
}

// errText is err without the snippet after what was found, which shows
// as much of the input as the buffer holds.
func errText(err error) string {
	var se *SyntaxError
	if !errors.As(err, &se) {
		return fmt.Sprint(err)
	}
	found, _, _ := strings.Cut(se.Found, " (")
	return fmt.Sprintf("%d %d %s: expected %s, found %s (%v)", se.Offset, se.Line, se.Path, se.Expected, found, se.Err)
}

// TestShortDecimal: the quick number parse gives strconv.ParseFloat's
// float64 bit for bit, and leaves every other form to it.
func TestShortDecimal(t *testing.T) {
	for _, in := range []string{"0", "-0", "7", "-1", "0.119", "35.837199", "20.751026", "123456789012345", "-12345678901234.5",
		"0.000000000000001", "9007199254740993", "00012", "1.", "-", "-.5", ".5", "1e3", "1.2.3", "0x10", "1_0", "Inf", "-Inf", "1234567890123456"} {
		got, ok := shortDecimal([]byte(in))
		want, err := strconv.ParseFloat(in, 64)
		if ok && (err != nil || math.Float64bits(got) != math.Float64bits(want)) {
			t.Errorf("shortDecimal(%q) = %v, ParseFloat %v, %v", in, got, want, err)
		}
	}
	for i := range 200000 {
		// Random decimals with up to 15 digits, a point anywhere.
		d := strconv.FormatUint(uint64(i)*2654435761%1000000000000000, 10)
		in := d[:i%len(d)+1]
		if p := i % 7; p > 0 && p < len(in) {
			in = in[:p] + "." + in[p:]
		}
		got, ok := shortDecimal([]byte(in))
		want, _ := strconv.ParseFloat(in, 64)
		if !ok || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("shortDecimal(%q) = %v, %v; ParseFloat %v", in, got, ok, want)
		}
	}
}

// TestMappedTextMatches: a mapped file's response texts (plain, escaped,
// cut at the body limit, base64, duplicated) read as the general path
// reads them one byte at a time.
func TestMappedTextMatches(t *testing.T) {
	contents := []string{
		`{"size":3,"mimeType":"text/plain","text":"abc"}`,
		`{"text":"` + strings.Repeat("x", 100) + `"}`,
		`{"text":"a\"b\nc\u00e9\ud83d\ude00\/d"}`,
		`{"text":"` + strings.Repeat("y", 63) + `\"` + strings.Repeat("z", 10) + `"}`,
		`{"text":"` + strings.Repeat("y", 62) + `\u00e9zz"}`,
		`{"text":"` + strings.Repeat("y", 64) + `\"zz"}`,
		`{"text":"QUJD\/QUJD","encoding":"base64"}`,
		`{"encoding":"base64","text":"` + strings.Repeat("QUJD", 40) + `"}`,
		`{"text":""}`,
		`{"text":null}`,
		`{"text":17,"encoding":""}`,
		`{"text":"first","text":"second"}`,
		`{"text":"first","text":null}`,
		`{"text":"a` + "\x01\t" + `b"}`,
	}
	var b strings.Builder
	b.WriteString(`{"log":{"entries":[`)
	for i, c := range contents {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"request":{"url":"https://a.test/` + strconv.Itoa(i) + `"},"response":{"status":200,"content":` + c + `}}`)
	}
	// Large enough to be mapped.
	big := strings.Repeat("QUJD", int(minMapSize+1)/4)
	b.WriteString(`,{"response":{"content":{"text":"` + big + `","encoding":"base64"}}}]}}`)
	f := writeOpen(t, filepath.Join(t.TempDir(), "texts.har"), []byte(b.String()))
	m := mapFile(f)
	if m == nil {
		t.Skip("files are not mapped on this system")
	}
	unmapFile(m)
	got, _, err := readAll(t, f)
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := readAll(t, &oneByte{strings.NewReader(b.String())})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(contents)+1 {
		t.Fatalf("read %d entries, want %d", len(got), len(contents)+1)
	}
	for i := range want {
		if g, w := got[i].Response.Content, want[i].Response.Content; !reflect.DeepEqual(g, w) {
			t.Errorf("entry %d: mapped %+v, one byte at a time %+v", i, g, w)
		}
	}
}

// plainStringByByte is plainString as a byte loop: the reference its word
// scan must match.
func plainStringByByte(b []byte, i, limit int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	for k := i + 1; k < len(b); k++ {
		switch b[k] {
		case '"':
			if k-i-1 > limit {
				return nil, 0, false
			}
			return b[i+1 : k], k + 1, true
		case '\\':
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// FuzzPlainString: plainString reads what plainStringByByte reads from
// every start and under every limit (its seeds put '"' and '\\' in every
// lane of the first three words and past them).
func FuzzPlainString(f *testing.F) {
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 40} {
		body := strings.Repeat("a", n)
		f.Add(`"`+body+`"tail`, 0, 64)
		f.Add(`"`+body+`\"x"`, 0, 64)
		f.Add(`"`+body+"\xff\x80\"", 0, 64)
		f.Add(`"`+body, 0, 64)
		f.Add(`"`+body+`"`, 0, n-1)
	}
	f.Fuzz(func(t *testing.T, s string, i, limit int) {
		if i < 0 || i > len(s) {
			return
		}
		b := []byte(s)
		v, next, ok := plainString(b, i, limit)
		rv, rnext, rok := plainStringByByte(b, i, limit)
		if ok != rok || ok && (string(v) != string(rv) || next != rnext) {
			t.Fatalf("plainString(%q, %d, %d) = %q, %d, %v; byte loop: %q, %d, %v", s, i, limit, v, next, ok, rv, rnext, rok)
		}
	})
}

// BenchmarkPlainString reads the keys and short values of a Chrome entry.
func BenchmarkPlainString(b *testing.B) {
	var line []byte
	var starts []int
	for _, s := range []string{"request", "method", "GET", "url", "httpVersion", "http/2.0", "headers", "name", ":authority", "value", "api3.example.test", "accept", "*/*", "content-type", "application/json", "x-request-id", "req-12345", "origin", "https://app.example.test", "sec-fetch-mode", "cors", "startedDateTime", "2024-05-01T10:00:00.000Z", "_resourceType", "fetch"} {
		starts = append(starts, len(line))
		line = append(line, `"`+s+`":`...)
	}
	for b.Loop() {
		for _, i := range starts {
			if _, _, ok := plainString(line, i, maxStringLen); !ok {
				b.Fatal("not plain")
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(starts)), "ns/string")
}
