package probe

import (
	"strings"
	"time"
)

// StatsRecorder computes a session's statistics from events classified elsewhere: rows read
// back from storage, an imported capture with several pings in it, a generated session. It
// is the engine's own accumulator behind a small API, so every figure has exactly the
// definitions of a live Summary (see Stats); there is no second implementation to drift.
//
// Quantiles (P50/P90/P99) come, as live, from a reservoir of 4096 RTTs: exact up to that
// many received replies, a uniform random sample after that (Min, Max, Avg, Mdev, Jitter and
// the counts stay exact). The sample depends only on the seed and the events, so the same
// events give the same figures.
//
// Events must be recorded in the order they happened (a loss at its timeout), as the engine
// emits them: jitter is taken over consecutive replies and the loss window over the most
// recently finished requests. A StatsRecorder is not safe for concurrent use.
//
// SendsLate, SendLateMax, StatsCoalesced and EventsDropped stay zero: they describe the live
// engine's schedule and its handler, which no event records.
type StatsRecorder struct {
	acc *statsAcc
}

// NewStatsRecorder returns an empty recorder. lossWindow is how many finished requests the
// window loss covers (0 or less: DefaultLossWindow, as Options.LossWindow); seed picks the
// reservoir's sample once there are more RTTs than it holds (the engine uses the session token).
func NewStatsRecorder(lossWindow int, seed uint64) *StatsRecorder {
	return &StatsRecorder{acc: newStatsAcc(Options{LossWindow: lossWindow}.EffectiveLossWindow(), seed)}
}

// Record adds one classified event:
//
//	EventSend                          a request, sent at ev.Sent.Time (the first one starts Elapsed);
//	                                   one whose Note starts with SendFailedNote also counts an error
//	EventReply, EventICMPError         by ev.Class: on time and out of order are received, with
//	                                   ev.RTT; late, duplicate, corrupt, foreign and icmp-error
//	                                   are counted apart; an empty Class counts nothing
//	EventLoss                          its request is lost
//	EventStats (or any other kind)     ignored
func (r *StatsRecorder) Record(ev *Event) {
	switch ev.Kind {
	case EventSend:
		r.acc.sent(ev.Sent.Time)
		if strings.HasPrefix(ev.Note, SendFailedNote) {
			r.acc.countApart(ClassICMPError) // as live: a local send error is an error
		}
	case EventLoss:
		r.acc.lost()
	case EventReply, EventICMPError:
		switch ev.Class {
		case ClassOnTime, ClassOutOfOrder:
			r.acc.received(ev.RTT, ev.Class == ClassOutOfOrder)
		case ClassDuplicate:
			r.acc.duplicate(ev.RTT)
		default:
			r.acc.countApart(ev.Class)
		}
	}
}

// Stats returns the statistics of the events recorded so far; end is the session's end (or
// now), from which Elapsed is measured back to the first request. Requests sent but neither
// answered nor lost yet are Outstanding and left out of the loss percentages.
func (r *StatsRecorder) Stats(end time.Time) Stats {
	return r.acc.snapshot(end)
}
