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

// status is the SIGQUIT line, without the leading carriage return.
func (t *tally) status() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var avg time.Duration
	if t.timed > 0 {
		avg = t.sum / time.Duration(t.timed)
	}
	return statusLine(t.received, t.sent, t.timed > 0, t.min, avg, time.Duration(t.ewma8/8)*time.Microsecond, t.max)
}

// statsStatus is the SIGQUIT line from the engine's statistics, for a statistics-only
// session (quiet flood), where no event reaches a tally.
func statsStatus(st *probe.Stats) string {
	return statusLine(int64(st.Received), int64(st.Sent), st.Received > 0 && st.Max > 0, st.Min, st.Avg, st.EWMA, st.Max)
}

// statusLine words iputils' status(): "3/4 packets, 25% loss, min/avg/ewma/max = ...".
func statusLine(received, sent int64, timed bool, minRTT, avg, ewma, maxRTT time.Duration) string {
	loss := int64(0)
	if sent > 0 {
		loss = (sent - min(received, sent)) * 100 / sent
	}
	s := fmt.Sprintf("%d/%d packets, %d%% loss", received, sent, loss)
	if timed {
		s += fmt.Sprintf(", min/avg/ewma/max = %s/%s/%s/%s ms", msec3(minRTT), msec3(avg), msec3(ewma), msec3(maxRTT))
	}
	return s
}
