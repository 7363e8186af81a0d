package wire

import (
	"encoding/binary"
	"fmt"
)

// ParamProb is the body of a parameter problem message (RFC 792, RFC 4443 3.4).
type ParamProb struct {
	// Pointer is the offset of the offending byte in the quoted datagram: 8 bits in
	// ICMPv4, 32 bits in ICMPv6.
	Pointer uint32
	// Length is the RFC 4884 length of the quote (ICMPv4 only: ICMPv6's pointer fills the
	// word); Marshal computes it.
	Length     uint8
	Data       []byte // the quoted original datagram
	Extensions []byte // raw RFC 4884 extension structure, if any (ICMPv4)
}

// Len implements Body.
func (p *ParamProb) Len(f Family) int {
	if f == IPv6 {
		return 4 + len(p.Data)
	}
	return errorBodyLen(f, p.Data, p.Extensions)
}

func (p *ParamProb) quoted() []byte { return p.Data }

func (p *ParamProb) appendTo(b []byte, f Family) []byte {
	if f == IPv6 {
		b = binary.BigEndian.AppendUint32(b, p.Pointer)
		return append(b, p.Data...)
	}
	head := len(b)
	b = append(b, uint8(p.Pointer), 0, 0, 0)
	b, length := appendQuote(b, f, p.Data, p.Extensions)
	b[head+1] = length
	return b
}

func parseParamProb(f Family, _, _ uint8, b []byte) (Body, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("body %d bytes, need 4: %w", len(b), ErrTooShort)
	}
	if f == IPv6 {
		return &ParamProb{Pointer: binary.BigEndian.Uint32(b[0:4]), Data: b[4:]}, nil
	}
	p := &ParamProb{Pointer: uint32(b[0]), Length: b[1]}
	p.Data, p.Extensions = splitQuote(f, p.Length, b[4:])
	return p, nil
}
