package harfile

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"sync"
)

// Reading ahead: a mapped file's entries array is cut into segments that
// parse on every core at once, while the reader goroutine only hands the
// entries on in file order.
//
// A segment's parser cannot know where an entry starts in the middle of a
// file, so it guesses: the first '{' after the segment's nominal start
// that follows "}," and reads as an entry with a request. The guess is
// never trusted: the reader uses a segment only when it stands exactly at
// the segment's first entry, at an element of the entries array it reached
// by parsing (or by the previous segment, which it reached the same way).
// Parsing is deterministic, so the segment's entries are the ones the
// reader would have read there. A wrong guess (a '{' inside a string, a
// nested object) is never reached exactly; the reader then reads on by
// itself until it stands at the start of a later segment. Errors, faults
// and entries larger than aheadOverrun end a segment early, and the reader
// reads the rest itself, reporting any error exactly as before.

var (
	// aheadSegment is the nominal length of a segment (a variable so that
	// tests can cut small files into many).
	aheadSegment int64 = 512 << 10
	// aheadMinSize: a smaller entries array is read in one pass.
	aheadMinSize int64 = 16 << 20
)

const (
	// aheadOverrun is how far past its nominal end a segment may read to
	// finish its last entry: it bounds the pages a parser keeps resident.
	aheadOverrun = 8 << 20
	// aheadQueue is how many segments per parser may be parsed and not yet
	// handed on: memory stays flat while no parser waits for the reader.
	aheadQueue = 2
)

type segment struct {
	k int64 // index: the segment's nominal range starts at first+k*aheadSegment
	// start is the offset of the first entry, end the offset just past the
	// last; entries are in file order.
	start, end int64
	entries    []*Entry
	ready      chan struct{}
}

type ahead struct {
	buf     []byte
	first   int64 // offset of the first element of the entries array
	nest    int   // the scanner's nesting inside the entries array
	opts    Options
	next    int64 // the next segment to hand out
	queue   []*segment
	jobs    chan *segment
	stop    chan struct{}
	parsers sync.WaitGroup
	// taken counts the segments handed on whole (tests read it).
	taken int
}

// aheadParsers is how many parsers read ahead; fewer than two reads in
// one pass.
var aheadParsers = func() int { return runtime.GOMAXPROCS(0) }

// startAhead begins reading ahead when s is a mapped file with a large
// entries array whose first element is at pos, and there is a core to
// spare.
func (r *Reader) startAhead() {
	s := r.s
	n := aheadParsers()
	if !s.mapped || n < 2 || int64(len(s.buf))-s.offset() < aheadMinSize {
		return
	}
	a := &ahead{
		buf: s.buf, first: s.offset(), nest: s.nest, opts: r.opts,
		jobs: make(chan *segment, n*aheadQueue), stop: make(chan struct{}),
	}
	for i := 0; i < n; i++ {
		a.parsers.Add(1)
		go a.parse()
	}
	for i := 0; i < n*aheadQueue; i++ {
		a.handOut()
	}
	r.ahead = a
}

// handOut queues the next segment, if the file has one.
func (a *ahead) handOut() {
	if a.first+a.next*aheadSegment >= int64(len(a.buf)) {
		return
	}
	seg := &segment{k: a.next, ready: make(chan struct{})}
	a.next++
	a.queue = append(a.queue, seg)
	a.jobs <- seg
}

// take returns the parsed segment whose first entry is at pos, or nil
// when the reader must read the entry at pos itself.
func (a *ahead) take(pos int64) *segment {
	for len(a.queue) > 0 {
		seg := a.queue[0]
		<-seg.ready
		if seg.start > pos && len(seg.entries) > 0 {
			return nil
		}
		a.queue[0] = nil
		a.queue = a.queue[1:]
		a.handOut()
		if seg.start == pos && len(seg.entries) > 0 {
			a.taken++
			return seg
		}
	}
	return nil
}

// close stops the parsers and waits for them: the mapping they read must
// outlive them.
func (a *ahead) close() {
	close(a.stop)
	close(a.jobs)
	a.parsers.Wait()
}

// parse runs on its own goroutine with its own Reader (interned strings
// and buffers are per reader).
func (a *ahead) parse() {
	defer a.parsers.Done()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	r := &Reader{opts: a.opts, interned: map[string]Header{}, recent: new([recentSlots]Header)}
	r.s = &scanner{buf: a.buf, mapped: true, keepPages: true}
	for seg := range a.jobs {
		select {
		case <-a.stop:
			close(seg.ready)
			continue
		default:
		}
		a.segment(r, seg)
		close(seg.ready)
	}
}

// segment parses seg's entries: from its guessed first entry, every entry
// that starts before the next segment's nominal start.
func (a *ahead) segment(r *Reader, seg *segment) {
	s := r.s
	defer func() {
		if v := recover(); v != nil {
			if _, fault := v.(interface{ Addr() uintptr }); !fault {
				panic(v)
			}
			// The file changed under the mapping: the reader meets the
			// same fault and reports it.
		}
	}()
	from := a.first + seg.k*aheadSegment
	until := min(from+aheadSegment, int64(len(a.buf)))
	// place puts the scanner at an entry to parse, reading up to limit.
	place := func(at, limit int64) {
		s.pos, s.end, s.eof, s.nest, s.depth = int(at), int(at), false, a.nest, 0
		s.limit = int(min(limit, int64(len(a.buf))))
	}
	start := from
	if seg.k > 0 {
		start = entryGuess(a.buf, from, until) // placed when tried, below
	} else {
		place(start, until+aheadOverrun) // the array's first element: known
	}
	// Wrong guesses may cost at most a segment's length of parsing.
	budget := aheadSegment
	for start >= 0 && start < until {
		guessing := seg.k > 0 && len(seg.entries) == 0
		if guessing {
			place(start, start+budget)
		}
		e := &Entry{}
		err := r.entry(e)
		if guessing && (err != nil || e.Request.Method == "" && e.Request.URL == "") {
			// Not an entry: a nested object, or a '{' in a string.
			if budget -= max(s.offset()-start, 1); budget <= 0 {
				return
			}
			start = entryGuess(a.buf, start+1, until)
			continue
		}
		if err != nil {
			return
		}
		if guessing {
			s.limit, s.eof = int(min(until+aheadOverrun, int64(len(a.buf)))), false
		}
		if len(seg.entries) == 0 {
			seg.start = start
		}
		seg.entries = append(seg.entries, e)
		seg.end = s.offset()
		c, ok := s.peek()
		if !ok || c != ',' {
			return
		}
		s.pos++
		if c, ok = s.peek(); !ok || c != '{' {
			return
		}
		start = s.offset()
		select {
		case <-a.stop:
			return
		default:
		}
	}
}

// entryGuess is the offset of the first '{' in buf[from:until] that
// follows '}' and ',' (whitespace between), as the entries of an array
// do, or -1.
func entryGuess(buf []byte, from, until int64) int64 {
	for i := from; i < until; i++ {
		j := int64(bytes.IndexByte(buf[i:until], '{'))
		if j < 0 {
			return -1
		}
		j += i
		k := skipSpaceBack(buf, j-1)
		if k >= 0 && buf[k] == ',' {
			if k = skipSpaceBack(buf, k-1); k >= 0 && buf[k] == '}' {
				return j
			}
		}
		i = j
	}
	return -1
}

func skipSpaceBack(b []byte, i int64) int64 {
	for i >= 0 && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i--
	}
	return i
}
