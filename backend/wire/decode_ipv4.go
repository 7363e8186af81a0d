package wire

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// ipv4Header lays out the IPv4 header at off (of layer "IPv4" or "Quoted IPv4") up to
// end. It returns the header and its length; ok is false when the bytes end inside it.
func (d *decoder) ipv4Header(off, end int, layer string) (IPv4Header, int, bool) {
	c := &cursor{d: d, layer: layer, end: end, what: layer + " header"}
	if !c.fits(off, 1, "Version") {
		return IPv4Header{}, 0, false
	}
	b := d.b
	ihl := int(b[off] & 0x0f)
	d.bitField(layer, "Version", off, 0, 4, 0, uint64(b[off]>>4), "", fmt.Sprintf("IP version %d", b[off]>>4))
	hl := ihl * 4
	ihlMeaning := fmt.Sprintf("header length %d bytes (%d × 4)", hl, ihl)
	if ihl < 5 {
		ihlMeaning = fmt.Sprintf("invalid: %d × 4 = %d bytes is less than the 20-byte minimum", ihl, hl)
		d.warn("%s IHL %d is below 5; laying out a 20-byte header", layer, ihl)
		hl = IPv4HeaderLen
	}
	d.bitField(layer, "IHL", off, 4, 4, 0, uint64(ihl), "", ihlMeaning)
	if !c.fits(off+1, 1, "DSCP/ECN") {
		return IPv4Header{}, 0, false
	}
	tos := b[off+1]
	d.bitField(layer, "DSCP", off+1, 0, 6, 0, uint64(tos>>2), fmt.Sprintf("0x%02x", tos>>2), dscpName(tos>>2))
	d.bitField(layer, "ECN", off+1, 6, 2, 0, uint64(tos&3), "", ecnName(tos&3))
	next, ok := d.fixedFields(c, off+2, []fixed{
		{name: "Total Length", n: 2, meaning: func(r []byte) string {
			return fmt.Sprintf("%d bytes (header + payload)", binary.BigEndian.Uint16(r))
		}},
		{name: "Identification", n: 2, value: valHex, meaning: func(r []byte) string {
			return fmt.Sprintf("datagram %d (for reassembling fragments)", binary.BigEndian.Uint16(r))
		}},
	})
	if !ok || !c.fits(next, 2, "Flags/Fragment Offset") {
		return IPv4Header{}, 0, false
	}
	d.ipv4Flags(layer, next)
	if _, ok := d.fixedFields(c, off+8, []fixed{
		{name: "TTL", n: 1, meaning: func(r []byte) string { return fmt.Sprintf("TTL %d", r[0]) }},
		{name: "Protocol", n: 1, meaning: func(r []byte) string { return protocolMeaning(r[0]) }},
	}); !ok {
		return IPv4Header{}, 0, false
	}
	if !c.fits(off+10, 2, "Header Checksum") {
		return IPv4Header{}, 0, false
	}
	d.ipv4Checksum(layer, off, hl, end)
	if _, ok := d.fixedFields(c, off+12, []fixed{
		{name: "Source Address", n: 4, value: valAddr4, meaning: meanAddr("source")},
		{name: "Destination Address", n: 4, value: valAddr4, meaning: meanAddr("destination")},
	}); !ok {
		return IPv4Header{}, 0, false
	}
	if hl > IPv4HeaderLen {
		if !c.fits(off+IPv4HeaderLen, hl-IPv4HeaderLen, "Options") {
			return IPv4Header{}, 0, false
		}
		d.ipv4Options(layer, off+IPv4HeaderLen, off+hl)
	}
	h, err := ParseIPv4Header(d.b[off:end])
	if err != nil {
		// Only IHL < 5 gets here (version and length were checked above): read the
		// fixed 20 bytes as if IHL were 5, and keep the real IHL for the record.
		fixedHeader := [IPv4HeaderLen]byte(d.b[off : off+IPv4HeaderLen])
		fixedHeader[0] = 0x45
		h, _ = ParseIPv4Header(fixedHeader[:])
		h.IHL = uint8(ihl)
	}
	return h, hl, true
}

// ipv4Flags lays out the 3 flag bits (a depth-0 field refined by one depth-1 field per
// bit) and the 13-bit fragment offset at off.
func (d *decoder) ipv4Flags(layer string, off int) {
	word := binary.BigEndian.Uint16(d.b[off:])
	flags := uint8(word >> 13)
	var set []string
	for _, bit := range []struct {
		mask uint8
		name string
	}{{IPv4FlagReserved, "Reserved"}, {IPv4FlagDontFragment, "Don't Fragment"}, {IPv4FlagMoreFragments, "More Fragments"}} {
		if flags&bit.mask != 0 {
			set = append(set, bit.name)
		}
	}
	meaning := "none set"
	if len(set) > 0 {
		meaning = strings.Join(set, ", ")
	}
	d.bitField(layer, "Flags", off, 0, 3, 0, uint64(flags), fmt.Sprintf("0x%x", flags), meaning)
	reserved := "Reserved: not set"
	if flags&IPv4FlagReserved != 0 {
		reserved = "Reserved: set (must be zero, RFC 791)"
		d.warn("%s reserved flag bit is set", layer)
	}
	d.bitField(layer, "Flags: Reserved", off, 0, 1, 1, uint64(flags>>2&1), "", reserved)
	d.bitField(layer, "Flags: Don't Fragment", off, 1, 1, 1, uint64(flags>>1&1), "", "Don't Fragment: "+setOrNot(uint64(flags&IPv4FlagDontFragment)))
	d.bitField(layer, "Flags: More Fragments", off, 2, 1, 1, uint64(flags&1), "", "More Fragments: "+setOrNot(uint64(flags&IPv4FlagMoreFragments)))
	fo := word & 0x1fff
	foMeaning := "0: first (or only) fragment"
	if fo != 0 {
		foMeaning = fmt.Sprintf("%d × 8 = byte %d of the original datagram", fo, int(fo)*8)
	}
	d.bitField(layer, "Fragment Offset", off, 3, 13, 0, uint64(fo), "", foMeaning)
}

// ipv4Checksum adds the header checksum field and its ChecksumReport; the header spans
// [off, off+hl) and the bytes end at end.
func (d *decoder) ipv4Checksum(layer string, off, hl, end int) {
	var t tracer
	complete := off+hl <= end
	covered := d.b[off:min(off+hl, end)]
	t.words(off, covered, "", 10)
	cr := ChecksumReport{
		Layer: layer, FieldOffset: off + 10, Start: off, End: off + len(covered),
		Received: binary.BigEndian.Uint16(d.b[off+10:]), Trace: t.finish(), Verifiable: complete,
	}
	if cr.Verifiable {
		cr.Computed = cr.Trace.Result
	}
	cr.Correct = complete && Checksum(covered) == 0
	d.r.Checksums = append(d.r.Checksums, cr)
	d.add(Field{Layer: layer, Name: "Header Checksum", Offset: off + 10, Length: 2, Value: fmt.Sprintf("0x%04x", cr.Received),
		Meaning: checksumMeaning(cr, "header truncated")})
	if complete && !cr.Correct {
		d.warn("%s header checksum 0x%04x is wrong: should be 0x%04x", layer, cr.Received, cr.Computed)
	}
}

func protocolMeaning(p uint8) string {
	if n := ProtocolName(p); n != "" {
		return n
	}
	return fmt.Sprintf("protocol %d (not named here)", p)
}

// ipv4Packet decodes a packet that starts with an IPv4 header.
func (d *decoder) ipv4Packet() {
	h, hl, ok := d.ipv4Header(0, len(d.b), LayerIPv4)
	if !ok {
		return
	}
	d.ipSummary = fmt.Sprintf("IPv4 %s > %s", h.Src, h.Dst)
	total, n := int(h.TotalLength), len(d.b)
	payloadEnd := min(total, n)
	switch {
	case total < hl:
		d.warn("IPv4 total length %d is less than the header length %d; decoding all %d bytes", total, hl, n)
		payloadEnd = n
	case total > n:
		d.warn("truncated: IPv4 total length %d but %d bytes present", total, n)
	}
	switch {
	case h.FragmentOffset != 0:
		d.run(LayerData, "Fragment Data", hl, payloadEnd, fmt.Sprintf("bytes %d.. of a fragmented datagram: no ICMP header here", int(h.FragmentOffset)*8))
		d.warn("non-first fragment: the ICMP header is in the first fragment")
	case h.Protocol != ProtocolICMP:
		d.run(LayerData, "Payload", hl, payloadEnd, fmt.Sprintf("%s payload, not decoded", protocolMeaning(h.Protocol)))
		d.warn("not ICMP: IPv4 protocol %d (%s)", h.Protocol, protocolMeaning(h.Protocol))
	default:
		if h.MoreFragments() {
			d.warn("first fragment: the rest of the ICMP message is in later fragments")
		}
		ctx := icmpContext{srcAt: -1, dstAt: -1, claimed: max(total, payloadEnd) - hl}
		if h.MoreFragments() {
			ctx.incomplete = "the message continues in later fragments"
		}
		d.icmp(IPv4, hl, payloadEnd, ctx)
	}
	if payloadEnd < n {
		d.run(LayerIPv4, "Trailing Bytes", payloadEnd, n, fmt.Sprintf("%s after the IPv4 total length (link-layer padding?)", plural(n-payloadEnd, "byte")))
		d.warn("%s after the end of the IPv4 datagram", plural(n-payloadEnd, "byte"))
	}
}
