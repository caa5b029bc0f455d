package platform

// Access-Control-Allow-Origin holding the page's origin with its scheme's
// default port (https://app.example.com:443). The value is meant to be the
// page's origin, and is, but for a port every browser leaves out of the
// origin it sends and compares (RFC 6454 §6.1; Fetch §CORS check is a
// string comparison): Chromium, Firefox and WebKit all block it. It comes
// from a configuration that builds the value from scheme, host and port,
// or an origin typed with its port. The fix takes the port out of that one
// value; everything else in the configuration stays.

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// CodeAllowOriginDefaultPort is the page's origin sent with its default port.
const CodeAllowOriginDefaultPort cors.Code = "allow-origin-default-port"

func init() {
	cors.Register(cors.Info{Code: CodeAllowOriginDefaultPort, Severity: cors.SeverityError,
		Title: "Access-Control-Allow-Origin is the page's origin with its default port (:443, :80)",
		Spec:  "RFC 6454 §6.1 (origin serialization); Fetch §CORS check step 4",
		Fix:   "Send the page's origin without the default port: the same value, :443 (https) or :80 (http) taken out; the rest of the CORS configuration stays."})
	causes = append(causes, defaultPortCauses)
	pages[CodeAllowOriginDefaultPort] = pageText{
		Platform: "any server: a configuration that builds the value from scheme, host and port, or an origin typed with its port (nginx, Apache, Node.js, Go, API Gateway mock integrations…); an allow-list entry typed with it (API Gateway HTTP API and Lambda function URL AllowOrigins, S3 AllowedOrigins)",
		Explains: cors.CodeAllowOriginMismatch,
		Browser:  "The browser sends `Origin: https://app.example.com` and compares `Access-Control-Allow-Origin` with that string, byte for byte. `https://app.example.com:443` names the same origin but is not the same string, so Chromium, Firefox and Safari all block the response.",
		Why:      "A browser serializes an origin without its scheme's default port (RFC 6454 §6.1; the URL standard drops `:443` from an https URL and `:80` from an http one when it parses it), so the origin it sends and compares never has it. The value was built from scheme, host and port (`scheme + \"://\" + host + \":\" + port`, nginx's `$scheme://$host:$server_port`, a deployment variable such as `APP_ORIGIN=https://${HOST}:${PORT}`), or someone wrote the origin with its port.",
		Example:  "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: https://app.example.com:443\nVary: Origin",
		Confirm:  "```sh\ncurl -sI -H 'Origin: https://app.example.com' URL | grep -i '^access-control-allow-origin'\n```\nA value ending in `:443` (https) or `:80` (http) confirms; then find where it is written (`grep -rn ':443' /etc/nginx`, the deployment's variables).",
		Detect:   "The browser reports [allow-origin-mismatch](allow-origin-mismatch.md) (or its preflight twin) with a value that is exactly the page's origin followed by `:` and its scheme's default port. corsdiag's conformance suite shows the block in Chromium, Firefox and WebKit with a page served on port 80 (`testdata/scenarios/15-default-port.yaml`).\n\n`corsdiag lint` also reads the allow-lists a service compares the Origin with: an entry of an HTTP API's or function URL's `AllowOrigins`, or of a bucket's `AllowedOrigins`, that is the page's origin with its default port never matches, so the service answers without `Access-Control-Allow-Origin`. Lint names the entry and its line with this code, where `check` sees only the refusal and gives the service's own ([apigw-http-api-cors-not-configured](apigw-http-api-cors-not-configured.md), [lambda-url-cors-not-configured](lambda-url-cors-not-configured.md), [s3-cors-rule-mismatch](s3-cors-rule-mismatch.md)); the fix is that code's, the list written with the origin as the browser sends it. An entry with the port and another slip besides (`https://app.example.com:443/`, white space around it, upper case) is this code too; another entry written otherwise (a trailing slash, a path, upper case, white space around it) is named, as written, in that code's message.",
		Related:  []cors.Code{cors.CodePreflightAllowOriginMismatch, cors.CodeInvalidAllowOrigin},
	}
	addFixes(CodeAllowOriginDefaultPort,
		fixBuilder{FormatNginx, "take the port out of the value where it is written", nginxDropDefaultPort},
		fixBuilder{FormatApache, "take the port out of the Header value where it is written", apacheDropDefaultPort},
		fixBuilder{FormatExpress, "Node.js: let the URL parser serialize the origin", nodeDropDefaultPort},
		fixBuilder{FormatGo, "Go: serialize the origin without its default port", goDropDefaultPort},
		fixBuilder{FormatConsole, "API Gateway console: the mapped value without the port", consoleDropDefaultPort},
		fixBuilder{FormatAWSCLI, "API Gateway REST API: replace the mapped value, then redeploy", cliDropDefaultPort},
		fixBuilder{FormatSAM, "the Api's Cors: AllowOrigin without the port", samDropDefaultPort},
		fixBuilder{FormatCloudFormation, "the integration responses' value without the port", cfnDropDefaultPort},
		fixBuilder{FormatOpenAPI, "x-amazon-apigateway-integration: the value without the port", openAPIDropDefaultPort},
	)
}

// withDefaultPort is origin as the server wrote it: with its default port.
func withDefaultPort(origin string) string {
	scheme, _, _ := strings.Cut(origin, "://")
	return origin + ":" + cors.DefaultPort(scheme)
}

// DefaultPortValue reports whether an Access-Control-Allow-Origin value
// is a serialized origin with its scheme's default port written after it
// (https://app.example.com:443), and which origin (the cause
// CodeAllowOriginDefaultPort names).
func DefaultPortValue(v string) (origin string, ok bool) {
	o, err := cors.ParseOrigin(v)
	if err != nil || o == "null" || withDefaultPort(o) != v {
		return "", false
	}
	return o, true
}

// maxNamedEntries is how many of an allow-list's entries written otherwise
// a finding names.
const maxNamedEntries = 3

// listFinding is the finding of a service whose allow-list (list, the
// property's name) refused the page's origin, code with its message and
// fix otherwise. An entry that is the page's origin written otherwise
// than a browser sends it (cors.EntrySlips) never matches, and the
// message names it; one that is the origin with its default port makes
// the finding allow-origin-default-port, the code check and har give the
// same value sent back, with the service's fix (it writes the origin as
// the browser sends it).
func (a *analysis) listFinding(code cors.Code, id, list, step, msg, summary string) cors.Finding {
	origin, err := cors.ParseOrigin(a.obs.req.Origin)
	entries := a.in.Target.AllowOrigins
	if err != nil || origin == "null" || slices.Contains(entries, origin) {
		return a.finding(code, id, step, true, msg, summary)
	}
	// Each entry once, those with the port first (they decide the code),
	// a few at most: a template's list has any length.
	// The port the message names decides the code, whatever else the
	// entry slips on (white space, a slash, upper case). Each is quoted
	// as written: the white space it names is inside the quotes.
	type slipped struct{ entry, why string }
	var ports, others []slipped
	seen := map[string]bool{}
	scheme, _, _ := strings.Cut(origin, "://")
	portSlip := cors.DefaultPortSlip(cors.DefaultPort(scheme))
	for _, e := range entries {
		o, slips := cors.EntrySlips(e)
		if o != origin || len(slips) == 0 || seen[e] {
			continue
		}
		seen[e] = true
		s := slipped{e, strings.Join(slips, " and ")}
		if slices.Contains(slips, portSlip) {
			ports = append(ports, s)
		} else {
			others = append(others, s)
		}
	}
	port, found := len(ports) > 0, append(ports, others...)
	var named strings.Builder
	for i, s := range found {
		if i == maxNamedEntries {
			more := "entries"
			if len(found)-i == 1 {
				more = "entry"
			}
			fmt.Fprintf(&named, "%s holds %d more such %s; ", list, len(found)-i, more)
			break
		}
		fmt.Fprintf(&named, "%s lists '%s', which %s: a browser sends %s, never written so, and the entry never matches it; ",
			list, s.entry, s.why, origin)
	}
	msg = named.String() + msg
	if !port {
		return a.finding(code, id, step, true, msg, summary)
	}
	f := a.finding(CodeAllowOriginDefaultPort, id, step, true, msg, summary)
	f.Fix = a.fixText(code, id, "Write "+origin+" in "+list+" in place of the entry with the port. "+summary)
	return f
}

// defaultPortCauses names the cause when the value the browser refused
// is the page's origin with its default port written out.
func defaultPortCauses(a *analysis) []cors.Finding {
	rep := a.diag.Reported()
	if rep == nil || (rep.Code != cors.CodeAllowOriginMismatch && rep.Code != cors.CodePreflightAllowOriginMismatch) || a.in.Exchange == nil {
		return nil
	}
	origin, err := cors.ParseOrigin(a.in.Exchange.Request.Origin)
	if o, ok := DefaultPortValue(rep.FailedParameter); err != nil || !ok || o != origin ||
		rep.FailedParameter == a.in.Exchange.Request.OriginHeader {
		// An echo of a recorded Origin with the port is the request's
		// doing, not the server's (the engine's reason says so).
		return nil
	}
	id := a.appFramework()
	for _, s := range []string{idNginx, idApache, idRESTAPI} {
		if id == "" && a.has(s) {
			id = s
		}
	}
	msg := fmt.Sprintf("Access-Control-Allow-Origin is '%s': the value carries the default port :%s; browsers compare the serialized origin, %s, which never has it. "+
		"Something builds the value from scheme, host and port, or writes the origin with its port",
		rep.FailedParameter, strings.TrimPrefix(rep.FailedParameter, origin+":"), origin)
	return []cors.Finding{a.finding(CodeAllowOriginDefaultPort, id, rep.Step, true, msg,
		"Send "+origin+": the same value without its port. Change only that value; the rest of the CORS configuration stays.")}
}

// dropPortSed replaces the origin with its default port by the origin,
// wherever it is written in the files of dir that hold it. The port must
// end there: :4430 is another port, and a file holding only that is not
// rewritten. Written anywhere (a proxy_pass, a redirect), the URL means
// the same without it. The files as they were are copied to beforeFixDir.
// grep -r lists no symbolic link below dir (sites-enabled/x): sed -i
// would replace the link with a file; the file it points to is edited
// instead.
func dropPortSed(c FixContext, dir string) string {
	re := regexp.QuoteMeta(withDefaultPort(c.Origin)) + "([^0-9]|$)"
	find := fmt.Sprintf(`grep -rlZE --exclude='*.bak' '%s' %s`, re, dir)
	return fmt.Sprintf(`%s &&
  %s | xargs -0r cp --parents -t "$B" &&
  %s | xargs -0r sed -i -E 's#%s#%s\1#g' &&
  echo "the files as they were: $B"`, beforeFixDir(path.Base(dir)), find, find, re, c.Origin)
}

func nginxDropDefaultPort(c FixContext) string {
	return fmt.Sprintf(`# the value loses its port and nothing else changes: the line, its
# quotes, "always", your maps, variables and other headers stay as they
# are (the files as they were are copied to a new directory in your
# home: a .bak in sites-enabled would be read as configuration)
%s
nginx -t && nginx -s reload
# built from variables ("$scheme://$host:$server_port")? grep finds
# nothing: there, write the origin without ":$server_port" (or echo
# $http_origin through your allow-list map)`, dropPortSed(c, "/etc/nginx"))
}

func apacheDropDefaultPort(c FixContext) string {
	return fmt.Sprintf(`# the value loses its port and nothing else changes: the Header line,
# its condition and your other headers stay as they are (the files as
# they were are copied to a new directory in your home; /etc/httpd on
# Red Hat)
%s
apachectl configtest && apachectl graceful`, dropPortSed(c, "/etc/apache2"))
}

func nodeDropDefaultPort(c FixContext) string {
	scheme, host, _ := strings.Cut(c.Origin, "://")
	return fmt.Sprintf(`// where the value is built from scheme, host and port:
// new URL(...).origin serializes it as the browser does, without a
// default port (your other CORS headers and options stay as they are):
// %s → %s
// yours, from the configuration:
const scheme = '%s', host = '%s', port = '%s';
const allowOrigin = new URL(scheme + '://' + host + ':' + port).origin;
// res.set('Access-Control-Allow-Origin', allowOrigin),
// or cors({ origin: allowOrigin })`,
		withDefaultPort(c.Origin), c.Origin, scheme, host, cors.DefaultPort(scheme))
}

func goDropDefaultPort(c FixContext) string {
	return fmt.Sprintf(`// serializeOrigin writes an origin as the browser sends it, the
// scheme's default port left out (the rest of your CORS handler stays
// as it is):
// %s → %s
func serializeOrigin(scheme, host, port string) string {
	if port == "" || scheme == "https" && port == "443" ||
		scheme == "http" && port == "80" {
		return scheme + "://" + host
	}
	return scheme + "://" + host + ":" + port
}`, withDefaultPort(c.Origin), c.Origin)
}

func consoleDropDefaultPort(c FixContext) string {
	return fmt.Sprintf(`API Gateway console → the API → Resources → each method that
answers with the header (OPTIONS, and the others) → Integration
response → Header mappings → Access-Control-Allow-Origin:
change '%s'
to '%s'
(the quotes stay; the other mappings and templates stay as they are)
→ Deploy API to the stage, or the stage keeps the old value.`, withDefaultPort(c.Origin), c.Origin)
}

// cliDropDefaultPort replaces the value on the answers the browser saw:
// the OPTIONS mock's status and the method's (their integration responses
// are keyed by it, and a 200 there is another answer), and only where it
// is the value with the port: an OPTIONS mapping '*' stays '*'.
func cliDropDefaultPort(c FixContext) string {
	patch := `[{"op": "replace", "path": "/responseParameters/method.response.header.Access-Control-Allow-Origin", "value": ` +
		jsonString("'"+c.Origin+"'") + `}]`
	answers := "OPTIONS:" + mockStatus(c)
	if c.Method != "OPTIONS" {
		answers += " " + c.Method + ":" + c.okStatus()
	}
	return withResource(c, fmt.Sprintf(`
%[1]s
  # only a mapping that is '%[2]s'
  # changes; the other headers' mappings and the templates stay as they
  # are (another status the method answers with it takes the same
  # command)
  for MS in %[3]s; do
    M=${MS%%:*} S=${MS#*:}
    WAS=$(aws apigateway get-integration-response --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method "$M" --status-code "$S" --output json \
      | jq -r '.responseParameters["method.response.header.Access-Control-Allow-Origin"] // ""')
    if [ "$WAS" = "'%[2]s'" ]; then
      aws apigateway update-integration-response --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method "$M" --status-code "$S" --patch-operations file://acao-patch.json
    else
      echo "$M's $S answer maps Access-Control-Allow-Origin to" \
        "${WAS:-nothing}, not the value with the port: kept" >&2
    fi
  done
  aws apigateway create-deployment --rest-api-id "$API_ID" --stage-name %[4]s`,
		corsJSONHeredoc("acao-patch.json", patch), withDefaultPort(c.Origin), answers, c.Stage))
}

func samDropDefaultPort(c FixContext) string {
	return fmt.Sprintf(`# in the AWS::Serverless::Api's Cors (or Globals: Api: Cors): only
# AllowOrigin changes; AllowMethods, AllowHeaders and the rest stay as
# they are. It was "'%s'":
Cors:
  AllowOrigin: "'%s'"`, withDefaultPort(c.Origin), c.Origin)
}

func cfnDropDefaultPort(c FixContext) string {
	return fmt.Sprintf(`# in each IntegrationResponses entry (and gateway response) that maps
# the header: only this value changes; the other mappings and
# templates stay as they are. It was
# "'%s'":
ResponseParameters:
  method.response.header.Access-Control-Allow-Origin: "'%s'"`, withDefaultPort(c.Origin), c.Origin)
}

func openAPIDropDefaultPort(c FixContext) string {
	return fmt.Sprintf(`# in each x-amazon-apigateway-integration response that maps the
# header: only this value changes; the other mappings and templates
# stay as they are. It was "'%s'":
responseParameters:
  method.response.header.Access-Control-Allow-Origin: "'%s'"`, withDefaultPort(c.Origin), c.Origin)
}
