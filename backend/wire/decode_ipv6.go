package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
)

// ipv6Header lays out the fixed IPv6 header at off up to end; ok is false when the bytes
// end inside it.
func (d *decoder) ipv6Header(off, end int, layer string) (IPv6Header, bool) {
	c := &cursor{d: d, layer: layer, end: end, what: layer + " header"}
	if !c.fits(off, 4, "Version/Traffic Class/Flow Label") {
		return IPv6Header{}, false
	}
	b := d.b[off:]
	d.bitField(layer, "Version", off, 0, 4, 0, uint64(b[0]>>4), "", fmt.Sprintf("IP version %d", b[0]>>4))
	tc := uint8(bitsAt(b, 4, 8))
	d.bitField(layer, "Traffic Class", off, 4, 8, 0, uint64(tc), fmt.Sprintf("0x%02x", tc), fmt.Sprintf("DSCP %s, ECN %s", dscpName(tc>>2), ecnName(tc&3)))
	d.bitField(layer, "DSCP", off, 4, 6, 1, uint64(tc>>2), fmt.Sprintf("0x%02x", tc>>2), dscpName(tc>>2))
	d.bitField(layer, "ECN", off+1, 2, 2, 1, uint64(tc&3), "", ecnName(tc&3))
	fl := bitsAt(b[1:], 4, 20)
	flMeaning := "no flow label"
	if fl != 0 {
		flMeaning = "flow label chosen by the sender (RFC 6437)"
	}
	d.bitField(layer, "Flow Label", off+1, 4, 20, 0, fl, fmt.Sprintf("0x%05x", fl), flMeaning)
	if _, ok := d.fixedFields(c, off+4, []fixed{
		{name: "Payload Length", n: 2, meaning: func(r []byte) string {
			return fmt.Sprintf("%d bytes after this header", binary.BigEndian.Uint16(r))
		}},
		{name: "Next Header", n: 1, meaning: func(r []byte) string { return protocolMeaning(r[0]) }},
		{name: "Hop Limit", n: 1, meaning: func(r []byte) string { return fmt.Sprintf("hop limit %d", r[0]) }},
		{name: "Source Address", n: 16, meaning: meanAddr("source")},
		{name: "Destination Address", n: 16, meaning: meanAddr("destination")},
	}); !ok {
		return IPv6Header{}, false
	}
	h, err := ParseIPv6Header(d.b[off:end])
	return h, err == nil
}

// ipv6Extensions lays out the extension headers from off (first announced by the fixed
// header) and returns the upper-layer protocol and its offset. ok is false when the chain
// is cut short or hits a non-first fragment; the rest has then been laid out.
func (d *decoder) ipv6Extensions(layer string, first uint8, off, end int) (uint8, int, bool) {
	exts, proto, n, err := WalkIPv6Extensions(first, d.b[off:end])
	for _, e := range exts {
		at := off + e.Offset
		d.add(Field{Layer: layer, Name: ProtocolName(e.Type) + " Header", Offset: at, Length: e.Len,
			Value: hexRun(d.b[at : at+e.Len]), Meaning: fmt.Sprintf("%s, next: %s", plural(e.Len, "byte"), protocolMeaning(e.NextHeader))})
		sub := func(name string, o, l int, value, meaning string) {
			d.add(Field{Layer: layer, Name: name, Offset: o, Length: l, Value: value, Meaning: meaning, Depth: 1})
		}
		sub("Next Header", at, 1, fmt.Sprint(e.NextHeader), protocolMeaning(e.NextHeader))
		if e.Type == ProtocolFragment {
			sub("Reserved", at+1, 1, fmt.Sprint(d.b[at+1]), "")
			word := binary.BigEndian.Uint16(d.b[at+2:])
			d.bitField(layer, "Fragment Offset", at+2, 0, 13, 1, uint64(word>>3), "", fmt.Sprintf("byte %d of the original packet", int(word>>3)*8))
			d.bitField(layer, "Reserved Bits", at+3, 5, 2, 1, uint64(word>>1&3), "", "")
			d.bitField(layer, "More Fragments", at+3, 7, 1, 1, uint64(word&1), "", "More Fragments: "+setOrNot(uint64(word&1)))
			sub("Identification", at+4, 4, fmt.Sprintf("0x%08x", be32(d.b[at+4:])), "")
			continue
		}
		sub("Header Length", at+1, 1, fmt.Sprint(d.b[at+1]), plural(e.Len, "byte"))
		sub("Header Data", at+2, e.Len-2, hexRun(d.b[at+2:at+e.Len]), "options or routing data, not decoded")
	}
	if err == nil {
		return proto, off + n, true
	}
	rest := off + n
	if errors.Is(err, ErrFragment) {
		d.run(LayerData, "Fragment Data", rest, end, "a non-first fragment: no upper-layer header here")
		d.warn("non-first IPv6 fragment: the ICMPv6 header is in the first fragment")
	} else {
		d.run(layer, "Truncated Extension Header", rest, end, "the extension header chain is cut short")
		d.warn("truncated: %v", err)
	}
	return proto, end, false
}

// ipv6Packet decodes a packet that starts with an IPv6 header.
func (d *decoder) ipv6Packet() {
	n := len(d.b)
	h, ok := d.ipv6Header(0, n, LayerIPv6)
	if !ok {
		return
	}
	d.ipSummary = fmt.Sprintf("IPv6 %s > %s", h.Src, h.Dst)
	claimedEnd := IPv6HeaderLen + int(h.PayloadLength)
	payloadEnd := min(claimedEnd, n)
	switch {
	case h.PayloadLength == 0 && n > IPv6HeaderLen:
		d.warn("IPv6 payload length 0 with %s after the header (jumbogram?); decoding them all", plural(n-IPv6HeaderLen, "byte"))
		payloadEnd, claimedEnd = n, n
	case claimedEnd > n:
		d.warn("truncated: IPv6 payload length %d but %s present after the header", h.PayloadLength, plural(n-IPv6HeaderLen, "byte"))
	}
	proto, icmpStart, ok := d.ipv6Extensions(LayerIPv6, h.NextHeader, IPv6HeaderLen, payloadEnd)
	if ok {
		if proto == ProtocolICMPv6 {
			// Behind a routing header with segments left, the pseudo-header takes the final
			// destination (RFC 8200 section 8.1), as the sender computed it.
			ph, dstAt := &PseudoHeader{Src: h.Src, Dst: h.Dst}, 24
			chain := d.b[IPv6HeaderLen:payloadEnd]
			if exts, _, _, err := WalkIPv6Extensions(h.NextHeader, chain); err == nil {
				if at, ok := finalDestinationAt(chain, exts); ok {
					dstAt = IPv6HeaderLen + at
					ph.Dst = netip.AddrFrom16([16]byte(d.b[dstAt : dstAt+16]))
				}
			}
			d.icmp(IPv6, icmpStart, payloadEnd, icmpContext{ph: ph, srcAt: 8, dstAt: dstAt, claimed: claimedEnd - icmpStart})
		} else {
			d.run(LayerData, "Payload", icmpStart, payloadEnd, fmt.Sprintf("%s payload, not decoded", protocolMeaning(proto)))
			d.warn("not ICMPv6: next header %d (%s)", proto, protocolMeaning(proto))
		}
	}
	if payloadEnd < n {
		d.run(LayerIPv6, "Trailing Bytes", payloadEnd, n, fmt.Sprintf("%s after the IPv6 payload length (link-layer padding?)", plural(n-payloadEnd, "byte")))
		d.warn("%s after the end of the IPv6 packet", plural(n-payloadEnd, "byte"))
	}
}
