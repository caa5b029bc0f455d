package cors

import "testing"

// TestCatalogueKeysAreTheProfiles holds the catalogue's Chromium CorsError
// and Firefox key of each code (printed in --json and on every finding
// page) to the key the profile logs for it, which the conformance suite
// checks against the browsers.
func TestCatalogueKeysAreTheProfiles(t *testing.T) {
	for _, in := range Codes() {
		for _, tt := range []struct {
			p    *Profile
			want string
		}{
			{Chromium, in.CorsError},
			{Firefox, in.Firefox},
		} {
			cs, ok := tt.p.Messages.Causes[string(in.Code)]
			if !ok || cs.Key == "" || tt.want == "" {
				continue
			}
			if cs.Key != tt.want {
				t.Errorf("%s: the catalogue names %s's key %q, the profile logs %q", in.Code, tt.p.Display, tt.want, cs.Key)
			}
		}
	}
}
