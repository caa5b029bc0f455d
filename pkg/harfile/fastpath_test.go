package harfile

import (
	"errors"
	"fmt"
	"reflect"
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
