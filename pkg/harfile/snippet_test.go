package harfile

import (
	"strings"
	"testing"
)

// A syntax error quotes the bytes where reading stopped: a secret there
// (an unquoted value, a cut-off URL) is hidden as the reports hide it.
func TestSyntaxErrorHidesSecrets(t *testing.T) {
	for _, tt := range []struct{ doc, secret string }{
		{`{"log":{"entries":[{"request":{"url":"https://a.example/x", "headers":[{"name":"authorization","value":Bearer sk_live_abcdef}]}}]}}`, "sk_live"},
		{`{"log":{"entries":[{"request":{"url":"https://a.example/", "cookies":[{"name":"k","value":api_key=abcdef1234}]}}]}}`, "abcdef"},
	} {
		err := NewReader(strings.NewReader(tt.doc), Options{}).ReadEntries(func(*Entry) error { return nil })
		if err == nil {
			t.Fatalf("%s: no error", tt.doc)
		}
		if strings.Contains(err.Error(), tt.secret) {
			t.Errorf("error shows the secret: %v", err)
		}
		if !strings.Contains(err.Error(), "byte offset") {
			t.Errorf("error lost its place: %v", err)
		}
	}
}
