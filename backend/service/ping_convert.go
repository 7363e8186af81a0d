package service

import (
	"time"

	"echoscope/backend/history"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// rfc3339Nano formats a time for the frontend, "" for the zero time.
func rfc3339Nano(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// ms turns a duration into float milliseconds (what the UI shows and charts).
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// rowFromPacket is the table's view of a stored packet. Live frames and paged rows both go
// through it (live events via history.PacketFromEvent), so a row looks the same either way.
func rowFromPacket(p history.Packet, fam wire.Family) Row {
	r := Row{N: p.N, Kind: string(p.Kind), Time: rfc3339Nano(p.Time.Time), Code: p.ICMPCode,
		Index: p.Index, Seq: p.Seq, ID: p.ID, Bytes: p.Size, TTL: p.TTL, Class: string(p.Class),
		Note: p.Note}
	if p.From.IsValid() {
		r.From = p.From.String()
		if p.From.Is4() || p.From.Is4In6() {
			fam = wire.IPv4
		} else {
			fam = wire.IPv6
		}
	}
	switch p.Kind {
	case probe.EventLoss:
		// A loss has no message of its own; the row stands for the request that went unanswered.
		r.Type = "No reply"
		r.TTL = -1
	default:
		r.Type = wire.TypeName(fam, uint8(p.ICMPType))
	}
	if p.Kind == probe.EventSend {
		r.TTL = -1 // the TTL we sent with is not a received TTL
	}
	if p.RTT > 0 {
		v := ms(p.RTT)
		r.RTTMs = &v
	}
	if r.Bytes == 0 && len(p.Bytes) > 0 && !p.IncludesIPHeader {
		r.Bytes = len(p.Bytes)
	}
	return r
}

// familyOf is the wire family of an address (IPv4 for an unknown one, as ping defaults).
func familyOf(a interface {
	IsValid() bool
	Is6() bool
	Is4In6() bool
}) wire.Family {
	if a.IsValid() && a.Is6() && !a.Is4In6() {
		return wire.IPv6
	}
	return wire.IPv4
}

// statsView converts engine statistics to milliseconds.
func statsView(s probe.Stats) *StatsView {
	return &StatsView{
		Sent: s.Sent, Received: s.Received, Lost: s.Lost, Outstanding: s.Outstanding,
		Duplicates: s.Duplicates, OutOfOrder: s.OutOfOrder, Late: s.Late, Corrupt: s.Corrupt,
		Foreign: s.Foreign, Errors: s.Errors, LossPercent: s.LossPercent,
		WindowLossPercent: s.WindowLossPercent,
		MinMs:             ms(s.Min), AvgMs: ms(s.Avg), MaxMs: ms(s.Max), MdevMs: ms(s.Mdev),
		P50Ms: ms(s.P50), P90Ms: ms(s.P90), P99Ms: ms(s.P99), JitterMs: ms(s.Jitter),
		ElapsedMs: ms(s.Elapsed),
		SendsLate: s.SendsLate, SendLateMaxMs: ms(s.SendLateMax),
		EventsDropped: s.EventsDropped, StatsCoalesced: s.StatsCoalesced,
	}
}

// chartPointOf is the chart's view of an event, ok false for events the chart does not show
// (sends, foreign and corrupt messages: those are in the table).
func chartPointOf(ev probe.Event, start time.Time, row int64) (ChartPoint, bool) {
	return chartPoint(chartEvent{ev.Kind, ev.Class, ev.Sent.Time, ev.RTT, ev.Index, ev.Seq, row}, start)
}

// chartEvent is what a chart point is made of, from a live event or a stored row.
type chartEvent struct {
	kind  probe.EventKind
	class probe.Class
	sent  time.Time
	rtt   time.Duration
	index uint64
	seq   uint16
	// row is the table row the point selects, -1 when the store refused it.
	row int64
}

// chartPoint is the one rule, for live events and stored rows alike: replies (on time or out
// of order) are RTT points, lost/duplicate/late requests and ICMP errors quoting a request of
// ours are markers, at the request's send time in ms since start.
func chartPoint(e chartEvent, start time.Time) (ChartPoint, bool) {
	kind, class, sent, rtt, index := e.kind, e.class, e.sent, e.rtt, e.index
	p := ChartPoint{Index: index, Seq: e.seq, Row: e.row}
	if !sent.IsZero() && !start.IsZero() {
		p.T = ms(sent.Sub(start))
	}
	switch {
	case kind == probe.EventLoss:
		p.Mark = MarkLost
	case kind == probe.EventICMPError && index > 0 && !sent.IsZero():
		p.Mark = MarkICMPError
	case kind != probe.EventReply:
		return p, false
	case class == probe.ClassOnTime || class == probe.ClassOutOfOrder:
		p.Mark = MarkReply
	case class == probe.ClassDuplicate:
		p.Mark = MarkDuplicate
	case class == probe.ClassLate:
		p.Mark = MarkLate
	default:
		return p, false
	}
	if p.Mark != MarkLost && p.Mark != MarkICMPError && rtt > 0 {
		v := ms(rtt)
		p.RTTMs = &v
	}
	return p, true
}
