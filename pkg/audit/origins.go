package audit

import (
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Attacker names sit under .invalid (RFC 6761), which never resolves: an
// origin built on it can never be a real site, nor the target's own. Only
// the techniques that must end in the target's own name (suffix match, any
// subdomain, an unescaped dot) use that name, with a label no real
// allow-list holds.
const (
	attackerLabel  = "attacker"
	attackerSuffix = "attacker.invalid"
)

// Candidate is one origin the audit tries, and the flaw it reveals when it
// gets in.
type Candidate struct {
	Origin string    `json:"origin"`
	Code   cors.Code `json:"code"`
	// Technique says how the origin was built, in words.
	Technique string `json:"technique"`
	// Browsers names the browsers that can send this origin; empty means
	// every browser.
	Browsers string `json:"browsers,omitempty"`

	// explainedBy: once one of these codes is found, this origin would get
	// in for the same reason, so it is not sent.
	explainedBy []cors.Code
	// explainedByOrigins: the same, once one of these origins got in (a
	// flaw of another code implies this one only through that origin).
	explainedByOrigins []string
	// requires: sent only once this code is found.
	requires cors.Code
	// nowhere says why no one can serve a page at Origin (its top-level
	// domain does not exist), "" when someone can: getting in is then
	// a sloppy pattern, not a way in.
	nowhere string
}

// special characters after the declared host, with the browsers that
// load a page at such a name and send it as Origin, measured (a page at
// app.example.com$.x fetching another origin): Chromium 156 and Firefox
// 153 ESR with the name resolved to loopback, WebKitGTK 2.50 through a
// loopback proxy, as Corben Leo's research and nuclei's notes say of
// Safari. Firefox refuses ` and !.
// Corsy's and nuclei's %60 is not one: the URL parser percent-decodes a
// host, so a page there sends `, which is tried.
var specialCharacters = []struct{ char, browsers string }{
	{"_", ""},
	{"$", ""},
	{"+", ""},
	{"`", "Chromium, Safari"},
	{"!", "Chromium, Safari"},
}

// localOrigins are developer and private-network origins a production
// allow-list must not hold.
var localOrigins = []struct{ origin, technique string }{
	{"http://localhost", "localhost"},
	{"http://localhost:3000", "localhost on a development server's port"},
	{"http://127.0.0.1", "the loopback address"},
	{"http://192.168.1.1", "a private-network address"},
	{"https://localhost." + attackerSuffix, "an attacker's host that starts with localhost (a pattern such as ^https?://localhost)"},
}

// thirdPartyHosts are shared hosting and code-playground sites where anyone
// can publish a page: an allow-list that trusts them by pattern trusts
// every user of the site. The first group is tried before the special
// characters some browsers refuse, the second after.
var thirdPartyHosts = []struct {
	origin, site string
	late         bool
}{
	{"https://" + attackerLabel + ".github.io", "*.github.io (GitHub Pages)", false},
	{"https://" + attackerLabel + ".vercel.app", "*.vercel.app (Vercel)", false},
	{"https://" + attackerLabel + ".herokuapp.com", "*.herokuapp.com (Heroku)", false},
	{"https://" + attackerLabel + ".s3.amazonaws.com", "*.s3.amazonaws.com (Amazon S3)", false},
	{"https://" + attackerLabel + ".netlify.app", "*.netlify.app (Netlify)", false},
	{"https://codepen.io", "CodePen", true},
	{"https://jsfiddle.net", "JSFiddle", true},
	{"http://jsbin.com", "JS Bin", true},
	{"https://repl.it", "Replit", true},
}

// site is one declared origin, split.
type site struct {
	origin, scheme, host, port string
}

// Candidates lists the origins the audit tries against target, in the
// order it tries them (the broadest flaws first, so that narrower ones they
// explain need not be sent), derived from the declared origins and from the
// registrable domains (public suffix list) of those and of the target.
func Candidates(target string, declared []string) []Candidate {
	var sites []site
	var domains []string
	// dport is the port (":8443", or "") of the first declared origin
	// under each domain: a pattern written for a ported origin holds it.
	dport := map[string]string{}
	addDomain := func(host, port string) {
		if d := registrable(host); d != "" && !contains(domains, d) {
			domains = append(domains, d)
			dport[d] = port
		}
	}
	for _, o := range declared {
		u, err := url.Parse(o)
		if o == "null" || err != nil || u.Hostname() == "" {
			continue
		}
		s := site{origin: o, scheme: u.Scheme, host: strings.ToLower(u.Hostname()), port: u.Port()}
		sites = append(sites, s)
		addDomain(u.Hostname(), s.portSuffix())
	}
	tu, _ := url.Parse(target)
	targetHTTPS := false
	if tu != nil {
		addDomain(tu.Hostname(), "")
		targetHTTPS = tu.Scheme == "https"
	}
	named := sites[:0:0]
	for _, s := range sites {
		if net.ParseIP(s.host) == nil && strings.Contains(s.host, ".") {
			named = append(named, s)
		}
	}

	var out []Candidate
	add := func(c Candidate) {
		if c.Origin == "" || contains(declared, c.Origin) || (tu != nil && cors.OriginOf(target) == c.Origin) {
			return
		}
		for _, o := range out {
			if o.Origin == c.Origin {
				return
			}
		}
		out = append(out, c)
	}
	reflect := []cors.Code{CodeOriginReflected}
	with := func(codes ...cors.Code) []cors.Code { return append([]cors.Code{CodeOriginReflected}, codes...) }

	add(Candidate{Origin: "https://" + attackerSuffix, Code: CodeOriginReflected, Technique: "an unrelated origin"})
	add(Candidate{Origin: "null", Code: CodeNullOrigin, Technique: "the null origin of sandboxed iframes and file: pages"})
	for _, d := range domains {
		add(Candidate{Origin: "https://" + attackerLabel + "." + d + dport[d], Code: CodeAnySubdomain, Technique: "a new subdomain of " + d, explainedBy: reflect})
	}
	for _, s := range named {
		add(Candidate{Origin: "https://" + attackerLabel + "." + s.host + s.portSuffix(), Code: CodeAnySubdomain, Technique: "a new subdomain of " + s.host, explainedBy: reflect})
	}
	for _, d := range domains {
		add(Candidate{Origin: "https://" + attackerLabel + d + dport[d], Code: CodeSuffixMatch, Technique: "an attacker's domain ending in " + d, explainedBy: reflect})
	}
	// attackerapp.example.com is a subdomain of example.com, and ends in
	// example.com: it is let in by what lets attacker.example.com or
	// attackerexample.com in, not by a subdomain of app.example.com.
	byDomain := func(host string) []string {
		d := registrable(host)
		if d == "" || d == host {
			return nil
		}
		return []string{"https://" + attackerLabel + "." + d + dport[d], "https://" + attackerLabel + d + dport[d]}
	}
	for _, s := range named {
		add(Candidate{Origin: "https://" + attackerLabel + s.host + s.portSuffix(), Code: CodeSuffixMatch, Technique: "an attacker's name ending in " + s.host,
			explainedBy: reflect, explainedByOrigins: byDomain(s.host)})
	}
	for i, s := range named {
		add(Candidate{Origin: s.scheme + "://" + s.host + "." + attackerSuffix, Code: CodePrefixMatch, Technique: s.host + " followed by an attacker's domain",
			explainedBy: reflect})
		if i == 0 {
			add(Candidate{Origin: s.scheme + "://" + s.host + attackerSuffix, Code: CodePrefixMatch, Technique: s.host + " glued to an attacker's domain",
				explainedBy: with(CodePrefixMatch)})
			if d := registrable(s.host); d != "" && d != s.host {
				add(Candidate{Origin: s.scheme + "://" + d + "." + attackerSuffix, Code: CodePrefixMatch, Technique: d + " followed by an attacker's domain",
					explainedBy: with(CodePrefixMatch)})
			}
		}
	}
	for _, d := range domains {
		if len(d) > 4 {
			add(Candidate{Origin: "https://" + d[1:] + dport[d], Code: CodeSubstringMatch, Technique: d + " without its first letter (a substring of an allowed origin)",
				explainedBy: reflect})
		}
	}
	// allowed.includes(origin) on an allow-list kept as one string: the
	// declared origin cut after the first letter of its top-level domain
	// is a piece of it, under a one-letter top-level domain no one can
	// register; the attacker's is longer (https://app.example.co is inside
	// https://app.example.com too).
	for _, s := range named {
		if cut := strings.LastIndexByte(s.host, '.') + 2; s.portSuffix() == "" && cut < len(s.host) {
			add(Candidate{Origin: s.scheme + "://" + s.host[:cut], Code: CodeSubstringMatch,
				Technique: s.origin + " cut inside its top-level domain (a piece of an allow-list kept as one string)", explainedBy: reflect})
		}
	}
	for _, s := range named {
		first := strings.Replace(s.host, ".", "x", 1)
		var bySuffix []string
		if d := registrable(s.host); d != "" && strings.HasSuffix(first, d) {
			bySuffix = []string{"https://" + attackerLabel + d + dport[d]}
		}
		add(Candidate{Origin: s.scheme + "://" + first + s.portSuffix(), Code: CodeUnescapedDot, Technique: s.host + " with its first dot replaced",
			explainedBy: reflect, explainedByOrigins: bySuffix, nowhere: nowhere(first)})
		if i := strings.LastIndexByte(s.host, '.'); strings.Count(s.host, ".") > 1 {
			last := s.host[:i] + "x" + s.host[i+1:]
			add(Candidate{Origin: s.scheme + "://" + last + s.portSuffix(), Code: CodeUnescapedDot, Technique: s.host + " with its last dot replaced",
				explainedBy: reflect, nowhere: nowhere(last)})
		}
	}
	if targetHTTPS {
		for _, s := range sites {
			if s.scheme == "https" {
				add(Candidate{Origin: "http://" + hostPort(s.host, s.port), Code: CodeInsecureOrigin, Technique: "the declared origin over plain http",
					explainedBy: reflect})
			}
		}
		for _, d := range domains {
			add(Candidate{Origin: "http://" + attackerLabel + "." + d, Code: CodeInsecureOrigin, Technique: "a new subdomain of " + d + " over plain http",
				explainedBy: with(CodeInsecureOrigin), requires: CodeAnySubdomain})
		}
	}
	for _, l := range localOrigins {
		add(Candidate{Origin: l.origin, Code: CodeLocalhost, Technique: l.technique, explainedBy: reflect})
	}
	specials := func(browsersWanted bool) {
		if len(named) == 0 {
			return
		}
		s := named[0]
		for _, sc := range specialCharacters {
			if (sc.browsers != "") == browsersWanted {
				add(Candidate{Origin: s.scheme + "://" + s.host + sc.char + "." + attackerSuffix, Code: CodeSpecialCharacter,
					Technique: s.host + " followed by " + sc.char + " and an attacker's domain", Browsers: sc.browsers,
					explainedBy: with(CodePrefixMatch)})
			}
		}
	}
	specials(false)
	for _, t := range thirdPartyHosts {
		if !t.late {
			add(Candidate{Origin: t.origin, Code: CodeThirdPartyHost, Technique: "a page anyone can publish on " + t.site, explainedBy: reflect})
		}
	}
	specials(true)
	for _, t := range thirdPartyHosts {
		if t.late {
			add(Candidate{Origin: t.origin, Code: CodeThirdPartyHost, Technique: "a page anyone can publish on " + t.site, explainedBy: reflect})
		}
	}
	return out
}

// registrable is host's registrable domain (eTLD+1), or "" for an IP
// address, a single label or a public suffix itself.
func registrable(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "" || net.ParseIP(host) != nil || !strings.Contains(host, ".") {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return ""
	}
	return d
}

// nowhere says why no one can serve a page at host, a declared host with
// a dot replaced, or "" when someone can: replacing the dot before the
// top-level domain (examplexcom) makes a top-level domain the public
// suffix list does not hold, which resolves nowhere.
func nowhere(host string) string {
	host = strings.TrimSuffix(host, ".")
	tld := host[strings.LastIndexByte(host, '.')+1:]
	if _, icann := publicsuffix.PublicSuffix(tld); icann {
		return ""
	}
	return tld + " is no top-level domain"
}

// portSuffix is ":port" when the declared origin names a port other than
// its scheme's default, else "".
func (s site) portSuffix() string {
	if s.port == "" || (s.scheme == "https" && s.port == "443") || (s.scheme == "http" && s.port == "80") {
		return ""
	}
	return ":" + s.port
}

// hostPort keeps a declared https origin's own port on its http twin.
func hostPort(host, port string) string {
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" && port != "443" {
		host += ":" + port
	}
	return host
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
