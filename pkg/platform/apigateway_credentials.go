package platform

// AWS answering Access-Control-Allow-Origin: * to a page that sends
// credentials, by layer: a REST API's gateway responses, a Lambda function
// behind a proxy integration, a Lambda function URL's Cors. (The REST API's
// OPTIONS mock is apigw-mock-wildcard-credentials, an HTTP API's
// configuration apigw-http-api-cors-not-configured, S3 s3.go.) Sources:
// docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html,
// set-up-lambda-proxy-integrations.html, lambda/latest/dg/urls-configuration.html
// and API_Cors.html, ../shared/research/gateways.md.

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Finding codes of AWS answering * to a credentialed page.
const (
	CodeAPIGWGatewayResponsesWildcard cors.Code = "apigw-gateway-responses-wildcard-credentials"
	CodeAPIGWLambdaProxyWildcard      cors.Code = "apigw-lambda-proxy-wildcard-credentials"
	CodeLambdaURLWildcard             cors.Code = "lambda-url-wildcard-credentials"
)

//go:embed snippets/gateway-response-origin.jq
var jqGatewayResponseOrigin string

func init() {
	causes = append(causes, awsWildcardCredentialsCauses)
	cors.Register(
		cors.Info{Code: CodeAPIGWGatewayResponsesWildcard, Severity: cors.SeverityError, Title: "API Gateway REST API: its gateway responses answer `*` to a page that sends credentials",
			Spec: "AWS API Gateway developer guide, Gateway responses; Fetch §CORS check step 3",
			Fix:  "In the DEFAULT_4XX and DEFAULT_5XX gateway responses (and each customised type), replace Access-Control-Allow-Origin '*' with the page's origin and add Access-Control-Allow-Credentials 'true'; their other headers, status and templates stay; redeploy."},
		cors.Info{Code: CodeAPIGWLambdaProxyWildcard, Severity: cors.SeverityError, Title: "API Gateway Lambda proxy: the function answers `*` to a page that sends credentials",
			Spec: "AWS API Gateway developer guide, Lambda proxy integrations; Fetch §CORS check step 3",
			Fix:  "With a Lambda proxy integration the function's headers reach the page as they are: have it answer an allowed Origin with itself, Access-Control-Allow-Credentials: true and Vary: Origin, in place of *."},
		cors.Info{Code: CodeLambdaURLWildcard, Severity: cors.SeverityError, Title: "Lambda function URL: Cors allows `*` and the page sends credentials",
			Spec: "AWS Lambda API reference, Cors; Fetch §CORS check step 3",
			Fix:  "In the function URL's Cors, list in AllowOrigins the origins that call it, the page's among them, in place of *, and set AllowCredentials true; the other Cors fields stay."},
	)

	addFixes(CodeAPIGWGatewayResponsesWildcard,
		fixBuilder{FormatConsole, "API Gateway console", func(c FixContext) string {
			c.Credentials = true
			return fmt.Sprintf(`1. API Gateway console → APIs → %s → Gateway responses.
2. Select Default 4XX → Edit → Response headers:
   Access-Control-Allow-Origin '*' becomes
   '%s' (quotes included); add
   Access-Control-Allow-Credentials = 'true'. The other headers, the
   status code and the templates stay. Save.
3. Do the same for Default 5XX%s (one mapping another origin than '*'
   answers another page: keep it).
4. Resources → Deploy API → stage %s.
%s`, c.APIID, c.Origin, typesSuffix(c), c.Stage, gatewayResponseOneOrigin(""))
		}},
		fixBuilder{FormatAWSCLI, "get-gateway-response, replace '*' with the origin and add credentials (jq), update-gateway-response, then redeploy", gatewayResponsesOriginCLI},
	)
	for _, b := range gatewayResponseTemplates(gatewayResponsesWildcardKept, credentialedOrigin) {
		build := b.Build
		b.Build = func(c FixContext) string { c.Credentials = true; return build(c) }
		addFixes(CodeAPIGWGatewayResponsesWildcard, b)
	}

	addFixes(CodeAPIGWLambdaProxyWildcard,
		fixBuilder{FormatLambda, "the function echoes an allowed origin, with credentials and Vary: Origin (Node.js)", func(c FixContext) string {
			c.Credentials = true
			return "// in place of 'Access-Control-Allow-Origin': '*' wherever the function returns it\n" + lambdaHandler(c)
		}},
	)

	addFixes(CodeLambdaURLWildcard,
		fixBuilder{FormatAWSCLI, "get-function-url-config, merge into Cors (jq), update-function-url-config: stops while * is listed", func(c FixContext) string {
			c.Credentials = true
			return lambdaURLWildcardNote("#") + lambdaURLMergeCLI(c)
		}},
		fixBuilder{FormatCloudFormation, "Cors on AWS::Lambda::Url", func(c FixContext) string {
			c.Credentials = true
			return lambdaURLWildcardNote("#") + lambdaURLCFN(c, lambdaURLReplaceStar)
		}},
		fixBuilder{FormatSAM, "FunctionUrlConfig Cors on the AWS::Serverless::Function", func(c FixContext) string {
			c.Credentials = true
			return lambdaURLWildcardNote("#") + lambdaURLSAM(c, lambdaURLReplaceStar)
		}},
		fixBuilder{FormatServerless, "url cors on the function (serverless.yml)", func(c FixContext) string {
			c.Credentials = true
			return lambdaURLWildcardNote("#") + lambdaURLServerless(c, lambdaURLReplaceStar)
		}},
		fixBuilder{FormatTerraform, "cors on aws_lambda_function_url", func(c FixContext) string {
			c.Credentials = true
			return lambdaURLWildcardNote("#") + lambdaURLTerraform(c, lambdaURLReplaceStar)
		}},
	)
}

// awsWildcardCredentialsCauses names the AWS layer that answered * to a
// request with credentials, where the engine reports it.
func awsWildcardCredentialsCauses(a *analysis) []cors.Finding {
	rep := a.diag.Reported()
	if rep == nil || rep.Code != cors.CodeWildcardCredentials && rep.Code != cors.CodePreflightWildcardCredentials {
		return nil
	}
	c := a.fixContext()
	if a.sure(idLambdaURL) && !a.hasAny(idRESTAPI, idHTTPAPI) {
		return []cors.Finding{a.finding(CodeLambdaURLWildcard, idLambdaURL, rep.Step, true,
			"the function URL's Cors has AllowOrigins * (or, with no Cors, the function returns * itself), so it answers Access-Control-Allow-Origin: *, which the browser never accepts for a request with credentials",
			"In the function URL's Cors, list in AllowOrigins every origin that calls it, "+c.Origin+" among them, in place of *, and set AllowCredentials true (its other fields stay). "+lambdaURLBeside)}
	}
	if r := a.lambdaAnsweredWildcard(rep.Step); r != nil {
		return []cors.Finding{a.finding(CodeAPIGWLambdaProxyWildcard, idLambda, rep.Step, true,
			fmt.Sprintf("the %s answer (%d) came from the Lambda function through a proxy integration (%s), and the function returns Access-Control-Allow-Origin: *; API Gateway passes its headers through, and the browser never accepts * for a request with credentials", c.Method, r.resp.Status, a.lambdaEvidence(r)),
			"Have the function answer an allowed Origin with itself ("+c.Origin+" among them), with Access-Control-Allow-Credentials: true and Vary: Origin, on every response, errors included.")}
	}
	if r := a.stepResponse(rep.Step); a.has(idRESTAPI) && rep.Code == cors.CodeWildcardCredentials && r != nil {
		if typ, ok := gatewayResponseType(r.resp); ok {
			c.GatewayResponses = appendUnique(c.GatewayResponses, baseType(typ))
			cc := *c
			return []cors.Finding{a.finding(CodeAPIGWGatewayResponsesWildcard, idRESTAPI, rep.Step, true,
				fmt.Sprintf("API Gateway answered with its own error (%d %s), and its gateway response maps Access-Control-Allow-Origin: '*' (what the console's Enable CORS writes into DEFAULT 4XX and DEFAULT 5XX), with no Access-Control-Allow-Credentials; the page sends credentials, so the browser refuses the answer and the page sees a CORS error in place of the status", r.resp.Status, typ),
				"In the "+strings.Join(gatewayTypes(cc), ", ")+" gateway responses of API "+cc.APIID+", replace Access-Control-Allow-Origin '*' with '"+cc.Origin+"' and add Access-Control-Allow-Credentials 'true' (their other headers stay), then redeploy "+cc.Stage+".")}
		}
	}
	return nil
}

// stepResponse is the answer the engine judged at step (nil when none).
func (a *analysis) stepResponse(step string) *response {
	for _, r := range []*response{a.obs.preflight(), a.obs.final()} {
		if r != nil && r.resp != nil && r.step == step {
			return r
		}
	}
	return nil
}

// lambdaAnsweredWildcard is the answer at step when a Lambda function made
// it behind API Gateway (nil otherwise). A REST API's own answers (gateway
// responses, an OPTIONS mock) are not; an HTTP API's only when a preflight
// passed without *: a CORS configuration answers the preflight and the
// request alike, so * on the request alone is the backend's.
func (a *analysis) lambdaAnsweredWildcard(step string) *response {
	r := a.stepResponse(step)
	if r == nil || !a.has(idLambda) || a.lambdaEvidence(r) == "" {
		return nil
	}
	if _, gatewayMade := gatewayResponseType(r.resp); gatewayMade {
		return nil
	}
	switch {
	case a.has(idRESTAPI) && step != "preflight":
		// a preflight's * is the OPTIONS mock's: apigw-mock-wildcard-credentials
		return r
	case a.has(idHTTPAPI):
		pf := a.obs.preflight()
		if step != "preflight" && pf != nil && pf.resp != nil && is2xx(pf.resp.Status) && hasACAO(pf.resp) && header(pf.resp, cors.HeaderAllowOrigin) != "*" {
			return r
		}
	}
	return nil
}

// lambdaEvidence says what shows a Lambda function made r ("" nothing).
func (a *analysis) lambdaEvidence(r *response) string {
	if b := body(r.resp); strings.Contains(b, `"errorMessage"`) && strings.Contains(b, `"errorType"`) {
		return "the body is the function's own error"
	}
	if r.hasHeader("X-Amzn-Trace-Id") && (r.hasHeader("x-amz-apigw-id") || r.hasHeader("apigw-requestid")) {
		return "X-Amzn-Trace-Id beside API Gateway's request id"
	}
	return ""
}

// gatewayResponseOneOrigin: a gateway response maps one static value.
func gatewayResponseOneOrigin(mark string) string {
	return mark + "A gateway response holds one origin: where several origins send\n" +
		mark + "credentials, the others get a CORS error in place of the gateway's\n" +
		mark + "status. Never map method.request.header.Origin there: it would\n" +
		mark + "answer every origin, an attacker's page too, with credentials\n" +
		mark + "allowed.\n"
}

// gatewayResponsesWildcardKept is gatewayResponsesKept for responses that
// map '*' today: that one value changes, the rest of each stays.
func gatewayResponsesWildcardKept(c FixContext, mark string) string {
	return fmt.Sprintf("%[1]s In the %[2]s responses you have:\n"+
		"%[1]s Access-Control-Allow-Origin '*' becomes the page's origin and\n"+
		"%[1]s Access-Control-Allow-Credentials 'true' is added; their other\n"+
		"%[1]s headers, status code and templates stay (a second definition of a\n"+
		"%[1]s type replaces the first).\n"+
		"%[3]s",
		mark, strings.Join(gatewayTypes(c), " and "), gatewayResponseOneOrigin(mark+" "))
}

// credentialedOrigin are the two headers the responses change: the other
// ones there (Allow-Methods, Allow-Headers) stay as they are.
func credentialedOrigin(c FixContext) [][2]string {
	return [][2]string{{"Access-Control-Allow-Origin", "'" + c.Origin + "'"}, {"Access-Control-Allow-Credentials", "'true'"}}
}

// gatewayResponsesOriginCLI is gatewayResponsesCLI for responses answering
// '*': each is read, and only its '*' origin and missing credentials change.
func gatewayResponsesOriginCLI(c FixContext) string {
	return gatewayResponsesPatchCLI(c, `# each response: Access-Control-Allow-Origin
# '*' (or none) becomes the page's origin, and
# Access-Control-Allow-Credentials 'true' is
# added where missing; update changes only these
# (put would replace the whole response); another origin mapped
# there today stays`,
		"--arg origin "+shQuote("'"+c.Origin+"'")+" "+shQuote(inlineJQ(jqGatewayResponseOrigin)),
		"answers another origin with credentials already: kept") + "\n" + gatewayResponseOneOrigin("# ")
}

// lambdaURLWildcardNote heads the function URL's fixes for * with
// credentials. AWS documents neither an error nor the answer for
// AllowCredentials beside *: a listed origin is the form it documents.
// lambdaURLBeside: a URL's Cors answers preflights itself but adds its
// headers beside the function's on other answers, so both sending
// Access-Control-Allow-Origin send it twice (captured: rimutaka/posts
// lambda-url-with-cloudfront/readme-lambda-cors.md "Header double-up";
// powertools-lambda-python issue 4163).
const lambdaURLBeside = "If the function's code returns Access-Control-Allow-Origin itself, remove it there: the URL adds its own headers beside the function's, not in their place, and the browser refuses two values."

func lambdaURLWildcardNote(mark string) string {
	return mark + " AllowOrigins [\"*\"] answers every page that sends no cookies, none\n" +
		mark + " that does: list in its place every origin that calls the URL (one\n" +
		mark + " left out is refused), with AllowCredentials true.\n"
}
