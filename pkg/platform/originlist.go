package platform

// A CORS layer that runs and refused the page's origin. Express's cors
// package (expressjs/cors configureOrigin), Spring's CorsFilter, ASP.NET
// Core's CORS middleware, rs/cors and most hand-written middleware answer an
// origin outside their list with Vary: Origin and no
// Access-Control-Allow-Origin; on a preflight they still send
// Access-Control-Allow-Methods/-Headers. That is an allow-list miss, not a
// missing middleware, and the fix adds the origin to the list the layer
// already has: a new list would drop the origins that work today.

import (
	"fmt"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// CodeOriginNotAllowed is an allow-list miss.
const CodeOriginNotAllowed cors.Code = "origin-not-in-allow-list"

func init() {
	cors.Register(cors.Info{Code: CodeOriginNotAllowed, Severity: cors.SeverityError,
		Title: "A CORS layer runs here and refused this origin: it is not in the allow-list",
		Spec:  "Fetch §CORS check step 2; Fetch §CORS protocol and HTTP caches (Vary: Origin)",
		Fix:   "Add the page's origin to the list of allowed origins the CORS configuration already has; keep the origins that are there."})
	causes = append(causes, allowListCauses)
	pages[CodeOriginNotAllowed] = pageText{
		Platform: "any CORS layer with an allow-list: Express's cors package, Spring, ASP.NET Core, rs/cors, API gateways",
		Explains: cors.CodeMissingAllowOrigin,
		Browser:  "The server answers, and marks the answer `Vary: Origin` (on a preflight, it may even send `Access-Control-Allow-Methods` and `-Headers`), but sends no `Access-Control-Allow-Origin`. The browser blocks the response: the console line is the one for a missing header.",
		Why:      "A CORS layer runs and compared the request's `Origin` with its list of allowed origins; this origin is not in it, so it left the header out. Nothing is missing from the server: the list is. Typical after a new deployment (staging, a preview URL, a new domain) or an origin spelled differently (`http` instead of `https`, a port, `www.`, a trailing slash: `cors({ origin: ['https://app.example.com/'] })` never matches, the Origin has no slash and is compared whole; verified on express 4.22.3 with cors 2.8.6).",
		Example:  "HTTP/1.1 200 OK\nX-Powered-By: Express\nVary: Origin\nContent-Type: application/json; charset=utf-8\n\n[]",
		Confirm:  "Send the same request with an origin the server does allow: `corsdiag check URL --origin https://staging.example.com --compare-origin https://app.example.com`. The report says which one gets `Access-Control-Allow-Origin`. Then find the list in the configuration (`cors({ origin: [...] })`, `allowedOrigins`, `WithOrigins(...)`, the `CORS_ORIGINS` environment variable).",
		Detect:   "The answer at the reported step has no `Access-Control-Allow-Origin` but `Vary: Origin`, or it is a 2xx preflight answer with other `Access-Control-Allow-*` headers. corsdiag then sends the same safe request (the preflight, or a GET) once more with the API's own origin, or with each `--compare-origin`, and shows which origins get the header. S3, HTTP APIs and Spring's `Invalid CORS request` have causes of their own.",
		Related:  []cors.Code{CodeExpressNoCORS, CodeS3CORSRuleMismatch, CodeHTTPAPINotConfigured},
	}
	addFixes(CodeOriginNotAllowed,
		fixBuilder{FormatExpress, "the cors middleware's origin list, with this origin added", expressAddOrigin},
		fixBuilder{FormatSpring, "Spring: add the origin to the CorsConfiguration", springAddOrigin},
		fixBuilder{FormatASPNet, "ASP.NET Core: add the origin to the policy", aspnetAddOrigin},
		fixBuilder{FormatGo, "Go: add the origin to the allow-list", goAddOrigin},
	)
}

// refusal says why a response shows a CORS layer that refused the origin,
// or "" when it does not.
func refusal(r *response) string {
	if r == nil {
		return ""
	}
	return cors.Refusal(r.resp, r.step == "preflight")
}

// ownAllowListCodes are platforms with a cause of their own for the same
// miss (S3's "This CORS request is not allowed", the HTTP API's
// CorsConfiguration, Spring's "Invalid CORS request").
func (a *analysis) ownAllowListCause() bool {
	if a.hasAny(idS3, idS3Website, idHTTPAPI) {
		return true
	}
	pf := a.obs.preflight()
	return pf != nil && strings.TrimSpace(body(pf.resp)) == "Invalid CORS request"
}

func allowListCauses(a *analysis) []cors.Finding {
	rep := a.diag.Reported()
	if rep == nil || (rep.Code != cors.CodePreflightMissingAllowOrigin && rep.Code != cors.CodeMissingAllowOrigin) || a.ownAllowListCause() {
		return nil
	}
	var r *response
	for i := range a.obs.responses {
		if a.obs.responses[i].step == rep.Step {
			r = &a.obs.responses[i]
		}
	}
	why := refusal(r)
	if why == "" || header(r.request, "Origin") == "null" {
		// A null Origin is a redirect's doing, not the list's.
		return nil
	}
	origin := a.fixContext().Origin
	allowed, refused := a.compared()
	msg := fmt.Sprintf("a CORS layer answers here, and it refused %s: %s. It checks the Origin against a list, and this origin is not in it (no middleware is missing)", origin, why)
	switch {
	case len(allowed) > 0:
		msg += fmt.Sprintf(". The same request from %s got Access-Control-Allow-Origin: the server allows %s, not %s", allowed[0], strings.Join(allowed, " and "), origin)
	case len(refused) > 0:
		msg += fmt.Sprintf(". The same request from %s was refused too", strings.Join(refused, " and "))
	}
	// The list's entry may be there, misspelled: the most common is
	// origin: ['http://localhost:3000/'] (cors compares the whole string).
	msg += fmt.Sprintf(". If the list seems to hold it, check the spelling: the Origin is compared whole, so '%s/' (a trailing slash), another scheme or a port does not match", origin)
	id := a.appFramework()
	if id == "" && a.has(idNginx) {
		id = idNginx
	}
	f := a.finding(CodeOriginNotAllowed, id, rep.Step, true, msg,
		"Add "+origin+" exactly so (no trailing slash, no path) to the allowed origins of the CORS configuration, next to the ones already there (a new list would drop them); an entry that differs only by a trailing slash is this one misspelled: correct it in place.")
	return []cors.Finding{f}
}

// compared sorts the comparison requests into origins the server allowed
// and origins it refused.
func (a *analysis) compared() (allowed, refused []string) {
	if a.in.Exchange == nil {
		return nil, nil
	}
	for _, c := range a.in.Exchange.Compared {
		if c.Hop.Response == nil {
			continue
		}
		switch acao := header(c.Hop.Response, cors.HeaderAllowOrigin); {
		case acao == c.Origin || acao == "*":
			allowed = appendUnique(allowed, c.Origin)
		case acao == "":
			refused = appendUnique(refused, c.Origin)
		}
	}
	return allowed, refused
}

// allowListOrigins is the list a snippet shows: the origins known to be
// allowed today, then the page's.
func (c FixContext) allowListOrigins() []string {
	var out []string
	for _, o := range c.AllowedOrigins {
		out = appendUnique(out, o)
	}
	return appendUnique(out, c.Origin)
}

// keepNote says where the list of origins allowed today comes from.
func (c FixContext) keepNote(comment string) string {
	if len(c.AllowedOrigins) > 0 {
		return comment + " " + strings.Join(c.AllowedOrigins, ", ") + " is allowed today (corsdiag saw it):\n" +
			comment + " keep it, and every other origin already listed"
	}
	return comment + " keep the origins already listed: this adds one"
}

func expressAddOrigin(c FixContext) string {
	list := singleQuoted(c.allowListOrigins())
	note := c.keepNote("//")
	if len(c.AllowedOrigins) == 0 {
		list = jsExistingOrigins + ", " + singleQuoted([]string{c.Origin})
		note = "// allowedOrigins: the array cors() is given today; keep it and add\n// the page's origin"
	}
	return fmt.Sprintf(`%s
app.use(cors({
  origin: [%s],
  // methods, allowedHeaders, credentials: unchanged
}));`, note, list)
}

func springAddOrigin(c FixContext) string {
	return fmt.Sprintf(`%s
// in the CorsConfiguration you register today
// (WebMvcConfigurer.addCorsMappings or a CorsConfigurationSource):
// adds to setAllowedOrigins(...); does not replace it
cors.addAllowedOrigin("%s");`, c.keepNote("//"), c.Origin)
}

func aspnetAddOrigin(c FixContext) string {
	existing := "existingOrigins /* the origins listed today */"
	if len(c.AllowedOrigins) > 0 {
		existing = quoteList(c.AllowedOrigins)
	}
	return fmt.Sprintf(`%s
// one more call in the policy you register today:
// WithOrigins adds to the origins, it does not replace them
builder.Services.AddCors(o => o.AddPolicy("page", p =>
    p.WithOrigins(%s)
     .WithOrigins(%q)));`, c.keepNote("//"), existing, c.Origin)
}

func goAddOrigin(c FixContext) string {
	var b strings.Builder
	for _, o := range c.AllowedOrigins {
		fmt.Fprintf(&b, "\t%q: true,\n", o)
	}
	if len(c.AllowedOrigins) == 0 {
		b.WriteString("\t// ... the origins allowed today stay here\n")
	}
	return fmt.Sprintf(`%s
var allowedOrigins = map[string]bool{
%s	%q: true,
}`, c.keepNote("//"), b.String(), c.Origin)
}
