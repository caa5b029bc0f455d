package awsmodel

import (
	"net/http"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

func mock(headers ...Param) Integration {
	return Integration{Type: "MOCK", Responses: []IntegrationResponse{{Status: 200, Headers: headers}}}
}

var cognito = &Authorizer{Type: "COGNITO_USER_POOLS", Header: "Authorization", At: Pos{File: "t", Line: 9}}

// Answer predicts the preflight and actual answers of each service as the
// service would make them.
func TestAnswer(t *testing.T) {
	page := "https://app.example.com"
	aco := Param{Name: "Access-Control-Allow-Origin", Value: "'" + page + "'"}
	tests := []struct {
		name           string
		svc            Service
		route          Route
		header         http.Header
		preflight      int // 0: none expected
		preflightACAO  string
		actual         int
		assumed, notes int
	}{
		{"rest: no OPTIONS method", &RestAPI{ID: "A", Resources: []*Resource{{Path: "/items", Methods: []*Method{{Verb: "PUT", Integration: mock(aco)}}}}},
			Route{Method: "PUT", Path: "/items"}, nil, 403, "", 200, 0, 0},
		{"rest: authorizer on OPTIONS", &RestAPI{ID: "A", Resources: []*Resource{{Path: "/items", Methods: []*Method{
			{Verb: "OPTIONS", Authorizer: cognito, Integration: mock(aco)}, {Verb: "PUT", Authorizer: cognito, Integration: mock(aco)}}}}},
			Route{Method: "PUT", Path: "/items"}, http.Header{"Authorization": {"Bearer x"}}, 401, "", 200, 0, 0},
		{"rest: proxy catches OPTIONS", &RestAPI{ID: "A", Resources: []*Resource{{Path: "/{proxy+}", Methods: []*Method{{Verb: "ANY", Integration: Integration{Type: "AWS_PROXY"}}}}}},
			Route{Method: "PUT", Path: "/a/b"}, nil, 200, page, 200, 2, 2},
		{"http api: CORS answers the preflight", &HTTPAPI{ID: "H", Cors: &CorsConfig{AllowOrigins: []string{page}, AllowMethods: []string{"PUT"}},
			RouteList: []*HTTPRoute{{Method: "PUT", Path: "/items", Authorizer: cognito}}},
			Route{Method: "PUT", Path: "/items"}, http.Header{"Authorization": {"Bearer x"}}, 204, page, 200, 0, 0},
		{"http api: $default with an authorizer takes the preflight", &HTTPAPI{ID: "H", Cors: &CorsConfig{AllowOrigins: []string{page}, AllowMethods: []string{"PUT"}},
			RouteList: []*HTTPRoute{{Method: "ANY", Path: "$default", Authorizer: cognito}}},
			Route{Method: "PUT", Path: "/items"}, http.Header{"Authorization": {"Bearer x"}}, 401, "", 200, 0, 0},
		{"http api: ANY with an authorizer takes the preflight", &HTTPAPI{ID: "H", Cors: &CorsConfig{AllowOrigins: []string{page}, AllowMethods: []string{"PUT"}},
			RouteList: []*HTTPRoute{{Method: "ANY", Path: "/{proxy+}", Authorizer: cognito}}},
			Route{Method: "PUT", Path: "/items"}, http.Header{"Authorization": {"Bearer x"}}, 401, "", 200, 0, 0},
		{"http api: an OPTIONS route without authorizer comes first", &HTTPAPI{ID: "H", Cors: &CorsConfig{AllowOrigins: []string{page}, AllowMethods: []string{"PUT"}},
			RouteList: []*HTTPRoute{{Method: "ANY", Path: "$default", Authorizer: cognito}, {Method: "OPTIONS", Path: "/{proxy+}"}}},
			Route{Method: "PUT", Path: "/items"}, http.Header{"Authorization": {"Bearer x"}}, 204, page, 200, 0, 0},
		{"http api: no route", &HTTPAPI{ID: "H"}, Route{Method: "PUT", Path: "/items"}, nil, 404, "", 404, 0, 0},
		{"s3: no rule matches", &Bucket{ID: "B", Rules: []S3Rule{{AllowedOrigins: []string{page}, AllowedMethods: []string{"GET"}}}},
			Route{Method: "PUT", Path: "/o"}, nil, 403, "", 200, 0, 0},
		{"s3: wildcard origin", &Bucket{ID: "B", Rules: []S3Rule{{AllowedOrigins: []string{"https://*.example.com"}, AllowedMethods: []string{"PUT"}}}},
			Route{Method: "PUT", Path: "/o"}, nil, 200, page, 200, 0, 0},
		{"deploy-time origin", &HTTPAPI{ID: "H", Cors: &CorsConfig{AllowOrigins: []string{DeployTimeOrigin}, AllowMethods: []string{"*"}},
			RouteList: []*HTTPRoute{{Method: "ANY", Path: "$default"}}}, Route{Method: "DELETE", Path: "/x"}, nil, 204, page, 200, 0, 0},
		{"serverless origins echo", &RestAPI{ID: "A", Resources: []*Resource{{Path: "/i", Methods: []*Method{
			{Verb: "OPTIONS", Integration: mock(Param{Name: "Access-Control-Allow-Origin", Value: "'https://first.example'", Echo: []string{"https://first.example", page}})},
			{Verb: "PUT", Integration: mock(aco)}}}}}, Route{Method: "PUT", Path: "/i"}, nil, 200, page, 200, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Answer(tt.svc, tt.route, cors.Request{Method: tt.route.Method, Origin: page, Header: tt.header}, nil)
			ex := res.Exchange
			if tt.preflight == 0 {
				if ex.Preflight != nil {
					t.Fatal("unexpected preflight")
				}
			} else {
				if ex.Preflight == nil || ex.Preflight.Response.Status != tt.preflight {
					t.Fatalf("preflight %+v, want %d", ex.Preflight, tt.preflight)
				}
				if got := ex.Preflight.Response.Header.Get(cors.HeaderAllowOrigin); got != tt.preflightACAO {
					t.Errorf("preflight ACAO %q, want %q", got, tt.preflightACAO)
				}
			}
			if got := ex.FinalResponse().Status; got != tt.actual {
				t.Errorf("actual %d, want %d", got, tt.actual)
			}
			if len(res.Assumed) != tt.assumed || len(res.Notes) != tt.notes {
				t.Errorf("assumed %v, notes %d", res.Assumed, len(res.Notes))
			}
			if tt.preflight == 401 && res.Anchors["preflight"].Line != 9 {
				t.Errorf("the authorizer's refusal is anchored at %v", res.Anchors["preflight"])
			}
		})
	}
}

func TestPathMatches(t *testing.T) {
	tests := []struct {
		tmpl, path string
		want       bool
	}{
		{"/items", "/items", true},
		{"/items/{id}", "/items/1", true},
		{"/items/{id}", "/items", false},
		{"/{proxy+}", "/a/b/c", true},
		{"/{proxy+}", "/", false},
		{"/a/{proxy+}", "/b/c", false},
		{"/", "/", true},
	}
	for _, tt := range tests {
		if got := PathMatches(tt.tmpl, tt.path); got != tt.want {
			t.Errorf("PathMatches(%q, %q) = %v", tt.tmpl, tt.path, got)
		}
	}
}
