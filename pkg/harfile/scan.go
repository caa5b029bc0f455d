package harfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/pkg/internal/swar"
	"github.com/corsdiag/corsdiag/pkg/redact"
)

// scanner is a streaming JSON reader made for HAR files.
//
// encoding/json's Decoder.Token walks every byte of a value through its
// state machine and allocates every string; on a 600 MB export made of
// base64 bodies that costs as much as jq (measured: 4.3 s against jq 1.6's
// 4.7 s). HAR files are mostly string bytes we never look at, so the
// scanner finds the end of a string with bytes.IndexByte (vectorised) and
// keeps a string only when the reader asks for it. Memory is one fixed
// buffer plus the strings kept.
//
// It reads RFC 8259 JSON with three tolerances: a leading UTF-8 byte-order
// mark, raw control characters inside strings, and a trailing comma before
// a closing bracket.
type scanner struct {
	r    io.Reader
	buf  []byte
	pos  int   // next unread byte in buf
	end  int   // bytes of buf holding data
	base int64 // stream offset of buf[0]
	// lines counts the newlines in the stream before buf[0].
	lines int
	eof   bool
	rerr  error
	// keys holds the key being read at each object depth, val the last
	// kept string.
	keys  [][]byte
	depth int
	// nest counts the arrays and objects open around pos; skipStack
	// holds the brackets skipValue has open, so skipping needs no
	// recursion and no more memory than maxNesting bytes.
	nest      int
	skipStack []byte
	val       []byte
	// mapped is set when buf is the whole file, memory-mapped: fill then
	// only moves end forward, a chunk at a time, and hands the pages
	// before released back to the kernel.
	mapped   bool
	released int
	// limit, when set, ends a mapped file early (a read-ahead parser's
	// reach); keepPages leaves releasing pages to the reader.
	limit     int
	keepPages bool
	// indexShift corrects the element index in the path of an error that
	// fn returns to elements, when fn has consumed elements of its own
	// (the entries a read-ahead segment handed on).
	indexShift int
	// releases hands consumed ranges of the mapping to a goroutine that
	// gives them back to the kernel, off the reader's path; releaserDone
	// is closed when it has released them all.
	releases     chan []byte
	releaserDone chan struct{}
	// number is the value of the last number literal read.
	number float64
}

// minMapSize: below it reading is as fast as mapping (a variable so
// that the fuzz test can map small inputs).
var minMapSize int64 = 4 << 20

const (
	scanBufSize = 256 << 10
	// mapChunk is how far fill moves end; releaseEvery how much of the
	// mapping may stay resident behind pos.
	mapChunk     = 256 << 10
	releaseEvery = 1 << 20
	// releaseQueue is how many released ranges may wait for the releaser.
	releaseQueue = 1
)

func newScanner(r io.Reader) *scanner {
	s := &scanner{r: r}
	if data := mapFile(r); data != nil {
		s.buf, s.mapped = data, true
	} else {
		s.buf = make([]byte, scanBufSize)
		growPipe(r)
	}
	s.fill()
	if s.end-s.pos >= 3 && s.buf[0] == 0xEF && s.buf[1] == 0xBB && s.buf[2] == 0xBF {
		s.pos = 3
	}
	return s
}

// fill discards consumed bytes and reads more. It reports whether new bytes
// arrived.
func (s *scanner) fill() bool {
	if s.eof {
		return false
	}
	if s.mapped {
		return s.fillMapped()
	}
	if s.pos > 0 {
		s.lines += bytes.Count(s.buf[:s.pos], []byte{'\n'})
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.pos, s.end = 0, n
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.eof, s.rerr = true, io.ErrNoProgress
	return false
}

func (s *scanner) fillMapped() bool {
	size := len(s.buf)
	if s.limit > 0 {
		size = s.limit
	}
	if s.end >= size {
		s.eof = true
		return false
	}
	if !s.keepPages && s.pos-s.released >= releaseEvery {
		upto := s.pos &^ (pageSize - 1)
		if s.releases == nil {
			s.releases, s.releaserDone = make(chan []byte, releaseQueue), make(chan struct{})
			go func(releases <-chan []byte, done chan<- struct{}) {
				defer close(done)
				for b := range releases {
					releasePages(b)
				}
			}(s.releases, s.releaserDone)
		}
		// Blocks when the releaser is releaseQueue ranges behind: resident
		// memory stays bounded.
		s.releases <- s.buf[s.released:upto]
		s.released = upto
	}
	s.end = min(s.end+mapChunk, size)
	return true
}

// jump moves a mapped scanner forward to off, past bytes read elsewhere.
func (s *scanner) jump(off int64) {
	s.pos = int(off)
	s.end = max(s.end, s.pos)
}

// pageSize rounds released ranges; a multiple of every page size in use.
const pageSize = 64 << 10

// close unmaps a mapped file; the scanner must not be used after.
func (s *scanner) close() {
	if s.releases != nil {
		// The mapping must outlive every release of a range of it: once
		// unmapped, its addresses may belong to another mapping.
		close(s.releases)
		<-s.releaserDone
		s.releases = nil
	}
	if s.mapped {
		unmapFile(s.buf)
		s.buf, s.pos, s.end, s.mapped, s.eof = nil, 0, 0, false, true
	}
}

// catchFault turns a fault reading the mapping (the file was truncated
// while read) into an error; run deferred, with debug.SetPanicOnFault on.
func (s *scanner) catchFault(err *error) {
	r := recover()
	if r == nil {
		return
	}
	if _, fault := r.(interface{ Addr() uintptr }); !fault {
		panic(r)
	}
	*err = &SyntaxError{Offset: s.offset(), Err: errFileChanged}
}

var errFileChanged = errors.New("the file changed (was truncated?) while it was read")

// ensure makes n bytes available at pos when the stream has them.
func (s *scanner) ensure(n int) bool {
	for s.end-s.pos < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

// offset is the stream offset of the next unread byte.
func (s *scanner) offset() int64 { return s.base + int64(s.pos) }

// SyntaxError says where a file stops being HAR-shaped JSON and why.
type SyntaxError struct {
	Offset int64  // byte offset from the start of the file (a BOM counts)
	Line   int    // 1-based line of Offset
	Path   string // where in the document, e.g. log.entries[3].request
	// Expected is what the reader needed there; Found is what it got.
	Expected string
	Found    string
	// Err is the read error, when the input could not be read.
	Err error
}

func (e *SyntaxError) Error() string {
	at := fmt.Sprintf("byte offset %d (line %d)", e.Offset, e.Line)
	if e.Line <= 0 {
		at = fmt.Sprintf("byte offset %d", e.Offset)
	}
	if e.Path != "" {
		at += " in " + e.Path
	}
	if e.Err != nil {
		return "har: reading " + at + ": " + e.Err.Error()
	}
	return "har: " + at + ": expected " + e.Expected + ", found " + e.Found
}

func (e *SyntaxError) Unwrap() error { return e.Err }

// errAt builds a SyntaxError at the next unread byte.
func (s *scanner) errAt(expected string) *SyntaxError {
	e := &SyntaxError{Offset: s.offset(), Line: s.lines + bytes.Count(s.buf[:s.pos], []byte{'\n'}) + 1, Expected: expected}
	switch {
	case s.rerr != nil && s.pos >= s.end:
		e.Err = s.rerr
	case s.pos >= s.end:
		e.Found = "the end of the file (the file is cut off)"
	default:
		e.Found = describeByte(s.buf[s.pos:s.end])
	}
	return e
}

// errEmpty is errAt where the file ends before its first value: it holds
// nothing but white space, which is not a cut-off file.
func (s *scanner) errEmpty(expected string) *SyntaxError {
	e := s.errAt(expected)
	if e.Err == nil {
		e.Found = "nothing: the file is empty"
	}
	return e
}

func describeByte(b []byte) string {
	r, size := utf8.DecodeRune(b)
	if r == utf8.RuneError && size <= 1 {
		return fmt.Sprintf("byte 0x%02x", b[0])
	}
	if r < 0x20 || r == 0x7f {
		return fmt.Sprintf("control character 0x%02x", r)
	}
	snippet := b
	if len(snippet) > 16 {
		snippet = snippet[:16]
	}
	if i := bytes.IndexAny(snippet, "\r\n"); i >= 0 {
		snippet = snippet[:i]
	}
	for !utf8.Valid(snippet) && len(snippet) > 0 {
		snippet = snippet[:len(snippet)-1]
	}
	// The bytes may be a value's (a token not in quotes, a cut-off URL):
	// hidden as the reports hide secrets.
	return strconv.Quote(string(r)) + " (" + strconv.Quote(redact.Text(string(snippet))) + "…)"
}

// maxNesting bounds how deeply arrays and objects may nest. A HAR export
// nests about ten levels (Chrome's async initiator stacks add one per
// parent, at most 32); encoding/json allows 10000. A deeper file is not
// a HAR export, and refusing it keeps the stack and memory bounded.
const maxNesting = 1000

// maxPathLen caps SyntaxError.Path: a path is built while the error
// unwinds, and deep nesting must not make it quadratic.
const maxPathLen = 256

// enter opens one level of nesting at pos, or says the file nests too deep.
func (s *scanner) enter() error {
	if s.nest >= maxNesting {
		e := s.errAt("at most " + strconv.Itoa(maxNesting) + " nested arrays and objects")
		e.Found = "deeper nesting (a HAR export nests about ten levels)"
		return e
	}
	s.nest++
	return nil
}

// wrapPath prefixes err's path with elem as the error unwinds: the happy
// path pays nothing for paths.
func wrapPath(err error, elem string) error {
	var se *SyntaxError
	if errors.As(err, &se) {
		switch {
		case len(se.Path) > maxPathLen:
			if !strings.HasPrefix(se.Path, "…") {
				se.Path = "…" + se.Path
			}
		case se.Path == "":
			se.Path = elem
		case se.Path[0] == '[':
			se.Path = elem + se.Path
		default:
			se.Path = elem + "." + se.Path
		}
	}
	return err
}

// peek skips whitespace and returns the next byte without consuming it.
func (s *scanner) peek() (byte, bool) {
	// Inlined: JSON as exporters write it mostly has no space between tokens.
	if s.pos < s.end && s.buf[s.pos] > ' ' {
		return s.buf[s.pos], true
	}
	return s.peekSpace()
}

func (s *scanner) peekSpace() (byte, bool) {
	for {
		for s.pos < s.end {
			c := s.buf[s.pos]
			if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return c, true
			}
			s.pos++
		}
		if !s.fill() {
			return 0, false
		}
	}
}

// kind of the next value: '{', '[', '"', 'n' (null), 't'/'f' (booleans),
// '0' (number), or 0 at the end of input.
func (s *scanner) kind() byte {
	c, ok := s.peek()
	if !ok {
		return 0
	}
	switch {
	case c == '-' || (c >= '0' && c <= '9'):
		return '0'
	}
	return c
}

// object reads an object, calling fn for each key with the scanner before
// the value; fn must consume the value. null reads as an empty object; any
// other kind of value is skipped (tolerance: fields of the wrong type).
func (s *scanner) object(fn func(key []byte) error) error {
	switch s.kind() {
	case '{':
	case 'n':
		return s.skipValue()
	case 0:
		return s.errAt("an object")
	default:
		return s.skipValue()
	}
	return s.objectBody(fn)
}

// objectBody reads an object whose '{' is next.
func (s *scanner) objectBody(fn func(key []byte) error) error {
	if err := s.enter(); err != nil {
		return err
	}
	err := s.members(fn)
	s.nest--
	return err
}

func (s *scanner) members(fn func(key []byte) error) error {
	s.pos++
	c, ok := s.peek()
	if !ok {
		return s.errAt("a key or '}'")
	}
	if c == '}' {
		s.pos++
		return nil
	}
	if s.depth == len(s.keys) {
		s.keys = append(s.keys, nil)
	}
	d := s.depth
	s.depth++
	err := s.membersFrom(d, c, fn)
	s.depth--
	return err
}

// membersFrom reads the members of an object from its first key (c, the
// byte at pos), keeping each key in keys[d].
func (s *scanner) membersFrom(d int, c byte, fn func(key []byte) error) error {
	var ok bool
	for {
		if c != '"' {
			return s.errAt("a quoted key")
		}
		var key []byte
		if k, next, plain := plainString(s.buf[:s.end], s.pos, maxKeyLen); plain {
			// Whole in the buffer, no escapes: copied in one go.
			key = append(s.keys[d][:0], k...)
			s.pos = next
		} else {
			var err error
			if key, err = s.readString(s.keys[d][:0], true, maxKeyLen); err != nil {
				s.keys[d] = key
				return err
			}
		}
		s.keys[d] = key
		if c, ok = s.peek(); !ok || c != ':' {
			return s.errAt("':' after the key " + strconv.Quote(string(key)))
		}
		s.pos++
		if err := fn(key); err != nil {
			return wrapPath(err, string(key))
		}
		if c, ok = s.peek(); !ok {
			return s.errAt("',' or '}'")
		}
		switch c {
		case '}':
			s.pos++
			return nil
		case ',':
			s.pos++
			if c, ok = s.peek(); ok && c == '}' {
				s.pos++
				return nil
			}
			if !ok {
				return s.errAt("a key")
			}
		default:
			return s.errAt("',' or '}'")
		}
	}
}

// array reads an array, calling fn with the scanner before each element;
// fn must consume it. null reads as empty; other kinds are skipped.
func (s *scanner) array(fn func(i int) error) error {
	switch s.kind() {
	case '[':
	case 0:
		return s.errAt("an array")
	default:
		return s.skipValue()
	}
	return s.arrayBody(fn)
}

func (s *scanner) arrayBody(fn func(i int) error) error {
	if err := s.enter(); err != nil {
		return err
	}
	err := s.elements(fn)
	s.nest--
	return err
}

func (s *scanner) elements(fn func(i int) error) error {
	s.pos++
	c, ok := s.peek()
	if !ok {
		return s.errAt("a value or ']'")
	}
	if c == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		if err := fn(i); err != nil {
			i += s.indexShift
			s.indexShift = 0
			return wrapPath(err, "["+strconv.Itoa(i)+"]")
		}
		if c, ok = s.peek(); !ok {
			return s.errAt("',' or ']'")
		}
		switch c {
		case ']':
			s.pos++
			return nil
		case ',':
			s.pos++
			if c, ok = s.peek(); ok && c == ']' {
				s.pos++
				return nil
			}
			if !ok {
				return s.errAt("a value")
			}
		default:
			return s.errAt("',' or ']'")
		}
	}
}

const (
	maxKeyLen = 4 << 10
	// maxStringLen caps a string the reader keeps (a header value, a URL);
	// the rest is skipped, so one absurd value cannot exhaust memory.
	maxStringLen = 1 << 20
)

// readString reads the string at pos (which must be '"'), appending its
// decoded bytes to dst when keep is set, at most limit bytes of them.
func (s *scanner) readString(dst []byte, keep bool, limit int) ([]byte, error) {
	if !keep {
		return dst, s.skipString()
	}
	start := s.offset()
	s.pos++
	for {
		if len(dst) >= limit {
			// Full: the rest is skipped in skipString's single pass
			// rather than searched for both '"' and '\\'.
			return dst, s.skipStringFrom(start, false)
		}
		if s.pos >= s.end && !s.fill() {
			e := s.errAt("the closing '\"' of the string that starts at byte offset " + strconv.FormatInt(start, 10))
			return dst, e
		}
		seg := s.buf[s.pos:s.end]
		if room := limit - len(dst); len(seg) > room {
			seg = seg[:room]
		}
		q := bytes.IndexByte(seg, '"')
		if q >= 0 {
			seg = seg[:q]
		}
		bs := bytes.IndexByte(seg, '\\')
		if bs >= 0 {
			seg = seg[:bs]
		}
		dst = append(dst, seg...)
		s.pos += len(seg)
		switch {
		case bs >= 0:
			var err error
			if dst, err = s.escape(dst, true); err != nil {
				return dst, err
			}
		case q >= 0:
			s.pos++
			return dst, nil
		}
	}
}

// skipString skips the string at pos in one pass: a '"' ends it unless an
// odd run of backslashes comes before it. Bodies are most of a HAR file's
// bytes; looking for '\\' as well would read them twice.
func (s *scanner) skipString() error {
	start := s.offset()
	s.pos++
	return s.skipStringFrom(start, false)
}

// skipStringFrom skips the rest of the string that starts at byte offset
// start; odd says whether the bytes before pos end with an odd run of
// backslashes (a run can cross a fill).
func (s *scanner) skipStringFrom(start int64, odd bool) error {
	for {
		if s.pos >= s.end && !s.fill() {
			if odd {
				return s.errAt("an escape sequence")
			}
			return s.errAt("the closing '\"' of the string that starts at byte offset " + strconv.FormatInt(start, 10))
		}
		chunk := s.buf[s.pos:s.end]
		q := bytes.IndexByte(chunk, '"')
		if q < 0 {
			odd = trailingBackslashesOdd(chunk, odd)
			s.pos = s.end
			continue
		}
		if trailingBackslashesOdd(chunk[:q], odd) {
			// An escaped quote.
			s.pos += q + 1
			odd = false
			continue
		}
		s.pos += q + 1
		return nil
	}
}

// trailingBackslashesOdd reports whether b ends with an odd run of
// backslashes, counting a run that continues from before b (odd before).
func trailingBackslashesOdd(b []byte, oddBefore bool) bool {
	i := len(b)
	for i > 0 && b[i-1] == '\\' {
		i--
	}
	odd := (len(b)-i)%2 == 1
	if i == 0 && oddBefore {
		odd = !odd
	}
	return odd
}

// escape decodes the escape sequence at pos (a backslash).
func (s *scanner) escape(dst []byte, keep bool) ([]byte, error) {
	if !s.ensure(2) {
		s.pos = s.end
		return dst, s.errAt("an escape sequence")
	}
	c := s.buf[s.pos+1]
	if c != 'u' {
		s.pos += 2
		if keep {
			switch c {
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			case 'r':
				c = '\r'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			}
			// '"', '\\', '/' and (tolerated) any other byte stand for themselves.
			dst = append(dst, c)
		}
		return dst, nil
	}
	r, n := s.hex4(2)
	if n == 0 {
		s.pos += 2
		if keep {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		}
		return dst, nil
	}
	s.pos += n
	if utf16.IsSurrogate(r) {
		if s.ensure(6) && s.buf[s.pos] == '\\' && s.buf[s.pos+1] == 'u' {
			if r2, n2 := s.hex4(2); n2 > 0 {
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					s.pos += n2
					r = dec
				}
			}
		}
		if utf16.IsSurrogate(r) {
			r = utf8.RuneError
		}
	}
	if keep {
		dst = utf8.AppendRune(dst, r)
	}
	return dst, nil
}

// hex4 parses the four hex digits at pos+off; it returns the rune and the
// length of the escape (off+4), or 0 when they are not hex.
func (s *scanner) hex4(off int) (rune, int) {
	if !s.ensure(off + 4) {
		return 0, 0
	}
	var r rune
	for _, c := range s.buf[s.pos+off : s.pos+off+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, 0
		}
		r = r<<4 | rune(c)
	}
	return r, off + 4
}

// literal reads a number, true, false or null and returns its bytes (valid
// until the next read).
func (s *scanner) literal() ([]byte, error) {
	// Most literals lie whole in the buffer: taken where they are.
	i := s.pos
	for i < s.end && i-s.pos <= maxLiteral && isLiteralByte(s.buf[i]) {
		i++
	}
	start := s.offset()
	if i < s.end && i-s.pos <= maxLiteral {
		v := s.buf[s.pos:i]
		s.pos = i
		return s.checkLiteral(v, start)
	}
	s.val = s.val[:0]
	for {
		for s.pos < s.end {
			c := s.buf[s.pos]
			if !isLiteralByte(c) {
				return s.checkLiteral(s.val, start)
			}
			if len(s.val) >= maxLiteral {
				return nil, s.errAt("a number or true/false/null")
			}
			s.val = append(s.val, c)
			s.pos++
		}
		if !s.fill() {
			return s.checkLiteral(s.val, start)
		}
	}
}

// maxLiteral bounds a number or keyword.
const maxLiteral = 64

func isLiteralByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '+' || c == '.'
}

// checkLiteral accepts the literal v just read, which starts at byte
// offset start and ends at pos.
func (s *scanner) checkLiteral(v []byte, start int64) ([]byte, error) {
	switch {
	case len(v) == 0:
		return nil, s.errAt("a value")
	case string(v) == "true", string(v) == "false", string(v) == "null":
		return v, nil
	case v[0] == '-' || v[0] >= '0' && v[0] <= '9':
		if f, ok := shortDecimal(v); ok {
			s.number = f
			return v, nil
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return nil, s.literalErr(v, start, "a number")
		}
		s.number = f
		return v, nil
	}
	return nil, s.literalErr(v, start, "a value (string, number, object, array, true, false or null)")
}

// shortDecimal parses the commonest numbers, -?digits(.digits)? with at
// most 15 digits, to the same float64 as strconv.ParseFloat, without its
// general machinery: the digits form an integer below 2^53 and the power
// of ten is exact, so the one division rounds correctly (ParseFloat's own
// exact path). Anything else reports false.
func shortDecimal(v []byte) (float64, bool) {
	i, neg := 0, v[0] == '-'
	if neg {
		i = 1
	}
	var mant uint64
	digits, frac := 0, -1 // frac: digits after the point, -1 before it
	for ; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			mant = mant*10 + uint64(c-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0 && digits > 0:
			frac = 0
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 || frac == 0 {
		return 0, false
	}
	f := float64(mant)
	if frac > 0 {
		f /= exactPow10[frac]
	}
	if neg {
		f = -f
	}
	return f, true
}

var exactPow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// literalErr is the error for the bad literal v: it points at v's start,
// also when a fill has moved v's first bytes out of the buffer (a literal
// holds no newline, so the line is pos's).
func (s *scanner) literalErr(v []byte, start int64, expected string) *SyntaxError {
	if back := s.pos - len(v); back >= 0 && s.offset()-int64(len(v)) == start {
		s.pos = back
		return s.errAt(expected)
	}
	e := s.errAt(expected)
	e.Offset, e.Found = start, describeByte(v)
	return e
}

// skipValue consumes the next value without keeping anything.
func (s *scanner) skipValue() error {
	switch s.kind() {
	case '"':
		return s.skipString()
	case '{', '[':
		return s.skipContainer()
	case 0:
		return s.errAt("a value")
	}
	_, err := s.literal()
	return err
}

// skipContainer skips the array or object at pos with a loop and a stack
// of open brackets instead of recursion, under the same tolerances and
// the same nesting limit as objectBody and arrayBody.
func (s *scanner) skipContainer() error {
	stack := s.skipStack[:0]
	defer func() {
		s.nest -= len(stack)
		s.skipStack = stack[:0]
	}()
	open := func(c byte) error {
		if err := s.enter(); err != nil {
			return err
		}
		stack = append(stack, c)
		s.pos++
		return nil
	}
	c, _ := s.peek()
	if err := open(c); err != nil {
		return err
	}
	member := true // after an opening bracket or a comma
	for len(stack) > 0 {
		closer := byte(']')
		if stack[len(stack)-1] == '{' {
			closer = '}'
		}
		c, ok := s.peek()
		if !ok {
			return s.errAt("a value or '" + string(closer) + "'")
		}
		if !member {
			switch c {
			case closer:
				stack = stack[:len(stack)-1]
				s.nest--
				s.pos++
			case ',':
				s.pos++
				member = true
			default:
				return s.errAt("',' or '" + string(closer) + "'")
			}
			continue
		}
		if c == closer { // empty, or a tolerated trailing comma
			stack = stack[:len(stack)-1]
			s.nest--
			s.pos++
			member = false
			continue
		}
		if closer == '}' {
			if c != '"' {
				return s.errAt("a quoted key")
			}
			if err := s.skipString(); err != nil {
				return err
			}
			if c, ok = s.peek(); !ok || c != ':' {
				return s.errAt("':' after the key")
			}
			s.pos++
		}
		switch s.kind() {
		case '{', '[':
			if err := open(s.buf[s.pos]); err != nil {
				return err
			}
			continue
		case '"':
			if err := s.skipString(); err != nil {
				return err
			}
		case 0:
			return s.errAt("a value")
		default:
			if _, err := s.literal(); err != nil {
				return err
			}
		}
		member = false
	}
	return nil
}

// flatPair reads the {"name":"…","value":"…"} object at pos, the shape
// of nearly every header, with one quick pass when it lies whole in the
// buffer: the two keys once each in either order, plain strings (no
// escapes), whitespace allowed. It returns the two strings where they lie
// (valid until the next read). Anything else leaves pos where it was and
// reports false, for the general path to read, and to report any error.
func (s *scanner) flatPair() (name, value []byte, ok bool) {
	if s.nest >= maxNesting {
		return nil, nil, false
	}
	b := s.buf[s.pos:s.end]
	if len(b) == 0 || b[0] != '{' {
		return nil, nil, false
	}
	i := 1
	var sawName, sawValue bool
	for range 2 {
		key, j, ok := plainString(b, skipSpace(b, i), maxKeyLen)
		if !ok {
			return nil, nil, false
		}
		i = skipSpace(b, j)
		if i >= len(b) || b[i] != ':' {
			return nil, nil, false
		}
		v, j, ok := plainString(b, skipSpace(b, i+1), maxStringLen)
		if !ok {
			return nil, nil, false
		}
		switch {
		case string(key) == "name" && !sawName:
			name, sawName = v, true
		case string(key) == "value" && !sawValue:
			value, sawValue = v, true
		default:
			return nil, nil, false
		}
		i = skipSpace(b, j)
		if i >= len(b) {
			return nil, nil, false
		}
		if !sawName || !sawValue {
			if b[i] != ',' {
				return nil, nil, false
			}
			i++
		}
	}
	if b[i] != '}' {
		return nil, nil, false
	}
	s.pos += i + 1
	return name, value, true
}

// plainString returns the string starting at b[i] when it is whole in b,
// at most limit bytes long and without escapes, and the index after it.
func plainString(b []byte, i, limit int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	// Most keys and values end within a few words: looking for both bytes
	// eight at a time costs less than a byte loop or two IndexByte calls.
	// The lowest flagged byte of swar.Equal is always a real match.
	k := i + 1
	for ; k+8 <= len(b) && k <= i+17; k += 8 {
		w := binary.LittleEndian.Uint64(b[k:])
		if m := swar.Equal(w, '"') | swar.Equal(w, '\\'); m != 0 {
			k += bits.TrailingZeros64(m) / 8
			if b[k] == '\\' || k-i-1 > limit {
				return nil, 0, false
			}
			return b[i+1 : k], k + 1, true
		}
	}
	// No '"' or '\\' in b[i+1:k].
	q := bytes.IndexByte(b[k:], '"')
	if q < 0 || k+q-i-1 > limit || bytes.IndexByte(b[k:k+q], '\\') >= 0 {
		return nil, 0, false
	}
	return b[i+1 : k+q], k + q + 1, true
}

// skipSpace returns the index of the first byte at or after i in b that
// is not JSON whitespace.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// str reads any value as a string: strings as they are, numbers and
// booleans as written, arrays of strings joined with ", " (Polly.JS writes
// header values as arrays), null and objects as "".
func (s *scanner) str() (string, error) {
	v, err := s.strBytes(maxStringLen)
	return string(v), err
}

// strBytes is str without the copy: the bytes are valid until the next read.
func (s *scanner) strBytes(limit int) ([]byte, error) {
	switch s.kind() {
	case '"':
		if v, next, plain := plainString(s.buf[:s.end], s.pos, limit); plain {
			// Whole in the buffer, no escapes: taken where it lies.
			s.pos = next
			return v, nil
		}
		v, err := s.readString(s.val[:0], true, limit)
		s.val = v
		return v, err
	case '[':
		var joined []byte
		err := s.arrayBody(func(i int) error {
			v, err := s.strBytes(limit)
			if err == nil && len(v) > 0 && len(joined) < limit {
				if len(joined) > 0 {
					joined = append(joined, ", "...)
				}
				joined = append(joined, v...)
			}
			return err
		})
		s.val = append(s.val[:0], joined...)
		return s.val, err
	case '{':
		return nil, s.skipValue()
	case 0:
		return nil, s.errAt("a value")
	}
	v, err := s.literal()
	if err != nil || string(v) == "null" {
		return nil, err
	}
	return v, nil
}

// num reads a number; numbers written as strings are accepted, anything
// else (null, "", an object) reads as def.
func (s *scanner) num(def float64) (float64, error) {
	switch s.kind() {
	case '0':
		if _, err := s.literal(); err != nil {
			return def, err
		}
		return s.number, nil
	case '"':
		v, err := s.strBytes(64)
		if err != nil {
			return def, err
		}
		if f, perr := strconv.ParseFloat(string(bytes.TrimSpace(v)), 64); perr == nil {
			return f, nil
		}
		return def, nil
	}
	return def, s.skipValue()
}

// boolean reads true/false ("true" as a string too); anything else is false.
func (s *scanner) boolean() (bool, error) {
	switch s.kind() {
	case 't', 'f':
		v, err := s.literal()
		return string(v) == "true", err
	case '"':
		v, err := s.strBytes(8)
		return string(v) == "true", err
	}
	return false, s.skipValue()
}
