package harfile

import (
	"bytes"
	"io"
	"os"
)

// A log's creator or browser written after its entries comes too late for
// a streaming read: the browser that judges the file, and whether its tool
// marks failures, are settled at the first entry. Real tools write that
// order: Charles 3.6.5 ("entries", "version", "creator") and Fiddler 4.6
// ("pages", "comment", "entries", "creator", "version"), both in the HAR
// corpus, and Browsertime, which merges log.browser into chrome-har's log
// after its entries (lib/support/har/index.js, addBrowser), as
// sitespeedio/pagexray's chrome-har file shows. So when the log has not
// named them by its entries, the reader looks for them among the log's
// last members, at the end of the file, where it can without reading the
// stream there: a mapped file, a regular file (read at an offset), a
// reader of known size, or a stream already read to its end.

const (
	// trailerWindow is how far from the end of the file the log's last
	// members are looked for (they are a few hundred bytes).
	trailerWindow = 16 << 10
	// trailerTries bounds the places in the window tried as the key.
	trailerTries = 8
)

// readTrailer fills in the log's creator and browser, those the file has
// not named before its entries, from the members of the log that follow
// them. A creator that names the browser alone needs no log.browser.
func (r *Reader) readTrailer() {
	if r.Log.Creator.Name != "" && (r.Log.Browser.Name != "" || creatorNamesBrowser(r.Log.Creator.Name)) {
		return
	}
	tail := r.s.tail(trailerWindow)
	for _, m := range []struct {
		key string
		c   *Creator
	}{{"creator", &r.Log.Creator}, {"browser", &r.Log.Browser}} {
		if m.c.Name != "" {
			continue
		}
		// The last places the key is at, found forwards: bytes.Index is
		// vectorised, LastIndex is not (50 µs on the window).
		quoted := []byte(`"` + m.key + `"`)
		var at [trailerTries]int
		n := 0
		for i := 0; ; n++ {
			j := bytes.Index(tail[i:], quoted)
			if j < 0 {
				break
			}
			at[n%trailerTries] = i + j
			i += j + 1
		}
		for k := n - 1; k >= max(0, n-trailerTries); k-- {
			if c, ok := lastLogMember(tail, at[k%trailerTries], m.key); ok {
				*m.c = c
				break
			}
		}
	}
}

// lastLogMember reads the member of the log at tail[at:], a key, if the
// members from it to the end of tail are the last of the log: after them
// the log and the file's object close and the file ends. A key met
// anywhere else (in an entry, in a string) is followed by more closing
// brackets, or is no key.
func lastLogMember(tail []byte, at int, key string) (Creator, bool) {
	if j := skipSpaceBack(tail, int64(at)-1); j < 0 || tail[j] != ',' && tail[j] != '{' {
		return Creator{}, false
	}
	s := &scanner{buf: tail, pos: at, end: len(tail), mapped: true, keepPages: true, nest: 2}
	s.keys, s.depth = make([][]byte, 1), 1
	tr := &Reader{s: s}
	var c Creator
	first := true
	err := s.membersFrom(0, '"', func(k []byte) error {
		if first && string(k) == key {
			first = false
			return tr.creator(&c)
		}
		first = false
		return s.skipValue()
	})
	if err != nil {
		return Creator{}, false
	}
	if b, ok := s.peek(); !ok || b != '}' {
		return Creator{}, false
	}
	s.pos++
	if _, ok := s.peek(); ok {
		return Creator{}, false
	}
	// So far the key is in the file's last member; where that member's
	// '{' is in the window, it must be the log's (a member after the log
	// closes at the same place). Beyond the window, it is the log's: its
	// entries lie between.
	if open := enclosingObject(tail, at); open == -2 || open >= 0 && !namedLog(tail, open) {
		return Creator{}, false
	}
	return c, true
}

// enclosingObject is where the '{' of the object or array holding
// tail[at], a byte outside any string, is: -1 before the window, -2 when
// it is an array. Read backwards, a quote ends a string unless an odd run
// of backslashes escapes it.
func enclosingObject(tail []byte, at int) int {
	depth, inString := 0, false
	for i := at - 1; i >= 0; i-- {
		switch c := tail[i]; {
		case c == '"':
			n := 0
			for n < i && tail[i-1-n] == '\\' {
				n++
			}
			if n%2 == 0 {
				inString = !inString
			}
		case inString:
		case c == '}' || c == ']':
			depth++
		case c == '{' || c == '[':
			if depth == 0 {
				if c == '[' {
					return -2
				}
				return i
			}
			depth--
		}
	}
	return -1
}

// namedLog reports whether the value opening at tail[open] is that of a
// "log" key.
func namedLog(tail []byte, open int) bool {
	j := skipSpaceBack(tail, int64(open)-1)
	if j < 0 || tail[j] != ':' {
		return false
	}
	j = skipSpaceBack(tail, j-1)
	return j >= 4 && string(tail[j-4:j+1]) == `"log"`
}

// sizedReaderAt is a reader that can read at an offset and knows its size
// (bytes.Reader, strings.Reader, io.SectionReader).
type sizedReaderAt interface {
	io.ReaderAt
	Size() int64
}

// tail returns up to n bytes from the end of the input, without reading
// the stream up to there: nil when that cannot be done (a pipe, a
// decompressed stream not yet read to its end).
func (s *scanner) tail(n int) []byte {
	switch {
	case s.mapped:
		return s.buf[max(0, len(s.buf)-n):]
	case s.eof:
		return s.buf[max(0, s.end-n):s.end]
	}
	var ra io.ReaderAt
	var size int64
	switch r := s.r.(type) {
	case *os.File:
		st, err := r.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return nil
		}
		ra, size = r, st.Size()
	case sizedReaderAt:
		ra, size = r, r.Size()
	default:
		return nil
	}
	b := make([]byte, min(size, int64(n)))
	m, err := ra.ReadAt(b, size-int64(len(b)))
	if err != nil && err != io.EOF {
		return nil
	}
	return b[:m]
}
