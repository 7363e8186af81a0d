//go:build linux

package probe

import (
	"fmt"
	"net"
	"net/netip"

	"golang.org/x/sys/unix"
)

// Socket options of Options (TTL, TOS, PMTU mode, broadcast, source) and the control
// messages every socket asks for.

func (c *linuxConn) applyIPOptions(fd int, o *Options) error {
	set := func(level, opt, val int, what string) error {
		if err := unix.SetsockoptInt(fd, level, opt, val); err != nil {
			return fmt.Errorf("%w: %s=%d: %w", ErrInvalidOption, what, val, err)
		}
		return nil
	}
	if o.DontRoute {
		if err := set(unix.SOL_SOCKET, unix.SO_DONTROUTE, 1, "SO_DONTROUTE"); err != nil {
			return err
		}
	}
	if o.SendBuffer > 0 {
		if err := set(unix.SOL_SOCKET, unix.SO_SNDBUF, o.SendBuffer, "SO_SNDBUF"); err != nil {
			return err
		}
	}
	if o.Mark != 0 {
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_MARK, int(o.Mark)); err != nil {
			return fmt.Errorf("%w: SO_MARK=%d: %w", ErrPrivilegeRequired, o.Mark, err)
		}
	}
	pmtu := map[PMTUMode]int{PMTUDo: unix.IP_PMTUDISC_DO, PMTUDont: unix.IP_PMTUDISC_DONT,
		PMTUWant: unix.IP_PMTUDISC_WANT, PMTUProbe: unix.IP_PMTUDISC_PROBE}
	if !c.v6 {
		// TTL and destination address of each reply: datagram sockets see no IP header. Raw
		// IPv4 receives carry both in the header, and two control messages less per packet
		// count at flood rates.
		if c.kind == SocketDatagram {
			if err := set(unix.IPPROTO_IP, unix.IP_RECVTTL, 1, "IP_RECVTTL"); err != nil {
				return err
			}
			if err := set(unix.IPPROTO_IP, unix.IP_PKTINFO, 1, "IP_PKTINFO"); err != nil {
				return err
			}
		}
		if o.TTL > 0 {
			if err := set(unix.IPPROTO_IP, unix.IP_TTL, o.TTL, "ttl"); err != nil {
				return err
			}
			if err := set(unix.IPPROTO_IP, unix.IP_MULTICAST_TTL, o.TTL, "multicast ttl"); err != nil {
				return err
			}
		}
		if o.TOS > 0 {
			if err := set(unix.IPPROTO_IP, unix.IP_TOS, o.TOS, "tos"); err != nil {
				return err
			}
		}
		if m, ok := pmtu[o.PMTU]; ok {
			if err := set(unix.IPPROTO_IP, unix.IP_MTU_DISCOVER, m, "pmtu"); err != nil {
				return err
			}
		}
		if o.Broadcast {
			if err := set(unix.SOL_SOCKET, unix.SO_BROADCAST, 1, "broadcast"); err != nil {
				return err
			}
		}
		if c.kind == SocketDatagram {
			// ICMP errors for datagram sockets arrive only on the error queue.
			return set(unix.IPPROTO_IP, unix.IP_RECVERR, 1, "IP_RECVERR")
		}
		return nil
	}
	if err := set(unix.IPPROTO_IPV6, unix.IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT"); err != nil {
		return err
	}
	if err := set(unix.IPPROTO_IPV6, unix.IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO"); err != nil {
		return err
	}
	if o.TTL > 0 {
		if err := set(unix.IPPROTO_IPV6, unix.IPV6_UNICAST_HOPS, o.TTL, "hop limit"); err != nil {
			return err
		}
		if err := set(unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_HOPS, o.TTL, "multicast hop limit"); err != nil {
			return err
		}
	}
	if o.TOS > 0 {
		if err := set(unix.IPPROTO_IPV6, unix.IPV6_TCLASS, o.TOS, "traffic class"); err != nil {
			return err
		}
	}
	if m, ok := pmtu[o.PMTU]; ok {
		if err := set(unix.IPPROTO_IPV6, unix.IPV6_MTU_DISCOVER, m, "pmtu"); err != nil {
			return err
		}
	}
	if c.kind == SocketDatagram {
		return set(unix.IPPROTO_IPV6, unix.IPV6_RECVERR, 1, "IPV6_RECVERR")
	}
	return nil
}

// bindSource binds to Options.Source: an address literal, or else an interface name
// (SO_BINDTODEVICE). Datagram sockets are always bound so that the kernel assigns the
// identifier (local port) now and getsockname can report it.
func (c *linuxConn) bindSource(fd int, o *Options) error {
	var src netip.Addr
	if o.Source != "" {
		if a, err := netip.ParseAddr(o.Source); err == nil {
			src = unmapIfV4(a)
			if src.Is4() == c.v6 {
				return invalidf("source %s is not of the target's family", o.Source)
			}
		} else {
			if _, err := net.InterfaceByName(o.Source); err != nil {
				return invalidf("source %q is neither an address nor an interface: %v", o.Source, err)
			}
			if err := unix.BindToDevice(fd, o.Source); err != nil {
				return fmt.Errorf("%w: bind to interface %s: %w", ErrPrivilegeRequired, o.Source, err)
			}
		}
	}
	if !src.IsValid() && c.kind != SocketDatagram {
		return nil
	}
	var sa unix.Sockaddr
	if c.v6 {
		s := &unix.SockaddrInet6{}
		if src.IsValid() {
			s.Addr = src.As16()
			s.ZoneId = zoneIndex(src.Zone())
		}
		sa = s
	} else {
		s := &unix.SockaddrInet4{}
		if src.IsValid() {
			s.Addr = src.As4()
		}
		sa = s
	}
	if err := unix.Bind(fd, sa); err != nil {
		return fmt.Errorf("%w: bind to %s: %w", ErrInvalidOption, o.Source, err)
	}
	return nil
}

func zoneIndex(zone string) uint32 {
	if zone == "" {
		return 0
	}
	// Resolve refused unknown zones; one that vanished since is no interface at all.
	if ifi, err := zoneInterface(zone); err == nil {
		return uint32(ifi.Index)
	}
	return 0
}
