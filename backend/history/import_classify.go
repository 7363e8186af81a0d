package history

import (
	"encoding/binary"
	"net/netip"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// CaptureClock names timestamps that came from a capture file.
const CaptureClock probe.ClockSource = "capture"

// flowKey is one ping in a capture: who pinged whom with which identifier. Each flow is
// judged on its own by the engine, as a live session of that ping would have been.
type flowKey struct {
	local, target netip.Addr
	id            uint16
}

// flowOf is the ping a row belongs to: a request's, the one a reply answers, the one whose
// request an ICMP error quotes. False for rows of no ping (errors quoting no echo request).
func flowOf(p *Packet) (flowKey, bool) {
	switch p.Kind {
	case probe.EventSend:
		return flowKey{p.From, p.To, p.ID}, true
	case probe.EventReply:
		return flowKey{p.To, p.From, p.ID}, true
	}
	return quotedFlow(p)
}

// FlowTarget is the address the ping a row belongs to was sent to, as the import grouped it
// into flows: a request's destination, a reply's source, the destination of the request an
// ICMP error quotes. Invalid when the row belongs to no flow.
func FlowTarget(p *Packet) netip.Addr {
	switch p.Kind {
	case probe.EventSend, probe.EventLoss:
		return p.To
	case probe.EventReply:
		return p.From
	}
	if k, ok := quotedFlow(p); ok {
		return k.target
	}
	return netip.Addr{}
}

// quotedFlow is the flow of the echo request an ICMP error quotes.
func quotedFlow(p *Packet) (flowKey, bool) {
	fam, icmp := icmpOf(p)
	m, err := wire.ParseMessage(fam, icmp)
	if err != nil {
		return flowKey{}, false
	}
	q, err := m.Quoted()
	if err != nil {
		return flowKey{}, false
	}
	em, ok := q.Echo()
	if !ok || em.Type != wire.EchoRequestType(fam) {
		return flowKey{}, false
	}
	if q.Family == wire.IPv6 {
		return flowKey{q.IPv6.Src, q.IPv6.Dst, em.ID}, true
	}
	return flowKey{q.IPv4.Src, q.IPv4.Dst, em.ID}, true
}

// offlineMessage is a captured row as the engine's offline classifier takes it. ICMPv6, and
// ICMP behind an IPv4 Authentication Header, go as the ICMP message with its addresses (as
// a raw IPv6 socket gives it); an ICMPv6 checksum is then checked against the final
// destination of a routing header (RFC 8200 section 8.1), as the sender computed it.
func offlineMessage(x *extracted) probe.OfflineMessage {
	p := &x.p
	m := probe.OfflineMessage{Sent: p.Kind == probe.EventSend, At: p.Time, Bytes: p.Bytes,
		IncludesIPHeader: p.IncludesIPHeader, From: p.From, To: p.To, TTL: p.TTL, Truncated: x.truncated}
	if !p.IncludesIPHeader || len(p.Bytes) == 0 {
		return m
	}
	switch p.Bytes[0] >> 4 {
	case 4:
		if h, err := wire.ParseIPv4Header(p.Bytes); err == nil && h.Protocol == protocolAH {
			_, icmp := icmpOf(p)
			m.Bytes, m.IncludesIPHeader = icmp, false
		}
	case 6:
		h, err := wire.ParseIPv6Header(p.Bytes)
		if err != nil {
			return m
		}
		chain := p.Bytes[wire.IPv6HeaderLen:]
		if exts, _, _, err := wire.WalkIPv6Extensions(h.NextHeader, chain); err == nil {
			m.To = wire.FinalDestination(h.Dst, chain, exts)
		}
		_, icmp := icmpOf(p)
		m.Bytes, m.IncludesIPHeader = icmp, false
	}
	return m
}

// tokenIn is the Echoscope session token a request's ICMP message carries, with the time
// its payload says it was sent; ok is false when the payload has no room for one.
func tokenIn(icmp []byte) (token uint64, sent time.Time, ok bool) {
	if len(icmp) < wire.EchoHeaderLen+probe.PayloadHeaderLen {
		return 0, time.Time{}, false
	}
	data := icmp[wire.EchoHeaderLen:]
	return binary.BigEndian.Uint64(data[0:8]), time.Unix(0, int64(binary.BigEndian.Uint64(data[8:16]))), true
}

// copyJudgement copies the engine's verdict on a message into its row.
func copyJudgement(p *Packet, ev probe.Event, base uint64) {
	if ev.Index != 0 {
		p.Index = ev.Index + base
	}
	p.Note = joinNote(p.Note, ev.Note)
	if p.Kind == probe.EventSend {
		return
	}
	p.Class, p.Rule, p.Sent, p.RTT, p.RTTClocks = ev.Class, ev.Rule, ev.Sent, ev.RTT, ev.RTTClocks
	if p.Kind == probe.EventICMPError {
		p.ID, p.Seq = ev.ID, ev.Seq // as quoted
	}
}

func foreign(p *Packet, note string) {
	if p.Kind == probe.EventSend {
		p.Note = joinNote(p.Note, note)
		return
	}
	p.Class, p.Rule = probe.ClassForeign, probe.RuleNone
	p.Note = joinNote(p.Note, note)
}

// ICMPMessage is a row's ICMP message, without the IP header an imported (or raw IPv4)
// row carries; nil when that header cannot be read.
func ICMPMessage(p *Packet) []byte {
	_, icmp := icmpOf(p)
	return icmp
}

// icmpOf returns the ICMP message inside an imported row (which holds the IP datagram).
func icmpOf(p *Packet) (wire.Family, []byte) {
	b := p.Bytes
	if !p.IncludesIPHeader || len(b) == 0 {
		return familyOf(p), b
	}
	if b[0]>>4 == 4 {
		_, payload, _, err := ipv4Upper(b)
		if err != nil {
			return wire.IPv4, nil
		}
		return wire.IPv4, payload
	}
	h, err := wire.ParseIPv6Header(b)
	if err != nil {
		return wire.IPv6, nil
	}
	_, _, off, err := wire.WalkIPv6Extensions(h.NextHeader, b[wire.IPv6HeaderLen:])
	if err != nil {
		return wire.IPv6, nil
	}
	end := min(len(b), wire.IPv6HeaderLen+int(h.PayloadLength))
	return wire.IPv6, b[min(wire.IPv6HeaderLen+off, end):end]
}

func joinNote(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}
