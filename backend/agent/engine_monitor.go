package agent

import (
	"context"

	"echoscope/backend/probe"
)

// MonitorEngine starts monitors (many targets in one run, probe.Monitor). Every Engine that
// Select returns is one: through the helper (monitor-start frames) or in this process.
type MonitorEngine interface {
	StartMonitor(ctx context.Context, mo probe.MonitorOptions, h probe.MonitorHandler) (MonitorRun, error)
}

// MonitorRun is a started monitor.
type MonitorRun interface {
	// Targets are the targets as resolved and opened, in index order.
	Targets() []MonitorTargetInfo
	// Stop ends the monitor early; Wait still returns the summary.
	Stop() error
	// Wait blocks until the monitor ends and returns one summary per target.
	Wait(ctx context.Context) (probe.MonitorSummary, error)
}

// StartMonitor runs a monitor in the helper.
func (e *agentEngine) StartMonitor(ctx context.Context, mo probe.MonitorOptions, h probe.MonitorHandler) (MonitorRun, error) {
	m, err := e.client.StartMonitor(ctx, mo, h)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// StartMonitor runs a monitor in this process with the engine's socket kind and policy.
func (e *localEngine) StartMonitor(ctx context.Context, mo probe.MonitorOptions, h probe.MonitorHandler) (MonitorRun, error) {
	if mo.Options.Socket == probe.SocketAuto {
		mo.Options.Socket = e.kind
	}
	m, err := probe.NewMonitor(ctx, mo, e.policy, h)
	if err != nil {
		return nil, err
	}
	if err := m.Start(ctx); err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r := &localMonitorRun{m: m, cancel: cancel, done: make(chan struct{})}
	for i, t := range m.Targets() {
		r.targets = append(r.targets, MonitorTargetInfo{Addr: t.Addr, Socket: m.SocketKind(i), Identifier: m.Identifier(i)})
	}
	e.mu.Lock()
	if e.monitors == nil {
		e.monitors = map[*localMonitorRun]struct{}{}
	}
	e.monitors[r] = struct{}{}
	e.mu.Unlock()
	go func() {
		r.sum, r.err = m.Run(runCtx)
		cancel()
		e.mu.Lock()
		delete(e.monitors, r)
		e.mu.Unlock()
		close(r.done)
	}()
	return r, nil
}

type localMonitorRun struct {
	m       *probe.Monitor
	targets []MonitorTargetInfo
	cancel  context.CancelFunc
	done    chan struct{}
	sum     probe.MonitorSummary
	err     error
}

func (r *localMonitorRun) Targets() []MonitorTargetInfo {
	return append([]MonitorTargetInfo(nil), r.targets...)
}
func (r *localMonitorRun) Stop() error { r.cancel(); return nil }
func (r *localMonitorRun) Wait(ctx context.Context) (probe.MonitorSummary, error) {
	select {
	case <-r.done:
		return r.sum, r.err
	case <-ctx.Done():
		return probe.MonitorSummary{}, ctx.Err()
	}
}
