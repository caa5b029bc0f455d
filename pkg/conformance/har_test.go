package conformance

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The HAR written by -record-har follows HAR 1.2 with Chrome DevTools'
// extensions (front_end/models/har/Log.ts): _resourceType, _initiator,
// _priority, response._error and _transferSize. Like Chrome's export it
// keeps the real status and headers of a response the browser received but
// blocked, status 0 for a request that never got one (the actual request
// after a failed preflight), and one entry per redirect hop.

type harLog struct {
	Log harBody `json:"log"`
}

type harBody struct {
	Version string      `json:"version"`
	Creator harCreator  `json:"creator"`
	Browser harCreator  `json:"browser"`
	Pages   []harPage   `json:"pages"`
	Entries []*harEntry `json:"entries"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harPage struct {
	StartedDateTime string         `json:"startedDateTime"`
	ID              string         `json:"id"`
	Title           string         `json:"title"`
	PageTimings     map[string]any `json:"pageTimings"`
}

type harEntry struct {
	Initiator       map[string]any `json:"_initiator"`
	Priority        string         `json:"_priority"`
	ResourceType    string         `json:"_resourceType"`
	FromCache       string         `json:"_fromCache,omitempty"`
	Cache           struct{}       `json:"cache"`
	Pageref         string         `json:"pageref"`
	Request         harRequest     `json:"request"`
	Response        harResponse    `json:"response"`
	ServerIPAddress string         `json:"serverIPAddress"`
	StartedDateTime string         `json:"startedDateTime"`
	Time            float64        `json:"time"`
	Timings         harTimings     `json:"timings"`
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harRequest struct {
	Method      string       `json:"method"`
	URL         string       `json:"url"`
	HTTPVersion string       `json:"httpVersion"`
	Headers     []harNV      `json:"headers"`
	QueryString []harNV      `json:"queryString"`
	Cookies     []harNV      `json:"cookies"`
	HeadersSize int          `json:"headersSize"`
	BodySize    int          `json:"bodySize"`
	PostData    *harPostData `json:"postData,omitempty"`
}

type harPostData struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

type harResponse struct {
	Status       int64      `json:"status"`
	StatusText   string     `json:"statusText"`
	HTTPVersion  string     `json:"httpVersion"`
	Headers      []harNV    `json:"headers"`
	Cookies      []harNV    `json:"cookies"`
	Content      harContent `json:"content"`
	RedirectURL  string     `json:"redirectURL"`
	HeadersSize  int        `json:"headersSize"`
	BodySize     int        `json:"bodySize"`
	TransferSize int        `json:"_transferSize"`
	Error        *string    `json:"_error"`
	// FromServiceWorker: DevTools writes it on every response (Log.ts).
	FromServiceWorker bool `json:"_fetchedViaServiceWorker"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

type harTimings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	SSL     float64 `json:"ssl"`
	Connect float64 `json:"connect"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// harExpected is one line of the sidecar: what Chromium did with the request
// script made to URL.
type harExpected struct {
	Scenario        string `json:"scenario"`
	URL             string `json:"url"`
	Origin          string `json:"origin"` // the page's origin
	Method          string `json:"method"`
	Outcome         string `json:"outcome"` // allowed | blocked
	Status          int    `json:"status,omitempty"`
	CorsError       string `json:"corsError,omitempty"`
	FailedParameter string `json:"failedParameter,omitempty"`
	NetError        string `json:"netError,omitempty"`
	Console         string `json:"console,omitempty"`
	Preflight       bool   `json:"preflight"`
}

// maxHARBody is the largest body kept in the HAR; longer ones are dropped
// with a comment, to keep the recorded file small.
const maxHARBody = 1024

// writeHAR writes the Chromium run as a HAR at path and the sidecar next to
// it (<name>.expected.json for <name>.har).
func writeHAR(t *testing.T, path string, c *chromium, srv *Server, scenarios []Scenario, chrome map[string]*chromeOutcome, nonces map[string]string) {
	t.Helper()
	var entries []*harEntry
	var expected []harExpected
	var first time.Time
	seenKind := map[string]bool{}
	for _, sc := range scenarios {
		// One scenario per kind of outcome keeps the file small and still
		// holds every shape Chromium produced.
		kind := harKind(sc, chrome[sc.Name])
		if seenKind[kind] && !*harAll {
			continue
		}
		seenKind[kind] = true
		marker := srv.Marker(sc.Name, nonces[sc.Name])
		for _, rec := range c.rec.records(marker) {
			es, body := harEntries(rec)
			if body != nil {
				body.Response.Content = responseContent(c, rec, body.Response.Content.MimeType)
			}
			if len(es) > 0 && (first.IsZero() || parseHARTime(es[0].StartedDateTime).Before(first)) {
				first = parseHARTime(es[0].StartedDateTime)
			}
			entries = append(entries, es...)
		}
		o := chrome[sc.Name]
		if o.Main == nil {
			continue // fetch() refused before any request (a forbidden method)
		}
		e := harExpected{
			Scenario: sc.Name, URL: o.Main.URL(), Origin: strings.TrimSuffix(c.pageURL, "/"), Method: o.Main.Sent[0].Request.Method,
			Outcome: "allowed", Status: o.JS.Status, Preflight: o.Preflight != nil,
		}
		if !o.JS.OK {
			e.Outcome, e.CorsError, e.FailedParameter, e.NetError, e.Console = "blocked", o.CorsError, o.FailedParameter, o.NetError, o.Console
		}
		expected = append(expected, e)
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].StartedDateTime < entries[j].StartedDateTime })
	doc := harLog{Log: harBody{
		Version: "1.2",
		Creator: harCreator{Name: "corsdiag conformance suite (Chrome DevTools protocol)", Version: "1"},
		Browser: harCreator{Name: "Chromium", Version: strings.TrimPrefix(c.version, "Chrome/")},
		Pages: []harPage{{
			StartedDateTime: first.UTC().Format(harTime), ID: "page_1",
			Title: c.pageURL, PageTimings: map[string]any{"onContentLoad": -1, "onLoad": -1},
		}},
		Entries: entries,
	}}
	writeJSON(t, path, doc)
	side := strings.TrimSuffix(path, filepath.Ext(path)) + ".expected.json"
	writeJSON(t, side, expected)
	t.Logf("wrote %s (%d entries) and %s", path, len(entries), side)
}

var harAll = flag.Bool("record-har-all", false, "with -record-har, record every scenario instead of one per kind of outcome")

// harKind groups scenarios whose requests look alike in a HAR: the same
// Chromium outcome, with or without preflight, XHR and redirects.
func harKind(sc Scenario, o *chromeOutcome) string {
	outcome := "allowed"
	if !o.JS.OK {
		outcome = o.String() + "|" + o.NetError
	}
	return fmt.Sprintf("%s|pf=%v|xhr=%v|redirects=%d|cred=%v", outcome, o.Preflight != nil, sc.Request.XHR, len(sc.Redirects), sc.Request.Include())
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

func parseHARTime(s string) time.Time {
	tm, _ := time.Parse(harTime, s)
	return tm
}

// harTime is Chrome's startedDateTime format (milliseconds, UTC); fixed
// width, so entries sort as strings.
const harTime = "2006-01-02T15:04:05.000Z"

// harEntries turns one DevTools request (all its redirect hops) into HAR
// entries; body is the entry whose response body should be fetched. The
// recording is complete when it is called (the run has settled).
func harEntries(rec *netRecord) (out []*harEntry, body *harEntry) {
	resourceType := strings.ToLower(string(rec.Type))
	initiator := map[string]any{"type": "script"}
	if rec.isPreflight() {
		resourceType = "preflight"
		initiator = map[string]any{"type": "preflight"}
		if rec.Initiator != nil {
			initiator["url"] = rec.Initiator.URL
			if rec.Initiator.RequestID != "" {
				initiator["requestId"] = string(rec.Initiator.RequestID)
			}
		}
	}
	for i, sent := range rec.Sent {
		e := &harEntry{
			Initiator: initiator, Priority: string(sent.Request.InitialPriority), ResourceType: resourceType,
			Pageref: "page_1", ServerIPAddress: "127.0.0.1",
			StartedDateTime: time.UnixMicro(int64(sent.WallTime.Float64() * 1e6)).UTC().Format(harTime),
			Timings:         harTimings{DNS: -1, SSL: -1, Connect: -1},
		}
		reqHeaders := sent.Request.Headers
		if i < len(rec.SentExtra) {
			reqHeaders = rec.SentExtra[i].Headers
		}
		e.Request = harRequest{
			Method: sent.Request.Method, URL: sent.Request.URL, HTTPVersion: "HTTP/1.1",
			Headers: harHeaders(reqHeaders), QueryString: []harNV{}, Cookies: []harNV{}, HeadersSize: -1,
		}
		var post []byte
		for _, pd := range sent.Request.PostDataEntries {
			post = append(post, pd.Bytes...)
		}
		e.Request.BodySize = len(post)
		if len(post) > 0 {
			e.Request.PostData = &harPostData{MimeType: headerValue(reqHeaders, "Content-Type"), Text: string(post)}
		}

		end := sent.Timestamp.Float64()
		failed := i == len(rec.Sent)-1 && rec.Failed != nil
		var resp *network.Response
		switch {
		case i+1 < len(rec.Sent):
			resp = rec.Sent[i+1].RedirectResponse
			end = rec.Sent[i+1].Timestamp.Float64()
		case rec.Response != nil:
			resp = rec.Response.Response
		}
		if i == len(rec.Sent)-1 {
			if rec.Finished != nil {
				end = rec.Finished.Timestamp.Float64()
			} else if rec.Failed != nil {
				end = rec.Failed.Timestamp.Float64()
			}
		}
		e.Response = harResponse{HTTPVersion: "", Headers: []harNV{}, Cookies: []harNV{}, HeadersSize: -1, BodySize: -1,
			Content: harContent{MimeType: "x-unknown"}}
		switch {
		case resp != nil:
			e.Response.Status, e.Response.StatusText = resp.Status, resp.StatusText
			e.Response.HTTPVersion = "HTTP/1.1"
			// DevTools' export writes the headers the network service
			// received (responseReceivedExtraInfo) over the response's,
			// which show what an extension changed
			// (NetworkRequest.addExtraResponseInfo).
			hs := resp.Headers
			if i < len(rec.RespExtra) {
				hs = rec.RespExtra[i].Headers
				e.Response.Status = rec.RespExtra[i].StatusCode
			}
			e.Response.Headers = harHeaders(hs)
			e.Response.Content.MimeType = resp.MimeType
			e.Response.TransferSize = int(resp.EncodedDataLength)
			e.Response.RedirectURL = headerValue(hs, "Location")
			// DevTools' serverIPAddress is the response's remote address
			// (none for a service worker's answer), and it marks answers
			// the network did not give.
			e.ServerIPAddress = resp.RemoteIPAddress
			e.Response.FromServiceWorker = resp.FromServiceWorker
			switch {
			case i == len(rec.Sent)-1 && rec.MemoryCache:
				e.FromCache = "memory"
			case resp.FromDiskCache:
				e.FromCache = "disk"
			}
		case i < len(rec.RespExtra):
			// Blocked after the response arrived: DevTools has only the
			// raw headers and status from responseReceivedExtraInfo.
			x := rec.RespExtra[i]
			e.Response.Status = x.StatusCode
			e.Response.Headers = harHeaders(x.Headers)
			e.Response.RedirectURL = headerValue(x.Headers, "Location")
		}
		if failed {
			msg := rec.Failed.ErrorText
			e.Response.Error = &msg
		}
		if rec.Finished != nil && i == len(rec.Sent)-1 && !rec.isPreflight() {
			body = e
		}
		e.Time = math.Round(math.Max(0, (end-sent.Timestamp.Float64())*1000)*1000) / 1000
		e.Timings.Wait = e.Time
		out = append(out, e)
	}
	return out, body
}

// responseContent asks Chromium for a finished response's body; bodies
// over maxHARBody are left out with a comment.
func responseContent(c *chromium, rec *netRecord, mime string) harContent {
	content := harContent{MimeType: mime}
	ctx, cancel := context.WithTimeout(c.ctx, 2*time.Second)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetResponseBody, network.GetResponseBodyParams{RequestID: rec.ID})
	if err != nil {
		content.Comment = "body not available: " + err.Error()
		return content
	}
	content.Size = len(res.Body)
	if res.Base64encoded || len(res.Body) > maxHARBody {
		content.Comment = fmt.Sprintf("body of %d bytes left out", len(res.Body))
		return content
	}
	content.Text = string(res.Body)
	return content
}

// harHeaders lists DevTools headers as HAR name/value pairs, sorted by
// name; a raw value holding "\n" is several header lines.
func harHeaders(h network.Headers) []harNV {
	out := []harNV{}
	for name, v := range h {
		for _, line := range strings.Split(fmt.Sprint(v), "\n") {
			out = append(out, harNV{Name: name, Value: line})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out
}

func headerValue(h network.Headers, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return fmt.Sprint(v)
		}
	}
	return ""
}
