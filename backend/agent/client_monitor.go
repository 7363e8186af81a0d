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
	c        *Client
	id       string
	handler  probe.MonitorHandler
	started  chan struct{} // closed on monitor-started or on refusal
	startErr error
	info     MonitorStarted

	done    chan struct{}
	summary probe.MonitorSummary
	err     error
}

// StartMonitor asks the helper for a monitor and waits until it runs (or is refused). The
// handler receives its events, with their target's index, on the client's reader goroutine.
func (c *Client) StartMonitor(ctx context.Context, mo probe.MonitorOptions, h probe.MonitorHandler) (*RemoteMonitor, error) {
	if h == nil {
		h = func(int, probe.Event) {}
	}
	m := &RemoteMonitor{c: c, id: "m" + strconv.FormatUint(c.nextID.Add(1), 10), handler: h,
		started: make(chan struct{}), done: make(chan struct{})}
	c.mu.Lock()
	switch {
	case c.closed:
		c.mu.Unlock()
		return nil, ErrClosed
	case c.exitErr != nil:
		err := c.exitErr
		c.mu.Unlock()
		return nil, err
	}
	c.monitors[m.id] = m
	c.mu.Unlock()
	if err := c.send(TypeMonitorStart, m.id, MonitorStartRequest{Monitor: mo}); err != nil {
		c.forgetMonitor(m.id)
		return nil, err
	}
	select {
	case <-m.started:
		if m.startErr != nil {
			return nil, m.startErr
		}
		return m, nil
	case <-ctx.Done():
		_ = m.Stop()
		return nil, ctx.Err()
	}
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
		var body ErrorBody
		if err := json.Unmarshal(msg.Body, &body); err != nil {
			body = ErrorBody{Code: CodeMalformed, Message: "unreadable error frame: " + err.Error()}
		}
		select {
		case <-m.started: // about a running monitor (a refused stop): it goes on
		default:
			m.startErr = &RemoteError{Body: body}
			c.forgetMonitor(m.id)
			close(m.started)
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
		select {
		case <-m.started:
			m.err = exitErr
			close(m.done)
		default:
			m.startErr = exitErr
			close(m.started)
		}
	}
}
