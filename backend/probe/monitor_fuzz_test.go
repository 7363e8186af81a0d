package probe

import (
	"net/netip"
	"testing"

	"echoscope/backend/wire"
)

// FuzzMonitorRoute: the demultiplexer of a shared socket reads every message another host
// or program sends; for any bytes it picks a target it has, or none, and never panics.
func FuzzMonitorRoute(f *testing.F) {
	req := wire.AppendEcho(nil, wire.IPv4, wire.EchoRequestType(wire.IPv4), wire.Echo{ID: 0x1001, Seq: 1, Data: make([]byte, 16)}, nil)
	rep := wire.AppendEcho(nil, wire.IPv4, wire.EchoReplyType(wire.IPv4), wire.Echo{ID: 0x1002, Seq: 1, Data: make([]byte, 16)}, nil)
	f.Add(rep, false, false, uint8(0))
	f.Add(unreachableFor(req, netip.MustParseAddr("192.0.2.1")), false, false, uint8(0))
	f.Add(req, false, false, uint8(2))
	f.Add([]byte{0x45, 0, 0, 20}, false, true, uint8(0))
	f.Add([]byte{129, 0, 0, 0, 0x10, 0x01, 0, 1}, true, false, uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, v6, withHeader bool, kind uint8) {
		s := &monitorSocket{shared: true, fam: wire.IPv4, txKeyed: true, txOwners: make([]txOwner, txOwnerRing),
			byID: map[uint16]int{0x1000: 0, 0x1001: 1, 0x1002: 2}, byAddr: map[netip.Addr]int{netip.MustParseAddr("192.0.2.1"): 1}}
		if v6 {
			s.fam = wire.IPv6
		}
		s.txCount = 3
		in := inbound{kind: inboundKind(kind % 4), data: data, includesIPHeader: withHeader && !v6,
			from: netip.MustParseAddr("192.0.2.1"), txKey: uint32(len(data))}
		target, ok := s.route(&in)
		if ok && (target < 0 || target > 2) {
			t.Fatalf("routed to target %d, which does not exist", target)
		}
	})
}
