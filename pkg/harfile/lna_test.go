package harfile

import (
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// The HAR reader hands serverIPAddress to the engine, whose Local Network
// Access check judges it against the page's origin.
func TestServerIPAddressJudged(t *testing.T) {
	get := func(origin, ip string) string {
		e := entryJSON("2024-01-01T00:00:00.100Z", "GET", "https://printer.test/status", "fetch", // https: from an https page, http would be mixed content
			[][2]string{{"Origin", origin}, {"Sec-Fetch-Mode", "cors"}}, 200, [][2]string{{"Access-Control-Allow-Origin", "*"}}, "")
		if ip == "" {
			return e
		}
		return strings.TrimSuffix(e, "}") + `,"serverIPAddress":"` + ip + `"}`
	}
	tests := []struct {
		name, origin, ip string
		want             cors.Code // "" for none
	}{
		{"https page to a LAN device", "https://app.test", "192.168.1.10", cors.CodeLocalNetworkPermission},
		{"https page to IPv6 loopback", "https://app.test", "[::1]", cors.CodeLocalNetworkPermission},
		{"public server", "https://app.test", "203.0.113.7", ""},
		{"no address recorded", "https://app.test", "", ""},
		{"a LAN page to a LAN device", "http://192.168.1.2:8000", "192.168.1.10", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, res := analyze(t, harOf(get(tc.origin, tc.ip)))
			if len(res) != 1 {
				t.Fatalf("%d results, want 1", len(res))
			}
			var got []cors.Code
			for _, f := range res[0].Findings {
				if f.Code == cors.CodeLocalNetworkPermission || f.Code == cors.CodeLocalNetworkInsecure {
					got = append(got, f.Code)
				}
			}
			if (tc.want == "" && len(got) > 0) || (tc.want != "" && (len(got) != 1 || got[0] != tc.want)) {
				t.Errorf("Local Network Access findings %v, want %q", got, tc.want)
			}
		})
	}
}
