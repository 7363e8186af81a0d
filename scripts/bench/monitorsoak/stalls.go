package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Where a late send's delay came from. A send gap above the bound means the monitor's loop
// did not run for a while; three witnesses tell whose fault that was, each a sleeper that
// notes when it woke far later than it asked (a stall):
//   - a goroutine of this process: stalls of the Go runtime (garbage collector, scheduler,
//     other goroutines holding the processors) and of the whole process;
//   - a child process doing the same: stalls of the machine (other processes, the
//     hypervisor taking the virtual CPUs), which this process's runtime cannot cause;
//   - the kernel's steal time (/proc/stat), sampled every second: the hypervisor ran
//     something else on the virtual CPUs.
// Each late moment is then printed with what the witnesses saw around it.

// stallSleep is each witness's sleep, and stallMin the oversleep that counts as a stall
// (well under the 50 ms bound, well above ordinary wake-up latency).
const (
	stallSleep = 5 * time.Millisecond
	stallMin   = 20 * time.Millisecond
)

// stall is one sleep that ended Late after it should have (at Due). GC says whether a
// garbage-collection cycle ran during it (the in-process witness only).
type stall struct {
	Due  time.Time
	Late time.Duration
	GC   bool
}

// watchStalls sleeps stallSleep again and again until stop closes and returns the stalls,
// calling note for each as it happens (the child prints them).
func watchStalls(stop <-chan struct{}, withGC bool, note func(stall)) []stall {
	var out []stall
	gc := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	cycles := func() uint64 {
		if !withGC {
			return 0
		}
		metrics.Read(gc)
		return gc[0].Value.Uint64()
	}
	before := cycles()
	for {
		t0 := time.Now()
		select {
		case <-stop:
			return out
		case <-time.After(stallSleep):
		}
		late := time.Since(t0) - stallSleep
		after := cycles()
		if late >= stallMin {
			s := stall{Due: t0.Add(stallSleep), Late: late, GC: after != before}
			out = append(out, s)
			if note != nil {
				note(s)
			}
		}
		before = after
	}
}

// childStallWatch is the child process's main (-stallwatch): it watches until its stdin
// closes and prints each stall as "due-unix-nanoseconds late-microseconds".
func childStallWatch() {
	stop := make(chan struct{})
	go func() {
		io.Copy(io.Discard, os.Stdin) //nolint:errcheck // any end of stdin ends the watch
		close(stop)
	}()
	w := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	watchStalls(stop, false, func(s stall) {
		mu.Lock()
		fmt.Fprintf(w, "%d %d\n", s.Due.UnixNano(), s.Late.Microseconds())
		w.Flush()
		mu.Unlock()
	})
}

// witnesses runs the three witnesses for the length of a run.
type witnesses struct {
	stop   chan struct{}
	inProc chan []stall
	child  *exec.Cmd
	stdin  io.WriteCloser
	outMu  sync.Mutex
	fromCh []stall
	done   chan struct{}
	// steal is the steal time (jiffies) per one-second sample, with the sample's time.
	steal     []stealSample
	lastSteal uint64
}

type stealSample struct {
	At      time.Time
	Jiffies uint64
}

func startWitnesses() (*witnesses, error) {
	w := &witnesses{stop: make(chan struct{}), inProc: make(chan []stall, 1), done: make(chan struct{})}
	go func() { w.inProc <- watchStalls(w.stop, true, nil) }()
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	w.child = exec.Command(self, "-stallwatch")
	if w.stdin, err = w.child.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := w.child.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := w.child.Start(); err != nil {
		return nil, err
	}
	go func() {
		defer close(w.done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) != 2 {
				continue
			}
			due, err1 := strconv.ParseInt(f[0], 10, 64)
			late, err2 := strconv.ParseInt(f[1], 10, 64)
			if err1 != nil || err2 != nil {
				continue
			}
			w.outMu.Lock()
			w.fromCh = append(w.fromCh, stall{Due: time.Unix(0, due), Late: time.Duration(late) * time.Microsecond})
			w.outMu.Unlock()
		}
	}()
	w.lastSteal = stealJiffies()
	return w, nil
}

// sampleSteal records the steal time since the last sample (call once a second).
func (w *witnesses) sampleSteal() {
	s := stealJiffies()
	w.steal = append(w.steal, stealSample{At: time.Now(), Jiffies: s - w.lastSteal})
	w.lastSteal = s
}

// finish stops the witnesses and returns the in-process and the child's stalls.
func (w *witnesses) finish() (inProc, child []stall) {
	close(w.stop)
	inProc = <-w.inProc
	w.stdin.Close()
	<-w.done
	w.child.Wait() //nolint:errcheck // its output is what counts
	return inProc, w.fromCh
}

// stealJiffies is the machine's total steal time (the 8th value of /proc/stat's cpu line).
func stealJiffies() uint64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 {
		return 0
	}
	v, _ := strconv.ParseUint(f[8], 10, 64)
	return v
}

// moment is late sends within 500 ms of each other.
type moment struct {
	First, Last time.Time
	Sends       int
}

// seenBy tells whether a stall of ss ended within 100 ms before moment m or during it.
func seenBy(m moment, ss []stall) bool {
	for _, s := range ss {
		if end := s.Due.Add(s.Late); stallNear(m, end) {
			return true
		}
	}
	return false
}

// stallNear: a stall that ended at end explains moment m (within 100 ms before its first
// late send, or during it).
func stallNear(m moment, end time.Time) bool {
	return end.After(m.First.Add(-100*time.Millisecond)) && end.Before(m.Last.Add(100*time.Millisecond))
}

// explain says, for one late moment, what each witness saw around it: a stall of either
// sleeper that ended within 100 ms before the moment's first late send or during it, and
// the steal time of the seconds around it.
func explain(m moment, inProc, child []stall, steal []stealSample) string {
	near := func(ss []stall) string {
		var worst time.Duration
		gc := false
		for _, s := range ss {
			if stallNear(m, s.Due.Add(s.Late)) {
				worst = max(worst, s.Late)
				gc = gc || s.GC
			}
		}
		if worst == 0 {
			return "none"
		}
		if gc {
			return fmt.Sprintf("%.0f ms (a GC cycle ran)", float64(worst.Microseconds())/1000)
		}
		return fmt.Sprintf("%.0f ms", float64(worst.Microseconds())/1000)
	}
	var st uint64
	for _, s := range steal {
		if s.At.After(m.First.Add(-time.Second)) && s.At.Before(m.Last.Add(2*time.Second)) {
			st += s.Jiffies
		}
	}
	return fmt.Sprintf("%s: %d late send(s); stall seen in this process: %s, in a child process: %s; steal %d jiffies",
		m.First.UTC().Format("15:04:05.000"), m.Sends, near(inProc), near(child), st)
}

// runtimeFigures are the Go runtime's own records of a run: the longest stop of the world
// for the collector and how many goroutine wake-ups waited 50 ms or more for a processor.
func runtimeFigures() string {
	s := []metrics.Sample{{Name: "/sched/pauses/total/gc:seconds"}, {Name: "/sched/latencies:seconds"},
		{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/cpu/classes/gc/mark/assist:cpu-seconds"}}
	metrics.Read(s)
	maxOf := func(h *metrics.Float64Histogram) float64 {
		for i := len(h.Counts) - 1; i >= 0; i-- {
			if h.Counts[i] > 0 {
				return h.Buckets[i+1]
			}
		}
		return 0
	}
	over := func(h *metrics.Float64Histogram, bound float64) (n uint64) {
		for i, c := range h.Counts {
			if h.Buckets[i] >= bound {
				n += c
			}
		}
		return n
	}
	pauses, lat := s[0].Value.Float64Histogram(), s[1].Value.Float64Histogram()
	return fmt.Sprintf("GC cycles %d, longest GC stop below %.2f ms, %.2f s of CPU spent by goroutines assisting the collector; goroutine wake-ups that waited >= 50 ms for a processor: %d (longest below %.0f ms)",
		s[2].Value.Uint64(), maxOf(pauses)*1000, s[3].Value.Float64(), over(lat, 0.05), maxOf(lat)*1000)
}
