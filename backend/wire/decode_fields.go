package wire

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// fixed describes one whole-byte field of a fixed layout.
type fixed struct {
	name    string
	n       int
	value   func(b []byte) string // nil: decimal for 1-4 bytes, address for 16, hex otherwise
	meaning func(b []byte) string // nil: no meaning
}

// fixedFields lays out fs from off, returning the offset after the last field placed and
// whether all of them fit.
func (d *decoder) fixedFields(c *cursor, off int, fs []fixed) (int, bool) {
	for _, f := range fs {
		if !c.fits(off, f.n, f.name) {
			return off, false
		}
		raw := d.b[off : off+f.n]
		v := defaultValue(raw)
		if f.value != nil {
			v = f.value(raw)
		}
		m := ""
		if f.meaning != nil {
			m = f.meaning(raw)
		}
		d.add(Field{Layer: c.layer, Name: f.name, Offset: off, Length: f.n, Value: v, Meaning: m})
		off += f.n
	}
	return off, true
}

func defaultValue(raw []byte) string {
	switch len(raw) {
	case 1, 2, 4:
		return fmt.Sprint(uintN(raw))
	case 16:
		return netip.AddrFrom16([16]byte(raw)).String()
	}
	return hexRun(raw)
}

// uintN reads a big-endian unsigned integer of 1 to 8 bytes.
func uintN(raw []byte) uint64 {
	var v uint64
	for _, c := range raw {
		v = v<<8 | uint64(c)
	}
	return v
}

func valHex(raw []byte) string { return fmt.Sprintf("0x%0*x", 2*len(raw), uintN(raw)) }

func valAddr4(raw []byte) string { return netip.AddrFrom4([4]byte(raw)).String() }

func meanAddr(role string) func([]byte) string {
	return func(raw []byte) string {
		var a netip.Addr
		switch len(raw) {
		case 4:
			a = netip.AddrFrom4([4]byte(raw))
		case 16:
			a = netip.AddrFrom16([16]byte(raw))
		default:
			return role
		}
		if k := addrKind(a); k != "" {
			return fmt.Sprintf("%s %s (%s)", role, a, k)
		}
		return fmt.Sprintf("%s %s", role, a)
	}
}

func addrKind(a netip.Addr) string {
	switch {
	case a.IsUnspecified():
		return "unspecified"
	case a.IsLoopback():
		return "loopback"
	case a.IsLinkLocalUnicast():
		return "link-local"
	case a.IsMulticast():
		return "multicast"
	case a.IsPrivate():
		return "private"
	}
	return ""
}

func meanText(s string) func([]byte) string { return func([]byte) string { return s } }

func meanUnused(raw []byte) string {
	if uintN(raw) == 0 {
		return "unused (zero)"
	}
	return "unused, but not zero"
}

// bitField adds a sub-byte field of bitLen bits starting at bit bitOff of byte off (the
// field may run into following bytes).
func (d *decoder) bitField(layer, name string, off, bitOff, bitLen, depth int, value uint64, shownValue, meaning string) {
	n := (bitOff + bitLen + 7) / 8
	if shownValue == "" {
		shownValue = fmt.Sprint(value)
	}
	d.add(Field{Layer: layer, Name: name, Offset: off, Length: n, BitOffset: bitOff, BitLength: bitLen, Value: shownValue, Meaning: meaning, Depth: depth})
}

// bitsAt extracts bitLen bits starting bitOff bits into b (most significant first).
func bitsAt(b []byte, bitOff, bitLen int) uint64 {
	n := (bitOff + bitLen + 7) / 8
	v := uintN(b[:n])
	return (v >> (n*8 - bitOff - bitLen)) & (1<<bitLen - 1)
}

func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }

func setOrNot(v uint64) string {
	if v != 0 {
		return "set"
	}
	return "not set"
}

// dscpName names a Differentiated Services code point (RFC 2474, 2597, 3246, 5865, 8622).
func dscpName(v uint8) string {
	switch v {
	case 0:
		return "CS0 (default, best effort)"
	case 1:
		return "LE (lower effort)"
	case 46:
		return "EF (expedited forwarding)"
	case 44:
		return "VOICE-ADMIT"
	}
	if v%8 == 0 {
		return fmt.Sprintf("CS%d (class selector)", v/8)
	}
	if class, drop := v>>3, (v>>1)&3; v&1 == 0 && class >= 1 && class <= 4 && drop >= 1 {
		return fmt.Sprintf("AF%d%d (assured forwarding)", class, drop)
	}
	return fmt.Sprintf("code point %d (unassigned)", v)
}

// ecnName names the two ECN bits (RFC 3168 section 5).
func ecnName(v uint8) string {
	return [...]string{"Not-ECT (not ECN-capable)", "ECT(1) (ECN-capable)", "ECT(0) (ECN-capable)", "CE (congestion experienced)"}[v&3]
}
