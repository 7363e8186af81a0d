package probe

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"time"
)

// ReadInLoop makes the monitor's loop goroutine read its socket itself, as a flood's loop
// does (loop_direct.go), instead of one reader goroutine per socket handing every message
// over a channel: the loop sends what is due, reads one message, and sleeps in ppoll until
// the socket is readable or the next send is due (up to monitorWakeSlack later, so that
// one wake-up serves the sends due together). It applies when the monitor has one
// shared raw socket on Linux (every target of one address family); otherwise the monitor
// runs as without it. Call it before Start.
//
// At 1000 targets a second every request costs, on the general path, a timer wake-up of
// the loop, a wake-up of the reader in Go's poller, a read that finds the socket empty and
// the channel hand-off back to the loop; here it is the send, one read (on loopback the
// reply is queued before the send returns; with io_uring the read rides along with the send
// in one system call) and one ppoll, with no goroutine switch. The exporter uses it.
func (m *Monitor) ReadInLoop() {
	if !m.opened {
		m.readInLoop = true
	}
}

// monitorYieldTick is how long the direct loop runs before it lets other goroutines have the
// processor (runtime.Gosched): the loop never parks in Go's scheduler (it sleeps in ppoll),
// so without this the runtime would preempt it with a signal every 10 ms, and with one
// processor (the exporter's) the deliverer and a scrape would wait for that.
const monitorYieldTick = 5 * time.Millisecond

// monitorWakeSlack is how late the direct loop lets a wake-up be, so that one wake-up
// serves every target falling due within it: at 1000 targets a second the slots are 1 ms
// apart and each wake-up (a context switch in and out of ppoll, the largest cost left per
// request) serves two or three sends instead of one. A send is then at most this late,
// well under the slip that counts as late (slipThresholdFor: 10 ms at intervals of 20 ms
// and more), and never early: every target keeps its own grid, so its gaps stay the
// interval give or take the slack, and sends are still spread over the interval (at most
// the targets of 2 ms together, never a round at once).
const monitorWakeSlack = 2 * time.Millisecond

// wakeSlack is monitorWakeSlack, at most a fifth of the slip threshold at interval.
func wakeSlack(interval time.Duration) time.Duration {
	return min(monitorWakeSlack, slipThresholdFor(interval)/5)
}

// directSocket is the monitor's one socket when the loop drives it itself (ReadInLoop on a
// single shared raw socket that offers direct mode), else nil.
func (m *Monitor) directSocket() directConn {
	if !m.readInLoop || len(m.socks) != 1 || !m.socks[0].shared {
		return nil
	}
	if dc, ok := m.socks[0].conn.(directConn); ok && dc.Direct() {
		return dc
	}
	return nil
}

// loopDirect is loop for a monitor whose one socket the loop drives itself: each turn runs
// every target that is due (its send), reads at most one message and hands it to its
// target, then sleeps in ppoll until the next wake-up or a message. Reading one message per
// turn and letting ppoll say whether more wait (it returns at once then) saves the read that
// would find the socket empty, at one request and one reply per turn the usual case.
func (m *Monitor) loopDirect(ctx context.Context, start time.Time, dc directConn) {
	sched := m.schedule(start)
	var stopped atomic.Bool
	stopWatch := context.AfterFunc(ctx, func() {
		stopped.Store(true)
		dc.Interrupt()
	})
	defer stopWatch()
	everyone := func(*monitorTarget) bool { return true }
	// The bytes go into events only when someone gets them (see newTarget's discard).
	keepBytes := m.queue != nil && !m.omitBytes
	var in inbound
	var failures readFailures
	lastYield := start
	slack := wakeSlack(m.opts.Options.EffectiveInterval())
	for sched.Len() > 0 {
		now := time.Now()
		if !m.stepDue(&sched, now) {
			return
		}
		err := dc.TryReceive(&in)
		if !errors.Is(err, errWouldBlock) {
			ok, final := failures.judge(err)
			if final != nil {
				m.stopAll(&sched, stopWhy(final), everyone)
				return
			}
			if ok {
				if keepBytes {
					in.data = append([]byte(nil), in.data...) // the event's; the buffer is reused
				}
				m.dispatchFrom(&sched, 0, &in)
				if sched.Len() == 0 {
					return
				}
			}
		}
		if stopped.Load() {
			m.drainDirect(&sched, dc, &in, keepBytes)
			m.stopAll(&sched, "the session was stopped before a reply", everyone)
			return
		}
		now = time.Now()
		sleep := sched[0].wake.Add(slack).Sub(now)
		signalled := m.queue != nil && m.queue.flush(now, sleep)
		if signalled || now.Sub(lastYield) >= monitorYieldTick {
			lastYield = now
			runtime.Gosched() // the deliverer (woken just now), a scrape, the collector
		}
		if sleep <= 0 {
			continue
		}
		if err := m.wait(dc, sleep); err != nil && !errors.Is(err, errInterrupted) {
			if _, final := failures.judge(err); final != nil {
				m.stopAll(&sched, stopWhy(final), everyone)
				return
			}
		}
	}
}

// drainDirect handles what is already waiting on the socket when the monitor stops (as
// drain does with what the readers queued), so replies that had arrived are kept.
func (m *Monitor) drainDirect(sched *monitorSchedule, dc directConn, in *inbound, keepBytes bool) {
	for range maxDrainBurst {
		err := dc.TryReceive(in)
		if err != nil {
			if errors.Is(err, errSkip) {
				continue
			}
			return // empty, closed or failing: nothing more to keep
		}
		if keepBytes {
			in.data = append([]byte(nil), in.data...)
		}
		m.dispatchFrom(sched, 0, in)
	}
}

// heldWaiter is a directConn that can sleep without handing its processor on (WaitHeld).
type heldWaiter interface {
	WaitHeld(d time.Duration) error
}

// wait sleeps until the socket is readable or d passes: a short sleep (a yield tick at
// most: a busy monitor's) with WaitHeld where the socket has it, a longer one with Wait,
// which hands the processor on (once per long sleep costs little, and the rest of the
// process runs meanwhile).
func (m *Monitor) wait(dc directConn, d time.Duration) error {
	if hw, ok := dc.(heldWaiter); ok && d <= monitorYieldTick {
		return hw.WaitHeld(d)
	}
	return dc.Wait(d)
}
