// Package seed fills a history database with realistic, finished ping sessions, so that the
// sessions list, the paged table, the chart and the inspector can be tried (and measured) on
// a million rows without pinging for hours. The rows are what the raw engine would have
// stored: echo requests and replies built with backend/wire (valid checksums, the Echoscope
// payload with token and send time), IPv4 replies with their IP header, kernel timestamps,
// losses at their timeout, and the final statistics.
package seed

import (
	"container/heap"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"

	"echoscope/backend/export"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// Traffic shape. The interval and timeout are those a flood-ish session would use; RTTs
// are mostly 0.1-0.5 ms with an occasional slow reply up to 2 ms, which (with a 1 ms
// interval) also produces the odd out-of-order reply, as a real link does.
const (
	Interval    = time.Millisecond
	Timeout     = 100 * time.Millisecond
	PayloadSize = 56
	Identifier  = 0x4543
	// txDelay is how long after the user-space send time the kernel stamped the request.
	txDelay = 3 * time.Microsecond
)

// traffic generates a session's rows in the order the engine would have emitted them.
type traffic struct {
	fam        wire.Family
	local      netip.Addr
	target     netip.Addr
	token      uint64
	lossEvery  int
	start      time.Time
	rng        *rand.Rand
	pending    eventQueue
	nextIndex  uint64
	newestSeen uint64               // the highest request index answered so far (out-of-order detection)
	stats      *probe.StatsRecorder // the engine's own accumulator, fed every row's event
	// lastTime is the latest moment a row stands for (a loss's timeout included).
	lastTime time.Time
	// foreignAt is the request index after which one foreign reply appears (0: none).
	foreignAt uint64
}

// due is a row waiting for its time: a reply, or a loss at its request's timeout.
type due struct {
	at time.Time
	ev probe.Event
}

type eventQueue []due

func (q eventQueue) Len() int           { return len(q) }
func (q eventQueue) Less(i, j int) bool { return q[i].at.Before(q[j].at) }
func (q eventQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)        { *q = append(*q, x.(due)) }
func (q *eventQueue) Pop() any {
	old := *q
	d := old[len(old)-1]
	*q = old[:len(old)-1]
	return d
}

// localFor picks the address the session pinged from: the target's neighbour.
func localFor(target netip.Addr) netip.Addr {
	if n := target.Next(); n.IsValid() {
		return n
	}
	return target.Prev()
}

// payload is the Echoscope payload: token, send time in Unix nanoseconds, then byte k at
// offset k (docs/wire-json.md; probe fills it the same way).
func (g *traffic) payload(sendNanos int64) []byte {
	p := make([]byte, PayloadSize)
	binary.BigEndian.PutUint64(p[0:8], g.token)
	binary.BigEndian.PutUint64(p[8:16], uint64(sendNanos))
	for k := 16; k < len(p); k++ {
		p[k] = byte(k)
	}
	return p
}

// rtt draws a round-trip time.
func (g *traffic) rtt() time.Duration {
	if g.rng.IntN(50) == 0 {
		return 500*time.Microsecond + time.Duration(g.rng.Int64N(int64(1500*time.Microsecond)))
	}
	return 100*time.Microsecond + time.Duration(g.rng.Int64N(int64(400*time.Microsecond)))
}

// next appends the rows up to and including the next request's send, in time order.
func (g *traffic) next(out []export.Packet) []export.Packet {
	g.nextIndex++
	idx := g.nextIndex
	sentAt := g.start.Add(time.Duration(idx-1) * Interval)
	out = g.release(out, sentAt)
	g.lastTime = sentAt

	seq := uint16(idx)
	ph := g.pseudoHeader(g.local, g.target)
	data := g.payload(sentAt.UnixNano())
	req := wire.AppendEcho(nil, g.fam, wire.EchoRequestType(g.fam), wire.Echo{ID: Identifier, Seq: seq, Data: data}, ph)
	userSent := probe.Timestamp{Time: sentAt, Clock: probe.ClockUser}
	kernelSent := probe.Timestamp{Time: sentAt.Add(txDelay), Clock: probe.ClockKernelTX}
	send := probe.Event{Kind: probe.EventSend, Index: idx, Seq: seq, ID: Identifier, Bytes: req,
		To: g.target, TTL: -1, ICMPType: int(req[0]), Size: len(req), Sent: userSent}
	out = append(out, export.PacketFromEvent(send))
	g.stats.Record(&send)

	if g.lossEvery > 0 && idx%uint64(g.lossEvery) == 0 {
		loss := probe.Event{Kind: probe.EventLoss, Index: idx, Seq: seq, ID: Identifier, To: g.target,
			TTL: -1, ICMPType: int(req[0]), Size: len(req), Sent: kernelSent, Request: req,
			Note:     fmt.Sprintf("no reply within the %v timeout", Timeout),
			Received: probe.Timestamp{Time: sentAt.Add(Timeout), Clock: probe.ClockUser}}
		heap.Push(&g.pending, due{at: sentAt.Add(Timeout), ev: loss})
	} else {
		rtt := g.rtt()
		rep := wire.AppendEcho(nil, g.fam, wire.EchoReplyType(g.fam), wire.Echo{ID: Identifier, Seq: seq, Data: data},
			g.pseudoHeader(g.target, g.local))
		recv := probe.Timestamp{Time: kernelSent.Time.Add(rtt), Clock: probe.ClockKernelRX}
		reply := probe.Event{Kind: probe.EventReply, Class: probe.ClassOnTime, Rule: probe.RuleIDSeqToken,
			Index: idx, Seq: seq, ID: Identifier, Bytes: rep, From: g.target, To: g.local, TTL: 64,
			ICMPType: int(rep[0]), Size: len(rep), Sent: kernelSent, Received: recv, RTT: rtt,
			RTTClocks: "kernel-tx/kernel-rx", Request: req}
		g.withIPHeader(&reply)
		heap.Push(&g.pending, due{at: recv.Time, ev: reply})
	}
	if idx == g.foreignAt {
		heap.Push(&g.pending, due{at: sentAt.Add(Interval / 2), ev: g.foreignReply(sentAt.Add(Interval / 2))})
	}
	return out
}

// release appends the pending rows due before t, classifying replies as they arrive.
func (g *traffic) release(out []export.Packet, t time.Time) []export.Packet {
	for g.pending.Len() > 0 && !g.pending[0].at.After(t) {
		d := heap.Pop(&g.pending).(due)
		g.lastTime = d.at
		ev := d.ev
		if ev.Kind == probe.EventReply && ev.Class == probe.ClassOnTime {
			// A reply to an older request after a newer one's: out of order, as the engine says.
			if ev.Index < g.newestSeen {
				ev.Class = probe.ClassOutOfOrder
			}
			g.newestSeen = max(g.newestSeen, ev.Index)
		}
		g.stats.Record(&ev)
		out = append(out, export.PacketFromEvent(ev))
	}
	return out
}

// drain appends every pending row (the session's end).
func (g *traffic) drain(out []export.Packet) []export.Packet {
	if g.pending.Len() == 0 {
		return out
	}
	last := g.pending[0].at
	for _, d := range g.pending {
		if d.at.After(last) {
			last = d.at
		}
	}
	return g.release(out, last)
}

// foreignReply is another process's echo reply, which a raw socket sees too.
func (g *traffic) foreignReply(at time.Time) probe.Event {
	rep := wire.AppendEcho(nil, g.fam, wire.EchoReplyType(g.fam), wire.Echo{ID: Identifier + 1, Seq: 1,
		Data: []byte("another ping on this host")}, g.pseudoHeader(g.target, g.local))
	ev := probe.Event{Kind: probe.EventReply, Class: probe.ClassForeign, Rule: probe.RuleNone,
		Note: fmt.Sprintf("identifier 0x%04x is not ours (0x%04x)", Identifier+1, Identifier),
		Seq:  1, ID: Identifier + 1, Bytes: rep, From: g.target, To: g.local, TTL: 64,
		ICMPType: int(rep[0]), Size: len(rep), Received: probe.Timestamp{Time: at, Clock: probe.ClockKernelRX}}
	g.withIPHeader(&ev)
	return ev
}

// withIPHeader puts the IPv4 header in front of a received message, as a raw IPv4 socket
// delivers it (raw IPv6 sockets give the ICMPv6 message alone).
func (g *traffic) withIPHeader(ev *probe.Event) {
	if g.fam != wire.IPv4 {
		return
	}
	ip, err := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(wire.IPv4HeaderLen + len(ev.Bytes)),
		ID: uint16(ev.Index), TTL: uint8(ev.TTL), Protocol: wire.ProtocolICMP, Src: ev.From, Dst: ev.To})
	if err != nil {
		return // both addresses are IPv4 here; an error would mean a bug in the caller's family
	}
	ev.Bytes, ev.IncludesIPHeader = append(ip, ev.Bytes...), true
}

func (g *traffic) pseudoHeader(src, dst netip.Addr) *wire.PseudoHeader {
	if g.fam != wire.IPv6 {
		return nil
	}
	return &wire.PseudoHeader{Src: src, Dst: dst}
}
