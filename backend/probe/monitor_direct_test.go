package probe

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// fakeDirect is a fakeConn the loop drives itself (directConn): TryReceive takes what the
// responder queued without blocking, Wait and WaitHeld return at once when something is
// queued and otherwise sleep d or until Interrupt.
type fakeDirect struct {
	*fakeConn
	interrupt chan struct{}
	once      sync.Once
	mu        sync.Mutex
	waits     int
}

func (c *fakeDirect) Direct() bool { return true }

func (c *fakeDirect) TryReceive(in *inbound) error {
	select {
	case m := <-c.in:
		*in = m
		return nil
	default:
		return errWouldBlock
	}
}

func (c *fakeDirect) Wait(d time.Duration) error {
	c.mu.Lock()
	c.waits++
	c.mu.Unlock()
	if len(c.in) > 0 {
		return nil
	}
	if d < 0 {
		d = time.Hour
	}
	select {
	case <-c.interrupt:
		return errInterrupted
	case <-time.After(d):
		return nil
	}
}

func (c *fakeDirect) WaitHeld(d time.Duration) error { return c.Wait(d) }

func (c *fakeDirect) Interrupt() { c.once.Do(func() { close(c.interrupt) }) }

// TestMonitorReadInLoopKeepsTheGrid runs ReadInLoop's loop (monitor_direct.go) over a fake
// direct socket that answers every request: each target is counted exactly (every reply
// read by the loop itself), sends go in slot order, and no send ever leaves before its slot
// (start + i*Interval/N + k*Interval): the wake-up slack may make a send late, never early.
func TestMonitorReadInLoopKeepsTheGrid(t *testing.T) {
	c := &fakeDirect{fakeConn: newFakeConn(), interrupt: make(chan struct{})}
	c.respond = echoResponder
	const n, count = 20, 4
	var targets []string
	for i := range n {
		targets = append(targets, fmt.Sprintf("192.0.2.%d", i+1))
	}
	const interval = 40 * time.Millisecond
	var events []monitorEvent
	m, err := NewMonitor(context.Background(), MonitorOptions{Targets: targets,
		Options: Options{Count: count, Interval: interval, Timeout: 5 * time.Second}}, RootPolicy(),
		func(i int, ev Event) { events = append(events, monitorEvent{i, ev}) })
	if err != nil {
		t.Fatalf("NewMonitor: %v", err)
	}
	m.newConn = func(context.Context, SocketKind, netip.Addr, *Options) (packetConn, error) { return c, nil }
	m.ReadInLoop()
	if err := m.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if m.directSocket() == nil {
		t.Fatal("ReadInLoop on one shared socket that offers direct mode: the loop does not drive it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sum, err := m.Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	spacing := interval / n
	sends := 0
	var last time.Time
	for _, me := range events {
		if me.ev.Kind != EventSend {
			continue
		}
		sends++
		slot := sum.Start.Add(time.Duration(me.target)*spacing + time.Duration(me.ev.Index-1)*interval)
		if me.ev.Sent.Time.Before(slot) {
			t.Errorf("target %d request %d sent %v before its slot", me.target, me.ev.Index, slot.Sub(me.ev.Sent.Time))
		}
		if me.ev.Sent.Time.Before(last) {
			t.Errorf("target %d request %d sent before the send delivered before it", me.target, me.ev.Index)
		}
		last = me.ev.Sent.Time
	}
	if sends != n*count {
		t.Errorf("%d sends, want %d", sends, n*count)
	}
	for i, s := range sum.Targets {
		if s.Sent != count || s.Received != count || s.Lost != 0 || s.Outstanding != 0 {
			t.Errorf("target %d: sent %d received %d lost %d outstanding %d, want %d, %d, 0, 0",
				i, s.Sent, s.Received, s.Lost, s.Outstanding, count, count)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.waits == 0 {
		t.Error("the loop never waited on the socket")
	}
}
