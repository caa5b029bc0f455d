package probe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/weburl"
)

// startErrorPaths sends the error-path probe: safe, simple cross-origin
// GETs (no preflight, no author headers, no credentials) that make the API
// answer with an error, to see whether its error responses carry CORS
// headers. A page that hits such an error sees a CORS failure instead of the
// real status.
//
// The probes never depend on the exchange's answers, so they go out at
// once, each on its own, beside the preflight and the actual request: the
// check costs the browser's round trips, no more. The returned function
// waits for them and gives them in a fixed order, whatever finished first.
func (p *prober) startErrorPaths(ctx context.Context, plan *cors.Plan) func() []ErrorPath {
	r := &p.opts.Request
	var out []ErrorPath
	if u, ok := unknownPathURL(r.URL); ok {
		out = append(out, ErrorPath{Purpose: PurposeUnknownPath, Hop: cors.Hop{Request: cors.Message{URL: u}}})
	}
	if carriesCredentials(&p.opts, plan) {
		out = append(out, ErrorPath{Purpose: PurposeWithoutCredentials, Hop: cors.Hop{Request: cors.Message{URL: r.URL}}})
	}
	var wg sync.WaitGroup
	for i := range out {
		wg.Go(func() { out[i].Hop = p.simpleGet(ctx, out[i].Hop.Request.URL, r.Origin) })
	}
	return func() []ErrorPath {
		wg.Wait()
		return out
	}
}

// simpleGet sends a simple cross-origin GET from origin.
func (p *prober) simpleGet(ctx context.Context, rawURL, origin string) cors.Hop {
	h := http.Header{}
	h.Set("Accept", "*/*")
	h.Set("Origin", origin)
	p.browserHeaders(h, rawURL, SiteRelation(origin, rawURL))
	hop, _ := p.sendOnly(ctx, http.MethodGet, rawURL, h, nil)
	return hop
}

// unknownPathURL puts a random name that cannot exist beside the request's
// path: /api/users/42?x=1 -> /api/users/corsdiag-probe-<hex>.
func unknownPathURL(raw string) (string, bool) {
	var b [6]byte
	_, _ = rand.Read(b[:])
	// A relative reference replaces the last segment and drops the query.
	u, err := weburl.Resolve(raw, "corsdiag-probe-"+hex.EncodeToString(b[:]))
	return u, err == nil
}

// carriesCredentials reports whether the actual request sends cookies, basic
// auth, or a header that holds a secret (Authorization, X-Api-Key…).
func carriesCredentials(o *Options, plan *cors.Plan) bool {
	if o.Request.Credentials && (o.Cookie != "" || o.BasicAuth != "") {
		return true
	}
	for name := range plan.AuthorHeaders {
		if redact.IsSecretName(name) {
			return true
		}
	}
	return false
}

// ErrorPathFinding reports the error answers that lack
// Access-Control-Allow-Origin, in one finding (harfile gives the same for
// the probes `check --har-out` recorded).
func ErrorPathFinding(paths []ErrorPath) (cors.Finding, bool) {
	var parts []string
	for _, ep := range paths {
		resp := ep.Hop.Response
		if resp == nil || resp.Status < 400 || len(resp.Header.Values("Access-Control-Allow-Origin")) > 0 {
			continue
		}
		st := fmt.Sprint(resp.Status)
		if t := resp.StatusText; t != "" {
			st += " (" + t + ")"
		} else if t := http.StatusText(resp.Status); t != "" {
			st += " (" + t + ")"
		}
		what := "to a request for an unknown path"
		if ep.Purpose == PurposeWithoutCredentials {
			what = "to a GET of the same URL without credentials"
		}
		parts = append(parts, st+" "+what)
	}
	if len(parts) == 0 {
		return cors.Finding{}, false
	}
	msg := "the API answered " + strings.Join(parts, " and ") +
		" without an Access-Control-Allow-Origin header; whenever this API answers 401/403/404/5xx, the browser shows a CORS error instead of the real status, and page script cannot read the response"
	return cors.NewFinding(cors.CodeErrorPathNoCORS, "error-path", msg), true
}

// AddFindings appends the probe's own findings to d, leaving out an
// error-path warning that only repeats d's reported error: when the actual
// request itself got a 4xx/5xx without Access-Control-Allow-Origin, the
// user already sees that, with the real status.
func (r *Result) AddFindings(d *cors.Diagnosis) {
	rep := d.Reported()
	final := r.Exchange.FinalResponse()
	repeats := rep != nil && rep.Code == cors.CodeMissingAllowOrigin && final != nil && final.Status >= 400
	for _, f := range r.Findings {
		if repeats && f.Code == cors.CodeErrorPathNoCORS {
			continue
		}
		d.Findings = append(d.Findings, f)
	}
}

// ErrorPathHops are the error-path probe's exchanges, as platform.Input
// takes them.
func (r *Result) ErrorPathHops() []cors.Hop {
	hops := make([]cors.Hop, len(r.ErrorPaths))
	for i := range r.ErrorPaths {
		hops[i] = r.ErrorPaths[i].Hop
	}
	return hops
}
