package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// fetch()'s redirect mode changes the verdict (a redirect is an
// opaque-redirect response or a TypeError): the report says which one was
// judged, as it says credentials. JSON names every mode, the default
// "follow" too; text only one that is not the default.
func TestRequestRedirectMode(t *testing.T) {
	for _, tt := range []struct{ mode, json, text string }{
		{"", cors.RedirectFollow, ""},
		{cors.RedirectFollow, cors.RedirectFollow, ""},
		{cors.RedirectManual, cors.RedirectManual, ", redirect: 'manual'"},
		{cors.RedirectError, cors.RedirectError, ", redirect: 'error'"},
	} {
		t.Run(tt.json+"/"+tt.mode, func(t *testing.T) {
			ex := allowedGET()
			ex.Request.Redirect = tt.mode
			if got := checkJSONRequest(t, ex)["redirect"]; got != tt.json {
				t.Errorf("request.redirect = %v, want %q", got, tt.json)
			}
			var b bytes.Buffer
			if err := WriteText(&b, result(ex), Style{Width: 200}); err != nil {
				t.Fatal(err)
			}
			line := "GET " + api + " from origin " + page + tt.text + "\n"
			if !strings.Contains(b.String(), line) {
				t.Errorf("text lacks the line %q:\n%s", line, b.String())
			}
		})
	}
}

// schema.json lists exactly fetch()'s redirect modes.
func TestSchemaListsEveryRedirectMode(t *testing.T) {
	var doc struct {
		Properties struct {
			Request struct {
				Properties struct {
					Redirect struct {
						Enum []string `json:"enum"`
					} `json:"redirect"`
				} `json:"properties"`
			} `json:"request"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(Schema, &doc); err != nil {
		t.Fatal(err)
	}
	if got := doc.Properties.Request.Properties.Redirect.Enum; !slices.Equal(got, cors.RedirectModes) {
		t.Errorf("schema.json request.redirect enum = %q, want %q", got, cors.RedirectModes)
	}
}
