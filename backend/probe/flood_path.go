package probe

import (
	"slices"
	"time"
)

// A flood on Linux can drive its socket two ways: one io_uring_enter per packet for the send
// and the read (uring_linux.go), or plain sendto + recvmsg. Which is faster is not a property
// of the code: it depends on what a system call costs on this kernel and CPU (page-table
// isolation without PCID makes every entry dear, and favours the ring), on what io_uring's
// own dispatch costs on this kernel (on Linux 6.18 here it made the ring the slower one:
// 0.86x of iputils against 0.96x for plain calls), and on the target (on loopback the reply is
// waiting when the ring's read runs; across a network the read always misses). So the flood
// measures both on its own first packets and keeps the faster: a pathTrial alternates blocks
// of trialBlock sends between the two paths, trialPairs pairs of blocks in ABBA order (so a
// slow start or a neighbour's burst hurts both alike), and compares the pairs' time ratios.
// The trial's packets are the flood's own, sent and counted as any other: measuring costs
// nothing but the time lost on the slower path during half the trial (4096 packets, some
// 40 ms at flood rates; blocks of 64 proved too short to tell 10 % apart on a busy machine). A measured choice cached per boot was considered and rejected: the helper holds
// cap_net_raw for any user and should not write files, and the winner depends on the target.
const (
	trialBlock = 256
	trialPairs = 8
)

// pathTrial is the measurement in progress. The zero value is a finished trial that keeps
// the ring (used when the choice is forced).
type pathTrial struct {
	running    bool
	sends      int       // sends in the current block so far
	block      int       // number of the current block, 0 .. 2*trialPairs-1
	blockStart time.Time // send time of the current block's first request
	ringTimes  []time.Duration
	plainTimes []time.Duration
	// decided: the trial is over; ring says which path won.
	decided, ring bool
}

func newPathTrial() pathTrial { return pathTrial{running: true} }

// ringTurn is whether block b goes through the ring: ABBA within each pair of pairs
// (ring, plain, plain, ring, ...), so each path leads equally often.
func ringTurn(b int) bool {
	pair, second := b/2, b%2 == 1
	return (pair%2 == 0) != second
}

// next is called with the time of every send before it is made; it says whether this send
// goes through the ring. When the last block ends it makes the choice (decided, ring).
func (t *pathTrial) next(now time.Time) (useRing bool) {
	if !t.running {
		return t.ring || !t.decided
	}
	if t.sends == trialBlock {
		d := now.Sub(t.blockStart)
		if ringTurn(t.block) {
			t.ringTimes = append(t.ringTimes, d)
		} else {
			t.plainTimes = append(t.plainTimes, d)
		}
		t.block++
		t.sends = 0
		if t.block == 2*trialPairs {
			t.running, t.decided = false, true
			t.ring, _ = chooseRing(t.ringTimes, t.plainTimes)
			return t.ring
		}
	}
	if t.sends == 0 {
		t.blockStart = now
	}
	t.sends++
	return ringTurn(t.block)
}

// chooseRing decides from the blocks' times (the i-th ring block with the i-th plain one,
// measured next to each other): the ring is kept when the median of the pairs' ratios
// ring/plain is below 1. A tie goes to the plain calls, the simpler path. ratio is that
// median (0 when there is nothing to compare).
func chooseRing(ring, plain []time.Duration) (useRing bool, ratio float64) {
	n := min(len(ring), len(plain))
	if n == 0 {
		return false, 0
	}
	ratios := make([]float64, 0, n)
	for i := range n {
		if plain[i] > 0 {
			ratios = append(ratios, float64(ring[i])/float64(plain[i]))
		}
	}
	if len(ratios) == 0 {
		return false, 0
	}
	slices.Sort(ratios)
	m := len(ratios) / 2
	ratio = ratios[m]
	if len(ratios)%2 == 0 {
		ratio = (ratios[m-1] + ratios[m]) / 2
	}
	return ratio < 1, ratio
}
