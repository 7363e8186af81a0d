package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// fakeMonitor stands in for a probe monitor: one reply event per target, then it waits to
// be stopped when Count is 0, or ends. It never touches the network.
type fakeMonitor struct {
	mo probe.MonitorOptions
	h  probe.MonitorHandler
}

func (f *fakeMonitor) Targets() []probe.MonitorTarget {
	out := make([]probe.MonitorTarget, len(f.mo.Targets))
	for i, t := range f.mo.Targets {
		out[i] = probe.MonitorTarget{Target: t, Addr: netip.MustParseAddr(t)}
	}
	return out
}
func (f *fakeMonitor) SocketKind(int) probe.SocketKind { return probe.SocketRaw }
func (f *fakeMonitor) Identifier(i int) uint16         { return uint16(100 + i) }
func (f *fakeMonitor) Run(ctx context.Context) (probe.MonitorSummary, error) {
	sum := probe.MonitorSummary{}
	for i := range f.mo.Targets {
		f.h(i, probe.Event{Kind: probe.EventReply, Class: probe.ClassOnTime, Seq: 1, Index: 1})
		sum.Targets = append(sum.Targets, probe.Summary{Stats: probe.Stats{Sent: 1, Received: 1}, Target: f.mo.Targets[i]})
	}
	if f.mo.Options.Count == 0 {
		<-ctx.Done()
	}
	return sum, nil
}

func fakeMonitors(_ context.Context, mo probe.MonitorOptions, _ probe.Policy, h probe.MonitorHandler) (MonitorRunner, error) {
	return &fakeMonitor{mo: mo, h: h}, nil
}

func startMonitorServer(t *testing.T, policy probe.Policy) *harness {
	return startServerWith(t, policy, fakeFactory, func(c *ServerConfig) { c.NewMonitor = fakeMonitors })
}

// addrs returns n distinct private addresses (nothing is sent to them: the fake runs).
func addrs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("10.%d.%d.%d", i/62500, i/250%250, i%250+1)
	}
	return out
}

func monitorStart(n int, interval time.Duration, count int) MonitorStartRequest {
	return MonitorStartRequest{Monitor: probe.MonitorOptions{Targets: addrs(n),
		Options: probe.Options{Count: count, Interval: interval}}}
}

// A monitor runs through the frames: monitor-started with every target, one event per
// target with its index, monitor-done with one summary per target.
func TestServerRunsAMonitor(t *testing.T) {
	h := startMonitorServer(t, probe.UserPolicy())
	h.send(TypeMonitorStart, "m", monitorStart(3, time.Second, 1))
	m := h.next()
	var st MonitorStarted
	if m.Type != TypeMonitorStarted || json.Unmarshal(m.Body, &st) != nil || len(st.Targets) != 3 || st.Targets[2].Identifier != 102 {
		t.Fatalf("got %s %s, want monitor-started with 3 targets", m.Type, m.Body)
	}
	for i := range 3 {
		m := h.next()
		var ev MonitorEvent
		if m.Type != TypeMonitorEvent || json.Unmarshal(m.Body, &ev) != nil || ev.Target != i || ev.Event.Class != probe.ClassOnTime {
			t.Fatalf("event %d: got %s %s", i, m.Type, m.Body)
		}
	}
	m = h.next()
	var d MonitorDone
	if m.Type != TypeMonitorDone || json.Unmarshal(m.Body, &d) != nil || len(d.Summary.Targets) != 3 {
		t.Fatalf("got %s %s, want monitor-done with 3 summaries", m.Type, m.Body)
	}
}

// The limits of a non-root caller count across a monitor's targets: the policy's spacing
// (one request every Interval/N, at least 2 ms), the caller's total rate (1000/s with every
// other session), the targets of all its monitors together (1024), and the bounds of every
// number it sends.
func TestServerCountsUserLimitsAcrossTargets(t *testing.T) {
	h := startMonitorServer(t, probe.UserPolicy())

	// 600 targets at 1 s: one request every 1.67 ms, under the 2 ms floor.
	h.send(TypeMonitorStart, "fast", monitorStart(600, time.Second, 0))
	if e := h.expectError("fast", CodePolicy); !strings.Contains(e.Message, "counted across 600 targets") {
		t.Errorf("message %q", e.Message)
	}
	// 1025 targets: above the user's 1024 in one monitor.
	h.send(TypeMonitorStart, "many", monitorStart(probe.MaxUserTargets+1, time.Hour, 0))
	if e := h.expectError("many", CodePolicy); !strings.Contains(e.Message, "1025 targets is above the maximum 1024") {
		t.Errorf("message %q", e.Message)
	}
	// 400 targets at 1 s (400/s), endless, then 200 more at 0.5 s (400/s): 800/s in all.
	h.send(TypeMonitorStart, "a", monitorStart(400, time.Second, 0))
	h.expectMonitorRunning("a", 400)
	h.send(TypeMonitorStart, "b", monitorStart(200, 500*time.Millisecond, 0))
	h.expectMonitorRunning("b", 200)
	// A session of 250/s would pass the total of 1000/s.
	h.send(TypeStart, "s", StartRequest{Options: probe.Options{Target: "127.0.0.1", Interval: 4 * time.Millisecond}})
	if e := h.expectError("s", CodePolicy); !strings.Contains(e.Message, "1000/s") {
		t.Errorf("message %q", e.Message)
	}
	// 500 more targets at an hour (0.14/s) would pass the 1024 targets of all monitors.
	h.send(TypeMonitorStart, "c", monitorStart(500, time.Hour, 0))
	if e := h.expectError("c", CodePolicy); !strings.Contains(e.Message, "already have 600 targets; 500 more would pass the limit of 1024") {
		t.Errorf("message %q", e.Message)
	}
	// Numbers out of their bounds: no targets, a bad backoff, a target too long.
	for name, mo := range map[string]probe.MonitorOptions{
		"none":    {Options: probe.Options{Interval: time.Second}},
		"backoff": {Targets: addrs(2), UntilReply: true, Backoff: 7, Options: probe.Options{Count: 2, Interval: time.Second}},
		"long":    {Targets: []string{strings.Repeat("x", 256)}, Options: probe.Options{Interval: time.Second}},
	} {
		h.send(TypeMonitorStart, name, MonitorStartRequest{Monitor: mo})
		h.expectError(name, CodeInvalidOption)
	}
	// Unknown fields are refused, not ignored.
	h.sendRaw(`{"v":1,"type":"monitor-start","session":"x","body":{"monitor":{"targets":["10.0.0.1"],"rate":5}}}`)
	h.expectError("x", CodeMalformed)
}

// expectMonitorRunning reads a monitor-started frame for session id with n targets and the
// n events of the fake that follow.
func (h *harness) expectMonitorRunning(id string, n int) {
	h.t.Helper()
	m := h.next()
	var st MonitorStarted
	if m.Type != TypeMonitorStarted || m.Session != id || json.Unmarshal(m.Body, &st) != nil || len(st.Targets) != n {
		h.t.Fatalf("got %s %q, want monitor-started for %q with %d targets", m.Type, m.Session, id, n)
	}
	for range n {
		if m := h.next(); m.Type != TypeMonitorEvent {
			h.t.Fatalf("got %s, want a monitor-event", m.Type)
		}
	}
}

// A monitor through the real helper: 127.0.0.1, 127.0.0.2 and ::1 pinged at once, each
// target's events and summary its own.
func TestMonitorThroughTheHelper(t *testing.T) {
	c := spawn(t)
	needRaw(t, c)
	ctx := context.Background()
	var mu sync.Mutex
	replies := map[int]int{}
	m, err := c.StartMonitor(ctx, probe.MonitorOptions{Targets: []string{"127.0.0.1", "127.0.0.2", "::1"},
		Options: probe.Options{Count: 3, Interval: 30 * time.Millisecond}}, func(i int, ev probe.Event) {
		if ev.Kind == probe.EventReply && ev.Class == probe.ClassOnTime {
			mu.Lock()
			replies[i]++
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if ts := m.Targets(); len(ts) != 3 || ts[2].Addr.String() != "::1" || ts[0].Socket != probe.SocketRaw {
		t.Errorf("targets %+v", ts)
	}
	sum, err := m.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range sum.Targets {
		if s.Sent != 3 || s.Received != 3 || replies[i] != 3 {
			t.Errorf("target %d (%s): sent %d received %d, %d reply events", i, s.Target, s.Sent, s.Received, replies[i])
		}
	}
}

// Both engines Select can return start monitors: in this process here (a count that ends,
// then an endless one that Close stops), through the helper in TestMonitorThroughTheHelper.
func TestLocalEngineRunsMonitors(t *testing.T) {
	caps := probe.DetectCapabilities()
	if caps.Best == probe.SocketAuto {
		t.Skip("no ICMP socket in this process")
	}
	var e Engine = &localEngine{kind: caps.Best, policy: probe.PolicyForCurrentUser()}
	me, ok := e.(MonitorEngine)
	if !ok {
		t.Fatal("the in-process engine starts no monitors")
	}
	ctx := context.Background()
	r, err := me.StartMonitor(ctx, probe.MonitorOptions{Targets: []string{"127.0.0.1", "::1"},
		Options: probe.Options{Count: 2, Interval: 20 * time.Millisecond}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ts := r.Targets(); len(ts) != 2 || ts[1].Addr.String() != "::1" || ts[0].Identifier == 0 {
		t.Errorf("targets %+v", ts)
	}
	sum, err := r.Wait(ctx)
	if err != nil || len(sum.Targets) != 2 || sum.Targets[0].Received != 2 || sum.Targets[1].Received != 2 {
		t.Fatalf("summary %+v, %v", sum.Targets, err)
	}
	endless, err := me.StartMonitor(ctx, probe.MonitorOptions{Targets: []string{"127.0.0.1", "127.0.0.2"},
		Options: probe.Options{Interval: 20 * time.Millisecond}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if sum, err := endless.Wait(ctx); err != nil || len(sum.Targets) != 2 {
		t.Fatalf("after Close: %+v, %v", sum, err)
	}
	var _ MonitorEngine = &agentEngine{}
}
