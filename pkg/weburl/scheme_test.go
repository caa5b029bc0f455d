package weburl

import "testing"

func TestScheme(t *testing.T) {
	tests := []struct {
		in        string
		isScheme  bool // the whole string
		hasScheme bool // a scheme and its colon open it
	}{
		{"https://app.example.com/", false, true},
		{"HTTPS://APP.EXAMPLE.COM", false, true},
		{"https", true, false},
		{"git+ssh://host/repo", false, true},
		{"view-source:https://x", false, true},
		{"a.b-c+d9:", false, true},
		{"data:text/plain,hi", false, true},
		{"about:blank", false, true},
		{"x:", false, true},
		{"", false, false},
		{":", false, false},
		{"://app.example.com", false, false},
		{"app.example.com", true, false},
		{"app.example.com/path", false, false},
		{"localhost:8080", false, true}, // RFC 3986 reads it as a scheme
		{"/items?x=1", false, false},
		{"1http://x", false, false},
		{"+http", false, false},
		{"ht tp://x", false, false},
		{"ht_tp://x", false, false},
		{"h\x80ttp://x", false, false},
		{"ttp:/x", false, true},
		{"é:", false, false},
	}
	for _, tt := range tests {
		if got := IsScheme(tt.in); got != tt.isScheme {
			t.Errorf("IsScheme(%q) = %v, want %v", tt.in, got, tt.isScheme)
		}
		if got := HasScheme(tt.in); got != tt.hasScheme {
			t.Errorf("HasScheme(%q) = %v, want %v", tt.in, got, tt.hasScheme)
		}
	}
	for _, c := range []byte("azAZ09+-.") {
		if !IsSchemeByte(c) {
			t.Errorf("IsSchemeByte(%q) = false", c)
		}
	}
	for _, c := range []byte(":/@_ %~`{[\x00\x7f\x80\xe1") {
		if IsSchemeByte(c) {
			t.Errorf("IsSchemeByte(%q) = true", c)
		}
	}
}
