package probe

import (
	"context"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// A handler that stalls (the GUI not reading the helper's stdout, a store that waits) must not
// hold back a single request: every request goes out while the handler is blocked on the first
// event, and afterwards the handler still gets every event, in order. Before the queue, the
// loop called the handler itself and sent nothing more until it returned.
func TestBlockedHandlerDoesNotDelaySends(t *testing.T) {
	const count = 200
	c := newFakeConn()
	c.respond = echoResponder
	release := make(chan struct{})
	var events []Event
	s, err := NewSession(Options{Target: "127.0.0.1", Count: count, Interval: time.Millisecond, Timeout: 5 * time.Second},
		RootPolicy(), func(ev Event) {
			if len(events) == 0 {
				<-release // the consumer stalls on the very first event
			}
			events = append(events, ev)
		})
	if err != nil {
		t.Fatal(err)
	}
	s.newConn = func(context.Context, SocketKind, netip.Addr, *Options) (packetConn, error) { return c, nil }
	type result struct {
		sum Summary
		err error
	}
	done := make(chan result, 1)
	go func() {
		sum, err := s.Run(context.Background())
		done <- result{sum, err}
	}()

	// A deadline only for failing: on a healthy engine the sends take 0.2 s.
	deadline := time.Now().Add(60 * time.Second)
	for c.sentCount() < count && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	sent := c.sentCount()
	select {
	case r := <-done:
		t.Fatalf("Run returned before the handler had its events: %+v %v", r.sum.Stats, r.err)
	default:
	}
	close(release)
	if sent < count {
		t.Fatalf("only %d of %d requests went out while the handler was blocked", sent, count)
	}
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.sum.Sent != count || r.sum.Received != count || r.sum.EventsDropped != 0 {
		t.Fatalf("summary sent %d received %d dropped %d, want %d %d 0", r.sum.Sent, r.sum.Received, r.sum.EventsDropped, count, count)
	}
	if n := countKind(events, EventSend); n != count {
		t.Fatalf("handler got %d send events, want %d", n, count)
	}
	if n := countKind(events, EventReply); n != count {
		t.Fatalf("handler got %d reply events, want %d", n, count)
	}
	var lastSend uint64
	for _, ev := range events {
		if ev.Kind == EventSend {
			if ev.Index != lastSend+1 {
				t.Fatalf("send event %d after %d: out of order", ev.Index, lastSend)
			}
			lastSend = ev.Index
		}
	}
}

// The queue's rules, with the handler held inside its first event so that nothing is taken:
// packet events beyond the bound are dropped and counted, a newer statistics event replaces
// the waiting one (counted) and may pass the bound, and the order is kept.
func TestEventQueueCoalescesStatsAndCountsDrops(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	var got []Event
	q := newEventQueue(func(ev Event) {
		if ev.Index == 1 {
			close(entered)
			<-release
		}
		mu.Lock()
		got = append(got, ev)
		mu.Unlock()
	}, 4)
	q.push(Event{Kind: EventSend, Index: 1})
	<-entered
	for i := uint64(2); i <= 6; i++ { // 4 fit, the 5th is dropped
		q.push(Event{Kind: EventSend, Index: i})
	}
	q.push(Event{Kind: EventStats, Index: 100, Stats: &Stats{Sent: 5}})
	q.push(Event{Kind: EventStats, Index: 101, Stats: &Stats{Sent: 6}})
	var s Stats
	q.counts(&s)
	if s.EventsDropped != 1 || s.StatsCoalesced != 1 {
		t.Fatalf("dropped %d coalesced %d, want 1 and 1", s.EventsDropped, s.StatsCoalesced)
	}
	close(release)
	q.close()
	var order []uint64
	for _, ev := range got {
		order = append(order, ev.Index)
	}
	want := []uint64{1, 2, 3, 4, 5, 101}
	if len(order) != len(want) {
		t.Fatalf("delivered %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("delivered %v, want %v", order, want)
		}
	}
}

// A send that leaves after its slot by more than the threshold is counted, with the largest
// slip; one within the threshold is not.
func TestStepCountsLateSends(t *testing.T) {
	c := newFakeConn()
	o := Options{Target: "127.0.0.1", Interval: 10 * time.Millisecond, Count: 10}
	e := newEngine(o, netip.MustParseAddr("127.0.0.1"), c, func(Event) {})
	start := time.Unix(1000, 0)
	p := newPacer(o, start)
	if p.slipThreshold != 5*time.Millisecond {
		t.Fatalf("threshold at 10 ms is %v, want 5ms", p.slipThreshold)
	}
	e.step(p, start.Add(2*time.Millisecond))  // slot 0, 2 ms late: within the threshold
	e.step(p, start.Add(17*time.Millisecond)) // slot 10 ms, 7 ms late
	e.step(p, start.Add(33*time.Millisecond)) // slot 20 ms, 13 ms late
	st := e.snapshot(start.Add(33 * time.Millisecond))
	if st.Sent != 3 || st.SendsLate != 2 || st.SendLateMax != 13*time.Millisecond {
		t.Fatalf("sent %d late %d max %v, want 3, 2, 13ms", st.Sent, st.SendsLate, st.SendLateMax)
	}
}

func TestSlipThresholdFor(t *testing.T) {
	for _, tc := range []struct{ interval, want time.Duration }{
		{100 * time.Microsecond, time.Millisecond},
		{time.Millisecond, time.Millisecond},
		{10 * time.Millisecond, 5 * time.Millisecond},
		{time.Second, 10 * time.Millisecond},
	} {
		if got := slipThresholdFor(tc.interval); got != tc.want {
			t.Errorf("slipThresholdFor(%v) = %v, want %v", tc.interval, got, tc.want)
		}
	}
}

// sentCount is how many requests went out on the fake socket so far.
func (c *fakeConn) sentCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sentMsgs)
}
