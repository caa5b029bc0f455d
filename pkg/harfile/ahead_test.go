package harfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
)

// readAhead cuts every mapped file into segments of segLen bytes, read
// ahead by two parsers, for the rest of the test.
func readAhead(t testing.TB, segLen int64) {
	t.Helper()
	seg, minSize, parsers, mapMin := aheadSegment, aheadMinSize, aheadParsers, minMapSize
	t.Cleanup(func() { aheadSegment, aheadMinSize, aheadParsers, minMapSize = seg, minSize, parsers, mapMin })
	aheadSegment, aheadMinSize, minMapSize = segLen, 1, 1
	aheadParsers = func() int { return 2 }
}

// readMapped reads path through a mapping and says how many segments
// were handed on whole.
func readMapped(t *testing.T, path string) ([]*Entry, *Log, int, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := NewReader(f, Options{BodyLimit: 64})
	var entries []*Entry
	err = rd.ReadEntries(func(e *Entry) error { entries = append(entries, e); return nil })
	return entries, &rd.Log, rd.segmentsTaken, err
}

// TestReadAheadSameEntries: reading ahead on two parsers gives the
// entries, log and error of one pass, on files made to mislead its guesses
// of where entries start; and on well-formed files it does read ahead.
func TestReadAheadSameEntries(t *testing.T) {
	entry := func(i int, extra string) string {
		return `{"startedDateTime":"2024-01-01T00:00:0` + string(rune('0'+i%10)) + `Z",` + extra +
			`"request":{"method":"GET","url":"https://api.test/` + strings.Repeat("x", i%7) + `","headers":[{"name":"Origin","value":"https://app.test"},{"name":"A","value":"b"}]},` +
			`"response":{"status":200,"headers":[{"name":"Access-Control-Allow-Origin","value":"*"}],"content":{"size":3,"text":"abc"}}}`
	}
	many := func(n int, sep string, extra func(i int) string) string {
		var parts []string
		for i := range n {
			parts = append(parts, entry(i, extra(i)))
		}
		return `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[` + strings.Join(parts, sep) + `]}}`
	}
	none := func(int) string { return "" }
	cases := []struct {
		name      string
		har       string
		readAhead bool // segments must be handed on
	}{
		{"compact", many(200, ",", none), true},
		{"pretty", strings.ReplaceAll(many(200, ",\n    ", none), `,"`, ",\n      \""), true},
		{"nested objects with a request", many(200, ",", func(i int) string {
			return `"_initiator":{"stack":[{"a":1},{"request":{"method":"GET","url":"https://nested.test/"}}]},`
		}), true},
		{"strings that look like entries", many(200, ",", func(i int) string {
			return `"comment":"},{\"request\":{\"method\":\"GET\",\"url\":\"x\"}},{",`
		}), true},
		{"bodies longer than a segment", many(40, ",", func(i int) string {
			return `"_body":"` + strings.Repeat("Zm9v", 300*(i%3)) + `",`
		}), true},
		{"trailing comma", strings.Replace(many(100, ",", none), "]}}", ",]}}", 1), true},
		{"a number among the entries", strings.Replace(many(100, ",", none), `,{"startedDateTime":"2024-01-01T00:00:05Z"`, `,7,{"startedDateTime":"2024-01-01T00:00:05Z"`, 1), true},
		{"null and empty entries", strings.Replace(many(100, ",", none), `,{"startedDateTime":"2024-01-01T00:00:05Z"`, `,null,{},{"startedDateTime":"2024-01-01T00:00:05Z"`, 3), true},
		{"cut off", many(200, ",", none)[:20000], true},
		{"damaged in the middle", replaceNth(many(200, ",", none), `"status":200,`, `"status":200,,`, 150), true},
		{"too deep", replaceNth(many(200, ",", none), `"response"`, `"x":`+strings.Repeat("[", 1100)+strings.Repeat("]", 1100)+`,"response"`, 150), true},
		{"empty entries", `{"log":{"entries":[]}}`, false},
		{"pages after entries", strings.Replace(many(100, ",", none), "]}}", `],"pages":[{"id":"p","title":"t"}]}}`, 1), true},
	}
	dir := t.TempDir()
	readAhead(t, 512)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "f.har")
			if err := os.WriteFile(path, []byte(tc.har), 0o644); err != nil {
				t.Fatal(err)
			}
			got, gotLog, taken, gotErr := readMapped(t, path)
			want, wantLog, wantErr := readAll(t, bytes.NewReader([]byte(tc.har)))
			if errText(gotErr) != errText(wantErr) {
				t.Fatalf("read ahead: %v; one pass: %v", gotErr, wantErr)
			}
			if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotLog, wantLog) {
				t.Fatalf("read ahead gave %d entries, one pass %d (or the logs differ)", len(got), len(want))
			}
			if tc.readAhead && taken < 2 {
				t.Errorf("%d segments handed on whole, want at least 2 (%d entries)", taken, len(got))
			}
		})
	}
}

// replaceNth replaces the nth (from 0) occurrence of old in s.
func replaceNth(s, old, new string, n int) string {
	at := 0
	for range n {
		at += strings.Index(s[at:], old) + len(old)
	}
	i := at + strings.Index(s[at:], old)
	return s[:i] + new + s[i+len(old):]
}

// TestReadAheadGenerated: a Chrome-style export of 1,000 entries with 4 KiB
// bodies cut into 64 KiB segments.
func TestReadAheadGenerated(t *testing.T) {
	readAhead(t, 64<<10)
	path := filepath.Join(t.TempDir(), "gen.har")
	data := hartest.Generate(1000, 4<<10)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	got, _, taken, err := readMapped(t, path)
	want, _, wantErr := readAll(t, bytes.NewReader(data))
	if err != nil || wantErr != nil {
		t.Fatal(err, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read ahead: %d entries, one pass %d", len(got), len(want))
	}
	if segs := len(data) >> 16; taken < segs*9/10 {
		t.Errorf("%d of about %d segments handed on whole", taken, segs)
	}
}

// openGenerated writes genhar's shape (n entries, bodyLen-byte bodies) to
// a file and opens it, mapped, for the rest of the test.
func openGenerated(t *testing.T, n, bodyLen int) (*os.File, *Reader) {
	t.Helper()
	f := writeOpen(t, filepath.Join(t.TempDir(), "gen.har"), hartest.Generate(n, bodyLen))
	rd := NewReader(f, Options{})
	if !rd.s.mapped {
		t.Fatal("the file was not mapped")
	}
	return f, rd
}

// TestReadAheadStop: stopping early stops the parsers (the mapping is
// unmapped after them; the race detector and a fault would tell).
func TestReadAheadStop(t *testing.T) {
	readAhead(t, 4<<10)
	_, rd := openGenerated(t, 400, 1<<10)
	n := 0
	err := rd.ReadEntries(func(e *Entry) error {
		if n++; n == 50 {
			return ErrStop
		}
		return nil
	})
	if err != nil || n != 50 {
		t.Fatalf("stopped after %d entries: %v", n, err)
	}
}

// TestReadAheadFileTruncated: a file cut short while it is read (the
// mapping's pages past the end fault) ends in an error naming the change,
// from the reader and from the parsers reading ahead alike, not a crash.
func TestReadAheadFileTruncated(t *testing.T) {
	for _, ahead := range []bool{false, true} {
		t.Run(map[bool]string{false: "one pass", true: "read ahead"}[ahead], func(t *testing.T) {
			if ahead {
				readAhead(t, 16<<10)
			} else {
				defer func(min int64) { minMapSize = min }(minMapSize)
				minMapSize = 1
			}
			f, rd := openGenerated(t, 2000, 4<<10)
			n := 0
			err := rd.ReadEntries(func(*Entry) error {
				if n++; n == 10 {
					// Past the first pages: what was mapped and not yet
					// read is gone.
					if err := os.Truncate(f.Name(), 64<<10); err != nil {
						t.Fatal(err)
					}
				}
				return nil
			})
			if !errors.Is(err, errFileChanged) {
				t.Fatalf("after %d entries: %v, want %v", n, err, errFileChanged)
			}
			if n >= 2000 {
				t.Fatalf("read all %d entries of a truncated file", n)
			}
		})
	}
}
