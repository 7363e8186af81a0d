package probe

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"
)

// maxReadErrors is how many consecutive read errors (other than a closed socket) end the
// session: a few can be transient (e.g. ENOBUFS), an endless stream means a broken socket.
const maxReadErrors = 100

// run is the session: one reader goroutine feeding one loop goroutine (the engine's only
// user), shut down together through the errgroup.
func (s *Session) run(ctx context.Context) (Summary, error) {
	handler := s.handler
	var q *eventQueue
	if !s.discard {
		// The loop hands events over and goes on; the handler runs on the queue's
		// goroutine, which has had every event by the time Run returns.
		q = newEventQueue(s.handler, maxQueuedEvents)
		defer q.close()
		handler = q.push
	}
	e := newEngine(s.opts, s.addr, s.conn, handler)
	e.queue = q
	e.adaptiveFloor = s.adaptiveFloor
	e.discard = s.discard
	e.statsOnly = s.statsOnly
	e.ownTrafficOnly = s.ownTrafficOnly
	e.statsWanted = &s.statsWanted
	tx, rx := s.conn.Clocks()
	sum := Summary{Target: s.opts.Target, Addr: s.addr, Socket: s.conn.Kind(),
		Privilege: effectivePrivilege(), IdentifierRewritten: e.rewritten,
		PayloadSize: e.size, TokenMatched: e.tokenMode, KernelTX: tx, KernelRX: rx,
		OwnTrafficOnly: s.ownTrafficOnly, Start: time.Now()}

	if dc, ok := s.conn.(directConn); ok && dc.Direct() {
		var stats Stats
		var err error
		onOwnFileTable(dc, func(ownThread bool) { stats, err = e.runDirect(ctx, s.opts, dc, ownThread) })
		s.conn.Close()
		if err == nil {
			err = e.fatal
		}
		sum.Stats, sum.End = stats, time.Now()
		return sum, err
	}
	packets := make(chan inbound, 256)
	readerDone := make(chan error, 1)
	loopDone := make(chan struct{})
	var g errgroup.Group
	g.Go(func() error {
		err := readLoop(s.conn, packets, loopDone)
		readerDone <- err
		return err
	})
	var stats Stats
	g.Go(func() error {
		defer s.conn.Close()  // unblocks a reader waiting in Receive
		defer close(loopDone) // unblocks a reader waiting to hand over a packet
		stats = e.loop(ctx, s.opts, packets, readerDone, s.statsKick)
		return nil
	})
	err := g.Wait()
	if errors.Is(err, ErrClosed) {
		err = nil
	}
	if err == nil {
		err = e.fatal
	}
	sum.Stats = stats
	sum.End = time.Now()
	return sum, err
}

// readLoop hands every received message to the loop, each with its own copy of the bytes
// (the copy is the Event's Bytes later, so it is the only allocation per packet).
func readLoop(conn packetConn, out chan<- inbound, done <-chan struct{}) error {
	return readMessages(conn, out, done, func(msg inbound) inbound { return msg })
}

// readMessages is the read loop of every socket: each message gets its own copy of the bytes
// and goes to out as wrap makes it (a monitor tags it with its socket), until a read fails
// for good or done closes.
func readMessages[T any](conn packetConn, out chan<- T, done <-chan struct{}, wrap func(inbound) T) error {
	var in inbound
	var failures readFailures
	for {
		ok, err := failures.judge(conn.Receive(&in))
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		msg := in
		msg.buf = nil
		msg.data = append([]byte(nil), in.data...)
		select {
		case out <- wrap(msg):
		case <-done:
			return nil
		}
	}
}

// readFailures counts consecutive failed reads, for both loops.
type readFailures int

// judge sorts one Receive result: ok when there is a message to handle; otherwise a non-nil
// error ends the reading (socket closed, or failing for good), nil means "read again".
func (f *readFailures) judge(err error) (ok bool, final error) {
	switch {
	case err == nil:
		*f = 0
		return true, nil
	case errors.Is(err, errSkip):
		return false, nil
	case errors.Is(err, ErrClosed):
		return false, err
	}
	if *f++; *f >= maxReadErrors {
		return false, fmt.Errorf("probe: reading the socket failed %d times: %w", int(*f), err)
	}
	return false, nil
}

// pacer is the clock work both loops share: when the next request is due, when statistics
// are due, the session deadline, and the linger after the last request.
type pacer struct {
	o                                        Options
	deadline, nextSend, nextStats, lingerEnd time.Time
	// slipThreshold: a request sent later than its slot by more than this counts in
	// Stats.SendsLate (see slipThresholdFor).
	slipThreshold time.Duration
}

// Bounds of the slip threshold: below minSlip a late send is ordinary timer and scheduler
// latency (a busy but healthy machine wakes a sleeper within a few hundred microseconds);
// above maxSlip a person would see the gap in the chart whatever the interval.
const (
	minSlip = time.Millisecond
	maxSlip = 10 * time.Millisecond
)

// slipThresholdFor is how late a send may be before it counts as late: half an interval
// (the next request would otherwise be closer to the following slot than to its own),
// kept between minSlip and maxSlip. At 10 ms that is 5 ms, at 1 s it is 10 ms, at 1 ms 1 ms.
func slipThresholdFor(interval time.Duration) time.Duration {
	return min(maxSlip, max(minSlip, interval/2))
}

func newPacer(o Options, start time.Time) *pacer {
	p := &pacer{o: o, nextSend: start, slipThreshold: slipThresholdFor(o.EffectiveInterval())}
	if o.Deadline > 0 {
		p.deadline = start.Add(o.Deadline)
	}
	if o.StatsEvery > 0 {
		p.nextStats = start.Add(o.StatsEvery)
	}
	return p
}

// step does everything due at now (see stepDue) and returns when something is next due
// (zero: nothing is), or done.
func (e *engine) step(p *pacer, now time.Time) (wake time.Time, done bool) {
	if e.stepDue(p, now) {
		return time.Time{}, true
	}
	return e.nextWake(p), false
}

// stepDue does everything due at now: timeouts, the deadline, one send, a statistics event,
// the end of the linger. It reports whether the session is done. When the loop will next
// wake is a question of its own (nextWake): a flood's direct loop asks it only before it
// waits, which it never does while replies keep coming.
func (e *engine) stepDue(p *pacer, now time.Time) (done bool) {
	o := &p.o
	e.expire(now)
	if !p.deadline.IsZero() && !now.Before(p.deadline) {
		e.loseAll(fmt.Sprintf("no reply before the %v session deadline", o.Deadline), now)
		return true
	}
	if e.stopNow {
		e.loseAll("the session stopped at an error", now)
		return true
	}
	allSent := e.countReached()
	if !allSent && !now.Before(p.nextSend) {
		if slip := now.Sub(p.nextSend); slip > p.slipThreshold {
			e.stats.sentLate(slip)
		}
		e.send(now)
		// The schedule is a grid of slots: a send a little late (a timer that fired late, a
		// busy moment) leaves the next slot where it was, so the rate asked is the rate
		// sent. Behind by more than a whole interval, one request goes at once (iputils'
		// one-packet allowance) and the grid restarts from now: never a burst.
		p.nextSend = p.nextSend.Add(e.interval)
		if now.Sub(p.nextSend) > e.interval { // the next slot is before now - interval
			p.nextSend = now
		}
		if e.newest < uint64(o.Preload) {
			p.nextSend = now // ping -l: the first Preload requests go at once
		}
		allSent = e.countReached()
		if e.stopNow {
			e.loseAll("the session stopped at an error", now)
			return true
		}
		// No shortcut back to sending: the caller reads after every send, so at short
		// intervals replies are read between requests instead of piling up.
	}
	if !p.nextStats.IsZero() && !now.Before(p.nextStats) {
		e.emitStats(now)
		p.nextStats = p.nextStats.Add(o.StatsEvery)
	}
	if e.statsWanted != nil && e.statsWanted.Load() && e.statsWanted.CompareAndSwap(true, false) {
		e.emitStats(now) // Session.RequestStats (echoscope-ping's SIGQUIT)
	}
	// With CountReplies the count is of answers, so once it is reached nothing is awaited:
	// requests still outstanding then are lost (iputils stops there too).
	if allSent && (o.CountReplies || e.stats.s.Outstanding == 0) {
		if p.lingerEnd.IsZero() {
			p.lingerEnd = now.Add(o.Linger)
		}
		if !now.Before(p.lingerEnd) {
			e.loseAll("no reply before the session had its replies", now)
			return true
		}
	}
	return false
}

// nextWake is when something is next due after stepDue (zero: nothing is): the deadline,
// statistics, the oldest outstanding request's timeout, the end of the linger and, while
// requests remain to be sent, the next send.
func (e *engine) nextWake(p *pacer) time.Time {
	wake := earliest(p.deadline, p.nextStats, e.nextExpiry(), p.lingerEnd)
	if !e.countReached() {
		wake = earliest(wake, p.nextSend)
	}
	return wake
}

// countReached tells that no more requests are due: Count requests sent or, with
// CountReplies, Count requests answered (by a reply, or by an error under ErrorsAnswer).
func (e *engine) countReached() bool {
	if e.opts.Count <= 0 {
		return false
	}
	if e.opts.CountReplies {
		return e.stats.s.Received+e.errorResolved >= uint64(e.opts.Count)
	}
	return e.newest >= uint64(e.opts.Count)
}

// snapshot is the statistics as of now, with the delivery counters of the event queue.
func (e *engine) snapshot(now time.Time) Stats {
	st := e.stats.snapshot(now)
	e.queue.counts(&st)
	return st
}

// emitStats emits an EventStats with the statistics as of now.
func (e *engine) emitStats(now time.Time) {
	e.flushHeld() // the snapshot must include the RTTs still held
	st := e.snapshot(now)
	e.emit(&Event{Kind: EventStats, Stats: &st, TTL: -1})
}

// afterInbound is the flood rule (iputils -f): a first reply in time lets the next request
// go at once, not only when the interval has passed. As in iputils it is every such reply,
// not "no request outstanding": a single request lost in flight would otherwise slow the
// flood to one request per interval until its timeout. It reports whether a send is due.
func (e *engine) afterInbound(p *pacer, in *inbound, receivedBefore uint64) bool {
	if p.o.Adaptive && e.stats.s.Received > receivedBefore {
		return e.adapt(p, in)
	}
	if p.o.Flood && e.stats.s.Received > receivedBefore {
		p.nextSend = in.arrived // "now", give or take the handler, and no clock read
		if p.nextSend.IsZero() {
			p.nextSend = time.Now()
		}
		return true
	}
	return false
}

// adapt is ping -A after a first reply: the interval becomes the smoothed RTT rounded to
// the millisecond (iputils' update_interval), at least the policy's floor, counted from the
// last request; under a millisecond the next request goes now, as in a flood. It reports
// whether a send is due.
func (e *engine) adapt(p *pacer, in *inbound) bool {
	ewma := time.Duration(e.stats.ewma8/8) * time.Microsecond
	iv := max((ewma + time.Millisecond/2).Truncate(time.Millisecond), e.adaptiveFloor)
	now := in.arrived
	if now.IsZero() {
		now = time.Now()
	}
	if iv <= 0 {
		e.interval = FloodInterval // no reply: one request per 10 ms, as a flood
		p.nextSend = now
		return true
	}
	e.interval = iv
	last := now
	if q := e.ring.get(e.newest); q != nil {
		last = q.sentUser
	}
	p.nextSend = last.Add(iv)
	return !p.nextSend.After(now)
}

// stopWhy words the loss of what is still outstanding when the socket reader ended.
func stopWhy(err error) string {
	if err != nil && !errors.Is(err, ErrClosed) {
		return "the socket failed before a reply: " + err.Error()
	}
	return "the socket closed before a reply"
}

// loop paces the sends, classifies what arrives and resolves timeouts until the session is
// over, then reports what is still outstanding as lost and returns the final statistics.
func (e *engine) loop(ctx context.Context, o Options, packets <-chan inbound, readerDone <-chan error, kick <-chan struct{}) Stats {
	p := newPacer(o, time.Now())
	timer := time.NewTimer(0)
	defer timer.Stop()

	for {
		now := time.Now()
		wake, done := e.step(p, now)
		if done {
			return e.snapshot(now)
		}
		if wake.IsZero() {
			wake = now.Add(time.Hour)
		}
		timer.Reset(wake.Sub(now))
		select {
		case <-ctx.Done():
			timer.Stop()
			now = time.Now()
			e.drain(packets)
			e.loseAll("the session was stopped before a reply", now)
			return e.snapshot(now)
		case err := <-readerDone:
			timer.Stop()
			now = time.Now()
			e.drain(packets)
			e.loseAll(stopWhy(err), now)
			return e.snapshot(now)
		case in := <-packets:
			timer.Stop()
			received := e.stats.s.Received
			e.handleInbound(&in)
			e.afterInbound(p, &in, received)
		case <-kick:
			timer.Stop() // RequestStats: the next step emits the statistics
		case <-timer.C:
		}
	}
}

// drain handles what the reader already queued, so a stop does not discard replies that
// had arrived.
func (e *engine) drain(packets <-chan inbound) {
	for {
		select {
		case in := <-packets:
			e.handleInbound(&in)
		default:
			return
		}
	}
}

// earliest returns the earliest non-zero time.
func earliest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if !t.IsZero() && (out.IsZero() || t.Before(out)) {
			out = t
		}
	}
	return out
}
