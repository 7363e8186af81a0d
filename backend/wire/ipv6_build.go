package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrBadFlowLabel: an IPv6 flow label does not fit its 20 bits.
var ErrBadFlowLabel = errors.New("wire: IPv6 flow label wider than 20 bits")

// AppendIPv6Header appends the fixed IPv6 header h to b (RFC 8200 section 3). Version is
// always written as 6; PayloadLength and NextHeader are written as given (extension headers,
// if any, are the caller's bytes that follow). IPv6 has no header checksum. Test responders
// use it to craft datagrams on IPV6_HDRINCL sockets.
func AppendIPv6Header(b []byte, h IPv6Header) ([]byte, error) {
	if !h.Src.Is6() || !h.Dst.Is6() {
		return b, fmt.Errorf("IPv6 header: addresses %v > %v: %w", h.Src, h.Dst, ErrBadAddress)
	}
	if h.FlowLabel > 0x000fffff {
		return b, fmt.Errorf("IPv6 header: flow label %#x: %w", h.FlowLabel, ErrBadFlowLabel)
	}
	b = binary.BigEndian.AppendUint32(b, 6<<28|uint32(h.TrafficClass)<<20|h.FlowLabel)
	b = binary.BigEndian.AppendUint16(b, h.PayloadLength)
	b = append(b, h.NextHeader, h.HopLimit)
	src, dst := h.Src.As16(), h.Dst.As16()
	b = append(b, src[:]...)
	return append(b, dst[:]...), nil
}
