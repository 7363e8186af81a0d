package wire

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
)

// An ICMPv6 echo request header from fe80::1 to ff02::1, traffic class 0xb8 (EF), flow label
// 0x12345, payload 64 bytes, hop limit 1, as tshark shows it:
//
//	6b 81 23 45 00 40 3a 01  fe 80 00 00 00 00 00 00  00 00 00 00 00 00 00 01
//	ff 02 00 00 00 00 00 00  00 00 00 00 00 00 00 01
var ipv6HeaderFixture = []byte{
	0x6b, 0x81, 0x23, 0x45, 0x00, 0x40, 0x3a, 0x01,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
}

func TestAppendIPv6HeaderBytes(t *testing.T) {
	h := IPv6Header{TrafficClass: 0xb8, FlowLabel: 0x12345, PayloadLength: 64, NextHeader: ProtocolICMPv6,
		HopLimit: 1, Src: netip.MustParseAddr("fe80::1"), Dst: netip.MustParseAddr("ff02::1")}
	prefix := []byte{0xaa, 0xbb}
	b, err := AppendIPv6Header(append([]byte(nil), prefix...), h)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b[:2], prefix) || !bytes.Equal(b[2:], ipv6HeaderFixture) {
		t.Fatalf("AppendIPv6Header =\n% x\nwant\n% x", b[2:], ipv6HeaderFixture)
	}
}

func TestAppendIPv6HeaderRoundTrip(t *testing.T) {
	for _, h := range []IPv6Header{
		{Src: netip.MustParseAddr("2001:db8::1"), Dst: netip.MustParseAddr("2001:db8::2"), NextHeader: ProtocolICMPv6, HopLimit: 64, PayloadLength: 8},
		{TrafficClass: 0xff, FlowLabel: 0xfffff, PayloadLength: 0xffff, NextHeader: 0, HopLimit: 255,
			Src: netip.MustParseAddr("::ffff:192.0.2.1"), Dst: netip.IPv6Loopback()},
	} {
		b, err := AppendIPv6Header(nil, h)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) != IPv6HeaderLen {
			t.Fatalf("%d bytes", len(b))
		}
		got, err := ParseIPv6Header(b)
		if err != nil {
			t.Fatal(err)
		}
		h.Version = 6
		if got != h {
			t.Errorf("round trip %+v\nwant       %+v", got, h)
		}
	}
}

func TestAppendIPv6HeaderRefuses(t *testing.T) {
	v6 := netip.MustParseAddr("2001:db8::1")
	v4 := netip.MustParseAddr("192.0.2.1")
	for _, c := range []struct {
		name string
		h    IPv6Header
		want error
	}{
		{"IPv4 source", IPv6Header{Src: v4, Dst: v6}, ErrBadAddress},
		{"no destination", IPv6Header{Src: v6}, ErrBadAddress},
		{"flow label", IPv6Header{Src: v6, Dst: v6, FlowLabel: 0x100000}, ErrBadFlowLabel},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := AppendIPv6Header([]byte{1}, c.h)
			if !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
			if len(b) != 1 {
				t.Errorf("appended %d bytes on error", len(b)-1)
			}
		})
	}
}
