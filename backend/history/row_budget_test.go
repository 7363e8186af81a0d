package history

import (
	"context"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// The bound keeps the newest rows of every session together and forgets the oldest
// written first, whichever session they belong to; row numbers stay as they were.
func TestForgetOldestRowsKeepsTheNewest(t *testing.T) {
	s, err := OpenWith(OpenOptions{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	t0 := time.Now()
	first := beginTest(t, s, "first", t0)
	second := beginTest(t, s, "second", t0.Add(time.Second))
	w := s.NewWriter(WriterOptions{FlushSize: 10})
	for seq := range uint16(30) { // 60 rows of the first session, then 40 of the second
		send, reply := echoPair(t, wire.IPv4, seq, t0.Add(time.Duration(seq)*time.Millisecond))
		w.Add(first, send)
		w.Add(first, reply)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for seq := range uint16(20) {
		send, reply := echoPair(t, wire.IPv4, seq, t0.Add(time.Second+time.Duration(seq)*time.Millisecond))
		w.Add(second, send)
		w.Add(second, reply)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	if n, err := s.ForgetOldestRows(ctx, 100); err != nil || n != 0 {
		t.Fatalf("within the bound: forgot %d, %v", n, err)
	}
	n, err := s.ForgetOldestRows(ctx, 50)
	if err != nil || n != 50 {
		t.Fatalf("forgot %d rows, %v; want 50", n, err)
	}
	// The first session keeps its newest 10 rows (n 50..59), the second all 40.
	rows, err := s.Packets(ctx, first, 0, 100)
	if err != nil || len(rows) != 10 || rows[0].N != 50 || rows[9].N != 59 {
		t.Fatalf("first session: %d rows from n=%d, %v", len(rows), firstN(rows), err)
	}
	if total, err := s.CountPackets(ctx, first); err != nil || total != 60 {
		t.Fatalf("first session counts %d rows, %v: row numbers must not move", total, err)
	}
	if rows, err := s.Packets(ctx, second, 0, 100); err != nil || len(rows) != 40 {
		t.Fatalf("second session: %d rows, %v", len(rows), err)
	}
	if n, err := s.ForgetOldestRows(ctx, 0); err != nil || n != 0 {
		t.Fatalf("no bound: forgot %d, %v", n, err)
	}
}

func firstN(rows []Packet) int64 {
	if len(rows) == 0 {
		return -1
	}
	return rows[0].N
}
