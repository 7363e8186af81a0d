package probe

import (
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"time"

	"echoscope/backend/wire"
)

// ErrRecording: ClassifyOffline was given a recording it cannot judge (a "sent" message that
// is not an echo request of the configured identifier, or no target).
var ErrRecording = errors.New("probe: unusable recording")

// OfflineConfig describes the session a recording belongs to: one target, one identifier.
// (A capture with several pings in it is split into one recording per target and identifier
// by the caller.)
type OfflineConfig struct {
	// Target is where the requests went. Replies from elsewhere are foreign ("different
	// address"), unless Broadcast.
	Target netip.Addr
	// Identifier is the echo identifier the requests carry on the wire.
	Identifier uint16
	// IdentifierRewritten: the recording comes from a Linux datagram socket, whose kernel
	// puts its own identifier in: replies are then matched without it.
	IdentifierRewritten bool
	// Token is the session token in Echoscope payloads; 0 when unknown (another tool's
	// capture): replies are then matched on identifier and sequence and their payload is
	// compared with the recorded request's.
	Token uint64
	// Timeout per request; 0 means DefaultTimeout. Replies after it are late.
	Timeout time.Duration
	// Broadcast: the target reaches many hosts; replies from any address are accepted.
	Broadcast bool
	// LossWindow as Options.LossWindow.
	LossWindow int
}

// OfflineMessage is one recorded packet: a request the session sent, or a message it
// received.
type OfflineMessage struct {
	Sent bool
	// At is when it was sent or received, with the clock it came from (a capture's own).
	At Timestamp
	// Bytes as recorded: the ICMP message, or an IPv4 datagram when IncludesIPHeader (IPv6
	// headers are not accepted: give the ICMPv6 message and From/To, as a raw IPv6 socket).
	Bytes            []byte
	IncludesIPHeader bool
	// From and To are the addresses (the IPv4 header's win when it is included).
	From, To netip.Addr
	// TTL is the received TTL / hop limit when known, else -1.
	TTL int
	// Truncated: the recording kept only the first bytes of the message (a capture's snap
	// length). It is matched on the bytes it has, its checksum and missing payload are not
	// held against it, and its note says it was truncated.
	Truncated bool
}

// OfflineResult is a judged recording.
type OfflineResult struct {
	// Events holds one event per message, at the message's position: EventSend for a sent
	// request, the classified EventReply or EventICMPError for a received message.
	Events []Event
	// Losses holds one EventLoss per lost request, in time order.
	Losses []Event
	// Stats are the final statistics, as a live session's Summary would carry.
	Stats Stats
}

// ClassifyOffline judges a recording by the engine's own rules, exactly as a live session
// would have: the same matching (identifier, sequence, token, source), the same classes
// (on time, out of order, late, duplicate, foreign, corrupt, ICMP error) and the same
// statistics; requests without a reply by their timeout are lost at that time. Messages are
// taken in time order (ties in the given order). Each request's number (Event.Index) is
// chosen so that its low 16 bits are its sequence number.
func ClassifyOffline(cfg OfflineConfig, msgs []OfflineMessage) (OfflineResult, error) {
	if !cfg.Target.IsValid() {
		return OfflineResult{}, fmt.Errorf("%w: no target", ErrRecording)
	}
	order := make([]int, len(msgs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return msgs[order[a]].At.Time.Before(msgs[order[b]].At.Time) })

	fam := wire.IPv4
	if cfg.Target.Is6() && !cfg.Target.Is4In6() {
		fam = wire.IPv6
	}
	span, size, err := planRequests(cfg, fam, msgs, order)
	if err != nil {
		return OfflineResult{}, err
	}
	res := OfflineResult{Events: make([]Event, len(msgs))}
	st, err := NewOfflineStream(OfflineStreamConfig{OfflineConfig: cfg, PayloadSize: size, Ring: int(min(span, 1<<16))},
		func(ev Event) { res.Losses = append(res.Losses, ev) })
	if err != nil {
		return OfflineResult{}, err
	}
	for _, i := range order {
		if res.Events[i], err = st.Add(msgs[i]); err != nil {
			return OfflineResult{}, fmt.Errorf("message %d: %w", i, err)
		}
	}
	// The recording ends: what is still outstanding is lost at its timeout.
	res.Stats = st.Finish()
	return res, nil
}

// planRequests checks the recorded requests and numbers them in time order as the stream
// will (each number's low 16 bits are its sequence: the engine's ring finds requests that
// way). It returns the numbers' span (for the ring) and the payload size.
func planRequests(cfg OfflineConfig, fam wire.Family, msgs []OfflineMessage, order []int) (uint64, int, error) {
	var first, prev uint64
	size := -1
	for _, i := range order {
		m := &msgs[i]
		if !m.Sent {
			continue
		}
		icmp := m.Bytes
		if m.IncludesIPHeader {
			_, payload, err := wire.SplitIPv4(m.Bytes)
			if err != nil {
				return 0, 0, fmt.Errorf("%w: sent message %d: %w", ErrRecording, i, err)
			}
			icmp = payload
		}
		em, err := wire.ParseEcho(fam, icmp)
		if err != nil || em.Type != wire.EchoRequestType(fam) {
			return 0, 0, fmt.Errorf("%w: sent message %d is not an %s echo request", ErrRecording, i, fam.ICMPName())
		}
		if em.ID != cfg.Identifier && !cfg.IdentifierRewritten {
			return 0, 0, fmt.Errorf("%w: sent message %d has identifier %#04x, not %#04x", ErrRecording, i, em.ID, cfg.Identifier)
		}
		// The next number above prev whose low 16 bits are the sequence.
		idx := prev&^0xffff | uint64(em.Seq)
		if idx <= prev {
			idx += 1 << 16
		}
		if first == 0 {
			first = idx
		}
		prev = idx
		if size < 0 {
			size = len(em.Data)
		}
	}
	return prev - first + 1, max(size, 0), nil
}

// newOfflineEngine is an engine over no socket, with a ring covering span request numbers.
func newOfflineEngine(o Options, cfg OfflineConfig, fam wire.Family, span uint64, h Handler) *engine {
	conn := recordedConn{v6: fam == wire.IPv6, id: cfg.Identifier, rewritten: cfg.IdentifierRewritten}
	e := newEngine(o, cfg.Target, conn, h)
	e.offline = true
	size := 64
	for uint64(size) < span && size < 65536 {
		size <<= 1
	}
	e.ring = newRequestRing(size)
	e.txIndex = make([]uint64, size)
	return e
}

// recordedConn stands for the socket of a recording: it says what the recording's socket
// did (family, identifier rewriting) and performs no I/O.
type recordedConn struct {
	v6        bool
	id        uint16
	rewritten bool
}

func (c recordedConn) Kind() SocketKind {
	if c.rewritten {
		return SocketDatagram
	}
	return SocketRaw
}
func (c recordedConn) IPv6() bool                  { return c.v6 }
func (c recordedConn) RewrittenID() (uint16, bool) { return c.id, c.rewritten }
func (c recordedConn) Clocks() (tx, rx bool)       { return false, false }
func (c recordedConn) Close() error                { return nil }
func (c recordedConn) Send([]byte, netip.Addr) (time.Time, error) {
	return time.Time{}, fmt.Errorf("%w: a recording sends nothing", ErrClosed)
}
func (c recordedConn) Receive(*inbound) error {
	return fmt.Errorf("%w: a recording receives nothing", ErrClosed)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
