package agent

import (
	"context"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// fakeTrace stands in for a probe trace: a two-hop path with three answers, at once, or
// (endless) after its context ends. It never touches the network.
type fakeTrace struct {
	o       probe.TraceOptions
	endless bool
	onRound func(probe.TraceProgress)
}

func (f *fakeTrace) OnRound(fn func(probe.TraceProgress)) { f.onRound = fn }

func (f *fakeTrace) Run(ctx context.Context) (probe.TraceResult, error) {
	if f.endless {
		<-ctx.Done()
	} else if f.onRound != nil {
		// Two rounds at once: the second's figures come too soon after the first's to be sent.
		for n := 1; n <= 2; n++ {
			f.onRound(probe.TraceProgress{Rounds: n, DestinationHop: 2, Hops: []probe.TraceHop{{TTL: 1, Sent: n, Received: n}, {TTL: 2, Sent: n}}})
		}
	}
	ans := func(round, ttl int) probe.TraceAnswer {
		return probe.TraceAnswer{Round: round, TTL: ttl, Event: probe.Event{Kind: probe.EventICMPError,
			Index: uint64(round), Bytes: []byte{11, 0, 1, 2}, Request: []byte{8, 0, 3, 4}}}
	}
	return probe.TraceResult{Target: f.o.Target, Rounds: 2, DestinationHop: 2, Start: time.Now(), Hops: []probe.TraceHop{
		{TTL: 1, Sent: 2, Received: 2, Addrs: []netip.Addr{netip.MustParseAddr("198.18.0.2")}, Answers: []probe.TraceAnswer{ans(1, 1), ans(2, 1)}},
		{TTL: 2, Sent: 2, Received: 1, Addrs: []netip.Addr{netip.MustParseAddr("198.18.1.2")}, Answers: []probe.TraceAnswer{ans(2, 2)}},
	}}, nil
}

func fakeTraces(_ context.Context, o probe.TraceOptions, _ probe.Policy) (TraceRunner, error) {
	return &fakeTrace{o: o, endless: o.Rounds == 0}, nil
}

func traceServer(t *testing.T, policy probe.Policy) *harness {
	return startServerWith(t, policy, fakeFactory, func(c *ServerConfig) { c.NewTrace = fakeTraces })
}

func traceOf(rounds int) TraceRequest {
	return TraceRequest{Options: probe.TraceOptions{Target: "198.18.1.2", Rounds: rounds, Interval: time.Second}}
}

// A trace's rounds are reported as they end, its answers come one frame each, then the
// result without them; the client puts each answer back into its hop.
func TestHelperTraceSendsAnswersThenResult(t *testing.T) {
	h := traceServer(t, probe.RootPolicy())
	h.send(TypeTrace, "t1", traceOf(2))
	c := &Client{traces: map[string]*pendingTrace{}}
	var rounds []int
	var figures [][]probe.TraceHop
	p := &pendingTrace{done: make(chan traceAnswer, 1), onRound: func(r probe.TraceProgress) {
		rounds = append(rounds, r.Rounds)
		figures = append(figures, r.Hops)
	}}
	c.traces["t1"] = p
	want := []Type{TypeTraceRound, TypeTraceRound, TypeTraceAnswer, TypeTraceAnswer, TypeTraceAnswer, TypeTraced}
	for i := range want {
		m := h.next()
		if m.Type != want[i] || m.Session != "t1" {
			t.Fatalf("frame %d: %s for %q, want %s", i+1, m.Type, m.Session, want[i])
		}
		if m.Type == TypeTraced && strings.Contains(string(m.Body), `"answers":[{`) {
			t.Fatalf("the result frame carries answers: %s", m.Body)
		}
		if !c.answerTrace(m) {
			t.Fatalf("frame %d not taken by the pending trace", i+1)
		}
	}
	a := <-p.done
	if a.err != nil || len(a.res.Hops) != 2 || len(a.res.Hops[0].Answers) != 2 || len(a.res.Hops[1].Answers) != 1 ||
		a.res.Hops[1].Answers[0].Round != 2 || string(a.res.Hops[0].Answers[1].Event.Bytes) != string([]byte{11, 0, 1, 2}) {
		t.Fatalf("%v %+v", a.err, a.res.Hops)
	}
	if len(c.traces) != 0 || len(rounds) != 2 || rounds[1] != 2 {
		t.Errorf("pending %d, rounds told %v", len(c.traces), rounds)
	}
	if len(figures) != 2 || len(figures[0]) != 2 || figures[0][0].Received != 1 || figures[0][1].Sent != 1 || figures[1] != nil {
		t.Errorf("figures told %+v: want round 1's two hops, none with round 2 (within traceFiguresEvery)", figures)
	}
}

// Figures go at most every traceFiguresEvery; the rounds count goes every round.
func TestTraceRoundFrameThrottlesFigures(t *testing.T) {
	var last time.Time
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := probe.TraceProgress{Rounds: 1, DestinationHop: 3, Hops: []probe.TraceHop{{TTL: 1}}}
	steps := []struct {
		at      time.Duration
		figures bool
	}{{0, true}, {traceFiguresEvery / 2, false}, {traceFiguresEvery - 1, false}, {traceFiguresEvery, true}, {traceFiguresEvery * 3 / 2, false}, {traceFiguresEvery * 5, true}}
	for i, st := range steps {
		p.Rounds = i + 1
		r := roundFrame(p, t0.Add(st.at), &last)
		if r.Rounds != i+1 || (len(r.Hops) > 0) != st.figures || (r.DestinationHop == 3) != st.figures {
			t.Errorf("step %d at %v: %+v, figures want %v", i, st.at, r, st.figures)
		}
	}
	if r := roundFrame(probe.TraceProgress{Rounds: 9}, t0.Add(time.Hour), &last); r.Hops != nil || !last.Equal(t0.Add(traceFiguresEvery*5)) {
		t.Errorf("a progress without hops moved the clock: %+v %v", r, last)
	}
}

// What a trace may ask is bounded and policed as a session is: options out of range, a pace
// above the user's rate, a duplicate id, more than the caller's total rate with the others.
func TestHelperTraceRefusals(t *testing.T) {
	h := traceServer(t, probe.UserPolicy())
	h.send(TypeTrace, "bad", TraceRequest{Options: probe.TraceOptions{Target: "198.18.1.2", MaxHops: 256}})
	if e := h.expectError("bad", CodeInvalidOption); !strings.Contains(e.Message, "maxHops 256 is out of range, allowed: 0 (30) or 1..255") {
		t.Errorf("%q", e.Message)
	}
	h.send(TypeTrace, "fast", TraceRequest{Options: probe.TraceOptions{Target: "198.18.1.2", Interval: 10 * time.Millisecond}})
	h.expectError("fast", CodePolicy)
	h.sendRaw(`{"v":1,"type":"trace","session":"x","body":{"options":{"target":"h"},"ttl":1}}`)
	h.expectError("x", CodeMalformed)
	// 500 probes a second each (30 hops every 60 ms): two fit under the user's 1000/s, not three.
	paced := TraceRequest{Options: probe.TraceOptions{Target: "198.18.1.2", Interval: 60 * time.Millisecond}}
	h.send(TypeTrace, "a", paced)
	h.send(TypeTrace, "a", paced)
	h.expectError("a", CodeBadSession)
	h.send(TypeTrace, "b", paced)
	h.send(TypeTrace, "c", paced)
	if e := h.expectError("c", CodePolicy); !strings.Contains(e.Message, "running sessions already send 1000 requests/s") {
		t.Errorf("%q", e.Message)
	}
	for _, id := range []string{"a", "b"} {
		h.send(TypeStop, id, nil)
	}
	got := map[string]bool{}
	for len(got) < 2 {
		m := h.next()
		if m.Type == TypeTraced {
			got[m.Session] = true
		}
	}
}

// A test server whose sessions are substituted runs no real trace unless given a factory.
func TestHelperWithFakeSessionsRunsNoRealTrace(t *testing.T) {
	h := startServer(t, probe.RootPolicy())
	h.send(TypeTrace, "t", traceOf(1))
	if e := h.expectError("t", CodeUnknownType); e.Message != "this server runs no traces" {
		t.Errorf("%q", e.Message)
	}
}

// Stopping a trace ends it with its result so far.
func TestHelperTraceStops(t *testing.T) {
	h := traceServer(t, probe.RootPolicy())
	h.send(TypeTrace, "t", traceOf(0)) // fakeTrace: endless
	h.send(TypeStop, "t", nil)
	for {
		m := h.next()
		if m.Type == TypeTraced {
			var d TraceDone
			if err := json.Unmarshal(m.Body, &d); err != nil || d.Result.Rounds != 2 {
				t.Fatalf("%v %s", err, m.Body)
			}
			return
		}
	}
}

// The largest trace-round frame a trace can make (every hop of MaxTraceHops with its
// MaxTraceHopAddrs IPv6 addresses, the longest note, the largest times) fits a frame with room
// to spare: the figures need no splitting.
func TestTraceRoundFrameWorstCaseFits(t *testing.T) {
	addrs := make([]netip.Addr, probe.MaxTraceHopAddrs)
	for i := range addrs {
		addrs[i] = netip.MustParseAddr("2001:db8:ffff:ffff:ffff:ffff:ffff:fff" + string(rune('0'+i)))
	}
	note := strings.Repeat("x", 300) // the longest note probe writes is about 230 characters
	r := TraceRound{Rounds: 1 << 30, DestinationHop: probe.MaxTraceHops}
	for ttl := 1; ttl <= probe.MaxTraceHops; ttl++ {
		d := time.Duration(1<<62 - 1)
		r.Hops = append(r.Hops, probe.TraceHop{TTL: ttl, Addrs: addrs, Sent: 1 << 30, Received: 1 << 30,
			Last: d, Best: d, Worst: d, Avg: d, StDev: d, RateLimited: true, Note: note})
	}
	m, err := NewMessage(TypeTraceRound, strings.Repeat("s", MaxSessionIDLen), r)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > MaxFrameSize/2 {
		t.Errorf("worst-case trace-round frame is %d bytes, more than half of MaxFrameSize %d", len(b), MaxFrameSize)
	}
	t.Logf("worst-case trace-round frame: %d bytes", len(b))
}
