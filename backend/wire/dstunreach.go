package wire

import (
	"encoding/binary"
	"fmt"
)

// ICMPv4 destination unreachable code for "Fragmentation Needed and Don't Fragment was
// Set", whose message carries the next-hop MTU (RFC 1191 section 4).
const ICMPv4CodeFragNeeded uint8 = 4

// DstUnreach is the body of a destination unreachable message (RFC 792, RFC 4443 3.1).
type DstUnreach struct {
	// Length is the RFC 4884 length of the quoted datagram (32-bit words in ICMPv4, 64-bit
	// words in ICMPv6); 0 when the message has no extension structure. Marshal computes it.
	Length uint8
	// NextHopMTU is the MTU of the next hop for ICMPv4 code 4 (RFC 1191); 0 in older
	// routers' messages and in other codes.
	NextHopMTU uint16
	// Data is the quoted original datagram.
	Data []byte
	// Extensions is the raw RFC 4884 extension structure, if any.
	Extensions []byte
}

// Len implements Body.
func (d *DstUnreach) Len(f Family) int { return errorBodyLen(f, d.Data, d.Extensions) }

func (d *DstUnreach) quoted() []byte { return d.Data }

func (d *DstUnreach) appendTo(b []byte, f Family) []byte {
	head := len(b)
	b = append(b, 0, 0, 0, 0)
	b, length := appendQuote(b, f, d.Data, d.Extensions)
	putErrorLength(b[head:], f, length)
	if f == IPv4 {
		binary.BigEndian.PutUint16(b[head+2:], d.NextHopMTU)
	}
	return b
}

func parseDstUnreach(f Family, _, code uint8, b []byte) (Body, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("body %d bytes, need 4: %w", len(b), ErrTooShort)
	}
	d := &DstUnreach{Length: errorLength(f, b)}
	if f == IPv4 && code == ICMPv4CodeFragNeeded {
		d.NextHopMTU = binary.BigEndian.Uint16(b[2:4])
	}
	d.Data, d.Extensions = splitQuote(f, d.Length, b[4:])
	return d, nil
}

// errorLength reads the RFC 4884 length field of an error body: byte 1 of the word after
// the checksum in ICMPv4, byte 0 in ICMPv6 (RFC 4884 sections 4.1 and 4.2).
func errorLength(f Family, body []byte) uint8 {
	if f == IPv6 {
		return body[0]
	}
	return body[1]
}

func putErrorLength(body []byte, f Family, length uint8) {
	if f == IPv6 {
		body[0] = length
	} else {
		body[1] = length
	}
}

// errorBodyLen is the marshalled length of an error body: a 4-byte word, the quote
// (padded when extensions follow, see appendQuote) and the extensions.
func errorBodyLen(f Family, quote, ext []byte) int {
	if len(ext) == 0 {
		return 4 + len(quote)
	}
	unit := lengthUnit(f)
	padded := max(len(quote), minExtendedQuote)
	padded = (padded + unit - 1) / unit * unit
	return 4 + padded + len(ext)
}
