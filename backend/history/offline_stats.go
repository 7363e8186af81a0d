package history

import (
	"time"

	"echoscope/backend/probe"
)

// statsSeed makes the RTT sample behind an import's quantiles the same on every import of
// the same capture (the engine seeds it with the session token, which a capture may lack).
const statsSeed = 1

// statsOf computes a session's statistics from classified rows in time order (a loss where
// its timeout fell), with the engine's own accumulator (probe.StatsRecorder): the same
// definitions as a live Summary, including the loss window and the reservoir behind the
// quantiles (exact up to 4096 received replies, a uniform sample beyond). Elapsed runs from
// the first request to end.
func statsOf(rows []Packet, end time.Time) probe.Stats {
	rec := probe.NewStatsRecorder(probe.DefaultLossWindow, statsSeed)
	for i := range rows {
		ev := eventOf(&rows[i])
		rec.Record(&ev)
	}
	return rec.Stats(end)
}

// eventOf is as much of a row's event as the statistics read: its kind and class, its RTT,
// and for a request the time it left (a row's Time: imported requests carry no Sent).
func eventOf(p *Packet) probe.Event {
	ev := probe.Event{Kind: p.Kind, Class: p.Class, RTT: p.RTT, Sent: p.Sent}
	if p.Kind == probe.EventSend {
		ev.Sent = p.Time
	}
	return ev
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
