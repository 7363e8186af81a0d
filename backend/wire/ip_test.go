package wire

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
)

func TestParseIPv4HeaderCaptured(t *testing.T) {
	h, err := ParseIPv4Header(ping4Request)
	if err != nil {
		t.Fatal(err)
	}
	lo := netip.MustParseAddr("127.0.0.1")
	want := IPv4Header{Version: 4, IHL: 5, TotalLength: 52, ID: 0xd4e9, Flags: IPv4FlagDontFragment,
		TTL: 64, Protocol: ProtocolICMP, Checksum: 0x67dd, Src: lo, Dst: lo, Options: ping4Request[20:20]}
	if h.Src != want.Src || h.Dst != want.Dst || h.TotalLength != want.TotalLength || h.ID != want.ID ||
		h.Flags != want.Flags || h.TTL != want.TTL || h.Protocol != want.Protocol || h.Checksum != want.Checksum ||
		h.IHL != 5 || len(h.Options) != 0 || !h.DontFragment() || h.IsFragment() {
		t.Fatalf("got %+v\nwant %+v", h, want)
	}
	again, err := AppendIPv4Header(nil, h)
	if err != nil || !bytes.Equal(again, ping4Request[:20]) {
		t.Fatalf("AppendIPv4Header = % x, %v", again, err)
	}
}

func TestParseIPv4HeaderErrors(t *testing.T) {
	short := ping4Request[:19]
	if _, err := ParseIPv4Header(short); !errors.Is(err, ErrTooShort) {
		t.Errorf("19 bytes: %v", err)
	}
	v6 := append([]byte{}, ping4Request...)
	v6[0] = 0x65
	if _, err := ParseIPv4Header(v6); !errors.Is(err, ErrBadVersion) {
		t.Errorf("version 6: %v", err)
	}
	ihl4 := append([]byte{}, ping4Request...)
	ihl4[0] = 0x44
	if _, err := ParseIPv4Header(ihl4); !errors.Is(err, ErrBadHeaderLength) {
		t.Errorf("IHL 4: %v", err)
	}
	ihl15 := append([]byte{}, ping4Request...)
	ihl15[0] = 0x4f
	if _, err := ParseIPv4Header(ihl15); !errors.Is(err, ErrTooShort) {
		t.Errorf("IHL 15 with 52 bytes: %v", err)
	}
}

func TestIPv4Options(t *testing.T) {
	// NOP, Record Route with room for 2 addresses (one filled), EOL, padding.
	opts := []byte{1, 7, 11, 8, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	h := IPv4Header{TTL: 1, Protocol: 1, TotalLength: 36, Src: netip.MustParseAddr("10.0.0.1"), Dst: netip.MustParseAddr("10.0.0.2"), Options: opts}
	b, err := AppendIPv4Header(nil, h)
	if err != nil {
		t.Fatal(err)
	}
	if !VerifyIPv4HeaderChecksum(b) {
		t.Fatal("header checksum does not verify")
	}
	got, err := ParseIPv4Header(b)
	if err != nil || got.IHL != 9 || !bytes.Equal(got.Options, opts) {
		t.Fatalf("parse: %+v %v", got, err)
	}
	list, err := ParseIPv4Options(got.Options)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[0].Type != IPv4OptNoOperation || list[1].Type != IPv4OptRecordRoute ||
		list[1].Len != 11 || list[1].Data[0] != 8 || list[2].Type != IPv4OptEndOfList || list[2].Offset != 12 {
		t.Fatalf("options = %+v", list)
	}
	if _, err := ParseIPv4Options([]byte{7, 40, 4}); !errors.Is(err, ErrBadOption) {
		t.Fatalf("overlong option: %v", err)
	}
	if _, err := ParseIPv4Options([]byte{1, 68}); !errors.Is(err, ErrBadOption) {
		t.Fatalf("option without length: %v", err)
	}
}

func TestParseIPv6HeaderCaptured(t *testing.T) {
	h, err := ParseIPv6Header(ping6Request)
	if err != nil {
		t.Fatal(err)
	}
	if h.Version != 6 || h.TrafficClass != 0 || h.FlowLabel != 0x395b6 || h.PayloadLength != 32 ||
		h.NextHeader != ProtocolICMPv6 || h.HopLimit != 64 || h.Src != loop6 || h.Dst != loop6 {
		t.Fatalf("got %+v", h)
	}
	if _, err := ParseIPv6Header(ping6Request[:39]); !errors.Is(err, ErrTooShort) {
		t.Fatalf("39 bytes: %v", err)
	}
	if _, err := ParseIPv6Header(ping4Request); !errors.Is(err, ErrBadVersion) {
		t.Fatalf("IPv4 packet: %v", err)
	}
}

func TestWalkIPv6Extensions(t *testing.T) {
	// Hop-by-hop (8 bytes: next=60, len 0, PadN) then destination options (16 bytes:
	// next=58, len 1) then an ICMPv6 echo.
	chain := []byte{
		60, 0, 1, 4, 0, 0, 0, 0,
		58, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		128, 0, 0, 0, 0, 1, 0, 1,
	}
	exts, proto, off, err := WalkIPv6Extensions(ProtocolHopByHop, chain)
	if err != nil || proto != ProtocolICMPv6 || off != 24 || len(exts) != 2 || exts[1].Offset != 8 || exts[1].Len != 16 {
		t.Fatalf("walk = %+v, %d, %d, %v", exts, proto, off, err)
	}
	if _, _, _, err := WalkIPv6Extensions(ProtocolHopByHop, chain[:12]); !errors.Is(err, ErrTooShort) {
		t.Fatalf("cut chain: %v", err)
	}
	frag := []byte{58, 0, 0x00, 0x10, 0, 0, 0, 1, 0xde, 0xad} // offset 2 (16 bytes): not first
	if _, _, _, err := WalkIPv6Extensions(ProtocolFragment, frag); !errors.Is(err, ErrFragment) {
		t.Fatalf("non-first fragment: %v", err)
	}
	first := []byte{58, 0, 0x00, 0x01, 0, 0, 0, 1, 128, 0}
	if _, proto, off, err := WalkIPv6Extensions(ProtocolFragment, first); err != nil || proto != 58 || off != 8 {
		t.Fatalf("first fragment: %d %d %v", proto, off, err)
	}
}
