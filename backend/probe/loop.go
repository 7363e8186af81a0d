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
	e := newEngine(s.opts, s.addr, s.conn, s.handler)
	tx, rx := s.conn.Clocks()
	sum := Summary{Target: s.opts.Target, Addr: s.addr, Socket: s.conn.Kind(),
		Privilege: effectivePrivilege(), IdentifierRewritten: e.rewritten,
		PayloadSize: e.size, TokenMatched: e.tokenMode, KernelTX: tx, KernelRX: rx,
		Start: time.Now()}

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
		stats = e.loop(ctx, s.opts, packets, readerDone)
		return nil
	})
	err := g.Wait()
	if errors.Is(err, ErrClosed) {
		err = nil
	}
	sum.Stats = stats
	sum.End = time.Now()
	return sum, err
}

// readLoop hands every received message to the loop, each with its own copy of the bytes
// (the copy is the Event's Bytes later, so it is the only allocation per packet).
func readLoop(conn packetConn, out chan<- inbound, done <-chan struct{}) error {
	var in inbound
	failures := 0
	for {
		err := conn.Receive(&in)
		if errors.Is(err, errSkip) {
			continue
		}
		if err != nil {
			if errors.Is(err, ErrClosed) {
				return err
			}
			if failures++; failures >= maxReadErrors {
				return fmt.Errorf("probe: reading the socket failed %d times: %w", failures, err)
			}
			continue
		}
		failures = 0
		msg := in
		msg.buf = nil
		msg.data = append([]byte(nil), in.data...)
		select {
		case out <- msg:
		case <-done:
			return nil
		}
	}
}

// loop paces the sends, classifies what arrives and resolves timeouts until the session is
// over, then reports what is still outstanding as lost and returns the final statistics.
func (e *engine) loop(ctx context.Context, o Options, packets <-chan inbound, readerDone <-chan error) Stats {
	start := time.Now()
	var deadline, nextSend, nextStats, lingerEnd time.Time
	if o.Deadline > 0 {
		deadline = start.Add(o.Deadline)
	}
	if o.StatsEvery > 0 {
		nextStats = start.Add(o.StatsEvery)
	}
	nextSend = start
	timer := time.NewTimer(0)
	defer timer.Stop()

	for {
		now := time.Now()
		e.expire(now)
		if !deadline.IsZero() && !now.Before(deadline) {
			e.loseAll(fmt.Sprintf("no reply before the %v session deadline", o.Deadline), now)
			return e.stats.snapshot(now)
		}
		allSent := o.Count > 0 && e.newest >= uint64(o.Count)
		if !allSent && !now.Before(nextSend) {
			e.send(now)
			nextSend = nextSend.Add(e.interval)
			if nextSend.Before(now) {
				nextSend = now.Add(e.interval) // fell behind (slow handler): do not burst
			}
			allSent = o.Count > 0 && e.newest >= uint64(o.Count)
			// No shortcut back to sending: the select below runs after every send, so at
			// short intervals replies are read between requests instead of piling up.
		}
		if !nextStats.IsZero() && !now.Before(nextStats) {
			st := e.stats.snapshot(now)
			e.handler(Event{Kind: EventStats, Stats: &st, TTL: -1})
			nextStats = nextStats.Add(o.StatsEvery)
		}
		if allSent && e.stats.s.Outstanding == 0 {
			if lingerEnd.IsZero() {
				lingerEnd = now.Add(o.Linger)
			}
			if !now.Before(lingerEnd) {
				return e.stats.snapshot(now)
			}
		}

		wake := earliest(deadline, nextStats, e.nextExpiry(), lingerEnd)
		if !allSent {
			wake = earliest(wake, nextSend)
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
			return e.stats.snapshot(now)
		case err := <-readerDone:
			timer.Stop()
			now = time.Now()
			why := "the socket closed before a reply"
			if err != nil && !errors.Is(err, ErrClosed) {
				why = "the socket failed before a reply: " + err.Error()
			}
			e.drain(packets)
			e.loseAll(why, now)
			return e.stats.snapshot(now)
		case in := <-packets:
			timer.Stop()
			e.handleInbound(&in)
			if o.Flood && e.stats.s.Outstanding == 0 {
				nextSend = time.Now() // flood: the next request as soon as the last is answered
			}
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
