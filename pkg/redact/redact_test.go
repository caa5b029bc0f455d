package redact

import (
	"net/http"
	"testing"
)

func TestValue(t *testing.T) {
	tests := []struct {
		name, header, value, want string
	}{
		{"bearer keeps scheme", "Authorization", "Bearer eyJhbGciOi.eyJzdWIiOjF9.sig", "Bearer " + Marker},
		{"basic keeps scheme", "authorization", "Basic dXNlcjpwYXNz", "Basic " + Marker},
		{"bare authorization", "Authorization", "tok", Marker},
		{"cookie keeps names", "Cookie", "sid=abc; theme=dark", "sid=" + Marker + "; theme=" + Marker},
		{"set-cookie keeps name", "Set-Cookie", "sid=abc; Path=/; HttpOnly", "sid=" + Marker},
		{"api key", "X-Api-Key", "k1", Marker},
		{"custom token header", "X-My-Token", "abc", Marker},
		{"cors header kept", "Access-Control-Allow-Credentials", "true", "true"},
		{"cors headers list kept", "Access-Control-Allow-Headers", "authorization, x-api-key", "authorization, x-api-key"},
		{"origin kept", "Origin", "https://app.example.com", "https://app.example.com"},
		{"plain header kept", "Content-Type", "application/json", "application/json"},
		{"jwt in other header", "X-Debug", "user eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.abcdefgh", "user " + Marker},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Value(tt.header, tt.value); got != tt.want {
				t.Errorf("Value(%q, %q) = %q, want %q", tt.header, tt.value, got, tt.want)
			}
		})
	}
}

func TestHeaderCopies(t *testing.T) {
	h := http.Header{"Authorization": {"Bearer secret-token-123"}, "Accept": {"*/*"}}
	r := Header(h)
	if h.Get("Authorization") != "Bearer secret-token-123" {
		t.Fatal("Header modified its input")
	}
	if r.Get("Authorization") != "Bearer "+Marker || r.Get("Accept") != "*/*" {
		t.Fatalf("Header = %v", r)
	}
}

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://api.example.com/items?page=2", "https://api.example.com/items?page=2"},
		{"https://api.example.com/items?api_key=abc&page=2", "https://api.example.com/items?api_key=" + Marker + "&page=2"},
		{"https://api.example.com/?access_token=abc&token=x", "https://api.example.com/?access_token=" + Marker + "&token=" + Marker},
		{"https://user:pw@api.example.com/", "https://user:%5BREDACTED%5D@api.example.com/"},
		{"https://api.example.com/?q=AKIAABCDEFGHIJKLMNOP", "https://api.example.com/?q=" + Marker},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no secrets here", "no secrets here"},
		{"Access-Control-Allow-Credentials: true", "Access-Control-Allow-Credentials: true"},
		// fetch's credentials option is prose in findings, not a secret.
		{"the request carries credentials (credentials: 'include')", "the request carries credentials (credentials: 'include')"},
		{`{"password":"hunter22","user":"bob"}`, `{"password":"` + Marker + `","user":"bob"}`},
		{"session_token=abcdef123&x=1", "session_token=" + Marker + "&x=1"},
		{"Authorization: Bearer abcdefghijklmnop", "Authorization: Bearer " + Marker},
		{"key AKIAABCDEFGHIJKLMNOP used", "key " + Marker + " used"},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"Authorization": true, "Cookie": true, "X-Api-Key": true, "X-Amz-Security-Token": true,
		"Ocp-Apim-Subscription-Key": true, "Content-Type": false, "Accept": false,
		"Access-Control-Allow-Credentials": false, "Origin": false, "Keep-Alive": false,
	} {
		if got := IsSecretName(name); got != want {
			t.Errorf("IsSecretName(%q) = %v, want %v", name, got, want)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "token=abc", "Bearer xyzxyzxyzxyz", "eyJabcde.eyJabcde.sig", "Access-Control-Allow-Credentials: true"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if Text(out) != out {
			t.Fatalf("Text is not idempotent: %q -> %q -> %q", s, out, Text(out))
		}
	})
}

func FuzzURL(f *testing.F) {
	for _, s := range []string{"https://a.example/?token=x", "http://u:p@h/", "::", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { _ = URL(s) })
}
