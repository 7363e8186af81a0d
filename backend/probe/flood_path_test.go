package probe

import (
	"testing"
	"time"
)

func us(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Microsecond
	}
	return out
}

// chooseRing keeps the path whose packets were faster (by their first quartile): a packet held up (a neighbour's
// burst) does not decide, and a tie goes to plain calls.
func TestChooseRingPicksTheFasterPath(t *testing.T) {
	for _, tc := range []struct {
		name        string
		ring, plain []time.Duration
		want        bool
	}{
		{"ring faster (an older kernel with costly system calls)", us(100, 101, 99, 100), us(115, 116, 114, 118), true},
		{"plain faster (Linux 6.18 here)", us(116, 117, 115, 120), us(100, 101, 99, 100), false},
		{"one held-up plain packet does not hand it to the ring", us(110, 110, 110, 110, 110), us(100, 100, 9000, 100, 100), false},
		{"one held-up ring packet does not hand it to plain", us(90, 90, 5000, 90, 90), us(100, 100, 100, 100, 100), true},
		{"a tie goes to plain calls", us(100, 100), us(100, 100), false},
		{"nothing measured: plain", nil, nil, false},
	} {
		if got, ratio := chooseRing(tc.ring, tc.plain); got != tc.want {
			t.Errorf("%s: ring %v (ratio %.3f), want %v", tc.name, got, ratio, tc.want)
		}
	}
}

// On a busy machine another process takes the CPU for a time slice now and then: here one
// packet in each plain block waits 15 ms, while a packet costs 7.0 us through plain calls and
// 7.5 us through the ring (the two paths on Linux 6.18 here). Every plain block then takes
// longer than every ring block, so comparing blocks (the median of the paired block ratios,
// and each path's fastest block, both tried before) keeps the ring; the packets' times keep
// plain calls. (A trial recorded at load 12 had 6 of 8 blocks of one path interrupted.)
func TestPathTrialIgnoresPreemptions(t *testing.T) {
	tr := newPathTrial()
	now := time.Unix(0, 0)
	for i := range 2 * trialPairs * trialBlock {
		cost := 7000 * time.Nanosecond
		if tr.next(now) {
			cost = 7500 * time.Nanosecond
		} else if i%trialBlock == trialBlock/2 {
			cost += 15 * time.Millisecond // preempted
		}
		now = now.Add(cost)
	}
	tr.next(now) // the first send after the trial, which ends it
	if !tr.decided || tr.ring {
		t.Fatalf("decided %v, ring kept %v: want plain calls", tr.decided, tr.ring)
	}
	if len(tr.ringTimes) != trialPairs*trialBlock || len(tr.plainTimes) != trialPairs*trialBlock {
		t.Fatalf("%d ring and %d plain packet times, want %d each", len(tr.ringTimes), len(tr.plainTimes), trialPairs*trialBlock)
	}
	if _, ratio := chooseRing(tr.ringTimes, tr.plainTimes); ratio < 1.07 || ratio > 1.08 {
		t.Fatalf("ratio %.4f, want 7.5/7.0 = 1.071", ratio)
	}
}

// The trial alternates whole blocks in ABBA order and, fed a clock under which one path's
// sends take longer, keeps the other for every send after it.
func TestPathTrialKeepsTheFasterPath(t *testing.T) {
	for _, tc := range []struct {
		name            string
		ringCost, plain time.Duration
		wantRing        bool
	}{
		{"ring cheaper", 8 * time.Microsecond, 10 * time.Microsecond, true},
		{"plain cheaper", 10 * time.Microsecond, 8 * time.Microsecond, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := newPathTrial()
			now := time.Unix(0, 0)
			var order []bool
			ringSends, plainSends := 0, 0
			for i := range 2*trialPairs*trialBlock + 100 {
				useRing := tr.next(now)
				if i%trialBlock == 0 && i < 2*trialPairs*trialBlock {
					order = append(order, useRing)
				}
				if useRing {
					ringSends++
					now = now.Add(tc.ringCost)
				} else {
					plainSends++
					now = now.Add(tc.plain)
				}
			}
			if !tr.decided || tr.ring != tc.wantRing {
				t.Fatalf("decided %v ring %v, want ring %v", tr.decided, tr.ring, tc.wantRing)
			}
			want := []bool{true, false, false, true, true, false, false, true}
			for i, w := range want {
				if order[i] != w {
					t.Fatalf("block order %v, want ABBA %v...", order, want)
				}
			}
			half := trialPairs * trialBlock
			if tc.wantRing && (ringSends != half+100 || plainSends != half) ||
				!tc.wantRing && (plainSends != half+100 || ringSends != half) {
				t.Fatalf("ring %d plain %d sends", ringSends, plainSends)
			}
		})
	}
}

// A forced ring (the zero trial) never measures.
func TestZeroTrialKeepsTheRing(t *testing.T) {
	var tr pathTrial
	for range 3 * trialBlock {
		if !tr.next(time.Now()) {
			t.Fatal("the zero trial sent without the ring")
		}
	}
}
