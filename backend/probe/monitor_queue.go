package probe

import (
	"sync"
	"time"
)

// monitorQueue is eventQueue for a monitor: it hands the loop's events, each with its
// target, to the MonitorHandler on a goroutine of its own, so no handler holds back a send.
// The rules are a Session's, per target: a newer EventStats of a target replaces that
// target's snapshot still waiting (StatsCoalesced), and once limit events wait a packet
// event is dropped and counted (EventsDropped) in its target's statistics.
type monitorQueue struct {
	handler MonitorHandler
	limit   int

	mu      sync.Mutex
	pending []monitorQueued
	statsAt []int // per target: index in pending of its queued EventStats, -1 when none
	closed  bool
	wake    chan struct{}
	done    chan struct{}
	// coalesced and dropped per target (written by push, read by counts: both on the
	// monitor's loop goroutine, under mu all the same).
	coalesced, dropped []uint64
	// unsignalled says events wait that the deliverer was not woken for yet, and
	// lastSignal is when it last was (both under mu): push leaves the wake-up to the
	// loop's flush, so a monitor at 1000 requests a second wakes its deliverer about once
	// per monitorDeliveryTick instead of twice per request (send and reply).
	unsignalled bool
	lastSignal  time.Time
}

// monitorDeliveryTick is the longest an event waits for the deliverer while the loop is
// busy (it wakes the deliverer at once before any longer sleep): well under a frame of a
// view, and a hundred wake-ups a second at most.
const monitorDeliveryTick = 10 * time.Millisecond

type monitorQueued struct {
	target int
	ev     Event
	skip   bool
}

func newMonitorQueue(h MonitorHandler, targets, limit int) *monitorQueue {
	q := &monitorQueue{handler: h, limit: limit, statsAt: make([]int, targets),
		wake: make(chan struct{}, 1), done: make(chan struct{}),
		coalesced: make([]uint64, targets), dropped: make([]uint64, targets)}
	for i := range q.statsAt {
		q.statsAt[i] = -1
	}
	return q
}

// start runs the deliverer (Monitor.Run).
func (q *monitorQueue) start() { go q.deliver() }

// push queues ev of target for the handler; it never blocks.
func (q *monitorQueue) push(target int, ev Event) {
	q.mu.Lock()
	if ev.Kind == EventStats && ev.Stats != nil {
		// The snapshot leaves with this queue's counts as of now (the engine's own
		// snapshot does not know them: it has no queue of its own).
		st := *ev.Stats
		st.StatsCoalesced, st.EventsDropped = q.coalesced[target], q.dropped[target]
		ev.Stats = &st
	}
	switch {
	case ev.Kind == EventStats && q.statsAt[target] >= 0:
		q.pending[q.statsAt[target]].skip = true
		q.coalesced[target]++
	case len(q.pending) >= q.limit && ev.Kind != EventStats:
		q.dropped[target]++
		q.mu.Unlock()
		return
	}
	if ev.Kind == EventStats {
		q.statsAt[target] = len(q.pending)
	}
	q.pending = append(q.pending, monitorQueued{target: target, ev: ev})
	q.unsignalled = true
	q.mu.Unlock()
}

// flush wakes the deliverer for the events pushed since it was last woken, when the loop
// is about to sleep for sleep: at once when that sleep is monitorDeliveryTick or longer
// (nothing waits on a quiet monitor) or the queue is half full, else once the last wake-up
// is a tick old. Called by the loop before every wait (and by close). It reports whether
// it woke the deliverer.
func (q *monitorQueue) flush(now time.Time, sleep time.Duration) bool {
	q.mu.Lock()
	due := q.unsignalled && (sleep >= monitorDeliveryTick || len(q.pending) >= q.limit/2 ||
		now.Sub(q.lastSignal) >= monitorDeliveryTick)
	if due {
		q.unsignalled, q.lastSignal = false, now
	}
	q.mu.Unlock()
	if due {
		q.signal()
	}
	return due
}

// signal wakes the deliverer (a wake-up already pending is enough).
func (q *monitorQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *monitorQueue) deliver() {
	defer close(q.done)
	var batch []monitorQueued
	for {
		q.mu.Lock()
		batch, q.pending = q.pending, batch[:0]
		for i := range batch { // only the taken snapshots were pointed at
			if batch[i].ev.Kind == EventStats {
				q.statsAt[batch[i].target] = -1
			}
		}
		closed := q.closed
		q.mu.Unlock()
		for i := range batch {
			if !batch[i].skip {
				q.handler(batch[i].target, batch[i].ev)
			}
		}
		clear(batch)
		if len(batch) > 0 {
			continue
		}
		if closed {
			return
		}
		<-q.wake
	}
}

// close delivers what is queued and returns once the handler has had every event.
func (q *monitorQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
	<-q.done
}

// counts fills target's delivery counters into s.
func (q *monitorQueue) counts(target int, s *Stats) {
	q.mu.Lock()
	s.StatsCoalesced, s.EventsDropped = q.coalesced[target], q.dropped[target]
	q.mu.Unlock()
}
