package wire

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"
)

// RFC 4884 extension object classes this decoder reads field by field.
const (
	extClassMPLS      = 1 // MPLS Label Stack (RFC 4950), C-type 1: incoming stack
	extClassInterface = 2 // Interface Information (RFC 5837)
)

// extensionObjectPayload lays out an object's payload in [off, end): the entries of an MPLS
// label stack (RFC 4950), the parts an Interface Information object announces (RFC 5837), or
// the bytes as they are for other classes.
func (d *decoder) extensionObjectPayload(class, ctype uint8, off, end int) {
	switch {
	case class == extClassMPLS && ctype == 1:
		d.mplsLabelStack(off, end)
	case class == extClassInterface:
		d.interfaceInformation(ctype, off, end)
	default:
		d.add(Field{Layer: LayerExtensions, Name: "Object Payload", Offset: off, Length: end - off,
			Value: hexRun(d.b[off:end]), Depth: 1})
	}
}

// mplsLabelStack: 4-byte entries of label (20 bits), traffic class (3, "EXP" before RFC
// 5462), bottom-of-stack (1) and TTL (8), as the router received them.
func (d *decoder) mplsLabelStack(off, end int) {
	layer := LayerExtensions
	for i, at := 1, off; at < end; i, at = i+1, at+4 {
		if at+4 > end {
			d.inObject("Truncated Label Stack Entry", at, end, "a label stack entry needs 4 bytes")
			d.warn("MPLS label stack entry at byte %d cut short", at)
			return
		}
		e := binary.BigEndian.Uint32(d.b[at:])
		label, tc, s, ttl := e>>12, (e>>9)&7, (e>>8)&1, e&0xff
		bottom := ""
		if s == 1 {
			bottom = ", bottom of stack"
		}
		d.add(Field{Layer: layer, Name: fmt.Sprintf("Label Stack Entry %d", i), Offset: at, Length: 4, Depth: 1,
			Value: fmt.Sprintf("0x%08x", e), Meaning: fmt.Sprintf("label %d, TC %d, TTL %d%s", label, tc, ttl, bottom)})
		d.bitField(layer, "Label", at, 0, 20, 2, uint64(label), "", mplsLabelMeaning(label))
		d.bitField(layer, "Traffic Class", at+2, 4, 3, 2, uint64(tc), "", "TC (formerly EXP, RFC 5462)")
		d.bitField(layer, "Bottom of Stack", at+2, 7, 1, 2, uint64(s), "", map[uint32]string{0: "more entries follow", 1: "last entry"}[s])
		d.add(Field{Layer: layer, Name: "TTL", Offset: at + 3, Length: 1, Value: fmt.Sprint(ttl), Depth: 2,
			Meaning: "the MPLS TTL when the packet arrived"})
	}
}

// mplsLabelMeaning names the reserved labels (RFC 3032 section 2.1, RFC 7274).
func mplsLabelMeaning(l uint32) string {
	switch l {
	case 0:
		return "IPv4 Explicit NULL"
	case 1:
		return "Router Alert"
	case 2:
		return "IPv6 Explicit NULL"
	case 3:
		return "Implicit NULL"
	case 7:
		return "Entropy Label Indicator"
	case 13:
		return "GAL"
	case 14:
		return "OAM Alert"
	case 15:
		return "Extension"
	}
	if l < 16 {
		return "reserved label"
	}
	return ""
}

// Interface Information C-type bits (RFC 5837 section 4.1).
const (
	ifInfoIfIndex = 0x08
	ifInfoAddress = 0x04
	ifInfoName    = 0x02
	ifInfoMTU     = 0x01
)

var ifInfoRoles = [4]string{"incoming IP interface", "sub-IP component of the incoming interface",
	"outgoing IP interface", "IP next hop"}

// interfaceInformation lays out an RFC 5837 object: the C-type says the interface's role
// and which of ifIndex, IP address, name and MTU follow, in that order.
func (d *decoder) interfaceInformation(ctype uint8, off, end int) {
	layer := LayerExtensions
	var has []string
	for _, f := range []struct {
		bit  uint8
		name string
	}{{ifInfoIfIndex, "ifIndex"}, {ifInfoAddress, "IP address"}, {ifInfoName, "name"}, {ifInfoMTU, "MTU"}} {
		if ctype&f.bit != 0 {
			has = append(has, f.name)
		}
	}
	role := ifInfoRoles[ctype>>6]
	// The C-type byte itself sits just before the payload; its bits are named here.
	d.bitField(layer, "Interface Role", off-1, 0, 2, 2, uint64(ctype>>6), "", role)
	announced := "nothing"
	if len(has) > 0 {
		announced = strings.Join(has, ", ")
	}
	d.bitField(layer, "Includes", off-1, 4, 4, 2, uint64(ctype&0x0f), fmt.Sprintf("0x%x", ctype&0x0f), "announces: "+announced)
	at := off
	need := func(name string, n int) bool {
		if at+n > end {
			d.inObject("Truncated "+name, at, end, fmt.Sprintf("%s needs %d bytes", name, n))
			d.warn("interface information object: %s cut short at byte %d", name, at)
			return false
		}
		return true
	}
	if ctype&ifInfoIfIndex != 0 {
		if !need("ifIndex", 4) {
			return
		}
		d.add(Field{Layer: layer, Name: "Interface Index", Offset: at, Length: 4, Depth: 1,
			Value: fmt.Sprint(binary.BigEndian.Uint32(d.b[at:])), Meaning: "ifIndex of the " + role})
		at += 4
	}
	if ctype&ifInfoAddress != 0 {
		if !need("IP Address Sub-Object", 4) {
			return
		}
		afi := binary.BigEndian.Uint16(d.b[at:])
		n := map[uint16]int{1: 4, 2: 16}[afi]
		if n == 0 {
			d.inObject("IP Address Sub-Object", at, end, fmt.Sprintf("address family %d is neither IPv4 (1) nor IPv6 (2)", afi))
			d.warn("interface information object: unknown address family %d", afi)
			return
		}
		if !need("IP Address Sub-Object", 4+n) {
			return
		}
		addr, _ := netip.AddrFromSlice(d.b[at+4 : at+4+n])
		d.add(Field{Layer: layer, Name: "IP Address Sub-Object", Offset: at, Length: 4 + n, Depth: 1,
			Value: addr.String(), Meaning: "address of the " + role})
		d.add(Field{Layer: layer, Name: "AFI", Offset: at, Length: 2, Depth: 2, Value: fmt.Sprint(afi),
			Meaning: map[uint16]string{1: "IPv4", 2: "IPv6"}[afi]})
		d.add(Field{Layer: layer, Name: "Reserved", Offset: at + 2, Length: 2, Depth: 2, Value: hexRun(d.b[at+2 : at+4])})
		d.add(Field{Layer: layer, Name: "Address", Offset: at + 4, Length: n, Depth: 2, Value: addr.String()})
		at += 4 + n
	}
	if ctype&ifInfoName != 0 {
		if !need("Name Sub-Object", 1) {
			return
		}
		n := int(d.b[at])
		if n < 1 || n%4 != 0 || n > 64 || at+n > end {
			d.inObject("Name Sub-Object", at, end, fmt.Sprintf("length %d is not a multiple of 4 from 4 to 64 within the object", n))
			d.warn("interface information object: name length %d is invalid", n)
			return
		}
		name := strings.TrimRight(string(d.b[at+1:at+n]), "\x00")
		d.add(Field{Layer: layer, Name: "Name Sub-Object", Offset: at, Length: n, Depth: 1, Value: fmt.Sprintf("%q", name),
			Meaning: "name of the " + role})
		d.add(Field{Layer: layer, Name: "Length", Offset: at, Length: 1, Depth: 2, Value: fmt.Sprint(n), Meaning: "bytes, this one included"})
		d.add(Field{Layer: layer, Name: "Interface Name", Offset: at + 1, Length: n - 1, Depth: 2, Value: fmt.Sprintf("%q", name), Meaning: "UTF-8, padded with zeros"})
		at += n
	}
	if ctype&ifInfoMTU != 0 {
		if !need("MTU", 4) {
			return
		}
		d.add(Field{Layer: layer, Name: "MTU", Offset: at, Length: 4, Depth: 1,
			Value: fmt.Sprint(binary.BigEndian.Uint32(d.b[at:])), Meaning: "bytes, MTU of the " + role})
		at += 4
	}
	if at < end {
		d.inObject("Extra Object Bytes", at, end, "after what the C-type announces")
		d.warn("interface information object: %s after the announced parts", plural(end-at, "byte"))
	}
}

// inObject is a run of bytes inside an extension object (whose depth-0 field covers it),
// named with what is wrong or left over.
func (d *decoder) inObject(name string, off, end int, meaning string) {
	if off < end {
		d.add(Field{Layer: LayerExtensions, Name: name, Offset: off, Length: end - off, Value: hexRun(d.b[off:end]),
			Meaning: meaning, Depth: 1})
	}
}
