package harfile

import (
	"encoding/binary"
	"errors"
	"io"
	"math/bits"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

// Options tune the reader.
type Options struct {
	// BodyLimit is how many bytes of a text (not base64) response body or
	// request body to keep; 0 keeps none. Longer bodies are skipped unread.
	BodyLimit int
	// MaxPages caps the pages kept (default 100000).
	MaxPages int
}

// Reader streams the entries of one HAR file.
type Reader struct {
	s    *scanner
	opts Options
	// interned holds header names and short values already seen: a HAR
	// file repeats them in every entry. Names carry their canonical key.
	interned map[string]Header
	// recent is a direct-mapped cache in front of interned: most lookups
	// find a name or value met an entry ago, without hashing all of it and
	// probing the map.
	recent *[recentSlots]Header
	// text holds the response body being read (its first BodyLimit bytes).
	text []byte
	// pairBuf collects a header list (pairs); kept when at most
	// maxPairBuf long, so a hostile list does not stay in memory.
	pairBuf []Header
	// ahead parses the entries of a large mapped file on every core.
	ahead         *ahead
	segmentsTaken int
	// Log fills in as the file is read: pages before the entries are known
	// when the first entry arrives.
	Log Log
}

// NewReader reads HAR from r.
func NewReader(r io.Reader, opts Options) *Reader {
	if opts.MaxPages == 0 {
		opts.MaxPages = 100000
	}
	return &Reader{s: newScanner(r), opts: opts, interned: map[string]Header{}, recent: new([recentSlots]Header)}
}

const (
	maxInterned    = 4096
	maxInternedLen = 64
	maxPairBuf     = 256
	recentBits     = 9
	recentSlots    = 1 << recentBits
)

// recentSlot is where b may be cached in Reader.recent: a hash of its
// length and its first and last eight bytes, which tell apart the names and
// values of a HAR file (x-request-id values differ at the end).
func recentSlot(b []byte) int {
	n := len(b)
	var x uint64
	if n >= 8 {
		x = binary.LittleEndian.Uint64(b) ^ bits.RotateLeft64(binary.LittleEndian.Uint64(b[n-8:]), 29)
	} else {
		for _, c := range b {
			x = x<<8 | uint64(c)
		}
	}
	x = (x ^ uint64(n)) * 0x9E3779B97F4A7C15
	return int(x >> (64 - recentBits))
}

// intern returns b as a string, shared with earlier equal strings; for a
// header name (name set) the canonical key comes with it.
func (r *Reader) intern(b []byte, name bool) Header {
	if len(b) > maxInternedLen {
		return Header{Name: string(b)}
	}
	slot := &r.recent[recentSlot(b)]
	if slot.Name == string(b) && (!name || slot.key != "") {
		return *slot
	}
	h, ok := r.interned[string(b)]
	if !ok || name && h.key == "" {
		h = Header{Name: string(b)}
		if name {
			h.key, h.lower = http.CanonicalHeaderKey(h.Name), strings.ToLower(h.Name)
		}
		if len(r.interned) < maxInterned {
			r.interned[h.Name] = h
		}
	}
	*slot = h
	return h
}

// closeAhead stops reading ahead.
func (r *Reader) closeAhead() {
	if r.ahead != nil {
		r.ahead.close()
		r.segmentsTaken += r.ahead.taken
		r.ahead = nil
	}
}

// shortStr is scanner.str for a value that repeats from entry to entry
// (a method, a MIME type, a page id, the initiator's script): interned
// like header names instead of allocated for every entry.
func (r *Reader) shortStr() (string, error) {
	v, err := r.s.strBytes(maxStringLen)
	return r.intern(v, false).Name, err
}

// ErrStop, returned by the callback of ReadEntries, ends reading early
// without an error.
var ErrStop = errors.New("harfile: stop")

// ReadEntries reads the whole file, calling fn for every entry in file
// order; fn may keep the entry. A file that is not HAR, or is cut off,
// gives a *SyntaxError naming the byte offset and line; the entries before
// the damage have already been passed to fn.
func (r *Reader) ReadEntries(fn func(e *Entry) error) (err error) {
	s := r.s
	if u, ok := s.r.(*unpackReader); ok && !s.mapped && !s.eof {
		// Decompressing runs on its own goroutine, beside parsing.
		ra := newAheadReader(u)
		defer ra.close()
		s.r = ra
	}
	if s.mapped {
		defer s.close()
		defer r.closeAhead()
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		defer s.catchFault(&err)
	}
	c, ok := s.peek()
	if !ok {
		if s.rerr != nil {
			return s.errAt("a HAR file")
		}
		return s.errEmpty("a HAR file (a JSON object with a \"log\" key)")
	}
	if c != '{' {
		return s.errAt("'{' at the start of a HAR file (a JSON object with a \"log\" key)")
	}
	sawLog := false
	err = s.objectBody(func(key []byte) error {
		if string(key) != "log" {
			return s.skipValue()
		}
		sawLog = true
		if k := s.kind(); k != '{' {
			return s.errAt("an object as the value of \"log\"")
		}
		return s.objectBody(func(key []byte) error { return r.logField(key, fn) })
	})
	if errors.Is(err, ErrStop) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, ok := s.peek(); ok {
		return s.errAt("the end of the file after the HAR object")
	}
	if s.rerr != nil {
		return s.errAt("the end of the file")
	}
	if !sawLog {
		se := s.errAt("a \"log\" key in the top-level object")
		se.Found = "an object without one"
		return se
	}
	return nil
}

func (r *Reader) logField(key []byte, fn func(*Entry) error) error {
	s := r.s
	switch string(key) {
	case "version":
		v, err := s.str()
		r.Log.Version = v
		return err
	case "creator":
		return r.creator(&r.Log.Creator)
	case "browser":
		return r.creator(&r.Log.Browser)
	case "pages":
		return s.array(func(int) error {
			var p Page
			err := s.object(func(key []byte) error {
				var err error
				switch string(key) {
				case "id":
					p.ID, err = s.str()
				case "title":
					p.Title, err = s.str()
				case "startedDateTime":
					var raw string
					raw, err = s.str()
					p.Started, _ = parseTime(raw)
				default:
					err = s.skipValue()
				}
				return err
			})
			if err == nil && len(r.Log.Pages) < r.opts.MaxPages {
				r.Log.Pages = append(r.Log.Pages, p)
			}
			return err
		})
	case "entries":
		r.Log.HasEntries = true
		r.readTrailer()
		switch s.kind() {
		case '[', 'n':
		default:
			return s.errAt("an array of entries")
		}
		return s.array(func(i int) error {
			if i == 0 && r.ahead == nil {
				r.startAhead()
			}
			if r.ahead != nil {
				if seg := r.ahead.take(s.offset()); seg != nil {
					for _, e := range seg.entries {
						e.Index = r.Log.Entries
						r.Log.Entries++
						if err := fn(e); err != nil {
							return err
						}
					}
					s.jump(seg.end)
					return nil
				}
			}
			e := &Entry{Index: r.Log.Entries}
			if err := r.entry(e); err != nil {
				s.indexShift = r.Log.Entries - i
				return err
			}
			r.Log.Entries++
			return fn(e)
		})
	}
	return s.skipValue()
}

func (r *Reader) creator(c *Creator) error {
	s := r.s
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "name":
			c.Name, err = s.str()
		case "version":
			c.Version, err = s.str()
		default:
			err = s.skipValue()
		}
		return err
	})
}

func (r *Reader) entry(e *Entry) error {
	s := r.s
	// Tolerance stops here: a number, string, array or boolean in the
	// entries array is no exporter's quirk but a damaged file, and
	// counting it as a request would report one that was never made.
	switch s.kind() {
	case '{', 'n', 0:
	default:
		return s.errAt("an entry (an object)")
	}
	e.Response.Missing = true
	var entryError string
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "pageref":
			e.Pageref, err = r.shortStr()
		case "startedDateTime":
			e.StartedRaw, err = s.str()
			if t, ok := parseTime(e.StartedRaw); ok {
				e.Started, e.StartedRaw = t, ""
			}
		case "time":
			e.Time, err = s.num(-1)
		case "request":
			err = r.request(&e.Request)
		case "response":
			if s.kind() == '{' {
				e.Response.Missing = false
			}
			err = r.response(&e.Response)
		case "timings":
			err = r.timings(&e.Timings)
		case "_resourceType":
			e.ResourceType, err = r.shortStr()
		case "_initiator":
			err = r.initiator(&e.Initiator)
		case "serverIPAddress":
			e.ServerIP, err = r.shortStr()
		case "_fromCache":
			e.FromCache, err = r.shortStr()
		case "_error", "_failureText":
			entryError, err = r.shortStr()
		case "_corsdiagPurpose":
			e.Purpose, err = r.shortStr()
		case "_corsdiagCredentials":
			e.Credentials, err = s.boolean()
		default:
			err = s.skipValue()
		}
		return err
	})
	if e.Response.Error == "" {
		e.Response.Error = entryError
	}
	return err
}

func (r *Reader) request(q *Request) error {
	s := r.s
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "method":
			q.Method, err = r.shortStr()
		case "url":
			q.URL, err = s.str()
		case "httpVersion":
			q.HTTPVersion, err = r.shortStr()
		case "headers":
			q.Headers, q.HeadersDropped, err = r.pairs(q.Headers[:0])
		case "cookies":
			q.Cookies, err = r.cookies()
		case "postData":
			if s.kind() != '{' {
				return s.skipValue()
			}
			q.PostData = &PostData{}
			err = s.object(func(key []byte) error {
				var err error
				switch string(key) {
				case "mimeType":
					q.PostData.MimeType, err = r.shortStr()
				case "text":
					var n int
					q.PostData.Text, n, err = r.body()
					q.PostData.TextSize = n
				default:
					err = s.skipValue()
				}
				return err
			})
		default:
			err = s.skipValue()
		}
		return err
	})
}

func (r *Reader) response(p *Response) error {
	s := r.s
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "status":
			var f float64
			f, err = s.num(0)
			p.Status = int(f)
		case "statusText":
			p.StatusText, err = r.shortStr()
		case "httpVersion":
			p.HTTPVersion, err = r.shortStr()
		case "headers":
			p.Headers, p.HeadersDropped, err = r.pairs(p.Headers[:0])
		case "cookies":
			p.Cookies, err = r.cookies()
		case "redirectURL":
			p.RedirectURL, err = r.shortStr()
		case "_error", "_failureText":
			p.Error, err = r.shortStr()
		case "_fetchedViaServiceWorker":
			p.FromServiceWorker, err = s.boolean()
		case "content":
			hasText := false
			err = s.object(func(key []byte) error {
				var err error
				switch string(key) {
				case "size":
					var f float64
					f, err = s.num(-1)
					p.Content.Size = int64(f)
				case "mimeType":
					p.Content.MimeType, err = r.shortStr()
				case "encoding":
					p.Content.Encoding, err = r.shortStr()
				case "text":
					// Kept in the reader's buffer until the encoding is
					// known (it often follows the text).
					r.text, p.Content.TextSize, err = r.bodyBytes(r.text[:0])
					hasText = true
				default:
					err = s.skipValue()
				}
				return err
			})
			if hasText && p.Content.Encoding == "" {
				// A base64 prefix tells a diagnosis nothing: only plain
				// text is copied out.
				p.Content.Text = append([]byte{}, r.text...)
			}
		default:
			err = s.skipValue()
		}
		return err
	})
}

// body keeps the first BodyLimit bytes of a body and skips the rest; it
// returns the kept text and the full decoded length when known (the length
// of the kept part otherwise).
func (r *Reader) body() (string, int, error) {
	v, n, err := r.bodyBytes(r.s.val[:0])
	r.s.val = v
	return string(v), n, err
}

// bodyBytes is body appending to dst.
func (r *Reader) bodyBytes(dst []byte) ([]byte, int, error) {
	s := r.s
	if s.kind() != '"' {
		v, err := s.strBytes(maxStringLen)
		dst = append(dst, v...)
		return dst, len(dst), err
	}
	if r.opts.BodyLimit <= 0 {
		start := s.offset()
		_, err := s.readString(nil, false, 0)
		return dst, int(s.offset()-start) - 2, err
	}
	dst, err := s.readString(dst, true, r.opts.BodyLimit)
	return dst, len(dst), err
}

// MaxHeaders caps the headers kept per request or response. Chromium
// refuses a response whose headers pass 256 KiB (ERR_RESPONSE_HEADERS_TOO_BIG),
// at most about 43,000 of the shortest lines, so a recording never holds
// more; a hostile file with a million headers in one entry must not need
// gigabytes. The rest are read, counted and dropped.
const MaxHeaders = 50000

// pairs reads an array of {name, value} objects. Values may be arrays
// (Polly.JS), numbers or null. It keeps at most MaxHeaders of them and
// returns how many it dropped.
func (r *Reader) pairs(out []Header) ([]Header, int, error) {
	s := r.s
	dropped := 0
	// Collected in a reused buffer, then copied out at their final size:
	// growing each entry's list by appending cost more than reading it.
	buf := r.pairBuf[:0]
	err := s.array(func(int) error {
		if len(out)+len(buf) >= MaxHeaders {
			dropped++
			return s.skipValue()
		}
		if name, value, ok := s.flatPair(); ok {
			if len(name) > 0 {
				n := r.intern(name, true)
				buf = append(buf, Header{Name: n.Name, key: n.key, lower: n.lower, Value: r.intern(value, false).Name})
			}
			return nil
		}
		var h Header
		err := s.object(func(key []byte) error {
			var err error
			var v []byte
			switch string(key) {
			case "name":
				v, err = s.strBytes(maxStringLen)
				n := r.intern(v, true)
				h.Name, h.key, h.lower = n.Name, n.key, n.lower
			case "value":
				// Values repeat across entries too (content types, origins).
				v, err = s.strBytes(maxStringLen)
				h.Value = r.intern(v, false).Name
			default:
				err = s.skipValue()
			}
			return err
		})
		if h.Name != "" {
			buf = append(buf, h)
		}
		return err
	})
	out = append(out, buf...)
	clear(buf)
	if cap(buf) <= maxPairBuf {
		r.pairBuf = buf[:0]
	}
	return out, dropped, err
}

// cookies reads a cookie array; Internet Explorer 11 writes a single cookie
// object instead.
func (r *Reader) cookies() ([]Cookie, error) {
	s := r.s
	var out []Cookie
	one := func() error {
		var c Cookie
		err := s.object(func(key []byte) error {
			var err error
			switch string(key) {
			case "name":
				c.Name, err = s.str()
			case "value":
				c.Value, err = s.str()
			default:
				err = s.skipValue()
			}
			return err
		})
		if c.Name != "" || c.Value != "" {
			out = append(out, c)
		}
		return err
	}
	if s.kind() == '{' {
		return out, one()
	}
	return out, s.array(func(int) error { return one() })
}

func (r *Reader) timings(t *Timings) error {
	s := r.s
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "blocked":
			t.Blocked, err = s.num(-1)
		case "dns":
			t.DNS, err = s.num(-1)
		case "connect":
			t.Connect, err = s.num(-1)
		case "ssl":
			t.SSL, err = s.num(-1)
		case "send":
			t.Send, err = s.num(-1)
		case "wait":
			t.Wait, err = s.num(-1)
		case "receive":
			t.Receive, err = s.num(-1)
		default:
			err = s.skipValue()
		}
		return err
	})
}

func (r *Reader) initiator(in *Initiator) error {
	s := r.s
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "type":
			in.Type, err = r.shortStr()
		case "url":
			in.URL, err = r.shortStr()
		case "requestId":
			in.RequestID, err = s.str()
		default:
			// The stack can be large; it is not needed.
			err = s.skipValue()
		}
		return err
	})
}

// timeLayouts are the startedDateTime forms exporters write: ISO 8601 with
// Z or an offset and 0 to 9 fractional digits (Fiddler writes 7), and
// RFC 1123 (Charles cookies).
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999", time.RFC1123, time.RFC1123Z}

func parseTime(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
