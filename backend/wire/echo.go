package wire

import (
	"encoding/binary"
	"fmt"
)

// EchoHeaderLen is the length of an echo message without data: type, code, checksum,
// identifier, sequence number.
const EchoHeaderLen = 8

// Echo is the body of an echo request or reply (RFC 792 "Echo or Echo Reply Message",
// RFC 4443 sections 4.1 and 4.2).
type Echo struct {
	ID   uint16 // identifier; Linux datagram sockets overwrite it with the local port
	Seq  uint16 // sequence number
	Data []byte // the payload, echoed back unchanged by the responder
}

// Len implements Body.
func (e *Echo) Len(_ Family) int { return 4 + len(e.Data) }

func (e *Echo) appendTo(b []byte, _ Family) []byte {
	b = binary.BigEndian.AppendUint16(b, e.ID)
	b = binary.BigEndian.AppendUint16(b, e.Seq)
	return append(b, e.Data...)
}

func parseEcho(_ Family, _, _ uint8, b []byte) (Body, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("echo body %d bytes, need 4: %w", len(b), ErrTooShort)
	}
	return &Echo{ID: binary.BigEndian.Uint16(b[0:2]), Seq: binary.BigEndian.Uint16(b[2:4]), Data: b[4:]}, nil
}

// AppendEcho appends an echo message of type typ (EchoRequestType(f) or EchoReplyType(f))
// to b with its checksum filled in, and returns the extended slice. It does not allocate
// when b has room for EchoHeaderLen+len(e.Data) more bytes, so the engine can reuse one
// buffer per packet. For ICMPv6 the checksum needs the pseudo-header ph; with ph nil (or
// addresses that are not IPv6) it is left zero, which is what a raw ICMPv6 socket wants:
// the kernel computes it (RFC 3542 section 3.1).
func AppendEcho(b []byte, f Family, typ uint8, e Echo, ph *PseudoHeader) []byte {
	start := len(b)
	b = append(b, typ, 0, 0, 0)
	b = e.appendTo(b, f)
	fillChecksum(b[start:], f, ph)
	return b
}

// EchoMessage is an echo request or reply parsed without allocating (see ParseEcho).
type EchoMessage struct {
	Type     uint8
	Code     uint8
	Checksum uint16
	Echo
}

// ParseEcho parses an echo request or reply of the family without allocating: Data
// aliases b. Other message types return ErrNotEcho (use ParseMessage for those). The
// checksum is not verified (see VerifyChecksum).
func ParseEcho(f Family, b []byte) (EchoMessage, error) {
	if !f.valid() {
		return EchoMessage{}, fmt.Errorf("parse echo: %w", ErrBadFamily)
	}
	if len(b) < EchoHeaderLen {
		return EchoMessage{}, fmt.Errorf("parse %s echo: %d bytes, need %d: %w", f.ICMPName(), len(b), EchoHeaderLen, ErrTooShort)
	}
	if !IsEcho(f, b[0]) {
		return EchoMessage{}, fmt.Errorf("parse %s echo: type %d (%s): %w", f.ICMPName(), b[0], TypeName(f, b[0]), ErrNotEcho)
	}
	return EchoMessage{
		Type:     b[0],
		Code:     b[1],
		Checksum: binary.BigEndian.Uint16(b[2:4]),
		Echo: Echo{
			ID:   binary.BigEndian.Uint16(b[4:6]),
			Seq:  binary.BigEndian.Uint16(b[6:8]),
			Data: b[8:],
		},
	}, nil
}
