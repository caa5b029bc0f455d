package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeFileAtomic writes what write writes to path in full or not at all:
// into a temporary file in path's folder, renamed over path once written
// and synced. A run killed half way (SIGKILL, out of memory, a cancelled
// CI job) leaves the previous file as it was, never an empty or cut one.
// Reports, --har-out and any other file corsdiag writes for a user go
// through it.
//
// A path that is there and no regular file (/dev/stdout, /dev/null, a
// FIFO) is written into as it is: renaming over it would replace the
// device itself (as root, /dev/null became a regular file).
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	if special(path) {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		return writeAndClose(f, write)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	// CreateTemp makes the file private; a report is as readable as
	// os.Create would make it.
	if err := f.Chmod(0o644); err != nil {
		return err
	}
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
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// special: path is there and is no regular file or folder (a device, a
// FIFO, a socket; /dev/stdout through its symlink).
func special(path string) bool {
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
