package service

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"echoscope/backend/agent"
	"echoscope/backend/history"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// The Path view: a traceroute (probe.Trace, mtr's rounds) on the engine the Ping view uses,
// run as a job ("trace", its progress in rounds), whose result lists every hop with the
// messages that answered it as the packet inspector shows them.

// JobTrace is the trace job's kind; its progress counts rounds.
const (
	JobTrace   = "trace"
	UnitRounds = "rounds"
)

// EventTraceHops carries a running trace's figures (TraceLive) so the Path view's table fills
// in round by round, as mtr's does: at most one per traceLiveEvery per job, each at most
// MaxTraceHops hops without their answers (the answers come with the result).
const EventTraceHops EventName = "trace:hops"

// traceLiveEvery is the least time between two trace:hops events of one job.
const traceLiveEvery = 100 * time.Millisecond

// TraceLive is the trace:hops payload: a running trace's rounds and every hop's figures so
// far (probes in flight not yet counted); Hops carry no answers.
type TraceLive struct {
	JobID          string         `json:"jobId"`
	Rounds         int            `json:"rounds"`
	DestinationHop int            `json:"destinationHop"`
	Hops           []TraceHopView `json:"hops"`
}

// traceAnswersShown is how many of a hop's latest answers the view gets (the engine keeps
// probe.MaxTraceAnswersPerHop): enough to step through a few rounds in the inspector.
const traceAnswersShown = 10

// TraceRequest is what the Path view asks for. Zero values mean mtr's defaults.
type TraceRequest struct {
	Target     string `json:"target"`
	Rounds     int    `json:"rounds"`
	IntervalMs int    `json:"intervalMs"`
	MaxHops    int    `json:"maxHops"`
	// TimeoutMs is how long a probe waits for its answer (0: 5 s, mtr's grace period).
	TimeoutMs  int  `json:"timeoutMs"`
	ReverseDNS bool `json:"reverseDns"`
}

// TraceView is a finished (or stopped) trace as the Path view shows it.
type TraceView struct {
	Target string `json:"target"`
	Addr   string `json:"addr"`
	Engine string `json:"engine"`
	// Rounds sent in full; DestinationHop the destination's TTL (0: it never answered).
	Rounds         int            `json:"rounds"`
	DestinationHop int            `json:"destinationHop"`
	OwnTrafficOnly bool           `json:"ownTrafficOnly"`
	Foreign        uint64         `json:"foreign"`
	Hops           []TraceHopView `json:"hops"`
	// TraceID names the stored trace, SessionID the session of its packets (export, delete);
	// both "" when history could not store it (HistoryError says why, in words).
	TraceID      string `json:"traceId"`
	SessionID    string `json:"sessionId"`
	HistoryError string `json:"historyError"`
	// StartedAt and EndedAt are RFC 3339 ("" EndedAt: it never ended, the app stopped).
	StartedAt string `json:"startedAt"`
	EndedAt   string `json:"endedAt"`
	// Stored: reopened from history; Interrupted: stored, and the app stopped during it.
	Stored      bool `json:"stored"`
	Interrupted bool `json:"interrupted"`
	// Request is the Path form it ran with, for "Trace again".
	Request TraceRequest `json:"request"`
}

// TraceHopView is one hop: mtr's figures, the rate-limit note and its latest answers.
type TraceHopView struct {
	TTL         int      `json:"ttl"`
	Addrs       []string `json:"addrs"`
	Names       []string `json:"names"`
	Sent        int      `json:"sent"`
	Received    int      `json:"received"`
	LossPercent float64  `json:"lossPercent"`
	// Times in milliseconds; null when nothing answered.
	LastMs      *float64 `json:"lastMs"`
	AvgMs       *float64 `json:"avgMs"`
	BestMs      *float64 `json:"bestMs"`
	WorstMs     *float64 `json:"worstMs"`
	StdevMs     *float64 `json:"stdevMs"`
	RateLimited bool     `json:"rateLimited"`
	Note        string   `json:"note"`
	// Answers are the latest messages that answered this hop, newest last, each as the
	// packet inspector shows it (the message, and the probe it answers as sent).
	Answers []TraceAnswerView `json:"answers"`
}

// TraceAnswerView is one answer: the round of its probe and the inspector's detail.
type TraceAnswerView struct {
	Round  int          `json:"round"`
	Detail PacketDetail `json:"detail"`
}

// Trace starts a traceroute to req.Target as a job; the job's result is a TraceView.
// CancelJob stops it: the job then ends done, with what came until then.
func (s *PingService) Trace(req TraceRequest) (JobStart, error) {
	o := probe.TraceOptions{Target: req.Target, Rounds: req.Rounds, MaxHops: req.MaxHops,
		Interval: time.Duration(req.IntervalMs) * time.Millisecond, Timeout: time.Duration(req.TimeoutMs) * time.Millisecond,
		ReverseDNS: req.ReverseDNS}
	if req.IntervalMs < 0 || req.TimeoutMs < 0 {
		return JobStart{}, fmt.Errorf("the interval and the timeout must be positive, not %d and %d ms", req.IntervalMs, req.TimeoutMs)
	}
	// The engine's own policy judges it again (the helper's, for an agent engine); this
	// catches what anyone would refuse before a job starts.
	if err := o.Validate(probe.RootPolicy()); err != nil {
		return JobStart{}, err
	}
	engine, einfo, err := s.engines.get()
	if err != nil {
		return JobStart{}, err
	}
	total := int64(o.EffectiveRounds())
	return s.jobs.start(JobTrace, "Tracing the path to "+req.Target, UnitRounds, func(ctx context.Context, report func(done, total int64)) (any, error) {
		report(0, total)
		id := jobID(ctx)
		// Kept in history as it runs (trace_store.go); a history that refuses it does not stop it.
		rec, recErr := s.beginTraceRecord(req, o, einfo.Kind)
		var onEvent func(probe.Event) // nil: the helper need not send the events
		if rec != nil {
			onEvent = rec.event
		}
		var liveSent time.Time
		res, err := agent.RunTraceEvents(ctx, engine, o, func(p probe.TraceProgress) {
			report(int64(p.Rounds), total)
			if rec != nil {
				rec.progress(p)
			}
			if now := time.Now(); len(p.Hops) > 0 && now.Sub(liveSent) >= traceLiveEvery {
				liveSent = now
				s.cfg.Emitter.Emit(EventTraceHops, traceLive(id, p))
			}
		}, onEvent)
		if rec != nil {
			if res.Start.IsZero() {
				recErr = s.dropTraceRecord(rec) // nothing ran (a refusal, a DNS failure): nothing to keep
			} else {
				recErr = s.finishTraceRecord(rec, res)
			}
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			var re *agent.RemoteError
			if errors.As(err, &re) {
				return nil, fmt.Errorf("the helper refused: %s", re.Body.Message)
			}
			if errors.Is(err, probe.ErrResolve) {
				return nil, dnsError(req.Target, err)
			}
			return nil, err
		}
		v := traceView(res, einfo.Label, o.EffectiveTimeout())
		v.Request, v.StartedAt, v.EndedAt = req, rfc3339Nano(res.Start), rfc3339Nano(res.End)
		if rec != nil {
			v.TraceID, v.SessionID = strconv.FormatInt(rec.traceID, 10), strconv.FormatInt(rec.sessionID, 10)
		}
		if recErr != nil {
			v.HistoryError = "this trace could not be kept in history: " + recErr.Error()
		}
		return v, nil
	}), nil
}

// traceView turns a result into the view, each answer into a PacketDetail.
func traceView(res probe.TraceResult, engine string, timeout time.Duration) TraceView {
	v := TraceView{Target: res.Target, Engine: engine, Rounds: res.Rounds, DestinationHop: res.DestinationHop,
		OwnTrafficOnly: res.OwnTrafficOnly, Foreign: res.Foreign, Hops: []TraceHopView{}}
	if res.Addr.IsValid() {
		v.Addr = res.Addr.String()
	}
	fam := wire.IPv4
	if res.Addr.Is6() && !res.Addr.Is4In6() {
		fam = wire.IPv6
	}
	sc := sessionContext{family: fam, engine: engine, socket: res.Socket.String(), target: v.Addr,
		timeout: ms(timeout)}
	for i := range res.Hops {
		h := &res.Hops[i]
		hv := hopView(h)
		answers := h.Answers[max(0, len(h.Answers)-traceAnswersShown):]
		for _, a := range answers {
			hv.Answers = append(hv.Answers, TraceAnswerView{Round: a.Round, Detail: traceDetail(a, sc)})
		}
		v.Hops = append(v.Hops, hv)
	}
	return v
}

// traceLive is a running trace's progress as the trace:hops event carries it.
func traceLive(id string, p probe.TraceProgress) TraceLive {
	v := TraceLive{JobID: id, Rounds: p.Rounds, DestinationHop: p.DestinationHop, Hops: make([]TraceHopView, 0, len(p.Hops))}
	for i := range p.Hops {
		v.Hops = append(v.Hops, hopView(&p.Hops[i]))
	}
	return v
}

// hopView is one hop's figures as the view shows them, without its answers.
func hopView(h *probe.TraceHop) TraceHopView {
	hv := TraceHopView{TTL: h.TTL, Addrs: []string{}, Names: []string{}, Sent: h.Sent, Received: h.Received,
		LossPercent: h.LossPercent(), RateLimited: h.RateLimited, Note: h.Note, Answers: []TraceAnswerView{}}
	for k, a := range h.Addrs {
		hv.Addrs = append(hv.Addrs, a.String())
		name := ""
		if k < len(h.Names) {
			name = h.Names[k]
		}
		hv.Names = append(hv.Names, name)
	}
	if h.Received > 0 {
		hv.LastMs, hv.AvgMs, hv.BestMs, hv.WorstMs, hv.StdevMs = msPtr(h.Last), msPtr(h.Avg), msPtr(h.Best), msPtr(h.Worst), msPtr(h.StDev)
	}
	return hv
}

func msPtr(d time.Duration) *float64 {
	v := ms(d)
	return &v
}

// traceDetail is one answer as the inspector shows a reply or ICMP error row: the message as
// received and the probe it answers as sent (no history rows to link: a trace is not stored).
func traceDetail(a probe.TraceAnswer, sc sessionContext) PacketDetail {
	d := detailOf("trace", history.PacketFromEvent(a.Event), sc)
	d.Row = -1
	d.RequestHex = hex.EncodeToString(a.Event.Request)
	if !a.Event.Sent.IsZero() {
		d.SentAt, d.SentClock = rfc3339Nano(a.Event.Sent.Time), string(a.Event.Sent.Clock)
	}
	d.Note = fmt.Sprintf("answered the probe of round %d sent with TTL %d", a.Round, a.TTL)
	if a.Event.Note != "" {
		d.Note = a.Event.Note + "; " + d.Note
	}
	return d
}
