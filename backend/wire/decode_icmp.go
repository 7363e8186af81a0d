package wire

import (
	"encoding/binary"
	"fmt"
	"time"
)

// icmpContext is what the enclosing IP header tells the ICMP decoder.
type icmpContext struct {
	ph           *PseudoHeader // ICMPv6 pseudo-header; nil when the addresses are unknown
	srcAt, dstAt int           // where the pseudo-header addresses sit in the bytes, -1 if not there
	claimed      int           // message length the IP header announces
	incomplete   string        // why the checksum cannot be checked even though bytes are present
}

// icmp decodes the ICMP message in [start, end).
func (d *decoder) icmp(f Family, start, end int, ctx icmpContext) {
	layer := f.ICMPName()
	c := &cursor{d: d, layer: layer, end: end, what: layer + " message"}
	if !c.fits(start, 1, "Type") {
		return
	}
	typ := d.b[start]
	d.icmpSummary = fmt.Sprintf("%s %s", layer, TypeName(f, typ))
	d.add(Field{Layer: layer, Name: "Type", Offset: start, Length: 1, Value: fmt.Sprint(typ), Meaning: TypeName(f, typ)})
	if !c.fits(start+1, 1, "Code") {
		return
	}
	code := d.b[start+1]
	codeMeaning := CodeName(f, typ, code)
	if codeMeaning == "" {
		codeMeaning = "no code (0)"
	} else {
		d.icmpSummary += " (" + codeMeaning + ")"
	}
	d.add(Field{Layer: layer, Name: "Code", Offset: start + 1, Length: 1, Value: fmt.Sprint(code), Meaning: codeMeaning})
	if !c.fits(start+2, 2, "Checksum") {
		return
	}
	d.icmpChecksum(f, start, end, ctx)
	body := start + ICMPHeaderLen
	switch {
	case IsEcho(f, typ):
		d.echoBody(c, f, body)
	case f == IPv4 && (typ == ICMPv4DestinationUnreachable || typ == ICMPv4TimeExceeded || typ == ICMPv4ParameterProblem),
		f == IPv6 && (typ == ICMPv6DestinationUnreachable || typ == ICMPv6TimeExceeded):
		d.errorBody(c, f, typ, code, body)
	case f == IPv6 && (typ == ICMPv6PacketTooBig || typ == ICMPv6ParameterProblem):
		name := "MTU"
		meaning := func(r []byte) string { return fmt.Sprintf("next-hop link MTU %d bytes", be32(r)) }
		if typ == ICMPv6ParameterProblem {
			name = "Pointer"
			meaning = func(r []byte) string { return fmt.Sprintf("the problem is at byte %d of the quoted packet", be32(r)) }
		}
		if _, ok := d.fixedFields(c, body, []fixed{{name: name, n: 4, meaning: meaning}}); ok {
			d.icmpSummary += fmt.Sprintf(" %s=%d", name, be32(d.b[body:]))
			d.quotedDatagram(body+4, end) // no RFC 4884 length field: no extensions
		}
	default:
		d.otherBody(c, f, typ, body)
	}
}

// icmpChecksum adds the Checksum field and its ChecksumReport.
func (d *decoder) icmpChecksum(f Family, start, end int, ctx icmpContext) {
	layer := f.ICMPName()
	msg := d.b[start:end]
	var t tracer
	var initial uint32
	reason := ctx.incomplete
	if ctx.claimed > len(msg) && reason == "" {
		reason = fmt.Sprintf("message truncated, %d of %d bytes present", len(msg), ctx.claimed)
	}
	if f == IPv6 {
		if ctx.ph == nil {
			if reason == "" {
				reason = "the ICMPv6 checksum covers the IPv6 pseudo-header, and no IPv6 header or addresses were given"
			}
		} else {
			t.pseudoHeader(ctx.ph, ctx.srcAt, ctx.dstAt, max(ctx.claimed, len(msg)))
			initial = ctx.ph.Sum(max(ctx.claimed, len(msg)))
		}
	}
	t.words(start, msg, "", 2)
	cr := ChecksumReport{
		Layer: layer, FieldOffset: start + 2, Start: start, End: end, PseudoHeader: f == IPv6 && ctx.ph != nil,
		Received: binary.BigEndian.Uint16(msg[2:4]), Trace: t.finish(), Verifiable: reason == "",
	}
	if cr.Verifiable {
		cr.Computed = cr.Trace.Result
	}
	cr.Correct = cr.Verifiable && ^Fold(Sum(initial, msg)) == 0
	d.r.Checksums = append(d.r.Checksums, cr)
	d.add(Field{Layer: layer, Name: "Checksum", Offset: start + 2, Length: 2, Value: fmt.Sprintf("0x%04x", cr.Received), Meaning: checksumMeaning(cr, reason)})
	switch {
	case cr.Verifiable && !cr.Correct:
		d.warn("%s checksum 0x%04x is wrong: should be 0x%04x", layer, cr.Received, cr.Computed)
	case !cr.Verifiable:
		d.warn("%s checksum not verifiable: %s", layer, reason)
	}
}

// echoBody lays out identifier, sequence number and data of an echo request or reply.
func (d *decoder) echoBody(c *cursor, f Family, off int) {
	next, ok := d.fixedFields(c, off, []fixed{
		{name: "Identifier", n: 2, value: valHex, meaning: func(r []byte) string {
			return fmt.Sprintf("identifier %d", binary.BigEndian.Uint16(r))
		}},
		{name: "Sequence Number", n: 2, meaning: func(r []byte) string {
			return fmt.Sprintf("sequence %d", binary.BigEndian.Uint16(r))
		}},
	})
	if !ok {
		return
	}
	d.icmpSummary += fmt.Sprintf(" id=0x%04x seq=%d", binary.BigEndian.Uint16(d.b[off:]), binary.BigEndian.Uint16(d.b[off+2:]))
	d.echoData(next, c.end)
}

// echoData lays out the data of an echo message: Echoscope's token and send time when
// asked for, plain data otherwise.
func (d *decoder) echoData(off, end int) {
	n := end - off
	if n <= 0 {
		return
	}
	if !d.opts.EchoscopePayload {
		d.run(LayerData, "Data", off, end, plural(n, "byte")+" of data")
		return
	}
	if n < EchoscopePayloadLen {
		d.run(LayerData, "Data", off, end, fmt.Sprintf("%s: too short for the Echoscope token and send time (%d bytes)", plural(n, "byte"), EchoscopePayloadLen))
		return
	}
	token := binary.BigEndian.Uint64(d.b[off:])
	sent := int64(binary.BigEndian.Uint64(d.b[off+8:]))
	d.add(Field{Layer: LayerEchoscope, Name: "Session Token", Offset: off, Length: 8, Value: fmt.Sprintf("0x%016x", token),
		Meaning: "identifies the Echoscope session that sent the request"})
	d.add(Field{Layer: LayerEchoscope, Name: "Send Time", Offset: off + 8, Length: 8, Value: fmt.Sprint(sent),
		Meaning: "sent at " + time.Unix(0, sent).UTC().Format(time.RFC3339Nano)})
	if n > EchoscopePayloadLen {
		d.run(LayerEchoscope, "Pattern", off+EchoscopePayloadLen, end, plural(n-EchoscopePayloadLen, "byte")+" of fill pattern")
	}
}

// EchoscopePayloadLen is the room the engine's token and send time take at the start of
// the echo data (docs/wire-json.md).
const EchoscopePayloadLen = 16

// errorBody lays out the word after the checksum of ICMPv4 unreachable/time exceeded/
// parameter problem and ICMPv6 unreachable/time exceeded, then the quote.
func (d *decoder) errorBody(c *cursor, f Family, typ, code uint8, off int) {
	if !c.fits(off, 4, "Unused/Length") {
		return
	}
	b := d.b
	length := errorLength(f, b[off:])
	lengthField := fixed{name: "Length", n: 1, meaning: func(r []byte) string {
		if r[0] == 0 {
			return "0: no RFC 4884 extensions"
		}
		return fmt.Sprintf("quoted datagram is %d × %d = %d bytes, extensions follow (RFC 4884)", r[0], lengthUnit(f), int(r[0])*lengthUnit(f))
	}}
	var layout []fixed
	switch {
	case f == IPv6:
		layout = []fixed{lengthField, {name: "Unused", n: 3, value: valHex, meaning: meanUnused}}
	case typ == ICMPv4ParameterProblem:
		layout = []fixed{{name: "Pointer", n: 1, meaning: func(r []byte) string {
			return fmt.Sprintf("the problem is at byte %d of the quoted datagram", r[0])
		}}, lengthField, {name: "Unused", n: 2, value: valHex, meaning: meanUnused}}
	case typ == ICMPv4DestinationUnreachable && code == ICMPv4CodeFragNeeded:
		layout = []fixed{{name: "Unused", n: 1, value: valHex, meaning: meanUnused}, lengthField,
			{name: "Next-Hop MTU", n: 2, meaning: func(r []byte) string {
				if binary.BigEndian.Uint16(r) == 0 {
					return "0: not given (router predates RFC 1191)"
				}
				return fmt.Sprintf("next-hop link MTU %d bytes (RFC 1191)", binary.BigEndian.Uint16(r))
			}}}
		d.icmpSummary += fmt.Sprintf(" MTU=%d", binary.BigEndian.Uint16(b[off+2:]))
	default:
		layout = []fixed{{name: "Unused", n: 1, value: valHex, meaning: meanUnused}, lengthField, {name: "Unused", n: 2, value: valHex, meaning: meanUnused}}
	}
	d.fixedFields(c, off, layout)
	d.quoteAndExtensions(f, off+4, c.end, length)
}

// quoteAndExtensions lays out the quoted datagram in [off, end) and, when the RFC 4884
// length says so, the extension structure after it.
func (d *decoder) quoteAndExtensions(f Family, off, end int, length uint8) {
	quote, ext := splitQuote(f, length, d.b[off:end])
	if length != 0 && ext == nil && off < end {
		d.warn("RFC 4884 length %d points past the end of the message; treating everything as the quote", length)
	}
	d.quotedDatagram(off, off+len(quote))
	if len(ext) > 0 {
		d.extensions(off+len(quote), end, length == 0)
	}
}

// otherBody lays out the messages that are neither echo nor errors.
func (d *decoder) otherBody(c *cursor, f Family, typ uint8, off int) {
	layout, rest := otherLayout(f, typ)
	next, ok := d.fixedFields(c, off, layout)
	if !ok || next >= c.end {
		return
	}
	if f == IPv4 && typ == ICMPv4Redirect {
		d.quotedDatagram(next, c.end)
		return
	}
	d.run(c.layer, rest, next, c.end, plural(c.end-next, "byte"))
}

var (
	reserved4  = fixed{name: "Reserved", n: 4, value: valHex, meaning: meanUnused}
	identifier = fixed{name: "Identifier", n: 2, value: valHex}
	sequence   = fixed{name: "Sequence Number", n: 2}
)

// otherLayout is the fixed part of other message types and the name of what follows.
func otherLayout(f Family, typ uint8) ([]fixed, string) {
	msClock := func(name string) fixed {
		return fixed{name: name, n: 4, meaning: func(r []byte) string {
			ms := be32(r)
			if ms&0x80000000 != 0 {
				return "non-standard time (high bit set)"
			}
			return fmt.Sprintf("%s since midnight UTC", time.Duration(ms)*time.Millisecond)
		}}
	}
	if f == IPv4 {
		switch typ {
		case ICMPv4Redirect:
			return []fixed{{name: "Gateway Address", n: 4, value: valAddr4, meaning: meanAddr("use gateway")}}, "Quoted Datagram"
		case ICMPv4Timestamp, ICMPv4TimestampReply:
			return []fixed{identifier, sequence, msClock("Originate Timestamp"), msClock("Receive Timestamp"), msClock("Transmit Timestamp")}, "Extra Data"
		case ICMPv4AddressMaskRequest, ICMPv4AddressMaskReply:
			return []fixed{identifier, sequence, {name: "Address Mask", n: 4, value: valAddr4}}, "Extra Data"
		case ICMPv4RouterSolicitation:
			return []fixed{reserved4}, "Extra Data"
		case ICMPv4RouterAdvertisement:
			return []fixed{{name: "Number of Addresses", n: 1}, {name: "Address Entry Size", n: 1, meaning: meanText("in 32-bit words")},
				{name: "Lifetime", n: 2, meaning: meanText("seconds")}}, "Router Addresses"
		}
		return nil, "Message Body"
	}
	target := fixed{name: "Target Address", n: 16, meaning: meanAddr("target")}
	switch typ {
	case ICMPv6RouterSolicitation:
		return []fixed{reserved4}, "Options"
	case ICMPv6RouterAdvertisement:
		return []fixed{{name: "Cur Hop Limit", n: 1}, {name: "Flags", n: 1, value: valHex, meaning: meanText("M (managed), O (other config), reserved")},
			{name: "Router Lifetime", n: 2, meaning: meanText("seconds")}, {name: "Reachable Time", n: 4, meaning: meanText("milliseconds")},
			{name: "Retrans Timer", n: 4, meaning: meanText("milliseconds")}}, "Options"
	case ICMPv6NeighborSolicitation:
		return []fixed{reserved4, target}, "Options"
	case ICMPv6NeighborAdvertisement:
		return []fixed{{name: "Flags", n: 4, value: valHex, meaning: func(r []byte) string {
			return fmt.Sprintf("Router: %s, Solicited: %s, Override: %s", setOrNot(uint64(r[0]&0x80)), setOrNot(uint64(r[0]&0x40)), setOrNot(uint64(r[0]&0x20)))
		}}, target}, "Options"
	case ICMPv6Redirect:
		return []fixed{reserved4, target, {name: "Destination Address", n: 16, meaning: meanAddr("destination")}}, "Options"
	case ICMPv6MLDQuery, ICMPv6MLDReport, ICMPv6MLDDone:
		return []fixed{{name: "Maximum Response Delay", n: 2, meaning: meanText("milliseconds")}, {name: "Reserved", n: 2, value: valHex},
			{name: "Multicast Address", n: 16, meaning: meanAddr("group")}}, "Extra Data"
	}
	return nil, "Message Body"
}
