package service

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"echoscope/backend/agent"
	"echoscope/backend/history"
	"echoscope/backend/probe"
)

// ErrUnknownMonitor: no monitor with that id.
var ErrUnknownMonitor = errors.New("unknown monitor")

// liveMonitor is one running monitor: a liveSession per target (stored, streamed and
// inspected exactly as a single ping's), one engine run for all of them.
type liveMonitor struct {
	id       int64
	info     MonitorInfo
	run      agent.MonitorRun
	targets  []*liveSession
	stopped  bool
	stopOnce sync.Once // every target's Stop lands here; the run is stopped once
	mu       sync.Mutex
	done     chan struct{} // closed when the engine delivered its last event
	streamed chan struct{} // closed after the last frames went out
}

// monitorTargetRun is one target's view of the monitor's run, so that a target's
// liveSession is driven as a single session's: Stop stops the whole monitor (its targets
// share the run); Wait is not used (the monitor's await finishes every target).
type monitorTargetRun struct {
	m      *liveMonitor
	addr   netip.Addr
	socket probe.SocketKind
}

func (r monitorTargetRun) Addr() netip.Addr             { return r.addr }
func (r monitorTargetRun) SocketKind() probe.SocketKind { return r.socket }
func (r monitorTargetRun) Stop() error                  { return r.m.stop() }
func (r monitorTargetRun) Wait(ctx context.Context) (probe.Summary, error) {
	select {
	case <-r.m.done:
		return probe.Summary{}, nil
	case <-ctx.Done():
		return probe.Summary{}, ctx.Err()
	}
}

func (m *liveMonitor) stop() error {
	select {
	case <-m.done:
		return nil
	default:
	}
	m.mu.Lock()
	m.stopped = true
	m.mu.Unlock()
	for _, ls := range m.targets {
		ls.stopped.Store(true)
	}
	var err error
	m.stopOnce.Do(func() { err = m.run.Stop() })
	return err
}

// monitorTargets checks the form's targets: at least one, at most MaxMonitorTargets, each
// a host name or address (blank entries are a mistake, not skipped: they shift indices).
func monitorTargets(raw []string) ([]string, error) {
	if len(raw) == 0 {
		return nil, invalidRequest("a monitor needs at least one target")
	}
	if len(raw) > MaxMonitorTargets {
		return nil, invalidRequest("%d targets is more than a monitor takes (%d, a /22)", len(raw), MaxMonitorTargets)
	}
	out := make([]string, len(raw))
	for i, t := range raw {
		t = strings.TrimSpace(t)
		if err := checkHost(t); err != nil {
			return nil, fmt.Errorf("target %d: %w", i+1, err)
		}
		out[i] = t
	}
	return out, nil
}

// resolveAll resolves every target at once (bounded to 16 lookups in flight), each with the
// service's resolve timeout; the first failure, in target order, is the error.
func (s *PingService) resolveAll(targets []string, fam probe.Family) ([]netip.Addr, error) {
	addrs := make([]netip.Addr, len(targets))
	errs := make([]error, len(targets))
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ResolveTimeout)
			defer cancel()
			addrs[i], errs[i] = probe.Resolve(ctx, t, fam)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("target %d: %w", i+1, dnsError(targets[i], err))
		}
	}
	return addrs, nil
}

// StartMonitor validates the form, resolves every target and starts one monitor on the
// engine single pings use (the helper's or this process's), stored as one session per
// target plus the monitor. Each target's frames reach the page as a session's do (the
// frame feed, keyed by its session id), then its "ping:ended"; "monitor:ended" comes last.
func (s *PingService) StartMonitor(req MonitorRequest) (MonitorInfo, error) {
	targets, err := monitorTargets(req.Targets)
	if err != nil {
		return MonitorInfo{}, err
	}
	form := req.Options
	form.Target = targets[0]
	opts, err := form.options()
	if err != nil {
		return MonitorInfo{}, err
	}
	engine, einfo, err := s.engines.get()
	if err != nil {
		return MonitorInfo{}, err
	}
	me, ok := engine.(agent.MonitorEngine)
	if !ok {
		return MonitorInfo{}, fmt.Errorf("the %s engine cannot run a monitor", einfo.Kind)
	}
	h, err := s.storeHandle()
	if err != nil {
		return MonitorInfo{}, err
	}
	addrs, err := s.resolveAll(targets, opts.Family)
	if err != nil {
		return MonitorInfo{}, err
	}
	// Statistics once per interval per target at most: a single session's 100 ms snapshots
	// times 100 targets would be 1000 events and up to 1000 frames a second for figures
	// that change once per request (and the feed keeps only its newest 250 frames).
	opts.StatsEvery = max(s.cfg.StatsEvery, opts.EffectiveInterval())
	opts.Target = ""
	mo := probe.MonitorOptions{Targets: make([]string, len(addrs)), Options: opts}
	started := time.Now()
	sessions := make([]history.SessionInfo, len(addrs))
	for i, a := range addrs {
		mo.Targets[i] = a.String() // the engine gets addresses: no second, maybe different, DNS answer
		o := opts
		o.Target = a.String()
		sessions[i] = history.SessionInfo{Target: targets[i], Addr: a.String(), Engine: einfo.Kind, Options: o, Started: started}
	}
	minfo := history.MonitorInfo{Targets: targets, Engine: einfo.Kind, Options: mo, Started: started}
	mid, ids, err := h.store.BeginMonitor(s.ctx, minfo, sessions)
	if err != nil && !h.inMemory {
		if h, err = s.fallBack(err); err == nil {
			mid, ids, err = h.store.BeginMonitor(s.ctx, minfo, sessions)
		}
	}
	if err != nil {
		return MonitorInfo{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	lm := &liveMonitor{id: mid, done: make(chan struct{}), streamed: make(chan struct{}),
		info: MonitorInfo{ID: strconv.FormatInt(mid, 10), Engine: einfo.Kind, StartedAt: rfc3339Nano(started), Running: true}}
	for i, a := range addrs {
		lm.targets = append(lm.targets, newLiveSession(ids[i], targets[i], a, sessions[i].Options, einfo.Kind, h, started))
	}
	run, err := me.StartMonitor(s.ctx, mo, func(i int, ev probe.Event) {
		if i >= 0 && i < len(lm.targets) {
			lm.targets[i].handleEvent(ev)
		}
	})
	if err != nil {
		for _, id := range ids {
			_ = h.store.DeleteSession(context.Background(), id)
		}
		_ = h.store.DeleteMonitor(context.Background(), mid)
		return MonitorInfo{}, startError(err)
	}
	lm.run = run
	opened := run.Targets()
	for i, ls := range lm.targets {
		socket := probe.SocketAuto
		if i < len(opened) {
			socket = opened[i].Socket
		}
		ls.attach(monitorTargetRun{m: lm, addr: addrs[i], socket: socket})
		_ = h.store.SetSocket(s.ctx, ls.id, socket) // best effort, as Start
		lm.info.Targets = append(lm.info.Targets, ls.info)
	}
	s.mu.Lock()
	for _, ls := range lm.targets {
		s.sessions[ls.id] = ls
	}
	if s.monitors == nil {
		s.monitors = map[int64]*liveMonitor{}
	}
	s.monitors[mid] = lm
	s.mu.Unlock()
	s.wg.Add(2)
	var frames Emitter = s.cfg.Emitter
	if s.cfg.Frames != nil {
		frames = feedEmitter{Emitter: s.cfg.Emitter, feed: s.cfg.Frames}
	}
	go func() { defer s.wg.Done(); lm.streamFrames(frames, s.cfg.FrameEvery) }()
	go func() { defer s.wg.Done(); s.awaitMonitor(lm) }()
	return lm.info, nil
}

// streamFrames emits, every period, a frame for each target that has something new (one
// goroutine and one ticker for the whole monitor, however many targets), and the last
// frames once the monitor ended.
func (m *liveMonitor) streamFrames(em Emitter, every time.Duration) {
	defer close(m.streamed)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			for _, ls := range m.targets {
				ls.emitFrame(em)
			}
		case <-m.done:
			for _, ls := range m.targets {
				ls.emitFrame(em)
				close(ls.framesDone)
			}
			return
		}
	}
}

// awaitMonitor waits for the monitor's end, stores every target's summary and the
// monitor's, and reports each target's end, then the monitor's.
func (s *PingService) awaitMonitor(m *liveMonitor) {
	sum, err := m.run.Wait(context.Background())
	for _, ls := range m.targets {
		ls.finish()
	}
	close(m.done)
	if len(m.targets) > 0 {
		// The targets share one store handle and its writer.
		_ = m.targets[0].handle.writer.Flush(context.Background())
	}
	<-m.streamed
	m.mu.Lock()
	stopped := m.stopped
	m.mu.Unlock()
	reason := "done"
	if stopped {
		reason = "stopped"
	}
	errText := ""
	if err != nil {
		reason, errText = "failed", err.Error()
		if errors.Is(err, agent.ErrHelperExited) {
			errText = "the echoscope-ping helper died during the monitor: " + err.Error()
		}
	}
	for i, ls := range m.targets {
		end := Ended{SessionID: ls.info.ID, TotalRows: ls.batcher.total(), Reason: reason, Error: errText}
		if i < len(sum.Targets) && (sum.Targets[i].Sent > 0 || err == nil) {
			end.Stats = statsView(sum.Targets[i].Stats)
			fErr := ls.handle.store.FinishSession(context.Background(), ls.id, sum.Targets[i])
			if fErr != nil && end.Error == "" && ls.handle.writeFailure() == "" {
				end.Error = "the target ran but its summary could not be stored: " + fErr.Error()
			}
		}
		s.cfg.Emitter.Emit(EventPingEnded, end)
	}
	if len(m.targets) > 0 {
		_ = m.targets[0].handle.store.FinishMonitor(context.Background(), m.id, sum.End, sum.Unattributed)
	}
	m.mu.Lock()
	m.info.Running = false
	m.info.Unattributed = sum.Unattributed
	m.info.EndedAt = rfc3339Nano(sum.End)
	m.mu.Unlock()
	s.cfg.Emitter.Emit(EventMonitorEnded, MonitorEnded{MonitorID: m.info.ID, Reason: reason, Error: errText, Unattributed: sum.Unattributed})
}

// StopMonitor ends a running monitor early (every target); the targets' "ping:ended" and
// "monitor:ended" follow. Stopping a monitor that already ended is not an error.
func (s *PingService) StopMonitor(monitorID string) error {
	n, err := strconv.ParseInt(monitorID, 10, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("%w: %q", ErrUnknownMonitor, monitorID)
	}
	s.mu.Lock()
	m := s.monitors[n]
	s.mu.Unlock()
	if m == nil {
		return fmt.Errorf("%w: %s", ErrUnknownMonitor, monitorID)
	}
	return m.stop()
}

// OpenMonitor reopens a stored (or running) monitor: its description and, per target, the
// session as OpenSession gives it (statistics, row count, whole chart). Rows and packets
// are then paged and inspected per target session with Rows and Packet.
func (s *PingService) OpenMonitor(monitorID string) (MonitorView, error) {
	n, err := strconv.ParseInt(monitorID, 10, 64)
	if err != nil || n <= 0 {
		return MonitorView{}, fmt.Errorf("%w: %q", ErrUnknownMonitor, monitorID)
	}
	store, err := s.history()
	if err != nil {
		return MonitorView{}, err
	}
	s.mu.Lock()
	live := s.monitors[n]
	s.mu.Unlock()
	if live != nil && len(live.targets) > 0 {
		store = live.targets[0].handle.store // where it is being written (maybe the in-memory fallback)
	}
	m, err := store.Monitor(s.ctx, n)
	if errors.Is(err, history.ErrNotFound) {
		return MonitorView{}, fmt.Errorf("%w: %s", ErrUnknownMonitor, monitorID)
	}
	if err != nil {
		return MonitorView{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	view := MonitorView{Info: MonitorInfo{ID: monitorID, Engine: m.Engine, StartedAt: rfc3339Nano(m.Started),
		EndedAt: rfc3339Nano(m.Ended), Unattributed: m.Unattributed}, Targets: []SessionView{}}
	if live != nil {
		live.mu.Lock()
		view.Info.Running = live.info.Running
		live.mu.Unlock()
	}
	for _, sid := range m.SessionIDs {
		sv, err := s.openSession(s.ctx, strconv.FormatInt(sid, 10), func(int64, int64) {})
		if err != nil {
			return MonitorView{}, fmt.Errorf("monitor %s, session %d: %w", monitorID, sid, err)
		}
		view.Info.Targets = append(view.Info.Targets, sv.Info)
		view.Targets = append(view.Targets, sv)
	}
	return view, nil
}
