// Package agent is the protocol between Echoscope's GUI and its privileged helper
// `echoscope-ping --agent`, the helper's server side, and the client the GUI uses to find,
// start and talk to the helper, falling back to in-process engines when it cannot.
//
// # Wire format
//
// Each message is a frame: a 4-byte big-endian length, then that many bytes of JSON (a
// Message). Frames are at most MaxFrameSize bytes. Every message carries the protocol version
// ("v") and a type; session messages carry the session id chosen by the client.
//
//	helper -> client  hello    (first frame: version, capabilities, effective privilege, policy)
//	client -> helper  start    {session, body: StartRequest}
//	helper -> client  started  {session, body: Started}         or error {session, body: ErrorBody}
//	helper -> client  event    {session, body: probe.Event}     (many)
//	client -> helper  stop     {session}
//	helper -> client  done     {session, body: Done}            (exactly one per started session)
//	helper -> client  error    {body: ErrorBody}                (a frame it could not accept)
//	client -> helper  craft    {session, body: probe.CraftRequest}  (one crafted echo request)
//	helper -> client  crafted  {session, body: probe.CraftResult}   or error {session, body: ErrorBody}
//	client -> helper  monitor-start ... helper -> client monitor-done   (many targets: protocol_monitor.go)
//	client -> helper  trace    {session, body: TraceRequest}        (a traceroute; stop ends it early)
//	helper -> client  trace-round  {session, body: TraceRound}         (after each round)
//	helper -> client  trace-answer {session, body: probe.TraceAnswer}  (each kept answer, at the end)
//	helper -> client  traced   {session, body: TraceDone}           or error {session, body: ErrorBody}
//
// The helper has no listening socket: it reads stdin and writes stdout, and exits (stopping
// its sessions) when stdin closes.
package agent

import (
	"encoding/json"
	"net/netip"
	"time"

	"echoscope/backend/probe"
)

// ProtocolVersion is the version both sides must speak. A peer sending another version gets
// an ErrorBody with CodeVersion and nothing else happens.
const ProtocolVersion = 1

// Type names a message.
type Type string

// Message types.
const (
	TypeHello   Type = "hello"
	TypeStart   Type = "start"
	TypeStarted Type = "started"
	TypeStop    Type = "stop"
	TypeEvent   Type = "event"
	TypeDone    Type = "done"
	TypeError   Type = "error"
	TypeCraft   Type = "craft"
	TypeCrafted Type = "crafted"
	// A trace (trace.go): trace, then trace-answer frames and one traced, or an error.
	TypeTrace       Type = "trace"
	TypeTraceRound  Type = "trace-round"
	TypeTraceAnswer Type = "trace-answer"
	TypeTraced      Type = "traced"
	// TypeTraceEvent carries one event of a trace's probes as it happens (a probe.Event), when
	// the trace request asked for them (TraceRequest.Events): the app stores every packet.
	TypeTraceEvent Type = "trace-event"
)

// Message is the envelope of every frame.
type Message struct {
	Version int    `json:"v"`
	Type    Type   `json:"type"`
	Session string `json:"session,omitempty"`
	// Body is the type's payload, decoded by the receiver once it knows the type.
	Body json.RawMessage `json:"body,omitempty"`
}

// NewMessage builds a message with body marshalled to JSON.
func NewMessage(t Type, session string, body any) (Message, error) {
	m := Message{Version: ProtocolVersion, Type: t, Session: session}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return m, err
		}
		m.Body = b
	}
	return m, nil
}

// MaxSessionIDLen bounds session ids (they are echoed in every event frame).
const MaxSessionIDLen = 64

// Hello is the helper's first frame.
type Hello struct {
	// Protocol is ProtocolVersion of the helper.
	Protocol int `json:"protocol"`
	// Program is the helper's name and version, e.g. "echoscope-ping 0.1.0".
	Program string `json:"program"`
	// PID of the helper process.
	PID int `json:"pid"`
	// Privilege is the helper's effective privilege.
	Privilege PrivilegeInfo `json:"privilege"`
	// Capabilities are the socket kinds the helper can open.
	Capabilities probe.Capabilities `json:"capabilities"`
	// Policy is what the helper allows this caller.
	Policy PolicyInfo `json:"policy"`
	// MaxSessions is how many sessions may run at once.
	MaxSessions int `json:"maxSessions"`
	// MaxFrame is the largest frame the helper accepts.
	MaxFrame int `json:"maxFrame"`
}

// PrivilegeInfo is who the helper runs as and what it may do.
type PrivilegeInfo struct {
	UID  int `json:"uid"`
	EUID int `json:"euid"`
	// CapNetRaw: CAP_NET_RAW is in the effective set (Linux; false elsewhere).
	CapNetRaw bool `json:"capNetRaw"`
	// Effective is the probe package's summary (root, cap_net_raw, unprivileged...).
	Effective probe.Privilege `json:"effective"`
}

// PolicyInfo is probe.Policy in JSON form.
type PolicyInfo struct {
	Name        string        `json:"name"`
	MinInterval time.Duration `json:"minInterval"`
	AllowFlood  bool          `json:"allowFlood"`
	MaxSize     int           `json:"maxSize"`
	MaxRate     float64       `json:"maxRate"`
	MaxCount    int           `json:"maxCount"`
	// OwnTrafficOnly: this caller sees only messages tied to its own requests; the others
	// are counted as foreign, without bytes or addresses (probe.Policy.OwnTrafficOnly).
	OwnTrafficOnly bool `json:"ownTrafficOnly,omitempty"`
}

// PolicyInfoOf converts a probe.Policy.
func PolicyInfoOf(p probe.Policy) PolicyInfo {
	return PolicyInfo{Name: p.Name, MinInterval: p.MinInterval, AllowFlood: p.AllowFlood,
		MaxSize: p.MaxSize, MaxRate: p.MaxRate, MaxCount: p.MaxCount, OwnTrafficOnly: p.OwnTrafficOnly}
}

// StartRequest asks for a new session.
type StartRequest struct {
	Options probe.Options `json:"options"`
}

// Started confirms a session: the socket is open and the first request is about to go.
type Started struct {
	Addr   netip.Addr       `json:"addr"`
	Socket probe.SocketKind `json:"socket"`
}

// Done ends a session: its summary, or the error that ended it early.
type Done struct {
	Summary probe.Summary `json:"summary"`
	Error   string        `json:"error,omitempty"`
}

// ErrorCode classifies an ErrorBody so the client can map it back to a sentinel error.
type ErrorCode string

// Error codes.
const (
	CodeMalformed       ErrorCode = "malformed"    // frame is not a valid message or body
	CodeTooLarge        ErrorCode = "too-large"    // frame above MaxFrame
	CodeVersion         ErrorCode = "version"      // protocol version mismatch
	CodeUnknownType     ErrorCode = "unknown-type" // message type the helper does not take
	CodeBadSession      ErrorCode = "bad-session"  // missing, too long, duplicate or unknown session id
	CodeTooManySessions ErrorCode = "too-many-sessions"
	CodeInvalidOption   ErrorCode = "invalid-option" // probe.ErrInvalidOption
	CodePolicy          ErrorCode = "policy"         // probe.ErrPolicy / ErrBroadcast
	CodeResolve         ErrorCode = "resolve"        // probe.ErrResolve
	CodePrivilege       ErrorCode = "privilege"      // probe.ErrPrivilegeRequired / ErrNoSocket
	CodeEngine          ErrorCode = "engine"         // any other engine error
	CodeCraft           ErrorCode = "craft"          // probe.ErrCraft: not an echo request, not unicast...
)

// ErrorBody reports a refused frame or a session that could not start.
type ErrorBody struct {
	Code    ErrorCode `json:"code"`
	Message string    `json:"message"`
	// Hint is the fix, when there is one (e.g. the setcap command for CodePrivilege).
	Hint string `json:"hint,omitempty"`
}
