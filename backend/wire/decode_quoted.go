package wire

import (
	"encoding/binary"
	"fmt"
)

// quotedDatagram lays out the original datagram quoted by an error in [off, end): its IP
// header, then the start of its ICMP (or UDP) message. A quote is short by design
// (RFC 792 asks for 8 bytes past the header), so lengths that the quoted header
// announces are not held against it.
func (d *decoder) quotedDatagram(off, end int) {
	if off >= end {
		d.warn("the error message quotes no datagram")
		return
	}
	var (
		qf     Family
		proto  uint8
		start  int
		dst    string
		layerI = LayerQuotedPrefix + "IPv4"
	)
	switch d.b[off] >> 4 {
	case 4:
		h, hl, ok := d.ipv4Header(off, end, layerI)
		if !ok {
			return
		}
		qf, proto, start, dst = IPv4, h.Protocol, off+hl, h.Dst.String()
		if h.FragmentOffset != 0 {
			d.run(LayerQuotedPrefix+"Data", "Data", start, end, "quoted non-first fragment")
			return
		}
	case 6:
		layer := LayerQuotedPrefix + "IPv6"
		h, ok := d.ipv6Header(off, end, layer)
		if !ok {
			return
		}
		p, next, ok := d.ipv6Extensions(layer, h.NextHeader, off+IPv6HeaderLen, end)
		if !ok {
			return
		}
		qf, proto, start, dst = IPv6, p, next, h.Dst.String()
	default:
		d.run(LayerQuotedPrefix+"Data", "Data", off, end, fmt.Sprintf("quote starts with IP version %d: not an IP datagram", d.b[off]>>4))
		d.warn("the quoted datagram is not IPv4 or IPv6 (version nibble %d)", d.b[off]>>4)
		return
	}
	switch proto {
	case qf.ICMPProtocol():
		if s := d.quotedICMP(qf, start, end); s != "" {
			d.icmpSummary += fmt.Sprintf(", quoting %s to %s", s, dst)
		}
	case ProtocolUDP:
		d.quotedUDP(start, end)
		d.icmpSummary += fmt.Sprintf(", quoting UDP to %s", dst)
	default:
		d.run(LayerQuotedPrefix+"Data", "Data", start, end, fmt.Sprintf("first %s of the quoted %s payload", plural(end-start, "byte"), protocolMeaning(proto)))
		d.icmpSummary += fmt.Sprintf(", quoting %s to %s", protocolMeaning(proto), dst)
	}
}

// quotedICMP lays out the first bytes of a quoted ICMP message and returns a summary
// ("ICMPv4 Echo Request id=0x1c2d seq=1"), the key an engine uses to find its request.
func (d *decoder) quotedICMP(f Family, off, end int) string {
	layer := LayerQuotedPrefix + f.ICMPName()
	c := &cursor{d: d, layer: layer, end: end, what: "quoted " + f.ICMPName() + " header (RFC 792 wants 8 bytes)"}
	if !c.fits(off, 1, "Type") {
		return ""
	}
	typ := d.b[off]
	next, ok := d.fixedFields(c, off, []fixed{
		{name: "Type", n: 1, meaning: func(r []byte) string { return TypeName(f, r[0]) }},
		{name: "Code", n: 1, meaning: func(r []byte) string {
			if n := CodeName(f, typ, r[0]); n != "" {
				return n
			}
			return "no code (0)"
		}},
		{name: "Checksum", n: 2, value: valHex, meaning: meanText("checksum of the original message (not checked: only its start is quoted)")},
	})
	summary := fmt.Sprintf("%s %s", f.ICMPName(), TypeName(f, typ))
	if !ok {
		return summary
	}
	if IsEcho(f, typ) {
		next, ok = d.fixedFields(c, next, []fixed{
			{name: "Identifier", n: 2, value: valHex, meaning: func(r []byte) string {
				return fmt.Sprintf("identifier %d of the original request", binary.BigEndian.Uint16(r))
			}},
			{name: "Sequence Number", n: 2, meaning: func(r []byte) string {
				return fmt.Sprintf("sequence %d of the original request", binary.BigEndian.Uint16(r))
			}},
		})
		if !ok {
			return summary
		}
		summary += fmt.Sprintf(" id=0x%04x seq=%d", binary.BigEndian.Uint16(d.b[off+4:]), binary.BigEndian.Uint16(d.b[off+6:]))
	} else if next, ok = d.fixedFields(c, next, []fixed{{name: "Rest of Header", n: 4, value: valHex}}); !ok {
		return summary
	}
	d.run(layer, "Data", next, end, fmt.Sprintf("first %s of the original data", plural(end-next, "byte")))
	return summary
}

// quotedUDP lays out a quoted UDP header (traceroute's probes are UDP).
func (d *decoder) quotedUDP(off, end int) {
	layer := LayerQuotedPrefix + "UDP"
	c := &cursor{d: d, layer: layer, end: end, what: "quoted UDP header"}
	next, ok := d.fixedFields(c, off, []fixed{
		{name: "Source Port", n: 2},
		{name: "Destination Port", n: 2},
		{name: "Length", n: 2, meaning: meanText("bytes of the original UDP datagram")},
		{name: "Checksum", n: 2, value: valHex, meaning: meanText("of the original datagram (not checked)")},
	})
	if ok {
		d.run(layer, "Data", next, end, fmt.Sprintf("first %s of the original UDP data", plural(end-next, "byte")))
	}
}

// extensions lays out an RFC 4884 extension structure: a 4-byte header (version 2,
// checksum over the whole structure) and objects of (length, class, C-type, payload).
// legacy: the message announced no extensions (length 0) and the structure was found after
// a 128-byte quote (RFC 4884 section 5).
func (d *decoder) extensions(off, end int, legacy bool) {
	layer := LayerExtensions
	c := &cursor{d: d, layer: layer, end: end, what: "ICMP extension header"}
	if !c.fits(off, 4, "Extension Header") {
		return
	}
	ver := d.b[off] >> 4
	vm := fmt.Sprintf("extension version %d", ver)
	if ver != 2 {
		vm += " (RFC 4884 defines 2)"
	}
	if legacy {
		vm += "; found after a 128-byte quote announced with length 0, as routers that predate RFC 4884 send it (RFC 4884 section 5)"
	}
	d.bitField(layer, "Version", off, 0, 4, 0, uint64(ver), "", vm)
	d.bitField(layer, "Reserved", off, 4, 12, 0, bitsAt(d.b[off:], 4, 12), "", "")
	var t tracer
	t.words(off, d.b[off:end], "", 2)
	cr := ChecksumReport{Layer: layer, FieldOffset: off + 2, Start: off, End: end, Received: binary.BigEndian.Uint16(d.b[off+2:]),
		Trace: t.finish(), Verifiable: true}
	cr.Computed = cr.Trace.Result
	cr.Correct = Checksum(d.b[off:end]) == 0
	d.r.Checksums = append(d.r.Checksums, cr)
	d.add(Field{Layer: layer, Name: "Checksum", Offset: off + 2, Length: 2, Value: fmt.Sprintf("0x%04x", cr.Received), Meaning: checksumMeaning(cr, "")})
	if !cr.Correct {
		d.warn("ICMP extension checksum 0x%04x is wrong: should be 0x%04x", cr.Received, cr.Computed)
	}
	for at := off + 4; at < end; {
		n := 0
		if at+4 <= end {
			n = int(binary.BigEndian.Uint16(d.b[at:]))
		}
		if n < 4 || at+n > end {
			d.run(layer, "Malformed Object", at, end, "object length below 4 or past the end")
			d.warn("malformed ICMP extension object at byte %d", at)
			return
		}
		class, ctype := d.b[at+2], d.b[at+3]
		d.add(Field{Layer: layer, Name: "Object: " + extensionClassName(class), Offset: at, Length: n, Value: hexRun(d.b[at : at+n]),
			Meaning: fmt.Sprintf("class %d, C-type %d, %s", class, ctype, plural(n, "byte"))})
		sub := func(name string, o, l int, v, m string) {
			d.add(Field{Layer: layer, Name: name, Offset: o, Length: l, Value: v, Meaning: m, Depth: 1})
		}
		sub("Length", at, 2, fmt.Sprint(n), "bytes, header included")
		sub("Class-Num", at+2, 1, fmt.Sprint(class), extensionClassName(class))
		sub("C-Type", at+3, 1, fmt.Sprint(ctype), "")
		if n > 4 {
			d.extensionObjectPayload(class, ctype, at+4, at+n)
		}
		at += n
	}
}

func extensionClassName(c uint8) string {
	switch c {
	case 1:
		return "MPLS Label Stack (RFC 4950)"
	case 2:
		return "Interface Information (RFC 5837)"
	case 3:
		return "Interface Identification (RFC 8335)"
	}
	return fmt.Sprintf("class %d", c)
}
