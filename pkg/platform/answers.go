package platform

// What AWS services answer, as messages: the other side of the
// fingerprints. `corsdiag lint` builds the answers a deployed template would
// give from these, so the same fingerprints and causes explain them as if
// they had come over the network. answers_test.go proves every answer here
// is recognised by its fingerprint.

import (
	"net/http"
	"slices"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// GatewayDefault is API Gateway's own answer for a gateway response type
// when the API does not customise it: status, the "message" of the JSON
// body, and x-amzn-ErrorType. Source: supported-gateway-response-types.html
// and ../shared/research/gateways.md.
type GatewayDefault struct {
	Status    int
	Message   string
	ErrorType string
}

// gatewayDefaults holds the types a browser request can meet. A type not
// listed falls back to DEFAULT_4XX or DEFAULT_5XX by its status.
var gatewayDefaults = map[string]GatewayDefault{
	"MISSING_AUTHENTICATION_TOKEN": {403, "Missing Authentication Token", "MissingAuthenticationTokenException"},
	"UNAUTHORIZED":                 {401, "Unauthorized", "UnauthorizedException"},
	"ACCESS_DENIED":                {403, "User is not authorized to access this resource with an explicit deny", "AccessDeniedException"},
	"INVALID_API_KEY":              {403, "Forbidden", "ForbiddenException"},
	"THROTTLED":                    {429, "Too Many Requests", "TooManyRequestsException"},
	"QUOTA_EXCEEDED":               {429, "Limit Exceeded", "TooManyRequestsException"},
	"INTEGRATION_TIMEOUT":          {504, "Endpoint request timed out", ""},
	"INTEGRATION_FAILURE":          {502, "Internal server error", "InternalServerErrorException"},
	"BAD_REQUEST_BODY":             {400, "Invalid request body", "BadRequestException"},
	"DEFAULT_4XX":                  {400, "Bad Request", "BadRequestException"},
	"DEFAULT_5XX":                  {500, "Internal server error", "InternalServerErrorException"},
}

// GatewayResponseDefault returns the default answer of a gateway response
// type and whether the type is known.
func GatewayResponseDefault(typ string) (GatewayDefault, bool) {
	d, ok := gatewayDefaults[typ]
	return d, ok
}

// GatewayResponseParent is the DEFAULT_4XX or DEFAULT_5XX type whose
// customisation a type inherits when it is not customised itself.
func GatewayResponseParent(typ string) string {
	if d, ok := gatewayDefaults[typ]; ok && d.Status >= 500 {
		return "DEFAULT_5XX"
	}
	return "DEFAULT_4XX"
}

// restAPIHeaders are the headers a REST API adds to every answer.
func restAPIHeaders(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	out.Set("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
	out.Set("x-amz-apigw-id", "corsdiag-lint=")
	return out
}

// RESTAPIAnswer is an answer a REST API gives from a method (MOCK or a
// mapped integration response), with the headers the template maps.
func RESTAPIAnswer(status int, h http.Header) *cors.Message {
	return &cors.Message{Status: status, StatusText: http.StatusText(status), Header: restAPIHeaders(h), Body: []byte("{}")}
}

// GatewayResponseAnswer is the answer API Gateway makes itself for a
// gateway response type, with the headers its customisation maps and its
// status (0 keeps the type's default).
func GatewayResponseAnswer(typ string, status int, h http.Header) *cors.Message {
	d, ok := gatewayDefaults[typ]
	if !ok {
		d = gatewayDefaults["DEFAULT_4XX"]
	}
	if status == 0 {
		status = d.Status
	}
	out := restAPIHeaders(h)
	out.Set("Content-Type", "application/json")
	if d.ErrorType != "" {
		out.Set("x-amzn-ErrorType", d.ErrorType)
	}
	return &cors.Message{Status: status, StatusText: http.StatusText(status), Header: out,
		Body: []byte(`{"message":"` + d.Message + `"}`)}
}

// HTTPAPIAnswer is an answer of an HTTP API (its CORS preflight, or an
// integration's answer with the CORS headers it adds).
func HTTPAPIAnswer(status int, h http.Header) *cors.Message {
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	out.Set("apigw-requestid", "corsdiag-lint=")
	return &cors.Message{Status: status, StatusText: http.StatusText(status), Header: out}
}

// HTTPAPIError is an error an HTTP API makes itself: 404 {"message":"Not
// Found"} for an unrouted request, 401 {"message":"Unauthorized"} from an
// authorizer.
func HTTPAPIError(status int) *cors.Message {
	m := HTTPAPIAnswer(status, http.Header{"Content-Type": {"application/json"}})
	m.Body = []byte(`{"message":"` + http.StatusText(status) + `"}`)
	return m
}

// LambdaURLAnswer is an answer of a Lambda function URL.
func LambdaURLAnswer(status int, h http.Header) *cors.Message {
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	out.Set("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
	out.Set("X-Amzn-Trace-Id", "root=1-00000000-000000000000000000000000")
	return &cors.Message{Status: status, StatusText: http.StatusText(status), Header: out}
}

// S3Answer is an answer of S3's REST endpoint.
func S3Answer(status int, h http.Header) *cors.Message {
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	out.Set("Server", "AmazonS3")
	out.Set("x-amz-request-id", "CORSDIAGLINT0000")
	out.Set("x-amz-id-2", "corsdiag-lint")
	return &cors.Message{Status: status, StatusText: http.StatusText(status), Header: out}
}

// S3CORSDenied is S3's 403 to a CORS request: no CORS configuration on the
// bucket, or no rule matching the origin, method and headers.
func S3CORSDenied(configured bool) *cors.Message {
	m := S3Answer(403, http.Header{"Content-Type": {"application/xml"}})
	msg := "CORS is not enabled for this bucket."
	if configured {
		msg = "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."
	}
	m.Body = []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Error><Code>AccessForbidden</Code><Message>CORSResponse: " + msg + "</Message><Method>OPTIONS</Method><ResourceType>OBJECT</ResourceType><RequestId>CORSDIAGLINT0000</RequestId></Error>")
	return m
}

// Target names what a front door knows for certain about the API or bucket
// (lint reads them from a template); set fields replace what the URL
// suggests in fix snippets.
type Target struct {
	APIID    string
	Stage    string
	Resource string
	Region   string
	Bucket   string
	// Methods are all the methods the page calls the resource with (lint:
	// the route's methods, reported together): a fix allows every one.
	Methods []string
	// Route is the HTTP API route's path as the template writes it
	// ("/items/{id}", "$default"); "" when unknown (a live check).
	Route string
	// AllowOrigins is the allow-list as the configuration writes it (lint:
	// an HTTP API's or function URL's AllowOrigins, a bucket's
	// AllowedOrigins); nil when unknown (a live check). An entry written
	// otherwise than the Origin a browser sends is named (listFinding).
	AllowOrigins []string
}

func (c *FixContext) apply(t Target) {
	// A template's values reach shell snippets: plain names only (the
	// resource is cleaned where it is pasted, safeResource).
	set := func(dst *string, v string) {
		if v != "" && (dst == &c.Resource || safeName(v) == v) {
			*dst = v
		}
	}
	set(&c.APIID, t.APIID)
	set(&c.Stage, t.Stage)
	set(&c.Resource, t.Resource)
	set(&c.Region, t.Region)
	set(&c.Bucket, t.Bucket)
	c.Route = t.Route
	if len(t.Methods) > 0 {
		ms := []string{}
		for _, m := range append(append([]string{}, t.Methods...), c.Methods...) {
			if safeName(m) == m && !slices.Contains(ms, m) {
				ms = append(ms, m)
			}
		}
		c.Methods = ms
	}
}

// Explain builds the finding of a platform code for a cause a front door
// found itself (lint: what a template cannot show, such as the code behind
// a proxy integration), with the fix as check prints it for that code.
func Explain(code cors.Code, in Input, step string, blocking bool, message, summary string) cors.Finding {
	a := newAnalysis(in)
	id := idRESTAPI
	if a.primary != nil {
		id = a.primary.ID
	}
	return a.finding(code, id, step, blocking, message, summary)
}
