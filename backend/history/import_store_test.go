package history

import (
	"context"
	"strings"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// The storer keeps every row in order, whatever the number of batches (a multiple of the
// batch size and not, so the last partial one is stored too), and returns when done: a
// storer that waited on a full recycling channel at close would hang here.
func TestBatchStorerStoresEveryRowInOrder(t *testing.T) {
	for _, n := range []int{0, 1, blockRows + 1, importBatch, 5*importBatch + 17} {
		storeInOrder(t, n)
	}
}

// storeInOrder stores n rows through a storer and reads them back.
func storeInOrder(t *testing.T, n int) {
	t.Helper()
	s := openTemp(t)
	id := beginTest(t, s, "198.18.0.2", time.Now())
	send, _ := echoPair(t, wire.IPv4, 1, time.Now())
	st := newBatchStorer(context.Background(), s, id)
	for i := range n {
		p := PacketFromEvent(send)
		p.Seq = uint16(i)
		if err := st.add(p); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan struct{})
	var rows int
	var err error
	go func() { rows, err = st.close(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%d rows: close did not return", n)
	}
	if err != nil || rows != n {
		t.Fatalf("%d rows: stored %d, %v", n, rows, err)
	}
	got, err := s.Packets(context.Background(), id, 0, int64(n)+1)
	if err != nil || len(got) != n {
		t.Fatalf("%d rows read back, %v", len(got), err)
	}
	for i, p := range got {
		if p.Seq != uint16(i) || p.N != int64(i) {
			t.Fatalf("row %d: seq %d n %d", i, p.Seq, p.N)
		}
	}
	if inBlocks, err := s.isBlockSession(context.Background(), id); err != nil || inBlocks != (n > 0) {
		t.Fatalf("%d rows stored as blocks: %v, %v", n, inBlocks, err)
	}
}

// A batch for a session that is gone fails at COMMIT (the foreign key, deferred to the
// commit, is still checked), stores nothing, and leaves the connection as it found it: no
// transaction left open, immediate foreign-key checks. The in-memory store has one
// connection, so the queries after the failure run on the one the storer used.
func TestBatchStorerChecksTheSessionAndLeavesTheConnectionClean(t *testing.T) {
	ctx := context.Background()
	s, err := OpenWith(OpenOptions{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	send, _ := echoPair(t, wire.IPv4, 1, time.Now())
	st := newBatchStorer(ctx, s, 4242) // no such session
	for range importStmtBlocks*blockRows + 3 {
		if err := st.add(PacketFromEvent(send)); err != nil {
			break
		}
	}
	rows, err := st.close()
	if err == nil || rows != 0 {
		t.Fatalf("rows of a missing session: stored %d, error %v", rows, err)
	}
	var stored, deferred int
	if err := s.DB().QueryRowContext(ctx, "SELECT (SELECT count(*) FROM packets) + (SELECT count(*) FROM packet_blocks)").Scan(&stored); err != nil || stored != 0 {
		t.Fatalf("%d rows left behind, %v", stored, err)
	}
	if err := s.DB().QueryRowContext(ctx, "PRAGMA defer_foreign_keys").Scan(&deferred); err != nil || deferred != 0 {
		t.Fatalf("defer_foreign_keys %d after the import's transaction, %v", deferred, err)
	}
	// A transaction left open would make this BEGIN fail.
	id := beginTest(t, s, "198.18.0.2", time.Now())
	if err := s.AppendPackets(ctx, id, []Packet{PacketFromEvent(send)}); err != nil {
		t.Fatal(err)
	}
}

// A row the INSERT cannot take (here a position the session already has) fails its batch
// with SQLite's error and stores none of the batch: the import's INSERTs run through the
// driver's query path (importStmt.run), whose first step is the whole statement, and an
// error of that step must reach the storer rather than wait for a Next nobody calls.
func TestBatchStorerReportsARowSQLiteRefuses(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	id := beginTest(t, s, "198.18.0.2", time.Now())
	send, _ := echoPair(t, wire.IPv4, 1, time.Now())
	if err := s.appendBlocks(ctx, id, []Packet{PacketFromEvent(send)}); err != nil {
		t.Fatal(err)
	}
	st := newBatchStorer(ctx, s, id) // starts at position 0, which the session has
	for range importStmtBlocks*blockRows + 3 {
		if err := st.add(PacketFromEvent(send)); err != nil {
			break
		}
	}
	rows, err := st.close()
	if err == nil || rows != 0 || !strings.Contains(err.Error(), "UNIQUE") {
		t.Fatalf("a duplicate position: stored %d, error %v; want a UNIQUE constraint error", rows, err)
	}
	var stored int64
	if stored, err = s.StoredPackets(ctx, id); err != nil || stored != 1 {
		t.Fatalf("%d rows in the session after the failed batch, %v; want the 1 before it", stored, err)
	}
}
