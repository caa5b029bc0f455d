// Package hartest makes HAR files for the tests and benchmarks of the
// packages that read them (harfile) and render what they find (report).
package hartest

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"
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

// Chrome is WriteChrome's file in memory, for benchmarks on genhar's
// shape.
func Chrome(n, bodyLen int) []byte {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	WriteChrome(w, n, bodyLen) // a bytes.Buffer does not fail
	w.Flush()
	return b.Bytes()
}

// WriteChrome writes genhar's file: n entries shaped like Chrome
// DevTools' "Save all as HAR", base64 bodies of bodyLen bytes, a fifth
// preflights, a tenth failed with net::ERR_FAILED.
func WriteChrome(w *bufio.Writer, n, bodyLen int) error {
	rng := rand.New(rand.NewSource(1))
	raw := make([]byte, bodyLen*3/4)
	rng.Read(raw)
	body := base64.StdEncoding.EncodeToString(raw)[:bodyLen]

	const page = "https://app.example.test"
	fmt.Fprintf(w, `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[{"startedDateTime":"2024-05-01T10:00:00.000Z","id":"page_1","title":"%s/","pageTimings":{"onContentLoad":812.4,"onLoad":1203.77}}],"entries":[`, page)
	start := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		if i > 0 {
			w.WriteString(",")
		}
		kind := "ok"
		switch {
		case i%5 == 1:
			kind = "preflight"
		case i%10 == 2:
			kind = "failed"
		}
		at := start.Add(time.Duration(i) * 37 * time.Millisecond).Format("2006-01-02T15:04:05.000Z")
		url := fmt.Sprintf("https://api%d.example.test/v1/items/%d?page=%d", i%7, i, i%13)
		method, rtype, status, statusText := "PUT", "fetch", 200, "OK"
		if i%3 == 0 {
			method = "GET"
		}
		var reqExtra, respHeaders, content, errField string
		switch kind {
		case "preflight":
			method, rtype, status, statusText = "OPTIONS", "preflight", 204, "No Content"
			reqExtra = `{"name":"Access-Control-Request-Method","value":"PUT"},{"name":"Access-Control-Request-Headers","value":"content-type,x-request-id"},`
			respHeaders = `{"name":"Access-Control-Allow-Origin","value":"` + page + `"},{"name":"Access-Control-Allow-Methods","value":"GET, PUT"},{"name":"Access-Control-Allow-Headers","value":"content-type, x-request-id"},{"name":"Access-Control-Max-Age","value":"600"},{"name":"Vary","value":"Origin"}`
			content = `{"size":0,"mimeType":"x-unknown"}`
		case "failed":
			status, statusText = 0, ""
			content = `{"size":0,"mimeType":"x-unknown"}`
			errField = `,"_error":"net::ERR_FAILED"`
		default:
			respHeaders = `{"name":"Content-Type","value":"application/octet-stream"},{"name":"Access-Control-Allow-Origin","value":"` + page + `"},{"name":"Vary","value":"Origin"},{"name":"Content-Length","value":"30720"}`
			content = fmt.Sprintf(`{"size":%d,"mimeType":"application/octet-stream","text":"%s","encoding":"base64"}`, len(raw), body)
		}
		fmt.Fprintf(w, `{"_initiator":{"type":"script","stack":{"callFrames":[{"functionName":"load","scriptId":"17","url":"%s/app.js","lineNumber":%d,"columnNumber":12}]}},"_priority":"High","_resourceType":"%s","cache":{},"connection":"%d","pageref":"page_1",`, page, i%400, rtype, 1000+i%50)
		fmt.Fprintf(w, `"request":{"method":"%s","url":"%s","httpVersion":"http/2.0","headers":[%s{"name":":authority","value":"api%d.example.test"},{"name":"accept","value":"*/*"},{"name":"content-type","value":"application/json"},{"name":"x-request-id","value":"req-%d"},{"name":"origin","value":"%s"},{"name":"referer","value":"%s/"},{"name":"sec-fetch-mode","value":"cors"},{"name":"sec-fetch-site","value":"same-site"},{"name":"user-agent","value":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"}],"queryString":[{"name":"page","value":"%d"}],"cookies":[],"headersSize":-1,"bodySize":0},`,
			method, url, reqExtra, i%7, i, page, page, i%13)
		fmt.Fprintf(w, `"response":{"status":%d,"statusText":"%s","httpVersion":"http/2.0","headers":[%s],"cookies":[],"content":%s,"redirectURL":"","headersSize":-1,"bodySize":-1,"_transferSize":%d%s},`,
			status, statusText, respHeaders, content, 300+i%900, errField)
		fmt.Fprintf(w, `"serverIPAddress":"192.0.2.%d","startedDateTime":"%s","time":%.6f,"timings":{"blocked":%.6f,"dns":-1,"ssl":-1,"connect":-1,"send":0.119,"wait":%.6f,"receive":%.6f,"_blocked_queueing":0.84}}`,
			i%250, at, 20+rng.Float64()*80, rng.Float64()*3, 15+rng.Float64()*60, rng.Float64()*5)
	}
	_, err := w.WriteString(`]}}`)
	return err
}

// CorpusDir is the shared corpus of real HAR exports, which is never
// copied into the repository: $CORSDIAG_HAR_CORPUS, else shared/har-corpus
// in the nearest folder above the test's (beside the repository, or beside
// the folder of its worktrees). "" when there is none: the test skips.
func CorpusDir() string {
	if dir := os.Getenv("CORSDIAG_HAR_CORPUS"); dir != "" {
		return dir
	}
	dir, err := os.Getwd()
	for err == nil {
		c := filepath.Join(dir, "shared", "har-corpus")
		if _, serr := os.Stat(filepath.Join(c, "README.md")); serr == nil {
			return c
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return ""
}
