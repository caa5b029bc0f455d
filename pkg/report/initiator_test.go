package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
	"github.com/corsdiag/corsdiag/pkg/report/schematest"
)

// check -o json names the load as check --initiator does; a request that
// names none is fetch()'s.
func TestJSONInitiator(t *testing.T) {
	tests := []struct{ initiator, want string }{{"", "fetch"}}
	for _, in := range cors.Initiators {
		tests = append(tests, struct{ initiator, want string }{in.Name, in.Flag})
	}
	for _, tt := range tests {
		t.Run(tt.want+"/"+tt.initiator, func(t *testing.T) {
			ex := allowedGET()
			ex.Request.Initiator = tt.initiator
			doc := checkJSONRequest(t, ex)
			if got := doc["initiator"]; got != tt.want {
				t.Errorf("request.initiator = %v, want %q", got, tt.want)
			}
		})
	}
}

// har -o json names the load each CORS-mode request was judged as, read
// from the recording; a no-cors request has none.
func TestHARJSONInitiator(t *testing.T) {
	entry := func(typ, dest, accept string) string {
		return fmt.Sprintf(`{"_resourceType": %q, "startedDateTime": "2026-01-01T00:00:00Z", "time": 1,
"request": {"method": "GET", "url": "https://api.test/%s", "httpVersion": "HTTP/1.1",
 "headers": [{"name": "Origin", "value": "https://app.test"}, {"name": "Sec-Fetch-Dest", "value": %q},
  {"name": "Sec-Fetch-Mode", "value": "cors"}, {"name": "Accept", "value": %q}],
 "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
"response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
 "headers": [{"name": "Access-Control-Allow-Origin", "value": "*"}], "cookies": [],
 "content": {"size": 0, "mimeType": "text/plain"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
"cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}`, typ, typ, dest, accept)
	}
	tests := []struct {
		name, entry, want string
	}{
		{"fetch", entry("fetch", "empty", "*/*"), "fetch"},
		{"xhr", entry("xhr", "empty", "*/*"), "xhr"},
		{"font", entry("font", "font", "*/*"), "font"},
		{"module script", entry("script", "script", "*/*"), "script"},
		{"image", entry("image", "image", "image/*"), "image"},
		{"stylesheet", entry("stylesheet", "style", "text/css"), "stylesheet"},
		{"eventsource", entry("eventsource", "empty", "text/event-stream"), "eventsource"},
		{"firefox font, by destination", entry("", "font", "*/*"), "font"},
		{"no-cors image", strings.Replace(entry("image", "image", "image/*"),
			`{"name": "Origin", "value": "https://app.test"}, `, `{"name": "Referer", "value": "https://app.test/"}, `, 1), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "" {
				tt.entry = strings.Replace(tt.entry, `"value": "cors"`, `"value": "no-cors"`, 1)
			}
			har := `{"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"}, "pages": [],
"entries": [` + tt.entry + `]}}`
			var out bytes.Buffer
			r := NewHARRenderer(&out, HAROptions{JSON: true})
			sum, log, err := harfile.Analyze(strings.NewReader(har), harfile.AnalyzeOptions{Prepare: r.Prepare}, r.Add)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Finish(sum, log, nil); err != nil {
				t.Fatal(err)
			}
			if err := schematest.Validate(harSchema(t), out.Bytes()); err != nil {
				t.Fatalf("output does not match har-schema.json: %v\n%s", err, out.String())
			}
			var doc struct {
				Requests []map[string]any `json:"requests"`
			}
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Requests) != 1 || doc.Requests[0]["initiator"] != tt.want {
				t.Errorf("requests = %v, want one with initiator %q", doc.Requests, tt.want)
			}
		})
	}
}

// Both schemas list exactly the --initiator values (har's also "", for a
// no-cors request).
func TestSchemasListEveryInitiator(t *testing.T) {
	enum := func(schema []byte, path ...string) []string {
		var node any
		if err := json.Unmarshal(schema, &node); err != nil {
			t.Fatal(err)
		}
		for _, p := range path {
			node = node.(map[string]any)[p]
		}
		var out []string
		for _, v := range node.(map[string]any)["enum"].([]any) {
			out = append(out, v.(string))
		}
		return out
	}
	flags := cors.InitiatorFlags()
	if got := enum(Schema, "properties", "request", "properties", "initiator"); !slices.Equal(got, flags) {
		t.Errorf("schema.json request.initiator enum = %q, want %q", got, flags)
	}
	want := append([]string{""}, flags...)
	if got := enum(harSchema(t), "properties", "requests", "items", "properties", "initiator"); !slices.Equal(got, want) {
		t.Errorf("har-schema.json requests[].initiator enum = %q, want %q", got, want)
	}
}

// checkJSONRequest is check -o json's request object for ex, the output
// validated against schema.json first.
func checkJSONRequest(t *testing.T, ex *cors.Exchange) map[string]any {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, result(ex)); err != nil {
		t.Fatal(err)
	}
	if err := schematest.Validate(Schema, b.Bytes()); err != nil {
		t.Fatalf("output does not match schema: %v\n%s", err, b.String())
	}
	var doc struct {
		Request map[string]any `json:"request"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Request
}

func harSchema(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("har-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}
