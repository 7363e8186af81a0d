package wire

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// IPv4HeaderLen is the length of an IPv4 header without options (IHL 5).
const IPv4HeaderLen = 20

// IPv4 flag bits, as they sit in the 3-bit Flags field (RFC 791 section 3.1).
const (
	IPv4FlagReserved      uint8 = 0x4 // "evil bit": must be zero
	IPv4FlagDontFragment  uint8 = 0x2
	IPv4FlagMoreFragments uint8 = 0x1
)

// IPv4Header is a parsed IPv4 header (RFC 791 section 3.1).
type IPv4Header struct {
	Version        uint8  // 4
	IHL            uint8  // header length in 32-bit words, 5..15
	DSCP           uint8  // Differentiated Services code point (RFC 2474), 6 bits
	ECN            uint8  // Explicit Congestion Notification (RFC 3168), 2 bits
	TotalLength    uint16 // header + payload, in bytes
	ID             uint16 // identification, for fragment reassembly
	Flags          uint8  // IPv4Flag... bits
	FragmentOffset uint16 // in units of 8 bytes, 13 bits
	TTL            uint8
	Protocol       uint8
	Checksum       uint16 // header checksum, as received
	Src, Dst       netip.Addr
	Options        []byte // raw options (aliases the input); see ParseIPv4Options
}

// Len is the header length in bytes (IHL * 4).
func (h *IPv4Header) Len() int { return int(h.IHL) * 4 }

// DontFragment reports the DF flag.
func (h *IPv4Header) DontFragment() bool { return h.Flags&IPv4FlagDontFragment != 0 }

// MoreFragments reports the MF flag.
func (h *IPv4Header) MoreFragments() bool { return h.Flags&IPv4FlagMoreFragments != 0 }

// IsFragment reports whether the datagram is a fragment (MF set or a non-zero offset).
func (h *IPv4Header) IsFragment() bool { return h.MoreFragments() || h.FragmentOffset != 0 }

// ParseIPv4Header parses the IPv4 header at the start of b. It checks the version, that
// IHL is at least 5 and that the whole header (options included) is present; it does not
// check the checksum (see VerifyIPv4HeaderChecksum) nor TotalLength against len(b).
func ParseIPv4Header(b []byte) (IPv4Header, error) {
	if len(b) < IPv4HeaderLen {
		return IPv4Header{}, fmt.Errorf("IPv4 header: %d bytes, need %d: %w", len(b), IPv4HeaderLen, ErrTooShort)
	}
	h := IPv4Header{Version: b[0] >> 4, IHL: b[0] & 0x0f}
	if h.Version != 4 {
		return IPv4Header{}, fmt.Errorf("IPv4 header: version %d: %w", h.Version, ErrBadVersion)
	}
	if h.IHL < 5 {
		return IPv4Header{}, fmt.Errorf("IPv4 header: IHL %d (< 5): %w", h.IHL, ErrBadHeaderLength)
	}
	if len(b) < h.Len() {
		return IPv4Header{}, fmt.Errorf("IPv4 header: IHL %d means %d bytes, %d present: %w", h.IHL, h.Len(), len(b), ErrTooShort)
	}
	h.DSCP = b[1] >> 2
	h.ECN = b[1] & 0x03
	h.TotalLength = binary.BigEndian.Uint16(b[2:4])
	h.ID = binary.BigEndian.Uint16(b[4:6])
	flagsFrag := binary.BigEndian.Uint16(b[6:8])
	h.Flags = uint8(flagsFrag >> 13)
	h.FragmentOffset = flagsFrag & 0x1fff
	h.TTL = b[8]
	h.Protocol = b[9]
	h.Checksum = binary.BigEndian.Uint16(b[10:12])
	h.Src = netip.AddrFrom4([4]byte(b[12:16]))
	h.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	h.Options = b[IPv4HeaderLen:h.Len()]
	return h, nil
}

// VerifyIPv4HeaderChecksum reports whether the IPv4 header at the start of b (of IHL*4
// bytes) has a correct header checksum. Short or malformed input gives false.
func VerifyIPv4HeaderChecksum(b []byte) bool {
	if len(b) < IPv4HeaderLen {
		return false
	}
	n := int(b[0]&0x0f) * 4
	if n < IPv4HeaderLen || len(b) < n {
		return false
	}
	return Checksum(b[:n]) == 0
}

// AppendIPv4Header appends h to b with IHL and the header checksum computed from h's
// fields (Version is always written as 4; Options must be a multiple of 4 bytes, at most
// 40). Test responders use it to craft replies on IP_HDRINCL sockets.
func AppendIPv4Header(b []byte, h IPv4Header) ([]byte, error) {
	if len(h.Options)%4 != 0 || len(h.Options) > 40 {
		return b, fmt.Errorf("IPv4 header: %d option bytes (need a multiple of 4, at most 40): %w", len(h.Options), ErrBadHeaderLength)
	}
	if !h.Src.Is4() || !h.Dst.Is4() {
		return b, fmt.Errorf("IPv4 header: addresses %v > %v: %w", h.Src, h.Dst, ErrBadAddress)
	}
	start := len(b)
	ihl := uint8(5 + len(h.Options)/4)
	b = append(b, 4<<4|ihl, h.DSCP<<2|h.ECN&0x03)
	b = binary.BigEndian.AppendUint16(b, h.TotalLength)
	b = binary.BigEndian.AppendUint16(b, h.ID)
	b = binary.BigEndian.AppendUint16(b, uint16(h.Flags&0x7)<<13|h.FragmentOffset&0x1fff)
	b = append(b, h.TTL, h.Protocol, 0, 0)
	src, dst := h.Src.As4(), h.Dst.As4()
	b = append(b, src[:]...)
	b = append(b, dst[:]...)
	b = append(b, h.Options...)
	binary.BigEndian.PutUint16(b[start+10:], Checksum(b[start:]))
	return b, nil
}

// SplitIPv4 parses the IPv4 header at the start of a received datagram and returns the
// payload it announces: b[IHL*4 : TotalLength], cut short when fewer bytes are present
// (the caller decides whether a short payload matters).
func SplitIPv4(b []byte) (IPv4Header, []byte, error) {
	h, err := ParseIPv4Header(b)
	if err != nil {
		return h, nil, err
	}
	end := min(max(int(h.TotalLength), h.Len()), len(b))
	return h, b[h.Len():end], nil
}
