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
// slow start hurts both alike), and compares the two paths' packet times (see chooseRing).
// The trial's packets are the flood's own, sent and counted as any other: measuring costs
// nothing but the time lost on the slower path during half the trial (4096 packets, some
// 40 ms at flood rates; blocks of 64, when block times were compared, proved too short to
// tell 10 % apart on a busy machine).
// A measured choice cached per boot was considered and rejected: the helper holds
// cap_net_raw for any user and should not write files, and the winner depends on the target.
const (
	trialBlock = 256
	trialPairs = 8
)

// pathTrial is the measurement in progress. The zero value is a finished trial that keeps
// the ring (used when the choice is forced).
type pathTrial struct {
	running bool
	sends   int // sends in the current block so far
	block   int // number of the current block, 0 .. 2*trialPairs-1
	// last is the previous send's time and lastRing its path: the time from one send to the
	// next is what that packet cost (its send, its reply, the engine's work on both).
	last     time.Time
	lastRing bool
	// ringTimes and plainTimes are the packets' times on each path.
	ringTimes, plainTimes []time.Duration
	// decided: the trial is over; ring says which path won.
	decided, ring bool
}

func newPathTrial() pathTrial {
	return pathTrial{running: true,
		ringTimes:  make([]time.Duration, 0, trialPairs*trialBlock),
		plainTimes: make([]time.Duration, 0, trialPairs*trialBlock)}
}

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
	if !t.last.IsZero() {
		if d := now.Sub(t.last); t.lastRing {
			t.ringTimes = append(t.ringTimes, d)
		} else {
			t.plainTimes = append(t.plainTimes, d)
		}
	}
	if t.sends == trialBlock {
		t.block++
		t.sends = 0
		if t.block == 2*trialPairs {
			t.running, t.decided = false, true
			t.ring, _ = chooseRing(t.ringTimes, t.plainTimes)
			return t.ring
		}
	}
	t.sends++
	t.last, t.lastRing = now, ringTurn(t.block)
	return t.lastRing
}

// chooseRing decides from the packets' times on each path: the ring is kept when a packet
// through it takes less time than one through plain calls, by the first quartile of each
// path's times (the time a quarter of its packets beat); a tie goes to the plain calls, the
// simpler path. ratio is ring/plain of the two quartiles (0 when there is nothing to
// compare). It sorts both slices.
//
// Packets, not the blocks' times: anything else on the machine (another process on this CPU,
// an interrupt, the runtime's own start-up work) adds its whole time slice, 5 to 20 ms on a
// busy machine, to the one packet it interrupts, while a packet takes some 7 us and a block
// of 256 about 2 ms. Block times are then decided by which blocks the neighbours happened to
// hit: the median of the 8 paired block ratios (the rule before) kept the ring, 7 % slower
// on Linux 6.18 here, in 7, 8 and 11 of 20 floods at load 18 to 20, and each path's fastest
// block in 4 of 20. A preemption moves the quartile by one packet in 2048. The first
// quartile, not the median: interference only ever adds time, and a neighbour on the sibling
// vCPU (or the host, which runs this vCPU) can slow most packets of a stretch of blocks.
// This rule still kept the ring in 3 of 20 floods at load 20 (11 of 20 for the rule before,
// in the same series), the packets' median in 2 of 20 at load 18: undisturbed trials read
// ratios of 1.06 to 1.08 there, the wrong ones 0.58 to 0.99.
func chooseRing(ring, plain []time.Duration) (useRing bool, ratio float64) {
	r, p := firstQuartile(ring), firstQuartile(plain)
	if r <= 0 || p <= 0 {
		return false, 0
	}
	ratio = float64(r) / float64(p)
	return ratio < 1, ratio
}

// firstQuartile sorts ds and returns the value a quarter of them are at most (0 for none).
func firstQuartile(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[(len(ds)-1)/4]
}
