package exporter

import (
	"strings"
	"sync/atomic"
	"time"

	"echoscope/backend/probe"
)

// recorder turns one monitor's events into metrics. It is the monitor's handler: it runs
// on the monitor's delivery goroutine, one event at a time, and keeps nothing per packet.
//
// smokeping_requests_total counts a request when its outcome is known (its first reply, or
// its timeout) rather than when it leaves, for two reasons: 1 - replies/requests is then the
// loss at every scrape, never inflated by requests still in flight; and a request cut off
// when the exporter stops a monitor (a reload) is counted nowhere, instead of as a loss
// nobody saw happen. echoscope_ping_sent_total counts requests as they leave.
type recorder struct {
	m       *metrics
	series  []*targetSeries // by monitor target index
	timeout time.Duration
	// stopping is set before the monitor's context is cancelled: the losses it reports
	// from then on for requests still within their timeout are cut-offs, not losses.
	stopping atomic.Bool
}

func (r *recorder) handle(target int, ev probe.Event) {
	s := r.series[target]
	r.m.mu.Lock()
	defer r.m.mu.Unlock()
	switch ev.Kind {
	case probe.EventSend:
		s.sent.Inc()
		if strings.HasPrefix(ev.Note, probe.SendFailedNote) {
			s.sendErrors.Inc() // the engine reports the request lost at once, below
		}
	case probe.EventReply:
		if c, ok := s.byClass[ev.Class]; ok {
			c.Inc()
		}
		switch ev.Class {
		case probe.ClassOnTime, probe.ClassOutOfOrder:
			s.requests.Inc()
			s.received.Inc()
			s.rtt.Observe(ev.RTT.Seconds())
			if ev.TTL >= 0 {
				s.ttl.Set(float64(ev.TTL))
			}
		case probe.ClassDuplicate:
			s.duplicates.Inc()
		}
	case probe.EventICMPError:
		if c, ok := s.byClass[ev.Class]; ok {
			c.Inc()
		}
		if ev.Class == probe.ClassICMPError {
			r.m.icmpError(s, ev.ICMPType, ev.ICMPCode)
		}
	case probe.EventLoss:
		if r.cutOff(ev) {
			return
		}
		s.requests.Inc()
		s.lost.Inc()
	}
}

// cutOff tells a request the monitor gave up on because it was stopped from one lost at
// its timeout: the engine declares a timeout loss once the timeout has passed since the
// send, so a loss reported sooner during a stop is a cut-off. The 1 % margin covers the
// kernel's send timestamp being a little later than the engine's own send time (a cut-off
// in the last 1 % of the timeout then counts as lost: the error goes toward loss).
func (r *recorder) cutOff(ev probe.Event) bool {
	if !r.stopping.Load() || ev.Sent.IsZero() || ev.Received.IsZero() {
		return false
	}
	return ev.Received.Time.Sub(ev.Sent.Time) < r.timeout-r.timeout/100
}
