package wire

import (
	"encoding/binary"
	"net/netip"
	"testing"
)

// Helpers that build test packets with this package's own builders (whose bytes are
// checked against captured packets in message_test.go).

var (
	hostA  = netip.MustParseAddr("10.0.0.1")
	hostB  = netip.MustParseAddr("10.0.0.9")
	router = netip.MustParseAddr("10.0.0.254")
)

// ipv4Packet wraps payload in an IPv4 header with a correct checksum.
func ipv4Packet(t testing.TB, src, dst netip.Addr, ttl, proto uint8, payload []byte, options []byte) []byte {
	t.Helper()
	b, err := AppendIPv4Header(nil, IPv4Header{TotalLength: uint16(IPv4HeaderLen + len(options) + len(payload)), ID: 0x1234,
		TTL: ttl, Protocol: proto, Src: src, Dst: dst, Options: options})
	if err != nil {
		t.Fatal(err)
	}
	return append(b, payload...)
}

// ipv6Packet wraps payload (after any extension headers in ext) in an IPv6 header.
func ipv6Packet(src, dst netip.Addr, next uint8, payload []byte) []byte {
	b := make([]byte, IPv6HeaderLen, IPv6HeaderLen+len(payload))
	binary.BigEndian.PutUint32(b[0:4], 6<<28|0x12345)
	binary.BigEndian.PutUint16(b[4:6], uint16(len(payload)))
	b[6], b[7] = next, 64
	s, d := src.As16(), dst.As16()
	copy(b[8:24], s[:])
	copy(b[24:40], d[:])
	return append(b, payload...)
}

func marshal(t testing.TB, m Message, ph *PseudoHeader) []byte {
	t.Helper()
	b, err := m.Marshal(ph)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// echoRequest4 is hostA's echo request to hostB with TTL ttl, as a router would quote it.
func echoRequest4(t testing.TB, ttl uint8, data []byte) []byte {
	return ipv4Packet(t, hostA, hostB, ttl, ProtocolICMP, AppendEcho(nil, IPv4, ICMPv4EchoRequest, Echo{ID: 0x1c2d, Seq: 5, Data: data}, nil), nil)
}

// timeExceeded4 is router's time exceeded for an echo request, quoting header + 8 bytes.
func timeExceeded4(t testing.TB) []byte {
	quote := echoRequest4(t, 1, []byte("0123456789abcdef"))[:28]
	icmp := marshal(t, Message{Family: IPv4, Type: ICMPv4TimeExceeded, Body: &TimeExceeded{Data: quote}}, nil)
	return ipv4Packet(t, router, hostA, 64, ProtocolICMP, icmp, nil)
}
