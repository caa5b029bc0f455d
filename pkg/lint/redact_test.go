package lint

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/iac"
)

// secretsTemplate answers the preflight with values that hold secrets
// (an Access-Control-Allow-Origin with a token, after a line break too;
// an Access-Control-Allow-Headers holding a credential) and a terminal
// control sequence.
const secretsTemplate = `openapi: "3.0.1"
info: {title: x, version: "1"}
paths:
  /items:
    options:
      responses:
        "200":
          description: ok
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default:
            statusCode: "200"
            responseParameters:
              method.response.header.Access-Control-Allow-Origin: "'https://app.example.com/?token=TplTok51&x=1\nsig=TplSig52'"
              method.response.header.Access-Control-Allow-Headers: "'Authorization: Bearer TplBearer53abc'"
              method.response.header.Access-Control-Allow-Methods: "'GET,PUT,\u001b]0;PWN\u0007'"
    put:
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: PUT
        uri: "https://backend.example.com/items"
`

// TestRedact: lint's outputs quote the template's values and the page's
// -H headers; Redact hides their secrets in every format, as the other
// commands do unless --no-redact, and no format passes a terminal control
// character on (the JSON's header values included: jq -r decodes \u001b).
func TestRedact(t *testing.T) {
	secrets := []string{"TplTok51", "TplSig52", "TplBearer53abc", "FlagBearer54abc", "FlagKey55"}
	run := func(redacted bool) map[string]string {
		tmpl, err := iac.Read("openapi.yaml", []byte(secretsTemplate))
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{"Authorization": {"Bearer FlagBearer54abc"}, "X-Api-Key": {"FlagKey55"}}
		rep, err := Lint([]*iac.Template{tmpl}, Options{Origins: []string{"https://app.example.com"}, Method: "PUT", Header: h})
		if err != nil {
			t.Fatal(err)
		}
		if redacted {
			rep.Redact()
		}
		out := map[string]string{}
		var b bytes.Buffer
		if err := WriteText(&b, rep, 0); err != nil {
			t.Fatal(err)
		}
		out["text"] = b.String()
		b.Reset()
		if err := WriteJSON(&b, rep); err != nil {
			t.Fatal(err)
		}
		out["json"] = b.String()
		b.Reset()
		if err := WriteSARIF(&b, rep, "test"); err != nil {
			t.Fatal(err)
		}
		out["sarif"] = b.String()
		return out
	}
	for format, s := range run(true) {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				i := strings.Index(s, secret)
				t.Errorf("%s shows %s: …%s…", format, secret, s[max(0, i-80):i+len(secret)])
			}
		}
		if strings.ContainsAny(s, "\x1b\x07") || strings.Contains(s, `\u001b`) || strings.Contains(s, `\u0007`) {
			t.Errorf("%s passes a control character on:\n%s", format, s)
		}
	}
	// Without Redact (--no-redact) the values show as written.
	if all := strings.Join(mapValues(run(false)), ""); !strings.Contains(all, "FlagBearer54abc") || !strings.Contains(all, "TplTok51") {
		t.Errorf("unredacted outputs hide the secrets")
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
