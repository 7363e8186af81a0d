package history

import (
	"fmt"
	"net/netip"
	"time"

	"echoscope/backend/probe"
)

// importPlan is what the first reading of a capture learns, in memory proportional to the
// number of pings in it (not to its packets): each ping's flow, when it starts and ends,
// where it pinged. The second reading judges and stores with it.
type importPlan struct {
	flows   map[flowKey]*flowPlan
	order   []*flowPlan // by first appearance
	packets int
	start   time.Time // the first message's time
	end     time.Time // the last's
	targets map[netip.Addr]bool
	first   netip.Addr // the first request's destination
	timeout time.Duration
}

// flowPlan is one ping as the first reading saw it.
type flowPlan struct {
	key   flowKey
	order int
	// base: request numbers of this flow follow all earlier flows' (as a session of
	// several pings would number them).
	base uint64
	// Request numbering as the engine does it (each number's low 16 bits are the
	// sequence): first and last number.
	first, prev uint64
	sends       int
	payloadSize int // the first request's data length, -1 before one
	// token: every request carries this Echoscope token and a send time within a second
	// of when the capture saw it; tokenBroken once one does not.
	token       uint64
	tokenBroken bool
	// recent holds the requests (time, number) of the last two timeouts from recentHead on;
	// widest is the largest span of request numbers such a window ever held: what the
	// engine's ring must cover to find every request a reply may still answer.
	recent     []sentAt
	recentHead int
	widest     uint64
}

type sentAt struct {
	at    time.Time
	index uint64
}

func newImportPlan(timeout time.Duration) *importPlan {
	return &importPlan{flows: map[flowKey]*flowPlan{}, targets: map[netip.Addr]bool{}, timeout: timeout}
}

// plannedPacket is what the plan needs of a packet, taken from its bytes while the capture
// reader still holds them: the planning reading neither copies a frame's bytes nor holds
// whole rows in its time-order window.
type plannedPacket struct {
	at     time.Time
	kind   probe.EventKind
	flow   flowKey
	inFlow bool // flow is set: the packet belongs to a ping
	seq    uint16
	// payload is a request's echo data length, -1 when its ICMP message is shorter than an
	// echo header.
	payload int
	// token and tokenSent: the Echoscope token and send time its payload carries, when
	// hasToken.
	token     uint64
	tokenSent time.Time
	hasToken  bool
}

// plannedOf takes from p (whose bytes may be the reader's buffer) what the plan needs.
func plannedOf(p *Packet) plannedPacket {
	n := plannedPacket{at: p.Time.Time, kind: p.Kind, seq: p.Seq, payload: -1}
	n.flow, n.inFlow = flowOf(p)
	if p.Kind != probe.EventSend {
		return n
	}
	_, icmp := icmpOf(p)
	if len(icmp) >= 8 {
		n.payload = len(icmp) - 8
	}
	n.token, n.tokenSent, n.hasToken = tokenIn(icmp)
	return n
}

// add takes the next packet in time order.
func (pl *importPlan) add(n *plannedPacket) {
	pl.packets++
	if t := n.at; !t.IsZero() {
		if pl.start.IsZero() || t.Before(pl.start) {
			pl.start = t
		}
		pl.end = later(pl.end, t)
	}
	if !n.inFlow {
		return
	}
	k := n.flow
	f := pl.flows[k]
	if f == nil {
		f = &flowPlan{key: k, order: len(pl.order), payloadSize: -1}
		pl.flows[k] = f
		pl.order = append(pl.order, f)
	}
	if n.kind != probe.EventSend {
		return
	}
	if !pl.targets[k.target] {
		if len(pl.targets) == 0 {
			pl.first = k.target
		}
		pl.targets[k.target] = true
	}
	f.addSend(n, pl.timeout)
}

func (f *flowPlan) addSend(n *plannedPacket, timeout time.Duration) {
	f.sends++
	idx := f.prev&^0xffff | uint64(n.seq)
	if idx <= f.prev {
		idx += 1 << 16
	}
	if f.first == 0 {
		f.first = idx
	}
	f.prev = idx
	if f.payloadSize < 0 && n.payload >= 0 {
		f.payloadSize = n.payload
	}
	token, ok := n.token, n.hasToken
	if !ok || token == 0 || (f.token != 0 && token != f.token) || n.at.Sub(n.tokenSent).Abs() > time.Second {
		f.tokenBroken = true
	}
	f.token = token
	// The window of two timeouts: a reply is matched while its request is in the ring,
	// late ones included.
	window := 2 * timeout
	for f.recentHead < len(f.recent) && n.at.Sub(f.recent[f.recentHead].at) > window {
		f.recentHead++
	}
	if f.recentHead > 1024 && f.recentHead*2 > len(f.recent) {
		kept := copy(f.recent, f.recent[f.recentHead:])
		f.recent, f.recentHead = f.recent[:kept], 0
	}
	f.recent = append(f.recent, sentAt{n.at, idx})
	f.widest = max(f.widest, idx-f.recent[f.recentHead].index+1)
}

// finish numbers the flows after one another and drops what only planning needed.
func (pl *importPlan) finish() {
	var base uint64
	for _, f := range pl.order {
		f.base = base
		base += f.prev
		f.recent = nil
	}
}

// streamConfig is how the engine judges this flow.
func (f *flowPlan) streamConfig(timeout time.Duration) probe.OfflineStreamConfig {
	token := f.token
	if f.tokenBroken {
		token = 0
	}
	// The ring covers the flow's whole span of numbers, as ClassifyOffline does, unless that
	// is more than twice the widest span within two timeouts: then, as in a live session,
	// that is enough to match every reply, and memory stays bounded by what is outstanding.
	span := f.prev - f.first + 1
	ring := int(min(span, 1<<16, 2*f.widest+64))
	return probe.OfflineStreamConfig{
		OfflineConfig: probe.OfflineConfig{Target: f.key.target, Identifier: f.key.id, Timeout: timeout, Token: token},
		PayloadSize:   max(f.payloadSize, 0),
		Ring:          ring,
	}
}

// target names the session after the destination of its echo requests: the one address,
// or "N targets" when there are several.
func (pl *importPlan) target() string {
	switch len(pl.targets) {
	case 0:
		return "no echo requests"
	case 1:
		return pl.first.String()
	}
	return fmt.Sprintf("%d targets", len(pl.targets))
}
