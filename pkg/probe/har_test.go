package probe

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/martian/v3/har"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/redact"
)

// chromeLikeHAR is the subset of a Chrome HAR export that readers rely on.
type chromeLikeHAR struct {
	Log struct {
		Version string `json:"version"`
		Creator struct {
			Name string `json:"name"`
		} `json:"creator"`
		Entries []struct {
			StartedDateTime string `json:"startedDateTime"`
			Time            *int64 `json:"time"`
			ResourceType    string `json:"_resourceType"`
			Initiator       *struct {
				Type string `json:"type"`
				URL  string `json:"url"`
			} `json:"_initiator"`
			Purpose string `json:"_corsdiagPurpose"`
			Request struct {
				Method  string            `json:"method"`
				URL     string            `json:"url"`
				Headers []har.Header      `json:"headers"`
				Cookies []har.Cookie      `json:"cookies"`
				Post    *har.PostData     `json:"postData"`
				Query   []har.QueryString `json:"queryString"`
			} `json:"request"`
			Response struct {
				Status  int          `json:"status"`
				Headers []har.Header `json:"headers"`
				Content struct {
					Text     string `json:"text"`
					MimeType string `json:"mimeType"`
				} `json:"content"`
				Error string `json:"_error"`
			} `json:"response"`
			Timings *har.Timings `json:"timings"`
		} `json:"entries"`
	} `json:"log"`
}

func headerValue(hs []har.Header, name string) (string, bool) {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

func TestWriteHARRoundTrip(t *testing.T) {
	const token = "Bearer s3cr3t-t0ken-value"
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/items" {
			http.NotFound(w, r)
			return
		}
		corsOK(w, r)
	})
	res := run(t, Options{
		Request: cors.Request{
			Method: "PUT", URL: srv.URL + "/api/items?api_key=k3y-value&page=2", Credentials: true,
			Header: http.Header{"Authorization": {token}, "Content-Type": {"application/json"}},
		},
		Body:       []byte(`{"password":"hunter2-long"}`),
		Cookie:     "session=c00kie-value",
		SendActual: true,
		ErrorProbe: true,
	})

	for _, tc := range []struct {
		redact  bool
		secrets bool
	}{{true, false}, {false, true}} {
		var buf bytes.Buffer
		if err := res.WriteHAR(&buf, tc.redact); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, secret := range []string{"s3cr3t-t0ken-value", "c00kie-value", "k3y-value", "hunter2-long"} {
			if strings.Contains(out, secret) != tc.secrets {
				t.Errorf("redact=%v: secret %q present=%v", tc.redact, secret, !tc.secrets)
			}
		}

		var h chromeLikeHAR
		if err := json.Unmarshal(buf.Bytes(), &h); err != nil {
			t.Fatalf("decode: %v", err)
		}
		if h.Log.Version != "1.2" || h.Log.Creator.Name != "corsdiag" {
			t.Errorf("log = %+v", h.Log)
		}
		// preflight, PUT, unknown path, without credentials
		if len(h.Log.Entries) != 4 {
			t.Fatalf("%d entries", len(h.Log.Entries))
		}
		pre, put := h.Log.Entries[0], h.Log.Entries[1]
		if pre.ResourceType != "preflight" || pre.Initiator == nil || pre.Initiator.Type != "preflight" || pre.Request.Method != "OPTIONS" {
			t.Errorf("preflight entry = %+v", pre)
		}
		if v, _ := headerValue(pre.Request.Headers, "Access-Control-Request-Method"); v != "PUT" {
			t.Errorf("preflight ACRM = %q", v)
		}
		if _, ok := headerValue(pre.Request.Headers, "Authorization"); ok {
			t.Errorf("preflight entry has Authorization")
		}
		if pre.Response.Status != 204 || pre.Time == nil || pre.Timings == nil || pre.StartedDateTime == "" {
			t.Errorf("preflight response/timing = %+v", pre)
		}
		if v, _ := headerValue(pre.Response.Headers, "Access-Control-Allow-Methods"); !strings.Contains(v, "PUT") {
			t.Errorf("preflight response ACAM = %q", v)
		}
		if put.ResourceType != "fetch" || put.Request.Method != "PUT" || put.Response.Status != 200 || put.Response.Content.Text != `{"ok":true}` {
			t.Errorf("actual entry = %+v", put)
		}
		auth, _ := headerValue(put.Request.Headers, "Authorization")
		cookie, _ := headerValue(put.Request.Headers, "Cookie")
		if tc.redact {
			if auth != "Bearer "+redact.Marker || cookie != "session="+redact.Marker {
				t.Errorf("redacted Authorization %q Cookie %q", auth, cookie)
			}
			if !strings.Contains(put.Request.URL, "api_key="+redact.Marker) || !strings.Contains(put.Request.URL, "page=2") {
				t.Errorf("redacted URL = %q", put.Request.URL)
			}
		} else if auth != token || cookie != "session=c00kie-value" {
			t.Errorf("Authorization %q Cookie %q", auth, cookie)
		}
		if len(put.Request.Cookies) != 1 || put.Request.Cookies[0].Name != "session" {
			t.Errorf("cookies = %+v", put.Request.Cookies)
		}
		if put.Request.Post == nil || put.Request.Post.MimeType != "application/json" {
			t.Errorf("postData = %+v", put.Request.Post)
		}
		if got := h.Log.Entries[2].Purpose; got != "error-path: unknown path" || h.Log.Entries[2].Response.Status != 404 {
			t.Errorf("error-path entry = %+v", h.Log.Entries[2])
		}

		// martian's own types read it back too.
		var m har.HAR
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil || len(m.Log.Entries) != 4 || m.Log.Entries[1].Response.Status != 200 {
			t.Errorf("martian decode: %v", err)
		}
	}
}

// TestWriteHARMarksBlocked: the entry the browser would block carries
// Chrome's net::ERR_FAILED beside its real status, and allowed ones do not.
func TestWriteHARMarksBlocked(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			return
		}
		http.NotFound(w, r)
	})
	for _, tc := range []struct {
		path   string
		errors []string // _error per entry: actual, unknown-path probe
	}{
		{"/ok", []string{"", "net::ERR_FAILED"}},
		{"/missing", []string{"net::ERR_FAILED", "net::ERR_FAILED"}},
	} {
		res := run(t, Options{Request: cors.Request{URL: srv.URL + tc.path}, ErrorProbe: true})
		h := writeChromeLikeHAR(t, res)
		var got []string
		for _, e := range h.Log.Entries {
			got = append(got, e.Response.Error)
			if e.Response.Status == 0 {
				t.Errorf("%s: blocked entry lost its status", tc.path)
			}
		}
		if strings.Join(got, ",") != strings.Join(tc.errors, ",") {
			t.Errorf("%s: _error per entry %q, want %q", tc.path, got, tc.errors)
		}
	}
}

func TestWriteHARFailedHop(t *testing.T) {
	res := &Result{Exchange: &cors.Exchange{
		Request: cors.Request{URL: "http://127.0.0.1:1/", Origin: pageOrigin},
		Actual:  []cors.Hop{{Request: cors.Message{Method: "GET", URL: "http://127.0.0.1:1/", Header: http.Header{}}, NetError: "connection refused"}},
	}}
	h := writeChromeLikeHAR(t, res)
	e := h.Log.Entries[0]
	if e.Response.Status != 0 || e.Response.Error != "connection refused" || e.Response.Headers == nil {
		t.Errorf("failed entry = %+v", e)
	}
}

func TestWriteHARBinaryBody(t *testing.T) {
	body := []byte{0xff, 0x00, 0xfe}
	res := &Result{Exchange: &cors.Exchange{Actual: []cors.Hop{{
		Request:  cors.Message{Method: "GET", URL: "http://127.0.0.1/", Header: http.Header{}},
		Response: &cors.Message{Status: 200, Header: http.Header{"Content-Type": {"application/octet-stream"}}, Body: body},
	}}}}
	var buf bytes.Buffer
	if err := res.WriteHAR(&buf, false); err != nil {
		t.Fatal(err)
	}
	var m har.HAR
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if got := m.Log.Entries[0].Response.Content; got.Encoding != "base64" || !bytes.Equal(got.Text, body) {
		t.Errorf("content = %+v", got)
	}
}

// writeChromeLikeHAR writes res as a redacted HAR and decodes it again.
func writeChromeLikeHAR(t *testing.T, res *Result) chromeLikeHAR {
	t.Helper()
	var buf bytes.Buffer
	if err := res.WriteHAR(&buf, true); err != nil {
		t.Fatal(err)
	}
	var h chromeLikeHAR
	if err := json.Unmarshal(buf.Bytes(), &h); err != nil {
		t.Fatal(err)
	}
	return h
}

// TestHARControlsEscaped: a server's C1 controls and bidi overrides reach
// --har-out as \u escapes, not raw bytes a terminal acts on (`cat x.har`),
// and the file still says exactly what the server sent.
func TestHARControlsEscaped(t *testing.T) {
	const hostile = "https://x\u009b31m\u202eevil\u200b"
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", hostile)
		w.Write([]byte(`{"m":"` + hostile + `"}`))
	})
	res := run(t, Options{Request: cors.Request{Method: "GET", URL: srv.URL + "/items"}})
	for _, redactSecrets := range []bool{true, false} {
		var b bytes.Buffer
		if err := res.WriteHAR(&b, redactSecrets); err != nil {
			t.Fatal(err)
		}
		for _, r := range []string{"\u009b", "\u202e", "\u200b"} {
			if strings.Contains(b.String(), r) {
				t.Errorf("redact=%v: the HAR holds %U raw", redactSecrets, []rune(r)[0])
			}
		}
		var h chromeLikeHAR
		if err := json.Unmarshal(b.Bytes(), &h); err != nil {
			t.Fatal(err)
		}
		if v, _ := headerValue(h.Log.Entries[0].Response.Headers, "Access-Control-Allow-Origin"); v != hostile {
			t.Errorf("redact=%v: Access-Control-Allow-Origin %q, want %q", redactSecrets, v, hostile)
		}
	}
}
