package agent

import (
	"context"
	"fmt"
	"time"

	"echoscope/backend/probe"
)

// A trace through the helper: the client sends the trace's options (probe.TraceOptions,
// every number bounded by probe.TraceOptionBounds and the caller's policy); the helper
// sends the probes and sets each one's TTL itself, so a caller never chooses a TTL, only how
// far (maxHops), how often and how many. A running trace counts as a session: against
// MaxSessions, and with its fastest pace (maxHops probes per interval) against the caller's
// total rate; stop ends it early. At the end the helper sends each kept answer in a
// trace-answer frame of its own (an answer carries up to two packets: one frame each stays
// far below MaxFrameSize whatever the payload size), then one traced frame with the result
// whose hops' answers are left out. A trace-round frame after each round lets the client
// show progress: the rounds done and, at most every traceFiguresEvery, every hop's figures
// so far (probe.TraceProgress, at most MaxTraceHops hops without their answers: a few
// hundred KB at worst, far below MaxFrameSize), so a fast trace's frames stay few and small.

// TraceRunner is one trace as the server drives it; *probe.Trace satisfies it.
type TraceRunner interface {
	OnRound(func(probe.TraceProgress))
	Run(ctx context.Context) (probe.TraceResult, error)
}

// TraceRound reports progress: how many rounds are sent in full and, when Hops is not
// empty, the figures of every hop so far (see probe.TraceProgress).
type TraceRound struct {
	Rounds         int              `json:"rounds"`
	DestinationHop int              `json:"destinationHop,omitempty"`
	Hops           []probe.TraceHop `json:"hops,omitempty"`
}

// traceFiguresEvery is the least time between two trace-round frames that carry figures: a
// person reads a table changing ten times a second at most; a 1 ms round would otherwise
// send a thousand tables a second.
const traceFiguresEvery = 100 * time.Millisecond

// roundFrame is progress p as a trace-round frame: with the hops' figures when the last
// figures went at least traceFiguresEvery before now (*last then moves to now).
func roundFrame(p probe.TraceProgress, now time.Time, last *time.Time) TraceRound {
	r := TraceRound{Rounds: p.Rounds}
	if len(p.Hops) > 0 && now.Sub(*last) >= traceFiguresEvery {
		r.DestinationHop, r.Hops, *last = p.DestinationHop, p.Hops, now
	}
	return r
}

// TraceFactory validates and resolves a trace (see ServerConfig.NewTrace).
type TraceFactory func(ctx context.Context, o probe.TraceOptions, p probe.Policy) (TraceRunner, error)

// ProbeTraces is the real TraceFactory.
func ProbeTraces(ctx context.Context, o probe.TraceOptions, p probe.Policy) (TraceRunner, error) {
	return probe.NewTrace(ctx, o, p)
}

// traceFactory is the server's: the configured one; the real one when sessions are real
// too (NewSession left nil, as in the helper); none when a test substituted sessions and not
// traces, so a test server (FuzzServe's) never sends a real probe.
func (s *server) traceFactory() TraceFactory {
	switch {
	case s.cfg.NewTrace != nil:
		return s.cfg.NewTrace
	case s.realSessions:
		return ProbeTraces
	}
	return nil
}

// TraceRequest asks for a trace.
type TraceRequest struct {
	Options probe.TraceOptions `json:"options"`
	// Events asks for every event of the probes as it happens, one trace-event frame each
	// (probe.Trace.OnEvent): sends (with the TTL they went with), answers and losses, so the
	// app stores a trace's packets as a session's. Off for the CLI, which needs only the report.
	Events bool `json:"events,omitempty"`
}

// eventTracer is a TraceRunner that can tell every event (*probe.Trace can).
type eventTracer interface {
	OnEvent(func(probe.Event))
}

// TraceDone ends a trace: its result (answers sent apart, see above) or why it failed.
type TraceDone struct {
	Result probe.TraceResult `json:"result"`
	Error  string            `json:"error,omitempty"`
}

// traceRate is the most probes per second a trace may send: maxHops per interval.
func traceRate(o probe.TraceOptions) float64 {
	return float64(o.EffectiveMaxHops()) * float64(time.Second) / float64(o.EffectiveInterval())
}

func (s *server) trace(ctx context.Context, m Message) {
	id := m.Session
	var req TraceRequest
	if !s.decodeRequest(m, "session", "trace", &req) {
		return
	}
	if err := req.Options.Validate(s.cfg.Policy); err != nil {
		s.refuse(id, engineCode(err), err)
		return
	}
	factory := s.traceFactory()
	if factory == nil {
		s.refuse(id, CodeUnknownType, fmt.Errorf("this server runs no traces"))
		return
	}
	rate := traceRate(req.Options)
	s.launch(ctx, id, running{rate: rate}, fmt.Sprintf("a trace of %.0f more would pass", rate),
		func(ctx context.Context, _ context.CancelFunc) { s.runTrace(ctx, id, req, factory) })
}

// runTrace resolves, runs and reports one admitted trace.
func (s *server) runTrace(ctx context.Context, id string, req TraceRequest, factory TraceFactory) {
	tr, err := factory(ctx, req.Options, s.cfg.Policy)
	if err != nil {
		s.forget(id)
		s.refuse(id, engineCode(err), err)
		return
	}
	var figuresSent time.Time
	tr.OnRound(func(p probe.TraceProgress) { _ = s.send(TypeTraceRound, id, roundFrame(p, time.Now(), &figuresSent)) })
	if et, ok := tr.(eventTracer); ok && req.Events {
		et.OnEvent(func(ev probe.Event) { _ = s.send(TypeTraceEvent, id, ev) })
	}
	res, err := tr.Run(ctx)
	if err != nil && res.Start.IsZero() {
		s.forget(id) // nothing ran: no socket, no TTL
		s.refuse(id, engineCode(err), err)
		return
	}
	for i := range res.Hops {
		for _, a := range res.Hops[i].Answers {
			_ = s.send(TypeTraceAnswer, id, a)
		}
		res.Hops[i].Answers = nil
	}
	done := TraceDone{Result: res}
	if err != nil {
		done.Error = err.Error()
	}
	s.forget(id)
	_ = s.send(TypeTraced, id, done)
}
