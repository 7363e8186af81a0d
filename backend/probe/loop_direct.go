package probe

import (
	"context"
	"errors"
	"runtime"
	"time"
)

// maxDrainBurst bounds how many messages the direct loop handles before it looks at the clock
// again, so a stream of foreign packets cannot starve sends and timeouts.
const maxDrainBurst = 64

// yieldEvery is how many turns the direct loop runs between two runtime.Gosched calls. A
// goroutine that never yields is preempted by the runtime's monitor every 10 ms with a
// signal (a tgkill, the handler, a sigreturn and a trip through the scheduler each time);
// yielding now and then, at a point of the loop's choosing, costs far less and keeps the
// monitor asleep. At flood rates 256 turns take about 2 ms.
const yieldEvery = 256

// runDirect is the session over a directConn: the loop itself sends, reads and waits, the
// way iputils ping does, with no reader goroutine and no channel. At flood rates the
// hand-offs of the general path (a wake-up of each goroutine per packet, the poller's epoll)
// cost more than the socket calls themselves. Session.Run gives it a thread with a file table
// of its own (onOwnFileTable, ownfiles_linux.go; ownThread true), where the socket calls skip
// a reference count per call. On that locked thread the loop does not yield (Gosched): a
// locked goroutine that leaves its thread hands the processor to another thread and back each
// time (futex calls and context switches), so only the runtime's monitor preempts it, every
// 10 ms; elsewhere it yields every yieldEvery turns.
func (e *engine) runDirect(ctx context.Context, o Options, dc directConn, ownThread bool) (Stats, error) {
	// The loop asks stopped, not ctx.Err, at every turn: an atomic load instead of the
	// context's method calls, at flood rates. It and the read state live in the engine, so
	// a turn touches fewer memory pages (after each system call they are cold again).
	stopped, in := &e.directStopped, &e.directIn
	stopWatch := context.AfterFunc(ctx, func() {
		stopped.Store(true)
		dc.Interrupt()
	})
	defer stopWatch()

	if b, ok := dc.(txBatcher); ok && b.BatchesTX() {
		e.lazy = b
	}
	if f, ok := dc.(filterAttacher); ok {
		e.lateFilter = f
	}
	p := newPacer(o, time.Now())
	var failures readFailures
	var now time.Time
	for turn := 1; ; turn++ {
		if turn%yieldEvery == 0 && !ownThread {
			runtime.Gosched()
		}
		if now.IsZero() {
			now = time.Now()
		}
		if done := e.stepDue(p, now); done {
			e.flushHeld()
			return e.snapshot(now), nil
		}
		handled, readErr := e.drainDirect(dc, p, in, &failures)
		now = time.Time{}
		if readErr != nil {
			now = time.Now()
			e.loseAll(stopWhy(readErr), now)
			e.flushHeld()
			if errors.Is(readErr, ErrClosed) {
				readErr = nil
			}
			return e.snapshot(now), readErr
		}
		if stopped.Load() {
			now = time.Now()
			e.loseAll("the session was stopped before a reply", now)
			e.flushHeld()
			return e.snapshot(now), nil
		}
		if handled {
			// Something changed: see what is due before sleeping. The clock was read when
			// the last message arrived, a moment ago: at flood rates a clock reading per
			// packet saved is worth it (two vDSO calls in a time.Now).
			now = in.arrived
			continue
		}
		// Nothing is held across a sleep, and with batched TX timestamps the error queue
		// must be empty before ppoll, which would otherwise report it (POLLERR) at once.
		if e.flushHeld() {
			continue
		}
		d := time.Duration(-1)
		if wake := e.nextWake(p); !wake.IsZero() {
			d = max(0, time.Until(wake))
		}
		if err := dc.Wait(d); err != nil && !errors.Is(err, errInterrupted) {
			// ppoll itself failing is as fatal as a read failing for good.
			if _, final := failures.judge(err); final != nil {
				now = time.Now()
				e.loseAll(stopWhy(final), now)
				e.flushHeld()
				return e.snapshot(now), final
			}
		}
	}
}

// drainDirect handles what is waiting on the socket without blocking. It returns early when
// flood mode wants the next request out (a reply came), and after a TX timestamp
// whose following read already found the socket empty (no second probe for nothing).
func (e *engine) drainDirect(dc directConn, p *pacer, in *inbound, failures *readFailures) (handled bool, final error) {
	for range maxDrainBurst {
		err := dc.TryReceive(in)
		if err == errWouldBlock { //nolint:errorlint // TryReceive returns the sentinel itself, and this runs per packet
			return handled, nil
		}
		ok, final := failures.judge(err)
		if final != nil {
			return handled, final
		}
		if !ok {
			continue
		}
		// The bytes become the Event's (which owns them); the read buffer is reused.
		if !e.discard {
			in.data = append([]byte(nil), in.data...)
		}
		received := e.stats.s.Received
		e.handleInbound(in)
		handled = true
		sendDue := e.afterInbound(p, in, received)
		if len(e.held) >= maxHeld {
			e.flushHeld()
		}
		if in.nothingAfter || sendDue {
			return handled, nil
		}
	}
	return handled, nil
}
