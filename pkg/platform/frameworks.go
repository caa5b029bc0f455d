package platform

// Application frameworks where they leave a mark (Express, Spring,
// ASP.NET), the middleware-order cause, and the middleware snippets every
// other family reuses for "set it in the backend" (Express, Spring, ASP.NET
// Core, Go net/http).

import (
	"fmt"
	"slices"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

const (
	idExpress = "express"
	idSpring  = "spring"
	idASPNet  = "aspnet"
)

// Framework finding codes.
const (
	CodeMiddlewareOrder    cors.Code = "middleware-order-auth-before-cors"
	CodeSpringOriginDenied cors.Code = "spring-cors-origin-rejected"
	CodeExpressNoCORS      cors.Code = "express-cors-middleware-missing"
)

func init() {
	registerPlatforms(
		platformInfo{idExpress, "Express (Node.js)", tierApp, FormatExpress},
		platformInfo{idSpring, "Spring Boot", tierApp, FormatSpring},
		platformInfo{idASPNet, "ASP.NET", tierApp, FormatASPNet},
	)
	fingerprints = append(fingerprints, frameworkFingerprint)
	causes = append(causes, frameworkCauses)
	cors.Register(
		cors.Info{Code: CodeMiddlewareOrder, Severity: cors.SeverityError, Title: "The CORS middleware runs after authentication", Spec: "Fetch §CORS-preflight fetch (a preflight never carries credentials)",
			Fix: "Register the CORS middleware before authentication and error handling, so OPTIONS preflights are answered before anything can reject them."},
		cors.Info{Code: CodeSpringOriginDenied, Severity: cors.SeverityError, Title: "Spring's CORS processor rejected the origin (403 Invalid CORS request)", Spec: "Spring Framework DefaultCorsProcessor",
			Fix: "Add the page's origin to allowedOrigins (or allowedOriginPatterns), and the method and headers to allowedMethods/allowedHeaders."},
		cors.Info{Code: CodeExpressNoCORS, Severity: cors.SeverityError, Title: "Express answered without CORS headers: no cors middleware on this route", Spec: "expressjs/cors",
			Fix: "Add the cors middleware before the routes: app.use(cors({ origin: 'https://app.example.com' }))."},
	)
	addFixes(CodeMiddlewareOrder,
		fixBuilder{FormatExpress, "Express: your cors() moved before the auth middleware", expressMoveFirst},
		fixBuilder{FormatSpring, "Spring Security: your CORS configuration in the filter chain", springMoveFirst},
		fixBuilder{FormatASPNet, "ASP.NET Core: your UseCors moved between UseRouting and UseAuthentication", aspnetMoveFirst},
		fixBuilder{FormatGo, "Go net/http: your CORS handler wraps the auth handler", goMoveFirst},
	)
	addFixes(CodeSpringOriginDenied, fixBuilder{FormatSpring, "Spring: add to the CorsConfiguration you have", func(c FixContext) string {
		return springAdds(c, "")
	}})
	addFixes(CodeExpressNoCORS, fixBuilder{FormatExpress, "the cors middleware, registered first", expressCors})
}

func frameworkFingerprint(o *observation, r *response) []signal {
	if r == nil {
		return nil
	}
	b := strings.TrimSpace(body(r.resp))
	var out []signal
	pb := strings.ToLower(r.header("X-Powered-By"))
	switch {
	case strings.Contains(pb, "express"):
		out = append(out, signal{idExpress, 3, "X-Powered-By: " + show(r.header("X-Powered-By"))})
	case strings.Contains(pb, "asp.net"):
		out = append(out, signal{idASPNet, 3, "X-Powered-By: " + show(r.header("X-Powered-By"))})
	}
	if strings.HasPrefix(b, "<!DOCTYPE html>") && strings.Contains(b, "<pre>Cannot ") {
		out = append(out, signal{idExpress, 3, "Express's default 404 page (<pre>Cannot METHOD /path</pre>)"})
	}
	if r.hasHeader("X-AspNet-Version") || r.hasHeader("X-AspNetMvc-Version") {
		out = append(out, signal{idASPNet, 3, "header X-AspNet-Version"})
	}
	if strings.EqualFold(r.header("Server"), "Kestrel") {
		out = append(out, signal{idASPNet, 3, "Server: Kestrel (ASP.NET Core)"})
	}
	if strings.HasPrefix(b, "{") && strings.Contains(b, `"timestamp"`) && strings.Contains(b, `"status"`) && strings.Contains(b, `"error"`) && strings.Contains(b, `"path"`) {
		out = append(out, signal{idSpring, 3, "Spring Boot's JSON error body (timestamp, status, error, path)"})
	}
	if springRejected(r.resp) {
		out = append(out, signal{idSpring, 3, `body "` + springRejection + `" (Spring's DefaultCorsProcessor)`})
	}
	if r.header("X-Frame-Options") == "DENY" && r.header("X-XSS-Protection") == "0" && strings.Contains(r.header("Cache-Control"), "must-revalidate") && r.header("Expires") == "0" {
		out = append(out, signal{idSpring, 2, "Spring Security's default headers (X-XSS-Protection: 0, X-Frame-Options: DENY, Expires: 0)"})
	}
	return out
}

// springRejection is the whole body Spring's DefaultCorsProcessor answers
// a request whose origin, method or headers its configuration refuses.
const springRejection = "Invalid CORS request"

// springRejected reports whether m is that answer: the fingerprint knows
// Spring by it, and the cause reads it as a refusal, not a missing config.
func springRejected(m *cors.Message) bool {
	return strings.TrimSpace(body(m)) == springRejection
}

// appFramework is the framework recognised with at least medium confidence.
func (a *analysis) appFramework() string {
	for _, id := range []string{idExpress, idSpring, idASPNet} {
		if a.sure(id) {
			return id
		}
	}
	return ""
}

func frameworkCauses(a *analysis) []cors.Finding {
	fw := a.appFramework()
	if fw == "" || a.hasAny(idRESTAPI, idHTTPAPI, idAPIM, idKong, idGoogleAPIGateway) {
		// A gateway in front answers preflights; its causes explain them.
		return nil
	}
	pf := a.obs.preflight()
	var out []cors.Finding
	if pf != nil && pf.resp != nil && !hasACAO(pf.resp) {
		st := pf.resp.Status
		switch {
		case fw == idSpring && springRejected(pf.resp):
			out = append(out, a.finding(CodeSpringOriginDenied, fw, "preflight", true,
				fmt.Sprintf("Spring's CORS processor answered the preflight 403 \"Invalid CORS request\": a CORS configuration exists, but %s, method %s or headers %s are not in it", a.fixContext().Origin, a.fixContext().Method, a.fixContext().headerList(", ")),
				"Add "+a.fixContext().Origin+" to allowedOrigins, "+a.fixContext().Method+" to allowedMethods and "+a.fixContext().headerList(", ")+" to allowedHeaders."))
		case st == 401 || st == 403:
			out = append(out, a.finding(CodeMiddlewareOrder, fw, "preflight", true,
				fmt.Sprintf("%s answered the OPTIONS preflight %d without CORS headers: authentication ran before the CORS middleware. Browsers never send credentials on a preflight, so it can never pass authentication", platforms[fw].Name, st),
				"Register CORS before authentication so it answers OPTIONS first."))
		case fw == idExpress && (is2xx(st) || st == 404) && refusal(pf) == "":
			out = append(out, a.finding(CodeExpressNoCORS, fw, "preflight", true,
				fmt.Sprintf("Express answered the preflight %d without CORS headers (its automatic OPTIONS answer or 404): no cors middleware runs for this path", st),
				"app.use(cors({ origin: '"+a.fixContext().Origin+"' })) before the routes."))
		}
	}
	fin := a.obs.final()
	// Vary: Origin without the header is the cors package refusing the
	// origin (origin-not-in-allow-list), not a missing middleware.
	if fw == idExpress && len(out) == 0 && a.blockedWithoutACAO(fin) && refusal(fin) == "" && refusal(pf) == "" && header(fin.request, "Origin") != "null" {
		why := "no cors middleware runs for this route (or it runs after the handler or error handler that answered)"
		fix := "app.use(cors({ origin: '" + a.fixContext().Origin + "' })) before the routes and the error handler."
		if ep := expressCORSAfter(a); ep != nil {
			why = fmt.Sprintf("the cors middleware answers elsewhere (the %d to %s carried Access-Control-Allow-Origin), so it is registered after the route or error handler that answered here", ep.resp.Status, show(pathOf(ep.request.URL)))
			fix = "Move your app.use(cors(...)) above the routes and the error handler, options unchanged."
		}
		out = append(out, a.finding(CodeExpressNoCORS, fw, fin.step, true,
			fmt.Sprintf("Express answered %d without Access-Control-Allow-Origin: %s", fin.resp.Status, why), fix))
	}
	return out
}

// expressCORSAfter is an error-path answer of Express that carries
// Access-Control-Allow-Origin: a path no route matches falls through to a
// cors() registered after the routes (seen on express 4.22 with cors 2.8:
// the 404 "Cannot GET" has the header, the route's 200 not). Express's is
// known as detection knows it (X-Powered-By, or its 404 page when
// app.disable('x-powered-by') hides the header).
func expressCORSAfter(a *analysis) *response {
	for _, ep := range a.obs.errorPaths() {
		if ep.resp == nil || !hasACAO(ep.resp) {
			continue
		}
		for _, s := range frameworkFingerprint(a.obs, ep) {
			if s.platform == idExpress {
				return ep
			}
		}
	}
	return nil
}

// ---- snippets shared by every family that says "set it in the backend" ----
//
// They add a CORS middleware where none answers. When an answer showed a
// CORS configuration (c.Existing), they keep its lists: the origins known
// allowed stay beside the page's, and methods and headers are added to,
// never replaced.

// corsPackageMethods is the cors package's default methods option
// (expressjs/cors): an app-wide middleware listing fewer would answer the
// preflights of the app's other routes without their methods.
var corsPackageMethods = []string{"GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"}

// expressCors registers a cors middleware for the whole app. It calls
// require('cors') in place: a file that declares cors already stops with a
// SyntaxError on a second const (express 4.22, cors 2.8); an ES module
// follows expressESMNote. Its methods and allowedHeaders stay cors's
// defaults (the headers a preflight asks for are echoed, for the listed
// origins only): the page's alone would refuse the preflights that other
// routes pass today through their own cors().
func expressCors(c FixContext) string {
	lists := fmt.Sprintf(`  // methods, allowedHeaders: cors's defaults (GET, HEAD, PUT, PATCH,
  // POST, DELETE; the headers each preflight asks for: here
  // %s), so the preflights of your other routes still pass`, c.headerList(", "))
	var extra []string
	for _, m := range c.Methods {
		if m != "OPTIONS" && !slices.Contains(corsPackageMethods, m) {
			extra = append(extra, m)
		}
	}
	if len(extra) > 0 {
		lists = fmt.Sprintf(`  methods: [%s],
  // allowedHeaders: cors's default (the headers each preflight asks
  // for: here %s), so the preflights of your other routes still pass`, singleQuoted(append(slices.Clip(corsPackageMethods), extra...)), c.headerList(", "))
	}
	head := ""
	if c.Existing {
		head = "// allowedOrigins: the origins your code allows today; keep them all\n"
		lists = fmt.Sprintf(`  // methods, allowedHeaders: keep yours; add %s and %s
  // if you list them`, c.Method, c.headerList(", "))
	}
	return fmt.Sprintf(`%s// first: before auth, routers and error handlers, so OPTIONS is answered and
// errors carry the headers (npm install cors; require('cors') here,
// whether or not the file declares cors)
%s
app.use(require('cors')({
  origin: [%s],
%s
  credentials: %s
  maxAge: 7200,
}));
%s`, head, expressESMNote, c.jsOrigins(), lists, c.credentials("//", ","), expressBelow)
}

// expressBelow says where the app's own middleware goes, as a comment: a
// pasted authenticate or apiRouter the file lacks throws at startup.
const expressBelow = `// your auth, routers and error handlers stay below it, as they are,
// such as: app.use(authenticate); app.use('/api', apiRouter);`

func springCors(c FixContext) string {
	config := fmt.Sprintf(`    cors.setAllowedOrigins(List.of(%s));
    cors.setAllowedMethods(List.of(%s));
    cors.setAllowedHeaders(List.of(%s));`, c.quotedOrigins(), quoteList(c.Methods), quoteList(c.Headers))
	if c.Existing {
		config = springAdds(c, "    ")
	}
	return fmt.Sprintf(`%s

@Bean
UrlBasedCorsConfigurationSource corsConfigurationSource() {
    CorsConfiguration cors = new CorsConfiguration();
%s
    cors.setAllowCredentials(%s
    cors.setMaxAge(7200L);
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/**", cors);
    return source;
}
// without Spring Security, register it as a filter instead:
// @Bean CorsFilter corsFilter() {
//     return new CorsFilter(corsConfigurationSource()); }`, springSecurityCors, config, c.credentials("//", ");"))
}

// springAdds adds the page's origin, method and headers to a Spring
// CorsConfiguration that has lists of its own: add* calls append.
func springAdds(c FixContext, indent string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%[1]s// your CorsConfiguration as it is today (its origins, methods and\n"+
		"%[1]s// headers stay); add* appends, set* would replace\n", indent)
	for _, o := range c.allowListOrigins() {
		fmt.Fprintf(&b, "%scors.addAllowedOrigin(%q);\n", indent, o)
	}
	for _, m := range c.Methods {
		fmt.Fprintf(&b, "%scors.addAllowedMethod(%q);\n", indent, m)
	}
	for _, h := range c.Headers {
		fmt.Fprintf(&b, "%scors.addAllowedHeader(%q);\n", indent, h)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func aspnetCors(c FixContext) string {
	cred := ""
	if c.Credentials {
		cred = "\n              .AllowCredentials()"
	}
	origins, keep := c.quotedOrigins(), ""
	if c.Existing {
		// Two calls: a params string[] takes the array or the strings,
		// not both; WithOrigins appends, so the second adds the page's.
		origins = "existingOrigins /* the origins your policy allows today */)\n     .WithOrigins(" + origins
		keep = "// your policy's methods, headers and AllowCredentials stay: these\n" +
			"// calls add to them\n"
	}
	return keep + fmt.Sprintf(`builder.Services.AddCors(o => o.AddPolicy("page", p =>
    p.WithOrigins(%s)
     .WithMethods(%s)
     .WithHeaders(%s)%s
     .SetPreflightMaxAge(TimeSpan.FromHours(2))));

var app = builder.Build();
app.UseRouting();
// after UseRouting, before UseAuthentication/UseAuthorization
app.UseCors("page");
app.UseAuthentication();
app.UseAuthorization();
app.MapControllers();`, origins, quoteList(c.Methods), quoteList(c.Headers), cred)
}

func goCors(c FixContext) string {
	var origins strings.Builder
	origins.WriteString(c.slotComment("\t", "//"))
	for _, o := range c.allowListOrigins() {
		fmt.Fprintf(&origins, "\t%q: true,\n", o)
	}
	return fmt.Sprintf(`var allowedOrigins = map[string]bool{
%s}

// withCORS answers preflights and adds the headers to every answer,
// errors included; wrap it outside the auth handler so OPTIONS never
// meets auth.
func withCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		if origin := r.Header.Get("Origin"); allowedOrigins[origin] {
			h.Set("Access-Control-Allow-Origin", origin)
			if %s
				h.Set("Access-Control-Allow-Credentials", "true")
			}
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", %q)
			h.Set("Access-Control-Allow-Headers", %q)
			h.Set("Access-Control-Max-Age", "7200")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// http.ListenAndServe(":8080", withCORS(requireAuth(mux)))`, origins.String(), c.credentials("//", " {"), c.methodList(", "), c.headerList(", "))
}

// ---- the middleware-order fix: the CORS middleware that exists, moved ----
//
// Auth answered the preflight before CORS could: the CORS configuration
// is there and may be right. The fix moves it, options unchanged; a new
// one-origin list would drop the origins that work today.

// addIfMissing says what to add to the moved configuration if the page's
// origin, method or headers are not in it yet.
func (c FixContext) addIfMissing(mark, where string) string {
	return fmt.Sprintf("%[1]s if %[2]s is not in %[3]s\n"+
		"%[1]s yet, add it there (keep the others), and %[4]s and\n"+
		"%[1]s %[5]s if you list methods and headers", mark, c.Origin, where, c.Method, c.headerList(", "))
}

func expressMoveFirst(c FixContext) string {
	return fmt.Sprintf(`// your cors middleware, options unchanged, moved above authentication:
// OPTIONS preflights are answered before auth can refuse them, and
// auth's 401s carry the headers
app.use(cors(corsOptions));   // your existing options, now before auth
%s
%s`, expressBelow, c.addIfMissing("//", "corsOptions.origin"))
}

func springMoveFirst(c FixContext) string {
	return springSecurityCors + "\n" + c.addIfMissing("//", "its allowedOrigins")
}

// springSecurityCors puts CORS in the user's own SecurityFilterChain:
// Spring Security's CorsFilter then answers a preflight before
// authentication ("CORS must be processed before Spring Security", Spring
// Security reference, CORS). A chain declared by the fix would replace the
// user's authorization rules, login and CSRF settings.
const springSecurityCors = `// in the SecurityFilterChain you build today, one call added before
// the others; its authorizeHttpRequests, login, CSRF and session
// settings stay as they are. It uses your corsConfigurationSource bean
// (or addCorsMappings) as it is today; the CorsFilter then answers
// preflights before authentication
http.cors(Customizer.withDefaults());`

func aspnetMoveFirst(c FixContext) string {
	return fmt.Sprintf(`// your AddCors policy stays as it is; only the order of the middleware
// changes
var app = builder.Build();
app.UseRouting();
// your existing policy, now after UseRouting and before authentication
app.UseCors("YOUR_POLICY");
app.UseAuthentication();
app.UseAuthorization();
app.MapControllers();
%s`, c.addIfMissing("//", "the policy's WithOrigins"))
}

func goMoveFirst(c FixContext) string {
	return fmt.Sprintf(`// your CORS handler, unchanged, now wraps the auth handler so OPTIONS
// never meets auth (it was the other way round:
// requireAuth(yourCORS(mux)))
func serve(mux http.Handler) error {
	return http.ListenAndServe(":8080", yourCORS(requireAuth(mux)))
}
%s`, c.addIfMissing("//", "its allowed origins"))
}

// expressESMNote is the line for an ES module ("type": "module", .mjs), where a
// pasted require throws a ReferenceError; no one form loads cors in both kinds.
const expressESMNote = "// ES module (.mjs, \"type\": \"module\"): import cors from 'cors' at the\n" +
	"// top, and call cors, not require('cors')"
