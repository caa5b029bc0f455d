package platform

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// awsStub plays the aws CLI for the write snippets: each service's
// configuration is a JSON file in $STUB_DIR, read by get-* and replaced by
// put-*/update-* exactly as the real service replaces it. $STUB_DIR/deny
// makes every read fail with AccessDenied.
const awsStub = `#!/usr/bin/env bash
set -u
dir=$STUB_DIR
arg() { local want=$1; shift; while [ $# -gt 0 ]; do [ "$1" = "$want" ] && { echo "$2"; return; }; shift; done; }
if [ -e "$dir/deny" ]; then echo "An error occurred (AccessDenied) when calling the operation: Access Denied" >&2; exit 254; fi
echo "$*" >> "$dir/calls"
# show prints a read's answer in the output format asked for: --output, else
# the user's default (AWS_DEFAULT_OUTPUT, or output in ~/.aws/config), else
# JSON. Text is one value a line, which jq cannot read.
fmt=$(arg --output "$@"); fmt=${fmt:-${AWS_DEFAULT_OUTPUT:-json}}
show() { if [ "$fmt" = json ]; then cat; else jq -r '.. | scalars'; fi; }
# rest JQ-ARGS...: apply a jq program to the REST API's state.
rest() { jq "$@" "$dir/rest.json" > "$dir/rest.new" && mv "$dir/rest.new" "$dir/rest.json"; }
# patch AT FILE: API Gateway's patch operations on the object at the path
# AT; add sets one response parameter or mapping template (~1 in a path
# stands for /), replace changes one that exists.
patch() {
  local f=${2#file://}
  rest --argjson at "$1" --slurpfile ops "$f" 'reduce $ops[0][] as $op (.;
    ($op.path | ltrimstr("/") | split("/") | map(gsub("~1"; "/"))) as $p |
    if ($p | length) != 2 or ($p[0] != "responseParameters" and $p[0] != "responseTemplates")
    then error("unsupported patch operation \($op)")
    elif $op.op == "add" then setpath($at + $p; $op.value)
    elif $op.op == "replace" and getpath($at + $p) != null then setpath($at + $p; $op.value)
    else error("NotFoundException: invalid patch operation \($op)") end)'
}
case "$1 $2" in
"s3api get-bucket-cors")
  [ -s "$dir/s3.json" ] || { echo "An error occurred (NoSuchCORSConfiguration) when calling the GetBucketCors operation: The CORS configuration does not exist" >&2; exit 254; }
  show < "$dir/s3.json" ;;
"s3api put-bucket-cors")
  f=$(arg --cors-configuration "$@"); f=${f#file://}
  jq -e '.CORSRules | type == "array" and length > 0' "$f" >/dev/null || { echo "MalformedXML" >&2; exit 254; }
  cp "$f" "$dir/s3.json" ;;
"apigatewayv2 get-api")
  jq '.CorsConfiguration' "$dir/api.json" | show ;;
"apigatewayv2 get-integrations")
  jq '[.Integrations[]?.ResponseParameters]' "$dir/api.json" | show ;;
"apigatewayv2 update-api")
  f=$(arg --cors-configuration "$@"); f=${f#file://}
  jq --slurpfile c "$f" '.CorsConfiguration = $c[0]' "$dir/api.json" > "$dir/api.new" && mv "$dir/api.new" "$dir/api.json" ;;
"lambda get-function-url-config")
  jq '.Cors' "$dir/url.json" | show ;;
"lambda update-function-url-config")
  f=$(arg --cors "$@"); f=${f#file://}
  jq -e '(.AllowMethods // []) | length <= 6 and all(.[]; length <= 6)' "$f" >/dev/null \
    || { echo "An error occurred (ValidationException) when calling the UpdateFunctionUrlConfig operation: AllowMethods" >&2; exit 254; }
  jq --slurpfile c "$f" '.Cors = $c[0]' "$dir/url.json" > "$dir/url.new" && mv "$dir/url.new" "$dir/url.json" ;;
"apigateway get-resources")
  # no-resource: the path is not the API's (a custom domain's base path in it)
  [ -e "$dir/no-resource" ] || echo r1 ;;
"apigateway create-deployment")
  rest '.deployments += 1' ;;
"apigateway update-gateway-response")
  patch "$(jq -n --arg t "$(arg --response-type "$@")" '["gatewayResponses", $t]')" "$(arg --patch-operations "$@")" ;;
"apigateway get-gateway-response")
  # a type never customised answers its default, without parameters
  jq --arg t "$(arg --response-type "$@")" '.gatewayResponses[$t] // {responseType: $t, defaultResponse: true}' "$dir/rest.json" | show ;;
"apigateway put-gateway-response")
  f=$(arg --response-parameters "$@"); f=${f#file://}
  rest --arg t "$(arg --response-type "$@")" --slurpfile p "$f" '.gatewayResponses[$t] = {responseParameters: $p[0]}' ;;
"apigateway get-method")
  jq -e --arg m "$(arg --http-method "$@")" '.methods[$m] // empty' "$dir/rest.json" >/dev/null \
    || { echo "An error occurred (NotFoundException) when calling the GetMethod operation: Invalid Method identifier specified" >&2; exit 254; } ;;
"apigateway update-method")
  # shorthand operations: op=replace,path=/NAME,value=VALUE ...
  m=$(arg --http-method "$@")
  jq -e --arg m "$m" '.methods[$m] // empty' "$dir/rest.json" >/dev/null \
    || { echo "An error occurred (NotFoundException) when calling the UpdateMethod operation: Invalid Method identifier specified" >&2; exit 254; }
  for a in "$@"; do
    case "$a" in op=replace,path=/*,value=*)
      p=${a#op=replace,path=/}; v=${p#*,value=}; p=${p%%,*}
      rest --arg m "$m" --arg p "$p" --arg v "$v" '.methods[$m][$p] = $v' ;;
    op=*) echo "aws stub: unsupported operation $a" >&2; exit 2 ;;
    esac
  done ;;
"apigateway put-method")
  m=$(arg --http-method "$@")
  jq -e --arg m "$m" '.methods[$m] // empty' "$dir/rest.json" >/dev/null \
    && { echo "An error occurred (ConflictException) when calling the PutMethod operation: Method already exists for this resource" >&2; exit 254; }
  rest --arg m "$m" --arg a "$(arg --authorization-type "$@")" '.methods[$m] = {authorizationType: $a, responses: {}, integrationResponses: {}}' ;;
"apigateway put-integration")
  rest --arg m "$(arg --http-method "$@")" --arg t "$(arg --type "$@")" '.methods[$m].integration = {type: $t}' ;;
"apigateway put-method-response")
  m=$(arg --http-method "$@") s=$(arg --status-code "$@") f=$(arg --response-parameters "$@"); f=${f#file://}
  jq -e --arg m "$m" --arg s "$s" '.methods[$m].responses[$s] // empty' "$dir/rest.json" >/dev/null \
    && { echo "An error occurred (ConflictException) when calling the PutMethodResponse operation: Response already exists for this resource" >&2; exit 254; }
  rest --arg m "$m" --arg s "$s" --slurpfile p "$f" '.methods[$m].responses[$s] = {responseParameters: $p[0]}' ;;
"apigateway put-integration-response")
  f=$(arg --response-parameters "$@"); f=${f#file://}
  rest --arg m "$(arg --http-method "$@")" --arg s "$(arg --status-code "$@")" --slurpfile p "$f" '.methods[$m].integrationResponses[$s] = {responseParameters: $p[0]}' ;;
"apigateway get-integration-response")
  jq -e --arg m "$(arg --http-method "$@")" --arg s "$(arg --status-code "$@")" '.methods[$m].integrationResponses[$s] // empty' "$dir/rest.json" | show \
    || { echo "An error occurred (NotFoundException) when calling the GetIntegrationResponse operation: Invalid Response status code specified" >&2; exit 254; } ;;
"apigateway update-method-response"|"apigateway update-integration-response")
  m=$(arg --http-method "$@") s=$(arg --status-code "$@") kind=responses
  [ "$2" = update-integration-response ] && kind=integrationResponses
  at=$(jq -n --arg m "$m" --arg k "$kind" --arg s "$s" '["methods", $m, $k, $s]')
  jq -e --argjson at "$at" 'getpath($at) // empty' "$dir/rest.json" >/dev/null \
    || { echo "An error occurred (NotFoundException) when calling the UpdateMethodResponse operation: Invalid Response status code specified" >&2; exit 254; }
  patch "$at" "$(arg --patch-operations "$@")" ;;
"cloudfront get-distribution-config")
  jq '{ETag: .etag, DistributionConfig: .config}' "$dir/cf.json" | show ;;
"cloudfront update-distribution")
  # the configuration sent replaces the whole one, if it is the version read
  f=$(arg --distribution-config "$@"); f=${f#file://}
  [ "$(arg --if-match "$@")" = "$(jq -r .etag "$dir/cf.json")" ] \
    || { echo "An error occurred (PreconditionFailed) when calling the UpdateDistribution operation" >&2; exit 254; }
  jq -e '[.DefaultCacheBehavior, (.CacheBehaviors.Items // [])[]] | all(.[];
      ((.OriginRequestPolicyId // "") == "" or (.CachePolicyId // "") != "")
      and (.AllowedMethods.Quantity as $q | (.AllowedMethods.Items | length) == $q and ($q == 2 or $q == 3 or $q == 7)))' "$f" >/dev/null \
    || { echo "An error occurred (InvalidArgument) when calling the UpdateDistribution operation" >&2; exit 254; }
  jq --slurpfile c "$f" '.config = $c[0] | .updates += 1 | .etag = "E\(.updates)"' "$dir/cf.json" > "$dir/cf.new" && mv "$dir/cf.new" "$dir/cf.json" ;;
"cloudfront get-cache-policy")
  p=$(jq -e --arg id "$(arg --id "$@")" '.cachePolicies[$id] // empty' "$dir/cf.json") \
    || { echo "An error occurred (NoSuchCachePolicy) when calling the GetCachePolicy operation" >&2; exit 254; }
  echo "$p" | show ;;
"cloudfront create-cache-policy")
  # a new policy, its name unique in the account; prints its id (--query)
  f=$(arg --cache-policy-config "$@"); f=${f#file://}
  jq -e --slurpfile c "$f" '[.cachePolicies[] | .Name] | index($c[0].Name) == null' "$dir/cf.json" >/dev/null \
    || { echo "An error occurred (CachePolicyAlreadyExists) when calling the CreateCachePolicy operation" >&2; exit 254; }
  id=cp-$(jq '.cachePolicies | length' "$dir/cf.json")
  jq --arg id "$id" --slurpfile c "$f" '.cachePolicies[$id] = $c[0]' "$dir/cf.json" > "$dir/cf.new" && mv "$dir/cf.new" "$dir/cf.json"
  echo "$id" ;;
"cloudfront create-invalidation")
  jq '.invalidations += 1' "$dir/cf.json" > "$dir/cf.new" && mv "$dir/cf.new" "$dir/cf.json" ;;
*) echo "aws stub: unknown command $*" >&2; exit 2 ;;
esac
`

// gcloudStub plays gcloud storage buckets describe/update the same way,
// and API Gateway: a config is created whole from its spec, as the service
// account given (else the default one), and a gateway serves one config.
const gcloudStub = `#!/usr/bin/env bash
set -u
dir=$STUB_DIR
opt() { local want=$1; shift; for a in "$@"; do case "$a" in --$want=*) echo "${a#--$want=}"; return ;; esac; done; }
gw() { jq "$@" "$dir/gw.json" > "$dir/gw.new" && mv "$dir/gw.new" "$dir/gw.json"; }
case "$1 $2 $3" in
"api-gateway gateways describe")
  [ "$(opt format "$@")" = "value(apiConfig)" ] || { echo "gcloud stub: format $*" >&2; exit 2; }
  jq -r '.gateway.apiConfig' "$dir/gw.json" ;;
"api-gateway api-configs describe")
  [ "$(opt view "$@")" = FULL ] || { echo "gcloud stub: --view=FULL expected" >&2; exit 2; }
  jq -e --arg id "${4##*/}" '.configs[$id] // empty' "$dir/gw.json" || { echo "NOT_FOUND: $4" >&2; exit 1; } ;;
"api-gateway api-configs create")
  f=$(opt openapi-spec "$@") sa=$(opt backend-auth-service-account "$@")
  jq -e --arg id "$4" '.configs[$id] // empty' "$dir/gw.json" >/dev/null && { echo "ALREADY_EXISTS: $4" >&2; exit 1; }
  gw --arg id "$4" --arg sa "${sa:-123-compute@developer.gserviceaccount.com}" --arg f "$f" --arg spec "$(base64 -w0 < "$f")" \
    '.configs[$id] = {gatewayServiceAccount: $sa, openapiDocuments: [{document: {path: $f, contents: $spec}}]}' ;;
"api-gateway gateways update")
  gw --arg c "projects/p/locations/global/apis/$(opt api "$@")/configs/$(opt api-config "$@")" '.gateway.apiConfig = $c' ;;
"storage buckets describe")
  if [ -s "$dir/gcs.json" ]; then jq '{cors_config: .}' "$dir/gcs.json"; else echo '{}'; fi ;;
"storage buckets update")
  for a in "$@"; do case "$a" in --cors-file=*) f=${a#--cors-file=} ;; esac; done
  jq -e 'type == "array" and length > 0' "$f" >/dev/null || { echo "bad cors file" >&2; exit 1; }
  cp "$f" "$dir/gcs.json" ;;
*) echo "gcloud stub: unknown command $*" >&2; exit 2 ;;
esac
`

// azStub plays App Service's platform CORS list: cors add appends to it,
// an origin listed already included (azure-cli's add_cors concatenates the
// lists), resource update --set switches credentials, cors show prints it
// (or, with --query 'allowedOrigins[0]', its first origin; with
// a contains(allowedOrigins ...) query, whether the origin is listed).
// Credentials are refused while the list holds "*": "This cannot be
// enabled when allowedOrigins includes '*'" (learn.microsoft.com/azure/
// app-service/app-service-web-tutorial-rest-api#enable-cors).
const azStub = `#!/usr/bin/env bash
set -u
dir=$STUB_DIR
arg() { local want=$1; shift; while [ $# -gt 0 ]; do [ "$1" = "$want" ] && { echo "$2"; return; }; shift; done; }
echo "$*" >> "$dir/calls"
case "$1 $2 $3" in
"webapp cors show"|"functionapp cors show")
  q=$(arg --query "$@")
  case "$q" in
  "") cat "$dir/az.json" ;;
  "allowedOrigins[0]") jq -r '.allowedOrigins[0] // empty' "$dir/az.json" ;;
  "contains(allowedOrigins || [''], '"*"')")
    o=${q#"contains(allowedOrigins || [''], '"}; o=${o%"')"}
    jq -r --arg o "$o" '(.allowedOrigins // []) | index($o) != null' "$dir/az.json" ;;
  *) echo "az stub: query $q" >&2; exit 2 ;;
  esac ;;
"webapp cors add"|"functionapp cors add")
  jq --arg o "$(arg --allowed-origins "$@")" '.allowedOrigins = (.allowedOrigins + [$o])' "$dir/az.json" > "$dir/az.new" && mv "$dir/az.new" "$dir/az.json" ;;
"resource update --resource-group")
  [ "$(arg --set "$@")" = properties.cors.supportCredentials=true ] || { echo "az stub: $*" >&2; exit 2; }
  jq -e '(.allowedOrigins // []) | index("*") == null' "$dir/az.json" > /dev/null || { echo "az stub: supportCredentials with * in allowedOrigins" >&2; exit 1; }
  jq '.supportCredentials = true' "$dir/az.json" > "$dir/az.new" && mv "$dir/az.new" "$dir/az.json" ;;
*) echo "az stub: unknown command $*" >&2; exit 2 ;;
esac
`

// writers are the commands that replace a configuration: a snippet that
// runs one must be tested below.
var writers = []string{"put-bucket-cors", "update-api", "update-function-url-config", "--cors-file",
	"put-gateway-response", "update-gateway-response", "update-method", "put-method", "put-integration", "update-method-response", "update-integration-response",
	"update-distribution", "api-configs create", "cors add"}

// writeCase is a write snippet run against the stubbed service's state.
type writeCase struct {
	name    string
	code    cors.Code
	edit    func(c *FixContext) // the page's request, when not the common one
	snippet string              // instead of code's: a snippet of another table
	file    string              // the stub's state file
	state   string              // "" none yet
	deny    bool
	stops   bool // the snippet must stop, with a message, before writing
	// platform is what a stopping snippet writes to: its message names
	// that platform (stopMarks), no other.
	platform string
	stopSays []string          // more words its stop message holds: the settings to change, the command
	files    map[string]string // written beside the state: what the user edits by hand
	check    func(t *testing.T, got map[string]any)
}

// TestWriteSnippetsKeepWhatWorks runs every aws-cli snippet that writes a
// CORS configuration, with aws stubbed, against a configuration that
// already holds a working rule: the rule must survive and the page's
// origin must be added.
func TestWriteSnippetsKeepWhatWorks(t *testing.T) {
	for _, tool := range []string{"bash", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CORSDIAG_SNIPPET_TESTS") == "require" {
				t.Fatalf("%s not found, and CORSDIAG_SNIPPET_TESTS=require", tool)
			}
			t.Skipf("%s not found: the write snippets are not run (CI requires it)", tool)
		}
	}
	const prod = `{"AllowedOrigins":["https://app.example.com"],"AllowedMethods":["GET","HEAD"],"AllowedHeaders":["authorization"],"MaxAgeSeconds":600}`
	const anyOrigin = `{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}`
	const prodConfig = `{"AllowOrigins":["https://app.example.com"],"AllowMethods":["GET","POST"],"AllowHeaders":["authorization"],"AllowCredentials":true,"MaxAge":300}`
	ctx := ExampleContext()
	ctx.Origin, ctx.Bucket, ctx.APIID = "https://staging.example.com", "uploads", "q1w2e3r4t5"
	ctx.Method, ctx.Methods, ctx.Headers = "PUT", []string{"PUT", "OPTIONS"}, []string{"content-type"}

	tests := []writeCase{
		{name: "S3 rule mismatch, a working rule in place", code: CodeS3CORSRuleMismatch, file: "s3.json", state: `{"CORSRules":[` + prod + `]}`,
			check: func(t *testing.T, got map[string]any) {
				rules := got["CORSRules"].([]any)
				if len(rules) != 2 || !sameJSON(rules[0], prod) {
					t.Fatalf("the working rule did not survive first: %v", rules)
				}
				wantHas(t, rules[1], "AllowedOrigins", "https://staging.example.com")
				wantHas(t, rules[1], "AllowedMethods", "PUT")
			}},
		{name: "S3 '*' rule answering a credentialed page: the page's rule goes first", code: CodeS3WildcardCreds, file: "s3.json",
			state: `{"CORSRules":[` + anyOrigin + `,` + prod + `]}`,
			check: func(t *testing.T, got map[string]any) {
				rules := got["CORSRules"].([]any)
				if len(rules) != 3 || !sameJSON(rules[1], anyOrigin) || !sameJSON(rules[2], prod) {
					t.Fatalf("the rules there did not all survive, in their order, after the page's: %v", rules)
				}
				wantHas(t, rules[0], "AllowedOrigins", "https://staging.example.com")
			}},
		{name: "S3 without CORS yet", code: CodeS3CORSNotEnabled, file: "s3.json",
			check: func(t *testing.T, got map[string]any) {
				rules := got["CORSRules"].([]any)
				if len(rules) != 1 {
					t.Fatalf("rules %v, want the page's only", rules)
				}
				wantHas(t, rules[0], "AllowedOrigins", "https://staging.example.com")
			}},
		{name: "S3 read denied: nothing is written", code: CodeS3CORSRuleMismatch, file: "s3.json", state: `{"CORSRules":[` + prod + `]}`, deny: true,
			check: func(t *testing.T, got map[string]any) {
				if rules := got["CORSRules"].([]any); len(rules) != 1 || !sameJSON(rules[0], prod) {
					t.Fatalf("the configuration changed after a failed read: %v", rules)
				}
			}},
		{name: "HTTP API with a CORS configuration", code: CodeHTTPAPINotConfigured, file: "api.json", state: `{"ApiId":"q1w2e3r4t5","Name":"api","CorsConfiguration":` + prodConfig + `}`,
			check: func(t *testing.T, got map[string]any) {
				c := got["CorsConfiguration"]
				wantHas(t, c, "AllowOrigins", "https://app.example.com", "https://staging.example.com")
				wantHas(t, c, "AllowMethods", "GET", "POST", "PUT")
				wantHas(t, c, "AllowHeaders", "authorization", "content-type")
				if c.(map[string]any)["AllowCredentials"] != true {
					t.Errorf("AllowCredentials switched off: the pages sending cookies are refused")
				}
				if m := c.(map[string]any)["MaxAge"]; m != float64(300) {
					t.Errorf("MaxAge %v, want the 300 already set", m)
				}
				if got["Name"] != "api" {
					t.Errorf("the rest of the API changed: %v", got)
				}
			}},
		{name: "HTTP API without CORS yet", code: CodeHTTPAPINotConfigured, file: "api.json", state: `{"ApiId":"q1w2e3r4t5","Name":"api"}`,
			check: func(t *testing.T, got map[string]any) {
				wantHas(t, got["CorsConfiguration"], "AllowOrigins", "https://staging.example.com")
			}},
		// Two Access-Control-Allow-Origin values through an HTTP API: it has
		// no CORS configuration yet; the fix configures one, deletes nothing.
		{name: "HTTP API sending the header twice", code: CodeHTTPAPIDuplicate, file: "api.json", state: `{"ApiId":"q1w2e3r4t5","Name":"api"}`,
			check: func(t *testing.T, got map[string]any) {
				wantHas(t, got["CorsConfiguration"], "AllowOrigins", "https://staging.example.com")
				if got["Name"] != "api" {
					t.Errorf("the rest of the API changed: %v", got)
				}
			}},
		{name: "HTTP API sending the header twice, a configuration there", code: CodeHTTPAPIDuplicate, file: "api.json", state: `{"ApiId":"q1w2e3r4t5","Name":"api","CorsConfiguration":` + prodConfig + `}`,
			check: func(t *testing.T, got map[string]any) {
				wantHas(t, got["CorsConfiguration"], "AllowOrigins", "https://app.example.com", "https://staging.example.com")
			}},
		{name: "Cloud Storage with an entry", code: CodeGCSCORS, file: "gcs.json", state: `[{"origin":["https://app.example.com"],"method":["GET"],"maxAgeSeconds":600}]`,
			check: func(t *testing.T, got map[string]any) {
				list := got["list"].([]any)
				if len(list) != 2 || !sameJSON(list[0], `{"origin":["https://app.example.com"],"method":["GET"],"maxAgeSeconds":600}`) {
					t.Fatalf("the working entry did not survive first: %v", list)
				}
				wantHas(t, list[1], "origin", "https://staging.example.com")
			}},
		// Cloud Storage answers with the first entry whose origin and method
		// match (Get Bucket CORS): an entry appended after one matching the
		// page would never answer it. The headers go into that entry.
		{name: "Cloud Storage with an entry for the page's origin, without its header", code: CodeGCSCORS, file: "gcs.json",
			state: `[{"origin":["https://app.example.com"],"method":["GET"],"maxAgeSeconds":600},{"origin":["https://staging.example.com"],"method":["GET","PUT"],"responseHeader":["x-goog-meta-owner"],"maxAgeSeconds":300}]`,
			check: func(t *testing.T, got map[string]any) {
				list := got["list"].([]any)
				if len(list) != 2 || !sameJSON(list[0], `{"origin":["https://app.example.com"],"method":["GET"],"maxAgeSeconds":600}`) {
					t.Fatalf("entries %v, want the two there, the first unchanged", list)
				}
				wantHas(t, list[1], "responseHeader", "x-goog-meta-owner", "content-type")
				wantHas(t, list[1], "method", "GET", "PUT")
				if m := list[1].(map[string]any)["maxAgeSeconds"]; m != float64(300) {
					t.Errorf("maxAgeSeconds %v, want the 300 there", m)
				}
			}},
		// Cloud Storage takes any method in an entry (its JSON API updates
		// an object's metadata with PATCH); S3's five do not bound it.
		{name: "Cloud Storage, a page sending PATCH", code: CodeGCSCORS, file: "gcs.json",
			edit:  func(c *FixContext) { c.Method, c.Methods = "PATCH", []string{"PATCH", "OPTIONS"} },
			state: `[{"origin":["https://app.example.com"],"method":["GET"],"maxAgeSeconds":600}]`,
			check: func(t *testing.T, got map[string]any) {
				list := got["list"].([]any)
				if len(list) != 2 {
					t.Fatalf("entries %v, want the one there and the page's", list)
				}
				wantHas(t, list[1], "method", "PATCH")
				if m := list[1].(map[string]any)["method"].([]any); len(m) != 1 {
					t.Errorf("the page's entry allows %v, want PATCH alone", m)
				}
			}},
		{name: "Cloud Storage with a wildcard entry for every origin", code: CodeGCSCORS, file: "gcs.json",
			state: `[{"origin":["*"],"method":["*"],"maxAgeSeconds":3600}]`,
			check: func(t *testing.T, got map[string]any) {
				list := got["list"].([]any)
				if len(list) != 1 {
					t.Fatalf("entries %v, want the wildcard one, the header added to it", list)
				}
				wantHas(t, list[0], "origin", "*")
				wantHas(t, list[0], "responseHeader", "content-type")
			}},
		{name: "audit's exact allow-list on an HTTP API", snippet: allowListSnippet(t, FormatAWSCLI, ctx), file: "api.json", state: `{"ApiId":"q1w2e3r4t5","Name":"api","CorsConfiguration":{"AllowOrigins":["*"],"AllowMethods":["GET","POST"],"AllowHeaders":["authorization"],"MaxAge":300}}`,
			check: func(t *testing.T, got map[string]any) {
				c := got["CorsConfiguration"].(map[string]any)
				if o := c["AllowOrigins"].([]any); len(o) != 1 || o[0] != "https://staging.example.com" {
					t.Errorf("AllowOrigins %v, want the exact list", o)
				}
				wantHas(t, c, "AllowMethods", "GET", "POST")
				wantHas(t, c, "AllowHeaders", "authorization")
			}},
		// The declared pages send no cookies, but a page the configuration
		// serves today may: the exact list never switches credentials off.
		{name: "audit's exact allow-list on an HTTP API allowing credentials", snippet: allowListSnippet(t, FormatAWSCLI, ctx), file: "api.json", state: `{"ApiId":"q1w2e3r4t5","Name":"api","CorsConfiguration":{"AllowOrigins":["https://staging.example.com","https://staging.example.com.evil.test"],"AllowMethods":["GET"],"AllowCredentials":true}}`,
			check: func(t *testing.T, got map[string]any) {
				c := got["CorsConfiguration"].(map[string]any)
				if o := c["AllowOrigins"].([]any); len(o) != 1 || o[0] != "https://staging.example.com" {
					t.Errorf("AllowOrigins %v, want the exact list", o)
				}
				if c["AllowCredentials"] != true {
					t.Errorf("AllowCredentials switched off: the pages sending cookies are refused")
				}
			}},
		// A function URL takes at most six AllowMethods (Lambda API, Cors):
		// a seventh makes the update fail; "*" keeps every one allowed.
		{name: "Lambda function URL allowing six methods, the page a seventh", code: CodeLambdaURLNotConfigured, file: "url.json",
			edit:  func(c *FixContext) { c.Method, c.Methods = "PATCH", []string{"PATCH", "OPTIONS"} },
			state: `{"FunctionUrl":"https://x.lambda-url.us-east-1.on.aws/","Cors":{"AllowOrigins":["https://app.example.com"],"AllowMethods":["DELETE","GET","HEAD","POST","PUT","TRACE"]}}`,
			check: func(t *testing.T, got map[string]any) {
				if m := got["Cors"].(map[string]any)["AllowMethods"]; !sameJSON(m, `["*"]`) {
					t.Errorf("AllowMethods %v, want [\"*\"]: a function URL takes six at most", m)
				}
				wantHas(t, got["Cors"], "AllowOrigins", "https://app.example.com", "https://staging.example.com")
			}},
		// Once the user listed the origins in place of '*': the page's is
		// added, credentials switched on, every other field kept.
		{name: "Lambda function URL listing origins, a page sending credentials", code: CodeLambdaURLWildcard, file: "url.json",
			edit:  func(c *FixContext) { c.Credentials = true },
			state: `{"FunctionUrl":"https://x.lambda-url.us-east-1.on.aws/","Cors":{"AllowOrigins":["https://app.example.com"],"AllowMethods":["GET"],"ExposeHeaders":["etag"],"MaxAge":300}}`,
			check: func(t *testing.T, got map[string]any) {
				c := got["Cors"].(map[string]any)
				wantHas(t, c, "AllowOrigins", "https://app.example.com", "https://staging.example.com")
				wantHas(t, c, "ExposeHeaders", "etag")
				if c["AllowCredentials"] != true || c["MaxAge"] != float64(300) {
					t.Errorf("Cors %v: want AllowCredentials true and MaxAge 300 kept", c)
				}
			}},
		{name: "Lambda function URL with Cors", code: CodeLambdaURLNotConfigured, file: "url.json", state: `{"FunctionUrl":"https://x.lambda-url.us-east-1.on.aws/","Cors":` + prodConfig + `}`,
			check: func(t *testing.T, got map[string]any) {
				wantHas(t, got["Cors"], "AllowOrigins", "https://app.example.com", "https://staging.example.com")
				wantHas(t, got["Cors"], "AllowMethods", "GET", "POST", "PUT")
			}},
	}
	// API Gateway refuses AllowCredentials beside AllowOrigins '*'
	// (BadRequestException "allow-credentials is not supported if
	// 'allow-origin' is *"), and AWS documents no answer of a function URL
	// for the pair; '*' answers every page without cookies today, so it is
	// not dropped either: every fix merging into such a configuration stops
	// and says why, in the words of its own platform.
	const wildcardConfig = `{"AllowOrigins":["*"],"AllowMethods":["GET"],"ExposeHeaders":["etag"],"MaxAge":300}`
	for _, p := range []struct {
		code           cors.Code
		platform, file string
		state          string // holding %s: the configuration
		field          string
		says           []string
	}{
		{CodeHTTPAPINotConfigured, idHTTPAPI, "api.json", `{"ApiId":"q1w2e3r4t5","Name":"api","CorsConfiguration":%s}`, "CorsConfiguration",
			[]string{"HTTP API", "CorsConfiguration.AllowOrigins", "CorsConfiguration.AllowCredentials", "aws apigatewayv2 update-api"}},
		{CodeHTTPAPIDuplicate, idHTTPAPI, "api.json", `{"ApiId":"q1w2e3r4t5","Name":"api","CorsConfiguration":%s}`, "CorsConfiguration",
			[]string{"HTTP API", "CorsConfiguration.AllowOrigins", "CorsConfiguration.AllowCredentials", "aws apigatewayv2 update-api"}},
		{CodeLambdaURLNotConfigured, idLambdaURL, "url.json", `{"FunctionUrl":"https://x.lambda-url.us-east-1.on.aws/","Cors":%s}`, "Cors",
			[]string{"function URL", "Cors.AllowOrigins", "Cors.AllowCredentials", "aws lambda update-function-url-config"}},
		{CodeLambdaURLWildcard, idLambdaURL, "url.json", `{"FunctionUrl":"https://x.lambda-url.us-east-1.on.aws/","Cors":%s}`, "Cors",
			[]string{"function URL", "Cors.AllowOrigins", "Cors.AllowCredentials", "aws lambda update-function-url-config"}},
	} {
		tests = append(tests, writeCase{name: fmt.Sprintf("%s allowing '*', a page sending credentials", p.code), code: p.code,
			file: p.file, state: fmt.Sprintf(p.state, wildcardConfig), stops: true, platform: p.platform, stopSays: p.says,
			edit: func(c *FixContext) { c.Credentials = true },
			check: func(t *testing.T, got map[string]any) {
				if !sameJSON(got[p.field], wildcardConfig) {
					t.Errorf("the %s changed: %v", p.field, got[p.field])
				}
			}})
	}
	// API Gateway REST: one resource; what the console or a template set up
	// before must survive a fix.
	const customised4XX = `{"statusCode":"401","responseParameters":{"gatewayresponse.header.WWW-Authenticate":"'Bearer'"},"responseTemplates":{"application/json":"{\"error\":$context.error.messageString}"}}`
	const mappedPUT = `{"PUT":{"integration":{"type":"AWS"},"responses":{"200":{"responseModels":{"application/json":"Item"}}},"integrationResponses":{"200":{"selectionPattern":"","responseTemplates":{"application/json":"$input.json('$.Item')"}}}}}`
	const consoleOPTIONS = `{"OPTIONS":{"integration":{"type":"MOCK"},"responses":{"200":{"responseParameters":{"method.response.header.Access-Control-Allow-Origin":false}}},"integrationResponses":{"200":{"responseParameters":{"method.response.header.Access-Control-Allow-Origin":"'*'","method.response.header.Access-Control-Allow-Methods":"'GET,PUT,POST,DELETE'"}}}}}`
	restState := func(gatewayResponses, methods string) string {
		return `{"gatewayResponses":` + gatewayResponses + `,"methods":` + methods + `,"deployments":0}`
	}
	const acaoStaging = "'https://staging.example.com'"
	param := func(t *testing.T, got map[string]any, path ...string) any {
		t.Helper()
		var v any = got
		for _, p := range path {
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: no %s in %v", path, p, v)
			}
			v = m[p]
		}
		return v
	}
	restMapping := func(t *testing.T, got map[string]any) {
		if v := param(t, got, "methods", "PUT", "integrationResponses", "200", "responseTemplates", "application/json"); v != "$input.json('$.Item')" {
			t.Errorf("the mapping template is gone: %v", v)
		}
		if v := param(t, got, "methods", "PUT", "responses", "200", "responseModels", "application/json"); v != "Item" {
			t.Errorf("the method response's model is gone: %v", v)
		}
		if v := param(t, got, "methods", "PUT", "integrationResponses", "200", "responseParameters", "method.response.header.Access-Control-Allow-Origin"); v != acaoStaging {
			t.Errorf("Access-Control-Allow-Origin mapped to %v, want %s", v, acaoStaging)
		}
		if v := param(t, got, "methods", "PUT", "responses", "200", "responseParameters", "method.response.header.Access-Control-Allow-Origin"); v != "false" {
			t.Errorf("the method response declares %v, want false (not required)", v)
		}
	}
	tests = append(tests, []writeCase{
		{name: "REST API gateway responses, DEFAULT_4XX customised", code: CodeAPIGWGatewayResponses, file: "rest.json", state: restState(`{"DEFAULT_4XX":`+customised4XX+`}`, `{}`),
			check: func(t *testing.T, got map[string]any) {
				d4 := param(t, got, "gatewayResponses", "DEFAULT_4XX").(map[string]any)
				if d4["statusCode"] != "401" || param(t, got, "gatewayResponses", "DEFAULT_4XX", "responseTemplates", "application/json") != `{"error":$context.error.messageString}` {
					t.Errorf("DEFAULT_4XX lost its status or template: %v", d4)
				}
				if v := param(t, got, "gatewayResponses", "DEFAULT_4XX", "responseParameters", "gatewayresponse.header.WWW-Authenticate"); v != "'Bearer'" {
					t.Errorf("DEFAULT_4XX lost its WWW-Authenticate header: %v", d4)
				}
				for _, typ := range []string{"DEFAULT_4XX", "DEFAULT_5XX"} {
					if v := param(t, got, "gatewayResponses", typ, "responseParameters", "gatewayresponse.header.Access-Control-Allow-Origin"); v != acaoStaging {
						t.Errorf("%s Access-Control-Allow-Origin %v, want %s", typ, v, acaoStaging)
					}
				}
				if got["deployments"] != float64(2) {
					t.Errorf("%v deployments, want one per run", got["deployments"])
				}
			}},
		// DEFAULT_5XX answers production already (a static origin, or the
		// console's '*'): a static gateway response holds one origin, so the
		// one that works stays; only a response without the header gets it.
		{name: "REST API gateway responses, DEFAULT_5XX answering another origin", code: CodeAPIGWGatewayResponses, file: "rest.json",
			state: restState(`{"DEFAULT_5XX":{"responseParameters":{"gatewayresponse.header.access-control-allow-origin":"'https://app.example.com'","gatewayresponse.header.Access-Control-Allow-Headers":"'authorization,x-api-key'"}}}`, `{}`),
			check: func(t *testing.T, got map[string]any) {
				d5 := param(t, got, "gatewayResponses", "DEFAULT_5XX", "responseParameters").(map[string]any)
				if !sameJSON(d5, `{"gatewayresponse.header.access-control-allow-origin":"'https://app.example.com'","gatewayresponse.header.Access-Control-Allow-Headers":"'authorization,x-api-key'","gatewayresponse.header.Access-Control-Allow-Methods":"'PUT,OPTIONS'"}`) {
					t.Errorf("DEFAULT_5XX %v: its origin and headers must stay, the missing header added", d5)
				}
				if v := param(t, got, "gatewayResponses", "DEFAULT_4XX", "responseParameters", "gatewayresponse.header.Access-Control-Allow-Origin"); v != acaoStaging {
					t.Errorf("DEFAULT_4XX Access-Control-Allow-Origin %v, want %s", v, acaoStaging)
				}
			}},
		// The console's DEFAULT_4XX answers '*' to a page sending credentials:
		// that value becomes the page's origin, credentials are added, and
		// its status, template and other headers stay; another origin
		// mapped in DEFAULT_5XX answers another page and stays.
		{name: "REST API gateway responses answering '*' to a credentialed page", code: CodeAPIGWGatewayResponsesWildcard, file: "rest.json",
			edit: func(c *FixContext) { c.Credentials = true },
			state: restState(`{"DEFAULT_4XX":{"statusCode":"401","responseParameters":{"gatewayresponse.header.Access-Control-Allow-Origin":"'*'","gatewayresponse.header.Access-Control-Allow-Headers":"'Content-Type,Authorization'","gatewayresponse.header.WWW-Authenticate":"'Bearer'"},"responseTemplates":{"application/json":"{\"message\":$context.error.messageString}"}},`+
				`"DEFAULT_5XX":{"responseParameters":{"gatewayresponse.header.Access-Control-Allow-Origin":"'https://app.example.com'"}}}`, `{}`),
			check: func(t *testing.T, got map[string]any) {
				d4 := param(t, got, "gatewayResponses", "DEFAULT_4XX").(map[string]any)
				if !sameJSON(d4, `{"statusCode":"401","responseParameters":{"gatewayresponse.header.Access-Control-Allow-Origin":"`+acaoStaging+`","gatewayresponse.header.Access-Control-Allow-Credentials":"'true'","gatewayresponse.header.Access-Control-Allow-Headers":"'Content-Type,Authorization'","gatewayresponse.header.WWW-Authenticate":"'Bearer'"},"responseTemplates":{"application/json":"{\"message\":$context.error.messageString}"}}`) {
					t.Errorf("DEFAULT_4XX %v: '*' must become the page's origin with credentials, the rest stay", d4)
				}
				d5 := param(t, got, "gatewayResponses", "DEFAULT_5XX", "responseParameters").(map[string]any)
				if !sameJSON(d5, `{"gatewayresponse.header.Access-Control-Allow-Origin":"'https://app.example.com'","gatewayresponse.header.Access-Control-Allow-Credentials":"'true'"}`) {
					t.Errorf("DEFAULT_5XX %v: its origin must stay", d5)
				}
				if got["deployments"] != float64(2) {
					t.Errorf("%v deployments, want one per run", got["deployments"])
				}
			}},
		{name: "REST API gateway responses never customised, a credentialed page", code: CodeAPIGWGatewayResponsesWildcard, file: "rest.json",
			edit:  func(c *FixContext) { c.Credentials = true },
			state: restState(`{}`, `{}`),
			check: func(t *testing.T, got map[string]any) {
				for _, typ := range []string{"DEFAULT_4XX", "DEFAULT_5XX"} {
					p := param(t, got, "gatewayResponses", typ, "responseParameters").(map[string]any)
					if !sameJSON(p, `{"gatewayresponse.header.Access-Control-Allow-Origin":"`+acaoStaging+`","gatewayresponse.header.Access-Control-Allow-Credentials":"'true'"}`) {
						t.Errorf("%s %v, want the page's origin with credentials", typ, p)
					}
				}
			}},
		{name: "REST API gateway responses answering '*', read denied: nothing is written", code: CodeAPIGWGatewayResponsesWildcard, file: "rest.json", deny: true,
			state: restState(`{"DEFAULT_4XX":`+customised4XX+`}`, `{}`),
			check: func(t *testing.T, got map[string]any) {
				if !sameJSON(got, restState(`{"DEFAULT_4XX":`+customised4XX+`}`, `{}`)) {
					t.Errorf("the API changed after a failed read: %v", got)
				}
			}},
		{name: "REST API gateway responses, read denied: nothing is written", code: CodeAPIGWGatewayResponses, file: "rest.json", deny: true,
			state: restState(`{"DEFAULT_4XX":`+customised4XX+`}`, `{}`),
			check: func(t *testing.T, got map[string]any) {
				if !sameJSON(got, restState(`{"DEFAULT_4XX":`+customised4XX+`}`, `{}`)) {
					t.Errorf("the API changed after a failed read: %v", got)
				}
			}},
		// An authorizer on ANY (or {proxy+}) takes the preflight: there is no
		// OPTIONS method to update, so the fix adds one, without auth.
		{name: "REST API preflight taken by an authorizer on ANY", code: CodeAPIGWAuthOnOptions, file: "rest.json",
			state: restState(`{}`, `{"ANY":{"authorizationType":"CUSTOM","authorizerId":"au1","integration":{"type":"AWS_PROXY"}}}`),
			check: func(t *testing.T, got map[string]any) {
				if v := param(t, got, "methods", "OPTIONS", "authorizationType"); v != "NONE" {
					t.Errorf("OPTIONS authorization %v, want NONE", v)
				}
				if v := param(t, got, "methods", "OPTIONS", "integrationResponses", "200", "responseParameters", "method.response.header.Access-Control-Allow-Origin"); v != acaoStaging {
					t.Errorf("OPTIONS answers Access-Control-Allow-Origin %v, want %s", v, acaoStaging)
				}
				if v := param(t, got, "methods", "ANY", "authorizationType"); v != "CUSTOM" {
					t.Errorf("ANY lost its authorizer: %v", v)
				}
				if got["deployments"] != float64(2) {
					t.Errorf("%v deployments, want one per run", got["deployments"])
				}
			}},
		{name: "REST API OPTIONS method with an authorizer", code: CodeAPIGWAuthOnOptions, file: "rest.json",
			state: restState(`{}`, strings.Replace(consoleOPTIONS, `{"OPTIONS":{`, `{"OPTIONS":{"authorizationType":"CUSTOM","authorizerId":"au1","apiKeyRequired":true,`, 1)),
			check: func(t *testing.T, got map[string]any) {
				if v := param(t, got, "methods", "OPTIONS", "authorizationType"); v != "NONE" {
					t.Errorf("OPTIONS authorization %v, want NONE", v)
				}
				if v := param(t, got, "methods", "OPTIONS", "apiKeyRequired"); v != "false" {
					t.Errorf("OPTIONS apiKeyRequired %v, want false", v)
				}
				if v := param(t, got, "methods", "OPTIONS", "integrationResponses", "200", "responseParameters", "method.response.header.Access-Control-Allow-Origin"); v != "'*'" {
					t.Errorf("the OPTIONS mock's answer changed: %v", v)
				}
			}},
		{name: "REST API non-proxy method with a mapping template", code: CodeAPIGWIntegrationNoCORS, file: "rest.json", state: restState(`{}`, mappedPUT), check: restMapping},
		{name: "REST API CORS on OPTIONS only, a mapping template on PUT", code: CodeAPIGWCorsOnlyOnOptions, file: "rest.json", state: restState(`{}`, mappedPUT), check: restMapping},
		{name: "REST API without OPTIONS", code: CodeAPIGWNoOptionsMethod, file: "rest.json", state: restState(`{}`, mappedPUT),
			check: func(t *testing.T, got map[string]any) {
				if v := param(t, got, "methods", "OPTIONS", "integration", "type"); v != "MOCK" {
					t.Errorf("OPTIONS integration %v, want MOCK", v)
				}
				if v := param(t, got, "methods", "OPTIONS", "integrationResponses", "200", "responseParameters", "method.response.header.Access-Control-Allow-Origin"); v != acaoStaging {
					t.Errorf("OPTIONS answers Access-Control-Allow-Origin %v, want %s", v, acaoStaging)
				}
				if v := param(t, got, "methods", "PUT", "integrationResponses", "200", "responseTemplates", "application/json"); v != "$input.json('$.Item')" {
					t.Errorf("PUT changed: %v", v)
				}
			}},
		// Enable CORS's mock answering '*' to a page that sends cookies: the
		// page's origin and credentials go in, the other mappings stay.
		{name: "REST API mock answering '*' to a credentialed page", code: CodeAPIGWMockWildcardCreds, file: "rest.json", state: restState(`{}`, consoleOPTIONS),
			check: func(t *testing.T, got map[string]any) {
				ir := "integrationResponses"
				for path, want := range map[string]any{
					ir + " Access-Control-Allow-Origin":      acaoStaging,
					ir + " Access-Control-Allow-Methods":     "'GET,PUT,POST,DELETE'",
					ir + " Access-Control-Allow-Credentials": "'true'",
					ir + " Vary":                             "'Origin'",
					// a patch operation's value is a string: "false", not required
					"responses Access-Control-Allow-Origin":      "false",
					"responses Access-Control-Allow-Credentials": "false",
					"responses Vary": "false",
				} {
					kind, name, _ := strings.Cut(path, " ")
					if v := param(t, got, "methods", "OPTIONS", kind, "200", "responseParameters", "method.response.header."+name); v != want {
						t.Errorf("OPTIONS %s %s: %v, want %v", kind, name, v, want)
					}
				}
				tmpl, _ := param(t, got, "methods", "OPTIONS", ir, "200", "responseTemplates", "application/json").(string)
				if !strings.Contains(tmpl, `$origin == "https://staging.example.com"`) || !strings.Contains(tmpl, "$context.responseOverride.header.Access-Control-Allow-Origin = $origin") {
					t.Errorf("OPTIONS mapping template %q does not echo the page's origin", tmpl)
				}
				if got["deployments"] != float64(2) {
					t.Errorf("%v deployments, want one per run", got["deployments"])
				}
			}},
		{name: "REST API mock answering '*', with a mapping template of its own", code: CodeAPIGWMockWildcardCreds, file: "rest.json", stops: true, platform: idRESTAPI,
			state: restState(`{}`, strings.Replace(consoleOPTIONS, `"integrationResponses":{"200":{`, `"integrationResponses":{"200":{"responseTemplates":{"application/json":"{\"ok\":true}"},`, 1)),
			check: func(t *testing.T, got map[string]any) {
				if v := param(t, got, "methods", "OPTIONS", "integrationResponses", "200", "responseParameters", "method.response.header.Access-Control-Allow-Origin"); v != "'*'" {
					t.Errorf("the OPTIONS mock changed although its template was kept: %v", v)
				}
			}},
	}...)
	// The URL's path is not a resource of the API (a custom domain's base
	// path in it): nothing is changed, and nothing deployed, which would
	// publish whatever else waits undeployed.
	for _, code := range []cors.Code{CodeAPIGWNoOptionsMethod, CodeAPIGWAuthOnOptions, CodeAPIGWCorsOnlyOnOptions, CodeAPIGWMockWildcardCreds, CodeAPIGWIntegrationNoCORS, CodeAllowOriginDefaultPort} {
		state := restState(`{}`, mappedPUT)
		tests = append(tests, writeCase{name: "REST API, the path not one of its resources: " + string(code), code: code, file: "rest.json", state: state,
			stops: true, platform: idRESTAPI, files: map[string]string{"no-resource": ""},
			check: func(t *testing.T, got map[string]any) {
				if !sameJSON(got, state) {
					t.Errorf("the API changed or was deployed: %s", compactJSON(got))
				}
			}})
	}
	tests = append(tests, []writeCase{
		{name: "REST API with an OPTIONS method not deployed yet", code: CodeAPIGWNoOptionsMethod, file: "rest.json", state: restState(`{}`, consoleOPTIONS),
			check: func(t *testing.T, got map[string]any) {
				if !sameJSON(param(t, got, "methods"), consoleOPTIONS) {
					t.Errorf("the OPTIONS method changed: %v", param(t, got, "methods"))
				}
				if got["deployments"] != float64(2) {
					t.Errorf("%v deployments, want one per run: the stage must be redeployed", got["deployments"])
				}
			}},
	}...)
	// The origin mapped with its default port: that one value is replaced,
	// on OPTIONS and the method; the other mappings, the templates and a
	// method that maps no such header stay as they are.
	withPort := strings.ReplaceAll(consoleOPTIONS, "'*'", "'https://staging.example.com:443'")
	mappedPUTWithPort := strings.Replace(mappedPUT, `"selectionPattern":""`, `"selectionPattern":"","responseParameters":{"method.response.header.Access-Control-Allow-Origin":"'https://staging.example.com:443'"}`, 1)
	tests = append(tests, []writeCase{
		{name: "REST API mapping the origin with :443 on OPTIONS and PUT", code: CodeAllowOriginDefaultPort, file: "rest.json",
			state: restState(`{}`, joinObjects(withPort, mappedPUTWithPort)),
			check: func(t *testing.T, got map[string]any) {
				for _, m := range []string{"OPTIONS", "PUT"} {
					if v := param(t, got, "methods", m, "integrationResponses", "200", "responseParameters", "method.response.header.Access-Control-Allow-Origin"); v != acaoStaging {
						t.Errorf("%s maps Access-Control-Allow-Origin to %v, want %s", m, v, acaoStaging)
					}
				}
				if v := param(t, got, "methods", "OPTIONS", "integrationResponses", "200", "responseParameters", "method.response.header.Access-Control-Allow-Methods"); v != "'GET,PUT,POST,DELETE'" {
					t.Errorf("the OPTIONS mock's methods changed: %v", v)
				}
				if v := param(t, got, "methods", "PUT", "integrationResponses", "200", "responseTemplates", "application/json"); v != "$input.json('$.Item')" {
					t.Errorf("the mapping template is gone: %v", v)
				}
				if got["deployments"] != float64(2) {
					t.Errorf("%v deployments, want one per run", got["deployments"])
				}
			}},
		{name: "REST API mapping the origin with :443 on OPTIONS only", code: CodeAllowOriginDefaultPort, file: "rest.json",
			state: restState(`{}`, joinObjects(withPort, mappedPUT)),
			check: func(t *testing.T, got map[string]any) {
				if v := param(t, got, "methods", "OPTIONS", "integrationResponses", "200", "responseParameters", "method.response.header.Access-Control-Allow-Origin"); v != acaoStaging {
					t.Errorf("OPTIONS maps Access-Control-Allow-Origin to %v, want %s", v, acaoStaging)
				}
				if !sameJSON(map[string]any{"PUT": param(t, got, "methods", "PUT")}, mappedPUT) {
					t.Errorf("PUT changed: %v", param(t, got, "methods", "PUT"))
				}
			}},
	}...)
	// The same on a method that answers 201 and a mock that answers 204
	// (CDK's): the responses the browser saw are keyed by those statuses,
	// and a 200 there is another answer. The PUT's 400 maps no such header
	// and stays as it is.
	const put201 = `{"PUT":{"integration":{"type":"AWS"},"responses":{"201":{},"400":{}},"integrationResponses":{` +
		`"201":{"selectionPattern":"","responseParameters":{"method.response.header.Access-Control-Allow-Origin":"'https://staging.example.com:443'"},"responseTemplates":{"application/json":"$input.json('$.Item')"}},` +
		`"400":{"selectionPattern":".*invalid.*","responseTemplates":{"application/json":"{\"error\":\"invalid\"}"}}}}}`
	options204 := strings.ReplaceAll(withPort, `"200"`, `"204"`)
	tests = append(tests, []writeCase{
		{name: "REST API mapping the origin with :443, OPTIONS answering 204 and PUT 201", code: CodeAllowOriginDefaultPort, file: "rest.json",
			edit:  func(c *FixContext) { c.Status, c.Preflight.Status = 201, 204 },
			state: restState(`{}`, joinObjects(options204, put201)),
			check: func(t *testing.T, got map[string]any) {
				for m, s := range map[string]string{"OPTIONS": "204", "PUT": "201"} {
					if v := param(t, got, "methods", m, "integrationResponses", s, "responseParameters", "method.response.header.Access-Control-Allow-Origin"); v != acaoStaging {
						t.Errorf("%s %s maps Access-Control-Allow-Origin to %v, want %s", m, s, v, acaoStaging)
					}
				}
				want := strings.ReplaceAll(joinObjects(options204, put201), "'https://staging.example.com:443'", acaoStaging)
				if !sameJSON(param(t, got, "methods"), want) {
					t.Errorf("more than the one value changed:\n%s\nwant:\n%s", compactJSON(param(t, got, "methods")), want)
				}
				if got["deployments"] != float64(2) {
					t.Errorf("%v deployments, want one per run", got["deployments"])
				}
			}},
		// From the exchange: a POST sent without a preflight, answered 202.
		// The OPTIONS mock answers '*', not the port: it stays.
		{name: "REST API, a POST answered 202 with :443, the OPTIONS mock answering '*'", code: CodeAllowOriginDefaultPort, file: "rest.json",
			edit: func(c *FixContext) {
				u := "https://q1w2e3r4t5.execute-api.us-east-1.amazonaws.com/prod/items"
				h := http.Header{"Content-Type": {"text/plain"}}
				ex := &cors.Exchange{Request: cors.Request{Method: "POST", URL: u, Origin: "https://staging.example.com", Header: h},
					Actual: []cors.Hop{{Request: cors.Message{Method: "POST", URL: u, Header: h}, Response: &cors.Message{Status: 202,
						Header: http.Header{"X-Amzn-Requestid": {"1"}, "X-Amz-Apigw-Id": {"A="}, "Access-Control-Allow-Origin": {"https://staging.example.com:443"}}}}}}
				*c = ContextFor(ex, cors.Evaluate(ex))
			},
			state: restState(`{}`, joinObjects(consoleOPTIONS, strings.ReplaceAll(strings.ReplaceAll(put201, `"PUT"`, `"POST"`), `"201"`, `"202"`))),
			check: func(t *testing.T, got map[string]any) {
				want := joinObjects(consoleOPTIONS, strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(put201, `"PUT"`, `"POST"`), `"201"`, `"202"`),
					"'https://staging.example.com:443'", acaoStaging))
				if !sameJSON(param(t, got, "methods"), want) {
					t.Errorf("want the POST's 202 mapping changed, nothing else:\n%s\nwant:\n%s", compactJSON(param(t, got, "methods")), want)
				}
			}},
	}...)
	tests = append(tests, cloudFrontCases()...)
	tests = append(tests, apiGatewayConfigCases()...)
	tests = append(tests, appServiceCases()...)
	tested, stopped := map[cors.Code]bool{}, map[cors.Code]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snippet := tt.snippet
			if snippet == "" {
				tested[tt.code] = true
				// a failed read stops it too (deny)
				stopped[tt.code] = stopped[tt.code] || tt.stops || tt.deny
				c := ctx
				if tt.edit != nil {
					tt.edit(&c)
				}
				snippet = writeSnippet(t, tt.code, c)
			}
			dir := t.TempDir()
			bin := filepath.Join(dir, "bin")
			if err := os.Mkdir(bin, 0o755); err != nil {
				t.Fatal(err)
			}
			for name, stub := range map[string]string{"aws": awsStub, "gcloud": gcloudStub, "az": azStub, "date": dateStub} {
				if err := os.WriteFile(filepath.Join(bin, name), []byte(stub), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			state := filepath.Join(dir, tt.file)
			if tt.state != "" {
				if err := os.WriteFile(state, []byte(tt.state), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for name, content := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.deny {
				if err := os.WriteFile(filepath.Join(dir, "deny"), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			// Twice: a second run adds nothing more.
			for run := 1; run <= 2; run++ {
				cmd := exec.Command("bash", "-c", snippet)
				cmd.Dir = dir
				// A user whose default output is text (aws configure): every
				// read the snippet parses must ask for JSON itself.
				cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "STUB_DIR="+dir, "AWS_DEFAULT_OUTPUT=text")
				out, err := cmd.CombinedOutput()
				if fails := tt.deny || tt.stops; fails != (err != nil) {
					t.Fatalf("run %d: err %v (want failure: %v)\n%s\n--- snippet ---\n%s", run, err, fails, out, snippet)
				}
				if tt.stops && !strings.Contains(string(out), "kept") {
					t.Errorf("run %d: stopped without saying what is kept and why:\n%s", run, out)
				}
				if tt.stops && run == 1 {
					stopNamesItsPlatform(t, tt.platform, string(out))
					for _, w := range tt.stopSays {
						if !strings.Contains(string(out), w) {
							t.Errorf("the stop does not say %q:\n%s", w, out)
						}
					}
				}
			}
			b, err := os.ReadFile(state)
			if err != nil {
				t.Fatalf("no configuration written: %v", err)
			}
			var doc any
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatalf("%s is not JSON: %v\n%s", tt.file, err, b)
			}
			got, ok := doc.(map[string]any)
			if !ok {
				got = map[string]any{"list": doc}
			}
			tt.check(t, got)
		})
	}
	// Every shell snippet that writes a configuration is run above.
	for _, in := range cors.Codes() {
		for _, f := range Fixes(in.Code, ctx) {
			for _, w := range writers {
				if shellForm(f.Format) && strings.Contains(f.Snippet, w) && !tested[in.Code] {
					t.Errorf("%s: its aws-cli snippet runs %s but no case here runs it", in.Code, w)
				}
			}
			// A snippet that can stop is run until it does: its message
			// must name the platform it writes to.
			if shellForm(f.Format) && (strings.Contains(f.Snippet, "error(") || strings.Contains(f.Snippet, ">&2; false")) && !stopped[in.Code] {
				t.Errorf("%s: its %s snippet can stop, but no case here makes it stop", in.Code, f.Format)
			}
		}
	}
}

// CloudFront: an S3 origin behind the default behavior, an API behind
// /api/*; the request's path picks the behavior a fix may change.
const (
	cfOrigins       = `{"Quantity":2,"Items":[{"Id":"s3","DomainName":"assets.s3.us-east-1.amazonaws.com","S3OriginConfig":{"OriginAccessIdentity":""}},{"Id":"api","DomainName":"a1b2c3d4e5.execute-api.us-east-1.amazonaws.com","CustomOriginConfig":{"OriginProtocolPolicy":"https-only"}}]}`
	cfAllMethods    = `{"Quantity":7,"Items":["GET","HEAD","OPTIONS","PUT","POST","PATCH","DELETE"],"CachedMethods":{"Quantity":2,"Items":["GET","HEAD"]}}`
	cfGetHead       = `{"Quantity":2,"Items":["GET","HEAD"],"CachedMethods":{"Quantity":2,"Items":["GET","HEAD"]}}`
	cfCustomPolicy  = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9" // forwards Authorization and the query string
	cfCORSS3        = "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf"
	cfCORSCustom    = "59781a5b-3903-41f3-afcb-af62929ccde1"
	cfCachingOff    = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	cfCachingOptimi = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	cfKeysOrigin    = "7c6b5a49-3827-1605-f4e3-d2c1b0a9f8e7" // a custom policy keying on Origin already
	// cfCachePolicies are the policies get-cache-policy reads: two managed
	// ones as AWS publishes them, and a custom one.
	cfCachePolicies = `{"` + cfCachingOptimi + `":{"Name":"Managed-CachingOptimized","Comment":"Policy with caching enabled","MinTTL":1,"MaxTTL":31536000,"DefaultTTL":86400,"ParametersInCacheKeyAndForwardedToOrigin":{"EnableAcceptEncodingGzip":true,"EnableAcceptEncodingBrotli":true,"HeadersConfig":{"HeaderBehavior":"none"},"CookiesConfig":{"CookieBehavior":"none"},"QueryStringsConfig":{"QueryStringBehavior":"none"}}},` +
		`"` + cfCachingOff + `":{"Name":"Managed-CachingDisabled","MinTTL":0,"MaxTTL":0,"DefaultTTL":0,"ParametersInCacheKeyAndForwardedToOrigin":{"EnableAcceptEncodingGzip":false,"EnableAcceptEncodingBrotli":false,"HeadersConfig":{"HeaderBehavior":"none"},"CookiesConfig":{"CookieBehavior":"none"},"QueryStringsConfig":{"QueryStringBehavior":"none"}}},` +
		`"` + cfKeysOrigin + `":{"Name":"assets-by-origin","MinTTL":0,"MaxTTL":3600,"DefaultTTL":600,"ParametersInCacheKeyAndForwardedToOrigin":{"EnableAcceptEncodingGzip":true,"EnableAcceptEncodingBrotli":false,"HeadersConfig":{"HeaderBehavior":"whitelist","Headers":{"Quantity":2,"Items":["origin","Accept-Language"]}},"CookiesConfig":{"CookieBehavior":"none"},"QueryStringsConfig":{"QueryStringBehavior":"all"}}}}`
)

// cfState is the stub's distribution: the default behavior and one with
// a path pattern.
func cfState(defaultBehavior, pathBehavior string) string {
	return `{"etag":"E0","updates":0,"invalidations":0,"cachePolicies":` + cfCachePolicies + `,"config":{"CallerReference":"r1","Origins":` + cfOrigins +
		`,"DefaultCacheBehavior":` + defaultBehavior + `,"CacheBehaviors":{"Quantity":1,"Items":[` + pathBehavior + `]}}}`
}

func cloudFrontCases() []writeCase {
	s3Default := `{"TargetOriginId":"s3","ViewerProtocolPolicy":"redirect-to-https","CachePolicyId":"` + cfCachingOptimi + `","AllowedMethods":` + cfGetHead + `}`
	apiWith := func(extra string) string {
		return `{"PathPattern":"/api/*","TargetOriginId":"api","ViewerProtocolPolicy":"https-only","AllowedMethods":` + cfAllMethods + `,` + extra + `}`
	}
	apiOwnPolicy := apiWith(`"CachePolicyId":"` + cfCachingOff + `","OriginRequestPolicyId":"` + cfCustomPolicy + `"`)
	apiNoPolicy := apiWith(`"CachePolicyId":"` + cfCachingOff + `"`)
	apiLegacy := apiWith(`"ForwardedValues":{"QueryString":true,"Cookies":{"Forward":"none"},"Headers":{"Quantity":1,"Items":["Authorization"]}}`)
	at := func(path string) func(c *FixContext) { return func(c *FixContext) { c.Path = path } }
	apiDefault := `{"TargetOriginId":"api","ViewerProtocolPolicy":"https-only","CachePolicyId":"` + cfCachingOff + `","AllowedMethods":` + cfAllMethods + `}`
	staticGetHead := `{"PathPattern":"static/*.js","TargetOriginId":"s3","ViewerProtocolPolicy":"redirect-to-https","CachePolicyId":"` + cfCachingOptimi + `","AllowedMethods":` + cfGetHead + `}`
	behavior := func(t *testing.T, got map[string]any, pathPattern bool) map[string]any {
		t.Helper()
		cfg, _ := got["config"].(map[string]any)
		if !pathPattern {
			b, _ := cfg["DefaultCacheBehavior"].(map[string]any)
			return b
		}
		items, _ := cfg["CacheBehaviors"].(map[string]any)["Items"].([]any)
		if len(items) != 1 {
			t.Fatalf("cache behaviors %v, want one", items)
		}
		return items[0].(map[string]any)
	}
	same := func(t *testing.T, b map[string]any, want string, what string) {
		t.Helper()
		if !sameJSON(b, want) {
			t.Errorf("%s: %s, want %s", what, compactJSON(b), want)
		}
	}
	return []writeCase{
		{name: "CloudFront API behavior with its own origin request policy", code: CodeCloudFrontCache, edit: at("/api/items"), file: "cf.json", state: cfState(s3Default, apiOwnPolicy), stops: true, platform: idCloudFront,
			check: func(t *testing.T, got map[string]any) {
				same(t, behavior(t, got, true), apiOwnPolicy, "the /api/* behavior")
				same(t, behavior(t, got, false), s3Default, "the default behavior")
				if got["updates"] != float64(0) {
					t.Errorf("%v updates, want none", got["updates"])
				}
			}},
		{name: "CloudFront S3 default behavior caching without Origin in the key", code: CodeCloudFrontCache, edit: at("/img/logo.png"), file: "cf.json", state: cfState(s3Default, apiOwnPolicy),
			check: func(t *testing.T, got map[string]any) {
				// An origin request policy forwards Origin but leaves it out
				// of the cache key: the cache policy must hold it.
				b := behavior(t, got, false)
				id, _ := b["CachePolicyId"].(string)
				policies, _ := got["cachePolicies"].(map[string]any)
				p, _ := policies[id].(map[string]any)
				if id == cfCachingOptimi || p == nil {
					t.Fatalf("the default behavior still caches with %v: %s", id, compactJSON(b))
				}
				params := p["ParametersInCacheKeyAndForwardedToOrigin"].(map[string]any)
				wantHas(t, params["HeadersConfig"].(map[string]any)["Headers"], "Items", "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
				if p["Name"] != "cors-origin-Managed-CachingOptimized" || p["DefaultTTL"] != float64(86400) || params["EnableAcceptEncodingBrotli"] != true {
					t.Errorf("the copy lost CachingOptimized's settings: %s", compactJSON(p))
				}
				if !sameJSON(policies[cfCachingOptimi], compactJSON(policies[cfCachingOptimi])) || len(policies) != 4 {
					t.Errorf("cache policies %s, want the three and one copy", compactJSON(policies))
				}
				same(t, behavior(t, got, true), apiOwnPolicy, "the /api/* behavior")
				if got["invalidations"] != float64(2) {
					t.Errorf("%v invalidations, want one per run", got["invalidations"])
				}
			}},
		{name: "CloudFront S3 default behavior keying on Origin already", code: CodeCloudFrontCache, edit: at("/img/logo.png"), file: "cf.json",
			state: cfState(strings.Replace(s3Default, cfCachingOptimi, cfKeysOrigin, 1), apiOwnPolicy),
			check: func(t *testing.T, got map[string]any) {
				same(t, behavior(t, got, false), strings.Replace(s3Default, cfCachingOptimi, cfKeysOrigin, 1), "the default behavior")
				if n := len(got["cachePolicies"].(map[string]any)); n != 3 {
					t.Errorf("%d cache policies, want no copy", n)
				}
			}},
		{name: "CloudFront API behavior without a policy", code: CodeCloudFrontCache, edit: at("/api/items"), file: "cf.json", state: cfState(s3Default, apiNoPolicy),
			check: func(t *testing.T, got map[string]any) {
				b := behavior(t, got, true)
				if b["OriginRequestPolicyId"] != cfCORSCustom || b["CachePolicyId"] != cfCachingOff {
					t.Errorf("the /api/* behavior %s, want CORS-CustomOrigin beside its cache policy", compactJSON(b))
				}
				same(t, behavior(t, got, false), s3Default, "the default behavior")
			}},
		{name: "CloudFront API behavior with legacy cache settings", code: CodeCloudFrontCache, edit: at("/api/items"), file: "cf.json", state: cfState(s3Default, apiLegacy),
			check: func(t *testing.T, got map[string]any) {
				b := behavior(t, got, true)
				if _, ok := b["OriginRequestPolicyId"]; ok {
					t.Errorf("an origin request policy on a behavior without a cache policy: %s", compactJSON(b))
				}
				wantHas(t, b["ForwardedValues"].(map[string]any)["Headers"], "Items", "Authorization", "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
				if b["ForwardedValues"].(map[string]any)["QueryString"] != true {
					t.Errorf("the query string is no longer forwarded: %s", compactJSON(b))
				}
			}},
		{name: "CloudFront OPTIONS refused on static/*.js, the default behavior allows all seven", code: CodeCloudFrontNoOptions,
			edit: func(c *FixContext) { c.Path, c.Method = "/static/app.js", "GET" }, file: "cf.json", state: cfState(apiDefault, staticGetHead),
			check: func(t *testing.T, got map[string]any) {
				same(t, behavior(t, got, true)["AllowedMethods"].(map[string]any), `{"Quantity":3,"Items":["GET","HEAD","OPTIONS"],"CachedMethods":{"Quantity":3,"Items":["GET","HEAD","OPTIONS"]}}`, "static/*.js's methods (OPTIONS added)")
				same(t, behavior(t, got, false), apiDefault, "the default behavior")
			}},
		{name: "CloudFront OPTIONS refused for a PUT, the API behavior allows all seven", code: CodeCloudFrontNoOptions, edit: at("/upload/x"), file: "cf.json", state: cfState(s3Default, apiNoPolicy),
			check: func(t *testing.T, got map[string]any) {
				wantHas(t, behavior(t, got, false)["AllowedMethods"], "Items", "GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE")
				same(t, behavior(t, got, true), apiNoPolicy, "the /api/* behavior")
			}},
	}
}

// shellForm: the snippet runs commands (the write snippets tested above).
func shellForm(f Format) bool { return f == FormatAWSCLI || f == FormatGcloud || f == FormatAzureCLI }

// appServiceCases: the app myapp sends CORS headers (a configuration
// exists): from the platform's list, or from its own code when the list
// is empty.
func appServiceCases() []writeCase {
	app := func(c *FixContext) { c.Host, c.Existing, c.Credentials = "myapp.azurewebsites.net", true, true }
	return []writeCase{
		{name: "App Service platform list allowing production", code: CodeAppServiceCORS, edit: app, file: "az.json", state: `{"allowedOrigins":["https://app.example.com"],"supportCredentials":false}`,
			check: func(t *testing.T, got map[string]any) {
				if !sameJSON(got["allowedOrigins"], `["https://app.example.com","https://staging.example.com"]`) || got["supportCredentials"] != true {
					t.Errorf("platform CORS %v, want production kept, staging added, credentials on", got)
				}
			}},
		{name: "App Service platform list *, the page sends credentials", code: CodeAppServiceCORS, edit: app, file: "az.json", state: `{"allowedOrigins":["*"],"supportCredentials":false}`, stops: true, platform: idAppService,
			check: func(t *testing.T, got map[string]any) {
				if !sameJSON(got, `{"allowedOrigins":["*"],"supportCredentials":false}`) {
					t.Errorf("the page's origin added beside * (App Service enables no credentials while * is listed): %v", got)
				}
			}},
		{name: "App Service answering CORS itself (platform list empty)", code: CodeAppServiceCORS, edit: app, file: "az.json", state: `{"allowedOrigins":[],"supportCredentials":false}`, stops: true, platform: idAppService,
			check: func(t *testing.T, got map[string]any) {
				if !sameJSON(got, `{"allowedOrigins":[],"supportCredentials":false}`) {
					t.Errorf("platform CORS switched on over the app's own: %v", got)
				}
			}},
		{name: "Function App answering CORS itself (platform list empty)", code: CodeAppServiceCORS, file: "az.json", state: `{"allowedOrigins":[],"supportCredentials":false}`, stops: true, platform: idAzureFunctions,
			edit: func(c *FixContext) { app(c); c.Path = "/api/items" },
			check: func(t *testing.T, got map[string]any) {
				if !sameJSON(got, `{"allowedOrigins":[],"supportCredentials":false}`) {
					t.Errorf("platform CORS switched on over the app's own: %v", got)
				}
			}},
	}
}

// dateStub is a clock that ticks a second per call: two runs of a snippet
// name what they create apart.
const dateStub = `#!/usr/bin/env bash
n=$(cat "$STUB_DIR/clock" 2>/dev/null || echo 0); echo $((n + 1)) > "$STUB_DIR/clock"
echo "20261202-1200$(printf %02d $((n % 60)))"
`

// apiGatewayConfigCases: Google API Gateway serves config v1, made from
// a spec with two paths and run as its own service account.
func apiGatewayConfigCases() []writeCase {
	const spec = "swagger: \"2.0\"\npaths:\n  /items:\n    get:\n      operationId: list\n  /v1/{name}:cancel:\n    post:\n      operationId: cancel\n"
	const options = "    options:\n      operationId: corsPreflight\n      security: []\n"
	const sa = "gateway@p.iam.gserviceaccount.com"
	state := `{"gateway":{"apiConfig":"projects/p/locations/global/apis/YOUR_API/configs/v1"},"configs":{"v1":{"gatewayServiceAccount":"` + sa +
		`","openapiDocuments":[{"document":{"path":"openapi.yaml","contents":"` + base64.StdEncoding.EncodeToString([]byte(spec)) + `"}}]}}}`
	serving := func(t *testing.T, got map[string]any) map[string]any {
		t.Helper()
		name, _ := got["gateway"].(map[string]any)["apiConfig"].(string)
		cfg, _ := got["configs"].(map[string]any)[name[strings.LastIndex(name, "/")+1:]].(map[string]any)
		if cfg == nil {
			t.Fatalf("the gateway serves %q, which does not exist", name)
		}
		return cfg
	}
	return []writeCase{
		{name: "API Gateway spec merged by hand", code: CodeGCPAPIGatewayOptions, file: "gw.json", state: state,
			files: map[string]string{"openapi.yaml": strings.Replace(spec, "      operationId: list\n", "      operationId: list\n"+options, 1)},
			check: func(t *testing.T, got map[string]any) {
				cfg := serving(t, got)
				if cfg["gatewayServiceAccount"] != sa {
					t.Errorf("the new config runs as %v, not %s as today's: its backends may refuse it", cfg["gatewayServiceAccount"], sa)
				}
				if n := len(got["configs"].(map[string]any)); n != 3 {
					t.Errorf("%d configs, want v1 and one per run", n)
				}
			}},
		{name: "API Gateway openapi.yaml holding the OPTIONS path alone", code: CodeGCPAPIGatewayOptions, file: "gw.json", state: state, stops: true, platform: idGoogleAPIGateway,
			files: map[string]string{"openapi.yaml": "swagger: \"2.0\"\npaths:\n  /items:\n" + options},
			check: func(t *testing.T, got map[string]any) {
				if !sameJSON(got, state) {
					t.Errorf("the gateway changed: %s", compactJSON(got))
				}
			}},
	}
}

// TestMergePrograms: the jq programs can be pasted inside single quotes.
func TestMergePrograms(t *testing.T) {
	for name, p := range map[string]string{"s3-add-rule": jqS3AddRule, "s3-first-rule": jqS3FirstRule, "merge-cors-config": jqMergeCorsConfig, "gcs-add-entry": jqGCSAddEntry, "set-allow-origins": jqSetAllowOrigins, "cloudfront-behavior": jqCloudFrontBehavior,
		"cloudfront-forward-origin": jqCloudFrontForwardOrigin, "cloudfront-allow-options": jqCloudFrontAllowOptions,
		"cloudfront-keys-origin": jqCloudFrontKeysOrigin, "cloudfront-key-origin": jqCloudFrontKeyOrigin,
		"gateway-response-add": jqGatewayResponseAdd} {
		if strings.Contains(inlineJQ(p), "'") || strings.TrimSpace(inlineJQ(p)) == "" {
			t.Errorf("%s: empty, or holds a single quote", name)
		}
	}
	if got := shQuote("it's"); got != `'it'\''s'` {
		t.Errorf("shQuote: %s", got)
	}
}

// allowListSnippet is the exact allow-list's snippet of form f, filled
// with ctx's origin.
func allowListSnippet(t *testing.T, f Format, ctx FixContext) string {
	ctx.Origins = []string{ctx.Origin}
	for _, fx := range AllowListFixes(ctx) {
		if fx.Format == f {
			return fx.Snippet
		}
	}
	t.Fatalf("no %s form of the allow-list", f)
	return ""
}

// writeSnippet is code's shell snippet that writes the configuration.
func writeSnippet(t *testing.T, code cors.Code, ctx FixContext) string {
	t.Helper()
	for _, f := range Fixes(code, ctx) {
		for _, w := range writers {
			if shellForm(f.Format) && strings.Contains(f.Snippet, w) {
				return f.Snippet
			}
		}
	}
	t.Fatalf("%s has no snippet that writes a configuration", code)
	return ""
}

// joinObjects is the JSON object holding the members of a and b.
func joinObjects(a, b string) string {
	return strings.TrimSuffix(a, "}") + "," + strings.TrimPrefix(b, "{")
}

func sameJSON(got any, want string) bool {
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		panic(err)
	}
	return reflect.DeepEqual(got, w)
}

// wantHas checks that the list obj[key] holds every value in want.
func wantHas(t *testing.T, obj any, key string, want ...string) {
	t.Helper()
	m, _ := obj.(map[string]any)
	list, _ := m[key].([]any)
	for _, w := range want {
		found := false
		for _, v := range list {
			found = found || v == w
		}
		if !found {
			t.Errorf("%s lacks %q: %v", key, w, list)
		}
	}
}

// stopMarks are the words that name one platform (or a few) in a stopping
// snippet's message: the service, its settings, its commands.
var stopMarks = []struct {
	word      string
	platforms []string
}{
	{"API Gateway", []string{idRESTAPI, idHTTPAPI}},
	{"REST API", []string{idRESTAPI}},
	{"aws apigateway ", []string{idRESTAPI}},
	{"integration response", []string{idRESTAPI}},
	{"HTTP API", []string{idHTTPAPI}},
	{"CorsConfiguration", []string{idHTTPAPI}},
	{"apigatewayv2", []string{idHTTPAPI}},
	{"function URL", []string{idLambdaURL}},
	{"Cors.Allow", []string{idLambdaURL}},
	{"aws lambda", []string{idLambdaURL}},
	{"CloudFront", []string{idCloudFront}},
	{"cache behavior", []string{idCloudFront}},
	{"aws cloudfront", []string{idCloudFront}},
	{"S3", []string{idS3}},
	{"s3api", []string{idS3}},
	{"Cloud Storage", []string{idGCS}},
	{"gcloud storage", []string{idGCS}},
	{"openapi.yaml", []string{idGoogleAPIGateway}},
	{"api-gateway", []string{idGoogleAPIGateway}},
	{"App Service", []string{idAppService}},
	{"Function App", []string{idAzureFunctions}},
	{"az webapp", []string{idAppService}},
	{"az functionapp", []string{idAzureFunctions}},
}

// stopNamesItsPlatform: out, what a snippet printed when it stopped,
// names the platform it writes to and no other: a user reads it to know
// which settings to change.
func stopNamesItsPlatform(t *testing.T, platform, out string) {
	t.Helper()
	if platform == "" {
		t.Fatalf("a stopping case names no platform")
	}
	own := false
	for _, m := range stopMarks {
		if !strings.Contains(out, m.word) {
			continue
		}
		if slices.Contains(m.platforms, platform) {
			own = true
		} else {
			t.Errorf("the stop of a %s snippet names %q (%s's):\n%s", platform, m.word, strings.Join(m.platforms, ", "), out)
		}
	}
	if !own {
		t.Errorf("the stop of a %s snippet names no word of its own:\n%s", platform, out)
	}
}
