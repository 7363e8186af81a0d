package history

import (
	"context"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// BenchmarkWriterStore measures events stored per second through the Writer (Add, batch,
// commit), reported as events/s.
func BenchmarkWriterStore(b *testing.B) {
	s := openTemp(b)
	id := beginTest(b, s, "bench", time.Now())
	send, reply := echoPair(b, wire.IPv4, 1, time.Now())
	w := s.NewWriter(WriterOptions{Buffer: 1 << 16})
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		ev := send
		if i%2 == 1 {
			ev = reply
		}
		for !w.Add(id, ev) {
			// The benchmark outruns the disk on purpose; wait instead of dropping so the
			// figure is the store's throughput, not the drop rate.
			time.Sleep(50 * time.Microsecond)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkHandlerCall is the cost the engine pays per event: the Handler's non-blocking
// channel send and counters. A goroutine receives and discards the events, as the writer
// goroutine would receive them, so the figure excludes storage (BenchmarkWriterStore).
// The loop outruns the receiver, so a refused event is retried: the figure is an upper
// bound that includes waiting for room, not the (cheaper) drop path.
func BenchmarkHandlerCall(b *testing.B) {
	w := &Writer{events: make(chan queued, DefaultWriterBuffer)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for q := range w.events {
			_ = q
		}
	}()
	send, _ := echoPair(b, wire.IPv4, 1, time.Now())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for !w.Add(1, send) {
		}
	}
	b.StopTimer()
	close(w.events)
	<-done
}

// BenchmarkPacketsPageDeep reads a 100-row page from the middle of a 100,000-row session.
func BenchmarkPacketsPageDeep(b *testing.B) {
	s := openTemp(b)
	id := fillSession(b, s, 100_000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, err := s.Packets(ctx, id, 50_000+int64(i%1000)*40, 100)
		if err != nil || len(rows) != 100 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
}
