package history

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenSetsPragmas(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	for pragma, want := range map[string]string{"journal_mode": "wal", "synchronous": "1",
		"auto_vacuum": "2", "foreign_keys": "1", "busy_timeout": "10000"} {
		var got string
		if err := s.DB().QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
	v, err := schemaVersion(ctx, s.DB())
	if err != nil || v != len(migrations) {
		t.Fatalf("schema version %d, %v; want %d", v, err, len(migrations))
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestUpgradeFromV1(t *testing.T) {
	ctx := context.Background()
	db, path := databaseAtVersion(t, "v1.db", 1)
	if _, err := db.ExecContext(ctx, `INSERT INTO sessions(target, started_ns, stats_json) VALUES ('old.example', 1000, '{"sent":3,"lossPercent":33.3,"p50":2000}')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO packets(session_id, n, kind, seq) VALUES (1, 0, 'send', 7)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `SELECT loss_percent FROM sessions`); err == nil {
		t.Fatal("v1 already has the v2 column: the test proves nothing")
	}
	s := openUpgraded(t, db, path)
	ss, err := s.Session(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if ss.Target != "old.example" || ss.Stats == nil || ss.Stats.Sent != 3 || ss.Packets != 1 || ss.Socket != "" {
		t.Fatalf("session after upgrade: %+v", ss)
	}
	pk, err := s.Packets(ctx, 1, 0, 10)
	if err != nil || len(pk) != 1 || pk[0].Seq != 7 {
		t.Fatalf("packets after upgrade: %+v, %v", pk, err)
	}
	// Reopening at the current version is a no-op.
	s.Close()
	s2, err := OpenWith(OpenOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
}

func TestSchemaTooNew(t *testing.T) {
	s := openTemp(t)
	if _, err := s.DB().Exec("UPDATE schema_version SET version = 99"); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	if _, err := OpenWith(OpenOptions{Path: path}); !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("got %v, want ErrSchemaTooNew", err)
	}
}

func TestCorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junk.db")
	junk := make([]byte, 8192)
	for i := range junk {
		junk[i] = byte(i * 7)
	}
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := OpenWith(OpenOptions{Path: path})
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("got %v, want ErrCorrupt", err)
	}
}
