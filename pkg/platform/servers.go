package platform

// Web servers and gateways: nginx, Apache, Envoy/Istio, Kong. (Traefik
// leaves no mark by default: its 404 is Go's "404 page not found" and it
// sends no Server header, so it is not claimed.) Sources: nginx
// ngx_http_headers_module (add_header "always"), Apache mod_headers
// ("always" condition), Envoy CORS filter, Istio VirtualService
// corsPolicy, Kong cors plugin, ../shared/research/gateways.md.

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

const (
	idNginx  = "nginx"
	idApache = "apache"
	idEnvoy  = "envoy"
	idIstio  = "istio"
	idKong   = "kong"
)

// Server finding codes.
const (
	CodeNginxAddHeaderNoAlways cors.Code = "nginx-add-header-without-always"
	CodeApacheHeaderNoAlways   cors.Code = "apache-header-set-without-always"
	CodeStaticOptions405       cors.Code = "static-server-options-405"
	CodeNginxNoCORSHere        cors.Code = "nginx-cors-headers-missing"
	CodeKongCORSPluginMissing  cors.Code = "kong-cors-plugin-missing"
	CodeEnvoyCORSPolicyMissing cors.Code = "envoy-cors-policy-missing"
	CodeNginxDuplicatesApp     cors.Code = "nginx-duplicates-app-cors"
	CodeNginxAppCORSNotHidden  cors.Code = "nginx-app-cors-not-hidden"
)

func init() {
	registerPlatforms(
		platformInfo{idNginx, "nginx", tierServer, FormatNginx},
		platformInfo{idApache, "Apache httpd", tierServer, FormatApache},
		platformInfo{idEnvoy, "Envoy", tierGateway, FormatEnvoy},
		platformInfo{idIstio, "Istio (Envoy)", tierGateway, FormatIstio},
		platformInfo{idKong, "Kong Gateway", tierGateway, FormatKong},
	)
	exclusive = append(exclusive, []string{idIstio, idEnvoy})
	fingerprints = append(fingerprints, serverFingerprint)
	causes = append(causes, serverCauses)
	cors.Register(
		cors.Info{Code: CodeNginxAddHeaderNoAlways, Severity: cors.SeverityError, Title: "nginx add_header without `always` skips error responses", Spec: "nginx ngx_http_headers_module, add_header",
			Fix: "Add `always` to every CORS add_header, so 4xx and 5xx answers carry the headers too."},
		cors.Info{Code: CodeApacheHeaderNoAlways, Severity: cors.SeverityError, Title: "Apache `Header set` without `always` skips error responses", Spec: "Apache mod_headers, Header directive (condition)",
			Fix: "Use `Header always set` for the CORS headers, so error responses carry them too."},
		cors.Info{Code: CodeNginxNoCORSHere, Severity: cors.SeverityError, Title: "nginx sends no CORS headers for this location", Spec: "nginx ngx_http_headers_module, add_header (inheritance)",
			Fix: "Add the CORS add_header lines, with `always`, in the location that serves the path (a location with add_header lines of its own inherits none)."},
		cors.Info{Code: CodeStaticOptions405, Severity: cors.SeverityError, Title: "The server answers OPTIONS with 405: nothing handles the preflight", Spec: "Fetch §CORS-preflight fetch step 7 (ok status)",
			Fix: "Answer OPTIONS with 204 and the CORS headers before the static file handler or the proxy rejects it."},
		cors.Info{Code: CodeKongCORSPluginMissing, Severity: cors.SeverityError, Title: "Kong: no cors plugin on the route", Spec: "Kong Gateway cors plugin",
			Fix: "Enable the cors plugin on the route (or service) with the page's origin."},
		cors.Info{Code: CodeNginxDuplicatesApp, Severity: cors.SeverityError, Title: "nginx adds CORS headers the application behind it sends already", Spec: "Fetch §CORS check step 1 (get, combined); nginx ngx_http_headers_module, add_header",
			Fix: "Take nginx's CORS add_header lines out of the location that passes requests to the application: it answers CORS itself, on preflights, credentialed and error answers too."},
		cors.Info{Code: CodeNginxAppCORSNotHidden, Severity: cors.SeverityError, Title: "nginx and the application behind it both send Access-Control-Allow-Origin; only nginx's allows the page", Spec: "Fetch §CORS check step 1 (get, combined); nginx ngx_http_proxy_module, proxy_hide_header",
			Fix: "Hide the application's copy in nginx (proxy_hide_header) and give nginx's CORS add_header lines `always`."},
		cors.Info{Code: CodeEnvoyCORSPolicyMissing, Severity: cors.SeverityError, Title: "Envoy/Istio: no CORS policy for this route", Spec: "Envoy CORS filter; Istio VirtualService corsPolicy",
			Fix: "Add a CORS policy on the route (and the envoy.filters.http.cors filter before the router), or an Istio corsPolicy."},
	)

	// The headers work on success answers: the fix adds `always` to the
	// lines there, values untouched (a map of origins, a variable), rather
	// than writing new ones.
	addFixes(CodeNginxAddHeaderNoAlways,
		fixBuilder{FormatNginx, "`always` added to your CORS add_header lines, values unchanged", nginxAddAlways},
	)
	addFixes(CodeApacheHeaderNoAlways,
		fixBuilder{FormatApache, "`Header always` for your CORS Header lines, values unchanged", apacheAddAlways},
	)
	// An allow-list nginx has (a map, an if on $http_origin) may be what
	// refused the origin: the snippet keeps its origins and replaces its line.
	addFixes(CodeNginxNoCORSHere,
		fixBuilder{FormatNginx, "the CORS headers in the location that serves the path", func(c FixContext) string {
			c.Existing = true
			return strings.Replace(nginxCors(c), nginxLocationEnd, nginxHideNote+nginxLocationEnd, 1)
		}},
	)
	// Which layer keeps the header was decided on real runs (nginx 1.22.1,
	// express 4.22.3 with cors 2.8.6): see nginxAppTwice.
	addFixes(CodeNginxDuplicatesApp,
		fixBuilder{FormatNginx, "nginx's copies commented out in the proxying location", func(c FixContext) string {
			return nginxTwiceSnippet(nginxKeepAppTmpl, c)
		}},
	)
	addFixes(CodeNginxAppCORSNotHidden,
		fixBuilder{FormatNginx, "the application's copies hidden in the proxying location", func(c FixContext) string {
			return nginxTwiceSnippet(nginxHideAppTmpl, c)
		}},
	)
	addFixes(CodeStaticOptions405,
		fixBuilder{FormatNginx, "answer OPTIONS in nginx before the static handler", nginxCors},
		fixBuilder{FormatApache, "answer OPTIONS in Apache", apacheCors},
		fixBuilder{FormatExpress, "Express: cors() before express.static", expressCors},
		fixBuilder{FormatNetlify, "Netlify: headers in _headers (static files cannot answer OPTIONS; use a function for non-simple requests)", netlifyHeaders},
		fixBuilder{FormatFirebase, "Firebase Hosting: merge into hosting.headers; a header set there already takes these values", firebaseHeaders},
	)
	addFixes(CodeKongCORSPluginMissing,
		fixBuilder{FormatKong, "cors plugin on the route (declarative kong.yml)", func(c FixContext) string {
			return fmt.Sprintf(`# Merge into your kong.yml: deck gateway sync deletes what a file lacks
# (deck gateway apply adds this alone). A cors plugin already on the
# route: extend its lists.
_format_version: "3.0"
plugins:
  - name: cors
    route: YOUR_ROUTE
    config:
      origins:
%s      methods:
%s      headers:
%s      credentials: %s
      max_age: 7200
      preflight_continue: false
`, c.yamlOrigins("        "), yamlList(c.Methods, "        "), yamlList(c.Headers, "        "), c.credentials("#", ""))
		}},
	)
	addFixes(CodeEnvoyCORSPolicyMissing,
		fixBuilder{FormatEnvoy, "cors filter before the router, CorsPolicy on the virtual host", func(c FixContext) string {
			return fmt.Sprintf(`# Merge by hand into your HttpConnectionManager: the cors filter before
# the router, your other filters, virtual hosts and routes stay; extend
# any list already there.
http_filters:
  - name: envoy.filters.http.cors
    typed_config:
      "@type": type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors
  - name: envoy.filters.http.router
    typed_config:
      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
route_config:
  virtual_hosts:
    - name: api
      domains: ["*"]
      typed_per_filter_config:
        envoy.filters.http.cors:
          "@type": type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy
          allow_origin_string_match:
%s          allow_methods: "%s"
          allow_headers: "%s"
          allow_credentials: %s
          max_age: "7200"
`, c.exactOrigins("            "), c.methodList(", "), c.headerList(", "), c.credentials("#", ""))
		}},
		fixBuilder{FormatIstio, "corsPolicy on the VirtualService", func(c FixContext) string {
			return fmt.Sprintf(`# Merge by hand: corsPolicy on each http
# route of your VirtualService (applied,
# this file replaces spec.http whole: your matches, routes and retries
# must stay); a corsPolicy there already: extend its lists, the values
# in them stay.
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: api
spec:
  hosts:
    - %s
  http:
    - corsPolicy:
        allowOrigins:
%s        allowMethods:
%s        allowHeaders:
%s        allowCredentials: %s
        maxAge: 2h
      route:
        - destination:
            host: api
`, hostOr(c.Host, "api.example.com"), c.exactOrigins("          "), yamlList(c.Methods, "          "), yamlList(c.Headers, "          "), c.credentials("#", ""))
		}},
	)
}

func hostOr(h, def string) string {
	if h == "" || safeName(h) != h {
		return def
	}
	return h
}

func serverFingerprint(o *observation, r *response) []signal {
	if r == nil {
		return nil
	}
	m := r.resp
	var out []signal
	server := strings.ToLower(r.header("Server"))
	switch {
	case strings.HasPrefix(server, "nginx") || strings.HasPrefix(server, "openresty"):
		out = append(out, signal{idNginx, 3, "Server: " + show(r.header("Server"))})
	case strings.HasPrefix(server, "apache"):
		out = append(out, signal{idApache, 3, "Server: " + show(r.header("Server"))})
	case server == "istio-envoy":
		out = append(out, signal{idIstio, 3, "Server: istio-envoy"})
	case server == "envoy":
		out = append(out, signal{idEnvoy, 3, "Server: envoy"})
	case strings.HasPrefix(server, "kong/"):
		out = append(out, signal{idKong, 3, "Server: " + show(r.header("Server"))})
	}
	b := body(m)
	if strings.Contains(b, "<center>nginx") || strings.Contains(b, "<center>openresty") {
		out = append(out, signal{idNginx, 3, "nginx's default error page"})
	}
	if strings.Contains(b, "<address>Apache/") {
		out = append(out, signal{idApache, 3, "Apache's default error page"})
	}
	if r.hasHeader("x-envoy-upstream-service-time") {
		out = append(out, signal{idEnvoy, 2, "header x-envoy-upstream-service-time"})
	}
	if r.hasHeader("x-envoy-decorator-operation") {
		out = append(out, signal{idIstio, 2, "header x-envoy-decorator-operation (Istio)"})
	}
	if v := r.header("Via"); strings.Contains(strings.ToLower(v), "kong/") {
		out = append(out, signal{idKong, 3, "Via: " + show(v)})
	}
	if name, ok := r.headerPrefix("X-Kong-"); ok {
		out = append(out, signal{idKong, 3, "header " + name})
	}
	if strings.Contains(b, "no Route matched with those values") {
		out = append(out, signal{idKong, 3, `body "no Route matched with those values"`})
	}
	return out
}

// staticHosts answer OPTIONS with 405 when nothing handles it.
var staticHosts = []string{idNginx, idApache, idNetlify, idFirebase, idVercel, idS3Website, idExpress}

func serverCauses(a *analysis) []cors.Finding {
	var out []cors.Finding
	pf := a.obs.preflight()
	if pf != nil && pf.resp != nil && pf.resp.Status == 405 && !hasACAO(pf.resp) {
		for _, id := range staticHosts {
			if a.has(id) {
				out = append(out, a.finding(CodeStaticOptions405, id, "preflight", true,
					fmt.Sprintf("%s answered the OPTIONS preflight 405 Method Not Allowed%s: nothing in front of the static file handler (or the proxied app) answers preflights, so the status is not 2xx and no CORS headers are sent", platforms[id].Name, allowNote(pf.resp)),
					"Answer OPTIONS with 204 and Access-Control-Allow-Origin: "+a.fixContext().Origin+", -Methods "+a.fixContext().methodList(", ")+", -Headers "+a.fixContext().headerList(", ")+"."))
				break
			}
		}
	}
	for _, id := range []string{idNginx, idApache} {
		if !a.has(id) {
			continue
		}
		withCORS := false
		for _, r := range a.obs.responses {
			if r.resp != nil && hasACAO(r.resp) {
				withCORS = true
			}
		}
		code := CodeNginxAddHeaderNoAlways
		what := "add_header applies only to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308 answers unless it ends with `always`"
		fix := "Add `always` to the CORS headers (and keep them in the same block: a nested add_header drops the parent's)."
		if id == idApache {
			code = CodeApacheHeaderNoAlways
			what = "`Header set` writes to the onsuccess table, which Apache drops for error answers; only `Header always set` reaches them"
			fix = "Make the CORS Header lines `Header always` (set, add or merge as today), so error answers carry them too."
		}
		if !withCORS {
			if f, ok := errorOnlySeen(a, id, code, what, fix); ok {
				out = append(out, f)
			} else if f, ok := nginxNoCORSHere(a, id); ok {
				out = append(out, f)
			}
			continue
		}
		for _, r := range a.obs.responses {
			if !missesAlways(id, &r) {
				continue
			}
			blocking := !strings.HasPrefix(r.step, "error-path")
			out = append(out, a.finding(code, id, r.step, blocking,
				fmt.Sprintf("%s sends the CORS headers on successful answers but not on this %d: %s, so every error reaches the page as a CORS error", platforms[id].Name, r.resp.Status, what),
				fix))
			// The server's rule: every error answer of it lacks them.
			for _, ep := range a.obs.errorPaths() {
				if missesAlways(id, ep) {
					a.explain(ep)
				}
			}
			break
		}
	}
	out = append(out, nginxAppTwice(a)...)
	if r := a.firstBlockedWithoutACAO(); r != nil && a.has(idKong) && !a.hasAny(idRESTAPI, idHTTPAPI) {
		why := "Kong passed the request to the upstream, which set no CORS headers"
		if strings.Contains(body(r.resp), "no Route matched") {
			why = "no Kong route matches " + r.request.Method + " on this path (routes restricted to other methods do not match OPTIONS)"
		}
		out = append(out, a.finding(CodeKongCORSPluginMissing, idKong, r.step, true,
			fmt.Sprintf("Kong answered the %s (%d) without CORS headers: %s. With the cors plugin on the route Kong answers preflights itself", r.step, r.resp.Status, why),
			"Enable the cors plugin on the route with origins "+a.fixContext().originsSaid()+"."))
	}
	for _, id := range []string{idIstio, idEnvoy} {
		if r := a.firstBlockedWithoutACAO(); r != nil && a.has(id) {
			out = append(out, a.finding(CodeEnvoyCORSPolicyMissing, id, r.step, true,
				fmt.Sprintf("%s answered the %s (%d) without CORS headers: no CORS policy matches this route and origin (or the cors filter is missing from the filter chain), so the request was routed to the backend, which set none", platforms[id].Name, r.step, r.resp.Status),
				"Add a CORS policy allowing "+a.fixContext().originsSaid()+" on the route (or add the origin to the policy that exists)."))
		}
	}
	return out
}

// errorOnlySeen is the missing `always` as a possibility: the server
// itself (no app recognised behind it) refused the request with an error
// and no answer corsdiag got was a success, so whether CORS lines exist
// cannot be seen. The question people ask is "CORS works, but not on my
// 401/404"; the edit changes nothing where there are no such lines.
func errorOnlySeen(a *analysis, id string, code cors.Code, what, fix string) (cors.Finding, bool) {
	if a.appFramework() != "" {
		return cors.Finding{}, false
	}
	for _, r := range a.obs.responses {
		if r.resp != nil && r.resp.Status < 400 {
			return cors.Finding{}, false
		}
	}
	for _, r := range []*response{a.obs.preflight(), a.obs.final()} {
		if !missesAlways(id, r) || !a.blocks(r.step) {
			continue
		}
		return a.finding(code, id, r.step, false,
			fmt.Sprintf("%s answered %d without CORS headers, and no answer seen here was a success. If your CORS lines work on successful answers, they lack `always`: %s", platforms[id].Name, r.resp.Status, what),
			fix), true
	}
	return cors.Finding{}, false
}

// missesAlways reports whether r is an error answer that the server id's
// CORS lines without `always` leave without Access-Control-Allow-Origin.
// A 405 to the preflight is static-options-405's: nothing answers OPTIONS.
func missesAlways(id string, r *response) bool {
	return r != nil && r.resp != nil && r.resp.Status >= 400 && !hasACAO(r.resp) &&
		!(r.resp.Status == 405 && r.step == "preflight") && skipsCORSLines(id, r.resp)
}

// skipsCORSLines reports whether the server id's CORS lines without
// `always` leave out the error answer m: nginx's add_header skips by status,
// whoever answered; Apache's `Header set` only the error pages it writes.
func skipsCORSLines(id string, m *cors.Message) bool {
	return id != idApache || apacheOwnError(m)
}

// apacheErrorDoctypes open the error page Apache writes itself
// (ap_send_error_response): 2.4.71's, and older 2.4's.
var apacheErrorDoctypes = []string{
	`<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN"`,
	`<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">`,
}

// apacheOwnError reports whether m is Apache's own error page, the answer
// `Header set` skips. A proxied backend's or a script's error is not one:
// on Apache 2.4.71 a ProxyPass backend's 404 carried the header of a
// `Header set` line (the onsuccess table is the backend's headers). Not
// the fingerprint's `<address>Apache/`: that is ServerSignature's line,
// absent from the recorded 2.4.71 page and present in autoindex listings.
func apacheOwnError(m *cors.Message) bool {
	b := strings.TrimSpace(body(m))
	for _, d := range apacheErrorDoctypes {
		if strings.HasPrefix(b, d) && strings.Contains(b, fmt.Sprintf("<title>%d ", m.Status)) {
			return true
		}
	}
	return false
}

// nginxNoCORSHere: nginx, alone (nothing recognised behind or in front
// of it), answered a success without CORS headers and no answer showed
// any. Either none are configured, or a location with add_header lines of
// its own dropped the server block's ("if and only if there are no
// add_header directives defined on the current level"): seen on nginx
// 1.22.1, / with the headers, /api/ with add_header Cache-Control and
// without them.
func nginxNoCORSHere(a *analysis, id string) (cors.Finding, bool) {
	if id != idNginx || len(a.detected) != 1 {
		return cors.Finding{}, false
	}
	for _, r := range []*response{a.obs.preflight(), a.obs.final()} {
		if !a.blockedWithoutACAO(r) || !is2xx(r.resp.Status) || refusal(r) != "" {
			continue
		}
		origin := a.fixContext().Origin
		return a.finding(CodeNginxNoCORSHere, id, r.step, true,
			fmt.Sprintf("nginx answered the %s %d without CORS headers: no add_header for them applies to this location and origin. Either none are configured; or an allow-list (a map or an if on $http_origin) does not match %s; or they are in the server (or http) block and this location (or an if in it) has add_header lines of its own, which drop every inherited one; or the application nginx passes the request to (proxy_pass, fastcgi_pass: the Server header is nginx's either way) sends none for it", r.step, r.resp.Status, origin),
			"Send the CORS headers, with `always`, for "+origin+" in the location that serves "+show(pathOf(r.request.URL))+" (an allow-list there: add it, keep the others); repeat there any server-level add_header it should keep. If an application behind that location sends Access-Control-Allow-Origin for other paths or origins, hide its copy there (proxy_hide_header, fastcgi_hide_header) or fix it in the application instead: two values are refused."), true
	}
	return cors.Finding{}, false
}

func allowNote(m *cors.Message) string {
	if v := header(m, "Allow"); v != "" {
		return " (Allow: " + show(v) + ")"
	}
	return ""
}

func nginxCors(c FixContext) string {
	cred := ""
	if c.Credentials {
		cred = "\n        add_header Access-Control-Allow-Credentials true always;"
	}
	credA := strings.ReplaceAll(cred, "\n        ", "\n    ")
	inherit := nginxInheritNote
	if c.keepsList() {
		// add_header appends: the location's own line and this one would
		// send the header twice.
		inherit += "    # in place of your Access-Control-Allow-Origin lines here (add_header\n" +
			"    # appends: two would send it twice)\n"
	}
	return fmt.Sprintf(`# http block, beside your server blocks: the exact origins allowed; any
# other maps to "" and gets no Access-Control-Allow-Origin (an empty
# value is not sent)
%s
location %s {
%s    # the preflight is answered here, before a static handler or the
    # proxy can refuse OPTIONS
    if ($request_method = OPTIONS) {
        add_header Access-Control-Allow-Origin $cors_origin always;
        add_header Access-Control-Allow-Methods "%s" always;
        add_header Access-Control-Allow-Headers "%s" always;%s
        add_header Access-Control-Max-Age 7200 always;
        add_header Vary Origin always;
        return 204;
    }
    # always: on 4xx/5xx answers too; repeat these in any nested block
    # that has its own add_header
    add_header Access-Control-Allow-Origin $cors_origin always;%s
    add_header Vary Origin always;
`+nginxLocationEnd, nginxOriginMap("$cors_origin", c.slotComment("    ", "#"), c.allowListOrigins(), "$http_origin"), nginxLocation(c.Path), inherit, c.methodList(", "), c.headerList(", "), cred, credA)
}

// nginxOriginMap is the http-block map that sets variable to value for a
// request from one of origins, and to "" for any other (add_header sends
// no empty value). A map, not if/set in the location: an if that matches
// runs the request in its own configuration, without the location's
// try_files. head goes first inside the block (comments).
func nginxOriginMap(variable, head string, origins []string, value string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "map $http_origin %s {\n    default \"\";\n%s", variable, head)
	for _, o := range origins {
		fmt.Fprintf(&b, "    \"%s\" %s;\n", o, value)
	}
	b.WriteString("}\n")
	return b.String()
}

// nginxLocationEnd closes the location of nginxCors.
const nginxLocationEnd = `    # ... your existing root or proxy_pass ...
}`

// nginxHideNote: nginx writes its own Server header over a proxied
// application's, so an answer from one looks like nginx's. add_header
// appends to what the application sent: one that sends the header for
// other paths or origins would send a second (nginx 1.22.1: two
// Access-Control-Allow-Origin lines, which the browser refuses). Left as
// a comment: a location's own proxy_hide_header drops the server block's.
const nginxHideNote = `    # if this location passes requests to an application (proxy_pass,
    # fastcgi_pass) that sends Access-Control-Allow-Origin itself for
    # other paths or origins, the browser gets two and refuses them:
    # hide the application's here (fastcgi_hide_header for
    # fastcgi_pass), and repeat the server block's proxy_hide_header
    # lines, which a location's own stop:
    # proxy_hide_header Access-Control-Allow-Origin;
`

// nginxInheritNote goes first in a location the snippet gives add_header
// lines: nginx inherits the server block's "if and only if there are no
// add_header directives defined on the current level".
const nginxInheritNote = `    # an add_header here stops the server block's add_header lines
    # (HSTS, CSP...) reaching this location: repeat them here too, or
    # add add_header_inherit merge; (nginx 1.29.3+)
`

// The `always` edits: each script says what it matches and why.
var (
	//go:embed snippets/nginx-add-always.sed
	nginxAlwaysScript string
	//go:embed snippets/apache-add-always.sed
	apacheAlwaysScript string

	nginxAlwaysSed  = sedInPlace(nginxAlwaysScript)
	apacheAlwaysSed = sedInPlace(apacheAlwaysScript)
)

// sedInPlace is the in-place GNU sed command running script (a file in
// snippets/, one command a line): comment lines dropped, the commands
// joined with ";" (none after a "{") for single quotes (the scripts hold none: a test says
// so). --follow-symlinks edits the file a sites-enabled link points to.
func sedInPlace(script string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(script), "\n") {
		if strings.HasPrefix(l, "#") {
			continue
		}
		if s := b.String(); s != "" && !strings.HasSuffix(s, "{") {
			b.WriteString(";")
		}
		b.WriteString(l)
	}
	return "sed -i --follow-symlinks -E '" + b.String() + "'"
}

// beforeFixDir makes $B, a new directory in the home that the files a fix
// edits are copied to as they were. Not a .bak beside each: include
// sites-enabled/* reads one as configuration (a second default_server
// fails nginx -t), and a second run, or a .bak of the user's own, would be
// overwritten with the edited file.
func beforeFixDir(server string) string {
	return fmt.Sprintf(`B=$(mktemp -d ~/%s-before-cors-fix.XXXXXX)`, server)
}

// editKeepingCopy edits the file F names (the user's, on the line
// before) after copying it to beforeFixDir. --follow-symlinks edits the
// file a sites-enabled link points to instead of replacing the link.
func editKeepingCopy(server, file, sed string) string {
	return fmt.Sprintf(`F=%s
%s && cp "$F" "$B"/ && %s "$F" && echo "the file as it was: $B"`,
		file, beforeFixDir(server), sed)
}

func nginxAddAlways(c FixContext) string {
	return fmt.Sprintf(`# your CORS add_header lines stay as they are (origins, variables,
# maps); each gets "always", so 4xx/5xx answers carry them too. F is
# the file that holds them; a copy of it as it was goes to a new
# directory in your home:
%s
nginx -t && nginx -s reload
# a block with add_header lines of its own (a nested location, an if)
# drops the parent's: repeat them there`,
		editKeepingCopy("nginx", "/etc/nginx/conf.d/YOUR_SITE.conf", nginxAlwaysSed))
}

func apacheAddAlways(c FixContext) string {
	return fmt.Sprintf(`# your CORS Header lines stay as they are (values, conditions); each
# becomes "Header always", so 4xx/5xx answers carry them too. A "Header
# set" line gets a "Header unset" of its name before it: a proxied
# backend's own copy is still replaced, not sent beside yours. F is the
# file that holds them; a copy of it as it was goes to a new directory
# in your home:
%s
apachectl configtest && apachectl graceful`,
		editKeepingCopy("apache2", "/etc/apache2/sites-enabled/YOUR_SITE.conf", apacheAlwaysSed))
}

// nginxLocation is the location a snippet goes in, from the request's
// path: the first directory as a prefix (/api/items → /api/, where an
// API's proxy_pass usually sits), an exact match for a file at the root
// (/items → = /items), and / for the root or a segment nginx would need
// quoted or would read as a modifier.
func nginxLocation(path string) string {
	seg, _, nested := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if seg == "" || seg == "." || seg == ".." || safeName(seg) != seg {
		return "/"
	}
	if nested {
		return "/" + seg + "/"
	}
	return "= /" + seg
}

func apacheCors(c FixContext) string {
	if c.Existing {
		// The Header lines that work on GET stay; OPTIONS gets its 204,
		// and the preflight's lists are merged into what is sent today.
		return fmt.Sprintf(`<IfModule mod_headers.c>
    # your CORS Header lines stay as they are, values and origins
    # included; make each one "Header always ..." so the 204 below
    # carries them, and merge the preflight's lists into them
    Header always merge Access-Control-Allow-Methods "%s"
    Header always merge Access-Control-Allow-Headers "%s"
</IfModule>
RewriteEngine On
RewriteCond %%{REQUEST_METHOD} =OPTIONS
RewriteRule ^ - [R=204,L]`, c.methodList(", "), c.headerList(", "))
	}
	cred := ""
	if c.Credentials {
		cred = "\n    Header always set Access-Control-Allow-Credentials \"true\" env=CORS_ORIGIN"
	}
	var re []string
	for _, o := range c.allowListOrigins() {
		re = append(re, regexp.QuoteMeta(o))
	}
	return fmt.Sprintf(`<IfModule mod_headers.c>
    # the exact origins allowed, echoed; any
    # other gets no Access-Control-Allow-Origin
    SetEnvIf Origin "^(%s)$" CORS_ORIGIN=$0
    # always: error answers (4xx/5xx) get the headers too
    Header always set Access-Control-Allow-Origin "%%{CORS_ORIGIN}e" env=CORS_ORIGIN
    Header always set Access-Control-Allow-Methods "%s"
    Header always set Access-Control-Allow-Headers "%s"%s
    Header always merge Vary Origin
</IfModule>
RewriteEngine On
RewriteCond %%{REQUEST_METHOD} =OPTIONS
RewriteRule ^ - [R=204,L]`, strings.Join(re, "|"), c.methodList(", "), c.headerList(", "), cred)
}

// corsAnswerHeaders are the CORS headers of an answer that two layers may
// each send.
var corsAnswerHeaders = []string{cors.HeaderAllowOrigin, cors.HeaderAllowCredentials, cors.HeaderAllowMethods,
	cors.HeaderAllowHeaders, cors.HeaderExposeHeaders, cors.HeaderMaxAge}

// nginxAppTwice: nginx and the application it passes the request to (a
// framework the fingerprints know, seen on the same answer) both sent
// Access-Control-Allow-Origin. nginx adds its add_header lines after the
// proxied answer's headers (nginx 1.22.1), so the first value is the
// application's. Run on nginx 1.22.1 in front of express 4.22.3 with cors
// 2.8.6: where the application's value allows the page, taking nginx's
// lines out left one header on the preflight, the answer, a 401 and a 404,
// credentials kept; hiding the application's (proxy_hide_header) left
// nginx's "*" alone, without credentials, and its add_header without
// `always` left the 401 and 404 with no header at all. Where only nginx's
// allows the page (a map of origins with credentials, in front of a bare
// cors() sending "*"), hiding the application's copy is the fix.
func nginxAppTwice(a *analysis) []cors.Finding {
	app := a.appFramework()
	if app == "" || !a.has(idNginx) {
		return nil
	}
	for _, r := range []*response{a.obs.preflight(), a.obs.final()} {
		if r == nil || r.resp == nil {
			continue
		}
		vals := cors.Values(r.resp, cors.HeaderAllowOrigin)
		nginxMarks, appMarks := marksOf(a, r, idNginx), marksOf(a, r, app)
		if len(vals) != 2 || len(nginxMarks) == 0 || len(appMarks) == 0 {
			continue
		}
		req := a.obs.req
		// Each layer's Allow-Credentials is judged with its own Allow-Origin:
		// the application's comes first, as its Allow-Origin does. One
		// alone goes with both values (which layer sent it is not known).
		acac := cors.Values(r.resp, cors.HeaderAllowCredentials)
		alone := func(v string, cred []string) bool { return cors.AccessAllowed([]string{v}, cred, req) }
		appOK, nginxOK := alone(vals[0], acac[:min(len(acac), 1)]), alone(vals[1], acac[max(len(acac)-1, 0):])
		c := a.fixContext()
		c.Twice = nil
		for _, name := range corsAnswerHeaders {
			for _, x := range []*response{a.obs.preflight(), a.obs.final()} {
				if x != nil && x.resp != nil && len(cors.Values(x.resp, name)) == 2 && !slices.Contains(c.Twice, name) {
					c.Twice = append(c.Twice, name)
				}
			}
		}
		appName, names := platforms[app].Name, strings.Join(c.Twice, ", ")
		with := ""
		if req.Credentials {
			with = ", with credentials"
		}
		msg := fmt.Sprintf("nginx (%s) passed the %s to the application, %s (%s), and both sent Access-Control-Allow-Origin: the application's %s first, nginx's %s after it (nginx adds its add_header lines after the proxied answer's headers). ",
			nginxMarks[0], stepWords(r.step), appName, appMarks[0], show(vals[0]), show(vals[1]))
		// An error answer of the application with its value alone: it
		// answers errors itself, and nginx's lines lack always.
		errNote := ""
		for _, ep := range a.obs.errorPaths() {
			if ep.resp == nil || ep.resp.Status < 400 || len(marksOf(a, ep, app)) == 0 {
				continue
			}
			if v := cors.Values(ep.resp, cors.HeaderAllowOrigin); len(v) == 1 && v[0] == vals[0] {
				errNote = fmt.Sprintf(" (the %d to %s carried it alone: nginx's lines skip error answers)", ep.resp.Status, show(pathOf(ep.request.URL)))
			}
		}
		if nginxOK && !appOK {
			return []cors.Finding{a.finding(CodeNginxAppCORSNotHidden, idNginx, r.step, true,
				msg+fmt.Sprintf("Only nginx's allows this page%s: the application's does not, so taking nginx's lines out would not help. Hiding the application's copy in nginx leaves nginx's alone; other origins that got the application's value then get none (list them in nginx's allow-list if they need one)", with),
				fmt.Sprintf("Hide the application's %s in the nginx location that passes requests to it (proxy_hide_header), and give nginx's CORS add_header lines `always`, so the application's error answers carry nginx's. Or correct %s's CORS configuration and take nginx's lines out.", names, appName))}
		}
		// Only an error answer seen with the application's value alone
		// shows that it answers its errors too.
		if errNote != "" {
			errNote = ", and the application answers its errors with it too" + errNote
		}
		why := fmt.Sprintf("The application's value allows this page on its own%s%s: nginx's copy is the one to take away. Hiding the application's instead (proxy_hide_header) would leave nginx's %s", with, errNote, show(vals[1]))
		if !nginxOK {
			why += ", which does not allow this page"
		} else if errNote != "" {
			why += ", and no header at all on the errors nginx's lines skip"
		}
		fix := fmt.Sprintf("Comment out nginx's add_header lines for %s in the location that passes requests to %s: the application answers CORS itself, on preflights and errors too.", names, appName)
		if !appOK {
			why = fmt.Sprintf("Neither value allows this page on its own%s: take nginx's copy away, and allow %s in the application's CORS configuration", with, c.Origin)
			fix = fmt.Sprintf("Comment out nginx's add_header lines for %s in the location that passes requests to %s, and add %s to the application's CORS configuration.", names, appName, c.Origin)
		}
		return []cors.Finding{a.finding(CodeNginxDuplicatesApp, idNginx, r.step, true, msg+why, fix)}
	}
	return nil
}

// marksOf is the evidence the fingerprints give for platform id on r: the
// marks detection weighed, to name the layer in a message.
func marksOf(a *analysis, r *response, id string) []string {
	var out []string
	for _, fp := range fingerprints {
		for _, s := range fp(a.obs, r) {
			if s.platform == id {
				out = append(out, s.evidence)
			}
		}
	}
	return out
}

var (
	//go:embed snippets/nginx-keep-app-cors.conf
	nginxKeepAppConf string
	//go:embed snippets/nginx-hide-app-cors.conf
	nginxHideAppConf string

	nginxKeepAppTmpl = template.Must(template.New("keep").Parse(nginxKeepAppConf))
	nginxHideAppTmpl = template.Must(template.New("hide").Parse(nginxHideAppConf))
)

// nginxTwiceSnippet fills t with the location of the request's path and
// the headers both layers sent (Access-Control-Allow-Origin when unknown).
func nginxTwiceSnippet(t *template.Template, c FixContext) string {
	names := c.Twice
	if len(names) == 0 {
		names = []string{cors.HeaderAllowOrigin}
	}
	var b strings.Builder
	if err := t.Execute(&b, struct {
		Location string
		Names    []string
	}{nginxLocation(c.Path), names}); err != nil {
		panic("platform: " + err.Error()) // the templates are tested
	}
	return b.String()
}
