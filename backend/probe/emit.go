package probe

import "time"

// txBatcher is a socket whose kernel TX timestamps the engine collects in batches instead
// of reading one from the error queue before each reply (a system call per packet saved at
// flood rates). ReadErrorQueue hands each stamp to stamp and anything else queued there
// (an ICMP error or a local error) to other, whose data must be copied to be kept.
type txBatcher interface {
	BatchesTX() bool
	ReadErrorQueue(stamp func(key uint32, t time.Time), other func(in *inbound)) error
}

// maxHeld is how many events may wait for TX timestamps before they are collected.
const maxHeld = 32

// heldEvent is an event waiting for its request's TX timestamp.
type heldEvent struct {
	ev       Event
	countRTT bool // a first reply in time: its RTT joins the statistics on release
}

// emit hands an event to the handler, in order. With batched TX timestamps, an event about
// a request whose kernel send time is not known yet waits (and so does every event after
// it, to keep the order) until flushHeld collects the stamps and puts the kernel times in.
// The event is passed by pointer inside the engine (it is large) and copied for the handler.
func (e *engine) emit(ev *Event) {
	countRTT := e.rttPending
	e.rttPending = false
	if e.lazy != nil && (len(e.held) > 0 || e.awaitsTX(ev)) {
		e.held = append(e.held, heldEvent{ev: *ev, countRTT: countRTT})
		return
	}
	if countRTT {
		e.stats.addRTT(ev.RTT)
	}
	e.deliver(ev)
}

// deliver calls the handler, except for the per-packet events of a statistics-only session
// (Session.StatisticsOnly), whose handler sees EventStats alone.
func (e *engine) deliver(ev *Event) {
	if e.statsOnly && ev.Kind != EventStats {
		return
	}
	e.handler(*ev)
}

// awaitsTX: the event is about a sent request whose time is still the user-space one.
func (e *engine) awaitsTX(ev *Event) bool {
	return ev.Kind != EventSend && ev.Index != 0 && ev.Sent.Clock == ClockUser
}

// flushHeld collects the queued TX timestamps and releases the held events with the kernel
// send times (and RTTs) their requests now have. It reports whether it also handled other
// messages found in the error queue.
func (e *engine) flushHeld() (handledOthers bool) {
	if e.lazy == nil {
		return false
	}
	var others []inbound                                 // rare: errors queued among the stamps
	e.lazy.ReadErrorQueue(e.txStamp, func(in *inbound) { //nolint:errcheck // a failed read leaves user times
		cp := *in
		cp.buf, cp.data = nil, append([]byte(nil), in.data...)
		others = append(others, cp)
	})
	for i := range e.held {
		h := &e.held[i]
		if q := e.ring.get(h.ev.Index); q != nil && h.ev.Sent.Clock == ClockUser && e.sentOf(q).Clock != ClockUser {
			h.ev.Sent = e.sentOf(q)
			if h.ev.RTTClocks != "" {
				h.ev.RTT, h.ev.RTTClocks = rttBetween(h.ev.Sent, h.ev.Received)
			}
		}
		if h.countRTT {
			e.stats.addRTT(h.ev.RTT)
		}
		e.deliver(&h.ev)
	}
	clear(e.held) // the events' bytes belong to the handler now
	e.held = e.held[:0]
	for i := range others {
		e.handleInbound(&others[i])
	}
	return len(others) > 0
}
