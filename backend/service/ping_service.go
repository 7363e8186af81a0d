package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"echoscope/backend/agent"
	"echoscope/backend/history"
	"echoscope/backend/probe"
)

// PingConfig wires a PingService.
type PingConfig struct {
	Emitter Emitter
	// OpenStore opens the packet history; nil means history.Open (the user's data directory,
	// ECHOSCOPE_DATA_DIR overrides). Opened on first use, so a broken disk is an error
	// message in the window, not a dead app.
	OpenStore func() (*history.Store, error)
	// StorePath is the database file OpenStore opens, for messages when it fails; empty
	// means the default location.
	StorePath string
	// Dialogs are the native file dialogs of export and import; nil means the Wails
	// runtime's, with the context of a *RuntimeEmitter Emitter (none otherwise).
	Dialogs Dialogs
	// Select picks the engine; nil means agent.Select with the GUI's defaults.
	Select SelectFunc
	// FrameEvery is the frame period; 0 means DefaultFrameEvery.
	FrameEvery time.Duration
	// StatsEvery is how often the engine snapshots statistics; 0 means 100 ms.
	StatsEvery time.Duration
	// ResolveTimeout bounds the DNS lookup of Start; 0 means 5 s.
	ResolveTimeout time.Duration
	// Frames, when set, carries the stream's frames to the page (FrameFeed, fetched over
	// HTTP) instead of "ping:frame" events through Emitter: the app sets it (see FrameFeed
	// for why); tests and benchmarks without a page leave it nil and get events.
	Frames *FrameFeed
	// MemoryRows bounds the in-memory fallback store (used when the disk cannot take the
	// history): beyond it the oldest rows of this run are forgotten. 0 means DefaultMemoryRows.
	MemoryRows int64
}

// PingService is the bound facade of live pinging: engine choice, sessions, their rows and
// packets. Events of running sessions reach the frontend as frames (see stream.go).
type PingService struct {
	cfg     PingConfig
	ctx     context.Context
	cancel  context.CancelFunc
	engines *engineManager
	jobs    *jobRunner

	storage storage

	// charts keeps the whole-session charts of recently opened ended sessions.
	charts chartCache

	mu       sync.Mutex
	sessions map[int64]*liveSession
	// monitors are the monitors started (their targets are in sessions too).
	monitors map[int64]*liveMonitor
	// traceRuns are the sessions of the traces running now (trace_store.go).
	traceRuns traceRuns
	wg        sync.WaitGroup
}

// NewPingService returns the service; nothing is opened until first use.
func NewPingService(cfg PingConfig) *PingService {
	if cfg.Select == nil {
		cfg.Select = func(ctx context.Context) (agent.Engine, agent.Choice, error) {
			return agent.Select(ctx, agent.SelectConfig{})
		}
	}
	if cfg.Dialogs == nil {
		cfg.Dialogs = noDialogs{}
		if re, ok := cfg.Emitter.(*RuntimeEmitter); ok {
			cfg.Dialogs = NewRuntimeDialogs(re.Context)
		}
	}
	if cfg.OpenStore == nil {
		cfg.OpenStore = history.Open
	}
	if cfg.FrameEvery <= 0 {
		cfg.FrameEvery = DefaultFrameEvery
	}
	if cfg.StatsEvery <= 0 {
		cfg.StatsEvery = 100 * time.Millisecond
	}
	if cfg.MemoryRows <= 0 {
		cfg.MemoryRows = DefaultMemoryRows
	}
	if cfg.ResolveTimeout <= 0 {
		cfg.ResolveTimeout = 5 * time.Second
	}
	if cfg.Emitter == nil {
		cfg.Emitter = noEmitter{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &PingService{cfg: cfg, ctx: ctx, cancel: cancel, sessions: map[int64]*liveSession{},
		engines: &engineManager{selectEngine: cfg.Select, emitter: cfg.Emitter, ctx: ctx},
		jobs:    newJobRunner(ctx, cfg.Emitter)}
}

// Engine says which engine pings, why, and exactly how to get a better one. When no engine
// works the result carries the error and the fix (the promise does not reject: the badge
// shows it).
func (s *PingService) Engine() (EngineInfo, error) {
	_, info, _ := s.engines.get()
	return info, nil
}

// Start validates the request, resolves the target, and starts a session whose frames
// stream as "ping:frame" events. Errors say what is wrong in words (bad host, DNS failure,
// out-of-range option, no privilege, helper died).
func (s *PingService) Start(req PingRequest) (SessionInfo, error) {
	opts, err := req.options()
	if err != nil {
		return SessionInfo{}, err
	}
	engine, einfo, err := s.engines.get()
	if err != nil {
		return SessionInfo{}, err
	}
	h, err := s.storeHandle()
	if err != nil {
		return SessionInfo{}, err
	}
	rctx, cancel := context.WithTimeout(s.ctx, s.cfg.ResolveTimeout)
	addr, err := probe.Resolve(rctx, opts.Target, opts.Family)
	cancel()
	if err != nil {
		return SessionInfo{}, dnsError(opts.Target, err)
	}
	name := opts.Target
	// The engine gets the address, so it does not ask DNS again (and maybe hear another answer).
	opts.Target = addr.String()
	opts.StatsEvery = s.cfg.StatsEvery

	// One start time for the store and the live description, so a reopened session says
	// the same as it did live.
	started := time.Now()
	form := req.recorded()
	formJSON, err := json.Marshal(form)
	if err != nil {
		return SessionInfo{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	info := history.SessionInfo{Target: name, Addr: addr.String(), Engine: einfo.Kind, Options: opts, Form: formJSON, Started: started}
	id, err := h.store.BeginSession(s.ctx, info)
	if err != nil && !h.inMemory {
		// The disk refuses (full, read-only, damaged): pinging goes on, in memory.
		if h, err = s.fallBack(err); err == nil {
			id, err = h.store.BeginSession(s.ctx, info)
		}
	}
	if err != nil {
		return SessionInfo{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	ls := newLiveSession(id, name, addr, opts, einfo.Kind, h, started)
	ls.info.Request = form
	run, err := engine.Start(s.ctx, opts, ls.handleEvent)
	if err != nil {
		_ = h.store.DeleteSession(context.Background(), id)
		return SessionInfo{}, startError(err)
	}
	ls.attach(run)
	// Best effort: the socket kind is also stored by FinishSession; this keeps it for a
	// session the app never gets to finish.
	_ = h.store.SetSocket(s.ctx, id, run.SocketKind())
	s.mu.Lock()
	s.sessions[id] = ls
	s.mu.Unlock()
	s.wg.Add(2)
	var frames Emitter = s.cfg.Emitter
	if s.cfg.Frames != nil {
		frames = feedEmitter{Emitter: s.cfg.Emitter, feed: s.cfg.Frames}
	}
	go func() { defer s.wg.Done(); ls.streamFrames(frames, s.cfg.FrameEvery) }()
	go func() { defer s.wg.Done(); s.await(ls) }()
	return ls.info, nil
}

// startError explains an engine refusal in words a person can act on.
func startError(err error) error {
	switch {
	case errors.Is(err, agent.ErrHelperExited):
		return fmt.Errorf("the echoscope-ping helper died; it will be restarted, press Start again: %w", err)
	case errors.Is(err, probe.ErrPrivilegeRequired):
		return fmt.Errorf("no privilege to open an ICMP socket: %w", err)
	case errors.Is(err, probe.ErrPolicy):
		return fmt.Errorf("not allowed without root: %w", err)
	}
	return fmt.Errorf("cannot start: %w", err)
}

// await waits for the session's end, stores its summary and reports it.
func (s *PingService) await(ls *liveSession) {
	sum, err := ls.run.Wait(context.Background())
	ls.finish()
	_ = ls.handle.writer.Flush(context.Background()) // a failure is in the status already
	<-ls.framesDone
	end := Ended{SessionID: ls.info.ID, TotalRows: ls.batcher.total(), Reason: "done"}
	if ls.stopped.Load() {
		end.Reason = "stopped"
	}
	if err != nil {
		end.Reason = "failed"
		end.Error = err.Error()
		if errors.Is(err, agent.ErrHelperExited) {
			end.Error = "the echoscope-ping helper died during the session: " + err.Error()
		}
	}
	if sum.Sent > 0 || err == nil {
		end.Stats = statsView(sum.Stats)
		fErr := ls.handle.store.FinishSession(context.Background(), ls.id, sum)
		if fErr != nil && end.Error == "" && ls.handle.writeFailure() == "" {
			end.Error = "the session ran but its summary could not be stored: " + fErr.Error()
		}
	}
	s.cfg.Emitter.Emit(EventPingEnded, end)
}

// Stop ends a running session early; its "ping:ended" event follows. Stopping a session
// that already ended is not an error.
func (s *PingService) Stop(sessionID string) error {
	ls, err := s.live(sessionID)
	if err != nil {
		return err
	}
	return ls.stop()
}

func parseSessionID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%w: %q", ErrUnknownSession, id)
	}
	return n, nil
}

func (s *PingService) live(sessionID string) (*liveSession, error) {
	n, err := parseSessionID(sessionID)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ls, ok := s.sessions[n]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownSession, sessionID)
	}
	return ls, nil
}

// RecentTargets lists the targets of the latest sessions, newest first, without repeats.
func (s *PingService) RecentTargets() ([]string, error) {
	store, err := s.history()
	if err != nil {
		return nil, err
	}
	list, err := store.ListSessions(s.ctx, history.SessionFilter{Limit: 200})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	out := []string{}
	seen := map[string]bool{}
	for _, ss := range list {
		if ss.ImportedFrom != "" || ss.Target == "" || seen[ss.Target] {
			continue
		}
		seen[ss.Target] = true
		out = append(out, ss.Target)
		if len(out) == 12 {
			break
		}
	}
	return out, nil
}

// ClosePingService stops every session, waits for their ends, and releases engine and store.
// A function, not a method, so that Wails does not offer it to the page.
func ClosePingService(s *PingService) {
	s.mu.Lock()
	running := make([]*liveSession, 0, len(s.sessions))
	for _, ls := range s.sessions {
		running = append(running, ls)
	}
	s.mu.Unlock()
	for _, ls := range running {
		_ = ls.stop()
	}
	s.wg.Wait()
	s.cancel()
	s.jobs.wait() // cancelled above: each undoes what it wrote before the stores close
	s.engines.close()
	s.storage.mu.Lock()
	handles := append(s.storage.retired, s.storage.current)
	s.storage.mu.Unlock()
	for _, h := range handles {
		if h != nil {
			_ = h.writer.Close()
			_ = h.store.Close()
		}
	}
}
