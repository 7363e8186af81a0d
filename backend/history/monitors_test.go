package history

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// TestMonitorStoredWithItsSessions stores a monitor of two targets, finishes it, and reads
// it back with its sessions in target order; each session knows its monitor and index,
// and a session of its own has none.
func TestMonitorStoredWithItsSessions(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	alone := beginTest(t, s, "alone", time.Unix(100, 0))
	start := time.Unix(200, 0)
	mo := probe.MonitorOptions{Targets: []string{"b.example", "a.example"}, Options: probe.Options{Count: 3}}
	mid, ids, err := s.BeginMonitor(ctx, MonitorInfo{Targets: mo.Targets, Engine: "in-process-raw", Options: mo, Started: start},
		[]SessionInfo{{Target: "b.example", Addr: "192.0.2.2", Engine: "in-process-raw"}, {Target: "a.example", Addr: "192.0.2.1", Engine: "in-process-raw"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 {
		t.Fatalf("%d session ids, want 2", len(ids))
	}
	end := time.Unix(210, 0)
	if err := s.FinishMonitor(ctx, mid, end, 7); err != nil {
		t.Fatal(err)
	}
	m, err := s.Monitor(ctx, mid)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != mid || len(m.Targets) != 2 || m.Targets[0] != "b.example" || m.Engine != "in-process-raw" ||
		!m.Started.Equal(start) || !m.Ended.Equal(end) || m.Unattributed != 7 {
		t.Errorf("monitor %+v", m)
	}
	if len(m.SessionIDs) != 2 || m.SessionIDs[0] != ids[0] || m.SessionIDs[1] != ids[1] {
		t.Errorf("sessions %v, want %v", m.SessionIDs, ids)
	}
	for i, id := range ids {
		ss, err := s.Session(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if ss.Monitor != mid || ss.MonitorIndex != i || !ss.Started.Equal(start) || ss.Target != m.Targets[i] {
			t.Errorf("session %d: monitor %d index %d started %v target %q", id, ss.Monitor, ss.MonitorIndex, ss.Started, ss.Target)
		}
	}
	ss, err := s.Session(ctx, alone)
	if err != nil || ss.Monitor != 0 {
		t.Errorf("a session of its own: monitor %d (%v)", ss.Monitor, err)
	}
	if _, err := s.Monitor(ctx, mid+1); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown monitor: %v, want ErrNotFound", err)
	}
	if err := s.FinishMonitor(ctx, mid+1, end, 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("finish unknown monitor: %v, want ErrNotFound", err)
	}
}

// TestMonitorMigrationKeepsOlderSessions opens a database at the schema before monitors
// with a session in it: the step adds the table and columns, the session stays whole and
// belongs to no monitor.
func TestMonitorMigrationKeepsOlderSessions(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := OpenWith(OpenOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	db := s.DB()
	// Back to the schema before the monitors step, as an older release left it (the steps
	// after it, packet blocks, lean rows and traces, undone first).
	for _, q := range []string{"DROP TABLE packet_blocks", "ALTER TABLE packets DROP COLUMN derived", "DROP TABLE traces", "DROP INDEX sessions_by_monitor", "ALTER TABLE sessions DROP COLUMN monitor_index",
		"ALTER TABLE sessions DROP COLUMN monitor_id", "DROP TABLE monitors"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	if _, err := db.ExecContext(ctx, "UPDATE schema_version SET version = ?", stepOf(t, migrationMonitors)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO sessions(target, started_ns) VALUES ('old', 5)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = OpenWith(OpenOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, err := s.ListSessions(ctx, SessionFilter{})
	if err != nil || len(list) != 1 || list[0].Target != "old" || list[0].Monitor != 0 {
		t.Fatalf("after migration: %+v %v", list, err)
	}
	if _, _, err := s.BeginMonitor(ctx, MonitorInfo{Targets: []string{"x"}}, []SessionInfo{{Target: "x"}}); err != nil {
		t.Errorf("a monitor after the migration: %v", err)
	}
}
