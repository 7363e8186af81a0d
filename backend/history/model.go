package history

import (
	"encoding/json"
	"net/netip"
	"time"

	"echoscope/backend/probe"
)

// Session is one stored ping session (live or imported).
type Session struct {
	ID     int64  `json:"id"`
	Target string `json:"target"`
	// Addr is the resolved address (text), empty when unknown.
	Addr string `json:"addr"`
	// Engine is the socket kind used ("raw", "datagram", "windows"), or "import".
	Engine string `json:"engine"`
	// Options are the probe.Options the session ran with, as stored (JSON).
	Options json.RawMessage `json:"options"`
	Started time.Time       `json:"started"`
	// Ended is zero while the session runs (or when it never finished: a crash).
	Ended time.Time `json:"ended,omitzero"`
	// Stats are the final (or latest stored) statistics; nil when none were stored.
	Stats *probe.Stats `json:"stats,omitempty"`
	// ImportedFrom is the capture file's name for imported sessions.
	ImportedFrom string `json:"importedFrom,omitempty"`
	// LossPercent and MedianRTT are copied from Stats for the sessions list.
	LossPercent float64       `json:"lossPercent"`
	MedianRTT   time.Duration `json:"medianRtt"`
	// Packets is the number of stored packet rows (filled by ListSessions and Session).
	Packets int64 `json:"packets"`
	// Duration is Ended - Started, zero while running or when the session never ended.
	Duration time.Duration `json:"duration"`
}

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

// nanos stores a time as Unix nanoseconds; the zero time is stored as 0.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromNanos is the inverse of nanos.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// addrText stores an address as text ("" for none).
func addrText(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// parseAddr reads addrText's output; unreadable text gives the zero address.
func parseAddr(s string) netip.Addr {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	return a
}
