//go:build unix

package harfile

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// mapFile maps a regular file read-only, or returns nil when it cannot
// (a pipe, a terminal, an empty file, a file already partly read). Reading
// a mapped file skips the kernel's copy into a buffer: about a tenth of
// the time `corsdiag har` spends on a large export.
func mapFile(r io.Reader) []byte {
	f, ok := r.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() < minMapSize || st.Size() != int64(int(st.Size())) {
		return nil
	}
	if off, err := f.Seek(0, io.SeekCurrent); err != nil || off != 0 {
		return nil
	}
	data, err := unix.Mmap(int(f.Fd()), 0, int(st.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil
	}
	return data
}

// releasePages drops consumed pages of the mapping from the process (they
// stay in the page cache), so resident memory does not grow with the file.
func releasePages(b []byte) { _ = unix.Madvise(b, unix.MADV_DONTNEED) }

func unmapFile(b []byte) { _ = unix.Munmap(b) }
