package audit

import (
	"fmt"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

// pageSeverity is the severity line of every technique page: the code's
// severity depends on what the attacker gains, per occurrence.
const pageSeverity = "error when a page at the attacker's origin can read the answer with the user's cookies (or, for a state-changing method, have the browser send it with them); warning when it can read the answer without cookies; info when only the preflight lets it in, or when no one can serve a page at the origin (a top-level domain that does not exist)."

// Page renders docs/findings/<code>.md of an audit code from the flaws
// table, with the allow-list fix in every form; the docs are generated
// from it (go test ./pkg/audit -run TestFindingPages -update).
func Page(code cors.Code) (string, bool) {
	f, ok := flaws[code]
	in, registered := cors.Lookup(code)
	if !ok || !registered {
		return "", false
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", code, in.Title)
	sev := pageSeverity
	if in.Severity == cors.SeverityInfo {
		sev = "info: the answer holds nothing an attacker could not fetch without a browser, unless the network position of the user is what grants it."
	}
	fmt.Fprintf(&b, "- **Severity:** %s\n", sev)
	b.WriteString("- **Chromium:** none: the browser allows the request; the flaw is in the server's policy.\n")
	b.WriteString("- **Console:** no error: the attacker's script reads the answer silently.\n")
	b.WriteString("- **Firefox:** none\n")
	fmt.Fprintf(&b, "- **Spec:** %s\n\n", in.Spec)

	creds := strings.Contains(f.Bad, "Credentials: true")
	b.WriteString("## What the browser does\n\n")
	if creds {
		fmt.Fprintf(&b, "A page at `%s` calls the API with `credentials: 'include'`. The browser attaches the user's cookies, the server answers with the headers below, and the CORS check passes: `Access-Control-Allow-Origin` equals the page's origin and `Access-Control-Allow-Credentials` is `true`. The browser hands the answer, the user's data, to the attacker's script. The user sees nothing.\n\n", f.Origin)
	} else {
		fmt.Fprintf(&b, "A page at `%s` calls the API. The browser sends no cookies and no HTTP authentication (with `*` it would refuse the answer if it had), and lets the script read the answer.\n\n", f.Origin)
	}
	fmt.Fprintf(&b, "## Why\n\n%s\n\n", f.Why)

	b.WriteString("## Example\n\n```js\n")
	fmt.Fprintf(&b, "// page: %s\n", f.Origin)
	if creds {
		b.WriteString("fetch(\"https://api.example.com/me\", { credentials: \"include\" })\n```\n\n")
		fmt.Fprintf(&b, "```http\nGET /me HTTP/1.1\nHost: api.example.com\nOrigin: %s\nCookie: session=…\n```\n\n", f.Origin)
	} else {
		b.WriteString("fetch(\"https://api.example.com/me\")\n```\n\n")
		fmt.Fprintf(&b, "```http\nGET /me HTTP/1.1\nHost: api.example.com\nOrigin: %s\n```\n\n", f.Origin)
	}
	fmt.Fprintf(&b, "```http\nHTTP/1.1 200 OK\n%s\nContent-Type: application/json\n```\n\n", f.Bad)
	if code != CodeAnyOrigin {
		b.WriteString("### Fixed\n\nThe origin is not on the list, so the answer carries no `Access-Control-Allow-Origin` and the browser keeps it from the page:\n\n")
		b.WriteString("```http\nHTTP/1.1 200 OK\nVary: Origin\nContent-Type: application/json\n```\n\n")
	}

	fmt.Fprintf(&b, "## How to fix\n\n%s\n\n", in.Fix)
	if code != CodeAnyOrigin {
		b.WriteString("corsdiag fills these with the declared origins; shown here for `https://app.example.com` and `https://admin.example.com` with credentials. Pick one with `--fix-format`.\n\n")
		for _, fx := range platform.AllowListFixes(exampleFixContext()) {
			fmt.Fprintf(&b, "### %s: %s\n\n```%s\n%s\n```\n\n", fx.Format, fx.Title, fenceLang(fx.Format), strings.TrimRight(fx.Snippet, "\n"))
		}
	}

	fmt.Fprintf(&b, "## How corsdiag detects it\n\n%s\n\n", f.Detect)
	b.WriteString("`corsdiag audit URL --origin …` sends each origin the request a browser would send from it (the preflight when one is needed, the actual request when it is safe) and asks the engine whether the browser would let the page read the answer, with credentials and without. Severity follows what the page gains; an origin that only passes the preflight is reported as info. See docs/audit.md.\n\n")
	b.WriteString("## Related\n\n")
	for _, r := range f.Related {
		if ri, ok := cors.Lookup(r); ok {
			fmt.Fprintf(&b, "- [%s](%s.md): %s\n", r, r, ri.Title)
		}
	}
	return b.String(), true
}

func exampleFixContext() platform.FixContext {
	c := platform.ExampleContext()
	c.Origins = []string{"https://app.example.com", "https://admin.example.com"}
	c.Credentials = true
	c.Path = "/api/items"
	return c
}

func fenceLang(f platform.Format) string {
	switch f {
	case platform.FormatNginx:
		return "nginx"
	case platform.FormatExpress, platform.FormatLambda:
		return "js"
	case platform.FormatSpring:
		return "java"
	case platform.FormatAWSCLI:
		return "sh"
	}
	return "text"
}
