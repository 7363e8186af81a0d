package probe

import (
	"context"
	"net/netip"
	"testing"
	"time"
)

// runInMemory runs a flood of n requests over echoDirectConn (no privilege needed) and
// returns the events the handler saw and the summary.
func runInMemory(t *testing.T, n int, prepare func(*Session)) ([]Event, Summary) {
	t.Helper()
	var events []Event
	s, err := NewSession(Options{Target: "127.0.0.1", Count: n, Flood: true, Timeout: time.Minute}, RootPolicy(),
		func(ev Event) { events = append(events, ev) })
	if err != nil {
		t.Fatal(err)
	}
	conn := newEchoDirectConn(DefaultSize)
	s.newConn = func(context.Context, SocketKind, netip.Addr, *Options) (packetConn, error) { return conn, nil }
	prepare(s)
	sum, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return events, sum
}

// TestStatisticsOnly: the handler of a statistics-only session sees EventStats alone, one
// per RequestStats (however many requests came before it went out), and the counts and
// RTT aggregates are those the events of a full session add up to.
func TestStatisticsOnly(t *testing.T) {
	const n = 300
	events, sum := runInMemory(t, n, func(s *Session) {
		s.StatisticsOnly()
		s.RequestStats()
		s.RequestStats()
	})
	if len(events) != 1 || events[0].Kind != EventStats || events[0].Stats == nil {
		t.Fatalf("events %+v, want one EventStats", events)
	}
	if st := events[0].Stats; st.Sent != 1 {
		t.Errorf("stats at the first turn: sent %d, want 1", st.Sent)
	}
	if sum.Sent != n || sum.Received != n || sum.Lost != 0 || sum.Outstanding != 0 {
		t.Errorf("summary %+v", sum.Stats)
	}
	if sum.Min <= 0 || sum.Max < sum.Min || sum.EWMA < 0 || sum.Avg < sum.Min {
		t.Errorf("rtt aggregates min %v avg %v max %v ewma %v", sum.Min, sum.Avg, sum.Max, sum.EWMA)
	}

	full, fullSum := runInMemory(t, n, func(*Session) {})
	var replies int
	for _, ev := range full {
		if ev.Kind == EventReply && ev.Class == ClassOnTime {
			replies++
		}
	}
	if replies != n || fullSum.Received != sum.Received || fullSum.Sent != sum.Sent {
		t.Errorf("full session: %d on-time reply events, summary %+v", replies, fullSum.Stats)
	}
}
