package probe

import (
	"math"
	"testing"
	"time"
)

func TestStatsExact(t *testing.T) {
	a := newStatsAcc(3, 1)
	now := time.Now()
	ms := time.Millisecond
	for _, rtt := range []time.Duration{1 * ms, 2 * ms, 3 * ms, 4 * ms} {
		a.sent(now)
		a.received(rtt, false)
	}
	a.sent(now)
	a.lost()
	a.sent(now) // still outstanding
	s := a.snapshot(now.Add(time.Second))

	if s.Sent != 6 || s.Received != 4 || s.Lost != 1 || s.Outstanding != 1 {
		t.Fatalf("counts %+v", s)
	}
	if s.Min != 1*ms || s.Max != 4*ms || s.Avg != 2500*time.Microsecond {
		t.Errorf("min/avg/max %v/%v/%v", s.Min, s.Avg, s.Max)
	}
	// iputils: sqrt(mean(x^2) - mean(x)^2) = sqrt(7.5 - 6.25) ms
	wantMdev := time.Duration(math.Sqrt(1.25) * float64(ms))
	if d := s.Mdev - wantMdev; d < -time.Nanosecond || d > time.Nanosecond {
		t.Errorf("mdev %v, want %v", s.Mdev, wantMdev)
	}
	// Nearest rank: p50 = 2nd of 4, p90 and p99 = 4th.
	if s.P50 != 2*ms || s.P90 != 4*ms || s.P99 != 4*ms {
		t.Errorf("quantiles %v %v %v", s.P50, s.P90, s.P99)
	}
	// RFC 3550: J starts at 0; three differences of 1 ms: J = 1 - (15/16)^3 ms.
	wantJitter := time.Duration((1 - math.Pow(15.0/16, 3)) * float64(ms))
	if d := s.Jitter - wantJitter; d < -time.Nanosecond || d > time.Nanosecond {
		t.Errorf("jitter %v, want %v", s.Jitter, wantJitter)
	}
	// Loss over the 5 finished requests: 1 of 5; the window (3) holds recv, recv, lost.
	if s.LossPercent != 20 || s.WindowSize != 3 || math.Abs(s.WindowLossPercent-100.0/3) > 1e-9 {
		t.Errorf("loss %v%%, window %d: %v%%", s.LossPercent, s.WindowSize, s.WindowLossPercent)
	}
	if s.Elapsed != time.Second {
		t.Errorf("elapsed %v", s.Elapsed)
	}
}

func TestStatsReservoirBounded(t *testing.T) {
	a := newStatsAcc(DefaultLossWindow, 7)
	for i := range 3 * reservoirSize {
		a.sent(time.Now())
		a.received(time.Duration(i)*time.Microsecond, false)
	}
	if len(a.reservoir) != reservoirSize {
		t.Fatalf("reservoir grew to %d", len(a.reservoir))
	}
	s := a.snapshot(time.Now())
	// A uniform sample of 0..12287 µs: the median lands near 6144 µs.
	if s.P50 < 5000*time.Microsecond || s.P50 > 7300*time.Microsecond {
		t.Errorf("p50 %v far from the true median", s.P50)
	}
	if s.Min != 0 || s.Max != time.Duration(3*reservoirSize-1)*time.Microsecond {
		t.Errorf("min/max %v/%v are exact, not sampled", s.Min, s.Max)
	}
}

func TestLossNeverNegative(t *testing.T) {
	a := newStatsAcc(10, 1)
	a.sent(time.Now())
	a.received(time.Millisecond, false)
	// Duplicates and late replies are counted elsewhere and never touch received/lost.
	a.s.Duplicates += 5
	a.s.Late += 2
	if s := a.snapshot(time.Now()); s.LossPercent != 0 || s.WindowLossPercent != 0 {
		t.Fatalf("loss %v / %v", s.LossPercent, s.WindowLossPercent)
	}
}

func TestPeriodicStatsEvents(t *testing.T) {
	c := newFakeConn()
	c.respond = echoResponder
	events, sum, err := runFake(Options{Target: "127.0.0.1", Count: 20, Interval: 2 * time.Millisecond,
		StatsEvery: 5 * time.Millisecond}, c)
	if err != nil {
		t.Fatal(err)
	}
	var last uint64
	n := 0
	for _, ev := range events {
		if ev.Kind != EventStats {
			continue
		}
		n++
		if ev.Stats == nil || ev.Stats.Sent < last || ev.Stats.Sent > sum.Sent {
			t.Fatalf("stats event %+v", ev.Stats)
		}
		last = ev.Stats.Sent
	}
	if n == 0 {
		t.Fatal("no periodic stats event in a run of at least 38 ms with StatsEvery 5 ms")
	}
}

// TestEWMALikeIputils: iputils' flood ewma in whole microseconds times 8, seeded by the
// first RTT; RTTs of zero (clocks disagreeing) leave it alone, as they did the CLI's tally.
func TestEWMALikeIputils(t *testing.T) {
	a := newStatsAcc(DefaultLossWindow, 1)
	if s := a.snapshot(time.Now()); s.EWMA != 0 {
		t.Fatalf("ewma %v before any reply", s.EWMA)
	}
	us := time.Microsecond
	// Fractions of a microsecond are cut, as iputils' timeval arithmetic does.
	for _, rtt := range []time.Duration{40*us + 999, 0, 50*us + 999, 60 * us} {
		a.sent(time.Now())
		a.received(rtt, false)
	}
	// 40*8 = 320; 320+50-40 = 330; 330+60-41 = 349 -> 349/8 = 43 us.
	if s := a.snapshot(time.Now()); s.EWMA != 43*time.Microsecond {
		t.Errorf("ewma %v, want 43µs", s.EWMA)
	}
}

// Elapsed is never negative, even when "now" was read a hair before the first request's
// own stamp (the CLI once printed "elapsed": -13350).
func TestElapsedNeverNegative(t *testing.T) {
	a := newStatsAcc(10, 1)
	sent := time.Unix(1000, 500)
	a.sent(sent)
	if e := a.snapshot(sent.Add(-13350 * time.Nanosecond)).Elapsed; e != 0 {
		t.Errorf("Elapsed %v", e)
	}
}
