package probe

import "time"

// A flood on Linux can drive its socket two ways: one io_uring_enter per packet for the send
// and the read (uring_linux.go), or plain sendto + recvmsg. Which is faster is not a property
// of the code: it depends on what a system call costs on this kernel and CPU (page-table
// isolation without PCID makes every entry dear, and favours the ring), on what io_uring's
// own dispatch costs on this kernel (on Linux 6.18 here it made the ring the slower one:
// 0.86x of iputils against 0.96x for plain calls), and on the target (on loopback the reply is
// waiting when the ring's read runs; across a network the read always misses). So the flood
// measures both on its own first packets and keeps the faster: a pathTrial alternates blocks
// of trialBlock sends between the two paths, trialPairs pairs of blocks in ABBA order (so a
// slow start hurts both alike), and compares each path's fastest block (see chooseRing).
// The trial's packets are the flood's own, sent and counted as any other: measuring costs
// nothing but the time lost on the slower path during half the trial (4096 packets, some
// 40 ms at flood rates; blocks of 64 proved too short to tell 10 % apart on a busy machine).
// A measured choice cached per boot was considered and rejected: the helper holds
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

// chooseRing decides from the blocks' times: the ring is kept when its fastest block was
// faster than the fastest plain block; a tie goes to the plain calls, the simpler path.
// ratio is ring/plain of those two (0 when there is nothing to compare).
//
// The fastest block, not a median: anything else on the machine (another process on this
// CPU, an interrupt, the runtime's own start-up work) only ever adds time to a block, never
// takes any away, so each path's fastest block is the closest to what that path costs. A
// block of 256 packets takes about 2 ms, shorter than a scheduler's time slice, so on a
// busy machine some blocks of each path still run undisturbed while others wait 5 to 20 ms
// for the CPU. The median of the 8 paired ratios chose before: it was decided by which
// blocks the neighbours happened to hit, and kept the ring (7 % slower on Linux 6.18 here)
// in about half of the floods measured on a busy machine (TestChooseRingIgnoresDisturbedBlocks
// holds one such trial, recorded).
func chooseRing(ring, plain []time.Duration) (useRing bool, ratio float64) {
	ringBest, plainBest := fastest(ring), fastest(plain)
	if ringBest <= 0 || plainBest <= 0 {
		return false, 0
	}
	ratio = float64(ringBest) / float64(plainBest)
	return ratio < 1, ratio
}

// fastest is the shortest positive duration (0 when there is none).
func fastest(ds []time.Duration) time.Duration {
	var best time.Duration
	for _, d := range ds {
		if d > 0 && (best == 0 || d < best) {
			best = d
		}
	}
	return best
}
