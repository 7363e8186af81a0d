package wire

import (
	"encoding/binary"
	"fmt"
)

// minExtendedQuote is the least number of quoted bytes before an RFC 4884 extension
// structure: the original datagram is zero-padded to at least 128 bytes.
const minExtendedQuote = 128

// lengthUnit is the unit of the RFC 4884 length field: 32-bit words in ICMPv4,
// 64-bit words in ICMPv6.
func lengthUnit(f Family) int {
	if f == IPv6 {
		return 8
	}
	return 4
}

// splitQuote separates the quoted original datagram from an RFC 4884 extension structure
// using the length field. A length that points past the end means the whole rest is the
// quote (RFC 4884 section 5 asks receivers of a bad length to treat the message as if it had
// none). A length of zero is what routers that predate RFC 4884 send even with extensions
// (MPLS label stacks, RFC 4950): section 5's compatibility rule then looks for an extension
// structure right after a 128-byte quote, and takes it when it is one, as tshark does.
func splitQuote(f Family, length uint8, rest []byte) (quote, ext []byte) {
	if length == 0 {
		if legacyExtensions(rest) {
			return rest[:minExtendedQuote], rest[minExtendedQuote:]
		}
		return rest, nil
	}
	n := int(length) * lengthUnit(f)
	if n > len(rest) {
		return rest, nil
	}
	return rest[:n], rest[n:]
}

// legacyExtensions reports whether rest, a quote announced with length 0, holds an RFC 4884
// extension structure after its first 128 bytes (RFC 4884 section 5): version 2, and either
// a valid checksum or objects whose lengths tile the rest exactly. (tshark takes version 2
// alone and then flags a bad checksum; the objects' lengths keep a quote whose 129th byte
// happens to start with 2 from being read as extensions.)
func legacyExtensions(rest []byte) bool {
	if len(rest) < minExtendedQuote+extensionHeaderLen {
		return false
	}
	ext := rest[minExtendedQuote:]
	if ext[0]>>4 != 2 {
		return false
	}
	if Checksum(ext) == 0 {
		return true
	}
	at := extensionHeaderLen
	for at+4 <= len(ext) {
		n := int(binary.BigEndian.Uint16(ext[at:]))
		if n < 4 || at+n > len(ext) {
			return false
		}
		at += n
	}
	return at == len(ext) && at > extensionHeaderLen
}

// extensionHeaderLen is the RFC 4884 extension header: version, reserved, checksum.
const extensionHeaderLen = 4

// appendQuote appends a quoted datagram and optional extension structure, zero-padding the
// quote as RFC 4884 requires when extensions follow. It returns the length field value.
func appendQuote(b []byte, f Family, quote, ext []byte) ([]byte, uint8) {
	b = append(b, quote...)
	if len(ext) == 0 {
		return b, noExtensionsLength(f, quote)
	}
	unit := lengthUnit(f)
	padded := max(len(quote), minExtendedQuote)
	padded = (padded + unit - 1) / unit * unit
	for range padded - len(quote) {
		b = append(b, 0)
	}
	return append(b, ext...), uint8(min(padded/unit, 255))
}

// noExtensionsLength is the length field for a quote without extensions. It is 0 unless
// the quote itself looks like a legacy extension structure after 128 bytes (see
// legacyExtensions), which a receiver, this package included, would split off: then the
// length covers the whole quote, rounded up to the unit, so that a receiver takes all of it
// as the quote (an exact length leaves nothing after it; a length past the end means "no
// extensions", RFC 4884 section 5). A quote longer than 255 units cannot be covered and keeps
// length 0: it is genuinely ambiguous on the wire.
func noExtensionsLength(f Family, quote []byte) uint8 {
	if !legacyExtensions(quote) {
		return 0
	}
	unit := lengthUnit(f)
	words := (len(quote) + unit - 1) / unit
	if words > 255 {
		return 0
	}
	return uint8(words)
}

// QuotedDatagram is the start of the original datagram quoted by an ICMP error: its IP
// header and the first bytes of its payload (RFC 792 asks for 8, RFC 1812 lets routers send
// more). An engine ties the error to its request through Protocol and Transport: for a
// quoted echo request the identifier and sequence are in Transport[4:8].
type QuotedDatagram struct {
	Family    Family
	IPv4      IPv4Header // valid when Family == IPv4
	IPv6      IPv6Header // valid when Family == IPv6
	Protocol  uint8      // upper-layer protocol after any IPv6 extension headers
	HeaderLen int        // bytes of IP header (and IPv6 extension headers) in the quote
	Transport []byte     // the quoted upper-layer bytes, aliasing the message
}

// ParseQuotedDatagram parses a quoted original datagram; the IP version nibble picks the
// family. Its header lengths are not checked against its total length, which describes the
// original datagram and not the (truncated) quote.
func ParseQuotedDatagram(b []byte) (QuotedDatagram, error) {
	if len(b) < 1 {
		return QuotedDatagram{}, fmt.Errorf("quoted datagram: empty: %w", ErrTooShort)
	}
	switch b[0] >> 4 {
	case 4:
		h, err := ParseIPv4Header(b)
		if err != nil {
			return QuotedDatagram{}, fmt.Errorf("quoted datagram: %w", err)
		}
		return QuotedDatagram{Family: IPv4, IPv4: h, Protocol: h.Protocol, HeaderLen: h.Len(), Transport: b[h.Len():]}, nil
	case 6:
		h, err := ParseIPv6Header(b)
		if err != nil {
			return QuotedDatagram{}, fmt.Errorf("quoted datagram: %w", err)
		}
		_, proto, off, err := WalkIPv6Extensions(h.NextHeader, b[IPv6HeaderLen:])
		if err != nil {
			return QuotedDatagram{}, fmt.Errorf("quoted datagram: %w", err)
		}
		hl := IPv6HeaderLen + off
		return QuotedDatagram{Family: IPv6, IPv6: h, Protocol: proto, HeaderLen: hl, Transport: b[hl:]}, nil
	}
	return QuotedDatagram{}, fmt.Errorf("quoted datagram: version %d: %w", b[0]>>4, ErrBadVersion)
}

// Echo returns the quoted echo message when the original datagram was an ICMP echo
// request or reply and at least its first 8 bytes are quoted; ok is false otherwise.
// Data holds whatever part of the original payload was quoted.
func (q QuotedDatagram) Echo() (em EchoMessage, ok bool) {
	if q.Protocol != q.Family.ICMPProtocol() {
		return EchoMessage{}, false
	}
	em, err := ParseEcho(q.Family, q.Transport)
	return em, err == nil
}

// Dst is the quoted datagram's destination: the host the original packet was sent to.
func (q QuotedDatagram) Dst() string {
	if q.Family == IPv6 {
		return q.IPv6.Dst.String()
	}
	return q.IPv4.Dst.String()
}

// quoting is implemented by the bodies of error messages.
type quoting interface {
	quoted() []byte
}

// Quoted parses the original datagram quoted by an error message (destination
// unreachable, packet too big, time exceeded, parameter problem). Other messages return
// ErrNotError.
func (m *Message) Quoted() (QuotedDatagram, error) {
	q, ok := m.Body.(quoting)
	if !ok {
		return QuotedDatagram{}, fmt.Errorf("%s %s: %w", m.Family.ICMPName(), TypeName(m.Family, m.Type), ErrNotError)
	}
	return ParseQuotedDatagram(q.quoted())
}
