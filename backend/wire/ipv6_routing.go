package wire

import "net/netip"

// Routing header types whose final destination FinalDestination reads (RFC 8200 section
// 4.4 and the registries it points to).
const (
	routingType0   = 0 // RFC 2460 source route (deprecated by RFC 5095, still captured)
	routingType2   = 2 // RFC 6275 Mobile IPv6: one address, the home address
	routingTypeSRH = 4 // RFC 8754 segment routing header
)

// FinalDestination is the address an upper-layer checksum's pseudo-header uses (RFC 8200
// section 8.1): the packet's destination, unless a Routing header with segments left > 0
// names another final one: the last address of a type 0 header, the home address of a
// type 2, Segment List[0] of a segment routing header (RFC 8754 section 2: the list is in
// reverse order). chain is the bytes after the fixed header and exts what
// WalkIPv6Extensions found in it. Routing types it cannot read leave dst as it is.
func FinalDestination(dst netip.Addr, chain []byte, exts []IPv6Extension) netip.Addr {
	if at, ok := finalDestinationAt(chain, exts); ok {
		return netip.AddrFrom16([16]byte(chain[at : at+16]))
	}
	return dst
}

// finalDestinationAt is where in chain the final destination of a routing header is, when
// one with segments left > 0 names it.
func finalDestinationAt(chain []byte, exts []IPv6Extension) (int, bool) {
	at, found := 0, false
	for _, e := range exts {
		if e.Type != ProtocolRouting || e.Offset+e.Len > len(chain) || e.Len < 8 {
			continue
		}
		h := chain[e.Offset : e.Offset+e.Len]
		routingType, segmentsLeft := h[2], h[3]
		if segmentsLeft == 0 {
			continue
		}
		switch routingType {
		case routingType0, routingType2:
			// 4 reserved bytes, then addresses; the last one is where the packet ends.
			if n := (len(h) - 8) / 16; n > 0 {
				at, found = e.Offset+8+(n-1)*16, true
			}
		case routingTypeSRH:
			// Last Entry, Flags, Tag, then Segment List[0], the final segment.
			if len(h) >= 8+16 {
				at, found = e.Offset+8, true
			}
		}
	}
	return at, found
}
