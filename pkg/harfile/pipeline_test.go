package harfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unsafe"

	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
)

// analyzed is every result Analyze emits for data, in order, as JSON.
// With prepare, it checks that Prepare ran on each result before emit.
func analyzed(t *testing.T, data []byte, opts AnalyzeOptions, prepare bool) string {
	t.Helper()
	type mark struct{ index int }
	if prepare {
		opts.Prepare = func(res *Result) { res.Rendered = mark{res.Index} }
	}
	var out strings.Builder
	_, _, err := Analyze(bytes.NewReader(data), opts, func(res *Result) error {
		if prepare && res.Rendered != (mark{res.Index}) {
			t.Errorf("result %d emitted without Prepare's work: %v", res.Index, res.Rendered)
		}
		res.Rendered = nil
		b, err := json.Marshal(res)
		out.Write(b)
		out.WriteByte('\n')
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestParallelAnalyzeIsSequential: however many workers judge, and
// whether Prepare runs on them or not, the results are the ones a single
// worker emits, in file order. (pkg/report tests the same of the
// rendered report.)
func TestParallelAnalyzeIsSequential(t *testing.T) {
	for name, data := range map[string][]byte{
		"conformance": hartest.Conformance(t),
		"bench":       hartest.Generate(300, 64),
		// A window of 3 entries flushes while redirect chains and
		// preflight pairs are still forming.
		"seeded": []byte(seededHAR()),
	} {
		t.Run(name, func(t *testing.T) {
			want := analyzed(t, data, AnalyzeOptions{Workers: 1}, false)
			if !strings.Contains(want, `"Verdict"`) {
				t.Fatalf("no results:\n%s", want)
			}
			for _, opts := range []AnalyzeOptions{{Workers: 1}, {Workers: 2}, {Workers: 7}, {Workers: 3, Window: 3}} {
				wantHere := want
				if opts.Window != 0 {
					wantHere = analyzed(t, data, AnalyzeOptions{Workers: 1, Window: opts.Window}, false)
				}
				if got := analyzed(t, data, opts, true); got != wantHere {
					t.Errorf("workers %d window %d: results differ from the sequential ones", opts.Workers, opts.Window)
				}
			}
		})
	}
}

// TestEmitErrorStops: an error from emit ends Analyze with that error, and
// nothing is emitted after it.
func TestEmitErrorStops(t *testing.T) {
	boom := errors.New("boom")
	calls := 0
	_, _, err := Analyze(bytes.NewReader(hartest.Generate(2000, 16)), AnalyzeOptions{Workers: 2}, func(*Result) error {
		calls++
		if calls == 5 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want boom", err)
	}
	if calls != 5 {
		t.Fatalf("emit called %d times, want 5", calls)
	}
}

// FuzzSkipString: skipping a string (one pass, no decoding) ends where
// reading it does, with the same error.
func FuzzSkipString(f *testing.F) {
	for _, s := range []string{`"abc"`, `"a\"b"`, `"a\\"`, `"a\\\"b"`, `"\`, `"\u12"`, `"\ud800\"x"`, `"abc`, `"` + strings.Repeat(`\`, 9) + `"x"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || data[0] != '"' {
			data = append([]byte{'"'}, data...)
		}
		// A reader that returns one byte at a time makes runs of
		// backslashes cross fills.
		for _, r := range []func() *scanner{
			func() *scanner { return newScanner(bytes.NewReader(data)) },
			func() *scanner { return newScanner(&oneByteReader{data: data}) },
		} {
			keep, skip, short := r(), r(), r()
			full, kerr := keep.readString(nil, true, 1<<20)
			serr := skip.skipString()
			if keep.offset() != skip.offset() || (kerr == nil) != (serr == nil) || (kerr != nil && kerr.Error() != serr.Error()) {
				t.Fatalf("%q: read ends at %d (%v), skip at %d (%v)", data, keep.offset(), kerr, skip.offset(), serr)
			}
			// Keeping a few bytes skips the rest: same end, same error,
			// and the bytes kept begin the string.
			prefix, perr := short.readString(nil, true, 3)
			if short.offset() != skip.offset() || (perr == nil) != (serr == nil) || (perr != nil && perr.Error() != serr.Error()) {
				t.Fatalf("%q: read of 3 bytes ends at %d (%v), skip at %d (%v)", data, short.offset(), perr, skip.offset(), serr)
			}
			if kerr == nil && !bytes.HasPrefix(full, prefix) {
				t.Fatalf("%q: kept %q, not the start of %q", data, prefix, full)
			}
		}
	})
}

type oneByteReader struct{ data []byte }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, errors.New("EOF")
	}
	p[0] = r.data[0]
	r.data = r.data[1:]
	return 1, nil
}

// TestMappedFile: a regular file large enough to be memory-mapped reads
// as the same bytes from a reader do, with the same results and the same
// error offset and line when it is cut off.
func TestMappedFile(t *testing.T) {
	data := hartest.Generate(300, 40<<10)
	if int64(len(data))*2/3 < minMapSize {
		t.Fatalf("test file of %d bytes is too small to be mapped", len(data))
	}
	// Lines, so the error's line number is checked too.
	data = bytes.ReplaceAll(data, []byte(`},{"pageref"`), []byte("},\n{\"pageref\""))
	// Bodies full of escaped quotes and backslash runs, for the quote index
	// (blocks of 256 KiB: many fall across a block's edge).
	escaped := bytes.ReplaceAll(data, []byte("QUJDQUJDQUJDQUJD"), []byte(`Q\"\\\\\"\\D\\`))
	dir := t.TempDir()
	for name, content := range map[string][]byte{"whole": data, "cut": data[:len(data)-len(data)/3],
		"escapes": escaped, "escapes cut": escaped[:len(escaped)*2/3+7]} {
		t.Run(name, func(t *testing.T) {
			f := writeOpen(t, filepath.Join(dir, name+".har"), content)
			m := newScanner(f)
			if !m.mapped && runtime.GOOS != "windows" && runtime.GOOS != "js" && runtime.GOOS != "wasip1" {
				t.Fatal("the file was not mapped")
			}
			m.close()
			var fromFile, fromReader []string
			collect := func(out *[]string) func(*Result) error {
				return func(r *Result) error {
					*out = append(*out, string(r.Verdict)+" "+r.Method+" "+r.URL)
					return nil
				}
			}
			sumF, _, errF := Analyze(f, AnalyzeOptions{}, collect(&fromFile))
			sumR, _, errR := Analyze(bytes.NewReader(content), AnalyzeOptions{}, collect(&fromReader))
			if sumF != sumR || strings.Join(fromFile, "\n") != strings.Join(fromReader, "\n") {
				t.Fatalf("mapped: %+v (%d results), read: %+v (%d results)", sumF, len(fromFile), sumR, len(fromReader))
			}
			if (errF == nil) != (errR == nil) || (errF != nil && errF.Error() != errR.Error()) {
				t.Fatalf("mapped error %v, read error %v", errF, errR)
			}
			if name == "cut" && errF == nil {
				t.Fatal("a cut-off file read without error")
			}
		})
	}
}

// TestLiteralBounds: a number or keyword reads the same whether it lies
// whole in the buffer or arrives a byte at a time: up to 64 bytes, and an
// error pointing at the 65th; a bad literal's error points at it.
func TestLiteralBounds(t *testing.T) {
	for _, tc := range []struct {
		lit string
		// wantErr is the error in both readings; "" when it reads.
		wantErr string
	}{
		{"1.25", ""},
		{"-0.5e3", ""},
		{"true", ""},
		{"1" + strings.Repeat("0", 63), ""},
		{"1" + strings.Repeat("0", 64), "byte offset 91 (line 1) in log.entries[0].time: expected a number or true/false/null"},
		{"nul", "byte offset 27 (line 1) in log.entries[0].time: expected a value (string, number, object, array, true, false or null)"},
		{"1.2.3", "byte offset 27 (line 1) in log.entries[0].time: expected a number"},
	} {
		doc := []byte(`{"log":{"entries":[{"time":` + tc.lit + `}]}}`)
		for name, r := range map[string]io.Reader{"whole": bytes.NewReader(doc), "byte by byte": iotest.OneByteReader(bytes.NewReader(doc))} {
			err := NewReader(r, Options{}).ReadEntries(func(*Entry) error { return nil })
			got := ""
			if err != nil {
				got, _, _ = strings.Cut(strings.TrimPrefix(err.Error(), "har: "), ", found")
			}
			if got != tc.wantErr {
				t.Errorf("%s, %s: error %q, want %q", tc.lit, name, got, tc.wantErr)
			}
		}
	}
}

// TestEntryNotAnObject: an element of the entries array that is not an
// object (null aside, read as an empty entry) is damage, reported where it
// is, not a request.
func TestEntryNotAnObject(t *testing.T) {
	for _, tc := range []struct {
		elem string
		// wantErr is the error; "" when the file reads.
		wantErr string
	}{
		{`{}`, ""},
		{`null`, ""},
		{`1`, `byte offset 19 (line 1) in log.entries[0]: expected an entry (an object), found "1"`},
		{`"GET https://a.test/"`, `byte offset 19 (line 1) in log.entries[0]: expected an entry (an object), found "\""`},
		{`[{"request":{}}]`, `byte offset 19 (line 1) in log.entries[0]: expected an entry (an object), found "["`},
		{`true`, `byte offset 19 (line 1) in log.entries[0]: expected an entry (an object), found "t"`},
	} {
		doc := []byte(`{"log":{"entries":[` + tc.elem + `]}}`)
		for name, r := range map[string]io.Reader{"whole": bytes.NewReader(doc), "byte by byte": iotest.OneByteReader(bytes.NewReader(doc))} {
			n := 0
			err := NewReader(r, Options{}).ReadEntries(func(*Entry) error { n++; return nil })
			got := ""
			if err != nil {
				got, _, _ = strings.Cut(strings.TrimPrefix(err.Error(), "har: "), ` ("`)
			}
			if got != tc.wantErr {
				t.Errorf("%s, %s: error %q, want %q", tc.elem, name, got, tc.wantErr)
			}
			if want := map[bool]int{true: 1, false: 0}[tc.wantErr == ""]; n != want {
				t.Errorf("%s, %s: %d entries, want %d", tc.elem, name, n, want)
			}
		}
	}
}

// TestMappedFileStaysSmall: the pages of a mapped file behind the scan are
// handed back as it goes, also those of the response texts taken back from
// the mapping once their encoding is known (Linux: the mapping's resident
// size, from /proc/self/smaps).
func TestMappedFileStaysSmall(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("resident size read from /proc/self/smaps")
	}
	f, err := os.Open(writeChromeFile(t, 2000, 40<<10))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := NewReader(f, Options{BodyLimit: DefaultBodyLimit})
	if !rd.s.mapped {
		t.Fatal("the file was not mapped")
	}
	most := 0
	err = rd.ReadEntries(func(e *Entry) error {
		if e.Index%200 == 199 {
			most = max(most, mappingRSS(t, rd.s.buf))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("largest resident part of the mapping: %d KiB", most>>10)
	if most > 6<<20 {
		t.Errorf("up to %d KiB of the mapping resident, want at most 6 MiB", most>>10)
	}
}

// writeChromeFile writes genhar's file (n entries, bodies of bodyLen
// bytes) for the test and returns its path.
func writeChromeFile(tb testing.TB, n, bodyLen int) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "chrome.har")
	if err := os.WriteFile(path, hartest.Chrome(n, bodyLen), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// mappingRSS is the resident size of the mapping that starts at b.
func mappingRSS(t *testing.T, b []byte) int {
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	start := fmt.Sprintf("%x-", uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	in := false
	for line := range strings.Lines(string(smaps)) {
		if strings.HasPrefix(line, start) {
			in = true
		}
		if rest, ok := strings.CutPrefix(line, "Rss:"); ok && in {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return kb << 10
		}
	}
	t.Fatal("mapping not found in /proc/self/smaps")
	return 0
}
