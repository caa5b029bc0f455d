package platform

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestAPIMPolicyFitsTheAllAPIsScope: the cors policy goes in the All APIs
// (global) policy, which has no parent scope to inherit from: <base /> has
// nothing to stand for there, and its backend section forwards the
// request itself. A document written for a narrower scope, pasted there,
// would stop every API's backend call.
func TestAPIMPolicyFitsTheAllAPIsScope(t *testing.T) {
	everyFixOf(t, []Format{FormatAzurePolicy}, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		if !strings.Contains(f.Title, "All APIs") {
			return
		}
		if strings.Contains(f.Snippet, "<base") {
			t.Errorf("the All APIs policy holds <base />:\n%s", f.Snippet)
		}
		_, backend, _ := strings.Cut(f.Snippet, "<backend>")
		backend, _, _ = strings.Cut(backend, "</backend>")
		if !strings.Contains(backend, "<forward-request") {
			t.Errorf("the All APIs policy's backend does not forward the request:\n%s", f.Snippet)
		}
	})
}

// TestAzureAppKindOneRule: the platform named beside the finding (Azure
// Functions or App Service, from the path at an azurewebsites.net host)
// and the app its fix runs az on are one decision: a web app's /v1/api/x
// is no Function App, nor is its /apiv2, and a Function App's /api is.
func TestAzureAppKindOneRule(t *testing.T) {
	for _, tt := range []struct {
		path, platform, cmd string
	}{
		{"/api/items", "Azure Functions", "az functionapp cors"},
		{"/api", "Azure Functions", "az functionapp cors"},
		{"/api?code=k", "Azure Functions", "az functionapp cors"},
		{"/items", "Azure App Service", "az webapp cors"},
		{"/v1/api/items", "Azure App Service", "az webapp cors"},
		{"/apiv2/items", "Azure App Service", "az webapp cors"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			u := "https://contoso.azurewebsites.net" + tt.path
			ex := &cors.Exchange{
				Request: cors.Request{Method: "GET", URL: u, Origin: "https://app.example.com"},
				Actual:  []cors.Hop{{Request: cors.Message{Method: "GET", URL: u}, Response: &cors.Message{Status: 200, Header: map[string][]string{"X-Ms-Request-Id": {"1"}}}}},
			}
			rep := Analyze(Input{Exchange: ex, FixFormat: string(FormatAzureCLI)})
			f := findingOf(t, rep, CodeAppServiceCORS)
			if f.Platform != tt.platform || !strings.Contains(f.Fix, tt.cmd) {
				t.Errorf("platform %q, fix:\n%s\nwant %q and %q", f.Platform, f.Fix, tt.platform, tt.cmd)
			}
		})
	}
}

// TestAPIMSubscriptionKeyCauseNamesTheStep: API Management's 401 for a
// missing subscription key is the preflight's when a preflight got it
// (browsers send no key on one), the request's own when a simple GET
// went without its key: the cause must not tell of a preflight that was
// never sent.
func TestAPIMSubscriptionKeyCauseNamesTheStep(t *testing.T) {
	const u = "https://contoso.azure-api.net/orders"
	keyError := func() *cors.Message {
		return &cors.Message{Status: 401, Header: map[string][]string{"Content-Type": {"application/json"}},
			Body: []byte(`{ "statusCode": 401, "message": "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API." }`)}
	}
	for _, tt := range []struct {
		name    string
		ex      *cors.Exchange
		step    string
		want    []string
		mustNot []string
	}{
		{"preflight", &cors.Exchange{
			Request:   cors.Request{Method: "GET", URL: u, Origin: "https://app.example.com", Header: map[string][]string{"Ocp-Apim-Subscription-Key": {"k"}}},
			Preflight: &cors.Hop{Request: cors.Message{Method: "OPTIONS", URL: u}, Response: keyError()},
		}, "preflight", []string{"preflight", "Ocp-Apim-Subscription-Key"}, nil},
		{"simple GET without its key", &cors.Exchange{
			Request: cors.Request{Method: "GET", URL: u, Origin: "https://app.example.com"},
			Actual:  []cors.Hop{{Request: cors.Message{Method: "GET", URL: u}, Response: keyError()}},
		}, "actual", []string{"Ocp-Apim-Subscription-Key header"}, []string{"preflight"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep := Analyze(Input{Exchange: tt.ex, FixFormat: string(FormatAzurePolicy)})
			f := findingOf(t, rep, CodeAPIMCorsPolicy)
			if f.Step != tt.step {
				t.Errorf("step %q, want %q", f.Step, tt.step)
			}
			for _, w := range tt.want {
				if !strings.Contains(f.Message, w) {
					t.Errorf("cause %q does not say %q", f.Message, w)
				}
			}
			for _, w := range tt.mustNot {
				if strings.Contains(f.Message, w) {
					t.Errorf("cause %q says %q", f.Message, w)
				}
			}
		})
	}
}

// findingOf is rep's finding of code; the test stops when there is none.
func findingOf(t *testing.T, rep *Report, code cors.Code) *cors.Finding {
	t.Helper()
	for i := range rep.Findings {
		if rep.Findings[i].Code == code {
			return &rep.Findings[i]
		}
	}
	t.Fatalf("no %s among %+v", code, rep.Findings)
	return nil
}
