package platform

// CDNs and hosting platforms: Cloudflare, Vercel, Netlify, Firebase
// Hosting. Their common CORS failure is a cached answer that does not vary
// on Origin. Sources: Cloudflare cache docs (cf-cache-status), Vercel
// (x-vercel-id, x-vercel-cache, vercel.json headers), Netlify
// (x-nf-request-id, _headers), Firebase Hosting (firebase.json headers).

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

const (
	idCloudflare = "cloudflare"
	idVercel     = "vercel"
	idNetlify    = "netlify"
	idFirebase   = "firebase-hosting"
)

// CodeCDNCacheNoVary is the cached-without-Vary cause of any CDN but
// CloudFront (which has its own).
const CodeCDNCacheNoVary cors.Code = "cdn-cache-without-vary-origin"

func init() {
	registerPlatforms(
		platformInfo{idCloudflare, "Cloudflare", tierCDN, FormatCloudflare},
		platformInfo{idVercel, "Vercel", tierCDN, FormatVercel},
		platformInfo{idNetlify, "Netlify", tierCDN, FormatNetlify},
		platformInfo{idFirebase, "Firebase Hosting", tierCDN, FormatFirebase},
	)
	fingerprints = append(fingerprints, cdnFingerprint)
	causes = append(causes, cdnCauses)
	cors.Register(cors.Info{Code: CodeCDNCacheNoVary, Severity: cors.SeverityError, Title: "A CDN cached a CORS answer without Vary: Origin", Spec: "Fetch §CORS protocol and HTTP caches",
		Fix: "Send Vary: Origin with every answer whose Access-Control-Allow-Origin depends on the Origin (or allow `*`), and purge the cache."})
	// The origin's CORS answer is right for the page it was made for; only
	// the cache key is wrong. So each form adds Vary: Origin beside the
	// headers set today and changes nothing else.
	addFixes(CodeCDNCacheNoVary,
		fixBuilder{FormatCloudflare, "a Worker that sets CORS per request (cache stays shared)", func(c FixContext) string {
			return fmt.Sprintf(`// A Worker already on this route: merge this
// into its fetch, its other logic stays.
// the origins your API allows today (the
// ones corsdiag saw first), the page's after
const ALLOWED = new Set([%s]);

export default {
  async fetch(request, env, ctx) {
    const origin = request.headers.get('Origin');
    if (request.method === 'OPTIONS' && ALLOWED.has(origin)) {
      // the methods and headers your origin
      // allows today stay in these lists
      return new Response(null, { status: 204, headers: {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': '%s',
        'Access-Control-Allow-Headers': '%s',
        'Access-Control-Max-Age': '7200',
%s        'Vary': 'Origin',
      } });
    }
    const upstream = await fetch(request);
    const response = new Response(upstream.body, upstream);
    if (ALLOWED.has(origin)) response.headers.set('Access-Control-Allow-Origin', origin);
    else response.headers.delete('Access-Control-Allow-Origin');
    response.headers.append('Vary', 'Origin');
    return response;
  },
};`, c.jsOrigins(), c.methodList(", "), c.headerList(", "), workerCredentials(c))
		}},
		fixBuilder{FormatVercel, "vercel.json: Vary: Origin beside the headers you set today (a Vary there: add Origin to its value; of two rules setting Vary on a path, the last wins)", func(c FixContext) string {
			return `{
  "headers": [
    {
      "source": "/(.*)",
      "headers": [
        { "key": "Vary", "value": "Origin" }
      ]
    }
  ]
}`
		}},
		fixBuilder{FormatNetlify, "_headers: Vary: Origin beside the headers you set today", func(c FixContext) string {
			return "# a Vary your rules set already for this path: add Origin to its value\n" +
				"# (the later rule's wins)\n/*\n  Vary: Origin"
		}},
		fixBuilder{FormatFirebase, "firebase.json: Vary: Origin beside the headers you set today (a Vary there: add Origin to it)", func(c FixContext) string {
			return `{
  "hosting": {
    "headers": [
      {
        "source": "**",
        "headers": [
          { "key": "Vary", "value": "Origin" }
        ]
      }
    ]
  }
}`
		}},
		fixBuilder{FormatNginx, "at the origin (nginx): Vary: Origin beside your CORS add_header lines", func(c FixContext) string {
			return fmt.Sprintf(`location %s {
%s    # your add_header Access-Control-* lines stay as they are; add this one beside them
    # (in every block that has add_header lines of its own),
    # %s
    add_header Vary Origin always;
    # ... your existing root or proxy_pass ...
}`, nginxLocation(c.Path), nginxInheritNote, strings.ReplaceAll(cdnVaryHonoured, "\n// ", "\n    # "))
		}},
		fixBuilder{FormatExpress, "at the origin (Express): Vary: Origin on every answer, your cors() unchanged", func(c FixContext) string {
			return `// before your cors middleware, which stays
// as it is: every answer varies on Origin,
// ` + cdnVaryHonoured + `
app.use((req, res, next) => { res.vary('Origin'); next(); });
app.use(cors(corsOptions));   // your existing options`
		}},
	)
}

// cdnVarySummary is each CDN's one-line fix: Vary: Origin from the origin
// where the CDN keys its cache on it. Cloudflare keys on the URL and
// ignores Vary (but Accept-Encoding) unless a Cache Rule's Vary setting
// takes the header (Cloudflare docs, Cache, Concepts: Vary).
var cdnVarySummary = map[string]string{
	idCloudflare: "Cloudflare keeps one copy per URL whatever the Vary: set CORS per request in a Worker, " +
		"or send Vary: Origin and add a Cache Rule whose Vary setting takes Origin (passthrough); then purge the cache.",
}

// cdnVaryFix is the one-line fix for the CDN id that served the copy.
func cdnVaryFix(id, fallback string) string {
	if s, ok := cdnVarySummary[id]; ok {
		return s
	}
	return fallback
}

// cdnVaryHonoured goes with the origin forms: a Vary from the origin keys
// the cache only where the CDN honours it.
const cdnVaryHonoured = "so a CDN that honours Vary keeps one copy per page origin (Cloudflare: only with\n// a Cache Rule whose Vary setting takes Origin; else the Worker form)"

// workerCredentials is the Access-Control-Allow-Credentials line of a
// Worker's preflight answer: a credentialed preflight fails without it, so
// the page that sends credentials gets it, and any other page is told to
// keep it if the origin sends it today.
func workerCredentials(c FixContext) string {
	if c.Credentials {
		return "        'Access-Control-Allow-Credentials': 'true',\n"
	}
	return "        // keep it if your origin sends it today\n" +
		"        // 'Access-Control-Allow-Credentials': 'true',\n"
}

// A static header holds one origin. Where a CORS configuration exists,
// the static forms leave the Access-Control-Allow-Origin set today alone
// (writing the page's would replace it) and add the preflight's lists.

func netlifyHeaders(c FixContext) string {
	acao := "  Access-Control-Allow-Origin: " + c.Origin + "\n"
	if c.keepsList() {
		acao = "  # Access-Control-Allow-Origin: keep the line you have (one origin per static header;\n  # for several, answer from an Edge Function that echoes the allowed ones)\n"
	}
	return fmt.Sprintf(`# Merge into your _headers: a header your /* rule sets already takes
# these values into its own line (of two rules for one path, the later
# one's header wins).
/*
%s  Access-Control-Allow-Methods: %s
  Access-Control-Allow-Headers: %s
  Vary: Origin`, acao, c.methodList(", "), c.headerList(", "))
}

func firebaseHeaders(c FixContext) string {
	acao := fmt.Sprintf("          { \"key\": \"Access-Control-Allow-Origin\", \"value\": \"%s\" },\n", c.Origin)
	if c.keepsList() {
		// JSON has no comments: the entry set today stays by not being written.
		acao = ""
	}
	return fmt.Sprintf(`{
  "hosting": {
    "headers": [
      {
        "source": "**",
        "headers": [
%s          { "key": "Access-Control-Allow-Methods", "value": "%s" },
          { "key": "Access-Control-Allow-Headers", "value": "%s" },
          { "key": "Vary", "value": "Origin" }
        ]
      }
    ]
  }
}`, acao, c.methodList(", "), c.headerList(", "))
}

func cdnFingerprint(o *observation, r *response) []signal {
	if r == nil {
		switch {
		case strings.HasSuffix(o.host, ".web.app") || strings.HasSuffix(o.host, ".firebaseapp.com"):
			return []signal{{idFirebase, 3, "host " + o.host + " is a Firebase Hosting site"}}
		case strings.HasSuffix(o.host, ".vercel.app"):
			return []signal{{idVercel, 3, "host " + o.host + " is a Vercel deployment"}}
		case strings.HasSuffix(o.host, ".netlify.app"):
			return []signal{{idNetlify, 3, "host " + o.host + " is a Netlify site"}}
		}
		return nil
	}
	var out []signal
	server := strings.ToLower(r.header("Server"))
	if server == "cloudflare" {
		out = append(out, signal{idCloudflare, 3, "Server: cloudflare"})
	}
	if r.hasHeader("CF-RAY") {
		out = append(out, signal{idCloudflare, 3, "header CF-RAY"})
	}
	if r.hasHeader("x-vercel-id") || server == "vercel" {
		out = append(out, signal{idVercel, 3, "header x-vercel-id / Server: Vercel"})
	}
	if r.hasHeader("x-nf-request-id") || server == "netlify" {
		out = append(out, signal{idNetlify, 3, "header x-nf-request-id / Server: Netlify"})
	}
	return out
}

// cdnHit reports whether a CDN says it served m from cache.
func cdnHit(m *cors.Message) (string, bool) {
	for _, h := range []string{"cf-cache-status", "x-vercel-cache", "x-cache", "cache-status"} {
		v := header(m, h)
		if strings.Contains(strings.ToUpper(v), "HIT") && !strings.Contains(strings.ToLower(v), "cloudfront") {
			return h + ": " + show(v), true
		}
	}
	if age, err := strconv.Atoi(strings.TrimSpace(header(m, "Age"))); err == nil && age > 0 {
		return "Age: " + strconv.Itoa(age), true
	}
	return "", false
}

func cdnCauses(a *analysis) []cors.Finding {
	var id string
	for _, x := range []string{idCloudflare, idVercel, idNetlify, idFirebase} {
		if a.has(x) {
			id = x
			break
		}
	}
	if id == "" {
		return nil
	}
	for _, r := range []*response{a.obs.preflight(), a.obs.final()} {
		if r == nil || r.resp == nil {
			continue
		}
		why, hit := cdnHit(r.resp)
		if !hit {
			continue
		}
		acao := header(r.resp, cors.HeaderAllowOrigin)
		if a.blocks(r.step) && (acao == "" || acao != "*" && acao != a.fixContext().Origin) {
			what := "no Access-Control-Allow-Origin"
			if acao != "" {
				what = "Access-Control-Allow-Origin " + show(acao) + ", another page's origin"
			}
			return []cors.Finding{a.finding(CodeCDNCacheNoVary, id, r.step, true,
				fmt.Sprintf("%s served a cached copy (%s) with %s: it was stored for a request with another Origin and the answer does not vary on Origin", platforms[id].Name, why, what),
				cdnVaryFix(id, "Send Vary: Origin from the origin (or set CORS at the edge per request), then purge the cache."))}
		}
		if acao != "" && acao != "*" && !varyOrigin(r.resp) {
			return []cors.Finding{a.finding(CodeCDNCacheNoVary, id, r.step, false,
				fmt.Sprintf("%s cached this answer (%s), which echoes %s without Vary: Origin: the next page from another origin will get this copy and be blocked", platforms[id].Name, why, show(acao)),
				cdnVaryFix(id, "Send Vary: Origin with the echoed origin, then purge the cache."))}
		}
	}
	return nil
}

func varyOrigin(m *cors.Message) bool {
	for k, vs := range m.Header {
		if !strings.EqualFold(k, "Vary") {
			continue
		}
		for _, v := range vs {
			for _, f := range strings.Split(v, ",") {
				f = strings.TrimSpace(f)
				if f == "*" || strings.EqualFold(f, "Origin") {
					return true
				}
			}
		}
	}
	return false
}
