package probe

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"
)

// A Trace is one traceroute run (mtr's report mode): rounds of echo requests with TTL 1..N,
// N the destination's distance once an echo reply showed it (at most MaxHops), each probe
// matched by the engine's own rules: a Time Exceeded through the request it quotes
// (identifier, sequence, token: RuleQuotedIDSeqToken), the destination's echo reply as any
// reply. The probes are an engine's requests; the trace decides only their TTL and pace.
// A caller confined to its own traffic (Policy.OwnTrafficOnly) sees only messages tied to its
// probes: a Time Exceeded quoting one of our requests is ours, every other one is counted in
// TraceResult.Foreign and dropped unseen.
type Trace struct {
	opts   TraceOptions
	policy Policy
	addr   netip.Addr
	// newConn opens the socket; tests replace it.
	newConn func(ctx context.Context, kind SocketKind, target netip.Addr, o *Options) (packetConn, error)
	// lookupAddr is the reverse DNS lookup (ReverseDNS); tests replace it.
	lookupAddr func(ctx context.Context, addr string) ([]string, error)
	// onRound is told the trace so far after each round sent in full (OnRound).
	onRound func(TraceProgress)
	// onEvent is told every event of the probes as it happens (OnEvent).
	onEvent func(Event)
}

// OnRound makes Run call f after every round it has sent in full with the trace so far, on
// the trace's own goroutine (f must return quickly: the next probe waits for it; it may keep
// the progress, which shares nothing with the trace). Call it before Run.
func (t *Trace) OnRound(f func(TraceProgress)) { t.onRound = f }

// OnEvent makes Run call f with every event of the trace's engine as it happens (sends,
// answers, losses, foreign messages; never statistics), on the trace's own goroutine, so that
// a caller can store every packet as a session's are stored (f must return quickly; it may
// keep the event). A send's TTL is the TTL (hop limit) the probe was sent with: which hop it
// probes; an answer is tied to its probe by Index. Call it before Run.
func (t *Trace) OnEvent(f func(Event)) { t.onEvent = f }

// TraceProgress is a running trace after a round: the rounds sent in full and every hop's
// figures so far, as a report would show them (reportedHops, the rate-limit notes), without
// the hops' answers and names. The probes still waiting for an answer are left out of Sent
// (as a stopped trace leaves them out): a probe in flight is not a loss.
type TraceProgress struct {
	Rounds         int        `json:"rounds"`
	DestinationHop int        `json:"destinationHop"`
	Hops           []TraceHop `json:"hops"`
}

// TraceResult is the outcome of a trace.
type TraceResult struct {
	Target string     `json:"target"`
	Addr   netip.Addr `json:"addr"`
	Socket SocketKind `json:"socket"`
	// Identifier is the echo identifier of every probe (the kernel's on datagram sockets).
	Identifier     uint16 `json:"identifier"`
	OwnTrafficOnly bool   `json:"ownTrafficOnly"`
	// Rounds is the number of rounds sent in full; MaxHops the largest TTL allowed.
	Rounds  int `json:"rounds"`
	MaxHops int `json:"maxHops"`
	// DestinationHop is the TTL at which the destination answered (0: it never did).
	DestinationHop int `json:"destinationHop"`
	// Hops is the path as mtr reports it (see reportedHops), hop i at index i-1.
	Hops []TraceHop `json:"hops"`
	// Foreign counts ICMP messages that were not answers to our probes (other processes'
	// pings and errors), which a confined caller does not see.
	Foreign uint64    `json:"foreign"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
}

// NewTrace validates opts against policy and resolves the target (system resolver only).
func NewTrace(ctx context.Context, opts TraceOptions, policy Policy) (*Trace, error) {
	if err := opts.Validate(policy); err != nil {
		return nil, err
	}
	addr, err := Resolve(ctx, opts.Target, opts.Family)
	if err != nil {
		return nil, err
	}
	if isBroadcastish(addr) {
		return nil, fmt.Errorf("%w: %s (a trace goes to one host)", ErrBroadcast, addr)
	}
	if addr.Is6() && !addr.Is4In6() && opts.probeOptions().PayloadSize() > MaxPayloadIPv6 {
		return nil, invalidf("payload size %d above the IPv6 maximum %d", opts.probeOptions().PayloadSize(), MaxPayloadIPv6)
	}
	if opts.Identifier == 0 {
		opts.Identifier = uint16(randUint64()%0xfffe) + 1
	}
	if opts.Token == 0 {
		opts.Token = randUint64() | 1
	}
	return &Trace{opts: opts, policy: policy, addr: addr, newConn: openConn, lookupAddr: defaultLookupAddr}, nil
}

// Addr is the resolved target.
func (t *Trace) Addr() netip.Addr { return t.addr }

// Options returns the options the trace runs with (identifier and token filled in).
func (t *Trace) Options() TraceOptions { return t.opts }

// hopLimiter is a socket whose TTL (hop limit) can be set between two sends.
type hopLimiter interface {
	SetHopLimit(ttl int) error
}

// ErrNoHopLimit: the socket cannot set a TTL per request (the Windows ICMP API).
var ErrNoHopLimit = errors.New("probe: this socket cannot set the TTL of each request, which a trace needs")

// Run opens the socket, sends every round and waits for the last answers (or their
// timeouts), then returns the result. Cancelling ctx ends the run early: the result then
// holds what came until then. Run may be called once.
func (t *Trace) Run(ctx context.Context) (TraceResult, error) {
	po := t.opts.probeOptions()
	conn, err := t.newConn(ctx, po.Socket, t.addr, &po)
	if err != nil {
		return TraceResult{}, err
	}
	hl, ok := conn.(hopLimiter)
	if !ok {
		conn.Close()
		return TraceResult{}, fmt.Errorf("%w (%s socket)", ErrNoHopLimit, conn.Kind())
	}
	st := newTraceState(t.opts, t.addr)
	st.onRound = t.onRound
	st.onEvent = t.onEvent
	e := newEngine(po, t.addr, conn, st.observe)
	e.ownTrafficOnly = t.policy.OwnTrafficOnly
	st.hl, st.e = hl, e
	var names *reverseNames
	if t.opts.ReverseDNS {
		names = newReverseNames(t.lookupAddr)
		st.onNewAddr = names.want
		defer names.stop()
	}
	res := TraceResult{Target: t.opts.Target, Addr: t.addr, Socket: conn.Kind(), Identifier: e.id,
		OwnTrafficOnly: t.policy.OwnTrafficOnly, MaxHops: t.opts.EffectiveMaxHops(), Start: time.Now()}

	packets := make(chan inbound, 256)
	readerDone := make(chan error, 1)
	loopDone := make(chan struct{})
	var g errgroup.Group
	g.Go(func() error {
		err := readLoop(conn, packets, loopDone)
		readerDone <- err
		return err
	})
	var stats Stats
	g.Go(func() error {
		defer conn.Close()
		defer close(loopDone)
		stats = st.loop(ctx, packets, readerDone)
		return nil
	})
	err = g.Wait()
	if errors.Is(err, ErrClosed) {
		err = nil
	}
	if err == nil {
		err = st.sendErr
	}
	res.End = time.Now()
	res.Rounds = st.roundsDone
	res.DestinationHop = st.dest
	res.Foreign = stats.Foreign
	res.Hops = reportedHops(st.hops, st.dest, res.MaxHops)
	noteRateLimits(res.Hops)
	if names != nil {
		names.fill(ctx, res.Hops)
	}
	return res, err
}

// traceProbe is an outstanding probe: its round and TTL.
type traceProbe struct{ round, ttl int }

// traceState is the trace's own state beside the engine's; only the loop goroutine uses it
// (the engine calls observe from there too).
type traceState struct {
	opts     TraceOptions
	target   netip.Addr
	e        *engine
	hl       hopLimiter
	interval time.Duration
	maxHops  int

	hops    []TraceHop
	pending map[uint64]traceProbe // request number -> probe, until answered or lost
	sending traceProbe            // the probe being sent (its EventSend names the number)
	// dest is the destination's TTL once an echo reply showed it (0 before).
	dest int
	// round and nextTTL: the probe due next; lastRoundHops paces the round (mtr's numhosts).
	round, nextTTL, lastRoundHops int
	roundsDone                    int
	sendErr                       error
	onNewAddr                     func(netip.Addr)
	onRound                       func(TraceProgress)
	onEvent                       func(Event)
}

func newTraceState(o TraceOptions, target netip.Addr) *traceState {
	return &traceState{opts: o, target: target, interval: o.EffectiveInterval(), maxHops: o.EffectiveMaxHops(),
		pending: map[uint64]traceProbe{}, round: 1, nextTTL: 1,
		lastRoundHops: min(traceFirstSpread, o.EffectiveMaxHops())}
}

func (s *traceState) hop(ttl int) *TraceHop {
	for len(s.hops) < ttl {
		s.hops = append(s.hops, TraceHop{TTL: len(s.hops) + 1})
	}
	return &s.hops[ttl-1]
}

// observe is the engine's handler: every event of the probes, on the loop's goroutine.
func (s *traceState) observe(ev Event) {
	if s.onEvent != nil && ev.Kind != EventStats {
		out := ev
		if ev.Kind == EventSend {
			out.TTL = s.sending.ttl
		}
		s.onEvent(out)
	}
	switch ev.Kind {
	case EventSend:
		s.pending[ev.Index] = s.sending
		s.hop(s.sending.ttl).Sent++
	case EventLoss:
		delete(s.pending, ev.Index)
	case EventReply, EventICMPError:
		p, ok := s.pending[ev.Index]
		if ev.Index == 0 || !ok {
			return // foreign, or a probe already answered or lost (duplicate, late)
		}
		first := ev.Class == ClassOnTime || ev.Class == ClassOutOfOrder || ev.Class == ClassICMPError
		if !first {
			return // corrupt: not an answer
		}
		delete(s.pending, ev.Index)
		h := s.hop(p.ttl)
		known := len(h.Addrs)
		h.answered(p.round, ev)
		if len(h.Addrs) > known && s.onNewAddr != nil {
			s.onNewAddr(ev.From)
		}
		if ev.Kind == EventReply && (s.dest == 0 || p.ttl < s.dest) {
			s.dest = p.ttl // the destination answers at the first TTL that reaches it
		}
	}
}

// uncountPending takes the probes still waiting for an answer out of their hops' counts
// when the trace is stopped: their answers may be on the way, and counting them as lost
// would make a stopped trace show loss nobody saw (mtr likewise leaves probes in transit
// out of its loss).
func (s *traceState) uncountPending() {
	for idx, p := range s.pending {
		s.hop(p.ttl).Sent--
		delete(s.pending, idx)
	}
}

// limit is the highest TTL a round probes: the destination's once known.
func (s *traceState) limit() int {
	if s.dest > 0 {
		return min(s.dest, s.maxHops)
	}
	return s.maxHops
}

// spacing is the time between two probes: the round's interval over the last round's hops.
func (s *traceState) spacing() time.Duration {
	return max(s.interval/time.Duration(max(s.lastRoundHops, 1)), 1)
}

// sendNext sends the probe due and moves on to the next one; it reports false once every
// round is sent.
func (s *traceState) sendNext(now time.Time) bool {
	if s.nextTTL > s.limit() {
		s.endRound(s.limit()) // the destination answered closer than this round had got
	}
	if s.round > s.opts.EffectiveRounds() {
		return false
	}
	ttl := s.nextTTL
	if err := s.hl.SetHopLimit(ttl); err != nil {
		s.sendErr = fmt.Errorf("probe: set TTL %d: %w", ttl, err)
		s.round = s.opts.EffectiveRounds() + 1
		return false
	}
	s.sending = traceProbe{round: s.round, ttl: ttl}
	s.e.send(now)
	if s.nextTTL++; s.nextTTL > s.limit() {
		s.endRound(ttl)
	}
	return s.round <= s.opts.EffectiveRounds()
}

// endRound closes the current round, which probed TTLs 1..hops.
func (s *traceState) endRound(hops int) {
	s.lastRoundHops = hops
	s.roundsDone = s.round
	s.round++
	s.nextTTL = 1
	if s.onRound != nil {
		s.onRound(s.progress())
	}
}

// progress is the trace so far (see TraceProgress): a copy of the reported hops with their
// own address lists, the pending probes taken out of Sent.
func (s *traceState) progress() TraceProgress {
	reported := reportedHops(s.hops, s.dest, s.maxHops)
	hops := make([]TraceHop, len(reported))
	for i, h := range reported {
		h.Addrs, h.Names, h.Answers = slices.Clone(h.Addrs), nil, nil
		hops[i] = h
	}
	for _, p := range s.pending {
		if p.ttl <= len(hops) {
			hops[p.ttl-1].Sent--
		}
	}
	noteRateLimits(hops)
	return TraceProgress{Rounds: s.roundsDone, DestinationHop: s.dest, Hops: hops}
}

// loop paces the probes and hands what arrives to the engine until every round is sent and
// every probe answered or lost (or ctx ends).
func (s *traceState) loop(ctx context.Context, packets <-chan inbound, readerDone <-chan error) Stats {
	e := s.e
	next := time.Now()
	more := true
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		now := time.Now()
		e.expire(now)
		if more && !now.Before(next) {
			more = s.sendNext(now)
			next = next.Add(s.spacing())
			if next.Before(now.Add(-s.spacing())) {
				next = now // far behind: no burst to catch up
			}
		}
		if !more && e.stats.s.Outstanding == 0 {
			return e.snapshot(now)
		}
		wake := e.nextExpiry()
		if more {
			wake = earliest(wake, next)
		}
		if wake.IsZero() {
			wake = now.Add(time.Hour)
		}
		timer.Reset(wake.Sub(now))
		select {
		case <-ctx.Done():
			e.drain(packets)
			s.uncountPending()
			e.loseAll("the trace was stopped before an answer", time.Now())
			return e.snapshot(time.Now())
		case err := <-readerDone:
			e.drain(packets)
			e.loseAll(stopWhy(err), time.Now())
			return e.snapshot(time.Now())
		case in := <-packets:
			timer.Stop()
			e.handleInbound(&in)
		case <-timer.C:
		}
	}
}
