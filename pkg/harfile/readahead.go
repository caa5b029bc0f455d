package harfile

import "io"

// Decompressing a .har.gz (or a zipped HAR) costs about as much CPU as
// parsing what comes out, and both ran on the reader's goroutine, one
// after the other. readAhead decompresses on a goroutine of its own, a few
// chunks ahead of the scanner, so the two run on two cores. Memory stays
// flat: readAheadChunks buffers of readAheadChunk bytes.
const (
	readAheadChunk  = 256 << 10
	readAheadChunks = 4
)

type chunk struct {
	b   []byte
	err error // after b: io.EOF, or what went wrong
}

// aheadReader hands on, in order, the chunks its goroutine read from r.
type aheadReader struct {
	full chan chunk
	free chan []byte
	stop chan struct{}
	done chan struct{} // closed when the goroutine has returned
	cur  chunk
	buf  []byte // the buffer cur.b lies in, returned to free once read
}

func newAheadReader(r io.Reader) *aheadReader {
	a := &aheadReader{
		full: make(chan chunk, readAheadChunks),
		free: make(chan []byte, readAheadChunks),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	for range readAheadChunks {
		a.free <- make([]byte, readAheadChunk)
	}
	go a.fill(r)
	return a
}

// fill runs on its own goroutine until r ends or fails, or stop closes.
func (a *aheadReader) fill(r io.Reader) {
	defer close(a.done)
	for {
		var buf []byte
		select {
		case buf = <-a.free:
		case <-a.stop:
			return
		}
		// A whole chunk per hand-off: decompressors return a few KiB a
		// call, and each hand-off wakes the scanner.
		n, err, empty := 0, error(nil), 0
		for n < len(buf) && err == nil {
			var m int
			m, err = r.Read(buf[n:])
			n += m
			if empty = empty + 1; m > 0 {
				empty = 0
			} else if empty == 100 && err == nil {
				err = io.ErrNoProgress
			}
		}
		select {
		case a.full <- chunk{b: buf[:n], err: err}:
		case <-a.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

func (a *aheadReader) Read(p []byte) (int, error) {
	for len(a.cur.b) == 0 {
		if a.cur.err != nil {
			return 0, a.cur.err
		}
		if a.buf != nil {
			a.free <- a.buf
		}
		a.cur = <-a.full
		a.buf = a.cur.b[:cap(a.cur.b)]
	}
	n := copy(p, a.cur.b)
	a.cur.b = a.cur.b[n:]
	return n, nil
}

// close stops the goroutine; it may still finish a read of r already
// begun, and then exits without touching the reader's buffers.
func (a *aheadReader) close() { close(a.stop) }
