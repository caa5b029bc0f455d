package cors_test

import (
	"fmt"
	"net/http"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// A preflight answered 404 without Access-Control-Allow-Origin: Chromium
// checks the origin before the status, so that is what it reports.
func ExampleEvaluate() {
	ex := &cors.Exchange{
		Request: cors.Request{
			Method: "PUT",
			URL:    "https://api.example.com/v1/items/7",
			Origin: "https://app.example.com",
			Header: http.Header{"Content-Type": {"application/json"}},
		},
		Preflight: &cors.Hop{Response: &cors.Message{Status: 404, Header: http.Header{}}},
	}
	d := cors.Evaluate(ex)
	f := d.Reported()
	fmt.Println(d.Verdict)
	fmt.Println(f.Code, f.CorsError)
	fmt.Println(f.BrowserMessage)
	fmt.Println(d.Has(cors.CodePreflightStatus))
	// Output:
	// blocked
	// preflight-missing-allow-origin PreflightMissingAllowOriginHeader
	// Access to fetch at 'https://api.example.com/v1/items/7' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.
	// true
}

// The server echoes the origin with a trailing slash: the comparison is byte
// for byte, so Chromium reports a mismatch and corsdiag says why.
func ExampleEvaluate_mismatch() {
	ex := &cors.Exchange{
		Request: cors.Request{Method: "GET", URL: "https://api.example.com/me", Origin: "https://app.example.com", Credentials: true},
		Actual: []cors.Hop{{Response: &cors.Message{Status: 200, Header: http.Header{
			"Access-Control-Allow-Origin":      {"https://app.example.com/"},
			"Access-Control-Allow-Credentials": {"true"},
		}}}},
	}
	f := cors.Evaluate(ex).Reported()
	fmt.Println(f.Code, f.FailedParameter)
	fmt.Println(f.Message)
	// Output:
	// allow-origin-mismatch https://app.example.com/
	// Access-Control-Allow-Origin is 'https://app.example.com/' but the page's origin is https://app.example.com: the value has a trailing slash; an origin has none
}

// PlanRequest says what the browser puts on the wire before any response.
func ExampleProfile_PlanRequest() {
	pl := cors.Chromium.PlanRequest(&cors.Request{
		Method: "patch",
		URL:    "https://api.example.com/v1/items/7",
		Origin: "https://app.example.com",
		Header: http.Header{"X-Api-Key": {"k"}, "Content-Type": {"application/json"}, "Cookie": {"s=1"}},
	})
	fmt.Println(pl.Method, pl.Preflight)
	fmt.Println(pl.RequestHeaders)
	fmt.Println(pl.Dropped)
	// Output:
	// patch true
	// content-type,x-api-key
	// [Cookie]
}
