package probe

import (
	"testing"
	"time"
)

// TestMonitorQueueFlush checks when the loop wakes the deliverer (monitorQueue.flush): at
// once before a sleep of a tick or more, when the queue is half full, or once the last
// wake-up is a tick old; and that every event still reaches the handler, in order.
func TestMonitorQueueFlush(t *testing.T) {
	got := make(chan uint16, 16)
	q := newMonitorQueue(func(_ int, ev Event) { got <- ev.Seq }, 1, 8)
	q.start()
	waiting := func() bool {
		q.mu.Lock()
		defer q.mu.Unlock()
		return q.unsignalled
	}
	expect := func(seq uint16) {
		t.Helper()
		select {
		case s := <-got:
			if s != seq {
				t.Fatalf("delivered seq %d, want %d", s, seq)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("seq %d never delivered", seq)
		}
	}
	t0 := time.Now()
	q.push(0, Event{Kind: EventSend, Seq: 1})
	if !waiting() {
		t.Fatal("push woke the deliverer itself")
	}
	q.flush(t0, 0) // never woken before: due
	if waiting() {
		t.Fatal("first flush did not wake the deliverer")
	}
	expect(1)

	q.push(0, Event{Kind: EventSend, Seq: 2})
	q.flush(t0.Add(monitorDeliveryTick/2), monitorDeliveryTick/2) // busy loop, woken half a tick ago
	if !waiting() {
		t.Fatal("flush half a tick after the last wake-up woke the deliverer")
	}
	q.flush(t0.Add(monitorDeliveryTick), 0) // a tick later: due
	if waiting() {
		t.Fatal("flush a tick after the last wake-up did not wake the deliverer")
	}
	expect(2)

	q.push(0, Event{Kind: EventSend, Seq: 3})
	q.flush(t0.Add(monitorDeliveryTick+time.Millisecond), monitorDeliveryTick) // about to sleep a tick
	if waiting() {
		t.Fatal("flush before a long sleep did not wake the deliverer")
	}
	expect(3)

	q.push(0, Event{Kind: EventSend, Seq: 4}) // never flushed: close delivers it
	q.close()
	expect(4)

	// Half full: a queue whose deliverer is not running yet, so nothing leaves it meanwhile.
	h := newMonitorQueue(func(_ int, ev Event) { got <- ev.Seq }, 1, 8)
	h.lastSignal = t0
	for seq := uint16(5); seq <= 7; seq++ {
		h.push(0, Event{Kind: EventSend, Seq: seq})
	}
	h.flush(t0, 0)
	waiting = func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.unsignalled
	}
	if !waiting() {
		t.Fatal("flush with 3 of 8 queued, just after a wake-up, woke the deliverer")
	}
	h.push(0, Event{Kind: EventSend, Seq: 8})
	h.flush(t0, 0)
	if waiting() {
		t.Fatal("flush with the queue half full did not wake the deliverer")
	}
	h.start()
	h.close()
	for seq := uint16(5); seq <= 8; seq++ {
		expect(seq)
	}
}

// TestWakeSlackNeverCountsLate holds the direct loop's wake-up slack (monitor_direct.go)
// to what it promises at every interval a monitor can have: never zero or negative (a
// wake-up is never early) and at most a fifth of the slip that counts a send as late, so
// letting a wake-up serve the sends falling due together never shows in SendsLate.
func TestWakeSlackNeverCountsLate(t *testing.T) {
	for _, iv := range []time.Duration{time.Millisecond, 2 * time.Millisecond, 10 * time.Millisecond,
		20 * time.Millisecond, 100 * time.Millisecond, time.Second, time.Minute} {
		s, slip := wakeSlack(iv), slipThresholdFor(iv)
		if s <= 0 || s > slip/5 || s > monitorWakeSlack {
			t.Errorf("interval %v: slack %v, slip threshold %v: want 0 < slack <= min(%v, slip/5)", iv, s, slip, monitorWakeSlack)
		}
	}
}
