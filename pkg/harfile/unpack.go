package harfile

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// Packing says how a HAR file came: as it is, gzip-compressed, or as an
// entry of a zip archive (support tickets and chat tools ask for one).
type Packing struct {
	Format string // "", "gzip" or "zip"
	Member string // the zip entry read
}

// Unpack returns what reads the HAR text in r: r itself when it is plain
// (a regular file stays mappable), the decompressed stream of a gzip file,
// or the one HAR entry of a zip archive. It tells them apart by their
// first bytes, not by the name. A zip archive needs random access: a
// regular file (standard input redirected from one is).
func Unpack(r io.Reader) (io.Reader, Packing, error) {
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			return unpackFile(f, st.Size())
		}
		growPipe(f) // the scanner no longer sees the file under the wrapper
	}
	// A 16-byte buffer (bufio's least): once the magic bytes are read,
	// the scanner's large reads go straight to r.
	br := bufio.NewReaderSize(r, 16)
	head, _ := br.Peek(4)
	switch formatOf(head) {
	case "gzip":
		return gunzip(br)
	case "zip":
		return nil, Packing{Format: "zip"}, errors.New("it is a zip archive, which is read from a file only: pass its path, or unzip it first (unzip -p ARCHIVE.zip NAME.har | corsdiag har -)")
	}
	return br, Packing{}, nil
}

func formatOf(head []byte) string {
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		return "gzip"
	case len(head) >= 4 && string(head[:4]) == "PK\x03\x04", len(head) >= 4 && string(head[:4]) == "PK\x05\x06":
		return "zip"
	}
	return ""
}

func unpackFile(f *os.File, size int64) (io.Reader, Packing, error) {
	off, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return f, Packing{}, nil
	}
	var head [4]byte
	n, _ := f.ReadAt(head[:], off)
	switch formatOf(head[:n]) {
	case "gzip":
		return gunzip(bufio.NewReaderSize(f, 256<<10))
	case "zip":
		return unzip(io.NewSectionReader(f, off, size-off), size-off)
	}
	return f, Packing{}, nil
}

func gunzip(r io.Reader) (io.Reader, Packing, error) {
	p := Packing{Format: "gzip"}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, p, packingError("gzip", err)
	}
	return &unpackReader{r: zr, format: "gzip"}, p, nil
}

// maxZipDirectory bounds the central directory archive/zip reads into
// memory (about 40 bytes and the name per entry): a HAR's archive holds a
// few entries, a hostile one millions.
const maxZipDirectory = 1 << 20

func unzip(r io.ReaderAt, size int64) (io.Reader, Packing, error) {
	p := Packing{Format: "zip"}
	if dir, err := zipDirectorySize(r, size); err != nil {
		return nil, p, packingError("zip", err)
	} else if dir > maxZipDirectory {
		return nil, p, fmt.Errorf("the zip archive's directory is %d bytes, more than the %d read: unzip it and pass the HAR file inside", dir, maxZipDirectory)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, p, packingError("zip", err)
	}
	var hars, files []*zip.File
	for _, f := range zr.File {
		// Directories, and the resource forks macOS adds (__MACOSX/._x.har).
		if f.Mode().IsDir() || strings.HasPrefix(f.Name, "__MACOSX/") || strings.HasPrefix(path.Base(f.Name), "._") {
			continue
		}
		files = append(files, f)
		if strings.HasSuffix(strings.ToLower(f.Name), ".har") {
			hars = append(hars, f)
		}
	}
	if len(hars) == 0 && len(files) == 1 {
		hars = files
	}
	switch {
	case len(hars) == 0:
		return nil, p, fmt.Errorf("the zip archive holds no .har file (%s)", zipNames(files))
	case len(hars) > 1:
		return nil, p, fmt.Errorf("the zip archive holds %d .har files (%s): unzip -p ARCHIVE.zip NAME.har | corsdiag har - reads one", len(hars), zipNames(hars))
	}
	p.Member = hars[0].Name
	if hars[0].Flags&1 != 0 {
		return nil, p, fmt.Errorf("the zip entry %s is encrypted: unzip it with its password and pass the HAR file", p.Member)
	}
	rc, err := hars[0].Open()
	if err != nil {
		return nil, p, packingError("zip", err)
	}
	return &unpackReader{r: rc, format: "zip"}, p, nil
}

func zipNames(fs []*zip.File) string {
	if len(fs) == 0 {
		return "it is empty"
	}
	var b strings.Builder
	for i, f := range fs {
		if i == 5 {
			fmt.Fprintf(&b, ", and %d more", len(fs)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.Name)
	}
	return b.String()
}

// zipDirectorySize reads the size of a zip archive's central directory
// from its end records (zip64's too), before archive/zip reads it whole.
func zipDirectorySize(r io.ReaderAt, size int64) (int64, error) {
	const eocdLen, locatorLen, maxComment = 22, 20, 0xffff
	tail := min(size, eocdLen+maxComment)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, err
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < eocdLen {
		return 0, zip.ErrFormat
	}
	dir := int64(binary.LittleEndian.Uint32(buf[i+12:]))
	if dir != 0xffffffff {
		return dir, nil
	}
	// zip64: the locator just before the record points at zip64's own.
	loc := make([]byte, locatorLen)
	at := size - tail + int64(i) - locatorLen
	if at < 0 {
		return 0, zip.ErrFormat
	}
	if _, err := r.ReadAt(loc, at); err != nil || string(loc[:4]) != "PK\x06\x07" {
		return 0, zip.ErrFormat
	}
	rec := make([]byte, 56)
	recAt := int64(binary.LittleEndian.Uint64(loc[8:]))
	if recAt < 0 || recAt > size-int64(len(rec)) {
		return 0, zip.ErrFormat
	}
	if _, err := r.ReadAt(rec, recAt); err != nil || string(rec[:4]) != "PK\x06\x06" {
		return 0, zip.ErrFormat
	}
	return int64(min(binary.LittleEndian.Uint64(rec[40:]), 1<<62)), nil
}

// unpackReader says what went wrong decompressing in words: the reader
// reports it with the offset reached in the HAR text.
type unpackReader struct {
	r      io.Reader
	format string
}

func (u *unpackReader) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	if err != nil && err != io.EOF {
		err = packingError(u.format, err)
	}
	return n, err
}

// packingError names what is wrong with the compressed data.
func packingError(format string, err error) error {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("the %s data is cut off (the compressed file is incomplete)", format)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, zip.ErrChecksum):
		return fmt.Errorf("the %s data is damaged (its checksum does not match)", format)
	case errors.As(err, &corrupt):
		return fmt.Errorf("the %s data is damaged at byte %d of the compressed stream", format, int64(corrupt))
	case errors.Is(err, gzip.ErrHeader):
		return fmt.Errorf("the %s data is damaged (a member's header is not gzip's)", format)
	case errors.Is(err, zip.ErrAlgorithm):
		return fmt.Errorf("the %s entry uses a compression method other than deflate: unzip it and pass the HAR file inside", format)
	case errors.Is(err, zip.ErrFormat):
		return fmt.Errorf("the %s archive is damaged (not a valid zip file)", format)
	}
	return fmt.Errorf("%s: %w", format, err)
}
