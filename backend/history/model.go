package history

import (
	"encoding/json"
	"net/netip"
	"time"

	"echoscope/backend/export"
	"echoscope/backend/probe"
)

// Session is one stored ping session (live or imported).
type Session struct {
	ID     int64  `json:"id"`
	Target string `json:"target"`
	// Addr is the resolved address (text), empty when unknown.
	Addr string `json:"addr"`
	// Engine is the engine chosen ("agent-raw", "in-process-raw", "datagram", "windows-api"),
	// or "imported". Sessions stored before schema v3 hold the socket kind here.
	Engine string `json:"engine"`
	// Socket is the socket kind used ("raw", "datagram", "windows"); "" when not known.
	Socket string `json:"socket,omitempty"`
	// Options are the probe.Options the session ran with, as stored (JSON).
	Options json.RawMessage `json:"options"`
	// Form is the ping form the session was started with (JSON, the service's), nil for
	// imported sessions and sessions stored before schema v4 (migrationRecordedForm).
	Form    json.RawMessage `json:"form,omitempty"`
	Started time.Time       `json:"started"`
	// Ended is zero while the session runs (or when it never finished: a crash).
	Ended time.Time `json:"ended,omitzero"`
	// Stats are the final (or latest stored) statistics; nil when none were stored.
	Stats *probe.Stats `json:"stats,omitempty"`
	// ImportedFrom is the capture file's name for imported sessions.
	ImportedFrom string `json:"importedFrom,omitempty"`
	// LossPercent and MedianRTT are copied from Stats for the sessions list.
	LossPercent float64       `json:"lossPercent"`
	MedianRTT   time.Duration `json:"medianRtt"`
	// Packets is the number of stored packet rows (filled by ListSessions and Session).
	Packets int64 `json:"packets"`
	// Monitor is the id of the monitor this session is a target of (0: a session of its
	// own); MonitorIndex is its target's index in that monitor.
	Monitor      int64 `json:"monitor,omitempty"`
	MonitorIndex int   `json:"monitorIndex,omitempty"`
	// Duration is Ended - Started, zero while running or when the session never ended.
	Duration time.Duration `json:"duration"`
}

// Packet is one stored row: a probe.Event of any kind but stats (see export.Packet, which
// holds the model so the capture and CSV writers need no SQLite).
type Packet = export.Packet

// PacketFromEvent turns an engine event into a row (see export.PacketFromEvent).
func PacketFromEvent(ev probe.Event) Packet { return export.PacketFromEvent(ev) }

// nanos stores a time as Unix nanoseconds; the zero time is stored as 0.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromNanos is the inverse of nanos.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// addrText stores an address as text ("" for none).
func addrText(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// parseAddr reads addrText's output; unreadable text gives the zero address.
func parseAddr(s string) netip.Addr {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	return a
}
