package probe

import (
	"testing"
	"time"
)

// TestArrivalClockFollowsTheClocks: an arrival reading lies between two full readings taken
// around it, by the monotonic clock and (within the extrapolation's bound) by the wall clock,
// readings never go back, and the clock takes a new full reading once arrivalRebase is over.
func TestArrivalClockFollowsTheClocks(t *testing.T) {
	var c arrivalClock
	var prev time.Time
	const slack = arrivalMaxGap // how early an extrapolated reading may be, at most
	for i := range 200000 {
		before := time.Now()
		got := c.now()
		after := time.Now()
		if got.Before(before.Add(-slack)) || got.After(after) {
			t.Fatalf("reading %d: %v not between %v and %v (monotonic)", i, got, before, after)
		}
		wall := got.Round(0) // the wall halves only
		if wall.Before(before.Round(0).Add(-slack)) || wall.After(after.Round(0).Add(slack)) {
			t.Fatalf("reading %d: wall %v not between %v and %v", i, wall, before.Round(0), after.Round(0))
		}
		if !prev.IsZero() && got.Before(prev) {
			t.Fatalf("reading %d: %v went back from %v", i, got, prev)
		}
		prev = got
	}
	base := c.base
	time.Sleep(arrivalRebase + time.Millisecond)
	c.now()
	if !c.base.After(base) {
		t.Fatalf("no new full reading after %v: base still %v", arrivalRebase, c.base)
	}
}

// BenchmarkArrivalClock against BenchmarkTimeNow: what a packet's arrival reading costs.
func BenchmarkArrivalClock(b *testing.B) {
	var c arrivalClock
	var t time.Time
	for range b.N {
		t = c.now()
	}
	_ = t
}

func BenchmarkTimeNow(b *testing.B) {
	var t time.Time
	for range b.N {
		t = time.Now()
	}
	_ = t
}
