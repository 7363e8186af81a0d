package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
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
		if err := checkZone(a.Zone()); err != nil {
			return netip.Addr{}, fmt.Errorf("%w: %s: %w", ErrResolve, host, err)
		}
		return a, nil
	}
	if a, ok := parseInetAton(literal); ok {
		if fam == Family6 {
			return netip.Addr{}, fmt.Errorf("%w: %s is not an IPv6 address", ErrResolve, host)
		}
		return a, nil
	}
	if ascii, err := idna.Lookup.ToASCII(host); err == nil {
		host = ascii // münchen.test -> xn--mnchen-3ya.test, as iputils (libidn2) asks for
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

// ErrUnknownZone: an IPv6 literal names a zone (fe80::1%eth0, fe80::1%2) that is no
// interface of this host. Sending anyway would leave by whatever interface the kernel
// picks, so the target is refused (as iputils does: "Name or service not known").
var ErrUnknownZone = errors.New("no such interface for the IPv6 zone")

// checkZone accepts no zone, an interface name, or an interface index in decimal.
func checkZone(zone string) error {
	if zone == "" {
		return nil
	}
	if _, err := zoneInterface(zone); err != nil {
		return fmt.Errorf("%w %q", ErrUnknownZone, zone)
	}
	return nil
}

// zoneInterface finds the interface a zone names: by name first, then, for a decimal
// zone, by index (a zone "2" means interface 2 unless an interface is called "2").
func zoneInterface(zone string) (*net.Interface, error) {
	if ifi, err := net.InterfaceByName(zone); err == nil {
		return ifi, nil
	}
	n, err := strconv.ParseUint(zone, 10, 31)
	if err != nil || n == 0 {
		return nil, fmt.Errorf("no interface %q", zone)
	}
	return net.InterfaceByIndex(int(n))
}

// parseInetAton reads the IPv4 forms inet_aton(3) accepts and iputils ping therefore
// takes: one to four parts separated by dots, each decimal, octal (leading 0) or hex
// (0x), the last part filling the remaining bytes: 127.1, 0x7f000001, 2130706433.
func parseInetAton(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 || s == "" {
		return netip.Addr{}, false
	}
	var vals []uint64
	for _, p := range parts {
		base, digits := 10, p
		switch {
		case strings.HasPrefix(p, "0x") || strings.HasPrefix(p, "0X"):
			base, digits = 16, p[2:]
		case len(p) > 1 && p[0] == '0':
			base, digits = 8, p[1:]
		}
		if digits == "" && base != 8 {
			return netip.Addr{}, false
		}
		if digits == "" {
			digits = "0"
		}
		v, err := strconv.ParseUint(digits, base, 32)
		if err != nil {
			return netip.Addr{}, false
		}
		vals = append(vals, v)
	}
	var n uint64
	last := len(vals) - 1
	for i, v := range vals[:last] {
		if v > 0xff {
			return netip.Addr{}, false
		}
		n |= v << (24 - 8*i)
	}
	if vals[last] >= 1<<(32-8*last) {
		return netip.Addr{}, false
	}
	n |= vals[last]
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}
