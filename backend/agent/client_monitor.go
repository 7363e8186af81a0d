package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"echoscope/backend/probe"
)

// RemoteMonitor is a monitor running in the helper (protocol_monitor.go).
type RemoteMonitor struct {
	c       *Client
	id      string
	handler probe.MonitorHandler
	info    MonitorStarted
	lifecycle
	summary probe.MonitorSummary
}

// StartMonitor asks the helper for a monitor and waits until it runs (or is refused). The
// handler receives its events, with their target's index, on the client's reader goroutine.
func (c *Client) StartMonitor(ctx context.Context, mo probe.MonitorOptions, h probe.MonitorHandler) (*RemoteMonitor, error) {
	if h == nil {
		h = func(int, probe.Event) {}
	}
	m := &RemoteMonitor{c: c, id: "m" + strconv.FormatUint(c.nextID.Add(1), 10), handler: h,
		lifecycle: newLifecycle()}
	if err := c.track(func() { c.monitors[m.id] = m }); err != nil {
		return nil, err
	}
	if err := c.send(TypeMonitorStart, m.id, MonitorStartRequest{Monitor: mo}); err != nil {
		c.forgetMonitor(m.id)
		return nil, err
	}
	if err := m.awaitStart(ctx, m.Stop); err != nil {
		return nil, err
	}
	return m, nil
}

// ID is the monitor's session id on the wire.
func (m *RemoteMonitor) ID() string { return m.id }

// Targets are the targets as the helper resolved and opened them, in index order.
func (m *RemoteMonitor) Targets() []MonitorTargetInfo {
	return append([]MonitorTargetInfo(nil), m.info.Targets...)
}

// Stop asks the helper to end the monitor; Wait returns its summary.
func (m *RemoteMonitor) Stop() error { return m.c.send(TypeStop, m.id, nil) }

// Wait blocks until the monitor is done and returns its summary (one per target).
func (m *RemoteMonitor) Wait(ctx context.Context) (probe.MonitorSummary, error) {
	select {
	case <-m.done:
		return m.summary, m.err
	case <-ctx.Done():
		return probe.MonitorSummary{}, ctx.Err()
	}
}

func (c *Client) forgetMonitor(id string) {
	c.mu.Lock()
	delete(c.monitors, id)
	c.mu.Unlock()
}

// answerMonitor delivers a frame about a monitor to it, and reports whether m was one.
func (c *Client) answerMonitor(msg Message) bool {
	c.mu.Lock()
	m, ok := c.monitors[msg.Session]
	c.mu.Unlock()
	if !ok {
		return false
	}
	switch msg.Type {
	case TypeMonitorStarted:
		if err := json.Unmarshal(msg.Body, &m.info); err != nil {
			m.startErr = fmt.Errorf("%w: bad monitor-started frame: %w", ErrHandshake, err)
			c.forgetMonitor(m.id)
		}
		close(m.started)
	case TypeError:
		// About a running monitor (a refused stop), it changes nothing: it goes on.
		if m.refuseStart(remoteErrorOf(msg.Body)) {
			c.forgetMonitor(m.id)
		}
	case TypeMonitorEvent:
		var ev MonitorEvent
		if err := json.Unmarshal(msg.Body, &ev); err == nil && ev.Target >= 0 && ev.Target < len(m.info.Targets) {
			m.handler(ev.Target, ev.Event)
		}
	case TypeMonitorDone:
		var d MonitorDone
		if err := json.Unmarshal(msg.Body, &d); err != nil {
			m.err = fmt.Errorf("agent: bad monitor-done frame: %w", err)
		} else {
			m.summary = d.Summary
			if d.Error != "" {
				m.err = errors.New(d.Error)
			}
		}
		c.forgetMonitor(m.id)
		close(m.done)
	}
	return true
}

// failMonitors ends every monitor still waiting when the helper is gone.
func failMonitors(pending map[string]*RemoteMonitor, exitErr error) {
	for _, m := range pending {
		m.fail(exitErr)
	}
}
