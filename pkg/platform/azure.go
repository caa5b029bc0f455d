package platform

// Azure API Management and App Service / Functions. Sources: APIM cors
// policy reference (learn.microsoft.com/azure/api-management/cors-policy),
// App Service CORS (az webapp cors), ../shared/research/gateways.md.

import (
	"fmt"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

const (
	idAPIM           = "azure-apim"
	idAppService     = "azure-app-service"
	idAzureFunctions = "azure-functions"
)

// Azure finding codes.
const (
	CodeAPIMCorsPolicy cors.Code = "azure-apim-cors-policy-missing"
	CodeAppServiceCORS cors.Code = "azure-app-service-cors-not-configured"
)

func init() {
	registerPlatforms(
		platformInfo{idAPIM, "Azure API Management", tierGateway, FormatAzurePolicy},
		platformInfo{idAppService, "Azure App Service", tierServer, FormatAzureCLI},
		platformInfo{idAzureFunctions, "Azure Functions", tierServer, FormatAzureCLI},
	)
	exclusive = append(exclusive, []string{idAzureFunctions, idAppService})
	fingerprints = append(fingerprints, azureFingerprint)
	causes = append(causes, azureCauses)
	cors.Register(
		cors.Info{Code: CodeAPIMCorsPolicy, Severity: cors.SeverityError, Title: "Azure API Management: no cors policy answers the preflight", Spec: "Azure API Management policy reference, cors",
			Fix: "Add a <cors> policy in the inbound section, at a scope that runs before subscription-key and JWT checks (All APIs)."},
		cors.Info{Code: CodeAppServiceCORS, Severity: cors.SeverityError, Title: "Azure App Service / Functions: platform CORS does not allow the origin", Spec: "Azure App Service, CORS",
			Fix: "az webapp cors add (or az functionapp cors add) with the page's origin; the platform's CORS replaces the app's."},
	)
	addFixes(CodeAPIMCorsPolicy,
		fixBuilder{FormatAzurePolicy, "cors policy, first in inbound (All APIs scope)", func(c FixContext) string {
			var hs strings.Builder
			for _, h := range c.Headers {
				fmt.Fprintf(&hs, "\n            <header>%s</header>", h)
			}
			var ms strings.Builder
			for _, m := range c.Methods {
				fmt.Fprintf(&ms, "\n            <method>%s</method>", m)
			}
			var origins strings.Builder
			if c.Existing {
				origins.WriteString("\n                <!-- a <cors> policy at another scope: move it here with its origins, methods and headers, and add these -->")
			}
			for _, o := range c.allowListOrigins() {
				fmt.Fprintf(&origins, "\n                <origin>%s</origin>", o)
			}
			// The All APIs (global) scope is the one the others inherit
			// from: no <base /> there, and its backend forwards the request.
			return fmt.Sprintf(`<!-- Merge by hand into the All APIs policy: <cors> first in its <inbound>; every other statement there stays. -->
<policies>
    <inbound>
%s        <cors allow-credentials="%t" terminate-unmatched-request="false">
            <allowed-origins>%s
            </allowed-origins>
            <allowed-methods preflight-result-max-age="7200">%s
            </allowed-methods>
            <allowed-headers>%s
            </allowed-headers>
        </cors>
    </inbound>
    <backend>
        <forward-request />
    </backend>
    <outbound>
    </outbound>
    <on-error>
    </on-error>
</policies>`, apimCredentialsNote(c), c.Credentials, origins.String(), ms.String(), hs.String())
		}},
		fixBuilder{FormatConsole, "Azure portal", func(c FixContext) string {
			return "Azure portal → API Management → APIs → All APIs → Inbound processing → + Add policy → CORS: allowed origin " + c.Origin +
				", methods " + c.methodList(", ") + ", headers " + c.headerList(", ") + ". Keep <cors> before validate-jwt and check-header; the preflight carries no subscription key or token."
		}},
	)
	addFixes(CodeAppServiceCORS,
		fixBuilder{FormatAzureCLI, "platform CORS for the app", func(c FixContext) string {
			cmd, what := "webapp", "App Service"
			if functionsPath(c.Path) {
				cmd, what = "functionapp", "Function App"
			}
			show := fmt.Sprintf("az %s cors show --resource-group YOUR_RESOURCE_GROUP --name %s", cmd, appName(c.Host))
			// cors add appends an origin even when it is listed already
			// (azure-cli concatenates the lists): the check keeps a second
			// run from listing it twice. [''] stands for a list not set yet
			// (contains of null is an error).
			add := fmt.Sprintf(`{ %s --query "contains(allowedOrigins || [''], '%s')" --output tsv | grep -qix true \
  || az %s cors add --resource-group YOUR_RESOURCE_GROUP --name %s --allowed-origins %s; }`, show, c.Origin, cmd, appName(c.Host), shWord(c.Origin))
			if c.Credentials {
				// A generic update reads the config, sets this one property
				// and writes it back whole: the rest of the config stays
				// (the form Microsoft's App Service CORS tutorial uses).
				add += fmt.Sprintf(" \\\n  && az resource update --resource-group YOUR_RESOURCE_GROUP --name %s/web --resource-type Microsoft.Web/sites/config --set properties.cors.supportCredentials=true", appName(c.Host))
				// The same tutorial: credentials "cannot be enabled when
				// allowedOrigins includes '*'". Nothing is added then: the
				// list must name the origins, which only the user knows.
				add = fmt.Sprintf(`if %s --query "contains(allowedOrigins || [''], '*')" --output tsv | grep -qix true; then
  echo "the %s's platform CORS list holds *, kept: App Service does not enable supportCredentials while it does (%s); replace * by every origin that calls the app (az %s cors remove ... --allowed-origins '*', then cors add each), then run this again" >&2; false
else
  %s
fi`, show, what, appServiceCredentialsDoc, cmd, strings.ReplaceAll(add, "\n", "\n  "))
			}
			if !c.keepsList() {
				return "# cors add extends the platform's list, with the origin once however\n# often this runs\n" + add + "\n" + show
			}
			// The app sends CORS headers today: with the platform list empty
			// they are its own, and a first platform origin would replace them.
			return fmt.Sprintf(`# cors add extends the platform's list, with the origin once however
# often this runs. Once that list holds an origin the platform answers
# CORS in place of the app: an empty list means the app answers today,
# so the origin goes into the app's own configuration instead
# (--fix-format aspnet).
if [ -n "$(%s --query 'allowedOrigins[0]' --output tsv)" ]; then
  %s
else
  echo "the %s's platform CORS list (az %s cors show) is empty, kept: the app answers CORS itself; add the origin there" >&2; false
fi`, show, strings.ReplaceAll(add, "\n", "\n  "), what, cmd)
		}},
		fixBuilder{FormatConsole, "Azure portal", func(c FixContext) string {
			return "Azure portal → the App Service or Function App → API → CORS → Allowed Origins: add " + c.Origin +
				" (remove `*` if the app must answer itself: platform CORS replaces the app's headers; an empty list while the app sends CORS headers means the app answers: add the origin there instead). Tick Enable Access-Control-Allow-Credentials if the page sends credentials (not while Allowed Origins holds `*`: list the origins that call the app in its place). Save."
		}},
		fixBuilder{FormatASPNet, "or in the app: the platform's origins moved into the policy, then the platform list emptied", aspnetFromPlatform},
	)
}

// appServiceCredentialsDoc is where Microsoft says supportCredentials
// "cannot be enabled when allowedOrigins includes '*'".
const appServiceCredentialsDoc = "learn.microsoft.com/azure/app-service/app-service-web-tutorial-rest-api#enable-cors"

// apimCredentialsNote keeps allow-credentials="true" where a cors policy
// may set it today (an attribute takes no comment of its own).
func apimCredentialsNote(c FixContext) string {
	if c.Credentials || !c.keepsList() {
		return ""
	}
	return "        <!-- allow-credentials: keep true if it is today -->\n"
}

func appName(host string) string {
	if i := strings.Index(host, ".azurewebsites.net"); i > 0 && safeName(host[:i]) == host[:i] {
		return host[:i]
	}
	return "YOUR_APP"
}

func azureFingerprint(o *observation, r *response) []signal {
	if r == nil {
		var out []signal
		switch {
		case strings.HasSuffix(o.host, ".azure-api.net"):
			out = append(out, signal{idAPIM, 3, "host " + o.host + " is an API Management gateway"})
		case strings.HasSuffix(o.host, ".azurewebsites.net"):
			if functionsPath(pathOf(o.req.URL)) {
				out = append(out, signal{idAzureFunctions, 3, "host " + o.host + " with an /api/ path (Azure Functions)"})
			} else {
				out = append(out, signal{idAppService, 3, "host " + o.host + " is an App Service app"})
			}
		}
		if o.requestHeader("Ocp-Apim-Subscription-Key") != "" {
			out = append(out, signal{idAPIM, 2, "the request carries Ocp-Apim-Subscription-Key"})
		}
		return out
	}
	m := r.resp
	var out []signal
	if name, ok := r.headerPrefix("Ocp-Apim-"); ok {
		out = append(out, signal{idAPIM, 3, "header " + name})
	}
	if strings.Contains(body(m), "subscription key") && strings.Contains(body(m), `"statusCode"`) {
		out = append(out, signal{idAPIM, 3, "API Management's subscription-key error body"})
	}
	if v := r.header("Request-Context"); strings.HasPrefix(v, "appId=") {
		out = append(out, signal{idAppService, 1, "Request-Context: appId=… (Application Insights)"})
	}
	if r.hasHeader("x-ms-request-id") {
		out = append(out, signal{idAppService, 1, "header x-ms-request-id"})
	}
	return out
}

func azureCauses(a *analysis) []cors.Finding {
	r := a.firstBlockedWithoutACAO()
	if r == nil {
		return nil
	}
	if a.sure(idAPIM) {
		why := "no cors policy applies to this API and operation (or its allowed-origins does not list " + a.fixContext().Origin + ")"
		key := r.resp.Status == 401 && strings.Contains(body(r.resp), "subscription key")
		switch {
		case key && r.step == "preflight":
			why = "the preflight reached the subscription-key check, which it cannot pass (browsers send no Ocp-Apim-Subscription-Key on a preflight): no cors policy answered it first"
		case key:
			// A request that needs no preflight: the page sent no key.
			why = "the request reached the subscription-key check without a valid key (the page must send an Ocp-Apim-Subscription-Key header or a subscription-key query parameter), and no cors policy put CORS headers on that 401"
		case r.resp.Status == 404 && r.step == "preflight":
			why = "no operation matches OPTIONS and no cors policy answered the preflight"
		}
		return []cors.Finding{a.finding(CodeAPIMCorsPolicy, idAPIM, r.step, true,
			fmt.Sprintf("Azure API Management answered the %s %d without CORS headers: %s", r.step, r.resp.Status, why),
			"Add <cors> for "+a.fixContext().Origin+" at the All APIs scope, first in <inbound>.")}
	}
	for _, id := range []string{idAzureFunctions, idAppService} {
		if a.sure(id) {
			return []cors.Finding{a.finding(CodeAppServiceCORS, id, r.step, true,
				fmt.Sprintf("%s answered the %s %d without Access-Control-Allow-Origin: the platform's CORS list does not allow %s (when the list is set, the platform answers preflights and replaces the app's own CORS headers)", platforms[id].Name, r.step, r.resp.Status, a.fixContext().Origin),
				"Add "+a.fixContext().Origin+" to the app's platform CORS settings.")}
		}
	}
	return nil
}

// functionsPath reports whether path is under /api, where a Function App
// serves its HTTP functions (the default route prefix): the platform named
// and the app the fix runs az on are told apart by it alike. A query (a
// function key's ?code=) is no part of it.
func functionsPath(path string) bool {
	path, _, _ = strings.Cut(path, "?")
	return path == "/api" || strings.HasPrefix(path, "/api/")
}

func pathOf(raw string) string {
	if i := strings.Index(raw, "://"); i >= 0 {
		raw = raw[i+3:]
		if j := strings.IndexByte(raw, '/'); j >= 0 {
			return raw[j:]
		}
		return "/"
	}
	return raw
}

// aspnetFromPlatform moves App Service's CORS list into the app: the
// origins `az webapp cors show` lists today come along, the page's added.
func aspnetFromPlatform(c FixContext) string {
	cred := ""
	if c.Credentials {
		cred = "\n     .AllowCredentials()"
	}
	return fmt.Sprintf(`// platformOrigins: what "az webapp cors show" lists today (%s):
// they all stay, moved here
builder.Services.AddCors(o => o.AddPolicy("page", p =>
    p.WithOrigins(platformOrigins)
     .WithOrigins(%s)
     .AllowAnyMethod()
     .AllowAnyHeader()%s));
// then empty the platform's list, or it answers in place of the app:
// az webapp cors remove --resource-group YOUR_RESOURCE_GROUP --name %s --allowed-origins ...the same origins`, strings.Join(append(append([]string{}, c.AllowedOrigins...), "…"), ", "), c.quotedOrigins(), cred, appName(c.Host))
}
