package cors

import "testing"

func TestWorthExposing(t *testing.T) {
	for name, want := range map[string]bool{
		"etag": true, "x-total-count": true, "x-request-id": true, "location": true, "ratelimit-remaining": true,
		"date": false, "server": false, "x-powered-by": false, "x-cache": false, "cf-ray": false,
		"content-security-policy": false, "access-control-allow-origin": false, "set-cookie": false,
	} {
		if got := WorthExposing(name); got != want {
			t.Errorf("WorthExposing(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestAllowsOrigin(t *testing.T) {
	const page = "https://app.example.com"
	resp := func(acao string) *Message {
		m := &Message{Status: 200, Header: map[string][]string{}}
		if acao != "" {
			m.Header["Access-Control-Allow-Origin"] = []string{acao}
		}
		return m
	}
	tests := []struct {
		name string
		ex   Exchange
		want bool
	}{
		{"nothing answered", Exchange{}, false},
		{"no header anywhere", Exchange{Preflight: &Hop{Response: resp("")}, Actual: []Hop{{Response: resp("")}}}, false},
		{"another origin only", Exchange{Actual: []Hop{{Response: resp("https://other.example.com")}}}, false},
		{"the preflight allows it", Exchange{Preflight: &Hop{Response: resp(page)}, Actual: []Hop{{Response: resp("")}}}, true},
		{"a redirect hop allows *", Exchange{Actual: []Hop{{Response: resp("*")}, {Response: resp("")}}}, true},
	}
	for _, tt := range tests {
		tt.ex.Request.Origin = page
		if got := tt.ex.AllowsOrigin(); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
