package history

import (
	"context"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// fillSession stores n small rows (seq = position mod 65536) in a new session, fast.
func fillSession(t testing.TB, s *Store, n int) int64 {
	t.Helper()
	return fillInChunks(t, s, "many", n, func(i int) Packet {
		return Packet{Kind: probe.EventSend, Seq: uint16(i), Index: uint64(i + 1), TTL: -1,
			Time:  probe.Timestamp{Time: time.Unix(1700000000, int64(i)*1e6), Clock: probe.ClockUser},
			Bytes: []byte{8, 0, 0, 0, 0, 1, byte(i >> 8), byte(i)}}
	})
}

// fillInChunks stores row(0) .. row(n-1) in a new session for target, appended in chunks so
// that a million rows never stand in memory at once.
func fillInChunks(t testing.TB, s *Store, target string, n int, row func(i int) Packet) int64 {
	t.Helper()
	ctx := context.Background()
	id := beginTest(t, s, target, time.Unix(1700000000, 0))
	const chunk = 50_000
	rows := make([]Packet, 0, chunk)
	for i := 0; i < n; i++ {
		rows = append(rows, row(i))
		if len(rows) == chunk || i == n-1 {
			if err := s.AppendPackets(ctx, id, rows); err != nil {
				t.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	return id
}

// The packet table scrolls a million-row session by position: pages at the start, the
// middle and the end come back complete and in order (speed is in BenchmarkPacketsPageDeep).
func TestPagingMillionRows(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 50_000
	}
	s := openTemp(t)
	ctx := context.Background()
	id := fillSession(t, s, n)
	other := fillSession(t, s, 10)

	count, err := s.CountPackets(ctx, id)
	if err != nil || count != int64(n) {
		t.Fatalf("count %d, %v", count, err)
	}
	for _, off := range []int64{0, int64(n / 2), int64(n - 100), int64(n - 7)} {
		rows, err := s.Packets(ctx, id, off, 100)
		if err != nil {
			t.Fatal(err)
		}
		want := min(100, int64(n)-off)
		if int64(len(rows)) != want {
			t.Fatalf("page at %d: %d rows, want %d", off, len(rows), want)
		}
		for i, r := range rows {
			if r.N != off+int64(i) || r.Seq != uint16(off+int64(i)) || r.SessionID != id {
				t.Fatalf("page at %d row %d: %+v", off, i, r)
			}
		}
	}
	// Keyset paging walks on from the last row seen.
	page, _ := s.PacketsAfter(ctx, id, int64(n/2), 3)
	if len(page) != 3 || page[0].N != int64(n/2)+1 {
		t.Fatalf("after %d: %+v", n/2, page)
	}
	if rows, _ := s.Packets(ctx, id, int64(n), 10); len(rows) != 0 {
		t.Fatalf("past the end: %d rows", len(rows))
	}
	// The query plan uses the (session, position) index, not a scan.
	var plan string
	r, err := s.DB().QueryContext(ctx, "EXPLAIN QUERY PLAN SELECT "+packetColumns+
		" FROM packets WHERE session_id = ? AND n >= ? ORDER BY n LIMIT ?", id, 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var a, b, c int
		var d string
		r.Scan(&a, &b, &c, &d)
		plan += d + ";"
	}
	r.Close()
	if want := "USING INDEX packets_by_session (session_id=? AND n>?)"; !strings.Contains(plan, want) {
		t.Fatalf("query plan %q lacks %q", plan, want)
	}
	if c, _ := s.CountPackets(ctx, other); c != 10 {
		t.Fatalf("other session: %d rows", c)
	}
}
