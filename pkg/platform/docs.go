package platform

import (
	"fmt"
	"sort"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// pageText is the prose of a platform finding's page; the fixes come from
// the same builders the findings use, so page and output never disagree.
type pageText struct {
	Platform string
	// Explains is the engine finding this cause sits beside.
	Explains cors.Code
	Browser  string
	Why      string
	Example  string // the answer as the browser gets it (http)
	// Fetch is the page's call when the example needs its own: the host
	// the platform is recognised by, the header that causes it. Empty:
	// exampleFetch's generic call.
	Fetch string
	// Preflight is the OPTIONS answer the browser got before Example,
	// when the page's point is what follows a preflight that passed.
	Preflight string
	Confirm   string
	Detect    string
	Related   []cors.Code
}

const (
	consolePreflightACAO = "`Access to fetch at '{url}' from origin '{origin}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.`"
	consoleACAO          = "`Access to fetch at '{url}' from origin '{origin}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`"
	consoleMultiple      = "`Access to fetch at '{url}' from origin '{origin}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values '{value}', but only one is allowed. Have the server send the header with a valid value.`"
	consoleMismatch      = "`Access to fetch at '{url}' from origin '{origin}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value '{value}' that is not equal to the supplied origin. Have the server send the header with a valid value.`"
	consoleNetwork       = "no CORS line; Chromium logs `{METHOD} {url} net::ERR_CONNECTION_TIMED_OUT` (or `ERR_NAME_NOT_RESOLVED`) and `fetch()` rejects with `TypeError: Failed to fetch`."
)

func consoleFor(code cors.Code) string {
	switch code {
	case cors.CodePreflightMissingAllowOrigin:
		return consolePreflightACAO
	case cors.CodeMissingAllowOrigin, cors.CodeErrorPathNoCORS:
		return consoleACAO
	case cors.CodeMultipleAllowOrigin:
		return consoleMultiple
	case cors.CodeAllowOriginMismatch:
		return consoleMismatch
	case cors.CodePreflightNetwork, cors.CodeActualNetwork:
		return consoleNetwork
	}
	// The others read as the Chromium profile words them for fetch().
	for _, t := range cors.Chromium.Templates() {
		if t.Code == code && t.Initiator == "fetch" {
			return "`" + strings.Replace(t.Text, "{redirected}", "", 1) + "`"
		}
	}
	return "none of its own; see the engine finding it explains"
}

// Page renders the docs/findings page of a platform code, with every fix
// form filled from ExampleContext.
func Page(code cors.Code) (string, bool) {
	p, ok := pages[code]
	in, registered := cors.Lookup(code)
	if !ok || !registered {
		return "", false
	}
	ex, _ := cors.Lookup(p.Explains)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", code, in.Title)
	sev := string(in.Severity) + ": the browser blocks the request when this is the answer it got; a warning when only the error-path probe saw it."
	if in.Severity == cors.SeverityWarning {
		sev = "warning: a likely cause to confirm, not a block by itself."
	}
	fmt.Fprintf(&b, "- **Severity:** %s\n", sev)
	fmt.Fprintf(&b, "- **Platform:** %s\n", p.Platform)
	chromium, firefox := "none of its own", "none of its own"
	if ex.CorsError != "" {
		chromium = "`" + ex.CorsError + "` (reported as [" + string(p.Explains) + "](" + string(p.Explains) + ".md))"
	}
	if ex.Firefox != "" {
		firefox = "`" + ex.Firefox + "`"
	}
	fmt.Fprintf(&b, "- **Chromium:** %s\n", chromium)
	fmt.Fprintf(&b, "- **Console:** %s\n", consoleFor(p.Explains))
	fmt.Fprintf(&b, "- **Firefox:** %s\n", firefox)
	fmt.Fprintf(&b, "- **Spec:** %s\n\n", in.Spec)
	fmt.Fprintf(&b, "## What the browser does\n\n%s\n\n", p.Browser)
	fmt.Fprintf(&b, "## Why\n\n%s\n\n", p.Why)
	fmt.Fprintf(&b, "## Example\n\n```js\n// page: https://app.example.com\n%s\n```\n\n", exampleFetch(code))
	if p.Preflight != "" {
		fmt.Fprintf(&b, "The preflight's answer:\n\n```http\n%s\n```\n\nThen the request's:\n\n", strings.TrimSpace(p.Preflight))
	}
	fmt.Fprintf(&b, "```http\n%s\n```\n\n", strings.TrimSpace(p.Example))
	fmt.Fprintf(&b, "## How to fix\n\n%s\n\n", in.Fix)
	fmt.Fprintf(&b, "corsdiag fills these with the page's origin, method and headers; shown here for a `GET` from `https://app.example.com` with `Content-Type`. Pick one with `--fix-format`.\n\n")
	for _, f := range Fixes(code, ExampleContext()) {
		fmt.Fprintf(&b, "### %s: %s\n\n```%s\n%s\n```\n\n", f.Format, f.Title, fenceLang(f.Format), strings.TrimRight(f.Snippet, "\n"))
	}
	fmt.Fprintf(&b, "## How to confirm\n\n%s\n\n", p.Confirm)
	fmt.Fprintf(&b, "## How corsdiag detects it\n\n%s\n\n", p.Detect)
	b.WriteString("## Related\n\n")
	related := append([]cors.Code{p.Explains}, p.Related...)
	for _, r := range related {
		if ri, ok := cors.Lookup(r); ok {
			fmt.Fprintf(&b, "- [%s](%s.md): %s\n", r, r, ri.Title)
		}
	}
	b.WriteString("\nWhat corsdiag recognises, and from what evidence: docs/platforms.md.\n")
	return b.String(), true
}

// PageCodes lists the codes with a page here, sorted.
func PageCodes() []cors.Code {
	var out []cors.Code
	for c := range pages {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func exampleFetch(code cors.Code) string {
	if f := pages[code].Fetch; f != "" {
		return f
	}
	switch pages[code].Explains {
	case cors.CodePreflightMissingAllowOrigin, cors.CodePreflightNetwork:
		return `fetch("https://api.example.com/items", { method: "PUT", headers: { "Content-Type": "application/json" } })`
	}
	return `fetch("https://api.example.com/items")`
}

func fenceLang(f Format) string {
	switch f {
	case FormatCloudFormation, FormatSAM, FormatServerless, FormatKong, FormatEnvoy, FormatIstio, FormatOpenAPI:
		return "yaml"
	case FormatAWSCLI, FormatGcloud, FormatAzureCLI:
		return "sh"
	case FormatTerraform:
		return "hcl"
	case FormatVercel, FormatFirebase:
		return "json"
	case FormatAzurePolicy:
		return "xml"
	case FormatCDK:
		return "ts"
	case FormatLambda, FormatExpress, FormatCloudflare:
		return "js"
	case FormatSpring:
		return "java"
	case FormatASPNet:
		return "csharp"
	case FormatGo:
		return "go"
	case FormatNginx:
		return "nginx"
	case FormatApache:
		return "apache"
	}
	return "text"
}

const (
	apigwRESTConfirm = "```sh\naws apigateway get-resources --rest-api-id ID --query \"items[].{path:path,methods:keys(resourceMethods)}\"\naws apigateway get-export --rest-api-id ID --stage-name STAGE --export-type oas30 /dev/stdout\n```\nThe first shows what the API has now, the second what the stage serves; they differ until the stage is redeployed."
	gwHeaders        = "x-amzn-RequestId: 7d6a3c41-8f2e-4b55-9f0a-2f1c3e4d5a6b\nx-amz-apigw-id: Ab1CdEfGhIjKlMn="
)

// mockConfirm is the command that shows an OPTIONS mock's mappings, then
// what confirms. Its integration response is keyed by the status the mock
// answers, as the fixes read it (mockStatus): CDK's answers 204, and
// another status than the mock's answers NotFoundException.
func mockConfirm(confirms string) string {
	return "```sh\naws apigateway get-integration-response --rest-api-id ID --resource-id RID --http-method OPTIONS --status-code STATUS\n```\n" +
		"STATUS is the status the `OPTIONS` answers with (the preflight's, as `corsdiag check` shows it): 200 from the console's Enable CORS, SAM and Serverless, 204 from CDK; with another status the command fails with `NotFoundException`. " +
		confirms
}

var pages = map[cors.Code]pageText{
	CodeAPIGWNoOptionsMethod: {
		Platform: "Amazon API Gateway (REST API)", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "The page's request needs a preflight (a method other than GET/HEAD/POST, or a header such as `Content-Type: application/json` or `Authorization`). The browser sends `OPTIONS` first; API Gateway answers 403 with no `Access-Control-Allow-Origin`, so the browser stops and never sends the real request.",
		Why:     "A REST API only answers methods that exist on the resource. Without an `OPTIONS` method (CORS never enabled on that resource, or enabled but the stage not redeployed) API Gateway treats the request as unroutable and answers `403 {\"message\":\"Missing Authentication Token\"}`, a misleading name for \"no such method\". A wrong stage or path in the URL gives the same answer.",
		Example: "HTTP/1.1 403 Forbidden\nContent-Type: application/json\n" + gwHeaders + "\nx-amzn-ErrorType: MissingAuthenticationTokenException\n\n{\"message\":\"Missing Authentication Token\"}",
		Confirm: apigwRESTConfirm + "\nNo `OPTIONS` under the resource's methods confirms it. In the console: Resources → the resource → its methods list.",
		Detect:  "An API Gateway REST API is recognised (execute-api host, `x-amz-apigw-id`, or this body) and the preflight got 403 with `x-amzn-ErrorType: MissingAuthenticationTokenException` or the body `Missing Authentication Token`. The stage and resource are read from the URL (`/{stage}/{resource}`).",
		Related: []cors.Code{CodeAPIGWStageNotRedeployed, CodeAPIGWAuthOnOptions, cors.CodePreflightStatus},
	},
	CodeAPIGWCorsOnlyOnOptions: {
		Platform: "Amazon API Gateway (REST API)", Explains: cors.CodeMissingAllowOrigin,
		Browser:   "The preflight passes (the `OPTIONS` method returns the CORS headers), the browser sends the real request, and its answer has no `Access-Control-Allow-Origin`: the response is blocked, though the server did the work.",
		Why:       "Enable CORS (or a hand-made MOCK `OPTIONS`) only answers the preflight. The other methods need the header too: with a non-proxy integration, a method response header plus an integration response mapping; with a Lambda or HTTP proxy integration, the backend must return it.",
		Example:   "HTTP/1.1 200 OK\nContent-Type: application/json\n" + gwHeaders + "\n\n{\"id\":\"17\"}",
		Fetch:     `fetch("https://api.example.com/items/17", { method: "PUT", headers: { "Content-Type": "application/json" } })`,
		Preflight: "HTTP/1.1 200 OK\nContent-Type: application/json\n" + gwHeaders + "\nAccess-Control-Allow-Origin: https://app.example.com\nAccess-Control-Allow-Methods: GET,PUT,OPTIONS\nAccess-Control-Allow-Headers: Content-Type,Authorization\n\n{}",
		Confirm:   "```sh\naws apigateway get-method --rest-api-id ID --resource-id RID --http-method PUT --query \"{integration:methodIntegration.type,responses:methodResponses}\"\n```\n`AWS_PROXY`/`HTTP_PROXY` means the backend must set the header; otherwise the method response must declare `Access-Control-Allow-Origin` and the integration response map it.",
		Detect:    "REST API recognised, the preflight answered 2xx with `Access-Control-Allow-Origin`, the actual answer lacks it and is not one of API Gateway's own errors (no `x-amzn-ErrorType`) and shows no proxied backend. When `X-Amzn-Trace-Id` shows a Lambda function answered, the fix also says that with a Lambda proxy integration (what SAM, Serverless and CDK's `LambdaRestApi` set up) the mapping does nothing and the function must return the header: `--fix-format lambda`.",
		Related:   []cors.Code{CodeAPIGWProxyNoCORS, CodeAPIGWIntegrationNoCORS, CodeAPIGWStageNotRedeployed},
	},
	CodeAPIGWProxyNoCORS: {
		Platform: "Amazon API Gateway (REST API) with a Lambda or HTTP proxy integration", Explains: cors.CodeMissingAllowOrigin,
		Browser: "The answer (success or the backend's own error) reaches the browser without `Access-Control-Allow-Origin`, so script cannot read it.",
		Why:     "With a proxy integration API Gateway passes the backend's status, headers and body through; integration response mappings and the console's Enable CORS do not apply. The Lambda function (in its `headers`, on every return path, errors included) or the HTTP backend must set the CORS headers. With an `ANY` method or `{proxy+}` resource the backend also receives the `OPTIONS` preflight and must answer it.",
		Example: "HTTP/1.1 200 OK\nContent-Type: application/json; charset=utf-8\n" + gwHeaders + "\nx-amzn-Remapped-Server: nginx/1.24.0\nX-Powered-By: Express\n\n{\"id\":42}",
		Confirm: "```sh\naws apigateway get-integration --rest-api-id ID --resource-id RID --http-method GET --query type\n```\n`AWS_PROXY` or `HTTP_PROXY` confirms. Then look at the function's or app's response code for the headers.",
		Detect:  "REST API recognised and the answer lacks `Access-Control-Allow-Origin` while it shows the backend's own marks: `x-amzn-Remapped-*` headers (API Gateway renames a proxied backend's `Server`, `Date`…), a framework or server recognised behind it, or a Lambda error body (`errorMessage`, `errorType`). The default fix form follows the backend (Express, Spring, ASP.NET, Go, Lambda).",
		Related: []cors.Code{CodeAPIGWCorsOnlyOnOptions, CodeMiddlewareOrder},
	},
	CodeAPIGWIntegrationNoCORS: {
		Platform: "Amazon API Gateway (REST API)", Explains: cors.CodeMissingAllowOrigin,
		Browser: "The answer has no `Access-Control-Allow-Origin`, so the browser blocks it (for a simple GET no preflight is sent, so this is the first and only check).",
		Why:     "The method's integration adds no CORS header: a non-proxy integration's method response declares none and its integration response maps none, or a proxy backend sets none. An `OPTIONS` method whose MOCK integration maps no headers gives the same on the preflight.",
		Example: "HTTP/1.1 200 OK\nContent-Type: application/json\n" + gwHeaders + "\n\n[]",
		Confirm: "```sh\naws apigateway get-method --rest-api-id ID --resource-id RID --http-method GET\n```\nLook for `method.response.header.Access-Control-Allow-Origin` under `methodResponses` and under `methodIntegration.integrationResponses`.",
		Detect:  "REST API recognised, the answer lacks the header, is not an API Gateway error and shows no proxied backend.",
		Related: []cors.Code{CodeAPIGWCorsOnlyOnOptions, CodeAPIGWProxyNoCORS},
	},
	CodeAPIGWGatewayResponses: {
		Platform: "Amazon API Gateway (REST API)", Explains: cors.CodeMissingAllowOrigin,
		Browser: "When API Gateway itself rejects a request (bad path, missing or invalid API key, authorizer denial, throttling, integration timeout, malformed Lambda answer), its error has no CORS headers. The page sees a CORS error instead of 401, 403, 429 or 504, and cannot show the user what happened.",
		Why:     "Gateway responses (`DEFAULT_4XX`, `DEFAULT_5XX` and the specific types: `UNAUTHORIZED`, `ACCESS_DENIED`, `MISSING_AUTHENTICATION_TOKEN`, `INVALID_API_KEY`, `THROTTLED`, `QUOTA_EXCEEDED`, `INTEGRATION_TIMEOUT`…) carry no `Access-Control-Allow-Origin` unless added. A customised specific type does not inherit the default's headers. AWS WAF custom responses take precedence over gateway responses.",
		Example: "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n" + gwHeaders + "\nx-amzn-ErrorType: UnauthorizedException\n\n{\"message\":\"Unauthorized\"}",
		Confirm: "```sh\naws apigateway get-gateway-responses --rest-api-id ID --query \"items[].{type:responseType,params:responseParameters}\"\n```\nThe types without `gatewayresponse.header.Access-Control-Allow-Origin` are the ones to fix. Console: the API → Gateway responses.",
		Detect:  "REST API recognised; an answer without `Access-Control-Allow-Origin` carries `x-amzn-ErrorType` or one of API Gateway's own bodies. The type is named from them: `UnauthorizedException` → `UNAUTHORIZED`, `Too Many Requests` → `THROTTLED`, `Endpoint request timed out` → `INTEGRATION_TIMEOUT`, and so on. An error on the request the page makes is an error; one seen only by the error-path probe (on by default; `--no-error-probe` turns it off) is a warning.",
		Related: []cors.Code{cors.CodeErrorPathNoCORS, CodeAPIGWAuthOnOptions},
	},
	CodeAPIGWGatewayResponsesWildcard: {
		Platform: "Amazon API Gateway (REST API)", Explains: cors.CodeWildcardCredentials,
		Browser: "API Gateway rejects the request itself (an authorizer's 401, a 403, throttling, a timeout) and its gateway response answers `Access-Control-Allow-Origin: *`. The page sends credentials (`credentials: 'include'`, `withCredentials = true`), for which the browser never accepts `*`: the page sees a CORS error in place of the 401 or 403, and cannot send the user to sign in again.",
		Why:     "The console's Enable CORS, with DEFAULT 4XX and DEFAULT 5XX ticked, maps `gatewayresponse.header.Access-Control-Allow-Origin` to the static value `'*'` in those gateway responses (templates often copy it), and maps no `Access-Control-Allow-Credentials`. The fix changes that one value to the page's origin and adds `Access-Control-Allow-Credentials: 'true'`, in each response type: the other headers, the status code and the body template of a response stay, so a read, then an update of those two paths only (a `put-gateway-response` or a second definition of the type would replace the whole response). A gateway response holds one static origin: where several origins send credentials, the others keep getting a CORS error on these errors. Mapping `method.request.header.Origin` there instead would echo every origin, an attacker's page too, with credentials allowed. The stage then needs a deployment.",
		Example: "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n" + gwHeaders + "\nx-amzn-ErrorType: UnauthorizedException\nAccess-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT\n\n{\"message\":\"Unauthorized\"}",
		Fetch:   `fetch("https://api.example.com/items", { credentials: "include" })`,
		Confirm: "```sh\naws apigateway get-gateway-responses --rest-api-id ID --query \"items[].{type:responseType,params:responseParameters}\"\n```\n`\"gatewayresponse.header.Access-Control-Allow-Origin\": \"'*'\"` on `DEFAULT_4XX` (or the type named) confirms.",
		Detect:  "REST API recognised, the request carries credentials, and the answer the engine reports `*` on is API Gateway's own error (`x-amzn-ErrorType`, or one of its bodies). The fixes cover `DEFAULT_4XX`, `DEFAULT_5XX` and the specific type seen. The aws-cli form changes a response's `Access-Control-Allow-Origin` only where it is `'*'` or missing, and adds `Access-Control-Allow-Credentials` only where missing.",
		Related: []cors.Code{CodeAPIGWGatewayResponses, CodeAPIGWMockWildcardCreds, CodeAPIGWStageNotRedeployed},
	},
	CodeAPIGWLambdaProxyWildcard: {
		Platform: "AWS Lambda behind Amazon API Gateway (proxy integration)", Explains: cors.CodeWildcardCredentials,
		Browser: "The function's answer reaches the page with `Access-Control-Allow-Origin: *`, and the page sends credentials (`credentials: 'include'`, `withCredentials = true`): the browser never accepts `*` for such a request, and blocks the answer.",
		Why:     "With a Lambda proxy integration (REST API; or an HTTP API without a CORS configuration) API Gateway passes the function's `headers` through as they are, and handlers often return `'Access-Control-Allow-Origin': '*'`. The function must answer an allowed `Origin` with itself, `Access-Control-Allow-Credentials: true` and `Vary: Origin` (the answer now depends on the origin, and caches must know), on every response, errors included. The origins it served with `*` and that call without cookies must be in its list too. An HTTP API can instead take a CORS configuration listing the origins with AllowCredentials (see apigw-http-api-cors-not-configured): it then replaces the function's headers.",
		Example: "HTTP/1.1 200 OK\nContent-Type: application/json\n" + gwHeaders + "\nX-Amzn-Trace-Id: Root=1-67a1b2c3-0123456789abcdef01234567;Sampled=0\nAccess-Control-Allow-Origin: *\n\n{\"name\":\"Ada\"}",
		Fetch:   `fetch("https://api.example.com/profile", { credentials: "include" })`,
		Confirm: "`curl -si -H 'Origin: https://app.example.com' URL | grep -i access-control` shows `*`; the function's code returns it (search it for `Access-Control-Allow-Origin`).",
		Detect:  "API Gateway recognised, the request carries credentials, and the answer the engine reports `*` on is the function's: `X-Amzn-Trace-Id` beside API Gateway's request id, or a Lambda error body, and not one of API Gateway's own errors. On an HTTP API only where a preflight passed without `*`: a CORS configuration answers the preflight and the request alike, so a `*` on the request alone is the function's; a `*` on both is reported as the configuration's. A REST API's preflight answering `*` is the OPTIONS mock's (apigw-mock-wildcard-credentials).",
		Related: []cors.Code{cors.CodeMissingVaryOrigin, CodeAPIGWProxyNoCORS, CodeHTTPAPINotConfigured},
	},
	CodeLambdaURLWildcard: {
		Platform: "AWS Lambda function URL", Explains: cors.CodeWildcardCredentials,
		Browser: "The function URL answers `Access-Control-Allow-Origin: *`, and the page sends credentials (`credentials: 'include'`, `withCredentials = true`): the browser never accepts `*` for such a request, and blocks the answer.",
		Why:     "The URL's Cors has `AllowOrigins: [\"*\"]` (or, with no Cors at all, the function returns `*` itself). The fix is the URL's Cors either way, and a function that returns the header must stop: the URL adds its headers beside the function's, not in their place, and the browser refuses the two values (captured: github.com/rimutaka/posts `lambda-url-with-cloudfront/readme-lambda-cors.md`, \"Header double-up\", August 2024; github.com/aws-powertools/powertools-lambda-python issue 4163, April 2024), although AWS's guide says the configured headers \"take precedence\" (docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors). AWS documents `*` and `AllowCredentials` (default false) but not what the URL answers with both, so the fix is the form it documents: in place of `*`, the list of origins that call the URL, the page's among them, and `AllowCredentials: true`. `AllowMethods`, `AllowHeaders`, `ExposeHeaders` and `MaxAge` stay. Origins served by `*` that call without cookies must be listed too, or they are refused: the aws-cli form stops while `*` is there, and changes nothing, for that reason.",
		Example: "HTTP/1.1 200 OK\nContent-Type: application/json\nx-amzn-RequestId: 7d6a3c41-8f2e-4b55-9f0a-2f1c3e4d5a6b\nX-Amzn-Trace-Id: root=1-65a1b2c3-0123456789abcdef01234567\nAccess-Control-Allow-Origin: *\n\n{\"name\":\"Ada\"}",
		Fetch:   `fetch("https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/profile", { credentials: "include" })`,
		Confirm: "```sh\naws lambda get-function-url-config --function-name FUNCTION --query Cors\n```\n`\"AllowOrigins\": [\"*\"]` confirms; no `Cors` at all means the function returns `*` itself.",
		Detect:  "The host is `{id}.lambda-url.{region}.on.aws`, the request carries credentials, and the engine reports `*`.",
		Related: []cors.Code{CodeLambdaURLNotConfigured, CodeHTTPAPINotConfigured},
	},
	CodeAPIGWPrivateWrongEndpoint: {
		Platform: "Amazon API Gateway (private REST API)", Explains: cors.CodeMissingAllowOrigin,
		Browser: "The page calls the private API by a name that cannot route a browser's request: the interface VPC endpoint's own DNS name (`vpce-….execute-api.{region}.vpce.amazonaws.com`), which needs a `Host` or `x-apigw-api-id` header, or the Route 53 alias from outside the VPC. The answer is 403 Forbidden, or no answer at all.",
		Why:     "A private API is reached only through an interface VPC endpoint. With private DNS enabled, `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}` resolves to the endpoint inside the VPC. A browser cannot set `Host`, and `x-apigw-api-id` forces a preflight that does not carry it, so the endpoint-specific names do not work from a page.",
		Example: "HTTP/1.1 403 Forbidden\nContent-Type: application/json\nx-amzn-ErrorType: ForbiddenException\n\n{\"message\":\"Forbidden\"}",
		Fetch:   `fetch("https://vpce-0123456789abcdef0-4pqrst7u.execute-api.us-east-1.vpce.amazonaws.com/prod/items")`,
		Confirm: "```sh\naws ec2 describe-vpc-endpoints --filters Name=service-name,Values=com.amazonaws.REGION.execute-api --query \"VpcEndpoints[].{id:VpcEndpointId,privateDns:PrivateDnsEnabled}\"\naws apigateway get-rest-api --rest-api-id ID --query endpointConfiguration\n```",
		Detect:  "The host is a `vpce-….execute-api.….vpce.amazonaws.com` name, or a `{api-id}-{vpce-id}.execute-api` alias that could not be reached.",
		Related: []cors.Code{CodeAPIGWPrivateHeader, cors.CodeActualNetwork},
	},
	CodeAPIGWPrivateHeader: {
		Platform: "Amazon API Gateway (private REST API)", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "`x-apigw-api-id` is not a CORS-safelisted header, so the browser sends an `OPTIONS` preflight first, without that header. The VPC endpoint cannot tell which API the preflight is for and answers 403 Forbidden without CORS headers; the real request is never sent.",
		Why:     "The header exists for clients that cannot use private DNS (curl, SDKs). A browser cannot attach it to the preflight, and cannot set `Host` either. The fix is DNS: enable private DNS on the endpoint and call the API's own execute-api name from inside the VPC.",
		Example: "HTTP/1.1 403 Forbidden\nContent-Type: application/json\nx-amzn-ErrorType: ForbiddenException\n\n{\"message\":\"Forbidden\"}",
		Fetch:   `fetch("https://vpce-0123456789abcdef0-4pqrst7u.execute-api.us-east-1.vpce.amazonaws.com/prod/items", { headers: { "x-apigw-api-id": "a1b2c3d4e5" } })`,
		Confirm: "```sh\naws ec2 describe-vpc-endpoints --vpc-endpoint-ids vpce-ID --query \"VpcEndpoints[0].PrivateDnsEnabled\"\n```\n`false` confirms; after enabling it, `nslookup ID.execute-api.REGION.amazonaws.com` from inside the VPC returns the endpoint's private addresses.",
		Detect:  "The page's request carries `x-apigw-api-id`; the API id comes from its value and the endpoint id and region from the host.",
		Related: []cors.Code{CodeAPIGWPrivateWrongEndpoint, cors.CodePreflightStatus},
	},
	CodeAPIGWAuthOnOptions: {
		Platform: "Amazon API Gateway (REST API)", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "The preflight is rejected with 401 or 403 by an authorizer, an API key requirement, a resource policy or WAF. A preflight never carries `Authorization`, cookies or `x-api-key`, so it can never pass; the browser stops there.",
		Why:     "An `ANY` method (or `{proxy+}` resource) with an authorizer or `ApiKeyRequired` also catches `OPTIONS`; SAM gives the `OPTIONS` methods it generates the API's `DefaultAuthorizer` and `ApiKeyRequired` unless `AddDefaultAuthorizerToCorsPreflight` and `AddApiKeyRequiredToCorsPreflight` are `false`; CDK gave them the RestApi's `defaultMethodOptions` before its October 2022 fix (aws-cdk#8615), and still does to an `OPTIONS` added with `addMethod`.",
		Example: "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n" + gwHeaders + "\nx-amzn-ErrorType: UnauthorizedException\n\n{\"message\":\"Unauthorized\"}",
		Confirm: "```sh\naws apigateway get-method --rest-api-id ID --resource-id RID --http-method OPTIONS --query \"{auth:authorizationType,key:apiKeyRequired}\"\n```\nAnything but `NONE`/`false` confirms (a 404 here means only `ANY` exists).",
		Detect:  "REST API recognised and the preflight got 401/403 made by API Gateway (`UnauthorizedException`, `AccessDeniedException`, `ForbiddenException`) without CORS headers.",
		Related: []cors.Code{CodeAPIGWNoOptionsMethod, CodeMiddlewareOrder, cors.CodePreflightStatus},
	},
	CodeAPIGWForbiddenAll: {
		Platform: "Amazon API Gateway (REST API)", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "The preflight gets 403 `{\"message\":\"Forbidden\"}` without CORS headers, and so does every other request, one to a path that cannot exist included; the browser stops at the preflight.",
		Why:     "API Gateway answers a path no resource matches with 403 `Missing Authentication Token`, before any API key or authorizer is checked. A plain `Forbidden` there too, and on the page's own request sent with its API key or token, means the requests never reached the API's routes: CloudFront in front forwarding the viewer's `Host` (the `AllViewer` origin request policy; API Gateway routes by its own host name, hence `AllViewerExceptHostHeader`), a custom domain name with no API mapping for the URL's first path segment, a private API called from outside its VPC, or an AWS WAF rule. No OPTIONS method or authorizer setting changes it. (A `{proxy+}` resource that requires an API key takes every path too: when the page sends no `x-api-key`, that stays possible, and the message says so.)",
		Example: "HTTP/1.1 403 Forbidden\nContent-Type: application/json\nx-amzn-RequestId: 7d6a3c41-8f2e-4b55-9f0a-2f1c3e4d5a6b\nx-amzn-ErrorType: ForbiddenException\nVia: 1.1 5bd2d7a8e3f1c9b0a6d4e2f0c8b6a4d2.cloudfront.net (CloudFront)\nX-Cache: Error from cloudfront\n\n{\"message\":\"Forbidden\"}",
		Confirm: "```sh\ncurl -s https://API_ID.execute-api.REGION.amazonaws.com/STAGE/a-path-that-does-not-exist; echo\ncurl -s https://YOUR_DOMAIN/a-path-that-does-not-exist; echo\n```\nBoth answers are 403; their bodies tell them apart. `{\"message\":\"Missing Authentication Token\"}` from the API's own name, while the host the page calls answers `{\"message\":\"Forbidden\"}`: the layer in front (CloudFront, the custom domain) is the cause.",
		Detect:  "REST API recognised; the preflight got API Gateway's 403 `Forbidden` (`ForbiddenException`), and so did the page's own request, sent with an `x-api-key` or `Authorization` header, and the error-path probe's request for a path that cannot exist (not `Missing Authentication Token`). Without the error-path probe this is reported as [apigw-auth-on-options](apigw-auth-on-options.md).",
		Related: []cors.Code{CodeAPIGWAuthOnOptions, CodeAPIGWPrivateWrongEndpoint, cors.CodePreflightStatus},
	},
	CodeAPIGWStageNotRedeployed: {
		Platform: "Amazon API Gateway (REST API)", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "Nothing new: the browser sees exactly what the last deployment serves.",
		Why:     "A REST API stage serves a snapshot (a deployment). Enable CORS, new methods, mappings and gateway responses change the working copy only, until `create-deployment` (console: Deploy API). From outside an undeployed fix and a missing one look the same, so corsdiag adds this as a warning beside the REST API causes.",
		Example: "HTTP/1.1 403 Forbidden\nContent-Type: application/json\n" + gwHeaders + "\nx-amzn-ErrorType: MissingAuthenticationTokenException\n\n{\"message\":\"Missing Authentication Token\"}",
		Confirm: apigwRESTConfirm,
		Detect:  "Added as a warning whenever a REST API cause that a deployment would fix is found.",
		Related: []cors.Code{CodeAPIGWNoOptionsMethod, CodeAPIGWCorsOnlyOnOptions, CodeAPIGWGatewayResponses},
	},
	CodeAPIGWMockWildcardCreds: {
		Platform: "Amazon API Gateway (REST API)", Explains: cors.CodePreflightWildcardCredentials,
		Browser: "The page's request carries credentials (`credentials: 'include'`, `withCredentials = true`) and needs a preflight. API Gateway answers the `OPTIONS` itself with `Access-Control-Allow-Origin: *`. A credentialed request never accepts `*`, so the preflight fails and the browser sends nothing; the console names the wildcard.",
		Why:     "The console's Enable CORS (and the OPTIONS mocks SAM's `Cors`, CDK's `Cors.ALL_ORIGINS` and Serverless's `cors: true` generate) map `Access-Control-Allow-Origin` to the static value `'*'` in the OPTIONS method's MOCK integration response, and map no `Access-Control-Allow-Credentials`. That answers every page that sends no cookies, and none that does. The mapping must be the page's origin (for several origins, a response mapping template that answers a listed `Origin` with itself through `$context.responseOverride.header.Access-Control-Allow-Origin`, after the static mappings), with `Access-Control-Allow-Credentials: 'true'` and `Vary: 'Origin'` declared in the method response and mapped in the integration response; the stage then needs a deployment. The other methods' answers need the same origin and `Access-Control-Allow-Credentials: true`, from the function with a Lambda proxy integration. Origins that call without credentials and relied on `*` must be listed too.",
		Example: "HTTP/1.1 200 OK\nContent-Type: application/json\n" + gwHeaders + "\nAccess-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT\nAccess-Control-Allow-Headers: Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token\n\n{}",
		Fetch:   `fetch("https://api.example.com/items", { method: "PUT", headers: { "Content-Type": "application/json" }, credentials: "include" })`,
		Confirm: mockConfirm("`\"method.response.header.Access-Control-Allow-Origin\": \"'*'\"` and no `Access-Control-Allow-Credentials` confirm. `corsdiag check URL --origin ORIGIN --credentials -X PUT -H 'Content-Type: application/json'` shows the preflight's answer."),
		Detect:  "REST API recognised, the request carries credentials, and the preflight's answer, made by API Gateway (not one of its error responses, and no proxied backend's marks such as `x-amzn-Remapped-*` or a framework behind it), carries `Access-Control-Allow-Origin: *`. The fixes keep the `Access-Control-Allow-Methods` and `-Headers` that answer carried, with the page's method and headers added, and the status it answered with. A backend that answered through a proxy integration gets the engine's own finding and fix.",
		Related: []cors.Code{cors.CodeWildcardCredentials, cors.CodePreflightInvalidCredentials, CodeAPIGWCorsOnlyOnOptions, CodeAPIGWStageNotRedeployed},
	},
	CodeHTTPAPINotConfigured: {
		Platform: "Amazon API Gateway (HTTP API)", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "The preflight gets 404 (no route), 401 (an `ANY` route's authorizer), or an answer without CORS headers; or the actual answer lacks `Access-Control-Allow-Origin`.",
		Why:     "An HTTP API answers preflights itself, with no `OPTIONS` route, only once a CORS configuration exists, and only where no route with an authorizer matches `OPTIONS`: `$default` and an `ANY` route with an authorizer take the preflight and answer 401 even then, until an `OPTIONS` route without authorization comes before them: `OPTIONS /{proxy+}` before `$default`, but on the `ANY` route's own path (`OPTIONS /items` for `ANY /items`), which is a more specific match than `/{proxy+}`. A live check does not know the route, and names `/{proxy+}`; lint names the route's path. It then adds the headers to every integration response and ignores the backend's. Without one, preflights go to the routes. With one that does not list the origin, method or header, the answer has no CORS headers.\n\n### What AWS sends, and the sources\n\n- **Preflight and integration answers**: with a CORS configuration API Gateway answers the\n  preflight itself, adds the configured headers to the integration's answers and ignores the\n  backend's (docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html). An `OPTIONS`\n  with `Origin` but no `Access-Control-Request-Method` is no preflight: it gets `204` without CORS\n  headers (curl output of 1 July 2024, github.com/bizkite-co/handterm,\n  `docs/chats/07/Codeium Chat - 12O1F0c8J4ppV9sBhLdTXlqc9n0ZaenL.md`).\n- **An authorizer's own refusal**: a REST API needs gateway responses to put CORS headers on its\n  own 401/403; an HTTP API has no gateway responses. A JWT authorizer's `401\n  {\"message\":\"Unauthorized\"}` (`www-authenticate: Bearer`) came with the configuration's\n  `access-control-allow-origin`, `vary: origin` and `access-control-allow-credentials` (curl\n  output of 1 July 2024 in github.com/bizkite-co/handterm's chat log of a CDK stack review and a\n  401, `docs/chats/07/2024-07-01-aws-cdk-stack-review-…`), so a page can read it. On a preflight\n  that an `ANY /{proxy+}` route's authorizer (its type not stated) took, Chrome said \"It does not\n  have HTTP ok status\" (arpadt.com/articles/cors-in-http-api), which it says only once\n  `Access-Control-Allow-Origin` passed: the 401 carried it there too. AWS's guide says neither.\n  For a Lambda authorizer's 401/403 and an `AWS_IAM` route's 403 no captured answer was found:\n  `corsdiag lint` takes them to carry no CORS headers.",
		Example: "HTTP/1.1 404 Not Found\nContent-Type: application/json\napigw-requestid: Xy1AbCdEfGhIjKl=\n\n{\"message\":\"Not Found\"}",
		Confirm: "```sh\naws apigatewayv2 get-api --api-id ID --query CorsConfiguration\n```\nEmpty output confirms no configuration; otherwise compare `AllowOrigins`, `AllowMethods`, `AllowHeaders` with the page's request.",
		Detect:  "`apigw-requestid` on the answers (an HTTP API), and an answer without `Access-Control-Allow-Origin`, or a preflight refused with 401 or 403 (an authorizer took it, whatever headers the refusal carries); or a preflight answer that allows the origin but not the method or a header the page sends (then the list to extend is `AllowMethods` or `AllowHeaders`); or an `Access-Control-Allow-Origin: *` to a page that sends credentials (then `*` gives way to the origins that call the API, with `AllowCredentials` true: API Gateway refuses the two together).",
		Related: []cors.Code{CodeHTTPAPIDuplicate, CodeAPIGWNoOptionsMethod},
	},
	CodeHTTPAPIDuplicate: {
		Platform: "Amazon API Gateway (HTTP API)", Explains: cors.CodeMultipleAllowOrigin,
		Browser: "The answer carries `Access-Control-Allow-Origin` twice (or a comma list); the browser accepts exactly one value and blocks.",
		Why:     "An HTTP API with a CORS configuration ignores the CORS headers of the backend and sends its own, once (AWS: \"If you configure CORS for an API, API Gateway ignores CORS headers returned from your backend integration\"). So two values mean the API has no CORS configuration and the backend sends the header twice: a Lambda function that returns it in both `headers` and `multiValueHeaders` (payload 1.0; API Gateway merges them), two CORS middlewares, or a middleware and a hand-set header. A response parameter mapping that appends the header, or a CDN policy in front, can add the second one too. Deleting a CORS configuration never fixes it: configuring one does.",
		Example: "HTTP/1.1 200 OK\napigw-requestid: Xy1AbCdEfGhIjKl=\nAccess-Control-Allow-Origin: https://app.example.com\nAccess-Control-Allow-Origin: *\n\n[]",
		Confirm: "```sh\naws apigatewayv2 get-api --api-id ID --query CorsConfiguration\naws apigatewayv2 get-integrations --api-id ID --query \"Items[].ResponseParameters\"\n```",
		Detect:  "HTTP API recognised and `Access-Control-Allow-Origin` appears more than once (on two lines, or a comma list). The fix configures CORS on the API, merged into what is there, or sends the header once from the backend; it never deletes a configuration.",
		Related: []cors.Code{CodeHTTPAPINotConfigured, cors.CodeDuplicateHeader},
	},
	CodeLambdaURLNotConfigured: {
		Platform: "AWS Lambda function URL", Explains: cors.CodeMissingAllowOrigin,
		Browser: "The function URL answers without `Access-Control-Allow-Origin`, so the browser blocks the answer (or the preflight); or its preflight answer allows the origin but leaves out the method or a header the page sends (reported as [method-not-allowed](method-not-allowed.md) or [header-not-allowed](header-not-allowed.md)).",
		Why:     "A function URL adds CORS headers and answers preflights only when CORS is configured on the URL. It then answers the preflight itself (the function never sees it) and adds its headers to the function's answers beside the function's own, not in their place: a function that still returns `Access-Control-Allow-Origin` sends it twice, which the browser refuses (captured: github.com/rimutaka/posts `lambda-url-with-cloudfront/readme-lambda-cors.md`, \"Header double-up\", August 2024; github.com/aws-powertools/powertools-lambda-python issue 4163, April 2024), although AWS's guide says the configured headers \"take precedence\" (docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors). Its preflight answer lists `AllowMethods` and `AllowHeaders` as configured: an `AWS_IAM` URL whose `Cors` holds only `AllowOrigins` refuses the `Authorization` header a signed request sends. An `AWS_IAM` URL's `Cors` answers the preflight, which no browser signs: AWS's guide (docs.aws.amazon.com/lambda/latest/dg/urls-auth.html) does not say so, but a page's SigV4-signed `POST` to such a URL went through (github.com/jamesmbourne/aws4-axios issue 1553, July 2024, an Amplify and Vite app), which it cannot without that preflight answered. A request the page does not sign gets 403 Forbidden; no source shows whether that 403 carries the `Cors` headers, and `corsdiag lint` takes it to carry none. The fix is written where the template defines the URL: `Cors` on `AWS::Lambda::Url`, `FunctionUrlConfig` on a SAM function (an `AWS::Lambda::Url` beside it would be a second URL), `url.cors` in serverless.yml.",
		Example: "HTTP/1.1 200 OK\nContent-Type: application/json\nx-amzn-RequestId: 7d6a3c41-8f2e-4b55-9f0a-2f1c3e4d5a6b\nX-Amzn-Trace-Id: root=1-65a1b2c3-0123456789abcdef01234567\n\n{\"hello\":\"world\"}",
		Fetch:   `fetch("https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/items")`,
		Confirm: "```sh\naws lambda get-function-url-config --function-name FUNCTION --query Cors\n```",
		Detect:  "The host is `{id}.lambda-url.{region}.on.aws`, and an answer lacks the header or the browser refused the preflight's methods or headers.",
		Related: []cors.Code{CodeAPIGWProxyNoCORS},
	},
	CodeLambdaURLDuplicate: {
		Platform: "AWS Lambda function URL", Explains: cors.CodeMultipleAllowOrigin,
		Browser: "The function URL's answer carries `Access-Control-Allow-Origin` twice (Chromium shows the two values joined by a comma); the browser accepts exactly one value and blocks.",
		Why:     "A function URL with a `Cors` configuration answers the preflight itself, but to the function's other answers it adds its headers beside the function's own, not in their place: a function that still returns `Access-Control-Allow-Origin` (a CORS middleware, a hand-set header) sends it twice, and `Access-Control-Allow-Credentials` too (captured: github.com/rimutaka/posts `lambda-url-with-cloudfront/readme-lambda-cors.md`, \"Header double-up\", August 2024; github.com/aws-powertools/powertools-lambda-python issue 4163, April 2024; github.com/hummingbird-project/hummingbird-examples pull request 130, October 2024). AWS's guide says the configured headers \"take precedence\" (docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors); that holds for the preflight only. Keep one layer: the URL's `Cors` (the function returns no CORS headers), or the function (no `Cors` on the URL, and the function answers `OPTIONS` too).",
		Example: "HTTP/1.1 200 OK\nContent-Type: application/json\nVary: Origin\nx-amzn-RequestId: f1d1d6ce-1208-450d-8c61-e5a51f878090\nX-Amzn-Trace-Id: root=1-66b51414-3998ea28145bd0d8661c065f\nAccess-Control-Allow-Origin: https://app.example.com\nAccess-Control-Allow-Origin: https://app.example.com\n\n{\"name\":\"Ada\"}",
		Fetch:   `fetch("https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/profile")`,
		Confirm: "```sh\naws lambda get-function-url-config --function-name FUNCTION --query Cors\n```\nA `Cors` there, and `Access-Control-Allow-Origin` in the function's code (or its CORS middleware), confirm.",
		Detect:  "The host is `{id}.lambda-url.{region}.on.aws`, and the answer to the request (not the preflight, which a URL with `Cors` answers alone) carries `Access-Control-Allow-Origin` more than once (or a comma list). Two values on the preflight come from the function answering `OPTIONS` itself or a layer in front, and get no function-URL cause.",
		Related: []cors.Code{CodeLambdaURLNotConfigured, CodeHTTPAPIDuplicate},
	},
	CodeALBErrorPage: {
		Platform: "AWS Application Load Balancer", Explains: cors.CodeMissingAllowOrigin,
		Browser: "The load balancer answers 502, 503 or 504 itself with an HTML page and no CORS headers; the page sees a CORS error instead of the outage.",
		Why:     "The target was unhealthy, closed the connection, or was too slow. The load balancer's own error pages never carry CORS headers; the fix is the target, not CORS.",
		Example: "HTTP/1.1 502 Bad Gateway\nServer: awselb/2.0\nContent-Type: text/html\n\n<html><head><title>502 Bad Gateway</title></head>...</html>",
		Confirm: "```sh\naws elbv2 describe-target-health --target-group-arn ARN\n```\nand the `HTTPCode_ELB_5XX_Count` metric.",
		Detect:  "`Server: awselb/2.0` on a 5xx answer without CORS headers.",
		Related: []cors.Code{cors.CodeErrorPathNoCORS},
	},
	CodeS3CORSNotEnabled: {
		Platform: "Amazon S3", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "S3 rejects the preflight with 403 and an XML error; the browser blocks the upload or download.",
		Why:     "A bucket answers CORS only from its CORS configuration; without one every preflight gets `CORSResponse: CORS is not enabled for this bucket.`",
		Example: "HTTP/1.1 403 Forbidden\nContent-Type: application/xml\nServer: AmazonS3\nx-amz-request-id: 4Q2NQ9XAZB7VF2GS\n\n<Error><Code>AccessForbidden</Code><Message>CORSResponse: CORS is not enabled for this bucket.</Message>...</Error>",
		Confirm: "```sh\naws s3api get-bucket-cors --bucket BUCKET\n```\n`NoSuchCORSConfiguration` confirms.",
		Detect:  "S3 recognised (host, `Server: AmazonS3`, `x-amz-id-2`) and the body names `CORS is not enabled for this bucket`.",
		Related: []cors.Code{CodeS3CORSRuleMismatch, CodeCloudFrontCache},
	},
	CodeS3CORSRuleMismatch: {
		Platform: "Amazon S3", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "S3 answers the preflight 403 `This CORS request is not allowed`, or answers a simple request without CORS headers.",
		Why:     "S3 evaluates the rules in order and uses the first whose `AllowedOrigins` matches the `Origin` exactly (one `*` wildcard allowed), whose `AllowedMethods` has the method, and whose `AllowedHeaders` covers every requested header. No match, no headers. A CDN that does not forward `Origin` has the same effect.",
		Example: "HTTP/1.1 403 Forbidden\nContent-Type: application/xml\nServer: AmazonS3\n\n<Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed. ...</Message></Error>",
		Confirm: "```sh\naws s3api get-bucket-cors --bucket BUCKET\n```\nCompare each rule with the page's origin, method and `Access-Control-Request-Headers`.",
		Detect:  "S3 recognised and the body names `This CORS request is not allowed`, or a 2xx/3xx answer lacks the header.",
		Related: []cors.Code{CodeS3CORSNotEnabled, CodeCloudFrontCache},
	},
	CodeS3WildcardCreds: {
		Platform: "Amazon S3", Explains: cors.CodeWildcardCredentials,
		Browser: "S3 answers `Access-Control-Allow-Origin: *`, with no `Access-Control-Allow-Credentials`, to a page that sends credentials (`credentials: 'include'`, an HTTP client set to `withCredentials`); the browser refuses `*` for such a request.",
		Why:     "S3 uses the first rule that matches the origin, method and requested headers. A rule whose `AllowedOrigins` is `*` is answered with `*`; a rule that lists the origin is answered with that origin and `Access-Control-Allow-Credentials: true`. A rule for the page's origin placed after the `*` rule is never used: it must come first. The `*` rule then still answers every other origin.",
		Example: "HTTP/1.1 200 OK\nServer: AmazonS3\nx-amz-request-id: 4442587FB7D0A2F9\nx-amz-id-2: vlR7PnpV2Ce81puvHNH0FiaHjGtN5uHXGB3PnoU=\nAccess-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: GET\nVary: Origin, Access-Control-Request-Headers, Access-Control-Request-Method\nContent-Type: application/json\n\n{}",
		Fetch:   `fetch("https://my-assets.s3.eu-west-1.amazonaws.com/config/app.json", { credentials: "include" })`,
		Confirm: "```sh\naws s3api get-bucket-cors --bucket BUCKET --query \"CORSRules[].AllowedOrigins\"\n```\nA `[\"*\"]` before (or instead of) a list holding the page's origin confirms.",
		Detect:  "S3 recognised and the engine reports `*` for a request with credentials.",
		Related: []cors.Code{CodeS3CORSRuleMismatch},
	},
	CodeCloudFrontCache: {
		Platform: "Amazon CloudFront", Explains: cors.CodeMissingAllowOrigin,
		Browser: "CloudFront serves a cached copy made for another page's origin (or for a request without `Origin`): no `Access-Control-Allow-Origin`, or another origin's value. It works for whoever filled the cache and fails for the others, intermittently.",
		Why:     "Unless the cache behavior forwards `Origin` (and `Access-Control-Request-Method`/`-Headers`) and includes them in the cache key, one copy is shared by every origin, and an S3 origin never even sees `Origin`.",
		Example: "HTTP/1.1 200 OK\nContent-Type: application/json\nX-Cache: Hit from cloudfront\nVia: 1.1 5bd2d7a8e3f1c9b0.cloudfront.net (CloudFront)\nAge: 3120",
		Confirm: "```sh\naws cloudfront get-distribution-config --id DIST --query \"DistributionConfig.DefaultCacheBehavior.{cache:CachePolicyId,origin:OriginRequestPolicyId,headers:ResponseHeadersPolicyId}\"\n```\nRepeat the request with another `Origin`: a `Hit` with the first origin's value confirms.",
		Detect:  "CloudFront recognised (`Via … (CloudFront)`, `X-Amz-Cf-Id`, `X-Cache`) and a blocked answer that is a cache hit, or an S3 origin answering without CORS headers.",
		Related: []cors.Code{cors.CodeMissingVaryOrigin, CodeCDNCacheNoVary, CodeS3CORSRuleMismatch},
	},
	CodeCloudFrontNoOptions: {
		Platform: "Amazon CloudFront", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "CloudFront answers the preflight 403 with its own HTML error page; the request never reaches the origin.",
		Why:     "The cache behavior allows only GET and HEAD, so CloudFront refuses `OPTIONS` (\"This distribution is not configured to allow the HTTP request method that was used for this request\").",
		Example: "HTTP/1.1 403 Forbidden\nServer: CloudFront\nX-Cache: Error from cloudfront\nContent-Type: text/html\n\n<H1>403 ERROR</H1> ... This distribution is not configured to allow the HTTP request method that was used for this request.",
		Confirm: "```sh\naws cloudfront get-distribution-config --id DIST --query \"DistributionConfig.DefaultCacheBehavior.AllowedMethods\"\n```",
		Detect:  "A 403 preflight with `Server: CloudFront` and CloudFront's method error page.",
		Related: []cors.Code{CodeCloudFrontCache, cors.CodePreflightStatus},
	},
	CodeCDNCacheNoVary: {
		Platform: "Cloudflare, Vercel, Netlify, Firebase Hosting", Explains: cors.CodeAllowOriginMismatch,
		Browser: "A CDN serves a cached copy whose `Access-Control-Allow-Origin` was made for another origin (or is missing): blocked for some pages, fine for others.",
		Why:     "The origin echoes the request's `Origin` but does not send `Vary: Origin`, so the CDN keeps one copy for everybody. Cloudflare keeps one copy per URL even with `Vary: Origin`, unless a Cache Rule's Vary setting takes `Origin`: there, set CORS per request in a Worker, or add that rule.",
		Example: "HTTP/1.1 200 OK\nServer: cloudflare\nCF-RAY: 8a1b2c3d4e5f6789-FRA\ncf-cache-status: HIT\nAccess-Control-Allow-Origin: https://admin.example.com",
		Confirm: "Request twice with different `Origin` headers (`curl -sI -H 'Origin: https://a.example' URL`); a cache hit carrying the first origin confirms.",
		Detect:  "Cloudflare (`cf-ray`), Vercel (`x-vercel-id`), Netlify (`x-nf-request-id`) or Firebase Hosting (host) recognised, and a cache hit (`cf-cache-status`, `x-vercel-cache`, `x-cache`, `Age`) with another or no origin; a warning when the echo has no `Vary: Origin` yet.",
		Related: []cors.Code{cors.CodeMissingVaryOrigin, CodeCloudFrontCache},
	},
	CodeNginxAddHeaderNoAlways: {
		Platform: "nginx", Explains: cors.CodeMissingAllowOrigin,
		Browser: "Successful answers carry the CORS headers, errors (401, 404, 413, 500…) do not; the page sees a CORS error instead of the status.",
		Why:     "`add_header` applies only to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308 unless it ends with `always`. And a block with its own `add_header` drops every `add_header` inherited from the enclosing block.",
		Example: "HTTP/1.1 502 Bad Gateway\nServer: nginx/1.24.0\nContent-Type: text/html\n\n<center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.24.0</center>",
		Confirm: "```sh\nnginx -T | grep -niE \"add_header[[:space:]]+['\\\"]?access-control\"\n```\nLines without `always`, or a nested `location` with its own `add_header`, confirm. Quoted names (`'Access-Control-Allow-Origin'`, as enable-cors.org's recipe writes them) and any case are CORS lines too: the fix's edit matches them.",
		Detect:  "nginx recognised (`Server: nginx`, its error page), one answer has the header and a 4xx/5xx answer lacks it. When every answer corsdiag got was nginx's own error (a 401 from `auth_basic`, a 404), whether the lines exist cannot be seen: a warning says that if they work on successful answers, they lack `always`. The edit was run on nginx 1.22.1: after it, the 401 and 404 carry the headers and `nginx -t` passes. Several directives on one line (`add_header Access-Control-Allow-Origin $o; add_header Vary Origin;`) each get their own `always`, whichever comes first on the line; a directive that goes on over several lines (its value on the next) is joined into one line and gets it too; a commented line stays; a second run changes nothing.",
		Related: []cors.Code{cors.CodeErrorPathNoCORS, CodeStaticOptions405, CodeApacheHeaderNoAlways},
	},
	CodeApacheHeaderNoAlways: {
		Platform: "Apache httpd", Explains: cors.CodeMissingAllowOrigin,
		Browser: "Error answers lack the CORS headers that successful ones have.",
		Why:     "`Header set` writes to the `onsuccess` table, which Apache does not use for error answers (and internal redirects to error documents); `Header always set` covers them.",
		Example: "HTTP/1.1 404 Not Found\nServer: Apache/2.4.58 (Ubuntu)\nContent-Type: text/html; charset=iso-8859-1\n\n<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<hr>\n<address>Apache/2.4.58 (Ubuntu) Server at www.example.org Port 443</address>\n</body></html>",
		Confirm: "```sh\napachectl -S; grep -rni 'Header .*Access-Control' /etc/apache2/\n```",
		Detect:  "Apache recognised (`Server: Apache`, its error page), one answer has the header and a 4xx/5xx error page of Apache's own lacks it; when every answer was such a page, a warning that the lines lack `always` if they work on successful answers. Not for a proxied backend's or a script's error: `Header set` reaches those (a ProxyPass backend's 404 carried the header on Apache 2.4.71). The edit was run on Apache 2.4.71: after it, the 404 carries the headers and `apache2 -t` passes; behind `ProxyPass`, a backend that sends its own `Access-Control-Allow-Origin` still has it replaced (the `Header unset` the edit puts before each `Header set` line, with its condition), where `Header always set` alone sent both. A condition on a continuation line (`\\` at the end of the line before) belongs to the directive: the edit joins the directive into one line, so the `Header unset` carries the condition too (Apache 2.4.71: before this, the unset had none and another origin lost the backend's own header). `Header onsuccess set` is the same as `Header set` and is edited the same way.",
		Related: []cors.Code{CodeNginxAddHeaderNoAlways, cors.CodeErrorPathNoCORS},
	},
	CodeNginxNoCORSHere: {
		Platform: "nginx", Explains: cors.CodeMissingAllowOrigin,
		Browser: "nginx answers, successfully, without `Access-Control-Allow-Origin`; other paths of the same server may carry it.",
		Why:     "No `add_header` for the CORS headers applies to the location that answered, for this origin. Either none are configured; or an allow-list (a `map`, an `if ($http_origin ~ ...)`) does not match the origin, and without `Vary: Origin` nothing in the answer shows it refused; or they sit in the `server` (or `http`) block and the location, or an `if` in it, has `add_header` lines of its own (`Cache-Control`, `X-Frame-Options`…): nginx inherits add_header \"if and only if there are no add_header directives defined on the current level\". Or nginx passes the request to an application (`proxy_pass`, `fastcgi_pass`), whose `Server` header nginx replaces with its own, and that application sends none: an application that sends the header for other paths or origins would send a second one beside nginx's (two are refused), hence the snippet's `proxy_hide_header` note.",
		Example: "HTTP/1.1 200 OK\nServer: nginx/1.22.1\nContent-Type: application/json\nCache-Control: no-store\n\n{\"items\":[]}",
		Confirm: "```sh\nnginx -T | grep -nE '^\\s*(server|location|if|add_header)'\n```\nThe location serving the path, with add_header lines and none for CORS, confirms.",
		Detect:  "nginx alone recognised (no application or gateway), a success answer without the header, and no answer showing any CORS header. Verified on nginx 1.22.1: the snippet's lines merged into the location (its try_files kept), the path passes, other origins stay refused and `nginx -t` passes.\n\nNot detected: an `if ($http_origin = ...)` (or `~*`) block in the location that holds the CORS `add_header` lines, for an origin it matches. On nginx 1.22.1 the request then runs in the `if`'s own configuration: its `add_header` lines replace the location's (`X-Frame-Options`, `Cache-Control` gone), and the location's `try_files` is not applied (a single-page app's `/dashboard`, served `index.html` without an `Origin`, answered 404 with `Access-Control-Allow-Origin`). `proxy_pass` is kept. The browser gets a readable answer, so CORS passes and corsdiag reports nothing: nothing in one answer tells a lost `try_files` from a real 404, or missing headers from headers never set, and corsdiag sends no request without `Origin` to compare. Confirm with `curl -si URL` and `curl -si -H 'Origin: ORIGIN' URL`: different statuses or headers on the same path confirm. The fix is the snippet above: a `map` of origins and the `add_header` lines in the location itself, the `if` removed (an `if` that only does `return`, as the snippet's preflight block, is safe).",
		Related: []cors.Code{CodeNginxAddHeaderNoAlways, CodeStaticOptions405},
	},
	CodeNginxDuplicatesApp: {
		Platform: "nginx in front of an application corsdiag recognises (Express, Spring Boot, ASP.NET)", Explains: cors.CodeMultipleAllowOrigin,
		Browser: "The answer carries `Access-Control-Allow-Origin` twice, the application's and nginx's; the browser accepts exactly one value and blocks, preflight or request alike.",
		Why:     "nginx passes the request to the application (`proxy_pass`), which answers CORS itself (Express's `cors()`, Spring's `@CrossOrigin`, ASP.NET's `UseCors`), and the location adds its own `add_header Access-Control-Allow-Origin` on top: `add_header` appends, it never replaces what the application sent. nginx writes its add_header lines after the proxied answer's headers, so the first value is the application's. When the application's value allows the page, nginx's copy is the one to take away. Run on nginx 1.22.1 in front of express 4.22.3 with cors 2.8.6 (an origin list with credentials) and nginx's `add_header Access-Control-Allow-Origin *` (no `always`): with nginx's lines commented out the preflight, the `PUT`, a 401 and a 404 each carried one header, credentials included, and another origin was still refused. Hiding the application's copy instead (`proxy_hide_header`) left nginx's `*`: a credentialed request is refused with it, and the 401 and 404, which nginx's lines without `always` skip, carried no header at all, where the application had answered them readable. What commenting out loses: nginx's own error pages (a 502 while the application is down) carried nginx's value through lines with `always`, and carry none afterwards; the snippet says so.",
		Example: "HTTP/1.1 200 OK\nServer: nginx/1.22.1\nX-Powered-By: Express\nAccess-Control-Allow-Origin: https://app.example.com\nVary: Origin\nAccess-Control-Allow-Credentials: true\nAccess-Control-Allow-Origin: *\n\n[1,2]",
		Confirm: "```sh\nnginx -T | grep -nE 'location|proxy_pass|add_header'\ncurl -si -H 'Origin: https://app.example.com' http://127.0.0.1:APP_PORT/PATH | grep -i '^access-control'\n```\nThe application asked directly (its own port, not through nginx) answering with the header once confirms that it needs no help from nginx; twice there means the application sends it twice itself (a `res.append` beside `cors()`), and nginx is not the second layer.",
		Detect:  "nginx recognised (`Server: nginx`) and an application framework on the same answer (`X-Powered-By: Express`, Spring's error body, `Server: Kestrel`...), and `Access-Control-Allow-Origin` on exactly two lines, where the first (the application's) allows the page on its own for the request's credentials mode. An error-path answer carrying the application's value alone is named: it shows the application answers its errors and nginx's lines lack `always`. When neither value allows the page, the same finding says to allow the origin in the application as well. The fix lists the headers both layers sent; it deletes nothing (the lines are commented out), and leaves the CORS lines of locations that serve files themselves.",
		Related: []cors.Code{CodeNginxAppCORSNotHidden, cors.CodeDuplicateHeader, CodeNginxAddHeaderNoAlways},
	},
	CodeNginxAppCORSNotHidden: {
		Platform: "nginx in front of an application corsdiag recognises (Express, Spring Boot, ASP.NET)", Explains: cors.CodeMultipleAllowOrigin,
		Browser: "The answer carries `Access-Control-Allow-Origin` twice, the application's and nginx's; the browser accepts exactly one value and blocks.",
		Why:     "nginx's `add_header` lines hold the right value for the page (an exact origin with credentials, from a `map` of origins) and the application behind `proxy_pass` sends one of its own that does not allow the page (a bare `cors()` sends `*`, which a credentialed request refuses). Taking nginx's lines out would leave the wrong one. `proxy_hide_header Access-Control-Allow-Origin` in the location drops the application's copy before nginx adds its own. Run on nginx 1.22.1 with `add_header ... always` lines in front of express 4.22.3 with a bare `cors()`: after it the credentialed `GET`, the preflight (the application's `-Methods` and `-Headers` kept: only the headers sent twice are hidden), a 401 and a 404 each carried one header and passed. Without `always` on nginx's lines the application's error answers would lose the header with the copy hidden. Origins that only the application allowed (its `*`, without credentials) get no header afterwards: list them in nginx's allow-list if they need it.",
		Example: "HTTP/1.1 200 OK\nServer: nginx/1.22.1\nX-Powered-By: Express\nAccess-Control-Allow-Origin: *\nAccess-Control-Allow-Origin: https://app.example.com\nAccess-Control-Allow-Credentials: true\n\n[1,2]",
		Fetch:   `fetch("https://api.example.com/items", { credentials: "include" })`,
		Confirm: "```sh\nnginx -T | grep -nE 'location|proxy_pass|proxy_hide_header|add_header'\n```",
		Detect:  "As [nginx-duplicates-app-cors](nginx-duplicates-app-cors.md), but only the second value (nginx's) allows the page on its own. A location with `proxy_hide_header` lines of its own stops the server block's: the snippet says to repeat them.",
		Related: []cors.Code{CodeNginxDuplicatesApp, CodeNginxAddHeaderNoAlways, cors.CodeWildcardCredentials},
	},
	CodeStaticOptions405: {
		Platform: "nginx, Apache, Netlify, Firebase Hosting, Vercel, S3 website endpoints, Express static", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "The preflight gets 405 Method Not Allowed, not 2xx, without CORS headers; the browser stops.",
		Why:     "A static file handler serves GET and HEAD only. Nothing in front of it answers `OPTIONS`.",
		Example: "HTTP/1.1 405 Not Allowed\nServer: nginx\nContent-Type: text/html\n\n<center><h1>405 Not Allowed</h1></center><hr><center>nginx</center>",
		Confirm: "```sh\ncurl -si -X OPTIONS -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: PUT' URL | head -1\n```",
		Detect:  "A 405 preflight answered by a recognised static server.",
		Related: []cors.Code{cors.CodePreflightStatus, CodeNginxAddHeaderNoAlways},
	},
	CodeKongCORSPluginMissing: {
		Platform: "Kong Gateway", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "Kong answers the preflight (404 `no Route matched`, or the upstream's answer) without CORS headers.",
		Why:     "Without the `cors` plugin Kong routes `OPTIONS` like any request; a route limited to other methods does not match it.",
		Example: "HTTP/1.1 404 Not Found\nServer: kong/3.6.1\nContent-Type: application/json; charset=utf-8\n\n{\"message\":\"no Route matched with those values\"}",
		Confirm: "```sh\ncurl -s http://ADMIN:8001/routes/ROUTE/plugins | jq '.data[].name'\n```",
		Detect:  "Kong recognised (`Via`/`Server: kong/…`, `X-Kong-*`, its 404 body) and an answer without the header.",
		Related: []cors.Code{CodeEnvoyCORSPolicyMissing},
	},
	CodeEnvoyCORSPolicyMissing: {
		Platform: "Envoy, Istio", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "The preflight is routed to the backend, which answers without CORS headers.",
		Why:     "Envoy answers preflights only with the `envoy.filters.http.cors` filter in the chain (before the router) and a `CorsPolicy` on the route or virtual host; Istio needs `corsPolicy` on the VirtualService.",
		Example: "HTTP/1.1 404 Not Found\nserver: istio-envoy\nx-envoy-upstream-service-time: 3\n\nnot found",
		Confirm: "```sh\nkubectl get virtualservice -A -o yaml | grep -n corsPolicy\n```\nor the Envoy admin `/config_dump` for `envoy.filters.http.cors`.",
		Detect:  "Envoy or Istio recognised (`server: envoy`/`istio-envoy`, `x-envoy-*`) and an answer without the header.",
		Related: []cors.Code{CodeKongCORSPluginMissing},
	},
	CodeMiddlewareOrder: {
		Platform: "Express, Spring, ASP.NET Core, Go net/http", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "The preflight gets 401 or 403 without CORS headers; the browser stops before the real, authenticated request.",
		Why:     "The authentication middleware runs before the CORS middleware, and a preflight carries no credentials. Register CORS first (Spring Security: `http.cors()`; ASP.NET Core: `UseCors` between `UseRouting` and `UseAuthentication`).",
		Example: "HTTP/1.1 401 Unauthorized\nX-Powered-By: Express\nContent-Type: application/json; charset=utf-8\n\n{\"error\":\"missing token\"}",
		Confirm: "Read the middleware registration order; `curl -si -X OPTIONS -H 'Origin: …' -H 'Access-Control-Request-Method: GET' URL` returns 401 until it is fixed.",
		Detect:  "A framework recognised (`X-Powered-By: Express`, Spring's error body or headers, Kestrel, ASP.NET headers), no gateway in front, and a 401/403 preflight without CORS headers.",
		Related: []cors.Code{CodeAPIGWAuthOnOptions, cors.CodePreflightStatus},
	},
	CodeSpringOriginDenied: {
		Platform: "Spring Boot", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "The preflight gets 403 `Invalid CORS request`.",
		Why:     "Spring's `DefaultCorsProcessor` found a CORS configuration for the path, but the origin, method or a requested header is not in it, and rejected the preflight.",
		Example: "HTTP/1.1 403 Forbidden\nVary: Origin\nVary: Access-Control-Request-Method\nVary: Access-Control-Request-Headers\n\nInvalid CORS request",
		Confirm: "Log `CorsConfiguration` for the path, or set `logging.level.org.springframework.web.cors=DEBUG`.",
		Detect:  "Spring recognised and the preflight body is exactly `Invalid CORS request`.",
		Related: []cors.Code{CodeMiddlewareOrder},
	},
	CodeExpressNoCORS: {
		Platform: "Express (Node.js)", Explains: cors.CodeMissingAllowOrigin,
		Browser: "Express answers (its automatic `OPTIONS` reply, a 404, or the route's answer) without CORS headers.",
		Why:     "No `cors` middleware runs for the path, or it is registered after the router or error handler that answered. A `cors()` given to single routes (`app.get(path, cors(), handler)`) does not answer their preflights without an `app.options` of its own: Express replies to `OPTIONS` itself. The fix registers `cors` for the whole app with the package's default methods and headers, so routes whose preflights pass today keep passing (verified on express 4.22.3 with cors 2.8.6: pasted unedited, a per-route app and an app with `cors()` after its router then pass, another origin stays refused).",
		Example: "HTTP/1.1 200 OK\nX-Powered-By: Express\nAllow: GET,HEAD\nContent-Type: text/html; charset=utf-8\n\nGET,HEAD",
		Confirm: "Look for `app.use(cors(` before the routers in the app's entry file.",
		Detect:  "`X-Powered-By: Express` (or Express's `Cannot GET` page), no gateway in front, and an answer without the header. When Express's answer to an unknown path carries the header, the `cors` middleware exists and runs after the routes: the cause says so.",
		Related: []cors.Code{CodeMiddlewareOrder},
	},
	CodeAPIMCorsPolicy: {
		Platform: "Azure API Management", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "The preflight gets 401 (missing subscription key) or an answer without CORS headers. A request that needs no preflight (a GET with no header of its own) gets the same 401 when the page sends no key, without CORS headers too: the page sees a CORS error, not the 401.",
		Why:     "API Management answers preflights only through a `<cors>` policy in `<inbound>`. Placed at a narrow scope, or after `validate-jwt`/subscription checks, it never sees the preflight, which carries no key or token.",
		Example: "HTTP/1.1 401 Access Denied\nContent-Type: application/json\n\n{ \"statusCode\": 401, \"message\": \"Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.\" }",
		Confirm: "Azure portal → APIs → All APIs → Inbound processing → policy code view: look for `<cors>` and its position. Test console with trace shows which policy answered.",
		Detect:  "API Management recognised (`*.azure-api.net`, `Ocp-Apim-*` headers, its subscription-key body) and an answer without the header.",
		Related: []cors.Code{CodeAppServiceCORS, CodeAPIGWAuthOnOptions},
	},
	CodeAppServiceCORS: {
		Platform: "Azure App Service, Azure Functions", Explains: cors.CodeMissingAllowOrigin,
		Browser: "The answer has no `Access-Control-Allow-Origin`.",
		Why:     "With platform CORS set, App Service answers preflights and replaces the app's own CORS headers; the list must hold the page's origin (and credentials need `supportCredentials`). With it empty, the app must answer CORS itself.\n\nA page that sends credentials (cookies, `credentials: 'include'`) needs `supportCredentials`, and Microsoft's tutorial Host a RESTful API with CORS in Azure App Service (learn.microsoft.com/azure/app-service/app-service-web-tutorial-rest-api, Enable CORS) says it \"cannot be enabled when `allowedOrigins` includes `'*'`\" (a user's report of the portal refusing the two together: github.com/MicrosoftDocs/azure-docs/issues/75879). The list must then name every origin that calls the app in place of `*`: the `azure-cli` fix stops, changing nothing, while `*` is listed. What App Service answers a request while `*` is listed is not documented there, and corsdiag does not assume it.",
		Example: "HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf-8\nRequest-Context: appId=cid-v1:1a2b3c4d\n\nHello",
		Fetch:   `fetch("https://contoso-api.azurewebsites.net/items")`,
		Confirm: "```sh\naz webapp cors show --resource-group RG --name APP\n```",
		Detect:  "The host is `*.azurewebsites.net` (`/api/` paths: Functions) and an answer lacks the header.",
		Related: []cors.Code{CodeAPIMCorsPolicy},
	},
	CodeGCPIAMPreflight: {
		Platform: "Google Cloud Run, Cloud Functions", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "The preflight gets 403 \"Your client does not have permission\" (or 401) from Google's front end; the code never runs.",
		Why:     "The service requires IAM authentication (`roles/run.invoker`). A preflight carries no `Authorization`, so it is rejected before the container.",
		Example: "HTTP/1.1 403 Forbidden\nServer: Google Frontend\nContent-Type: text/html; charset=UTF-8\n\n<h1>Error: Forbidden</h1><h2>Your client does not have permission to get URL <code>/orders</code> from this server.</h2>",
		Confirm: "```sh\ngcloud run services get-iam-policy SERVICE --region REGION\n```\nNo `allUsers` invoker binding confirms.",
		Detect:  "Cloud Run / Functions recognised (host, `Server: Google Frontend`) and a 403 preflight with Google's permission page.",
		Related: []cors.Code{CodeGCPOptionsNotHandled, CodeMiddlewareOrder},
	},
	CodeGCPOptionsNotHandled: {
		Platform: "Google Cloud Run, Cloud Functions", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "The code answers the preflight (404, 405 or 2xx) without CORS headers.",
		Why:     "Cloud Run and Cloud Functions pass `OPTIONS` to the code; nothing answers CORS unless the handler does.",
		Example: "HTTP/1.1 405 Method Not Allowed\nServer: Google Frontend\nContent-Type: text/plain",
		Confirm: "`curl -si -X OPTIONS -H 'Origin: …' -H 'Access-Control-Request-Method: POST' URL` and read the handler.",
		Detect:  "Cloud Run / Functions recognised and a blocked preflight that reached the code.",
		Related: []cors.Code{CodeGCPIAMPreflight},
	},
	CodeGCPAPIGatewayOptions: {
		Platform: "Google API Gateway (ESPv2)", Explains: cors.CodePreflightMissingAllowOrigin,
		Browser: "The gateway answers the preflight itself: 404 \"The current request is not defined by this API\" or 401 \"UNAUTHENTICATED\".",
		Why:     "The API config (OpenAPI) has no `options` operation for the path, or one that requires an API key; the gateway rejects what the spec does not define.",
		Example: "HTTP/1.1 404 Not Found\ncontent-type: application/json\n\n{\"code\":404,\"message\":\"The current request is not defined by this API.\"}",
		Confirm: "```sh\ngcloud api-gateway api-configs describe CONFIG --api=API --view=FULL\n```\nLook for `options:` under the path.",
		Detect:  "The host is `*.gateway.dev` or ESPv2's error body, on the preflight.",
		Related: []cors.Code{CodeGCPOptionsNotHandled},
	},
	CodeGCSCORS: {
		Platform: "Google Cloud Storage", Explains: cors.CodeMissingAllowOrigin,
		Browser: "Cloud Storage answers without `Access-Control-Allow-Origin`.",
		Why:     "A bucket answers CORS only from its CORS configuration, with the first entry whose origins and methods match the request's; no entry matches, or the one that does lacks a header the request asks for (its `responseHeader`).",
		Example: "HTTP/1.1 200 OK\nContent-Type: application/json\nx-guploader-uploadid: ABPtcPp1\nx-goog-generation: 1700000000000000\nServer: UploadServer",
		Confirm: "```sh\ngcloud storage buckets describe gs://BUCKET --format=\"default(cors_config)\"\n```",
		Detect:  "Cloud Storage recognised (`storage.googleapis.com`, `x-guploader-uploadid`, `x-goog-*`) and an answer without the header.",
		Related: []cors.Code{CodeS3CORSNotEnabled},
	},
}
