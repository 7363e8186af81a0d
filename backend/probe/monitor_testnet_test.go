//go:build linux

package probe

import (
	"context"
	"net/netip"
	"sync"
	"testing"
	"time"

	"echoscope/backend/testnet"
)

// monitorCase is one target of a monitor on test hosts and its exact expected counts.
type monitorCase struct {
	name   string
	target netip.Addr
	want   want
}

// runMonitor runs a monitor as root and returns its events per target and its summary.
func runMonitor(t *testing.T, mo MonitorOptions, setup func(*Monitor)) ([][]Event, MonitorSummary) {
	t.Helper()
	var mu sync.Mutex
	events := make([][]Event, len(mo.Targets))
	m, err := NewMonitor(context.Background(), mo, RootPolicy(), func(i int, ev Event) {
		mu.Lock()
		events[i] = append(events[i], ev)
		mu.Unlock()
	})
	if err != nil {
		t.Fatalf("NewMonitor: %v", err)
	}
	if setup != nil {
		setup(m)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sum, err := m.Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return events, sum
}

// checkMonitor compares every target's counts exactly, and its events with its counts.
func checkMonitor(t *testing.T, cases []monitorCase, count int, events [][]Event, sum MonitorSummary) {
	t.Helper()
	for i, c := range cases {
		s := sum.Targets[i]
		if got := (want{}).of(s.Stats); got != c.want {
			t.Errorf("%s (%s): counts %+v\nwant %+v", c.name, c.target, got, c.want)
			for _, ev := range events[i] {
				t.Logf("  %s %s seq=%d sent %s (%s) received %s %s", ev.Kind, ev.Class, ev.Seq,
					ev.Sent.Time.Format("05.000000"), ev.Sent.Clock, ev.Received.Time.Format("05.000000"), ev.Note)
			}
			t.Logf("unattributed: %d", sum.Unattributed)
		}
		if s.Sent != uint64(count) || s.Outstanding != 0 {
			t.Errorf("%s: sent %d outstanding %d, want %d and 0", c.name, s.Sent, s.Outstanding, count)
		}
		if s.Addr != c.target {
			t.Errorf("%s: summary for %s, want %s", c.name, s.Addr, c.target)
		}
		checkEventsMatchStats(t, events[i], s.Stats)
	}
}

// TestMonitorFaultsAtOnce runs one monitor over a shared raw socket per family against
// test hosts that each misbehave differently, all at the same time: one answering (IPv4
// and IPv6, the kernel's own replies), one silent, one duplicating, one answering with
// host unreachable, one answering after the timeout, one sending echo replies with other
// identifiers around its replies. Each target is counted exactly as a
// Session to it would be; nothing of one target's leaks into another's counts.
func TestMonitorFaultsAtOnce(t *testing.T) {
	if err := testnet.Available(); err != nil {
		t.Skip(err)
	}
	const count = 5
	hosts, cases := monitorFaultHosts(t, count)
	unreach := hosts[3]
	var targets []string
	for _, c := range cases {
		targets = append(targets, c.target.String())
	}
	events, sum := runMonitor(t, MonitorOptions{Targets: targets, Options: Options{Socket: SocketRaw,
		Count: count, Interval: 70 * time.Millisecond, Timeout: 600 * time.Millisecond, Linger: 1500 * time.Millisecond}}, nil)
	checkMonitor(t, cases, count, events, sum)
	// The TX timestamp travels through the error queue and, rarely, is read after the reply,
	// which then honestly says "user/kernel-rx" (as in a Session, testnet_plain_test.go); most
	// must carry the kernel's. Which stamp reaches which target is checked exactly with
	// interleaved stamps in TestMonitorTXStampsReachTheirTarget.
	kernelTX, timed := 0, 0
	for i, s := range sum.Targets {
		if s.Socket != SocketRaw || s.IdentifierRewritten || !s.KernelTX || !s.KernelRX {
			t.Errorf("target %d: socket %s rewritten %v tx %v rx %v, want a raw socket with kernel stamps",
				i, s.Socket, s.IdentifierRewritten, s.KernelTX, s.KernelRX)
		}
		for _, ev := range events[i] {
			if ev.Kind != EventReply || ev.Class != ClassOnTime {
				continue
			}
			timed++
			switch ev.RTTClocks {
			case "kernel-tx/kernel-rx":
				kernelTX++
			case "user/kernel-rx":
			default:
				t.Errorf("target %d seq %d: RTT clocks %q", i, ev.Seq, ev.RTTClocks)
			}
		}
	}
	if kernelTX*2 < timed {
		t.Errorf("only %d of %d replies timed with the kernel TX timestamp", kernelTX, timed)
	}
	for _, ev := range events[5] {
		if ev.Kind == EventICMPError && ev.From != unreach.PeerAltV4 {
			t.Errorf("unreachable from %s, want %s", ev.From, unreach.PeerAltV4)
		}
	}
}

// TestMonitorFiguresOnly runs the faults of TestMonitorFaultsAtOnce with OmitBytes and
// UserSendTimes, as the exporter does: every target is counted exactly as with bytes and
// kernel TX stamps (the classes do not depend on them), no event carries a packet, every
// RTT says its send time is the user-space one and no socket asked for TX stamps.
func TestMonitorFiguresOnly(t *testing.T) {
	if err := testnet.Available(); err != nil {
		t.Skip(err)
	}
	const count = 5
	_, cases := monitorFaultHosts(t, count)
	var targets []string
	for _, c := range cases {
		targets = append(targets, c.target.String())
	}
	events, sum := runMonitor(t, MonitorOptions{Targets: targets, Options: Options{Socket: SocketRaw,
		Count: count, Interval: 70 * time.Millisecond, Timeout: 600 * time.Millisecond, Linger: 1500 * time.Millisecond}},
		func(m *Monitor) {
			m.OmitBytes()
			m.UserSendTimes()
		})
	checkMonitor(t, cases, count, events, sum)
	timed := 0
	for i, s := range sum.Targets {
		if s.Socket != SocketRaw || s.KernelTX || !s.KernelRX {
			t.Errorf("target %d: socket %s tx %v rx %v, want a raw socket with kernel RX stamps only",
				i, s.Socket, s.KernelTX, s.KernelRX)
		}
		for _, ev := range events[i] {
			if ev.Bytes != nil || ev.Request != nil {
				t.Errorf("target %d: %s event of seq %d carries %d bytes and a request of %d",
					i, ev.Kind, ev.Seq, len(ev.Bytes), len(ev.Request))
			}
			if ev.Kind == EventReply && ev.Class == ClassOnTime {
				timed++
				if ev.RTTClocks != "user/kernel-rx" || ev.Sent.Clock != ClockUser {
					t.Errorf("target %d seq %d: RTT clocks %q, send clock %v, want user/kernel-rx",
						i, ev.Seq, ev.RTTClocks, ev.Sent.Clock)
				}
			}
		}
	}
	if timed == 0 {
		t.Error("no reply on time")
	}
}

// TestMonitorDatagram runs a monitor over datagram sockets (one per target: the kernel
// owns the identifier) in a client namespace whose ping_group_range lets anyone open them.
// The responder duplicates every 2nd request it sees; the targets' requests alternate
// (target 0, 1, 0, 1, ... in each family), so one target of each family gets every
// duplicate and the other none, and the errors the kernel queues reach their own target.
func TestMonitorDatagram(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true, OpenPingGroup: true, SilenceKernel: true})
	testnet.NewResponderT(t, h, testnet.Chaos{Fault: testnet.FaultDuplicate, Every: 2, Copies: 1})
	const count = 4
	cases := []monitorCase{
		{"IPv4 first", h.PeerV4, want{received: count}},
		{"IPv6 first", h.PeerV6, want{received: count}},
		{"IPv4 second", h.PeerAltV4, want{received: count, dup: count}},
		{"IPv6 second", h.PeerAltV6, want{received: count, dup: count}},
	}
	var targets []string
	for _, c := range cases {
		targets = append(targets, c.target.String())
	}
	events, sum := runMonitor(t, MonitorOptions{Targets: targets, Options: Options{Socket: SocketDatagram,
		Count: count, Interval: 200 * time.Millisecond, Timeout: 5 * time.Second, Linger: 300 * time.Millisecond}},
		func(m *Monitor) { m.newConn = openingIn(h.InClient, m.newConn) })
	checkMonitor(t, cases, count, events, sum)
	ports := map[uint16]bool{}
	for i, s := range sum.Targets {
		if s.Socket != SocketDatagram || !s.IdentifierRewritten {
			t.Errorf("target %d: socket %s rewritten %v, want datagram", i, s.Socket, s.IdentifierRewritten)
		}
		if len(events[i]) > 0 {
			ports[events[i][0].ID] = true
		}
	}
	if len(ports) != len(cases) {
		t.Errorf("%d distinct kernel identifiers for %d targets", len(ports), len(cases))
	}
}

// monitorFaultHosts builds six test hosts, each with its fault (or none), and the exact
// counts a monitor of count requests per target must find on them (the responders count
// the requests they see: each monitor run needs hosts of its own).
func monitorFaultHosts(t *testing.T, count uint64) ([]*testnet.Host, []monitorCase) {
	t.Helper()
	hosts := make([]*testnet.Host, 6)
	var wg sync.WaitGroup
	for i := range hosts {
		wg.Add(1)
		go func() { // hosts are built side by side: each is a few ip commands
			defer wg.Done()
			h, err := testnet.New(testnet.Config{SilenceKernel: i > 0})
			if err != nil {
				t.Errorf("testnet: %v", err)
				return
			}
			hosts[i] = h
		}()
	}
	wg.Wait()
	t.Cleanup(func() {
		for _, h := range hosts {
			if h != nil {
				h.Close()
			}
		}
	})
	if t.Failed() {
		t.FailNow()
	}
	ok, silent, dup, unreach, late, foreign := hosts[0], hosts[1], hosts[2], hosts[3], hosts[4], hosts[5]
	testnet.NewResponderT(t, silent, testnet.Chaos{Fault: testnet.FaultDrop})
	testnet.NewResponderT(t, dup, testnet.Chaos{Fault: testnet.FaultDuplicate, Every: 2, Copies: 1})
	testnet.NewResponderT(t, unreach, testnet.Chaos{Fault: testnet.FaultUnreachable, Every: 2})
	testnet.NewResponderT(t, late, testnet.Chaos{Fault: testnet.FaultDelay, Every: 2, Delay: 900 * time.Millisecond})
	testnet.NewResponderT(t, foreign, testnet.Chaos{Fault: testnet.FaultForeignFlood, Flood: 10})

	// Every 2nd request (2 and 4) of a faulty host is spoiled; 5 is not, so the duplicate of
	// 4 and the late reply to 4 come before the target is done (Linger waits for the latter).
	cases := []monitorCase{
		{"answering IPv4", ok.PeerV4, want{received: count}},
		{"answering IPv6", ok.PeerV6, want{received: count}},
		{"silent", silent.PeerV4, want{lost: count}},
		{"duplicates", dup.PeerV4, want{received: count, dup: 2}},
		{"duplicates IPv6", dup.PeerV6, want{received: count, dup: 2}},
		{"unreachable", unreach.PeerV4, want{received: 3, lost: 2, errors: 2}},
		{"late", late.PeerV4, want{received: 3, lost: 2, late: 2}},
		// 10 echo replies with other identifiers before each reply: the shared socket's
		// kernel filter passes only the monitor's identifiers, so none is even read.
		{"foreign flood", foreign.PeerV4, want{received: count}},
	}
	return hosts, cases
}

// TestMonitorReadInLoop runs the IPv4 faults of TestMonitorFaultsAtOnce (one shared socket)
// with ReadInLoop: the loop drives the socket itself (asserted: the monitor is in direct
// mode) and every target is counted exactly as on the general path, once as the exporter
// runs it (no bytes, user send times) and once with bytes and kernel TX stamps, which the
// direct socket then reads one by one and routes to their targets. The foreign flood's
// replies are not even read: the identifier filter sits on the direct socket too.
func TestMonitorReadInLoop(t *testing.T) {
	if err := testnet.Available(); err != nil {
		t.Skip(err)
	}
	const count = 5
	for _, figuresOnly := range []bool{true, false} {
		name := map[bool]string{true: "figures only", false: "bytes and kernel stamps"}[figuresOnly]
		t.Run(name, func(t *testing.T) {
			// Hosts of its own: the responders count the requests they see ("every 2nd").
			_, all := monitorFaultHosts(t, count)
			var cases []monitorCase
			var targets []string
			for _, c := range all {
				if c.target.Is4() {
					cases = append(cases, c)
					targets = append(targets, c.target.String())
				}
			}
			events, sum := runMonitor(t, MonitorOptions{Targets: targets, Options: Options{Socket: SocketRaw,
				Count: count, Interval: 70 * time.Millisecond, Timeout: 600 * time.Millisecond, Linger: 1500 * time.Millisecond}},
				func(m *Monitor) {
					if figuresOnly {
						m.OmitBytes()
						m.UserSendTimes()
					}
					m.ReadInLoop()
					if err := m.Start(context.Background()); err != nil {
						t.Fatalf("Start: %v", err)
					}
					if m.directSocket() == nil {
						t.Fatal("ReadInLoop on one IPv4 raw socket: the monitor is not in direct mode")
					}
				})
			checkMonitor(t, cases, count, events, sum)
			timed, withBytes, kernelTX := 0, 0, 0
			for i := range cases {
				for _, ev := range events[i] {
					if ev.Bytes != nil {
						withBytes++
					}
					if ev.Kind == EventReply && ev.Class == ClassOnTime {
						timed++
						if ev.RTTClocks == "kernel-tx/kernel-rx" {
							kernelTX++
						}
					}
				}
			}
			switch {
			case timed == 0:
				t.Error("no reply on time")
			case figuresOnly && (withBytes != 0 || kernelTX != 0):
				t.Errorf("figures only: %d events with bytes, %d RTTs from kernel TX stamps; want none", withBytes, kernelTX)
			case !figuresOnly && (withBytes == 0 || kernelTX*2 < timed):
				t.Errorf("with bytes: %d events with bytes, %d of %d RTTs from kernel TX stamps; want bytes and most",
					withBytes, kernelTX, timed)
			}
		})
	}
}
