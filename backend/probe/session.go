package probe

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net/netip"
	"sync/atomic"
	"time"
)

// Handler receives every event of a session, in order, on a goroutine of the session's own
// that is not the one sending: a handler that stalls (a full pipe, a busy store, a GUI that
// does not read) never delays a request. While it lags, its events wait in a bounded queue;
// a newer statistics event replaces a waiting one (Stats.StatsCoalesced) and packet events
// beyond the bound are dropped and counted (Stats.EventsDropped). Run returns after the
// handler has had every event. A nil Handler discards events.
type Handler func(Event)

// Session is one ping run against one target. Create with NewSession, then Start (opens the
// socket, so privilege errors surface before anything is sent) and Run. Cancel the context
// given to Run to stop early; the Summary is still returned.
type Session struct {
	opts      Options
	handler   Handler
	discard   bool // no handler was given: events need no bytes
	statsOnly bool // StatisticsOnly: the handler sees EventStats alone
	// ownTrafficOnly: Policy.OwnTrafficOnly of the policy the session was created under.
	ownTrafficOnly bool
	addr           netip.Addr
	// statsWanted: RequestStats asked for an EventStats (read by the engine's loop).
	statsWanted atomic.Bool
	// adaptiveFloor is the policy's MinAdaptiveInterval (Options.Adaptive).
	adaptiveFloor time.Duration
	// statsKick wakes the channel loop for a RequestStats (buffered: a kick is never lost).
	statsKick chan struct{}

	conn    packetConn
	started atomic.Bool
	// newConn opens the socket; tests replace it with a fake.
	newConn func(ctx context.Context, kind SocketKind, target netip.Addr, o *Options) (packetConn, error)
}

// NewSession validates opts against policy and resolves the target (system resolver only).
// Errors wrap ErrInvalidOption, ErrPolicy, ErrResolve or ErrBroadcast.
func NewSession(opts Options, policy Policy, h Handler) (*Session, error) {
	return NewSessionContext(context.Background(), opts, policy, h)
}

// NewSessionContext is NewSession whose name lookup ends when ctx does.
func NewSessionContext(ctx context.Context, opts Options, policy Policy, h Handler) (*Session, error) {
	if err := opts.Validate(policy); err != nil {
		return nil, err
	}
	addr, err := Resolve(ctx, opts.Target, opts.Family)
	if err != nil {
		return nil, err
	}
	if isBroadcastish(addr) && !opts.Broadcast {
		return nil, fmt.Errorf("%w: %s", ErrBroadcast, addr)
	}
	if addr.Is6() && !addr.Is4In6() && opts.PayloadSize() > MaxPayloadIPv6 {
		return nil, invalidf("payload size %d above the IPv6 maximum %d", opts.PayloadSize(), MaxPayloadIPv6)
	}
	discard := h == nil
	if discard {
		h = func(Event) {}
	}
	// Choose identifier and token now, so kernel filters can be built when the socket opens.
	if opts.Identifier == 0 {
		opts.Identifier = uint16(randUint64()%0xfffe) + 1
	}
	if opts.Token == 0 {
		opts.Token = randUint64() | 1
	}
	return &Session{opts: opts, handler: h, discard: discard, addr: addr, newConn: openConn,
		statsKick: make(chan struct{}, 1), adaptiveFloor: policy.MinAdaptiveInterval,
		ownTrafficOnly: policy.OwnTrafficOnly}, nil
}

func randUint64() uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return uint64(time.Now().UnixNano())
	}
	return binary.BigEndian.Uint64(b[:])
}

// OmitBytes makes the session build its events without packet bytes (Event.Bytes and
// Event.Request stay nil) while still calling the handler: for callers that want only the
// classification and figures, such as a quiet flood, which then copies no packet per event.
// Call it before Run.
func (s *Session) OmitBytes() { s.discard = true }

// UserSendTimes makes the session time each request in user space, just before its send
// call, as iputils does, instead of asking the kernel for a TX timestamp: the kernel then
// clones no packet into the error queue per send and the engine reads no error queue for
// stamps, which counts at flood rates. RTTs name their clock pair "user/kernel-rx" (kernel
// RX timestamps stay) and Summary.KernelTX is false, so nobody mistakes them for kernel-only
// times. The quiet CLI flood uses it; everything that shows single packets should not.
// Call it before Start (the socket's options are set when it opens); later it does nothing.
func (s *Session) UserSendTimes() {
	if s.conn == nil {
		s.opts.userSendTimes = true
	}
}

// StatisticsOnly makes the session count without reporting each packet: the handler then
// receives EventStats alone (every Options.StatsEvery, and after RequestStats), while
// every message is still classified by the same code and counted in the same Stats, so the
// final Summary is what a full session would return. Sends and losses build no event, and
// received messages' events stop at the statistics: what a quiet flood (echoscope-ping -f
// -q) needs, without the per-packet work for events nobody reads. Call it before Run.
func (s *Session) StatisticsOnly() { s.statsOnly = true }

// RequestStats asks the running session for an EventStats at the next turn of its loop
// (at once; a flood's direct loop at its next turn), as iputils' SIGQUIT does for
// its status line. Safe from any goroutine, also before Run; requests made before the
// event goes out are answered by that one event.
func (s *Session) RequestStats() {
	s.statsWanted.Store(true)
	select {
	case s.statsKick <- struct{}{}: // wake the loop now, not at its next due time
	default:
	}
}

// PinSource makes every request leave from source, the address the kernel chose when the
// session started (iputils ping -B, "sticky source address"), even if routes change while it
// runs. Call it before Start (the socket binds when it opens); later it returns ErrStarted.
func (s *Session) PinSource(source netip.Addr) error {
	if s.conn != nil {
		return ErrStarted
	}
	s.opts.Source = source.String()
	return nil
}

// Addr is the resolved target address.
func (s *Session) Addr() netip.Addr { return s.addr }

// Options returns the options the session runs with: as given, with the random Identifier
// and Token chosen by NewSession filled in.
func (s *Session) Options() Options { return s.opts }

// SocketKind returns the kind of socket opened by Start (SocketAuto before Start).
func (s *Session) SocketKind() SocketKind {
	if s.conn == nil {
		return SocketAuto
	}
	return s.conn.Kind()
}

// Start opens the socket (the kind asked for, or the best available for SocketAuto).
// Errors wrap ErrPrivilegeRequired (with the fix for this OS), ErrUnsupported or ErrNoSocket.
// Calling Start is optional: Run starts the session itself when needed.
func (s *Session) Start(ctx context.Context) error {
	if s.conn != nil {
		return ErrStarted
	}
	c, err := s.newConn(ctx, s.opts.Socket, s.addr, &s.opts)
	if err != nil {
		return err
	}
	s.conn = c
	return nil
}

// Run sends the requests and classifies everything received until Count requests are
// resolved (plus Linger), Deadline passes, or ctx is cancelled; then it reports every request
// still outstanding as lost, closes the socket and returns the final Summary. Cancellation is
// not an error. Run may be called once.
func (s *Session) Run(ctx context.Context) (Summary, error) {
	if !s.started.CompareAndSwap(false, true) {
		return Summary{}, ErrStarted
	}
	if s.conn == nil {
		if err := s.Start(ctx); err != nil {
			return Summary{}, err
		}
	}
	return s.run(ctx)
}
