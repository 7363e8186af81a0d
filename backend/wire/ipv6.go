package wire

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// IPv6HeaderLen is the fixed IPv6 header length (RFC 8200 section 3).
const IPv6HeaderLen = 40

// IPv6Header is a parsed IPv6 fixed header (RFC 8200 section 3).
type IPv6Header struct {
	Version       uint8  // 6
	TrafficClass  uint8  // DSCP (upper 6 bits) and ECN (lower 2)
	FlowLabel     uint32 // 20 bits
	PayloadLength uint16 // bytes after this header, extension headers included
	NextHeader    uint8
	HopLimit      uint8
	Src, Dst      netip.Addr
}

// ParseIPv6Header parses the fixed IPv6 header at the start of b.
func ParseIPv6Header(b []byte) (IPv6Header, error) {
	if len(b) < IPv6HeaderLen {
		return IPv6Header{}, fmt.Errorf("IPv6 header: %d bytes, need %d: %w", len(b), IPv6HeaderLen, ErrTooShort)
	}
	word := binary.BigEndian.Uint32(b[0:4])
	h := IPv6Header{
		Version:       uint8(word >> 28),
		TrafficClass:  uint8(word >> 20),
		FlowLabel:     word & 0x000fffff,
		PayloadLength: binary.BigEndian.Uint16(b[4:6]),
		NextHeader:    b[6],
		HopLimit:      b[7],
		Src:           netip.AddrFrom16([16]byte(b[8:24])),
		Dst:           netip.AddrFrom16([16]byte(b[24:40])),
	}
	if h.Version != 6 {
		return IPv6Header{}, fmt.Errorf("IPv6 header: version %d: %w", h.Version, ErrBadVersion)
	}
	return h, nil
}

// IPv6Extension is one extension header in an IPv6 header chain.
type IPv6Extension struct {
	Type       uint8 // the protocol number that announced it (0, 43, 44, 60, 51)
	Offset     int   // offset from the start of the chain
	Len        int   // bytes it occupies
	NextHeader uint8 // what follows it
}

// isIPv6Extension reports whether the protocol number is an extension header this
// package can step over.
func isIPv6Extension(p uint8) bool {
	switch p {
	case ProtocolHopByHop, ProtocolRouting, ProtocolFragment, ProtocolDestOpts, ProtocolAH:
		return true
	}
	return false
}

// WalkIPv6Extensions steps over the extension headers at the start of b (the bytes after
// the fixed header), beginning with the protocol number first. It returns the headers it
// stepped over, the upper-layer protocol and its offset in b. The walk stops at a
// non-extension protocol. A non-first fragment stops it with ErrFragment, since what
// follows is the middle of a datagram, not an upper-layer header.
func WalkIPv6Extensions(first uint8, b []byte) ([]IPv6Extension, uint8, int, error) {
	var exts []IPv6Extension
	proto, off := first, 0
	for isIPv6Extension(proto) {
		if off+2 > len(b) {
			return exts, proto, off, fmt.Errorf("IPv6 extension header %d at %d: %w", proto, off, ErrTooShort)
		}
		var n int
		switch proto {
		case ProtocolFragment:
			n = 8
		case ProtocolAH:
			n = (int(b[off+1]) + 2) * 4 // RFC 4302: length in 32-bit words minus 2
		default:
			n = (int(b[off+1]) + 1) * 8 // RFC 8200: length in 8-octet units, first 8 not counted
		}
		if off+n > len(b) {
			return exts, proto, off, fmt.Errorf("IPv6 extension header %d at %d: %d bytes, %d present: %w", proto, off, n, len(b)-off, ErrTooShort)
		}
		next := b[off]
		exts = append(exts, IPv6Extension{Type: proto, Offset: off, Len: n, NextHeader: next})
		fragmentOffset := uint16(0)
		if proto == ProtocolFragment {
			fragmentOffset = binary.BigEndian.Uint16(b[off+2:off+4]) >> 3
		}
		proto, off = next, off+n
		if fragmentOffset != 0 {
			return exts, proto, off, fmt.Errorf("IPv6 fragment at offset %d: %w", int(fragmentOffset)*8, ErrFragment)
		}
	}
	return exts, proto, off, nil
}
