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
// before it takes the next. NTP's slewing changes the monotonic clock at the wall clock's rate
// (Linux slews CLOCK_MONOTONIC too), so extrapolating adds no drift; only a step of the wall
// clock (settimeofday, chrony's step at boot) or a suspend (the monotonic clock stops while
// the wall clock goes on) parts them, and then the wall half of the arrivals read within this
// much monotonic time after it is off by the whole step. Nothing compares wall halves: they
// are what a row shows as its clock time, and the next request's payload stamp.
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
