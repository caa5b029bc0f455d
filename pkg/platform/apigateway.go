package platform

// AWS API Gateway (REST and HTTP APIs), Lambda function URLs, Lambda and
// ALB: fingerprints, causes and fixes. Sources:
// docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html,
// supported-gateway-response-types.html, http-api-cors.html,
// apigateway-private-api-test-invoke-url.html, and
// ../shared/research/gateways.md.

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

const (
	idRESTAPI   = "aws-apigateway-rest"
	idHTTPAPI   = "aws-apigateway-http"
	idLambda    = "aws-lambda"
	idLambdaURL = "aws-lambda-url"
	idALB       = "aws-alb"
)

// API Gateway finding codes.
const (
	CodeAPIGWNoOptionsMethod      cors.Code = "apigw-no-options-method"
	CodeAPIGWCorsOnlyOnOptions    cors.Code = "apigw-cors-only-on-options"
	CodeAPIGWProxyNoCORS          cors.Code = "apigw-proxy-integration-no-cors"
	CodeAPIGWIntegrationNoCORS    cors.Code = "apigw-integration-no-cors"
	CodeAPIGWGatewayResponses     cors.Code = "apigw-gateway-responses-no-cors"
	CodeAPIGWPrivateWrongEndpoint cors.Code = "apigw-private-api-wrong-endpoint"
	CodeAPIGWPrivateHeader        cors.Code = "apigw-private-api-header-preflight"
	CodeAPIGWAuthOnOptions        cors.Code = "apigw-auth-on-options"
	CodeAPIGWForbiddenAll         cors.Code = "apigw-forbidden-before-routing"
	CodeAPIGWStageNotRedeployed   cors.Code = "apigw-stage-not-redeployed"
	CodeAPIGWMockWildcardCreds    cors.Code = "apigw-mock-wildcard-credentials"
	CodeHTTPAPINotConfigured      cors.Code = "apigw-http-api-cors-not-configured"
	CodeHTTPAPIDuplicate          cors.Code = "apigw-http-api-duplicate-cors"
	CodeLambdaURLNotConfigured    cors.Code = "lambda-url-cors-not-configured"
	CodeLambdaURLDuplicate        cors.Code = "lambda-url-duplicate-cors"
	CodeALBErrorPage              cors.Code = "alb-error-page-no-cors"
)

func init() {
	registerPlatforms(
		platformInfo{idRESTAPI, "Amazon API Gateway (REST API)", tierGateway, FormatAWSCLI},
		platformInfo{idHTTPAPI, "Amazon API Gateway (HTTP API)", tierGateway, FormatAWSCLI},
		platformInfo{idLambdaURL, "AWS Lambda function URL", tierGateway, FormatAWSCLI},
		platformInfo{idLambda, "AWS Lambda", tierApp, FormatLambda},
		platformInfo{idALB, "AWS Application Load Balancer", tierLoadBalancer, FormatConsole},
	)
	exclusive = append(exclusive, []string{idRESTAPI, idHTTPAPI})
	shadows[idRESTAPI] = append(shadows[idRESTAPI], idLambdaURL)
	shadows[idHTTPAPI] = append(shadows[idHTTPAPI], idLambdaURL)
	fingerprints = append(fingerprints, awsFingerprint)
	causes = append(causes, restAPICauses, httpAPICauses, lambdaURLCauses, albCauses)

	const spec = "AWS API Gateway developer guide, Enabling CORS for a REST API resource"
	cors.Register(
		cors.Info{Code: CodeAPIGWNoOptionsMethod, Severity: cors.SeverityError, Title: "API Gateway REST API: the resource has no OPTIONS method", Spec: spec,
			Fix: "Enable CORS on the resource (it adds an OPTIONS method with a MOCK integration) and redeploy the stage."},
		cors.Info{Code: CodeAPIGWCorsOnlyOnOptions, Severity: cors.SeverityError, Title: "API Gateway REST API: only OPTIONS returns CORS headers", Spec: spec,
			Fix: "Return Access-Control-Allow-Origin from the other methods too: from the backend with a proxy integration, from the integration response mapping otherwise; redeploy."},
		cors.Info{Code: CodeAPIGWProxyNoCORS, Severity: cors.SeverityError, Title: "API Gateway proxy integration: the backend returns no CORS headers", Spec: spec,
			Fix: "With Lambda proxy or HTTP proxy integration API Gateway passes the backend's answer through: set Access-Control-Allow-Origin in the backend, on every response, errors included."},
		cors.Info{Code: CodeAPIGWIntegrationNoCORS, Severity: cors.SeverityError, Title: "API Gateway REST API: the method's integration adds no CORS headers", Spec: spec,
			Fix: "Map Access-Control-Allow-Origin in the method response and integration response (non-proxy), or return it from the backend (proxy); redeploy."},
		cors.Info{Code: CodeAPIGWGatewayResponses, Severity: cors.SeverityError, Title: "API Gateway's own error responses carry no CORS headers", Spec: "AWS API Gateway developer guide, Gateway response types",
			Fix: "Add Access-Control-Allow-Origin to the DEFAULT_4XX and DEFAULT_5XX gateway responses and redeploy."},
		cors.Info{Code: CodeAPIGWPrivateWrongEndpoint, Severity: cors.SeverityError, Title: "API Gateway private API called through a name a browser cannot use", Spec: "AWS API Gateway developer guide, Invoking a private API",
			Fix: "Enable private DNS on the execute-api interface VPC endpoint and call https://{api-id}.execute-api.{region}.amazonaws.com/{stage} from inside the VPC (or use the Route 53 alias name)."},
		cors.Info{Code: CodeAPIGWPrivateHeader, Severity: cors.SeverityError, Title: "x-apigw-api-id forces a preflight that cannot reach the private API", Spec: "AWS API Gateway developer guide, Invoking a private API",
			Fix: "Stop sending x-apigw-api-id from the browser: enable private DNS on the interface VPC endpoint and call the API's own execute-api name."},
		cors.Info{Code: CodeAPIGWAuthOnOptions, Severity: cors.SeverityError, Title: "API Gateway: an authorizer or API key is required on OPTIONS", Spec: "Fetch §CORS-preflight fetch (a preflight never carries credentials)",
			Fix: "Set authorization NONE and no API key on the OPTIONS method (browsers never send credentials on a preflight); redeploy."},
		cors.Info{Code: CodeAPIGWForbiddenAll, Severity: cors.SeverityError, Title: "API Gateway refuses every request 403 Forbidden before routing it", Spec: "AWS API Gateway developer guide, Custom domain names (API mappings); CloudFront, managed origin request policies",
			Fix: "Find what refuses the requests before API Gateway routes them: CloudFront forwarding the viewer's Host (use the AllViewerExceptHostHeader origin request policy), a custom domain name without an API mapping for the path, a private API called from outside its VPC, or an AWS WAF rule."},
		cors.Info{Code: CodeAPIGWStageNotRedeployed, Severity: cors.SeverityWarning, Title: "API Gateway: CORS changes take effect only after the stage is redeployed", Spec: spec,
			Fix: "Redeploy the stage (aws apigateway create-deployment) after every CORS change."},
		cors.Info{Code: CodeAPIGWMockWildcardCreds, Severity: cors.SeverityError, Title: "API Gateway REST API: the OPTIONS mock answers `*` to a page that sends credentials", Spec: spec + "; Fetch §CORS check step 3",
			Fix: "In the OPTIONS method's integration response, map Access-Control-Allow-Origin to the page's origin in place of '*' (echo the allowed Origin with a mapping template when several call), add Access-Control-Allow-Credentials 'true' and Vary 'Origin', keep the other mappings; the other methods' answers need the same; redeploy."},
		cors.Info{Code: CodeHTTPAPINotConfigured, Severity: cors.SeverityError, Title: "API Gateway HTTP API: CORS is not configured (or does not allow this origin)", Spec: "AWS API Gateway developer guide, Configuring CORS for an HTTP API",
			Fix: "Configure CORS on the HTTP API (AllowOrigins, AllowMethods, AllowHeaders); API Gateway then answers preflights itself."},
		cors.Info{Code: CodeHTTPAPIDuplicate, Severity: cors.SeverityError, Title: "API Gateway HTTP API: Access-Control-Allow-Origin sent twice", Spec: "AWS API Gateway developer guide, Configuring CORS for an HTTP API",
			Fix: "Configure CORS on the HTTP API (it then replaces the backend's CORS headers), or have the backend send the header once."},
		cors.Info{Code: CodeLambdaURLNotConfigured, Severity: cors.SeverityError, Title: "Lambda function URL: CORS is not configured (or does not allow this origin)", Spec: "AWS Lambda developer guide, Function URLs, CORS",
			Fix: "Configure CORS on the function URL (AllowOrigins, AllowMethods, AllowHeaders)."},
		cors.Info{Code: CodeLambdaURLDuplicate, Severity: cors.SeverityError, Title: "Lambda function URL: Access-Control-Allow-Origin sent twice (the URL's Cors and the function)", Spec: "AWS Lambda developer guide, Function URLs, CORS",
			Fix: "Keep the URL's Cors and remove the Access-Control-* headers from the function's responses: the URL adds its own beside them."},
		cors.Info{Code: CodeALBErrorPage, Severity: cors.SeverityError, Title: "The load balancer answered with its own error page, which has no CORS headers", Spec: "AWS Elastic Load Balancing, HTTP 5XX errors of the load balancer",
			Fix: "Fix what made the load balancer answer itself (no healthy target, a target timeout or reset); its own error pages never carry CORS headers."},
	)
}

var reLambdaURLHost = regexp.MustCompile(`^[a-z0-9]+\.lambda-url\.[a-z0-9-]+\.on\.aws$`)

// gatewayBodies are the bodies API Gateway writes itself.
var gatewayBodies = map[string]string{
	"missing authentication token": "MISSING_AUTHENTICATION_TOKEN",
	"forbidden":                    "INVALID_API_KEY or WAF_FILTERED",
	"unauthorized":                 "UNAUTHORIZED",
	"user is not authorized to access this resource with an explicit deny": "ACCESS_DENIED",
	"too many requests":                   "THROTTLED",
	"limit exceeded":                      "QUOTA_EXCEEDED",
	"internal server error":               "DEFAULT_5XX",
	"endpoint request timed out":          "INTEGRATION_TIMEOUT",
	"request too long":                    "REQUEST_TOO_LARGE",
	"unsupported media type":              "UNSUPPORTED_MEDIA_TYPE",
	"invalid request body":                "BAD_REQUEST_BODY",
	"missing required request parameters": "BAD_REQUEST_PARAMETERS",
}

var errorTypes = map[string]string{
	"missingauthenticationtokenexception": "MISSING_AUTHENTICATION_TOKEN",
	"unauthorizedexception":               "UNAUTHORIZED",
	"accessdeniedexception":               "ACCESS_DENIED",
	"forbiddenexception":                  "INVALID_API_KEY or WAF_FILTERED",
	"invalidsignatureexception":           "INVALID_SIGNATURE",
	"incompletesignatureexception":        "DEFAULT_4XX",
	"expiredtokenexception":               "EXPIRED_TOKEN",
	"toomanyrequestsexception":            "THROTTLED",
	"limitexceededexception":              "QUOTA_EXCEEDED",
	"badrequestexception":                 "BAD_REQUEST_PARAMETERS or BAD_REQUEST_BODY",
	"requesttoolargeexception":            "REQUEST_TOO_LARGE",
	"unsupportedmediatypeexception":       "UNSUPPORTED_MEDIA_TYPE",
	"notfoundexception":                   "RESOURCE_NOT_FOUND",
	"internalservererrorexception":        "DEFAULT_5XX",
}

// gatewayMessage returns the "message" of a small JSON body such as
// {"message":"Missing Authentication Token"}, lower case.
func gatewayMessage(m *cors.Message) string {
	b := strings.TrimSpace(body(m))
	if len(b) > 300 || !strings.HasPrefix(b, "{") {
		return ""
	}
	low := strings.ToLower(b)
	i := strings.Index(low, `"message"`)
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(low[i+len(`"message"`):], " \t\r\n:")
	if !strings.HasPrefix(rest, `"`) {
		return ""
	}
	rest = rest[1:]
	if j := strings.IndexByte(rest, '"'); j >= 0 {
		return rest[:j]
	}
	return ""
}

// gatewayResponseType names the API Gateway gateway response type of an
// answer API Gateway made itself; ok is false for the backend's answers.
func gatewayResponseType(m *cors.Message) (string, bool) {
	if m == nil {
		return "", false
	}
	et := strings.ToLower(header(m, "x-amzn-ErrorType"))
	if i := strings.IndexAny(et, ":,"); i >= 0 {
		et = et[:i]
	}
	msg := gatewayMessage(m)
	if et == "toomanyrequestsexception" && msg == "limit exceeded" {
		return "QUOTA_EXCEEDED", true
	}
	if msg == "endpoint request timed out" {
		return "INTEGRATION_TIMEOUT", true
	}
	if t, ok := errorTypes[et]; ok {
		if t == "DEFAULT_5XX" && m.Status == 502 {
			return "DEFAULT_5XX (502: malformed Lambda proxy response or INTEGRATION_FAILURE)", true
		}
		return t, true
	}
	if strings.HasPrefix(msg, "user: anonymous is not authorized") || strings.HasPrefix(msg, "user is not authorized") {
		return "ACCESS_DENIED", true
	}
	if t, ok := gatewayBodies[msg]; ok && m.Status >= 400 {
		return t, true
	}
	if et != "" && m.Status >= 400 {
		if m.Status >= 500 {
			return "DEFAULT_5XX", true
		}
		return "DEFAULT_4XX", true
	}
	return "", false
}

func awsFingerprint(o *observation, r *response) []signal {
	var out []signal
	if r == nil {
		switch {
		case o.aws && reVPCEHost.MatchString(o.host):
			out = append(out, signal{idRESTAPI, 3, "host " + o.host + " is an interface VPC endpoint name of execute-api (private REST API)"})
		case o.aws && reExecuteAPI.MatchString(o.host):
			if m := reExecuteAPI.FindStringSubmatch(o.host); m[2] != "" {
				out = append(out, signal{idRESTAPI, 3, "host " + o.host + " is a private REST API's Route 53 alias ({api-id}-{vpce-id}.execute-api)"})
			} else {
				out = append(out, signal{idRESTAPI, 2, "host " + o.host + " is an execute-api name"}, signal{idHTTPAPI, 1, "host " + o.host + " is an execute-api name"})
			}
		case strings.HasSuffix(o.host, ".on.aws") && reLambdaURLHost.MatchString(o.host):
			out = append(out, signal{idLambdaURL, 3, "host " + o.host + " is a Lambda function URL"})
		}
		if v := o.requestHeader("x-apigw-api-id"); v != "" {
			out = append(out, signal{idRESTAPI, 2, "the request carries x-apigw-api-id: " + show(v)})
		}
		return out
	}
	m := r.resp
	if v := r.header("x-amz-apigw-id"); v != "" {
		out = append(out, signal{idRESTAPI, 3, "header x-amz-apigw-id"})
	}
	if v := r.header("apigw-requestid"); v != "" {
		out = append(out, signal{idHTTPAPI, 3, "header apigw-requestid"})
	}
	reqID := r.hasHeader("x-amzn-RequestId")
	if et := r.header("x-amzn-ErrorType"); et != "" {
		out = append(out, signal{idRESTAPI, 2, "header x-amzn-ErrorType: " + show(et)})
	}
	if gatewayMessage(m) == "missing authentication token" {
		out = append(out, signal{idRESTAPI, 3, `body {"message":"Missing Authentication Token"}`})
	}
	if name, ok := r.headerPrefix("x-amzn-Remapped-"); ok {
		out = append(out, signal{idRESTAPI, 1, "header " + name + " (API Gateway renames a proxied backend's headers)"})
	}
	if reqID && !r.hasHeader("x-amz-apigw-id") && !r.hasHeader("apigw-requestid") && r.hasHeader("X-Amzn-Trace-Id") {
		out = append(out, signal{idLambdaURL, 1, "headers x-amzn-RequestId and X-Amzn-Trace-Id without API Gateway's ids"})
	} else if reqID && !r.hasHeader("x-amz-apigw-id") && !r.hasHeader("apigw-requestid") {
		out = append(out, signal{idRESTAPI, 1, "header x-amzn-RequestId"})
	}
	if r.hasHeader("X-Amzn-Trace-Id") && (r.hasHeader("x-amz-apigw-id") || r.hasHeader("apigw-requestid")) {
		out = append(out, signal{idLambda, 1, "header X-Amzn-Trace-Id (an X-Ray traced integration, usually Lambda)"})
	}
	if b := body(m); strings.Contains(b, `"errorMessage"`) && strings.Contains(b, `"errorType"`) {
		out = append(out, signal{idLambda, 3, "body with errorMessage and errorType (a Lambda error)"})
	}
	if strings.HasPrefix(strings.ToLower(r.header("Server")), "awselb") {
		out = append(out, signal{idALB, 3, "Server: " + show(r.header("Server"))})
	}
	for _, c := range m.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "AWSALB=") || strings.HasPrefix(c, "AWSALBCORS=") || strings.HasPrefix(c, "AWSALBTG=") {
			out = append(out, signal{idALB, 2, "Set-Cookie " + strings.SplitN(c, "=", 2)[0]})
			break
		}
	}
	return out
}

// proxyEvidence says what shows that the backend's own answer was passed
// through (proxy integration); "" when nothing does.
func (a *analysis) proxyEvidence(m *cors.Message) string {
	if name, ok := hasHeaderPrefix(m, "x-amzn-Remapped-"); ok {
		return "the " + name + " header shows API Gateway passed a backend's headers through"
	}
	for id, d := range a.detected {
		if p := platforms[id]; p.Tier >= tierServer && id != idLambda {
			return d.Name + " answered behind API Gateway"
		}
	}
	if b := body(m); strings.Contains(b, `"errorMessage"`) {
		return "the body is the Lambda function's own error"
	}
	return ""
}

// restAPICauses explains what a REST API did.
func restAPICauses(a *analysis) []cors.Finding {
	if !a.has(idRESTAPI) {
		return nil
	}
	var out []cors.Finding
	pf, fin := a.obs.preflight(), a.obs.final()
	c := *a.fixContext()
	origin := a.obs.req.Origin
	preflightHandled := false
	needsRedeployNote := false
	// forbiddenAll: every request is refused before routing; the
	// gateway responses' headers are not the cause.
	forbiddenAll := false

	if id := a.obs.requestHeader("x-apigw-api-id"); id != "" {
		preflightHandled = true
		out = append(out, a.finding(CodeAPIGWPrivateHeader, idRESTAPI, "request", true,
			"the page sends x-apigw-api-id ("+show(id)+"), which is not CORS-safelisted, so the browser first sends an OPTIONS preflight without it; "+
				"the VPC endpoint cannot tell which private API the preflight is for and rejects it"+preflightStatusNote(pf)+
				", so the request never reaches API Gateway. A browser cannot set Host either, so the endpoint-specific vpce DNS name cannot work from a page",
			fmt.Sprintf("Enable private DNS on the execute-api interface VPC endpoint, drop x-apigw-api-id, and call https://%s.execute-api.%s.amazonaws.com/%s from inside the VPC (or use the Route 53 alias https://%s-%s.execute-api.%s.amazonaws.com/%s).",
				c.APIID, c.Region, c.Stage, c.APIID, c.VPCE, c.Region, c.Stage)))
	} else if reVPCEHost.MatchString(a.obs.host) {
		preflightHandled = true
		out = append(out, a.finding(CodeAPIGWPrivateWrongEndpoint, idRESTAPI, "request", a.diag.Verdict == cors.Blocked,
			"the page calls the VPC endpoint's own DNS name "+a.obs.host+"; API Gateway picks the private API from the Host or x-apigw-api-id header, a browser cannot set Host, and x-apigw-api-id forces a preflight that does not carry it",
			fmt.Sprintf("Enable private DNS on %s and call https://%s.execute-api.%s.amazonaws.com/%s from inside the VPC.", c.VPCE, c.APIID, c.Region, c.Stage)))
	} else if m := reExecuteAPI.FindStringSubmatch(a.obs.host); m != nil && m[2] != "" && (netErr(pf) || netErr(fin)) {
		preflightHandled = true
		out = append(out, a.finding(CodeAPIGWPrivateWrongEndpoint, idRESTAPI, firstNetErrStep(pf, fin), true,
			"the private API's alias "+a.obs.host+" resolves to the interface VPC endpoint's private addresses, which cannot be reached from here: the page must run where the VPC's network is reachable",
			"Call the private API from inside the VPC (or over VPN/Direct Connect to it); check the endpoint's security group allows 443 from the client."))
	}

	if pf != nil && pf.resp != nil && !preflightHandled {
		p := pf.resp
		typ, gatewayMade := gatewayResponseType(p)
		switch {
		// These two hold whether or not DEFAULT_4XX adds CORS headers: the
		// status alone fails the preflight.
		case typ == "MISSING_AUTHENTICATION_TOKEN":
			needsRedeployNote = true
			out = append(out, a.finding(CodeAPIGWNoOptionsMethod, idRESTAPI, "preflight", true,
				fmt.Sprintf("API Gateway answered the OPTIONS preflight with %d {\"message\":\"Missing Authentication Token\"}: the resource %s has no OPTIONS method in the deployed stage %s (CORS was never enabled on it, or the stage was not redeployed after), so there are no CORS headers and the status is not 2xx. (The same answer comes for a path or stage that does not exist: check the URL too.)",
					p.Status, c.Resource, c.Stage),
				"Enable CORS on the resource "+c.Resource+" (an OPTIONS method with a MOCK integration returning Access-Control-Allow-Origin: "+c.Origin+", Allow-Methods "+c.methodList(",")+", Allow-Headers "+c.headerList(",")+") and redeploy the stage "+c.Stage+"."))
		case !gatewayMade && a.hasCode(cors.CodePreflightWildcardCredentials) && a.proxyEvidence(p) == "":
			// API Gateway answered the preflight itself: a backend behind a
			// proxy integration gets the engine's own fix.
			out = append(out, a.finding(CodeAPIGWMockWildcardCreds, idRESTAPI, "preflight", true,
				"API Gateway answered the OPTIONS preflight itself, from the resource's MOCK integration (the console's Enable CORS, or a template's OPTIONS mock), with the static mapping Access-Control-Allow-Origin: '*'. The page sends credentials (credentials: 'include', withCredentials), and the browser never accepts '*' for a credentialed request, so it stops at the preflight and sends nothing",
				"In the OPTIONS method of "+c.Resource+", map Access-Control-Allow-Origin to '"+c.Origin+"' in place of '*' (several origins: a mapping template that echoes the allowed Origin), and add Access-Control-Allow-Credentials 'true' and Vary 'Origin' (declared in the method response too); Allow-Methods and Allow-Headers stay. The "+c.Method+" answers need the same origin and Access-Control-Allow-Credentials: true. Redeploy "+c.Stage+"."))
		case p.Status == 403 && strings.HasPrefix(typ, "INVALID_API_KEY") && a.unknownPathForbidden() != nil:
			forbiddenAll = true
			a.explain(a.unknownPathForbidden())
			why := "a custom domain name with no API mapping for this base path, a private API called from outside its VPC, or an AWS WAF rule blocking the requests"
			fix := "Check the custom domain's API mappings (the URL's first path segment must map to the API and stage), whether the API is private (call it from inside its VPC), and the stage's AWS WAF web ACL."
			if a.has(idCloudFront) {
				why = "CloudFront is in front, and most often its origin request policy (AllViewer, or Host among the forwarded headers) sends the viewer's Host header, naming no API API Gateway knows; else " + why
				fix = "On the CloudFront behavior serving the path, use the origin request policy AllViewerExceptHostHeader in place of AllViewer (or drop Host from the forwarded headers). " + fix
			}
			if a.obs.requestHeader("x-api-key") == "" {
				// A {proxy+} requiring a key takes every path: without
				// one, the page's request is refused the same way.
				why += "; or an API key that a {proxy+} resource requires on every path, which the page does not send (x-api-key)"
			}
			out = append(out, a.finding(CodeAPIGWForbiddenAll, idRESTAPI, "preflight", true,
				fmt.Sprintf("API Gateway answered the preflight %d {\"message\":\"Forbidden\"}, the page's own request with its key or token the same, and a path that cannot exist the same, which an API it routes to answers 403 Missing Authentication Token: the requests are refused before API Gateway looks for a route, so no OPTIONS method or authorizer is involved. The usual causes: %s", p.Status, why),
				fix))
		case !gatewayMade && a.hasCode(cors.CodePreflightAllowOriginMismatch) && a.proxyEvidence(p) == "" &&
			cors.NamesOtherOrigin(header(p, cors.HeaderAllowOrigin), a.obs.req.Origin):
			// The mock's one static origin, not the page's (the page's
			// written otherwise is no origin to keep answering).
			out = append(out, a.mockOriginFinding(header(p, cors.HeaderAllowOrigin)))
		case (p.Status == 401 || p.Status == 403) && gatewayMade:
			what := "an authorizer"
			switch {
			case strings.HasPrefix(typ, "INVALID_API_KEY"):
				what = "an API key (ApiKeyRequired), a resource policy, AWS WAF, or a private API reached from outside its VPC"
			case typ == "ACCESS_DENIED":
				what = "an authorizer (explicit deny) or the resource policy"
			}
			out = append(out, a.finding(CodeAPIGWAuthOnOptions, idRESTAPI, "preflight", true,
				fmt.Sprintf("API Gateway rejected the OPTIONS preflight itself with %d (gateway response %s): %s applies to OPTIONS, typically through an ANY method or a {proxy+} resource. Browsers never send Authorization, cookies or x-api-key on a preflight, so it can never pass", p.Status, typ, what),
				"Give OPTIONS on "+c.Resource+" its own method with authorization NONE and no API key (MOCK integration returning the CORS headers), then redeploy "+c.Stage+"."))
		case gatewayMade && !hasACAO(p):
			a.fixContext().GatewayResponses = appendUnique(a.fixContext().GatewayResponses, baseType(typ))
			needsRedeployNote = true
			out = append(out, a.gatewayResponsesFinding("preflight", true, []string{fmt.Sprintf("%d %s", p.Status, typ)}))
		case !hasACAO(p):
			if ev := a.proxyEvidence(p); ev != "" {
				out = append(out, a.finding(CodeAPIGWProxyNoCORS, idRESTAPI, "preflight", true,
					"the OPTIONS preflight reached the backend through a proxy integration (an ANY method or {proxy+} resource catches OPTIONS; "+ev+"), and the backend answered without Access-Control-Allow-Origin",
					"Answer OPTIONS in the backend with the CORS headers for "+c.Origin+", or add an OPTIONS method with a MOCK integration on "+c.Resource+" so API Gateway answers it, then redeploy."))
			} else {
				needsRedeployNote = true
				out = append(out, a.finding(CodeAPIGWIntegrationNoCORS, idRESTAPI, "preflight", true,
					"the resource's OPTIONS method answers, but without Access-Control-Allow-Origin: its integration response maps no CORS headers (MOCK integration), or its backend sets none (proxy integration)",
					"Map Access-Control-Allow-Origin, -Methods and -Headers in the OPTIONS method response and integration response (or run Enable CORS again) and redeploy "+c.Stage+"."))
			}
		}
	}

	preflightPassed := pf == nil || (pf.resp != nil && is2xx(pf.resp.Status) && hasACAO(pf.resp))
	if fin != nil && fin.resp != nil && !hasACAO(fin.resp) && preflightPassed && origin != "" && !preflightHandled {
		m := fin.resp
		typ, gatewayMade := gatewayResponseType(m)
		switch {
		case gatewayMade:
			needsRedeployNote = true
			a.fixContext().GatewayResponses = appendUnique(a.fixContext().GatewayResponses, baseType(typ))
			out = append(out, a.gatewayResponsesFinding(fin.step, true, []string{fmt.Sprintf("%d %s", m.Status, typ)}))
		case a.proxyEvidence(m) != "":
			out = append(out, a.finding(CodeAPIGWProxyNoCORS, idRESTAPI, fin.step, true,
				fmt.Sprintf("the %s answer (%d) came from the backend through a proxy integration (%s): API Gateway passes it through unchanged, so the backend itself must set Access-Control-Allow-Origin, on errors too", c.Method, m.Status, a.proxyEvidence(m)),
				"Return Access-Control-Allow-Origin: "+c.Origin+" (and Vary: Origin) from the backend on every response, error responses included."))
		case pf != nil:
			needsRedeployNote = true
			summary := "Map Access-Control-Allow-Origin on " + c.Method + " " + c.Resource + " (method response + integration response), or return it from a proxy backend; redeploy " + c.Stage + "."
			if a.has(idLambda) {
				// A Lambda answered (X-Amzn-Trace-Id): most often through a
				// proxy integration, where a mapping does nothing.
				summary += " X-Amzn-Trace-Id says a Lambda function answered: with a Lambda proxy integration (SAM, Serverless and CDK's LambdaRestApi use one) the mapping does nothing, and the function must return the header, on errors too (--fix-format lambda)."
			}
			out = append(out, a.finding(CodeAPIGWCorsOnlyOnOptions, idRESTAPI, fin.step, true,
				fmt.Sprintf("the preflight passed (the OPTIONS method has CORS headers) but the %s answer (%d) has no Access-Control-Allow-Origin: Enable CORS was not applied to the %s method. With a non-proxy integration its integration response must map the header; with a Lambda or HTTP proxy integration the backend must return it", c.Method, m.Status, c.Method),
				summary))
		default:
			needsRedeployNote = true
			out = append(out, a.finding(CodeAPIGWIntegrationNoCORS, idRESTAPI, fin.step, true,
				fmt.Sprintf("the %s answer (%d) has no Access-Control-Allow-Origin: with a non-proxy integration the method's integration response maps no CORS header; with a Lambda or HTTP proxy integration the backend sets none", c.Method, m.Status),
				"Map Access-Control-Allow-Origin on "+c.Method+" "+c.Resource+" (method response + integration response), or return it from a proxy backend; redeploy "+c.Stage+"."))
		}
	}

	var errTypes []string
	for _, r := range a.obs.errorPaths() {
		if r.resp == nil || hasACAO(r.resp) {
			continue
		}
		if typ, ok := gatewayResponseType(r.resp); ok {
			a.explain(r)
			if forbiddenAll && strings.HasPrefix(typ, "INVALID_API_KEY") {
				continue
			}
			errTypes = appendUnique(errTypes, fmt.Sprintf("%d %s", r.resp.Status, typ))
			a.fixContext().GatewayResponses = appendUnique(a.fixContext().GatewayResponses, baseType(typ))
		}
	}
	if len(errTypes) > 0 {
		out = append(out, a.gatewayResponsesFinding("error-path", false, errTypes))
	}

	if needsRedeployNote {
		out = append(out, a.finding(CodeAPIGWStageNotRedeployed, idRESTAPI, "request", false,
			"if CORS was already enabled in the console, the stage "+c.Stage+" may not have been redeployed since: API Gateway serves the last deployment, not the current resource tree. From outside both look the same; confirm by exporting the deployed stage",
			fmt.Sprintf("Compare the stage with the API: aws apigateway get-export --rest-api-id %s --stage-name %s --export-type oas30 --parameters extensions=apigateway /dev/stdout | grep -ci options (0 means no OPTIONS is deployed); then redeploy.", c.APIID, c.Stage)))
	}
	return out
}

// unknownPathForbidden is the error-path probe's answer for a path that
// cannot exist when every request is refused before routing (nil
// otherwise). An API that routes it answers such a path 403 Missing
// Authentication Token, unless a greedy {proxy+} with an API key takes
// it: so the page's own request, sent with its key or token, must have
// got the same 403 Forbidden too.
func (a *analysis) unknownPathForbidden() *response {
	fin := a.obs.final()
	if fin == nil || fin.resp == nil || fin.resp.Status != 403 ||
		a.obs.requestHeader("x-api-key") == "" && a.obs.requestHeader("Authorization") == "" {
		return nil
	}
	if typ, ok := gatewayResponseType(fin.resp); !ok || !strings.HasPrefix(typ, "INVALID_API_KEY") {
		return nil
	}
	for _, r := range a.obs.errorPaths() {
		if r.resp == nil || r.resp.Status != 403 || r.request == nil || samePath(r.request.URL, a.obs.req.URL) {
			continue
		}
		if typ, ok := gatewayResponseType(r.resp); ok && strings.HasPrefix(typ, "INVALID_API_KEY") {
			return r
		}
	}
	return nil
}

// samePath reports whether two URLs name the same path.
func samePath(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	return errA == nil && errB == nil && ua.Path == ub.Path
}

func (a *analysis) gatewayResponsesFinding(step string, blocking bool, seen []string) cors.Finding {
	c := *a.fixContext()
	msg := "API Gateway answered with its own error (" + strings.Join(seen, ", ") + ") and its gateway responses carry no Access-Control-Allow-Origin, so the browser reports a CORS error instead of the status"
	if !blocking {
		msg = "error answers API Gateway makes itself (" + strings.Join(seen, ", ") + ") carry no Access-Control-Allow-Origin: a bad path, a missing key, an authorizer denial, throttling or an integration timeout will reach the page as a CORS error, hiding the real status"
	}
	types := "DEFAULT_4XX and DEFAULT_5XX"
	if extra := specificTypes(c.GatewayResponses); len(extra) > 0 {
		types += " (and " + strings.Join(extra, ", ") + " if customised)"
	}
	return a.finding(CodeAPIGWGatewayResponses, idRESTAPI, step, blocking, msg,
		"Add Access-Control-Allow-Origin: '"+c.Origin+"' to the "+types+" gateway responses of API "+c.APIID+", then redeploy "+c.Stage+".")
}

// baseType is the first gateway response type named in a description.
func baseType(t string) string {
	if i := strings.IndexAny(t, " ("); i >= 0 {
		return t[:i]
	}
	return t
}

func specificTypes(types []string) []string {
	var out []string
	for _, t := range types {
		if t != "DEFAULT_4XX" && t != "DEFAULT_5XX" && t != "" {
			out = appendUnique(out, t)
		}
	}
	return out
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func netErr(r *response) bool { return r != nil && r.resp == nil && r.netErr != "" }

func firstNetErrStep(rs ...*response) string {
	for _, r := range rs {
		if netErr(r) {
			return r.step
		}
	}
	return "request"
}

func preflightStatusNote(pf *response) string {
	if pf == nil || pf.resp == nil {
		return ""
	}
	if msg := gatewayMessage(pf.resp); msg != "" {
		return fmt.Sprintf(" (here: %d %s)", pf.resp.Status, show(msg))
	}
	return fmt.Sprintf(" (here: %d)", pf.resp.Status)
}

// consoleCredentials is the console line that switches credentials on for
// a page that sends them (a configured API answers without
// Access-Control-Allow-Credentials otherwise, and the browser refuses).
func consoleCredentials(c FixContext) string {
	if c.Credentials {
		return "  Access-Control-Allow-Credentials: YES\n"
	}
	return ""
}

// authorizerTakesPreflight: an HTTP API refused the preflight with 401 or
// 403, which only a route with an authorizer does ($default, an ANY route
// matching OPTIONS), CORS configuration or not (http-api-cors.html, "CORS
// for an HTTP API with a $default route and an authorizer").
func (c FixContext) authorizerTakesPreflight() bool {
	return c.Preflight.Status == 401 || c.Preflight.Status == 403
}

// httpAPICredentials is c.credentials for an HTTP API's configuration:
// switched on, it says that '*' cannot stay in AllowOrigins (API Gateway
// refuses the two together: "allow-credentials is not supported if
// 'allow-origin' is *").
func (c FixContext) httpAPICredentials(mark, after string) string {
	if !c.Credentials {
		return c.credentials(mark, after)
	}
	return c.credentials(mark, after) + " " + mark + " not beside '*' in the origins: API Gateway refuses the pair; list them"
}

// optionsRoutePath is the path of the OPTIONS route that takes the
// preflight from the route with the authorizer: /{proxy+} comes before
// $default, but an ANY route's own path (ANY /items, ANY /api/{proxy+}) is
// a more specific match than /{proxy+}, so the OPTIONS route goes on it.
func (c FixContext) optionsRoutePath() string {
	if c.Route == "" || c.Route == "$default" {
		return "/{proxy+}"
	}
	return safePath(c.Route)
}

// httpAPIOptionsRoute is, where an authorizer takes the preflight, the
// OPTIONS route without authorization that comes before it, in form;
// else "".
func httpAPIOptionsRoute(c FixContext, form Format) string {
	if !c.authorizerTakesPreflight() {
		return ""
	}
	at := c.optionsRoutePath()
	switch form {
	case FormatConsole:
		return `
An authorizer on $default or an ANY route takes the preflight even so: Routes → Create → OPTIONS ` + at + `,
no authorization, attached to the same integration.`
	case FormatAWSCLI:
		return `
# the preflight reaches this route, not the authorizer's ($default, ANY): the ANY route's integration
aws apigatewayv2 create-route --api-id "$API_ID" --route-key 'OPTIONS ` + at + `' \
  --authorization-type NONE --target integrations/YOUR_INTEGRATION_ID`
	case FormatCloudFormation:
		return `  # the preflight reaches this route, not the authorizer's ($default, ANY)
  OptionsRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref HttpApi
      RouteKey: OPTIONS ` + at + `
      AuthorizationType: NONE
      Target: !Sub integrations/${Integration} # the integration of the ANY route
`
	case FormatSAM:
		// The implicit API's snippet is in Globals, and its events name no ApiId.
		head, api := "", "            ApiId: !Ref HttpApi\n"
		if c.APIID == SAMImplicitHTTPAPI {
			head, api = "Resources:\n", ""
		}
		return head + `  # the preflight reaches this route, not the authorizer's ($default, ANY)
  Function: # the function behind the ANY route
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Preflight:
          Type: HttpApi
          Properties:
` + api + `            Path: ` + at + `
            Method: OPTIONS
            Auth:
              Authorizer: NONE
`
	case FormatTerraform:
		return `
# the preflight reaches this route, not the authorizer's ($default, ANY)
resource "aws_apigatewayv2_route" "options" {
  api_id             = aws_apigatewayv2_api.api.id
  route_key          = "OPTIONS ` + at + `"
  authorization_type = "NONE"
  target             = "integrations/${aws_apigatewayv2_integration.fn.id}" # the ANY route's
}
`
	case FormatCDK:
		return `

// the preflight reaches this route, not the authorizer's ($default, ANY): httpApi is your
// HttpApi, integration the ANY route's
httpApi.addRoutes({
  path: '` + at + `',
  methods: [apigwv2.HttpMethod.OPTIONS],
  integration,
  authorizer: new apigwv2.HttpNoneAuthorizer(),
});`
	case FormatOpenAPI:
		return `# the preflight reaches this route, not the authorizer's ($default, ANY). Merge into the
# document: options goes under the path's entry, beside its other operations.
paths:
  ` + at + `:
    options:
      security: []
      x-amazon-apigateway-integration: # the ANY route's integration, as it is written there
        type: aws_proxy
        httpMethod: POST
        uri: YOUR_INTEGRATION_URI
        payloadFormatVersion: "2.0"
`
	case FormatServerless:
		return `functions:
  api: # the function behind the ANY route
    events:
      # the preflight reaches this route, not the authorizer's ($default, ANY)
      - httpApi:
          path: ` + at + `
          method: OPTIONS
`
	}
	return ""
}

// httpAPICauses explains what an HTTP API did.
func httpAPICauses(a *analysis) []cors.Finding {
	if !a.has(idHTTPAPI) {
		return nil
	}
	var out []cors.Finding
	c := *a.fixContext()
	pf, fin := a.obs.preflight(), a.obs.final()
	for _, r := range []*response{pf, fin} {
		if r == nil || r.resp == nil {
			continue
		}
		if severalAllowOrigins(r.resp) {
			out = append(out, a.finding(CodeHTTPAPIDuplicate, idHTTPAPI, r.step, true,
				"the answer to the "+stepWords(r.step)+" carries Access-Control-Allow-Origin more than once. An HTTP API with a CORS configuration ignores the backend's CORS headers and sends its own, once; so this API has no CORS configuration, and the backend sends the header twice (a Lambda returning it in both headers and multiValueHeaders, two CORS middlewares), or a response parameter mapping or a layer in front adds a second one",
				"Configure CORS on HTTP API "+c.APIID+" for "+c.Origin+", with every origin the backend allows today: API Gateway then answers the preflights and replaces the backend's CORS headers with its own, once. Or have the backend send the header once, and drop any response parameter mapping that appends it."))
		}
	}
	// A JWT authorizer's 401 carries the configured CORS headers (see
	// awsmodel's refusal): the refusal, not the headers, says who took it.
	if pf != nil && pf.resp != nil && (!hasACAO(pf.resp) || c.authorizerTakesPreflight()) {
		why := "the HTTP API has no CORS configuration, or its AllowOrigins/AllowMethods/AllowHeaders do not cover this request (API Gateway then answers without CORS headers)"
		list := "AllowOrigins"
		switch {
		case pf.resp.Status == 404:
			why, list = "the HTTP API has no CORS configuration and no OPTIONS route, so the preflight gets 404 Not Found", ""
		case c.authorizerTakesPreflight():
			why, list = fmt.Sprintf("a route matching OPTIONS ($default, an ANY route) has an authorizer: it catches the preflight and answers %d, with or without a CORS configuration (API Gateway answers preflights itself only where no such route matches)", pf.resp.Status), ""
		}
		fix := "Add " + c.Origin + " to AllowOrigins, " + c.methodList(",") + " to AllowMethods and " + c.headerList(",") + " to AllowHeaders in HTTP API " + c.APIID + "'s CORS configuration (the values already there stay)"
		if c.authorizerTakesPreflight() {
			fix += ", and add an OPTIONS " + c.optionsRoutePath() + " route without authorization (it is matched before the ANY route of its path and $default)."
		} else {
			fix += "; no OPTIONS route is needed."
		}
		if list == "" {
			out = append(out, a.finding(CodeHTTPAPINotConfigured, idHTTPAPI, "preflight", true, why, fix))
		} else {
			out = append(out, a.listFinding(CodeHTTPAPINotConfigured, idHTTPAPI, list, "preflight", why, fix))
		}
	} else if rep := a.diag.Reported(); rep != nil && (rep.Code == cors.CodePreflightWildcardCredentials || rep.Code == cors.CodeWildcardCredentials) {
		if a.lambdaAnsweredWildcard(rep.Step) != nil {
			// the function's own *: apigw-lambda-proxy-wildcard-credentials
			return out
		}
		// API Gateway answers from the configuration, and refuses
		// AllowCredentials beside "*": the list must name the origins.
		out = append(out, a.finding(CodeHTTPAPINotConfigured, idHTTPAPI, rep.Step, true,
			"the HTTP API's CORS configuration has AllowOrigins *, so API Gateway answers Access-Control-Allow-Origin: *, which the browser never accepts for a request with credentials; and API Gateway refuses AllowCredentials beside *",
			"In HTTP API "+c.APIID+"'s CORS configuration, list in AllowOrigins every origin that calls the API, "+c.Origin+" among them, in place of *, and set AllowCredentials true (its other values stay)."))
	} else if list, what, item, ok := a.preflightListLacks(); ok {
		out = append(out, a.finding(CodeHTTPAPINotConfigured, idHTTPAPI, "preflight", true,
			fmt.Sprintf("the HTTP API's CORS configuration allows %s, but its %s does not list the %s %s, so API Gateway's preflight answer leaves it out", c.Origin, list, what, show(item)),
			"Add "+item+" to "+list+" in HTTP API "+c.APIID+"'s CORS configuration (the values already there stay)."))
	} else if fin != nil && fin.resp != nil && !hasACAO(fin.resp) && (pf == nil || is2xx(statusOf(pf)) && hasACAO(pf.resp)) && a.obs.req.Origin != "" {
		out = append(out, a.listFinding(CodeHTTPAPINotConfigured, idHTTPAPI, "AllowOrigins", fin.step,
			fmt.Sprintf("the %d answer has no Access-Control-Allow-Origin: the HTTP API has no CORS configuration (the backend's headers would be passed through, and it sets none), or its AllowOrigins does not list %s", fin.resp.Status, c.Origin),
			"Add "+c.Origin+" to AllowOrigins in HTTP API "+c.APIID+"'s CORS configuration (the values already there stay); API Gateway then adds the headers to every integration response."))
	}
	return out
}

// preflightListLacks reports, where the browser refused a preflight
// answer for a method or a request header it did not list, the list of an
// HTTP API's or function URL's CORS configuration (the two spell them
// alike) that must hold it: the configuration allows the origin, one of
// its other lists lacks what this page sends.
func (a *analysis) preflightListLacks() (list, what, item string, ok bool) {
	pf, rep := a.obs.preflight(), a.diag.Reported()
	if pf == nil || pf.resp == nil || rep == nil || rep.Step != "preflight" {
		return "", "", "", false
	}
	switch rep.Code {
	case cors.CodeMethodNotAllowed:
		return "AllowMethods", "method", rep.FailedParameter, true
	case cors.CodeHeaderNotAllowed:
		return "AllowHeaders", "request header", rep.FailedParameter, true
	}
	return "", "", "", false
}

func lambdaURLCauses(a *analysis) []cors.Finding {
	if !a.sure(idLambdaURL) {
		return nil
	}
	// Not the preflight: a URL with Cors answers it alone (the function
	// never sees it), so two values there are the function's own (no Cors)
	// or a layer's in front, not the Cors beside the function's.
	if r := a.obs.final(); r != nil && r.resp != nil && severalAllowOrigins(r.resp) {
		return []cors.Finding{a.finding(CodeLambdaURLDuplicate, idLambdaURL, r.step, true,
			"the function URL's answer to the "+stepWords(r.step)+" carries Access-Control-Allow-Origin twice: a Cors configured on the URL adds its headers to the function's answers beside the function's own, not in their place, so a function that returns the header too sends it twice (a layer in front, such as a CloudFront response headers policy, can add one as well)",
			"Keep the URL's Cors and remove Access-Control-Allow-Origin, and the other Access-Control-* headers the Cors sets, from the function's responses; or delete the URL's Cors and let the function answer CORS, OPTIONS included.")}
	}
	if r := a.firstBlockedWithoutACAO(); r != nil {
		return []cors.Finding{a.listFinding(CodeLambdaURLNotConfigured, idLambdaURL, "AllowOrigins", r.step,
			fmt.Sprintf("the Lambda function URL answered the %s (%d) without Access-Control-Allow-Origin: the function URL has no CORS configuration allowing %s (once configured, the URL answers preflights itself and adds the headers)", r.step, r.resp.Status, a.fixContext().Origin),
			"Configure CORS on the function URL: AllowOrigins "+a.fixContext().Origin+", AllowMethods "+strings.Join(a.fixContext().Methods[:1], ",")+", AllowHeaders "+a.fixContext().headerList(",")+".")}
	}
	pf := a.obs.preflight()
	if list, what, item, ok := a.preflightListLacks(); ok && hasACAO(pf.resp) {
		return []cors.Finding{a.finding(CodeLambdaURLNotConfigured, idLambdaURL, "preflight", true,
			fmt.Sprintf("the function URL's Cors allows %s, but its %s does not list the %s %s, so the URL's preflight answer leaves it out", a.fixContext().Origin, list, what, show(item)),
			"Add "+item+" to "+list+" in the function URL's Cors (the values already there stay).")}
	}
	return nil
}

func albCauses(a *analysis) []cors.Finding {
	if !a.has(idALB) {
		return nil
	}
	var out []cors.Finding
	for i := range a.obs.responses {
		r := &a.obs.responses[i]
		if r.resp == nil || r.resp.Status < 500 || hasACAO(r.resp) || !strings.HasPrefix(strings.ToLower(header(r.resp, "Server")), "awselb") {
			continue
		}
		blocking := !strings.HasPrefix(r.step, "error-path")
		if !blocking {
			a.explain(r)
		}
		out = append(out, a.finding(CodeALBErrorPage, idALB, r.step, blocking,
			fmt.Sprintf("the Application Load Balancer answered %d itself (Server: awselb/2.0): %s. Its own error pages never carry CORS headers, so the page sees a CORS error", r.resp.Status, albReason(r.resp.Status)),
			"Fix the target group: check target health and timeouts (aws elbv2 describe-target-health); the CORS headers will come back with the application's answers."))
	}
	return out
}

func albReason(status int) string {
	switch status {
	case 502:
		return "the target closed the connection or sent a malformed answer"
	case 503:
		return "no healthy target is registered"
	case 504:
		return "the target did not answer within the idle timeout"
	}
	return "the load balancer could not get an answer from a target"
}

// ---- fixes ----

// apigwHeaderParams are the integration response mappings for the CORS
// headers ('quoted' static values, as API Gateway wants them).
func apigwHeaderParams(c FixContext, preflight bool) [][2]string {
	ps := [][2]string{{"Access-Control-Allow-Origin", "'" + c.Origin + "'"}}
	if preflight {
		ps = append(ps, [2]string{"Access-Control-Allow-Methods", "'" + c.methodList(",") + "'"},
			[2]string{"Access-Control-Allow-Headers", "'" + c.headerList(",") + "'"})
	}
	if c.Credentials {
		ps = append(ps, [2]string{"Access-Control-Allow-Credentials", "'true'"})
	}
	return ps
}

func jsonParams(ps [][2]string, prefix string, value func(v string) string) string {
	var lines []string
	for _, p := range ps {
		lines = append(lines, fmt.Sprintf("  %q: %s", prefix+p[0], value(p[1])))
	}
	return "{\n" + strings.Join(lines, ",\n") + "\n}"
}

// patchParams is ps as API Gateway patch operations adding each header
// (update-gateway-response and the like): the other headers, templates
// and settings stay.
func patchParams(ps [][2]string, prefix string, value func(v string) string) string {
	return patchList(paramOps(ps, prefix, value))
}

// paramOps are patchParams' operations, one a line.
func paramOps(ps [][2]string, prefix string, value func(v string) string) []string {
	var lines []string
	for _, p := range ps {
		lines = append(lines, patchOp("/responseParameters/"+prefix+p[0], value(p[1])))
	}
	return lines
}

// patchOp is an add operation setting path to value (JSON): add sets a
// key whether or not it exists (RFC 6902 §4.1, which API Gateway's patch
// operations follow), where replace fails on one that does not.
func patchOp(path, value string) string {
	return fmt.Sprintf(`  {"op": "add", "path": %s, "value": %s}`, jsonString(path), value)
}

// patchList is operations as a JSON array.
func patchList(ops []string) string { return "[\n" + strings.Join(ops, ",\n") + "\n]" }

// jsonString is s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func yamlParams(ps [][2]string, indent, prefix string, value func(v string) string) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%s%s%s: %s\n", indent, prefix, p[0], value(p[1]))
	}
	return b.String()
}

func hclParams(ps [][2]string, indent, prefix string, value func(v string) string) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%s%q = %s\n", indent, prefix+p[0], value(p[1]))
	}
	return b.String()
}

func tru(string) string  { return "true" }
func fals(string) string { return "false" }
func dq(v string) string { return fmt.Sprintf("%q", v) }

// withResource looks the resource up and runs body only when it is
// found: behind a custom domain the URL's path holds a base path the API
// does not, and a body run with no resource would fail step by step, then
// deploy whatever else waits undeployed.
func withResource(c FixContext, body string) string {
	return fmt.Sprintf(`API_ID=%[1]s
# the resource as defined in the API (a path template such as
# /items/{id} if the URL holds an id)
RESOURCE_ID=$(aws apigateway get-resources --rest-api-id "$API_ID" --query "items[?path=='%[2]s'].id" --output text)
if [ -z "$RESOURCE_ID" ] || [ "$RESOURCE_ID" = None ]; then
  echo "no resource %[2]s in API $API_ID:" \
    "nothing changed or deployed, the API kept as it is. Put the" \
    "path as the API defines it in the get-resources query (aws" \
    "apigateway get-resources lists them; behind a custom domain," \
    "without the base path) and run this again" >&2
  false
else%[3]s
fi`, c.APIID, c.safeResource(), body)
}

// optionsMockCLI looks the resource up and, where it has an OPTIONS
// method, runs exists; else adds one without authorization, with a MOCK
// integration answering the preflight; then redeploys.
func optionsMockCLI(c FixContext, exists string) string {
	return withResource(c, fmt.Sprintf(`
%s
%s
if aws apigateway get-method --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method OPTIONS >/dev/null 2>&1; then
%s
else
  aws apigateway put-method --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method OPTIONS --authorization-type NONE --no-api-key-required
  aws apigateway put-integration --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method OPTIONS --type MOCK --request-templates '{"application/json":"{\"statusCode\": 200}"}'
  aws apigateway put-method-response --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method OPTIONS --status-code 200 --response-parameters file://cors-method.json
  aws apigateway put-integration-response --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method OPTIONS --status-code 200 --response-parameters file://cors-integration.json
fi
aws apigateway create-deployment --rest-api-id "$API_ID" --stage-name %s`,
		corsJSONHeredoc("cors-method.json", jsonParams(apigwHeaderParams(c, true), "method.response.header.", func(string) string { return "false" })),
		corsJSONHeredoc("cors-integration.json", jsonParams(apigwHeaderParams(c, true), "method.response.header.", dq)), exists, c.Stage))
}

func corsJSONHeredoc(file, content string) string {
	return "cat > " + file + " <<'EOF'\n" + content + "\nEOF"
}

func init() {
	addFixes(CodeAPIGWNoOptionsMethod,
		fixBuilder{FormatConsole, "API Gateway console", func(c FixContext) string {
			return fmt.Sprintf(`1. API Gateway console → APIs → %s → Resources → select %s.
2. Enable CORS: tick DEFAULT 4XX and DEFAULT 5XX, tick the methods (%s), set
   Access-Control-Allow-Origin to %s and Access-Control-Allow-Headers to %s. Save.
   (Make sure the new OPTIONS method has Authorization NONE and API key not required.)
3. Deploy API → stage %s. Nothing changes until the stage is redeployed.`, c.APIID, c.safeResource(), c.methodList(", "), c.Origin, c.headerList(","), c.Stage)
		}},
		fixBuilder{FormatAWSCLI, "add an OPTIONS method with a MOCK integration, then redeploy", func(c FixContext) string {
			return optionsMockCLI(c, `  # An OPTIONS method already there (not deployed yet) is kept:
  # putting it again would replace its integration and the origins it
  # allows.
  echo "OPTIONS exists on the resource: kept; deploying it" >&2`)
		}},
		fixBuilder{FormatCloudFormation, "an OPTIONS method with a MOCK integration (add a new AWS::ApiGateway::Deployment to redeploy)", func(c FixContext) string {
			return cfnOptionsMethod(c)
		}},
		fixBuilder{FormatSAM, "Cors on the AWS::Serverless::Api (SAM adds the OPTIONS methods)", func(c FixContext) string {
			return samCorsAPI(c, "      Auth:\n        AddDefaultAuthorizerToCorsPreflight: false\n")
		}},
		fixBuilder{FormatCDK, "defaultCorsPreflightOptions (TypeScript)", func(c FixContext) string {
			return fmt.Sprintf(`import * as apigateway from 'aws-cdk-lib/aws-apigateway';

const api = new apigateway.RestApi(this, 'Api', {
  defaultCorsPreflightOptions: {
    allowOrigins: ['%s'],
    allowMethods: [%s],
    allowHeaders: [%s],
    allowCredentials: %s
  },
});
// or on one resource:
// resource.addCorsPreflight({ allowOrigins: ['%s'] });`, c.Origin, singleQuoted(c.Methods), singleQuoted(c.Headers), c.credentials("//", ","), c.Origin)
		}},
		fixBuilder{FormatTerraform, "OPTIONS method, MOCK integration and their responses", func(c FixContext) string {
			return tfOptionsMethod(c)
		}},
		fixBuilder{FormatServerless, "cors on the http event (serverless.yml)", func(c FixContext) string {
			return slsCorsEvent(c, "a cors there already: extend its lists, the values in them stay")
		}},
	)

	actualMapping := []fixBuilder{
		{FormatConsole, "API Gateway console", func(c FixContext) string {
			return fmt.Sprintf(`Non-proxy integration:
1. Resources → %s → Enable CORS: tick %s as well as OPTIONS,
   origin %s. Save.
   (This adds Access-Control-Allow-Origin to the method response and
   maps it in the integration response.)
2. Deploy API → stage %s.
Lambda proxy / HTTP proxy integration: the console cannot add it;
return the header from the backend (--fix-format lambda).`, c.safeResource(), c.Method, c.Origin, c.Stage)
		}},
		{FormatAWSCLI, "map Access-Control-Allow-Origin on the method (non-proxy), then redeploy", func(c FixContext) string {
			return withResource(c, fmt.Sprintf(`
%s
%s
# update adds the header and keeps the rest (put would replace the
# mapping templates). Repeat both for each status the method returns.
aws apigateway update-method-response --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method %s --status-code %s --patch-operations file://cors-method-patch.json
aws apigateway update-integration-response --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method %s --status-code %s --patch-operations file://cors-integration-patch.json
aws apigateway create-deployment --rest-api-id "$API_ID" --stage-name %s`,
				corsJSONHeredoc("cors-method-patch.json", patchParams(apigwHeaderParams(c, false), "method.response.header.", func(string) string { return jsonString("false") })),
				corsJSONHeredoc("cors-integration-patch.json", patchParams(apigwHeaderParams(c, false), "method.response.header.", jsonString)), c.Method, c.okStatus(), c.Method, c.okStatus(), c.Stage))
		}},
		{FormatCloudFormation, "the method's responses map the header (non-proxy)", func(c FixContext) string {
			return fmt.Sprintf(`# Add to the method's existing definition,
# for each status it returns: its
# Integration, templates and models stay as they are.
Resources:
  ApiMethod:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RestApi
      ResourceId: !Ref ApiResource   # the resource %s
      HttpMethod: %s
      Integration:
        IntegrationResponses:
          - StatusCode: "%s"
            ResponseParameters:
%s      MethodResponses:
        - StatusCode: "%s"
          ResponseParameters:
%s`, c.safeResource(), c.Method, c.okStatus(), yamlParams(apigwHeaderParams(c, false), "              ", "method.response.header.", func(v string) string { return "\"" + v + "\"" }),
				c.okStatus(), yamlParams(apigwHeaderParams(c, false), "            ", "method.response.header.", fals))
		}},
		{FormatTerraform, "method and integration responses map the header (non-proxy)", func(c FixContext) string {
			return fmt.Sprintf(`# Add response_parameters to the method's existing responses for status
# %s (and each other status it returns), keeping what they hold: a
# second resource for the same status would replace its templates and
# models.
resource "aws_api_gateway_method_response" "cors_%s" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.this.id # %s
  http_method = "%s"
  status_code = "%s"
  response_parameters = {
%s  }
}

resource "aws_api_gateway_integration_response" "cors_%s" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.this.id
  http_method = "%s"
  status_code = aws_api_gateway_method_response.cors_%s.status_code
  response_parameters = {
%s  }
}
%s`, c.okStatus(), strings.ToLower(c.Method), c.safeResource(), c.Method, c.okStatus(), hclParams(apigwHeaderParams(c, false), "    ", "method.response.header.", tru),
				strings.ToLower(c.Method), c.Method, strings.ToLower(c.Method), hclParams(apigwHeaderParams(c, false), "    ", "method.response.header.", func(v string) string { return fmt.Sprintf("%q", v) }),
				tfDeployment("aws_api_gateway_method_response.cors_"+strings.ToLower(c.Method), "aws_api_gateway_integration_response.cors_"+strings.ToLower(c.Method)))
		}},
		{FormatLambda, "Lambda proxy integration: return the headers from the function (Node.js)", lambdaHandler},
	}
	addFixes(CodeAPIGWCorsOnlyOnOptions, actualMapping...)
	addFixes(CodeAPIGWIntegrationNoCORS, actualMapping...)

	addFixes(CodeAPIGWProxyNoCORS,
		fixBuilder{FormatLambda, "return the headers from the Lambda function, errors included (Node.js)", lambdaHandler},
		fixBuilder{FormatExpress, "HTTP proxy to Express: the cors middleware, first", expressCors},
		fixBuilder{FormatGo, "HTTP proxy to Go net/http: a CORS middleware around the mux", goCors},
		fixBuilder{FormatSpring, "HTTP proxy to Spring Boot", springCors},
		fixBuilder{FormatASPNet, "HTTP proxy to ASP.NET Core", aspnetCors},
		fixBuilder{FormatServerless, "serverless.yml: cors on the event (the function must still return the header)", func(c FixContext) string {
			return slsCorsEvent(c, "a cors there already: extend its lists, the values in them stay")
		}},
	)

	addFixes(CodeAPIGWGatewayResponses,
		fixBuilder{FormatConsole, "API Gateway console", func(c FixContext) string {
			return fmt.Sprintf(`1. API Gateway console → APIs → %s → Gateway responses.
2. Select Default 4XX → Edit → Response headers → add
   Access-Control-Allow-Origin = '%s'
   (quotes included; a response that has the header already keeps its
   value). Save.
3. Do the same for Default 5XX%s.
4. Resources → Deploy API → stage %s.`, c.APIID, c.Origin, typesSuffix(c), c.Stage)
		}},
		fixBuilder{FormatAWSCLI, "update-gateway-response: the headers each lacks, then redeploy", gatewayResponsesCLI},
	)
	addFixes(CodeAPIGWGatewayResponses, gatewayResponseTemplates(gatewayResponsesKept, func(c FixContext) [][2]string {
		return apigwHeaderParams(c, true)
	})...)

	// Read-only: which of the usual causes refuses the requests is for the
	// user to see; each changes something that works for other callers.
	addFixes(CodeAPIGWForbiddenAll,
		fixBuilder{FormatConsole, "find what refuses the requests before API Gateway routes them", func(c FixContext) string {
			return fmt.Sprintf(`1. CloudFront in front (Via: … cloudfront.net): CloudFront console → the distribution → Behaviors → the behavior serving %[1]s
   → Edit → Origin request policy: AllViewerExceptHostHeader in place of AllViewer (legacy settings: drop Host from
   the forwarded headers). API Gateway routes by its own host name. Save.
%[2]s
3. API Gateway console → APIs → %[3]s → API settings: endpoint type PRIVATE is reached only from inside its VPC.
4. AWS WAF console → Web ACLs → the ACL on stage %[4]s → Sampled requests: a rule blocking these requests.`, c.Path, customDomainStep(c, FormatConsole), c.APIID, c.Stage)
		}},
		fixBuilder{FormatAWSCLI, "read what refuses the requests before API Gateway routes them (nothing is changed)", func(c FixContext) string {
			return fmt.Sprintf(`# 1. CloudFront in front: the origin request policy of each behavior.
#    AllViewer (216adef6-5c7f-47e4-b989-5492eafa07d3) or Host among the
#    forwarded headers sends the viewer's
#    Host: give that behavior
#    AllViewerExceptHostHeader (the console's step 1).
aws cloudfront get-distribution-config --id YOUR_DISTRIBUTION_ID \
  --query 'DistributionConfig.DefaultCacheBehavior.{originRequestPolicy:OriginRequestPolicyId,headers:ForwardedValues.Headers.Items}'
aws cloudfront get-distribution-config --id YOUR_DISTRIBUTION_ID \
  --query 'DistributionConfig.CacheBehaviors.Items[].{path:PathPattern,originRequestPolicy:OriginRequestPolicyId,headers:ForwardedValues.Headers.Items}'
%s
# 3. the API's endpoint type (PRIVATE: reached only
#    from inside its VPC), 4. the stage's WAF web ACL
aws apigateway get-rest-api --rest-api-id %s --query endpointConfiguration.types
aws apigateway get-stage --rest-api-id %s --stage-name %s --query webAclArn`, customDomainStep(c, FormatAWSCLI), shWord(c.APIID), shWord(c.APIID), shWord(c.Stage))
		}},
	)

	addFixes(CodeAPIGWAuthOnOptions,
		fixBuilder{FormatConsole, "API Gateway console", func(c FixContext) string {
			return fmt.Sprintf(`1. Resources → %s: if only ANY exists, add an
   OPTIONS method (Enable CORS does it).
2. OPTIONS → Method request → Authorization: NONE,
   API key required: false.
3. Deploy API → stage %s.`, c.safeResource(), c.Stage)
		}},
		fixBuilder{FormatAWSCLI, "no authorizer and no API key on OPTIONS (a MOCK one where ANY takes it), then redeploy", func(c FixContext) string {
			// An OPTIONS method there keeps its integration and responses;
			// without one, the preflight reaches ANY or {proxy+} and its
			// authorizer: an OPTIONS method of its own takes it.
			return optionsMockCLI(c, `  # its integration and responses stay; only authorization and the API key change
  aws apigateway update-method --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method OPTIONS \
    --patch-operations op=replace,path=/authorizationType,value=NONE op=replace,path=/apiKeyRequired,value=false`)
		}},
		fixBuilder{FormatCloudFormation, "the OPTIONS method without authorization", func(c FixContext) string {
			return `# An OPTIONS method defined already: set AuthorizationType NONE and
# ApiKeyRequired false on it, its Integration and responses stay (a
# second OPTIONS method would replace them). None yet (the preflight
# reaches ANY or {proxy+}): add this one.
` + cfnOptionsMethod(c)
		}},
		fixBuilder{FormatSAM, "keep the default authorizer and API key off the CORS preflight", func(c FixContext) string {
			return "# The Auth lines are the fix: the Cors you have stays as it is (these\n" +
				"# values only if it has none).\n" +
				samAPI(c, fmt.Sprintf(`      Cors:
        AllowOrigin: "'%s'"
        AllowHeaders: "'%s'"
      Auth:
        AddDefaultAuthorizerToCorsPreflight: false
        AddApiKeyRequiredToCorsPreflight: false
`, c.Origin, c.headerList(",")))
		}},
		fixBuilder{FormatCDK, "an OPTIONS method without authorizer (TypeScript)", func(c FixContext) string {
			return fmt.Sprintf(`// An OPTIONS method there already (addCorsPreflight,
// defaultCorsPreflightOptions): keep its
// CORS options as they are and give it no authorizer; else add it:
resource.addCorsPreflight({
  allowOrigins: ['%s'],
  allowHeaders: [%s],
});
// addCorsPreflight's OPTIONS takes no authorizer or API key (CDK since
// October 2022, aws-cdk#8615; older releases gave it the RestApi's
// defaultMethodOptions: upgrade). An OPTIONS added with addMethod does
// take them: give it { authorizationType:
// apigateway.AuthorizationType.NONE, apiKeyRequired: false }.`, c.Origin, singleQuoted(c.Headers))
		}},
		fixBuilder{FormatTerraform, "authorization NONE on the OPTIONS method", func(c FixContext) string {
			return `# An aws_api_gateway_method for OPTIONS defined already: set
# authorization = "NONE" and api_key_required = false on it, its
# integration and responses stay. None yet (the preflight reaches ANY
# or {proxy+}): add these.
` + tfOptionsMethod(c)
		}},
		fixBuilder{FormatServerless, "cors: true creates an OPTIONS method without the authorizer", func(c FixContext) string {
			return fmt.Sprintf(`functions:
  api:
    handler: handler.main
    events:
      - http:
          path: %s
          method: %s
          authorizer: myAuthorizer   # applies to this method only, not to the OPTIONS that cors adds
          cors:
            origins:
%s`, strings.TrimPrefix(c.safeResource(), "/"), strings.ToLower(c.Method), c.yamlOrigins("              "))
		}},
	)

	privateDNS := []fixBuilder{
		{FormatConsole, "VPC console", func(c FixContext) string {
			return privateDNSWarning(c, "") + fmt.Sprintf(`1. VPC console → Endpoints → %s (com.amazonaws.%s.execute-api) → Actions → Modify private DNS name → Enable.
2. In the page, call https://%s.execute-api.%s.amazonaws.com/%s (no x-apigw-api-id header, no Host override).
3. Make sure the page runs where that name resolves to the endpoint: inside the VPC, or over VPN/Direct Connect with the VPC's resolver.`, c.VPCE, c.Region, c.APIID, c.Region, c.Stage)
		}},
		{FormatAWSCLI, "enable private DNS on the interface endpoint", func(c FixContext) string {
			return privateDNSWarning(c, "# ") + fmt.Sprintf(`aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --private-dns-enabled
# then call https://%s.execute-api.%s.amazonaws.com/%s from inside the VPC
aws ec2 describe-vpc-endpoints --vpc-endpoint-ids %s --query 'VpcEndpoints[0].PrivateDnsEnabled'`, c.VPCE, c.APIID, c.Region, c.Stage, c.VPCE)
		}},
		{FormatCloudFormation, "PrivateDnsEnabled on the execute-api endpoint", func(c FixContext) string {
			return privateDNSWarning(c, "# ") + `# On the endpoint you have: its subnets,
# security groups and policy stay.
Resources:
  ExecuteApiEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcEndpointType: Interface
      ServiceName: !Sub com.amazonaws.${AWS::Region}.execute-api
      VpcId: !Ref Vpc
      SubnetIds: !Ref PrivateSubnets
      SecurityGroupIds: [!Ref EndpointSecurityGroup]
      PrivateDnsEnabled: true
`
		}},
		{FormatCDK, "privateDnsEnabled on the interface endpoint (TypeScript)", func(c FixContext) string {
			return privateDNSWarning(c, "// ") + `vpc.addInterfaceEndpoint('ExecuteApi', {
  service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
  privateDnsEnabled: true,
});`
		}},
		{FormatTerraform, "private_dns_enabled on the execute-api endpoint", func(c FixContext) string {
			return privateDNSWarning(c, "# ") + fmt.Sprintf(`# On the aws_vpc_endpoint you have: its
# subnets, security groups and policy stay.
resource "aws_vpc_endpoint" "execute_api" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.%s.execute-api"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoint.id]
  private_dns_enabled = true
}
`, c.Region)
		}},
	}
	addFixes(CodeAPIGWPrivateHeader, privateDNS...)
	addFixes(CodeAPIGWPrivateWrongEndpoint, privateDNS...)

	addFixes(CodeAPIGWStageNotRedeployed,
		fixBuilder{FormatAWSCLI, "confirm what the stage serves, then redeploy", func(c FixContext) string {
			return fmt.Sprintf(`API_ID=%s
# what the deployed stage has (0 = no OPTIONS method deployed):
aws apigateway get-export --rest-api-id "$API_ID" --stage-name %s --export-type oas30 /dev/stdout | grep -ci '"options"'
# when the stage was last deployed:
aws apigateway get-stage --rest-api-id "$API_ID" --stage-name %s --query '{deployment:deploymentId,updated:lastUpdatedDate}'
aws apigateway create-deployment --rest-api-id "$API_ID" --stage-name %s --description "CORS"`, c.APIID, c.Stage, c.Stage, c.Stage)
		}},
		fixBuilder{FormatConsole, "API Gateway console", func(c FixContext) string {
			return fmt.Sprintf("Resources → Deploy API → Stage: %s → Deploy.\n"+
				"Then Stages → %s → Deployment history shows the new deployment.", c.Stage, c.Stage)
		}},
		fixBuilder{FormatTerraform, "redeploy whenever the API changes", tfDeploymentFix},
		fixBuilder{FormatCloudFormation, "CloudFormation does not redeploy by itself", func(c FixContext) string {
			return `# AWS::ApiGateway::Deployment is only created once: rename its logical
# id (e.g. DeploymentV2) or add a changing Description whenever methods
# change, so CloudFormation makes a new deployment.
Resources:
  DeploymentV2:
    Type: AWS::ApiGateway::Deployment
    DependsOn: [CorsOptionsMethod]
    Properties:
      RestApiId: !Ref RestApi
      StageName: ` + c.Stage + "\n"
		}},
	)

	addFixes(CodeHTTPAPINotConfigured,
		fixBuilder{FormatConsole, "API Gateway console", func(c FixContext) string {
			return fmt.Sprintf(`API Gateway console → APIs → %s → CORS → Configure, and add
(keep the values already there):
  Access-Control-Allow-Origin: %s
  Access-Control-Allow-Methods: %s
  Access-Control-Allow-Headers: %s
%sSave (HTTP APIs with auto-deploy apply it at once; otherwise deploy
the stage).%s`, c.APIID, c.Origin, c.methodList(", "), c.headerList(", "), consoleCredentials(c), httpAPIOptionsRoute(c, FormatConsole))
		}},
		fixBuilder{FormatAWSCLI, "get-api, merge into CorsConfiguration (jq), update-api", httpAPIMergeCLI},
		fixBuilder{FormatCloudFormation, "CorsConfiguration on AWS::ApiGatewayV2::Api", func(c FixContext) string {
			return fmt.Sprintf(`Resources:
  HttpApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: api # keep yours: another name renames the API
      ProtocolType: HTTP
      CorsConfiguration:
        # extend each list: the values already there stay
        AllowOrigins: [%s]
        AllowMethods: [%s]
        AllowHeaders: [%s]
        AllowCredentials: %s
        MaxAge: 7200
%s`, c.quotedOrigins(), quoteList(c.Methods), quoteList(c.Headers), c.httpAPICredentials("#", ""), httpAPIOptionsRoute(c, FormatCloudFormation))
		}},
		fixBuilder{FormatSAM, "CorsConfiguration on AWS::Serverless::HttpApi", func(c FixContext) string {
			return samHTTPAPI(c, fmt.Sprintf(`      CorsConfiguration:
        # extend each list: the values already there stay
        AllowOrigins: [%s]
        AllowMethods: [%s]
        AllowHeaders: [%s]
        AllowCredentials: %s
        MaxAge: 7200
`, c.quotedOrigins(), quoteList(c.Methods), quoteList(c.Headers), c.httpAPICredentials("#", ""))) + httpAPIOptionsRoute(c, FormatSAM)
		}},
		fixBuilder{FormatCDK, "corsPreflight on the HttpApi (TypeScript)", func(c FixContext) string {
			return fmt.Sprintf(`import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';

new apigwv2.HttpApi(this, 'HttpApi', {
  corsPreflight: {
    // extend each list: the values already there stay
    allowOrigins: [%s],
    allowMethods: [%s],
    allowHeaders: [%s],
    allowCredentials: %s
  },
});%s`, c.jsOriginsPlain(), cdkMethods(c.Methods), singleQuoted(c.Headers), c.httpAPICredentials("//", ","), httpAPIOptionsRoute(c, FormatCDK))
		}},
		fixBuilder{FormatTerraform, "cors_configuration on aws_apigatewayv2_api", func(c FixContext) string {
			return fmt.Sprintf(`resource "aws_apigatewayv2_api" "api" {
  name          = "api" # keep yours: another name renames the API
  protocol_type = "HTTP"

  cors_configuration {
    # extend each list: the values already there stay
    allow_origins     = [%s]
    allow_methods     = [%s]
    allow_headers     = [%s]
    allow_credentials = %s
    max_age           = 7200
  }
}
%s`, c.quotedOrigins(), quoteList(c.Methods), quoteList(c.Headers), c.httpAPICredentials("#", ""), httpAPIOptionsRoute(c, FormatTerraform))
		}},
		fixBuilder{FormatServerless, "provider.httpApi.cors (serverless.yml)", func(c FixContext) string {
			return fmt.Sprintf(`provider:
  name: aws
  httpApi:
    cors:
      # extend each list: the values already there stay
      allowedOrigins:
%s      allowedMethods:
%s      allowedHeaders:
%s      allowCredentials: %s
      maxAge: 7200
%s`, yamlList(c.allowListOrigins(), "        "), yamlList(c.Methods, "        "), yamlList(c.Headers, "        "), c.httpAPICredentials("#", ""), httpAPIOptionsRoute(c, FormatServerless))
		}},
	)
	// The URL's Cors adds its headers beside the function's: the function
	// stops sending them.
	addFixes(CodeLambdaURLDuplicate,
		fixBuilder{FormatLambda, "remove the CORS headers from the function (Node.js)", func(c FixContext) string {
			return `// The function URL's Cors adds its
// Access-Control-* headers (Allow-Origin, and
// Allow-Credentials when set) to every answer, beside the function's
// own: return none of them from the function (its other headers stay),
// or delete the URL's Cors instead.
return {
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' /* , your other headers, no Access-Control-* */ },
  body: JSON.stringify(result),
};
`
		}},
	)
	// Two values through an HTTP API mean it has no CORS configuration (one
	// would replace the backend's headers): configuring it is the fix that
	// takes one layer away; deleting anything is not.
	addFixes(CodeHTTPAPIDuplicate,
		fixBuilder{FormatAWSCLI, "configure CORS on the API (it then replaces the backend's CORS headers): get-api, merge (jq), update-api", func(c FixContext) string {
			return `# Add to AllowOrigins every origin the backend allows today (and
# AllowCredentials true if it sends Access-Control-Allow-Credentials):
# once configured, the API answers CORS for every route. Where the
# integrations map response headers, drop an append of
# Access-Control-Allow-Origin:
aws apigatewayv2 get-integrations --api-id ` + c.APIID + ` --query "Items[].ResponseParameters"
` + httpAPIMergeCLI(c)
		}},
		fixBuilder{FormatLambda, "or send the header once from the Lambda function", func(c FixContext) string {
			return `// API Gateway merges a proxy response's
// headers and multiValueHeaders (payload 1.0):
// set Access-Control-Allow-Origin in one of them only, with the value
// you compute today, and take it out of the other. Every other header
// stays where it is.
return {
  statusCode: 200,
  headers: { 'Access-Control-Allow-Origin': allowedOrigin, 'Vary': 'Origin' /* , your other headers */ },
  multiValueHeaders: { /* your other multi-value headers, no Access-Control-Allow-Origin */ },
  body: JSON.stringify(result),
};`
		}},
		fixBuilder{FormatExpress, "or send the header once from the Express backend", func(c FixContext) string {
			return `// one cors() for the app, registered once
// and first (your existing options);
app.use(cors(corsOptions));
// then no second cors() on a router, and no
// res.header/res.append('Access-Control-Allow-Origin', ...)`
		}},
	)

	addFixes(CodeLambdaURLNotConfigured,
		fixBuilder{FormatAWSCLI, "get-function-url-config, merge into Cors (jq), update-function-url-config", lambdaURLMergeCLI},
		fixBuilder{FormatCloudFormation, "Cors on AWS::Lambda::Url", func(c FixContext) string {
			return lambdaURLCFN(c, lambdaURLExtend)
		}},
		fixBuilder{FormatSAM, "FunctionUrlConfig Cors on the AWS::Serverless::Function", func(c FixContext) string {
			return lambdaURLSAM(c, lambdaURLExtend)
		}},
		fixBuilder{FormatServerless, "url cors on the function (serverless.yml)", func(c FixContext) string {
			return lambdaURLServerless(c, lambdaURLExtend)
		}},
		fixBuilder{FormatTerraform, "cors on aws_lambda_function_url", func(c FixContext) string {
			return lambdaURLTerraform(c, lambdaURLExtend)
		}},
	)
	addFixes(CodeALBErrorPage,
		fixBuilder{FormatConsole, "find why the load balancer answered itself", func(c FixContext) string {
			return `1. EC2 console → Target groups → the group → Targets: are targets healthy?
2. Load balancer → Monitoring: HTTPCode_ELB_5XX_Count and TargetConnectionErrorCount.
3. Raise the target's keep-alive above the load balancer's idle timeout (502s), fix health checks (503), or the slow handler (504).
aws elbv2 describe-target-health --target-group-arn YOUR_TARGET_GROUP_ARN`
		}},
	)
}

// gatewayResponseTemplates are the gateway responses as templates declare
// them, with the headers params gives; kept says, in a comment, what
// becomes of a response defined already.
func gatewayResponseTemplates(kept func(c FixContext, mark string) string, params func(c FixContext) [][2]string) []fixBuilder {
	return []fixBuilder{
		fixBuilder{FormatCloudFormation, "AWS::ApiGateway::GatewayResponse (then a new deployment)", func(c FixContext) string {
			return kept(c, "#") + "Resources:\n" + indent(cfnGatewayResponses(c, params(c), "RestApiId: !Ref RestApi"), "  ")
		}},
		fixBuilder{FormatSAM, "GatewayResponses on the AWS::Serverless::Api", func(c FixContext) string {
			var b strings.Builder
			b.WriteString("      GatewayResponses:\n")
			for _, t := range gatewayTypes(c) {
				fmt.Fprintf(&b, "        %s:\n          ResponseParameters:\n            Headers:\n", t)
				for _, p := range params(c) {
					fmt.Fprintf(&b, "              %s: \"%s\"\n", p[0], p[1])
				}
			}
			return kept(c, "#") + samAPI(c, b.String())
		}},
		fixBuilder{FormatCDK, "api.addGatewayResponse (TypeScript)", func(c FixContext) string {
			var b strings.Builder
			b.WriteString(kept(c, "//"))
			for _, t := range gatewayTypes(c) {
				fmt.Fprintf(&b, "api.addGatewayResponse('%s', {\n  type: apigateway.ResponseType.%s,\n  responseHeaders: {\n", camel(t), t)
				for _, p := range params(c) {
					fmt.Fprintf(&b, "    '%s': \"%s\",\n", p[0], p[1])
				}
				b.WriteString("  },\n});\n")
			}
			return b.String()
		}},
		fixBuilder{FormatTerraform, "aws_api_gateway_gateway_response", func(c FixContext) string {
			var b strings.Builder
			b.WriteString(kept(c, "#"))
			for _, t := range gatewayTypes(c) {
				fmt.Fprintf(&b, "resource \"aws_api_gateway_gateway_response\" %q {\n  rest_api_id   = aws_api_gateway_rest_api.api.id\n  response_type = %q\n  response_parameters = {\n%s  }\n}\n\n",
					strings.ToLower(t), t, hclParams(params(c), "    ", "gatewayresponse.header.", func(v string) string { return fmt.Sprintf("%q", v) }))
			}
			var refs []string
			for _, t := range gatewayTypes(c) {
				refs = append(refs, "aws_api_gateway_gateway_response."+strings.ToLower(t))
			}
			b.WriteString(tfDeployment(refs...))
			return b.String()
		}},
		fixBuilder{FormatServerless, "serverless.yml resources (CloudFormation)", func(c FixContext) string {
			return kept(c, "#") + "resources:\n  Resources:\n" + indent(cfnGatewayResponses(c, params(c), "RestApiId:\n  Ref: ApiGatewayRestApi"), "    ")
		}},
	}
}

// lambdaURLExtend says, in a function URL's Cors, which lists take the
// page's values beside theirs; lambdaURLReplaceStar, for * with
// credentials, that AllowOrigins gets a list in place of *, with a slot
// for the origins * served.
const (
	lambdaURLExtend      = "extend each list: the values already there stay"
	lambdaURLReplaceStar = "AllowOrigins: these in place of \"*\"; extend the other\n" +
		"lists: the values already there stay"
	lambdaURLOthersSlot = "each other origin that calls the URL, in this list too:\n" +
		"one left out is refused"
)

// lambdaURLCFN is the function URL's Cors in CloudFormation; lists says
// what becomes of the lists there today.
func lambdaURLCFN(c FixContext, lists string) string {
	return `Resources:
  FunctionUrl:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: !GetAtt Function.Arn
` + lambdaURLCorsYAML(c, lists, "      ")
}

// lambdaURLSAM is lambdaURLCFN for a SAM function's FunctionUrlConfig: an
// AWS::Lambda::Url beside it would be a second URL for the function.
func lambdaURLSAM(c FixContext, lists string) string {
	return "Resources:\n  Function:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionUrlConfig:\n" +
		lambdaURLCorsYAML(c, lists, "        ")
}

// lambdaURLServerless is lambdaURLCFN for a serverless.yml function's url
// (events/… compile it into the AWS::Lambda::Url), in its key names.
func lambdaURLServerless(c FixContext, lists string) string {
	return fmt.Sprintf(`functions:
  api: # the function the url is on (its handler and the rest stay)
    url:
      # an authorizer: aws_iam there stays
      cors:
        # %s
        allowedOrigins:%s
        allowedMethods: [%s]
        allowedHeaders: [%s]
        allowCredentials: %s
`, hashLines(lists, "        "), lambdaURLOriginsYAML(c, lists, "          "), quoteList(c.Methods[:1]), quoteList(c.Headers), c.credentials("#", ""))
}

// lambdaURLCorsYAML is AuthType and Cors of a function URL, at indent
// (CloudFormation's AWS::Lambda::Url, SAM's FunctionUrlConfig).
func lambdaURLCorsYAML(c FixContext, lists, by string) string {
	return indent(fmt.Sprintf(`AuthType: NONE # keep yours: NONE written over AWS_IAM
# turns the URL's IAM auth off
Cors:
  # %s
  AllowOrigins:%s
  AllowMethods: [%s]
  AllowHeaders: [%s]
  AllowCredentials: %s
`, hashLines(lists, "  "), lambdaURLOriginsYAML(c, lists, "    "), quoteList(c.Methods[:1]), quoteList(c.Headers), c.credentials("#", "")), by)
}

// lambdaURLTerraform is lambdaURLCFN for aws_lambda_function_url.
func lambdaURLTerraform(c FixContext, lists string) string {
	return fmt.Sprintf(`resource "aws_lambda_function_url" "url" {
  function_name      = aws_lambda_function.fn.function_name # keep yours
  authorization_type = "NONE"                               # keep yours: NONE over AWS_IAM turns IAM auth off

  cors {
    # %s
    allow_origins     = %s
    allow_methods     = [%s]
    allow_headers     = [%s]
    allow_credentials = %s
  }
}
`, hashLines(lists, "    "), lambdaURLOriginsHCL(c, lists), quoteList(c.Methods[:1]), quoteList(c.Headers), c.credentials("#", ""))
}

// hashLines continues a #-comment over the lines of s, each at indent.
func hashLines(s, indent string) string {
	return strings.ReplaceAll(s, "\n", "\n"+indent+"# ")
}

// lambdaURLOriginsYAML is AllowOrigins' value: a flow list, or, in place
// of *, a block list at indent led by the slot for the other origins.
func lambdaURLOriginsYAML(c FixContext, lists, indent string) string {
	if lists != lambdaURLReplaceStar {
		return " [" + c.quotedOrigins() + "]"
	}
	return "\n" + indent + "# " + hashLines(lambdaURLOthersSlot, indent) + "\n" + strings.TrimRight(yamlList(c.allowListOrigins(), indent), "\n")
}

// lambdaURLOriginsHCL is lambdaURLOriginsYAML for Terraform.
func lambdaURLOriginsHCL(c FixContext, lists string) string {
	if lists != lambdaURLReplaceStar {
		return "[" + c.quotedOrigins() + "]"
	}
	return "[\n      # " + hashLines(lambdaURLOthersSlot, "      ") + "\n      " + strings.Join(strings.Split(c.quotedOrigins(), ", "), ",\n      ") + ",\n    ]"
}

// cfnGatewayResponses are the AWS::ApiGateway::GatewayResponse resources
// of the types a fix covers, each with the headers ps; api names the API.
func cfnGatewayResponses(c FixContext, ps [][2]string, api string) string {
	var b strings.Builder
	for _, t := range gatewayTypes(c) {
		fmt.Fprintf(&b, "GatewayResponse%s:\n  Type: AWS::ApiGateway::GatewayResponse\n  Properties:\n%s    ResponseType: %s\n    ResponseParameters:\n%s",
			camel(t), indent(api, "    "), t, yamlParams(ps, "      ", "gatewayresponse.header.", func(v string) string { return "\"" + v + "\"" }))
	}
	return b.String()
}

func typesSuffix(c FixContext) string {
	if extra := specificTypes(c.GatewayResponses); len(extra) > 0 {
		return ", and for " + strings.Join(extra, ", ") + " if they were customised"
	}
	return ""
}

// gatewayTypes are the gateway response types a fix covers: the defaults,
// plus every specific type seen (a customised type does not inherit the
// default's headers).
func gatewayTypes(c FixContext) []string {
	out := []string{"DEFAULT_4XX", "DEFAULT_5XX"}
	for _, t := range specificTypes(c.GatewayResponses) {
		if t == strings.ToUpper(t) && safeName(t) == t {
			out = appendUnique(out, t)
		}
	}
	return out
}

// camel turns DEFAULT_4XX into Default4xx for logical ids.
func camel(t string) string {
	var b strings.Builder
	for _, part := range strings.Split(strings.ToLower(t), "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func singleQuoted(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "'" + s + "'"
	}
	return strings.Join(q, ", ")
}

func cdkMethods(ms []string) string {
	q := make([]string, len(ms))
	for i, m := range ms {
		q[i] = "apigwv2.CorsHttpMethod." + strings.ToUpper(m)
	}
	return strings.Join(q, ", ")
}

func yamlList(items []string, indent string) string {
	var b strings.Builder
	for _, s := range items {
		b.WriteString(indent + "- " + s + "\n")
	}
	return b.String()
}

// tfDeployment is the deployment whose triggers hash refs, the resources
// the snippet adds: Terraform makes a new deployment only when its
// triggers change, and an API built of resources has no body, so a
// trigger on the body alone never fires. Referring to them also creates
// the deployment after them. The body stays in the list for an API
// defined by one.
func tfDeployment(refs ...string) string {
	items := "      # and every aws_api_gateway_method, _integration,\n" +
		"      # _method_response, _integration_response and _gateway_response\n" +
		"      # of the API\n"
	if len(refs) > 0 {
		items = "      " + strings.Join(refs, ",\n      ") + ",\n"
	}
	return `
# Your aws_api_gateway_deployment takes these triggers (add them to the
# list it hashes today; its stage stays): Terraform makes a new
# deployment only when they change.
resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  triggers = {
    redeployment = sha1(jsonencode([
      # an API defined by an OpenAPI body
      aws_api_gateway_rest_api.api.body,
` + items + `    ]))
  }
  lifecycle {
    create_before_destroy = true
  }
}
`
}

// gatewayResponsesKept is the first comment of a gateway responses
// snippet: API Gateway keeps one definition per response type, so one the
// user has must take the headers, not be defined again.
func gatewayResponsesKept(c FixContext, mark string) string {
	return fmt.Sprintf("%[1]s A %[2]s response defined already:\n"+
		"%[1]s add the headers it lacks to it (one it has keeps its value; a second\n"+
		"%[1]s definition of a type replaces the first: its status code and\n"+
		"%[1]s templates would go).\n",
		mark, strings.Join(gatewayTypes(c), " or "))
}

// privateDNSWarning comes first in a fix that turns on the execute-api
// endpoint's private DNS: AWS, "if you turn on private DNS, you can't
// access the default endpoint for public APIs" from the VPC. mark starts
// each line ("" for console steps).
func privateDNSWarning(c FixContext, mark string) string {
	lines := []string{
		"Private DNS sends every *.execute-api." + c.Region + ".amazonaws.com call made in the VPC to this",
		"endpoint: public APIs' default URLs then fail there. If the VPC calls any, leave it off and",
		"associate the endpoint with the API (VpcEndpointIds), calling https://" + c.APIID + "-" + c.VPCE + ".execute-api." + c.Region + ".amazonaws.com/" + c.Stage + ".",
	}
	return mark + strings.Join(lines, "\n"+mark) + "\n"
}

func tfDeploymentFix(c FixContext) string { return strings.TrimLeft(tfDeployment(), "\n") }

func lambdaHandler(c FixContext) string {
	cred := ""
	if c.Credentials {
		cred = ", 'Access-Control-Allow-Credentials': 'true'"
	}
	return fmt.Sprintf(`// the origins allowed: echoed back when
// they call, any other gets no header
const ALLOWED = new Set([%s]);

const corsHeaders = (event) => {
  const origin = event.headers?.origin ?? event.headers?.Origin;
  return {
    ...(ALLOWED.has(origin) ? { 'Access-Control-Allow-Origin': origin%s } : {}),
    'Access-Control-Allow-Methods': '%s',
    'Access-Control-Allow-Headers': '%s',
    'Vary': 'Origin',
  };
};

export const handler = async (event) => {
  const CORS = corsHeaders(event);
  if (event.httpMethod === 'OPTIONS' || event.requestContext?.http?.method === 'OPTIONS') {
    return { statusCode: 204, headers: CORS, body: '' };
  }
  try {
    const result = await main(event);
    return { statusCode: 200, headers: { ...CORS, 'Content-Type': 'application/json' }, body: JSON.stringify(result) };
  } catch (err) {
    // errors need the headers too, or the page
    // sees a CORS error instead of the 500
    return { statusCode: 500, headers: CORS, body: JSON.stringify({ message: 'Internal error' }) };
  }
};`, c.jsOrigins(), cred, c.methodList(", "), c.headerList(", "))
}

// cfnOptionsMethod is the OPTIONS method, MOCK integration and responses that
// answer the preflight, as a CloudFormation resource.
func cfnOptionsMethod(c FixContext) string {
	return cfnMockMethod(c, "200", apigwHeaderParams(c, true), "")
}

// cfnMockMethod is the OPTIONS method whose MOCK integration answers status
// with the headers ps (and the response mapping template, when given).
func cfnMockMethod(c FixContext, status string, ps [][2]string, template string) string {
	if template != "" {
		template = "            ResponseTemplates:\n              application/json: |\n" + indent(template, "                ")
	}
	out := fmt.Sprintf(`Resources:
  CorsOptionsMethod:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RestApi
      ResourceId: !Ref ApiResource   # the resource %s
      HttpMethod: OPTIONS
      AuthorizationType: NONE
      ApiKeyRequired: false
      Integration:
        Type: MOCK
        RequestTemplates:
          application/json: '{"statusCode": 200}'
        IntegrationResponses:
          - StatusCode: "%s"
            ResponseParameters:
%s%s      MethodResponses:
        - StatusCode: "%s"
          ResponseParameters:
%s`, c.safeResource(), status, yamlParams(ps, "              ", "method.response.header.", func(v string) string { return "\"" + v + "\"" }),
		template, status, yamlParams(ps, "            ", "method.response.header.", fals))
	if c.Resource == "/" {
		// The root is the API's own resource, not an AWS::ApiGateway::Resource.
		out = strings.Replace(out, "ResourceId: !Ref ApiResource   # the resource /", "ResourceId: !GetAtt RestApi.RootResourceId", 1)
	}
	return out
}

// tfOptionsMethod is the OPTIONS method, MOCK integration and responses that
// answer the preflight, as Terraform resources, with the redeployment.
func tfOptionsMethod(c FixContext) string {
	out := fmt.Sprintf(`resource "aws_api_gateway_method" "cors" {
  rest_api_id      = aws_api_gateway_rest_api.api.id
  resource_id      = aws_api_gateway_resource.this.id # %s
  http_method      = "OPTIONS"
  authorization    = "NONE"
  api_key_required = false
}

resource "aws_api_gateway_integration" "cors" {
  rest_api_id       = aws_api_gateway_rest_api.api.id
  resource_id       = aws_api_gateway_resource.this.id
  http_method       = aws_api_gateway_method.cors.http_method
  type              = "MOCK"
  request_templates = { "application/json" = jsonencode({ statusCode = 200 }) }
}

%s`, c.safeResource(), tfMockResponses(c, "200", apigwHeaderParams(c, true), "", "aws_api_gateway_method.cors.http_method",
		"aws_api_gateway_method.cors", "aws_api_gateway_integration.cors"))
	return tfAtRoot(c, out)
}

// tfMockResponses are the OPTIONS method's method and integration
// responses for status, mapping the headers ps (and the response mapping
// template, when given), with the redeployment. method is the
// http_method's expression; more are the other resources the snippet adds.
func tfMockResponses(c FixContext, status string, ps [][2]string, template, method string, more ...string) string {
	if template != "" {
		template = "  response_templates = {\n    \"application/json\" = <<-EOT\n" + indent(template, "      ") + "    EOT\n  }\n"
	}
	return fmt.Sprintf(`resource "aws_api_gateway_method_response" "cors" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.this.id
  http_method = %[1]s
  status_code = "%[2]s"
  response_parameters = {
%[3]s  }
}

resource "aws_api_gateway_integration_response" "cors" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.this.id
  http_method = %[1]s
  status_code = aws_api_gateway_method_response.cors.status_code
  response_parameters = {
%[4]s  }
%[5]s  depends_on = [aws_api_gateway_integration.cors]
}
%[6]s`, method, status, hclParams(ps, "    ", "method.response.header.", tru),
		hclParams(ps, "    ", "method.response.header.", func(v string) string { return fmt.Sprintf("%q", v) }), template,
		tfDeployment(append(more, "aws_api_gateway_method_response.cors", "aws_api_gateway_integration_response.cors")...))
}

// tfAtRoot points a snippet's resources at the API's root resource when
// the path is /.
func tfAtRoot(c FixContext, out string) string {
	if c.Resource == "/" {
		out = strings.Replace(out, "aws_api_gateway_resource.this.id # /", "aws_api_gateway_rest_api.api.root_resource_id", 1)
		out = strings.ReplaceAll(out, "aws_api_gateway_resource.this.id", "aws_api_gateway_rest_api.api.root_resource_id")
	}
	return out
}

// samCorsAPI is the AWS::Serverless::Api whose Cors answers c's page, then
// more of its Properties.
func samCorsAPI(c FixContext, more string) string {
	cred := ""
	if c.Credentials {
		cred = "\n        AllowCredentials: true"
	}
	return samAPI(c, fmt.Sprintf(`      Cors:
        AllowOrigin: "'%s'"
        AllowMethods: "'%s'"
        AllowHeaders: "'%s'"%s
%s`, c.Origin, c.methodList(","), c.headerList(","), cred, more))
}

// SAM's implicit APIs: the logical ids of the APIs SAM makes for the
// functions' Api and HttpApi events. No resource in the template holds
// their properties: Globals does.
const (
	SAMImplicitRESTAPI = "ServerlessRestApi"
	SAMImplicitHTTPAPI = "ServerlessHttpApi"
)

// samAPI is the AWS::Serverless::Api whose Properties take props (YAML at
// six spaces), or, for the implicit API, Globals.Api: a new resource would
// be a second API that no function's event uses.
func samAPI(c FixContext, props string) string {
	if c.APIID == SAMImplicitRESTAPI {
		return samGlobalsNote + "Globals:\n  Api:\n" + dedent(props, 2)
	}
	return "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: " + c.Stage + "\n" + props
}

// samHTTPAPI is samAPI for AWS::Serverless::HttpApi.
func samHTTPAPI(c FixContext, props string) string {
	if c.APIID == SAMImplicitHTTPAPI {
		return samGlobalsNote + "Globals:\n  HttpApi:\n" + dedent(props, 2)
	}
	return "Resources:\n  HttpApi:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n" + props
}

const samGlobalsNote = "# The API SAM makes for the functions' events takes its properties from Globals (they\n" +
	"# apply to the template's other SAM APIs too).\n"

// dedent takes n spaces off the start of every line that has them.
func dedent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, pad)
	}
	return strings.Join(lines, "\n")
}

// slsCorsEvent is the serverless.yml http event whose cors answers c's
// page; note is the comment over its lists.
func slsCorsEvent(c FixContext, note string) string {
	return fmt.Sprintf(`functions:
  api:
    handler: handler.main
    events:
      - http:
          path: %s
          method: %s
          cors:
            # %s
            origins:
%s            headers:
%s            allowCredentials: %s
`, strings.TrimPrefix(c.safeResource(), "/"), strings.ToLower(c.Method), note, c.yamlOrigins("              "), yamlList(c.Headers, "              "), c.credentials("#", ""))
}

// credentialedMock is c for the OPTIONS mock of a page that sends
// credentials: the methods and headers the mock answers today, with the
// page's added.
func credentialedMock(c FixContext) FixContext {
	c.Credentials = true
	c.Methods = withPage(c.Preflight.Methods, c.Methods)
	c.Headers = withPage(c.Preflight.Headers, c.Headers)
	return c
}

// mockCredentialParams are the mock's mappings for a page that sends
// credentials (preflight: with Allow-Methods and -Headers): the page's
// origin, credentials allowed, and Vary, since the answer follows Origin.
func mockCredentialParams(c FixContext, preflight bool) [][2]string {
	return append(apigwHeaderParams(credentialedMock(c), preflight), [2]string{"Vary", "'Origin'"})
}

// mockStatus is the status of the mock's answer: its integration and
// method responses are keyed by it (CDK's mock answers 204).
func mockStatus(c FixContext) string {
	if is2xx(c.Preflight.Status) {
		return itoa(c.Preflight.Status)
	}
	return "200"
}

// echoTemplate is the mock's response mapping template that answers each
// listed origin with itself: $context.responseOverride replaces a header
// after the static mappings, once per answer (AWS, "Override your API's
// request and response parameters"; CDK's addCorsPreflight and the
// Serverless Framework write the same for several origins). The static
// mapping stays the page's origin, the answer to any other.
func echoTemplate(c FixContext) string {
	return echoTemplateFor(c, `## '*' let every origin in: add || $origin == "https://other.example" for each origin that calls this API`)
}

// echoTemplateFor is the response mapping template that answers each of
// c's allow-list origins with itself, under the comment lead.
func echoTemplateFor(c FixContext, lead string) string {
	var match []string
	for _, o := range c.allowListOrigins() {
		match = append(match, `$origin == "`+o+`"`)
	}
	return lead + `
#set($origin = $input.params("Origin"))
#if($origin == "")#set($origin = $input.params("origin"))#end
#if(` + strings.Join(match, " || ") + `)
#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)
#end
`
}

// mockActualNote says the other methods' answers need the same headers.
func mockActualNote(c FixContext, mark string) string {
	return fmt.Sprintf(`%[1]s The %[2]s answers need Access-Control-Allow-Origin:
%[1]s %[3]s and
%[1]s Access-Control-Allow-Credentials: true too: with a Lambda proxy
%[1]s integration from the function (--fix-format lambda); with a
%[1]s non-proxy integration mapped in the %[2]s method's responses as in
%[1]s the OPTIONS method's.
`, mark, c.Method, c.Origin)
}

func init() {
	addFixes(CodeAPIGWMockWildcardCreds,
		fixBuilder{FormatConsole, "API Gateway console", func(c FixContext) string {
			m := credentialedMock(c)
			return fmt.Sprintf(`1. API Gateway console → APIs → %[1]s → Resources → %[2]s → OPTIONS → Method response → %[3]s → Edit:
   add the headers Access-Control-Allow-Credentials and Vary. Save.
2. Integration response → %[3]s → Edit → Header mappings (Access-Control-Allow-Methods and -Headers stay):
   Access-Control-Allow-Origin: '%[4]s'   (in place of '*')
   Access-Control-Allow-Credentials: 'true'
   Vary: 'Origin'
3. Several origins call the API: in the same integration response, Mapping templates → application/json
   (a template there already takes these lines at its end):
%[5]s4.%[6]s5. Deploy API → stage %[7]s.`, m.APIID, m.safeResource(), mockStatus(m), m.Origin, indent(echoTemplate(m), "     "),
				strings.ReplaceAll(mockActualNote(m, ""), "\n ", "\n   "), m.Stage)
		}},
		fixBuilder{FormatAWSCLI, "the OPTIONS mock's responses: the page's origin, credentials, Vary (update keeps the rest), then redeploy", func(c FixContext) string {
			m := credentialedMock(c)
			st := mockStatus(m)
			integration := append(paramOps(mockCredentialParams(c, false), "method.response.header.", jsonString),
				patchOp("/responseTemplates/application~1json", jsonString(echoTemplate(m))))
			return withResource(m, fmt.Sprintf(`
%[1]s
%[2]s
# A mapping template on the mock's answer is
# kept: add the lines above to it by hand.
TEMPLATE=$(aws apigateway get-integration-response --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method OPTIONS --status-code %[3]s --output json | jq -r '.responseTemplates["application/json"] // ""')
if [ -z "$TEMPLATE" ] || [ "$TEMPLATE" = "$(jq -r '.[-1].value' cors-integration-patch.json)" ]; then
  # update adds these mappings; Allow-Methods, Allow-Headers
  # and the rest stay (put would replace them)
  aws apigateway update-method-response --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method OPTIONS --status-code %[3]s --patch-operations file://cors-method-patch.json
  aws apigateway update-integration-response --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method OPTIONS --status-code %[3]s --patch-operations file://cors-integration-patch.json
  aws apigateway create-deployment --rest-api-id "$API_ID" --stage-name %[4]s
else
  echo "the OPTIONS integration response has a mapping template, kept: add cors-integration-patch.json's template lines to it" >&2; false
fi
%[5]s`, corsJSONHeredoc("cors-method-patch.json", patchParams(mockCredentialParams(c, false), "method.response.header.", func(string) string { return jsonString("false") })),
				corsJSONHeredoc("cors-integration-patch.json", patchList(integration)), st, m.Stage, strings.TrimRight(mockActualNote(m, "#"), "\n")))
		}},
		fixBuilder{FormatCloudFormation, "the OPTIONS method's MOCK responses (then a new AWS::ApiGateway::Deployment)", func(c FixContext) string {
			m := credentialedMock(c)
			return "# The OPTIONS method you have takes these responses: Allow-Methods and Allow-Headers are the\n" +
				"# values it answers today, with the page's added.\n" + mockActualNote(m, "#") +
				cfnMockMethod(m, mockStatus(m), mockCredentialParams(c, true), echoTemplate(m))
		}},
		fixBuilder{FormatSAM, "Cors on the AWS::Serverless::Api, with credentials", func(c FixContext) string {
			m := credentialedMock(c)
			return "# The Cors you have takes these values (Allow-Methods and Allow-Headers: today's, with the page's).\n" +
				"# AllowOrigin holds one origin: for several, the OPTIONS goes in DefinitionBody (--fix-format openapi).\n" +
				mockActualNote(m, "#") + samCorsAPI(m, "")
		}},
		fixBuilder{FormatCDK, "the CORS preflight options, with credentials (TypeScript)", func(c FixContext) string {
			m := credentialedMock(c)
			return fmt.Sprintf(`// The defaultCorsPreflightOptions (or addCorsPreflight) you have take
// these: allowOrigins in place of Cors.ALL_ORIGINS, allowMethods and
// allowHeaders today's with the page's added. CDK answers each listed
// origin with itself and Vary: Origin.
%sdefaultCorsPreflightOptions: {
  allowOrigins: [/* each other origin that calls this API today */ %s],
  allowMethods: [%s],
  allowHeaders: [%s],
  allowCredentials: true,
},`, mockActualNote(m, "//"), m.jsOriginsPlain(), singleQuoted(m.Methods), singleQuoted(m.Headers))
		}},
		fixBuilder{FormatTerraform, "the OPTIONS method's MOCK responses", func(c FixContext) string {
			m := credentialedMock(c)
			return "# Your OPTIONS method's aws_api_gateway_method_response and _integration_response take these\n" +
				"# (its method and integration stay); Allow-Methods and Allow-Headers are today's, with the page's.\n" +
				mockActualNote(m, "#") + tfAtRoot(m, tfMockResponses(m, mockStatus(m), mockCredentialParams(c, true), echoTemplate(m), `"OPTIONS"`))
		}},
		fixBuilder{FormatServerless, "cors on the http event, with credentials (serverless.yml)", func(c FixContext) string {
			m := credentialedMock(c)
			return mockActualNote(m, "#") + slsCorsEvent(m, "the cors you have takes these; its other settings stay")
		}},
		fixBuilder{FormatLambda, "the other methods, with a Lambda proxy: the function echoes the allowed origin (Node.js)", func(c FixContext) string {
			return lambdaHandler(credentialedMock(c))
		}},
	)
}

// customDomainStep is the custom-domain step of the forbidden-before-
// routing fixes: the URL's host when it may be a custom domain name, a
// placeholder when it is unknown, and no step when the URL is the API's
// own execute-api host (no domain mapping is involved there).
func customDomainStep(c FixContext, f Format) string {
	if reExecuteAPI.MatchString(c.Host) {
		if f == FormatConsole {
			return "2. A custom domain name: none, the URL is the API's own execute-api host."
		}
		return "# 2. a custom domain name: none, the URL is the API's own execute-api host"
	}
	domain := hostOr(c.Host, "YOUR_DOMAIN")
	if f == FormatConsole {
		return "2. A custom domain name: API Gateway console → Custom domain names → " + domain +
			" → API mappings: the URL's first path\n   segment must map to the API and stage (an empty path maps the whole domain)."
	}
	return "# 2. a custom domain name: its API mappings (the URL's first path segment must be one)\n" +
		"aws apigateway get-base-path-mappings --domain-name " + shWord(domain)
}
