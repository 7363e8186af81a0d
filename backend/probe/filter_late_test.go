package probe

import (
	"testing"
	"time"

	"echoscope/backend/wire"
)

// filterCounter counts AttachFilter calls.
type filterCounter struct{ calls int }

func (f *filterCounter) AttachFilter() error { f.calls++; return nil }

// TestLateFilterOnFirstForeignReply: in direct mode the kernel filter is attached at the
// first foreign echo reply (as iputils does), once; our own replies and ICMP errors do not
// attach it, and the foreign reply is still counted.
func TestLateFilterOnFirstForeignReply(t *testing.T) {
	e := benchEngine(t, DefaultSize)
	f := &filterCounter{}
	e.lateFilter = f
	now := time.Now()
	e.send(now)
	ours := replyTo(wire.IPv4, e.msgBuf, nil)
	in := inbound{kind: inboundPacket, data: ours, from: loop4, rx: Timestamp{Time: now, Clock: ClockUser}, arrived: now}
	e.handleInbound(&in)
	if f.calls != 0 || e.stats.s.Received != 1 {
		t.Fatalf("after our reply: %d attach calls, stats %+v", f.calls, e.stats.s)
	}
	foreign := wire.AppendEcho(nil, wire.IPv4, wire.ICMPv4EchoReply, wire.Echo{ID: 0x4321, Seq: 1, Data: make([]byte, DefaultSize)}, nil)
	for range 2 {
		in := inbound{kind: inboundPacket, data: foreign, from: loop4, rx: Timestamp{Time: now, Clock: ClockUser}, arrived: now}
		e.handleInbound(&in)
	}
	if f.calls != 1 || e.stats.s.Foreign != 2 || e.lateFilter != nil {
		t.Errorf("after two foreign replies: %d attach calls, foreign %d", f.calls, e.stats.s.Foreign)
	}
}
