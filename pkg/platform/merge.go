package platform

// Snippets that write a configuration read the one in place first and add
// to it: a put that replaced it would delete the rules that work today. The
// merges are jq programs (snippets/*.jq), inlined into the shell snippets
// and run as they are by the tests, against a stubbed aws that already
// holds a working rule.

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

var (
	//go:embed snippets/s3-add-rule.jq
	jqS3AddRule string
	//go:embed snippets/s3-first-rule.jq
	jqS3FirstRule string
	//go:embed snippets/merge-cors-config.jq
	jqMergeCorsConfig string
	//go:embed snippets/gcs-add-entry.jq
	jqGCSAddEntry string
	//go:embed snippets/set-allow-origins.jq
	jqSetAllowOrigins string
	//go:embed snippets/cloudfront-behavior.jq
	jqCloudFrontBehavior string
	//go:embed snippets/cloudfront-forward-origin.jq
	jqCloudFrontForwardOrigin string
	//go:embed snippets/cloudfront-allow-options.jq
	jqCloudFrontAllowOptions string
	//go:embed snippets/cloudfront-keys-origin.jq
	jqCloudFrontKeysOrigin string
	//go:embed snippets/cloudfront-key-origin.jq
	jqCloudFrontKeyOrigin string
	//go:embed snippets/gateway-response-add.jq
	jqGatewayResponseAdd string
)

// inlineJQ is a jq program ready for single quotes in a shell snippet:
// comment lines dropped. The programs hold no single quote (a test says so).
func inlineJQ(program string) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(program), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// shQuote single-quotes s for a POSIX shell.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// shWord is s as one shell word: as it is when every character is one the
// shell takes literally, else quoted (the brackets of an IPv6 origin would
// be a glob).
func shWord(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._:/@%+=,-", r)) {
			return shQuote(s)
		}
	}
	if s == "" {
		return "''"
	}
	return s
}

// compactJSON renders v on one line.
func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("platform: " + err.Error())
	}
	return string(b)
}

// s3Rule is the CORS rule the page needs, as S3 spells it.
func s3Rule(c FixContext) map[string]any {
	return map[string]any{
		"AllowedOrigins": []string{c.Origin},
		"AllowedMethods": s3Methods(c),
		"AllowedHeaders": c.Headers,
		"ExposeHeaders":  []string{"ETag"},
		"MaxAgeSeconds":  3000,
	}
}

// s3MergeCLI reads the bucket's CORS rules, adds the page's rule (jq) and
// puts the result; a bucket without rules starts from an empty list, and
// any other error of the read stops before the put.
func s3MergeCLI(c FixContext) string {
	return s3PutCLI(c, jqS3AddRule, "# every rule already there stays; the page's rule is added once")
}

// s3FirstRuleCLI is s3MergeCLI with the page's rule put first, before a
// "*" rule that S3 would use in its place.
func s3FirstRuleCLI(c FixContext) string {
	return s3PutCLI(c, jqS3FirstRule, "# every rule already there stays, in its order, after the page's rule: S3 answers with the\n# first rule that matches, so the \"*\" rule still answers the other origins")
}

func s3PutCLI(c FixContext, program, note string) string {
	return fmt.Sprintf(`BUCKET=%s
# the rules in place today (none yet: an empty
# list; any other error stops here, before the put)
aws s3api get-bucket-cors --bucket "$BUCKET" --output json > cors-current.json 2> cors-error.txt \
  || { grep -q NoSuchCORSConfiguration cors-error.txt && echo '{"CORSRules":[]}' > cors-current.json; } \
  && jq --argjson rule %s %s cors-current.json > cors.json \
  && aws s3api put-bucket-cors --bucket "$BUCKET" --cors-configuration file://cors.json \
  && aws s3api get-bucket-cors --bucket "$BUCKET"
%s`, c.Bucket, shQuote(compactJSON(s3Rule(c))), shQuote(inlineJQ(program)), note)
}

// corsConfigAdd is what the page needs in an API Gateway HTTP API's or a
// Lambda function URL's CORS configuration.
func corsConfigAdd(c FixContext, methods []string) map[string]any {
	return map[string]any{
		"AllowOrigins":     []string{c.Origin},
		"AllowMethods":     methods,
		"AllowHeaders":     c.Headers,
		"AllowCredentials": c.Credentials,
		"MaxAge":           7200,
	}
}

// corsConfigService is a service whose CORS configuration is one object,
// {"AllowOrigins": [...], "AllowCredentials": …}, replaced whole by its
// update: an API Gateway HTTP API's CorsConfiguration, a Lambda function
// URL's Cors. Its words are its own: the merge's stop names them.
type corsConfigService struct {
	// get prints its configuration as JSON (the resource named by a
	// shell variable the snippet sets first); put writes cors.json.
	get, put string
	// service names the resource in words ("function URL"); settings is
	// its configuration's field, whose keys the stop message names
	// (Cors.AllowOrigins). No apostrophe: the message is one shQuote'd
	// word, where each would print as '\'' in the snippet.
	service, settings string
	// wildcardCredentials is what the service does with AllowCredentials
	// beside AllowOrigins *: the merge stops on the pair.
	wildcardCredentials string
	// update is where the user lists the origins by hand.
	update string
	// maxMethods is how many AllowMethods it takes, 0 for no limit.
	maxMethods int
}

// wildcardStop is the merge's message when the page sends credentials and
// AllowOrigins holds * today: dropping * would refuse every other page,
// keeping it fails the update or the page.
func (s corsConfigService) wildcardStop() string {
	return fmt.Sprintf("%s.AllowOrigins of the %s holds * today, kept: * answers every page that sends no cookies, never one that does, "+
		"and %s. List the origins that call it in %s.AllowOrigins in place of *, this page among them (%s), then run this again "+
		"to add the page and set %s.AllowCredentials true. Nothing was changed.",
		s.settings, s.service, s.wildcardCredentials, s.settings, s.update, s.settings)
}

var (
	httpAPICORSConfig = corsConfigService{
		get:                 `aws apigatewayv2 get-api --api-id "$API_ID" --query CorsConfiguration --output json`,
		put:                 `aws apigatewayv2 update-api --api-id "$API_ID" --cors-configuration file://cors.json`,
		service:             "HTTP API",
		settings:            "CorsConfiguration",
		wildcardCredentials: "API Gateway refuses CorsConfiguration.AllowCredentials beside it",
		update:              "aws apigatewayv2 update-api --cors-configuration, or CORS of the API in the API Gateway console",
	}
	lambdaURLCORSConfig = corsConfigService{
		get:                 `aws lambda get-function-url-config --function-name "$FUNCTION" --query Cors --output json`,
		put:                 `aws lambda update-function-url-config --function-name "$FUNCTION" --cors file://cors.json`,
		service:             "function URL",
		settings:            "Cors",
		wildcardCredentials: "AWS documents no answer of a function URL for Cors.AllowCredentials beside it",
		update:              "aws lambda update-function-url-config --cors, or Configuration → Function URL in the Lambda console",
		maxMethods:          lambdaURLMaxMethods,
	}
)

// corsConfigMergeCLI reads the service's CORS configuration, merges the
// page's origin, methods and headers into it (jq) and writes it back.
func corsConfigMergeCLI(s corsConfigService, setVar string, add map[string]any) string {
	max := "null"
	if s.maxMethods > 0 {
		max = itoa(s.maxMethods)
	}
	return fmt.Sprintf(`%s
# the CORS configuration in place today (null when none),
# with the page's origin, methods and headers added
%s > cors-current.json \
  && jq --argjson add %s --arg wildcardStop %s --argjson maxMethods %s %s cors-current.json > cors.json \
  && %s
# every origin, method and header allowed today stays`, setVar, s.get, shQuote(compactJSON(add)), shQuote(s.wildcardStop()), max, shQuote(inlineJQ(jqMergeCorsConfig)), s.put)
}

func httpAPIMergeCLI(c FixContext) string {
	return corsConfigMergeCLI(httpAPICORSConfig, "API_ID="+c.APIID, corsConfigAdd(c, c.Methods)) + httpAPIOptionsRoute(c, FormatAWSCLI)
}

// lambdaURLMaxMethods is how many AllowMethods a function URL's Cors takes
// (AWS Lambda API reference, Cors).
const lambdaURLMaxMethods = 6

func lambdaURLMergeCLI(c FixContext) string {
	return corsConfigMergeCLI(lambdaURLCORSConfig, "FUNCTION=YOUR_FUNCTION", corsConfigAdd(c, c.Methods[:1]))
}

// gcsMergeCLI reads a Cloud Storage bucket's CORS entries, adds the page's
// (jq) and writes the list back.
func gcsMergeCLI(c FixContext) string {
	entry := map[string]any{"origin": []string{c.Origin}, "method": gcsMethods(c), "responseHeader": c.Headers, "maxAgeSeconds": 3600}
	return fmt.Sprintf(`BUCKET=%s
# the entries in place today, the page's headers added to the first one
# answering its origin and method (Cloud Storage uses that one), else a
# new entry at the end; every entry there stays
gcloud storage buckets describe "gs://$BUCKET" --format="json(cors_config)" > cors-current.json \
  && jq --argjson rule %s %s cors-current.json > cors.json \
  && gcloud storage buckets update "gs://$BUCKET" --cors-file=cors.json \
  && gcloud storage buckets describe "gs://$BUCKET" --format="default(cors_config)"`, c.Bucket, shQuote(compactJSON(entry)), shQuote(inlineJQ(jqGCSAddEntry)))
}

// gatewayResponsesCLI adds the CORS headers to each gateway response type
// a fix covers, reading each first: update-gateway-response's add sets a
// header whether or not it is mapped, so a mapping there today (an origin
// that works for another page, '*') would be replaced. Only the headers a
// type lacks are added; its status, templates and other headers stay.
func gatewayResponsesCLI(c FixContext) string {
	ops := patchParams(apigwHeaderParams(c, true), "gatewayresponse.header.", jsonString)
	return gatewayResponsesPatchCLI(c, corsJSONHeredoc("cors-gateway-patch.json", ops)+`
# each response gets the headers of
# cors-gateway-patch.json it lacks (update keeps the
# rest; put would replace it all); a header it maps today keeps its value`,
		"--slurpfile ops cors-gateway-patch.json "+shQuote(inlineJQ(jqGatewayResponseAdd)), "maps the CORS headers already: kept")
}

// gatewayResponsesPatchCLI reads each gateway response type the fix
// covers, makes its patch with jq (jqArgs: the arguments and program),
// updates it when the patch is not empty, and redeploys only when every
// type went through. note heads the loop; kept ends the line of a type
// the patch leaves alone.
func gatewayResponsesPatchCLI(c FixContext, note, jqArgs, kept string) string {
	return fmt.Sprintf(`API_ID=%s
%s
FAILED=
for TYPE in %s; do
  aws apigateway get-gateway-response --rest-api-id "$API_ID" --response-type "$TYPE" --output json > "cors-$TYPE.json" \
    && jq %s "cors-$TYPE.json" > "cors-$TYPE-patch.json" \
    && if [ "$(jq length "cors-$TYPE-patch.json")" -gt 0 ]; then
      aws apigateway update-gateway-response --rest-api-id "$API_ID" --response-type "$TYPE" --patch-operations "file://cors-$TYPE-patch.json"
    else
      echo "$TYPE %s" >&2
    fi \
    || FAILED="$FAILED $TYPE"
done
if [ -z "$FAILED" ]; then
  aws apigateway create-deployment --rest-api-id "$API_ID" --stage-name %s
else
  echo "not deployed:$FAILED not changed" >&2; false
fi`, c.APIID, note, strings.Join(gatewayTypes(c), " "), jqArgs, kept, c.Stage)
}
