package probe

import (
	"context"
	"errors"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// hopConn is a fake socket with a TTL: a scripted path answers each request according to the
// TTL it was sent with.
type hopConn struct {
	*fakeConn
	ttl    atomic.Int32
	ttls   []int // the TTL of every request, in send order
	ttlErr error
}

func (c *hopConn) SetHopLimit(ttl int) error {
	if c.ttlErr != nil {
		return c.ttlErr
	}
	c.ttl.Store(int32(ttl))
	c.ttls = append(c.ttls, ttl)
	return nil
}

// fakePath answers as a path to target whose routers are 10.0.0.1, 10.0.0.2, ... and whose
// destination is at TTL dist: a Time Exceeded quoting the request from the router the TTL
// ran out at, or the echo reply. silent TTLs get nothing; a delayed destination answers
// after delay (so the next probes go before its reply is in).
func fakePath(dist int, silent map[int]bool, delay time.Duration) func(c *hopConn) func(*fakeConn, []byte, netip.Addr) {
	return func(hc *hopConn) func(*fakeConn, []byte, netip.Addr) {
		return func(c *fakeConn, msg []byte, dst netip.Addr) {
			ttl := int(hc.ttl.Load())
			if silent[ttl] {
				return
			}
			if ttl >= dist {
				reply := replyTo(wire.IPv4, msg, nil)
				if delay > 0 {
					time.AfterFunc(delay, func() { c.deliver(reply, dst) })
					return
				}
				c.deliver(reply, dst)
				return
			}
			quoted, _ := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + len(msg)), TTL: 1,
				Protocol: wire.ProtocolICMP, Src: netip.MustParseAddr("192.0.2.1"), Dst: dst})
			te, err := (&wire.Message{Family: wire.IPv4, Type: wire.ICMPv4TimeExceeded,
				Body: &wire.TimeExceeded{Data: append(quoted, msg...)}}).Marshal(nil)
			if err != nil {
				panic(err)
			}
			c.deliver(te, netip.AddrFrom4([4]byte{10, 0, 0, byte(ttl)}))
		}
	}
}

func runFakeTrace(t *testing.T, o TraceOptions, hc *hopConn, path func(*hopConn) func(*fakeConn, []byte, netip.Addr), onRound ...func(TraceProgress)) (TraceResult, error) {
	t.Helper()
	hc.respond = path(hc)
	tr, err := NewTrace(context.Background(), o, RootPolicy())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range onRound {
		tr.OnRound(f)
	}
	tr.newConn = func(context.Context, SocketKind, netip.Addr, *Options) (packetConn, error) { return hc, nil }
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return tr.Run(ctx)
}

// Rounds probe TTL 1 up to the destination and no further once it answered; the report ends
// there; a silent router is a hop with 100 % loss, named because later hops answer. (Probes
// go 50 ms apart: the loop has each answer long before the next probe is due.)
func TestTraceRoundsStopAtTheDestination(t *testing.T) {
	hc := &hopConn{fakeConn: newFakeConn()}
	var rounds []int
	var progress []TraceProgress
	res, err := runFakeTrace(t, TraceOptions{Target: "192.0.2.9", Rounds: 3, Interval: 400 * time.Millisecond,
		Timeout: 50 * time.Millisecond, MaxHops: 8}, hc, fakePath(4, map[int]bool{2: true}, 0), func(p TraceProgress) {
		rounds = append(rounds, p.Rounds)
		progress = append(progress, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rounds) != 3 || rounds[0] != 1 || rounds[2] != 3 {
		t.Errorf("OnRound told %v, want 1, 2, 3", rounds)
	}
	checkRoundFigures(t, progress)
	want := []int{1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4}
	if len(hc.ttls) != len(want) {
		t.Fatalf("TTLs sent %v, want %v", hc.ttls, want)
	}
	for i := range want {
		if hc.ttls[i] != want[i] {
			t.Fatalf("TTLs sent %v, want %v", hc.ttls, want)
		}
	}
	if res.DestinationHop != 4 || res.Rounds != 3 || len(res.Hops) != 4 {
		t.Fatalf("destination %d rounds %d hops %d", res.DestinationHop, res.Rounds, len(res.Hops))
	}
	for i, h := range res.Hops {
		wantRecv := 3
		if i == 1 {
			wantRecv = 0
		}
		if h.Sent != 3 || h.Received != wantRecv {
			t.Errorf("hop %d: sent %d received %d", i+1, h.Sent, h.Received)
		}
	}
	if !res.Hops[1].RateLimited || res.Hops[0].RateLimited || res.Hops[3].Addrs[0] != netip.MustParseAddr("192.0.2.9") {
		t.Errorf("hops %+v", res.Hops)
	}
}

// A destination whose reply is still on its way when the next probes go: the first round runs
// past it (those probes' answers come from the destination too), later rounds stop at it,
// and the report ends at the destination's TTL with every hop probed once per round. (The
// first round's probes go 100 ms apart, the reply comes 250 ms after its probe.)
func TestTraceFirstRoundPastASlowDestination(t *testing.T) {
	hc := &hopConn{fakeConn: newFakeConn()}
	res, err := runFakeTrace(t, TraceOptions{Target: "192.0.2.9", Rounds: 3, Interval: 400 * time.Millisecond,
		Timeout: time.Second, MaxHops: 4}, hc, fakePath(2, nil, 250*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if res.DestinationHop != 2 || len(res.Hops) != 2 {
		t.Fatalf("destination %d, %d hops (TTLs %v)", res.DestinationHop, len(res.Hops), hc.ttls)
	}
	if n := len(hc.ttls); n <= 6 || hc.ttls[n-1] != 2 || hc.ttls[n-2] != 1 {
		t.Fatalf("TTLs sent %v: the first round should run past TTL 2, the last stop there", hc.ttls)
	}
	for i, h := range res.Hops {
		if h.Sent != 3 || h.Received != 3 {
			t.Errorf("hop %d: sent %d received %d", i+1, h.Sent, h.Received)
		}
	}
}

// A socket refusing the TTL ends the trace with the reason; a socket with no TTL at all is
// refused before anything is sent.
func TestTraceTTLFailures(t *testing.T) {
	hc := &hopConn{fakeConn: newFakeConn(), ttlErr: errors.New("no such option")}
	_, err := runFakeTrace(t, TraceOptions{Target: "192.0.2.9", Rounds: 1, Interval: 10 * time.Millisecond}, hc, fakePath(2, nil, 0))
	if err == nil || err.Error() != "probe: set TTL 1: no such option" {
		t.Fatalf("%v", err)
	}
	tr, err := NewTrace(context.Background(), TraceOptions{Target: "192.0.2.9"}, RootPolicy())
	if err != nil {
		t.Fatal(err)
	}
	tr.newConn = func(context.Context, SocketKind, netip.Addr, *Options) (packetConn, error) { return newFakeConn(), nil }
	if _, err := tr.Run(context.Background()); !errors.Is(err, ErrNoHopLimit) {
		t.Fatalf("%v", err)
	}
}

// Cancelling a trace ends it at once with what came so far; probes still in flight then are
// neither sent nor lost in the figures (no loss that nobody saw).
func TestTraceCancel(t *testing.T) {
	hc := &hopConn{fakeConn: newFakeConn()}
	hc.respond = fakePath(3, nil, 0)(hc)
	tr, err := NewTrace(context.Background(), TraceOptions{Target: "192.0.2.9", Rounds: 1000, Interval: 20 * time.Millisecond}, RootPolicy())
	if err != nil {
		t.Fatal(err)
	}
	tr.newConn = func(context.Context, SocketKind, netip.Addr, *Options) (packetConn, error) { return hc, nil }
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	res, err := tr.Run(ctx)
	if err != nil || res.DestinationHop != 3 || res.Rounds == 0 || res.Rounds >= 1000 || len(res.Hops) != 3 {
		t.Fatalf("err %v, destination %d, rounds %d, hops %d", err, res.DestinationHop, res.Rounds, len(res.Hops))
	}
	for _, h := range res.Hops {
		if h.Sent != h.Received {
			t.Errorf("hop %d: sent %d received %d: the stop made loss", h.TTL, h.Sent, h.Received)
		}
	}
}

// A probe still unanswered when the trace stops leaves the counts; answered ones stay.
func TestTraceStopUncountsProbesInFlight(t *testing.T) {
	s := newTraceState(TraceOptions{Target: "192.0.2.9"}, netip.MustParseAddr("192.0.2.9"))
	s.sending = traceProbe{round: 1, ttl: 1}
	s.observe(Event{Kind: EventSend, Index: 1})
	s.sending = traceProbe{round: 1, ttl: 2}
	s.observe(Event{Kind: EventSend, Index: 2})
	s.observe(Event{Kind: EventICMPError, Class: ClassICMPError, Index: 1, From: netip.MustParseAddr("10.0.0.1")})
	s.uncountPending()
	if s.hops[0].Sent != 1 || s.hops[0].Received != 1 || s.hops[1].Sent != 0 || len(s.pending) != 0 {
		t.Fatalf("hops %+v pending %v", s.hops, s.pending)
	}
}

// checkRoundFigures checks what OnRound told of TestTraceRoundsStopAtTheDestination's path
// (hop 2 silent, the destination at hop 4, answers at once, probes 100 ms apart and lost
// after 50 ms): each round's figures as they stood, the probe just sent not yet counted.
func checkRoundFigures(t *testing.T, progress []TraceProgress) {
	t.Helper()
	if len(progress) != 3 {
		t.Fatalf("%d progress reports, want 3", len(progress))
	}
	// Round 1 ends when the probe after TTL 4 would go: hop 4's reply is in, nothing pending.
	// Rounds 2 and 3 end as their TTL 4 probe leaves: hop 4 counts the rounds before.
	for r, p := range progress {
		if p.Rounds != r+1 || p.DestinationHop != 4 || len(p.Hops) != 4 {
			t.Fatalf("round %d: rounds %d destination %d, %d hops", r+1, p.Rounds, p.DestinationHop, len(p.Hops))
		}
		wantSent := []int{r + 1, r + 1, r + 1, max(r, 1)}
		wantRecv := []int{r + 1, 0, r + 1, max(r, 1)}
		for i, h := range p.Hops {
			if h.Sent != wantSent[i] || h.Received != wantRecv[i] || h.Answers != nil {
				t.Errorf("round %d hop %d: sent %d received %d, %d answers; want %d, %d, none", r+1, i+1, h.Sent, h.Received, len(h.Answers), wantSent[i], wantRecv[i])
			}
		}
		if !p.Hops[1].RateLimited || p.Hops[0].RateLimited {
			t.Errorf("round %d: hop 2 should be named rate-limited, hop 1 not: %+v", r+1, p.Hops[:2])
		}
		if p.Hops[0].Last <= 0 || p.Hops[3].Addrs[0] != netip.MustParseAddr("192.0.2.9") {
			t.Errorf("round %d: hop 1 last %v, hop 4 %v", r+1, p.Hops[0].Last, p.Hops[3].Addrs)
		}
	}
	// A report is the trace's own copy: the next rounds do not change it.
	if progress[0].Hops[0].Sent != 1 || len(progress[0].Hops[0].Addrs) != 1 {
		t.Errorf("round 1's report changed: %+v", progress[0].Hops[0])
	}
}
