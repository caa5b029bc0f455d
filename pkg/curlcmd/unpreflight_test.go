package curlcmd

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// A pasted "Copy as cURL" of a preflight becomes the request it guarded,
// and that request plans the same preflight the browser sent.
func TestUnpreflight(t *testing.T) {
	tests := []struct {
		name, curl         string
		wantOK             bool
		wantMethod, wantRH string // the guarded request, and the Access-Control-Request-Headers it plans
	}{
		{"Chrome preflight of a PUT with JSON and a custom header",
			`curl 'https://api.example.com/items' -X 'OPTIONS' -H 'accept: */*' -H 'access-control-request-headers: content-type,x-request-id' -H 'access-control-request-method: PUT' -H 'origin: https://app.example.com' -H 'sec-fetch-mode: cors'`,
			true, "PUT", "content-type,x-request-id"},
		{"Firefox preflight of a DELETE",
			`curl 'https://api.example.com/items/1' -X OPTIONS -H 'Access-Control-Request-Method: DELETE' -H 'Origin: https://app.example.com'`,
			true, "DELETE", ""},
		{"a preflight naming safelisted headers with unsafe values",
			`curl 'https://api.example.com/x' -X OPTIONS -H 'Access-Control-Request-Method: GET' -H 'Access-Control-Request-Headers: accept-language, content-language' -H 'Origin: https://app.example.com'`,
			true, "GET", "accept-language,content-language"},
		{"a plain OPTIONS request is left alone",
			`curl 'https://api.example.com/x' -X OPTIONS -H 'Origin: https://app.example.com'`, false, "OPTIONS", ""},
		{"a PUT is left alone", `curl 'https://api.example.com/x' -X PUT -H 'Access-Control-Request-Method: GET'`, false, "PUT", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.curl)
			if err != nil {
				t.Fatal(err)
			}
			note, ok := c.Unpreflight()
			if ok != tt.wantOK || c.Method != tt.wantMethod {
				t.Fatalf("Unpreflight() = %q, %v; method %s; want %v, %s", note, ok, c.Method, tt.wantOK, tt.wantMethod)
			}
			if !ok {
				return
			}
			if !strings.Contains(note, "preflight") || !strings.Contains(note, tt.wantMethod) {
				t.Errorf("note %q does not say what happened", note)
			}
			r := c.CORSRequest()
			plan := cors.Chromium.PlanRequest(&r)
			if !plan.Preflight || plan.Method != tt.wantMethod || plan.RequestHeaders != tt.wantRH {
				t.Errorf("the guarded request plans preflight=%v %s %q, want the copied one (%s %q)", plan.Preflight, plan.Method, plan.RequestHeaders, tt.wantMethod, tt.wantRH)
			}
			if r.Origin != "https://app.example.com" {
				t.Errorf("origin %q", r.Origin)
			}
		})
	}
}
