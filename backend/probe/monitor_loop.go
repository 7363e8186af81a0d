package probe

import (
	"container/heap"
	"context"
	"sync"
	"time"
)

// monitorTarget is one target's engine and schedule inside a monitor. Only the monitor's
// loop goroutine touches it.
type monitorTarget struct {
	index int
	eng   *engine
	conn  packetConn
	pacer *pacer
	// wake is when its engine next has something due; heapAt its place in the schedule.
	wake   time.Time
	heapAt int
	done   bool
	// baseTimeout and sentSeen drive UntilReply's backoff (see afterStep).
	baseTimeout time.Duration
	sentSeen    uint64
	summary     Summary
}

// newTarget builds target i's engine on conn, as Session.run builds a session's.
func (m *Monitor) newTarget(i int, t MonitorTarget, conn packetConn) *monitorTarget {
	o := m.opts.Options
	o.Target = t.Target
	o.Identifier = m.ids[i]
	if o.Identifier == 0 {
		o.Identifier = uint16(randUint64()%0xfffe) + 1
	}
	o.Token = randUint64() | 1
	if m.opts.UntilReply {
		// Each retry goes when the request before it timed out (fping), so the target's
		// own interval is its timeout; the ring is sized for that.
		o.Interval = o.EffectiveTimeout()
	}
	mt := &monitorTarget{index: i, conn: conn, baseTimeout: o.EffectiveTimeout()}
	h := Handler(func(Event) {})
	if m.queue != nil {
		q := m.queue
		h = func(ev Event) { q.push(i, ev) }
	}
	e := newEngine(o, t.Addr, conn, h)
	e.discard = m.queue == nil || m.omitBytes
	e.ownTrafficOnly = m.ownTrafficOnly
	mt.eng = e
	tx, rx := conn.Clocks()
	mt.summary = Summary{Target: t.Target, Addr: t.Addr, Socket: conn.Kind(),
		Privilege: effectivePrivilege(), IdentifierRewritten: e.rewritten,
		PayloadSize: e.size, TokenMatched: e.tokenMode, KernelTX: tx, KernelRX: rx,
		OwnTrafficOnly: m.ownTrafficOnly}
	return mt
}

// taggedInbound is a message read from one of the monitor's sockets.
type taggedInbound struct {
	sock int
	in   inbound
}

// readerEnd is a socket reader that stopped, and why.
type readerEnd struct {
	sock int
	err  error
}

// run is the monitor: one reader goroutine per socket feeding the loop goroutine, which
// owns every target's engine and drives them from one schedule.
func (m *Monitor) run(ctx context.Context) (MonitorSummary, error) {
	sum := MonitorSummary{Start: time.Now()}
	if m.queue != nil {
		m.queue.start()
		defer m.queue.close()
	}
	loopDone := make(chan struct{})
	var readers sync.WaitGroup
	if dc := m.directSocket(); dc != nil {
		m.loopDirect(ctx, sum.Start, dc)
	} else {
		packets := make(chan taggedInbound, 256)
		readersDone := make(chan readerEnd, len(m.socks))
		for si, s := range m.socks {
			readers.Add(1)
			go func() {
				defer readers.Done()
				readersDone <- readerEnd{sock: si, err: monitorReadLoop(si, s.conn, packets, loopDone)}
			}()
		}
		m.loop(ctx, sum.Start, packets, readersDone)
	}
	m.summarize(time.Now())
	close(loopDone)
	for _, s := range m.socks {
		s.conn.Close() // unblocks the readers
	}
	readers.Wait()
	sum.End = time.Now()
	sum.Unattributed = m.unattributed
	sum.Targets = make([]Summary, len(m.perTarget))
	for i, t := range m.perTarget {
		sum.Targets[i] = t.summary
	}
	return sum, m.fatal()
}

// fatal is the first target's error that ends a session (a refused broadcast): see engine.fatal.
func (m *Monitor) fatal() error {
	for _, t := range m.perTarget {
		if t.eng.fatal != nil {
			return t.eng.fatal
		}
	}
	return nil
}

// monitorReadLoop is readLoop for one of the monitor's sockets: every message, with its
// own copy of the bytes, tagged with the socket it came from.
func monitorReadLoop(sock int, conn packetConn, out chan<- taggedInbound, done <-chan struct{}) error {
	return readMessages(conn, out, done, func(msg inbound) taggedInbound { return taggedInbound{sock: sock, in: msg} })
}

// loop spreads the targets' first requests over one interval (target i at i*Interval/N),
// then steps each target's engine whenever it has something due or a message for it
// arrives, until every target is done or ctx ends.
func (m *Monitor) loop(ctx context.Context, start time.Time, packets <-chan taggedInbound, readersDone <-chan readerEnd) {
	sched := m.schedule(start)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for sched.Len() > 0 {
		now := time.Now()
		if !m.stepDue(&sched, now) {
			return
		}
		sleep := sched[0].wake.Sub(now)
		if m.queue != nil {
			m.queue.flush(now, sleep)
		}
		timer.Reset(sleep)
		select {
		case <-ctx.Done():
			timer.Stop()
			m.drain(&sched, packets)
			m.stopAll(&sched, "the session was stopped before a reply", func(*monitorTarget) bool { return true })
			return
		case r := <-readersDone:
			timer.Stop()
			m.drain(&sched, packets)
			m.stopAll(&sched, stopWhy(r.err), func(t *monitorTarget) bool { return m.sockOf(t) == r.sock })
		case tin := <-packets:
			timer.Stop()
			m.dispatch(&sched, &tin)
		case <-timer.C:
		}
	}
}

// schedule places target i's first request at i*Interval/N from start: the schedule
// both loops begin with.
func (m *Monitor) schedule(start time.Time) monitorSchedule {
	o := m.opts.Options
	n := len(m.perTarget)
	spacing := o.EffectiveInterval() / time.Duration(n)
	m.spacing = spacing
	sched := make(monitorSchedule, 0, n)
	for i, t := range m.perTarget {
		offset := time.Duration(i) * spacing
		t.pacer = newPacer(t.eng.opts, start.Add(offset))
		if o.Deadline > 0 {
			t.pacer.deadline = start.Add(o.Deadline) // the monitor's, not shifted per target
		}
		t.summary.Start = start
		t.wake = start.Add(offset)
		heap.Push(&sched, t)
	}
	return sched
}

// stepDue steps every target whose wake time has come, and says whether any target is left.
// Both monitor loops (the reader-goroutine one and the direct one) turn on it.
func (m *Monitor) stepDue(sched *monitorSchedule, now time.Time) bool {
	for sched.Len() > 0 && !(*sched)[0].wake.After(now) {
		m.step(sched, (*sched)[0], now)
	}
	return sched.Len() > 0
}

// step runs target t's engine at now and puts it back into the schedule, or out when done.
func (m *Monitor) step(sched *monitorSchedule, t *monitorTarget, now time.Time) {
	if m.opts.UntilReply && t.eng.newest > 0 && now.Before(m.nextAllowed) && !t.pacer.nextSend.After(now) && !t.eng.countReached() {
		// A retry falls due before the monitor's next free slot: it waits for it, so the
		// retries do not raise the monitor's pace above one request per Interval/N. (The
		// first requests keep their own grid: deferring them would add every late wake-up
		// to all the ones after it.)
		t.pacer.nextSend = m.nextAllowed
	}
	wake, done := t.eng.step(t.pacer, now)
	if done {
		m.finish(sched, t, now)
		return
	}
	m.afterStep(t)
	if wake.IsZero() {
		wake = now.Add(time.Hour) // nothing due: only a message can move it
	}
	t.wake = wake
	heap.Fix(sched, t.heapAt)
}

// afterStep applies UntilReply's schedule after a send: the next request goes when this
// one times out, and each timeout is Backoff times the one before (fping -B).
func (m *Monitor) afterStep(t *monitorTarget) {
	if !m.opts.UntilReply || t.eng.newest == t.sentSeen {
		return
	}
	t.sentSeen = t.eng.newest
	// The free slots are a grid one spacing apart that a late send moves on without
	// letting more than one slot pile up.
	now := time.Now()
	m.nextAllowed = later(m.nextAllowed, now.Add(-m.spacing)).Add(m.spacing)
	if t.sentSeen > 1 && m.opts.Backoff > 1 {
		t.eng.timeout = time.Duration(float64(t.eng.timeout) * m.opts.Backoff)
	}
	if q := t.eng.ring.get(t.eng.newest); q != nil {
		t.pacer.nextSend = q.sentUser.Add(t.eng.timeout)
	}
}

// finish takes a finished target out of the schedule: nothing more is sent or expires
// for it, but what still arrives for it (a duplicate, a late reply) is classified and
// counted until the whole monitor ends, when its statistics are taken (see summarize).
func (m *Monitor) finish(sched *monitorSchedule, t *monitorTarget, now time.Time) {
	t.done = true
	t.summary.End = now
	heap.Remove(sched, t.heapAt)
}

// summarize takes every target's final statistics, once the loop is over: everything
// counted until now, with the elapsed time of a done target as of when it was done.
func (m *Monitor) summarize(now time.Time) {
	for _, t := range m.perTarget {
		at := now
		if t.done {
			at = t.summary.End
		}
		t.summary.Stats = t.eng.snapshot(at)
		if m.queue != nil {
			m.queue.counts(t.index, &t.summary.Stats)
		}
	}
}

// dispatch hands one message to the engine of the target it belongs to, then steps that
// target (a reply may end it, or let UntilReply stop).
func (m *Monitor) dispatch(sched *monitorSchedule, tin *taggedInbound) {
	m.dispatchFrom(sched, tin.sock, &tin.in)
}

// dispatchFrom is dispatch for message in, read from socket si.
func (m *Monitor) dispatchFrom(sched *monitorSchedule, si int, in *inbound) {
	s := m.socks[si]
	if in.hasTX && s.shared {
		// A TX timestamp read together with a packet: on a shared socket the two may
		// belong to different targets, so each goes its own way.
		stamp := inbound{kind: inboundTXStamp, txKey: in.txKey, txTime: in.txTime}
		m.deliver(sched, s, &stamp)
		in.hasTX = false
	}
	m.deliver(sched, s, in)
}

func (m *Monitor) deliver(sched *monitorSchedule, s *monitorSocket, in *inbound) {
	ti, ok := s.route(in)
	if !ok {
		if in.kind != inboundTXStamp {
			m.unattributed++
		}
		return
	}
	t := m.perTarget[ti]
	e := t.eng
	received := e.stats.s.Received
	e.handleInbound(in)
	if in.kind == inboundTXStamp || t.done {
		return // a finished target only counts what still comes (a duplicate, a late reply)
	}
	if m.opts.UntilReply && e.stats.s.Received > received && e.opts.Count > int(e.newest) {
		e.opts.Count = int(e.newest) // alive: no more requests for this target
	}
	now := in.arrived
	if now.IsZero() {
		now = time.Now()
	}
	m.step(sched, t, now)
}

// drain handles what the readers already queued, so a stop keeps replies that had arrived.
func (m *Monitor) drain(sched *monitorSchedule, packets <-chan taggedInbound) {
	for {
		select {
		case tin := <-packets:
			m.dispatch(sched, &tin)
		default:
			return
		}
	}
}

// stopAll ends every scheduled target that which selects: what is outstanding is lost.
func (m *Monitor) stopAll(sched *monitorSchedule, why string, which func(*monitorTarget) bool) {
	now := time.Now()
	for _, t := range append([]*monitorTarget(nil), (*sched)...) {
		if which(t) {
			t.eng.loseAll(why, now)
			m.finish(sched, t, now)
		}
	}
}

// sockOf is the index of the socket target t reads from.
func (m *Monitor) sockOf(t *monitorTarget) int {
	for si, s := range m.socks {
		if v, ok := t.conn.(*sharedView); (ok && v.sock == s) || (!s.shared && s.owner == t.index) {
			return si
		}
	}
	return -1
}

// monitorSchedule is a min-heap of targets by wake time.
type monitorSchedule []*monitorTarget

func (s monitorSchedule) Len() int           { return len(s) }
func (s monitorSchedule) Less(i, j int) bool { return s[i].wake.Before(s[j].wake) }
func (s monitorSchedule) Swap(i, j int) {
	s[i], s[j] = s[j], s[i]
	s[i].heapAt, s[j].heapAt = i, j
}
func (s *monitorSchedule) Push(x any) {
	t := x.(*monitorTarget)
	t.heapAt = len(*s)
	*s = append(*s, t)
}
func (s *monitorSchedule) Pop() any {
	old := *s
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*s = old[:len(old)-1]
	t.heapAt = -1
	return t
}
