package service

// Types of monitors (many targets in one run). Mirrored in frontend/src/lib/api/monitor.ts;
// change both together.

// EventMonitorEnded says a monitor is over; every target's "ping:ended" came before it.
const EventMonitorEnded EventName = "monitor:ended"

// MaxMonitorTargets bounds one monitor of the app: a /22, as the view's CIDR expansion, and
// the helper's bound over a user's running monitors (1024 targets).
const MaxMonitorTargets = 1024

// MonitorRequest is the Monitor view's form: the targets (host names or addresses, in
// order; the same host twice is two targets) and the options every target runs with, as
// the Ping form's (Options.Target is ignored).
type MonitorRequest struct {
	Targets []string    `json:"targets"`
	Options PingRequest `json:"options"`
}

// MonitorInfo describes a monitor: each target is a session of its own (its frames, rows,
// packets and end are those of that session, as for a single ping).
type MonitorInfo struct {
	ID        string        `json:"id"`
	Engine    string        `json:"engine"`
	StartedAt string        `json:"startedAt"`
	EndedAt   string        `json:"endedAt"`
	Targets   []SessionInfo `json:"targets"`
	Running   bool          `json:"running"`
	// Unattributed counts messages on the shared socket that belonged to no target (known
	// once the monitor ended).
	Unattributed uint64 `json:"unattributed"`
}

// MonitorEnded is the payload of "monitor:ended".
type MonitorEnded struct {
	MonitorID string `json:"monitorId"`
	// Reason is "done", "stopped" or "failed".
	Reason       string `json:"reason"`
	Error        string `json:"error"`
	Unattributed uint64 `json:"unattributed"`
}

// MonitorView is a stored (or running) monitor reopened: its description and, per target
// in order, what the Ping view shows of a reopened session.
type MonitorView struct {
	Info    MonitorInfo   `json:"info"`
	Targets []SessionView `json:"targets"`
}
