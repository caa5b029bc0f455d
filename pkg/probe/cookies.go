package probe

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// CodeCrossSiteCookies: a credentialed request to another site than the
// page's works only with its cookies, and Safari (and Firefox, partitioning)
// sends it without them.
const CodeCrossSiteCookies cors.Code = "cross-site-cookies-blocked"

func init() {
	cors.Register(cors.Info{
		Code: CodeCrossSiteCookies, Severity: cors.SeverityWarning,
		Title: "Safari and Firefox send this cross-site request without its cookies, and it fails without them",
		Spec:  "Storage partitioning and third-party cookie blocking (WebKit ITP, Firefox Total Cookie Protection); not in the Fetch standard",
		Fix:   "Serve the API from the page's site (api.app.example.com for app.example.com) so its cookies are first-party, or authenticate with a token in the Authorization header instead of a cookie; and answer 401/403 with Access-Control-Allow-Origin so the page can read them.",
	})
}

// cookieWords says what a browser does with third-party cookies.
var cookieWords = map[string]string{
	"blocked":     "blocks third-party cookies",
	"partitioned": "partitions third-party cookies by the page's site (Total Cookie Protection)",
}

// CrossSiteCookiesFinding is the cookies-across-sites finding, from the
// error-path probe without credentials (the same URL, a GET, no cookies):
// when the request carries credentials to another site than the page's and
// the answer without cookies fails the CORS check, a browser that does not
// send third-party cookies blocks it although Chrome lets it through.
// For such a browser (p) the finding is an error; for one that sends them
// it is a warning naming the browsers that do not. The caller makes sure
// the request passes with its cookies.
func CrossSiteCookiesFinding(p *cors.Profile, ex *cors.Exchange, paths []ErrorPath) (cors.Finding, bool) {
	r := ex.Request
	if !r.Credentials || SiteRelation(r.Origin, r.URL) != "cross-site" {
		return cors.Finding{}, false
	}
	var hop *cors.Hop
	for i := range paths {
		if paths[i].Purpose == PurposeWithoutCredentials && paths[i].Hop.Response != nil {
			hop = &paths[i].Hop
		}
	}
	if hop == nil {
		return cors.Finding{}, false
	}
	bare := &cors.Exchange{
		Request: cors.Request{Method: http.MethodGet, URL: r.URL, Origin: r.Origin, Credentials: true, Initiator: r.Initiator},
		Actual:  []cors.Hop{*hop},
	}
	d := p.Evaluate(bare)
	rep := d.Reported()
	if rep == nil {
		return cors.Finding{}, false
	}
	resp := hop.Response
	answer := fmt.Sprintf("probed without cookies, the server answers %d%s and %s", resp.Status, statusWords(resp), rep.Message)
	var others, names []string
	for _, q := range cors.AllProfiles {
		if w, ok := cookieWords[q.ThirdPartyCookies]; ok {
			others = append(others, q.Display+" "+w)
			names = append(names, q.Display)
		}
	}
	var f cors.Finding
	if words, ok := cookieWords[p.ThirdPartyCookies]; ok {
		f = cors.NewFinding(CodeCrossSiteCookies, "actual", fmt.Sprintf("%s %s, and %s is another site than the page's (%s), so the request arrives without its cookies: %s, so %s reports %s",
			p.Display, words, cors.OriginOf(r.URL), r.Origin, answer, p.Display, rep.Code))
		f.Severity = cors.SeverityError
		// The browser's words are those of the failure it then hits.
		f.BrowserMessage, f.Console = rep.BrowserMessage, rep.Console
		if f.Console != nil {
			c := *f.Console
			c.As = rep.Code
			f.Console = &c
		}
	} else {
		f = cors.NewFinding(CodeCrossSiteCookies, "actual", fmt.Sprintf("%s sends the cookies to %s, another site than the page's (%s), but %s: there the request arrives without them, and %s; users of %s see a CORS error (%s)",
			p.Display, cors.OriginOf(r.URL), r.Origin, strings.Join(others, " and "), answer, strings.Join(names, " and "), rep.Code))
	}
	return f, true
}

func statusWords(m *cors.Message) string {
	if m.StatusText != "" {
		return " (" + m.StatusText + ")"
	}
	if t := http.StatusText(m.Status); t != "" {
		return " (" + t + ")"
	}
	return ""
}

// AddBrowserFindings adds the probe's findings for the browser p judged d
// with: AddFindings' error-path warning, and the cookies-across-sites
// finding. When that browser sends no third-party cookies and the request
// fails without them, the browser blocks it: d's verdict says so and the
// finding is the reported error.
func (r *Result) AddBrowserFindings(p *cors.Profile, d *cors.Diagnosis) {
	r.AddFindings(d)
	AddCrossSiteCookies(p, r.Exchange, r.ErrorPaths, d)
}

// AddCrossSiteCookies adds to d, the judgement by browser p of ex, the
// cookies-across-sites finding the error-path answers paths support (har
// reads them from a check --har-out file). When p sends no third-party
// cookies and the request fails without them, p blocks it: d's verdict
// says so and the finding is the reported error.
func AddCrossSiteCookies(p *cors.Profile, ex *cors.Exchange, paths []ErrorPath, d *cors.Diagnosis) {
	if d.Verdict != cors.Allowed {
		// It fails with its cookies already: that comes first.
		return
	}
	f, ok := CrossSiteCookiesFinding(p, ex, paths)
	if !ok {
		return
	}
	if f.Severity == cors.SeverityError {
		f.Reported = true
		d.Verdict = cors.Blocked
		d.Findings = append([]cors.Finding{f}, d.Findings...)
		return
	}
	d.Findings = append(d.Findings, f)
}
