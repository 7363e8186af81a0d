package probe

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// Resolve turns a host name or address literal into one address, using only the system
// resolver. Family4/Family6 restrict the answer; FamilyAuto prefers IPv4 as iputils does.
// Errors wrap ErrResolve.
func Resolve(ctx context.Context, host string, fam Family) (netip.Addr, error) {
	if host == "" {
		return netip.Addr{}, fmt.Errorf("%w: empty host name", ErrResolve)
	}
	literal := strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if a, err := netip.ParseAddr(literal); err == nil {
		a = unmapIfV4(a)
		if fam == Family4 && !a.Is4() {
			return netip.Addr{}, fmt.Errorf("%w: %s is not an IPv4 address", ErrResolve, host)
		}
		if fam == Family6 && a.Is4() {
			return netip.Addr{}, fmt.Errorf("%w: %s is not an IPv6 address", ErrResolve, host)
		}
		return a, nil
	}
	network := "ip"
	switch fam {
	case Family4:
		network = "ip4"
	case Family6:
		network = "ip6"
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, network, host)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%w: %s: %w", ErrResolve, host, err)
	}
	var first6 netip.Addr
	for _, a := range addrs {
		a = unmapIfV4(a)
		if a.Is4() {
			return a, nil
		}
		if !first6.IsValid() {
			first6 = a
		}
	}
	if first6.IsValid() {
		return first6, nil
	}
	return netip.Addr{}, fmt.Errorf("%w: %s has no %s address", ErrResolve, host, fam)
}

func unmapIfV4(a netip.Addr) netip.Addr {
	if a.Is4In6() {
		return a.Unmap()
	}
	return a
}

// isBroadcastish reports addresses that reach many hosts: the limited broadcast, IPv4
// multicast and IPv6 multicast. (Directed broadcasts cannot be known without the netmask; the
// kernel refuses them anyway without SO_BROADCAST, which only Options.Broadcast sets.)
func isBroadcastish(a netip.Addr) bool {
	if a.Is4() && a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return true
	}
	return a.IsMulticast()
}
