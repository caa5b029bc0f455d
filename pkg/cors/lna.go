package cors

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// AddressSpace is an IP address space of Chromium's Local Network Access
// (network::mojom::IPAddressSpace): how public the page or the server is.
type AddressSpace string

const (
	// SpaceUnknown: not known (no address recorded, a proxy in between).
	// The engine makes no Local Network Access judgement then.
	SpaceUnknown  AddressSpace = ""
	SpaceLoopback AddressSpace = "loopback"
	SpaceLocal    AddressSpace = "local"
	SpacePublic   AddressSpace = "public"
)

// ParseAddressSpace reads "public", "local" or "loopback" (any case).
func ParseAddressSpace(s string) (AddressSpace, error) {
	switch sp := AddressSpace(strings.ToLower(strings.TrimSpace(s))); sp {
	case SpaceLoopback, SpaceLocal, SpacePublic:
		return sp, nil
	}
	return SpaceUnknown, fmt.Errorf("address space %q is not public, local or loopback", s)
}

// localPrefixes are the `local` ranges of Chromium's ip_address_space_util.cc.
var localPrefixes = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
		"0.0.0.0/8", "100.64.0.0/10",
		"fc00::/7", "fe80::/10", "fec0::/10", "2001:db8::/32", "3fff::/20",
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// AddressSpaceOf classifies an IP address the way Chromium does (first
// match wins): 127/8, ::1, 0.0.0.0 and :: are loopback; the private,
// link-local, CGNAT and documentation ranges are local; the rest public.
// An IPv4-mapped IPv6 address counts as its IPv4 address.
func AddressSpaceOf(ip netip.Addr) AddressSpace {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return SpaceUnknown
	case ip.IsLoopback(), ip.IsUnspecified():
		return SpaceLoopback
	}
	for _, p := range localPrefixes {
		if p.Contains(ip) {
			return SpaceLocal
		}
	}
	return SpacePublic
}

// RemoteAddressSpace classifies a hop's recorded remote address: "ip",
// "ip:port", "[v6]" or "[v6]:port". Anything else is unknown.
func RemoteAddressSpace(addr string) AddressSpace {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return SpaceUnknown // most HARs' entries: no failed parse (and its error) for them
	}
	// Chrome records the address without a port: no ip:port to try.
	if strings.IndexByte(addr, ':') >= 0 {
		if ap, err := netip.ParseAddrPort(addr); err == nil {
			return AddressSpaceOf(ap.Addr().WithZone(""))
		}
	}
	ip, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]"))
	if err != nil {
		return SpaceUnknown
	}
	return AddressSpaceOf(ip.WithZone(""))
}

// PageAddressSpace is the address space of the page that made r: the one
// the user gave (Request.PageAddressSpace), else what the origin's host
// says when it is an IP literal or localhost, else public (a deployed
// page). An opaque ("null") origin is unknown.
func PageAddressSpace(r *Request) AddressSpace {
	if r.PageAddressSpace != SpaceUnknown {
		return r.PageAddressSpace
	}
	if r.Origin == "null" {
		return SpaceUnknown
	}
	u, err := url.Parse(r.Origin)
	if err != nil || u.Host == "" {
		return SpaceUnknown
	}
	if sp := hostAddressSpace(u.Hostname()); sp != SpaceUnknown {
		return sp
	}
	return SpacePublic
}

// URLAddressSpace is what rawURL's host says by itself: loopback for
// localhost and names under it, an IP literal's space, and SpaceUnknown
// for any other name (only DNS knows) or a URL without a host.
func URLAddressSpace(rawURL string) AddressSpace {
	u, err := url.Parse(rawURL)
	if err != nil {
		return SpaceUnknown
	}
	return hostAddressSpace(u.Hostname())
}

func hostAddressSpace(host string) AddressSpace {
	host = strings.ToLower(host)
	if host == "" {
		return SpaceUnknown
	}
	if IsLocalhostName(host) {
		return SpaceLoopback
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return AddressSpaceOf(ip.WithZone(""))
	}
	return SpaceUnknown
}

// SecureContext reports whether a page of origin is a secure context, as
// the browsers' Local Network Access asks (potentiallyTrustworthy).
func SecureContext(origin string) bool { return potentiallyTrustworthy(origin) }

// potentiallyTrustworthy reports whether a page of origin is a secure
// context (W3C Secure Contexts §is origin potentially trustworthy): https,
// wss, and http on loopback hosts.
func potentiallyTrustworthy(origin string) bool {
	scheme, host, ok := plainURL(origin)
	if !ok {
		u, err := url.Parse(origin)
		if err != nil {
			return false
		}
		scheme, host = strings.ToLower(u.Scheme), strings.ToLower(u.Hostname())
	}
	switch scheme {
	case "https", "wss":
		return true
	case "http", "ws":
		if IsLocalhostName(host) {
			return true
		}
		ip, err := netip.ParseAddr(host)
		return err == nil && ip.Unmap().IsLoopback()
	}
	return false
}

// lessPublic is Chromium's IsLessPublicAddressSpaceLNA: only a public page
// reaching a local or loopback server is gated; local and loopback count as
// equal, so a local page may reach loopback.
func lessPublic(target, client AddressSpace) bool {
	return client == SpacePublic && (target == SpaceLocal || target == SpaceLoopback)
}

// permissionName is the permission Chromium 156 asks for (and
// Browser.setPermission grants) per target space.
func permissionName(target AddressSpace) string {
	if target == SpaceLoopback {
		return "loopback-network"
	}
	return "local-network"
}

// checkLocalNetwork is the Local Network Access check, made when a
// connection to h's server is set up, before any response is read. Chromium
// 142+ (verified on Chromium 156 with --ip-address-space-overrides) blocks a
// non-secure page outright (InsecureLocalNetwork, nothing is sent) and asks
// the user for a secure one (LocalNetworkAccessPermissionDenied when it is
// not given; headless Chromium denies without asking). Firefox ESR 153
// (network.lna.*, verified with network.lna.address_space.*.override) asks
// for every page, secure or not (network.lna.block_insecure_contexts is
// off). It reports whether the browser stops here. at is the URL of the
// hop, step names it.
func (j *judge) checkLocalNetwork(h *Hop, at, step string) bool {
	if h == nil || j.lnaSeen || !j.p.LocalNetworkAccess {
		return false
	}
	target := RemoteAddressSpace(h.RemoteAddress)
	if target != SpaceLocal && target != SpaceLoopback {
		return false // gated for no page (lessPublic): the page's space is not needed
	}
	client := PageAddressSpace(&j.req)
	if !lessPublic(target, client) {
		return false
	}
	origin := j.req.Origin
	if j.pageOrigin != "" {
		origin = j.pageOrigin
	}
	guessed := ""
	if j.req.PageAddressSpace == SpaceUnknown {
		guessed = ", as its origin suggests"
	}
	where := fmt.Sprintf("the page (%s, %s address space%s) calls %s, which is at %s in the %s address space", origin, client, guessed, at, hostOf(h.RemoteAddress), target)
	secure := potentiallyTrustworthy(origin)
	c := Console{Param: string(target), Address: h.RemoteAddress, SecureContext: secure, Preflight: step == "preflight" || strings.HasSuffix(step, " preflight")}
	if !secure && j.p.LocalNetworkBlocksInsecure {
		f := newFinding(CodeLocalNetworkInsecure, step, where+"; "+j.p.Display+" blocks that outright because the page is not a secure context, and sends nothing")
		j.note(&f, at, c)
		j.add(f)
		return true
	}
	j.lnaSeen = true
	f := newFinding(CodeLocalNetworkPermission, step, where+"; "+j.p.Display+" sends the request only after the user grants the "+permissionName(target)+" permission in a prompt (a denied prompt, or a browser set to deny, blocks it and nothing is sent)")
	j.note(&f, at, c)
	j.add(f)
	return false
}

// hostOf drops the port of a remote address for display.
func hostOf(addr string) string {
	if ap, err := netip.ParseAddrPort(addr); err == nil {
		return ap.Addr().String()
	}
	return strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
}
