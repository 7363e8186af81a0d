package service

// Types of the history views (sessions list, reopened sessions, export, import, storage
// status). Mirrored in frontend/src/lib/api/types.ts; change both together.

// SessionSummary is one line of the sessions list.
type SessionSummary struct {
	ID     string `json:"id"`
	Target string `json:"target"`
	Addr   string `json:"addr"`
	Engine string `json:"engine"`
	// StartedAt and EndedAt are RFC 3339 with nanoseconds; EndedAt is "" while running or
	// when the app stopped during the session.
	StartedAt string `json:"startedAt"`
	EndedAt   string `json:"endedAt"`
	// DurationMs is 0 when unknown.
	DurationMs  float64 `json:"durationMs"`
	Sent        uint64  `json:"sent"`
	Received    uint64  `json:"received"`
	LossPercent float64 `json:"lossPercent"`
	// MedianMs is the p50 RTT, nil when no reply came.
	MedianMs *float64 `json:"medianMs"`
	// Packets is the number of stored rows.
	Packets      int64  `json:"packets"`
	Running      bool   `json:"running"`
	Imported     bool   `json:"imported"`
	ImportedFrom string `json:"importedFrom"`
	// Interrupted: no end was stored and the session is not running (the app stopped).
	Interrupted bool `json:"interrupted"`
	// MonitorID is the monitor this session is a target of ("" for a session of its own).
	MonitorID string `json:"monitorId"`
}

// SessionView is everything the Ping view needs to show a stored (or running) session as
// it looked live; its rows are paged with Rows and inspected with Packet.
type SessionView struct {
	Info      SessionInfo `json:"info"`
	Stats     *StatsView  `json:"stats"`
	TotalRows int64       `json:"totalRows"`
	// Points is the chart of the whole session (at most MaxSessionPoints, markers kept
	// first); SkippedPoints how many were decimated away.
	Points        []ChartPoint `json:"points"`
	SkippedPoints int64        `json:"skippedPoints"`
	Running       bool         `json:"running"`
}

// ExportResult says where an export went; Cancelled when the save dialog was cancelled.
type ExportResult struct {
	Cancelled bool   `json:"cancelled"`
	Path      string `json:"path"`
	Format    string `json:"format"`
	Packets   int    `json:"packets"`
	Bytes     int64  `json:"bytes"`
}

// ImportResult says what an import stored; Cancelled when the open dialog was cancelled.
type ImportResult struct {
	Cancelled bool   `json:"cancelled"`
	SessionID string `json:"sessionId"`
	Path      string `json:"path"`
	Packets   int    `json:"packets"`
	Target    string `json:"target"`
	// Skipped counts the capture's frames that were not ICMP echo or error traffic (or
	// could not be read); Warnings say why, in words.
	Skipped  int      `json:"skipped"`
	Warnings []string `json:"warnings"`
}

// StorageStatus says whether history is being saved to disk.
type StorageStatus struct {
	OK   bool   `json:"ok"`
	Path string `json:"path"`
	// InMemory: the disk store could not be used; this run's sessions live in memory.
	InMemory bool `json:"inMemory"`
	// Error is "" when OK, else the message for people.
	Error string `json:"error"`
}
