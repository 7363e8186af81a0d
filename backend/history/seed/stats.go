package seed

import (
	"math"
	"slices"
	"time"

	"echoscope/backend/probe"
)

// statsBuilder computes a seeded session's final statistics with the engine's definitions
// (probe.Stats): RTT figures over received replies, mdev as iputils, jitter as RFC 3550,
// the loss window over the last probe.DefaultLossWindow finished requests. Quantiles are
// exact: a million-row session has at most half a million RTTs (4 MB).
type statsBuilder struct {
	s         probe.Stats
	rtts      []time.Duration
	sum, sum2 float64
	jitter    float64
	last      time.Duration
	first     time.Time
	window    []bool // true = lost, ring of finished requests
	windowAt  int
	filled    int
}

func newStatsBuilder() *statsBuilder {
	return &statsBuilder{window: make([]bool, probe.DefaultLossWindow)}
}

func (b *statsBuilder) sent(at time.Time) {
	if b.s.Sent == 0 {
		b.first = at
	}
	b.s.Sent++
	b.s.Outstanding++
}

func (b *statsBuilder) received(rtt time.Duration, outOfOrder bool) {
	b.s.Received++
	b.s.Outstanding--
	if outOfOrder {
		b.s.OutOfOrder++
	}
	b.finish(false)
	if len(b.rtts) > 0 {
		b.jitter += (math.Abs(float64(rtt-b.last)) - b.jitter) / 16
	}
	b.last = rtt
	b.rtts = append(b.rtts, rtt)
	f := float64(rtt)
	b.sum += f
	b.sum2 += f * f
}

func (b *statsBuilder) lost() {
	b.s.Lost++
	b.s.Outstanding--
	b.finish(true)
}

func (b *statsBuilder) foreign() { b.s.Foreign++ }

func (b *statsBuilder) finish(lost bool) {
	b.window[b.windowAt] = lost
	b.windowAt = (b.windowAt + 1) % len(b.window)
	b.filled = min(b.filled+1, len(b.window))
}

// final returns the statistics at the session's end (now: its last row's time).
func (b *statsBuilder) final(now time.Time) probe.Stats {
	s := b.s
	if n := len(b.rtts); n > 0 {
		mean := b.sum / float64(n)
		sorted := slices.Clone(b.rtts)
		slices.Sort(sorted)
		s.Min, s.Max, s.Avg = sorted[0], sorted[n-1], time.Duration(mean)
		s.Mdev = time.Duration(math.Sqrt(math.Max(0, b.sum2/float64(n)-mean*mean)))
		s.P50, s.P90, s.P99 = nearestRank(sorted, 0.50), nearestRank(sorted, 0.90), nearestRank(sorted, 0.99)
		s.Jitter = time.Duration(b.jitter)
	}
	if done := s.Sent - s.Outstanding; done > 0 {
		s.LossPercent = 100 * float64(done-s.Received) / float64(done)
	}
	s.WindowSize = b.filled
	lostInWindow := 0
	for i := range b.filled {
		if b.window[i] {
			lostInWindow++
		}
	}
	if b.filled > 0 {
		s.WindowLossPercent = 100 * float64(lostInWindow) / float64(b.filled)
	}
	if !b.first.IsZero() {
		s.Elapsed = now.Sub(b.first)
	}
	return s
}

// nearestRank is the nearest-rank quantile of sorted values (as probe's).
func nearestRank(sorted []time.Duration, q float64) time.Duration {
	rank := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(rank, len(sorted)-1))]
}
