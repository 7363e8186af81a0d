package history

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// BenchmarkImportCapture imports a synthetic capture of ICMP echo only (the worst case: every
// frame becomes a row) of ECHOSCOPE_BENCH_IMPORT_MB megabytes (default 64), and reports
// MB/s of file read, rows stored per second, the peak growth of heap and resident memory
// and the process's peak resident memory. scripts/bench.sh import runs it at 1024 MB.
func BenchmarkImportCapture(b *testing.B) {
	mb := 64
	if v, err := strconv.Atoi(os.Getenv("ECHOSCOPE_BENCH_IMPORT_MB")); err == nil && v > 0 {
		mb = v
	}
	path := filepath.Join(b.TempDir(), "bench.pcap")
	// A request and its reply are 2 x (16 + 84) bytes of pcap.
	size := writeSynthCapture(b, path, synthCapture{Pairs: mb * mib / 200, Flows: 4, LossEvery: 101})
	b.ResetTimer()
	var heap, rss, peakRSS uint64
	var elapsed time.Duration
	rows := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := openTemp(b)
		m := startMemoryPeak()
		b.StartTimer()
		start := time.Now()
		res, err := s.ImportCapture(context.Background(), path, ImportOptions{Timeout: time.Second})
		elapsed += time.Since(start)
		b.StopTimer()
		h, r := m.growth()
		heap, rss, peakRSS = max(heap, h), max(rss, r), max(peakRSS, m.peakRSS)
		rows += res.Rows
		if err != nil || res.Rows == 0 {
			b.Fatalf("%d rows, %v", res.Rows, err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(size)/mib*float64(b.N)/elapsed.Seconds(), "MB/s")
	b.ReportMetric(float64(heap)/mib, "peak-heap-MB")
	b.ReportMetric(float64(rss)/mib, "peak-rss-growth-MB")
	b.ReportMetric(float64(peakRSS)/mib, "peak-rss-MB")
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(size)/mib, "file-MB")
}

// BenchmarkImportStoreRows is the storing half of an import alone: rows judged from a
// synthetic ICMP-only capture (requests, replies, a loss in 101) stored through the
// import's batchStorer into a fresh store as blocks (blocks.go), as an import stores them, so ns/op is the store's cost per row with the
// driver this build uses (C SQLite with cgo, modernc.org/sqlite without: compare
// CGO_ENABLED=0 and 1 on the same machine in the same minutes).
func BenchmarkImportStoreRows(b *testing.B) {
	path := filepath.Join(b.TempDir(), "rows.pcap")
	writeSynthCapture(b, path, synthCapture{Pairs: 2 * importBatch, Flows: 4, LossEvery: 101})
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	_, rows, _, _, err := ClassifyCapture(data, ImportOptions{Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	s := openTemp(b)
	id := beginTest(b, s, "198.18.1.2", time.Now())
	st := newBatchStorer(context.Background(), s, id)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := st.add(rows[i%len(rows)]); err != nil {
			b.Fatal(err)
		}
	}
	if n, err := st.close(); err != nil || n != b.N {
		b.Fatalf("stored %d of %d rows: %v", n, b.N, err)
	}
}

// BenchmarkImportReading is the reading half of an import alone, on a synthetic ICMP-only
// capture held in memory (16 MB, a loss in 101 requests): plan is the first reading
// (planCapture), judge the second (judgeCapture, its rows dropped instead of stored).
// An op is one reading of the whole capture; ns/frame is wall time per frame of it,
// cpu-ns/frame the process's CPU time per frame (what to compare on a busy machine).
// Compare binaries in the same minutes.
func BenchmarkImportReading(b *testing.B) {
	path := filepath.Join(b.TempDir(), "reading.pcap")
	writeSynthCapture(b, path, synthCapture{Pairs: 16 * mib / 200, Flows: 4, LossEvery: 101})
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	src := captureSource{size: int64(len(data)), open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
	o := &ImportOptions{Timeout: time.Second}
	ctx := context.Background()
	c, err := planCapture(ctx, src, o)
	if err != nil {
		b.Fatal(err)
	}
	frames := c.ext.Frames
	b.Run("plan", func(b *testing.B) {
		cpu := processCPU()
		for i := 0; i < b.N; i++ {
			if _, err := planCapture(ctx, src, o); err != nil {
				b.Fatal(err)
			}
		}
		reportPerFrame(b, cpu, b.N*frames)
	})
	b.Run("judge", func(b *testing.B) {
		cpu := processCPU()
		for i := 0; i < b.N; i++ {
			rows := 0
			if _, err := judgeCapture(ctx, src, o, c, func(Packet) error { rows++; return nil }); err != nil || rows < frames {
				b.Fatalf("%d rows of %d frames: %v", rows, frames, err)
			}
		}
		reportPerFrame(b, cpu, b.N*frames)
	})
}

// reportPerFrame reports the wall and CPU time per frame since cpu (processCPU's reading
// when the loop began).
func reportPerFrame(b *testing.B, cpu time.Duration, frames int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(frames), "ns/frame")
	if used := processCPU() - cpu; cpu > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(frames), "cpu-ns/frame")
	}
}
