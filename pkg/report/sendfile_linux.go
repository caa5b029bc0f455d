package report

import (
	"errors"
	"os"
	"syscall"
)

// sendFile copies src, from its offset to its end, to dst in the kernel
// (sendfile: no copy through this process; to a pipe, pages are handed
// over). handled is false, with nothing written, when dst takes no
// sendfile (a terminal, a file opened for appending): copy it otherwise.
func sendFile(dst, src *os.File) (handled bool, err error) {
	conn, err := dst.SyscallConn()
	if err != nil {
		return false, nil
	}
	in := int(src.Fd())
	written := int64(0)
	for {
		var n int
		var serr error
		werr := conn.Write(func(fd uintptr) bool {
			n, serr = syscall.Sendfile(int(fd), in, nil, 1<<30)
			return !errors.Is(serr, syscall.EAGAIN)
		})
		switch {
		case serr != nil && written == 0 && (errors.Is(serr, syscall.EINVAL) || errors.Is(serr, syscall.ENOSYS) || errors.Is(serr, syscall.EOPNOTSUPP)):
			return false, nil
		case errors.Is(serr, syscall.EPIPE):
			return true, brokenPipe(dst, serr)
		case serr != nil:
			return true, serr
		case werr != nil:
			return true, werr
		case n == 0:
			return true, nil
		}
		written += int64(n)
	}
}

// brokenPipe handles a sendfile to a pipe nobody reads any more (`| head`).
// Go ends a program by SIGPIPE, silently, when a write through an *os.File
// to standard output or error meets a broken pipe, but sendfile bypasses
// that rule: one byte written the ordinary way applies it, so the JSON
// report ends as the other outputs do. Any other file returns EPIPE.
func brokenPipe(dst *os.File, err error) error {
	if _, werr := dst.Write([]byte{'\n'}); werr != nil {
		return werr
	}
	return err
}
