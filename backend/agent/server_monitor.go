package agent

import (
	"context"
	"fmt"
	"time"

	"echoscope/backend/probe"
)

// MonitorRunner is one monitor as the server drives it; *probe.Monitor satisfies it.
type MonitorRunner interface {
	Targets() []probe.MonitorTarget
	SocketKind(i int) probe.SocketKind
	Identifier(i int) uint16
	Run(ctx context.Context) (probe.MonitorSummary, error)
}

// MonitorFactory validates, resolves and opens a monitor ready to Run.
type MonitorFactory func(ctx context.Context, mo probe.MonitorOptions, policy probe.Policy, h probe.MonitorHandler) (MonitorRunner, error)

// ProbeMonitors is the real MonitorFactory: probe.NewMonitor then Start.
func ProbeMonitors(ctx context.Context, mo probe.MonitorOptions, policy probe.Policy, h probe.MonitorHandler) (MonitorRunner, error) {
	m, err := probe.NewMonitor(ctx, mo, policy, h)
	if err != nil {
		return nil, err
	}
	if err := m.Start(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

// monitorRate is the requests per second a monitor may send: one every Interval/N.
func monitorRate(mo probe.MonitorOptions) float64 {
	n := float64(len(mo.Targets))
	return n * float64(time.Second) / float64(mo.Options.EffectiveInterval())
}

func (s *server) startMonitor(ctx context.Context, m Message) {
	id := m.Session
	var req MonitorStartRequest
	if !s.decodeRequest(m, "session", "monitor-start", &req) {
		return
	}
	// The bounds and the policy first: nothing below may rely on an unchecked number.
	if err := req.Monitor.Validate(s.cfg.Policy); err != nil {
		s.refuse(id, engineCode(err), err)
		return
	}
	mo := req.Monitor
	rate, targets := monitorRate(mo), len(mo.Targets)
	s.launch(ctx, id, running{rate: rate, targets: targets}, fmt.Sprintf("a monitor of %d targets adds %.0f, past", targets, rate),
		func(ctx context.Context, cancel context.CancelFunc) { s.runMonitor(ctx, cancel, id, mo) })
}

// runMonitor starts and runs one registered monitor: one monitor-started and one
// monitor-done frame, or one error frame when it could not start.
func (s *server) runMonitor(ctx context.Context, cancel context.CancelFunc, id string, mo probe.MonitorOptions) {
	defer cancel()
	handler := func(target int, ev probe.Event) {
		_ = s.send(TypeMonitorEvent, id, MonitorEvent{Target: target, Event: ev})
	}
	runner, err := s.cfg.NewMonitor(ctx, mo, s.cfg.Policy, handler)
	if err != nil {
		s.refuseStart(ctx, id, err)
		return
	}
	started := MonitorStarted{}
	for i, t := range runner.Targets() {
		started.Targets = append(started.Targets, MonitorTargetInfo{Addr: t.Addr, Socket: runner.SocketKind(i), Identifier: runner.Identifier(i)})
	}
	if err := s.send(TypeMonitorStarted, id, started); err != nil {
		cancel()
	}
	sum, err := runner.Run(ctx)
	done := MonitorDone{Summary: sum}
	if err != nil {
		done.Error = err.Error()
	}
	s.forget(id)
	_ = s.send(TypeMonitorDone, id, done)
}
