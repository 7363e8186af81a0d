package cli

import (
	"fmt"
	"sync"
	"time"

	"echoscope/backend/probe"
)

// tally keeps the running figures iputils prints on SIGQUIT ("3/4 packets, 25% loss,
// min/avg/ewma/max = ..."). The engine's loop updates it through the printer while the signal
// goroutine reads it, hence the lock.
type tally struct {
	mu             sync.Mutex
	sent, received int64
	min, max, sum  time.Duration
	ewma8          int64 // microseconds * 8, as iputils
	timed          int64
}

func (t *tally) add(ev probe.Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case ev.Kind == probe.EventSend:
		t.sent++
	case ev.Kind == probe.EventReply && (ev.Class == probe.ClassOnTime || ev.Class == probe.ClassOutOfOrder):
		t.received++
		if ev.RTT <= 0 {
			return
		}
		if t.timed == 0 || ev.RTT < t.min {
			t.min = ev.RTT
		}
		t.max = max(t.max, ev.RTT)
		t.sum += ev.RTT
		t.timed++
		us := ev.RTT.Microseconds()
		if t.ewma8 == 0 {
			t.ewma8 = us * 8
		} else {
			t.ewma8 += us - t.ewma8/8
		}
	}
}

// ewmaMicros is iputils' flood ewma in microseconds.
func (t *tally) ewmaMicros() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ewma8 / 8
}

// status is the SIGQUIT line, without the leading carriage return.
func (t *tally) status() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	loss := int64(0)
	if t.sent > 0 {
		loss = (t.sent - min(t.received, t.sent)) * 100 / t.sent
	}
	s := fmt.Sprintf("%d/%d packets, %d%% loss", t.received, t.sent, loss)
	if t.timed > 0 {
		avg := t.sum / time.Duration(t.timed)
		e := t.ewma8 / 8
		s += fmt.Sprintf(", min/avg/ewma/max = %s/%s/%d.%03d/%s ms", msec3(t.min), msec3(avg), e/1000, e%1000, msec3(t.max))
	}
	return s
}
