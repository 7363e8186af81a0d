package history

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// memoryPeak samples the Go heap's live objects and the process's resident memory while
// an import runs, and reports the largest growth of each over what it was before.
type memoryPeak struct {
	stop              chan struct{}
	done              sync.WaitGroup
	baseHeap, baseRSS uint64
	peakHeap, peakRSS uint64
	samples           int
}

func startMemoryPeak() *memoryPeak {
	runtime.GC()
	debug.FreeOSMemory()
	m := &memoryPeak{stop: make(chan struct{}), baseHeap: heapObjects(), baseRSS: residentBytes()}
	m.peakHeap, m.peakRSS = m.baseHeap, m.baseRSS
	m.done.Add(1)
	go func() {
		defer m.done.Done()
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			m.peakHeap = max(m.peakHeap, heapObjects())
			m.peakRSS = max(m.peakRSS, residentBytes())
			m.samples++
			select {
			case <-m.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return m
}

// growth stops sampling and returns the peak growth of the heap and of resident memory.
func (m *memoryPeak) growth() (heap, rss uint64) {
	close(m.stop)
	m.done.Wait()
	return m.peakHeap - m.baseHeap, m.peakRSS - min(m.baseRSS, m.peakRSS)
}

func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// residentBytes is VmRSS from /proc/self/status (0 where there is no /proc).
func residentBytes() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

const mib = 1 << 20

// An import's memory does not grow with the capture: a capture 8 times larger (more
// pings, and far more other traffic) peaks at about the same heap and resident memory as
// the small one, and both stay within a fixed budget. (The import that read the whole file
// and kept every frame grew by more than the file's size: 2.2 GB for 64 MiB.)
func TestImportMemoryIsBoundedWhateverTheSize(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 240 MB capture")
	}
	dir := t.TempDir()
	small := synthCapture{Pairs: 12_500, Flows: 3, LossEvery: 97, Filler: 30 * mib}
	large := synthCapture{Pairs: 100_000, Flows: 3, LossEvery: 97, Filler: 240 * mib}
	var heaps, rsss [2]uint64
	for i, sc := range []synthCapture{small, large} {
		path := filepath.Join(dir, "synthetic"+strconv.Itoa(i)+".pcap")
		size := writeSynthCapture(t, path, sc)
		s := openTemp(t)
		m := startMemoryPeak()
		res, err := s.ImportCapture(context.Background(), path, ImportOptions{Timeout: time.Second})
		heaps[i], rsss[i] = m.growth()
		if err != nil {
			t.Fatal(err)
		}
		lost := sc.Pairs / 97
		if res.Stats.Sent != uint64(sc.Pairs) || res.Stats.Lost != uint64(lost) || res.Rows != 2*sc.Pairs {
			t.Fatalf("%d pairs imported as %d rows, stats %+v", sc.Pairs, res.Rows, res.Stats)
		}
		t.Logf("%d MB capture, %d rows: heap +%d MB, resident +%d MB (%d samples)",
			size/mib, res.Rows, heaps[i]/mib, rsss[i]/mib, m.samples)
		os.Remove(path)
	}
	const budget = 64 * mib // a tenth of what the large file's rows and frames would take
	if heaps[1] > budget || heaps[1] > heaps[0]+16*mib {
		t.Errorf("heap grew by %d MB for the large capture, %d MB for the small: not bounded", heaps[1]/mib, heaps[0]/mib)
	}
	if rsss[0] > 0 && (rsss[1] > 2*budget || rsss[1] > rsss[0]+32*mib) {
		t.Errorf("resident memory grew by %d MB for the large capture, %d MB for the small: not bounded", rsss[1]/mib, rsss[0]/mib)
	}
}

// Cancelling an import (here from its progress callback, half-way through the second
// reading) stops it with the context's error and leaves no session behind; the progress
// reports bytes done of the file's size, per pass.
func TestImportCancelledStoresNoSession(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cancel.pcap")
	size := writeSynthCapture(t, path, synthCapture{Pairs: 40_000, Flows: 2})
	s := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var reports []ImportProgress
	_, err := s.ImportCapture(ctx, path, ImportOptions{Progress: func(p ImportProgress) {
		reports = append(reports, p)
		if p.Pass == 2 && p.Done > p.Total/2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("import: %v, want context.Canceled", err)
	}
	list, err := s.ListSessions(context.Background(), SessionFilter{})
	if err != nil || len(list) != 0 {
		t.Fatalf("a cancelled import left %d sessions (%v)", len(list), err)
	}
	var pass1End, pass2 bool
	for i, p := range reports {
		if p.Total != size || p.Done > p.Total || (i > 0 && p.Pass == reports[i-1].Pass && p.Done < reports[i-1].Done) {
			t.Fatalf("progress %d: %+v", i, p)
		}
		pass1End = pass1End || (p.Pass == 1 && p.Done == size)
		pass2 = pass2 || p.Pass == 2
	}
	if !pass1End || !pass2 {
		t.Fatalf("progress never finished pass 1 or reached pass 2: %+v", reports)
	}
}
