package awsmodel

import (
	"fmt"
	"slices"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// The comparison requests of a configuration that refuses the page: the
// first MaxCompareOrigins origins it names, one by one, each once,
// never the page's, skipping a pattern, * and what is no origin.
func TestCompareOrigins(t *testing.T) {
	page := "https://app.example.com"
	for _, tt := range []struct {
		name    string
		origins []string
		want    []string
	}{
		{"none", nil, nil},
		{"page left out", []string{"HTTPS://APP.example.com/", "https://a.example"}, []string{"https://a.example"}},
		{"each once, as serialized", []string{"https://a.example/", "https://A.example", "https://a.example:443"}, []string{"https://a.example"}},
		{"patterns and junk skipped", []string{"*", "https://*.example.com", "ftp://x", "a.example", "https://b.example"}, []string{"https://b.example"}},
		{"at most three", []string{"https://a.example", "https://a.example", "https://b.example", "https://c.example", "https://d.example"},
			[]string{"https://a.example", "https://b.example", "https://c.example"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svc := &HTTPAPI{ID: "H", Cors: &CorsConfig{AllowOrigins: tt.origins, AllowMethods: []string{"GET"}}}
			res := Answer(svc, Route{Method: "GET", Path: "/"}, cors.Request{Method: "GET", URL: "https://h.example/", Origin: page}, nil)
			var got []string
			for _, c := range res.Exchange.Compared {
				got = append(got, c.Origin)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("compared %q, want %q", got, tt.want)
			}
		})
	}
}

// BenchmarkAnswerManyOrigins: a template's list of origins is untrusted; a
// route's answer reads only the first few it compares with.
func BenchmarkAnswerManyOrigins(b *testing.B) {
	origins := make([]string, 20000)
	for i := range origins {
		origins[i] = fmt.Sprintf("https://o%07d.example.com", i)
	}
	svc := &HTTPAPI{ID: "H", Cors: &CorsConfig{AllowOrigins: origins, AllowMethods: []string{"GET"}}}
	req := cors.Request{Method: "GET", URL: "https://h.example/", Origin: "https://app.example.com"}
	for b.Loop() {
		Answer(svc, Route{Method: "GET", Path: "/"}, req, nil)
	}
}
