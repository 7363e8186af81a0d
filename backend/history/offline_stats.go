package history

import (
	"math"
	"slices"
	"time"

	"echoscope/backend/probe"
)

// statsOf computes a session's statistics from classified rows, with the engine's
// definitions (see probe.Stats): RTT figures over received replies, mdev as iputils,
// jitter as the RFC 3550 interarrival estimator.
func statsOf(rows []Packet) probe.Stats {
	var st probe.Stats
	var rtts []time.Duration
	var first, last time.Time
	var jitter float64
	var prev time.Duration
	for i := range rows {
		p := &rows[i]
		switch p.Kind {
		case probe.EventSend:
			st.Sent++
			if first.IsZero() {
				first = p.Time.Time
			}
		case probe.EventLoss:
			st.Lost++
		}
		if !p.Time.Time.IsZero() && p.Time.Time.After(last) {
			last = p.Time.Time
		}
		switch p.Class {
		case probe.ClassOnTime, probe.ClassOutOfOrder:
			st.Received++
			if p.Class == probe.ClassOutOfOrder {
				st.OutOfOrder++
			}
			if len(rtts) > 0 {
				d := float64(p.RTT - prev)
				jitter += (math.Abs(d) - jitter) / 16
			}
			prev = p.RTT
			rtts = append(rtts, p.RTT)
		case probe.ClassLate:
			st.Late++
		case probe.ClassDuplicate:
			st.Duplicates++
		case probe.ClassCorrupt:
			st.Corrupt++
		case probe.ClassForeign:
			st.Foreign++
		case probe.ClassICMPError:
			st.Errors++
		}
	}
	if st.Sent > 0 {
		st.LossPercent = 100 * float64(st.Lost) / float64(st.Sent)
	}
	if !first.IsZero() && last.After(first) {
		st.Elapsed = last.Sub(first)
	}
	st.Jitter = time.Duration(jitter)
	if len(rtts) == 0 {
		return st
	}
	var sum, sum2 float64
	st.Min, st.Max = rtts[0], rtts[0]
	for _, r := range rtts {
		st.Min, st.Max = min(st.Min, r), max(st.Max, r)
		sum += float64(r)
		sum2 += float64(r) * float64(r)
	}
	n := float64(len(rtts))
	mean := sum / n
	st.Avg = time.Duration(mean)
	st.Mdev = time.Duration(math.Sqrt(max(sum2/n-mean*mean, 0)))
	slices.Sort(rtts)
	st.P50, st.P90, st.P99 = percentile(rtts, 50), percentile(rtts, 90), percentile(rtts, 99)
	return st
}

// percentile by the nearest-rank method on sorted values.
func percentile(sorted []time.Duration, p int) time.Duration {
	rank := (p*len(sorted) + 99) / 100
	return sorted[max(rank-1, 0)]
}
