package export

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// Framer turns stored rows into whole IP datagrams for capture files. Rows from sockets
// that deliver no IP header (datagram sockets, raw IPv6, every send) get one synthesized
// from the row's addresses and TTL, so Wireshark dissects them; the comment says so.
type Framer struct {
	// local is our own address per family, learnt from the session (the source of our
	// sends, the destination of replies); used where a row lacks it.
	local4, local6 netip.Addr
}

// Learn records addresses a row reveals about our side of the conversation.
func (f *Framer) Learn(p *Packet) {
	var mine netip.Addr
	if p.Kind == probe.EventSend {
		mine = p.From
	} else if !p.IncludesIPHeader {
		mine = p.To
	} else if h, err := wire.ParseIPv4Header(p.Bytes); err == nil {
		mine = h.Dst
	} else if h, err := wire.ParseIPv6Header(p.Bytes); err == nil {
		mine = h.Dst
	}
	mine = mine.Unmap()
	switch {
	case mine.Is4() && !f.local4.IsValid():
		f.local4 = mine
	case mine.Is6() && !f.local6.IsValid():
		f.local6 = mine
	}
}

// Frame returns the datagram for row p, the per-packet comment, and false for rows that
// carry no packet of their own (losses, rows without bytes).
func (f *Framer) Frame(p *Packet) ([]byte, string, bool) {
	if p.Kind == probe.EventLoss || p.Kind == probe.EventStats || len(p.Bytes) == 0 {
		return nil, "", false
	}
	notes := []string{describe(p)}
	if p.IncludesIPHeader {
		return p.Bytes, strings.Join(notes, "; "), true
	}
	fam := FamilyOf(p)
	src, dst := p.From.Unmap(), p.To.Unmap()
	local := f.local4
	if fam == wire.IPv6 {
		local = f.local6
	}
	if p.Kind == probe.EventSend {
		if !src.IsValid() {
			src = local
			if !src.IsValid() && dst.IsLoopback() {
				src = dst // a loopback ping leaves and arrives on the same address
			}
		}
	} else if !dst.IsValid() {
		dst = local
		if !dst.IsValid() && src.IsLoopback() {
			dst = src
		}
	}
	src, dst = orUnspecified(src, fam), orUnspecified(dst, fam)
	icmp := append([]byte(nil), p.Bytes...)
	if p.Kind == probe.EventSend {
		notes = append(notes, fixSend(icmp, fam, p.ID, src, dst)...)
	}
	ttl := p.TTL
	if ttl < 0 {
		ttl = 64
	}
	var out []byte
	if fam == wire.IPv4 {
		out, _ = wire.AppendIPv4Header(make([]byte, 0, wire.IPv4HeaderLen+len(icmp)), wire.IPv4Header{
			TotalLength: uint16(min(wire.IPv4HeaderLen+len(icmp), 0xffff)), TTL: uint8(ttl),
			Protocol: wire.ProtocolICMP, Src: src, Dst: dst})
	} else {
		out = appendIPv6Header(make([]byte, 0, wire.IPv6HeaderLen+len(icmp)), len(icmp), uint8(ttl), src, dst)
	}
	notes = append(notes, fmt.Sprintf("%s header synthesized by Echoscope from the socket's addresses and TTL (the socket delivered no IP header)", fam))
	return append(out, icmp...), strings.Join(notes, "; "), true
}

// fixSend makes a stored request look as it left: a datagram socket's kernel puts its own
// identifier in (Packet.ID holds it) and fills the checksum, as the raw ICMPv6 socket does.
func fixSend(icmp []byte, fam wire.Family, id uint16, src, dst netip.Addr) []string {
	if len(icmp) < wire.EchoHeaderLen || !wire.IsEcho(fam, icmp[0]) {
		return nil
	}
	var notes []string
	if got := binary.BigEndian.Uint16(icmp[4:6]); got != id {
		binary.BigEndian.PutUint16(icmp[4:6], id)
		notes = append(notes, fmt.Sprintf("identifier 0x%04x as the kernel rewrote it (written as 0x%04x)", id, got))
	}
	var ph *wire.PseudoHeader
	if fam == wire.IPv6 {
		ph = &wire.PseudoHeader{Src: src, Dst: dst}
	}
	if !wire.VerifyChecksum(fam, icmp, ph) {
		old := binary.BigEndian.Uint16(icmp[2:4])
		binary.BigEndian.PutUint16(icmp[2:4], 0)
		var initial uint32
		if ph != nil {
			initial = ph.Sum(len(icmp))
		}
		binary.BigEndian.PutUint16(icmp[2:4], ^wire.Fold(wire.Sum(initial, icmp)))
		notes = append(notes, fmt.Sprintf("checksum filled in as the kernel does on sending (written as 0x%04x)", old))
	}
	return notes
}

// FamilyOf tells a row's IP version from its addresses, else from its ICMP type.
func FamilyOf(p *Packet) wire.Family {
	for _, a := range []netip.Addr{p.To, p.From} {
		if a.IsValid() {
			if a.Unmap().Is4() {
				return wire.IPv4
			}
			return wire.IPv6
		}
	}
	if len(p.Bytes) > 0 && p.Bytes[0] >= 128 {
		return wire.IPv6 // ICMPv6 informational types start at 128 and errors are below 5,
	}
	return wire.IPv4 // which ICMPv4 also uses: without addresses IPv4 is the safer guess
}

func orUnspecified(a netip.Addr, fam wire.Family) netip.Addr {
	if a.IsValid() {
		return a
	}
	if fam == wire.IPv4 {
		return netip.IPv4Unspecified()
	}
	return netip.IPv6Unspecified()
}

// appendIPv6Header appends a fixed IPv6 header (RFC 8200 section 3) for an ICMPv6 payload.
func appendIPv6Header(b []byte, payloadLen int, hopLimit uint8, src, dst netip.Addr) []byte {
	b = append(b, 6<<4, 0, 0, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(min(payloadLen, 0xffff)))
	b = append(b, wire.ProtocolICMPv6, hopLimit)
	s, d := src.As16(), dst.As16()
	b = append(b, s[:]...)
	return append(b, d[:]...)
}

// describe is the row's classification in words, for capture comments.
func describe(p *Packet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Echoscope %s", p.Kind)
	if p.Class != "" {
		fmt.Fprintf(&b, ", %s", p.Class)
	}
	if p.Rule != "" && p.Rule != probe.RuleNone {
		fmt.Fprintf(&b, " (%s)", p.Rule)
	}
	if p.RTT > 0 {
		fmt.Fprintf(&b, ", rtt %s", p.RTT)
	}
	if p.Time.Clock != "" {
		fmt.Fprintf(&b, ", time from %s clock", p.Time.Clock)
	}
	if p.Note != "" {
		fmt.Fprintf(&b, ": %s", p.Note)
	}
	return b.String()
}
