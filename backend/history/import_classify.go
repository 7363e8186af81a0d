package history

import (
	"encoding/binary"
	"net/netip"
	"sort"
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

// flow gathers the rows (by position) of one ping.
type flow struct {
	key   flowKey
	rows  []int
	sends int
}

// classifyRows judges captured rows (whole IP datagrams, in time order) with the engine's
// own offline rules (probe.ClassifyOffline): rows are grouped into flows by (local address,
// target, identifier), each flow is classified, and a loss row is added for every request
// left without a timely reply. It returns the rows in time order (a loss where its timeout
// fell) and the statistics: the engine's own for a capture of one ping; with several, the
// engine's accumulator over all rows in time order (statsOf).
func classifyRows(rows []Packet, timeout time.Duration) ([]Packet, probe.Stats) {
	flows, unmatched := groupFlows(rows)
	type timed struct {
		p  Packet
		at time.Time
	}
	out := make([]timed, 0, len(rows))
	var base uint64 // request numbers of later flows start after earlier flows'
	var single probe.Stats
	for _, f := range flows {
		res, err := classifyFlow(rows, f, timeout)
		if err != nil {
			for _, i := range f.rows {
				foreign(&rows[i], "not judged: "+err.Error())
			}
			continue
		}
		var top uint64
		for k, i := range f.rows {
			copyJudgement(&rows[i], res.Events[k], base)
			top = max(top, res.Events[k].Index)
		}
		for _, ev := range res.Losses {
			loss := PacketFromEvent(ev)
			loss.Index += base
			out = append(out, timed{p: loss, at: ev.Received.Time})
			top = max(top, ev.Index)
		}
		base += top
		single = res.Stats
	}
	for _, i := range unmatched {
		foreign(&rows[i], "not matched: it quotes no echo request")
	}
	for _, p := range rows {
		out = append(out, timed{p: p, at: p.Time.Time})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	all := make([]Packet, len(out))
	var end time.Time // the last row's time, or the last loss's timeout, as the engine's own end
	for i := range out {
		all[i] = out[i].p
		end = later(end, out[i].at)
	}
	if len(flows) == 1 {
		return all, single
	}
	return all, statsOf(all, end)
}

// groupFlows puts every row in the flow of its ping; ICMP errors by the request they
// quote. Rows that belong to no flow (errors quoting no echo request) are returned apart.
func groupFlows(rows []Packet) ([]*flow, []int) {
	byKey := map[flowKey]*flow{}
	var order []*flow
	var unmatched []int
	add := func(k flowKey, i int) {
		f := byKey[k]
		if f == nil {
			f = &flow{key: k}
			byKey[k] = f
			order = append(order, f)
		}
		f.rows = append(f.rows, i)
		if rows[i].Kind == probe.EventSend {
			f.sends++
		}
	}
	for i := range rows {
		p := &rows[i]
		switch p.Kind {
		case probe.EventSend:
			add(flowKey{p.From, p.To, p.ID}, i)
		case probe.EventReply:
			add(flowKey{p.To, p.From, p.ID}, i)
		default:
			if k, ok := quotedFlow(p); ok {
				add(k, i)
			} else {
				unmatched = append(unmatched, i)
			}
		}
	}
	return order, unmatched
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

// classifyFlow runs the engine's offline classifier on one flow.
func classifyFlow(rows []Packet, f *flow, timeout time.Duration) (probe.OfflineResult, error) {
	msgs := make([]probe.OfflineMessage, 0, len(f.rows))
	for _, i := range f.rows {
		p := &rows[i]
		m := probe.OfflineMessage{Sent: p.Kind == probe.EventSend, At: p.Time, Bytes: p.Bytes,
			IncludesIPHeader: p.IncludesIPHeader, From: p.From, To: p.To, TTL: p.TTL}
		if fam, icmp := icmpOf(p); fam == wire.IPv6 && p.IncludesIPHeader {
			// The engine takes ICMPv6 as a raw IPv6 socket gives it: no IP header.
			m.Bytes, m.IncludesIPHeader = icmp, false
		}
		msgs = append(msgs, m)
	}
	cfg := probe.OfflineConfig{Target: f.key.target, Identifier: f.key.id, Timeout: timeout,
		Token: echoscopeToken(rows, f)}
	return probe.ClassifyOffline(cfg, msgs)
}

// echoscopeToken recognises a capture of an Echoscope session: every request's payload
// starts with the same 8-byte token followed by its send time (within a second of when
// the capture saw it). Then replies are matched on the token as live; otherwise 0.
func echoscopeToken(rows []Packet, f *flow) uint64 {
	var token uint64
	for _, i := range f.rows {
		p := &rows[i]
		if p.Kind != probe.EventSend {
			continue
		}
		_, icmp := icmpOf(p)
		if len(icmp) < wire.EchoHeaderLen+probe.PayloadHeaderLen {
			return 0
		}
		data := icmp[wire.EchoHeaderLen:]
		t := binary.BigEndian.Uint64(data[0:8])
		sent := time.Unix(0, int64(binary.BigEndian.Uint64(data[8:16])))
		if t == 0 || (token != 0 && t != token) || p.Time.Time.Sub(sent).Abs() > time.Second {
			return 0
		}
		token = t
	}
	return token
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
		_, payload, err := wire.SplitIPv4(b)
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
