package history

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestRetentionByDays(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	old := beginTest(t, s, "old", now.Add(-40*24*time.Hour))
	running := beginTest(t, s, "running", now.Add(-50*24*time.Hour))
	recent := beginTest(t, s, "recent", now.Add(-2*24*time.Hour))
	fillRows(t, s, old, 100)
	res, err := s.ApplyRetention(ctx, Retention{KeepDays: 30, Now: now, Protect: []int64{running}})
	if err != nil {
		t.Fatal(err)
	}
	if res.DeletedSessions != 1 {
		t.Fatalf("%+v", res)
	}
	left, _ := s.ListSessions(ctx, SessionFilter{})
	if len(left) != 2 || left[0].ID != recent || left[1].ID != running {
		t.Fatalf("left %+v", left)
	}
	if n, _ := s.CountPackets(ctx, old); n != 0 {
		t.Fatalf("%d packets of a deleted session", n)
	}
}

// Keeping N MB deletes the oldest sessions until the data fits, and the vacuum gives the
// space back: the file shrinks.
func TestRetentionBySizeShrinksFile(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	t0 := time.Now().Add(-time.Hour)
	var ids []int64
	for i := range 6 {
		id := beginTest(t, s, "s", t0.Add(time.Duration(i)*time.Minute))
		fillRows(t, s, id, 2000) // about 1 MiB each with 500-byte packets
		ids = append(ids, id)
	}
	if _, err := s.DB().Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(s.Path())
	res, err := s.ApplyRetention(ctx, Retention{KeepMB: 2})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(s.Path())
	used, _ := s.usedBytes(ctx)
	t.Logf("%+v; file %d -> %d bytes; used %d", res, before.Size(), after.Size(), used)
	if used > 2<<20 || res.DeletedSessions < 3 || res.DeletedSessions > 5 {
		t.Fatalf("deleted %d sessions, %d bytes used", res.DeletedSessions, used)
	}
	if after.Size() >= before.Size()/2 {
		t.Fatalf("file did not shrink: %d -> %d", before.Size(), after.Size())
	}
	left, _ := s.ListSessions(ctx, SessionFilter{})
	if left[0].ID != ids[5] || left[len(left)-1].ID == ids[0] {
		t.Fatalf("oldest should go first; left %v", left)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}

func fillRows(t *testing.T, s *Store, id int64, n int) {
	t.Helper()
	rows := make([]Packet, n)
	for i := range rows {
		rows[i] = Packet{Kind: "send", Seq: uint16(i), Bytes: make([]byte, 500), TTL: -1}
	}
	if err := s.AppendPackets(context.Background(), id, rows); err != nil {
		t.Fatal(err)
	}
}
