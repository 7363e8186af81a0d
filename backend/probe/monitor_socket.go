package probe

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"echoscope/backend/wire"
)

// monitorSocket is one socket a monitor reads: shared by every target of its family (raw)
// or owned by one target (datagram, Windows API).
type monitorSocket struct {
	conn   packetConn
	shared bool
	fam    wire.Family
	// owner is the one target of a socket that is not shared.
	owner int
	// byID maps identifiers to targets (shared), byAddr the targets' addresses to the first
	// target with that address: an echo reply from a target with an identifier that is not
	// ours goes to that target's engine as foreign, as it would reach a Session's socket.
	byID   map[uint16]int
	byAddr map[netip.Addr]int
	// txOwners maps the socket's TX timestamp keys (OPT_ID: every send on the socket,
	// numbered from 0) to the target that sent and that target's own key; txCount is the
	// number of sends recorded. Written by Send, read by route, both on the loop goroutine.
	txOwners []txOwner
	txCount  uint32
	txKeyed  bool
}

// txOwner is who made one send on a shared socket.
type txOwner struct {
	target int32
	key    uint32
}

// txOwnerRing is how many sends back a TX timestamp can still be given to its target:
// stamps come within microseconds of their send, this is seconds of sends at any pace.
const txOwnerRing = 1 << 14

// sharedView is one target's packetConn on a shared socket: its sends go through the
// socket and are recorded, so each TX timestamp reaches its target under the target's own
// key; its reads are done by the monitor (Receive is never called).
type sharedView struct {
	sock   *monitorSocket
	target int
	// txCount is this target's sends that got a stamp key, as its engine counts them
	// (engine.keyTX after each successful send).
	txCount uint32
}

func (v *sharedView) Kind() SocketKind            { return v.sock.conn.Kind() }
func (v *sharedView) IPv6() bool                  { return v.sock.conn.IPv6() }
func (v *sharedView) RewrittenID() (uint16, bool) { return 0, false }
func (v *sharedView) Clocks() (tx, rx bool)       { return v.sock.conn.Clocks() }
func (v *sharedView) Close() error                { return nil } // the monitor closes the socket

// Receive is not used: the monitor reads the shared socket and routes what it reads.
func (v *sharedView) Receive(*inbound) error {
	return fmt.Errorf("%w: a monitor target's socket is read by the monitor", ErrClosed)
}

// Send writes through the shared socket and records which target the socket's next TX
// timestamp key belongs to (a send that failed gets no key, as engine.keyTX counts).
func (v *sharedView) Send(msg []byte, dst netip.Addr) (time.Time, error) {
	s := v.sock
	t, err := s.conn.Send(msg, dst)
	if err == nil && s.txKeyed {
		s.txOwners[s.txCount&(txOwnerRing-1)] = txOwner{target: int32(v.target), key: v.txCount}
		s.txCount++
		v.txCount++
	}
	return t, err
}

// route finds the target a message read from the socket belongs to and rewrites a TX
// timestamp's key into that target's numbering. ok is false for a message no target owns.
// A packet carrying a TX timestamp along (hasTX) must be split first (see dispatch).
func (s *monitorSocket) route(in *inbound) (target int, ok bool) {
	if !s.shared {
		return s.owner, true
	}
	switch in.kind {
	case inboundTXStamp:
		// Keys older than the ring, or never given out, belong to nobody we know.
		if s.txCount-in.txKey > txOwnerRing || in.txKey >= s.txCount {
			return 0, false
		}
		o := s.txOwners[in.txKey&(txOwnerRing-1)]
		in.txKey = o.key
		return int(o.target), true
	case inboundQueuedError, inboundLocalError:
		// The data is our own request as sent: its identifier names the target.
		em, err := wire.ParseEcho(s.fam, in.data)
		if err != nil {
			return 0, false
		}
		target, ok = s.byID[em.ID]
		return target, ok
	}
	icmp, from := in.data, in.from
	if in.includesIPHeader {
		h, payload, err := wire.SplitIPv4(in.data)
		if err != nil {
			return 0, false
		}
		icmp, from = payload, h.Src
	}
	if len(icmp) < wire.EchoHeaderLen {
		return s.targetAt(from)
	}
	switch {
	case icmp[0] == wire.EchoReplyType(s.fam):
		if target, ok = s.byID[uint16(icmp[4])<<8|uint16(icmp[5])]; ok {
			return target, true
		}
		return s.targetAt(from)
	case isErrorType(s.fam, icmp[0]):
		// ICMP errors go by the identifier in the quoted request.
		m, err := wire.ParseMessage(s.fam, icmp)
		if err != nil {
			return 0, false
		}
		qd, err := m.Quoted()
		if err != nil {
			return 0, false
		}
		em, ok := qd.Echo()
		if !ok || em.Type != wire.EchoRequestType(s.fam) {
			return 0, false
		}
		target, ok = s.byID[em.ID]
		return target, ok
	}
	return 0, false
}

// targetAt is the target whose address sent a message that matched no identifier.
func (s *monitorSocket) targetAt(from netip.Addr) (int, bool) {
	if !from.IsValid() {
		return 0, false
	}
	t, ok := s.byAddr[unmapIfV4(from.WithZone(""))]
	return t, ok
}

// open opens the monitor's sockets and builds one engine per target on them.
func (m *Monitor) open(ctx context.Context) error {
	o := m.opts.Options
	var socks []*monitorSocket
	closeAll := func() {
		for _, s := range socks {
			s.conn.Close()
		}
	}
	conns := make([]packetConn, len(m.targets))
	m.ids = make([]uint16, len(m.targets))
	if o.Socket == SocketRaw || o.Socket == SocketAuto {
		shared, err := m.openShared(ctx, conns)
		socks = shared
		if err != nil {
			closeAll()
			if o.Socket == SocketRaw {
				return err
			}
			// Auto: whatever kept the raw socket shut (no privilege, or a platform whose
			// raw sockets fail otherwise), each target gets the platform's best socket of
			// its own; a reason that stops those too is reported from there.
			socks, conns = nil, make([]packetConn, len(m.targets))
			clear(m.ids)
		}
	}
	if socks == nil { // one socket per target: the kernel owns the identifier
		for i, t := range m.targets {
			to := o
			to.Target = t.Target
			c, err := m.newConn(ctx, o.Socket, t.Addr, &to)
			if err != nil {
				closeAll()
				return fmt.Errorf("target %d (%s): %w", i+1, t.Target, err)
			}
			fam := wire.IPv4
			if c.IPv6() {
				fam = wire.IPv6
			}
			socks = append(socks, &monitorSocket{conn: c, owner: i, fam: fam})
			conns[i] = c
		}
	}
	m.socks = socks
	m.perTarget = make([]*monitorTarget, len(m.targets))
	for i, t := range m.targets {
		m.perTarget[i] = m.newTarget(i, t, conns[i])
	}
	return nil
}

// openShared opens one raw socket per family the targets need, gives every target an
// identifier of its own on it and its view of it (conns[i]).
func (m *Monitor) openShared(ctx context.Context, conns []packetConn) ([]*monitorSocket, error) {
	var socks []*monitorSocket
	byFam := map[bool]*monitorSocket{}
	// Identifiers base..base+N-1: one range, so a kernel filter can pass exactly the
	// monitor's echo replies (attachIDRange) while other programs ping from this host.
	n := len(m.targets)
	base := uint16(1 + randUint64()%uint64(0x10000-n))
	// ReadInLoop needs the one socket in direct mode, so only when one family is asked for.
	direct := m.readInLoop && oneFamily(m.targets)
	for i, t := range m.targets {
		v6 := isV6Target(t.Addr)
		s := byFam[v6]
		if s == nil {
			o := m.opts.Options
			o.Identifier = 0 // no per-identifier kernel filter: many identifiers share it
			o.forceDirect = direct
			probeAddr := netip.IPv4Unspecified()
			if v6 {
				probeAddr = netip.IPv6Unspecified()
			}
			c, err := m.newConn(ctx, SocketRaw, probeAddr, &o)
			if err != nil {
				return socks, err
			}
			fam := wire.IPv4
			if v6 {
				fam = wire.IPv6
			}
			s = &monitorSocket{conn: c, shared: true, fam: fam, byID: map[uint16]int{},
				byAddr: map[netip.Addr]int{}}
			s.txKeyed, _ = c.Clocks()
			if direct {
				readTXInline(c) // the direct loop reads each stamp as the general path does
			}
			if s.txKeyed {
				s.txOwners = make([]txOwner, txOwnerRing)
			}
			byFam[v6] = s
			socks = append(socks, s)
		}
		id := base + uint16(i)
		s.byID[id] = i
		m.ids[i] = id
		if _, seen := s.byAddr[t.Addr.WithZone("")]; !seen {
			s.byAddr[t.Addr.WithZone("")] = i
		}
		conns[i] = &sharedView{sock: s, target: i}
	}
	for _, s := range socks {
		if err := attachIDRange(s.conn, base, n); err != nil {
			return socks, err
		}
	}
	return socks, nil
}

// oneFamily tells whether every target is of the same address family (one shared socket).
func oneFamily(targets []MonitorTarget) bool {
	for _, t := range targets {
		if isV6Target(t.Addr) != isV6Target(targets[0].Addr) {
			return false
		}
	}
	return true
}

// isV6Target: an IPv6 target (an IPv4-mapped address is pinged over IPv4).
func isV6Target(a netip.Addr) bool { return a.Is6() && !a.Is4In6() }
