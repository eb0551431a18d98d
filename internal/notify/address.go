package notify

import (
	"errors"
	"net/netip"
	"syscall"
)

type rawConn = syscall.RawConn

// errNotAllowed is what the dialer returns for an address notifications
// may not reach.
var errNotAllowed = errors.New("notify: destination address not allowed")

// checkDial runs once the name is resolved, before each connection is
// made, with the address actually dialed: a name that resolves to a public
// address when checked and to a private one when used (DNS rebinding)
// cannot get through, since there is no second resolution to trick.
func checkDial(network, address string, _ rawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !Public(ap.Addr()) {
		return errNotAllowed
	}
	return nil
}

// Special-purpose blocks (IANA IPv4 and IPv6 special-purpose address
// registries) that are neither loopback, private, link-local, multicast nor
// unspecified, which netip tells apart itself.
var (
	specialV4 = prefixes(
		"0.0.0.0/8",       // "this network"
		"100.64.0.0/10",   // shared address space (carrier-grade NAT)
		"192.0.0.0/24",    // IETF protocol assignments
		"192.0.2.0/24",    // documentation (TEST-NET-1)
		"192.88.99.0/24",  // 6to4 relay anycast
		"198.18.0.0/15",   // benchmarking
		"198.51.100.0/24", // documentation (TEST-NET-2)
		"203.0.113.0/24",  // documentation (TEST-NET-3)
		"240.0.0.0/4",     // reserved, and the limited broadcast address
	)
	// IPv6 outside 2000::/3, the global unicast space, is refused
	// outright; these are the special blocks inside it.
	globalV6  = netip.MustParsePrefix("2000::/3")
	specialV6 = prefixes(
		"2001::/23",     // IETF protocol assignments (Teredo, ORCHID, …)
		"2001:db8::/32", // documentation
		"3fff::/20",     // documentation
	)
	// These carry an IPv4 address, which decides.
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

func prefixes(list ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(list))
	for i, s := range list {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// Public tells whether an address is one a PRODUCTION shop's
// notifications may reach: not loopback, private, link-local, multicast,
// unspecified, nor any other special-purpose block.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	if ip.Is4() {
		return !within(ip, specialV4)
	}
	b := ip.As16()
	switch {
	case nat64.Contains(ip):
		return Public(netip.AddrFrom4([4]byte(b[12:16])))
	case sixToFour.Contains(ip):
		return Public(netip.AddrFrom4([4]byte(b[2:6])))
	}
	return globalV6.Contains(ip) && !within(ip, specialV6)
}

func within(ip netip.Addr, list []netip.Prefix) bool {
	for _, p := range list {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
