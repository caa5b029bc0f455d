// Command genhar writes a large Chrome-style HAR file for the har reader's
// speed and memory benchmark (pkg/harfile/bench/run.sh).
//
// The shape follows Chrome DevTools' "Save all as HAR": fractional
// millisecond timings, `_initiator`, `_resourceType`, preflights as their
// own entries (a fifth of them), failed CORS requests as status 0 with
// `_error: net::ERR_FAILED` (a tenth), and base64 response bodies.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
)

func main() {
	out := flag.String("o", "", "output file (default stdout)")
	entries := flag.Int("entries", 20000, "number of entries")
	bodyKB := flag.Int("body-kb", 40, "base64 body size of each successful response, in KiB")
	flag.Parse()

	w := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "genhar:", err)
			os.Exit(2)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := hartest.WriteChrome(bw, *entries, *bodyKB*1024); err != nil {
		fmt.Fprintln(os.Stderr, "genhar:", err)
		os.Exit(1)
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "genhar:", err)
		os.Exit(1)
	}
}
