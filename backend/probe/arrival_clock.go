package probe

import (
	"time"
	_ "unsafe" // for go:linkname
)

// nanotime is the Go runtime's monotonic clock: the reading time.Now takes for its monotonic
// half, one vDSO clock_gettime(CLOCK_MONOTONIC). The runtime keeps it reachable by linkname
// (it says so on its definition, go.dev/issue/67401).
//
//go:linkname nanotime runtime.nanotime
func nanotime() int64

// arrivalRebase is how long an arrivalClock extrapolates the wall clock from one full reading
// before it takes the next. The wall clock drifts from the monotonic one by at most 500 ppm
// while NTP slews it (0.5 us per millisecond; typically far less), so the wall half of an
// arrival time is never off by more than that, and a step of the wall clock shows within a
// millisecond.
const arrivalRebase = time.Millisecond

// arrivalMaxGap bounds the time between the nanotime readings taken just before and just
// after a full reading for it to become the base: the full reading's monotonic half lies
// between them, so every extrapolated reading is early by less than this. A pair further
// apart (the thread was preempted in between) is used once and not kept.
const arrivalMaxGap = 2 * time.Microsecond

// arrivalClock reads the time a message was read: one reading of the monotonic clock per
// message instead of time.Now's two (wall and monotonic), which at flood rates is a vDSO call
// saved per packet (about 25 ns here, a tenth of what the engine spends on a packet in user
// space). The monotonic half of a reading is the runtime's own clock, so deadlines, timeouts
// and the pacing, which compare monotonic readings, see the true arrival (give or take the
// few nanoseconds between a full reading's monotonic half and the nanotime taken with it);
// the wall half is the last full reading's plus the monotonic time since (see
// arrivalRebase and arrivalMaxGap). The kernel's RX timestamp, not this, is a reply's receive time wherever
// the socket gives one; a message without it is timed by a full time.Now (fillPacket).
// Not safe for concurrent use: it belongs to the socket's one reader.
type arrivalClock struct {
	base     time.Time // the last full reading (wall and monotonic)
	baseMono int64     // nanotime just after base was read; 0: no base
}

// now is the time of a read that has just returned.
func (c *arrivalClock) now() time.Time {
	n := nanotime()
	if d := n - c.baseMono; c.baseMono != 0 && d >= 0 && d < int64(arrivalRebase) {
		return c.base.Add(time.Duration(d))
	}
	before := nanotime()
	t := time.Now()
	after := nanotime()
	c.base, c.baseMono = t, after
	if after-before >= int64(arrivalMaxGap) {
		c.baseMono = 0 // too loose a pair to extrapolate from: the next read takes its own
	}
	return t
}
