package history

import (
	"context"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// The in-memory fallback is one database however many queries run: what the writer
// commits on its goroutine is what every later query sees.
func TestInMemoryStore(t *testing.T) {
	s, err := OpenWith(OpenOptions{InMemory: true, Path: "/ignored"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Path() != MemoryPath {
		t.Fatalf("path %q", s.Path())
	}
	ctx := context.Background()
	id := beginTest(t, s, "mem", time.Now())
	w := s.NewWriter(WriterOptions{FlushSize: 7})
	for seq := range uint16(50) {
		send, reply := echoPair(t, wire.IPv4, seq, time.Now())
		w.Add(id, send)
		w.Add(id, reply)
		if seq%10 == 0 {
			// Reads while the writer commits: they wait for the one connection, never fail.
			if _, err := s.ListSessions(ctx, SessionFilter{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	n, err := s.CountPackets(ctx, id)
	if err != nil || n != 100 {
		t.Fatalf("%d rows, %v", n, err)
	}
	replies := 0
	for r, err := range s.ChartRows(ctx, id) {
		if err != nil {
			t.Fatal(err)
		}
		if r.RTT <= 0 {
			t.Fatalf("chart row %+v", r)
		}
		replies++
	}
	if replies != 50 {
		t.Fatalf("%d chart rows", replies)
	}
	// A second in-memory store is another database.
	other, err := OpenWith(OpenOptions{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if list, _ := other.ListSessions(ctx, SessionFilter{}); len(list) != 0 {
		t.Fatalf("a new in-memory store has %d sessions", len(list))
	}
}
