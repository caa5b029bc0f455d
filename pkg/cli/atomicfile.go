package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// writeFileAtomic writes what write writes to path in full or not at all:
// into a temporary file in path's folder, renamed over path once written
// and synced. A run killed half way (SIGKILL, out of memory, a cancelled
// CI job) leaves the previous file as it was, never an empty or cut one.
// Reports, --har-out and any other file corsdiag writes for a user go
// through it.
//
// A symlink's target gets the file and the link stays. A path that is
// no regular file (/dev/null, a FIFO, a terminal), a file descriptor
// (/dev/stdout) or a link that leads nowhere is written into as it is:
// renaming over it would replace the device or the link itself (as root,
// /dev/null and /dev/stdout became regular files).
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	path = target(path)
	if special(path) {
		// Appended: standard output redirected to a file keeps what was
		// printed before; a device or a new file takes it all the same.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o666)
		if err != nil {
			return err
		}
		return writeAndClose(f, write)
	}
	f, err := createTemp(path)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// checkWritable fails when writeFileAtomic could not write path: the
// folder refuses new files, or path is a folder. It runs before any
// request is sent, so a typo costs a second, not a whole run. It leaves
// nothing behind.
func checkWritable(path string) error {
	path = target(path)
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a folder", path)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if special(path) {
		// Written into, not renamed over: its folder (/dev) need not
		// take new files. Opening a FIFO here could block.
		return nil
	}
	f, err := createTemp(path)
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// createTemp makes a new file beside path with the permissions os.Create
// would leave path with: those of the file it replaces, else 0666 less the
// umask (os.CreateTemp's 0600 and a fixed 0644 both differ; a report of
// secrets kept 0600 must stay so).
func createTemp(path string) (*os.File, error) {
	perm, keep := os.FileMode(0o666), false
	if fi, err := os.Stat(path); err == nil {
		perm, keep = fi.Mode().Perm(), true
	}
	for {
		name := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err == nil && keep {
			// The umask applied to a new file, not to the one replaced.
			if err := f.Chmod(perm); err != nil {
				f.Close()
				os.Remove(name)
				return nil, err
			}
		}
		return f, err
	}
}

// target is path with its symlinks resolved, so that the link stays and
// what it leads to gets the file; or path itself when they lead nowhere
// (a file not there yet) or to one of the process's file descriptors
// (/dev/stdout, /proc/self/fd/1), which is written into: to "print" the
// report where the shell sent standard output.
func target(path string) string {
	t, err := filepath.EvalSymlinks(path)
	if err != nil || throughFD(path) {
		return path
	}
	return t
}

// throughFD reports whether path, or a link on the way from it, names a
// file descriptor of the process.
func throughFD(path string) bool {
	for range 40 { // the kernel's limit on links followed
		if fdPath(path) {
			return true
		}
		next, err := os.Readlink(path)
		if err != nil {
			return false
		}
		if !filepath.IsAbs(next) {
			next = filepath.Join(filepath.Dir(path), next)
		}
		path = next
	}
	return false
}

func fdPath(p string) bool {
	if rest, ok := strings.CutPrefix(p, "/proc/"); ok {
		_, fd, _ := strings.Cut(rest, "/")
		return strings.HasPrefix(fd, "fd/")
	}
	return strings.HasPrefix(p, "/dev/fd/")
}

// special: path is a link, or is there and is no regular file or folder
// (a device, a FIFO, a socket).
func special(path string) bool {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return true
	}
	fi, err := os.Stat(path)
	return err == nil && !fi.Mode().IsRegular() && !fi.IsDir()
}

// writeAndClose writes to f and closes it: the first error.
func writeAndClose(f *os.File, write func(io.Writer) error) error {
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
