package cors

import (
	"fmt"
	"net/http"
	"testing"
)

// preflightedExchange is a typical API call: credentialed PUT with JSON and a
// bearer token, a passing preflight and a passing actual response.
func preflightedExchange() *Exchange {
	r := Request{Method: "PUT", URL: api, Origin: page, Credentials: true,
		Header: hdr("Content-Type", "application/json", "Authorization", "Bearer t", "Accept", "application/json", "X-Request-Id", "42")}
	pre := res(204, HeaderAllowOrigin, page, HeaderAllowCredentials, "true", HeaderAllowMethods, "GET, POST, PUT, DELETE",
		HeaderAllowHeaders, "Content-Type, Authorization, X-Request-Id", HeaderMaxAge, "600", "Vary", "Origin")
	act := res(200, HeaderAllowOrigin, page, HeaderAllowCredentials, "true", "Vary", "Origin",
		"Content-Type", "application/json", HeaderExposeHeaders, "X-Total-Count", "X-Total-Count", "3")
	return exch(r, pre, act)
}

// redirectChainExchange: five same-origin redirects, then a cross-origin one
// that taints the origin, then the final response.
func redirectChainExchange() *Exchange {
	var hops []*Message
	for i := 1; i <= 5; i++ {
		hops = append(hops, res(302, "Location", fmt.Sprintf("/v1/hop/%d", i), HeaderAllowOrigin, page, "Vary", "Origin"))
	}
	hops = append(hops, res(307, "Location", "https://cdn.example.net/items", HeaderAllowOrigin, page, "Vary", "Origin"),
		res(200, HeaderAllowOrigin, "*"))
	return exch(get(), nil, hops...)
}

func BenchmarkEvaluatePreflighted(b *testing.B) {
	ex := preflightedExchange()
	b.ReportAllocs()
	for b.Loop() {
		if d := Evaluate(ex); d.Verdict != Allowed {
			b.Fatal(codes(d))
		}
	}
}

func BenchmarkEvaluateBlockedPreflight(b *testing.B) {
	ex := exch(put(), res(404, "Content-Type", "text/html"))
	b.ReportAllocs()
	for b.Loop() {
		if d := Evaluate(ex); d.Verdict != Blocked {
			b.Fatal(codes(d))
		}
	}
}

func BenchmarkEvaluateRedirectChain(b *testing.B) {
	ex := redirectChainExchange()
	b.ReportAllocs()
	for b.Loop() {
		if d := Evaluate(ex); d.Verdict != Allowed {
			b.Fatal(codes(d))
		}
	}
}

func BenchmarkPlanRequest(b *testing.B) {
	r := &Request{Method: "PUT", URL: api, Origin: page, Header: http.Header{
		"Content-Type": {"application/json"}, "Authorization": {"Bearer t"}, "Accept": {"application/json"},
		"X-Request-Id": {"42"}, "Accept-Language": {"en-US,en;q=0.9"}, "Cookie": {"a=b"},
	}}
	b.ReportAllocs()
	for b.Loop() {
		if pl := Chromium.PlanRequest(r); pl.RequestHeaders != "authorization,content-type,x-request-id" {
			b.Fatal(pl.RequestHeaders)
		}
	}
}

// BenchmarkPlanRequestHAR plans the author headers harfile rebuilds from a
// Chrome recording: nothing forbidden left, each name spelled once.
func BenchmarkPlanRequestHAR(b *testing.B) {
	r := &Request{Method: "PUT", URL: api, Origin: page, Header: http.Header{
		"Accept": {"*/*"}, "Content-Type": {"application/json"}, "X-Request-Id": {"req-42"},
	}}
	b.ReportAllocs()
	for b.Loop() {
		if pl := Chromium.PlanRequest(r); pl.RequestHeaders != "content-type,x-request-id" {
			b.Fatal(pl.RequestHeaders)
		}
	}
}

// BenchmarkPlanCache is BenchmarkPlanRequestHAR from the plan cache, and
// built (a miss, or a profile that is not built in).
func BenchmarkPlanCache(b *testing.B) {
	r := &Request{Method: "PUT", URL: api, Origin: page,
		Header: http.Header{"Accept": {"*/*"}, "Content-Type": {"application/json"}, "X-Request-Id": {"req-17"}}}
	for _, bc := range []struct {
		name  string
		cache *planCache
	}{{"cached", Chromium.planCache()}, {"built", nil}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if pl, _ := Chromium.plan(r, bc.cache, false); !pl.Preflight {
					b.Fatal("no preflight")
				}
			}
		})
	}
}
