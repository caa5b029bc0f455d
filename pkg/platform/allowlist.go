package platform

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// The exact-match allow-list: the one fix of every origin-check flaw the
// audit finds (an echoed origin, a suffix or prefix match, an unescaped
// dot, trusted subdomains…), in each platform's form. Each compares the
// whole Origin string with a fixed list, echoes it only on a match, sends
// Access-Control-Allow-Credentials only then, and varies on Origin.

var allowListBuilders = []fixBuilder{
	{FormatNginx, "a map of the exact origins (http block), used in the location", nginxAllowList},
	{FormatExpress, "the cors middleware with a Set of exact origins", expressAllowList},
	{FormatSpring, "setAllowedOrigins with the exact origins (never setAllowedOriginPatterns)", springAllowList},
	{FormatAWSCLI, "API Gateway HTTP API: an exact AllowOrigins list", apigwAllowList},
	{FormatLambda, "API Gateway REST API with a Lambda proxy: check the origin in the function (Node.js)", lambdaAllowList},
	{FormatConsole, "S3 console → bucket → Permissions → CORS: exact AllowedOrigins in each rule, no `*` in them", s3AllowList},
}

// allowListOthers follows the declared origins in every allow-list form:
// corsdiag knows only those, and a page of the user's own on another
// origin, allowed today, would be refused once the list is pasted.
const allowListOthers = "add every other origin your own pages are served from: one left out is refused"

// othersAt is allowListOthers on two lines, the second starting with
// mark (a comment's), so it fits a terminal after check's indent.
func othersAt(mark string) string {
	return strings.Replace(allowListOthers, " one left", "\n"+mark+"one left", 1)
}

// reSafeOrigin keeps origins that can be pasted into any snippet's quotes.
var reSafeOrigin = regexp.MustCompile(`^[a-z][a-z0-9+.-]*://[A-Za-z0-9._~\-\[\]:]+$`)

// allowed is the context's allow-list, safe to paste; an example when empty.
func (c FixContext) allowed() []string {
	var out []string
	for _, o := range c.Origins {
		if reSafeOrigin.MatchString(o) {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		out = []string{"https://app.example.com"}
	}
	return out
}

// AllowListFixes returns the exact-match allow-list in every form, filled
// with c.Origins.
func AllowListFixes(c FixContext) []Fix {
	out := make([]Fix, 0, len(allowListBuilders))
	for _, b := range allowListBuilders {
		out = append(out, Fix{Format: b.Format, Title: b.Title, Snippet: strings.TrimLeft(b.Build(c), "\n")})
	}
	return out
}

// AllowListFormats names the forms of AllowListFixes.
func AllowListFormats() []string {
	out := make([]string, len(allowListBuilders))
	for i, b := range allowListBuilders {
		out[i] = string(b.Format)
	}
	return out
}

// DefaultFormat is the fix form usually shown for a platform ("" when unknown).
func DefaultFormat(platformID string) Format { return platforms[platformID].DefaultFix }

func nginxAllowList(c FixContext) string {
	cred, credMap := "", ""
	if c.Credentials {
		credMap = "\n" + nginxOriginMap("$cors_credentials", "", c.allowed(), `"true"`)
		cred = "\n    add_header Access-Control-Allow-Credentials $cors_credentials always;"
	}
	return fmt.Sprintf(`# http block: the exact origins; anything
# else maps to "" and gets no header;
# %s
%s%s
# in the location that serves the API
location %s {
%s    # in place of your Access-Control-Allow-Origin line; your other
    # CORS lines (methods, headers) stay
    add_header Access-Control-Allow-Origin $cors_origin always;%s
    add_header Vary Origin always;
    # ... your existing root or proxy_pass ...
}`, othersAt("# "), nginxOriginMap("$cors_origin", "", c.allowed(), "$http_origin"), credMap, nginxLocation(c.Path), nginxInheritNote, cred)
}

func expressAllowList(c FixContext) string {
	return fmt.Sprintf(`// exact origins only: never origin: true
// (it echoes every origin), never a RegExp;
// %s
const allowed = new Set([%s]);
// in place of your app.use(cors(...)); require('cors') here, whether
// or not the file declares cors
%s
app.use(require('cors')({
  origin: (origin, callback) => callback(null, allowed.has(origin) ? origin : false),
  credentials: %s
  // your other options (methods, allowedHeaders,
  // exposedHeaders, maxAge) stay
}));`, othersAt("// "), singleQuoted(c.allowed()), expressESMNote, c.replacing().credentials("//", ","))
}

func springAllowList(c FixContext) string {
	return fmt.Sprintf(`@Bean
CorsConfigurationSource corsConfigurationSource() {
    CorsConfiguration cors = new CorsConfiguration();
    // exact origins: not setAllowedOriginPatterns, not "*";
    // %s
    cors.setAllowedOrigins(List.of(%s));
    cors.setAllowCredentials(%s
    // your setAllowedMethods, setAllowedHeaders, setExposedHeaders and
    // setMaxAge lines stay as they are: without them Spring allows GET
    // and HEAD only, and no request header
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/**", cors);
    return source;
}`, othersAt("    // "), quoteList(c.allowed()), c.replacing().credentials("//", ");"))
}

func apigwAllowList(c FixContext) string {
	return fmt.Sprintf(`API_ID=%s
# exact origins (a "*" entry or a wildcard in
# one lets every origin in) replace the list:
# %s;
# the other CORS settings stay, and
# credentials allowed today stay allowed
aws apigatewayv2 get-api --api-id "$API_ID" --query CorsConfiguration --output json > cors-current.json \
  && jq --argjson origins %s --argjson cred %t %s cors-current.json > cors.json \
  && aws apigatewayv2 update-api --api-id "$API_ID" --cors-configuration file://cors.json`,
		c.APIID, othersAt("# "), shQuote(compactJSON(c.allowed())), c.Credentials, shQuote(inlineJQ(jqSetAllowOrigins)))
}

func lambdaAllowList(c FixContext) string {
	cred := ""
	if c.Credentials {
		cred = "\n    headers['Access-Control-Allow-Credentials'] = 'true';"
	}
	return fmt.Sprintf(`// exact origins;
// %s
const ALLOWED = new Set([%s]);

// every response, errors included, goes through corsHeaders
function corsHeaders(event) {
  const origin = event.headers?.origin ?? event.headers?.Origin;
  // your Access-Control-Allow-Methods and
  // -Headers stay in headers as they are
  const headers = { Vary: 'Origin' };
  if (ALLOWED.has(origin)) {
    headers['Access-Control-Allow-Origin'] = origin;%s
  }
  return headers;
}`, othersAt("// "), singleQuoted(c.allowed()), cred)
}

// s3AllowList edits the rules in place: each one's AllowedOrigins gets
// exact origins; a rule list to paste would replace every rule the bucket
// has, with their methods, headers and ExposeHeaders.
func s3AllowList(c FixContext) string {
	return fmt.Sprintf(`In each rule of the bucket's CORS configuration, replace an
AllowedOrigins entry holding * (or an origin the bucket must not serve)
with the exact origins that rule is for, of these
(%s):
    "AllowedOrigins": [%s],
Each rule's AllowedMethods, AllowedHeaders, ExposeHeaders (ETag for
multipart uploads) and MaxAgeSeconds stay as they are, and so do the
other rules. Save.`, othersAt(""), quoteList(c.allowed()))
}

// ContextFor is the fix context of an exchange: its origin, method,
// headers, credentials and the names in its URL.
func ContextFor(ex *cors.Exchange, d *cors.Diagnosis) FixContext { return newFixContext(ex, d) }
