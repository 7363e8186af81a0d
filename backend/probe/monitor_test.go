package probe

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// monitorEvent is one event a monitor handed to its handler.
type monitorEvent struct {
	target int
	ev     Event
}

// runFakeMonitor runs a monitor whose every socket is open(kind, target); it returns the
// events in delivery order and the summary.
func runFakeMonitor(t *testing.T, mo MonitorOptions, open func(target netip.Addr) packetConn) ([]monitorEvent, MonitorSummary) {
	t.Helper()
	return runFakeMonitorAs(t, RootPolicy(), mo, open)
}

// runFakeMonitorAs is runFakeMonitor under policy p.
func runFakeMonitorAs(t *testing.T, p Policy, mo MonitorOptions, open func(target netip.Addr) packetConn) ([]monitorEvent, MonitorSummary) {
	t.Helper()
	var events []monitorEvent
	m, err := NewMonitor(context.Background(), mo, p, func(i int, ev Event) {
		events = append(events, monitorEvent{i, ev})
	})
	if err != nil {
		t.Fatalf("NewMonitor: %v", err)
	}
	m.newConn = func(_ context.Context, _ SocketKind, target netip.Addr, _ *Options) (packetConn, error) {
		return open(target), nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sum, err := m.Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return events, sum
}

// stampingConn is a shared raw socket that reports a kernel TX timestamp for every send,
// numbered across all its sends as the kernel's OPT_ID does, and answers every request.
// Each stamp's time is unique, so a test can tell whether it reached the right request.
type stampingConn struct {
	*fakeConn
	mu     sync.Mutex
	key    uint32
	stamps map[[2]uint16]time.Time // identifier and sequence -> the stamp given
	silent map[netip.Addr]bool     // destinations that do not answer
}

func (c *stampingConn) Send(msg []byte, dst netip.Addr) (time.Time, error) {
	now, err := c.fakeConn.Send(msg, dst)
	em, _ := wire.ParseEcho(c.fam(), msg)
	c.mu.Lock()
	stamp := now.Add(time.Duration(c.key+1) * time.Microsecond)
	c.stamps[[2]uint16{em.ID, em.Seq}] = stamp
	c.in <- inbound{kind: inboundTXStamp, txKey: c.key, txTime: stamp}
	c.key++
	c.mu.Unlock()
	if !c.silent[dst] {
		c.deliver(replyTo(c.fam(), msg, nil), dst)
	}
	return now, err
}

// TestMonitorTXStampsReachTheirTarget: on a shared socket the kernel numbers TX timestamps
// across every target's sends; each must reach the request that made it, so every reply's
// send time is its own request's stamp (not a neighbour's), with the kernel-tx clock.
func TestMonitorTXStampsReachTheirTarget(t *testing.T) {
	c := &stampingConn{fakeConn: newFakeConn(), stamps: map[[2]uint16]time.Time{}}
	c.txStamps = true
	targets := []string{"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"}
	events, sum := runFakeMonitor(t, MonitorOptions{Targets: targets,
		Options: Options{Count: 3, Interval: 20 * time.Millisecond, Timeout: 5 * time.Second}},
		func(netip.Addr) packetConn { return c })
	replies := 0
	for _, me := range events {
		if me.ev.Kind != EventReply {
			continue
		}
		replies++
		c.mu.Lock()
		want := c.stamps[[2]uint16{me.ev.ID, me.ev.Seq}]
		c.mu.Unlock()
		if me.ev.Sent.Clock != ClockKernelTX || !me.ev.Sent.Time.Equal(want) {
			t.Errorf("target %d seq %d: sent %v (%s), want its own stamp %v", me.target, me.ev.Seq,
				me.ev.Sent.Time, me.ev.Sent.Clock, want)
		}
		if me.ev.RTTClocks != "kernel-tx/user" {
			t.Errorf("target %d seq %d: clocks %q", me.target, me.ev.Seq, me.ev.RTTClocks)
		}
	}
	if replies != 12 {
		t.Errorf("%d replies, want 12", replies)
	}
	for i, s := range sum.Targets {
		if s.Sent != 3 || s.Received != 3 || s.Target != targets[i] {
			t.Errorf("target %d: %s sent %d received %d", i, s.Target, s.Sent, s.Received)
		}
	}
}

// TestMonitorSpreadsSends: target i's first request goes at offset i*Interval/N, so the
// first round goes out in target order, one request at a time, and each later round too.
func TestMonitorSpreadsSends(t *testing.T) {
	c := newFakeConn()
	c.respond = echoResponder
	targets := []string{"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"}
	events, _ := runFakeMonitor(t, MonitorOptions{Targets: targets,
		Options: Options{Count: 3, Interval: 50 * time.Millisecond, Timeout: 5 * time.Second}},
		func(netip.Addr) packetConn { return c })
	var order []int
	ids := map[uint16]int{}
	for _, me := range events {
		if me.ev.Kind == EventSend {
			order = append(order, me.target)
			if other, dup := ids[me.ev.ID]; dup && other != me.target {
				t.Errorf("targets %d and %d share identifier %#04x", other, me.target, me.ev.ID)
			}
			ids[me.ev.ID] = me.target
		}
	}
	want := "[0 1 2 3 4 0 1 2 3 4 0 1 2 3 4]"
	if got := fmt.Sprint(order); got != want {
		t.Errorf("send order %s, want %s", got, want)
	}
}

// TestMonitorDemultiplexes: replies and ICMP errors go to the target whose identifier they
// carry or quote, a reply with nobody's identifier from a target's address goes to that
// target as foreign (as it would reach a Session's socket), and one from elsewhere to nobody.
func TestMonitorDemultiplexes(t *testing.T) {
	c := newFakeConn()
	c.withIPHdr = true
	stranger := netip.MustParseAddr("203.0.113.9")
	c.respond = func(c *fakeConn, msg []byte, dst netip.Addr) {
		switch dst.String() {
		case "192.0.2.1": // answers, and a stranger's ping reply lands on the socket too
			c.deliver(replyTo(c.fam(), msg, nil), dst)
			c.deliver(replyTo(c.fam(), msg, func(em *wire.EchoMessage) { em.ID ^= 0x5555 }), stranger)
		case "192.0.2.2": // a router says unreachable, quoting the request
			c.deliver(unreachableFor(msg, dst), netip.MustParseAddr("198.51.100.1"))
		case "192.0.2.3": // answers with another identifier
			c.deliver(replyTo(c.fam(), msg, func(em *wire.EchoMessage) { em.ID ^= 0x5555 }), dst)
		}
	}
	targets := []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}
	_, sum := runFakeMonitor(t, MonitorOptions{Targets: targets,
		Options: Options{Count: 2, Interval: 20 * time.Millisecond, Timeout: 200 * time.Millisecond, ErrorsAnswer: true}},
		func(netip.Addr) packetConn { return c })
	type counts struct{ received, lost, foreign, errors uint64 }
	got := func(s Summary) counts { return counts{s.Received, s.Lost, s.Foreign, s.Errors} }
	exp := []counts{{received: 2}, {lost: 2, errors: 2}, {lost: 2, foreign: 2}}
	for i, s := range sum.Targets {
		if got(s) != exp[i] {
			t.Errorf("target %d (%s): %+v, want %+v", i, s.Target, got(s), exp[i])
		}
	}
	if sum.Unattributed != 2 {
		t.Errorf("unattributed %d, want 2 (the stranger's replies)", sum.Unattributed)
	}
}

// unreachableFor builds a host unreachable quoting request msg sent to dst.
func unreachableFor(msg []byte, dst netip.Addr) []byte {
	src := netip.MustParseAddr("127.0.0.1")
	ip, _ := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + len(msg)), TTL: 63,
		Protocol: wire.ProtocolICMP, Src: src, Dst: dst})
	quote := append(ip, msg...)
	out := []byte{wire.ICMPv4DestinationUnreachable, 1, 0, 0, 0, 0, 0, 0}
	out = append(out, quote...)
	sum := ^wire.Fold(wire.Sum(0, out))
	out[2], out[3] = byte(sum>>8), byte(sum)
	return out
}

// TestMonitorUntilReply: fping's default mode. A target that answers gets one request; a
// silent one gets Count (retries + 1), each sent when the one before timed out, with the
// timeout growing by Backoff.
func TestMonitorUntilReply(t *testing.T) {
	c := &stampingConn{fakeConn: newFakeConn(), stamps: map[[2]uint16]time.Time{},
		silent: map[netip.Addr]bool{netip.MustParseAddr("192.0.2.2"): true}}
	events, sum := runFakeMonitor(t, MonitorOptions{Targets: []string{"192.0.2.1", "192.0.2.2"},
		UntilReply: true, Backoff: 2,
		Options: Options{Count: 3, Interval: 10 * time.Millisecond, Timeout: 40 * time.Millisecond}},
		func(netip.Addr) packetConn { return c })
	if s := sum.Targets[0]; s.Sent != 1 || s.Received != 1 {
		t.Errorf("answering target: sent %d received %d, want 1 and 1", s.Sent, s.Received)
	}
	s := sum.Targets[1]
	if s.Sent != 3 || s.Lost != 3 {
		t.Errorf("silent target: sent %d lost %d, want 3 and 3", s.Sent, s.Lost)
	}
	// Each retry left after the timeout before it: 40 ms, then 80 ms (backoff 2).
	var sends []time.Time
	for _, me := range events {
		if me.target == 1 && me.ev.Kind == EventSend {
			sends = append(sends, me.ev.Sent.Time)
		}
	}
	if len(sends) != 3 {
		t.Fatalf("%d sends to the silent target", len(sends))
	}
	if d := sends[1].Sub(sends[0]); d < 40*time.Millisecond {
		t.Errorf("first retry %v after the first request, before its 40ms timeout", d)
	}
	if d := sends[2].Sub(sends[1]); d < 80*time.Millisecond {
		t.Errorf("second retry %v after the first, before its 80ms timeout", d)
	}
}

// TestMonitorValidate: the policy counts across targets, and every value has a bound.
func TestMonitorValidate(t *testing.T) {
	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("10.0.%d.%d", i/250, i%250+1)
		}
		return out
	}
	cases := []struct {
		name string
		mo   MonitorOptions
		p    Policy
		err  error
		says string
	}{
		{"ok", MonitorOptions{Targets: many(10), Options: Options{Interval: time.Second}}, UserPolicy(), nil, ""},
		{"no targets", MonitorOptions{}, UserPolicy(), ErrInvalidOption, "no target"},
		{"rate across targets", MonitorOptions{Targets: many(1000), Options: Options{Interval: time.Second}},
			UserPolicy(), ErrPolicy, "counted across 1000 targets"},
		{"root may", MonitorOptions{Targets: many(1000), Options: Options{Interval: time.Second}}, RootPolicy(), nil, ""},
		{"user targets", MonitorOptions{Targets: many(MaxUserTargets + 1), Options: Options{Interval: 10 * time.Second}},
			UserPolicy(), ErrPolicy, "targets is above the maximum 1024"},
		{"all targets", MonitorOptions{Targets: many(MaxMonitorTargets + 1), Options: Options{Interval: 100 * time.Second}},
			RootPolicy(), ErrInvalidOption, "targets 4097 is out of range, allowed: 1..4096"},
		{"flood", MonitorOptions{Targets: many(2), Options: Options{Flood: true}}, RootPolicy(), ErrInvalidOption, "flood"},
		{"identifier", MonitorOptions{Targets: many(2), Options: Options{Identifier: 7}}, RootPolicy(), ErrInvalidOption, "identifier"},
		{"until reply needs a count", MonitorOptions{Targets: many(2), UntilReply: true}, RootPolicy(), ErrInvalidOption, "count"},
		{"backoff", MonitorOptions{Targets: many(2), Backoff: 9, Options: Options{Count: 1}}, RootPolicy(), ErrInvalidOption, "backoff"},
		{"target too long", MonitorOptions{Targets: []string{strings.Repeat("a", 300)}}, RootPolicy(), ErrInvalidOption, "target"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.mo.Validate(tc.p)
			if tc.err == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("error %v, want %v saying %q", err, tc.err, tc.says)
			}
		})
	}
}

// Every monitor bound admits its ends and refuses one past the top, naming the field and
// the range (the bottom, no targets, has its own message).
func TestEveryMonitorBoundIsEnforced(t *testing.T) {
	for _, b := range MonitorBounds() {
		t.Run(b.Field, func(t *testing.T) {
			try := func(v int64) error {
				mo := MonitorOptions{Options: Options{Interval: 24 * time.Hour}}
				switch b.Field {
				case "targets":
					for i := range v {
						mo.Targets = append(mo.Targets, fmt.Sprintf("10.%d.%d.1", i/250, i%250))
					}
				default:
					t.Fatalf("no setter for monitor bound %q: add one here", b.Field)
				}
				return mo.Validate(RootPolicy())
			}
			for _, v := range []int64{b.Min, b.Max} {
				if err := try(v); err != nil {
					t.Errorf("%d refused: %v", v, err)
				}
			}
			err := try(b.Max + 1)
			if !errors.Is(err, ErrInvalidOption) || !strings.Contains(err.Error(), b.Field) || !strings.Contains(err.Error(), b.Range()) {
				t.Errorf("%d: got %v, want an invalid-option error naming %s and %s", b.Max+1, err, b.Field, b.Range())
			}
		})
	}
}

// A caller without privileges of its own sees only its own traffic in a monitor too: a
// reply with another identifier from a target's address is counted foreign for that
// target but never shown, and a stranger's reply is only counted as unattributed.
func TestMonitorOwnTrafficOnly(t *testing.T) {
	c := newFakeConn()
	stranger := netip.MustParseAddr("203.0.113.9")
	c.respond = func(c *fakeConn, msg []byte, dst netip.Addr) {
		c.deliver(replyTo(c.fam(), msg, func(em *wire.EchoMessage) { em.ID ^= 0x5555 }), dst)
		c.deliver(replyTo(c.fam(), msg, func(em *wire.EchoMessage) { em.ID ^= 0x3333 }), stranger)
		c.deliver(replyTo(c.fam(), msg, nil), dst)
	}
	p := UserPolicy()
	p.OwnTrafficOnly = true
	events, sum := runFakeMonitorAs(t, p, MonitorOptions{Targets: []string{"192.0.2.1", "192.0.2.2"},
		Options: Options{Count: 2, Interval: 100 * time.Millisecond, Timeout: 5 * time.Second}},
		func(netip.Addr) packetConn { return c })
	for _, me := range events {
		if me.ev.Kind == EventReply && me.ev.Class != ClassOnTime {
			t.Errorf("target %d was shown a %s reply: %s", me.target, me.ev.Class, me.ev.Note)
		}
	}
	for i, s := range sum.Targets {
		if s.Received != 2 || s.Foreign != 2 || !s.OwnTrafficOnly {
			t.Errorf("target %d: received %d foreign %d own-traffic-only %v, want 2, 2, true", i, s.Received, s.Foreign, s.OwnTrafficOnly)
		}
	}
	if sum.Unattributed != 4 {
		t.Errorf("unattributed %d, want 4", sum.Unattributed)
	}
}

// Auto without raw sockets: every target gets a socket of its own (here a datagram one,
// whose kernel rewrites the identifier to its port), and each socket's replies reach its
// target alone.
func TestMonitorFallsBackToASocketPerTarget(t *testing.T) {
	var mu sync.Mutex
	opened := map[SocketKind]int{}
	port := uint16(40000)
	m, err := NewMonitor(context.Background(), MonitorOptions{Targets: []string{"192.0.2.1", "192.0.2.2", "2001:db8::1"},
		Options: Options{Count: 2, Interval: 30 * time.Millisecond, Timeout: 5 * time.Second}}, RootPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	m.newConn = func(_ context.Context, kind SocketKind, target netip.Addr, _ *Options) (packetConn, error) {
		mu.Lock()
		defer mu.Unlock()
		opened[kind]++
		if kind == SocketRaw {
			return nil, fmt.Errorf("%w: no raw sockets here", ErrPrivilegeRequired)
		}
		c := newFakeConn()
		c.kind, c.rewrite, c.localPort, c.v6 = SocketDatagram, true, port, target.Is6()
		port++
		c.respond = echoResponder
		return c, nil
	}
	sum, err := m.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if opened[SocketRaw] != 1 || opened[SocketAuto] != 3 {
		t.Errorf("sockets opened %v, want one raw attempt then one per target", opened)
	}
	for i, s := range sum.Targets {
		if s.Socket != SocketDatagram || !s.IdentifierRewritten || s.Received != 2 || m.Identifier(i) != uint16(40000+i) {
			t.Errorf("target %d: %s rewritten %v received %d identifier %d", i, s.Socket, s.IdentifierRewritten, s.Received, m.Identifier(i))
		}
	}
}

// A target done before the others keeps its own elapsed time: from its first request to
// when it was done, not to the end of the whole monitor.
func TestMonitorElapsedEndsWithItsTarget(t *testing.T) {
	c := newFakeConn()
	c.respond = echoResponder
	_, sum := runFakeMonitor(t, MonitorOptions{Targets: []string{"192.0.2.1", "192.0.2.2"},
		Options: Options{Count: 1, Interval: 200 * time.Millisecond, Timeout: 5 * time.Second}},
		func(netip.Addr) packetConn { return c })
	first, second := sum.Targets[0], sum.Targets[1]
	if !first.End.Before(second.End) {
		t.Fatalf("target 0 done at %v, after target 1 (%v): its one request went first", first.End, second.End)
	}
	if first.Elapsed > first.End.Sub(first.Start) {
		t.Errorf("target 0: elapsed %v, but it was done %v after the start", first.Elapsed, first.End.Sub(first.Start))
	}
}
