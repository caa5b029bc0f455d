//go:build !unix

package harfile

import "io"

// mapFile: without mmap the scanner reads the file.
func mapFile(io.Reader) []byte { return nil }

func releasePages([]byte) {}

func unmapFile([]byte) {}
