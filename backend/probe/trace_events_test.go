package probe

import (
	"context"
	"net/netip"
	"testing"
	"time"
)

// OnEvent tells every event of the trace as it happens: one send per probe carrying the TTL
// it went with (not -1: the hop it probes), and every answer tied to its send by Index, so a
// caller storing them can rebuild which hop each answer belongs to. A silent hop's probes end
// as losses (and, as the engine counts echo replies, so do those a router answered). No
// statistics events.
func TestTraceOnEventTellsEveryPacketWithItsProbesTTL(t *testing.T) {
	hc := &hopConn{fakeConn: newFakeConn()}
	hc.respond = fakePath(3, map[int]bool{2: true}, 0)(hc)
	tr, err := NewTrace(context.Background(), TraceOptions{Target: "192.0.2.9", Rounds: 2, Interval: 300 * time.Millisecond,
		Timeout: 50 * time.Millisecond, MaxHops: 8}, RootPolicy())
	if err != nil {
		t.Fatal(err)
	}
	var events []Event
	tr.OnEvent(func(ev Event) { events = append(events, ev) })
	tr.newConn = func(context.Context, SocketKind, netip.Addr, *Options) (packetConn, error) { return hc, nil }
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := tr.Run(ctx); err != nil {
		t.Fatal(err)
	}
	sendTTL := map[uint64]int{}
	var sends []int
	answers := map[int]int{} // hop -> answers
	losses := map[int]int{}
	for _, ev := range events {
		switch ev.Kind {
		case EventSend:
			sendTTL[ev.Index] = ev.TTL
			sends = append(sends, ev.TTL)
		case EventReply, EventICMPError:
			ttl, ok := sendTTL[ev.Index]
			if !ok {
				t.Fatalf("answer %+v before (or without) its send", ev)
			}
			answers[ttl]++
			if ev.Kind == EventReply && ttl != 3 || ev.Kind == EventICMPError && ev.From != netip.AddrFrom4([4]byte{10, 0, 0, byte(ttl)}) {
				t.Errorf("hop %d answered by a %s from %v", ttl, ev.Kind, ev.From)
			}
		case EventLoss:
			losses[sendTTL[ev.Index]]++
		case EventStats:
			t.Fatal("a statistics event was told")
		}
	}
	want := []int{1, 2, 3, 1, 2, 3}
	if len(sends) != len(want) {
		t.Fatalf("send TTLs %v, want %v", sends, want)
	}
	for i := range want {
		if sends[i] != want[i] {
			t.Fatalf("send TTLs %v, want %v", sends, want)
		}
	}
	// A probe answered by a Time Exceeded is still lost to the engine (no echo reply: a ping's
	// rule), so hop 1's probes end as losses too, after their answer; the destination's do not.
	if answers[1] != 2 || answers[2] != 0 || answers[3] != 2 || losses[1] != 2 || losses[2] != 2 || losses[3] != 0 {
		t.Errorf("answers per hop %v, losses per hop %v", answers, losses)
	}
}
