package service

// Types the PingService hands to the frontend (bound method results and event payloads).
// Wails generates the page's interfaces for bound method results (make bindings); the
// event payloads are kept by hand in frontend/src/lib/api/types.ts, and
// TestHandKeptPayloadsMatchTheGoStructs holds them to these structs.

// Event names of the live ping stream.
const (
	// EventPingFrame carries a Frame: new rows, a stats snapshot and chart points, ~25 per second.
	EventPingFrame EventName = "ping:frame"
	// EventPingEnded carries an Ended: the session is over (count reached, stopped, or failed).
	EventPingEnded EventName = "ping:ended"
	// EventEngineStatus carries an EngineStatus: the helper died, was restarted, or failed to.
	EventEngineStatus EventName = "engine:status"
)

// PingRequest is what the ping view's form sends to Start. Zero numbers mean "the default"
// (as iputils); durations are milliseconds because that is what a person types.
type PingRequest struct {
	Target     string  `json:"target"`
	Count      int     `json:"count"`
	IntervalMs float64 `json:"intervalMs"`
	TimeoutMs  float64 `json:"timeoutMs"`
	// Size is the payload length; SizeSet says Size 0 really means zero bytes.
	Size    int  `json:"size"`
	SizeSet bool `json:"sizeSet"`
	// Pattern is hex, up to 16 bytes ("ff00" or "ff 00").
	Pattern string `json:"pattern"`
	TTL     int    `json:"ttl"`
	// DontFragment sets DF (ping -M do).
	DontFragment bool `json:"dontFragment"`
	// Family is 0 (auto), 4 or 6.
	Family int    `json:"family"`
	Source string `json:"source"`
}

// EngineInfo says which engine pings, why, and how to get a better one.
type EngineInfo struct {
	// Kind is "agent-raw", "in-process-raw", "datagram", "windows-api" or "" when none works.
	Kind string `json:"kind"`
	// Label is Kind for people: "agent raw", "in-process raw", ...
	Label  string `json:"label"`
	Reason string `json:"reason"`
	// Best is true when no better engine exists (raw sockets).
	Best bool `json:"best"`
	// Upgrade is exactly how to get a better engine (the setcap command...), "" when Best.
	Upgrade string `json:"upgrade"`
	// Tried lists the better engines that were not possible, and why.
	Tried []string `json:"tried"`
	// Error is set when no engine works at all (its text carries the fix).
	Error string `json:"error"`
}

// SessionInfo describes a started session.
type SessionInfo struct {
	ID     string `json:"id"`
	Target string `json:"target"`
	Addr   string `json:"addr"`
	Family int    `json:"family"`
	Engine string `json:"engine"`
	Socket string `json:"socket"`
	// IntervalMs and TimeoutMs are the effective values (defaults filled in).
	IntervalMs  float64 `json:"intervalMs"`
	TimeoutMs   float64 `json:"timeoutMs"`
	Count       int     `json:"count"`
	PayloadSize int     `json:"payloadSize"`
	StartedAt   string  `json:"startedAt"`
	// EndedAt is "" while the session runs (or when the app stopped during it).
	EndedAt string `json:"endedAt"`
	// Imported sessions come from a capture file, ImportedFrom its base name.
	Imported     bool   `json:"imported"`
	ImportedFrom string `json:"importedFrom"`
	// Request is every option the session was started with, as the form had them (trimmed
	// as Start read them): "Ping again" on a reopened session starts with exactly these.
	// Sessions stored before the form was recorded (and imports) get one derived from the
	// engine options history kept.
	Request PingRequest `json:"request"`
}

// Row is one line of the packet table: a request sent, a message received, or a loss.
type Row struct {
	// N is the row's 0-based position in the session (the store's row number).
	N    int64  `json:"n"`
	Kind string `json:"kind"`
	// Time is RFC 3339 with nanoseconds: when the message crossed the socket.
	Time string `json:"time"`
	// Type names the ICMP message: "Echo Request", "Echo Reply", "Destination Unreachable"...
	Type  string `json:"type"`
	Code  int    `json:"code"`
	Index uint64 `json:"index"`
	Seq   uint16 `json:"seq"`
	ID    uint16 `json:"id"`
	Bytes int    `json:"bytes"`
	TTL   int    `json:"ttl"`
	// RTTMs is set for matched replies (also late/duplicate/out-of-order), else null.
	RTTMs *float64 `json:"rttMs"`
	Class string   `json:"class"`
	From  string   `json:"from"`
	Note  string   `json:"note"`
}

// StatsView is a session's running statistics with durations in milliseconds.
type StatsView struct {
	Sent              uint64  `json:"sent"`
	Received          uint64  `json:"received"`
	Lost              uint64  `json:"lost"`
	Outstanding       uint64  `json:"outstanding"`
	Duplicates        uint64  `json:"duplicates"`
	OutOfOrder        uint64  `json:"outOfOrder"`
	Late              uint64  `json:"late"`
	Corrupt           uint64  `json:"corrupt"`
	Foreign           uint64  `json:"foreign"`
	Errors            uint64  `json:"errors"`
	LossPercent       float64 `json:"lossPercent"`
	WindowLossPercent float64 `json:"windowLossPercent"`
	MinMs             float64 `json:"minMs"`
	AvgMs             float64 `json:"avgMs"`
	MaxMs             float64 `json:"maxMs"`
	MdevMs            float64 `json:"mdevMs"`
	P50Ms             float64 `json:"p50Ms"`
	P90Ms             float64 `json:"p90Ms"`
	P99Ms             float64 `json:"p99Ms"`
	JitterMs          float64 `json:"jitterMs"`
	ElapsedMs         float64 `json:"elapsedMs"`
	// SendsLate and SendLateMaxMs: requests the engine sent later than their slot (an
	// overloaded machine; see probe.Stats.SendsLate). EventsDropped and StatsCoalesced:
	// what the engine's event queue could not hand over while its consumer lagged.
	SendsLate      uint64  `json:"sendsLate"`
	SendLateMaxMs  float64 `json:"sendLateMaxMs"`
	EventsDropped  uint64  `json:"eventsDropped"`
	StatsCoalesced uint64  `json:"statsCoalesced"`
}

// Chart point marks.
const (
	MarkReply     = "reply"
	MarkLost      = "lost"
	MarkDuplicate = "duplicate"
	MarkLate      = "late"
	// MarkICMPError: an ICMP error (unreachable, time exceeded...) quoting a request of ours.
	MarkICMPError = "icmp-error"
)

// ChartPoint is one point of the RTT chart: a reply's RTT, or a marker for a lost,
// duplicate or late packet or an ICMP error at the time its request was sent.
type ChartPoint struct {
	// T is milliseconds since the session started (the request's send time).
	T     float64  `json:"t"`
	RTTMs *float64 `json:"rttMs"`
	Mark  string   `json:"mark"`
	Index uint64   `json:"index"`
	// Seq is the request's sequence number; Row the table row the point stands for (the
	// reply, loss or error row; -1 when the store refused it), which a click on it selects.
	Seq uint16 `json:"seq"`
	Row int64  `json:"row"`
}

// Frame is one batch of a running session, emitted about 25 times a second. It is bounded:
// at most MaxFrameRows rows (the newest; older ones are paged with Rows) and MaxFramePoints
// chart points (decimated, markers first).
type Frame struct {
	SessionID string `json:"sessionId"`
	// Seq counts frames of this session from 1; a gap means the frontend missed one.
	Seq uint64 `json:"seq"`
	// TotalRows is how many rows the session has now; FirstRow is Rows[0].N.
	TotalRows int64 `json:"totalRows"`
	Rows      []Row `json:"rows"`
	// SkippedRows: rows in this interval not carried by the frame (page them with Rows).
	SkippedRows int64        `json:"skippedRows"`
	Points      []ChartPoint `json:"points"`
	// SkippedPoints: chart points decimated away in this interval.
	SkippedPoints int64      `json:"skippedPoints"`
	Stats         *StatsView `json:"stats"`
	// Backlog is how many events waited for this frame (a growing figure means the stream
	// cannot keep up); DroppedEvents counts events the store refused (its buffer was full).
	Backlog       int    `json:"backlog"`
	DroppedEvents uint64 `json:"droppedEvents"`
	// StorageError is "" normally; set once the store refused this session's rows (its
	// text for people): rows the frames carried may then be missing when paged.
	StorageError string `json:"storageError"`
	// EmittedAtMs is when the frame left (Unix ms), so the page can measure its delivery
	// lag: a lag that grows over a run means the stream does not keep up.
	EmittedAtMs float64 `json:"emittedAtMs"`
}

// Ended says a session is over.
type Ended struct {
	SessionID string     `json:"sessionId"`
	TotalRows int64      `json:"totalRows"`
	Stats     *StatsView `json:"stats"`
	// Reason is "done" (count or deadline reached), "stopped" or "failed".
	Reason string `json:"reason"`
	// Error explains a failure ("the echoscope-ping helper died: ...").
	Error string `json:"error"`
}

// EngineStatus reports a change of engine: "died" (the helper exited), "restarted" (a new
// engine was selected after that), "failed" (no engine could be restarted).
type EngineStatus struct {
	State   string     `json:"state"`
	Message string     `json:"message"`
	Engine  EngineInfo `json:"engine"`
}

// RowPage is a page of rows from Rows.
type RowPage struct {
	SessionID string `json:"sessionId"`
	Offset    int64  `json:"offset"`
	TotalRows int64  `json:"totalRows"`
	Rows      []Row  `json:"rows"`
}

// FilteredRowPage is a page of the rows that pass one of the packet table's filters. Offset
// is the rank of the first row among the filter's rows; each row keeps its real position
// (Row.N), which the # column and the inspector's links use.
type FilteredRowPage struct {
	SessionID string `json:"sessionId"`
	Filter    string `json:"filter"`
	Offset    int64  `json:"offset"`
	// FilterRows is how many rows pass the filter; SessionRows how many the session has;
	// ForeignRows how many are another program's ICMP (the "hidden" count of the default view).
	FilterRows  int64 `json:"filterRows"`
	SessionRows int64 `json:"sessionRows"`
	ForeignRows int64 `json:"foreignRows"`
	Rows        []Row `json:"rows"`
}

// RowRank is where one row stands among a filter's rows (PingService.RowRank).
type RowRank struct {
	SessionID string `json:"sessionId"`
	Filter    string `json:"filter"`
	Row       int64  `json:"row"`
	// Rank is how many of the filter's rows come before Row; Passes whether Row is one.
	Rank   int64 `json:"rank"`
	Passes bool  `json:"passes"`
}

// PacketDetail is everything the packet inspector shows about one row (the contract with the
// inspector, docs/ping-service.md).
type PacketDetail struct {
	SessionID             string   `json:"sessionId"`
	Row                   int64    `json:"row"`
	Kind                  string   `json:"kind"`
	Class                 string   `json:"class"`
	Rule                  string   `json:"rule"`
	Note                  string   `json:"note"`
	Index                 uint64   `json:"index"`
	Seq                   uint16   `json:"seq"`
	ID                    uint16   `json:"id"`
	Engine                string   `json:"engine"`
	Socket                string   `json:"socket"`
	Target                string   `json:"target"`
	From                  string   `json:"from"`
	To                    string   `json:"to"`
	TTL                   int      `json:"ttl"`
	Size                  int      `json:"size"`
	RequestHex            string   `json:"requestHex"`
	ReplyHex              string   `json:"replyHex"`
	ReplyIncludesIPHeader bool     `json:"replyIncludesIpHeader"`
	Family                int      `json:"family"`
	SentAt                string   `json:"sentAt"`
	SentClock             string   `json:"sentClock"`
	ReceivedAt            string   `json:"receivedAt"`
	ReceivedClock         string   `json:"receivedClock"`
	RTTMs                 *float64 `json:"rttMs"`
	RTTClocks             string   `json:"rttClocks"`
	IdentifierRewritten   bool     `json:"identifierRewritten"`
	KernelIdentifier      uint16   `json:"kernelIdentifier"`
	TimeoutMs             float64  `json:"timeoutMs"`
	AnsweredBefore        []int64  `json:"answeredBefore"`
	// Answers lists the rows that answered this request (send and loss rows): replies of
	// every class, duplicates and late ones included, and ICMP errors; empty when none came.
	Answers []AnswerRef `json:"answers"`
	// RequestRow is the row of the request a reply or ICMP error answers, -1 when there is
	// none (foreign) or it is out of reach.
	RequestRow int64 `json:"requestRow"`
	// Imported rows come from a capture file (CaptureFile its base name): their bytes are
	// as captured, not as Echoscope wrote or the kernel delivered them.
	Imported    bool   `json:"imported"`
	CaptureFile string `json:"captureFile"`
}

// AnswerRef is a row that answered a request, as the inspector links to it.
type AnswerRef struct {
	Row   int64    `json:"row"`
	Kind  string   `json:"kind"`
	Class string   `json:"class"`
	RTTMs *float64 `json:"rttMs"`
}
