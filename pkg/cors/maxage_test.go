package cors

import (
	"strings"
	"testing"
)

// TestMaxAgeBeyondInt64 follows each engine's parser: Chromium cannot parse
// a Max-Age past int64 and caches for 5 seconds; Gecko caps digit by digit,
// so any length is its 86400.
func TestMaxAgeBeyondInt64(t *testing.T) {
	const huge = "99999999999999999999"
	tests := []struct {
		p    *Profile
		want string
	}{
		{Chromium, "default 5 seconds"},
		{Firefox, "caches a preflight for at most 86400"},
	}
	for _, tt := range tests {
		ex := exch(put(), okPreflight(HeaderMaxAge, huge), okActual())
		var msg string
		for _, f := range tt.p.Evaluate(ex).Findings {
			if f.Code == CodeMaxAgeCapped {
				msg = f.Message
			}
		}
		if !strings.Contains(msg, tt.want) {
			t.Errorf("%s: max-age-capped says %q, want it to say %q", tt.p.Name, msg, tt.want)
		}
	}
}
