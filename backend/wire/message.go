package wire

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// ICMPHeaderLen is the fixed part every ICMP message starts with: type, code, checksum.
const ICMPHeaderLen = 4

// Message is an ICMPv4 or ICMPv6 message. Body is one of *Echo, *DstUnreach,
// *TimeExceeded, *ParamProb, *PacketTooBig or *RawBody (any other type).
type Message struct {
	Family   Family
	Type     uint8
	Code     uint8
	Checksum uint16 // as parsed; Marshal computes its own
	Body     Body
}

// Body is the part of an ICMP message after type, code and checksum.
type Body interface {
	// Len is the number of bytes the body marshals to in the family (RFC 4884 padding
	// differs between ICMPv4 and ICMPv6).
	Len(f Family) int
	// appendTo appends the body's bytes to b.
	appendTo(b []byte, f Family) []byte
}

// PseudoHeader holds the addresses of the IPv6 upper-layer pseudo-header (RFC 8200
// section 8.1) that the ICMPv6 checksum covers. The length and next header (58) parts are
// derived from the message itself.
type PseudoHeader struct {
	Src, Dst netip.Addr
}

// valid reports whether both addresses are IPv6 (IPv4-mapped addresses count: they are
// 16 bytes on the wire).
func (ph *PseudoHeader) valid() bool {
	return ph != nil && ph.Src.Is6() && ph.Dst.Is6()
}

// Sum is the one's complement sum of the pseudo-header for an upper-layer message of
// length n, ready to be passed as the initial value of Sum over the message.
func (ph *PseudoHeader) Sum(n int) uint32 {
	src, dst := ph.Src.As16(), ph.Dst.As16()
	s := Sum(0, src[:])
	s = Sum(s, dst[:])
	var tail [8]byte
	binary.BigEndian.PutUint32(tail[0:4], uint32(n))
	tail[7] = ProtocolICMPv6
	return Sum(s, tail[:])
}

// Len is the length of the marshalled message.
func (m *Message) Len() int {
	if m.Body == nil {
		return ICMPHeaderLen
	}
	return ICMPHeaderLen + m.Body.Len(m.Family)
}

// Marshal returns the message's bytes with the checksum filled in. For ICMPv6 the checksum
// covers the pseudo-header ph; with ph nil it is left zero (a raw ICMPv6 socket has the
// kernel fill it, RFC 3542 section 3.1).
func (m *Message) Marshal(ph *PseudoHeader) ([]byte, error) {
	return m.Append(make([]byte, 0, m.Len()), ph)
}

// Append appends the message's bytes to b (see Marshal). It allocates only when b lacks
// capacity.
func (m *Message) Append(b []byte, ph *PseudoHeader) ([]byte, error) {
	if !m.Family.valid() {
		return b, fmt.Errorf("marshal ICMP message: %w", ErrBadFamily)
	}
	if m.Family == IPv6 && ph != nil && !ph.valid() {
		return b, fmt.Errorf("marshal ICMPv6 message: pseudo-header %v > %v: %w", ph.Src, ph.Dst, ErrBadAddress)
	}
	start := len(b)
	b = append(b, m.Type, m.Code, 0, 0)
	if m.Body != nil {
		b = m.Body.appendTo(b, m.Family)
	}
	fillChecksum(b[start:], m.Family, ph)
	return b, nil
}

// fillChecksum writes the checksum of the ICMP message msg into bytes 2-3.
func fillChecksum(msg []byte, f Family, ph *PseudoHeader) {
	var initial uint32
	if f == IPv6 {
		if !ph.valid() {
			return
		}
		initial = ph.Sum(len(msg))
	}
	binary.BigEndian.PutUint16(msg[2:4], 0)
	binary.BigEndian.PutUint16(msg[2:4], ^Fold(Sum(initial, msg)))
}

// VerifyChecksum reports whether the ICMP message msg carries a correct checksum. ICMPv6
// needs the pseudo-header; ph nil for ICMPv6 yields false.
func VerifyChecksum(f Family, msg []byte, ph *PseudoHeader) bool {
	if len(msg) < ICMPHeaderLen {
		return false
	}
	var initial uint32
	if f == IPv6 {
		if !ph.valid() {
			return false
		}
		initial = ph.Sum(len(msg))
	}
	return ^Fold(Sum(initial, msg)) == 0
}

// bodyParser parses a body (the bytes after the 4-byte header) of one message type.
type bodyParser func(f Family, typ, code uint8, b []byte) (Body, error)

// bodyParsers is the dispatch table from (family, type) to the body's parser; types not
// listed parse as *RawBody.
var bodyParsers = map[Family]map[uint8]bodyParser{
	IPv4: {
		ICMPv4EchoReply:              parseEcho,
		ICMPv4EchoRequest:            parseEcho,
		ICMPv4DestinationUnreachable: parseDstUnreach,
		ICMPv4TimeExceeded:           parseTimeExceeded,
		ICMPv4ParameterProblem:       parseParamProb,
	},
	IPv6: {
		ICMPv6EchoRequest:            parseEcho,
		ICMPv6EchoReply:              parseEcho,
		ICMPv6DestinationUnreachable: parseDstUnreach,
		ICMPv6PacketTooBig:           parsePacketTooBig,
		ICMPv6TimeExceeded:           parseTimeExceeded,
		ICMPv6ParameterProblem:       parseParamProb,
	},
}

// ParseMessage parses an ICMP message of the family (no IP header in b). Slices in the
// body alias b. The checksum is not verified here: see VerifyChecksum or Decode.
func ParseMessage(f Family, b []byte) (*Message, error) {
	if !f.valid() {
		return nil, fmt.Errorf("parse ICMP message: %w", ErrBadFamily)
	}
	if len(b) < ICMPHeaderLen {
		return nil, fmt.Errorf("parse %s message: %d bytes, need %d: %w", f.ICMPName(), len(b), ICMPHeaderLen, ErrTooShort)
	}
	m := &Message{Family: f, Type: b[0], Code: b[1], Checksum: binary.BigEndian.Uint16(b[2:4])}
	parse, ok := bodyParsers[f][m.Type]
	if !ok {
		m.Body = &RawBody{Data: b[ICMPHeaderLen:]}
		return m, nil
	}
	body, err := parse(f, m.Type, m.Code, b[ICMPHeaderLen:])
	if err != nil {
		return nil, fmt.Errorf("parse %s %s: %w", f.ICMPName(), TypeName(f, m.Type), err)
	}
	m.Body = body
	return m, nil
}

// RawBody is the body of a message type this package does not parse further.
type RawBody struct {
	Data []byte
}

// Len implements Body.
func (r *RawBody) Len(_ Family) int { return len(r.Data) }

func (r *RawBody) appendTo(b []byte, _ Family) []byte { return append(b, r.Data...) }
