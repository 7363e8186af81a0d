package wire

import (
	"strings"
	"testing"
)

func TestDecodeIPv4Variants(t *testing.T) {
	echo := AppendEcho(nil, IPv4, ICMPv4EchoRequest, Echo{ID: 1, Seq: 2, Data: []byte("hi")}, nil)
	t.Run("options", func(t *testing.T) {
		rr := []byte{1, 7, 11, 8, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
		r := decodeChecked(t, ipv4Packet(t, hostA, hostB, 64, 1, echo, rr), Options{})
		if f := field(t, r, "IPv4", "Options"); f.Length != 16 || !strings.Contains(f.Meaning, "Record Route") {
			t.Errorf("options %+v", f)
		}
		if f := field(t, r, "IPv4", "Route Address 1"); f.Value != "10.0.0.1" || f.Meaning != "recorded" || f.Depth != 2 {
			t.Errorf("route 1 %+v", f)
		}
		if f := field(t, r, "IPv4", "Route Address 2"); f.Meaning != "empty" {
			t.Errorf("route 2 %+v", f)
		}
		field(t, r, "IPv4", "Padding")
	})
	t.Run("malformed option", func(t *testing.T) {
		r := decodeChecked(t, ipv4Packet(t, hostA, hostB, 64, 1, echo, []byte{1, 68, 40, 0}), Options{})
		if !hasWarning(r, "malformed IPv4 option") {
			t.Errorf("warnings %q", r.Warnings)
		}
	})
	t.Run("not ICMP", func(t *testing.T) {
		r := decodeChecked(t, ipv4Packet(t, hostA, hostB, 64, ProtocolUDP, []byte{0, 53, 0, 53, 0, 8, 0, 0}, nil), Options{})
		if r.Layers[0] != "IPv4" || !hasWarning(r, "not ICMP: IPv4 protocol 17 (UDP)") {
			t.Errorf("layers %v warnings %q", r.Layers, r.Warnings)
		}
	})
	t.Run("trailing bytes", func(t *testing.T) {
		r := decodeChecked(t, append(append([]byte{}, ping4Request...), 0, 0, 0, 0, 0, 0), Options{})
		if f := field(t, r, "IPv4", "Trailing Bytes"); f.Offset != 52 || f.Length != 6 {
			t.Errorf("trailing %+v", f)
		}
		if !r.Checksums[1].Correct {
			t.Error("trailing padding was included in the ICMP checksum")
		}
	})
	t.Run("fragments", func(t *testing.T) {
		b := ipv4Packet(t, hostA, hostB, 64, 1, echo, nil)
		b[6] = 0x20 // MF
		b[10], b[11] = 0, 0
		c := Checksum(b[:20])
		b[10], b[11] = byte(c>>8), byte(c)
		r := decodeChecked(t, b, Options{})
		if r.Checksums[1].Verifiable || !hasWarning(r, "first fragment") {
			t.Errorf("first fragment: %+v %q", r.Checksums[1], r.Warnings)
		}
		b[7] = 3 // offset 24 bytes
		r = decodeChecked(t, b, Options{})
		if field(t, r, "Data", "Fragment Data").Offset != 20 {
			t.Error("non-first fragment payload not laid out as fragment data")
		}
	})
	t.Run("reserved flag and DSCP/ECN", func(t *testing.T) {
		b := ipv4Packet(t, hostA, hostB, 64, 1, echo, nil)
		b[1] = 46<<2 | 3
		b[6] |= 0x80
		b[10], b[11] = 0, 0
		c := Checksum(b[:20])
		b[10], b[11] = byte(c>>8), byte(c)
		r := decodeChecked(t, b, Options{})
		if field(t, r, "IPv4", "DSCP").Meaning != "EF (expedited forwarding)" || field(t, r, "IPv4", "ECN").Value != "3" {
			t.Error("DSCP/ECN not decoded")
		}
		if !hasWarning(r, "reserved flag") {
			t.Errorf("warnings %q", r.Warnings)
		}
	})
}

func TestDecodeIPv6ExtensionHeaders(t *testing.T) {
	echo := AppendEcho(nil, IPv6, ICMPv6EchoRequest, Echo{ID: 9, Seq: 9}, &PseudoHeader{Src: doc6a, Dst: doc6b})
	hop := []byte{58, 0, 1, 4, 0, 0, 0, 0}
	r := decodeChecked(t, ipv6Packet(doc6a, doc6b, ProtocolHopByHop, append(hop, echo...)), Options{})
	if f := field(t, r, "IPv6", "IPv6 Hop-by-Hop Options Header"); f.Offset != 40 || f.Length != 8 {
		t.Errorf("hop-by-hop %+v", f)
	}
	if c := r.Checksums[0]; !c.Correct || c.Start != 48 {
		t.Errorf("checksum after extension header %+v", c)
	}
	frag := []byte{58, 0, 0, 0x11, 0, 0, 0, 7} // offset 2 (16 bytes), M set
	r = decodeChecked(t, ipv6Packet(doc6a, doc6b, ProtocolFragment, append(frag, echo...)), Options{})
	if !hasWarning(r, "non-first IPv6 fragment") {
		t.Errorf("fragment warnings %q", r.Warnings)
	}
}

func TestDecodeEchoscopePayload(t *testing.T) {
	data := make([]byte, 24)
	copy(data, []byte{0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1, 0x18, 0x7a, 0x2d, 0x15, 0x6b, 0x1f, 0x5e, 0x00})
	b := AppendEcho(nil, IPv4, ICMPv4EchoRequest, Echo{ID: 1, Seq: 1, Data: data}, nil)
	r := decodeChecked(t, b, Options{EchoscopePayload: true})
	if f := field(t, r, "Echoscope payload", "Session Token"); f.Value != "0xdeadbeef00000001" {
		t.Errorf("token %+v", f)
	}
	if f := field(t, r, "Echoscope payload", "Send Time"); f.Meaning != "sent at 2025-11-22T00:36:14.083751424Z" {
		t.Errorf("send time %+v", f)
	}
	field(t, r, "Echoscope payload", "Pattern")
	r = decodeChecked(t, b, Options{})
	if contains(r.Layers, "Echoscope payload") {
		t.Error("Echoscope payload labelled without being asked")
	}
}

func TestDecodeDetection(t *testing.T) {
	// 0x45 as an ICMPv4 type (unassigned) on a 20+ byte message whose bytes are not a
	// valid IPv4 header: read as bare ICMPv4.
	b := AppendEcho(nil, IPv4, ICMPv4EchoRequest, Echo{Data: make([]byte, 16)}, nil)
	b[0] = 0x45
	if r := decodeChecked(t, b, Options{}); r.Layers[0] != "ICMPv4" {
		t.Errorf("layers %v", r.Layers)
	}
	// Family 6 forces ICMPv6 even for a type that is valid in both.
	if r := decodeChecked(t, ping6Request[40:], Options{Family: IPv6}); r.Layers[0] != "ICMPv6" {
		t.Errorf("layers %v", r.Layers)
	}
	// Type 129 is no ICMPv4 type: auto-detected as ICMPv6.
	if r := decodeChecked(t, ping6Reply[40:], Options{}); r.Layers[0] != "ICMPv6" {
		t.Errorf("layers %v", r.Layers)
	}
	// Other types named sensibly.
	ns := marshal(t, Message{Family: IPv6, Type: ICMPv6NeighborSolicitation, Body: &RawBody{Data: append(make([]byte, 4), doc6b.AsSlice()...)}}, &PseudoHeader{Src: doc6a, Dst: doc6b})
	r := decodeChecked(t, ns, Options{Family: IPv6, Src: doc6a, Dst: doc6b})
	if f := field(t, r, "ICMPv6", "Target Address"); f.Value != "2001:db8::2" {
		t.Errorf("NS target %+v", f)
	}
	ts := marshal(t, Message{Family: IPv4, Type: ICMPv4Timestamp, Body: &RawBody{Data: []byte{0, 1, 0, 1, 0, 0, 0x03, 0xe8, 0, 0, 0, 0, 0, 0, 0, 0}}}, nil)
	r = decodeChecked(t, ts, Options{})
	if f := field(t, r, "ICMPv4", "Originate Timestamp"); f.Meaning != "1s since midnight UTC" {
		t.Errorf("timestamp %+v", f)
	}
}
