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
