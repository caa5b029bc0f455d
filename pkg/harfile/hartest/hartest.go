// Package hartest makes HAR files for the tests and benchmarks of the
// packages that read them (harfile) and render what they find (report).
package hartest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Generate is a Chrome-style file like genhar's, small enough for memory:
// n entries, base64 bodies of bodyLen bytes, a fifth preflights, a tenth
// failed with net::ERR_FAILED.
func Generate(n, bodyLen int) []byte {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	body := bytes.Repeat([]byte("QUJD"), bodyLen/4)
	w.WriteString(`{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[{"id":"page_1","title":"https://app.test/"}],"entries":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			w.WriteByte(',')
		}
		switch {
		case i%5 == 1:
			fmt.Fprintf(w, `{"pageref":"page_1","_resourceType":"preflight","startedDateTime":"2024-05-01T10:00:00.%03dZ","time":1.25,"request":{"method":"OPTIONS","url":"https://api.test/items/%d","headers":[{"name":"Origin","value":"https://app.test"},{"name":"Access-Control-Request-Method","value":"PUT"},{"name":"Access-Control-Request-Headers","value":"content-type"}]},"response":{"status":204,"headers":[{"name":"Access-Control-Allow-Origin","value":"https://app.test"},{"name":"Access-Control-Allow-Methods","value":"PUT"},{"name":"Access-Control-Allow-Headers","value":"content-type"}],"content":{"size":0}},"timings":{"send":0.1,"wait":1.1,"receive":0.05}}`, i%1000, i+1)
		case i%10 == 2:
			fmt.Fprintf(w, `{"pageref":"page_1","_resourceType":"fetch","startedDateTime":"2024-05-01T10:00:00.%03dZ","time":-1,"request":{"method":"GET","url":"https://api.test/items/%d","headers":[{"name":"Origin","value":"https://app.test"},{"name":"Sec-Fetch-Mode","value":"cors"}]},"response":{"status":0,"headers":[],"content":{"size":0},"_error":"net::ERR_FAILED"},"timings":{"send":0,"wait":-1,"receive":-1}}`, i%1000, i)
		default:
			fmt.Fprintf(w, `{"pageref":"page_1","_resourceType":"fetch","startedDateTime":"2024-05-01T10:00:00.%03dZ","time":3.5,"request":{"method":"PUT","url":"https://api.test/items/%d","headers":[{"name":"Origin","value":"https://app.test"},{"name":"Sec-Fetch-Mode","value":"cors"},{"name":"Content-Type","value":"application/json"}]},"response":{"status":200,"headers":[{"name":"Access-Control-Allow-Origin","value":"https://app.test"},{"name":"Vary","value":"Origin"}],"content":{"size":%d,"text":"%s","encoding":"base64"}},"timings":{"send":0.1,"wait":3.1,"receive":0.3}}`, i%1000, i, bodyLen, body)
		}
	}
	w.WriteString(`]}}`)
	w.Flush()
	return b.Bytes()
}

// Conformance is testdata/har/chromium-conformance.har: a real Chromium
// recording with redirects, preflights, credentialed requests and
// failures. Tests run in their package's folder; the repository's root is
// the nearest one above holding go.mod.
func Conformance(tb testing.TB) []byte {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("hartest: no go.mod above the test's folder")
		}
		dir = parent
	}
	data, err := os.ReadFile(filepath.Join(dir, "testdata", "har", "chromium-conformance.har"))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}
