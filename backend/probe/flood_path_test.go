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

// chooseRing keeps the path the measurements say is faster, by the median of paired ratios:
// one disturbed block (a neighbour's burst) does not decide, and a tie goes to plain calls.
func TestChooseRingPicksTheFasterPath(t *testing.T) {
	for _, tc := range []struct {
		name        string
		ring, plain []time.Duration
		want        bool
	}{
		{"ring faster (an older kernel with costly system calls)", us(100, 101, 99, 100), us(115, 116, 114, 118), true},
		{"plain faster (Linux 6.18 here)", us(116, 117, 115, 120), us(100, 101, 99, 100), false},
		{"one disturbed plain block does not hand it to the ring", us(110, 110, 110, 110, 110), us(100, 100, 900, 100, 100), false},
		{"one disturbed ring block does not hand it to plain", us(90, 90, 5000, 90, 90), us(100, 100, 100, 100, 100), true},
		{"a tie goes to plain calls", us(100, 100), us(100, 100), false},
		{"nothing measured: plain", nil, nil, false},
	} {
		if got, ratio := chooseRing(tc.ring, tc.plain); got != tc.want {
			t.Errorf("%s: ring %v (ratio %.3f), want %v", tc.name, got, ratio, tc.want)
		}
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
