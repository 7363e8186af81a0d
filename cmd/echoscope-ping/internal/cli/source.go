package cli

import (
	"errors"
	"net"
	"net/netip"
	"syscall"
)

// source is what iputils' header says after "from" with -I: the source address and the
// device ("" when -I gave an address).
type source struct {
	addr   netip.Addr
	device string
}

// checkSource words a bad -I as iputils does, before anything is opened: an interface that
// does not exist ("SO_BINDTODEVICE nosuchif: No such device") or an address that is not
// this host's ("bind: Cannot assign requested address"). "" when it is fine or not given.
func checkSource(src string) string {
	if src == "" {
		return ""
	}
	a, err := netip.ParseAddr(src)
	if err != nil {
		if _, err := net.InterfaceByName(src); err != nil {
			return "SO_BINDTODEVICE " + src + ": No such device"
		}
		return ""
	}
	// Binding a UDP socket to the address asks the kernel the same question the ICMP
	// socket's bind will, without sending anything.
	c, err := net.ListenPacket("udp", netip.AddrPortFrom(a, 0).String())
	if err != nil {
		if errors.Is(err, syscall.EADDRNOTAVAIL) {
			return "bind: Cannot assign requested address"
		}
		return "bind: " + err.Error()
	}
	c.Close()
	return ""
}

// findSource is the source iputils shows with -I, and its warning when the interface
// given has no address the kernel would send from (iputils: "Warning: source address
// might be selected on device other than: lo"). The kernel's choice is read from a
// connected UDP socket (bound to the device where the platform can), which sends nothing.
func findSource(src string, target netip.Addr) (source, string) {
	if src == "" {
		return source{}, ""
	}
	if a, err := netip.ParseAddr(src); err == nil {
		return source{addr: a.Unmap()}, ""
	}
	s := source{device: src, addr: routeSource(target, src)}
	ifi, err := net.InterfaceByName(src)
	if err != nil {
		return s, ""
	}
	addrs, _ := ifi.Addrs()
	for _, a := range addrs {
		if p, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(p.IP); ok && s.addr.IsValid() && ip.Unmap() == s.addr.WithZone("") {
				return s, ""
			}
		}
	}
	return s, "Warning: source address might be selected on device other than: " + src
}

// routeSource is the address the kernel would send from to target (through device, when
// given and the platform can bind to it); invalid when it cannot tell.
func routeSource(target netip.Addr, device string) netip.Addr {
	d := net.Dialer{Control: bindToDeviceControl(device)}
	c, err := d.Dial("udp", netip.AddrPortFrom(target, 1025).String())
	if err != nil {
		return netip.Addr{}
	}
	defer c.Close()
	if u, ok := c.LocalAddr().(*net.UDPAddr); ok {
		return u.AddrPort().Addr().Unmap()
	}
	return netip.Addr{}
}

// routeMTU is the MTU of the interface the kernel would send to target from, for the
// "local error: message too long, mtu=1500" line; 0 when unknown.
func routeMTU(target netip.Addr) int {
	src := routeSource(target, "")
	if !src.IsValid() {
		return 0
	}
	ifis, _ := net.Interfaces()
	for _, ifi := range ifis {
		addrs, _ := ifi.Addrs()
		for _, a := range addrs {
			if p, ok := a.(*net.IPNet); ok {
				if ip, ok := netip.AddrFromSlice(p.IP); ok && ip.Unmap() == src.WithZone("") {
					return ifi.MTU
				}
			}
		}
	}
	return 0
}

// isLocalBroadcast tells an IPv4 address that is the broadcast address of a network on
// one of this host's interfaces (198.18.3.255 on a /24): the kernel refuses to send there
// without SO_BROADCAST, and iputils asks "Do you want to ping broadcast? Then -b".
func isLocalBroadcast(a netip.Addr) bool {
	a = a.Unmap()
	if !a.Is4() {
		return false
	}
	ifis, _ := net.Interfaces()
	for _, ifi := range ifis {
		addrs, _ := ifi.Addrs()
		for _, ad := range addrs {
			p, ok := ad.(*net.IPNet)
			if !ok || p.IP.To4() == nil {
				continue
			}
			ones, bits := p.Mask.Size()
			if bits != 32 || ones >= 31 {
				continue // point-to-point links have no broadcast address
			}
			ip := p.IP.To4()
			var b [4]byte
			for i := range b {
				b[i] = ip[i] | ^p.Mask[i]
			}
			if netip.AddrFrom4(b) == a {
				return true
			}
		}
	}
	return false
}
