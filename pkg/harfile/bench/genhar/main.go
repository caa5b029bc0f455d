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
	"encoding/base64"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"time"
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
	if err := generate(bw, *entries, *bodyKB*1024); err != nil {
		fmt.Fprintln(os.Stderr, "genhar:", err)
		os.Exit(1)
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "genhar:", err)
		os.Exit(1)
	}
}

func generate(w *bufio.Writer, n, bodyLen int) error {
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
