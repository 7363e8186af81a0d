package history

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

func TestWriterStoresEventsInOrder(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	t0 := time.Now()
	a := beginTest(t, s, "a", t0)
	b := beginTest(t, s, "b", t0)
	var commits atomic.Int32
	w := s.NewWriter(WriterOptions{FlushSize: 7, OnCommit: func(uint64) { commits.Add(1) }})
	ha, hb := w.Handler(a), w.Handler(b)
	for i := range 50 {
		send, reply := echoPair(t, wire.IPv4, uint16(i), t0.Add(time.Duration(i)*time.Millisecond))
		ha(send)
		ha(reply)
		hb(send)
	}
	ha(probe.Event{Kind: probe.EventStats, Stats: &probe.Stats{Sent: 50, Received: 50, P50: time.Millisecond}})
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	st := w.Stats()
	if st.Accepted != 151 || st.Committed != 151 || st.Dropped != 0 || st.Failed != 0 || w.Err() != nil {
		t.Fatalf("stats %+v, err %v", st, w.Err())
	}
	if commits.Load() < 2 {
		t.Fatalf("%d commits: FlushSize did not split batches", commits.Load())
	}
	for id, want := range map[int64]int64{a: 100, b: 50} {
		n, err := s.CountPackets(ctx, id)
		if err != nil || n != want {
			t.Fatalf("session %d: %d rows, %v; want %d", id, n, err, want)
		}
	}
	rows, err := s.Packets(ctx, a, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range rows {
		if p.N != int64(i) || p.Seq != uint16(i/2) {
			t.Fatalf("row %d: n=%d seq=%d", i, p.N, p.Seq)
		}
	}
	ss, _ := s.Session(ctx, a)
	if ss.Stats == nil || ss.Stats.Sent != 50 || ss.MedianRTT != time.Millisecond || !ss.Ended.IsZero() {
		t.Fatalf("periodic stats not stored: %+v", ss)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Add(a, probe.Event{Kind: probe.EventSend}) || w.Stats().Dropped != 1 {
		t.Fatal("Add after Close accepted")
	}
	if err := w.Close(); !errors.Is(err, ErrClosed) {
		t.Fatalf("second Close: %v", err)
	}
}

func TestWriterContinuesPositionsOfExistingSession(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	id := beginTest(t, s, "a", time.Now())
	send, reply := echoPair(t, wire.IPv4, 1, time.Now())
	if err := s.AppendPackets(ctx, id, []Packet{PacketFromEvent(send)}); err != nil {
		t.Fatal(err)
	}
	w := s.NewWriter(WriterOptions{})
	w.Add(id, reply)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rows, _ := s.Packets(ctx, id, 1, 1)
	if len(rows) != 1 || rows[0].Kind != probe.EventReply {
		t.Fatalf("second row: %+v", rows)
	}
}

// A writer that cannot commit (another connection holds the write lock) fills its buffer;
// further events are dropped and counted, never blocking the caller.
func TestWriterDropsWhenFull(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	id := beginTest(t, s, "a", time.Now())
	conn, err := s.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	w := s.NewWriter(WriterOptions{Buffer: 4, FlushSize: 1})
	send, _ := echoPair(t, wire.IPv4, 1, time.Now())
	const total = 40
	for range total {
		w.Add(id, send)
	}
	st := w.Stats()
	if st.Accepted+st.Dropped != total || st.Dropped < total-6 {
		t.Fatalf("stats with a blocked writer: %+v", st)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	st = w.Stats()
	n, _ := s.CountPackets(ctx, id)
	if st.Committed != st.Accepted || uint64(n) != st.Committed {
		t.Fatalf("after release: %+v, %d rows", st, n)
	}
}

func TestWriterReadOnlyDatabase(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	id := beginTest(t, s, "a", time.Now())
	path := s.Path()
	s.Close()

	ro, err := OpenWith(OpenOptions{Path: path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.BeginSession(ctx, SessionInfo{Target: "x"}); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("BeginSession on read-only: %v", err)
	}
	var reported atomic.Value
	w := ro.NewWriter(WriterOptions{OnError: func(err error) { reported.Store(err) }})
	send, reply := echoPair(t, wire.IPv4, 1, time.Now())
	w.Add(id, send)
	if err := w.Flush(ctx); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("Flush: %v, want ErrReadOnly", err)
	}
	if !errors.Is(w.Err(), ErrReadOnly) {
		t.Fatalf("Err: %v", w.Err())
	}
	if e, _ := reported.Load().(error); !errors.Is(e, ErrReadOnly) {
		t.Fatalf("callback got %v", e)
	}
	// Pinging goes on: events are still accepted, and counted as failed.
	if !w.Add(id, reply) {
		t.Fatal("writer stopped accepting after an error")
	}
	w.Close()
	if st := w.Stats(); st.Failed != 2 || st.Committed != 0 {
		t.Fatalf("stats %+v", st)
	}
	if n, _ := ro.CountPackets(ctx, id); n != 0 {
		t.Fatalf("%d rows in a read-only database", n)
	}
}

// Deleting a session while its writer runs loses at most one batch of other sessions'
// events; afterwards the deleted session's events are skipped (counted, reported) and the
// others stored.
func TestWriterSessionDeletedWhileRunning(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	gone := beginTest(t, s, "gone", time.Now())
	kept := beginTest(t, s, "kept", time.Now())
	var lastErr atomic.Value
	w := s.NewWriter(WriterOptions{OnError: func(err error) { lastErr.Store(err) }})
	defer w.Close()
	send, _ := echoPair(t, wire.IPv4, 1, time.Now())
	w.Add(gone, send)
	w.Add(kept, send)
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession(ctx, gone); err != nil {
		t.Fatal(err)
	}
	w.Add(gone, send)
	w.Add(kept, send)
	w.Flush(ctx) // fails on the foreign key: the writer still believed in the session
	w.Add(gone, send)
	w.Add(kept, send)
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("writer did not recover: %v", err)
	}
	if e, _ := lastErr.Load().(error); !errors.Is(e, ErrNotFound) {
		t.Fatalf("last reported error %v, want ErrNotFound", e)
	}
	n, _ := s.CountPackets(ctx, kept)
	st := w.Stats()
	if n != 2 || st.Failed != 3 || st.Committed != 3 {
		t.Fatalf("kept has %d rows; stats %+v", n, st)
	}
}
