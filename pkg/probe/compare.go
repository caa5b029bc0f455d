package probe

import (
	"context"
	"net/http"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// MaxCompareOrigins bounds the comparison requests of one check.
const MaxCompareOrigins = cors.MaxCompareOrigins

// compare sends the comparison requests: when the preflight or the actual
// answer looks like a CORS layer refusing the page's origin, the same safe
// request again with another origin, so the report can say which origins
// the server does allow. Origins the user named are always tried; without
// any, the API's own origin is, and only after a refusal.
func (p *prober) compare(ctx context.Context, ex *cors.Exchange, plan *cors.Plan) []cors.Comparison {
	r := &p.opts.Request
	step, refused := "", false
	switch {
	case ex.Preflight != nil:
		step = "preflight"
		refused = cors.Refusal(ex.Preflight.Response, true) != ""
	case len(ex.Actual) > 0 && (plan.Method == http.MethodGet || plan.Method == http.MethodHead):
		step = "actual"
		refused = cors.Refusal(ex.Actual[0].Response, false) != ""
	default:
		return nil
	}
	origins := p.opts.CompareOrigins
	if len(origins) == 0 {
		if !refused {
			return nil
		}
		own := cors.OriginOf(r.URL)
		if own == "" || own == r.Origin {
			return nil
		}
		origins = []string{own}
	}
	var out []cors.Comparison
	for _, o := range origins {
		if len(out) == MaxCompareOrigins {
			break
		}
		if o == r.Origin {
			continue
		}
		var hop cors.Hop
		if step == "preflight" {
			rr := *r
			rr.Origin = o
			hop = p.preflightFor(ctx, &rr, plan)
		} else {
			hop = p.simpleGet(ctx, r.URL, o)
		}
		out = append(out, cors.Comparison{Origin: o, Step: step, Hop: hop})
	}
	return out
}
