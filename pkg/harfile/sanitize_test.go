package harfile

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// secrets seeded into a HAR file; none may survive Sanitize.
var secrets = []string{
	"cookieSecretValue1", "setCookieSecret2", "BearerTokenSecret3abc", "basicCredSecret4", "apiKeyHeaderSecret5",
	"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2VjcmV0", "queryApiKeySecret6", "accessTokenQuery7",
	"formPasswordSecret8", "jsonPasswordSecret9", "AKIAABCDEFGHIJKLMNOP", "b64BodyTokenSecret10", "userinfoPass11",
	"csrfTokenSecret12", "initiatorTokenSecret13",
	// Under names only IsSecretName knows, in JSON bodies, and a PEM key.
	"jsonCodeSecret14", "pemKeySecret15", "jsonCredSecret16", "jsonSidSecret17",
}

const seededJWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2VjcmV0"

// seededB64Body is the response body the seed carries base64-encoded.
const seededB64Body = `{"token":"b64BodyTokenSecret10","ok":true}`

func seededHAR() string {
	b64 := base64.StdEncoding.EncodeToString([]byte(seededB64Body))
	return `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[{"id":"page_1","title":"https://app.test/?session=` + seededJWT + `"}],"entries":[
{"pageref":"page_1","startedDateTime":"2024-01-01T00:00:00.123Z","time":12.5,"_resourceType":"fetch","_initiator":{"type":"script","url":"https://app.test/app.js?token=initiatorTokenSecret13"},
 "request":{"method":"POST","url":"https://user:userinfoPass11@api.test/v1/x?api_key=queryApiKeySecret6&access_token=accessTokenQuery7&page=2&jwt=` + seededJWT + `",
  "headers":[{"name":"Origin","value":"https://app.test"},{"name":"Cookie","value":"sid=cookieSecretValue1; theme=dark"},{"name":"Authorization","value":"Bearer BearerTokenSecret3abc"},
   {"name":"Proxy-Authorization","value":"Basic basicCredSecret4"},{"name":"X-Api-Key","value":"apiKeyHeaderSecret5"},{"name":"X-CSRF-Token","value":["csrfTokenSecret12"]},{"name":"Content-Type","value":"application/json"}],
  "cookies":[{"name":"sid","value":"cookieSecretValue1"}],
  "queryString":[{"name":"api_key","value":"queryApiKeySecret6"},{"name":"access_token","value":"accessTokenQuery7"},{"name":"page","value":"2"}],
  "postData":{"mimeType":"application/json","text":"{\"user\":\"a\",\"password\":\"jsonPasswordSecret9\",\"aws\":\"AKIAABCDEFGHIJKLMNOP\"}","params":[{"name":"password","value":"formPasswordSecret8"}]}},
 "response":{"status":0,"headers":[],"cookies":[],"content":{"size":0},"_error":"net::ERR_FAILED"},
 "timings":{"blocked":0.25,"dns":-1,"send":0.1,"wait":11.5,"receive":0.65}},
{"startedDateTime":"2024-01-01T00:00:01Z","_resourceType":"xhr","request":{"method":"GET","url":"https://api.test/v1/y","headers":[{"name":"Origin","value":"https://app.test"},{"name":"Sec-Fetch-Mode","value":"cors"}]},
 "response":{"status":200,"headers":[{"name":"Access-Control-Allow-Origin","value":"https://other.test"},{"name":"Set-Cookie","value":"sid=setCookieSecret2; Path=/"}],
  "cookies":[{"name":"sid","value":"setCookieSecret2"}],"content":{"size":40,"text":"` + b64 + `","encoding":"base64"}}},
{"startedDateTime":"2024-01-01T00:00:02Z","request":{"method":"POST","url":"https://api.test/login","headers":[{"name":"Origin","value":"https://app.test"}],"postData":{"mimeType":"application/x-www-form-urlencoded","text":"user=a&password=formPasswordSecret8"}},
 "response":{"status":200,"headers":[{"name":"Access-Control-Allow-Origin","value":"*"}],"content":{"text":"Bearer BearerTokenSecret3abc"}}},
{"startedDateTime":"2024-01-01T00:00:03Z","request":{"method":"POST","url":"https://api.test/token","headers":[{"name":"Origin","value":"https://app.test"}],
  "postData":{"mimeType":"application/json","text":"{\"code\":\"jsonCodeSecret14\",\"private\":\"-----BEGIN PRIVATE KEY-----\\npemKeySecret15\\n-----END PRIVATE KEY-----\"}"}},
 "response":{"status":200,"headers":[{"name":"Access-Control-Allow-Origin","value":"*"}],"content":{"mimeType":"application/json","text":"{\"credential\": \"jsonCredSecret16\", \"sid\": \"jsonSidSecret17\"}"}}}
]}}`
}

func TestSanitizeRemovesSecrets(t *testing.T) {
	in := seededHAR()
	if !json.Valid([]byte(in)) {
		t.Fatal("seed is not JSON")
	}
	// Every secret is in the seed, as text or inside the base64 body.
	encoded := base64.StdEncoding.EncodeToString([]byte(seededB64Body))
	for _, s := range secrets {
		if !strings.Contains(in, s) && !(strings.Contains(seededB64Body, s) && strings.Contains(in, encoded)) {
			t.Fatalf("seed lacks %s", s)
		}
	}
	var out bytes.Buffer
	if err := Sanitize(&out, strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, s := range secrets {
		if strings.Contains(got, s) {
			t.Errorf("secret %q survived", s)
		}
	}
	// Also inside base64 bodies.
	var doc struct {
		Log struct {
			Entries []struct {
				Response struct {
					Content struct{ Text, Encoding string }
				}
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(doc.Log.Entries[1].Response.Content.Text)
	if err != nil || strings.Contains(string(raw), "b64BodyTokenSecret10") || !strings.Contains(string(raw), `"ok":true`) {
		t.Errorf("base64 body after sanitize = %q, %v", raw, err)
	}
	// Structure, timings and CORS headers are kept.
	for _, keep := range []string{`"time":12.5`, `"blocked":0.25`, `"dns":-1`, `"wait":11.5`, `"_error":"net::ERR_FAILED"`, `"Access-Control-Allow-Origin","value":"https://other.test"`, `"name":"sid"`, "page=2", `"theme=[REDACTED]`[1:]} {
		if !strings.Contains(got, keep) {
			t.Errorf("output lost %s", keep)
		}
	}
}

// TestSanitizeKeepsDiagnosis: the sanitized file reads and diagnoses the
// same as the original.
func TestSanitizeKeepsDiagnosis(t *testing.T) {
	in := seededHAR()
	var out bytes.Buffer
	if err := Sanitize(&out, strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	summarize := func(har string) string {
		var b strings.Builder
		sum, _ := analyze(t, har)
		_, rs := analyze(t, har)
		fmt.Fprintf(&b, "%+v\n", sum)
		for _, r := range rs {
			code := ""
			if f := r.Reported(); f != nil {
				code = string(f.Code)
			}
			fmt.Fprintf(&b, "%d %s %s %s %s\n", r.Index, r.Method, r.Verdict, r.CauseSource, code)
		}
		return b.String()
	}
	if a, b := summarize(in), summarize(out.String()); a != b {
		t.Errorf("diagnosis changed:\nbefore:\n%s\nafter:\n%s", a, b)
	}
}

// TestSanitizeKeepsMarks: DevTools' marks of a memory-cache or service
// worker answer, which silence allowed-despite-headers, survive `har
// sanitize` as written.
func TestSanitizeKeepsMarks(t *testing.T) {
	e := fromIP(entryJSON("2024-01-01T00:00:00.200Z", "GET", "https://api.test/items", "fetch", corsReq, 200,
		[][2]string{{"Content-Type", "application/json"}}, ""))
	in := harOf(devtools(e, `"_fromCache":"memory"`, ""),
		devtools(e, "", `"_fetchedViaServiceWorker":true,"_serviceWorkerResponseSource":"cache-storage"`))
	var out bytes.Buffer
	if err := Sanitize(&out, strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	for _, mark := range []string{`"_fromCache":"memory"`, `"_fetchedViaServiceWorker":true`, `"_serviceWorkerResponseSource":"cache-storage"`} {
		if !strings.Contains(out.String(), mark) {
			t.Errorf("sanitized file lost %s:\n%s", mark, out.String())
		}
	}
	es, _, err := readAll(t, &out)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].FromCache != "memory" || !es[1].Response.FromServiceWorker || es[0].ServerIP == "" {
		t.Errorf("entries read back: %+v", es)
	}
}

// TestSanitizeEmpty: an empty or blank file is called empty, a cut one cut
// off, as har says.
func TestSanitizeEmpty(t *testing.T) {
	for _, tt := range []struct{ in, found string }{
		{"", "nothing: the file is empty"},
		{" \n", "nothing: the file is empty"},
		{"{", "the end of the file (the file is cut off)"},
	} {
		var se *SyntaxError
		if err := Sanitize(io.Discard, strings.NewReader(tt.in)); !errors.As(err, &se) || se.Found != tt.found {
			t.Errorf("Sanitize(%q) = %v, want a SyntaxError finding %q", tt.in, err, tt.found)
		}
	}
}

// TestSanitizeEscapesInvisibles: the copy is JSON, often printed (-o -)
// or opened in a viewer. A value the file wrote as an escape (a bidi
// override \u202e, a C1 control \u009b) was written back raw; it is
// escaped again, as every JSON document corsdiag writes escapes it, and
// means the same.
func TestSanitizeEscapesInvisibles(t *testing.T) {
	tests := []struct{ in, want string }{
		{`\u202eevil`, `\u202eevil`},
		{`a\u009b31mb`, `a\u009b31mb`},
		{`zero\u200bwidth\u2066`, `zero\u200bwidth\u2066`},
		{`\u001b]0;t\u0007`, `\u001b]0;t\u0007`},
		{`caf\u00e9 ✓`, `café ✓`},
	}
	for _, tt := range tests {
		in := `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"GET","url":"https://api.test/x","headers":[{"name":"X-Note","value":"` + tt.in + `"}]},"response":{"status":200,"headers":[]}}]}}`
		var out bytes.Buffer
		if err := Sanitize(&out, strings.NewReader(in)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), `"value":"`+tt.want+`"`) {
			t.Errorf("%s: the copy holds %s", tt.in, out.String())
		}
		if !json.Valid(out.Bytes()) {
			t.Errorf("%s: the copy is not JSON", tt.in)
		}
	}
}
