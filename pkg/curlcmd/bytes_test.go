package curlcmd

import (
	"errors"
	"strings"
	"testing"
)

// A NUL byte or bytes that are not UTF-8 are in no copy DevTools makes:
// every form refuses them with the byte offset, rather than dropping the
// NUL (the bash parser did: /x\x00y was sent as /xy) or replacing the bytes
// with U+FFFD (the cmd, fetch and PowerShell readers did).
func TestDamagedBytes(t *testing.T) {
	parsers := map[Dialect]func(string) (*Command, error){
		Bash: Parse, Cmd: Parse, Fetch: ParseFetch, PowerShell: ParsePowerShell,
	}
	for _, tc := range []struct {
		name   string
		form   Dialect
		text   string
		offset int
		reason string
	}{
		{"bash NUL in URL", Bash, "curl 'https://x.test/a\x00b' -H 'origin: https://app.test'", 22, "NUL"},
		{"bash NUL in header", Bash, "curl 'https://x.test/' -H 'x-a: b\x00c'", 33, "NUL"},
		{"bash bad UTF-8", Bash, "curl 'https://x.test/\xff' -H 'origin: https://app.test'", 21, "0xff is not UTF-8"},
		{"cmd NUL", Cmd, "curl ^\"https://x.test/a\x00b^\"", 23, "NUL"},
		{"cmd bad UTF-8", Cmd, "curl ^\"https://x.test/\xc3(^\"", 22, "0xc3 is not UTF-8"},
		{"fetch NUL", Fetch, "fetch(\"https://x.test/a\x00b\", {\"method\": \"GET\"});", 23, "NUL"},
		{"fetch bad UTF-8", Fetch, "fetch(\"https://x.test/\", {\"body\": \"caf\xe9\"});", 38, "0xe9 is not UTF-8"},
		{"PowerShell NUL", PowerShell, "Invoke-WebRequest -Uri \"https://x.test/a\x00b\"", 40, "NUL"},
		{"PowerShell bad UTF-8", PowerShell, "Invoke-WebRequest -Uri \"https://x.test/\xfe\"", 39, "0xfe is not UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parsers[tc.form](tc.text)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if e.Offset != tc.offset || !strings.Contains(e.Reason, tc.reason) {
				t.Errorf("error %q (offset %d), want offset %d and %q", e.Error(), e.Offset, tc.offset, tc.reason)
			}
			wantForm := tc.form
			if wantForm == Bash || wantForm == Cmd {
				wantForm = ""
			}
			if e.Form != wantForm {
				t.Errorf("form %q, want %q", e.Form, wantForm)
			}
		})
	}
}
