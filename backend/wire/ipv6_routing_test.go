package wire

import (
	"encoding/binary"
	"net/netip"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var (
	routeSrc   = netip.MustParseAddr("2001:db8::a")
	routeHop   = netip.MustParseAddr("2001:db8::b")
	routeFinal = netip.MustParseAddr("2001:db8::c")
)

// routedEcho is an ICMPv6 echo reply from routeSrc to routeHop behind a routing header of
// the given type with segments left 1, whose final destination is routeFinal; its checksum
// is computed as its sender did, with routeFinal in the pseudo-header (RFC 8200 section
// 8.1). The routing header's own routing type decides where that address sits.
func routedEcho(routingType uint8) []byte {
	var rh []byte
	switch routingType {
	case routingTypeSRH:
		// Segment List[0] is the final segment, [1] the current destination.
		rh = []byte{ProtocolICMPv6, 4, routingTypeSRH, 1, 1, 0, 0, 0}
		f, h := routeFinal.As16(), routeHop.As16()
		rh = append(append(rh, f[:]...), h[:]...)
	default:
		rh = []byte{ProtocolICMPv6, 2, routingType, 1, 0, 0, 0, 0}
		f := routeFinal.As16()
		rh = append(rh, f[:]...)
	}
	icmp := AppendEcho(nil, IPv6, ICMPv6EchoReply, Echo{ID: 0x1234, Seq: 7, Data: []byte("routed payload")},
		&PseudoHeader{Src: routeSrc, Dst: routeFinal})
	b := []byte{0x60, 0, 0, 0}
	b = binary.BigEndian.AppendUint16(b, uint16(len(rh)+len(icmp)))
	b = append(b, ProtocolRouting, 64)
	s, d := routeSrc.As16(), routeHop.As16()
	b = append(append(b, s[:]...), d[:]...)
	return append(append(b, rh...), icmp...)
}

func TestFinalDestinationOfRoutingHeaders(t *testing.T) {
	for _, typ := range []uint8{routingType0, routingType2, routingTypeSRH} {
		b := routedEcho(typ)
		chain := b[IPv6HeaderLen:]
		exts, proto, _, err := WalkIPv6Extensions(ProtocolRouting, chain)
		if err != nil || proto != ProtocolICMPv6 {
			t.Fatalf("type %d: %v", typ, err)
		}
		if got := FinalDestination(routeHop, chain, exts); got != routeFinal {
			t.Errorf("type %d: final destination %v, want %v", typ, got, routeFinal)
		}
		// Segments left 0: the packet is at its final destination already.
		done := append([]byte(nil), chain...)
		done[3] = 0
		if got := FinalDestination(routeHop, done, exts); got != routeHop {
			t.Errorf("type %d, segments left 0: %v", typ, got)
		}
	}
}

// The ICMPv6 checksum of a routed packet is verified against the final destination, as
// tshark does: correct, where the packet's destination field would call it wrong.
func TestRoutedICMPv6ChecksumAgreesWithTshark(t *testing.T) {
	var pkts [][]byte
	for _, typ := range []uint8{routingType0, routingTypeSRH} {
		b := routedEcho(typ)
		pkts = append(pkts, b)
		r := Decode(b, Options{})
		var found bool
		for _, c := range r.Checksums {
			if c.Layer == LayerICMPv6 {
				found = true
				if !c.Verifiable || !c.Correct || !c.PseudoHeader {
					t.Errorf("routing type %d: checksum %+v", typ, c)
				}
			}
		}
		if !found {
			t.Fatalf("routing type %d: no ICMPv6 checksum in the report %+v", typ, r.Checksums)
		}
	}
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	path := filepath.Join(t.TempDir(), "routed.pcap")
	writeRawPcap(t, path, pkts)
	out, err := exec.Command(tshark, "-n", "-r", path, "-T", "fields", "-e", "icmpv6.checksum.status").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(string(out)); len(got) != 2 || got[0] != "1" || got[1] != "1" {
		t.Fatalf("tshark checksum status %q, want good (1) for both", got)
	}
}
