package probe

import (
	"math"
	"slices"
	"time"
)

// reservoirSize bounds the RTT samples kept for quantiles: exact up to this many replies,
// a uniform random sample (Vitter's algorithm R) after that.
const reservoirSize = 4096

// statsAcc accumulates statistics in constant memory. Owned by the loop goroutine.
type statsAcc struct {
	s Stats

	rttN          uint64
	rttSum        float64 // nanoseconds
	rttSum2       float64 // nanoseconds squared
	min, max      time.Duration
	jitter        float64 // RFC 3550 J, nanoseconds
	ewma8         int64   // iputils' ewma: microseconds times 8
	lastRTT       time.Duration
	haveLast      bool
	reservoir     []time.Duration
	rng           uint64
	window        []bool // true = lost; ring of finished requests
	windowNext    int
	windowFilled  int
	windowLostCnt int
	first         time.Time
	// all: the same sums over first replies and duplicates (Stats.WithDuplicates).
	all rttSums
}

// rttSums are iputils' running RTT sums: count, sum, sum of squares, extremes, ewma.
type rttSums struct {
	n         uint64
	sum, sum2 float64 // nanoseconds, nanoseconds squared
	min, max  time.Duration
	ewma8     int64 // microseconds times 8
}

func (r *rttSums) add(rtt time.Duration) {
	r.n++
	f := float64(rtt)
	r.sum += f
	r.sum2 += f * f
	if r.n == 1 || rtt < r.min {
		r.min = rtt
	}
	r.max = max(r.max, rtt)
	if us := rtt.Microseconds(); rtt > 0 && r.ewma8 == 0 {
		r.ewma8 = us * 8
	} else if rtt > 0 {
		r.ewma8 += us - r.ewma8/8
	}
}

func (r *rttSums) figures() RTTFigures {
	if r.n == 0 {
		return RTTFigures{}
	}
	n := float64(r.n)
	mean := r.sum / n
	return RTTFigures{Min: r.min, Max: r.max, Avg: time.Duration(mean),
		Mdev: time.Duration(math.Sqrt(math.Max(0, r.sum2/n-mean*mean))),
		EWMA: time.Duration(r.ewma8/8) * time.Microsecond}
}

func newStatsAcc(window int, seed uint64) *statsAcc {
	return &statsAcc{window: make([]bool, window), reservoir: make([]time.Duration, 0, 64), rng: seed | 1}
}

func (a *statsAcc) sent(at time.Time) {
	if a.s.Sent == 0 {
		a.first = at
	}
	a.s.Sent++
	a.s.Outstanding++
}

// sentLate records a request that left slip after its slot (the loop could not keep to
// the schedule: an overloaded machine).
func (a *statsAcc) sentLate(slip time.Duration) {
	a.s.SendsLate++
	a.s.SendLateMax = max(a.s.SendLateMax, slip)
}

// received records a first reply within the timeout.
func (a *statsAcc) received(rtt time.Duration, outOfOrder bool) {
	a.answered(outOfOrder)
	a.addRTT(rtt)
}

// answered counts a first reply within the timeout; its RTT follows through addRTT (the
// engine may hold it back until the request's kernel TX timestamp is known).
func (a *statsAcc) answered(outOfOrder bool) {
	a.s.Received++
	a.s.Outstanding--
	if outOfOrder {
		a.s.OutOfOrder++
	}
	a.finish(false)
}

// duplicate counts a further reply to an answered request; its RTT joins the figures
// with duplicates (iputils' rtt line) but never the first-reply ones.
func (a *statsAcc) duplicate(rtt time.Duration) {
	a.s.Duplicates++
	if rtt > 0 {
		a.all.add(rtt)
	}
}

// countApart counts a received message that is not a first reply within the timeout: those
// are counted by class and never touch Received, Lost or the RTT figures (a late reply
// leaves its request lost, a duplicate adds no reply: go-ping's negative loss came from
// mixing them). Classes without a count of their own (on time, out of order, "") are ignored.
func (a *statsAcc) countApart(c Class) {
	switch c {
	case ClassForeign:
		a.s.Foreign++
	case ClassCorrupt:
		a.s.Corrupt++
	case ClassICMPError:
		a.s.Errors++
	case ClassDuplicate:
		a.s.Duplicates++
	case ClassLate:
		a.s.Late++
	}
}

func (a *statsAcc) lost() {
	a.s.Lost++
	a.s.Outstanding--
	a.finish(true)
}

func (a *statsAcc) finish(lost bool) {
	if len(a.window) == 0 {
		return
	}
	if a.windowFilled == len(a.window) {
		if a.window[a.windowNext] {
			a.windowLostCnt--
		}
	} else {
		a.windowFilled++
	}
	a.window[a.windowNext] = lost
	if lost {
		a.windowLostCnt++
	}
	a.windowNext = (a.windowNext + 1) % len(a.window)
}

func (a *statsAcc) addRTT(rtt time.Duration) {
	if rtt < 0 {
		rtt = 0 // clocks of different sources can disagree by a hair; never report negative
	}
	a.rttN++
	f := float64(rtt)
	a.rttSum += f
	a.rttSum2 += f * f
	if a.rttN == 1 || rtt < a.min {
		a.min = rtt
	}
	if rtt > a.max {
		a.max = rtt
	}
	// RFC 3550 6.4.1: D is the difference in transit time of consecutive packets, which for
	// an echo is the difference of their RTTs; J += (|D| - J) / 16.
	if a.haveLast {
		d := math.Abs(float64(rtt - a.lastRTT))
		a.jitter += (d - a.jitter) / 16
	}
	a.lastRTT, a.haveLast = rtt, true
	a.all.add(rtt)
	if rtt > 0 {
		// iputils (gather_statistics): the first RTT seeds it, then rtt += x - rtt/8.
		if us := rtt.Microseconds(); a.ewma8 == 0 {
			a.ewma8 = us * 8
		} else {
			a.ewma8 += us - a.ewma8/8
		}
	}
	if len(a.reservoir) < reservoirSize {
		a.reservoir = append(a.reservoir, rtt)
		return
	}
	// xorshift64: cheap, deterministic per session, good enough for sampling.
	a.rng ^= a.rng << 13
	a.rng ^= a.rng >> 7
	a.rng ^= a.rng << 17
	if j := a.rng % a.rttN; j < reservoirSize {
		a.reservoir[j] = rtt
	}
}

// snapshot returns the statistics now; it allocates a copy of the reservoir to sort.
func (a *statsAcc) snapshot(now time.Time) Stats {
	s := a.s
	if a.rttN > 0 {
		n := float64(a.rttN)
		mean := a.rttSum / n
		s.Min, s.Max, s.Avg = a.min, a.max, time.Duration(mean)
		// iputils: mdev = sqrt(tsum2/n - (tsum/n)^2)
		s.Mdev = time.Duration(math.Sqrt(math.Max(0, a.rttSum2/n-mean*mean)))
		sorted := slices.Clone(a.reservoir)
		slices.Sort(sorted)
		s.P50, s.P90, s.P99 = quantile(sorted, 0.50), quantile(sorted, 0.90), quantile(sorted, 0.99)
		s.Jitter = time.Duration(a.jitter)
		s.EWMA = time.Duration(a.ewma8/8) * time.Microsecond
	}
	s.WithDuplicates = a.all.figures()
	if done := s.Sent - s.Outstanding; done > 0 {
		s.LossPercent = 100 * float64(done-s.Received) / float64(done)
	}
	s.WindowSize = a.windowFilled
	if a.windowFilled > 0 {
		s.WindowLossPercent = 100 * float64(a.windowLostCnt) / float64(a.windowFilled)
	}
	if !a.first.IsZero() {
		// Never negative: "now" may be read a hair before the first request's own stamp.
		s.Elapsed = max(0, now.Sub(a.first))
	}
	return s
}

// quantile is the nearest-rank quantile of sorted samples.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(rank, len(sorted)-1))]
}
