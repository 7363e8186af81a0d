//go:build linux

package service

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"echoscope/backend/agent"
	"echoscope/backend/history"
	"echoscope/backend/testnet"
)

// monitorRecorder is the recorder plus the monitors' ends.
type monitorRecorder struct {
	*recorder
	mu       sync.Mutex
	monitors chan MonitorEnded
}

func (r *monitorRecorder) Emit(name EventName, payload any) {
	if e, ok := payload.(MonitorEnded); ok {
		r.monitors <- e
		return
	}
	if e, ok := payload.(Ended); ok {
		// Every target ends: more than the recorder's channel holds. Keep the list only.
		r.recorder.mu.Lock()
		r.recorder.ended = append(r.recorder.ended, e)
		r.recorder.mu.Unlock()
		return
	}
	r.recorder.Emit(name, payload)
}

// newMonitorService pings through the in-process raw engine (tests run as root), frames as
// events, history in dir.
func newMonitorService(t *testing.T, dir string) (*PingService, *monitorRecorder) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for raw ICMP sockets")
	}
	rec := &monitorRecorder{recorder: newRecorder(), monitors: make(chan MonitorEnded, 4)}
	svc := NewPingService(PingConfig{
		Emitter:   rec,
		OpenStore: storeIn(dir),
		Select: func(ctx context.Context) (agent.Engine, agent.Choice, error) {
			return agent.Select(ctx, agent.SelectConfig{HelperPath: "-"})
		},
	})
	t.Cleanup(func() { ClosePingService(svc) })
	return svc, rec
}

func waitMonitorEnded(t *testing.T, rec *monitorRecorder) MonitorEnded {
	t.Helper()
	select {
	case e := <-rec.monitors:
		return e
	case <-time.After(60 * time.Second): // a failure deadline, not a timing assertion
		t.Fatal("no monitor:ended within 60 s")
		return MonitorEnded{}
	}
}

// TestMonitorOnTestHosts runs a monitor of a namespaced host that answers and one that
// stays silent through the service: each target's end, frames, stored session and rows
// count exactly its own packets, and the monitor reopens from the store the same way.
func TestMonitorOnTestHosts(t *testing.T) {
	if err := testnet.Available(); err != nil {
		t.Skip(err)
	}
	answering := testnet.NewT(t, testnet.Config{})
	silent := testnet.NewT(t, testnet.Config{SilenceKernel: true})
	testnet.NewResponderT(t, silent, testnet.Chaos{Fault: testnet.FaultDrop})
	dir := t.TempDir()
	svc, rec := newMonitorService(t, dir)

	const count = 4
	info, err := svc.StartMonitor(MonitorRequest{
		Targets: []string{answering.PeerV4.String(), " " + silent.PeerV4.String() + " "},
		Options: PingRequest{Count: count, IntervalMs: 100, TimeoutMs: 500}})
	if err != nil {
		t.Fatalf("StartMonitor: %v", err)
	}
	if len(info.Targets) != 2 || info.Targets[1].Target != silent.PeerV4.String() || info.Targets[0].Socket != "raw" || !info.Running {
		t.Fatalf("monitor info %+v", info)
	}
	me := waitMonitorEnded(t, rec)
	if me.MonitorID != info.ID || me.Reason != "done" || me.Error != "" {
		t.Fatalf("monitor ended %+v", me)
	}

	// Expected per target: requests, replies, losses, rows (a request row each, plus a
	// reply or a loss row each).
	type want struct{ sent, received, lost uint64 }
	wants := []want{{count, count, 0}, {count, 0, count}}
	ends := map[string]Ended{}
	rec.recorder.mu.Lock()
	for _, e := range rec.recorder.ended {
		ends[e.SessionID] = e
	}
	rec.recorder.mu.Unlock()
	for i, ti := range info.Targets {
		w := wants[i]
		e, ok := ends[ti.ID]
		if !ok {
			t.Fatalf("target %d (%s): no ping:ended", i, ti.Target)
		}
		if e.Reason != "done" || e.Stats == nil || e.Stats.Sent != w.sent || e.Stats.Received != w.received || e.Stats.Lost != w.lost {
			t.Errorf("target %d (%s): ended %+v stats %+v, want %+v", i, ti.Target, e, e.Stats, w)
		}
		if e.TotalRows != int64(2*count) {
			t.Errorf("target %d: %d rows, want %d", i, e.TotalRows, 2*count)
		}
		// Every row was announced by this target's frames, none by another's.
		var announced int64
		for _, f := range rec.snapshot() {
			if f.SessionID == ti.ID {
				announced += int64(len(f.Rows)) + f.SkippedRows
			}
		}
		if announced != e.TotalRows {
			t.Errorf("target %d: frames announced %d rows, the session has %d", i, announced, e.TotalRows)
		}
		page, err := svc.Rows(ti.ID, 0, MaxPageRows)
		if err != nil || page.TotalRows != int64(2*count) {
			t.Fatalf("target %d rows: %d, %v", i, page.TotalRows, err)
		}
		kinds := map[string]int{}
		for _, r := range page.Rows {
			kinds[r.Kind]++
		}
		if uint64(kinds["send"]) != w.sent || uint64(kinds["reply"]) != w.received || uint64(kinds["loss"]) != w.lost {
			t.Errorf("target %d: stored rows by kind %v, want %+v", i, kinds, w)
		}
	}
	// A packet of the answering target opens in the inspector's terms.
	d, err := svc.Packet(info.Targets[0].ID, 1)
	if err != nil || d.Kind == "" {
		t.Errorf("Packet: %+v %v", d, err)
	}

	// The store: the monitor and its sessions with their final figures.
	ClosePingService(svc)
	st, err := history.OpenWith(history.OpenOptions{Path: filepath.Join(dir, history.DatabaseFile)})
	if err != nil {
		t.Fatal(err)
	}
	mid, _ := strconv.ParseInt(info.ID, 10, 64)
	m, err := st.Monitor(context.Background(), mid)
	if err != nil || len(m.SessionIDs) != 2 || m.Ended.IsZero() || len(m.Targets) != 2 {
		t.Fatalf("stored monitor %+v %v", m, err)
	}
	for i, sid := range m.SessionIDs {
		ss, err := st.Session(context.Background(), sid)
		if err != nil || ss.Stats == nil {
			t.Fatalf("stored session %d: %+v %v", sid, ss, err)
		}
		w := wants[i]
		if ss.Monitor != mid || ss.MonitorIndex != i || ss.Stats.Sent != w.sent || ss.Stats.Received != w.received ||
			ss.Stats.Lost != w.lost || ss.Packets != int64(2*count) || ss.Ended.IsZero() || ss.Socket != "raw" {
			t.Errorf("stored target %d: %+v stats %+v", i, ss, ss.Stats)
		}
	}
	st.Close()

	// Reopened in a new service (the app started again): the same figures.
	svc2, _ := newMonitorService(t, dir)
	view, err := svc2.OpenMonitor(info.ID)
	if err != nil {
		t.Fatalf("OpenMonitor: %v", err)
	}
	if view.Info.Running || len(view.Targets) != 2 || view.Info.EndedAt == "" {
		t.Fatalf("reopened %+v", view.Info)
	}
	for i, tv := range view.Targets {
		w := wants[i]
		if tv.Stats == nil || tv.Stats.Sent != w.sent || tv.Stats.Received != w.received || tv.TotalRows != int64(2*count) ||
			tv.Info.Target != info.Targets[i].Target {
			t.Errorf("reopened target %d: %+v stats %+v", i, tv.Info, tv.Stats)
		}
	}
	if len(view.Targets[0].Points) != count {
		t.Errorf("reopened chart of the answering target: %d points, want %d", len(view.Targets[0].Points), count)
	}
	sums, err := svc2.Sessions("", 0)
	if err != nil {
		t.Fatal(err)
	}
	inMonitor := 0
	for _, s := range sums {
		if s.MonitorID == info.ID {
			inMonitor++
		}
	}
	if inMonitor != 2 {
		t.Errorf("sessions list: %d sessions of the monitor, want 2", inMonitor)
	}
}

// TestMonitorStopEndsEveryTarget stops an endless monitor: every target ends "stopped"
// and the monitor says so.
func TestMonitorStopEndsEveryTarget(t *testing.T) {
	if err := testnet.Available(); err != nil {
		t.Skip(err)
	}
	h := testnet.NewT(t, testnet.Config{})
	svc, rec := newMonitorService(t, t.TempDir())
	info, err := svc.StartMonitor(MonitorRequest{Targets: []string{h.PeerV4.String(), h.PeerV6.String()},
		Options: PingRequest{IntervalMs: 50, TimeoutMs: 500}})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.StopMonitor(info.ID); err != nil {
		t.Fatal(err)
	}
	if me := waitMonitorEnded(t, rec); me.Reason != "stopped" {
		t.Errorf("monitor ended %+v", me)
	}
	rec.recorder.mu.Lock()
	defer rec.recorder.mu.Unlock()
	if len(rec.recorder.ended) != 2 {
		t.Fatalf("%d targets ended, want 2", len(rec.recorder.ended))
	}
	for _, e := range rec.recorder.ended {
		if e.Reason != "stopped" {
			t.Errorf("target ended %+v", e)
		}
	}
	if err := svc.StopMonitor(info.ID); err != nil {
		t.Errorf("stopping an ended monitor: %v", err)
	}
}

// TestMonitorRequestRefusals: the form's mistakes are refused in words before anything
// is stored or sent.
func TestMonitorRequestRefusals(t *testing.T) {
	svc, _ := newServiceAt(t, t.TempDir())
	many := make([]string, MaxMonitorTargets+1)
	for i := range many {
		many[i] = "127.0.0.1"
	}
	for _, c := range []struct {
		name string
		req  MonitorRequest
		want error
	}{
		{"none", MonitorRequest{}, ErrInvalidRequest},
		{"blank", MonitorRequest{Targets: []string{"127.0.0.1", " "}}, ErrBadHost},
		{"bad host", MonitorRequest{Targets: []string{"exa mple"}}, ErrBadHost},
		{"too many", MonitorRequest{Targets: many}, ErrInvalidRequest},
		{"bad option", MonitorRequest{Targets: []string{"127.0.0.1"}, Options: PingRequest{Count: -1}}, ErrInvalidRequest},
	} {
		if _, err := svc.StartMonitor(c.req); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if err := svc.StopMonitor("42"); !errors.Is(err, ErrUnknownMonitor) {
		t.Errorf("stop unknown: %v", err)
	}
	if _, err := svc.OpenMonitor("x"); !errors.Is(err, ErrUnknownMonitor) {
		t.Errorf("open bad id: %v", err)
	}
}
