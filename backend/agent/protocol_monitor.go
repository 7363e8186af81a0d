package agent

import (
	"net/netip"

	"echoscope/backend/probe"
)

// Monitors: many targets in one run (probe.Monitor), for the GUI's monitor view.
//
//	client -> helper  monitor-start    {session, body: MonitorStartRequest}
//	helper -> client  monitor-started  {session, body: MonitorStarted}   or error {session, body: ErrorBody}
//	helper -> client  monitor-event    {session, body: MonitorEvent}     (many)
//	client -> helper  stop             {session}                        (as for a session)
//	helper -> client  monitor-done     {session, body: MonitorDone}      (exactly one per started monitor)
//
// A monitor is one session against the helper's session limit; its request rate
// (targets / interval) counts against a non-root caller's total rate with every other
// session's, and the targets of all of a non-root caller's running monitors together are
// at most the policy's MaxTargets (probe.MaxUserTargets). Unprivileged callers see only
// their own traffic, exactly as in a session: each target's engine hides what is not tied
// to its requests, and messages no target owns are only counted (MonitorSummary.Unattributed).

// Monitor message types.
const (
	TypeMonitorStart   Type = "monitor-start"
	TypeMonitorStarted Type = "monitor-started"
	TypeMonitorEvent   Type = "monitor-event"
	TypeMonitorDone    Type = "monitor-done"
)

// MonitorStartRequest asks for a new monitor.
type MonitorStartRequest struct {
	Monitor probe.MonitorOptions `json:"monitor"`
}

// MonitorTargetInfo is one target of a started monitor.
type MonitorTargetInfo struct {
	Addr       netip.Addr       `json:"addr"`
	Socket     probe.SocketKind `json:"socket"`
	Identifier uint16           `json:"identifier"`
}

// MonitorStarted confirms a monitor: its sockets are open; Targets are in index order.
type MonitorStarted struct {
	Targets []MonitorTargetInfo `json:"targets"`
}

// MonitorEvent is one event of one target (its index in MonitorOptions.Targets).
type MonitorEvent struct {
	Target int         `json:"target"`
	Event  probe.Event `json:"event"`
}

// MonitorDone ends a monitor: its summary, or the error that ended it early.
type MonitorDone struct {
	Summary probe.MonitorSummary `json:"summary"`
	Error   string               `json:"error,omitempty"`
}
