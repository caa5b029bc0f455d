package cli

import (
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// browserFlagHelp is the --browser help of check, har and ci.
const browserFlagHelp = "browser whose rules and console words judge the request: chromium, firefox, safari (webkit), a comma-separated list, or all"

// parseBrowsers reads a --browser value: one name or alias, a
// comma-separated list, or "all". The first is the primary browser.
func parseBrowsers(flag, v string) ([]*cors.Profile, error) {
	if strings.EqualFold(strings.TrimSpace(v), "all") {
		return cors.AllProfiles, nil
	}
	var out []*cors.Profile
	for _, name := range strings.Split(v, ",") {
		p, ok := cors.LookupProfile(name)
		if !ok {
			return nil, usageErrorf("%s %q: want one of %s, a comma-separated list or all", flag, strings.TrimSpace(name), strings.Join(cors.ProfileNames(), ", "))
		}
		dup := false
		for _, q := range out {
			dup = dup || q == p
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out, nil
}
