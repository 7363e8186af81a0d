// Package export writes packet rows as capture files (pcapng) and CSV, with no storage
// behind it: the history store uses it for stored sessions and echoscope-ping for a live
// run (--pcap, --csv), so the small static helper needs no SQLite.
package export

import (
	"iter"
	"net/netip"
	"time"

	"echoscope/backend/probe"
)

// Packet is one stored row: a probe.Event of any kind but stats.
type Packet struct {
	// N is the row's 0-based position within its session.
	N         int64           `json:"n"`
	SessionID int64           `json:"sessionId"`
	Kind      probe.EventKind `json:"kind"`
	// Index is the request's number in the session (probe.Event.Index), 0 when none.
	Index uint64 `json:"index"`
	// Time is when this message was sent (sends) or received; zero for losses without one.
	Time             probe.Timestamp `json:"time"`
	Sent             probe.Timestamp `json:"sent"`
	Seq              uint16          `json:"seq"`
	ID               uint16          `json:"id"`
	Bytes            []byte          `json:"bytes,omitempty"`
	IncludesIPHeader bool            `json:"includesIpHeader"`
	Class            probe.Class     `json:"class,omitempty"`
	Rule             probe.MatchRule `json:"rule,omitempty"`
	Note             string          `json:"note,omitempty"`
	RTT              time.Duration   `json:"rtt"`
	RTTClocks        string          `json:"rttClocks,omitempty"`
	TTL              int             `json:"ttl"`
	From             netip.Addr      `json:"from,omitzero"`
	To               netip.Addr      `json:"to,omitzero"`
	ICMPType         int             `json:"icmpType"`
	ICMPCode         int             `json:"icmpCode"`
	Size             int             `json:"size"`
}

// PacketFromEvent turns an engine event into a row. The row's time is when the message
// itself crossed the socket: Sent for sends, Received for everything received, and for a
// loss the request's send time (the loss has no packet of its own).
func PacketFromEvent(ev probe.Event) Packet {
	p := Packet{Kind: ev.Kind, Index: ev.Index, Sent: ev.Sent, Seq: ev.Seq, ID: ev.ID,
		Bytes: ev.Bytes, IncludesIPHeader: ev.IncludesIPHeader, Class: ev.Class, Rule: ev.Rule,
		Note: ev.Note, RTT: ev.RTT, RTTClocks: ev.RTTClocks, TTL: ev.TTL, From: ev.From,
		To: ev.To, ICMPType: ev.ICMPType, ICMPCode: ev.ICMPCode, Size: ev.Size}
	switch {
	case ev.Kind == probe.EventSend || ev.Kind == probe.EventLoss:
		p.Time = ev.Sent
	case !ev.Received.IsZero():
		p.Time = ev.Received
	default:
		p.Time = ev.Sent
	}
	if ev.Kind == probe.EventLoss && len(ev.Bytes) == 0 {
		// A loss shows the request it stands for, so the inspector has bytes to show.
		p.Bytes = ev.Request
	}
	return p
}

// PacketSlice adapts rows in memory (a live run, an import not yet stored, a test) to the
// writers.
func PacketSlice(pkts []Packet) iter.Seq2[Packet, error] {
	return func(yield func(Packet, error) bool) {
		for _, p := range pkts {
			if !yield(p, nil) {
				return
			}
		}
	}
}

// addrText is an address as text ("" for none).
func addrText(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}
