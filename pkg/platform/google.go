package platform

// Google Cloud: API Gateway / ESPv2, Cloud Run, Cloud Functions, Cloud
// Storage. Sources: cloud.google.com/run/docs/authenticating (IAM check
// before the container), cloud.google.com/storage/docs/using-cors,
// cloud.google.com/api-gateway/docs (ESPv2 CORS), gateways.md.

import (
	"fmt"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

const (
	idGoogleAPIGateway = "gcp-api-gateway"
	idCloudRun         = "gcp-cloud-run"
	idCloudFunctions   = "gcp-cloud-functions"
	idGoogleFrontend   = "gcp-google-frontend"
	idGCS              = "gcp-cloud-storage"
)

// Google finding codes.
const (
	CodeGCPIAMPreflight      cors.Code = "gcp-iam-rejects-preflight"
	CodeGCPOptionsNotHandled cors.Code = "gcp-options-not-handled"
	CodeGCPAPIGatewayOptions cors.Code = "gcp-api-gateway-options-not-defined"
	CodeGCSCORS              cors.Code = "gcs-cors-not-configured"
)

func init() {
	registerPlatforms(
		platformInfo{idGoogleAPIGateway, "Google API Gateway (ESPv2)", tierGateway, FormatOpenAPI},
		platformInfo{idCloudRun, "Google Cloud Run", tierServer, FormatGcloud},
		platformInfo{idCloudFunctions, "Google Cloud Functions", tierServer, FormatGcloud},
		platformInfo{idGoogleFrontend, "Google Frontend (Cloud Run, Cloud Functions or App Engine)", tierServer, FormatGcloud},
		platformInfo{idGCS, "Google Cloud Storage", tierServer, FormatGcloud},
	)
	exclusive = append(exclusive, []string{idCloudFunctions, idCloudRun, idGoogleFrontend})
	shadows[idGoogleAPIGateway] = append(shadows[idGoogleAPIGateway], idEnvoy)
	fingerprints = append(fingerprints, googleFingerprint)
	causes = append(causes, googleCauses)
	cors.Register(
		cors.Info{Code: CodeGCPIAMPreflight, Severity: cors.SeverityError, Title: "Cloud Run / Cloud Functions IAM rejects the unauthenticated preflight", Spec: "Fetch §CORS-preflight fetch (a preflight never carries credentials)",
			Fix: "Let unauthenticated requests reach the service (allUsers invoker, or no invoker IAM check) and check the token in code, or put a gateway in front that answers preflights."},
		cors.Info{Code: CodeGCPOptionsNotHandled, Severity: cors.SeverityError, Title: "Cloud Run / Cloud Functions code does not answer OPTIONS", Spec: "Fetch §CORS-preflight fetch step 7",
			Fix: "Answer OPTIONS in the function or service with 204 and the CORS headers, and add Access-Control-Allow-Origin to every answer."},
		cors.Info{Code: CodeGCPAPIGatewayOptions, Severity: cors.SeverityError, Title: "Google API Gateway: OPTIONS is not defined in the API config", Spec: "Google API Gateway / ESPv2, CORS",
			Fix: "Add OPTIONS operations without security to the OpenAPI spec so preflights reach the backend, which answers them."},
		cors.Info{Code: CodeGCSCORS, Severity: cors.SeverityError, Title: "Cloud Storage: the bucket's CORS configuration does not allow the request", Spec: "Cloud Storage, Configuring CORS",
			Fix: "Add an entry for the page's origin, method and headers to the bucket's CORS configuration, keeping the entries there: buckets update --cors-file replaces the whole list, so write back what buckets describe shows with the entry added."},
	)
	addFixes(CodeGCPIAMPreflight,
		fixBuilder{FormatGcloud, "let the preflight through IAM, authenticate in code", func(c FixContext) string {
			return `# A browser cannot add a token to the preflight, so only a service that
# takes unauthenticated requests can answer it. After this IAM no
# longer checks the callers:
# first make the code verify the caller's ID token itself (after
# answering OPTIONS), or put a gateway in front that answers the
# preflights instead. Cloud Run:
gcloud run services add-iam-policy-binding YOUR_SERVICE --region YOUR_REGION --member=allUsers --role=roles/run.invoker
# (or, where an organization policy forbids allUsers:
#  gcloud run services update YOUR_SERVICE --region YOUR_REGION --no-invoker-iam-check)
# Cloud Functions (1st gen), in its place:
#  gcloud functions add-iam-policy-binding YOUR_FUNCTION --member=allUsers --role=roles/cloudfunctions.invoker`
		}},
	)
	addFixes(CodeGCPOptionsNotHandled,
		fixBuilder{FormatGo, "Go (Cloud Run / Functions): answer OPTIONS", goCors},
		fixBuilder{FormatExpress, "Node.js (Express / functions-framework): cors middleware", expressCors},
	)
	addFixes(CodeGCPAPIGatewayOptions,
		fixBuilder{FormatOpenAPI, "OPTIONS operation without security (OpenAPI 2.0 for API Gateway)", func(c FixContext) string {
			return fmt.Sprintf(`# Merge by hand into the whole spec the gateway serves: under the
# path's entry, beside its other operations (a config holds only what
# the spec defines).
paths:
  %s:
    options:
      operationId: corsPreflight
      security: []
      x-google-backend:
        address: https://YOUR_BACKEND_URL
      responses:
        "204":
          description: CORS preflight, answered by the backend
`, c.safeResource())
		}},
		fixBuilder{FormatGcloud, "deploy today's spec with the operation merged in by hand", func(c FixContext) string {
			return `# A new config holds only what openapi.yaml defines and runs as the
# service account it is given: start from the config the gateway serves
# today.
CURRENT=$(gcloud api-gateway gateways describe YOUR_GATEWAY --location=YOUR_REGION --format='value(apiConfig)') \
  && gcloud api-gateway api-configs describe "$CURRENT" --view=FULL --format=json > config-today.json \
  && jq -r '.openapiDocuments[0].document.contents' config-today.json | base64 -d > openapi-today.yaml
# Write openapi.yaml: openapi-today.yaml with the
# OPTIONS operation added under its path. Then:
paths() { sed -nE 's/^[[:space:]]*"?(\/[^"]*[^"[:space:]])"?[[:space:]]*:[[:space:]]*[{]?[[:space:]]*$/\1/p' "$1" | sort -u; }
paths openapi-today.yaml > paths-today.txt; paths openapi.yaml > paths-new.txt
if [ ! -s paths-today.txt ] || [ -n "$(comm -23 paths-today.txt paths-new.txt)" ]; then
  echo "not deployed, today's config kept: openapi.yaml lacks paths it serves: $(comm -23 paths-today.txt paths-new.txt | tr '\n' ' ')" >&2; false
else
  SA=$(jq -r '.gatewayServiceAccount // empty' config-today.json)
  CONFIG=cors-$(date +%Y%m%d-%H%M%S)
  gcloud api-gateway api-configs create "$CONFIG" --api=YOUR_API --openapi-spec=openapi.yaml ${SA:+--backend-auth-service-account="$SA"} \
    && gcloud api-gateway gateways update YOUR_GATEWAY --api=YOUR_API --api-config="$CONFIG" --location=YOUR_REGION
fi`
		}},
	)
	addFixes(CodeGCSCORS,
		fixBuilder{FormatGcloud, "describe, add the entry (jq), buckets update --cors-file", gcsMergeCLI},
		fixBuilder{FormatTerraform, "cors block on google_storage_bucket", func(c FixContext) string {
			whole := ""
			if c.keepsList() {
				whole = fmt.Sprintf(`
  # The cors blocks are the bucket's whole
  # CORS configuration: entries set outside
  # Terraform (the console, gcloud) are deleted on
  # apply unless copied in first; to list them:
  # gcloud storage buckets describe gs://%s --format="default(cors_config)"`, c.Bucket)
			}
			return fmt.Sprintf(`resource "google_storage_bucket" "this" {
  name     = "%s"
  location = "YOUR_LOCATION" # the bucket's location today: another one makes Terraform replace the bucket
%s
  # the cors blocks already in this resource stay; add this one. Cloud
  # Storage answers with the first block matching the origin and
  # method: where one already lists this origin (or "*") and method,
  # add the response_header values to it instead.
  cors {
    origin          = [%s]
    method          = [%s]
    response_header = [%s]
    max_age_seconds = 3600
  }
}
`, c.Bucket, whole, quoteList([]string{c.Origin}), quoteList(gcsMethods(c)), quoteList(c.Headers))
		}},
	)
}

// gcsMethods are the methods a Cloud Storage CORS entry lists for the
// page: its own, whatever it is (an entry takes any method, "*" any; the
// JSON API updates metadata with PATCH). A preflight is answered from the
// entry whose method list holds the requested method, so OPTIONS is not
// listed.
func gcsMethods(c FixContext) []string { return []string{c.Method} }

func googleFingerprint(o *observation, r *response) []signal {
	if r == nil {
		switch {
		case strings.HasSuffix(o.host, ".gateway.dev"):
			return []signal{{idGoogleAPIGateway, 3, "host " + o.host + " is a Google API Gateway"}}
		case strings.HasSuffix(o.host, ".run.app"):
			return []signal{{idCloudRun, 3, "host " + o.host + " is a Cloud Run service"}}
		case strings.HasSuffix(o.host, ".cloudfunctions.net"):
			return []signal{{idCloudFunctions, 3, "host " + o.host + " is a Cloud Functions URL"}}
		case o.host == "storage.googleapis.com" || strings.HasSuffix(o.host, ".storage.googleapis.com"):
			return []signal{{idGCS, 3, "host " + o.host + " is Cloud Storage"}}
		}
		return nil
	}
	m := r.resp
	var out []signal
	server := r.header("Server")
	// Google Frontend serves Cloud Run, Cloud Functions and App Engine: the
	// host tells which.
	frontend := idGoogleFrontend
	switch {
	case strings.HasSuffix(o.host, ".run.app"):
		frontend = idCloudRun
	case strings.HasSuffix(o.host, ".cloudfunctions.net"):
		frontend = idCloudFunctions
	}
	if server == "Google Frontend" {
		out = append(out, signal{frontend, 2, "Server: Google Frontend"})
	}
	if server == "UploadServer" || r.hasHeader("x-guploader-uploadid") {
		out = append(out, signal{idGCS, 3, "header x-guploader-uploadid / Server: UploadServer"})
	}
	if name, ok := r.headerPrefix("x-goog-"); ok && name != "X-Goog-Trace" {
		out = append(out, signal{idGCS, 2, "header " + name})
	}
	if r.hasHeader("Function-Execution-Id") {
		out = append(out, signal{idCloudFunctions, 3, "header Function-Execution-Id"})
	}
	b := body(m)
	if strings.Contains(b, "The current request is not defined by this API") || strings.Contains(b, "Method doesn't allow unregistered callers") {
		out = append(out, signal{idGoogleAPIGateway, 3, "ESPv2's error body"})
	}
	if strings.Contains(b, "Your client does not have permission to get URL") {
		out = append(out, signal{frontend, 2, "Google's 403 page \"Your client does not have permission\""})
	}
	return out
}

func googleCauses(a *analysis) []cors.Finding {
	pf := a.obs.preflight()
	run := ""
	for _, id := range []string{idCloudRun, idCloudFunctions, idGoogleFrontend} {
		if a.has(id) {
			run = id
			break
		}
	}
	if a.has(idGoogleAPIGateway) && pf != nil && pf.resp != nil && !hasACAO(pf.resp) &&
		(strings.Contains(body(pf.resp), "not defined by this API") || strings.Contains(body(pf.resp), "unregistered callers")) {
		return []cors.Finding{a.finding(CodeGCPAPIGatewayOptions, idGoogleAPIGateway, "preflight", true,
			fmt.Sprintf("Google API Gateway answered the preflight %d itself (%s): the API config defines no OPTIONS operation for this path (or one that requires an API key), so the preflight never reaches the backend", pf.resp.Status, show(firstLine(body(pf.resp)))),
			"Add an OPTIONS operation with security: [] for "+a.fixContext().safeResource()+" to the spec; the backend answers it.")}
	}
	if run != "" && pf != nil && pf.resp != nil && !hasACAO(pf.resp) {
		if pf.resp.Status == 403 && strings.Contains(body(pf.resp), "does not have permission") || pf.resp.Status == 401 && header(pf.resp, "Server") == "Google Frontend" && !hasHeader(pf.resp, "Content-Type") {
			return []cors.Finding{a.finding(CodeGCPIAMPreflight, run, "preflight", true,
				fmt.Sprintf("%s rejected the preflight %d before it reached the code: the service requires IAM authentication, and a browser's preflight never carries the Authorization header", platforms[run].Name, pf.resp.Status),
				"Allow unauthenticated invocations and verify the token in code (which must answer OPTIONS first).")}
		}
		if a.blocks("preflight") {
			return []cors.Finding{a.finding(CodeGCPOptionsNotHandled, run, "preflight", true,
				fmt.Sprintf("%s passed the preflight to the code, which answered %d without CORS headers: the handler does not answer OPTIONS", platforms[run].Name, pf.resp.Status),
				"Answer OPTIONS with 204 and the CORS headers for "+a.fixContext().Origin+".")}
		}
	}
	if a.has(idGCS) {
		if r := a.firstBlockedWithoutACAO(); r != nil {
			return []cors.Finding{a.finding(CodeGCSCORS, idGCS, r.step, true,
				fmt.Sprintf("Cloud Storage answered the %s %d without Access-Control-Allow-Origin: bucket %s has no CORS configuration, or none of its entries lists origin %s with method %s", r.step, r.resp.Status, a.fixContext().Bucket, a.fixContext().Origin, a.fixContext().Method),
				"Set a CORS configuration on gs://"+a.fixContext().Bucket+" for "+a.fixContext().Origin+".")}
		}
	}
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
