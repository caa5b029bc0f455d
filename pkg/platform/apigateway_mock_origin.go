package platform

// An API Gateway REST API's OPTIONS mock that answers one origin, not the
// page's: the static mapping Access-Control-Allow-Origin: 'https://old…'
// (SAM's Cors "'https://…'", the console's Enable CORS with one origin, a
// template's mock) answers every page with that origin. The fix answers
// the page too and keeps the origin there: a mapping template echoes each
// listed Origin (as serverless.yml's cors.origins and CDK's allowOrigins
// generate), since a mock maps one static value.

import (
	"fmt"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// CodeAPIGWMockOtherOrigin is an OPTIONS mock answering another origin.
const CodeAPIGWMockOtherOrigin cors.Code = "apigw-mock-origin-mismatch"

func init() {
	cors.Register(cors.Info{Code: CodeAPIGWMockOtherOrigin, Severity: cors.SeverityError,
		Title: "API Gateway REST API: the OPTIONS mock answers another origin",
		Spec:  "AWS API Gateway developer guide, Enable CORS for a REST API resource; Fetch §CORS check step 4",
		Fix:   "Answer the page's origin from the OPTIONS mock as well as the one it answers today: a response mapping template that answers each listed Origin with itself; redeploy."})
	pages[CodeAPIGWMockOtherOrigin] = pageText{
		Platform: "Amazon API Gateway (REST API)", Explains: cors.CodePreflightAllowOriginMismatch,
		Browser: "The page's request needs a preflight. API Gateway answers the `OPTIONS` itself with `Access-Control-Allow-Origin` set to another origin (the one the mock was written for), so the browser refuses the preflight and sends nothing; the console names the origin it got.",
		Why:     "A MOCK integration maps `Access-Control-Allow-Origin` to one static value (`'https://old.example.com'`): SAM's `Cors: \"'https://…'\"` or `AllowOrigin`, the console's Enable CORS with one origin, a template's OPTIONS method. Every page gets that value, so a page at a new origin (staging, a new domain) is refused. Writing the new origin in its place refuses the old one: both are answered by a response mapping template that sets `$context.responseOverride.header.Access-Control-Allow-Origin` to the request's `Origin` when it is listed, with `Vary: Origin`. SAM's `AllowOrigin` holds one origin, so for two the OPTIONS goes in the `DefinitionBody`; serverless.yml's `cors.origins` writes the template itself. The other methods' answers need the page's origin too.",
		Example: "HTTP/1.1 200 OK\nContent-Type: application/json\n" + gwHeaders + "\nAccess-Control-Allow-Origin: https://old.example.com\nAccess-Control-Allow-Methods: OPTIONS,PUT\nAccess-Control-Allow-Headers: Content-Type\n\n{}",
		Fetch:   `fetch("https://api.example.com/items", { method: "PUT", headers: { "Content-Type": "application/json" } })`,
		Confirm: mockConfirm("A static `\"method.response.header.Access-Control-Allow-Origin\": \"'https://old.example.com'\"` confirms."),
		Detect:  "REST API recognised, and the preflight's answer, made by API Gateway (not one of its error responses, no proxied backend's marks), carries another origin (another scheme, host or port: the page's own written with its default port, a slash or other letter case is not one, nor `null` or a pattern). The fixes keep that origin, the `Access-Control-Allow-Methods` and `-Headers` the answer carried (with the page's added) and its status.",
		Related: []cors.Code{CodeAPIGWMockWildcardCreds, CodeAPIGWStageNotRedeployed},
	}
	addFixes(CodeAPIGWMockOtherOrigin,
		fixBuilder{FormatCloudFormation, "the OPTIONS method's MOCK responses (then a new AWS::ApiGateway::Deployment)", func(c FixContext) string {
			m := mockForOrigins(c)
			return mockOriginsNote(m, "#") + cfnMockMethod(m, mockStatus(m), mockOriginParams(m), echoOrigins(m))
		}},
		fixBuilder{FormatOpenAPI, "the options operation's MOCK responses (API Gateway OpenAPI)", func(c FixContext) string {
			m := mockForOrigins(c)
			return "# The options operation you have takes these, beside the path's other operations.\n" +
				mockOriginsNote(m, "#") + openAPIMock(m, mockStatus(m), mockOriginParams(m), echoOrigins(m))
		}},
		fixBuilder{FormatSAM, "Cors on the AWS::Serverless::Api (one origin)", func(c FixContext) string {
			m := mockForOrigins(c)
			return fmt.Sprintf("# AllowOrigin holds one origin: this one in place of %s, which is refused from then\n"+
				"# on. For both, the options operation goes in DefinitionBody (--fix-format openapi).\n", otherOrigins(m)) + samCorsAPI(m, "")
		}},
		fixBuilder{FormatServerless, "cors.origins on the http event (serverless.yml)", func(c FixContext) string {
			return slsCorsEvent(mockForOrigins(c), "the cors you have takes these; its other settings stay")
		}},
		fixBuilder{FormatTerraform, "the OPTIONS method's MOCK responses", func(c FixContext) string {
			m := mockForOrigins(c)
			return "# Your OPTIONS method's aws_api_gateway_method_response and _integration_response take these\n" +
				"# (its method and integration stay).\n" + mockOriginsNote(m, "#") +
				tfAtRoot(m, tfMockResponses(m, mockStatus(m), mockOriginParams(m), echoOrigins(m), `"OPTIONS"`))
		}},
	)
}

// mockOriginFinding is the finding for a mock answering other, not the page.
func (a *analysis) mockOriginFinding(other string) cors.Finding {
	c := a.fixContext()
	return a.finding(CodeAPIGWMockOtherOrigin, idRESTAPI, "preflight", true,
		"API Gateway answered the OPTIONS preflight itself, from the resource's MOCK integration, with the static mapping Access-Control-Allow-Origin "+show(other)+": a mock answers every page with that one origin, so the preflight of a page at "+c.Origin+" fails",
		"In the OPTIONS method of "+c.Resource+", answer "+c.Origin+" as well as the origin there: a response mapping template that answers each listed Origin (both) with itself, and Vary 'Origin' (Allow-Methods and Allow-Headers stay); writing the page's origin in place of the one there would refuse it; the "+c.Method+" answers need the page's origin too. Redeploy "+c.Stage+".")
}

// mockForOrigins is c for an OPTIONS mock that answers the origins allowed
// today and the page's: the methods and headers it answers today, with the
// page's added.
func mockForOrigins(c FixContext) FixContext {
	c.Methods = withPage(c.Preflight.Methods, c.Methods)
	c.Headers = withPage(c.Preflight.Headers, c.Headers)
	return c
}

// mockOriginParams are the mock's mappings: the page's origin as the
// static value (the template answers the others), and Vary.
func mockOriginParams(c FixContext) [][2]string {
	return append(apigwHeaderParams(c, true), [2]string{"Vary", "'Origin'"})
}

// echoOrigins is the response mapping template that answers each origin
// allowed today, and the page's, with itself.
func echoOrigins(c FixContext) string {
	return echoTemplateFor(c, `## each origin that calls this API answers with itself: add || $origin == "https://other.example" for more`)
}

// otherOrigins names the origins the mock answers today.
func otherOrigins(c FixContext) string {
	if len(c.AllowedOrigins) == 0 {
		return "the origin there"
	}
	return c.AllowedOrigins[0] // a safe origin (learnExisting)
}

// mockOriginsNote says where the origins answered today went.
func mockOriginsNote(c FixContext, mark string) string {
	return fmt.Sprintf("%[1]s %[2]s stays answered through the mapping template; the %[3]s answers need\n%[1]s Access-Control-Allow-Origin: %[4]s too.\n", mark, otherOrigins(c), c.Method, c.Origin)
}
