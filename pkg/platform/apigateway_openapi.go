package platform

// API Gateway fixes in the OpenAPI form: for APIs defined by an OpenAPI
// document (a RestApi Body, a SAM DefinitionBody, an imported file), where
// separate AWS::ApiGateway::Method or GatewayResponse resources would drift
// from the document (cfn-lint W3660). The snippets are fragments to merge
// into the document at the same keys.

import (
	"fmt"
	"strings"
)

// openAPIOptions is the options operation answering the preflight: a MOCK
// integration without security.
func openAPIOptions(c FixContext) string {
	return openAPIMock(c, "200", apigwHeaderParams(c, true), "")
}

// openAPIMock is the options operation whose MOCK integration answers
// status with the headers ps (and the response mapping template, when
// given); the operation declares each header it maps.
func openAPIMock(c FixContext, status string, ps [][2]string, template string) string {
	if template != "" {
		template = "            responseTemplates:\n              application/json: |\n" + indent(template, "                ")
	}
	return fmt.Sprintf(`paths:
  %s:
    options:
      security: []
      responses:
        "%s":
          description: CORS preflight
          headers:
%s      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{"statusCode": 200}'
        responses:
          default:
            statusCode: "%s"
            responseParameters:
%s%s`, c.safeResource(), status, declaredHeaders(ps), status,
		yamlParams(ps, "              ", "method.response.header.", func(v string) string { return "\"" + v + "\"" }), template)
}

// declaredHeaders declares the headers ps maps, under an operation's
// response: an integration response maps only a declared header.
func declaredHeaders(ps [][2]string) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "            %s: {schema: {type: string}}\n", p[0])
	}
	return b.String()
}

func init() {
	addFixes(CodeAPIGWNoOptionsMethod, fixBuilder{FormatOpenAPI, "an options operation with a MOCK integration (API Gateway OpenAPI)", func(c FixContext) string {
		// A second paths: key would replace the first, and an import in
		// overwrite mode delete every route the document then lacks.
		return "# Merge into the document: options goes under the path's entry, beside its other\n" +
			"# operations (a second paths key would replace the first, with every route in it).\n" + openAPIOptions(c)
	}})
	addFixes(CodeAPIGWAuthOnOptions, fixBuilder{FormatOpenAPI, "the options operation without security (API Gateway OpenAPI)", func(c FixContext) string {
		return "# the options operation you have: add security: [] to it; its\n" +
			"# responses and integration stay\n" + openAPIOptions(c)
	}})
	addFixes(CodeAPIGWMockWildcardCreds, fixBuilder{FormatOpenAPI, "the options operation's MOCK responses (API Gateway OpenAPI)", func(c FixContext) string {
		m := credentialedMock(c)
		return "# The options operation you have takes these, beside the path's other operations: Allow-Methods\n" +
			"# and Allow-Headers are the values it answers today, with the page's added.\n" + mockActualNote(m, "#") +
			openAPIMock(m, mockStatus(m), mockCredentialParams(c, true), echoTemplate(m))
	}})
	addFixes(CodeAPIGWGatewayResponses, fixBuilder{FormatOpenAPI, "x-amazon-apigateway-gateway-responses", func(c FixContext) string {
		var b strings.Builder
		b.WriteString(gatewayResponsesKept(c, "#") + "x-amazon-apigateway-gateway-responses:\n")
		for _, t := range gatewayTypes(c) {
			fmt.Fprintf(&b, "  %s:\n    responseParameters:\n%s", t,
				yamlParams(apigwHeaderParams(c, true), "      ", "gatewayresponse.header.", func(v string) string { return "\"" + v + "\"" }))
		}
		return b.String()
	}})
	mapping := fixBuilder{FormatOpenAPI, "the method's integration response maps the header (API Gateway OpenAPI, non-proxy)", func(c FixContext) string {
		ps := apigwHeaderParams(c, false)
		return fmt.Sprintf(`# Add responseParameters to each response the method's integration has,
# and each header to the operation's response for that status (API
# Gateway refuses a mapping to a header it does not declare): their
# templates, schemas and status stay (a response defined again would
# replace them).
paths:
  %s:
    %s:
      responses:
        "%s":
          headers:
%s      x-amazon-apigateway-integration:
        responses:
          default:
            statusCode: "%s"
            responseParameters:
%s`, c.safeResource(), strings.ToLower(c.Method), c.okStatus(), declaredHeaders(ps), c.okStatus(), yamlParams(ps, "              ", "method.response.header.", func(v string) string { return "\"" + v + "\"" }))
	}}
	addFixes(CodeAPIGWCorsOnlyOnOptions, mapping)
	addFixes(CodeAPIGWIntegrationNoCORS, mapping)
	addFixes(CodeHTTPAPINotConfigured, fixBuilder{FormatOpenAPI, "x-amazon-apigateway-cors (HTTP API OpenAPI)", func(c FixContext) string {
		return fmt.Sprintf(`x-amazon-apigateway-cors:
  # extend each list: the values already there stay
  allowOrigins: [%s]
  allowMethods: [%s]
  allowHeaders: [%s]
  allowCredentials: %s
  maxAge: 7200
%s`, c.quotedOrigins(), quoteList(c.Methods), quoteList(c.Headers), c.httpAPICredentials("#", ""), httpAPIOptionsRoute(c, FormatOpenAPI))
	}})
}
