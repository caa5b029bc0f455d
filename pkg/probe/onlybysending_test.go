package probe

import (
	"net/http"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

func TestOnlyBySending(t *testing.T) {
	const api, page = "https://api.example.com/items", "https://app.example.com"
	tests := []struct {
		name   string
		method string
		header http.Header
		origin string
		want   bool
	}{
		{"form POST", "POST", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, page, true},
		{"plain POST", "post", nil, page, true},
		{"JSON POST is preflighted", "POST", http.Header{"Content-Type": {"application/json"}}, page, false},
		{"PUT is preflighted", "PUT", nil, page, false},
		{"GET is safe", "GET", nil, page, false},
		{"same-origin POST is not CORS", "POST", nil, "https://api.example.com", false},
		{"forbidden method sends nothing", "TRACE", nil, page, false},
		{"origin not known yet (ci defaults)", "POST", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &cors.Request{Method: tt.method, URL: api, Origin: tt.origin, Header: tt.header}
			if got := OnlyBySending(cors.Chromium, r); got != tt.want {
				t.Errorf("OnlyBySending = %v, want %v", got, tt.want)
			}
		})
	}
}
