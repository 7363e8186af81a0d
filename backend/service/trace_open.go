package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"echoscope/backend/agent"
	"echoscope/backend/history"
	"echoscope/backend/probe"
)

// ErrUnknownTrace: no stored trace with that id.
var ErrUnknownTrace = errors.New("unknown trace")

// OpenTrace reads a stored trace as the Path view shows it, as a job (job:done with a
// TraceView): its hops with mtr's figures as stored, and each hop's latest answers read from
// its packets, each as the inspector shows it live (the message and the probe it answers,
// matched by the quoted request). Request is its form, for "Trace again".
func (s *PingService) OpenTrace(traceID string) (JobStart, error) {
	id, err := strconv.ParseInt(traceID, 10, 64)
	if err != nil || id <= 0 {
		return JobStart{}, fmt.Errorf("%w: %q", ErrUnknownTrace, traceID)
	}
	store, err := s.history()
	if err != nil {
		return JobStart{}, err
	}
	t, err := store.Trace(s.ctx, id)
	if errors.Is(err, history.ErrNotFound) {
		return JobStart{}, fmt.Errorf("%w: %s", ErrUnknownTrace, traceID)
	}
	if err != nil {
		return JobStart{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	return s.jobs.start(JobOpen, "Opening the path to "+t.Target, UnitRows, func(ctx context.Context, report func(done, total int64)) (any, error) {
		report(0, t.Packets)
		v, err := s.storedTraceView(ctx, store, t)
		report(t.Packets, t.Packets)
		return v, err
	}), nil
}

// storedTraceView is a stored trace as the Path view shows it.
func (s *PingService) storedTraceView(ctx context.Context, store *history.Store, t history.Trace) (TraceView, error) {
	engine := t.Engine
	if label := engineLabels[agent.EngineKind(t.Engine)]; label != "" {
		engine = label // as the live view names it
	}
	sid := strconv.FormatInt(t.SessionID, 10)
	v := TraceView{Target: t.Target, Addr: t.Addr, Engine: engine, Rounds: t.Rounds, DestinationHop: t.DestinationHop,
		OwnTrafficOnly: t.OwnTrafficOnly, Foreign: t.Foreign, Hops: []TraceHopView{},
		TraceID: strconv.FormatInt(t.ID, 10), SessionID: sid, StartedAt: rfc3339Nano(t.Started), EndedAt: rfc3339Nano(t.Ended),
		Stored: true, Interrupted: t.Ended.IsZero() && !s.traceRuns.running(t.SessionID), Request: storedTraceRequest(t)}
	answers, err := store.TraceAnswers(ctx, t.SessionID, traceAnswersShown)
	if err != nil {
		return TraceView{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	for i := range t.Hops {
		h := &t.Hops[i]
		hv := hopView(h)
		for _, a := range answers[h.TTL] {
			d, err := s.Packet(sid, int(a.N))
			if err != nil {
				return TraceView{}, err
			}
			hv.Answers = append(hv.Answers, TraceAnswerView{Round: a.Round, Detail: asTraceDetail(d, engine, a.Round, a.TTL)})
		}
		v.Hops = append(v.Hops, hv)
	}
	return v, nil
}

// asTraceDetail makes a stored answer's detail read as the live Path view's (traceDetail):
// not a row of a table the Path view shows, its note naming the probe it answered.
func asTraceDetail(d PacketDetail, engine string, round, ttl int) PacketDetail {
	d.SessionID, d.Row, d.RequestRow, d.Engine = "trace", -1, -1, engine
	d.AnsweredBefore, d.Answers = []int64{}, []AnswerRef{}
	note := fmt.Sprintf("answered the probe of round %d sent with TTL %d", round, ttl)
	if d.Note != "" {
		note = d.Note + "; " + note
	}
	d.Note = note
	return d
}

// storedTraceRequest is the form a stored trace ran with: the one recorded, else one made
// from its options.
func storedTraceRequest(t history.Trace) TraceRequest {
	var r TraceRequest
	if len(t.Form) > 0 && json.Unmarshal(t.Form, &r) == nil && r.Target != "" {
		return r
	}
	var o probe.TraceOptions
	_ = json.Unmarshal(t.Options, &o)
	return TraceRequest{Target: t.Target, Rounds: o.Rounds, IntervalMs: int(o.Interval / time.Millisecond),
		MaxHops: o.MaxHops, TimeoutMs: int(o.Timeout / time.Millisecond), ReverseDNS: o.ReverseDNS}
}

// traceBriefs says which listed sessions are traces (session id -> brief).
func (s *PingService) traceBriefs(store *history.Store, list []history.Session) map[int64]history.TraceBrief {
	ids := make([]int64, len(list))
	for i, ss := range list {
		ids[i] = ss.ID
	}
	briefs, err := store.TracesOfSessions(s.ctx, ids)
	if err != nil {
		return nil // the list still shows them, as sessions
	}
	return briefs
}

// traceSummary marks a sessions-list line that is a trace: its kind, hops and the trace's id
// to open it with; a running trace's session is running, not interrupted.
func (s *PingService) traceSummary(sum *SessionSummary, sessionID int64, b history.TraceBrief) {
	sum.Kind, sum.TraceID, sum.TraceHops = SessionKindTrace, strconv.FormatInt(b.ID, 10), b.Hops
	if s.traceRuns.running(sessionID) {
		sum.Running, sum.Interrupted = true, false
	}
}
