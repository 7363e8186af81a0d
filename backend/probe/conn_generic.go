//go:build !linux

package probe

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sync/atomic"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// netConn is the portable socket (macOS, BSDs, raw sockets on elevated Windows), built on
// golang.org/x/net/icmp. It has no kernel timestamps: every time is ClockUser. The bytes it
// receives never include the IP header (Go strips it from raw IPv4 reads); TTL and the
// destination come from control messages where the OS supports them.
type netConn struct {
	kind   SocketKind
	v6     bool
	pc     *icmp.PacketConn
	p4     *ipv4.PacketConn
	p6     *ipv6.PacketConn
	closed atomic.Bool
}

func openNetConn(kind SocketKind, v6 bool, o *Options) (*netConn, error) {
	network := map[[2]bool]string{
		{false, false}: "ip4:icmp", {false, true}: "ip6:ipv6-icmp",
		{true, false}: "udp4", {true, true}: "udp6",
	}[[2]bool{kind == SocketDatagram, v6}]
	if o.DontRoute || o.Mark != 0 || o.SendBuffer > 0 {
		return nil, fmt.Errorf("%w: bypassing routing, firewall marks and the send buffer size are set on Linux only", ErrUnsupported)
	}
	laddr := "0.0.0.0"
	if v6 {
		laddr = "::"
	}
	if o.Source != "" {
		a, err := netip.ParseAddr(o.Source)
		if err != nil {
			return nil, fmt.Errorf("%w: source %q must be an address on this platform", ErrUnsupported, o.Source)
		}
		laddr = a.String()
	}
	pc, err := icmp.ListenPacket(network, laddr)
	if err != nil {
		if errors.Is(err, os.ErrPermission) {
			return nil, fmt.Errorf("%w: %s socket: %v", ErrPrivilegeRequired, network, err)
		}
		return nil, fmt.Errorf("probe: open %s socket: %w", network, err)
	}
	c := &netConn{kind: kind, v6: v6, pc: pc}
	if v6 {
		c.p6 = pc.IPv6PacketConn()
		// Control messages are extras: platforms without them still ping.
		_ = c.p6.SetControlMessage(ipv6.FlagHopLimit|ipv6.FlagDst, true)
		if o.TTL > 0 {
			if err := c.p6.SetHopLimit(o.TTL); err != nil {
				pc.Close()
				return nil, fmt.Errorf("%w: hop limit: %w", ErrInvalidOption, err)
			}
		}
		if o.TOS > 0 {
			if err := c.p6.SetTrafficClass(o.TOS); err != nil {
				pc.Close()
				return nil, fmt.Errorf("%w: traffic class: %w", ErrInvalidOption, err)
			}
		}
	} else {
		c.p4 = pc.IPv4PacketConn()
		_ = c.p4.SetControlMessage(ipv4.FlagTTL|ipv4.FlagDst, true)
		if o.TTL > 0 {
			if err := c.p4.SetTTL(o.TTL); err != nil {
				pc.Close()
				return nil, fmt.Errorf("%w: ttl: %w", ErrInvalidOption, err)
			}
		}
		if o.TOS > 0 {
			if err := c.p4.SetTOS(o.TOS); err != nil {
				pc.Close()
				return nil, fmt.Errorf("%w: tos: %w", ErrInvalidOption, err)
			}
		}
	}
	if o.PMTU != PMTUDefault {
		pc.Close()
		return nil, fmt.Errorf("%w: path MTU modes on this platform", ErrUnsupported)
	}
	return c, nil
}

func (c *netConn) Kind() SocketKind            { return c.kind }
func (c *netConn) IPv6() bool                  { return c.v6 }
func (c *netConn) Clocks() (tx, rx bool)       { return false, false }
func (c *netConn) RewrittenID() (uint16, bool) { return 0, false }

func (c *netConn) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return nil
	}
	return c.pc.Close()
}

func (c *netConn) Send(msg []byte, dst netip.Addr) (time.Time, error) {
	var to net.Addr = &net.IPAddr{IP: dst.AsSlice(), Zone: dst.Zone()}
	if c.kind == SocketDatagram {
		to = &net.UDPAddr{IP: dst.AsSlice(), Zone: dst.Zone()}
	}
	now := time.Now()
	if _, err := c.pc.WriteTo(msg, to); err != nil {
		return now, c.wrap(fmt.Errorf("probe: send to %s: %w", dst, err))
	}
	return now, nil
}

func (c *netConn) wrap(err error) error {
	if c.closed.Load() || errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}

func (c *netConn) Receive(in *inbound) error {
	if cap(in.buf) < 65536 {
		in.buf = make([]byte, 65536)
	}
	buf := in.buf[:cap(in.buf)]
	var (
		n    int
		src  net.Addr
		err  error
		ttl  = -1
		dest netip.Addr
	)
	if c.v6 {
		var cm *ipv6.ControlMessage
		n, cm, src, err = c.p6.ReadFrom(buf)
		if cm != nil {
			ttl = cm.HopLimit
			dest, _ = netip.AddrFromSlice(cm.Dst)
		}
	} else {
		var cm *ipv4.ControlMessage
		n, cm, src, err = c.p4.ReadFrom(buf)
		if cm != nil {
			ttl = cm.TTL
			dest, _ = netip.AddrFromSlice(cm.Dst)
		}
	}
	now := time.Now()
	if err != nil {
		return c.wrap(err)
	}
	*in = inbound{kind: inboundPacket, buf: in.buf, data: buf[:n], ttl: ttl, to: unmapIfV4(dest), arrived: now,
		rx: Timestamp{Time: now, Clock: ClockUser}}
	switch a := src.(type) {
	case *net.IPAddr:
		in.from, _ = netip.AddrFromSlice(a.IP)
	case *net.UDPAddr:
		in.from, _ = netip.AddrFromSlice(a.IP)
	}
	in.from = unmapIfV4(in.from)
	return nil
}
