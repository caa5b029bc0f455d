package conformance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestProfileUserAgents: the User-Agent a profile's probe sends is the one
// the browser the suite verified sent, as its own HAR export recorded it
// (headless Chromium says HeadlessChrome where a desktop Chrome says
// Chrome). A browser upgrade that refreshes the record refreshes this too.
func TestProfileUserAgents(t *testing.T) {
	tests := []struct {
		har     string
		profile *cors.Profile
		fix     func(string) string
	}{
		{"chromium-conformance.har", cors.Chromium, func(ua string) string { return strings.Replace(ua, "HeadlessChrome/", "Chrome/", 1) }},
		{"firefox-conformance.har", cors.Firefox, func(ua string) string { return ua }},
	}
	for _, tt := range tests {
		t.Run(tt.profile.Name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "har", tt.har))
			if err != nil {
				t.Fatal(err)
			}
			var h struct {
				Log struct {
					Entries []struct {
						Request struct {
							Headers []struct{ Name, Value string }
						}
					}
				}
			}
			if err := json.Unmarshal(data, &h); err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			for _, e := range h.Log.Entries {
				for _, hd := range e.Request.Headers {
					if strings.EqualFold(hd.Name, "User-Agent") {
						seen[tt.fix(hd.Value)]++
					}
				}
			}
			if len(seen) != 1 {
				t.Fatalf("%s: want one User-Agent, got %v", tt.har, seen)
			}
			if want := tt.profile.Headers.UserAgent; seen[want] == 0 {
				t.Errorf("profile %s sends User-Agent %q; the browser the suite verified sent %v", tt.profile.Name, want, seen)
			}
		})
	}
}
