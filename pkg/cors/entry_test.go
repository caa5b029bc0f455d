package cors

import (
	"slices"
	"testing"
)

// An allow-list entry is compared with the Origin a browser sends, which
// is always serialized (RFC 6454 §6.1): an entry that means the page's
// origin but is written otherwise never matches a list that compares
// strings. EntrySlips is the one rule every door asks.
func TestEntrySlips(t *testing.T) {
	for _, tc := range []struct {
		entry, origin string
		slips         []string
	}{
		{"https://app.example.com", "https://app.example.com", nil},
		{"http://localhost:3000", "http://localhost:3000", nil},
		{"https://app.example.com:443", "https://app.example.com", []string{"carries the default port :443"}},
		{"http://x.com:80", "http://x.com", []string{"carries the default port :80"}},
		{"https://app.example.com/", "https://app.example.com", []string{"has a trailing slash"}},
		{"https://app.example.com/app", "https://app.example.com", []string{"carries a path (/app)"}},
		{"https://app.example.com:443/", "https://app.example.com", []string{"carries the default port :443", "has a trailing slash"}},
		{"HTTPS://APP.example.com", "https://app.example.com", []string{"has upper-case letters"}},
		{" https://app.example.com", "https://app.example.com", []string{"has white space around it"}},
		{"https://app.example.com\t", "https://app.example.com", []string{"has white space around it"}},
		// Not an origin written otherwise: another origin, a pattern,
		// null, no origin at all.
		{"https://app.example.com:8443", "https://app.example.com:8443", nil},
		{"https://*.example.com", "", nil},
		{"*", "", nil},
		{"null", "", nil},
		{"app.example.com", "", nil},
		{"", "", nil},
	} {
		origin, slips := EntrySlips(tc.entry)
		if origin != tc.origin || !slices.Equal(slips, tc.slips) {
			t.Errorf("EntrySlips(%q) = %q, %q; want %q, %q", tc.entry, origin, slips, tc.origin, tc.slips)
		}
	}
}
