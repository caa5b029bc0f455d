package docs

import (
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// lnaRangesRE reads "`loopback` (…), `local` (…)" from a page.
var lnaRangesRE = regexp.MustCompile("`loopback`\\s+\\(([^)]*)\\),\\s+`local`\\s+\\(([^)]*)\\)")

// TestLNAPagesListTheEngineRanges: the address ranges the Local Network
// Access pages list are the engine's (Chromium's ip_address_space_util.cc),
// each in the space the page puts it in, none left out.
func TestLNAPagesListTheEngineRanges(t *testing.T) {
	// One address inside each range the engine classifies; a page must
	// list a range holding it under the same space.
	engine := map[cors.AddressSpace][]string{
		cors.SpaceLoopback: {"127.0.0.1", "::1", "0.0.0.0", "::"},
		cors.SpaceLocal: {"10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.1.2.3",
			"fc00::1", "fe80::1", "fec0::1", "2001:db8::1", "3fff::1"},
	}
	for _, code := range []cors.Code{cors.CodeLocalNetworkInsecure, cors.CodeLocalNetworkPermission} {
		page := strings.Join(strings.Fields(readPage(t, code)), " ")
		m := lnaRangesRE.FindStringSubmatch(page)
		if m == nil {
			t.Errorf("%s: no `loopback` (…), `local` (…) list", code)
			continue
		}
		listed := map[cors.AddressSpace][]netip.Prefix{}
		for i, space := range []cors.AddressSpace{cors.SpaceLoopback, cors.SpaceLocal} {
			for _, item := range strings.Split(m[i+1], ",") {
				item = strings.TrimPrefix(strings.TrimSpace(item), "the rest of ")
				if !strings.Contains(item, "/") {
					item += map[bool]string{true: "/128", false: "/32"}[strings.Contains(item, ":")]
				}
				// "10/8" is 10.0.0.0/8.
				if addr, bits, _ := strings.Cut(item, "/"); !strings.Contains(addr, ":") {
					for strings.Count(addr, ".") < 3 {
						addr += ".0"
					}
					item = addr + "/" + bits
				}
				p, err := netip.ParsePrefix(item)
				if err != nil {
					t.Errorf("%s: %q is not a range: %v", code, item, err)
					continue
				}
				if got := cors.AddressSpaceOf(p.Addr()); got != space && p.String() != "0.0.0.0/8" {
					t.Errorf("%s: the page lists %s as %s, the engine says %s", code, p, space, got)
				}
				listed[space] = append(listed[space], p)
			}
		}
		for space, addrs := range engine {
			for _, a := range addrs {
				ip := netip.MustParseAddr(a)
				if got := cors.AddressSpaceOf(ip); got != space {
					t.Fatalf("the engine puts %s in %s, this test says %s", a, got, space)
				}
				found := false
				for _, p := range listed[space] {
					found = found || p.Contains(ip)
				}
				if !found {
					t.Errorf("%s: the page's %s list leaves out %s", code, space, a)
				}
			}
		}
	}
}
