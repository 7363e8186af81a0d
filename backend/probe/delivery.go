package probe

import (
	"sync"
	"sync/atomic"
)

// maxQueuedEvents bounds the events waiting for a lagging handler. At 1000 requests a second
// (about 2000 events) that is 8 s of a handler that takes nothing, at 100 a second 80 s: far
// longer than the GUI or a pipe ever stalls in practice, and at most a few MB (an Event is
// ~350 bytes plus its packet). The handler's goroutine holds at most as many again while it
// works through the batch it took.
const maxQueuedEvents = 16384

// eventQueue hands the loop's events to the handler on a goroutine of its own, so that no
// handler (a store, a pipe to the GUI, a terminal) can hold back the next request: push
// never blocks. When the handler lags, a statistics event replaces the one still queued
// (only the newest snapshot matters; Stats.StatsCoalesced counts the replaced ones), and
// when maxQueuedEvents are already waiting a packet event is dropped and counted
// (Stats.EventsDropped), never silently: sends, replies and losses are kept in order up to
// that bound, which is what the history needs.
type eventQueue struct {
	handler Handler
	limit   int

	mu      sync.Mutex
	pending []queuedEvent
	statsAt int  // index in pending of the queued EventStats, -1 when there is none
	closed  bool // no more pushes: the deliverer ends once pending is empty
	wake    chan struct{}
	done    chan struct{}

	coalesced, dropped atomic.Uint64
}

// queuedEvent is one pending event; skip marks a statistics event replaced by a newer one
// (it keeps its place so that the queue is never reshuffled).
type queuedEvent struct {
	ev   Event
	skip bool
}

func newEventQueue(h Handler, limit int) *eventQueue {
	q := &eventQueue{handler: h, limit: limit, statsAt: -1,
		wake: make(chan struct{}, 1), done: make(chan struct{})}
	go q.deliver()
	return q
}

// push queues ev for the handler; it never blocks. It is the engine's Handler.
func (q *eventQueue) push(ev Event) {
	q.mu.Lock()
	switch {
	case ev.Kind == EventStats && q.statsAt >= 0:
		// The snapshot still waiting is older than this one: deliver only the newer, at
		// the end of the queue (where it belongs in order).
		q.pending[q.statsAt].skip = true
		q.coalesced.Add(1)
	case len(q.pending) >= q.limit && ev.Kind != EventStats: // one snapshot may pass the bound
		q.mu.Unlock()
		q.dropped.Add(1)
		return
	}
	if ev.Kind == EventStats {
		q.statsAt = len(q.pending)
	}
	q.pending = append(q.pending, queuedEvent{ev: ev})
	first := len(q.pending) == 1
	q.mu.Unlock()
	if first {
		select {
		case q.wake <- struct{}{}:
		default: // already signalled
		}
	}
}

// deliver runs the handler on everything pushed, in order, batch by batch: it takes the
// whole pending slice at once, so the loop's pushes contend with it once per batch.
func (q *eventQueue) deliver() {
	defer close(q.done)
	var batch []queuedEvent
	for {
		q.mu.Lock()
		batch, q.pending = q.pending, batch[:0]
		q.statsAt = -1
		closed := q.closed
		q.mu.Unlock()
		for i := range batch {
			if !batch[i].skip {
				q.handler(batch[i].ev)
			}
		}
		clear(batch) // the events' bytes belong to the handler now
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
func (q *eventQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	<-q.done
}

// counts fills the delivery counters of a statistics snapshot.
func (q *eventQueue) counts(s *Stats) {
	if q != nil {
		s.StatsCoalesced, s.EventsDropped = q.coalesced.Load(), q.dropped.Load()
	}
}
