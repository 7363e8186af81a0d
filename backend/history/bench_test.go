package history

import (
	"context"
	"testing"
	"time"

	"echoscope/backend/probe"
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

// BenchmarkInsertFilterIndex is what the filters' index (packets_by_group, migration v5)
// costs inserts: batches of 1,000 rows of every kind and class go alternately into a
// store with the index and one without it (the v3 cost), and the benchmark reports rows/s
// of each and their ratio. A ratio, not a time: the machine's load hurts both alike.
func BenchmarkInsertFilterIndex(b *testing.B) {
	with, without := openTemp(b), openTemp(b)
	if _, err := without.DB().Exec("DROP INDEX packets_by_group"); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	idWith := beginTest(b, with, "with", time.Now())
	idWithout := beginTest(b, without, "without", time.Now())
	const batch = 1000
	rows := make([]Packet, batch)
	payload := make([]byte, 64)
	for i := range rows {
		kind, class := mixedRow(i)
		rows[i] = Packet{Kind: kind, Class: class, Seq: uint16(i), Index: uint64(i + 1), TTL: 64, Bytes: payload,
			Time: probe.Timestamp{Time: time.Unix(1700000000, int64(i)*1e6), Clock: probe.ClockKernelRX}}
	}
	var tWith, tWithout time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stores := []struct {
			s     *Store
			id    int64
			spent *time.Duration
		}{{with, idWith, &tWith}, {without, idWithout, &tWithout}}
		if i%2 == 1 { // alternate which goes first, so neither always meets a warmer cache
			stores[0], stores[1] = stores[1], stores[0]
		}
		for _, st := range stores {
			start := time.Now()
			if err := st.s.AppendPackets(ctx, st.id, rows); err != nil {
				b.Fatal(err)
			}
			*st.spent += time.Since(start)
		}
	}
	b.StopTimer()
	rowsEach := float64(b.N * batch)
	b.ReportMetric(rowsEach/tWith.Seconds(), "rows/s-indexed")
	b.ReportMetric(rowsEach/tWithout.Seconds(), "rows/s-unindexed")
	b.ReportMetric(tWith.Seconds()/tWithout.Seconds(), "cost-ratio")
}

// BenchmarkFilteredPageDeep reads a 200-row page from the middle of each filter of a
// 1,000,000-row session with rows of every class (a sixth of them foreign), with the
// filter's count, as the table does when scrolled to the middle under a filter. "cold" is
// the first such read, which walks the filter's index once to remember its ranks
// (filter_ranks.go); the others start from the nearest remembered rank.
func BenchmarkFilteredPageDeep(b *testing.B) {
	s := openTemp(b)
	id := fillMixed(b, s, 1_000_000)
	ctx := context.Background()
	read := func(b *testing.B, f RowFilter) {
		total, err := s.CountFiltered(ctx, id, f)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := s.FilteredPackets(ctx, id, f, total/2, 200)
		if err != nil || len(rows) != 200 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
	for _, f := range allFilters {
		b.Run(string(f), func(b *testing.B) {
			read(b, f)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				read(b, f)
			}
		})
	}
	for _, f := range []RowFilter{FilterRequests, FilterReplies} {
		b.Run(string(f)+"-cold", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				s.ranks.forget(-1)
				read(b, f)
			}
		})
	}
}

// BenchmarkBlockReadsDeep is BenchmarkFilteredPageDeep's read (a filter's count and a
// 200-row page from its middle) and a page and a rank by position, on the same
// 1,000,000 rows stored as blocks (blocks.go), as an import stores them: every read walks
// the blocks' group counts from the session's start (no remembered ranks).
func BenchmarkBlockReadsDeep(b *testing.B) {
	s := openTemp(b)
	src := fillMixed(b, s, 1_000_000)
	ctx := context.Background()
	var rows []Packet
	for p, err := range s.AllPackets(ctx, src) {
		if err != nil {
			b.Fatal(err)
		}
		rows = append(rows, p)
	}
	id := beginTest(b, s, "blocks", time.Now())
	if err := s.appendBlocks(ctx, id, rows); err != nil {
		b.Fatal(err)
	}
	rows = nil
	for _, f := range allFilters {
		b.Run(string(f), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				total, err := s.CountFiltered(ctx, id, f)
				if err != nil {
					b.Fatal(err)
				}
				page, err := s.FilteredPackets(ctx, id, f, total/2, 200)
				if err != nil || len(page) != 200 {
					b.Fatalf("%d rows, %v", len(page), err)
				}
			}
		})
	}
	b.Run("page", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if page, err := s.Packets(ctx, id, 500_000, 200); err != nil || len(page) != 200 {
				b.Fatalf("%d rows, %v", len(page), err)
			}
		}
	})
	b.Run("rank", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, _, err := s.FilterRank(ctx, id, FilterReplies, 500_000); err != nil {
				b.Fatal(err)
			}
		}
	})
}
