package history

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// A capture of two pings at once: each flow is judged by the engine on its own, and the
// session's statistics are the engine's accumulator over all rows in time order. The counts
// must add up to the flows' own, and the RTT figures, loss window and elapsed time come out
// as worked by hand.
func TestImportOfTwoPingsCountsBoth(t *testing.T) {
	const ms = time.Millisecond
	second := netip.MustParseAddr("198.18.0.3")
	req := func(to netip.Addr, seq uint16, at time.Duration) Packet {
		return ip4(t, host, to, echo4(wire.ICMPv4EchoRequest, seq, "hello"), at)
	}
	rep := func(from netip.Addr, seq uint16, at time.Duration) Packet {
		return ip4(t, from, host, echo4(wire.ICMPv4EchoReply, seq, "hello"), at)
	}
	first := []Packet{
		req(target, 1, 0), rep(target, 1, 10*ms),
		req(target, 2, 1000*ms), // lost at 2000 ms
		req(target, 3, 3000*ms), rep(target, 3, 3030*ms), rep(target, 3, 3040*ms),
		req(target, 4, 4000*ms), // lost at 5000 ms: the session's end
	}
	other := []Packet{
		req(second, 1, 500*ms), rep(second, 1, 520*ms),
		req(second, 2, 1500*ms), rep(second, 2, 2700*ms), // late
	}
	both := append(cloneRows(first), other...)
	slices.SortStableFunc(both, func(x, y Packet) int { return x.Time.Time.Compare(y.Time.Time) })

	_, a := classifyRows(cloneRows(first), time.Second)
	_, b := classifyRows(cloneRows(other), time.Second)
	_, st := classifyRows(both, time.Second)
	if st.Sent != a.Sent+b.Sent || st.Received != a.Received+b.Received || st.Lost != a.Lost+b.Lost ||
		st.Late != a.Late+b.Late || st.Duplicates != a.Duplicates+b.Duplicates || st.Outstanding != 0 {
		t.Fatalf("both %+v\nfirst %+v\nother %+v", st, a, b)
	}
	if st.Sent != 6 || st.Received != 3 || st.Lost != 3 || st.Late != 1 || st.Duplicates != 1 {
		t.Fatalf("counts %+v", st)
	}
	// Received RTTs in time order: 10, 20, 30 ms.
	if st.Min != 10*ms || st.Avg != 20*ms || st.Max != 30*ms || st.P50 != 20*ms || st.P99 != 30*ms {
		t.Errorf("min/avg/max %v/%v/%v p50 %v p99 %v", st.Min, st.Avg, st.Max, st.P50, st.P99)
	}
	// RFC 3550: 10/16 = 0.625 ms, then 0.625 + (10 - 0.625)/16 = 1.2109375 ms.
	if st.Jitter != 1210937*time.Nanosecond {
		t.Errorf("jitter %v", st.Jitter)
	}
	if st.LossPercent != 50 || st.WindowSize != 6 || st.WindowLossPercent != 50 {
		t.Errorf("loss %v%%, window of %d: %v%%", st.LossPercent, st.WindowSize, st.WindowLossPercent)
	}
	// From the first request to the last request's timeout, as the engine ends a recording.
	if st.Elapsed != 5*time.Second {
		t.Errorf("elapsed %v", st.Elapsed)
	}
}

func cloneRows(rows []Packet) []Packet { return append([]Packet(nil), rows...) }

// Rows as stored (kinds and classes from the engine) give the engine's figures: a request's
// time is its row's Time, losses finish requests, unclassified rows count nothing.
func TestStatsOfStoredRows(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)
	at := func(d time.Duration) probe.Timestamp { return probe.Timestamp{Time: t0.Add(d), Clock: CaptureClock} }
	rows := []Packet{
		{Kind: probe.EventSend, Time: at(0)},
		{Kind: probe.EventReply, Class: probe.ClassOnTime, RTT: time.Millisecond, Time: at(time.Millisecond)},
		{Kind: probe.EventSend, Time: at(time.Second)},
		{Kind: probe.EventICMPError, Class: probe.ClassICMPError, Time: at(time.Second + 1)},
		{Kind: probe.EventLoss, Time: at(time.Second)},
		{Kind: probe.EventReply, Class: probe.ClassForeign, Time: at(1500 * time.Millisecond)},
		{Kind: probe.EventReply, Time: at(1600 * time.Millisecond)},
	}
	st := statsOf(rows, t0.Add(2*time.Second))
	if st.Sent != 2 || st.Received != 1 || st.Lost != 1 || st.Errors != 1 || st.Foreign != 1 ||
		st.LossPercent != 50 || st.P50 != time.Millisecond || st.Elapsed != 2*time.Second {
		t.Fatalf("stats %+v", st)
	}
}
