package probe

import (
	"net/http"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

func TestAddFindingsDropsRepeatedErrorPathWarning(t *testing.T) {
	errorPath := cors.NewFinding(cors.CodeErrorPathNoCORS, "error-path", "the API answered 404 without Access-Control-Allow-Origin")
	tests := []struct {
		name     string
		status   int
		acao     string
		wantKept bool
	}{
		// The actual 401 without ACAO is already the reported error.
		{"actual error without ACAO", 401, "", false},
		// A 200 without ACAO: the warning adds that error answers lack it too.
		{"actual 200 without ACAO", 200, "", true},
		// Allowed: the warning is the only sign of the error-path problem.
		{"allowed", 200, "*", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.acao != "" {
				h.Set("Access-Control-Allow-Origin", tt.acao)
			}
			ex := &cors.Exchange{
				Request: cors.Request{Method: "GET", URL: "https://api.example.com/me", Origin: "https://app.example.com"},
				Actual:  []cors.Hop{{Request: cors.Message{Method: "GET", URL: "https://api.example.com/me"}, Response: &cors.Message{Status: tt.status, Header: h}}},
			}
			d := cors.Evaluate(ex)
			res := &Result{Exchange: ex, Findings: []cors.Finding{errorPath}}
			res.AddFindings(d)
			if got := d.Has(cors.CodeErrorPathNoCORS); got != tt.wantKept {
				t.Errorf("error-path warning kept = %v, want %v (findings %v)", got, tt.wantKept, d.Findings)
			}
		})
	}
}
