package probe

import (
	"net/netip"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// nullConn accepts every send and never receives: it isolates the engine's own costs.
type nullConn struct{ *fakeConn }

func (nullConn) Send([]byte, netip.Addr) (time.Time, error) { return time.Now(), nil }

func benchEngine(tb testing.TB, size int) *engine {
	tb.Helper()
	o := Options{Target: "127.0.0.1", Size: size, SizeSet: true, Identifier: 0x1234, Token: 0xfeedface,
		Interval: time.Millisecond, Timeout: time.Second}
	return newEngine(o, loop4, nullConn{fakeConn: newFakeConn()}, func(Event) {})
}

// BenchmarkSend: build one request, hand it to the socket, record it, emit its event.
func BenchmarkSend(b *testing.B) {
	e := benchEngine(b, DefaultSize)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		e.send(now)
		e.ring.at(e.newest).state = reqAnswered // keep the ring from declaring losses
	}
}

// BenchmarkSendAndMatch: one request and its on-time reply, matched and classified
// (IPv4 header included, as raw sockets deliver).
func BenchmarkSendAndMatch(b *testing.B) {
	e := benchEngine(b, DefaultSize)
	hdr, _ := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + 8 + DefaultSize), TTL: 64,
		Protocol: wire.ProtocolICMP, Src: loop4, Dst: loop4})
	b.ReportAllocs()
	for b.Loop() {
		now := time.Now()
		e.send(now)
		reply := replyTo(wire.IPv4, e.msgBuf, nil)
		in := inbound{kind: inboundPacket, data: append(hdr, reply...), includesIPHeader: true,
			rx: Timestamp{Time: now, Clock: ClockUser}, arrived: now}
		e.handleInbound(&in)
	}
	if e.stats.s.Received != e.stats.s.Sent {
		b.Fatalf("stats %+v", e.stats.s)
	}
}

// BenchmarkClassifyForeign: the cheapest rejection, another process's echo reply.
func BenchmarkClassifyForeign(b *testing.B) {
	e := benchEngine(b, DefaultSize)
	e.send(time.Now())
	foreign := wire.AppendEcho(nil, wire.IPv4, wire.ICMPv4EchoReply, wire.Echo{ID: 0x4321, Seq: 1, Data: make([]byte, DefaultSize)}, nil)
	in := inbound{kind: inboundPacket, data: foreign, rx: Timestamp{Time: time.Now(), Clock: ClockUser}}
	b.ReportAllocs()
	for b.Loop() {
		var ev Event
		e.classifyPacket(&in, &ev)
		if ev.Class != ClassForeign {
			b.Fatal(ev.Class)
		}
	}
}

// BenchmarkStatsUpdate: one sent request and its RTT into the aggregates, reservoir and
// loss window.
func BenchmarkStatsUpdate(b *testing.B) {
	a := newStatsAcc(DefaultLossWindow, 1)
	now := time.Now()
	rtt := 37 * time.Microsecond
	b.ReportAllocs()
	for b.Loop() {
		a.sent(now)
		a.received(rtt, false)
		rtt = rtt*7%(100*time.Microsecond) + time.Microsecond
	}
}

// BenchmarkStatsSnapshot: the periodic stats event (sorts a copy of the reservoir).
func BenchmarkStatsSnapshot(b *testing.B) {
	a := newStatsAcc(DefaultLossWindow, 1)
	for i := range 10000 {
		a.sent(time.Now())
		a.received(time.Duration(i%997)*time.Microsecond, false)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = a.snapshot(time.Now())
	}
}
