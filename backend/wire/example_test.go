package wire_test

import (
	"fmt"
	"net/netip"

	"echoscope/backend/wire"
)

func ExampleAppendEcho() {
	buf := make([]byte, 0, 64) // reused for every packet: no allocation per send
	buf = wire.AppendEcho(buf[:0], wire.IPv4, wire.ICMPv4EchoRequest, wire.Echo{ID: 13, Seq: 37}, nil)
	fmt.Printf("% x\n", buf)

	ph := &wire.PseudoHeader{Src: netip.MustParseAddr("::1"), Dst: netip.MustParseAddr("::1")}
	buf = wire.AppendEcho(buf[:0], wire.IPv6, wire.ICMPv6EchoRequest, wire.Echo{ID: 13, Seq: 37}, ph)
	fmt.Printf("% x, verifies: %v\n", buf, wire.VerifyChecksum(wire.IPv6, buf, ph))
	// Output:
	// 08 00 f7 cd 00 0d 00 25
	// 80 00 7f 89 00 0d 00 25, verifies: true
}

func ExampleParseEcho() {
	reply := []byte{0x00, 0x00, 0x97, 0x64, 0x00, 0x0d, 0x00, 0x25, 'h', 'i'}
	em, err := wire.ParseEcho(wire.IPv4, reply) // aliases reply: no copy
	fmt.Println("checksum ok:", wire.VerifyChecksum(wire.IPv4, reply, nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(wire.TypeName(wire.IPv4, em.Type), em.ID, em.Seq, string(em.Data))
	// Output:
	// checksum ok: true
	// Echo Reply 13 37 hi
}

func ExampleMessage_Quoted() {
	// A router's time exceeded for 10.0.0.1's echo request to 10.0.0.9.
	pkt, _ := wire.ParseHex("4500003812340000400153930a0000fe0a0000010b002437000000004500002c12340000010193940a0000010a0000090800ac961c2d0005")
	_, icmp, _ := wire.SplitIPv4(pkt)
	m, _ := wire.ParseMessage(wire.IPv4, icmp)
	q, err := m.Quoted()
	if err != nil {
		fmt.Println(err)
		return
	}
	if em, ok := q.Echo(); ok {
		fmt.Printf("%s for the echo request id=%#04x seq=%d to %s\n", wire.TypeName(wire.IPv4, m.Type), em.ID, em.Seq, q.Dst())
	}
	// Output: Time Exceeded for the echo request id=0x1c2d seq=5 to 10.0.0.9
}

func ExampleParseHex() {
	for _, s := range []string{"45 00 00 34", "0x45:0x00", "4500 0034\n", "450", "4g"} {
		b, err := wire.ParseHex(s)
		fmt.Printf("%q: % x %v\n", s, b, err)
	}
	// Output:
	// "45 00 00 34": 45 00 00 34 <nil>
	// "0x45:0x00": 45 00 <nil>
	// "4500 0034\n": 45 00 00 34 <nil>
	// "450":  wire: odd number of hex digits (3)
	// "4g":  wire: invalid hex character: "g" at position 2
}

func ExampleTraceChecksum() {
	// RFC 1071 section 3's example bytes.
	t := wire.TraceChecksum([]byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7})
	for _, s := range t.Steps {
		fmt.Printf("+ 0x%04x = 0x%05x\n", s.Word, s.Sum)
	}
	for _, f := range t.Folds {
		fmt.Printf("fold 0x%05x: carry %d -> 0x%04x\n", f.Before, f.Carry, f.After)
	}
	fmt.Printf("sum 0x%04x, checksum 0x%04x\n", t.Sum, t.Result)
	// Output:
	// + 0x0001 = 0x00001
	// + 0xf203 = 0x0f204
	// + 0xf4f5 = 0x1e6f9
	// + 0xf6f7 = 0x2ddf0
	// fold 0x2ddf0: carry 2 -> 0xddf2
	// sum 0xddf2, checksum 0x220d
}
