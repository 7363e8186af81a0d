package probe

import (
	"encoding/binary"
	"math"
	"net/netip"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// TestStatsRecorderEveryKindAndClass: one event of every kind and class, in the order the
// engine would emit them, with every figure worked out by hand.
func TestStatsRecorderEveryKindAndClass(t *testing.T) {
	const ms = time.Millisecond
	t0 := time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)
	send := func(i int) Event {
		return Event{Kind: EventSend, Index: uint64(i), Sent: Timestamp{Time: t0.Add(time.Duration(i-1) * time.Second)}}
	}
	reply := func(c Class, rtt time.Duration) Event { return Event{Kind: EventReply, Class: c, RTT: rtt} }
	stats := Stats{Sent: 99, Received: 99, Lost: 99}
	events := []Event{
		send(1), send(2),
		reply(ClassOnTime, 2*ms), reply(ClassOutOfOrder, 4*ms), // 1 answered after 2
		send(3), {Kind: EventLoss, Index: 3}, reply(ClassLate, 5*ms), reply(ClassDuplicate, 5*ms),
		send(4), reply(ClassCorrupt, 1*ms), reply(ClassForeign, 0), reply(ClassOnTime, 3*ms),
		send(5), {Kind: EventICMPError, Class: ClassICMPError}, {Kind: EventLoss, Index: 5},
		{Kind: EventStats, Stats: &stats}, // a snapshot: must not count again
		send(6),                           // still outstanding at the end
		reply("", 7*ms),                   // not classified: counts nothing
	}
	r := NewStatsRecorder(3, 1)
	for i := range events {
		r.Record(&events[i])
	}
	end := t0.Add(10 * time.Second)
	s := r.Stats(end)

	want := Stats{Sent: 6, Received: 3, Lost: 2, Outstanding: 1, OutOfOrder: 1, Late: 1, Duplicates: 1,
		Corrupt: 1, Foreign: 1, Errors: 1}
	if countsOf(s) != countsOf(want) || s.Sent != want.Sent || s.Outstanding != want.Outstanding {
		t.Fatalf("counts %+v\nwant   %+v", s, want)
	}
	// RTTs of the received replies only, in order 2, 4, 3 ms.
	if s.Min != 2*ms || s.Max != 4*ms || s.Avg != 3*ms || s.P50 != 3*ms || s.P90 != 4*ms || s.P99 != 4*ms {
		t.Errorf("min/avg/max %v/%v/%v, p50/90/99 %v/%v/%v", s.Min, s.Avg, s.Max, s.P50, s.P90, s.P99)
	}
	wantMdev := time.Duration(math.Sqrt(29.0/3-9) * float64(ms)) // sqrt(E[x^2] - E[x]^2)
	if d := s.Mdev - wantMdev; d < -time.Nanosecond || d > time.Nanosecond {
		t.Errorf("mdev %v, want %v", s.Mdev, wantMdev)
	}
	// RFC 3550: J = 2/16 = 0.125 ms, then 0.125 + (1 - 0.125)/16 = 0.1796875 ms.
	if s.Jitter != 179687*time.Nanosecond {
		t.Errorf("jitter %v, want 179.687µs", s.Jitter)
	}
	// iputils ewma in µs*8: 16000, 16000+4000-2000, 18000+3000-2250 = 18750 -> 2343 µs.
	if s.EWMA != 2343*time.Microsecond {
		t.Errorf("ewma %v", s.EWMA)
	}
	// 5 finished (2 lost): 40 %; the window of 3 holds lost 3, received 4, lost 5.
	if s.LossPercent != 40 || s.WindowSize != 3 || math.Abs(s.WindowLossPercent-200.0/3) > 1e-9 {
		t.Errorf("loss %v%%, window %d: %v%%", s.LossPercent, s.WindowSize, s.WindowLossPercent)
	}
	if s.Elapsed != 10*time.Second {
		t.Errorf("elapsed %v", s.Elapsed)
	}
}

func TestStatsRecorderDefaultWindow(t *testing.T) {
	r := NewStatsRecorder(0, 1)
	for range DefaultLossWindow + 10 {
		r.Record(&Event{Kind: EventSend})
		r.Record(&Event{Kind: EventLoss})
	}
	if s := r.Stats(time.Time{}); s.WindowSize != DefaultLossWindow || s.WindowLossPercent != 100 || s.Elapsed != 0 {
		t.Fatalf("window %d at %v%%, elapsed %v", s.WindowSize, s.WindowLossPercent, s.Elapsed)
	}
}

// TestStatsRecorderAgreesWithLive: a live session's own events, recorded afterwards, give the
// Summary's statistics (all but Elapsed, which ends where the caller says).
func TestStatsRecorderAgreesWithLive(t *testing.T) {
	other := netip.AddrFrom4([4]byte{127, 0, 0, 2})
	c := newFakeConn()
	c.respond = func(c *fakeConn, msg []byte, dst netip.Addr) {
		good := replyTo(c.fam(), msg, nil)
		switch binary.BigEndian.Uint16(msg[6:8]) % 5 {
		case 0: // a duplicate
			c.deliver(good, dst)
			c.deliver(good, dst)
		case 1: // a damaged copy first
			c.deliver(replyTo(c.fam(), msg, func(em *wire.EchoMessage) { em.Data[20] ^= 0xff }), dst)
			c.deliver(good, dst)
		case 2: // from another host first
			c.deliver(good, other)
			c.deliver(good, dst)
		case 3: // only an error: lost at the timeout
			c.deliver(quotedError(msg, loop4, dst), other)
		default:
			c.deliver(good, dst)
		}
	}
	o := Options{Target: "127.0.0.1", Count: 15, Interval: time.Millisecond, Timeout: 50 * time.Millisecond,
		Identifier: 0x4242, Token: 0x1122334455667788}
	events, sum, err := runFake(o, c)
	if err != nil {
		t.Fatal(err)
	}
	r := NewStatsRecorder(o.LossWindow, o.Token)
	for i := range events {
		r.Record(&events[i])
	}
	got := r.Stats(sum.End)
	got.Elapsed, sum.Elapsed = 0, 0
	// The engine's schedule and delivery counters are not in the events (see StatsRecorder).
	sum.SendsLate, sum.SendLateMax, sum.StatsCoalesced, sum.EventsDropped = 0, 0, 0, 0
	if got != sum.Stats {
		t.Fatalf("recorded %+v\nlive     %+v", got, sum.Stats)
	}
	if sum.Duplicates == 0 || sum.Corrupt == 0 || sum.Foreign == 0 || sum.Errors == 0 || sum.Lost == 0 || sum.Received == 0 {
		t.Fatalf("the session did not produce every class: %+v", sum.Stats)
	}
}

// Duplicates' RTTs join the iputils figures (WithDuplicates) and never the first-reply ones.
func TestDuplicatesJoinTheIputilsFigures(t *testing.T) {
	r := NewStatsRecorder(0, 1)
	t0 := time.Unix(1000, 0)
	r.Record(&Event{Kind: EventSend, Index: 1, Sent: Timestamp{Time: t0}})
	r.Record(&Event{Kind: EventReply, Index: 1, Class: ClassOnTime, RTT: time.Millisecond})
	r.Record(&Event{Kind: EventReply, Index: 1, Class: ClassDuplicate, RTT: 3 * time.Millisecond})
	st := r.Stats(t0.Add(time.Second))
	if st.Received != 1 || st.Duplicates != 1 || st.Max != time.Millisecond || st.Avg != time.Millisecond {
		t.Fatalf("first-reply figures %+v", st)
	}
	w := st.WithDuplicates
	if w.Min != time.Millisecond || w.Max != 3*time.Millisecond || w.Avg != 2*time.Millisecond || w.Mdev != time.Millisecond {
		t.Errorf("with duplicates %+v", w)
	}
}
