package platform

// A fix never deletes what works. When an answer shows that a CORS
// configuration exists (it sent Access-Control-* headers to someone, or a
// CORS layer refused this origin), a snippet that wrote a fresh list of
// origins would drop the ones allowed today: the user pastes it and
// production breaks. So the context learns what it can (the origins seen
// allowed) and says whether more may exist (Existing), and every snippet
// that writes a list renders it through these helpers: the known origins,
// the page's added, and a slot for the ones corsdiag could not see.

import (
	"fmt"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// learnExisting learns the fix context's AllowedOrigins from every answer
// that allowed a concrete origin other than the page's (another page's
// cached answer, a comparison request, the working success answers beside
// a failing one), and Existing: whether any answer shows a CORS
// configuration.
func (a *analysis) learnExisting() {
	allowed, _ := a.compared()
	for i := range a.obs.responses {
		r := &a.obs.responses[i]
		if r.resp == nil {
			continue
		}
		if !a.existing { // one answer tells
			a.existing = cors.Refusal(r.resp, r.step == "preflight") != "" || hasKeyPrefix(r.names.keys, "access-control-allow-")
		}
		if acao := r.header(cors.HeaderAllowOrigin); acao != "" {
			allowed = append(allowed, acao)
		}
	}
	if len(allowed) == 0 {
		return
	}
	page := pageOrigin(a.in.Exchange)
	for _, o := range allowed {
		if o == page || o == "*" {
			continue // the page's own, or no origin: nothing to keep
		}
		if p, err := cors.ParseOrigin(o); err == nil && p == o && p != "null" && p != page && reSafeOrigin.MatchString(o) {
			a.allowedOrigins = appendUnique(a.allowedOrigins, o)
		}
	}
	if len(a.allowedOrigins) > 0 {
		a.existing = true
	}
}

// hasKeyPrefix reports whether some key starts with prefix,
// case-insensitively.
func hasKeyPrefix(keys []string, prefix string) bool {
	for _, k := range keys {
		if hasPrefixFold(k, prefix) {
			return true
		}
	}
	return false
}

// keepsList reports whether a configuration with origins of its own may
// exist: a snippet then adds to it instead of writing a new list.
func (c FixContext) keepsList() bool { return c.Existing || len(c.AllowedOrigins) > 0 }

// existingSlot is the comment that stands for the origins corsdiag could
// not see, "" when no configuration is known to exist.
func (c FixContext) existingSlot() string {
	if !c.Existing {
		return ""
	}
	return "the origins your CORS configuration allows today\nstay in this list"
}

// jsOrigins is the origin array's items for JavaScript: the origins known
// allowed, then the page's, after ...allowedOrigins (the array the code
// holds today) when there may be more.
func (c FixContext) jsOrigins() string {
	items := singleQuoted(c.allowListOrigins())
	if c.Existing {
		return jsExistingOrigins + " /* the origins allowed today */, " + items
	}
	return items
}

// jsExistingOrigins spreads the user's list of origins when the code has
// one by that name. The guard keeps a snippet pasted unedited running: a
// bare reference to a missing variable throws, and a Lambda handler would
// then fail every invocation.
const jsExistingOrigins = "...(typeof allowedOrigins === 'undefined' ? [] : allowedOrigins)"

// quotedOrigins is the list for "a", "b" forms (Java, C#, HCL, JSON).
func (c FixContext) quotedOrigins() string { return quoteList(c.allowListOrigins()) }

// yamlOrigins is a YAML list of the origins, with the slot as a comment.
func (c FixContext) yamlOrigins(indent string) string {
	out := yamlList(c.allowListOrigins(), indent)
	if s := c.existingSlot(); s != "" {
		out = c.slotComment(indent, "#") + out
	}
	return out
}

// slotComment is the slot as a comment line in a language whose comments
// start with mark ("" when there is no slot to keep).
func (c FixContext) slotComment(indent, mark string) string {
	if s := c.existingSlot(); s != "" {
		return fmt.Sprintf("%s%s %s\n", indent, mark, strings.ReplaceAll(s, "\n", "\n"+indent+mark+" "))
	}
	return ""
}

// jsOriginsPlain is jsOrigins without the spread, for a list defined from
// scratch beside the configuration (its slot is a comment above it).
func (c FixContext) jsOriginsPlain() string { return singleQuoted(c.allowListOrigins()) }

// exactOrigins is a YAML list of `exact:` matchers (Envoy, Istio).
func (c FixContext) exactOrigins(indent string) string {
	var b strings.Builder
	b.WriteString(c.slotComment(indent, "#"))
	for _, o := range c.allowListOrigins() {
		b.WriteString(indent + "- exact: " + o + "\n")
	}
	return b.String()
}

// originsSaid names the origins a list must hold, in a sentence: the ones
// known allowed, the page's, and the unseen ones when a configuration
// exists ("https://app.example.com and https://staging.example.com, with
// every other origin allowed today").
func (c FixContext) originsSaid() string {
	out := strings.Join(c.allowListOrigins(), " and ")
	if c.Existing {
		out += ", with every other origin allowed today"
	}
	return out
}

// replacing is c for a snippet that replaces a CORS configuration there
// today, seen or not: the audit's allow-list rewrite, a CloudFront
// response headers policy with OriginOverride (a copy cached for a request
// without Origin shows no CORS header). Credentials it may allow are said
// to stay.
func (c FixContext) replacing() FixContext {
	c.Existing = true
	return c
}

// credentials is the value a snippet gives Access-Control-Allow-Credentials
// (after: what follows it on the line, such as a comma): true when the page
// sends credentials; false otherwise, said to stay true where a
// configuration exists that may allow them today, since a false written
// over it would refuse the pages that send cookies.
func (c FixContext) credentials(mark, after string) string {
	switch {
	case c.Credentials:
		return "true" + after
	case c.keepsList():
		return "false" + after + " " + mark + " keep true if it is today"
	}
	return "false" + after
}
