package wire

import (
	"encoding/binary"
	"fmt"
)

// PacketTooBig is the body of an ICMPv6 packet too big message (RFC 4443 3.2), the IPv6
// form of path MTU discovery (RFC 8201): IPv6 routers never fragment.
type PacketTooBig struct {
	MTU  uint32 // the MTU of the next-hop link
	Data []byte // the quoted original datagram
}

// Len implements Body.
func (p *PacketTooBig) Len(_ Family) int { return 4 + len(p.Data) }

func (p *PacketTooBig) quoted() []byte { return p.Data }

func (p *PacketTooBig) appendTo(b []byte, _ Family) []byte {
	b = binary.BigEndian.AppendUint32(b, p.MTU)
	return append(b, p.Data...)
}

func parsePacketTooBig(_ Family, _, _ uint8, b []byte) (Body, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("body %d bytes, need 4: %w", len(b), ErrTooShort)
	}
	return &PacketTooBig{MTU: binary.BigEndian.Uint32(b[0:4]), Data: b[4:]}, nil
}
