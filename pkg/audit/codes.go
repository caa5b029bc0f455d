package audit

import "github.com/corsdiag/corsdiag/pkg/cors"

// The audit's finding codes: each names the flaw in the server's origin
// check that let an attacker's origin in.
const (
	CodeOriginReflected  cors.Code = "origin-reflected"
	CodeNullOrigin       cors.Code = "null-origin-trusted"
	CodeSuffixMatch      cors.Code = "origin-suffix-match"
	CodePrefixMatch      cors.Code = "origin-prefix-match"
	CodeSubstringMatch   cors.Code = "origin-substring-match"
	CodeUnescapedDot     cors.Code = "origin-unescaped-dot"
	CodeAnySubdomain     cors.Code = "any-subdomain-trusted"
	CodeInsecureOrigin   cors.Code = "insecure-origin-trusted"
	CodeLocalhost        cors.Code = "localhost-trusted"
	CodeSpecialCharacter cors.Code = "special-character-bypass"
	CodeThirdPartyHost   cors.Code = "third-party-host-trusted"
	CodeAnyOrigin        cors.Code = "any-origin-allowed"
)

// spec is where the browser compares the answer with the page's origin.
const spec = "Fetch §CORS check (Access-Control-Allow-Origin against the request's Origin)"

// exactFix is the one fix every origin-check flaw shares.
const exactFix = "Compare the request's Origin with an exact list of your own origins (the whole string: scheme, host and port), echo it only on a match, send Access-Control-Allow-Credentials only with it, and add Vary: Origin."

// flaw is what the audit knows about one code: the catalogue entry and the
// prose of its page. The pages are generated from this table (Page), so
// `corsdiag explain` and the output never disagree.
type flaw struct {
	Title string
	Fix   string // the one-line fix; the allow-list snippets follow it
	// Why is the server code that behaves this way.
	Why string
	// Bad is the answer an attacker's origin gets; Origin is that origin.
	Origin, Bad string
	Detect      string
	Related     []cors.Code
	Severity    cors.Severity
}

var flaws = map[cors.Code]flaw{
	CodeOriginReflected: {
		Title:   "The server echoes any origin back",
		Fix:     exactFix,
		Why:     "The server copies the request's Origin into Access-Control-Allow-Origin without checking it: `cors({ origin: true })` in Express, `setAllowedOriginPatterns(\"*\")` in Spring, `add_header Access-Control-Allow-Origin $http_origin` in nginx, or hand-written code meant to make every page work during development. With Access-Control-Allow-Credentials: true every website its users visit can read their data.",
		Origin:  "https://attacker.invalid",
		Bad:     "Access-Control-Allow-Origin: https://attacker.invalid\nAccess-Control-Allow-Credentials: true\nVary: Origin",
		Detect:  "corsdiag sends an origin under `.invalid` that no allow-list can hold; when the browser would let a page there read the answer, the server trusts every origin. Its error answers are probed from that origin too.",
		Related: []cors.Code{CodeAnyOrigin, CodeNullOrigin},
	},
	CodeNullOrigin: {
		Title:   "The server trusts the null origin",
		Fix:     "Remove `null` from the allow-list: give local and sandboxed pages a real origin, and " + lower(exactFix),
		Why:     "`null` is the origin of sandboxed iframes, `file:` and `data:` pages and requests after a cross-origin redirect. It is often added to make a local page work, or an echo lets it through. Any website can produce it: `<iframe sandbox=\"allow-scripts\" srcdoc=\"…\">`.",
		Origin:  "null",
		Bad:     "Access-Control-Allow-Origin: null\nAccess-Control-Allow-Credentials: true",
		Detect:  "corsdiag sends `Origin: null`.",
		Related: []cors.Code{cors.CodeAllowOriginNull, CodeOriginReflected},
	},
	CodeSuffixMatch: {
		Title:   "The server trusts any origin that ends with its domain name",
		Fix:     exactFix + " To allow subdomains, match the host against `.example.com` with its leading dot, after parsing the origin.",
		Why:     "The check is `origin.endsWith(\"example.com\")` (or a regular expression without the dot before the domain), so `https://attackerexample.com`, a domain anyone can register, passes.",
		Origin:  "https://attackerexample.com",
		Bad:     "Access-Control-Allow-Origin: https://attackerexample.com\nAccess-Control-Allow-Credentials: true\nVary: Origin",
		Detect:  "corsdiag sends `https://attacker` glued to the registrable domain of each declared origin and of the target (public suffix list), and to each declared host.",
		Related: []cors.Code{CodeAnySubdomain, CodePrefixMatch, CodeUnescapedDot},
	},
	CodePrefixMatch: {
		Title:   "The server trusts any origin that starts with an allowed one",
		Fix:     exactFix + " Anchor regular expressions at both ends (`^…$`).",
		Why:     "The check is `origin.startsWith(\"https://app.example.com\")`, `strpos` at 0, or a regular expression without `$`, so `https://app.example.com.attacker.invalid`, a host under the attacker's own domain, passes.",
		Origin:  "https://app.example.com.attacker.invalid",
		Bad:     "Access-Control-Allow-Origin: https://app.example.com.attacker.invalid\nAccess-Control-Allow-Credentials: true\nVary: Origin",
		Detect:  "corsdiag sends each declared host followed by `.attacker.invalid`, the first one glued to `attacker.invalid`, and its registrable domain followed by `.attacker.invalid`.",
		Related: []cors.Code{CodeSuffixMatch, CodeSpecialCharacter},
	},
	CodeSubstringMatch: {
		Title:   "The server trusts any origin found inside its allow-list",
		Fix:     exactFix + " Keep the allow-list as a list or set, not one string searched with `includes`, `indexOf` or `in`.",
		Why:     "The allow-list is one string and the check is `allowed.includes(origin)` (or `origin in \"…\"` in Python), so any piece of it passes: `https://app.example.co`, a domain anyone can register, is inside `https://app.example.com`. Or the host is compared the same way: `xample.com` is inside `example.com`.",
		Origin:  "https://xample.com",
		Bad:     "Access-Control-Allow-Origin: https://xample.com\nAccess-Control-Allow-Credentials: true\nVary: Origin",
		Detect:  "corsdiag sends each registrable domain without its first letter (CORScanner's include match), and each declared origin cut after the first letter of its top-level domain (`https://app.example.c`: a piece of the allow-list string that no one can register, let in by the same check as `https://app.example.co`).",
		Related: []cors.Code{CodeSuffixMatch, CodePrefixMatch},
	},
	CodeUnescapedDot: {
		Title:   "The server's origin pattern has an unescaped dot",
		Fix:     exactFix + " If a pattern is unavoidable, escape every dot (`\\.`) and anchor it (`^https://app\\.example\\.com$`).",
		Why:     "The allow-list is a regular expression such as `^https://app.example.com$`. An unescaped `.` matches any character, so `https://appxexample.com`, a domain anyone can register, passes.",
		Origin:  "https://appxexample.com",
		Bad:     "Access-Control-Allow-Origin: https://appxexample.com\nAccess-Control-Allow-Credentials: true\nVary: Origin",
		Detect:  "corsdiag sends each declared host with its first dot replaced by `x` (Corsy), and with its last dot replaced (CORScanner) when the two differ. A name whose top-level domain no longer exists (the last dot replaced, `https://app.examplexcom`, or the only dot of `https://example.com`) can be served by no one: when only such names get in, the finding is info.",
		Related: []cors.Code{CodeSuffixMatch, CodePrefixMatch},
	},
	CodeAnySubdomain: {
		Title:   "The server trusts every subdomain",
		Fix:     exactFix + " Trust a subdomain only if you control every page on it, now and later: one cross-site scripting flaw or one dangling DNS record (subdomain takeover) on any of them then reads your API.",
		Why:     "The allow-list is `*.example.com` (or `endsWith(\".example.com\")`). Every subdomain, including forgotten marketing sites, user-content hosts and names pointing at released cloud resources, can then read the API with the user's cookies.",
		Origin:  "https://attacker.example.com",
		Bad:     "Access-Control-Allow-Origin: https://attacker.example.com\nAccess-Control-Allow-Credentials: true\nVary: Origin",
		Detect:  "corsdiag sends a new subdomain, `attacker.`, of each registrable domain and of each declared host.",
		Related: []cors.Code{CodeSuffixMatch, CodeInsecureOrigin},
	},
	CodeInsecureOrigin: {
		Title:   "An https API trusts an http origin",
		Fix:     "Allow only https origins. " + exactFix,
		Why:     "The allow-list holds `http://app.example.com`, or its pattern accepts either scheme (`^https?://`). A page served over plain http can be rewritten by anyone on the network path (public Wi-Fi), who then reads the https API with the user's cookies: the https on the API protects nothing.",
		Origin:  "http://app.example.com",
		Bad:     "Access-Control-Allow-Origin: http://app.example.com\nAccess-Control-Allow-Credentials: true\nVary: Origin",
		Detect:  "When the target is https, corsdiag sends each declared https origin over http, and, when any subdomain gets in, a new subdomain over http.",
		Related: []cors.Code{CodeAnySubdomain, CodeLocalhost},
	},
	CodeLocalhost: {
		Title:   "The server trusts localhost or a private-network origin",
		Fix:     "Keep development origins out of the production allow-list (load the list per environment). " + exactFix,
		Why:     "`http://localhost:3000` was added for development and shipped. Any program on the user's machine that serves a page on that port, or any page on the user's network at a private address, then reads the API with the user's cookies; a pattern such as `^https?://localhost` also lets `https://localhost.attacker.invalid` in.",
		Origin:  "http://localhost:3000",
		Bad:     "Access-Control-Allow-Origin: http://localhost:3000\nAccess-Control-Allow-Credentials: true\nVary: Origin",
		Detect:  "corsdiag sends `http://localhost`, `http://localhost:3000`, `http://127.0.0.1`, `http://192.168.1.1` and `https://localhost.attacker.invalid`, unless a declared origin is one of them.",
		Related: []cors.Code{CodeInsecureOrigin, CodePrefixMatch},
	},
	CodeSpecialCharacter: {
		Title:   "A special character after the allowed host fools the server's origin parser",
		Fix:     exactFix + " Do not pull the host out of the origin with a hand-written pattern: compare the whole origin string.",
		Why:     "The server extracts the host with a pattern such as `^https://([a-z0-9.-]+)` and compares what it captured. The capture stops at a character the pattern does not expect, so `https://app.example.com_.attacker.invalid` is read as `app.example.com`. Chromium, Firefox and Safari load a page at a name holding `_`, `$` or `+` and send it as the Origin; Chromium and Safari also `` ` `` and `!` (Firefox refuses those).",
		Origin:  "https://app.example.com_.attacker.invalid",
		Bad:     "Access-Control-Allow-Origin: https://app.example.com_.attacker.invalid\nAccess-Control-Allow-Credentials: true\nVary: Origin",
		Detect:  "corsdiag sends the first declared host followed by `_`, `$` or `+` (every browser), then `` ` `` or `!` (Chromium and Safari), and `.attacker.invalid` (Corsy, CORScanner, nuclei), unless a prefix match already explains them. Each finding names the browsers that can send that origin: measured with a page at that name fetching another origin in Chromium 156 and Firefox 153 ESR (the name resolved to loopback) and WebKitGTK 2.50 (through a loopback proxy), which agrees with Corben Leo's research and the nuclei template's notes on Safari. Corsy's and nuclei's `%60` is not sent: the URL parser percent-decodes a host, so the page's origin holds `` ` ``, never `%60`.",
		Related: []cors.Code{CodePrefixMatch},
	},
	CodeThirdPartyHost: {
		Title:   "The server trusts a site where anyone can publish pages",
		Fix:     exactFix + " Never allow a shared hosting domain by pattern (`*.github.io`, `*.vercel.app`, `*.herokuapp.com`, `*.s3.amazonaws.com`, `*.netlify.app`) nor a code playground: list your own site there by its full name.",
		Why:     "The allow-list trusts a shared hosting suffix, to let preview deployments or a GitHub Pages site in, or a playground such as CodePen, used once for a demo. Anyone can publish a page there for free and read the API with the user's cookies.",
		Origin:  "https://attacker.github.io",
		Bad:     "Access-Control-Allow-Origin: https://attacker.github.io\nAccess-Control-Allow-Credentials: true\nVary: Origin",
		Detect:  "corsdiag sends `attacker.` under `github.io`, `vercel.app`, `herokuapp.com`, `s3.amazonaws.com` and `netlify.app`, then CodePen, JSFiddle, JS Bin and Replit (CORScanner's list).",
		Related: []cors.Code{CodeAnySubdomain, CodeOriginReflected},
	},
	CodeAnyOrigin: {
		Title:    "Any origin may read the answer, without credentials",
		Fix:      "Nothing to do if the answer is public. If it depends on who asks (an intranet address, a client certificate, the caller's IP), replace `*` with an exact allow-list.",
		Why:      "`Access-Control-Allow-Origin: *` lets every page read the answer, but the browser never sends cookies or HTTP authentication with it, so the page reads what anyone can fetch anyway. It leaks only what the network position grants: an API on an intranet, or one that trusts the caller's address.",
		Origin:   "https://attacker.invalid",
		Bad:      "Access-Control-Allow-Origin: *",
		Detect:   "Any answer to an attacker's origin with `Access-Control-Allow-Origin: *` is reported once, as this info finding, and not under the technique that sent it.",
		Related:  []cors.Code{CodeOriginReflected, cors.CodeWildcardCredentials},
		Severity: cors.SeverityInfo,
	},
}

func lower(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

func init() {
	for _, code := range Codes() {
		f := flaws[code]
		sev := f.Severity
		if sev == "" {
			sev = cors.SeverityError
		}
		cors.Register(cors.Info{Code: code, Severity: sev, Title: f.Title, Spec: spec, Fix: f.Fix})
	}
}

// Codes lists the audit's codes in the order the audit tries them.
func Codes() []cors.Code {
	return []cors.Code{CodeOriginReflected, CodeNullOrigin, CodeAnySubdomain, CodeSuffixMatch, CodePrefixMatch,
		CodeSubstringMatch, CodeUnescapedDot, CodeInsecureOrigin, CodeLocalhost, CodeSpecialCharacter,
		CodeThirdPartyHost, CodeAnyOrigin}
}
