package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"echoscope/backend/probe"
)

// pendingTrace is a trace waiting for its traced (or error) frame; the reader goroutine
// collects its trace-answer frames meanwhile.
type pendingTrace struct {
	answers []probe.TraceAnswer
	onRound func(probe.TraceProgress)
	onEvent func(probe.Event)
	done    chan traceAnswer
}

type traceAnswer struct {
	res probe.TraceResult
	err error
}

// Trace runs a traceroute in the helper and returns its result with every kept answer in
// its hop; onRound (may be nil) is told the rounds done as they end, on the client's reader
// goroutine, with the hops' figures so far when the frame carries them (Hops empty when not:
// the helper sends figures at most every traceFiguresEvery). Cancelling ctx stops the trace; the result then holds what came until then. A
// refusal is a *RemoteError (invalid-option, policy: a pace above the caller's rate, ...).
func (c *Client) Trace(ctx context.Context, o probe.TraceOptions, onRound func(probe.TraceProgress)) (probe.TraceResult, error) {
	return c.TraceEvents(ctx, o, onRound, nil)
}

// TraceEvents is Trace that also tells onEvent (when not nil) every event of the probes as the
// helper sends it (TraceRequest.Events), on the client's reader goroutine, all of them before
// it returns.
func (c *Client) TraceEvents(ctx context.Context, o probe.TraceOptions, onRound func(probe.TraceProgress), onEvent func(probe.Event)) (probe.TraceResult, error) {
	id := "t" + strconv.FormatUint(c.nextID.Add(1), 10)
	p := &pendingTrace{done: make(chan traceAnswer, 1), onRound: onRound, onEvent: onEvent}
	if err := c.track(func() { c.traces[id] = p }); err != nil {
		return probe.TraceResult{}, err
	}
	if err := c.send(TypeTrace, id, TraceRequest{Options: o, Events: onEvent != nil}); err != nil {
		c.mu.Lock()
		delete(c.traces, id)
		c.mu.Unlock()
		return probe.TraceResult{}, err
	}
	select {
	case a := <-p.done:
		return a.res, a.err
	case <-ctx.Done():
		// Stop it and take what it has: the helper ends the trace and sends its result.
		// A stop that crosses the end is refused (no such session), which changes nothing.
		_ = c.send(TypeStop, id, nil)
		a := <-p.done
		return a.res, a.err
	}
}

// answerTrace handles a frame of a pending trace and reports whether m was one.
func (c *Client) answerTrace(m Message) bool {
	c.mu.Lock()
	p, ok := c.traces[m.Session]
	if ok && (m.Type == TypeTraced || m.Type == TypeError) {
		delete(c.traces, m.Session)
	}
	c.mu.Unlock()
	if !ok {
		return false
	}
	var a traceAnswer
	switch m.Type {
	case TypeTraceRound:
		var r TraceRound
		if err := json.Unmarshal(m.Body, &r); err == nil && p.onRound != nil {
			p.onRound(probe.TraceProgress{Rounds: r.Rounds, DestinationHop: r.DestinationHop, Hops: r.Hops})
		}
		return true
	case TypeTraceEvent:
		var ev probe.Event
		if err := json.Unmarshal(m.Body, &ev); err == nil && p.onEvent != nil {
			p.onEvent(ev)
		}
		return true
	case TypeTraceAnswer:
		var ans probe.TraceAnswer
		if err := json.Unmarshal(m.Body, &ans); err == nil && len(p.answers) < maxTraceAnswersKept {
			p.answers = append(p.answers, ans)
		}
		return true
	case TypeTraced:
		var d TraceDone
		if err := json.Unmarshal(m.Body, &d); err != nil {
			a.err = fmt.Errorf("agent: bad traced frame: %w", err)
			break
		}
		a.res = d.Result
		for _, ans := range p.answers {
			if ans.TTL >= 1 && ans.TTL <= len(a.res.Hops) {
				h := &a.res.Hops[ans.TTL-1]
				h.Answers = append(h.Answers, ans)
			}
		}
		if d.Error != "" {
			a.err = errors.New(d.Error)
		}
	case TypeError:
		a.err = remoteErrorOf(m.Body)
	default:
		return true // a stray frame for a trace id: nothing else can own it
	}
	p.done <- a
	return true
}

// maxTraceAnswersKept bounds what a client keeps of one trace whatever the helper sends:
// every hop's answers at most (probe.MaxTraceHops x probe.MaxTraceAnswersPerHop).
const maxTraceAnswersKept = probe.MaxTraceHops * probe.MaxTraceAnswersPerHop

// failTraces ends every pending trace with err (the helper is gone).
func failTraces(traces map[string]*pendingTrace, err error) {
	for _, p := range traces {
		p.done <- traceAnswer{err: err}
	}
}

// RunTrace runs a trace on engine e: through the helper, or in this process with the
// engine's own socket kind and policy; onRound (may be nil) is told the rounds done, with the
// hops' figures so far: after every round in this process, at most every traceFiguresEvery
// through the helper.
func RunTrace(ctx context.Context, e Engine, o probe.TraceOptions, onRound func(probe.TraceProgress)) (probe.TraceResult, error) {
	return RunTraceEvents(ctx, e, o, onRound, nil)
}

// RunTraceEvents is RunTrace that also tells onEvent (when not nil) every event of the
// probes as it happens (probe.Trace.OnEvent), through the helper as in this process; every
// one is told before it returns.
func RunTraceEvents(ctx context.Context, e Engine, o probe.TraceOptions, onRound func(probe.TraceProgress), onEvent func(probe.Event)) (probe.TraceResult, error) {
	switch e := e.(type) {
	case *agentEngine:
		return e.client.TraceEvents(ctx, o, onRound, onEvent)
	case *localEngine:
		if o.Socket == probe.SocketAuto {
			o.Socket = e.kind
		}
		tr, err := probe.NewTrace(ctx, o, e.policy)
		if err != nil {
			return probe.TraceResult{}, err
		}
		if onRound != nil {
			tr.OnRound(onRound)
		}
		if onEvent != nil {
			tr.OnEvent(onEvent)
		}
		return tr.Run(ctx)
	}
	return probe.TraceResult{}, fmt.Errorf("agent: engine %T cannot trace", e)
}
