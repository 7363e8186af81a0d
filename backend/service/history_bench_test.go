package service

import (
	"os"
	"strconv"
	"sync"
	"testing"

	"echoscope/backend/history/seed"
)

// The million-row session is seeded once per benchmark run (about 20 s); set
// ECHOSCOPE_BENCH_ROWS for another size.
var (
	millionOnce sync.Once
	millionDir  string
	millionID   string
)

func millionRowSession(b *testing.B) (string, string) {
	b.Helper()
	millionOnce.Do(func() {
		rows := 1_000_000
		if v, err := strconv.Atoi(os.Getenv("ECHOSCOPE_BENCH_ROWS")); err == nil && v > 1 {
			rows = v
		}
		dir, err := os.MkdirTemp("", "echoscope-bench-")
		if err != nil {
			b.Fatal(err)
		}
		millionDir = dir
		res := seedAt(b, dir, seed.Options{Rows: rows, LossEvery: 100})
		millionID = strconv.FormatInt(res.SessionID, 10)
	})
	if millionID == "" {
		b.Fatal("seeding failed")
	}
	return millionDir, millionID
}

func benchService(b *testing.B, dir string) *PingService {
	svc := NewPingService(PingConfig{Emitter: newRecorder(), OpenStore: storeIn(dir)})
	b.Cleanup(func() { ClosePingService(svc) })
	return svc
}

// BenchmarkOpenSessionMillionRows: the first open of a 1M-row session (one streaming pass
// over its replies and losses; the chart cache is cleared each time).
func BenchmarkOpenSessionMillionRows(b *testing.B) {
	dir, id := millionRowSession(b)
	svc := benchService(b, dir)
	n, _ := strconv.ParseInt(id, 10, 64)
	for b.Loop() {
		svc.charts.forget(n)
		v, err := svc.openSession(svc.ctx, id, func(int64, int64) {})
		if err != nil || len(v.Points) == 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenSessionMillionRowsCached: reopening it (the chart is kept).
func BenchmarkOpenSessionMillionRowsCached(b *testing.B) {
	dir, id := millionRowSession(b)
	svc := benchService(b, dir)
	if _, err := svc.openSession(svc.ctx, id, func(int64, int64) {}); err != nil { // fills the cache, before the timer starts
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := svc.openSession(svc.ctx, id, func(int64, int64) {}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRowsMillionRows: a 200-row page deep in the session (the table scrolled).
func BenchmarkRowsMillionRows(b *testing.B) {
	dir, id := millionRowSession(b)
	svc := benchService(b, dir)
	i := 0
	for b.Loop() {
		off := (i * 7919 * 200) % 999_000
		i++
		if p, err := svc.Rows(id, off, 200); err != nil || len(p.Rows) == 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkPacketMillionRows: the inspector on a reply deep in the session.
func BenchmarkPacketMillionRows(b *testing.B) {
	dir, id := millionRowSession(b)
	svc := benchService(b, dir)
	i := 0
	for b.Loop() {
		row := 500_001 + 2*(i%1000)
		i++
		if _, err := svc.Packet(id, row); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSessionsList: the sessions list with the million-row session in it.
func BenchmarkSessionsList(b *testing.B) {
	dir, _ := millionRowSession(b)
	svc := benchService(b, dir)
	for b.Loop() {
		if _, err := svc.Sessions("", 0); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if millionDir != "" {
		os.RemoveAll(millionDir)
	}
	os.Exit(code)
}

// BenchmarkFilteredRowsMillionRows: one 200-row page from the middle of each filter of a
// 1M-row session, with its counts, as the table asks when scrolled there under a filter.
func BenchmarkFilteredRowsMillionRows(b *testing.B) {
	dir, id := millionRowSession(b)
	svc := benchService(b, dir)
	for _, filter := range []string{"ours", "requests", "replies", "problems", "foreign"} {
		b.Run(filter, func(b *testing.B) {
			first, err := svc.FilteredRows(id, filter, 0, 0)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				p, err := svc.FilteredRows(id, filter, int(first.FilterRows/2), 200)
				if err != nil || (first.FilterRows > 400 && len(p.Rows) != 200) {
					b.Fatalf("%d rows, %v", len(p.Rows), err)
				}
			}
		})
	}
}
