package cors

import (
	"strings"
	"testing"
)

func TestNetworkFindingFix(t *testing.T) {
	generic, _ := Lookup(CodeActualNetwork)
	tests := []struct {
		netError, wantFix string
	}{
		{"net::ERR_BLOCKED_BY_CLIENT", "extension"},
		{"net::ERR_CONNECTION_REFUSED", "Nothing accepts connections"},
		{"connection refused: nothing listens on 127.0.0.1:1", "Nothing accepts connections"},
		{"net::ERR_NAME_NOT_RESOLVED", "does not resolve"},
		{"net::ERR_CERT_AUTHORITY_INVALID", "TLS handshake"},
		{"net::ERR_INSECURE_RESPONSE", "TLS handshake"},
		{"net::ERR_TIMED_OUT", "did not answer in time"},
		{"net::ERR_EMPTY_RESPONSE", "closed the connection"},
		{"net::ERR_BLOCKED_BY_ORB", "other than CORS"},
		{"net::ERR_SOMETHING_NEW", generic.Fix},
		{"", generic.Fix},
	}
	for _, tt := range tests {
		f := NetworkFinding(CodeActualNetwork, "actual", "the request got no response", tt.netError)
		if !strings.Contains(f.Fix, tt.wantFix) {
			t.Errorf("%q: fix %q does not contain %q", tt.netError, f.Fix, tt.wantFix)
		}
		if f.Code != CodeActualNetwork || f.Severity != SeverityError {
			t.Errorf("%q: code %s severity %s", tt.netError, f.Code, f.Severity)
		}
	}
}
