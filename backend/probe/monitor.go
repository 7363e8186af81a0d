package probe

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync/atomic"
	"time"
)

// A Monitor pings many targets at once, each exactly as a Session would, with one engine
// per target (the same matching rules, classes, statistics and Summary) and one socket per
// address family shared by all of them where the socket allows it:
//
//   - raw sockets: one per family for the whole monitor; every target gets an identifier
//     of its own, and each received message (echo reply, or ICMP error through the
//     identifier in its quoted header) goes to the target owning that identifier, whose
//     engine then classifies it with the single-session code (monitor_demux.go);
//   - datagram sockets (and the Windows API): the kernel owns the identifier (the local
//     port), so every target gets a socket of its own.
//
// Sends are spread evenly over the interval: target i sends at offset i*Interval/N of
// every interval, so N targets at 1 s make one request every 1/N s, never a burst.
//
// Kernel TX timestamps on a shared socket are numbered by the socket (SO_TIMESTAMPING
// OPT_ID counts every send on it); the monitor records which target made each send and
// hands each stamp to that target's engine under the engine's own count, so RTTs are
// "kernel-tx/kernel-rx" exactly as in a Session.

// MaxMonitorTargets bounds the targets of one monitor: a raw socket's identifiers are
// 16 bits and every target needs its own; 4096 is a /20, far beyond a screen of rows.
const MaxMonitorTargets = 4096

// MonitorOptions describe one monitor: the targets, and the options every target runs with.
// They are plain data (JSON-friendly) so that the agent protocol carries them as they are.
type MonitorOptions struct {
	// Targets are host names or address literals, in the order targets are numbered
	// (target index i is Targets[i]). The same host may appear twice: two targets.
	Targets []string `json:"targets"`
	// Options apply to every target; Options.Target is ignored (set from Targets).
	// Interval is each target's own interval; the monitor sends one request every
	// Interval/len(Targets). Count, Timeout, Size, TTL, ... are per target. Deadline ends
	// the whole monitor. Flood, Adaptive, Preload, Identifier, CountReplies and
	// Broadcast are not available in a monitor.
	Options Options `json:"options"`
	// UntilReply makes each target stop at its first reply (fping's default mode, "is it
	// alive?"): Options.Count is then the most requests a target gets (fping -r retries + 1),
	// each sent when the one before it timed out, in the monitor's next free slot (a retry
	// due sooner waits, so retries keep the monitor at one request per Interval/N, as
	// fping's -i).
	UntilReply bool `json:"untilReply,omitempty"`
	// Backoff multiplies the timeout after each unanswered request of an UntilReply target
	// (fping -B); 0 means 1 (no backoff). At most MaxMonitorBackoff.
	Backoff float64 `json:"backoff,omitempty"`
}

// MaxMonitorBackoff is the largest Backoff (fping allows 1.0 to 5.0).
const MaxMonitorBackoff = 5.0

// MonitorHandler receives every event of a monitor with the index of its target (into
// MonitorOptions.Targets), in order per target and overall, on a goroutine of the
// monitor's own (never the sending one), with the same queueing rules as a Session's
// Handler (per target: a newer EventStats replaces a waiting one). Events that no target
// owns (another program's ICMP on a shared raw socket) are not delivered; they are counted
// in MonitorSummary.Unattributed.
type MonitorHandler func(target int, ev Event)

// MonitorTarget is one target of a monitor as resolved.
type MonitorTarget struct {
	// Target as given, Addr as resolved.
	Target string     `json:"target"`
	Addr   netip.Addr `json:"addr"`
}

// MonitorSummary is what Monitor.Run returns: one Summary per target, what a Session to
// that target would have returned, in target order. A target that is done (its count
// resolved) keeps classifying what still arrives for it, such as a duplicate, until the
// whole monitor ends, as fping does; its statistics count those too, and its Summary.End
// is when it was done.
type MonitorSummary struct {
	Targets []Summary `json:"targets"`
	// Unattributed counts received messages on a shared socket that belong to no target
	// (another identifier: someone else's ping, or ICMP about someone else's packet).
	Unattributed uint64    `json:"unattributed"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
}

// Monitor is a run against many targets. Create with NewMonitor, then Start (opens the
// sockets, so privilege errors surface first) and Run; cancel Run's context to stop early.
type Monitor struct {
	opts    MonitorOptions
	handler MonitorHandler
	targets []MonitorTarget
	// ownTrafficOnly and adaptiveFloor come from the policy (see Session).
	ownTrafficOnly bool

	socks     []*monitorSocket
	perTarget []*monitorTarget
	// queue carries events to the handler (nil without one); unattributed counts
	// messages no target owns (MonitorSummary.Unattributed).
	queue        *monitorQueue
	unattributed uint64
	// spacing is Interval/N; nextAllowed is when UntilReply's next retry may go (loop only).
	spacing     time.Duration
	nextAllowed time.Time
	// ids are the identifiers given to the targets of a shared raw socket (0: none).
	ids     []uint16
	started atomic.Bool
	opened  bool
	// omitBytes: events are built without packet bytes (OmitBytes).
	omitBytes bool
	// readInLoop: the loop reads a single shared socket itself (ReadInLoop).
	readInLoop bool
	// newConn opens a socket; tests replace it.
	newConn func(ctx context.Context, kind SocketKind, target netip.Addr, o *Options) (packetConn, error)
}

// NewMonitor validates opts against policy and resolves every target (system resolver;
// ctx ends the lookups). The policy's rate limits apply to the monitor as a whole: its
// request rate is len(Targets)/Interval, and its interval between any two requests,
// Interval/len(Targets), must not be below the policy's MinInterval. Errors wrap
// ErrInvalidOption, ErrPolicy, ErrResolve (naming the target) or ErrBroadcast.
func NewMonitor(ctx context.Context, opts MonitorOptions, policy Policy, h MonitorHandler) (*Monitor, error) {
	if err := opts.Validate(policy); err != nil {
		return nil, err
	}
	m := &Monitor{opts: opts, handler: h, ownTrafficOnly: policy.OwnTrafficOnly, newConn: openConn}
	if h != nil {
		m.queue = newMonitorQueue(h, len(opts.Targets), maxQueuedEvents)
	}
	m.targets = make([]MonitorTarget, len(opts.Targets))
	for i, t := range opts.Targets {
		addr, err := Resolve(ctx, t, opts.Options.Family)
		if err != nil {
			return nil, fmt.Errorf("target %d (%s): %w", i+1, t, err)
		}
		if isBroadcastish(addr) {
			return nil, fmt.Errorf("%w: %s (a monitor does not ping broadcast addresses)", ErrBroadcast, addr)
		}
		if addr.Is6() && !addr.Is4In6() && opts.Options.PayloadSize() > MaxPayloadIPv6 {
			return nil, invalidf("payload size %d above the IPv6 maximum %d", opts.Options.PayloadSize(), MaxPayloadIPv6)
		}
		m.targets[i] = MonitorTarget{Target: t, Addr: addr}
	}
	return m, nil
}

// Validate checks the monitor's options against the protocol and against p, counting the
// policy's rate across targets. Errors wrap ErrInvalidOption or ErrPolicy.
func (mo MonitorOptions) Validate(p Policy) error {
	n := len(mo.Targets)
	if n == 0 {
		return invalidf("no target host")
	}
	if err := mo.checkBounds(); err != nil {
		return err
	}
	if p.MaxTargets > 0 && n > p.MaxTargets {
		return policyf("%d targets is above the maximum %d for policy %q", n, p.MaxTargets, p.Name)
	}
	o := mo.Options
	switch {
	case o.Flood:
		return invalidf("flood is for one target, not a monitor")
	case o.Adaptive:
		return invalidf("adaptive interval is for one target, not a monitor")
	case o.Preload > 1:
		return invalidf("preload is for one target, not a monitor")
	case o.Identifier != 0:
		return invalidf("a monitor chooses one identifier per target itself")
	case o.CountReplies:
		return invalidf("counting replies is for one target; a monitor has UntilReply")
	case o.Broadcast:
		return invalidf("a monitor does not ping broadcast addresses")
	}
	if mo.UntilReply && o.Count == 0 {
		return invalidf("until-reply needs a count (the most requests per target)")
	}
	if mo.Backoff != 0 && (mo.Backoff < 1 || mo.Backoff > MaxMonitorBackoff) {
		return invalidf("backoff %g out of range 1..%g", mo.Backoff, MaxMonitorBackoff)
	}
	// Every target's options are checked as a Session's, and the policy's interval and
	// rate against the monitor's aggregate pace: one request every Interval/N.
	agg := o
	agg.Interval = max(o.EffectiveInterval()/time.Duration(n), 1)
	for _, t := range mo.Targets {
		agg.Target = t
		if err := agg.Validate(p); err != nil {
			if errors.Is(err, ErrPolicy) && n > 1 {
				return fmt.Errorf("%w (counted across %d targets: one request every %v)", err, n, agg.Interval)
			}
			return fmt.Errorf("target %q: %w", t, err)
		}
	}
	return nil
}

// Targets returns the targets as resolved, in index order.
func (m *Monitor) Targets() []MonitorTarget { return append([]MonitorTarget(nil), m.targets...) }

// Options returns the monitor's options as given.
func (m *Monitor) Options() MonitorOptions { return m.opts }

// Identifier returns the identifier target i's requests carry on the wire (after Start:
// the kernel's local port for a datagram socket); 0 before Start.
func (m *Monitor) Identifier(i int) uint16 {
	if i < 0 || i >= len(m.perTarget) {
		return 0
	}
	return m.perTarget[i].eng.id
}

// SocketKind returns the kind of socket target i uses (SocketAuto before Start).
func (m *Monitor) SocketKind(i int) SocketKind {
	if i < 0 || i >= len(m.perTarget) {
		return SocketAuto
	}
	return m.perTarget[i].conn.Kind()
}

// OmitBytes makes every target's events come without packet bytes (Event.Bytes and
// Event.Request stay nil) while the handler still gets each of them, classified and timed
// as ever: for callers that keep only figures, such as the Prometheus exporter, which then
// copies no packet per event. Call it before Start.
func (m *Monitor) OmitBytes() {
	if !m.opened {
		m.omitBytes = true
	}
}

// UserSendTimes makes every target time its requests in user space, just before the send
// call, instead of asking the kernel for a TX timestamp, as Session.UserSendTimes does: the
// kernel then queues no timestamp per send and the monitor reads no error queue for them.
// RTTs name their clock pair "user/kernel-rx" and each Summary.KernelTX is false. Call it
// before Start (the sockets' options are set when they open); later it does nothing.
func (m *Monitor) UserSendTimes() {
	if !m.opened {
		m.opts.Options.userSendTimes = true
	}
}

// Start opens the sockets: a shared raw socket per family when Options.Socket is raw or
// auto and raw sockets can be opened, else one socket per target. Errors as Session.Start.
// Calling Start is optional: Run starts the monitor when needed.
func (m *Monitor) Start(ctx context.Context) error {
	if m.opened {
		return ErrStarted
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	m.opened = true
	return nil
}

// Run sends and classifies until every target is done (its Count resolved, or its first
// reply with UntilReply), Deadline passes, or ctx is cancelled; then it reports what is
// still outstanding as lost, closes the sockets and returns one Summary per target.
// Cancellation is not an error. Run may be called once.
func (m *Monitor) Run(ctx context.Context) (MonitorSummary, error) {
	if !m.started.CompareAndSwap(false, true) {
		return MonitorSummary{}, ErrStarted
	}
	if !m.opened {
		if err := m.Start(ctx); err != nil {
			return MonitorSummary{}, err
		}
	}
	return m.run(ctx)
}
