package service

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"

	"echoscope/backend/agent"
)

// SelectFunc picks an engine (agent.Select in the app, a fake in tests).
type SelectFunc func(ctx context.Context) (agent.Engine, agent.Choice, error)

// engineManager owns the engine: it selects one on first use, watches the helper behind it,
// and when the helper dies reports that and selects again (a dying helper is restarted or
// reported, never silent).
type engineManager struct {
	selectEngine SelectFunc
	emitter      Emitter
	ctx          context.Context

	mu     sync.Mutex
	engine agent.Engine
	info   EngineInfo
	err    error
	tried  bool
}

// engineLabels names the engine kinds for people.
var engineLabels = map[agent.EngineKind]string{
	agent.EngineAgentRaw:     "agent raw",
	agent.EngineInProcessRaw: "in-process raw",
	agent.EngineDatagram:     "datagram",
	agent.EngineWindowsAPI:   "Windows API",
}

func engineInfoOf(ch agent.Choice, err error) EngineInfo {
	info := EngineInfo{Kind: string(ch.Kind), Label: engineLabels[ch.Kind], Reason: ch.Reason, Tried: ch.Tried}
	if info.Tried == nil {
		info.Tried = []string{}
	}
	if err != nil {
		info.Error = err.Error()
		info.Upgrade = agent.Fix(runtime.GOOS, ch.HelperPath)
		return info
	}
	info.Best = ch.Kind == agent.EngineAgentRaw || ch.Kind == agent.EngineInProcessRaw
	if !info.Best {
		info.Upgrade = agent.Fix(runtime.GOOS, ch.HelperPath)
	}
	return info
}

// get returns the engine, selecting one when there is none yet (or the last one died).
func (m *engineManager) get() (agent.Engine, EngineInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.engine == nil {
		m.selectLocked()
	}
	return m.engine, m.info, m.err
}

func (m *engineManager) selectLocked() {
	e, ch, err := m.selectEngine(m.ctx)
	m.tried = true
	m.info = engineInfoOf(ch, err)
	logEngineChoice(m.info, ch)
	if err != nil {
		m.engine, m.err = nil, fmt.Errorf("%w: %w", ErrNoEngine, err)
		return
	}
	m.engine, m.err = e, nil
	if client := agent.HelperOf(e); client != nil {
		go m.watch(e, client)
	}
}

// logEngineChoice writes the engine choice to the log (stderr), the one place a packager or a
// support question can read which engine a desktop launch got without opening the window.
func logEngineChoice(info EngineInfo, ch agent.Choice) {
	if info.Error != "" {
		slog.Warn("no ping engine", "error", info.Error, "tried", info.Tried, "fix", info.Upgrade)
		return
	}
	slog.Info("ping engine selected", "kind", info.Kind, "label", info.Label, "helper", ch.HelperPath,
		"reason", info.Reason)
}

// watch waits for the helper to go; unless the app is shutting down, it reports the death
// and selects a new engine at once, so the next Start works and the badge stays true.
func (m *engineManager) watch(e agent.Engine, client *agent.Client) {
	select {
	case <-client.Done():
	case <-m.ctx.Done():
		return
	}
	m.mu.Lock()
	if m.engine != e || m.ctx.Err() != nil {
		m.mu.Unlock()
		return // closed on purpose
	}
	why := "the echoscope-ping helper exited"
	if err := client.Err(); err != nil {
		why = err.Error()
	}
	died := m.info
	m.engine = nil
	m.mu.Unlock()
	m.emitter.Emit(EventEngineStatus, EngineStatus{State: "died", Message: why, Engine: died})

	_, info, err := m.get()
	if err != nil {
		m.emitter.Emit(EventEngineStatus, EngineStatus{State: "failed",
			Message: "the helper died and no engine could be started again: " + err.Error(), Engine: info})
		return
	}
	m.emitter.Emit(EventEngineStatus, EngineStatus{State: "restarted",
		Message: "the helper died (" + why + "); a new engine was started: " + info.Label, Engine: info})
}

// close releases the engine (the helper exits).
func (m *engineManager) close() {
	m.mu.Lock()
	e := m.engine
	m.engine = nil
	m.mu.Unlock()
	if e != nil {
		_ = e.Close()
	}
}
