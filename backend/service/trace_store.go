package service

import (
	"context"
	"encoding/json"
	"net/netip"
	"sync"
	"time"

	"echoscope/backend/history"
	"echoscope/backend/probe"
)

// Every trace the Path view runs is kept in history (history/traces.go): a session holding
// every packet of its probes, written by the store's Writer as each event happens (so a trace
// killed mid-run keeps what was committed, as a session does), and a traces row holding its
// options, its form and mtr's figures, rewritten at most every traceFiguresEvery while it runs
// (off the probes' goroutine) and once more at the end.

// traceFiguresEvery is the least time between two writes of a running trace's figures.
const traceFiguresEvery = time.Second

// traceRecord stores one running trace.
type traceRecord struct {
	handle    *storeHandle
	traceID   int64
	sessionID int64
	maxHops   int

	mu     sync.Mutex
	addr   netip.Addr
	latest *probe.TraceProgress // figures not yet stored (nil: none new)
	wake   chan struct{}        // a new progress came
	quit   chan struct{}        // the trace ended: stop saving
	saved  chan struct{}        // closed when the saver returned
}

// beginTraceRecord stores the trace's start (falling back to the in-memory store as a
// session does when the disk refuses it) and starts the saver of its figures. A trace whose
// history cannot be stored at all still runs: it returns nil and the error.
func (s *PingService) beginTraceRecord(req TraceRequest, o probe.TraceOptions, engine string) (*traceRecord, error) {
	h, err := s.storeHandle()
	if err != nil {
		return nil, err
	}
	form, _ := json.Marshal(req)
	info := history.TraceInfo{Target: req.Target, Engine: engine, Options: o, Form: form,
		Probe: probe.Options{Target: req.Target, Timeout: o.EffectiveTimeout(), Family: o.Family}, Started: time.Now()}
	tid, sid, err := h.store.BeginTrace(s.ctx, info)
	if err != nil && !h.inMemory {
		if h, err = s.fallBack(err); err == nil {
			tid, sid, err = h.store.BeginTrace(s.ctx, info)
		}
	}
	if err != nil {
		return nil, err
	}
	r := &traceRecord{handle: h, traceID: tid, sessionID: sid, maxHops: o.EffectiveMaxHops(),
		wake: make(chan struct{}, 1), quit: make(chan struct{}), saved: make(chan struct{})}
	s.traceRuns.add(sid)
	go r.saveFigures()
	return r, nil
}

// event stores one event of the probes (on the trace's goroutine: never blocks).
func (r *traceRecord) event(ev probe.Event) {
	if ev.Kind == probe.EventSend && ev.To.IsValid() {
		r.mu.Lock()
		if !r.addr.IsValid() {
			r.addr = ev.To
		}
		r.mu.Unlock()
	}
	r.handle.writer.Add(r.sessionID, ev)
}

// progress hands the latest figures to the saver (on the trace's goroutine: never blocks).
func (r *traceRecord) progress(p probe.TraceProgress) {
	if len(p.Hops) == 0 {
		return
	}
	r.mu.Lock()
	r.latest = &p
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// saveFigures writes the latest figures, at most every traceFiguresEvery, until quit.
func (r *traceRecord) saveFigures() {
	defer close(r.saved)
	var last time.Time
	for {
		select {
		case <-r.quit:
			return
		case <-r.wake:
		}
		if wait := traceFiguresEvery - time.Since(last); wait > 0 {
			select {
			case <-r.quit:
				return
			case <-time.After(wait):
			}
		}
		r.mu.Lock()
		p, addr := r.latest, r.addr
		r.latest = nil
		r.mu.Unlock()
		if p == nil {
			continue
		}
		last = time.Now()
		f := history.TraceFigures{Addr: addrOrEmpty(addr), Rounds: p.Rounds, DestinationHop: p.DestinationHop, MaxHops: r.maxHops, Hops: p.Hops}
		_ = r.handle.store.StoreTraceFigures(context.Background(), r.traceID, f) // best effort: the end stores them again
	}
}

// finish stores the result: the packets first (the writer flushed), then the final figures
// and the session's end. It reports the first failure, for the view to say.
func (s *PingService) finishTraceRecord(r *traceRecord, res probe.TraceResult) error {
	close(r.quit)
	<-r.saved
	defer s.traceRuns.remove(r.sessionID)
	flushErr := r.handle.writer.Flush(context.Background())
	addr := res.Addr
	if !addr.IsValid() {
		r.mu.Lock()
		addr = r.addr
		r.mu.Unlock()
	}
	f := history.TraceFigures{Addr: addrOrEmpty(addr), Socket: res.Socket, Rounds: res.Rounds, DestinationHop: res.DestinationHop,
		MaxHops: res.MaxHops, OwnTrafficOnly: res.OwnTrafficOnly, Foreign: res.Foreign, Hops: res.Hops}
	end := res.End
	if end.IsZero() {
		end = time.Now()
	}
	if err := r.handle.store.FinishTrace(context.Background(), r.traceID, f, end); err != nil {
		return err
	}
	return flushErr
}

func addrOrEmpty(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// traceRuns are the sessions of the traces running now (a running trace's session is listed
// as running and cannot be deleted).
type traceRuns struct {
	mu  sync.Mutex
	ids map[int64]bool
}

func (t *traceRuns) add(id int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ids == nil {
		t.ids = map[int64]bool{}
	}
	t.ids[id] = true
}

func (t *traceRuns) remove(id int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.ids, id)
}

func (t *traceRuns) running(id int64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ids[id]
}

// dropTraceRecord removes the record of a trace that never ran (refused, or its target
// did not resolve): no packet, no figure, nothing to reopen.
func (s *PingService) dropTraceRecord(r *traceRecord) error {
	close(r.quit)
	<-r.saved
	defer s.traceRuns.remove(r.sessionID)
	_ = r.handle.writer.Flush(context.Background())
	return r.handle.store.DeleteSession(context.Background(), r.sessionID)
}
